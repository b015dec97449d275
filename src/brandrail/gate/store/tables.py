"""The gate's state tables (SQLAlchemy Core), shared by SQLite and PostgreSQL.

Times are stored as fixed-width UTC ISO-8601 strings (``2026-05-01T10:00:00.000000+00:00``), which sort
and compare correctly as text on every backend. Money is stored in cents (integers).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import BigInteger, Boolean, Column, Index, Integer, MetaData, String, Table, Text, true

__all__ = [
    "actions",
    "approvals",
    "budgets",
    "consent",
    "counters",
    "decisions",
    "events",
    "iso",
    "metadata",
    "migrations",
    "parse_iso",
    "prices",
    "reservations",
    "subjects",
    "suppression",
    "taint",
]

metadata = MetaData()

migrations = Table(
    "gate_schema_migrations",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("applied_at", String(40), nullable=False),
)

#: Budget counters in cents: one row per cap key (e.g. ``spend:campaign:spring:2026-05-01``).
counters = Table(
    "gate_counters",
    metadata,
    Column("key", String(400), primary_key=True),
    Column("value", BigInteger, nullable=False, default=0),
)

#: Timestamped events for rolling-window caps: frequency per recipient and send rates count events
#: (``amount`` 1 each); the audience a principal or the account declared in any 24 hours (AG505) sums their
#: ``amount`` (a declaration's size; store schema 9).
events = Table(
    "gate_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(400), nullable=False),
    Column("at", String(40), nullable=False),
    Column("decision_id", String(64), nullable=False),
    Column("amount", BigInteger, nullable=False, server_default="1"),
    Index("ix_gate_events_key_at", "key", "at"),
    Index("ix_gate_events_decision", "decision_id"),
)

#: What each allowed decision reserved, so that ``report_outcome(executed=False)`` can release it.
reservations = Table(
    "gate_reservations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("decision_id", String(64), nullable=False, index=True),
    Column("kind", String(16), nullable=False),  # counter | event | price
    Column("key", String(400), nullable=False),
    Column("amount", BigInteger, nullable=False, default=0),
    Column("undo", Text, nullable=True),
)

#: One row per decision: the response given to the caller and whether the action was carried out.
decisions = Table(
    "gate_decisions",
    metadata,
    Column("decision_id", String(64), primary_key=True),
    Column("action_id", String(200), nullable=True, index=True),
    Column("outcome", String(8), nullable=False),
    Column("status", String(12), nullable=False),  # pending | executed | released | final
    Column("created_at", String(40), nullable=False),
    Column("response", Text, nullable=False),
    Column("ledger_hash", String(64), nullable=True),  # the hash of the decision's ledger entry
)

#: The idempotency index: action id → digest of its arguments and its latest decision.
actions = Table(
    "gate_actions",
    metadata,
    Column("action_id", String(200), primary_key=True),
    Column("digest", String(64), nullable=False),
    Column("decision_id", String(64), nullable=True),
    Column("outcome", String(8), nullable=True),
)

#: The day's opening price and the current price per item (max change per day).
prices = Table(
    "gate_prices",
    metadata,
    Column("item", String(200), primary_key=True),
    Column("day", String(10), nullable=False),
    Column("open_cents", BigInteger, nullable=False),
    Column("price_cents", BigInteger, nullable=False),
    # the decision whose action set this price (None for one set outside a decision)
    Column("set_by", String(64), nullable=True),
    # the row's version: its ledger entry is ``price`` number ``seq`` of the item; see
    # brandrail.gate.bindings.price_entry_id
    Column("seq", Integer, nullable=True),
    # False: the item has no price (a released first price); the row stays so that its version shows a
    # deletion
    Column("present", Boolean, nullable=False, server_default=true()),
)

consent = Table(
    "gate_consent",
    metadata,
    Column("recipient", String(200), primary_key=True),
    Column("channel", String(20), primary_key=True),
    Column("granted", Boolean, nullable=False),
    Column("source", String(200), nullable=True),
    Column("updated_at", String(40), nullable=False),
    # the row's version: its ledger entry is ``consent`` number ``seq`` of (recipient, channel); see
    # brandrail.gate.bindings.state_entry_id
    Column("seq", Integer, nullable=True),
)

suppression = Table(
    "gate_suppression",
    metadata,
    Column("value", String(320), primary_key=True),  # recipient id, lower-case e-mail or digits of a phone
    Column("channel", String(20), primary_key=True),  # a channel or "*"
    Column("reason", String(200), nullable=True),
    Column("added_at", String(40), nullable=False),
    # False once forgotten (``privacy erase --forget-suppression``): the row stays so that its ledger
    # binding (``seq``, as for consent) shows a deletion from a forgetting
    Column("suppressed", Boolean, nullable=False, server_default=true()),
    Column("seq", Integer, nullable=True),
)

approvals = Table(
    "gate_approvals",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("decision_id", String(64), nullable=False),
    Column("action_id", String(200), nullable=False),
    Column("digest", String(64), nullable=False, index=True),
    Column("policy_version", String(64), nullable=False),
    Column("agent", String(200), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("action", Text, nullable=False),  # masked action JSON
    Column("reasons", Text, nullable=False),  # JSON list of findings
    Column("status", String(10), nullable=False),  # pending | approved | rejected | used
    Column("created_at", String(40), nullable=False),
    Column("expires_at", String(40), nullable=False),
    Column("reviewer", String(200), nullable=True),
    Column("comment", Text, nullable=True),
    Column("decided_at", String(40), nullable=True),
    Column("used_by", String(64), nullable=True),
    # the ledger entry that last changed this row (the request's decision entry, then the answer's entry)
    # and that entry's hash: checked on use (see brandrail.gate.bindings)
    Column("ledger_entry", String(64), nullable=True),
    Column("ledger_hash", String(64), nullable=True),
)

#: What links a customer identifier to its pseudonym: ``lookup`` is a keyed hash (HMAC) of the normalised
#: identifier, ``pseudonym`` a random token, the only form of the customer the ledger and the other gate
#: tables hold. ``brandrail privacy erase`` deletes the rows, after which nothing ties the pseudonym back.
subjects = Table(
    "gate_subjects",
    metadata,
    Column("lookup", String(64), primary_key=True),
    Column("pseudonym", String(40), nullable=False, index=True),
    Column("created_at", String(40), nullable=False),
    # a random secret: its first 24 characters name the ``link`` ledger entry that records the link (the
    # sha256 of binding, lookup and pseudonym); see brandrail.gate.bindings.link_problem
    Column("binding", String(64), nullable=True),
)


#: The budget an allowed ``set_budget`` gave each campaign (a spend's cap for the period, AG107). ``amount_cents``
#: is None when the campaign has no budget (a ``set_budget`` given back by its executor). Every write adds one
#: to ``seq`` and appends a ``budget`` ledger entry whose id is derived from (campaign, seq) and whose payload
#: is the row: see :mod:`brandrail.gate.budgets`.
budgets = Table(
    "gate_budgets",
    metadata,
    Column("campaign", String(200), primary_key=True),
    Column("period", String(8), nullable=False),
    Column("amount_cents", BigInteger, nullable=True),
    # the decision that set it (its entry is the set_budget's allow)
    Column("set_by", String(64), nullable=False),
    Column("seq", Integer, nullable=False),
)


#: Callers that read a flagged tool result (AG909), under each of their keys: a keyed digest of the credential
#: (``key:…``), of the session within it (``session:…``), or ``anonymous`` — never the credential. ``until``
#: is when the taint ends; ``by`` (JSON) what caused it: the tool, the request id, the codes, the caller.
#: Bound to the ledger like a budget row: every write adds one to ``seq`` and appends a ``taint`` entry whose
#: id is derived from (key, seq) and whose payload is the row; see :mod:`brandrail.gate.taint`.
taint = Table(
    "gate_taint",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("until", String(40), nullable=False),
    Column("by", Text, nullable=False),
    Column("seq", Integer, nullable=False),
)


def iso(moment: datetime) -> str:
    """Fixed-width UTC ISO-8601 text (sorts like the time it stands for)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text)
