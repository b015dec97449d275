"""Open a decision log as an Ibis table and check the policy's column mapping against it."""

from __future__ import annotations

import difflib
import glob
from pathlib import Path
from typing import Any

from brandrail.errors import DataError, InputError, UsageError
from brandrail.policy.sections.fairness import FairnessSection

__all__ = ["MISSING", "check_columns", "first_line", "open_table"]

#: Label of the group formed by missing protected values when ``nulls: group``.
MISSING = "(missing)"

_FILE_SUFFIXES = {".csv", ".parquet", ".pq", ".tsv", ".gz"}
_DB_SUFFIXES = {".duckdb", ".ddb", ".db"}


def _is_ibis_table(obj: Any) -> bool:
    import ibis.expr.types as ir

    return isinstance(obj, ir.Table)


def _is_backend(obj: Any) -> bool:
    from ibis.backends import BaseBackend

    return isinstance(obj, BaseBackend)


def open_table(source: Any, table: str | None = None) -> Any:
    """An Ibis table for ``source``: an Ibis table, a connection + ``table``, a URL + ``table``,
    a DuckDB file (+ ``table`` unless it holds one), or a CSV/Parquet path or glob."""
    import ibis

    if _is_ibis_table(source):
        return source
    if _is_backend(source):
        if not table:
            raise UsageError("an Ibis connection needs a table name", hint="pass table='decisions'")
        return _table_of(source, table, str(source.name))
    if not isinstance(source, (str, Path)):
        raise UsageError(
            f"cannot audit a {type(source).__name__}",
            hint="pass a CSV/Parquet path or glob, a DuckDB file, a database URL, "
            "an Ibis table or an Ibis connection",
        )
    text = str(source)
    if "://" in text:
        if not table:
            raise UsageError(f"a database URL needs a table name: {text}", hint="add --table NAME")
        try:
            con = ibis.connect(text)
        except Exception as exc:
            raise InputError(f"cannot connect to {text}: {first_line(exc)}") from None
        return _table_of(con, table, text)
    path = Path(text)
    is_glob = any(ch in text for ch in "*?[")
    matches = sorted(glob.glob(text)) if is_glob else ([text] if path.exists() else [])  # noqa: PTH207
    if not matches:
        raise InputError(
            f"no such file: {text}", hint="give a CSV or Parquet file (or a glob), or a DuckDB file"
        )
    empty = [m for m in matches if Path(m).is_file() and Path(m).stat().st_size == 0]
    if empty:
        raise InputError(
            f"{empty[0]} is empty (0 bytes)", hint="export the decision log again, or leave the file out"
        )
    suffix = Path(matches[0]).suffix.lower()
    if suffix in _DB_SUFFIXES and len(matches) == 1:
        con = ibis.duckdb.connect(matches[0], read_only=True)
        if table is None:
            names = _list_tables(con)
            if len(names) != 1:
                raise UsageError(
                    f"{text} holds {len(names)} tables ({', '.join(names) or 'none'})",
                    hint="add --table NAME",
                )
            table = names[0]
        return _table_of(con, table, text)
    con = ibis.duckdb.connect()
    kinds = {Path(m).suffix.lower() for m in matches}
    try:
        if kinds <= {".parquet", ".pq"}:
            return con.read_parquet(matches)
        if kinds <= {".csv", ".tsv", ".gz"}:
            return con.read_csv(matches)
    except Exception as exc:
        raise InputError(
            f"cannot read {text}: {first_line(exc)}", hint="check that the file is valid CSV or Parquet"
        ) from None
    raise InputError(
        f"cannot read {text}: not CSV or Parquet", hint=f"supported: {', '.join(sorted(_FILE_SUFFIXES))}"
    )


def first_line(exc: BaseException) -> str:
    """The first line of an error from a reader or a database, without the SQL it may echo back."""
    text = str(exc).strip() or type(exc).__name__
    line = text.splitlines()[0].strip()
    for marker in ("[SQL:", "LINE ", "SELECT ", "select "):
        cut = line.find(marker)
        if cut > 0:
            line = line[:cut].rstrip(" :")
    return line[:300]


def _list_tables(con: Any) -> list[str]:
    try:
        return list(con.list_tables())
    except AttributeError:
        # ibis 12's DuckDB list_tables calls DuckDBPyConnection.fetch_arrow_table, gone in duckdb 2.0
        if getattr(con, "name", "") != "duckdb":
            return []
        rows = con.con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
            "ORDER BY table_name"
        ).fetchall()
        return [str(r[0]) for r in rows]
    except Exception:
        return []


def _table_of(con: Any, name: str, where: str) -> Any:
    names = _list_tables(con)
    if names and name not in names:
        close = difflib.get_close_matches(name, names, n=1)
        raise DataError(
            f"no table {name!r} in {where}",
            hint=f"did you mean {close[0]!r}?" if close else f"tables: {', '.join(names[:20])}",
        )
    try:
        return con.table(name)
    except Exception as exc:
        raise DataError(f"cannot open table {name!r} in {where}: {first_line(exc)}") from None


def check_columns(table: Any, section: FairnessSection) -> None:
    """Every mapped column exists (else name it and the nearest); decision/label are binary-typed."""
    columns = list(table.columns)
    lower = {c.lower(): c for c in columns}
    mapped: list[tuple[str, str]] = [("fairness.decision", section.decision)]
    if section.label:
        mapped.append(("fairness.label", section.label))
    if section.ad:
        mapped.append(("fairness.ad", section.ad))
    if section.eligible:
        mapped.append(("fairness.eligible", section.eligible))
    for key in ("outcomes", "protected", "controls", "features"):
        mapped += [(f"fairness.{key}", c) for c in getattr(section, key)]
    if not section.protected:
        raise UsageError(
            "the policy maps no protected attributes",
            hint="set fairness.protected: [column, ...] in the policy",
        )
    for field, name in mapped:
        if name in columns:
            continue
        close = (
            [lower[name.lower()]] if name.lower() in lower else difflib.get_close_matches(name, columns, n=1)
        )
        hint = f"did you mean {close[0]!r}?" if close else f"columns are: {', '.join(columns[:30])}"
        raise DataError(f"column {name!r} ({field}) is not in the data", hint=hint)
    schema = table.schema()
    binary: list[tuple[str, str | None]] = [
        ("fairness.decision", section.decision),
        ("fairness.label", section.label),
        ("fairness.eligible", section.eligible),
    ]
    for field, maybe in binary:
        if maybe is None:
            continue
        name = maybe
        dtype = schema[name]
        if not (dtype.is_boolean() or dtype.is_numeric()):
            raise DataError(
                f"column {name!r} ({field}) must be binary (0/1 or true/false) but has type {dtype}",
                hint="map it to 0/1 before the audit, e.g. CASE WHEN status = 'shown' THEN 1 ELSE 0 END",
            )
    for name in section.outcomes:
        if not schema[name].is_numeric():
            raise DataError(
                f"column {name!r} (fairness.outcomes) must be numeric but has type {schema[name]}",
                hint="cast it to a number or remove it from fairness.outcomes",
            )
