"""Streaming report writers: each file's result is written as soon as it is checked, then dropped.

Memory stays flat in the number of files: a writer keeps running totals (:class:`RunTally`), never the
results (SARIF keeps one rule descriptor per code and one artifact URI per file; HTML, which shows every
file's source in one page, is the exception and keeps what it shows — at most ``MAX_SHOWN_CHARS`` per file).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Protocol, TextIO

from brandrail.findings import Result, Severity
from brandrail.report.model import JSON_SCHEMA_VERSION, CheckRun, tool_version
from brandrail.text.document import Document

__all__ = [
    "GithubWriter",
    "HtmlWriter",
    "JsonLinesWriter",
    "JsonWriter",
    "ReportWriter",
    "RunTally",
    "SarifStreamWriter",
    "TextWriter",
]


@dataclass
class RunTally:
    """Running totals of a check run: what the summary line and the ``summary`` object report."""

    policy_version: str
    policy_source: str | None = None
    channel: str | None = None
    files: int = 0
    passed_files: int = 0
    counts: dict[str, int] = field(default_factory=lambda: {s.value: 0 for s in Severity})
    suppressed: int = 0
    score_sum: float = 0.0
    codes: set[str] = field(default_factory=set)
    capped: int = 0
    #: with ``--baseline`` / ``--write-baseline``: ``{"file", "policy_version", "baselined", "fixed": [...]}``
    baseline: dict[str, Any] | None = None

    def add(self, result: Result) -> None:
        self.files += 1
        self.passed_files += result.passed
        for key, n in result.counts().items():
            self.counts[key] += n
        self.suppressed += len(result.suppressed) + int((result.extra or {}).get("suppressed_not_shown", 0))
        self.score_sum += result.scores.get("overall", 100.0)
        self.codes.update(f.code for f in result.findings)
        capped = result.extra.get("capped") if result.extra else None
        if capped:
            self.capped += sum(capped.values())

    @property
    def passed(self) -> bool:
        return self.passed_files == self.files

    @property
    def mean_score(self) -> float:
        return self.score_sum / self.files if self.files else 100.0

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "files": self.files,
            "passed": self.passed_files,
            "failed": self.files - self.passed_files,
            "errors": self.counts["error"],
            "warnings": self.counts["warning"],
            "info": self.counts["info"],
            "suppressed": self.suppressed,
        }
        if self.capped:
            out["not_shown"] = self.capped
        if self.baseline is not None:
            out["baselined"] = self.baseline["baselined"]
            out["fixed"] = len(self.baseline["fixed"])
        return out


class ReportWriter(Protocol):
    def add(self, result: Result, doc: Document | None) -> None: ...

    def finish(self, tally: RunTally) -> None: ...


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line for line in text.splitlines())


class TextWriter:
    """``path:line:col code severity message`` lines, then the summary line.

    With a rich ``console`` the lines are styled (rich honours NO_COLOR / FORCE_COLOR); without one they are
    written as plain text to ``stream`` (much faster for large runs into a file or a pipe).
    """

    def __init__(
        self,
        console: Any = None,
        *,
        stream: TextIO | None = None,
        show_source: bool = True,
        verdict: str | None = None,
    ) -> None:
        self._console = console
        self._stream = stream
        self._show_source = show_source
        self.verdict = verdict

    def _emit(self, lines: list[Any]) -> None:
        if self._console is not None:
            for line in lines:
                self._console.print(line)
        elif self._stream is not None:
            self._stream.write("".join(f"{line.plain}\n" for line in lines))

    def add(self, result: Result, doc: Document | None) -> None:
        from brandrail.report.text import file_lines

        if result.findings or (result.extra and result.extra.get("capped")):
            self._emit(file_lines(result, doc, show_source=self._show_source))

    def finish(self, tally: RunTally) -> None:
        from brandrail.report.text import fixed_lines, summary_line

        if tally.baseline and tally.baseline["fixed"]:
            self._emit(fixed_lines(tally.baseline["fixed"]))
        self._emit(
            [
                summary_line(
                    tally.summary(),
                    passed=tally.passed,
                    mean_score=tally.mean_score,
                    policy_version=tally.policy_version,
                    channel=tally.channel,
                    verdict=self.verdict,
                )
            ]
        )


class JsonWriter:
    """The documented JSON document (docs/json-output.md), written result by result."""

    def __init__(self, stream: TextIO, tally: RunTally) -> None:
        self._stream = stream
        self._first = True
        head = {
            "schema_version": JSON_SCHEMA_VERSION,
            "tool": {"name": "brandrail", "version": tool_version()},
            "policy": {
                "source": tally.policy_source,
                "version": tally.policy_version,
                "channel": tally.channel,
            },
        }
        body = json.dumps(head, indent=2, ensure_ascii=False)[:-2]  # drop the closing "\n}"
        stream.write(body + ',\n  "results": [')

    def add(self, result: Result, doc: Document | None) -> None:
        # one result per line, by the C encoder (indenting runs the pure-Python encoder, ~10x slower)
        text = json.dumps(result.to_dict(), ensure_ascii=False, allow_nan=False)
        self._stream.write(("\n    " if self._first else ",\n    ") + text)
        self._first = False

    def finish(self, tally: RunTally) -> None:
        summary = json.dumps(tally.summary(), indent=2, ensure_ascii=False)
        self._stream.write(
            ("\n  " if not self._first else "")
            + "],\n"
            + f'  "passed": {json.dumps(tally.passed)},\n'
            + '  "summary": '
            + _indent(summary, "  ").lstrip()
            + (
                ',\n  "baseline": ' + _indent(json.dumps(tally.baseline, ensure_ascii=False), "  ").lstrip()
                if tally.baseline is not None
                else ""
            )
            + "\n}\n"
        )


class JsonLinesWriter:
    """JSON Lines: one ``{"type": "result", ...}`` object per file, then one ``{"type": "summary", ...}``."""

    def __init__(self, stream: TextIO, tally: RunTally) -> None:
        self._stream = stream
        self._head = {
            "schema_version": JSON_SCHEMA_VERSION,
            "tool": {"name": "brandrail", "version": tool_version()},
            "policy": {
                "source": tally.policy_source,
                "version": tally.policy_version,
                "channel": tally.channel,
            },
        }

    def add(self, result: Result, doc: Document | None) -> None:
        line = json.dumps({"type": "result", **result.to_dict()}, ensure_ascii=False, allow_nan=False)
        self._stream.write(line + "\n")

    def finish(self, tally: RunTally) -> None:
        record = {"type": "summary", **self._head, "passed": tally.passed, "summary": tally.summary()}
        if tally.baseline is not None:
            record["baseline"] = tally.baseline
        self._stream.write(json.dumps(record, ensure_ascii=False) + "\n")


class GithubWriter:
    """GitHub Actions workflow commands, one line per finding, then a summary line."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def add(self, result: Result, doc: Document | None) -> None:
        from brandrail.report.github import finding_lines

        for line in finding_lines(result):
            self._stream.write(line + "\n")

    def finish(self, tally: RunTally) -> None:
        s = tally.summary()
        base = f", {s['baselined']} baselined, {s['fixed']} fixed" if "baselined" in s else ""
        self._stream.write(
            f"brandrail: {s['files']} files, {s['errors']} errors, {s['warnings']} warnings, {s['info']} info"
            f"{base} (policy {tally.policy_version[:12]})\n"
        )


class SarifStreamWriter:
    """SARIF 2.1.0, written incrementally (see :class:`brandrail.report.sarif.SarifWriter`)."""

    def __init__(self, stream: TextIO, tally: RunTally, *, baseline: bool = False) -> None:
        from brandrail.report.sarif import SarifWriter

        self._writer = SarifWriter(
            stream, policy_version=tally.policy_version, channel=tally.channel, baseline=baseline
        )

    def add(self, result: Result, doc: Document | None) -> None:
        self._writer.add(result)

    def finish(self, tally: RunTally) -> None:
        for entry in (tally.baseline or {}).get("fixed", ()):
            self._writer.add_absent(entry["path"], entry["code"], entry["rule"], entry["fingerprint"])
        self._writer.finish()


class HtmlWriter:
    """The HTML report: one page, so it keeps each file's result and shown source until the end."""

    def __init__(self, stream: TextIO, tally: RunTally) -> None:
        self._stream = stream
        self._run = CheckRun([], tally.policy_version, tally.policy_source, tally.channel)

    def add(self, result: Result, doc: Document | None) -> None:
        self._run.results.append((result, doc))

    def finish(self, tally: RunTally) -> None:
        from brandrail.report.html import render_html

        self._stream.write(render_html(self._run))
