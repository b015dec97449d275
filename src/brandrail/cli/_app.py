"""The Typer application objects every command module registers on.

Command modules (``brandrail.cli.*``) import ``app`` and the sub-apps from here and decorate their
functions; :mod:`brandrail.cli` imports each module once. Commands parse arguments, call the library and
print: no logic lives here. Heavy libraries are imported inside the command functions, so that
``brandrail check`` starts fast.
"""

from __future__ import annotations

import typer

__all__ = ["app", "approvals_app", "audit_app", "gate_app", "ledger_app", "policy_app", "voice_app"]

_settings = {"no_args_is_help": True, "rich_markup_mode": None, "pretty_exceptions_enable": False}

app = typer.Typer(
    help="brandrail keeps marketing AI on-brand, ethical, on-goal and within bounds — and proves it.",
    add_completion=False,
    **_settings,  # type: ignore[arg-type]
)
policy_app = typer.Typer(help="Validate and show policy files.", **_settings)  # type: ignore[arg-type]
audit_app = typer.Typer(help="Audit decision logs, experiments and candidate policies.", **_settings)  # type: ignore[arg-type]
gate_app = typer.Typer(help="Decide agent actions and replay the ledger through a new policy.", **_settings)  # type: ignore[arg-type]
approvals_app = typer.Typer(help="List, show, approve and reject actions sent to review.", **_settings)  # type: ignore[arg-type]
ledger_app = typer.Typer(help="Verify and export the tamper-evident decision ledger.", **_settings)  # type: ignore[arg-type]
voice_app = typer.Typer(help="Learn and evaluate a brand voice from example content.", **_settings)  # type: ignore[arg-type]

app.add_typer(policy_app, name="policy")
app.add_typer(audit_app, name="audit")
app.add_typer(gate_app, name="gate")
app.add_typer(approvals_app, name="approvals")
app.add_typer(ledger_app, name="ledger")
app.add_typer(voice_app, name="voice")
