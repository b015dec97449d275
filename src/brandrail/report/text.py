"""Terminal output: ``path:line:col code severity message``, the line, a caret under the span, a summary."""

from __future__ import annotations

from brandrail.findings import Finding
from brandrail.report.model import CheckRun
from brandrail.text.document import Document

__all__ = ["render_text"]

_TAB = 4


def _caret(doc: Document, finding: Finding) -> list[str]:
    span = finding.span
    if span is None:
        return []
    line = doc.line_text(span.line)
    prefix = line[: span.column - 1]
    width_prefix = len(prefix.expandtabs(_TAB))
    shown = line.expandtabs(_TAB)
    if span.end_line == span.line:
        length = max(1, span.end_column - span.column + 1)
    else:
        length = max(1, len(line) - span.column + 1)
    if len(shown) > 200:  # very long lines: show a window around the span
        start = max(0, width_prefix - 60)
        shown = ("…" if start else "") + shown[start : start + 160]
        width_prefix = width_prefix - start + (1 if start else 0)
        length = min(length, 160)
    return [f"  {shown}", "  " + " " * width_prefix + "^" * min(length, max(1, len(shown) - width_prefix))]


def render_text(run: CheckRun, *, color: bool = False, show_source: bool = True) -> str:
    """Plain text for humans. ``color`` adds ANSI colours for terminals."""
    red, yellow, blue, dim, bold, reset = (
        ("\x1b[31m", "\x1b[33m", "\x1b[34m", "\x1b[2m", "\x1b[1m", "\x1b[0m") if color else ("",) * 6
    )
    sev_color = {"error": red, "warning": yellow, "info": blue}
    lines: list[str] = []
    for result, doc in run.results:
        for f in result.findings:
            where = result.path or "<input>"
            if f.span is not None:
                where += f":{f.span.line}:{f.span.column}"
            sev = f.severity.value
            lines.append(f"{bold}{where}{reset} {f.code} {sev_color[sev]}{sev}{reset} {f.message}")
            if show_source and doc is not None and f.span is not None:
                lines.extend(f"{dim}{x}{reset}" if i == 0 else x for i, x in enumerate(_caret(doc, f)))
    s = run.summary()
    plural = "s" if s["files"] != 1 else ""
    verdict = f"{red}failed{reset}" if not run.passed else "passed"
    summary = (
        f"{s['files']} file{plural} checked: {s['errors']} error{'s' if s['errors'] != 1 else ''}, "
        f"{s['warnings']} warning{'s' if s['warnings'] != 1 else ''}, {s['info']} info"
    )
    if s["suppressed"]:
        summary += f", {s['suppressed']} suppressed"
    channel = f", channel {run.channel}" if run.channel else ""
    scores = [r.scores.get("overall", 100.0) for r, _ in run.results]
    mean = sum(scores) / len(scores) if scores else 100.0
    lines.append(f"{summary} — {verdict} (score {mean:.0f}/100, policy {run.policy_version[:12]}{channel})")
    return "\n".join(lines) + "\n"
