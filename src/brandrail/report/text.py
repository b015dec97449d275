"""Terminal output: ``path:line:col code severity message``, the line, a caret under the span, a summary.

Colours come from rich (which honours ``NO_COLOR``, ``FORCE_COLOR`` and ``TERM=dumb``), never from
hand-written escape codes. :func:`file_lines` renders one file's findings and :func:`summary_line` the last
line, so the command line can print results as they arrive; :func:`render_text` renders a whole run.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.text import Text

from brandrail.findings import Finding, Result
from brandrail.report.model import CheckRun
from brandrail.text.document import Document

__all__ = ["file_lines", "render_text", "summary_line", "to_string"]

_TAB = 4
_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "blue"}


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


def file_lines(result: Result, doc: Document | None, *, show_source: bool = True) -> list[Text]:
    """The lines for one file's findings (styled; ``str()`` of each is the plain text)."""
    lines: list[Text] = []
    for f in result.findings:
        where = result.path or "<input>"
        if f.span is not None:
            where += f":{f.span.line}:{f.span.column}"
        sev = f.severity.value
        line = Text()
        line.append(where, style="bold")
        line.append(f" {f.code} ")
        line.append(sev, style=_SEVERITY_STYLE[sev])
        line.append(f" {f.message}")
        lines.append(line)
        if show_source and doc is not None and f.span is not None:
            for i, source in enumerate(_caret(doc, f)):
                lines.append(Text(source, style="dim" if i == 0 else ""))
    capped: Mapping[str, Any] = result.extra.get("capped", {}) if result.extra else {}
    for code, hidden in sorted(capped.items()):
        lines.append(
            Text(
                f"{result.path or '<input>'}: … and {hidden} more {code} finding{'s' if hidden != 1 else ''} "
                "not shown (--max-per-rule)",
                style="dim",
            )
        )
    return lines


def summary_line(
    summary: Mapping[str, Any],
    *,
    passed: bool,
    mean_score: float,
    policy_version: str,
    channel: str | None,
    verdict: str | None = None,
) -> Text:
    """The last line: counts, the verdict, the mean score and the policy version."""
    files = summary["files"]
    text = (
        f"{files} file{'s' if files != 1 else ''} checked: {summary['errors']} error"
        f"{'s' if summary['errors'] != 1 else ''}, {summary['warnings']} warning"
        f"{'s' if summary['warnings'] != 1 else ''}, {summary['info']} info"
    )
    if summary.get("suppressed"):
        text += f", {summary['suppressed']} suppressed"
    line = Text(text + " — ")
    word = verdict or ("passed" if passed else "failed")
    line.append(word, style="" if word == "passed" else "bold red")
    where = f", channel {channel}" if channel else ""
    line.append(f" (score {mean_score:.0f}/100, policy {policy_version[:12]}{where})")
    return line


def to_string(lines: list[Text], *, color: bool) -> str:
    """Plain or ANSI-coloured text of ``lines`` (rich decides the escape codes)."""
    if not color:
        return "".join(f"{line.plain}\n" for line in lines)
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=True,
        color_system="standard",
        soft_wrap=True,
        highlight=False,
        width=10_000,
    )
    for line in lines:
        console.print(line)
    return buffer.getvalue()


def render_text(run: CheckRun, *, color: bool = False, show_source: bool = True) -> str:
    """Plain text for humans. ``color`` adds ANSI colours (through rich) for terminals."""
    lines: list[Text] = []
    for result, doc in run.results:
        lines.extend(file_lines(result, doc, show_source=show_source))
    scores = [r.scores.get("overall", 100.0) for r, _ in run.results]
    mean = sum(scores) / len(scores) if scores else 100.0
    lines.append(
        summary_line(
            run.summary(),
            passed=run.passed,
            mean_score=mean,
            policy_version=run.policy_version,
            channel=run.channel,
        )
    )
    return to_string(lines, color=color)
