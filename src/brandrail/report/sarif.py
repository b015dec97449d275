"""SARIF 2.1.0 output (validated against the OASIS schema in the tests)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from brandrail.findings import Finding, Severity
from brandrail.registry import get_rule
from brandrail.report.model import CheckRun, tool_version

__all__ = ["SARIF_SCHEMA", "render_sarif"]

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


def _result(f: Finding, rule_index: int, uri: str, suppressed: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": f.code,
        "ruleIndex": rule_index,
        "level": _LEVEL[f.severity],
        "message": {"text": f.message},
    }
    location: dict[str, Any] = {"artifactLocation": {"uri": uri}}
    if f.span is not None:
        region: dict[str, Any] = {
            "startLine": f.span.line,
            "startColumn": f.span.column,
            "endLine": f.span.end_line,
            "endColumn": f.span.end_column + 1,
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


def render_sarif(run: CheckRun) -> dict[str, Any]:
    """The SARIF log as a dict (serialise with json.dumps)."""
    rules: dict[str, int] = {}
    descriptors: list[dict[str, Any]] = []
    results: list[dict[str, Any]] = []
    artifacts: list[dict[str, Any]] = []
    for result, _ in run.results:
        uri = _uri(result.path)
        artifacts.append({"location": {"uri": uri}})
        for suppressed, findings in ((False, result.findings), (True, result.suppressed)):
            for f in findings:
                if f.code not in rules:
                    rules[f.code] = len(descriptors)
                    descriptors.append(_rule_descriptor(f.code, f))
                results.append(_result(f, rules[f.code], uri, suppressed))
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "brandrail",
                        "version": tool_version(),
                        "informationUri": "https://github.com/brandrail/brandrail",
                        "rules": descriptors,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "artifacts": artifacts,
                "results": results,
                "invocations": [{"executionSuccessful": True}],
                "properties": {"policyVersion": run.policy_version, "channel": run.channel},
            }
        ],
    }
