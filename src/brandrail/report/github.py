"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` line per finding."""

from __future__ import annotations

from brandrail.findings import Result
from brandrail.report.model import CheckRun

__all__ = ["finding_lines", "render_github"]

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(value: str) -> str:
    return _data(value).replace(":", "%3A").replace(",", "%2C")


def finding_lines(result: Result) -> list[str]:
    """One workflow command per finding of ``result``."""
    lines = []
    for f in result.findings:
        props = [f"file={_prop(result.path or 'stdin')}"]
        if f.span is not None:
            empty = f.span.end <= f.span.start  # an insertion point ends where it starts
            props += [
                f"line={f.span.line}",
                f"col={f.span.column}",
                f"endLine={f.span.line if empty else f.span.end_line}",
                f"endColumn={f.span.column if empty else f.span.end_column + 1}",
            ]
        props.append(f"title={_prop(f'{f.code} {f.rule}')}")
        lines.append(f"::{_LEVEL[f.severity.value]} {','.join(props)}::{_data(f.message)}")
    return lines


def render_github(run: CheckRun) -> str:
    lines = []
    for result, _ in run.results:
        lines.extend(finding_lines(result))
    s = run.summary()
    lines.append(
        f"brandrail: {s['files']} files, {s['errors']} errors, {s['warnings']} warnings, {s['info']} info "
        f"(policy {run.policy_version[:12]})"
    )
    return "\n".join(lines) + "\n"
