"""The audit's output folder: Parquet part files per batch, completion markers, and the run's state.

Layout of ``OUT/``::

    audit.json              what was audited (source, columns, policy version, batch size) — for resuming
    findings/part-N.parquet one row per finding of batch N
    messages/part-N.parquet one row per message of batch N
    batches/part-N.json     written last: batch N is complete (rows, skipped by reason)
    summary.json            the summary (brandrail.audit.summary), report.html its HTML form

Each part is written to a temporary name and renamed, so a part is either whole or absent; a batch counts as
done only when its marker exists, so an interrupted run resumes exactly where it stopped.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

from brandrail.errors import UsageError

__all__ = [
    "FINDINGS_SCHEMA",
    "MESSAGES_SCHEMA",
    "check_findings_table",
    "completed_batches",
    "prepare_out",
    "read_marker",
    "write_marker",
    "write_parts",
    "write_text",
]

STATE = "audit.json"
_DIRS = ("findings", "messages", "batches")


def _schemas() -> tuple[Any, Any]:
    import pyarrow as pa

    findings = pa.schema(
        [
            ("message_id", pa.string()),
            ("code", pa.string()),
            ("rule", pa.string()),
            ("family", pa.string()),
            ("severity", pa.string()),
            ("message", pa.string()),
            ("span_start", pa.int64()),
            ("span_end", pa.int64()),
            ("line", pa.int32()),
            ("col", pa.int32()),
            ("match", pa.string()),
            ("context", pa.string()),
            ("evidence", pa.string()),
            ("channel", pa.string()),
            ("model", pa.string()),
            ("campaign", pa.string()),
            ("sent_at", pa.timestamp("us")),
            ("week", pa.date32()),
            ("policy_version", pa.string()),
        ]
    )
    messages = pa.schema(
        [
            ("message_id", pa.string()),
            ("channel", pa.string()),
            ("model", pa.string()),
            ("campaign", pa.string()),
            ("sent_at", pa.timestamp("us")),
            ("week", pa.date32()),
            ("status", pa.string()),
            ("errors", pa.int32()),
            ("warnings", pa.int32()),
            ("infos", pa.int32()),
            ("score", pa.float64()),
            ("policy_version", pa.string()),
        ]
    )
    return findings, messages


FINDINGS_SCHEMA, MESSAGES_SCHEMA = _schemas()


def _name(index: int, suffix: str) -> str:
    return f"part-{index:08d}.{suffix}"


def _atomic(path: Path, write: Any) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        tmp.replace(path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def write_parts(
    out: Path, index: int, findings: dict[str, list[Any]], messages: dict[str, list[Any]]
) -> None:
    """Write batch ``index``'s findings and messages as Parquet parts (each atomically)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    for folder, columns, schema in (
        ("findings", findings, FINDINGS_SCHEMA),
        ("messages", messages, MESSAGES_SCHEMA),
    ):
        table = pa.Table.from_pydict({name: columns[name] for name in schema.names}, schema=schema)
        _atomic(out / folder / _name(index, "parquet"), lambda tmp, t=table: pq.write_table(t, tmp))


def write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (a reader sees the old file or the new one, never half)."""
    _atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_marker(out: Path, index: int, info: dict[str, Any]) -> None:
    """Mark batch ``index`` complete."""
    text = json.dumps(info, sort_keys=True)
    _atomic(out / "batches" / _name(index, "json"), lambda tmp: tmp.write_text(text, encoding="utf-8"))


def read_marker(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def completed_batches(out: Path) -> dict[int, dict[str, Any]]:
    """Markers of the batches already done, by index."""
    done: dict[int, dict[str, Any]] = {}
    folder = out / "batches"
    if not folder.is_dir():
        return done
    for path in folder.glob("part-*.json"):
        try:
            done[int(path.stem.removeprefix("part-"))] = read_marker(path)
        except (ValueError, json.JSONDecodeError):
            continue  # a marker is written atomically; anything else is not ours
    return done


def prepare_out(out: Path, state: dict[str, Any], *, fresh: bool) -> bool:
    """Make ``out`` ready; True when it holds an earlier, unfinished or finished run of the same audit.

    A folder holding another audit (other source, columns, policy or batch size) is refused unless
    ``fresh``, which clears the audit's own files (never anything else in the folder).
    """
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file", hint="give a folder for the audit's output")
    state_file = out / STATE
    resumed = False
    if state_file.exists():
        try:
            previous = json.loads(state_file.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            previous = None
        if fresh:
            for name in _DIRS:
                shutil.rmtree(out / name, ignore_errors=True)
            for name in ("summary.json", "report.html", STATE):
                with contextlib.suppress(FileNotFoundError):
                    (out / name).unlink()
        elif previous != state:
            changed = sorted(
                k for k in set(state) | set(previous or {}) if (previous or {}).get(k) != state.get(k)
            )
            raise UsageError(
                f"{out} holds another audit (differs in: {', '.join(changed) or 'format'})",
                hint="pass --fresh to start over in that folder, or give another --out",
            )
        else:
            resumed = True
    elif out.is_dir() and any(out.iterdir()):
        raise UsageError(
            f"--out {out} is not empty and holds no audit",
            hint="give a new or empty folder (the audit writes several files there)",
        )
    for name in _DIRS:
        (out / name).mkdir(parents=True, exist_ok=True)
    text = json.dumps(state, sort_keys=True, indent=2)
    _atomic(state_file, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return resumed


def _refuse_other_table(table: str, columns: list[str] | None, where: str) -> None:
    """Only a table of brandrail's findings (or none) may be replaced: never the messages or any other table."""
    if columns is None or columns == list(FINDINGS_SCHEMA.names):
        return
    shown = ", ".join(columns[:8]) + (", …" if len(columns) > 8 else "")
    raise UsageError(
        f"--findings-table {table!r} names an existing table of {where} that is not a brandrail findings table "
        f"(its columns: {shown or 'none'}); it would be replaced",
        hint="give the name of a new table (or of the findings table of an earlier audit)",
    )


def _duckdb_columns(con: Any, table: str) -> list[str] | None:
    rows = con.execute(
        """SELECT column_name FROM duckdb_columns() WHERE database_name = current_database()
           AND schema_name = current_schema() AND table_name = ? ORDER BY column_index""",
        [table],
    ).fetchall()
    kinds = con.execute(
        """SELECT count(*) FROM duckdb_views() WHERE database_name = current_database()
           AND schema_name = current_schema() AND view_name = ?""",
        [table],
    ).fetchall()
    if kinds[0][0]:
        return ["(a view)"]
    return [str(r[0]) for r in rows] if rows else None


def _postgres_columns(conn: Any, table: str) -> list[str] | None:
    """The columns of the relation ``DROP TABLE "table"`` would find through the search path (None: none)."""
    rows = conn.execute(
        """SELECT a.attname, c.relkind FROM pg_class c LEFT JOIN pg_attribute a
             ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
           WHERE c.oid = to_regclass(%s) ORDER BY a.attnum""",
        ('"' + table + '"',),
    ).fetchall()
    if not rows:
        return None
    if rows[0][1] not in ("r", b"r"):
        return ["(not a table)"]
    return [str(r[0]) for r in rows if r[0] is not None]


def check_findings_table(table: str, *, db: str | None = None, duckdb_file: str | None = None) -> None:
    """Refuse (before any checking) a ``--findings-table`` that names an existing table other than findings."""
    import re

    if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", table):
        raise UsageError(f"--findings-table {table!r} is not a plain table name")
    if duckdb_file is not None:
        import duckdb

        try:
            con = duckdb.connect(duckdb_file, read_only=True)
        except Exception:  # opened (and its error reported) with the source
            return
        try:
            _refuse_other_table(table, _duckdb_columns(con, table), duckdb_file)
        finally:
            con.close()
    elif db is not None:
        import psycopg

        try:
            with psycopg.connect(db, autocommit=True) as conn:
                columns = _postgres_columns(conn, table)
        except psycopg.Error:
            return  # the source's own read reports an unreachable database
        _refuse_other_table(table, columns, "the database")


def write_back(out: Path, *, table: str, db: str | None = None, duckdb_file: str | None = None) -> int:
    """Copy the findings of the audit in ``out`` into ``table`` of PostgreSQL (``db``) or a DuckDB file.

    A findings table of an earlier audit is replaced; any other existing table is refused (UsageError), so
    the messages audited, or any other table, are never dropped. Returns the number of rows written.
    """
    import re

    if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", table):
        raise UsageError(f"--findings-table {table!r} is not a plain table name")
    pattern = str(out / "findings" / "*.parquet").replace("'", "''")
    if duckdb_file is not None:
        import duckdb

        con = duckdb.connect(duckdb_file)
        try:
            con.execute("BEGIN TRANSACTION")
            _refuse_other_table(table, _duckdb_columns(con, table), duckdb_file)
            con.execute(f"CREATE OR REPLACE TABLE \"{table}\" AS SELECT * FROM read_parquet('{pattern}')")
            con.execute("COMMIT")
            return int(con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])  # type: ignore[index]
        finally:
            con.close()
    if db is None:
        raise UsageError("--findings-table needs a DuckDB file source or --db")
    import psycopg
    import pyarrow.dataset as ds

    types = {
        "string": "text",
        "int64": "bigint",
        "int32": "integer",
        "double": "double precision",
        "date32[day]": "date",
        "timestamp[us]": "timestamp",
    }
    columns = ", ".join(f'"{f.name}" {types[str(f.type)]}' for f in FINDINGS_SCHEMA)
    names = ", ".join(f'"{f.name}"' for f in FINDINGS_SCHEMA)
    rows = 0
    with psycopg.connect(db) as conn:
        _refuse_other_table(table, _postgres_columns(conn, table), "the database")
        conn.execute(f'DROP TABLE IF EXISTS "{table}"')
        conn.execute(f'CREATE TABLE "{table}" ({columns})')
        with conn.cursor() as cur, cur.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
            dataset = ds.dataset(str(out / "findings"), format="parquet", schema=FINDINGS_SCHEMA)
            for batch in dataset.to_batches():
                data = batch.to_pydict()
                for i in range(batch.num_rows):
                    copy.write_row([data[f.name][i] for f in FINDINGS_SCHEMA])
                rows += batch.num_rows
    return rows
