"""Tool-result taint (AG909) in the gate's store: which callers read a flagged tool result, and until when.

The MCP gateway, ``brandrail proxy`` and ``guard_openai`` hold a caller's consequential calls for
``integrations.results.taint_for`` after it read a flagged result (:class:`brandrail.integrations.common.
ResultTaint`). The taint is kept here, in ``gate_taint`` — the store the gate uses (SQLite, or PostgreSQL
shared by several processes) — so that it survives a restart and every gateway and proxy process on the
store sees it. A row is keyed by one of the caller's keys: a keyed digest of its credential (``key:…``), of
its session within that credential (``session:…``), or ``anonymous``; never the credential itself.

The row is bound to the ledger like a budget row (:mod:`brandrail.gate.budgets`): every write adds one to its
``seq`` and appends a ``taint`` entry whose id is derived from (key, seq) (:func:`taint_entry_id`) and whose
payload is the row (:func:`taint_payload`). A check reads each key's row, the entry of its ``seq`` and
whether the entry of ``seq + 1`` exists in one statement (:func:`read_taints`); a row that differs from its
entry (an earlier ``until``), is an older version, or was deleted (the entry of version 1 exists but no row
does) is not believed, and the caller counts as tainted (fail closed): a database writer cannot lift a taint
unseen. A taint is never shortened: a write keeps the later of the row's ``until`` and the new one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Connection

from brandrail.gate.store import execute
from brandrail.gate.store import tables as t

if TYPE_CHECKING:
    from brandrail.gate.store import GateStore
    from brandrail.ledger import LedgerEntry

__all__ = [
    "TAINT_KIND",
    "TaintRow",
    "read_taints",
    "taint_entry_id",
    "taint_payload",
    "taint_problem",
    "write_taint",
]

#: The ledger entry kind that records a taint row.
TAINT_KIND = "taint"
#: Longest caller key kept (``session:`` and 32 hex digits is 40; the entry id stays within 64 characters).
MAX_KEY = 48


@dataclass(frozen=True, slots=True)
class TaintRow:
    """A caller key's taint row as read: until when (``until``), by what (``by``), its version ``seq``, and
    ``problem``: why it does not match the ledger (None when it does)."""

    key: str
    until: datetime | None
    by: dict[str, Any] = field(default_factory=dict)
    seq: int = 0
    problem: str | None = None


def taint_entry_id(key: str, seq: int) -> str:
    """The ledger entry id of version ``seq`` of ``key``'s taint row (at most 60 characters for a key of :data:`MAX_KEY`)."""
    return f"t:{key}:{seq}"


def taint_payload(key: str, until: str, by: dict[str, Any], seq: int) -> dict[str, Any]:
    """The payload of a ``taint`` entry: the row it records (``until`` as the row's ISO text)."""
    return {"schema_version": 1, "key": key, "until": until, "by": by, "seq": seq}


def taint_problem(
    key: str, row: tuple[str, str, int] | None, current: LedgerEntry | None, later: bool
) -> str | None:
    """Why a taint row (``row``: its until text, by text and seq; None: there is none) is not what the ledger
    recorded, or None when it is. ``current`` is the entry of the row's ``seq``; ``later`` whether the entry
    of ``seq + 1`` exists (of ``seq`` 1 when there is no row)."""
    if row is None:
        return "was deleted (the ledger records it)" if later else None
    until, by_text, seq = row
    if current is None or current.computed_hash() != current.hash or current.kind != TAINT_KIND:
        return "was not written by the gate (its ledger entry is missing or not intact)"
    try:
        by = json.loads(by_text)
    except ValueError:
        return "differs from its ledger entry"
    if current.payload != taint_payload(key, until, by, seq):
        return "differs from its ledger entry"
    if later:
        return "is an older version (the ledger records a later change)"
    return None


def _select(store: GateStore, n: int) -> str:
    ledger = store._ledger_table
    entry = "e.seq, e.id, e.time, e.kind, e.payload, e.policy_version, e.prev_hash, e.hash"
    parts = [
        f"SELECT {i} AS i, r.until, r.by, r.seq, {entry}, x.id "
        f"FROM (SELECT 1 AS one) AS o "
        f"LEFT JOIN gate_taint AS r ON r.key = :k{i} "
        f"LEFT JOIN {ledger} AS e ON e.id = CAST(:h{i} AS VARCHAR) || CAST(r.seq AS VARCHAR) "
        f"LEFT JOIN {ledger} AS x ON x.id = CAST(:h{i} AS VARCHAR) || CAST(coalesce(r.seq, 0) + 1 AS VARCHAR)"
        for i in range(n)
    ]
    return " UNION ALL ".join(parts)


def _prefix(key: str) -> str:
    return taint_entry_id(key, 0)[:-1]


def read_taints(store: GateStore, conn: Connection, keys: Sequence[str]) -> list[TaintRow]:
    """The taint rows of ``keys`` checked against the ledger, in one statement: one per key that has a row or
    whose row the ledger records (a deleted row: ``problem`` set, ``until`` None)."""
    from brandrail.ledger import LedgerEntry

    if not keys:
        return []
    params: dict[str, Any] = {}
    for i, key in enumerate(keys):
        params[f"k{i}"] = key
        params[f"h{i}"] = _prefix(key)
    out: list[TaintRow] = []
    for row in execute(conn, _select(store, len(keys)), params).fetchall():
        key = keys[int(row[0])]
        later = row[12] is not None
        if row[3] is None:
            problem = taint_problem(key, None, None, later)
            if problem is not None:
                out.append(TaintRow(key, None, {}, 0, problem))
            continue
        until_text, by_text, seq = str(row[1]), str(row[2]), int(row[3])
        current = LedgerEntry(*row[4:12]) if row[5] is not None else None
        problem = taint_problem(key, (until_text, by_text, seq), current, later)
        try:
            until: datetime | None = t.parse_iso(until_text)
            by = json.loads(by_text)
        except ValueError:
            until, by = None, {}
            problem = problem or "differs from its ledger entry"
        out.append(TaintRow(key, until, by if isinstance(by, dict) else {}, seq, problem))
    return out


def _next_seq(store: GateStore, conn: Connection, key: str, start: int) -> int:
    """The first version of ``key`` from ``start`` on with no ledger entry (a row deleted or put back leaves
    entries past the row's version)."""
    seq = start
    while store.ledger.get(taint_entry_id(key, seq), conn=conn) is not None:
        seq += 1
    return seq


def write_taint(
    store: GateStore, conn: Connection, key: str, until: datetime, by: dict[str, Any], *, slack: float = 0.0
) -> TaintRow | None:
    """Taint ``key`` until ``until`` (or the row's later ``until``), by ``by``, in the caller's transaction:
    the row's next version and its ``taint`` entry. None when the row (as the ledger vouches for it) already
    reaches ``until`` within ``slack`` seconds, so nothing was written."""
    if len(key) > MAX_KEY:
        raise ValueError(f"a taint key is at most {MAX_KEY} characters")
    store.lock(conn, f"taint:{key}")
    found = read_taints(store, conn, [key])
    row = found[0] if found else None
    if (
        row is not None
        and row.problem is None
        and row.until is not None
        and (until - row.until).total_seconds() <= slack
    ):
        return None
    start = (row.seq if row is not None and row.problem is None else 0) + 1
    seq = _next_seq(store, conn, key, start) if row is None or row.problem is not None else start
    if row is not None and row.problem is None and row.until is not None and row.until > until:
        until = row.until  # a taint is never shortened
    until_text = t.iso(until)
    by_text = json.dumps(by, sort_keys=True, default=str)
    values = {"key": key, "until": until_text, "by": by_text, "seq": seq}
    table = t.taint
    if store.dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        stmt: Any = pg_insert(table).values(**values)
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        stmt = sqlite_insert(table).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=["key"], set_={"until": until_text, "by": by_text, "seq": seq}
    )
    conn.execute(stmt)
    stored_by = json.loads(by_text)
    store.ledger.append(
        conn,
        kind=TAINT_KIND,
        payload=taint_payload(key, until_text, stored_by, seq),
        policy_version="",
        entry_id=taint_entry_id(key, seq),
    )
    return TaintRow(key, t.parse_iso(until_text), stored_by, seq)
