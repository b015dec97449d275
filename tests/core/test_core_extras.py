"""The core install and its extras: a feature of a missing extra is a clear error naming the extra (exit 2)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from brandrail import _extras
from brandrail._extras import MissingExtraError, require
from brandrail.errors import UsageError
from conftest import CORE_ONLY


def test_require_names_the_extra_and_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_extras, "_present", {"not_a_real_module_xyz": False})
    with pytest.raises(MissingExtraError) as info:
        require("audit", "not_a_real_module_xyz")
    err = info.value
    assert isinstance(err, UsageError) and err.exit_code == 2
    assert err.extra == "audit" and err.missing == "not_a_real_module_xyz"
    assert "pip install 'brandrail[audit]'" in str(err)
    assert "fairness and goal audits" in str(err)


def test_require_passes_for_installed_modules() -> None:
    require("core", "json", "yaml")


@pytest.mark.skipif(not CORE_ONLY, reason="runs under the bare core install (make test-core)")
@pytest.mark.parametrize(
    ("args", "extra"),
    [
        (["gate", "decide", "action.json"], "gate"),
        (["ledger", "verify", "--db", "sqlite:///x.db"], "gate"),
        (["audit", "fairness", "decisions.csv"], "audit"),
    ],
)
def test_command_of_a_missing_extra_exits_2_naming_it(tmp_path: Path, args: list[str], extra: str) -> None:
    (tmp_path / "action.json").write_text("{}", encoding="utf-8")
    (tmp_path / "decisions.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (tmp_path / "brandrail.yaml").write_text("brand: {name: Acme}\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "brandrail", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2, proc.stderr
    assert f"pip install 'brandrail[{extra}]'" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.skipif(not CORE_ONLY, reason="runs under the bare core install (make test-core)")
def test_core_check_works_without_extras(tmp_path: Path) -> None:
    (tmp_path / "brandrail.yaml").write_text(
        "terms: {banned: [{term: flimsy, replacement: light}]}\n", encoding="utf-8"
    )
    (tmp_path / "m.md").write_text("A flimsy tent.\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "brandrail", "check", "m.md", "--policy", "brandrail.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert "BR101" in proc.stdout
    heavy = ("numpy", "pandas", "sqlalchemy", "torch", "fastapi")
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import importlib.util as u; print([m for m in {heavy!r} if u.find_spec(m)])",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert probe.stdout.strip() == "[]", "the core venv has extras installed; it no longer tests the core"
