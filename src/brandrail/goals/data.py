"""Open audit data as an Ibis table: CSV, Parquet, a database URL, a pandas frame or an Ibis table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from brandrail.errors import DataError, InputError
from brandrail.fairness.source import first_line

__all__ = ["first_line", "open_table", "require_columns"]


def open_table(data: Any, *, table: str | None = None) -> Any:
    """An Ibis table expression for ``data``.

    ``data`` is an Ibis table, a pandas DataFrame, a path to a ``.csv``/``.parquet`` file (or a directory or
    glob of Parquet files), or a database URL (``duckdb:///file.db``, ``postgresql://...``) with ``table``
    naming the table.
    """
    import ibis

    if isinstance(data, ibis.expr.types.Table):
        return data
    try:
        import pandas as pd

        if isinstance(data, pd.DataFrame):
            return ibis.memtable(data)
    except ImportError:  # pragma: no cover
        pass
    text = str(data)
    if "://" in text:
        if not table:
            raise DataError(
                f"{text}: a database URL needs a table name",
                hint="pass --table NAME or set goals.experiment.table in the policy",
            )
        try:
            con = ibis.connect(text)
            return con.table(table)
        except Exception as exc:
            raise DataError(f"{text}: cannot open table {table!r}: {first_line(exc)}") from None
    path = Path(text)
    con = ibis.duckdb.connect()
    suffixes = "".join(path.suffixes).lower()
    if "*" not in text and not path.exists():
        raise InputError(f"{path}: no such file", hint="give a .csv or .parquet file, or a database URL")
    try:
        if path.is_dir() or suffixes.endswith(".parquet") or suffixes.endswith(".pq"):
            pattern = str(path / "**" / "*.parquet") if path.is_dir() else text
            return con.read_parquet(pattern)
        if suffixes.endswith((".csv", ".csv.gz", ".tsv")):
            return con.read_csv(text)
    except Exception as exc:
        raise DataError(
            f"{path}: cannot read: {first_line(exc)}", hint="check that the file is valid CSV or Parquet"
        ) from None
    raise InputError(
        f"{path}: unknown data format {path.suffix!r}", hint="use .csv, .csv.gz, .parquet, or a database URL"
    )


def require_columns(columns: list[str], wanted: dict[str, str], *, where: str) -> None:
    """Raise :class:`DataError` naming every missing column, what it is for and close matches."""
    import difflib

    missing = [(col, role) for col, role in wanted.items() if col not in columns]
    if not missing:
        return
    parts = []
    for col, role in missing:
        close = difflib.get_close_matches(col, columns, n=1)
        parts.append(f"{col!r} ({role})" + (f", did you mean {close[0]!r}?" if close else ""))
    raise DataError(
        f"missing column(s): {'; '.join(parts)}",
        location=where,
        hint=f"the data has columns: {', '.join(columns[:30])}; map the right names in the policy's goals "
        "section",
    )
