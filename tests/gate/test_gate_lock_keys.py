"""PostgreSQL: the gate's per-key advisory locks are keyed by the schema of its tables, so gate stores in two
schemas of one database never wait on each other; a store made by an earlier release takes the earlier key
too until ``brandrail ledger upgrade-lock-key`` moves it (store schema 10).

Real sessions on the local server, each test in schemas of its own. A lock that must be waited for is
waited for under a short ``write_deadline``: it fails with ``lock_not_available`` instead of hanging."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from brandrail.gate import GateStore
from brandrail.gate.store import _lock_key, schema_lock_key
from brandrail.gate.store.migrations import LOCK_KEY_VERSION, SCHEMA_VERSION
from brandrail.ledger import deadline_error, transient_error, write_deadline
from pg_testlib import AdvisoryLockHolder, pg_schema

pytestmark = pytest.mark.postgres

KEY = "approval:0f0f"


def _schema(url: str) -> str:
    return url.rsplit("%3D", 1)[1]


def _blocked(store: GateStore, key: str = KEY, *, events: bool = False) -> bool:
    """Whether taking ``key``'s lock (or adding a window event on it) waits for a lock another session holds."""
    try:
        with write_deadline(time.monotonic() + 0.3), store.transaction() as conn:
            if events:
                now = datetime(2026, 5, 4, 10, tzinfo=UTC)
                store.add_events(conn, [(key, now, timedelta(hours=1), 100)], f"d-{time.monotonic_ns()}")
            else:
                store.lock(conn, key)
    except Exception as exc:  # the driver's error, as the gate sees it
        assert (transient_error(exc) or deadline_error(exc)) in {"lock_not_available", "statement_timeout"}, (
            exc
        )
        return True
    return False


def _as_earlier_release(store: GateStore) -> None:
    """Make a store look as an earlier release left it: schema version 9 (no schema-keyed locks)."""
    with store.engine.begin() as conn:
        conn.execute(
            sa.text("DELETE FROM gate_schema_migrations WHERE version = :v"), {"v": LOCK_KEY_VERSION}
        )


def test_a_new_store_keys_its_locks_by_its_schema_alone() -> None:
    with pg_schema("lka") as url:
        store = GateStore.from_url(url)
        assert store.lock_schema == _schema(url) and store.legacy_locks is False
        with store.engine.connect() as conn:
            assert (
                conn.execute(sa.text("SELECT max(version) FROM gate_schema_migrations")).scalar()
                == SCHEMA_VERSION
            )
        assert store.readiness()["gate_store"] == "ok"
        with store.engine.connect() as conn:
            assert store.lock_keys(conn, KEY) == [schema_lock_key(_schema(url), KEY)]
        store.engine.dispose()


def test_stores_in_two_schemas_never_wait_on_each_other() -> None:
    with pg_schema("lka") as first_url, pg_schema("lkb") as second_url:
        first, second = GateStore.from_url(first_url), GateStore.from_url(second_url)
        assert schema_lock_key(_schema(first_url), KEY) != schema_lock_key(_schema(second_url), KEY)
        holder = AdvisoryLockHolder(first_url, schema_lock_key(_schema(first_url), KEY))
        try:
            assert _blocked(first)  # the same store's writers wait for each other...
            assert _blocked(first, events=True)
            assert not _blocked(second)  # ...another schema's do not
            assert not _blocked(second, events=True)
        finally:
            holder.release()
        assert not _blocked(first)
        # the key of earlier releases (the name alone) is no longer taken by an upgraded store
        holder = AdvisoryLockHolder(first_url, _lock_key(KEY))
        try:
            assert not _blocked(first) and not _blocked(second)
        finally:
            holder.release()
        first.engine.dispose()
        second.engine.dispose()


def test_a_store_of_an_earlier_release_takes_both_keys_until_upgraded() -> None:
    with pg_schema("lkc") as url:
        _as_earlier_release(GateStore.from_url(url))
        store = GateStore.from_url(url)  # this release, on the earlier release's store
        assert store.legacy_locks is True
        with store.engine.connect() as conn:  # migrate() left it at 9: an earlier release may still write
            assert (
                conn.execute(sa.text("SELECT max(version) FROM gate_schema_migrations")).scalar()
                == LOCK_KEY_VERSION - 1
            )
        assert store.readiness()["gate_store"] == "ok"
        schema_key = schema_lock_key(_schema(url), KEY)
        for key in (_lock_key(KEY), schema_key):  # an earlier release's writer, and this release's
            holder = AdvisoryLockHolder(url, key)
            try:
                assert _blocked(store), key
                assert _blocked(store, events=True), key
            finally:
                holder.release()
        assert store.upgrade_lock_key() is True
        assert store.upgrade_lock_key() is False  # once
        upgraded = GateStore.from_url(url)
        assert upgraded.legacy_locks is False and store.legacy_locks is False
        holder = AdvisoryLockHolder(url, _lock_key(KEY))
        try:
            assert not _blocked(upgraded)
        finally:
            holder.release()
        store.engine.dispose()
        upgraded.engine.dispose()


def test_the_cli_upgrade_moves_the_gate_store_too() -> None:
    from typer.testing import CliRunner

    from brandrail.cli import app

    with pg_schema("lkd") as url:
        _as_earlier_release(GateStore.from_url(url))
        result = CliRunner().invoke(app, ["ledger", "upgrade-lock-key", "--db", url])
        assert result.exit_code == 0 and "gate store" in result.output, result.output
        assert GateStore.from_url(url).legacy_locks is False
        again = CliRunner().invoke(app, ["ledger", "upgrade-lock-key", "--db", url])
        assert again.exit_code == 0 and "nothing to do" in again.output, again.output
