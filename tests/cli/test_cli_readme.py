"""The README's tour and Python snippet, executed: what the README shows is what brandrail prints.

Every shell line of the tour's code block runs in an empty temporary folder (``brandrail`` is this
checkout's CLI); a line is skipped only when it needs a person (``source``, ``$EDITOR``). Lines starting
with ``#   `` after a command are its expected output, compared exactly except for the policy version
hash. No command may exit 2 or print a traceback. The Python block runs with each ``expr  # value``
comment compared with ``repr(expr)``.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
_HASH = re.compile(r"policy [0-9a-f]{12}")


def _block(section: str, lang: str) -> list[str]:
    text = README.read_text(encoding="utf-8")
    start = text.index(section)
    fence = text.index(f"```{lang}\n", start) + len(f"```{lang}\n")
    return text[fence : text.index("```", fence)].splitlines()


def _steps(lines: list[str]) -> list[tuple[str, list[str]]]:
    steps: list[tuple[str, list[str]]] = []
    for line in lines:
        if line.startswith("#   "):
            assert steps, f"expected output before any command: {line!r}"
            steps[-1][1].append(line[4:])
        elif line.strip() and not line.startswith("#"):
            steps.append((line, []))
    return steps


@pytest.fixture
def shell_env(tmp_path: Path) -> dict[str, str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "brandrail"
    shim.write_text(
        f'#!/bin/sh\nexec "{sys.executable}" -c "from brandrail.cli import main; main()" "$@"\n',
        encoding="utf-8",
    )
    shim.chmod(shim.stat().st_mode | stat.S_IXUSR)
    env = {k: v for k, v in os.environ.items() if k not in ("BRANDRAIL_POLICY", "FORCE_COLOR")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(ROOT / "src")
    env["NO_COLOR"] = "1"
    return env


def test_readme_tour_runs_and_prints_what_it_shows(tmp_path: Path, shell_env: dict[str, str]) -> None:
    work = tmp_path / "tour"
    work.mkdir()
    steps = _steps(_block("## Five-minute tour", "sh"))
    assert len(steps) >= 10
    ran = 0
    for command, expected in steps:
        if command.startswith(("source ", "$EDITOR")):
            continue
        proc = subprocess.run(
            ["sh", "-c", command],
            cwd=work,
            env=shell_env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        ran += 1
        assert proc.returncode in (0, 1), f"{command!r} → exit {proc.returncode}\n{proc.stderr}"
        assert "Traceback" not in proc.stderr, command
        if expected:
            got = [_HASH.sub("policy <version>", line) for line in proc.stdout.splitlines()]
            want = [_HASH.sub("policy <version>", line) for line in expected]
            assert got == want, f"README shows a different output for {command!r}"
    assert ran >= 10
    assert (work / "report" / "report.html").is_file() and (work / "sarif" / "report.sarif").is_file()


def test_readme_python_snippet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from brandrail.cli._common import atomic_write

    lines = _block("## Python", "python")
    starter = (ROOT / "src" / "brandrail" / "policy" / "starter.yaml").read_text(encoding="utf-8")
    atomic_write(tmp_path / "brandrail.yaml", starter)  # what `brandrail init` writes
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    checked = 0
    for line in lines:
        code, _, comment = line.partition("  #")
        code, comment = code.strip(), comment.strip()
        if not code:
            continue
        if re.match(r"^[A-Za-z_][\w.]*\s*=[^=]", code) or code.startswith("import "):
            exec(code, namespace)
            continue
        value = eval(code, namespace)
        expected = comment.split(" (", 1)[0].strip()
        assert repr(value) == expected, f"README says {code} is {expected}, it is {value!r}"
        checked += 1
    assert checked >= 5
