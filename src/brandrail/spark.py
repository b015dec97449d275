"""The content audit as a Spark job: ``brandrail.spark.audit(df, policy)`` or ``brandrail audit content
--engine spark``.

Each executor's Python worker loads the policy once (cached by version) and checks Arrow record batches with
``mapInArrow`` — the same :func:`brandrail.audit.worker.check_batch` the local engine runs, so both engines give
the same rows for the same messages. One pass produces findings, messages and skipped rows together; they are
split afterwards, so every message is checked once.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from brandrail._extras import require as _require

_require("spark", "pyspark", "pyarrow")

# Local Spark starts Python workers with this interpreter (where brandrail is installed), not "python3".
os.environ.setdefault("PYSPARK_PYTHON", sys.executable)

from brandrail.audit.run import RunInfo, resolve_mapping, validate_source  # noqa: E402
from brandrail.audit.worker import (  # noqa: E402
    FINDING_COLUMNS,
    MESSAGE_COLUMNS,
    Mapping_,
    check_batch,
    policy_from_spec,
)
from brandrail.errors import DataError, UsageError  # noqa: E402
from brandrail.policy import Policy  # noqa: E402

__all__ = ["SparkAudit", "audit", "audit_to_folder"]

_KIND = "row_kind"


@dataclass(frozen=True, slots=True)
class SparkAudit:
    """The audit's DataFrames: ``findings`` (one row per finding), ``messages`` (one per message) and
    ``skipped`` (reason, count)."""

    findings: Any
    messages: Any
    skipped: Any


def _spec(policy: Policy) -> dict[str, Any]:
    """The policy as plain data when it rebuilds to the same version (executors may not see its files)."""
    from brandrail.policy import policy_from_dict

    try:
        if policy_from_dict(policy.raw()).version == policy.version:
            return {"data": policy.raw(), "version": policy.version}
    except Exception:
        pass
    if policy.source and Path(policy.source).is_file():
        return {"path": str(Path(policy.source).resolve()), "version": policy.version}
    raise UsageError("this policy cannot be shipped to Spark executors", hint="load it from a file")


def _out_schema() -> Any:
    import pyarrow as pa

    from brandrail.audit.parts import FINDINGS_SCHEMA, MESSAGES_SCHEMA

    fields = [pa.field(_KIND, pa.string())]
    seen = {_KIND}
    for schema in (FINDINGS_SCHEMA, MESSAGES_SCHEMA):
        for f in schema:
            if f.name not in seen:
                fields.append(f)
                seen.add(f.name)
    return pa.schema(fields)


def _spark_ddl(schema: Any) -> str:
    import pyarrow as pa

    names = {
        pa.string(): "string",
        pa.int64(): "bigint",
        pa.int32(): "int",
        pa.float64(): "double",
        pa.date32(): "date",
        pa.timestamp("us"): "timestamp_ntz",
    }
    return ", ".join(f"`{f.name}` {names[f.type]}" for f in schema)


def _checker(spec: dict[str, Any], mapping: Mapping_) -> Any:
    schema = _out_schema()

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        policy = policy_from_spec(spec)
        for batch in batches:
            columns = batch.to_pydict()
            out = check_batch(columns, mapping, policy)
            rows: dict[str, list[Any]] = {f.name: [] for f in schema}
            n_f = len(out.findings["message_id"])
            n_m = len(out.messages["message_id"])
            skips = sorted(out.skipped.items())
            for name in rows:
                if name == _KIND:
                    rows[name] = ["finding"] * n_f + ["message"] * n_m + ["skipped"] * len(skips)
                    continue
                f_vals = out.findings.get(name, [None] * n_f) if name in FINDING_COLUMNS else [None] * n_f
                m_vals = out.messages.get(name, [None] * n_m) if name in MESSAGE_COLUMNS else [None] * n_m
                s_vals: list[Any] = [None] * len(skips)
                if name == "status":
                    s_vals = [reason for reason, _n in skips]
                elif name == "errors":
                    s_vals = [n for _reason, n in skips]
                rows[name] = list(f_vals) + list(m_vals) + s_vals
            yield pa.RecordBatch.from_pydict(rows, schema=schema)

    return run


class _FrameSource:
    """What :func:`validate_source` needs, over a Spark DataFrame."""

    def __init__(self, df: Any) -> None:
        self.df = df
        self.columns = list(df.columns)
        self.describe = "the DataFrame"

    def require(self, column: str, field: str) -> None:
        if column not in self.columns:
            import difflib

            close = difflib.get_close_matches(column, self.columns, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"columns are: {', '.join(self.columns[:30])}"
            raise DataError(f"column {column!r} ({field}) is not in the DataFrame", hint=hint)

    def value_counts(self, column: str) -> dict[Any, int]:
        return {row[0]: int(row[1]) for row in self.df.groupBy(column).count().collect()}

    def non_text_type(self, column: str) -> str | None:
        kind = self.df.schema[column].dataType
        name = str(kind.typeName())
        return None if name in ("string", "binary", "varchar", "char", "void") else kind.simpleString()

    def duplicates(self, column: str, limit: int = 5) -> tuple[list[tuple[Any, int]], int]:
        from pyspark.sql import functions as F  # noqa: N812

        repeated = (
            self.df.where(F.col(f"`{column}`").isNotNull()).groupBy(f"`{column}`").count().where("count > 1")
        )
        top = repeated.orderBy(F.desc("count"), F.col(f"`{column}`")).limit(limit).collect()
        if not top:
            return [], 0
        return [(row[0], int(row[1])) for row in top], int(repeated.count())


def audit(df: Any, policy: Policy, *, columns: Mapping[str, Any] | None = None) -> SparkAudit:
    """Audit the messages of a Spark DataFrame against ``policy``; lazy until an action runs.

    ``columns`` overrides the policy's ``audit.content`` mapping. Without an id column each message gets
    Spark's ``monotonically_increasing_id`` as its id.
    """
    from pyspark.sql import functions as F  # noqa: N812

    mapping = resolve_mapping(policy, columns)
    validate_source(_FrameSource(df), mapping, policy)  # type: ignore[arg-type]
    if mapping.id is None:
        df = df.withColumn("_brandrail_id", F.monotonically_increasing_id().cast("string"))
        mapping = Mapping_(**{**_fields(mapping), "id": "_brandrail_id"})
    select = []
    for col in mapping.columns():
        if col == mapping.sent_at:
            select.append(F.expr(f"try_cast(`{col}` AS timestamp)").alias(col))
        else:
            select.append(F.col(f"`{col}`"))
    schema = _out_schema()
    combined = df.select(*select).mapInArrow(_checker(_spec(policy), mapping), _spark_ddl(schema)).cache()
    findings = combined.where(F.col(_KIND) == "finding").select(*FINDING_COLUMNS)
    messages = combined.where(F.col(_KIND) == "message").select(*MESSAGE_COLUMNS)
    skipped = (
        combined.where(F.col(_KIND) == "skipped")
        .groupBy(F.col("status").alias("reason"))
        .agg(F.sum("errors").alias("count"))
    )
    return SparkAudit(findings=findings, messages=messages, skipped=skipped)


def _fields(mapping: Mapping_) -> dict[str, Any]:
    return {name: getattr(mapping, name) for name in Mapping_.__slots__}


def _read(spark: Any, data: str) -> Any:
    suffix = Path(data.rstrip("*")).suffix.lower() or Path(data).suffix.lower()
    if suffix in (".parquet", ".pq"):
        return spark.read.parquet(data)
    if suffix in (".csv", ".tsv", ".gz"):
        return spark.read.option("header", True).option("inferSchema", True).csv(data)
    if suffix in (".jsonl", ".ndjson", ".json"):
        return spark.read.json(data)
    raise UsageError(f"--engine spark cannot read {data}", hint="give Parquet, CSV or JSON Lines files")


def audit_to_folder(
    data: str | None,
    policy: Policy,
    out: Path,
    *,
    columns: Mapping[str, Any] | None = None,
    fresh: bool = False,
    compare: str | None = None,
    baseline: str | Path | None = None,
    spark: Any = None,
) -> Any:
    """Run :func:`audit` on files and write the same output folder as the local engine."""
    from pyspark.sql import SparkSession

    from brandrail.audit import finish_audit
    from brandrail.audit.parts import prepare_out

    if data is None:
        raise UsageError("--engine spark needs DATA files")
    session = spark or SparkSession.builder.appName("brandrail-audit").getOrCreate()
    session.conf.set("spark.sql.session.timeZone", "UTC")
    df = _read(session, data)
    result = audit(df, policy, columns=columns)
    prepare_out(
        out,
        {"layout": 1, "engine": "spark", "source": data, "policy_version": policy.version},
        fresh=fresh,  # Spark recomputes lost partitions itself; a rerun of the same audit starts over
    )
    result.findings.write.mode("overwrite").parquet(str(out / "findings"))
    result.messages.write.mode("overwrite").parquet(str(out / "messages"))
    skipped = {str(r["reason"]): int(r["count"]) for r in result.skipped.collect()}
    rows = int(df.count())
    info = RunInfo(
        rows=rows, skipped=skipped, engine="spark", workers=session.sparkContext.defaultParallelism
    )
    return finish_audit(out, info, source=data, compare=compare, baseline=baseline)
