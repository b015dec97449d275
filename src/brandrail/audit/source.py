"""Read a table of sent messages in batches, whatever holds it: files, DuckDB, PostgreSQL.

The same source conventions as the fairness audit: a CSV / Parquet / JSON Lines file or glob, a DuckDB file
with ``--table`` or ``--query``, or a database URL (``postgresql://…``) with ``--table`` or ``--query``.
Files and DuckDB are read by DuckDB and streamed as Arrow record batches, so memory stays flat whatever the
size; PostgreSQL is read through a server-side cursor.
"""

from __future__ import annotations

import difflib
import glob
import hashlib
import re
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

from brandrail.errors import DataError, InputError, UsageError
from brandrail.fairness.source import first_line

__all__ = ["Source", "open_source"]

_PARQUET = {".parquet", ".pq"}
_CSV = {".csv", ".tsv", ".gz"}
_JSON = {".jsonl", ".ndjson", ".json"}
_DUCKDB = {".duckdb", ".ddb", ".db"}
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class Source:
    """A readable table: its columns, its row count, its distinct values, and its rows in batches."""

    def __init__(
        self,
        *,
        kind: str,
        describe: str,
        relation_sql: str,
        con: Any = None,
        url: str | None = None,
        files: list[str] | None = None,
    ) -> None:
        self.files = files or []
        self.kind = kind  # "duckdb" or "postgres"
        self.describe = describe
        self._relation = relation_sql
        self._con = con
        self._url = url
        self.types: dict[str, str] = {}
        self.columns: list[str] = self._columns()

    # -- reading ---------------------------------------------------------------------------------------------

    def _sql(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        if self.kind == "duckdb":
            try:
                return list(self._con.execute(sql, list(params)).fetchall())
            except Exception as exc:
                raise self._read_error(exc) from None
        import psycopg

        try:
            with psycopg.connect(self._url or "", autocommit=True) as conn:
                return list(conn.execute(sql, params).fetchall())
        except psycopg.Error as exc:
            raise InputError(f"cannot read {self.describe}: {first_line(exc)}") from None

    def _read_error(self, exc: BaseException) -> BrandrailReadError:
        message = first_line(exc)
        full = str(exc).lower()
        if "unicode" in full or "utf-8" in full or "utf8" in full:
            return BrandrailReadError(
                f"cannot read {self.describe}: it holds bytes that are not UTF-8 ({message})",
                hint="convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8), or give Parquet with the "
                "text as a binary column: undecodable messages are then counted and skipped",
            )
        return BrandrailReadError(f"cannot read {self.describe}: {message}")

    def _columns(self) -> list[str]:
        if self.kind == "duckdb":
            try:
                cursor = self._con.execute(f"SELECT * FROM {self._relation} LIMIT 0")
            except Exception as exc:
                raise self._read_error(exc) from None
            self.types = {str(d[0]): str(d[1]) for d in cursor.description}
            return [str(d[0]) for d in cursor.description]
        import psycopg

        try:
            with psycopg.connect(self._url or "", autocommit=True) as conn:
                cur = conn.execute(f"SELECT * FROM {self._relation} LIMIT 0")
                self.types = {str(d.name): str(d.type_display) for d in cur.description or ()}
                return [str(d.name) for d in cur.description or ()]
        except psycopg.Error as exc:
            raise InputError(f"cannot read {self.describe}: {first_line(exc)}") from None

    def require(self, column: str, field: str) -> None:
        """Raise a DataError naming ``column`` (and the nearest column) when the source lacks it."""
        if column in self.columns:
            return
        lower = {c.lower(): c for c in self.columns}
        close = (
            [lower[column.lower()]]
            if column.lower() in lower
            else difflib.get_close_matches(column, self.columns, n=1)
        )
        hint = f"did you mean {close[0]!r}?" if close else f"columns are: {', '.join(self.columns[:30])}"
        raise DataError(f"column {column!r} ({field}) is not in {self.describe}", hint=hint)

    def non_text_type(self, column: str) -> str | None:
        """The type of ``column`` when it is not one that holds text (a number, a date, a list, a struct,
        JSON…); None for text, bytes and types not known here."""
        return non_text_type(self.types.get(column), "duckdb" if self.kind == "duckdb" else "postgres")

    def count(self) -> int:
        """The number of rows."""
        return int(self._sql(f"SELECT count(*) FROM {self._relation}")[0][0])

    def value_counts(self, column: str) -> dict[Any, int]:
        """Each distinct value of ``column`` (None for null) with its number of rows."""
        rows = self._sql(f"SELECT {_quote(column)}, count(*) FROM {self._relation} GROUP BY 1")
        return {r[0]: int(r[1]) for r in rows}

    def duplicates(self, column: str, limit: int = 5) -> tuple[list[tuple[Any, int]], int]:
        """The ``limit`` non-null values of ``column`` on most rows among those on more than one, each with
        its number of rows; and how many values are on more than one row (computed by the backend)."""
        rows = self._sql(
            f"""SELECT value, n, count(*) OVER () FROM (
                  SELECT {_quote(column)} AS value, count(*) AS n FROM {self._relation}
                  WHERE {_quote(column)} IS NOT NULL GROUP BY 1 HAVING count(*) > 1) AS repeated
                ORDER BY n DESC, value LIMIT {int(limit)}"""
        )
        return [(r[0], int(r[1])) for r in rows], int(rows[0][2]) if rows else 0

    def batches(
        self,
        columns: list[str],
        batch_size: int,
        *,
        order_by: str | None = None,
        timestamp: str | None = None,
    ) -> Generator[dict[str, list[Any]], None, None]:
        """The rows of ``columns`` in batches of ``batch_size`` (the last may be smaller), in a stable order.

        ``timestamp`` names a column cast to a timestamp (values that do not parse become null).
        """
        select = []
        for col in columns:
            if col == timestamp:
                cast = f"TRY_CAST({_quote(col)} AS TIMESTAMP)" if self.kind == "duckdb" else _quote(col)
                select.append(f"{cast} AS {_quote(col)}")
            else:
                select.append(_quote(col))
        sql = f"SELECT {', '.join(select)} FROM {self._relation}"
        if order_by is not None:
            sql += f" ORDER BY {_quote(order_by)}"
        if self.kind == "duckdb":
            yield from self._duckdb_batches(sql, columns, batch_size)
        else:
            yield from self._postgres_batches(sql, columns, batch_size)

    def _duckdb_batches(self, sql: str, columns: list[str], size: int) -> Iterator[dict[str, list[Any]]]:
        try:
            reader = self._con.sql(sql).to_arrow_reader(size)
        except Exception as exc:
            raise self._read_error(exc) from None
        pending: dict[str, list[Any]] = {c: [] for c in columns}
        filled = 0
        while True:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                break
            except Exception as exc:
                raise self._read_error(exc) from None
            data = batch.to_pydict()
            n = batch.num_rows
            start = 0
            while start < n:
                take = min(size - filled, n - start)
                for c in columns:
                    pending[c].extend(data[c][start : start + take])
                filled += take
                start += take
                if filled == size:
                    yield pending
                    pending = {c: [] for c in columns}
                    filled = 0
        if filled:
            yield pending

    def _postgres_batches(self, sql: str, columns: list[str], size: int) -> Iterator[dict[str, list[Any]]]:
        import psycopg

        try:
            with psycopg.connect(self._url or "") as conn, conn.cursor(name="brandrail_audit") as cur:
                cur.itersize = size
                cur.execute(sql)
                while True:
                    rows = cur.fetchmany(size)
                    if not rows:
                        break
                    yield {c: [r[i] for r in rows] for i, c in enumerate(columns)}
        except psycopg.Error as exc:
            raise InputError(f"cannot read {self.describe}: {first_line(exc)}") from None

    def fingerprint(self) -> str:
        """Identifies what is read (not its content): the relation and, for files, their sizes and times."""
        digest = hashlib.sha256(self.describe.encode())
        digest.update(self._relation.encode())
        for name in self.files:
            stat = Path(name).stat()
            digest.update(f"{name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
        return digest.hexdigest()[:16]

    def close(self) -> None:
        if self._con is not None:
            self._con.close()


#: DuckDB types a text column may have: text, bytes (decoded as UTF-8 row by row), an enum of labels; NULL
#: when every value is null.
_DUCKDB_TEXT = ("VARCHAR", "BLOB", "ENUM(", "NULL", '"NULL"')
#: PostgreSQL types that do not hold a message's text (others, e.g. an extension's text type, are read).
_POSTGRES_NOT_TEXT = {
    "bool",
    "int2",
    "int4",
    "int8",
    "float4",
    "float8",
    "numeric",
    "money",
    "date",
    "time",
    "timetz",
    "timestamp",
    "timestamptz",
    "interval",
    "uuid",
    "json",
    "jsonb",
    "oid",
    "point",
    "inet",
    "cidr",
}


def non_text_type(type_name: str | None, backend: str) -> str | None:
    """``type_name`` when a column of it does not hold text on ``backend`` (duckdb or postgres), else None."""
    if type_name is None:
        return None
    if backend == "duckdb":
        return None if type_name.upper().startswith(_DUCKDB_TEXT) and "[" not in type_name else type_name
    base = type_name.split("(", 1)[0].strip().lower()
    return type_name if base in _POSTGRES_NOT_TEXT or type_name.endswith("[]") else None


class BrandrailReadError(InputError):
    """The source could not be read."""


def _relation_for(table: str | None, query: str | None, where: str) -> str:
    if table and query:
        raise UsageError("give --table or --query, not both")
    if query:
        if not query.strip():
            raise UsageError("--query is empty")
        return f"({query}) AS brandrail_source"
    if not table:
        raise UsageError(f"{where} needs --table NAME or --query SQL")
    if not _IDENT.match(table):
        raise UsageError(
            f"--table {table!r} is not a plain table name", hint="use --query for anything more complex"
        )
    return ".".join(_quote(part) for part in table.split("."))


def _duckdb_config() -> dict[str, str | bool | int | float | list[str]]:
    """DuckDB for reading: 256 MB, two threads; an aggregate over the whole table (the id check) spills to
    the system's temporary folder beyond that (DuckDB's default is ``.tmp`` in the current folder)."""
    import tempfile

    spill = Path(tempfile.gettempdir()) / "brandrail-duckdb-spill"
    return {"memory_limit": "256MB", "threads": "2", "temp_directory": str(spill)}


def open_source(
    data: str | None, *, db: str | None = None, table: str | None = None, query: str | None = None
) -> Source:
    """Open the messages to audit: a file/glob ``data``, or a database URL ``db``, with ``table``/``query``."""
    if (data is None) == (db is None):
        raise UsageError("give either a DATA path or --db URL (not both)")
    import duckdb

    if db is not None:
        if not db.startswith(("postgresql://", "postgres://")):
            raise UsageError(
                f"--db {db!r} is not a PostgreSQL URL",
                hint="use postgresql://user@host/db, or a DuckDB file path",
            )
        relation = _relation_for(table, query, "a database URL")
        return Source(kind="postgres", describe=db.split("@")[-1], relation_sql=relation, url=db)
    assert data is not None
    is_glob = any(ch in data for ch in "*?[")
    matches = sorted(glob.glob(data)) if is_glob else ([data] if Path(data).exists() else [])  # noqa: PTH207
    if not matches:
        raise InputError(
            f"no such file: {data}",
            hint="give a Parquet, CSV or JSON Lines file (or a glob), or a DuckDB file",
        )
    for match in matches:
        if not Path(match).is_file():
            raise InputError(f"{match} is not a regular file")
    suffixes = {Path(m).suffix.lower() for m in matches}
    if suffixes <= _DUCKDB and len(matches) == 1:
        try:
            con = duckdb.connect(matches[0], read_only=True, config=_duckdb_config())
        except Exception as exc:
            raise InputError(f"cannot open DuckDB file {matches[0]}: {first_line(exc)}") from None
        relation = _relation_for(table, query, "a DuckDB file")
        return Source(kind="duckdb", describe=matches[0], relation_sql=relation, con=con, files=matches)
    if table or query:
        raise UsageError("--table and --query go with a DuckDB file or --db, not with data files")
    files = "[" + ", ".join("'" + m.replace("'", "''") + "'" for m in matches) + "]"
    if suffixes <= _PARQUET:
        relation = f"read_parquet({files})"
    elif suffixes <= _CSV:
        relation = f"read_csv({files}, header = true)"
    elif suffixes <= _JSON:
        relation = f"read_json_auto({files}, format = 'newline_delimited')"
    else:
        raise InputError(
            f"cannot read {data}: mixed or unknown file types ({', '.join(sorted(suffixes))})",
            hint="supported: Parquet (.parquet), CSV (.csv, .tsv, .csv.gz), JSON Lines (.jsonl, .ndjson), DuckDB (.duckdb)",
        )
    con = duckdb.connect(config=_duckdb_config())  # it streams the rows
    con.execute("SET preserve_insertion_order = true")
    return Source(kind="duckdb", describe=data, relation_sql=relation, con=con, files=matches)
