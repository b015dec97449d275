"""Numbered schema migrations of the gate's tables, recorded in ``gate_schema_migrations``.

Each step runs once, in order, inside the caller's writer transaction (PostgreSQL additionally holds an
advisory lock, so several gate processes starting at once migrate exactly once). Add a step by
appending ``(version, function)`` to :data:`MIGRATIONS`; never edit a released step.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from brandrail.errors import GateError
from brandrail.gate.store import tables as t

__all__ = [
    "ADD_EVENTS_FUNCTION",
    "ADOPT_LINKS",
    "ADOPT_PRICES",
    "ADOPT_STATE",
    "LOCK_KEY_VERSION",
    "MIGRATIONS",
    "ON_UPGRADE",
    "SCHEMA_VERSION",
    "migrate",
]


def _v1_initial(conn: Connection) -> None:
    """The first schema: every table in :mod:`brandrail.gate.store.tables`."""
    t.metadata.create_all(conn, checkfirst=True)


#: PostgreSQL: take every window key's lock, then count each window and insert the event — one round
#: trip for all of a decision's rolling-window caps. Each statement inside a (volatile) PL/pgSQL function
#: takes a fresh snapshot, so every count runs after the locks are granted and sees every event
#: committed before. On a refusal the events this call inserted are deleted again and the 1-based index
#: of the refusing window is returned with its count; 0 when every event was added.
ADD_EVENTS_FUNCTION = """
CREATE OR REPLACE FUNCTION gate_add_events(
    p_locks bigint[], p_keys text[], p_ats text[], p_los text[], p_his text[], p_caps integer[], p_d text)
RETURNS TABLE(o_refused integer, o_count bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
    i integer;
    n bigint;
BEGIN
    FOR i IN 1 .. coalesce(array_length(p_locks, 1), 0) LOOP
        PERFORM pg_advisory_xact_lock(p_locks[i]);
    END LOOP;
    FOR i IN 1 .. coalesce(array_length(p_keys, 1), 0) LOOP
        SELECT count(*) INTO n FROM gate_events e
            WHERE e.key = p_keys[i] AND e.at > p_los[i] AND e.at < p_his[i];
        IF n >= p_caps[i] THEN
            DELETE FROM gate_events e WHERE e.decision_id = p_d;
            o_refused := i;
            o_count := n;
            RETURN NEXT;
            RETURN;
        END IF;
        INSERT INTO gate_events (key, at, decision_id) VALUES (p_keys[i], p_ats[i], p_d);
    END LOOP;
    o_refused := 0;
    o_count := 0;
    RETURN NEXT;
END
$fn$"""


def _v2_add_events(conn: Connection) -> None:
    """PostgreSQL: the ``gate_add_events`` function (rolling-window caps in one round trip)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(ADD_EVENTS_FUNCTION)


def _v3_subjects_and_bindings(conn: Connection) -> None:
    """Pseudonyms (``gate_subjects``) and the approval rows' ledger binding columns."""
    t.subjects.create(conn, checkfirst=True)
    inspector = sa.inspect(conn)
    for table, names in (
        ("gate_approvals", ("ledger_entry", "ledger_hash")),
        ("gate_decisions", ("ledger_hash",)),
    ):
        columns = {c["name"] for c in inspector.get_columns(table)}
        for name in names:
            if name not in columns:
                conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {name} VARCHAR(64)")


def _v4_state_bindings(conn: Connection) -> None:
    """The consent, suppression and price rows' ledger binding columns (``seq``, ``suppressed``,
    ``set_by``). The rows already there are adopted right after, by :meth:`GateStore.migrate`, which has
    the ledger: each gets an entry that records it as it stands (``adopted``)."""
    inspector = sa.inspect(conn)
    for table, name, ddl in (
        ("gate_consent", "seq", "INTEGER"),
        ("gate_suppression", "seq", "INTEGER"),
        ("gate_suppression", "suppressed", "BOOLEAN NOT NULL DEFAULT TRUE"),
        ("gate_prices", "set_by", "VARCHAR(64)"),
    ):
        if name not in {c["name"] for c in inspector.get_columns(table)}:
            conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {name} {ddl}")


def _v5_link_bindings(conn: Connection) -> None:
    """The identifier links' ledger binding column (``gate_subjects.binding``). The links already there
    are adopted right after, by :meth:`GateStore.migrate`, in ``link`` entries marked ``adopted``."""
    if "binding" not in {c["name"] for c in sa.inspect(conn).get_columns("gate_subjects")}:
        conn.exec_driver_sql("ALTER TABLE gate_subjects ADD COLUMN binding VARCHAR(64)")


def _v6_budgets(conn: Connection) -> None:
    """The campaign budgets an allowed ``set_budget`` sets (``gate_budgets``, bound to ``budget`` entries)."""
    t.budgets.create(conn, checkfirst=True)


def _v7_price_versions(conn: Connection) -> None:
    """The price rows' versions (``gate_prices.seq``, ``present``). The rows already there are adopted right
    after, by :meth:`GateStore.migrate`, in ``price`` entries of version 1 marked ``adopted``."""
    columns = {c["name"] for c in sa.inspect(conn).get_columns("gate_prices")}
    for name, ddl in (("seq", "INTEGER"), ("present", "BOOLEAN NOT NULL DEFAULT TRUE")):
        if name not in columns:
            conn.exec_driver_sql(f"ALTER TABLE gate_prices ADD COLUMN {name} {ddl}")


def _v8_taint(conn: Connection) -> None:
    """The callers a flagged tool result taints (``gate_taint``, bound to ``taint`` entries; AG909)."""
    t.taint.create(conn, checkfirst=True)


def _v9_event_amounts(conn: Connection) -> None:
    """The window events' weight (``gate_events.amount``, 1 for every event already there): the audience
    declared in any 24 hours (AG505) is a rolling window summing declaration sizes, no longer a counter per
    UTC day. The day counters already there (``audience:agent:<principal>:<day>``, ``audience:total:<day>``)
    stay as they are: the ledger's decisions account for them, a release gives them back, and a declaration
    counts the two days its window touches as declared within it until they are past (see
    :func:`brandrail.gate.rules.legacy_audience_keys`)."""
    if "amount" not in {c["name"] for c in sa.inspect(conn).get_columns("gate_events")}:
        conn.exec_driver_sql("ALTER TABLE gate_events ADD COLUMN amount BIGINT NOT NULL DEFAULT 1")


def _v10_schema_lock_keys(conn: Connection) -> None:
    """Nothing in the tables: from this version on (PostgreSQL) the gate's per-key advisory locks are keyed
    by the schema of its tables as well (``brandrail.gate:<schema>:<key>``), so gate stores in different
    schemas of one database never wait on each other. A PostgreSQL store made by an earlier release stays at
    9 — this release then takes both keys, the earlier one first — until ``brandrail ledger
    upgrade-lock-key`` records this step (:meth:`GateStore.upgrade_lock_key`); a new store starts here.
    Earlier releases refuse to open a store of this version."""


#: The step after which existing consent, suppression and price rows are adopted into the ledger.
ADOPT_STATE = 4
#: The step after which existing identifier links are adopted into the ledger.
ADOPT_LINKS = 5
#: The step after which existing price rows are adopted as their first version.
ADOPT_PRICES = 7

MIGRATIONS: list[tuple[int, Callable[[Connection], None]]] = [
    (1, _v1_initial),
    (2, _v2_add_events),
    (3, _v3_subjects_and_bindings),
    (4, _v4_state_bindings),
    (5, _v5_link_bindings),
    (6, _v6_budgets),
    (7, _v7_price_versions),
    (8, _v8_taint),
    (9, _v9_event_amounts),
    (10, _v10_schema_lock_keys),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]
#: The step from which the gate's advisory locks are keyed by schema alone (see :func:`_v10_schema_lock_keys`).
LOCK_KEY_VERSION = 10
#: PostgreSQL: steps that :func:`migrate` records on a new store only; an existing store gets them from
#: :meth:`GateStore.upgrade_lock_key`, once no process of an earlier release writes to it.
ON_UPGRADE = frozenset((LOCK_KEY_VERSION,))


def migrate(conn: Connection) -> list[int]:
    """Apply the steps not yet recorded; returns the versions applied. On PostgreSQL the steps of
    :data:`ON_UPGRADE` are applied to a new store only."""
    t.migrations.create(conn, checkfirst=True)
    done = {int(v) for v in conn.execute(sa.select(t.migrations.c.version)).scalars()}
    held = ON_UPGRADE if done and conn.dialect.name == "postgresql" else frozenset()
    if done and max(done) > SCHEMA_VERSION:
        raise GateError(
            f"the gate store has schema version {max(done)}, newer than this brandrail understands "
            f"({SCHEMA_VERSION})",
            hint="upgrade brandrail",
        )
    applied = []
    for version, step in MIGRATIONS:
        if version in done or version in held:
            continue
        step(conn)
        conn.execute(t.migrations.insert().values(version=version, applied_at=t.iso(datetime.now(UTC))))
        applied.append(version)
    return applied
