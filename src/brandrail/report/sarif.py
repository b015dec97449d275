"""SARIF 2.1.0 output (validated against the OASIS schema in the tests)."""

from __future__ import annotations

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
    """A hash that stays the same while a finding stays (lines may move): rule, file, matched text, n-th
    (:func:`brandrail.report.fingerprint.fingerprint`, which the baseline uses too)."""
    from brandrail.report.fingerprint import fingerprint as _fingerprint
    from brandrail.report.fingerprint import match_text

    return _fingerprint(f.code, uri, match_text(f), occurrence)


def _result(
    f: Finding,
    rule_index: int,
    uri: str,
    suppressed: bool,
    occurrence: int = 0,
    baseline_state: str | None = None,
) -> dict[str, Any]:
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
    if baseline_state is not None:
        out["baselineState"] = baseline_state
        if baseline_state == "unchanged":  # accepted in the baseline file: suppressed outside the source
            out["suppressions"] = [{"kind": "external", "justification": "brandrail baseline"}]
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

    def __init__(
        self, stream: TextIO, *, policy_version: str, channel: str | None, baseline: bool = False
    ) -> None:
        self._stream = stream
        self._baseline = baseline
        self._rules: dict[str, int] = {}
        self._descriptors: list[dict[str, Any]] = []
        self._artifacts: list[str] = []
        #: one notification per file and code whose findings were not all listed (``--max-per-rule``)
        self._not_listed: list[dict[str, Any]] = []
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
        from brandrail.report.fingerprint import with_occurrences

        uri = _uri(result.path)
        self._artifacts.append(uri)
        seen: dict[tuple[str, str], int] = {}
        baselined = result.extra.get("baselined") if result.extra else None
        reported: tuple[Finding, ...] | list[Finding] = result.findings
        old: set[int] = set()
        if baselined:  # counted in the order the check found them, as when the baseline was written
            old = {id(f) for f in baselined}
            reported = sorted([*result.findings, *baselined], key=Finding.sort_key)
        for f, occurrence in with_occurrences(reported, seen):
            state = ("unchanged" if id(f) in old else "new") if self._baseline else None
            self._write(_result(f, self._rule_index(f), uri, False, occurrence, state))
        for f, occurrence in with_occurrences(result.suppressed, seen):
            state = "new" if self._baseline else None
            self._write(_result(f, self._rule_index(f), uri, True, occurrence, state))
        capped = result.extra.get("capped") if result.extra else None
        for code, n in sorted((capped or {}).items()):
            self._not_listed.append(
                {
                    "level": "note",
                    "message": {"text": f"{n} more findings of {code} not listed (--max-per-rule)"},
                    "associatedRule": {"id": code},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}],
                    "properties": {"code": code, "notListed": n},
                }
            )

    def add_absent(self, path: str, code: str, rule: str, fingerprint: str) -> None:
        """A baseline entry no run finding matched any more: a result with ``baselineState: absent``."""
        f = Finding(code=code, rule=rule, severity=Severity.INFO, message="", path=path)
        item: dict[str, Any] = {
            "ruleId": code,
            "ruleIndex": self._rule_index(f),
            "kind": "pass",
            "level": "none",
            "message": {"text": f"{code} {rule}: no longer found (fixed — prune with --write-baseline)"},
            "locations": [
                {"physicalLocation": {"artifactLocation": {"uri": _uri(path)}, "region": {"startLine": 1}}}
            ],
            "baselineState": "absent",
            "properties": {"baselineFingerprint": fingerprint},
        }
        self._write(item)

    def _rule_index(self, f: Finding) -> int:
        if f.code not in self._rules:
            self._rules[f.code] = len(self._descriptors)
            self._descriptors.append(_rule_descriptor(f.code, f))
        return self._rules[f.code]

    def _write(self, item: dict[str, Any]) -> None:
        text = json.dumps(item, ensure_ascii=False, separators=(",", ":"))
        self._stream.write(("\n        " if self._first else ",\n        ") + text)
        self._first = False

    def finish(self) -> None:
        tail = {
            "tool": {"driver": _driver(self._descriptors)},
            "artifacts": [{"location": {"uri": uri}} for uri in self._artifacts],
            "invocations": [
                {
                    "executionSuccessful": True,
                    **({"toolExecutionNotifications": self._not_listed} if self._not_listed else {}),
                }
            ],
            "properties": {
                "policyVersion": self._policy_version,
                "channel": self._channel,
                **({"truncated": True} if self._not_listed else {}),
            },
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
