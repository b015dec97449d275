"""`brandrail fix`: unified diff, --write (atomic), idempotence, JSON output, bad input exits 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from content_testlib import only_content
from typer.testing import CliRunner

import brandrail.cli.content  # noqa: F401 - registers `fix`
from brandrail.cli._app import app

POLICY = {
    "brand": {"name": "Fernhill", "trademarks": [{"term": "GORE-TEX", "symbol": "®"}]},
    "terms": {"banned": [{"term": "cheap", "replacement": "affordable"}]},
    "channels": {"sms": {"kind": "sms"}},
}


@pytest.fixture
def policy_file(tmp_path: Path) -> Path:
    path = tmp_path / "brandrail.yaml"
    path.write_text(yaml.safe_dump(only_content(POLICY), allow_unicode=True), encoding="utf-8")
    return path


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_fix_prints_a_diff_and_writes_nothing(tmp_path: Path, policy_file: Path) -> None:
    msg = tmp_path / "m.txt"
    msg.write_text("Our cheap Gore-Tex tent.\n", encoding="utf-8")
    code, out, err = _run("fix", str(msg), "--policy", str(policy_file))
    assert code == 0
    assert "-Our cheap Gore-Tex tent.\n+Our affordable GORE-TEX® tent.\n" in out
    assert "would fix 3" in err
    assert msg.read_text(encoding="utf-8") == "Our cheap Gore-Tex tent.\n"


def test_fix_write_then_second_run_changes_nothing(tmp_path: Path, policy_file: Path) -> None:
    msg = tmp_path / "m.md"
    msg.write_text("# Tents\n\nOur cheap tent.\n\n```\ncheap code stays\n```\n", encoding="utf-8")
    code, _, _ = _run("fix", str(msg), "--policy", str(policy_file), "--write")
    # the banned word in the code block is shown to the reader, so it is found; rewriting code is left to a
    # person (it may be a command or an identifier), so it stays and the exit code says so
    assert code == 1
    assert (
        msg.read_text(encoding="utf-8") == "# Tents\n\nOur affordable tent.\n\n```\ncheap code stays\n```\n"
    )
    code, out, err = _run("fix", str(msg), "--policy", str(policy_file), "--write")
    assert code == 1 and out == "" and "fixed 0" in err
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_fix_channel_appends_disclosures_and_exit_code_reflects_what_remains(
    tmp_path: Path, policy_file: Path
) -> None:
    msg = tmp_path / "sms.txt"
    msg.write_text("20% off boots this weekend.", encoding="utf-8")
    code, out, _ = _run("fix", str(msg), "--policy", str(policy_file), "--channel", "sms", "--format", "json")
    data = json.loads(out)
    assert data["schema_version"] == 1 and len(data["policy_version"]) == 64
    entry = data["files"][0]
    assert sorted(a["code"] for a in entry["applied"]) == ["BR304", "BR305"]
    assert [f["code"] for f in entry["remaining"]] == ["BR206"]  # pricing terms are never invented
    assert code == 1
    assert "+Fernhill: 20% off boots this weekend. Reply STOP to opt out." in entry["diff"]


def test_fix_bad_input_exits_2(tmp_path: Path, policy_file: Path) -> None:
    code, _, err = _run("fix", str(tmp_path / "missing.txt"), "--policy", str(policy_file))
    assert code == 2 and "no such file" in err
    bad = tmp_path / "bad.yaml"
    bad.write_text("terms:\n  baned: []\n", encoding="utf-8")
    (tmp_path / "m.txt").write_text("x", encoding="utf-8")
    code, _, err = _run("fix", str(tmp_path / "m.txt"), "--policy", str(bad))
    assert code == 2 and "banned" in err
    code, _, err = _run("fix", str(tmp_path / "m.txt"), "--policy", str(policy_file), "--format", "xml")
    assert code == 2 and "--format" in err
    code, _, err = _run("fix", str(tmp_path / "m.txt"), "--policy", str(policy_file), "--channel", "fax")
    assert code == 2 and "unknown channel" in err


def test_fix_reads_stdin(policy_file: Path) -> None:
    result = CliRunner().invoke(app, ["fix", "-", "--policy", str(policy_file), "--write"], input="So cheap.")
    assert result.exit_code == 0
    assert result.stdout == "So affordable."


def test_fix_without_a_policy_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.txt").write_text("x", encoding="utf-8")
    code, _, err = _run("fix", "m.txt")
    assert code == 2 and "no policy file" in err
