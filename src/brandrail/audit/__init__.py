"""Content audits over tables of what the AI already sent (``brandrail audit content``, ``audit_content``).

>>> audit = audit_content("sent.parquet", policy, out="audit-q3", columns={"text": "body", "id": "msg_id"})
>>> audit.failed            # share of messages with an error-level finding, with its Wilson interval
>>> audit.by_rule[0]        # the most frequent rule

Local engine: a process pool over every core, streaming batches, resumable (brandrail.audit.run). Spark:
:func:`brandrail.spark.audit`. See docs/audit.md.
"""

from __future__ import annotations

from brandrail._extras import require as _require

_require("audit", "duckdb", "pyarrow")

from collections.abc import Mapping  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from brandrail.audit.run import RunInfo, open_and_run  # noqa: E402
from brandrail.audit.summary import Comparison, ContentAudit, Rate, compare_groups, summarise, what_if  # noqa: E402
from brandrail.errors import UsageError  # noqa: E402
from brandrail.policy import Policy  # noqa: E402

__all__ = ["Comparison", "ContentAudit", "Rate", "RunInfo", "audit_content", "finish_audit"]


def finish_audit(
    out: Path,
    info: RunInfo,
    *,
    source: str,
    compare: str | None = None,
    baseline: str | Path | None = None,
) -> ContentAudit:
    """Summarise a finished run in ``out`` (either engine), add the comparison and what-if, write summary.json
    and report.html."""
    import json

    from brandrail.audit.parts import write_text
    from brandrail.audit.report import render_html

    audit = summarise(out, source=source, skipped=info.skipped, rows_read=info.rows)
    if compare:
        audit.comparison = compare_groups(out, compare)
    if baseline is not None:
        audit.whatif = what_if(Path(baseline), out)
    audit.run = {
        "engine": info.engine,
        "workers": info.workers,
        "batches": info.batches,
        "resumed_batches": info.resumed_batches,
    }
    write_text(out / "summary.json", json.dumps(audit.to_dict(), indent=2, ensure_ascii=False) + "\n")
    write_text(out / "report.html", render_html(audit, title=f"Content audit — {source}"))
    return audit


def audit_content(
    source: str | Path | None,
    policy: Policy,
    *,
    out: str | Path,
    db: str | None = None,
    table: str | None = None,
    query: str | None = None,
    columns: Mapping[str, Any] | None = None,
    workers: int | None = None,
    batch_size: int = 5000,
    fresh: bool = False,
    compare: str | None = None,
    baseline: str | Path | None = None,
    findings_table: str | None = None,
    progress: Any = None,
) -> ContentAudit:
    """Check every message of a table against ``policy``; write findings and a summary to ``out``.

    ``source`` is a Parquet / CSV / JSON Lines file or glob or a DuckDB file (with ``table`` or ``query``);
    or pass ``db`` (a PostgreSQL URL) with ``table`` or ``query``. ``columns`` overrides the policy's
    ``audit.content`` mapping (text, id, channel, sent_at, model, campaign, kind, metadata). ``compare`` is
    ``DIM=A,B`` (model, campaign, channel or period); ``baseline`` an earlier audit's folder for a what-if;
    ``findings_table`` also writes the findings back into that table of the source database (PostgreSQL
    ``db`` or the DuckDB file).
    Started again with the same arguments, an interrupted audit resumes.
    """
    if compare is not None:
        from brandrail.audit.summary import parse_compare

        parse_compare(compare)  # a bad spec fails before hours of checking, not after
    if (
        findings_table is not None
        and db is None
        and Path(str(source)).suffix.lower() not in (".duckdb", ".ddb", ".db")
    ):
        raise UsageError(
            "--findings-table writes back to the source database", hint="use it with --db or a DuckDB file"
        )
    if findings_table is not None:  # a table it would replace is refused now, not after hours of checking
        from brandrail.audit.parts import check_findings_table

        duckdb_source = str(source) if source is not None and Path(str(source)).is_file() else None
        check_findings_table(findings_table, db=db, duckdb_file=duckdb_source)
    if baseline is not None and not Path(baseline).is_dir():
        raise UsageError(
            f"--baseline {baseline} is not a folder", hint="give the --out folder of an earlier audit"
        )
    target = Path(out)
    data = None if source is None else str(source)
    info = open_and_run(
        data,
        policy,
        target,
        db=db,
        table=table,
        query=query,
        columns=columns,
        workers=workers,
        batch_size=batch_size,
        fresh=fresh,
        progress=progress,
    )
    describe = data if data is not None else f"{table or 'query'} in {str(db).split('@')[-1]}"
    audit = finish_audit(target, info, source=describe, compare=compare, baseline=baseline)
    if findings_table is not None:
        from brandrail.audit.parts import write_back

        duckdb_file = (
            data if data is not None and Path(data).suffix.lower() in (".duckdb", ".ddb", ".db") else None
        )
        audit.run["findings_table"] = {
            "table": findings_table,
            "rows": write_back(target, table=findings_table, db=db, duckdb_file=duckdb_file),
        }
    return audit
