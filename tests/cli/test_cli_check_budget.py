"""`brandrail check --budget`: a file whose checks run past the budget is stopped, reported as BR999 and
makes the run exit 2; other files are checked as without it."""

from __future__ import annotations

import json
from pathlib import Path

from cli_testlib import run, write_policy

#: 200,000 characters of leetspeak: about 2.3 CPU seconds to check on a quiet machine.
HOSTILE = "fr33 " * 40_000


def _files(tmp_path: Path) -> tuple[str, str, str]:
    policy = write_policy(tmp_path, "terms: {banned: [{term: flimsy, replacement: light}, {term: free}]}\n")
    (tmp_path / "big.txt").write_text(HOSTILE, encoding="utf-8")
    (tmp_path / "small.txt").write_text("A flimsy tent.\n", encoding="utf-8")
    return str(policy), str(tmp_path / "big.txt"), str(tmp_path / "small.txt")


def test_a_file_past_the_budget_is_br999_and_exit_2(tmp_path: Path) -> None:
    policy, big, small = _files(tmp_path)
    code, out, err = run("check", "-p", policy, "--budget", "0.3", "--format", "json", small, big)
    assert code == 2
    results = {Path(r["path"]).name: r for r in json.loads(out)["results"]}
    assert [f["code"] for f in results["small.txt"]["findings"]] == ["BR101"]
    (finding,) = results["big.txt"]["findings"]
    assert finding["code"] == "BR999" and finding["evidence"]["characters"] == len(HOSTILE)
    assert "its checks ran out of the --budget of 0.3 CPU seconds" in err and "big.txt" in err
    assert "small.txt" not in err


def test_the_budget_is_not_filtered_away_by_select(tmp_path: Path) -> None:
    policy, big, _ = _files(tmp_path)
    code, out, _ = run("check", "-p", policy, "--timeout", "0.3", "--select", "BR1", "--format", "json", big)
    assert code == 2
    assert [f["code"] for f in json.loads(out)["results"][0]["findings"]] == ["BR999"]


def test_a_file_within_the_budget_is_checked_as_without_it(tmp_path: Path) -> None:
    policy, _, small = _files(tmp_path)
    with_budget = run("check", "-p", policy, "--budget", "30", "--format", "json", small)
    without = run("check", "-p", policy, "--format", "json", small)
    assert with_budget[0] == without[0] == 1
    assert json.loads(with_budget[1])["results"] == json.loads(without[1])["results"]


def test_a_bad_budget_is_a_usage_error(tmp_path: Path) -> None:
    policy, _, small = _files(tmp_path)
    code, _, err = run("check", "-p", policy, "--budget", "0", small)
    assert code == 2
    assert "--budget 0 is not a number of CPU seconds above 0" in err
