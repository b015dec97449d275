"""CI building blocks: pre-commit hooks, the GitHub Action, SARIF that code scanning can place and track."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import jsonschema
import yaml
from cli_testlib import run, write_policy

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def _validate(sarif: dict[str, object]) -> None:
    validator = jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(sarif), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def test_pre_commit_hooks_run(tmp_path: Path) -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    ids = {h["id"] for h in hooks}
    assert {"brandrail", "brandrail-voice", "brandrail-fix"} <= ids
    policy = write_policy(tmp_path)
    for hook in hooks:
        assert hook["language"] == "python"
        argv = shlex.split(hook["entry"])
        assert argv[0] == "brandrail"
        msg = tmp_path / f"{hook['id']}.md"
        msg.write_text("so flimsy\n", encoding="utf-8")
        code, _, err = run(*argv[1:], "-p", str(policy), str(msg))
        assert code in (0, 1), (hook["id"], err)
        assert "Traceback" not in err
    fast = next(h for h in hooks if h["id"] == "brandrail")
    assert "--ignore voice" in fast["entry"]


def test_action_is_a_composite_that_uploads_sarif() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    uses = [s.get("uses", "") for s in action["runs"]["steps"]]
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    text = (ROOT / "action.yml").read_text(encoding="utf-8")
    for name in action["inputs"]:
        assert f"inputs.{name}" in text, f"input {name} is never used"
    assert "--format sarif" in text


def test_sarif_places_whole_file_findings_and_fingerprints_them(tmp_path: Path) -> None:
    write_policy(tmp_path)
    (tmp_path / "bad.txt").write_bytes(b"caf\xe9\n")
    sms = tmp_path / "sms"
    sms.mkdir()
    (tmp_path / "brandrail.yaml").write_text(
        (tmp_path / "brandrail.yaml").read_text(encoding="utf-8") + 'files:\n  "sms/**": sms\n',
        encoding="utf-8",
    )
    (sms / "m.txt").write_text("Big sale on flimsy tents\n", encoding="utf-8")
    code, out, _ = run("check", str(tmp_path), "-f", "sarif")
    assert code == 2
    sarif = json.loads(out)
    _validate(sarif)
    results = sarif["runs"][0]["results"]
    assert {"IO001", "BR101"} <= {r["ruleId"] for r in results}
    for r in results:
        region = r["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1  # code scanning needs a region, also for whole-file findings
        assert len(r["partialFingerprints"]["brandrailFindingHash/v1"]) == 32
    before = {r["ruleId"]: r["partialFingerprints"] for r in results if r["ruleId"] == "BR101"}
    (sms / "m.txt").write_text("New line above.\n\nBig sale on flimsy tents\n", encoding="utf-8")
    _, out, _ = run("check", str(tmp_path), "-f", "sarif")
    after = {
        r["ruleId"]: r["partialFingerprints"]
        for r in json.loads(out)["runs"][0]["results"]
        if r["ruleId"] == "BR101"
    }
    assert before == after  # the alert keeps its identity when lines move


def test_two_identical_findings_get_different_fingerprints(tmp_path: Path) -> None:
    policy = write_policy(tmp_path)
    msg = tmp_path / "m.txt"
    msg.write_text("flimsy and flimsy\n", encoding="utf-8")
    _, out, _ = run("check", str(msg), "-p", str(policy), "-f", "sarif")
    prints = [
        r["partialFingerprints"]["brandrailFindingHash/v1"] for r in json.loads(out)["runs"][0]["results"]
    ]
    assert len(prints) == 2 and len(set(prints)) == 2


def test_streamed_json_is_one_valid_document(tmp_path: Path) -> None:
    write_policy(tmp_path)
    for i in range(5):
        (tmp_path / f"m{i}.md").write_text("flimsy\n" * i, encoding="utf-8")
    code, out, _ = run("check", str(tmp_path), "-f", "json")
    data = json.loads(out)
    assert code == 1 and data["schema_version"] == 1
    assert data["summary"]["files"] == 5 and data["summary"]["errors"] == 10
    assert [r["counts"]["error"] for r in data["results"]] == [0, 1, 2, 3, 4]
    _, out, _ = run("check", str(tmp_path / "m0.md"), "-f", "sarif")
    _validate(json.loads(out))  # a run without results is valid too


def test_a_file_name_that_is_not_utf8_is_reported_not_a_crash(tmp_path: Path) -> None:
    """A file added with a name of Latin-1 bytes (Python holds them as lone surrogates) stopped the SARIF,
    JSON and HTML reports with an internal error, and made standard output invalid UTF-8."""
    import os

    folder = tmp_path / "content"
    folder.mkdir()
    policy = write_policy(tmp_path)
    try:
        (folder / os.fsdecode(b"caf\xe9.md")).write_text("so flimsy\n", encoding="utf-8")
    except (OSError, UnicodeError):  # pragma: no cover - a file system that takes only UTF-8 names
        import pytest

        pytest.skip("this file system refuses names that are not UTF-8")
    for fmt, name in (("sarif", "report.sarif"), ("json", "report.json"), ("html", "report.html")):
        code, _, err = run(
            "check", str(folder), "-p", str(policy), "--format", fmt, "--out", str(tmp_path / fmt)
        )
        assert code == 1, err
        text = (tmp_path / fmt / name).read_bytes().decode("utf-8")  # valid UTF-8
        if fmt == "sarif":  # the name as shown, percent-encoded
            _validate(json.loads(text))
            assert "caf%5Cxe9.md" in text
        else:
            assert "caf\\xe9.md" in text.replace("\\\\", "\\")
        if fmt == "json":
            assert json.loads(text)["results"][0]["path"].endswith("caf\\xe9.md")
    code, out, _ = run("check", str(folder), "-p", str(policy), "--format", "jsonl")
    assert code == 1 and json.loads(out.splitlines()[0])["path"].endswith("caf\\xe9.md")


def test_sarif_regions_of_astral_crlf_end_of_file_and_empty_spans() -> None:
    """Columns are code points (columnKind unicodeCodePoints), lines end at LF (a CR before it is the line's
    last character), a span may end the file, and an empty span is SARIF's empty region (end = start)."""
    from brandrail.findings import Finding, Result, Severity
    from brandrail.report.model import CheckRun
    from brandrail.report.sarif import render_sarif
    from brandrail.text.document import Document

    text = "𝒜😀 x\r\nso flimsy"
    doc = Document(text, path="m.txt")

    def finding(start: int, end: int) -> Finding:
        return Finding(
            code="BR101",
            rule="banned-term",
            severity=Severity.ERROR,
            message="m",
            span=doc.span(start, end),
            match=text[start:end],
        )

    at = text.index("flimsy")
    findings = [finding(3, 4), finding(at, len(text)), finding(at, at), finding(len(text), len(text))]
    result = Result.build(findings, policy_version="v", path="m.txt")
    sarif = render_sarif(CheckRun(results=[(result, doc)], policy_version="v", channel=None))
    _validate(sarif)
    assert sarif["runs"][0]["columnKind"] == "unicodeCodePoints"
    regions = sorted(
        (
            {k: v for k, v in r["locations"][0]["physicalLocation"]["region"].items() if k != "snippet"}
            for r in sarif["runs"][0]["results"]
        ),
        key=lambda region: (region["charOffset"], -region["charLength"]),
    )
    assert regions == [
        {"startLine": 1, "startColumn": 4, "endLine": 1, "endColumn": 5, "charOffset": 3, "charLength": 1},
        {"startLine": 2, "startColumn": 4, "endLine": 2, "endColumn": 10, "charOffset": at, "charLength": 6},
        {"startLine": 2, "startColumn": 4, "endLine": 2, "endColumn": 4, "charOffset": at, "charLength": 0},
        {
            "startLine": 2,
            "startColumn": 10,
            "endLine": 2,
            "endColumn": 10,
            "charOffset": len(text),
            "charLength": 0,
        },
    ]
