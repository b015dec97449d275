"""The gate's state store: counters, rolling-window events, reservations, prices, consent, approvals.

One SQLAlchemy engine (SQLite file by default, or PostgreSQL shared by several gate processes) holds the
gate's tables and the ledger. Every decision runs in one writer transaction opened by
:meth:`brandrail.ledger.Ledger.begin`, so its state changes and its ledger entry commit together or not
at all. Caps are enforced without read-then-check races:

* budget counters use a conditional ``UPDATE … SET value = value + :n WHERE key = :k AND value + :n <= :cap``
  (a row lock on PostgreSQL; the database write lock on SQLite);
* rolling-window caps take a per-key lock (``pg_advisory_xact_lock``; SQLite's write lock) before they
  count the window and insert the new event.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from brandrail.errors import GateError
from brandrail.gate.store import tables as t
from brandrail.gate.store.migrations import (
    ADOPT_LINKS,
    ADOPT_PRICES,
    ADOPT_STATE,
    LOCK_KEY_VERSION,
    ON_UPGRADE,
    SCHEMA_VERSION,
    migrate,
)
from brandrail.ledger._store import (
    SQL_LOCK_WAIT,
    bound_transaction,
    deadline_settings,
    install_pg_function,
    lock_wait_ms,
)

if TYPE_CHECKING:
    from brandrail.gate.budgets import BudgetRead
    from brandrail.gate.pseudonyms import PseudonymKeys
    from brandrail.ledger import Ledger, LedgerEntry, PreparedEntry

__all__ = [
    "FastResult",
    "GateStore",
    "LedgerSums",
    "Mismatch",
    "PriceState",
    "execute",
    "schema_lock_key",
    "t",
]


def _lock_key(key: str) -> int:
    """The advisory-lock key of releases before store schema 10: the key's name alone, the same in every
    schema of the database (kept for the migration lock and for stores not yet upgraded)."""
    digest = hashlib.sha256(f"brandrail.gate:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def schema_lock_key(schema: str, key: str) -> int:
    """The advisory-lock key of ``key`` for the gate store whose tables are in ``schema``:
    ``sha256("brandrail.gate:<len>:<schema>:<key>")``, first 8 bytes, signed (the length keeps a schema
    with a colon in its name from reading as another schema and key)."""
    digest = hashlib.sha256(f"brandrail.gate:{len(schema)}:{schema}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


#: PostgreSQL: the schema the server resolves the gate's tables to (the search_path's first schema before
#: they exist) and whether the store records the schema-keyed locks (:data:`LOCK_KEY_VERSION`).
_SQL_LOCK_STATE = (
    "SELECT coalesce((SELECT n.nspname FROM pg_catalog.pg_class AS c JOIN pg_catalog.pg_namespace AS n "
    "ON n.oid = c.relnamespace WHERE c.oid = to_regclass('gate_schema_migrations')), current_schema()), "
    "to_regclass('gate_schema_migrations') IS NOT NULL"
)


#: Hot-path statements as plain SQL (``:name`` parameters), run with ``exec_driver_sql`` so a decision
#: does not pay for SQL compilation; the same text works on SQLite and PostgreSQL.
_SQL = {
    "lock": "SELECT pg_advisory_xact_lock(:k)",
    # a key and then another (the key of earlier releases, then the schema's), in one round trip
    "lock2": "SELECT pg_advisory_xact_lock(:k0), pg_advisory_xact_lock(:k1)",
    "claim": "INSERT INTO gate_actions (action_id, digest) VALUES (:a, :d) ON CONFLICT (action_id) DO NOTHING",
    "reserve": (
        "INSERT INTO gate_counters (key, value) VALUES (:k, :n) ON CONFLICT (key) DO UPDATE "
        "SET value = gate_counters.value + excluded.value "
        "WHERE gate_counters.value + excluded.value <= :cap RETURNING value"
    ),
    "counter": "SELECT value FROM gate_counters WHERE key = :k",
    "window": "SELECT at FROM gate_events WHERE key = :k AND at > :lo AND at < :hi ORDER BY at",
    "event": "INSERT INTO gate_events (key, at, decision_id) VALUES (:k, :at, :d)",
    # count the window and insert the event in one statement (after the key's lock is held)
    "add_event": (
        "INSERT INTO gate_events (key, at, decision_id) "
        "SELECT CAST(:k AS VARCHAR), CAST(:at AS VARCHAR), CAST(:d AS VARCHAR) "
        "WHERE (SELECT count(*) FROM gate_events WHERE key = :k AND at > :lo AND at < :hi) < :cap"
    ),
    # an event weighing :n, unless the window's sum plus :n passes :cap (after the key's lock is held)
    "add_amount": (
        "INSERT INTO gate_events (key, at, decision_id, amount) "
        "SELECT CAST(:k AS VARCHAR), CAST(:at AS VARCHAR), CAST(:d AS VARCHAR), CAST(:n AS BIGINT) "
        "WHERE (SELECT coalesce(sum(amount), 0) FROM gate_events WHERE key = :k AND at > :lo AND at < :hi) "
        "+ :n <= :cap"
    ),
    "window_amounts": "SELECT at, amount FROM gate_events WHERE key = :k AND at > :lo AND at < :hi ORDER BY at",
    "reservation": (
        "INSERT INTO gate_reservations (decision_id, kind, key, amount, undo) VALUES (:d, :kind, :k, :n, :undo)"
    ),
    "decision": (
        "INSERT INTO gate_decisions (decision_id, action_id, outcome, status, created_at, response) "
        "VALUES (:d, :a, :o, :s, :t, :r)"
    ),
    "index": "UPDATE gate_actions SET decision_id = :d, outcome = :o WHERE action_id = :a",
}


def _pyformat(sql: str) -> str:
    return re.sub(r"(?<![:\w]):(\w+)", r"%(\1)s", sql)


def _driver(conn: Connection) -> Any:
    """The DB-API connection (sqlite3 or psycopg) under a SQLAlchemy connection: the hot path runs its
    statements there, skipping SQLAlchemy's per-statement overhead. Same transaction, same connection."""
    return conn.connection.driver_connection


@lru_cache(maxsize=256)
def _paramstyle(sql: str, dialect: str) -> str:
    return _pyformat(sql) if dialect == "postgresql" else sql


def execute(conn: Connection, sql: str, params: dict[str, Any] | None = None) -> Any:
    """Run ``sql`` (``:name`` parameters, the same text on SQLite and PostgreSQL) on the driver connection
    of ``conn``; returns the DB-API cursor. For hot-path statements outside :data:`_SQL`."""
    return _driver(conn).execute(_paramstyle(sql, conn.dialect.name), params or {})


_DECISION_COLUMNS = "decision_id, action_id, outcome, status, created_at, response"
#: The decision row, written after its ledger entry (``entry`` is the appended entry: its hash is kept).
_DECISION_AFTER_PG = (
    f"INSERT INTO gate_decisions ({_DECISION_COLUMNS}, ledger_hash) "
    "SELECT %(g_d)s, %(g_a)s, %(g_o)s, %(g_s)s, %(g_t)s, %(g_r)s, o_hash FROM entry"
)
_DECISION_AFTER_SQLITE = (
    f"INSERT INTO gate_decisions ({_DECISION_COLUMNS}, ledger_hash) "
    "SELECT :g_d, :g_a, :g_o, :g_s, :g_t, :g_r, o_hash FROM entry"
)
_RESERVATION_COLUMNS = "decision_id, kind, key, amount, undo"


#: PostgreSQL: a decision whose only state is budget counters (a spend, a pause, a stateless deny), written
#: by the database in ONE statement run in autocommit — no client round trip and no Python work while a lock
#: is held. Everything else was built by the caller before the call: the decision row, the canonical ledger
#: payload and the hash input around ``prev_hash``/``seq`` (``p_check`` is the sha256 of ``p_head || p_tail``
#: as the caller computed it: a text that arrived changed is refused before anything is written).
#:
#: Order: the action id's claim and the reservation rows first (no lock anyone else waits on), then the
#: ledger's advisory lock, then the counter rows, the ledger entry and the decision row, then the commit. So
#: on one hot counter the serialised part is the same as on many counters — the ledger's lock, held for the
#: database's own work only. The gate's writer transactions take the ledger's lock before counter rows too
#: (``Gate._reserve``, ``Gate.report_outcome``); all the same, this statement never waits for a row while
#: it holds the ledger's lock — a writer that locks a counter row first (hand-written SQL, an older gate
#: during an upgrade) could otherwise deadlock with it: it takes each counter row with ``FOR UPDATE SKIP
#: LOCKED`` and gives up (status 3) when a row is locked or does not exist yet (the first spend on a new
#: key); the caller then decides in a transaction. Nothing else it writes can conflict (new primary keys;
#: the claim was taken before the ledger's lock).
#:
#: A spend's campaign budget (:mod:`brandrail.gate.budgets`) is read here too, so a spend is one round trip:
#: ``p_bkey`` (the campaign's key; NULL: no budget to read), ``p_bprefix`` (the id prefix of its ``budget``
#: entries) and ``p_bstate``, the budget read the caller decided on — the row, the entry of its version and
#: the next version's entry id, as text, exactly as :func:`brandrail.gate.budgets.read_budget_row` reads
#: them. Under the ledger's lock (a ``set_budget`` appends its entry under it, before its commit) the same
#: read runs again; anything other than ``p_bstate`` (a budget set or changed since, a row or entry edited
#: or deleted) writes nothing (status 4) and the caller reads the budget again and checks it in Python, as
#: every read is checked. The binding check itself stays in Python (:func:`~brandrail.gate.budgets.
#: budget_problem`): the function only asks "is it still what the caller checked".
#:
#: ``o_status``: 0 written (the entry's seq, prev_hash and hash returned); 1 the action id was already
#: claimed; 2 counter ``o_value`` (1-based) would pass its cap; 3 a counter row is busy or new; 4 the budget
#: is not ``p_bstate``. Nothing is written unless 0. ``{append}`` is the ledger's append function (see
#: :meth:`brandrail.ledger.Ledger.create_schema`), which takes the ledger's lock again (re-entrant);
#: ``{ledger}`` the ledger's table; ``{lock}`` takes the ledger's lock as the append function does
#: (:meth:`brandrail.ledger.Ledger.pg_lock_block`: the key passed, then the schema-qualified key).
_DECIDE_FAST = """
CREATE OR REPLACE FUNCTION gate_decide_fast(
    p_action text, p_digest text, p_keys text[], p_amounts bigint[], p_caps bigint[],
    p_d text, p_o text, p_s text, p_t text, p_r text,
    p_k bigint, p_id text, p_time text, p_kind text, p_payload text, p_policy_version text,
    p_head text, p_tail text, p_sync text, p_check text, p_bkey text, p_bprefix text, p_bstate text[])
RETURNS TABLE(o_status integer, o_value bigint, o_seq bigint, o_prev_hash text, o_hash text)
LANGUAGE plpgsql AS $fn$
DECLARE
    i integer;
    n integer := coalesce(array_length(p_keys, 1), 0);
    v bigint;
    seen text[];
BEGIN
    IF encode(sha256(convert_to(p_head || p_tail, 'UTF8')), 'hex') IS DISTINCT FROM p_check THEN
        RAISE EXCEPTION 'brandrail: the ledger entry text arrived changed (server_encoding must be UTF8)';
    END IF;
    INSERT INTO gate_actions (action_id, digest, decision_id, outcome)
        VALUES (p_action, p_digest, p_d, p_o) ON CONFLICT (action_id) DO NOTHING;
    IF NOT FOUND THEN
        o_status := 1;
        RETURN NEXT;
        RETURN;
    END IF;
    IF n > 0 THEN
        INSERT INTO gate_reservations (decision_id, kind, key, amount)
            SELECT p_d, 'counter', u.k, u.a FROM unnest(p_keys, p_amounts) AS u(k, a);
    END IF;
    {lock}
    IF p_bkey IS NOT NULL THEN
        SELECT ARRAY[b.period, CAST(b.amount_cents AS text), b.set_by, CAST(b.seq AS text),
                     CAST(e.seq AS text), e.id, e.time, e.kind, e.payload, e.policy_version, e.prev_hash,
                     e.hash, n2.id]
            INTO seen
            FROM (SELECT 1 AS one) AS x
            LEFT JOIN gate_budgets AS b ON b.campaign = p_bkey
            LEFT JOIN {ledger} AS e ON e.id = p_bprefix || CAST(b.seq AS VARCHAR)
            LEFT JOIN {ledger} AS n2 ON n2.id = p_bprefix || CAST(coalesce(b.seq, 0) + 1 AS VARCHAR);
        IF seen IS DISTINCT FROM p_bstate THEN
            DELETE FROM gate_reservations AS r WHERE r.decision_id = p_d;
            DELETE FROM gate_actions AS g WHERE g.action_id = p_action;
            o_status := 4;
            RETURN NEXT;
            RETURN;
        END IF;
    END IF;
    FOR i IN 1 .. n LOOP
        SELECT c.value INTO v FROM gate_counters AS c WHERE c.key = p_keys[i] FOR UPDATE SKIP LOCKED;
        IF NOT FOUND THEN
            o_status := 3;
        ELSIF v + p_amounts[i] > p_caps[i] THEN
            o_status := 2;
        END IF;
        IF o_status IS NOT NULL THEN
            DELETE FROM gate_reservations AS r WHERE r.decision_id = p_d;
            DELETE FROM gate_actions AS g WHERE g.action_id = p_action;
            o_value := i;
            RETURN NEXT;
            RETURN;
        END IF;
    END LOOP;
    FOR i IN 1 .. n LOOP
        UPDATE gate_counters AS c SET value = c.value + p_amounts[i] WHERE c.key = p_keys[i];
    END LOOP;
    SELECT e.o_seq, e.o_prev_hash, e.o_hash INTO o_seq, o_prev_hash, o_hash FROM {append}(
        p_k, p_id, p_time, p_kind, p_payload, p_policy_version, p_head, p_tail, p_sync) AS e;
    INSERT INTO gate_decisions (decision_id, action_id, outcome, status, created_at, response, ledger_hash)
        VALUES (p_d, p_action, p_o, p_s, p_t, p_r, o_hash);
    o_status := 0;
    RETURN NEXT;
END
$fn$"""
_DECIDE_FAST_SIGNATURE = (
    "gate_decide_fast(text,text,text[],bigint[],bigint[],text,text,text,text,text,bigint,text,text,text,text,"
    "text,text,text,text,text,text,text,text[])"
)
#: (The function of earlier releases — the same name, without the three budget parameters — is a different
#: overload: it is left in place for gate processes of an earlier release still running on the store; this
#: release never calls it.)
_DECIDE_FAST_CALL = (
    "SELECT * FROM gate_decide_fast(%(a)s, %(dg)s, CAST(%(keys)s AS text[]), CAST(%(amounts)s AS bigint[]), "
    "CAST(%(caps)s AS bigint[]), %(d)s, %(o)s, %(s)s, "
    "%(t)s, %(r)s, %(k)s, %(id)s, %(time)s, %(kind)s, %(payload)s, %(pv)s, %(head)s, %(tail)s, %(sync)s, "
    "%(check)s, %(bkey)s, %(bprefix)s, CAST(%(bstate)s AS text[]))"
)
#: :data:`_DECIDE_FAST_CALL` under a write deadline (:func:`brandrail.ledger.write_deadline`), sent as one
#: simple-protocol message of two statements (client-side parameters), which PostgreSQL runs as one implicit
#: transaction: the first sets ``lock_timeout`` and ``statement_timeout`` for it (``SET LOCAL``) to what is
#: left of the deadline, so no lock the function takes is waited for (55P03, retried then denied like any
#: lost write) and the function does not run (57014, denied) past the deadline — at no extra round trip. (A
#: setting changed inside the function's own statement would not bound that statement: its timer starts
#: with it.)
_DECIDE_FAST_CALL_BOUNDED = SQL_LOCK_WAIT + "; " + _DECIDE_FAST_CALL


def _array_text(value: str) -> str:
    """``value`` as an element of a PostgreSQL array literal: double-quoted, ``\\`` and ``"`` escaped."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _array_element(value: str | None) -> str:
    """:func:`_array_text`, or ``NULL`` for None."""
    return "NULL" if value is None else _array_text(value)


@dataclass(frozen=True, slots=True)
class FastResult:
    """What :meth:`GateStore.decide_fast` did: ``status`` 0 written (``entry`` is the ledger entry), 1 the
    action id was already claimed, 2 counter number ``refused`` (0-based) would pass its cap, 3 counter
    number ``refused`` is locked by a writer transaction or does not exist yet, 4 the campaign budget is not
    the one the caller read; nothing written unless 0."""

    status: int
    refused: int = -1
    entry: LedgerEntry | None = None


@dataclass(frozen=True, slots=True)
class _PriceRow:
    item: str
    day: str
    open_cents: int
    price_cents: int
    set_by: str | None
    seq: int | None = None
    present: bool = True


@dataclass(frozen=True, slots=True)
class PriceState:
    """An item's price row as :meth:`GateStore.price_row` read it, checked against the ledger."""

    item: str
    #: the row as found (None: there is none)
    row: _PriceRow | None
    #: why the row is not the latest state the ledger recorded (edited, an earlier one put back, deleted,
    #: not written by the gate); None when it is (see :func:`brandrail.gate.bindings.price_version_problem`)
    problem: str | None
    #: the version the item's next write takes (after the ledger's last, whatever the row says)
    next_seq: int

    @property
    def price(self) -> tuple[str, int, int] | None:
        """(day, opening, current price in cents) when the row is believed and holds a price; else None."""
        row = self.row
        if self.problem is not None or row is None or not row.present:
            return None
        return row.day, row.open_cents, row.price_cents

    def undo(self) -> dict[str, Any]:
        """What releasing a decision that writes the next version puts back: the version before it (read
        from the ledger then, not from here), or — for a row the ledger does not vouch for — the row as it
        was found, written back unbound (so it is still not believed)."""
        if self.problem is None:
            return {"seq": self.next_seq - 1}
        row = self.row
        found = None
        if row is not None:
            found = {
                "day": row.day,
                "open_cents": row.open_cents,
                "price_cents": row.price_cents,
                "set_by": row.set_by,
                "seq": row.seq,
                "present": row.present,
            }
        return {"as_found": found}


#: Write version ``p_q`` of an item's price row (a ``before`` statement of its ledger entry's append).
_PRICE_UPSERT = (
    "INSERT INTO gate_prices (item, day, open_cents, price_cents, set_by, seq, present) "
    "VALUES (:p_i, :p_d, :p_o, :p_p, :p_s, :p_q, :p_v) ON CONFLICT (item) DO UPDATE SET day = excluded.day, "
    "open_cents = excluded.open_cents, price_cents = excluded.price_cents, set_by = excluded.set_by, "
    "seq = excluded.seq, present = excluded.present"
)


@dataclass(frozen=True, slots=True)
class Mismatch:
    """A counter whose stored value differs from what the ledger implies."""

    key: str
    stored: int
    from_ledger: int


class LedgerSums:
    """What the ledger's decisions and outcomes add up to, entry by entry (:meth:`add`, in chain order):
    each counter's value and each window key's sum of event amounts (1 an event, a declaration's size on
    the audience windows of AG505)."""

    def __init__(self) -> None:
        self.counters: dict[str, int] = {}
        self.events: dict[str, int] = {}
        self._held: dict[str, list[dict[str, Any]]] = {}

    def add(self, kind: str, payload: dict[str, Any]) -> None:
        """Take one entry (its kind and parsed payload) into account."""
        if kind == "decision":
            held = self._held[str(payload.get("decision_id"))] = list(payload.get("reservations") or [])
            self._count(held, 1)
        elif kind == "outcome" and payload.get("released"):
            self._count(self._held.get(str(payload.get("decision_id")), []), -1)

    def _count(self, reservations: list[dict[str, Any]], sign: int) -> None:
        for res in reservations:
            if res["kind"] == "counter":
                self.counters[res["key"]] = self.counters.get(res["key"], 0) + sign * int(res["amount"])
            elif res["kind"] == "event":
                amount = int(res.get("amount", 1))
                self.events[res["key"]] = self.events.get(res["key"], 0) + sign * amount


class GateStore:
    """State store and ledger on one database. Create with :meth:`from_url` or ``GateStore(engine)``."""

    def __init__(self, engine: Engine, *, ledger: Ledger | None = None) -> None:
        if ledger is None:
            from brandrail.ledger import Ledger

            ledger = Ledger(engine)
        self.engine = engine
        self.ledger = ledger
        self.durability = "strict" if ledger.sqlite_synchronous in ("FULL", "EXTRA") else "custom"
        self.dialect = engine.dialect.name
        self._migrated = False
        # an item's price row (or none) with the entry of its version and whether the next version's
        # exists (see brandrail.gate.bindings.price_version_problem); ``x`` is the item's entry id prefix
        ledger_table = self._ledger_table
        statements = {
            **_SQL,
            "price": (
                "SELECT p.day, p.open_cents, p.price_cents, p.set_by, p.seq, p.present, e.seq, e.id, e.time, "
                "e.kind, e.payload, e.policy_version, e.prev_hash, e.hash, n.id "
                f"FROM (SELECT 1 AS one) o LEFT JOIN gate_prices p ON p.item = :i "
                f"LEFT JOIN {ledger_table} e ON e.id = CAST(:x AS VARCHAR) || CAST(p.seq AS VARCHAR) "
                f"LEFT JOIN {ledger_table} n "
                "ON n.id = CAST(:x AS VARCHAR) || CAST(COALESCE(p.seq, 0) + 1 AS VARCHAR)"
            ),
        }
        self._sql = {k: _pyformat(v) if self.dialect == "postgresql" else v for k, v in statements.items()}
        self._record_sql: dict[tuple[int, bool], tuple[str, ...]] = {}
        self._keys: PseudonymKeys | None = None
        #: PostgreSQL: whether ``gate_decide_fast`` is in place (checked by :meth:`migrate`); see
        #: :meth:`decide_fast`. False turns the one-statement path off (every decision in a transaction).
        self.fast_path = False
        #: region for phone numbers written without +country (the Gate sets it from the policy)
        self.phone_region = "US"
        #: PostgreSQL: the schema of the gate's tables (its advisory locks are keyed by it) and whether the
        #: key of earlier releases is taken too (a store not yet at LOCK_KEY_VERSION); read once
        self._lock_schema: str | None = None
        self._lock_legacy = True

    @property
    def keys(self) -> PseudonymKeys:
        """The pseudonym keys (set by the Gate from its policy; else the environment or the default file)."""
        if self._keys is None:
            from brandrail.gate.pseudonyms import PseudonymKeys
            from brandrail.policy.sections.gate import PrivacyPolicy

            self._keys = PseudonymKeys.load(PrivacyPolicy())
        return self._keys

    @keys.setter
    def keys(self, value: PseudonymKeys) -> None:
        self._keys = value

    def run(self, conn: Connection, name: str, params: dict[str, Any] | list[dict[str, Any]]) -> Any:
        """Run a hot-path statement of :data:`_SQL` by name on the driver connection; returns the cursor."""
        raw = _driver(conn)
        if isinstance(params, list):
            cur = raw.cursor()
            cur.executemany(self._sql[name], params)
            return cur
        return raw.execute(self._sql[name], params)

    def record(
        self,
        conn: Connection,
        decision: dict[str, Any],
        index: dict[str, Any] | None,
        reservations: list[dict[str, Any]],
    ) -> tuple[tuple[str, ...], dict[str, Any], tuple[str, ...], tuple[PreparedEntry, ...]]:
        """Prepare a decision row, its reservation rows and the action-id index entry.

        ``decision`` has the keys d, a, o, s, t, r; ``index`` d, o, a (or None); each reservation d, kind,
        k, n, undo (``d`` is the decision's id). Returns ``(before, params, after, preceding)`` for
        :meth:`Ledger.append`: the decision row is an ``after`` statement, so it carries the hash of its own
        ledger entry (``ledger_hash``). SQLite: the reservation rows and the index entry are written at once
        (``before`` is empty). PostgreSQL: everything travels in the same statement as the ledger append
        (one round trip for the decision's rows and its entry). The identifier links the decision wrote are
        recorded by the ``link`` entry in ``preceding``, appended just before the decision's entry in the
        same append (same statement, same transaction: both or neither; see :meth:`transaction`).
        """
        from brandrail.gate.pseudonyms import PENDING_LINKS, link_entry

        first = link_entry(self.ledger, conn.info.pop(PENDING_LINKS, []))
        preceding = () if first is None else (first,)
        raw = _driver(conn)
        params = {f"g_{name}": value for name, value in decision.items()}
        if self.dialect != "postgresql":
            if reservations:
                raw.executemany(self._sql["reservation"], reservations)
            if index is not None:
                raw.execute(self._sql["index"], index)
            return (), params, (_DECISION_AFTER_SQLITE,), preceding
        key = (len(reservations), index is not None)
        statements = self._record_sql.get(key)
        if statements is None:
            parts = []
            if reservations:
                values = ", ".join(
                    f"(%(g_d)s, %(g_kind{i})s, %(g_k{i})s, %(g_n{i})s, %(g_undo{i})s)"
                    for i in range(len(reservations))
                )
                parts.append(f"INSERT INTO gate_reservations ({_RESERVATION_COLUMNS}) VALUES {values}")
            if index is not None:
                parts.append(
                    "UPDATE gate_actions SET decision_id = %(g_d)s, outcome = %(g_xo)s WHERE action_id = %(g_xa)s"
                )
            statements = self._record_sql[key] = tuple(parts)
        for i, row in enumerate(reservations):
            params[f"g_kind{i}"] = row["kind"]
            params[f"g_k{i}"] = row["k"]
            params[f"g_n{i}"] = row["n"]
            params[f"g_undo{i}"] = row["undo"]
        if index is not None:
            params["g_xo"] = index["o"]
            params["g_xa"] = index["a"]
        return statements, params, (_DECISION_AFTER_PG,), preceding

    @classmethod
    def from_url(
        cls, url: str, *, durability: str = "strict", busy_timeout: float | None = None
    ) -> GateStore:
        """Open (and migrate) the store at ``url`` (``sqlite:///path.db`` or ``postgresql://…``).
        ``busy_timeout``: seconds a SQLite writer waits for the write lock (default 30; a :class:`Gate`
        waits no longer than its ``gate.store_timeout`` either way)."""
        from brandrail.ledger import Ledger
        from brandrail.ledger._store import DEFAULT_BUSY_TIMEOUT

        wait = DEFAULT_BUSY_TIMEOUT if busy_timeout is None else busy_timeout
        ledger = Ledger.from_url(url, busy_timeout=wait)
        store = cls(ledger.engine, ledger=ledger)
        store.set_durability(durability)
        store.migrate()
        return store

    def set_durability(self, durability: str) -> None:
        """``"strict"`` or ``"fast"`` (``gate.durability``): how a decision's commit reaches the disk.

        strict — SQLite ``synchronous=FULL`` (WAL fsynced at every commit) and, on PostgreSQL, the server's
        ``synchronous_commit`` (normally ``on``: the commit returns after the WAL flush). A decision that
        ``decide()`` returned survives a crash of the gate process, of the database server and of the
        machine (power loss).

        fast — SQLite ``synchronous=NORMAL`` (WAL, fsync only at checkpoints) and PostgreSQL
        ``synchronous_commit = off`` for the decision's transaction (set inside the ledger append). A
        crash of the gate process still loses nothing that was committed (every returned decision was).
        A crash of the PostgreSQL server or of the machine can lose the decisions committed in the last
        moments before it (PostgreSQL: up to 3 × ``wal_writer_delay``, 600 ms by default; SQLite: the
        commits since the last checkpoint's fsync, on power loss or an OS crash only). What is lost is
        lost whole and in order — state changes together with their ledger entries, the chain stays
        valid and the counters still equal the ledger — but callers may already have acted on those
        decisions, so caps can be exceeded by what was allowed in that window.
        """
        if durability not in ("strict", "fast"):
            raise GateError(f"unknown durability {durability!r}", hint="use strict or fast")
        self.durability = durability
        self.ledger.sqlite_synchronous = "FULL" if durability == "strict" else "NORMAL"
        self.ledger.postgres_synchronous_commit = None if durability == "strict" else "off"

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def migrate(self) -> None:
        """Create or upgrade the gate tables and the ledger (idempotent, safe from several processes)."""
        if self._migrated:
            return
        self.ledger.create_schema()
        with self.ledger.begin() as conn:
            if self.dialect == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _lock_key("migrate")})
            applied = migrate(conn)
            if ADOPT_STATE in applied:
                self._adopt_state(conn)
            if ADOPT_LINKS in applied:
                self._adopt_links(conn)
            if ADOPT_PRICES in applied:
                self._adopt_prices(conn)
            if self.dialect == "postgresql":
                self.fast_path = self._ensure_decide_fast(conn)
                self._read_lock_state(conn)
        self._migrated = True

    def _read_lock_state(self, conn: Connection) -> None:
        """PostgreSQL: read the schema of the gate's tables and whether the store is keyed by it alone."""
        raw = _driver(conn)
        schema, exists = raw.execute(_SQL_LOCK_STATE).fetchone()
        upgraded = bool(
            exists
            and raw.execute(
                "SELECT 1 FROM gate_schema_migrations WHERE version = %(v)s", {"v": LOCK_KEY_VERSION}
            ).fetchone()
        )
        self._lock_schema, self._lock_legacy = str(schema), not upgraded

    def lock_keys(self, conn: Connection, key: str) -> list[int]:
        """PostgreSQL: the advisory-lock keys a writer takes for ``key``, in order: the schema-qualified key
        (:func:`schema_lock_key`) alone on a store at :data:`LOCK_KEY_VERSION`; before it, first the key of
        earlier releases (:func:`_lock_key`), so their writers and this release's exclude each other."""
        if self._lock_schema is None:
            self._read_lock_state(conn)
        assert self._lock_schema is not None
        qualified = schema_lock_key(self._lock_schema, key)
        return [_lock_key(key), qualified] if self._lock_legacy else [qualified]

    @property
    def lock_schema(self) -> str | None:
        """PostgreSQL: the schema the gate's advisory locks are keyed by (None until read)."""
        return self._lock_schema

    @property
    def legacy_locks(self) -> bool:
        """PostgreSQL: whether writers also take the lock keys of earlier releases (a store not upgraded)."""
        return self._lock_legacy

    def readiness(self) -> dict[str, str]:
        """What deciding needs, checked cheaply (one-row reads on one connection): ``database`` (it
        answers), ``gate_store`` (every gate table can be read and the schema version is this brandrail's),
        ``ledger`` (:meth:`Ledger.readiness`). Each is ``"ok"`` or what is wrong, in words safe to show
        anyone (never the driver's text or the database URL)."""
        try:
            conn = self.engine.connect()
        except sa.exc.SQLAlchemyError:
            return {"database": "unavailable", "gate_store": "not checked", "ledger": "not checked"}
        with conn:
            return {
                "database": "ok",
                "gate_store": self._gate_readiness(conn),
                "ledger": self.ledger.readiness(conn),
            }

    def _gate_readiness(self, conn: Connection) -> str:
        for table in t.metadata.sorted_tables:
            try:
                conn.execute(sa.select(sa.literal(1)).select_from(table).limit(1))
            except sa.exc.SQLAlchemyError:
                conn.rollback()
                return f"table {table.name} missing or unreadable"
        done = {int(v) for v in conn.execute(sa.select(t.migrations.c.version)).scalars()}
        # PostgreSQL: a store of an earlier release waits for `brandrail ledger upgrade-lock-key` to record
        # the schema-keyed locks; until then this release takes both keys, and it is ready
        missing = (
            set(range(1, SCHEMA_VERSION + 1)) - done - (ON_UPGRADE if self.dialect == "postgresql" else set())
        )
        if missing or max(done, default=0) > SCHEMA_VERSION:
            return f"schema version {max(done, default=None)}, this brandrail needs {SCHEMA_VERSION}"
        return "ok"

    def _adopt_state(self, conn: Connection) -> None:
        """Bind the consent, suppression and price rows written before rows were bound (store schema 4):
        each is recorded as it stands, in an entry marked ``adopted`` — trusted, as keys were when they
        began to be recorded. A row written later by an older gate still running carries no binding."""
        from brandrail.gate.bindings import STATE_KINDS, price_record, state_entry_id, state_payload

        for kind, table in (("consent", t.consent), ("suppression", t.suppression)):
            column, flag = STATE_KINDS[kind]
            rows = conn.execute(
                sa.select(table.c[column], table.c.channel, table.c[flag])
                .where(table.c.seq.is_(None))
                .order_by(table.c[column], table.c.channel)
            ).all()
            for key, channel, value in rows:
                conn.execute(
                    table.update().where(table.c[column] == key, table.c.channel == channel).values(seq=1)
                )
                self.ledger.append(
                    conn,
                    kind=kind,
                    payload=state_payload(kind, str(key), str(channel), bool(value), 1, adopted=True),
                    policy_version="",
                    entry_id=state_entry_id(kind, str(key), str(channel), 1),
                )
        prices = conn.execute(
            sa.select(t.prices).where(t.prices.c.set_by.is_(None)).order_by(t.prices.c.item)
        )
        for row in prices.all():
            record = price_record(str(row.item), str(row.day), int(row.open_cents), int(row.price_cents))
            entry = self.ledger.append(
                conn,
                kind="price",
                payload={"schema_version": 1, "price": record, "adopted": True},
                policy_version="",
            )
            conn.execute(t.prices.update().where(t.prices.c.item == row.item).values(set_by=entry.id))

    def _adopt_links(self, conn: Connection) -> None:
        """Bind the identifier links written before links were bound (store schema 5): each gets a
        binding and is recorded as it stands, a thousand to a ``link`` entry marked ``adopted``."""
        from brandrail.gate.bindings import new_link_bindings
        from brandrail.gate.pseudonyms import record_links

        rows = conn.execute(
            sa.select(t.subjects.c.lookup, t.subjects.c.pseudonym)
            .where(t.subjects.c.binding.is_(None))
            .order_by(t.subjects.c.lookup)
        ).all()
        for start in range(0, len(rows), 1000):
            chunk = rows[start : start + 1000]
            links = [
                (str(lookup), str(pseudonym), binding)
                for (lookup, pseudonym), binding in zip(chunk, new_link_bindings(len(chunk)), strict=True)
            ]
            conn.execute(
                t.subjects.update()
                .where(t.subjects.c.lookup == sa.bindparam("l"))
                .values(binding=sa.bindparam("b")),
                [{"l": lookup, "b": binding} for lookup, _, binding in links],
            )
            record_links(conn, self.ledger, links, adopted=True)

    def _adopt_prices(self, conn: Connection) -> None:
        """Version the price rows written before rows were versioned (store schema 7): each row whose
        binding holds — the entry that set it records it — becomes version 1, recorded as it stands in a
        ``price`` entry marked ``adopted``. A row whose binding fails is left unversioned: never believed
        (its problem is reported) until the gate sets the item's price again."""
        from brandrail.gate.bindings import price_problem

        rows = conn.execute(
            sa.select(
                t.prices.c.item,
                t.prices.c.day,
                t.prices.c.open_cents,
                t.prices.c.price_cents,
                t.prices.c.set_by,
            )
            .where(t.prices.c.seq.is_(None))
            .order_by(t.prices.c.item)
        ).all()
        for row in rows:
            if row.set_by is None or price_problem(row, self.ledger.get(str(row.set_by), conn=conn)):
                continue
            price = (str(row.day), int(row.open_cents), int(row.price_cents))
            self.write_price(conn, str(row.item), 1, price, str(row.set_by), adopted=True)

    def _ensure_decide_fast(self, conn: Connection) -> bool:
        """Create or update ``gate_decide_fast`` unless current; False when it cannot be used (no ledger
        append function, or a role that may not create functions: decisions then take the transactional
        path)."""
        raw = _driver(conn)
        ledger_fn = f"{self.ledger.append_function}(bigint,text,text,text,text,text,text,text,text)"
        if raw.execute("SELECT to_regprocedure(%(s)s) IS NULL", {"s": ledger_fn}).fetchone()[0]:
            return False
        ddl = (
            _DECIDE_FAST.replace("{append}", self.ledger.append_function)
            .replace("{ledger}", self._ledger_table)
            .replace("{lock}", self.ledger.pg_lock_block("p_k"))
        )
        return install_pg_function(conn, _DECIDE_FAST_SIGNATURE, ddl)

    def upgrade_lock_key(self) -> bool:
        """:meth:`brandrail.ledger.Ledger.upgrade_lock_key` of the store's ledger, installing the current
        ``gate_decide_fast`` in the same transaction (PostgreSQL; its body takes the ledger's lock as the
        ledger's append function does); then, PostgreSQL, the gate store's own move to the schema-keyed
        advisory locks (:data:`LOCK_KEY_VERSION`: writers take ``brandrail.gate:<schema>:<key>`` alone, and
        earlier releases refuse to open the store). Run it once every process that writes to the store runs
        this release. True when either was upgraded, False when both were already."""
        self.migrate()
        ledger_done = self._upgrade_ledger_lock_key()
        return self._upgrade_gate_lock_key() or ledger_done

    def _upgrade_gate_lock_key(self) -> bool:
        if self.dialect != "postgresql":
            return False
        with self.ledger.begin() as conn:
            # the migration lock (earlier releases' key: they take it too), then every lock is ours to move
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _lock_key("migrate")})
            done = {int(v) for v in conn.execute(sa.select(t.migrations.c.version)).scalars()}
            if LOCK_KEY_VERSION in done:
                self._read_lock_state(conn)
                return False
            conn.execute(
                t.migrations.insert().values(version=LOCK_KEY_VERSION, applied_at=t.iso(datetime.now(UTC)))
            )
            self._read_lock_state(conn)
        return True

    def _upgrade_ledger_lock_key(self) -> bool:

        def gate_function(conn: Connection) -> None:
            if not self._ensure_decide_fast(conn) and self._has_decide_fast(conn):
                raise GateError(
                    "cannot upgrade the ledger's lock key: this role may not replace gate_decide_fast",
                    hint="run the upgrade once as the owner of the gate's tables",
                )

        return self.ledger.upgrade_lock_key(also=gate_function if self.dialect == "postgresql" else None)

    @staticmethod
    def _has_decide_fast(conn: Connection) -> bool:
        return bool(
            _driver(conn)
            .execute("SELECT to_regprocedure(%(s)s) IS NOT NULL", {"s": _DECIDE_FAST_SIGNATURE})
            .fetchone()[0]
        )

    def decide_fast(
        self,
        action_id: str,
        digest: str,
        counters: list[tuple[str, int, int]],
        decision: dict[str, Any],
        entry: PreparedEntry,
        budget: BudgetRead | None = None,
    ) -> FastResult:
        """PostgreSQL: claim ``action_id``, reserve each ``(key, amount, cap)`` (sorted by key, each key
        once), write the decision row (``decision``: keys d, o, s, t, r) with its reservation rows and append
        ``entry`` — one statement in autocommit, all or nothing (see ``gate_decide_fast``). The statement is
        its own transaction: its locks are held only while the database works (and, under strict
        durability, for its commit's WAL flush), never across a round trip to this process.

        ``budget``: the spend's campaign budget as the caller read it and decided on; the statement writes
        nothing (status 4) unless the store still holds exactly that (read again under the ledger's lock).

        An action id seen before, a refusal, a counter row that is busy or new, or a budget that is not the
        one read writes nothing (:attr:`FastResult.status` 1 to 4): decide it in a transaction as usual
        (after reading the budget again). Raises on a database
        error (then nothing was written, unless the connection broke after the commit — as for any commit
        whose answer is lost)."""
        ledger = self.ledger
        params = {
            "a": action_id,
            "dg": digest,
            # array literals as text: psycopg's list adaptation costs more CPU than the whole rest of the
            # parameters
            "keys": "{" + ",".join(_array_text(key) for key, _, _ in counters) + "}",
            "amounts": "{" + ",".join(str(int(amount)) for _, amount, _ in counters) + "}",
            "caps": "{" + ",".join(str(int(cap)) for _, _, cap in counters) + "}",
            "d": decision["d"],
            "o": decision["o"],
            "s": decision["s"],
            "t": decision["t"],
            "r": decision["r"],
            "k": ledger.append_key,
            "id": entry.id,
            "time": entry.time,
            "kind": entry.kind,
            "payload": entry.payload_json,
            "pv": entry.policy_version,
            "head": entry.head,
            "tail": entry.tail,
            "sync": ledger.postgres_synchronous_commit,
            "check": entry.check,
            "bkey": None if budget is None else budget.key,
            "bprefix": None if budget is None else budget.prefix,
            "bstate": None if budget is None else "{" + ",".join(map(_array_element, budget.state)) + "}",
        }
        pooled = self.engine.raw_connection()  # DeadlinePool: waits no longer than the deadline
        try:
            raw: Any = pooled.driver_connection
            raw.autocommit = True
            try:
                settings = deadline_settings()  # what is left once a connection is in hand
                if settings is None:
                    row = raw.execute(_DECIDE_FAST_CALL, params).fetchone()
                else:
                    import psycopg

                    params.update(settings)
                    cursor = psycopg.ClientCursor(raw)
                    cursor.execute(_DECIDE_FAST_CALL_BOUNDED, params)
                    cursor.nextset()
                    row = cursor.fetchone()
            finally:
                if not raw.closed:
                    raw.autocommit = False
        finally:
            pooled.close()
        status = int(row[0])
        if status != 0:
            return FastResult(status, refused=int(row[1]) - 1 if row[1] is not None else -1)
        return FastResult(0, entry=entry.entry(int(row[2]), str(row[3]), str(row[4])))

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A writer transaction shared with the ledger (commit on success, roll back on error). The
        identifier links a decision wrote are recorded (their ``link`` entry appended) just before the
        commit; see :func:`brandrail.gate.pseudonyms.bind_links`."""
        from brandrail.gate.pseudonyms import PENDING_LINKS, record_links

        with self.ledger.begin() as conn:
            conn.info.pop(PENDING_LINKS, None)  # ``info`` outlives a transaction: nothing of an earlier one
            try:
                yield conn
                record_links(conn, self.ledger, conn.info.pop(PENDING_LINKS, []))
            finally:
                conn.info.pop(PENDING_LINKS, None)

    @contextmanager
    def reader(self) -> Iterator[Connection]:
        """A connection for reads in one snapshot. Inside a :func:`~brandrail.ledger.write_deadline` (a
        decision) on PostgreSQL its transaction is bounded by it, as a writer's is (lock and statement
        timeouts; the pool's checkout too)."""
        with self.engine.connect() as conn:
            if self.dialect == "postgresql":
                bound_transaction(_driver(conn))
            yield conn

    @contextmanager
    def single_read(self) -> Iterator[Connection]:
        """A connection for ONE read statement outside any transaction: on PostgreSQL in autocommit, so the
        read opens no transaction and returning the connection to the pool sends no ROLLBACK (one round trip,
        not two). Use :meth:`reader` when several reads must see one snapshot."""
        if self.dialect != "postgresql":
            with self.engine.connect() as conn:
                yield conn
            return
        if lock_wait_ms() is not None:  # inside a deadline: a bounded transaction instead (reader)
            with self.reader() as conn:
                yield conn
            return
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            yield conn

    # -- locks ------------------------------------------------------------------------------------------

    def lock(self, conn: Connection, key: str) -> None:
        """Serialise writers on ``key`` until the transaction ends (SQLite: already serialised). PostgreSQL:
        the advisory locks of :meth:`lock_keys` (keyed by the schema of the gate's tables)."""
        if self.dialect == "postgresql":
            found = self.lock_keys(conn, key)
            if len(found) == 1:
                self.run(conn, "lock", {"k": found[0]})
            else:
                self.run(conn, "lock2", {"k0": found[0], "k1": found[1]})

    def lock_all(self, conn: Connection, keys: list[str]) -> None:
        """:meth:`lock` every key, in the order given (callers sort them), in one round trip."""
        if self.dialect != "postgresql" or not keys:
            return
        found = [k for key in keys for k in self.lock_keys(conn, key)]
        sql = "SELECT " + ", ".join(f"pg_advisory_xact_lock(%(k{i})s)" for i in range(len(found)))
        _driver(conn).execute(sql, {f"k{i}": k for i, k in enumerate(found)})

    def claim(self, conn: Connection, action_id: str, digest: str) -> bool:
        """Claim an action id for this digest; False when the id is already known."""
        return bool(self.run(conn, "claim", {"a": action_id, "d": digest}).rowcount == 1)

    def _insert_ignore(self, table: sa.Table, values: dict[str, Any], keys: list[str]) -> Any:
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            return pg_insert(table).values(**values).on_conflict_do_nothing(index_elements=keys)
        if self.dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            return sqlite_insert(table).values(**values).on_conflict_do_nothing(index_elements=keys)
        raise GateError(f"unsupported database {self.dialect!r}", hint="use SQLite or PostgreSQL")

    def _upsert(self, conn: Connection, table: sa.Table, values: dict[str, Any], keys: list[str]) -> None:
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            stmt: Any = pg_insert(table).values(**values)
        else:
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            stmt = sqlite_insert(table).values(**values)
        update = {k: v for k, v in values.items() if k not in keys}
        conn.execute(stmt.on_conflict_do_update(index_elements=keys, set_=update))

    # -- counters (budget caps) -------------------------------------------------------------------------

    def reserve(self, conn: Connection, key: str, amount: int, cap: int) -> tuple[bool, int]:
        """Atomically add ``amount`` to counter ``key`` unless that takes it over ``cap``.

        One statement — ``INSERT … ON CONFLICT (key) DO UPDATE SET value = value + :n WHERE value + :n <=
        :cap RETURNING value`` — so the check and the increment cannot be separated (PostgreSQL holds the
        row lock; SQLite the database write lock). Returns ``(reserved, value)`` where ``value`` is the
        counter after the reservation or, when refused, as it stands.
        """
        if amount > cap:
            current = self.run(conn, "counter", {"k": key}).fetchone()
            return False, int(current[0]) if current is not None else 0
        row = self.run(conn, "reserve", {"k": key, "n": amount, "cap": cap}).fetchone()
        if row is not None:
            return True, int(row[0])
        return False, int(self.run(conn, "counter", {"k": key}).fetchone()[0])

    def release(self, conn: Connection, key: str, amount: int) -> None:
        conn.execute(
            t.counters.update().where(t.counters.c.key == key).values(value=t.counters.c.value - amount)
        )

    def counter(self, key: str) -> int:
        with self.reader() as conn:
            value = conn.execute(sa.select(t.counters.c.value).where(t.counters.c.key == key)).scalar()
        return int(value or 0)

    # -- rolling windows (frequency caps, send rates) ---------------------------------------------------

    def add_event(
        self, conn: Connection, key: str, *, at: datetime, window: timedelta, cap: int, decision_id: str
    ) -> tuple[bool, int, datetime | None]:
        """Record an event at ``at`` unless ``cap`` events already fall within ``window`` of it.

        The window is counted on both sides of ``at`` (scheduled sends count too), which guarantees no
        rolling window of that length ever holds more than ``cap`` events. Returns ``(added, count,
        earliest time the window frees up or None)``; ``count`` is -1 (not counted) when the event was
        added. Call :meth:`lock` for ``key`` first: the count and the insert are one statement, and the
        lock (taken by an earlier statement, so the count's snapshot sees every committed event) keeps
        other writers out until the transaction ends.
        """
        lo, hi = t.iso(at - window), t.iso(at + window)
        params = {"k": key, "at": t.iso(at), "d": decision_id, "lo": lo, "hi": hi, "cap": cap}
        if self.run(conn, "add_event", params).rowcount == 1:
            return True, -1, None
        rows = self.run(conn, "window", {"k": key, "lo": lo, "hi": hi}).fetchall()
        count = len(rows)
        # the earliest moment at which a new event would see fewer than cap events before it
        free = t.parse_iso(rows[count - cap][0]) + window if 0 < cap <= count else None
        return False, count, free

    def add_events(
        self,
        conn: Connection,
        events: list[tuple[str, datetime, timedelta, int]],
        decision_id: str,
    ) -> tuple[int, int, datetime | None]:
        """Lock every window key (in the order given), then :meth:`add_event` each ``(key, at, window,
        cap)``; all or none. Returns ``(refused, count, free)``: ``refused`` the index of the first window
        that refused (-1 when all were added, and then nothing else is meaningful), its count and when it
        frees up. PostgreSQL: one round trip (the ``gate_add_events`` function of migration 2)."""
        if not events:
            return -1, 0, None
        if self.dialect != "postgresql":
            added = False
            for i, (key, at, window, cap) in enumerate(events):
                ok, count, free = self.add_event(
                    conn, key, at=at, window=window, cap=cap, decision_id=decision_id
                )
                if not ok:
                    if added:
                        conn.execute(t.events.delete().where(t.events.c.decision_id == decision_id))
                    return i, count, free
                added = True
            return -1, 0, None
        row = (
            _driver(conn)
            .execute(
                "SELECT * FROM gate_add_events(%(l)s::bigint[], %(k)s::text[], %(a)s::text[], %(lo)s::text[], "
                "%(hi)s::text[], %(c)s::integer[], %(d)s::text)",
                {
                    "l": [k for key, _, _, _ in events for k in self.lock_keys(conn, key)],
                    "k": [key for key, _, _, _ in events],
                    "a": [t.iso(at) for _, at, _, _ in events],
                    "lo": [t.iso(at - window) for _, at, window, _ in events],
                    "hi": [t.iso(at + window) for _, at, window, _ in events],
                    "c": [cap for _, _, _, cap in events],
                    "d": decision_id,
                },
            )
            .fetchone()
        )
        refused = int(row[0]) - 1
        if refused < 0:
            return -1, 0, None
        key, at, window, cap = events[refused]
        rows = self.run(
            conn, "window", {"k": key, "lo": t.iso(at - window), "hi": t.iso(at + window)}
        ).fetchall()
        count = len(rows)
        free = t.parse_iso(rows[count - cap][0]) + window if 0 < cap <= count else None
        return refused, int(row[1]), free

    def window_amounts(
        self, conn: Connection, key: str, at: datetime, window: timedelta
    ) -> list[tuple[datetime, int]]:
        """The events on ``key`` within ``window`` of ``at`` (both sides, as :meth:`add_event` counts), in time
        order: ``(at, amount)``. Call :meth:`lock` for ``key`` first when the sum decides a write."""
        rows = self.run(
            conn, "window_amounts", {"k": key, "lo": t.iso(at - window), "hi": t.iso(at + window)}
        ).fetchall()
        return [(t.parse_iso(str(when)), int(amount)) for when, amount in rows]

    def add_amount(
        self,
        conn: Connection,
        key: str,
        *,
        at: datetime,
        window: timedelta,
        amount: int,
        cap: int,
        decision_id: str,
    ) -> tuple[bool, int]:
        """Record an event weighing ``amount`` at ``at`` unless the amounts within ``window`` of it (both
        sides) plus ``amount`` pass ``cap``: no rolling window of that length ever sums to more than
        ``cap``. Returns ``(added, sum)``: ``sum`` is -1 when added, else the window's sum as it stands.
        Call :meth:`lock` for ``key`` first (as for :meth:`add_event`): the sum and the insert are one
        statement, and the lock keeps other writers out until the transaction ends."""
        lo, hi = t.iso(at - window), t.iso(at + window)
        params = {"k": key, "at": t.iso(at), "d": decision_id, "n": amount, "lo": lo, "hi": hi, "cap": cap}
        if self.run(conn, "add_amount", params).rowcount == 1:
            return True, -1
        return False, sum(n for _, n in self.window_amounts(conn, key, at, window))

    def window_count(self, key: str, at: datetime, window: timedelta) -> int:
        with self.reader() as conn:
            return int(
                conn.execute(
                    sa.select(sa.func.count())
                    .select_from(t.events)
                    .where(
                        t.events.c.key == key,
                        t.events.c.at > t.iso(at - window),
                        t.events.c.at < t.iso(at + window),
                    )
                ).scalar_one()
            )

    # -- prices -----------------------------------------------------------------------------------------

    def price_row(self, conn: Connection, item: str) -> PriceState:
        """``item``'s price row, locked for this transaction, checked against the ledger in the same
        statement that reads it: the entry of its version must be intact and record it, and no later
        version's entry may exist (an earlier row put back); no row is believed only when the ledger records
        none (a deleted row). See :class:`PriceState`."""
        from brandrail.gate.bindings import price_entry_prefix, price_version_problem
        from brandrail.ledger import LedgerEntry

        self.lock(conn, f"price:{item}")
        row = self.run(conn, "price", {"i": item, "x": price_entry_prefix(item)}).fetchone()
        day, open_cents, price_cents, set_by, seq, present = row[:6]
        found = None
        if day is not None:
            found = _PriceRow(
                item,
                str(day),
                int(open_cents),
                int(price_cents),
                None if set_by is None else str(set_by),
                None if seq is None else int(seq),
                bool(present),
            )
        entry = LedgerEntry(*row[6:14]) if row[7] is not None else None
        problem = price_version_problem(item, found, entry, row[14] is not None)
        if problem is None:
            next_seq = (found.seq or 0) + 1 if found is not None else 1
        else:
            next_seq = self._next_price_version(conn, item)
        return PriceState(item, found, problem, next_seq)

    def _next_price_version(self, conn: Connection, item: str) -> int:
        """The version after the ledger's last of ``item`` (versions are written one after another from 1),
        for a row that is not the latest: found from the ledger, 64 ids a read, whatever the row says."""
        from brandrail.gate.bindings import price_entry_id

        start = 1
        while True:
            ids = {price_entry_id(item, n): n for n in range(start, start + 64)}
            names = ", ".join(f":v{i}" for i in range(len(ids)))
            found = {
                str(r[0])
                for r in execute(
                    conn,
                    f"SELECT id FROM {self._ledger_table} WHERE id IN ({names})",
                    {f"v{i}": entry_id for i, entry_id in enumerate(ids)},
                ).fetchall()
            }
            for entry_id, n in ids.items():
                if entry_id not in found:
                    return n
            start += 64

    def write_price(
        self,
        conn: Connection,
        item: str,
        seq: int,
        price: tuple[str, int, int] | None,
        set_by: str | None,
        *,
        adopted: bool = False,
    ) -> LedgerEntry:
        """Write version ``seq`` of ``item``'s price row — ``price`` (day, opening, current price in cents),
        or None: the item has no price — and the ``price`` entry that records it, in one statement on
        PostgreSQL. ``set_by``: the decision whose action set it. Read the row with :meth:`price_row` first
        in the same transaction: it locks the item and gives ``seq`` (:attr:`PriceState.next_seq`)."""
        from brandrail.gate.bindings import price_entry_id, price_payload

        day, open_cents, price_cents = price if price is not None else ("", 0, 0)
        params = {
            "p_i": item,
            "p_d": day,
            "p_o": open_cents,
            "p_p": price_cents,
            "p_s": set_by,
            "p_q": seq,
            "p_v": price is not None,
        }
        return self.ledger.append(
            conn,
            kind="price",
            payload=price_payload(item, seq, price, set_by, adopted=adopted),
            policy_version="",
            entry_id=price_entry_id(item, seq),
            before=(_paramstyle(_PRICE_UPSERT, self.dialect),),
            before_params=params,
        )

    def record_price(self, conn: Connection, item: str, day: str, open_cents: int, price_cents: int) -> str:
        """Set ``item``'s price outside a decision (a policy test's given price): the next version of its
        row, recorded by a ``price`` entry. Returns the entry's id."""
        state = self.price_row(conn, item)
        return self.write_price(conn, item, state.next_seq, (day, open_cents, price_cents), None).id

    def restore_price(
        self,
        conn: Connection,
        item: str,
        previous: dict[str, Any] | None,
        *,
        decision_id: str,
        recorded: dict[str, Any] | None = None,
    ) -> None:
        """Put ``item``'s price back as it was before decision ``decision_id`` (released), as the next
        version. ``recorded`` is the price reservation the decision's entry records: the version it wrote
        (``seq``) and whether the one before was believed (``prior_believed``). The price put back is read
        from the ledger — version ``seq - 1``, or no price when ``seq`` is 1 — never from ``previous`` (the
        undo kept in the reservation row, which anyone with write access could edit); a row the decision
        did not believe is written back as the undo says it was found, unversioned, so it is still not
        believed. A decision made before price rows were versioned (no ``seq``) restores its undo, checked
        against the entry that set that price. Raises :class:`GateError` when the ledger does not vouch for
        what would be restored."""
        from brandrail.gate.bindings import price_entry_id, price_problem, recorded_price

        state = self.price_row(conn, item)

        def refuse(why: str) -> GateError:
            return GateError(
                f"the price reservation of decision {decision_id} for {item!r} does not match the ledger "
                f"({why}); the price was not restored",
                hint="run `brandrail ledger verify` on the gate database",
            )

        if recorded is not None and "seq" in recorded:
            written = int(recorded["seq"])
            mine = recorded_price(self.ledger.get(price_entry_id(item, written), conn=conn), item)
            if mine is None or mine[1] != decision_id:
                raise refuse(f"version {written} of the price is not the one this decision set")
            if not recorded.get("prior_believed"):
                found = previous.get("as_found") if isinstance(previous, dict) else None
                self._put_back_price(conn, item, found if isinstance(found, dict) else None)
                return
            price, set_by = None, None
            if written > 1:
                prior = recorded_price(self.ledger.get(price_entry_id(item, written - 1), conn=conn), item)
                if prior is None:
                    raise refuse(f"version {written - 1} of the price is missing or not intact")
                price, set_by = prior
            self.write_price(conn, item, state.next_seq, price, set_by)
            return
        # the undo of a decision made before price rows were versioned (store schema 7)
        if previous is None:
            self.write_price(conn, item, state.next_seq, None, None)
            return
        values = (str(previous["day"]), int(previous["open_cents"]), int(previous["price_cents"]))
        setter = previous.get("set_by")
        if setter is not None:
            row = _PriceRow(item, *values, str(setter))
            problem = price_problem(row, self.ledger.get(str(setter), conn=conn))
            if problem is not None:
                raise refuse(f"the price it names {problem}")
        self.write_price(conn, item, state.next_seq, values, None if setter is None else str(setter))

    def _put_back_price(self, conn: Connection, item: str, found: dict[str, Any] | None) -> None:
        """Write ``item``'s row back as a decision found it (None: there was none, or the undo is not
        readable), with no entry: whatever it says, it is not a version the ledger records last."""
        columns = ("day", "open_cents", "price_cents", "set_by", "seq", "present")
        if found is None or set(found) != set(columns):
            conn.execute(t.prices.delete().where(t.prices.c.item == item))
            return
        self._upsert(conn, t.prices, {"item": item, **{k: found[k] for k in columns}}, ["item"])

    # -- consent and suppression ------------------------------------------------------------------------

    def set_consent(
        self,
        recipient: str,
        channel: str,
        granted: bool,
        *,
        source: str | None = None,
        conn: Connection | None = None,
    ) -> None:
        """Record that ``recipient`` (an id, e-mail address or phone number) granted (or withdrew) consent
        to marketing on ``channel``. Stored under the identifier's pseudonym."""
        if conn is None:
            with self.transaction() as c:
                self.set_consent(recipient, channel, granted, source=source, conn=c)
            return
        from brandrail.gate.identity import identifier_forms, normalise_identifier
        from brandrail.gate.pseudonyms import resolve_pseudonyms

        # under the identifier and, for an e-mail address, its mailbox (every +tag of it reaches the person)
        forms = list(identifier_forms(normalise_identifier(recipient, self.phone_region)))
        pseudonyms = resolve_pseudonyms(conn, self.keys, forms, ledger=self.ledger)
        for ident in forms:
            extra = {"source": source, "updated_at": t.iso(datetime.now(UTC))}
            self.write_state(conn, "consent", pseudonyms[ident], channel, granted, extra)

    def write_state(
        self, conn: Connection, kind: str, key: str, channel: str, value: bool, extra: dict[str, Any]
    ) -> int:
        """Write a consent or suppression row (``kind``) bound to the ledger: the row's ``seq`` goes up by
        one and a ``kind`` entry with that version's id (:func:`brandrail.gate.bindings.state_entry_id`)
        records its state, in the caller's transaction. Returns the new ``seq``."""
        from brandrail.gate.bindings import STATE_KINDS, state_entry_id, state_payload

        table = t.consent if kind == "consent" else t.suppression
        column, flag = STATE_KINDS[kind]
        values = {column: key, "channel": channel, flag: value, **extra, "seq": 1}
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            stmt: Any = pg_insert(table).values(**values)
        else:
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            stmt = sqlite_insert(table).values(**values)
        update: dict[str, Any] = {k: v for k, v in values.items() if k not in (column, "channel", "seq")}
        update["seq"] = sa.func.coalesce(table.c.seq, 0) + 1
        stmt = stmt.on_conflict_do_update(index_elements=[column, "channel"], set_=update).returning(
            table.c.seq
        )
        seq = int(conn.execute(stmt).scalar_one())
        self.ledger.append(
            conn,
            kind=kind,
            payload=state_payload(kind, key, channel, value, seq),
            policy_version="",
            entry_id=state_entry_id(kind, key, channel, seq),
        )
        return seq

    def suppress(
        self, value: str, channel: str = "*", *, reason: str | None = None, conn: Connection | None = None
    ) -> None:
        """Add ``value`` (recipient id, e-mail or phone) to the suppression list of ``channel`` (or ``*``).

        Stored as the keyed hash of the normalised identifier (never the address itself) and, for an
        e-mail address, of its mailbox too, so that every ``+tag`` (and Gmail dot) variant is suppressed."""
        from brandrail.gate.identity import identifier_forms, normalise_identifier

        lookups = [
            self.keys.lookups(ident)[0]
            for ident in identifier_forms(normalise_identifier(value, self.phone_region))
        ]
        if conn is None:
            with self.transaction() as c:
                self.suppress(value, channel, reason=reason, conn=c)
            return
        for lookup in lookups:
            extra = {"reason": reason, "added_at": t.iso(datetime.now(UTC))}
            self.write_state(conn, "suppression", lookup, channel, True, extra)

    def contacts(
        self,
        conn: Connection,
        identifiers: tuple[str, ...],
        channel: str,
        grants_from: tuple[str, ...] | None = None,
    ) -> tuple[dict[str, str], bool | None, str | None, list[tuple[str, str]]]:
        """For a send: each identifier's pseudonym (created when new), the consent on ``channel`` (False if
        any identifier withdrew, True if any of ``grants_from`` — every identifier when None — granted, None
        when none is on record), the suppression reason ("" when none was given; None when not suppressed)
        and the rows that do not match the ledger, ``(kind, problem)``: a consent problem makes the consent
        False, a suppression problem suppresses (:meth:`state_problems`; not looked for when a suppression
        row already suppresses). The rows and their ledger entries are read in one statement
        (:func:`~brandrail.gate.pseudonyms.resolve_contacts`)."""
        from brandrail.gate.pseudonyms import resolve_contacts

        found = resolve_contacts(conn, self.keys, identifiers, channel, grants_from, ledger=self.ledger)
        return self._contacts(conn, found, channel)

    def contacts_with_gpc(
        self,
        conn: Connection,
        identifiers: tuple[str, ...],
        channel: str,
        grants_from: tuple[str, ...] | None = None,
    ) -> tuple[tuple[dict[str, str], bool | None, str | None, list[tuple[str, str]]], tuple[bool, list[str]]]:
        """:meth:`contacts`, and whether a GPC signal is on record (:func:`brandrail.gate.consent.
        record_gpc`) for any of the identifiers, read in the same statement: ``(on record, problems)``, where
        a GPC consent row that does not match the ledger (``problems``) or an identifier link that does not
        counts as on record (fail closed) — what :meth:`contacts` on the ``gpc`` channel answers, without a
        second read."""
        from brandrail.gate.bindings import state_problem
        from brandrail.gate.consent import GPC_CHANNEL
        from brandrail.gate.pseudonyms import resolve_contacts

        found = resolve_contacts(
            conn, self.keys, identifiers, channel, grants_from, ledger=self.ledger, gpc_channel=GPC_CHANNEL
        )
        result = self._contacts(conn, found, channel)
        if any(pseudonym not in found.gpc for pseudonym in found.pseudonyms.values()):
            # an identifier linked after the statement (another writer linked it first): read it again
            _, granted, _, again = self.contacts(conn, identifiers, GPC_CHANNEL)
            return result, (granted is False, [text for kind, text in again if kind == "consent"])
        problems: list[str] = []
        on_record = bool(found.link_problems)  # whom the address belongs to is not known
        for pseudonym, state in found.gpc.items():
            problem = state_problem("consent", pseudonym, GPC_CHANNEL, *state)
            if problem is not None:
                problems.append(f"a consent record on {GPC_CHANNEL} {problem}")
            elif state[0] is not None and not state[0][0]:
                on_record = True
        return result, (on_record or bool(problems), problems)

    def _contacts(
        self, conn: Connection, found: Any, channel: str
    ) -> tuple[dict[str, str], bool | None, str | None, list[tuple[str, str]]]:
        """:meth:`contacts` from what :func:`~brandrail.gate.pseudonyms.resolve_contacts` read."""
        if found.suppressed is not None:  # a suppression wins whatever the other rows say
            return found.pseudonyms, (all(found.granted) if found.granted else None), found.suppressed, []
        problems = self.state_problems(conn, found, channel)
        granted = found.granted
        suppressed: str | None = None
        if any(kind in ("consent", "link") for kind, _ in problems):
            granted = [*granted, False]  # a record that does not match the ledger counts as a withdrawal
        if any(kind == "suppression" for kind, _ in problems):
            suppressed = "a suppression record does not match the ledger"
        elif any(kind == "link" for kind, _ in problems):
            # whom the address belongs to is not known: neither its consent nor its frequency history
            suppressed = "a link from an identifier to its pseudonym does not match the ledger"
        return found.pseudonyms, (all(granted) if granted else None), suppressed, problems

    def state_problems(self, conn: Connection, found: Any, channel: str) -> list[tuple[str, str]]:
        """The consent and suppression rows of a send (``found``: a
        :class:`brandrail.gate.pseudonyms.Contacts`, read with their ledger entries) checked against those
        entries: ``(kind, problem)`` for each row that is not what its entry recorded, is an older state, or
        was deleted (see :mod:`brandrail.gate.bindings`), and ``("link", problem)`` for each identifier's link
        to its pseudonym that does not match its ``link`` entry."""
        from brandrail.gate.bindings import state_entry_id, state_problem

        problems: list[tuple[str, str]] = [("link", text) for text in found.link_problems]

        def check(kind: str, key: str, ch: str, state: Any) -> None:
            problem = state_problem(kind, key, ch, *state)
            if problem is not None:
                problems.append((kind, f"a {kind} record on {ch} {problem}"))

        for pseudonym, state in found.consent.items():
            check("consent", pseudonym, channel, state)
        for lookup in found.lookups:
            for ch in dict.fromkeys((channel, "*")):
                state = found.suppression.get((lookup, ch))
                if state is None:
                    state = (None, None, state_entry_id("suppression", lookup, ch, 1) in found.first_entries)
                check("suppression", lookup, ch, state)
        return problems

    @property
    def _ledger_table(self) -> str:
        """The ledger's table, quoted (and schema-qualified) for plain SQL."""
        from brandrail.gate.pseudonyms import ledger_table_sql

        return ledger_table_sql(self.ledger)

    # -- reconciliation ---------------------------------------------------------------------------------

    def reconcile(self, sums: LedgerSums | None = None) -> list[Mismatch]:
        """Compare counters and window events with what the ledger's decisions and outcomes imply.

        Returns the mismatches (empty when the state equals the ledger). Used by the crash tests and
        ``brandrail gate reconcile``. ``sums``: the ledger already added up (by a caller that reads the
        ledger once for several checks); read here when None.
        """
        if sums is None:
            sums = LedgerSums()
            for entry in self.ledger.entries():
                if isinstance(payload := entry.payload, dict):
                    sums.add(entry.kind, payload)
        counters, events = sums.counters, sums.events
        problems: list[Mismatch] = []
        with self.reader() as conn:
            stored = {
                str(k): int(v) for k, v in conn.execute(sa.select(t.counters.c.key, t.counters.c.value))
            }
            stored_events = {
                str(k): int(v)
                for k, v in conn.execute(
                    sa.select(t.events.c.key, sa.func.sum(t.events.c.amount)).group_by(t.events.c.key)
                )
            }
        for key in sorted(set(stored) | set(counters)):
            if stored.get(key, 0) != counters.get(key, 0):
                problems.append(Mismatch(key, stored.get(key, 0), counters.get(key, 0)))
        for key in sorted(set(stored_events) | set(events)):
            if stored_events.get(key, 0) != events.get(key, 0):
                problems.append(Mismatch(f"events:{key}", stored_events.get(key, 0), events.get(key, 0)))
        return problems

    # -- decisions --------------------------------------------------------------------------------------

    def decision_row(self, conn: Connection, decision_id: str) -> dict[str, Any] | None:
        row = (
            conn.execute(sa.select(t.decisions).where(t.decisions.c.decision_id == decision_id))
            .mappings()
            .first()
        )
        return dict(row) if row is not None else None

    def decision_response(self, decision_id: str) -> dict[str, Any] | None:
        with self.reader() as conn:
            row = self.decision_row(conn, decision_id)
        return json.loads(row["response"]) if row else None
