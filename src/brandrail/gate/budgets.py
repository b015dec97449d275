"""Campaign budgets: an allowed ``set_budget`` caps the campaign's spends for its period (AG107).

A ``set_budget`` the gate allows writes the campaign's row in ``gate_budgets`` (period, amount, the decision
that set it) in the decision's transaction. A spend then reserves on the counter of the budget's period
(``spend:budget:<campaign>:<period>:<bucket>``, bucket as ``budget.agent_period`` counts: UTC day, ISO week,
month, or ``total``) with the budget as its cap, on the same one-statement path as every counter: the cap is
read before the reservation, the reservation is the counters' atomic check-and-add.

The row is gate state, so it is bound to the ledger like a consent row: every write adds one to the row's
``seq`` and appends a ``budget`` entry whose id is derived from (campaign, seq) (:func:`budget_entry_id`) and
whose payload is the row (:func:`budget_payload`). A spend reads the row, its entry and whether the next
version's entry exists in one statement; a row that differs from its entry, is an older version, or was
deleted (the entry of version 1 exists but no row does) is not believed, and the spend is denied (fail
closed): a database writer cannot raise or drop a budget unseen.

A ``set_budget`` whose executor reports it not executed gives its budget back: the row returns to the version
before it as the ledger records it (a new version), unless a later ``set_budget`` has replaced it since.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Connection

from brandrail.errors import GateError
from brandrail.findings import Finding
from brandrail.gate import codes as c
from brandrail.gate.rules import BudgetLookup, BudgetPlan, CounterPlan, period_bucket
from brandrail.gate.store import execute
from brandrail.gate.store import tables as t

if TYPE_CHECKING:
    from brandrail.gate.store import GateStore
    from brandrail.ledger import LedgerEntry

__all__ = [
    "Budget",
    "BudgetRead",
    "budget_entry_id",
    "budget_finding",
    "budget_from_row",
    "budget_payload",
    "budget_problem",
    "read_budget",
    "read_budget_row",
    "read_budget_state",
    "restore_budget",
    "spend_budget",
    "write_budget",
]


@dataclass(frozen=True, slots=True)
class Budget:
    """A campaign's budget row as read: ``amount`` in cents (None: no budget), ``set_by`` the decision that
    set it, ``seq`` its version, ``problem`` why it does not match the ledger (None when it does)."""

    period: str
    amount: int | None
    set_by: str | None
    seq: int
    problem: str | None = None


def _id_prefix(key: str) -> str:
    return f"b:{hashlib.sha256(key.encode()).hexdigest()[:32]}:"


def budget_entry_id(key: str, seq: int) -> str:
    """The ledger entry id of version ``seq`` of campaign ``key``'s budget row (at most 45 characters
    whatever the campaign's name)."""
    return f"{_id_prefix(key)}{seq}"


def budget_payload(key: str, period: str, amount: int | None, set_by: str, seq: int) -> dict[str, Any]:
    """The payload of a ``budget`` entry: the row it records."""
    return {
        "schema_version": 1,
        "campaign": key,
        "period": period,
        "amount": amount,
        "set_by": set_by,
        "seq": seq,
    }


def budget_problem(key: str, row: Budget | None, current: LedgerEntry | None, later: bool) -> str | None:
    """Why a budget row (None: there is none) is not what the ledger recorded, or None when it is.
    ``current`` is the entry of the row's ``seq``; ``later`` whether the entry of ``seq + 1`` exists (of
    ``seq`` 1 when there is no row)."""
    if row is None:
        return "was deleted (the ledger records it)" if later else None
    if current is None or current.computed_hash() != current.hash or current.kind != "budget":
        return "was not written by the gate (its ledger entry is missing or not intact)"
    if row.set_by is None or current.payload != budget_payload(
        key, row.period, row.amount, row.set_by, row.seq
    ):
        return "differs from its ledger entry"
    if later:
        return "is an older version (the ledger records a later change)"
    return None


def _select(store: GateStore) -> str:
    ledger = store._ledger_table
    entry = "e.seq, e.id, e.time, e.kind, e.payload, e.policy_version, e.prev_hash, e.hash"
    return (
        f"SELECT b.period, b.amount_cents, b.set_by, b.seq, {entry}, n.id "
        "FROM (SELECT 1 AS one) AS x "
        "LEFT JOIN gate_budgets AS b ON b.campaign = :k "
        f"LEFT JOIN {ledger} AS e ON e.id = CAST(:h AS VARCHAR) || CAST(b.seq AS VARCHAR) "
        f"LEFT JOIN {ledger} AS n ON n.id = CAST(:h AS VARCHAR) || CAST(coalesce(b.seq, 0) + 1 AS VARCHAR)"
    )


def read_budget_row(store: GateStore, conn: Connection, key: str) -> tuple[Any, ...]:
    """Campaign ``key``'s budget row, its entry and whether the next version's entry exists, as the one
    statement reads them (:func:`budget_from_row` checks them against each other)."""
    return tuple(execute(conn, _select(store), {"k": key, "h": _id_prefix(key)}).fetchone())


def budget_from_row(key: str, row: tuple[Any, ...]) -> Budget | None:
    """The budget a row of :func:`read_budget_row` holds, checked against the ledger (``problem``); None
    when the campaign has none and the ledger records none."""
    from brandrail.ledger import LedgerEntry

    later = row[12] is not None
    if row[3] is None:
        problem = budget_problem(key, None, None, later)
        return None if problem is None else Budget("day", None, None, 0, problem)
    found = Budget(
        str(row[0]),
        None if row[1] is None else int(row[1]),
        None if row[2] is None else str(row[2]),
        int(row[3]),
    )
    current = LedgerEntry(*row[4:12]) if row[5] is not None else None
    problem = budget_problem(key, found, current, later)
    return found if problem is None else Budget(found.period, found.amount, found.set_by, found.seq, problem)


def read_budget(store: GateStore, conn: Connection, key: str) -> Budget | None:
    """Campaign ``key``'s budget row checked against the ledger, in one statement; None when the campaign
    has none and the ledger records none."""
    return budget_from_row(key, read_budget_row(store, conn, key))


@dataclass(frozen=True, slots=True)
class BudgetRead:
    """A campaign's budget as a spend read it: ``budget`` (:func:`budget_from_row`) and the row it was
    read from as text (``state``, None for SQL NULL). PostgreSQL's one-statement spend
    (``gate_decide_fast``) reads the row again under the ledger's lock and writes nothing unless it is
    still exactly ``state`` — so what the spend was decided on is what the store holds when it is written,
    checked in Python by the same :func:`budget_problem` as any read."""

    key: str
    budget: Budget | None
    state: tuple[str | None, ...]

    @property
    def prefix(self) -> str:
        """The ids of the campaign's ``budget`` entries begin with this."""
        return _id_prefix(self.key)


def read_budget_state(store: GateStore, conn: Connection, key: str) -> BudgetRead:
    """Campaign ``key``'s budget with the row it was read from (:class:`BudgetRead`)."""
    row = read_budget_row(store, conn, key)
    return BudgetRead(key, budget_from_row(key, row), tuple(None if v is None else str(v) for v in row))


def write_budget(
    store: GateStore, conn: Connection, key: str, period: str, amount: int | None, set_by: str
) -> int:
    """Write campaign ``key``'s budget row (a new version) and its ``budget`` entry in the caller's
    transaction; returns the new ``seq``."""
    table = t.budgets
    values = {"campaign": key, "period": period, "amount_cents": amount, "set_by": set_by, "seq": 1}
    if store.dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        stmt: Any = pg_insert(table).values(**values)
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        stmt = sqlite_insert(table).values(**values)
    update: dict[str, Any] = {"period": period, "amount_cents": amount, "set_by": set_by}
    update["seq"] = table.c.seq + 1
    stmt = stmt.on_conflict_do_update(index_elements=["campaign"], set_=update).returning(table.c.seq)
    seq = int(conn.execute(stmt).scalar_one())
    store.ledger.append(
        conn,
        kind="budget",
        payload=budget_payload(key, period, amount, set_by, seq),
        policy_version="",
        entry_id=budget_entry_id(key, seq),
    )
    return seq


def set_campaign_budget(
    store: GateStore, conn: Connection, plan: BudgetPlan, decision_id: str
) -> tuple[dict[str, Any], int]:
    """An allowed set_budget: write the budget; returns its reservation row and the version written (the
    decision's ledger entry records it: a release restores the version before it, :func:`restore_budget`,
    so the row keeps no undo)."""
    store.lock(conn, f"budget:{plan.key}")
    seq = write_budget(store, conn, plan.key, plan.period, plan.amount, decision_id)
    return {"d": decision_id, "kind": "budget", "k": plan.key, "n": plan.amount, "undo": None}, seq


def restore_budget(
    store: GateStore, conn: Connection, key: str, decision_id: str, recorded: dict[str, Any] | None
) -> None:
    """Give back the budget decision ``decision_id`` set (its executor reports it not executed), unless a
    later set_budget has replaced it: the version before the one the decision wrote (``recorded``: the
    budget reservation its ledger entry holds, with that version's ``seq``), as the ledger records it —
    never an undo kept in an editable row. A row the ledger does not vouch for is left as it is (spends stay
    denied); a version that cannot be read from an intact entry refuses the release (:class:`GateError`)."""
    store.lock(conn, f"budget:{key}")
    current = read_budget(store, conn, key)
    if current is None or current.problem is not None or current.set_by != decision_id:
        return
    written = recorded.get("seq") if recorded is not None else None
    if not isinstance(written, int) or written < 1:
        raise GateError(
            f"the ledger entry of decision {decision_id} does not record the budget version it wrote",
            hint="run `brandrail ledger verify`; the budget stays as the decision set it",
        )
    if written == 1:
        write_budget(store, conn, key, "day", None, decision_id)  # no budget, as before
        return
    before = store.ledger.get(budget_entry_id(key, written - 1), conn=conn)
    payload = before.payload if before is not None else None
    if (
        before is None
        or before.kind != "budget"
        or before.computed_hash() != before.hash
        or not isinstance(payload, dict)
        or payload.get("campaign") != key
    ):
        raise GateError(
            f"the ledger entry of the budget before decision {decision_id} is missing or not intact",
            hint="run `brandrail ledger verify`; the budget stays as the decision set it",
        )
    amount = payload.get("amount")
    write_budget(
        store,
        conn,
        key,
        str(payload.get("period")),
        None if amount is None else int(amount),
        str(payload.get("set_by")),
    )


def spend_budget(store: GateStore, conn: Connection, lookup: BudgetLookup) -> CounterPlan | Finding | None:
    """What a spend meets: the counter plan of its campaign's budget, a deny (AG107 for a budget row the
    ledger does not vouch for, AG108 for no budget when the policy requires one), or None (no budget)."""
    return budget_finding(lookup, read_budget(store, conn, lookup.key))


def budget_finding(lookup: BudgetLookup, budget: Budget | None) -> CounterPlan | Finding | None:
    """What a spend meets given its campaign's budget as read (:func:`read_budget`): see
    :func:`spend_budget`."""
    if budget is not None and budget.problem is not None:
        return c.CampaignBudgetExceeded.finding(
            f"the budget record of campaign {lookup.campaign!r} {budget.problem}: its budget is not known, "
            "so the spend cannot be checked against it",
            evidence={"campaign": lookup.campaign, "store_problem": budget.problem, "set_by": budget.set_by},
        )
    if budget is None or budget.amount is None:
        if not lookup.required:
            return None
        return c.CampaignBudgetNotSet.finding(
            f"campaign {lookup.campaign!r} has no budget; the policy asks for one before any spend "
            "(budget.require_campaign_budget): set_budget first",
            evidence={"campaign": lookup.campaign, "threshold": "budget.require_campaign_budget"},
        )
    bucket = period_bucket(budget.period, lookup.now)
    return CounterPlan(
        f"spend:budget:{lookup.key}:{budget.period}:{bucket}",
        lookup.amount,
        budget.amount,
        c.CampaignBudgetExceeded,
        f"campaign {lookup.campaign!r} budget per {budget.period} (set by decision {budget.set_by})",
        evidence={
            "campaign": lookup.campaign,
            "budget": f"{budget.amount / 100:.2f}",
            "period": budget.period,
            "bucket": bucket,
            "set_by": budget.set_by,
            "ledger_entry": budget_entry_id(lookup.key, budget.seq),
        },
    )
