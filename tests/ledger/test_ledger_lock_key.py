"""The PostgreSQL ledger's advisory-lock key is its schema-qualified table's, and the move from the key of
earlier releases (the table name alone) is coordinated (docs/ledger.md, "Upgrading").

Real sessions on the local server, each test in schemas of its own (``pg_testlib.pg_schema``), so the tests
run beside other PostgreSQL tests. A writer that must wait for a lock does so under a short
``write_deadline``: it fails with ``lock_not_available`` instead of hanging; one that must not wait
succeeds.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from brandrail.errors import LedgerError
from brandrail.ledger import SCHEMA_VERSION, Ledger, deadline_error, transient_error, write_deadline
from brandrail.ledger._store import _advisory_key
from pg_testlib import PG_BASE, AdvisoryLockHolder, pg_schema

TABLE = "brandrail_ledger"


def _ledger(url: str, table: str = TABLE) -> Ledger:
    ledger = Ledger.from_url(url, table=table)
    ledger.create_schema()
    return ledger


def _append(ledger: Ledger, wait: float = 0.3) -> int:
    """Append one entry within ``wait`` seconds of lock waits; its seq."""
    with write_deadline(time.monotonic() + wait), ledger.begin() as conn:
        return ledger.append(conn, kind="k", payload={"n": 1}, policy_version="p").seq


def _blocked(ledger: Ledger) -> bool:
    """Whether an append waits for a lock another session holds (it then gives up at a short deadline)."""
    try:
        _append(ledger)
    except Exception as exc:  # the driver's error, as the gate sees it
        # the lock wait's own timeout, or (the statement's timer started a little earlier; on a loaded
        # machine it may end first) the statement's, which the deadline also sets
        assert (transient_error(exc) or deadline_error(exc)) in {"lock_not_available", "statement_timeout"}, (
            exc
        )
        return True
    return False


def _as_earlier_release(ledger: Ledger) -> None:
    """Make ``ledger`` look as an earlier release left it: schema version 1 and append functions whose body
    takes the key they are called with, and only that."""
    earlier = ledger._function_ddl().replace(ledger.pg_lock_block("k"), "PERFORM pg_advisory_xact_lock(k);")
    assert earlier != ledger._function_ddl()
    with ledger.engine.begin() as conn:
        conn.exec_driver_sql(earlier)
        conn.execute(
            sa.text(f"UPDATE \"{ledger.table_name}_meta\" SET value = '1' WHERE key = 'schema_version'")
        )


@contextmanager
def _earlier_writer(url: str, ledger: Ledger, key: int) -> Iterator[sa.Connection]:
    """A session that appends as an earlier release's writer does: it calls the append function with
    ``key`` in an open transaction (and so holds whatever locks the function took) until the block ends."""
    engine = sa.create_engine(url)
    conn = engine.connect()
    try:
        prepared = ledger.prepare(kind="old", payload={}, policy_version="p")
        conn.exec_driver_sql("SET lock_timeout = '300ms'")
        conn.exec_driver_sql(
            f"SELECT * FROM {ledger.append_function}(%(k)s, %(id)s, %(time)s, %(kind)s, %(payload)s, %(pv)s, "
            "%(head)s, %(tail)s, NULL)",
            {
                "k": key,
                "id": prepared.id,
                "time": prepared.time,
                "kind": prepared.kind,
                "payload": prepared.payload_json,
                "pv": prepared.policy_version,
                "head": prepared.head,
                "tail": prepared.tail,
            },
        )
        yield conn
    finally:
        conn.rollback()
        conn.close()
        engine.dispose()


@pytest.mark.postgres
def test_same_table_name_in_two_schemas_has_two_keys_and_no_contention() -> None:
    with pg_schema("lk") as url_a, pg_schema("lk") as url_b:
        a, b = _ledger(url_a), _ledger(url_b)
        schema_a = url_a.rsplit("%3D", 1)[1]
        assert a.lock_key == _advisory_key(f"{schema_a}.{TABLE}")
        assert a.lock_key != b.lock_key and a.lock_keys == (a.lock_key,)
        holder = AdvisoryLockHolder(url_a, a.lock_key)
        try:
            assert _blocked(a)  # its own key held elsewhere: it waits
            assert not _blocked(b)  # the same table name in another schema: it does not
        finally:
            holder.release()
        assert _append(a) == 1 and b.count() == 1
        # one key, whether the schema is configured or comes from search_path
        configured = Ledger(sa.create_engine(PG_BASE), table=TABLE, schema=schema_a)
        assert configured.lock_key == a.lock_key
        configured.engine.dispose()
        a.engine.dispose()
        b.engine.dispose()


@pytest.mark.postgres
def test_the_key_is_the_tables_schema_as_the_server_resolves_it() -> None:
    """search_path names two schemas and the table is in the second: the key is that schema's table's."""
    with pg_schema("lk") as url_first, pg_schema("lk") as url_second:
        first, second = url_first.rsplit("%3D", 1)[1], url_second.rsplit("%3D", 1)[1]
        _ledger(url_second).engine.dispose()
        both = f"{PG_BASE}?options=-csearch_path%3D{first},{second}"
        ledger = Ledger.from_url(both, table=TABLE)
        assert ledger.lock_key == _advisory_key(f"{second}.{TABLE}")
        assert ledger.lock_key != _advisory_key(f"{first}.{TABLE}")
        ledger.engine.dispose()


@pytest.mark.postgres
def test_a_version_1_ledger_keeps_both_keys_until_upgraded() -> None:
    with pg_schema("lk") as url:
        ledger = _ledger(url)
        assert ledger.upgrade_lock_key() is False  # made by this release: version 2 already
        _as_earlier_release(ledger)
        new_key, legacy = ledger.lock_key, ledger.legacy_lock_key
        assert legacy == _advisory_key(TABLE) != new_key

        current = _ledger(url)  # this release opens it: the version stays 1, its writers take both keys
        assert current.lock_keys == (legacy, new_key)
        with current.engine.connect() as conn:
            assert current.readiness(conn) == "ok"  # ready to decide while it waits for the upgrade
        with current.engine.connect() as conn:
            assert (
                conn.exec_driver_sql(
                    f'SELECT value FROM "{TABLE}_meta" WHERE key = %(k)s', {"k": "schema_version"}
                ).scalar()
                == "1"
            )
        for key in (
            legacy,
            new_key,
        ):  # an earlier release's writer holds the first, an upgraded one the second
            holder = AdvisoryLockHolder(url, key)
            try:
                assert _blocked(current), key
            finally:
                holder.release()
        # an earlier release's writer appends through the function this release installed: it takes the
        # schema-qualified key too, so a writer on it alone waits for it
        with _earlier_writer(url, current, legacy):
            holder_conn = sa.create_engine(url)
            with holder_conn.connect() as probe:
                taken = probe.execute(
                    sa.text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": new_key}
                ).scalar_one()
                probe.rollback()
            holder_conn.dispose()
            assert taken is False

        cached = current  # a process that opened it at version 1 and is still running
        upgrader = Ledger.from_url(url, table=TABLE)
        assert upgrader.upgrade_lock_key() is True
        assert upgrader.upgrade_lock_key() is False  # once
        assert upgrader.lock_keys == (new_key,)
        assert _ledger(url).lock_keys == (new_key,)  # processes started after it
        assert cached.lock_keys == (legacy, new_key)  # still both: waits for the new writers' key too
        holder = AdvisoryLockHolder(url, new_key)
        try:
            assert _blocked(cached) and _blocked(upgrader)
        finally:
            holder.release()
        # a writer of an earlier release still running (against the advice) calls the function with the
        # old key: the body takes the new key as well, so it cannot append while a new writer holds it
        holder = AdvisoryLockHolder(url, new_key)
        try:
            with (
                pytest.raises(sa.exc.OperationalError, match="lock timeout"),
                _earlier_writer(url, upgrader, legacy),
            ):
                pass
        finally:
            holder.release()
        assert upgrader.verify().ok
        for one in (ledger, current, upgrader):
            one.engine.dispose()


@pytest.mark.postgres
def test_the_upgrade_needs_the_functions_owner_and_changes_nothing_without() -> None:
    role = f"lk_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG_BASE)
    with pg_schema("lk") as url:
        schema = url.rsplit("%3D", 1)[1]
        ledger = _ledger(url)
        _as_earlier_release(ledger)
        with admin.begin() as conn:
            conn.exec_driver_sql(f'CREATE ROLE "{role}" LOGIN')
            conn.exec_driver_sql(f'GRANT USAGE ON SCHEMA "{schema}" TO "{role}"')
            conn.exec_driver_sql(
                f'GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA "{schema}" TO "{role}"'
            )
        try:
            weak = Ledger.from_url(url.replace("postgres@", f"{role}@"), table=TABLE)
            with pytest.raises(LedgerError, match="may not replace its append functions"):
                weak.upgrade_lock_key()
            weak.engine.dispose()
            with ledger.engine.connect() as conn:
                version = conn.exec_driver_sql(
                    f"SELECT value FROM \"{TABLE}_meta\" WHERE key = 'schema_version'"
                ).scalar()
            assert version == "1"
            assert Ledger.from_url(url, table=TABLE).upgrade_lock_key() is True  # the owner can
        finally:
            with admin.begin() as conn:
                conn.exec_driver_sql(f'DROP OWNED BY "{role}"')
                conn.exec_driver_sql(f'DROP ROLE "{role}"')
            admin.dispose()
            ledger.engine.dispose()


def test_sqlite_ledger_of_version_1_moves_to_2_and_a_newer_one_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'l.db'}"
    ledger = _ledger(url)
    with ledger.engine.begin() as conn:
        conn.exec_driver_sql(f"UPDATE \"{TABLE}_meta\" SET value = '1' WHERE key = 'schema_version'")
    _ledger(url)  # SQLite takes no advisory lock: nothing to coordinate
    with ledger.engine.connect() as conn:
        read = f"SELECT value FROM \"{TABLE}_meta\" WHERE key = 'schema_version'"
        assert conn.exec_driver_sql(read).scalar() == str(SCHEMA_VERSION) == "2"
    with ledger.engine.begin() as conn:
        conn.exec_driver_sql(f"UPDATE \"{TABLE}_meta\" SET value = '3' WHERE key = 'schema_version'")
    with pytest.raises(LedgerError, match="newer than this brandrail"):
        _ledger(url)
    ledger.engine.dispose()


# -- the operator commands --------------------------------------------------------------------------------


def _cli(args: list[str], bound: float = 60.0) -> tuple[int, str]:
    """Run ``brandrail`` with ``args`` in a thread that must end within ``bound`` seconds."""
    import threading

    from typer.testing import CliRunner

    from brandrail.cli import app

    out: list[tuple[int, str]] = []

    def run() -> None:
        result = CliRunner().invoke(app, args)
        out.append((result.exit_code, result.output))

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(bound)
    assert not worker.is_alive(), f"brandrail {' '.join(args)} still runs after {bound:.0f}s"
    return out[0]


@pytest.mark.postgres
def test_cli_upgrade_lock_key_upgrades_once() -> None:
    with pg_schema("lk") as url:
        ledger = _ledger(url)
        _append(ledger)
        _as_earlier_release(ledger)
        code, output = _cli(["ledger", "upgrade-lock-key", "--db", url])
        assert code == 0 and "lock key upgraded" in output, output
        code, output = _cli(["ledger", "upgrade-lock-key", "--db", url])
        assert code == 0 and "nothing to do" in output, output
        assert Ledger.from_url(url).lock_keys == (ledger.lock_key,)
        # it waits for the ledger's writers no longer than --timeout
        _as_earlier_release(ledger)
        holder = AdvisoryLockHolder(url, ledger.legacy_lock_key)
        try:
            code, output = _cli(["ledger", "upgrade-lock-key", "--db", url, "--timeout", "0.3"], bound=10)
        finally:
            holder.release()
        assert code == 2 and "timeout" in output, output  # the lock wait's (or the statement's)
        ledger.engine.dispose()


@pytest.mark.postgres
def test_cli_reading_commands_are_bounded_by_statement_timeout(tmp_path: Path) -> None:
    """Another session holds the ledger table locked (an ALTER TABLE, say): verify, export and checkpoint
    give up after --statement-timeout with exit 2 instead of waiting for it."""
    with pg_schema("lk") as url:
        ledger = _ledger(url)
        _append(ledger)
        key = tmp_path / "keys"
        assert _cli(["ledger", "keygen", "--out", str(key)])[0] == 0
        engine = sa.create_engine(url)
        locker = engine.connect()
        locker.exec_driver_sql(f'LOCK TABLE "{TABLE}" IN ACCESS EXCLUSIVE MODE')
        try:
            for args in (
                ["ledger", "verify", "--db", url],
                ["ledger", "export", "--db", url, "--out", str(tmp_path / "out.jsonl")],
                ["ledger", "checkpoint", "--db", url, "--key", str(key / "ledger_ed25519.pem"), "--out",
                 str(tmp_path / "cp.json")],
            ):  # fmt: skip
                code, output = _cli([*args, "--statement-timeout", "0.3"], bound=10)
                assert code == 2 and "timeout" in output, (args, output)
        finally:
            locker.rollback()
            locker.close()
            engine.dispose()
        code, output = _cli(["ledger", "verify", "--db", url, "--statement-timeout", "0.3"])
        assert code == 0 and output.startswith("ledger OK: 1 entries"), output
        ledger.engine.dispose()


@pytest.mark.parametrize("value", ["-1", "nan", "inf"])
def test_cli_statement_timeout_must_be_a_number_of_seconds(value: str, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'l.db'}"
    _ledger(url).engine.dispose()
    code, output = _cli(["ledger", "verify", "--db", url, "--statement-timeout", value])
    assert code == 2 and "invalid --statement-timeout" in output, output
