"""End-to-end CLI tests: exact output lines, formats, exit codes, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from brandrail.cli import app

POLICY = """\
version: 1
brand:
  name: Acme
  trademarks:
    - term: GORE-TEX
terms:
  banned:
    - term: flimsy
      replacement: lightweight
      inflections: true
    - term: splendiferous
      severity: warning
channels:
  sms:
    kind: sms
    max_length: 40
"""


@pytest.fixture
def policy(tmp_path: Path) -> Path:
    path = tmp_path / "brandrail.yaml"
    path.write_text(POLICY, encoding="utf-8")
    return path


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def test_check_text_output_is_exact(tmp_path: Path, policy: Path) -> None:
    msg = tmp_path / "msg.txt"
    msg.write_text("Our flimsiest Gore-Tex jackets,\n\tsplendiferous!\n", encoding="utf-8")
    code, out, _ = run("check", str(msg), "--policy", str(policy))
    assert code == 1
    lines = out.splitlines()
    assert lines[:9] == [
        f"{msg}:1:5 BR101 error 'flimsy' is a banned term; use 'lightweight'",
        "  Our flimsiest Gore-Tex jackets,",
        "      ^^^^^^^^^",
        f"{msg}:1:15 BR103 error write 'GORE-TEX', not 'Gore-Tex'",
        "  Our flimsiest Gore-Tex jackets,",
        "                ^^^^^^^^",
        f"{msg}:2:2 BR101 warning 'splendiferous' is a banned term",
        "      splendiferous!",
        "      ^^^^^^^^^^^^^",
    ]
    assert lines[9].startswith("1 file checked: 2 errors, 1 warning, 0 info — failed (score 40/100, policy ")


def test_clean_file_exits_zero(tmp_path: Path, policy: Path) -> None:
    msg = tmp_path / "ok.md"
    msg.write_text("# Hello\n\nOur lightweight GORE-TEX jackets.\n", encoding="utf-8")
    code, out, _ = run("check", str(msg), "--policy", str(policy))
    assert code == 0
    assert "1 file checked: 0 errors, 0 warnings, 0 info — passed" in out


def test_channel_limit_and_unknown_channel(tmp_path: Path, policy: Path) -> None:
    msg = tmp_path / "sms.txt"
    msg.write_text("x" * 50, encoding="utf-8")
    code, out, _ = run("check", str(msg), "--policy", str(policy), "--channel", "sms")
    assert code == 1
    assert "BR401 error message is 50 characters; channel 'sms' allows 40" in out
    code, _, err = run("check", str(msg), "--policy", str(policy), "--channel", "smss")
    assert code == 2
    assert "unknown channel 'smss'" in err and "did you mean 'sms'?" in err


def test_stdin_and_markdown_kind(policy: Path) -> None:
    # a comment is markup in Markdown (no reader sees it) and text in plain text
    code, out, _ = run(
        "check", "-", "--policy", str(policy), "--stdin-kind", "markdown", input="Use <!-- flimsy --> it\n"
    )
    assert code == 0, out
    code, out, _ = run("check", "-", "--policy", str(policy), input="Use <!-- flimsy --> it\n")
    assert code == 1, out
    # code is shown to the reader: a banned term written as code is found, where it stands
    code, out, _ = run(
        "check", "-", "--policy", str(policy), "--stdin-kind", "markdown", input="Use `flimsy` code\n"
    )
    assert code == 1
    assert out.startswith("<stdin>:1:6 BR101 error")
    code, out, _ = run("check", "-", "--policy", str(policy), input="so flimsy\n")
    assert code == 1
    assert out.startswith("<stdin>:1:4 BR101 error")


def test_folder_is_walked_recursively(tmp_path: Path, policy: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "one.txt").write_text("flimsy\n", encoding="utf-8")
    (tmp_path / "a" / "b" / "two.html").write_text("<p>flimsy</p>\n", encoding="utf-8")
    (tmp_path / "a" / "b" / "skip.bin").write_bytes(b"\x00\x01")
    code, out, _ = run("check", str(tmp_path / "a"), "--policy", str(policy), "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert [Path(r["path"]).name for r in data["results"]] == ["one.txt", "two.html"]


def test_json_output_is_versioned(tmp_path: Path, policy: Path) -> None:
    msg = tmp_path / "m.txt"
    msg.write_text("flimsy <!-- brandrail-disable-line BR101 -->\nflimsy\n", encoding="utf-8")
    code, out, _ = run("check", str(msg), "--policy", str(policy), "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["schema_version"] == 1
    assert len(data["policy"]["version"]) == 64
    result = data["results"][0]
    assert [f["span"]["line"] for f in result["findings"]] == [2]
    assert [f["span"]["line"] for f in result["suppressed"]] == [1]
    finding = result["findings"][0]
    assert finding["fix"] == {
        "description": "replace with 'lightweight'",
        "safe": True,
        "edits": [{"start": 45, "end": 51, "replacement": "lightweight"}],
    }
    assert finding["evidence"]["term"] == "flimsy"
    assert data["summary"] == {
        "files": 1,
        "passed": 0,
        "failed": 1,
        "errors": 1,
        "warnings": 0,
        "info": 0,
        "suppressed": 1,
    }


def test_sarif_validates_against_the_official_schema(tmp_path: Path, policy: Path, root: Path) -> None:
    schema_path = root / "tests" / "data" / "sarif-schema-2.1.0.json"  # vendored: the suite is self-contained
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    msg = tmp_path / "m.txt"
    msg.write_text(
        "flimsy Gore-Tex, splendiferous <!-- brandrail-disable-line BR101 -->\nthe flimsiest\n",
        encoding="utf-8",
    )
    code, out, _ = run("check", str(msg), "--policy", str(policy), "--format", "sarif")
    assert code == 1
    sarif = json.loads(out)
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(sarif), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
    run_ = sarif["runs"][0]
    assert {r["id"] for r in run_["tool"]["driver"]["rules"]} == {"BR101", "BR103"}
    suppressed = [r for r in run_["results"] if r.get("suppressions")]
    assert len(suppressed) == 2  # both BR101 findings on the disabled line
    region = run_["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] >= 1 and region["endColumn"] > region["startColumn"]


def test_github_format(tmp_path: Path, policy: Path) -> None:
    msg = tmp_path / "m.txt"
    msg.write_text("so flimsy\n", encoding="utf-8")
    code, out, _ = run("check", str(msg), "--policy", str(policy), "--format", "github")
    assert code == 1
    assert out.splitlines()[0] == (
        f"::error file={msg},line=1,col=4,endLine=1,endColumn=10,title=BR101 banned-term::"
        "'flimsy' is a banned term; use 'lightweight'"
    )


def test_html_report_is_self_contained(tmp_path: Path, policy: Path) -> None:
    msg = tmp_path / "m.html"
    msg.write_text("<p>so <b>flimsy</b> &amp; <script>alert(1)</script></p>\n", encoding="utf-8")
    out_dir = tmp_path / "report"
    code, out, _ = run("check", str(msg), "--policy", str(policy), "--format", "html", "--out", str(out_dir))
    assert code == 1
    page = (out_dir / "report.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page  # the source is escaped
    assert 'data-codes="BR101"' in page
    assert "http://" not in page and "https://" not in page.replace("https://github.com/brandrail", "")
    assert "wrote" in out


# -- bad input ------------------------------------------------------------------------------------------


def test_missing_file(policy: Path) -> None:
    code, out, err = run("check", "/nonexistent.txt", "--policy", str(policy))
    assert code == 2
    assert err.strip() == "error: /nonexistent.txt: no such file or directory"
    assert out == ""


def test_folder_without_checkable_files(tmp_path: Path, policy: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "data.csv").write_text("a,b\n", encoding="utf-8")
    code, _, err = run("check", str(tmp_path / "empty"), "--policy", str(policy))
    assert code == 2
    assert "folder has no checkable files" in err


def test_binary_file(tmp_path: Path, policy: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(b"abc\x00def")
    code, out, err = run("check", str(path), "--policy", str(policy))
    assert code == 2
    assert out.startswith(f"{path} IO001 error looks binary (NUL byte at offset 3)")
    assert "1 file could not be checked" in err


def test_non_utf8_names_byte_offset(tmp_path: Path, policy: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("café\nnaïve".encode("latin-1"))
    code, out, _ = run("check", str(path), "--policy", str(policy))
    assert code == 2
    assert f"{path} IO001 error is not valid UTF-8: byte 0xe9 at offset 3 (line 1, column 4)" in out


def test_empty_input_is_fine(tmp_path: Path, policy: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("", encoding="utf-8")
    code, out, _ = run("check", str(path), "--policy", str(policy))
    assert code == 0
    assert "1 file checked: 0 errors" in out


def test_huge_file_is_refused_with_the_limit(tmp_path: Path, policy: Path) -> None:
    path = tmp_path / "big.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse 50 MB file
    code, out, _ = run("check", str(path), "--policy", str(policy))
    assert code == 2
    assert "52,428,800 bytes, over the 10,485,760-byte limit" in out
    assert "--max-bytes" in out


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
@pytest.mark.parametrize("how", ["policy", "extends"])
def test_a_policy_from_an_endless_device_is_refused_not_read_forever(tmp_path: Path, how: str) -> None:
    # stat() gives 0 bytes for a device: the read itself is bounded
    msg = tmp_path / "m.txt"
    msg.write_text("hi", encoding="utf-8")
    policy = Path("/dev/zero")
    if how == "extends":
        policy = tmp_path / "p.yaml"
        policy.write_text("extends: [/dev/zero]\n", encoding="utf-8")
    code, _, err = run("check", str(msg), "--policy", str(policy))
    assert code == 2
    assert "/dev/zero: policy file is over the" in err and "byte limit" in err


def test_invalid_yaml_policy(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("terms:\n  banned: [\n", encoding="utf-8")
    msg = tmp_path / "m.txt"
    msg.write_text("hi", encoding="utf-8")
    code, _, err = run("check", str(msg), "--policy", str(bad))
    assert code == 2
    assert err.startswith(f"error: {bad}:3:1: invalid YAML")
    assert "Traceback" not in err


def test_self_extending_policy(tmp_path: Path) -> None:
    bad = tmp_path / "loop.yaml"
    bad.write_text("extends: [loop.yaml]\n", encoding="utf-8")
    code, _, err = run("policy", "validate", str(bad))
    assert code == 2
    assert "extends cycle" in err


def test_unknown_rule_code_in_policy(tmp_path: Path) -> None:
    bad = tmp_path / "p.yaml"
    bad.write_text("rules:\n  BR1O1: off\n", encoding="utf-8")
    code, _, err = run("policy", "validate", str(bad))
    assert code == 2
    assert "unknown rule code 'BR1O1'" in err and "did you mean 'BR101'?" in err
    assert f"{bad}:2:3" in err


@pytest.mark.parametrize("setting", ["off", "info", "{enabled: false}"])
def test_a_gate_code_under_rules_is_refused(tmp_path: Path, setting: str) -> None:
    """The gate ignores `rules:`; a policy that seems to switch a gate check off must not load as if it did."""
    bad = tmp_path / "p.yaml"
    bad.write_text(f"rules:\n  BR101: warning\n  AG404: {setting}\n", encoding="utf-8")
    code, _, err = run("policy", "validate", str(bad))
    assert code == 2
    assert "AG404 is a gate code" in err and "gate:" in err
    assert f"{bad}:3:" in err
    # the same through the Python API that the gate, the service and the integrations load policies with
    from brandrail.errors import PolicyError
    from brandrail.policy import policy_from_dict

    with pytest.raises(PolicyError, match="AG404 is a gate code"):
        policy_from_dict({"rules": {"AG404": "off"}})


def test_no_policy_anywhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.txt").write_text("hi", encoding="utf-8")
    code, _, err = run("check", "m.txt")
    assert code == 2
    assert "no policy file given" in err and "brandrail init" in err


# -- other commands --------------------------------------------------------------------------------------


def test_init_then_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("init")
    assert code == 0 and "wrote brandrail.yaml" in out
    code, _, err = run("init")
    assert code == 2 and "already exists" in err
    (tmp_path / "m.txt").write_text("A cheaper option", encoding="utf-8")
    code, out, _ = run("check", "m.txt")
    assert code == 1 and "BR101" in out
    code, out, _ = run("policy", "validate", "brandrail.yaml")
    assert code == 0 and "brandrail.yaml: ok — version" in out


def test_policy_show_merges_channel(policy: Path) -> None:
    code, out, _ = run("policy", "show", str(policy), "--channel", "sms", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert len(data["policy_version"]) == 64
    assert data["channels"]["sms"]["max_length"] == 40


def test_rules_list_and_doc() -> None:
    code, out, _ = run("rules")
    assert code == 0
    assert any(line.startswith("BR101  banned-term") for line in out.splitlines())
    code, out, _ = run("rules", "br101")
    assert code == 0
    assert out.startswith("BR101 banned-term (error, stable, since 0.1.0)")
    for part in ("What it flags:", "Why it matters:", "Example:", "Use instead:"):
        assert part in out
    code, _, err = run("rules", "BR1O1")
    assert code == 2 and "did you mean BR101?" in err


def test_version_flag() -> None:
    code, out, _ = run("--version")
    assert code == 0 and out.startswith("brandrail ")
