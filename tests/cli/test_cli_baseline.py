"""`brandrail check --baseline` / `--write-baseline`: only new findings are reported and fail the run."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from cli_testlib import run, write_policy

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_policy(tmp_path)
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "a.md").write_text("Our flimsy tents.\nAnother flimsy one.\n", encoding="utf-8")
    (tmp_path / "content" / "b.txt").write_text("A splendiferous offer.\n", encoding="utf-8")
    (tmp_path / "content" / "c.txt").write_text("All fine.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _write(repo: Path) -> dict[str, object]:
    code, _, err = run("check", "content", "--write-baseline", ".brandrail-baseline.json")
    assert code == 0, err
    assert "wrote baseline .brandrail-baseline.json — 3 findings" in err
    data: dict[str, object] = json.loads((repo / ".brandrail-baseline.json").read_text(encoding="utf-8"))
    return data


def test_written_baseline_is_versioned_sorted_relative_and_stable(repo: Path) -> None:
    data = _write(repo)
    assert data["brandrail_baseline"] == 1
    entries = data["findings"]
    assert isinstance(entries, list)
    assert [e["path"] for e in entries] == ["content/a.md", "content/a.md", "content/b.txt"]
    assert entries == sorted(entries, key=lambda e: (e["path"], e["code"], e["rule"], e["fingerprint"]))
    assert "flimsy" not in (repo / ".brandrail-baseline.json").read_text(encoding="utf-8")  # no matched text
    first = (repo / ".brandrail-baseline.json").read_bytes()
    _write(repo)
    assert (repo / ".brandrail-baseline.json").read_bytes() == first
    # from another working directory, the same paths (relative to the baseline's folder)
    (repo / "sub").mkdir()
    import os

    os.chdir(repo / "sub")
    code, _, err = run("check", "../content", "--write-baseline", "../.brandrail-baseline.json")
    assert code == 0, err
    assert (repo / ".brandrail-baseline.json").read_bytes() == first


def test_baseline_reports_only_new_findings_and_survives_moved_lines(repo: Path) -> None:
    _write(repo)
    code, out, _ = run("check", "content", "--baseline", ".brandrail-baseline.json")
    assert code == 0, out
    assert "3 baselined, 0 fixed" in out
    # lines move, unrelated text changes: still baselined
    (repo / "content" / "a.md").write_text(
        "# New title\n\nIntro.\nOur flimsy tents.\nAnother flimsy one!\n", encoding="utf-8"
    )
    code, out, _ = run("check", "content", "--baseline", ".brandrail-baseline.json")
    assert code == 0, out
    # a third occurrence is new, and so is a finding whose text changed
    (repo / "content" / "a.md").write_text("Our flimsy tents.\nflimsy\nflimsy.\n", encoding="utf-8")
    (repo / "content" / "c.txt").write_text("Flimsy and meh.\n", encoding="utf-8")
    code, out, _ = run("check", "content", "--baseline", ".brandrail-baseline.json", "--format", "json")
    assert code == 1
    data = json.loads(out)
    new = [(r["path"], f["span"]["line"]) for r in data["results"] for f in r["findings"]]
    assert new == [("content/a.md", 3), ("content/c.txt", 1), ("content/c.txt", 1)]
    assert data["summary"]["baselined"] == 3
    assert [len(r.get("extra", {}).get("baselined", [])) for r in data["results"]] == [2, 1, 0]
    assert data["baseline"]["fixed"] == []


def test_fixed_entries_are_listed_and_sarif_marks_baseline_state(repo: Path) -> None:
    _write(repo)
    # one "flimsy" of two is gone (the second occurrence is then fixed), a "meh" is new
    (repo / "content" / "a.md").write_text("Our tents.\nA flimsy one.\nSo meh.\n", "utf-8")
    code, out, _ = run("check", "content", "--baseline", ".brandrail-baseline.json", "--fail-on", "info")
    assert code == 1
    assert "content/a.md: BR101 banned-term: 1 fixed" in out
    assert "prune with --write-baseline" in out
    code, out, _ = run("check", "content", "--baseline", ".brandrail-baseline.json", "--format", "sarif")
    assert code == 0
    log = json.loads(out)
    jsonschema.Draft7Validator(SCHEMA).validate(log)
    states = sorted(r["baselineState"] for r in log["runs"][0]["results"])
    assert states == ["absent", "new", "unchanged", "unchanged"]
    unchanged = [r for r in log["runs"][0]["results"] if r["baselineState"] == "unchanged"]
    assert all(r["suppressions"][0]["kind"] == "external" for r in unchanged)
    # without --baseline, SARIF has no baselineState (unchanged output)
    _, out, _ = run("check", "content", "--format", "sarif")
    assert all("baselineState" not in r for r in json.loads(out)["runs"][0]["results"])


def test_sarif_fingerprints_unchanged_by_the_shared_function(repo: Path) -> None:
    from brandrail.findings import Finding, Severity
    from brandrail.report.sarif import fingerprint

    f = Finding(code="BR101", rule="banned-term", severity=Severity.ERROR, message="m", match="Flimsy  X")
    # the value SARIF has always written for this finding (code scanning keeps alerts by it)
    import hashlib

    expected = hashlib.sha256(b"BR101\x1fa.md\x1fflimsy x\x1f2").hexdigest()[:32]
    assert fingerprint(f, "a.md", 2) == expected


def test_another_policy_version_still_matches_but_says_so(repo: Path) -> None:
    _write(repo)
    policy = (repo / "brandrail.yaml").read_text(encoding="utf-8")
    write_policy(repo, policy.replace("  banned:\n", "  banned:\n    - term: zzz\n"))
    code, out, err = run("check", "content", "--baseline", ".brandrail-baseline.json")
    assert code == 0, out
    assert "was written under policy" in err
    assert "3 baselined" in out


@pytest.mark.parametrize(
    ("content", "where", "what"),
    [
        (None, ".b.json", "baseline file not found"),
        (b'{"brandrail_baseline": 1,\n  "findings": [\n', ".b.json:3:1", "not valid JSON"),
        (b'{\n  "brandrail_baseline": 7, "findings": []}', ".b.json:2:3", "version 7 is not supported"),
        (b'{"brandrail_baseline": 1, "findings": ["\xff"]}', ".b.json:1:41", "not UTF-8"),
        (b'{"findings": []}', ".b.json:1:1", "not a brandrail baseline"),
        (b'{"brandrail_baseline": 1, "findings": [{"path": 1}]}', ".b.json:", "findings[0]"),
    ],
)
def test_bad_baseline_files_exit_2_with_where_and_hint(
    repo: Path, content: bytes | None, where: str, what: str
) -> None:
    if content is not None:
        (repo / ".b.json").write_bytes(content)
    code, out, err = run("check", "content", "--baseline", ".b.json")
    assert code == 2
    assert out == ""
    assert where in err and what in err and "hint:" in err, err


def test_io_errors_are_never_baselined(repo: Path) -> None:
    (repo / "content" / "bin.txt").write_bytes(b"\x00\x01")
    code, _, _ = run("check", "content", "--write-baseline", ".b.json")
    assert code == 2
    data = json.loads((repo / ".b.json").read_text(encoding="utf-8"))
    assert {e["code"] for e in data["findings"]} == {"BR101"}  # flimsy (error) and splendiferous (warning)
    assert len(data["findings"]) == 3
    code, _, _ = run("check", "content", "--baseline", ".b.json")
    assert code == 2
