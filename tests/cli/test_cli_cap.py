"""`brandrail check --max-per-rule N`: the report lists the first N findings of a code, and the verdict, the
counts and `brandrail fix` still see every finding; JSON and SARIF say the list is truncated."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from cli_testlib import run, write_policy

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


@pytest.fixture
def policy(tmp_path: Path) -> Path:
    # "splendiferous" is a warning and "flimsy" an error of the same code, BR101
    return write_policy(tmp_path)


def test_an_error_past_the_cap_still_fails_the_run(tmp_path: Path, policy: Path) -> None:
    msg = tmp_path / "m.txt"
    msg.write_text("splendiferous " * 8 + "flimsy\n", encoding="utf-8")
    code, out, _ = run("check", str(msg), "-p", str(policy), "--max-per-rule", "3", "-f", "json")
    assert code == 1, out  # the one error is the ninth BR101 finding: not listed, still failing
    data = json.loads(out)
    result = data["results"][0]
    assert [f["severity"] for f in result["findings"]] == ["warning"] * 3
    assert result["passed"] is False and result["truncated"] is True
    assert result["counts"] == {"error": 1, "warning": 8, "info": 0}
    assert result["extra"]["capped"] == {"BR101": 6}
    assert data["summary"]["errors"] == 1 and data["summary"]["warnings"] == 8
    assert data["summary"]["not_shown"] == 6


def test_counts_are_the_same_with_and_without_a_cap(tmp_path: Path, policy: Path) -> None:
    msg = tmp_path / "m.txt"
    msg.write_text("flimsy meh splendiferous " * 40 + "\n", encoding="utf-8")
    runs = {}
    for cap in ("0", "2", "1000"):
        code, out, _ = run("check", str(msg), "-p", str(policy), "--max-per-rule", cap, "-f", "json")
        assert code == 1
        runs[cap] = json.loads(out)
    assert runs["0"]["summary"]["errors"] == 40
    for cap in ("2", "1000"):
        assert runs[cap]["summary"] | {"not_shown": 0} == runs["0"]["summary"] | {"not_shown": 0}
        assert runs[cap]["results"][0]["counts"] == runs["0"]["results"][0]["counts"]
        assert runs[cap]["results"][0]["scores"] == runs["0"]["results"][0]["scores"]
    assert len(runs["2"]["results"][0]["findings"]) == 2 and runs["2"]["summary"]["not_shown"] == 118
    assert "truncated" not in runs["1000"]["results"][0] and "truncated" not in runs["0"]["results"][0]
    # the text summary line counts every finding too
    code, out, _ = run("check", str(msg), "-p", str(policy), "--max-per-rule", "2", "--no-source")
    assert "40 errors, 40 warnings, 40 info" in out.splitlines()[-1]
    assert f"{msg}: … and 118 more BR101 findings not shown (--max-per-rule)" in out.splitlines()


def test_sarif_says_what_was_not_listed(tmp_path: Path, policy: Path) -> None:
    msg = tmp_path / "m.txt"
    msg.write_text("flimsy " * 7 + "\n", encoding="utf-8")
    other = tmp_path / "n.txt"
    other.write_text("flimsy\n", encoding="utf-8")
    code, out, _ = run("check", str(msg), str(other), "-p", str(policy), "--max-per-rule", "3", "-f", "sarif")
    assert code == 1
    log = json.loads(out)
    jsonschema.Draft7Validator(SCHEMA).validate(log)
    run_ = log["runs"][0]
    assert len(run_["results"]) == 4
    assert run_["properties"]["truncated"] is True
    notes = run_["invocations"][0]["toolExecutionNotifications"]
    assert len(notes) == 1
    assert notes[0]["message"]["text"] == "4 more findings of BR101 not listed (--max-per-rule)"
    assert notes[0]["associatedRule"] == {"id": "BR101"}
    assert notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("m.txt")
    code, out, _ = run("check", str(other), "-p", str(policy), "--max-per-rule", "3", "-f", "sarif")
    run_ = json.loads(out)["runs"][0]
    assert "truncated" not in run_["properties"]
    assert "toolExecutionNotifications" not in run_["invocations"][0]


def test_fix_fixes_every_occurrence_whatever_the_cap(tmp_path: Path, policy: Path) -> None:
    msg = tmp_path / "m.txt"
    msg.write_text("flimsy, " * 150 + "done\n", encoding="utf-8")
    code, _, err = run("fix", str(msg), "-p", str(policy), "--write")
    assert code == 0, err
    fixed = msg.read_text(encoding="utf-8")
    assert fixed == "lightweight, " * 150 + "done\n"
    code, _, err = run("fix", str(msg), "-p", str(policy), "--write")
    assert code == 0, err
    assert msg.read_text(encoding="utf-8") == fixed  # idempotent
    code, out, _ = run("check", str(msg), "-p", str(policy), "-f", "json")
    assert code == 0 and json.loads(out)["summary"]["errors"] == 0


def test_the_html_report_says_what_was_not_listed(tmp_path: Path, policy: Path) -> None:
    msg = tmp_path / "m.txt"
    msg.write_text("splendiferous " * 8 + "flimsy\n", encoding="utf-8")
    out_dir = tmp_path / "report"
    code, _out, _ = run(
        "check", str(msg), "-p", str(policy), "--max-per-rule", "3", "-f", "html", "--out", str(out_dir)
    )
    assert code == 1
    page = (out_dir / "report.html").read_text(encoding="utf-8")
    assert "<b>6 not listed</b> (--max-per-rule)" in page
    assert "6 more finding(s) of BR101 not listed (--max-per-rule)." in page
    code, _out, _ = run("check", str(msg), "-p", str(policy), "-f", "html", "--out", str(out_dir))
    assert "not listed" not in (out_dir / "report.html").read_text(encoding="utf-8")
