"""The ``brandrail`` command line: a thin shell over the library (parse, call, print)."""

from __future__ import annotations

import importlib

from brandrail.cli._app import app

__all__ = ["app", "main"]

# Each module registers its commands on the apps in brandrail.cli._app.
_COMMAND_MODULES = (
    "brandrail.cli.core",
    "brandrail.cli.content",
    "brandrail.cli.voice",
    "brandrail.cli.fairness",
    "brandrail.cli.goals",
    "brandrail.cli.gate",
    "brandrail.cli.ledger",
    "brandrail.cli.content_audit",
    "brandrail.cli.integrations",
    "brandrail.cli.privacy",
    "brandrail.cli.service",
)
for _name in _COMMAND_MODULES:
    importlib.import_module(_name)


def main() -> None:
    """Console-script entry point."""
    app()
