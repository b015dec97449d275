"""Helpers for the CLI tests (a module name no other test folder uses)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer.main
from typer.testing import CliRunner

from brandrail.cli import app

POLICY = """\
version: 1
brand:
  name: Acme
terms:
  banned:
    - term: flimsy
      replacement: lightweight
    - term: splendiferous
      severity: warning
    - term: meh
      severity: info
channels:
  sms:
    kind: sms
    max_length: 40
  email:
    kind: email
"""


def write_policy(folder: Path, text: str = POLICY, name: str = "brandrail.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), input=input, env=env)
    return result.exit_code, result.stdout, result.stderr


def leaf_commands() -> list[tuple[str, Any]]:
    """Every command that runs ("gate decide", ...; also "mcp", a group that runs on its own), by path."""
    found: list[tuple[str, Any]] = []

    def walk(cmd: Any, path: str) -> None:
        commands = getattr(cmd, "commands", None)
        if commands is None or path == "mcp":
            found.append((path, cmd))
        for name, sub in (commands or {}).items():
            walk(sub, f"{path} {name}".strip())

    walk(typer.main.get_command(app), "")
    return found
