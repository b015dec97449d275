"""The Typer application objects every command module registers on.

Command modules (``brandrail.cli.*``) import ``app`` and the sub-apps from here and decorate their
functions; :mod:`brandrail.cli` imports each module once. Commands parse arguments, call the library and
print: no logic lives here. Heavy libraries are imported inside the command functions, so that
``brandrail check`` starts fast.

Every command runs inside :class:`BrandrailGroup`, which owns the exit-code contract for all of them —
including commands added later by other modules: 0 passed, 1 findings, 2 any other error (one line on
standard error, never a traceback unless ``--debug`` or ``BRANDRAIL_DEBUG=1``), 130 interrupted.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import traceback
from typing import Any

import typer
from typer import _click
from typer.core import TyperGroup

from brandrail.cli import EXIT_INTERRUPTED, interrupted, report_interrupted

__all__ = [
    "EXIT_INTERRUPTED",
    "BrandrailGroup",
    "app",
    "approvals_app",
    "audit_app",
    "debug_enabled",
    "gate_app",
    "ledger_app",
    "policy_app",
    "set_debug",
    "taint_app",
    "voice_app",
]

EXIT_USAGE = 2

_DEBUG = {"on": False}


def set_debug(on: bool) -> None:
    """Show tracebacks of errors (``--debug``)."""
    _DEBUG["on"] = on


def debug_enabled() -> bool:
    """``--debug`` was given or ``BRANDRAIL_DEBUG`` is set to a true value."""
    env = os.environ.get("BRANDRAIL_DEBUG", "").strip().lower()
    return _DEBUG["on"] or env not in ("", "0", "false", "no", "off")


def _silence_stdout() -> None:
    """Point file descriptor 1 at /dev/null so the interpreter's last flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # pragma: no cover - stdout is not a real file
        pass


def _flush_stdout() -> None:
    """Flush standard output now, so that a full device or a closed pipe is reported by us."""
    with contextlib.suppress(ValueError):  # closed by the command
        sys.stdout.flush()


def _printable(text: str) -> str:
    """``text`` with its control characters shown, not obeyed (a file name or a quoted value can hold an
    escape sequence); its line breaks stay (an error's hint is on a line of its own)."""
    from brandrail.report.text import printable

    return printable(text, keep_lines=True)


def report_error(exc: BaseException) -> int:
    """Print one clear line for ``exc`` on standard error and return the exit code it maps to."""
    from brandrail.errors import BrandrailError

    if debug_enabled() and not isinstance(exc, KeyboardInterrupt) and not interrupted():
        traceback.print_exception(exc, file=sys.stderr)
    if isinstance(exc, KeyboardInterrupt) or interrupted():
        report_interrupted()
        return EXIT_INTERRUPTED
    if isinstance(exc, BrandrailError):
        print(f"error: {_printable(str(exc))}", file=sys.stderr)
        return exc.exit_code if exc.exit_code != 1 else EXIT_USAGE
    if isinstance(exc, OSError):
        if exc.errno == errno.EPIPE:  # the reader went away (`| head`): not an error of ours
            _silence_stdout()
            return 0
        where = f"{_printable(str(exc.filename))}: " if exc.filename else ""
        reason = exc.strerror or str(exc)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT) and not exc.filename:
            _silence_stdout()
            print(f"error: cannot write the output: {reason}", file=sys.stderr)
            print("  hint: free some space, or write the report elsewhere with --out", file=sys.stderr)
            return EXIT_USAGE
        print(f"error: {where}{reason}", file=sys.stderr)
        return EXIT_USAGE
    if isinstance(exc, MemoryError):
        print("error: out of memory", file=sys.stderr)
        print("  hint: check fewer files at a time, or lower --max-bytes", file=sys.stderr)
        return EXIT_USAGE
    name = type(exc).__name__
    text = _printable(str(exc).splitlines()[0]) if str(exc) else ""
    print(f"error: internal error in brandrail ({name}{': ' + text if text else ''})", file=sys.stderr)
    if not debug_enabled():
        print(
            "  hint: this is a bug; rerun with --debug (or BRANDRAIL_DEBUG=1) and report it", file=sys.stderr
        )
    return EXIT_USAGE


class BrandrailGroup(TyperGroup):
    """The root command group: turns every error that is not a finding into exit code 2 (see module doc)."""

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        from brandrail.cli._help import tidy

        try:
            if parent is None:
                tidy(self)
                info_name = "brandrail" if info_name in (None, "root") else info_name
            return super().make_context(info_name, args, parent=parent, **extra)
        except KeyboardInterrupt:  # Ctrl-C while the command line is parsed
            raise typer.Exit(report_error(KeyboardInterrupt())) from None

    def invoke(self, ctx: _click.Context) -> Any:
        try:
            try:
                rv = super().invoke(ctx)
            except typer.Exit:
                _flush_stdout()
                raise
            _flush_stdout()
            return rv
        except typer.Exit:
            raise
        except typer.Abort as exc:
            if isinstance(exc.__cause__ or exc.__context__, EOFError):
                print("error: standard input ended before an answer was given", file=sys.stderr)
                raise typer.Exit(EXIT_USAGE) from None
            raise typer.Exit(report_error(KeyboardInterrupt())) from None
        except _click.exceptions.ClickException as exc:
            exc.exit_code = EXIT_USAGE  # a FileError says 1, which means "findings" to us
            raise
        except EOFError:
            print("error: standard input ended early", file=sys.stderr)
            raise typer.Exit(EXIT_USAGE) from None
        except (Exception, KeyboardInterrupt) as exc:
            raise typer.Exit(report_error(exc)) from None


_settings: dict[str, Any] = {
    "no_args_is_help": True,
    "rich_markup_mode": None,
    "pretty_exceptions_enable": False,
}

app = typer.Typer(
    help="brandrail keeps marketing AI on-brand, ethical, on-goal and within bounds — and proves it.",
    cls=BrandrailGroup,
    add_completion=True,
    **_settings,
)
policy_app = typer.Typer(help="Validate and show policy files.", **_settings)
audit_app = typer.Typer(help="Audit decision logs, experiments and candidate policies.", **_settings)
gate_app = typer.Typer(help="Decide agent actions and replay the ledger through a new policy.", **_settings)
approvals_app = typer.Typer(help="List, show, approve and reject actions sent to review.", **_settings)
taint_app = typer.Typer(
    help="List, lift and prune the taint of callers that read a flagged (or untrusted) tool result (AG909).",
    **_settings,
)
ledger_app = typer.Typer(help="Verify and export the tamper-evident decision ledger.", **_settings)
voice_app = typer.Typer(help="Learn and evaluate a brand voice from example content.", **_settings)

app.add_typer(policy_app, name="policy")
app.add_typer(audit_app, name="audit")
app.add_typer(gate_app, name="gate")
gate_app.add_typer(taint_app, name="taint")
app.add_typer(approvals_app, name="approvals")
app.add_typer(ledger_app, name="ledger")
app.add_typer(voice_app, name="voice")
