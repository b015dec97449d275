"""Side tables bound to the chain: decision and approval rows are checked against their ledger entries.

The gate's tables are caches of what the ledger says; anyone with write access to the database can edit
them, but not (without breaking the chain) the ledger. So every row the gate *acts on* is checked first:

* a **decision row** (``gate_decisions``) carries the hash of its ledger entry (``ledger_hash``, written in
  the same statement as the entry) and is the entry with the same id: the entry must exist, be intact (its
  hash recomputes) and equal the row's ``ledger_hash``, be a ``decision`` entry, and its payload must carry
  the row's outcome, action id and the sha256 of the row's stored response (``response_sha256``);
* an **approval row** (``gate_approvals``) names the entry that last changed it (``ledger_entry``) and that
  entry's hash (``ledger_hash``, for answers). Its request — everything a reviewer is shown and the approval
  is bound to: the action, the proposing principal, the kind, the action id, the reasons, the time it was
  opened and its expiry — must match the intact ``decision`` entry that opened it (the expiry and the
  reasons through the entry's ``approval_request``: ``expires_at`` and the sha256 of the reasons text).
  An approved or rejected row must also match an intact ``approval`` entry (status, digest, policy version,
  reviewer, comment, time, expiry) that names that decision; an approval already used by a decision (a
  ``decision`` entry with ``approval_used``) is never usable again, whatever its row says. A used row must
  name that decision (``used_by`` and ``ledger_entry``).

A row that fails is refused (never acted on) and :func:`check_side_tables` — run by
``brandrail ledger verify`` on a gate database — names it.

The rows that decide whether a send may go out are bound the same way, by the entries that wrote them:

* a **consent** or **suppression row** carries its version ``seq``; every write (``set_consent``,
  ``suppress``, a forgetting) appends a ``consent`` or ``suppression`` entry whose id is derived from
  (table, pseudonym or keyed hash, channel, seq) — :func:`state_entry_id` — and whose payload is the row's
  state. A row is believed only when the entry of its ``seq`` is intact and says the same, and no entry of
  ``seq + 1`` exists (an older state put back); a missing row is believed only when no entry of ``seq`` 1
  exists (a deleted row). The lookups are primary-key reads joined into the statement that reads a send's
  rows (one snapshot, no extra round trip).
  Whatever fails counts on the safe side: a consent row as a withdrawal, a suppression row as a suppression.
* a **price row** carries its version ``seq`` (store schema 7): every write appends a ``price`` entry whose
  id is derived from (item, seq) — :func:`price_entry_id` — and whose payload is the row
  (:func:`price_payload`). The statement that reads the row joins the entry of its ``seq`` and of
  ``seq + 1`` (:func:`price_version_problem`): an edited row, an earlier one put back and a deleted one
  (a released first price leaves a row with no price, ``present`` false) are seen at decision time.
  Rows bound before schema 7 (by ``set_by`` alone, :func:`price_problem`) are checked when adopted.
* a **budget row** (``gate_budgets``) is bound like a consent row, by ``budget`` entries derived from
  (campaign, seq): see :mod:`brandrail.gate.budgets`; a spend on a campaign whose row fails is denied.
* **counters** and **window events** are sums over the ledger's decisions and outcomes:
  :func:`check_side_tables` compares them (``GateStore.reconcile``); a decision does not.
* a **taint row** (``gate_taint``, a caller that read a flagged tool result, AG909) is bound like a budget
  row, by ``taint`` entries derived from (caller key, seq): see :mod:`brandrail.gate.taint`; a caller whose
  row fails counts as tainted.
* an **identifier link** (``gate_subjects``) carries a random ``binding``; its first characters name a
  ``link`` entry (:func:`link_entry_id`) whose payload lists :func:`link_digest` of (binding, keyed hash,
  pseudonym) for the links written together — the entry names neither, and the rest of the binding is in
  the row only, so after an erasure nothing ties the entry to the pseudonym. A send reads each link's entry
  in the statement that reads its rows (:func:`link_problem`); a link that fails leaves the recipient
  unknown (its grants do not count; the send counts as withdrawn and suppressed). A deleted link cannot be
  told from an erased one at decision time (that would need an entry found from the identifier, which an
  erasure must rule out): :func:`check_side_tables` counts the recorded links gone beyond what the
  erasures deleted (``bound_links_deleted``).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import unicodedata
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from brandrail.gate.store import tables as t

if TYPE_CHECKING:
    from brandrail.ledger import Checkpoint, Ledger, LedgerEntry, VerifyReport

__all__ = [
    "STATE_KINDS",
    "LedgerScan",
    "approval_problem",
    "check_side_tables",
    "decision_problem",
    "link_digest",
    "link_entry_id",
    "link_payload",
    "link_problem",
    "new_link_bindings",
    "price_entry_id",
    "price_entry_prefix",
    "price_payload",
    "price_problem",
    "price_record",
    "price_version_problem",
    "printable",
    "recorded_price",
    "request_record",
    "response_digest",
    "state_entry_id",
    "state_entry_sql",
    "state_payload",
    "state_problem",
    "verify_gate_ledger",
    "version_problem",
]


def response_digest(response: str) -> str:
    """sha256 of a decision row's stored response text."""
    return hashlib.sha256(response.encode("utf-8", "surrogatepass")).hexdigest()


def request_record(reasons_text: str, expires_at: str, claimed_agent: str | None = None) -> dict[str, str]:
    """What a decision entry records (as ``approval_request``) about the approval request it opens: the
    expiry and the sha256 of the stored reasons text, so neither can be changed in the row unseen, and a
    keyed reference to the agent the action names (``claimed_agent``), which the stored action shows masked
    when it is personal data (an e-mail address): who may not approve it is checked against that."""
    record = {"expires_at": expires_at, "reasons_sha256": response_digest(reasons_text)}
    if claimed_agent is not None:
        record["claimed_agent"] = claimed_agent
    return record


def _intact(entry: LedgerEntry | None) -> bool:
    return entry is not None and entry.computed_hash() == entry.hash


def decision_problem(row: dict[str, Any], entry: LedgerEntry | None) -> str | None:
    """Why a ``gate_decisions`` row does not match its ledger entry, or None when it does."""
    name = f"decision row {row['decision_id']}"
    if entry is None:
        return f"{name} has no ledger entry (inserted outside the gate)"
    if not _intact(entry) or entry.kind != "decision":
        return f"{name}: its ledger entry is not an intact decision entry"
    payload = entry.payload
    if not isinstance(payload, dict):
        return f"{name}: its ledger entry has no decision payload"
    if payload.get("outcome") != row["outcome"]:
        return f"{name}: outcome {row['outcome']!r} differs from the ledger's {payload.get('outcome')!r}"
    if payload.get("action_id") != row["action_id"]:
        return f"{name}: action id differs from the ledger's"
    expected = payload.get("response_sha256")
    if expected is not None and response_digest(str(row["response"])) != expected:
        return f"{name}: its stored response was edited"
    if expected is not None and row.get("ledger_hash") != entry.hash:
        return f"{name}: it does not carry the hash of its ledger entry"
    return None


def _same_time(text: Any, stamp: str) -> bool:
    """Whether a row's ISO time text is the instant of a ledger time (``...Z``)."""
    try:
        return t.parse_iso(str(text)) == t.parse_iso(stamp.replace("Z", "+00:00"))
    except ValueError:
        return False


def _request_problem(name: str, row: Any, entry: LedgerEntry | None) -> str | None:
    """Why the request an approval row shows (and is bound to) differs from the decision entry that opened
    it, or None when it does not."""
    if entry is None or not _intact(entry) or entry.kind != "decision":
        return f"{name} has no intact request in the ledger"
    payload = entry.payload
    if not isinstance(payload, dict) or payload.get("outcome") != "review":
        return f"{name}: its ledger entry is not a review decision"
    action = payload.get("action")
    principal = payload.get("principal")
    try:
        shown = json.loads(row.action)
        reasons_text = str(row.reasons)
    except (TypeError, ValueError):
        return f"{name}: its action is not the JSON the gate wrote"
    checks = {
        "approval id": (payload.get("approval_id"), row.id),
        "decision id": (entry.id, row.decision_id),
        "digest": (payload.get("digest"), row.digest),
        "policy version": (entry.policy_version, row.policy_version),
        "action id": (payload.get("action_id"), row.action_id),
        "action": (action, shown),
        "kind": (action.get("kind") if isinstance(action, dict) else None, row.kind),
        "agent": (principal.get("id") if isinstance(principal, dict) else None, row.agent),
    }
    for what, (recorded, stored) in checks.items():
        if recorded != stored:
            return f"{name}: its {what} differs from the request in the ledger"
    if not _same_time(row.created_at, entry.time):
        return f"{name}: its creation time differs from the request in the ledger"
    request = payload.get("approval_request")
    if request is None:
        return None  # written before requests recorded their expiry and reasons: nothing more to compare
    if not isinstance(request, dict) or not _same_time(row.expires_at, str(request.get("expires_at"))):
        return f"{name}: its expiry differs from the request in the ledger"
    if response_digest(reasons_text) != request.get("reasons_sha256"):
        return f"{name}: its reasons differ from the request in the ledger"
    return None


def approval_problem(ledger: Ledger, conn: Connection, row: Any) -> str | None:
    """Why a ``gate_approvals`` row does not match the ledger, or None when it does."""
    name = f"approval row {row.id}"
    status = row.status
    entry = ledger.get(row.ledger_entry, conn=conn) if row.ledger_entry else None
    if status == "pending":
        return _request_problem(f"{name} (pending)", row, entry)
    if status in ("approved", "rejected"):
        if entry is None or not _intact(entry) or entry.kind != "approval" or entry.hash != row.ledger_hash:
            return f"{name} ({status}) has no intact approval entry in the ledger"
        payload = entry.payload
        if not isinstance(payload, dict):
            return f"{name} ({status}) has no intact approval entry in the ledger"
        try:
            expires_at = t.parse_iso(row.expires_at).isoformat()
        except (TypeError, ValueError):
            return f"{name} ({status}): expires_at is not a time"
        expected = {
            "approval_id": row.id,
            "decision_id": row.decision_id,
            "status": status,
            "digest": row.digest,
            "reviewer": row.reviewer,
            "comment": row.comment,
            "expires_at": expires_at,
        }
        for key, value in expected.items():
            if payload.get(key) != value:
                return f"{name} ({status}): {key} differs from the ledger"
        if entry.policy_version != row.policy_version:
            return f"{name} ({status}): policy version differs from the ledger"
        if not _same_time(row.decided_at, entry.time):
            return f"{name} ({status}): decided_at differs from the ledger"
        problem = _request_problem(f"{name} ({status})", row, ledger.get(row.decision_id, conn=conn))
        if problem is not None:
            return problem
        if status == "approved":
            used = ledger.find_payload("decision", f'"approval_used":{json.dumps(row.id)}', conn=conn)
            if used is not None:
                return f"{name} says approved, but decision {used.id} already used it"
        return None
    if status == "used":
        # never usable again; what the history shows of it must still be what happened: the decision that
        # used it (its ``ledger_entry``) names it, and the request is the one its decision entry opened
        if entry is None or not _intact(entry) or entry.kind != "decision" or entry.id != row.used_by:
            return f"{name} (used) has no intact decision entry that used it"
        payload = entry.payload
        if not isinstance(payload, dict) or payload.get("approval_used") != row.id:
            return f"{name} (used): the decision it names did not use it"
        return _request_problem(f"{name} (used)", row, ledger.get(row.decision_id, conn=conn))
    return f"{name} has an unknown status {status!r}"


#: The bound state rows: ledger entry kind → (the row's key column, its flag column).
STATE_KINDS: dict[str, tuple[str, str]] = {
    "consent": ("recipient", "granted"),
    "suppression": ("value", "suppressed"),
}


def state_entry_id(kind: str, key: str, channel: str, seq: int) -> str:
    """The ledger entry id of version ``seq`` of a consent or suppression row (``kind``): built from the
    row's key so that the gate finds an entry — and the one after it — with primary-key reads, in the same
    statement that reads the rows (:func:`state_entry_sql` builds the same text in SQL). At most 64
    characters for the gate's pseudonyms (26), keyed hashes (the first 32 of their 48 hex digits), channel
    names (at most 20) and versions below 10⁸. An id that names two rows at once can only make a row look
    changed (the entry's payload must say the same as the row), never make one look right."""
    if kind == "consent":
        return f"c:{key}:{channel}:{seq}"
    return f"s:{key[:32]}:{channel}:{seq}"


def state_entry_sql(kind: str, key: str, channel: str, seq: str) -> str:
    """:func:`state_entry_id` as a SQL expression over the given column expressions (SQLite and
    PostgreSQL)."""
    head = f"'c:' || {key}" if kind == "consent" else f"'s:' || substr({key}, 1, 32)"
    return f"{head} || ':' || {channel} || ':' || CAST({seq} AS VARCHAR)"


def state_payload(
    kind: str, key: str, channel: str, value: bool, seq: int, *, adopted: bool = False
) -> dict[str, Any]:
    """The payload of a consent or suppression entry: the row's key, channel, flag and version."""
    column, flag = STATE_KINDS[kind]
    payload: dict[str, Any] = {"schema_version": 1, column: key, "channel": channel, flag: value, "seq": seq}
    if adopted:
        payload["adopted"] = True
    return payload


def state_problem(
    kind: str,
    key: str,
    channel: str,
    row: tuple[bool, int | None] | None,
    current: LedgerEntry | None,
    later: bool,
) -> str | None:
    """Why a consent or suppression row (``row``: its flag and ``seq``; None when there is none) is not what
    the ledger recorded, or None when it is. ``current`` is the entry of the row's ``seq`` and ``later``
    whether an entry of ``seq + 1`` exists (``seq`` 1 when there is no row)."""
    if row is None:
        return "was deleted (the ledger records it)" if later else None
    value, seq = row
    wanted = None if seq is None else state_payload(kind, key, channel, bool(value), seq)
    return version_problem(kind, seq, wanted, current, later)


def version_problem(
    kind: str, seq: int | None, wanted: dict[str, Any] | None, current: LedgerEntry | None, later: bool
) -> str | None:
    """Why a versioned row (consent, suppression, price) that exists is not what the ledger recorded, or
    None when it is: ``seq`` its version, ``wanted`` the payload its entry must carry (``adopted`` aside),
    ``current`` the entry of ``seq`` (``kind``) and ``later`` whether an entry of ``seq + 1`` exists."""
    if seq is None:
        return "was not written by the gate (it has no ledger entry)"
    if not _intact(current) or current is None or current.kind != kind:
        return "was not written by the gate (its ledger entry is missing or not intact)"
    payload = current.payload
    recorded = {k: v for k, v in payload.items() if k != "adopted"} if isinstance(payload, dict) else None
    if recorded != wanted:
        return "differs from its ledger entry"
    if later:
        return "is an older state (the ledger records a later change)"
    return None


#: The characters of a link's ``binding`` that name its ledger entry (the rest is known to the row only).
LINK_ID_CHARS = 24
#: :func:`link_entry_id` as a SQL expression over a ``gate_subjects`` row aliased ``s``.
LINK_ENTRY_SQL = f"'l:' || substr(s.binding, 1, {LINK_ID_CHARS})"


def new_link_bindings(count: int) -> list[str]:
    """``count`` bindings for links written together (and recorded by one ``link`` entry): a shared random
    prefix names the entry, a random tail per row is known to the row only."""
    head = secrets.token_hex(LINK_ID_CHARS // 2)
    return [head + secrets.token_hex(20) for _ in range(count)]


def link_entry_id(binding: str) -> str:
    """The id of the ``link`` entry that records a ``gate_subjects`` row with this ``binding``."""
    return "l:" + binding[:LINK_ID_CHARS]


def link_digest(binding: str, lookup: str, pseudonym: str) -> str:
    """What a ``link`` entry records of a link: sha256 over the row's whole binding, its keyed hash and its
    pseudonym. The entry names neither; the tail of the binding is in the row only, so once an erasure
    deletes the row nothing — not even the pseudonym key — ties the entry to the pseudonym."""
    return hashlib.sha256(
        f"{binding}\x00{lookup}\x00{pseudonym}".encode("utf-8", "surrogatepass")
    ).hexdigest()


def link_payload(digests: list[str], *, adopted: bool = False) -> dict[str, Any]:
    """The payload of a ``link`` entry: the digests (:func:`link_digest`) of the links written together."""
    payload: dict[str, Any] = {"schema_version": 1, "links": digests}
    if adopted:
        payload["adopted"] = True
    return payload


def link_problem(lookup: str, pseudonym: str, binding: str | None, entry: LedgerEntry | None) -> str | None:
    """Why an identifier's link to its pseudonym (a ``gate_subjects`` row) is not one the gate recorded —
    relinked to another pseudonym, inserted outside the gate, its binding copied from another row — or None
    when it is."""
    if binding is None:
        return "was not written by the gate (it has no ledger entry)"
    if entry is None or not _intact(entry) or entry.kind != "link" or entry.id != link_entry_id(binding):
        return "was not written by the gate (its ledger entry is missing or not intact)"
    payload = entry.payload
    links = payload.get("links") if isinstance(payload, dict) else None
    if not isinstance(links, list) or link_digest(binding, lookup, pseudonym) not in links:
        return "differs from its ledger entry (relinked to another pseudonym)"
    return None


def price_problem(row: Any, entry: LedgerEntry | None) -> str | None:
    """Why a ``gate_prices`` row as bound before store schema 7 (item, day, open_cents, price_cents, set_by)
    is not what the decision that set it recorded, or None when it is: checked when such a row is adopted
    (:func:`price_version_problem` checks the rows since)."""
    if row.set_by is None:
        return "was not set by a decision of the gate (it names none)"
    if (
        entry is None
        or not _intact(entry)
        or entry.kind not in ("decision", "price")
        or entry.id != row.set_by
    ):
        return "names no intact decision entry"
    wanted = price_record(str(row.item), str(row.day), int(row.open_cents), int(row.price_cents))
    payload = entry.payload
    if entry.kind == "price":  # a row adopted when prices began to be bound
        if not isinstance(payload, dict) or payload.get("price") != wanted:
            return "differs from the price recorded when it was adopted"
        return None
    reservations = payload.get("reservations") if isinstance(payload, dict) else None
    if not isinstance(reservations, list) or wanted not in reservations:
        return "differs from the price its decision set"
    return None


def price_record(item: str, day: str, open_cents: int, price_cents: int) -> dict[str, Any]:
    """How a decision entry records the price it set (one of its ``reservations``)."""
    return {"kind": "price", "key": item, "amount": price_cents, "day": day, "open": open_cents}


def price_entry_prefix(item: str) -> str:
    """The ids of an item's price versions without the version: ``p:`` and the first 32 hex digits of the
    sha256 of the item's name (any name, any length: at most 45 characters with versions below 10⁸). Two
    names with one prefix could only make a row look changed (the entry's payload names the item)."""
    return "p:" + hashlib.sha256(item.encode("utf-8", "surrogatepass")).hexdigest()[:32] + ":"


def price_entry_id(item: str, seq: int) -> str:
    """The ledger entry id of version ``seq`` of ``item``'s price row (a ``price`` entry): found — and the
    one after it — by primary-key reads in the statement that reads the row."""
    return f"{price_entry_prefix(item)}{seq}"


def price_payload(
    item: str,
    seq: int,
    price: tuple[str, int, int] | None,
    set_by: str | None,
    *,
    adopted: bool = False,
) -> dict[str, Any]:
    """The payload of version ``seq`` of ``item``'s price row: the price (:func:`price_record` of its day,
    opening and current price in cents) or None for a row that says the item has no price (a released
    first price), and the decision whose action set it (None for a price set outside a decision)."""
    payload: dict[str, Any] = {
        "schema_version": 2,
        "item": item,
        "seq": seq,
        "price": None if price is None else price_record(item, *price),
        "set_by": set_by,
    }
    if adopted:
        payload["adopted"] = True
    return payload


def recorded_price(
    entry: LedgerEntry | None, item: str
) -> tuple[tuple[str, int, int] | None, str | None] | None:
    """What a version entry of ``item``'s price row records — the price (day, opening, current price in
    cents; None: no price) and the decision that set it — or None when the entry is missing, not intact or
    not a version of ``item``."""
    if entry is None or not _intact(entry) or entry.kind != "price":
        return None
    payload = entry.payload
    if not isinstance(payload, dict) or payload.get("item") != item or "seq" not in payload:
        return None
    record, set_by = payload.get("price"), payload.get("set_by")
    if record is None:
        return None, None if set_by is None else str(set_by)
    if not isinstance(record, dict):
        return None
    try:
        price = (str(record["day"]), int(record["open"]), int(record["amount"]))
    except (KeyError, TypeError, ValueError):
        return None
    return price, None if set_by is None else str(set_by)


def price_version_problem(item: str, row: Any | None, current: LedgerEntry | None, later: bool) -> str | None:
    """Why ``item``'s price row (``row``: day, open_cents, price_cents, set_by, seq, present; None when
    there is none) is not the latest the ledger recorded, or None when it is. ``current`` is the entry of
    the row's ``seq`` and ``later`` whether an entry of ``seq + 1`` exists (``seq`` 1 when there is no
    row): an edited row differs, an earlier one put back is older, a deleted one is recorded."""
    if row is None:
        return "was deleted (the ledger records it)" if later else None
    seq = None if row.seq is None else int(row.seq)
    price = (str(row.day), int(row.open_cents), int(row.price_cents)) if row.present else None
    wanted = None if seq is None else price_payload(item, seq, price, row.set_by)
    return version_problem("price", seq, wanted, current, later)


def printable(text: str) -> str:
    """``text`` with control, format and surrogate characters written as escapes (``\\x1b``): a problem
    names rows whose text anyone with write access chose, and it is printed to a terminal or a page."""
    return "".join(
        ch.encode("unicode_escape").decode("ascii") if unicodedata.category(ch) in _HIDDEN else ch
        for ch in text
    )


_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Co"})


class LedgerScan:
    """Everything :func:`check_side_tables` needs from the ledger's history, gathered in one pass: the
    consent and suppression rows recorded, each item's last price, what counters and windows add up to,
    the links recorded and how many erasures deleted, the campaigns with a budget."""

    def __init__(self) -> None:
        from brandrail.gate.store import LedgerSums

        self.sums = LedgerSums()
        self.recorded: dict[str, set[tuple[str, str]]] = {kind: set() for kind in STATE_KINDS}
        #: item → (the entry that set its last price, that price), None once a release removed it
        self.last_price: dict[str, tuple[str, dict[str, Any]] | None] = {}
        self._before: dict[str, tuple[str, tuple[str, dict[str, Any]] | None]] = {}
        #: the items whose price rows are versioned (store schema 7): they have ``price`` entries with a ``seq``
        self.versioned_prices: set[str] = set()
        self.links: set[str] = set()
        self.links_erased = 0
        #: campaigns whose budget row the ledger records
        self.budgets: set[str] = set()
        #: caller keys whose taint row (AG909) the ledger records
        self.taints: set[str] = set()
        #: caller keys whose last ``taint`` entry records that their row was pruned (deleted by the gate)
        self.taints_pruned: set[str] = set()

    def add(self, entry: LedgerEntry) -> None:
        """Take one entry into account (entries in seq order; an edited one may not parse: skipped, the
        chain's walk names it)."""
        try:
            payload = entry.payload
        except (TypeError, ValueError):
            return
        if not isinstance(payload, dict):
            return
        kind = entry.kind
        self.sums.add(kind, payload)
        if kind in STATE_KINDS:
            column = STATE_KINDS[kind][0]
            if isinstance(payload.get(column), str):
                self.recorded[kind].add((payload[column], str(payload.get("channel"))))
        elif kind == "link" and isinstance(payload.get("links"), list):
            self.links.update(str(d) for d in payload["links"])
        elif kind == "budget" and isinstance(payload.get("campaign"), str):
            self.budgets.add(payload["campaign"])
        elif kind == "taint" and isinstance(payload.get("key"), str):
            self.taints.add(payload["key"])
            if payload.get("pruned") is True:
                self.taints_pruned.add(payload["key"])
            else:
                self.taints_pruned.discard(payload["key"])
        elif kind == "erasure":
            self.links_erased += int(payload.get("bound_links_deleted") or 0)
        elif kind == "price" and "seq" in payload:
            self.versioned_prices.add(str(payload.get("item")))
        elif kind == "price" and isinstance(payload.get("price"), dict):
            self.last_price[str(payload["price"].get("key"))] = (entry.id, payload["price"])
        elif kind == "decision":
            for res in payload.get("reservations") or []:
                if isinstance(res, dict) and res.get("kind") == "price" and "day" in res:
                    item = str(res.get("key"))
                    self._before[entry.id] = (item, self.last_price.get(item))
                    self.last_price[item] = (entry.id, res)
        elif kind == "outcome" and payload.get("released"):
            undone = self._before.get(str(payload.get("decision_id")))
            if undone is not None:
                self.last_price[undone[0]] = undone[1]


def check_side_tables(
    ledger: Ledger, engine: sa.Engine, scan: LedgerScan | None = None
) -> list[tuple[str, str]]:
    """Every decision, approval, consent, suppression, price, budget, taint and identifier-link row that does not match the
    ledger, every such row the ledger records that is gone, and every counter or window whose value is not
    what the ledger's decisions and outcomes add up to: ``(row id, problem)``, with control characters in
    either written as escapes. ``scan``: the ledger's history already gathered (``Ledger.verify(each=
    scan.add)`` — one walk for the chain and these checks); read here when None."""
    from brandrail.gate.store import GateStore
    from brandrail.ledger._store import lenient_text

    if scan is None:
        scan = LedgerScan()
        for scanned in ledger.entries():
            scan.add(scanned)
    problems: list[tuple[str, str]] = []
    # an edited row may hold text that is not UTF-8 (SQLite stores what it is given): read it, report it
    with engine.connect() as conn, lenient_text(conn, engine.dialect.name == "sqlite"):
        for row in conn.execute(sa.select(t.decisions)).mappings():
            entry = ledger.get(str(row["decision_id"]), conn=conn)
            problem = decision_problem(dict(row), entry)
            if problem is not None:
                problems.append((printable(str(row["decision_id"])), printable(problem)))
        for approval in conn.execute(sa.select(t.approvals)).all():
            problem = approval_problem(ledger, conn, approval)
            if problem is not None:
                problems.append((printable(str(approval.id)), printable(problem)))
        inspector = sa.inspect(conn)
        if "seq" in {c["name"] for c in inspector.get_columns("gate_consent")}:
            # a store at schema 4 or later (``ledger verify`` never migrates)
            problems += _state_table_problems(ledger, conn, scan)
            problems += _price_table_problems(ledger, conn, scan)
        if "binding" in {c["name"] for c in inspector.get_columns("gate_subjects")}:  # schema 5 or later
            problems += _link_table_problems(ledger, conn, scan)
        if inspector.has_table("gate_budgets"):  # schema 6 or later
            problems += _budget_table_problems(ledger, conn, scan)
        if inspector.has_table("gate_taint"):  # schema 8 or later
            problems += _taint_table_problems(ledger, conn, scan)
    problems += [
        (
            printable(m.key),
            f"stored {m.stored}, but the ledger's decisions and outcomes add up to {m.from_ledger}",
        )
        for m in GateStore(engine, ledger=ledger).reconcile(scan.sums)
    ]
    return problems


def verify_gate_ledger(
    ledger: Ledger, engine: sa.Engine, *, checkpoint: Checkpoint | None = None
) -> tuple[VerifyReport, list[tuple[str, str]]]:
    """The chain's :meth:`~brandrail.ledger.Ledger.verify` report and :func:`check_side_tables`, from one
    walk of the ledger."""
    scan = LedgerScan()
    report = ledger.verify(checkpoint=checkpoint, each=scan.add)
    return report, check_side_tables(ledger, engine, scan)


def _row_name(kind: str, key: str, channel: str) -> str:
    return printable(f"{kind} {key} on {channel}")


def _state_table_problems(ledger: Ledger, conn: Connection, scan: LedgerScan) -> list[tuple[str, str]]:
    """Consent and suppression rows against their entries, and the rows the ledger records that are gone
    (a consent row of a pseudonym no longer linked to anyone was erased, not deleted)."""
    problems: list[tuple[str, str]] = []
    linked = {str(p) for p in conn.execute(sa.select(t.subjects.c.pseudonym)).scalars()}
    for kind, table in (("consent", t.consent), ("suppression", t.suppression)):
        column, flag = STATE_KINDS[kind]
        seen: set[tuple[str, str]] = set()
        for key, channel, value, seq in conn.execute(
            sa.select(table.c[column], table.c.channel, table.c[flag], table.c.seq)
        ).all():
            key, channel = str(key), str(channel)
            seen.add((key, channel))
            current = ledger.get(state_entry_id(kind, key, channel, int(seq)), conn=conn) if seq else None
            later = ledger.get(state_entry_id(kind, key, channel, int(seq or 0) + 1), conn=conn) is not None
            problem = state_problem(kind, key, channel, (bool(value), seq), current, later)
            if problem is not None:
                problems.append((_row_name(kind, key, channel), f"the {kind} row {problem}"))
        for key, channel in sorted(scan.recorded[kind] - seen):
            if kind == "consent" and key not in linked:
                continue  # erased: the pseudonym's link and its consent rows were deleted together
            problems.append(
                (_row_name(kind, key, channel), f"the {kind} row was deleted (the ledger records it)")
            )
    return problems


def _price_table_problems(ledger: Ledger, conn: Connection, scan: LedgerScan) -> list[tuple[str, str]]:
    """Price rows against the entries of their versions (store schema 7; before it, against the entries
    that set them and the ledger's last price of each item), and the rows the ledger records that are
    gone."""
    if "seq" not in {c["name"] for c in sa.inspect(conn).get_columns("gate_prices")}:
        return _unversioned_price_problems(ledger, conn, scan)
    problems: list[tuple[str, str]] = []
    seen: set[str] = set()
    for row in conn.execute(sa.select(t.prices)).all():
        item = str(row.item)
        seen.add(item)
        seq = None if row.seq is None else int(row.seq)
        current = ledger.get(price_entry_id(item, seq), conn=conn) if seq is not None else None
        later = ledger.get(price_entry_id(item, (seq or 0) + 1), conn=conn) is not None
        problem = price_version_problem(item, row, current, later)
        if problem is not None:
            problems.append((printable(f"price of {item}"), printable(f"the price row {problem}")))
    # an item bound before schema 7 whose row was gone at the upgrade: its last price says it had one
    unversioned = {k for k, v in scan.last_price.items() if v is not None} - scan.versioned_prices
    for item in sorted((scan.versioned_prices | unversioned) - seen):
        problems.append((printable(f"price of {item}"), "the price row was deleted (the ledger records it)"))
    return problems


def _unversioned_price_problems(ledger: Ledger, conn: Connection, scan: LedgerScan) -> list[tuple[str, str]]:
    """Price rows of a store before schema 7 (``ledger verify`` never migrates) against the entries that
    set them, and against the ledger's last price of each item (an earlier price put back, a row
    deleted)."""
    last = scan.last_price
    problems: list[tuple[str, str]] = []
    seen: set[str] = set()
    for row in conn.execute(
        sa.select(
            t.prices.c.item, t.prices.c.day, t.prices.c.open_cents, t.prices.c.price_cents, t.prices.c.set_by
        )
    ).all():
        item = str(row.item)
        seen.add(item)
        setter = ledger.get(str(row.set_by), conn=conn) if row.set_by is not None else None
        problem = price_problem(row, setter)
        expected = last.get(item)
        if problem is None and (expected is None or expected[0] != row.set_by):
            problem = (
                "is not the price the ledger last set (an earlier one put back, or one not set by the gate)"
            )
        if problem is not None:
            problems.append((printable(f"price of {item}"), f"the price row {problem}"))
    for item in sorted(k for k, v in last.items() if v is not None and k not in seen):
        problems.append((printable(f"price of {item}"), "the price row was deleted (the ledger records it)"))
    return problems


def _budget_table_problems(ledger: Ledger, conn: Connection, scan: LedgerScan) -> list[tuple[str, str]]:
    """Campaign budget rows against their ``budget`` entries, and the rows the ledger records that are
    gone."""
    from brandrail.gate.budgets import Budget, budget_entry_id, budget_problem

    problems: list[tuple[str, str]] = []
    seen: set[str] = set()
    for row in conn.execute(sa.select(t.budgets)).all():
        key = str(row.campaign)
        seen.add(key)
        found = Budget(str(row.period), row.amount_cents, row.set_by, int(row.seq))
        current = ledger.get(budget_entry_id(key, found.seq), conn=conn)
        later = ledger.get(budget_entry_id(key, found.seq + 1), conn=conn) is not None
        problem = budget_problem(key, found, current, later)
        if problem is not None:
            problems.append((printable(f"budget of {key}"), f"the budget row {problem}"))
    for key in sorted(scan.budgets - seen):
        problems.append((printable(f"budget of {key}"), "the budget row was deleted (the ledger records it)"))
    return problems


def _taint_table_problems(ledger: Ledger, conn: Connection, scan: LedgerScan) -> list[tuple[str, str]]:
    """Tool-result taint rows (AG909) against their ``taint`` entries, and the rows the ledger records that
    are gone (a deleted row would lift a taint)."""
    from brandrail.gate.taint import taint_entry_id, taint_problem

    problems: list[tuple[str, str]] = []
    seen: set[str] = set()
    for row in conn.execute(sa.select(t.taint)).all():
        key = str(row.key)
        seen.add(key)
        seq = int(row.seq)
        current = ledger.get(taint_entry_id(key, seq), conn=conn)
        later = ledger.get(taint_entry_id(key, seq + 1), conn=conn) is not None
        problem = taint_problem(key, (str(row.until), str(row.by), seq), current, later)
        if problem is not None:
            problems.append((printable(f"taint of {key}"), f"the taint row {problem}"))
    for key in sorted(scan.taints - seen - scan.taints_pruned):  # a pruned row is gone as its entry says
        problems.append((printable(f"taint of {key}"), "the taint row was deleted (the ledger records it)"))
    return problems


def _link_table_problems(ledger: Ledger, conn: Connection, scan: LedgerScan) -> list[tuple[str, str]]:
    """Identifier links against their ``link`` entries, and the number of recorded links gone beyond what
    erasures deleted (an erasure names no one, so a deleted link is counted, not named)."""
    problems: list[tuple[str, str]] = []
    live: set[str] = set()
    for lookup, pseudonym, binding in conn.execute(
        sa.select(t.subjects.c.lookup, t.subjects.c.pseudonym, t.subjects.c.binding).order_by(
            t.subjects.c.lookup
        )
    ).all():
        lookup, pseudonym = str(lookup), str(pseudonym)
        entry = ledger.get(link_entry_id(str(binding)), conn=conn) if binding is not None else None
        problem = link_problem(lookup, pseudonym, binding, entry)
        if problem is None:
            live.add(link_digest(str(binding), lookup, pseudonym))
        else:
            problems.append((printable(f"link of {lookup}"), printable(f"the identifier link {problem}")))
    gone = len(scan.links - live) - scan.links_erased
    if gone > 0:
        problems.append(
            (
                "identifier links",
                f"{gone} link(s) from an identifier to its pseudonym recorded in the ledger are gone, beyond "
                "those erasures deleted (deleted or relinked outside the gate)",
            )
        )
    return problems
