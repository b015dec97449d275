"""The ``brandrail`` command line: a thin shell over the library (parse, call, print).

This module imports nothing heavy: :func:`main` (the console-script entry point) takes over Ctrl-C first and
only then imports Typer, pydantic and the command modules, so an interrupt at any moment — even while those
imports run — ends with one ``interrupted`` line on standard error and exit code 130, never a traceback.
``brandrail check`` and ``brandrail fix`` import only the command modules they need (see
:data:`FAST_COMMANDS`); every other command line, and ``brandrail.cli.app``, loads them all.
"""

from __future__ import annotations

import sys

# No run-time imports besides `sys` (see the module doc); TYPE_CHECKING is the name mypy treats as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    import typer

__all__ = ["COMMAND_MODULES", "FAST_COMMANDS", "app", "interrupted", "load_app", "main", "report_interrupted"]

EXIT_INTERRUPTED = 130

#: Each module registers its commands on the apps in brandrail.cli._app.
COMMAND_MODULES = (
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

#: Top-level commands that run with only some command modules loaded (the hot path of editors and
#: pre-commit hooks): building the Click commands of every other command costs ~50 ms at each start.
#: ``brandrail.cli.core`` holds the root options (``--debug``, ``--version``). A test checks that each
#: command here is registered by its modules.
FAST_COMMANDS: dict[str, tuple[str, ...]] = {
    "check": ("brandrail.cli.core",),
    "fix": ("brandrail.cli.core", "brandrail.cli.content"),
}

#: Root options that may come before the command name.
_ROOT_FLAGS = frozenset({"--debug"})


def load_app(modules: Sequence[str] = COMMAND_MODULES) -> typer.Typer:
    """The Typer app with the commands of ``modules`` registered (all of them by default)."""
    import importlib

    for name in modules:
        importlib.import_module(name)
    from brandrail.cli._app import app

    return app


def modules_for(args: Sequence[str]) -> Sequence[str]:
    """The command modules a command line needs: a subset for :data:`FAST_COMMANDS`, else all."""
    command = next((a for a in args if a not in _ROOT_FLAGS), None)
    return FAST_COMMANDS.get(command or "", COMMAND_MODULES)


def __getattr__(name: str) -> Any:
    if name == "app":
        return load_app()
    raise AttributeError(f"module 'brandrail.cli' has no attribute {name!r}")


_SIGINT = {"seen": False, "reported": False}


def interrupted() -> bool:
    """Whether Ctrl-C (SIGINT) reached this process since :func:`main` started.

    A KeyboardInterrupt raised inside code that a library calls back into can come out as that library's own
    error (pydantic-core turns one raised while it builds a validator into a ``SchemaError``); after a
    SIGINT, any error is reported as the interruption it is.
    """
    return _SIGINT["seen"]


def _on_sigint(signum: int, frame: object) -> None:
    _SIGINT["seen"] = True
    raise KeyboardInterrupt


def report_interrupted() -> None:
    """Write the one ``interrupted`` line on standard error (and note it, so the entry point adds no second)."""
    _SIGINT["reported"] = True
    try:
        sys.stderr.write("interrupted\n")
        sys.stderr.flush()
    except (OSError, ValueError):  # pragma: no cover - stderr is gone
        pass


def _interrupted() -> None:
    """Report Ctrl-C the one way (also when it comes while start-up imports run) and exit 130."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not interrupt the message
    if not _SIGINT["reported"]:
        report_interrupted()
    raise SystemExit(EXIT_INTERRUPTED)


def _on_unraisable(unraisable: Any) -> None:
    """``sys.unraisablehook`` while a command runs: a Ctrl-C that lands in code Python cannot raise from (a
    weakref callback of the import system, a ``__del__``) would be printed as "Exception ignored in: …" with a
    traceback and then lost; deliver it again instead, so it is raised where the command can report it."""
    if isinstance(unraisable.exc_value, KeyboardInterrupt):
        import signal
        import threading

        # from another thread, a moment later: raised here, inside the hook, it would be unraisable again
        timer = threading.Timer(0.005, signal.raise_signal, (signal.SIGINT,))
        timer.daemon = True
        timer.start()
        return
    _PREVIOUS_HOOK[0](unraisable)


_PREVIOUS_HOOK = [sys.unraisablehook]


def main() -> None:
    """Console-script entry point."""
    try:
        _main()
    except KeyboardInterrupt:
        # a Ctrl-C that lands after the command, while its exit is handled and before the handler is
        # switched off (in the clauses below): reported the one way too, never a traceback and a death by signal
        _interrupted()


def _main() -> None:
    _SIGINT["reported"] = False
    try:
        import signal

        _PREVIOUS_HOOK[0] = sys.unraisablehook
        sys.unraisablehook = _on_unraisable
        signal.signal(signal.SIGINT, _on_sigint)
        load_app(modules_for(sys.argv[1:]))()
    except KeyboardInterrupt:
        _interrupted()
    except (SystemExit, Exception):
        # the interrupt surfaced as another error (Python wraps a KeyboardInterrupt raised in a descriptor's
        # __set_name__ while a class of an import is built into a RuntimeError), or as a silent exit 130
        # (Typer turns a KeyboardInterrupt outside our command, while it parses the arguments, into one):
        # report it the one way
        if interrupted():
            _interrupted()
        raise
    finally:
        # The command has finished and its exit code is decided: a Ctrl-C while the interpreter shuts down
        # must not turn it into a death by signal (exit -2, no message).
        import gc
        import signal

        signal.signal(signal.SIGINT, signal.SIG_IGN)
        sys.unraisablehook = _PREVIOUS_HOOK[0]
        # The interpreter's last garbage collections would walk every object, pydantic-core's validators
        # included (~20 ms each): nothing is left to collect in a process about to end, so skip them.
        gc.freeze()
