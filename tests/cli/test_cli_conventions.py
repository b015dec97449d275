"""CLI conventions borrowed from ruff and Vale: discovery, channels by path, selection, exit codes, colour."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_testlib import POLICY, leaf_commands, run, write_policy

ROOT = Path(__file__).resolve().parents[2]


# -- policy discovery ------------------------------------------------------------------------------------


def test_policy_is_found_in_a_parent_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_policy(tmp_path)
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    (deep / "m.txt").write_text("so flimsy\n", encoding="utf-8")
    elsewhere = tmp_path.parent / f"{tmp_path.name}-cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # the search starts at the checked path, not the current folder
    monkeypatch.delenv("BRANDRAIL_POLICY", raising=False)
    code, out, err = run("check", str(deep / "m.txt"), "--format", "json")
    assert code == 1, err
    data = json.loads(out)
    assert Path(data["policy"]["source"]).resolve() == (tmp_path / "brandrail.yaml").resolve()


def test_nearest_policy_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_policy(tmp_path)
    inner = tmp_path / "inner"
    inner.mkdir()
    write_policy(inner, "terms:\n  banned:\n    - term: other\n", name=".brandrail.yaml")
    (inner / "m.txt").write_text("so flimsy\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("check", str(inner / "m.txt"))
    assert code == 0, out  # the inner policy does not ban "flimsy"


def test_brandrail_policy_variable_is_the_fallback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    policy = write_policy(tmp_path / "..", name=f"{tmp_path.name}-policy.yaml")
    work = tmp_path / "work"
    work.mkdir()
    (work / "m.txt").write_text("so flimsy\n", encoding="utf-8")
    monkeypatch.chdir(work)
    monkeypatch.setenv("BRANDRAIL_POLICY", str(policy))
    code, out, _ = run("check", "m.txt")
    assert code == 1 and "BR101" in out
    monkeypatch.delenv("BRANDRAIL_POLICY")
    code, _, err = run("check", "m.txt")
    assert code == 2 and "BRANDRAIL_POLICY" in err and "brandrail init" in err


def test_every_command_finds_the_policy_the_same_way(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The gate, audit and privacy commands used to read ./brandrail.yaml only (docs/cli.md says otherwise)."""
    from datetime import UTC, datetime

    write_policy(tmp_path, "gate:\n  budget:\n    max_per_action: 10\n  content_checks: false\n")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    action = {"kind": "spend", "id": "s1", "agent": "bot", "campaign": "c", "amount": "50",
              "time": datetime.now(UTC).isoformat()}  # fmt: skip
    (deep / "a.json").write_text(json.dumps(action), encoding="utf-8")
    monkeypatch.chdir(deep)
    monkeypatch.delenv("BRANDRAIL_POLICY", raising=False)
    db = f"sqlite:///{tmp_path / 'gate.db'}"
    code, out, err = run("gate", "decide", "a.json", "--db", db, "--format", "json")
    assert code == 1 and json.loads(out)["codes"] == ["AG101"], err  # the parent folder's cap applied
    (deep / "log.csv").write_text("group,selected\na,1\nb,0\n", encoding="utf-8")
    code, _, err = run("audit", "fairness", "log.csv")
    assert "no ./brandrail.yaml" not in err and "no policy file given" not in err
    # and BRANDRAIL_POLICY when no file is found by the search
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (outside / "a.json").write_text(json.dumps({**action, "id": "s2"}), encoding="utf-8")
    monkeypatch.chdir(outside)
    monkeypatch.setenv("BRANDRAIL_POLICY", str(tmp_path / "brandrail.yaml"))
    code, out, err = run("gate", "decide", "a.json", "--db", db, "--format", "json")
    assert code == 1 and json.loads(out)["codes"] == ["AG101"], err


# -- channels by path and front matter -------------------------------------------------------------------


def test_files_mapping_and_front_matter_choose_the_channel(tmp_path: Path) -> None:
    write_policy(tmp_path, POLICY + 'files:\n  "sms/**": sms\n  "*.eml.md": email\n')
    (tmp_path / "sms" / "x").mkdir(parents=True)
    long_text = "a perfectly fine message that is longer than forty characters\n"
    (tmp_path / "sms" / "x" / "long.txt").write_text(long_text, encoding="utf-8")
    (tmp_path / "plain.txt").write_text(long_text, encoding="utf-8")
    (tmp_path / "fm.md").write_text("---\nchannel: sms\n---\n" + long_text, encoding="utf-8")
    (tmp_path / "fm-bad.md").write_text("---\nchannel: smss\n---\nhi\n", encoding="utf-8")
    code, out, _ = run("check", str(tmp_path), "--format", "json")
    data = json.loads(out)
    by_name = {Path(r["path"]).name: r for r in data["results"]}
    assert by_name["long.txt"]["channel"] == "sms"
    assert "BR401" in {f["code"] for f in by_name["long.txt"]["findings"]}
    assert by_name["plain.txt"]["channel"] is None and by_name["plain.txt"]["findings"] == []
    assert by_name["fm.md"]["channel"] == "sms"
    assert [f["code"] for f in by_name["fm-bad.md"]["findings"]] == ["IO002"]
    assert "did not" not in by_name["fm-bad.md"]["findings"][0]["message"]
    assert code == 2  # a file could not be checked as asked
    # --channel on the command line wins over both
    code, out, _ = run("check", str(tmp_path / "fm.md"), "--channel", "email", "--format", "json")
    assert json.loads(out)["results"][0]["channel"] == "email"


def test_files_mapping_to_an_unknown_channel_is_a_policy_error(tmp_path: Path) -> None:
    policy = write_policy(tmp_path, POLICY + 'files:\n  "sms/**": smss\n')
    code, _, err = run("policy", "validate", str(policy))
    assert code == 2 and "unknown channel 'smss'" in err and f"{policy}:" in err


# -- selection, exclusion and exit codes -----------------------------------------------------------------


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    write_policy(tmp_path)
    (tmp_path / "m.txt").write_text("flimsy splendiferous meh\n", encoding="utf-8")
    return tmp_path / "m.txt"


def codes_of(out: str) -> list[str]:
    return [f["code"] + ":" + f["severity"] for r in json.loads(out)["results"] for f in r["findings"]]


def test_select_and_ignore_codes_prefixes_and_families(mixed: Path) -> None:
    _, out, _ = run("check", str(mixed), "-f", "json")
    assert codes_of(out) == ["BR101:error", "BR101:warning", "BR101:info"]
    code, out, _ = run("check", str(mixed), "-f", "json", "--ignore", "terms")
    assert codes_of(out) == [] and code == 0
    _, out, _ = run("check", str(mixed), "-f", "json", "--select", "BR1", "--ignore", "BR101")
    assert codes_of(out) == []
    _, out, _ = run("check", str(mixed), "-f", "json", "--select", "claims,BR101")
    assert len(codes_of(out)) == 3
    code, _, err = run("check", str(mixed), "--select", "BR1O1")
    assert code == 2 and "did you mean 'BR101'?" in err


def test_fail_on_and_exit_zero(tmp_path: Path) -> None:
    write_policy(tmp_path)
    warn = tmp_path / "w.txt"
    warn.write_text("splendiferous\n", encoding="utf-8")
    info = tmp_path / "i.txt"
    info.write_text("meh\n", encoding="utf-8")
    assert run("check", str(warn))[0] == 0
    code, out, _ = run("check", str(warn), "--fail-on", "warning")
    assert code == 1 and "— failed" in out
    assert run("check", str(info), "--fail-on", "warning")[0] == 0
    assert run("check", str(info), "--fail-on", "info")[0] == 1
    err_file = tmp_path / "e.txt"
    err_file.write_text("flimsy\n", encoding="utf-8")
    code, out, _ = run("check", str(err_file), "--exit-zero")
    assert code == 0 and "— failed" in out
    code, _, _ = run("check", str(err_file), str(tmp_path / "nope.txt"), "--exit-zero")
    assert code == 2  # --exit-zero never hides an error that is not a finding


def test_exclude_globs_while_walking(tmp_path: Path) -> None:
    write_policy(tmp_path)
    for rel in ("keep/a.txt", "drafts/b.txt", "keep/old/c.md", "keep/d.draft.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("flimsy\n", encoding="utf-8")
    _, out, _ = run(
        "check",
        str(tmp_path),
        "-f",
        "json",
        "--exclude",
        "drafts",
        "--exclude",
        "keep/old/**",
        "--exclude",
        "*.draft.txt",
    )
    names = sorted(Path(r["path"]).relative_to(tmp_path).as_posix() for r in json.loads(out)["results"])
    assert names == ["keep/a.txt"]


def test_findings_per_rule_are_capped_with_a_count(tmp_path: Path) -> None:
    write_policy(tmp_path)
    msg = tmp_path / "many.txt"
    msg.write_text("flimsy " * 30 + "\n", encoding="utf-8")
    code, out, _ = run("check", str(msg), "--max-per-rule", "5", "--no-source")
    assert code == 1
    lines = out.splitlines()
    assert sum(line.startswith(f"{msg}:1:") for line in lines) == 5
    assert f"{msg}: … and 25 more BR101 findings not shown (--max-per-rule)" in lines
    code, out, _ = run("check", str(msg), "--max-per-rule", "5", "-f", "json")
    data = json.loads(out)
    assert data["summary"]["not_shown"] == 25 and data["results"][0]["extra"]["capped"] == {"BR101": 25}
    assert data["results"][0]["scores"]["overall"] == 0.0  # the score counts every finding


# -- output ----------------------------------------------------------------------------------------------


def test_no_color_and_force_color(mixed: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM")}
    cmd = [sys.executable, "-c", "from brandrail.cli import main; main()", "check", str(mixed)]
    src = {"PYTHONPATH": str(ROOT / "src")}
    forced = subprocess.run(
        cmd, capture_output=True, text=True, env={**env, **src, "FORCE_COLOR": "1"}, check=False
    )
    assert "\x1b[" in forced.stdout
    both = subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        env={**env, **src, "FORCE_COLOR": "1", "NO_COLOR": "1"},
        check=False,
    )
    assert "\x1b[3" not in both.stdout and "BR101" in both.stdout  # no colour (bold may stay)
    piped = subprocess.run(cmd, capture_output=True, text=True, env={**env, **src}, check=False)
    assert "\x1b[" not in piped.stdout


def test_content_cannot_drive_the_terminal(tmp_path: Path) -> None:
    """Escape sequences, a carriage return, a bell and a bidi override in a checked file, and a line feed and an
    escape in its name, are shown as visible stand-ins: they cannot erase the finding's line, conceal the
    rest of the output, retitle the terminal or forge a line; the caret stays under the word."""
    write_policy(tmp_path)
    hostile = "ok \x1b[1A\x1b[2K\x1b]0;pwned\x07\x1b[8m\r\u202e\x9b flimsy\n"
    name = tmp_path / "m\x1b[2J\nfake.txt:1:1 BR000 passed.txt"
    name.write_text(hostile, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM")}
    cmd = [sys.executable, "-c", "from brandrail.cli import main; main()", "check", str(tmp_path)]
    cmd += ["--select", "BR101"]  # BR901 reports the override too
    src = {"PYTHONPATH": str(ROOT / "src")}
    column = hostile.index("flimsy") + 1
    for extra in ({}, {"FORCE_COLOR": "1"}):
        out = subprocess.run(cmd, capture_output=True, text=True, env={**env, **src, **extra}, check=False)
        assert out.returncode == 1
        shown = out.stdout
        if extra:  # rich's own colour codes are the only escapes
            import re

            shown = re.sub(r"\x1b\[[0-9;]*m", "", shown)
        assert "\x1b" not in shown and "\x07" not in shown and "\r" not in shown and "\x9b" not in shown
        assert "\u202e" not in shown
        header, source, caret, summary = shown.splitlines()
        assert header.endswith(
            f"m␛[2J␊fake.txt:1:1 BR000 passed.txt:1:{column} BR101 error 'flimsy' is a banned term; use 'lightweight'"
        )
        assert source == "  ok ␛[1A␛[2K␛]0;pwned␇␛[8m␍\ufffd\ufffd flimsy"
        assert caret.index("^") == source.index("flimsy") and caret.count("^") == 6
        assert summary.startswith("1 file checked: 1 error")


def test_errors_show_control_characters_in_names(tmp_path: Path) -> None:
    policy = write_policy(tmp_path)
    code, _, err = run("check", str(tmp_path / "gone\x1b[8m.md"), "--policy", str(policy))
    assert code == 2
    assert "gone␛[8m.md" in err and "\x1b" not in err


def test_empty_input_warns(tmp_path: Path) -> None:
    write_policy(tmp_path)
    (tmp_path / "empty.md").write_text("  \n", encoding="utf-8")
    code, _, err = run("check", str(tmp_path / "empty.md"))
    assert code == 0
    assert f"warning: {tmp_path / 'empty.md'}: empty, nothing to check" in err


def test_html_without_out_goes_to_stdout(
    mixed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("check", str(mixed), "-f", "html")
    assert code == 1 and out.startswith("<!doctype html>")
    assert not (tmp_path / "brandrail-report").exists()


def test_out_on_a_file_is_refused_before_any_work(mixed: Path) -> None:
    code, out, err = run("check", str(mixed), "--out", str(mixed))
    assert code == 2 and "is a file, not a folder" in err and out == ""


def test_out_in_a_read_only_folder_is_refused_before_any_work(mixed: Path, tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        code, out, err = run("check", str(mixed), "--out", str(folder / "report"))
    finally:
        folder.chmod(0o755)
    assert code == 2 and "permission denied" in err and out == ""


def test_jsonl_streams_one_line_per_file(tmp_path: Path) -> None:
    write_policy(tmp_path)
    for i in range(3):
        (tmp_path / f"m{i}.txt").write_text("flimsy\n" if i else "fine\n", encoding="utf-8")
    code, out, _ = run("check", str(tmp_path), "-f", "jsonl")
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["type"] for r in records] == ["result", "result", "result", "summary"]
    assert records[-1]["summary"]["errors"] == 2 and records[-1]["passed"] is False
    assert code == 1


# -- every command's help --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [n for n, _ in leaf_commands()])
def test_every_help_has_an_example_and_clean_metavars(name: str) -> None:
    code, out, _ = run(*name.split(), "--help")
    assert code == 0
    assert "Example" in out, f"`brandrail {name} --help` shows no example"
    for ugly in ("<list", "list[", "[str]", "<str>", "<path>", "PATH | NONE"):
        assert ugly not in out, f"`brandrail {name} --help` shows {ugly!r}"


def test_every_command_has_a_written_example_that_parses() -> None:
    """A generated example is only the required placeholders (`brandrail sessions end` with no choice of
    sessions is refused); each command's example is written out, and names only options it has."""
    import shlex

    from brandrail.cli._help import EXAMPLES

    for name, command in leaf_commands():
        if getattr(command, "commands", None) is not None:
            continue  # a group that runs on its own (`brandrail mcp`): GROUP_EXAMPLES, checked below
        assert name in EXAMPLES, f"`brandrail {name} --help` has no written example (cli/_help.py EXAMPLES)"
        known = {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)}  # type: ignore[attr-defined]
        for line in EXAMPLES[name]:
            words = shlex.split(line.split(" #")[0].split(" > ")[0].split(" | ")[-1])
            assert " ".join(words[1 : 1 + len(name.split())]) == name, line
            unknown = [w for w in words if w.startswith("-") and w != "-" and w.split("=")[0] not in known]
            assert not unknown, f"example {line!r} names options `brandrail {name}` lacks: {unknown}"
    for line in EXAMPLES["serve"]:
        code, out, _ = run(*shlex.split(line)[1:], "--help")
        assert code == 0 and "  $ " + line in out  # shown as written, not re-wrapped into a paragraph


@pytest.mark.parametrize(
    "command", [("keys", "list"), ("keys", "create", "bot", "--role", "agent"), ("sessions", "list")]
)
@pytest.mark.parametrize("fmt", ["sarif", "github", "html"])
def test_text_or_json_commands_refuse_other_formats(
    tmp_path: Path, command: tuple[str, ...], fmt: str
) -> None:
    """These commands print text or JSON only; another --format was printed as text with exit 0."""
    db = f"sqlite:///{tmp_path / 'gate.db'}"
    code, out, err = run(*command, "--db", db, "--format", fmt)
    assert code == 2 and out == ""
    assert f"--format {fmt} is not supported here" in err


@pytest.mark.parametrize("group", ["", "policy", "audit", "gate", "ledger"])
def test_group_help_has_examples(group: str) -> None:
    code, out, _ = run(*group.split(), "--help")
    assert code == 0 and "Examples:" in out and "$ brandrail " in out


def test_check_help_lists_only_supported_formats() -> None:
    _, out, _ = run("check", "--help")
    for fmt in ("text", "json", "jsonl", "sarif", "github", "html"):
        assert fmt in out


def test_completion_is_available() -> None:
    _, out, _ = run("--help")
    assert "--install-completion" in out and "--show-completion" in out


def test_fix_shows_a_diff_of_hostile_content_on_a_terminal_and_pipes_it_exact(tmp_path: Path) -> None:
    import pty
    import select

    write_policy(tmp_path)
    target = tmp_path / "m.md"
    target.write_text("so flimsy \x1b[2J\x1b]0;pwned\x07\n", encoding="utf-8")
    cmd = [sys.executable, "-c", "from brandrail.cli import main; main()", "fix", str(target)]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    master, slave = pty.openpty()
    proc = subprocess.Popen(cmd, stdout=slave, stderr=subprocess.PIPE, env=env)
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 120)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=120)
    os.close(master)
    shown = b"".join(chunks).decode("utf-8")
    assert proc.returncode == 0
    assert "+so lightweight ␛[2J␛]0;pwned␇" in shown and "\x1b" not in shown and "\x07" not in shown
    piped = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    assert "+so lightweight \x1b[2J\x1b]0;pwned\x07" in piped.stdout  # a patch to apply keeps the bytes


def test_json_log_lines_hold_no_terminal_colour_codes() -> None:
    """uvicorn passes `color_message` (its message with ANSI codes) as an extra; a JSON log line left it in."""
    import logging

    from brandrail.cli.service import _JsonFormatter

    record = logging.LogRecord(
        "uvicorn.error", logging.INFO, "", 0, "Started server process [%d]", (7,), None
    )
    record.color_message = "Started server process [\x1b[36m%d\x1b[0m]"
    record.event = "request"
    line = json.loads(_JsonFormatter().format(record))
    assert line["message"] == "Started server process [7]" and line["event"] == "request"
    assert "color_message" not in line and "\x1b" not in json.dumps(line, ensure_ascii=False)


def test_counts_in_summaries_agree_with_their_number(tmp_path: Path) -> None:
    """`policy validate` said "1 banned terms, 1 trademarks"; `tone` said "1 sentences"."""
    policy = write_policy(tmp_path)  # three banned terms, no trademark, two channels
    code, out, _ = run("policy", "validate", str(policy))
    assert code == 0 and "3 banned terms, 0 trademarks, 2 channels" in out
    one = write_policy(
        tmp_path, "version: 1\nterms:\n  banned: [{term: meh}]\nchannels: {sms: {kind: sms}}\n", "one.yaml"
    )
    code, out, _ = run("policy", "validate", str(one))
    assert code == 0 and "1 banned term, 0 trademarks, 1 channel" in out
    (tmp_path / "draft.txt").write_text("Hurry, cheap deal", encoding="utf-8")
    code, out, _ = run("tone", str(tmp_path / "draft.txt"), "--policy", str(one))
    assert code == 0 and "3 words, 1 sentence, point of view" in out
