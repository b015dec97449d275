"""Appending, reading and exporting: fields, hashes checked against an independent computation."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import io
import json
import math
import sqlite3
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st
from ledger_testlib import fill, pg_engine, run_sql

from brandrail.errors import LedgerError
from brandrail.ledger import GENESIS_HASH, SCHEMA_VERSION, Ledger, canonical_json
from brandrail.ledger._canonical import hash_input


def reference_hash(record: dict[str, object]) -> str:
    """sha256 of the canonical JSON of every field but `hash`, computed without brandrail's code."""
    body = {k: v for k, v in record.items() if k != "hash"}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_entries_form_a_chain(ledger: Ledger) -> None:
    at = dt.datetime(2026, 3, 1, 12, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    with ledger.begin() as conn:
        first = ledger.append(conn, kind="decision", payload={"b": 1, "a": "é"}, policy_version="p1", at=at)
        second = ledger.append(conn, kind="approval", payload=[1, 2.5, None, True], policy_version="p2")
    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == GENESIS_HASH and second.prev_hash == first.hash
    assert first.time == "2026-03-01T10:30:00.000000Z"  # converted to UTC
    assert first.payload_json == '{"a":"é","b":1}'
    uuid.UUID(first.id)
    stored = list(ledger.entries())
    assert stored == [first, second]
    for entry in stored:
        record = {**entry.to_dict()}
        assert entry.hash == reference_hash(record)
        assert entry.computed_hash() == entry.hash


def test_naive_time_is_utc_and_now_is_recent(ledger: Ledger) -> None:
    with ledger.begin() as conn:
        naive = ledger.append(
            conn, kind="k", payload={}, policy_version="", at=dt.datetime(2026, 1, 2, 3, 4, 5)
        )
        now = ledger.append(conn, kind="k", payload={}, policy_version="")
    assert naive.time == "2026-01-02T03:04:05.000000Z"
    stamp = dt.datetime.strptime(now.time, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)
    assert abs((dt.datetime.now(dt.UTC) - stamp).total_seconds()) < 60


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(payload=json_values, kind=st.text(min_size=1, max_size=10), pv=st.text(max_size=10))
def test_hash_input_is_canonical_json_of_the_entry(payload: object, kind: str, pv: str) -> None:
    payload_json = canonical_json(payload)
    fields = {
        "seq": 7,
        "id": "x",
        "time": "t",
        "kind": kind,
        "payload": payload,
        "policy_version": pv,
        "prev_hash": GENESIS_HASH,
    }
    expected = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert hash_input(7, ("x", "t", kind, payload_json, pv, GENESIS_HASH)) == expected
    assert json.loads(payload_json) == payload  # round-trips


def test_canonical_json_converts_common_types_and_rejects_others() -> None:
    value = {
        "when": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        "amount": decimal.Decimal("12.50"),
        "tags": {"b", "a"},
        "pair": (1, 2),
    }
    assert canonical_json(value) == (
        '{"amount":"12.50","pair":[1,2],"tags":["a","b"],"when":"2026-01-01T00:00:00.000000Z"}'
    )
    with pytest.raises(LedgerError, match="canonical JSON"):
        canonical_json({"x": math.nan})
    with pytest.raises(LedgerError, match="not JSON serialisable"):
        canonical_json({"x": object()})


def test_append_validates_input(ledger: Ledger) -> None:
    with ledger.engine.connect() as conn, pytest.raises(LedgerError, match="open transaction"):
        ledger.append(conn, kind="k", payload={}, policy_version="p")
    with ledger.begin() as conn:
        with pytest.raises(LedgerError, match="kind"):
            ledger.append(conn, kind="", payload={}, policy_version="p")
        with pytest.raises(LedgerError, match="policy_version"):
            ledger.append(conn, kind="k", payload={}, policy_version="p" * 200)
        with pytest.raises(LedgerError, match="canonical JSON"):
            ledger.append(conn, kind="k", payload={"x": math.inf}, policy_version="p")
    assert ledger.count() == 0


def test_duplicate_entry_id_is_refused(ledger: Ledger) -> None:
    with ledger.begin() as conn:
        ledger.append(conn, kind="k", payload={}, policy_version="p", entry_id="dec-1")
    with pytest.raises(LedgerError, match="unique"), ledger.begin() as conn:
        ledger.append(conn, kind="k", payload={}, policy_version="p", entry_id="dec-1")
    assert ledger.count() == 1 and ledger.verify().ok


def test_rollback_discards_entry_and_caller_writes_together(ledger: Ledger) -> None:
    counter = sa.Table(
        f"{ledger.table_name}_counter",
        sa.MetaData(),
        sa.Column("k", sa.String(10), primary_key=True),
        sa.Column("n", sa.Integer),
    )
    counter.create(ledger.engine)
    try:
        with ledger.begin() as conn:
            conn.execute(counter.insert().values(k="c", n=0))
        with pytest.raises(RuntimeError), ledger.begin() as conn:
            conn.execute(counter.update().values(n=counter.c.n + 1))
            ledger.append(conn, kind="decision", payload={"n": 1}, policy_version="p")
            raise RuntimeError("the gate failed after writing")
        assert ledger.count() == 0
        with ledger.begin() as conn:
            conn.execute(counter.update().values(n=counter.c.n + 1))
            entry = ledger.append(conn, kind="decision", payload={"n": 1}, policy_version="p")
        assert entry.seq == 1 and entry.prev_hash == GENESIS_HASH
        with ledger.engine.connect() as conn:
            assert conn.execute(sa.select(counter.c.n)).scalar_one() == 1
    finally:
        counter.drop(ledger.engine)


def test_create_schema_is_idempotent_and_versioned(ledger: Ledger) -> None:
    fill(ledger, 3)
    ledger.create_schema()
    ledger.create_schema()
    assert ledger.count() == 3 and ledger.verify().ok
    with ledger.engine.connect() as conn:
        version = conn.execute(
            sa.select(ledger.meta_table.c.value).where(ledger.meta_table.c.key == "schema_version")
        ).scalar_one()
    assert version == str(SCHEMA_VERSION)
    run_sql(ledger, f"UPDATE \"{ledger.table_name}_meta\" SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(LedgerError, match="schema version 99, newer"):
        ledger.create_schema()


def test_entries_filters(ledger: Ledger) -> None:
    times = [dt.datetime(2026, 5, d, tzinfo=dt.UTC) for d in range(1, 7)]
    with ledger.begin() as conn:
        for i, at in enumerate(times, start=1):
            ledger.append(
                conn, kind="approval" if i % 2 else "decision", payload={"i": i}, policy_version="p", at=at
            )
    assert [e.seq for e in ledger.entries(start=2, end=4)] == [2, 3, 4]
    assert [e.seq for e in ledger.entries(kind="decision")] == [2, 4, 6]
    assert [e.seq for e in ledger.entries(start=times[1], end=times[4])] == [2, 3, 4]
    assert [e.payload["i"] for e in ledger.entries(start=5)] == [5, 6]
    with pytest.raises(LedgerError, match="bounds"):
        list(ledger.entries(start="1"))  # type: ignore[arg-type]


def test_export_jsonl_lines_verify_independently(ledger: Ledger) -> None:
    fill(ledger, 5)
    buf = io.StringIO()
    assert ledger.export_jsonl(buf) == 5
    lines = buf.getvalue().splitlines()
    assert len(lines) == 5
    prev = GENESIS_HASH
    for n, line in enumerate(lines, start=1):
        record = json.loads(line)
        assert set(record) == {"seq", "id", "time", "kind", "payload", "policy_version", "prev_hash", "hash"}
        assert record["seq"] == n and record["prev_hash"] == prev
        assert record["hash"] == reference_hash(record)
        prev = record["hash"]
    part = io.StringIO()
    assert ledger.export_jsonl(part, start=2, end=3) == 2


def test_verify_of_missing_table_is_a_ledger_error(ledger: Ledger) -> None:
    other = Ledger(ledger.engine, table=f"{ledger.table_name}_absent")
    assert not other.exists()
    with pytest.raises(LedgerError, match="no ledger table"):
        other.verify()


def test_invalid_names_and_urls() -> None:
    with pytest.raises(LedgerError, match="invalid ledger table name"):
        Ledger(sa.create_engine("sqlite://"), table="x; DROP TABLE y")
    with pytest.raises(LedgerError, match="invalid database URL"):
        Ledger.from_url("not a url")
    with pytest.raises(LedgerError, match="cannot open database"):
        Ledger.from_url("nosuchdialect://x/y")


def test_postgres_url_uses_psycopg3() -> None:
    ledger = Ledger.from_url("postgresql://postgres@127.0.0.1:5432/test")
    assert ledger.engine.dialect.driver == "psycopg"
    ledger.engine.dispose()


@pytest.mark.postgres
def test_postgres_schema_and_advisory_lock_key() -> None:
    schema = f"s_{uuid.uuid4().hex[:10]}"
    engine = pg_engine()
    ledger = Ledger(engine, table="entries", schema=schema)
    try:
        ledger.create_schema()
        fill(ledger, 3)
        assert ledger.verify().ok and ledger.count() == 3
        assert sa.inspect(engine).has_table("entries", schema=schema)
        # the advisory lock is held by the appending transaction and released with it
        with ledger.begin() as conn:
            ledger.append(conn, kind="k", payload={}, policy_version="p")
            held = conn.execute(
                sa.text(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
                )
            ).scalar_one()
            assert held == 1
        assert Ledger(engine, table="entries", schema="other").lock_key != ledger.lock_key
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


def test_sqlite_begin_is_immediate(tmp_path: Path) -> None:
    ledger = Ledger.from_url(f"sqlite:///{tmp_path / 'l.db'}")
    ledger.create_schema()
    other = Ledger.from_url(f"sqlite:///{tmp_path / 'l.db'}")
    with ledger.begin():
        # the write lock is taken at BEGIN: another writer cannot start (it would wait; here it gives up)
        raw = other.engine.raw_connection()
        try:
            raw.driver_connection.execute("PRAGMA busy_timeout = 0")  # type: ignore[union-attr]
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                raw.driver_connection.execute("BEGIN IMMEDIATE")  # type: ignore[union-attr]
        finally:
            raw.close()
    with ledger.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


@pytest.mark.postgres
def test_postgres_synchronous_commit_option() -> None:
    table = f"ledger_{uuid.uuid4().hex[:12]}"
    ledger = Ledger(pg_engine(), table=table, postgres_synchronous_commit="off")
    try:
        ledger.create_schema()
        with ledger.begin() as conn:
            # set by the append itself (inside the append function: no extra round trip)
            ledger.append(conn, kind="k", payload={}, policy_version="p")
            assert conn.execute(sa.text("SHOW synchronous_commit")).scalar_one() == "off"
        with ledger.engine.connect() as conn:  # SET LOCAL: the pooled connection is back to the default
            assert conn.execute(sa.text("SHOW synchronous_commit")).scalar_one() == "on"
        assert ledger.verify().ok
    finally:
        with pg_engine().begin() as conn:
            conn.execute(sa.text(f'DROP FUNCTION IF EXISTS "{table}_append"'))
            conn.execute(sa.text(f'DROP TABLE IF EXISTS "{table}"'))
            conn.execute(sa.text(f'DROP TABLE IF EXISTS "{table}_meta"'))
    with pytest.raises(LedgerError, match="invalid postgres_synchronous_commit"):
        Ledger(pg_engine(), postgres_synchronous_commit="sometimes")
    with pytest.raises(LedgerError, match="invalid sqlite_synchronous"):
        Ledger(pg_engine(), sqlite_synchronous="ALWAYS")


def test_in_memory_ledger_is_safe_across_threads() -> None:
    import threading

    ledger = Ledger.from_url("sqlite://")
    ledger.create_schema()

    def work() -> None:
        for i in range(20):
            with ledger.begin() as conn:
                ledger.append(conn, kind="k", payload={"i": i}, policy_version="p")

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report = ledger.verify()
    assert report.ok and report.count == 80


@pytest.mark.postgres
def test_postgres_append_function_hashes_like_python_and_falls_back_without_it() -> None:
    """The server-side append (one round trip) writes exactly the hash Python computes, for any text;
    a ledger without the function (older schema) appends with plain statements until create_schema."""
    from brandrail.ledger._canonical import entry_hash

    table = f"ledger_{uuid.uuid4().hex[:12]}"
    ledger = Ledger(pg_engine(), table=table)
    odd = {"text": 'quote " backslash \\ tab \t é ü 漢字 😀 \u2028', "n": [1, 2.5, None, True]}
    try:
        ledger.create_schema()
        with ledger.begin() as conn:
            for i in range(3):
                entry = ledger.append(conn, kind="k", payload={**odd, "i": i}, policy_version="p é")
                fields = (entry.id, entry.time, entry.kind, entry.payload_json, "p é", entry.prev_hash)
                assert entry.hash == entry_hash(entry.seq, fields)
        assert ledger._has_function is True
        with pg_engine().begin() as conn:
            conn.execute(sa.text(f'CREATE TABLE "{table}_x" (v text)'))
        side = (f'INSERT INTO "{table}_x" (v) VALUES (%(g_v)s)',)  # the caller's own write, same statement
        with ledger.begin() as conn:
            ledger.append(
                conn, kind="k", payload={}, policy_version="p", before=side, before_params={"g_v": "a"}
            )
        with ledger.begin() as conn:  # rolled back together
            ledger.append(
                conn, kind="k", payload={}, policy_version="p", before=side, before_params={"g_v": "b"}
            )
            conn.rollback()
        with pg_engine().begin() as conn:
            conn.execute(sa.text(f'DROP FUNCTION "{table}_append"'))
        old = Ledger(pg_engine(), table=table)  # a handle that finds no function
        with old.begin() as conn:
            old.append(
                conn, kind="k", payload=odd, policy_version="p", before=side, before_params={"g_v": "c"}
            )
        assert old._has_function is False
        with pg_engine().begin() as conn:
            assert conn.execute(sa.text(f'SELECT v FROM "{table}_x" ORDER BY v')).scalars().all() == [
                "a",
                "c",
            ]
        old.create_schema()  # re-creates it
        with old.begin() as conn:
            old.append(conn, kind="k", payload=odd, policy_version="p")
        assert old._has_function is True
        report = ledger.verify()
        assert report.ok and report.count == 6
    finally:
        with pg_engine().begin() as conn:
            conn.execute(sa.text(f'DROP TABLE IF EXISTS "{table}_x"'))
            conn.execute(sa.text(f'DROP FUNCTION IF EXISTS "{table}_append"'))
            conn.execute(sa.text(f'DROP TABLE IF EXISTS "{table}"'))
            conn.execute(sa.text(f'DROP TABLE IF EXISTS "{table}_meta"'))


@pytest.mark.postgres
def test_postgres_append_refuses_a_hash_the_server_got_wrong() -> None:
    table = f"ledger_{uuid.uuid4().hex[:12]}"
    ledger = Ledger(pg_engine(), table=table)
    try:
        ledger.create_schema()
        fill(ledger, 2)
        wrong = ledger._function_ddl().replace("sha256(convert_to(", "sha224(convert_to(")
        with pg_engine().begin() as conn:
            conn.exec_driver_sql(wrong)
        with pytest.raises(LedgerError, match="the database computed hash"), ledger.begin() as conn:
            ledger.append(conn, kind="k", payload={}, policy_version="p")
        assert ledger.count() == 2  # rolled back
        assert ledger.verify().ok
    finally:
        with pg_engine().begin() as conn:
            conn.execute(sa.text(f'DROP FUNCTION IF EXISTS "{table}_append"'))
            conn.execute(sa.text(f'DROP TABLE IF EXISTS "{table}"'))
            conn.execute(sa.text(f'DROP TABLE IF EXISTS "{table}_meta"'))


@pytest.mark.postgres
def test_postgres_role_without_create_privilege_appends_without_the_function() -> None:
    """A gate role granted only SELECT and INSERT on an existing ledger: create_schema still succeeds
    (the function is not current and cannot be created), and appends use plain statements."""
    table = f"ledger_{uuid.uuid4().hex[:12]}"
    role = f"r_{uuid.uuid4().hex[:10]}"
    owner = Ledger(pg_engine(), table=table)
    owner.create_schema()
    fill(owner, 2)
    with pg_engine().begin() as conn:
        conn.execute(sa.text(f'DROP FUNCTION "{table}_append"'))
        conn.execute(sa.text(f"CREATE ROLE {role} LOGIN"))
        conn.execute(sa.text(f'GRANT SELECT, INSERT ON "{table}", "{table}_meta" TO {role}'))
    engine = sa.create_engine(f"postgresql+psycopg://{role}@127.0.0.1:5432/test")
    try:
        limited = Ledger(engine, table=table)
        limited.create_schema()
        with limited.begin() as conn:
            limited.append(conn, kind="k", payload={"by": "limited"}, policy_version="p")
        assert limited._has_function is False
        owner.create_schema()  # the owner restores the function; nothing else changes
        before = owner.count()
        owner.create_schema()
        assert owner.count() == before == 3
        report = owner.verify()
        assert report.ok and report.count == 3
    finally:
        engine.dispose()
        with pg_engine().begin() as conn:
            conn.execute(sa.text(f'DROP FUNCTION IF EXISTS "{table}_append"'))
            conn.execute(sa.text(f'DROP TABLE IF EXISTS "{table}"'))
            conn.execute(sa.text(f'DROP TABLE IF EXISTS "{table}_meta"'))
            conn.execute(sa.text(f"DROP ROLE IF EXISTS {role}"))
