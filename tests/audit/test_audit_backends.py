"""The content audit on PostgreSQL (for real, not mocked) and on local Spark: the same rows as the local engine."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from audit_testlib import make_rows, policy, write_parquet

from pg_testlib import pg_available

pytest.importorskip("duckdb")
pytestmark = pytest.mark.extras

from brandrail.audit import audit_content  # noqa: E402

PG = "postgresql://postgres@127.0.0.1:5432/test"


def _rows(out: Path, folder: str, columns: str) -> list[tuple[Any, ...]]:
    import duckdb

    return [
        tuple(r)
        for r in duckdb.sql(
            f"SELECT {columns} FROM read_parquet('{out}/{folder}/*.parquet') ORDER BY ALL"
        ).fetchall()
    ]


@pytest.fixture
def pg_table() -> Any:
    if not pg_available():
        pytest.skip("PostgreSQL not reachable at 127.0.0.1:5432")
    import psycopg

    schema = f"au_{uuid.uuid4().hex[:10]}"
    url = f"{PG}?options=-csearch_path%3D{schema}"
    rows = make_rows(700)
    with psycopg.connect(PG, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
        conn.execute(
            f'CREATE TABLE "{schema}".sent (msg_id text primary key, body text, channel text, sent_at timestamp, model text, campaign text)'
        )
        with conn.cursor() as cur, cur.copy(f'COPY "{schema}".sent FROM STDIN') as copy:
            for r in reversed(rows):  # stored out of id order: the audit orders by id itself
                copy.write_row(
                    [r["msg_id"], r["body"], r["channel"], r["sent_at"], r["model"], r["campaign"]]
                )
    yield url, rows
    with psycopg.connect(PG, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.mark.postgres
def test_postgres_table_and_query_match_the_parquet_audit(pg_table: Any, tmp_path: Path) -> None:
    url, rows = pg_table
    pol = policy()
    path = write_parquet(rows, tmp_path / "m.parquet")
    audit_content(path, pol, out=tmp_path / "pq", workers=1)
    pg = audit_content(
        None,
        pol,
        db=url,
        table="sent",
        out=tmp_path / "pg",
        workers=2,
        batch_size=100,
        findings_table="brandrail_findings",
    )
    cols = "message_id, code, span_start, span_end, severity, channel, model, campaign, week"
    assert _rows(tmp_path / "pg", "findings", cols) == _rows(tmp_path / "pq", "findings", cols)
    assert _rows(tmp_path / "pg", "messages", "message_id, status, week") == _rows(
        tmp_path / "pq", "messages", "message_id, status, week"
    )
    assert pg.run["findings_table"]["rows"] == len(_rows(tmp_path / "pq", "findings", cols))
    import psycopg

    with psycopg.connect(url) as conn:
        count = conn.execute("SELECT count(*), count(DISTINCT message_id) FROM brandrail_findings").fetchone()
    assert count is not None and count[0] == pg.run["findings_table"]["rows"] and count[1] > 0
    from brandrail.errors import UsageError

    with pytest.raises(
        UsageError, match=r"--findings-table 'sent' names an existing table .*\(its columns: msg_id"
    ):
        audit_content(None, pol, db=url, table="sent", out=tmp_path / "x", findings_table="sent")
    with psycopg.connect(url) as conn:  # the messages are still there
        assert conn.execute("SELECT count(*) FROM sent").fetchone() == (len(rows),)
    again = audit_content(
        None, pol, db=url, table="sent", out=tmp_path / "pg2", findings_table="brandrail_findings"
    )
    assert again.run["findings_table"]["rows"] == pg.run["findings_table"]["rows"]
    q = audit_content(
        None, pol, db=url, query="SELECT * FROM sent WHERE model = 'model-a'", out=tmp_path / "q", workers=1
    )
    assert q.rows == sum(1 for r in rows if r["model"] == "model-a")


@pytest.mark.postgres
def test_postgres_bad_table_is_a_clear_error(pg_table: Any, tmp_path: Path) -> None:
    from brandrail.errors import InputError

    url, _ = pg_table
    with pytest.raises(InputError, match="cannot read") as info:
        audit_content(None, policy(), db=url, table="nope", out=tmp_path / "o")
    assert "SELECT" not in str(info.value)


@pytest.mark.postgres
def test_postgres_ids_on_several_rows_are_refused(pg_table: Any, tmp_path: Path) -> None:
    from brandrail.errors import DataError

    url, rows = pg_table
    twice = sum(1 for r in rows if r["model"] == "model-a")
    with pytest.raises(DataError, match=f"is not unique .*: {twice:,} values are on more than one row"):
        audit_content(
            None,
            policy(),
            db=url,
            query="SELECT * FROM sent UNION ALL SELECT * FROM sent WHERE model = 'model-a'",
            out=tmp_path / "o",
        )
    assert not (tmp_path / "o").exists()


@pytest.mark.postgres
def test_postgres_text_column_that_is_not_text_is_refused(pg_table: Any, tmp_path: Path) -> None:
    from brandrail.errors import DataError

    url, _ = pg_table
    for expr, kind in (("length(body)", "int4"), ("ARRAY[body]", "text[]"), ("to_jsonb(body)", "jsonb")):
        with pytest.raises(
            DataError, match=rf"column 'body' \(audit.content.text\) holds {re.escape(kind)} values"
        ):
            audit_content(
                None,
                policy(),
                db=url,
                query=f"SELECT msg_id, {expr} AS body, channel, sent_at, model, campaign FROM sent",
                out=tmp_path / "o",
            )
        assert not (tmp_path / "o").exists()


def _copy_rows(url: str, rows: list[dict[str, Any]]) -> None:
    import psycopg

    with (
        psycopg.connect(url, autocommit=True) as conn,
        conn.cursor() as cur,
        cur.copy("COPY sent FROM STDIN") as copy,
    ):
        for r in rows:
            copy.write_row([r["msg_id"], r["body"], r["channel"], r["sent_at"], r["model"], r["campaign"]])


def _interrupted(url: str, out: Path, after_rows: int) -> None:
    def stop(done: int, total: int) -> None:
        if done >= after_rows:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        audit_content(None, policy(), db=url, table="sent", out=out, workers=1, batch_size=50, progress=stop)


@pytest.mark.postgres
def test_postgres_resume_refuses_a_table_that_changed_under_done_batches(
    pg_table: Any, tmp_path: Path
) -> None:
    """A live table gains or loses rows between an interrupted run and its resume: done batches no longer
    hold what was checked. Resuming would count some messages twice and never check others."""
    import duckdb
    import psycopg

    from brandrail.errors import DataError

    url, rows = pg_table
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DELETE FROM sent")
    _copy_rows(url, rows[0:600:2])  # every other message first
    _interrupted(url, tmp_path / "o", 100)
    with psycopg.connect(url) as conn:  # the interrupted read let go of the table (no cursor left open)
        conn.execute("LOCK TABLE sent IN ACCESS EXCLUSIVE MODE NOWAIT")
    _copy_rows(url, rows[1:600:2])  # the rest arrive, ids between the ones already checked
    with pytest.raises(DataError, match=r"source changed .* batch 0 \(from row 0\) no longer holds the rows"):
        audit_content(None, policy(), db=url, table="sent", out=tmp_path / "o", workers=2, batch_size=50)
    with psycopg.connect(url, autocommit=True) as conn:  # a text edited in place is a change too
        conn.execute("DELETE FROM sent WHERE msg_id >= %s", (rows[600]["msg_id"],))
    _interrupted(url, tmp_path / "edit", 100)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE sent SET body = 'flimsy' WHERE msg_id = %s", (rows[3]["msg_id"],))
    with pytest.raises(DataError, match=r"batch 0 .* no longer holds the rows"):
        audit_content(None, policy(), db=url, table="sent", out=tmp_path / "edit", workers=1, batch_size=50)
    # rows gone at the end: done batches past the new end
    _interrupted(url, tmp_path / "gone", 300)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DELETE FROM sent WHERE msg_id >= %s", (rows[150]["msg_id"],))
    with pytest.raises(DataError, match=r"batch 3 \(from row 150\) is gone"):
        audit_content(None, policy(), db=url, table="sent", out=tmp_path / "gone", workers=1, batch_size=50)
    # appended after the done batches (ids sort after them): the resume checks only what is new
    _copy_rows(url, rows[150:600])
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DELETE FROM sent WHERE msg_id >= %s", (rows[300]["msg_id"],))
    _interrupted(url, tmp_path / "grow", 100)
    _copy_rows(url, rows[300:700])
    resumed = audit_content(
        None, policy(), db=url, table="sent", out=tmp_path / "grow", workers=2, batch_size=50
    )
    assert resumed.run["resumed_batches"] == 2
    (counts,) = duckdb.sql(
        f"SELECT count(*), count(DISTINCT message_id) FROM read_parquet('{tmp_path / 'grow'}/messages/*.parquet')"
    ).fetchall()
    assert counts == (resumed.messages, resumed.messages)  # every message once
    assert resumed.rows == 700 and resumed.messages + sum(resumed.skipped.values()) == 700


@pytest.mark.spark
@pytest.mark.slow
@pytest.mark.xdist_group("audit-spark")
def test_spark_gives_the_same_rows_as_the_local_engine(tmp_path: Path) -> None:
    pytest.importorskip("pyspark")
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F  # noqa: N812

    from brandrail.errors import DataError
    from brandrail.spark import audit, audit_to_folder

    rows = make_rows(500)
    path = write_parquet(rows, tmp_path / "m.parquet")
    pol = policy()
    local = audit_content(path, pol, out=tmp_path / "local", workers=1)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("brandrail-audit-test")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    try:
        remote = audit_to_folder(str(path), pol, tmp_path / "spark", spark=session)
        frames = audit(session.read.parquet(str(path)), pol)
        in_memory = frames.findings.count()
        doubled = session.read.parquet(str(path)).limit(7)
        with pytest.raises(DataError, match=r"7 values are on more than one row: 'm000000' \(2 rows\)"):
            audit(doubled.unionAll(doubled), pol)
        with pytest.raises(DataError, match=r"holds array<string> values, not text"):
            audit(doubled.withColumn("body", F.array("body")), pol)
    finally:
        session.stop()
    cols = "message_id, code, rule, family, severity, message, span_start, span_end, line, col, match, context, evidence, channel, model, campaign, sent_at, week, policy_version"
    assert _rows(tmp_path / "spark", "findings", cols) == _rows(tmp_path / "local", "findings", cols)
    mcols = "message_id, channel, model, campaign, sent_at, week, status, errors, warnings, infos, score, policy_version"
    assert _rows(tmp_path / "spark", "messages", mcols) == _rows(tmp_path / "local", "messages", mcols)
    assert remote.skipped == local.skipped and remote.failed == local.failed
    assert in_memory == len(_rows(tmp_path / "local", "findings", cols))
