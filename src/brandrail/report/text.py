"""Terminal output: ``path:line:col code severity message``, the line, a caret under the span, a summary.

Colours come from rich (which honours ``NO_COLOR``, ``FORCE_COLOR`` and ``TERM=dumb``), never from
hand-written escape codes. :func:`file_lines` renders one file's findings and :func:`summary_line` the last
line, so the command line can print results as they arrive; :func:`render_text` renders a whole run.

What is shown comes from the content under check (its lines, the words quoted in messages, file names), so
it is made :func:`printable` first: a control character (an escape sequence could move the cursor up and
erase a finding's line, hide the rest of the output or retitle the terminal; a line feed in a file name
could forge a line of output) or a bidirectional override (which reorders a line on screen) is shown as a
visible stand-in of the same width, so carets stay under their spans.
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

__all__ = ["file_lines", "printable", "render_text", "summary_line", "to_string"]

_TAB = 4
#: C0 controls as their Control Pictures (U+2400–U+241F, ␛ for ESC), DEL as ␡, C1 controls and bidirectional
#: embeddings, overrides and isolates as U+FFFD: one visible character for one character.
_STAND_IN = {
    **{cp: 0x2400 + cp for cp in range(0x20)},
    0x7F: 0x2421,
    **dict.fromkeys(range(128, 160), 65533),
    **dict.fromkeys((8234, 8235, 8236, 8237, 8238, 8294, 8295, 8296, 8297), 65533),
}
_KEEP_TAB = {k: v for k, v in _STAND_IN.items() if k != 0x09}
_KEEP_LINES = {k: v for k, v in _KEEP_TAB.items() if k != 0x0A}


def printable(text: str, *, keep_tabs: bool = False, keep_lines: bool = False) -> str:
    """``text`` safe to print on a terminal: control characters and bidirectional overrides become visible
    stand-ins of the same length (ESC becomes ``␛``, a bell ``␇``, a right-to-left override U+FFFD).
    ``keep_lines`` keeps tabs and line feeds (a diff, an error with its hint on a line of its own)."""
    if text.isprintable() and text.isascii():
        return text
    return text.translate(_KEEP_LINES if keep_lines else _KEEP_TAB if keep_tabs else _STAND_IN)


_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "blue"}


def _caret(doc: Document, finding: Finding) -> list[str]:
    span = finding.span
    if span is None:
        return []
    line = printable(doc.line_text(span.line), keep_tabs=True)
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
        where = printable(result.path or "<input>")
        if f.span is not None:
            where += f":{f.span.line}:{f.span.column}"
        sev = f.severity.value
        line = Text()
        line.append(where, style="bold")
        line.append(f" {f.code} ")
        line.append(sev, style=_SEVERITY_STYLE[sev])
        line.append(f" {printable(f.message)}")
        lines.append(line)
        if show_source and doc is not None and f.span is not None:
            for i, source in enumerate(_caret(doc, f)):
                lines.append(Text(source, style="dim" if i == 0 else ""))
    capped: Mapping[str, Any] = result.extra.get("capped", {}) if result.extra else {}
    for code, hidden in sorted(capped.items()):
        lines.append(
            Text(
                f"{printable(result.path or '<input>')}: … and {hidden} more {code} finding{'s' if hidden != 1 else ''} "
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
    if "baselined" in summary:
        text += f", {summary['baselined']} baselined, {summary['fixed']} fixed"
    line = Text(text + " — ")
    word = verdict or ("passed" if passed else "failed")
    line.append(word, style="" if word == "passed" else "bold red")
    where = f", channel {channel}" if channel else ""
    line.append(f" (score {mean_score:.0f}/100, policy {policy_version[:12]}{where})")
    return line


def fixed_lines(fixed: list[dict[str, str]]) -> list[Text]:
    """Baseline entries no finding matches any more, one line per file and code, then how to prune them."""
    groups: dict[tuple[str, str, str], int] = {}
    for e in fixed:
        key = (e["path"], e["code"], e["rule"])
        groups[key] = groups.get(key, 0) + 1
    lines = [Text(f"{printable(p)}: {c} {r}: {n} fixed") for (p, c, r), n in groups.items()]
    lines.append(
        Text(
            f"{len(fixed)} baseline entr{'y' if len(fixed) == 1 else 'ies'} no longer found "
            "(fixed — prune with --write-baseline)"
        )
    )
    return lines


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
