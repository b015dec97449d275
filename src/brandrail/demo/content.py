"""Demo section: check Fernhill's AI-written messages (every channel) and write the content report."""

from __future__ import annotations

import html
from collections import Counter
from pathlib import Path

from brandrail.demo import DemoSection, data_path
from brandrail.text.io import kind_of

__all__ = ["section"]


def _channel(path: Path, known: set[str]) -> str | None:
    prefix = path.name.split("-", 1)[0]
    return prefix if prefix in known else None


def section(out_dir: Path) -> DemoSection:
    from brandrail.engine import check_document
    from brandrail.findings import Result
    from brandrail.policy import load_policy
    from brandrail.report import CheckRun
    from brandrail.report.html import render_html
    from brandrail.text.document import Document

    policy = load_policy(data_path("fernhill", "brandrail.yaml"))
    messages = sorted(
        p for p in data_path("fernhill", "messages").glob("*") if kind_of(p) in ("text", "markdown", "html")
    )
    results: list[tuple[Result, Document | None]] = []
    for path in messages:
        channel = _channel(path, set(policy.channels))
        kind = kind_of(path) or "text"
        doc = Document(path.read_text(encoding="utf-8"), path=path.name, kind=kind, channel=channel)  # type: ignore[arg-type]
        results.append((check_document(doc, policy), doc))
    run = CheckRun(results, policy.version, "fernhill/brandrail.yaml")
    report = out_dir / "content-report.html"
    report.write_text(render_html(run), encoding="utf-8")
    families = Counter(f.family for r, _ in results for f in r.findings)
    s = run.summary()
    summary = [
        ("messages checked", f"{s['files']} ({s['passed']} passed, {s['failed']} failed)"),
        ("findings", f"{s['errors']} errors, {s['warnings']} warnings, {s['info']} info"),
        ("by family", ", ".join(f"{k} {v}" for k, v in sorted(families.items())) or "none"),
        ("policy version", policy.short_version),
    ]
    rows = "".join(
        f"<tr><td>{html.escape(r.path or '')}</td><td>{html.escape(r.channel or '-')}</td>"
        f"<td>{'passed' if r.passed else 'failed'}</td><td>{r.scores.get('overall', 100):.0f}</td>"
        f"<td>{html.escape(', '.join(sorted({f.code for f in r.findings})))}</td></tr>"
        for r, _ in results
    )
    fragment = (
        "<table><tr><th>message</th><th>channel</th><th>verdict</th><th>score</th><th>codes</th></tr>"
        f"{rows}</table>"
    )
    return DemoSection("On-brand content", summary, fragment, [report])
