"""SARIF 2.1.0 output (validated against the OASIS schema in the tests)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from brandrail.findings import Finding, Result, Severity
from brandrail.registry import get_rule
from brandrail.report.model import CheckRun, tool_version

__all__ = ["SARIF_SCHEMA", "SarifWriter", "fingerprint", "render_sarif"]

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_HELP_URI = "https://github.com/brandrail/brandrail/blob/main/docs/rules/{code}.md"


def _uri(path: str | None) -> str:
    if not path or path == "<stdin>":
        return "stdin"
    p = Path(path)
    try:
        rel = p.resolve().relative_to(Path.cwd().resolve()) if p.is_absolute() else p
    except ValueError:
        return p.resolve().as_uri()
    return quote(str(rel).replace(os.sep, "/"))


def _rule_descriptor(code: str, sample: Finding) -> dict[str, Any]:
    cls = get_rule(code)
    descriptor: dict[str, Any] = {"id": code, "name": sample.rule}
    if cls is not None:
        doc = cls.doc
        descriptor["shortDescription"] = {"text": doc.summary or cls.name}
        descriptor["fullDescription"] = {"text": doc.sections["What it flags"]}
        help_md = "\n\n".join(f"**{k}**\n\n{v}" for k, v in doc.sections.items())
        descriptor["help"] = {"text": help_md.replace("**", ""), "markdown": help_md}
        descriptor["helpUri"] = _HELP_URI.format(code=code)
        descriptor["defaultConfiguration"] = {"level": _LEVEL[cls.default_severity]}
        descriptor["properties"] = {"tags": [sample.family], "status": cls.status, "since": cls.since}
    return descriptor


def fingerprint(f: Finding, uri: str, occurrence: int) -> str:
    """A hash that stays the same while a finding stays (lines may move): rule, file, matched text, n-th."""
    key = "\x1f".join((f.code, uri, " ".join((f.match or f.message).split()).lower(), str(occurrence)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _result(f: Finding, rule_index: int, uri: str, suppressed: bool, occurrence: int = 0) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": f.code,
        "ruleIndex": rule_index,
        "level": _LEVEL[f.severity],
        "message": {"text": f.message},
        "partialFingerprints": {"brandrailFindingHash/v1": fingerprint(f, uri, occurrence)},
    }
    location: dict[str, Any] = {"artifactLocation": {"uri": uri}}
    if f.span is None:  # a finding about the whole file: code scanning needs a region to place it
        location["region"] = {"startLine": 1, "startColumn": 1}
    else:
        empty = f.span.end <= f.span.start  # an insertion point: SARIF's empty region ends where it starts
        region: dict[str, Any] = {
            "startLine": f.span.line,
            "startColumn": f.span.column,
            "endLine": f.span.line if empty else f.span.end_line,
            "endColumn": f.span.column if empty else f.span.end_column + 1,
            "charOffset": f.span.start,
            "charLength": f.span.end - f.span.start,
        }
        if f.match is not None:
            region["snippet"] = {"text": f.match}
        location["region"] = region
    out["locations"] = [{"physicalLocation": location}]
    if f.fix is not None and f.fix.edits:
        out["fixes"] = [
            {
                "description": {"text": f.fix.description},
                "artifactChanges": [
                    {
                        "artifactLocation": {"uri": uri},
                        "replacements": [
                            {
                                "deletedRegion": {"charOffset": e.start, "charLength": e.end - e.start},
                                "insertedContent": {"text": e.replacement},
                            }
                            for e in f.fix.edits
                        ],
                    }
                ],
            }
        ]
    if suppressed:
        out["suppressions"] = [{"kind": "inSource", "justification": "brandrail-disable comment"}]
    if f.evidence:
        out["properties"] = {"evidence": f.to_dict()["evidence"], "family": f.family}
    return out


def _driver(descriptors: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "name": "brandrail",
        "version": tool_version(),
        "informationUri": "https://github.com/brandrail/brandrail",
        "rules": descriptors,
    }


class SarifWriter:
    """Writes one SARIF log incrementally: each file's results as they come, rules and artifacts at the end.

    Memory holds one descriptor per rule code and one artifact entry per file, never the findings.
    """

    def __init__(self, stream: TextIO, *, policy_version: str, channel: str | None) -> None:
        self._stream = stream
        self._rules: dict[str, int] = {}
        self._descriptors: list[dict[str, Any]] = []
        self._artifacts: list[str] = []
        self._first = True
        self._policy_version = policy_version
        self._channel = channel
        stream.write(
            "{\n"
            f'  "$schema": {json.dumps(SARIF_SCHEMA)},\n'
            '  "version": "2.1.0",\n'
            '  "runs": [\n'
            "    {\n"
            '      "columnKind": "unicodeCodePoints",\n'
            '      "results": ['
        )

    def add(self, result: Result) -> None:
        uri = _uri(result.path)
        self._artifacts.append(uri)
        seen: dict[tuple[str, str], int] = {}
        for suppressed, findings in ((False, result.findings), (True, result.suppressed)):
            for f in findings:
                if f.code not in self._rules:
                    self._rules[f.code] = len(self._descriptors)
                    self._descriptors.append(_rule_descriptor(f.code, f))
                key = (f.code, " ".join((f.match or f.message).split()).lower())
                occurrence = seen.get(key, 0)
                seen[key] = occurrence + 1
                item = _result(f, self._rules[f.code], uri, suppressed, occurrence)
                text = json.dumps(item, ensure_ascii=False, separators=(",", ":"))
                self._stream.write(("\n        " if self._first else ",\n        ") + text)
                self._first = False

    def finish(self) -> None:
        tail = {
            "tool": {"driver": _driver(self._descriptors)},
            "artifacts": [{"location": {"uri": uri}} for uri in self._artifacts],
            "invocations": [{"executionSuccessful": True}],
            "properties": {"policyVersion": self._policy_version, "channel": self._channel},
        }
        body = json.dumps(tail, indent=2, ensure_ascii=False)[1:-1].strip("\n")
        indented = "\n".join("    " + line for line in body.splitlines())
        self._stream.write(("\n      " if not self._first else "") + "],\n" + indented + "\n    }\n  ]\n}\n")


def render_sarif(run: CheckRun) -> dict[str, Any]:
    """The SARIF log as a dict (serialise with json.dumps)."""
    import io

    buffer = io.StringIO()
    writer = SarifWriter(buffer, policy_version=run.policy_version, channel=run.channel)
    for result, _ in run.results:
        writer.add(result)
    writer.finish()
    data: dict[str, Any] = json.loads(buffer.getvalue())
    return data
