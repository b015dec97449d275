"""Summarise an audit's output folder: violation rates with Wilson intervals, trends, the worst messages,
comparisons of two groups with a Newcombe interval, and what a new policy would have flagged (what-if).

Every figure is computed by DuckDB over the Parquet parts, so a summary of 40 million messages never loads
them into Python. Definitions (docs/audit.md):

* a message **fails** when it has at least one error-severity finding (the same verdict as ``brandrail check``);
  the violation rate of a channel, model, campaign or week is its share of failed messages;
* a rule's (or family's) rate is the share of all messages with at least one of its findings, any severity;
* every rate carries a 95% Wilson score interval; a difference of two rates a 95% Newcombe (hybrid score)
  interval, and a comparison names a winner only when that interval excludes zero.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from brandrail.errors import DataError, UsageError

__all__ = [
    "Comparison",
    "ContentAudit",
    "Rate",
    "compare_groups",
    "newcombe",
    "parse_compare",
    "summarise",
    "what_if",
    "wilson",
]

SCHEMA_VERSION = 1
_Z = 1.959963984540054  # the 97.5% normal quantile: 95% two-sided intervals
_COMPARE_DIMS = ("model", "campaign", "channel", "period")


def wilson(k: int, n: int, z: float = _Z) -> tuple[float, float]:
    """The Wilson score interval of k successes in n trials ((0, 1) when n is 0)."""
    if n <= 0:
        return (0.0, 1.0)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def newcombe(k1: int, n1: int, k2: int, n2: int, z: float = _Z) -> tuple[float, float, float]:
    """p2 − p1 and its Newcombe hybrid score interval (method 10 of Newcombe 1998)."""
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson(k1, n1, z)
    l2, u2 = wilson(k2, n2, z)
    diff = p2 - p1
    low = diff - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    high = diff + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    return (diff, low, high)


@dataclass(frozen=True, slots=True)
class Rate:
    """k of n, with its 95% Wilson interval."""

    k: int
    n: int

    @property
    def value(self) -> float:
        return self.k / self.n if self.n else 0.0

    @property
    def interval(self) -> tuple[float, float]:
        return wilson(self.k, self.n)

    def to_dict(self) -> dict[str, Any]:
        low, high = self.interval
        return {
            "k": self.k,
            "n": self.n,
            "rate": round(self.value, 6),
            "low": round(low, 6),
            "high": round(high, 6),
        }

    def __str__(self) -> str:
        low, high = self.interval
        return f"{self.value:.2%} [{low:.2%}, {high:.2%}] ({self.k:,}/{self.n:,})"


@dataclass(frozen=True, slots=True)
class Comparison:
    """Two groups' violation rates and the difference B − A with its Newcombe interval."""

    dimension: str
    a: str
    b: str
    rate_a: Rate
    rate_b: Rate

    @property
    def difference(self) -> tuple[float, float, float]:
        return newcombe(self.rate_a.k, self.rate_a.n, self.rate_b.k, self.rate_b.n)

    @property
    def verdict(self) -> str:
        if not self.rate_a.n or not self.rate_b.n:
            empty = self.a if not self.rate_a.n else self.b
            return f"cannot compare: {self.dimension} {empty!r} has no messages"
        diff, low, high = self.difference
        span = f"{diff * 100:+.2f} pp [{low * 100:+.2f}, {high * 100:+.2f}]"
        if high < 0:
            return f"{self.b} is better: its violation rate is lower by {span} (B − A, 95% interval)"
        if low > 0:
            return f"{self.a} is better: {self.b}'s violation rate is higher by {span} (B − A, 95% interval)"
        return f"no clear difference: B − A = {span} includes 0"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "dimension": self.dimension,
            "a": {"name": self.a, **self.rate_a.to_dict()},
            "b": {"name": self.b, **self.rate_b.to_dict()},
            "verdict": self.verdict,
        }
        if self.rate_a.n and self.rate_b.n:
            diff, low, high = self.difference
            out["difference"] = {"value": round(diff, 6), "low": round(low, 6), "high": round(high, 6)}
        return out


@dataclass(slots=True)
class ContentAudit:
    """The summary of a content audit (the object behind ``summary.json`` and ``report.html``)."""

    source: str
    policy_version: str
    messages: int
    failed: Rate
    skipped: dict[str, int]
    rows: int
    by_family: list[dict[str, Any]] = field(default_factory=list)
    by_rule: list[dict[str, Any]] = field(default_factory=list)
    by: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    worst: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    comparison: Comparison | None = None
    whatif: dict[str, Any] | None = None
    run: dict[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        """No message failed."""
        return self.failed.k == 0

    def to_dict(self) -> dict[str, Any]:
        def rows(items: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
            return [
                {k: (v.to_dict() if isinstance(v, Rate) else v) for k, v in item.items()} for item in items
            ]

        return {
            "schema_version": SCHEMA_VERSION,
            "kind": "content-audit",
            "source": self.source,
            "policy_version": self.policy_version,
            "rows": self.rows,
            "messages": self.messages,
            "skipped": dict(sorted(self.skipped.items())),
            "failed": self.failed.to_dict(),
            "passed": self.passed,
            "by_family": rows(self.by_family),
            "by_rule": rows(self.by_rule),
            "by": {dim: rows(items) for dim, items in self.by.items()},
            "worst": self.worst,
            "comparison": self.comparison.to_dict() if self.comparison else None,
            "whatif": self.whatif,
            "run": self.run,
        }


def _parts(out: Path, folder: str) -> str:
    return "'" + str(out / folder / "*.parquet").replace("'", "''") + "'"


#: DuckDB's memory for a summary: aggregates over tens of millions of rows spill to disk beyond it, so the
#: audit's memory stays flat whatever the table's size (DuckDB's own default is 80% of the machine's RAM).
SUMMARY_MEMORY = "512MB"


def _connect(spill: Path | None = None) -> Any:
    import tempfile

    import duckdb

    config: dict[str, Any] = {
        "memory_limit": SUMMARY_MEMORY,
        "threads": "2",
        "preserve_insertion_order": "false",
        "temp_directory": str(spill or Path(tempfile.gettempdir()) / "brandrail-duckdb-spill"),
    }
    return duckdb.connect(config=config)


def _dimension(con: Any, msgs: str, column: str, limit: int) -> list[dict[str, Any]]:
    rows = con.execute(
        f"""SELECT {column} AS value, count(*) AS n, count(*) FILTER (WHERE status = 'failed') AS k
            FROM read_parquet({msgs}) GROUP BY 1 ORDER BY n DESC, value NULLS LAST LIMIT {limit}"""
    ).fetchall()
    return [
        {
            "value": None if v is None else (v.isoformat() if isinstance(v, date) else str(v)),
            "messages": n,
            "rate": Rate(k, n),
        }
        for v, n, k in rows
    ]


def summarise(
    out: Path,
    *,
    source: str,
    skipped: dict[str, int] | None = None,
    rows_read: int | None = None,
    worst_per_rule: int = 3,
    limit: int = 50,
) -> ContentAudit:
    """Summarise the audit in ``out`` (its Parquet parts)."""
    if not any((out / "messages").glob("*.parquet")):
        raise DataError(
            f"{out} holds no audited messages", hint="the source had no rows, or every text was null"
        )
    con = _connect(out / ".spill")
    msgs, finds = _parts(out, "messages"), _parts(out, "findings")
    total, failed, versions = con.execute(
        f"""SELECT count(*), count(*) FILTER (WHERE status = 'failed'), list(DISTINCT policy_version)
            FROM read_parquet({msgs})"""
    ).fetchone()
    version = ",".join(sorted(versions))
    by_family = [
        {"family": fam, "messages": m, "findings": f, "errors": e, "rate": Rate(m, total)}
        for fam, m, f, e in con.execute(
            f"""SELECT family, count(DISTINCT message_id), count(*), count(*) FILTER (WHERE severity = 'error')
                FROM read_parquet({finds}) GROUP BY 1 ORDER BY 2 DESC, 1"""
        ).fetchall()
    ]
    by_rule = [
        {
            "code": code,
            "rule": rule,
            "family": fam,
            "messages": m,
            "findings": f,
            "errors": e,
            "rate": Rate(m, total),
        }
        for code, rule, fam, m, f, e in con.execute(
            f"""SELECT code, any_value(rule), any_value(family), count(DISTINCT message_id), count(*),
                       count(*) FILTER (WHERE severity = 'error')
                FROM read_parquet({finds}) GROUP BY 1 ORDER BY 4 DESC, 1"""
        ).fetchall()
    ]
    by = {dim: _dimension(con, msgs, dim, limit) for dim in ("channel", "model", "campaign")}
    by["week"] = [item for item in _dimension(con, msgs, "week", 10_000) if item["value"] is not None]
    by["week"].sort(key=lambda item: item["value"])
    worst: dict[str, list[dict[str, Any]]] = {}
    for code, message_id, n, context in con.execute(
        f"""SELECT code, message_id, n, ctx FROM (
              SELECT code, message_id, count(*) AS n, min(context) AS ctx,
                     row_number() OVER (PARTITION BY code ORDER BY count(*) DESC, message_id) AS rn
              FROM read_parquet({finds}) GROUP BY code, message_id)
            WHERE rn <= {int(worst_per_rule)} ORDER BY code, rn"""
    ).fetchall():
        worst.setdefault(code, []).append({"message_id": message_id, "findings": n, "context": context})
    con.close()
    import shutil

    shutil.rmtree(out / ".spill", ignore_errors=True)
    return ContentAudit(
        source=source,
        policy_version=version,
        messages=int(total),
        failed=Rate(int(failed), int(total)),
        skipped=dict(skipped or {}),
        rows=int(rows_read if rows_read is not None else total),
        by_family=by_family,
        by_rule=by_rule,
        by=by,
        worst=worst,
    )


def parse_compare(spec: str) -> tuple[str, str, str]:
    """``DIM=A,B`` → (dim, a, b); DIM is model, campaign, channel or period (``START..END`` dates, inclusive)."""
    dim, sep, rest = spec.partition("=")
    dim = dim.strip().lower()
    parts = [p.strip() for p in rest.split(",")]
    if not sep or dim not in _COMPARE_DIMS or len(parts) != 2 or not all(parts):
        raise UsageError(
            f"--compare {spec!r} is not DIM=A,B",
            hint="e.g. --compare model=gpt-a,gpt-b or --compare period=2026-01-01..2026-03-31,2026-04-01..2026-06-30",
        )
    if dim == "period":
        for part in parts:
            _period(part)
    return dim, parts[0], parts[1]


def _period(text: str) -> tuple[date, date]:
    start, sep, end = text.partition("..")
    try:
        first, last = date.fromisoformat(start.strip()), date.fromisoformat(end.strip())
    except ValueError:
        first = last = None  # type: ignore[assignment]
    if not sep or first is None or last is None or last < first:
        raise UsageError(
            f"period {text!r} is not START..END (ISO dates, START ≤ END)", hint="e.g. 2026-01-01..2026-03-31"
        )
    return first, last


def compare_groups(out: Path, spec: str) -> Comparison:
    """Compare the violation rates of two groups (``DIM=A,B``) of the audit in ``out``."""
    dim, a, b = parse_compare(spec)
    con = _connect()
    msgs = _parts(out, "messages")
    rates = []
    for name in (a, b):
        if dim == "period":
            first, last = _period(name)
            where = "CAST(sent_at AS DATE) BETWEEN ? AND ?"
            params: list[Any] = [first, last]
        else:
            where = f"{dim} = ?"
            params = [name]
        n, k = con.execute(
            f"SELECT count(*), count(*) FILTER (WHERE status = 'failed') FROM read_parquet({msgs}) WHERE {where}",
            params,
        ).fetchone()
        rates.append(Rate(int(k), int(n)))
    con.close()
    return Comparison(dim, a, b, rates[0], rates[1])


def what_if(baseline: Path, out: Path) -> dict[str, Any]:
    """What the policy of ``out`` flags that the policy of ``baseline`` did not, and the reverse.

    Messages are matched by message id (map ``audit.content.id``; without one, by row position).
    """
    if not any((baseline / "messages").glob("*.parquet")):
        raise UsageError(
            f"--baseline {baseline} holds no audit", hint="give the --out folder of an earlier audit"
        )
    con = _connect()
    old_m, new_m = _parts(baseline, "messages"), _parts(out, "messages")
    old_f, new_f = _parts(baseline, "findings"), _parts(out, "findings")
    con.execute(
        f"""CREATE TEMP TABLE pair AS
            SELECT o.message_id, o.status AS old_status, n.status AS new_status,
                   o.policy_version AS old_version, n.policy_version AS new_version
            FROM read_parquet({old_m}) o JOIN read_parquet({new_m}) n USING (message_id)"""
    )
    both, newly_failing, newly_passing, old_v, new_v = con.execute(
        """SELECT count(*), count(*) FILTER (WHERE old_status = 'passed' AND new_status = 'failed'),
                  count(*) FILTER (WHERE old_status = 'failed' AND new_status = 'passed'),
                  list(DISTINCT old_version), list(DISTINCT new_version) FROM pair"""
    ).fetchone()
    rules = con.execute(
        f"""WITH o AS (SELECT DISTINCT message_id, code FROM read_parquet({old_f}) WHERE message_id IN (SELECT message_id FROM pair)),
                 n AS (SELECT DISTINCT message_id, code FROM read_parquet({new_f}) WHERE message_id IN (SELECT message_id FROM pair))
            SELECT code, count(*) FILTER (WHERE o.message_id IS NULL) AS added,
                         count(*) FILTER (WHERE n.message_id IS NULL) AS removed
            FROM n FULL OUTER JOIN o USING (message_id, code) GROUP BY code
            HAVING added > 0 OR removed > 0 ORDER BY added + removed DESC, code"""
    ).fetchall()
    con.close()
    return {
        "baseline": str(baseline),
        "baseline_policy_version": ",".join(sorted(old_v or [])),
        "policy_version": ",".join(sorted(new_v or [])),
        "messages_compared": int(both),
        "newly_failing": int(newly_failing),
        "newly_passing": int(newly_passing),
        "rules": [{"code": c, "messages_added": int(a), "messages_removed": int(r)} for c, a, r in rules],
    }
