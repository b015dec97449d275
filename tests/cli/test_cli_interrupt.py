"""Ctrl-C at any moment of a real ``brandrail check`` process: one "interrupted" line, exit 130, no traceback.

The process runs what pip's console script runs (``from brandrail.cli import main; sys.exit(main())``). The
moments are found by watching the process from outside, not by timing guesses: the shared libraries it has
mapped (``/proc/PID/maps``) show how far its imports got, and its first line of output shows that the run
is under way. A SIGINT before Python has started running the entry point is Python's own business (the
process dies of the signal, or CPython's start-up prints its traceback) and is not tested here.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_testlib import run, write_policy

import brandrail.cli

ROOT = Path(__file__).resolve().parents[2]
#: What pip's generated console script does.
ENTRY = "import sys\nfrom brandrail.cli import main\nsys.exit(main())\n"
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}

pytestmark = pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs Linux /proc")


def _start(args: list[str], cwd: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", ENTRY, *args],
        cwd=cwd,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _wait_for_library(proc: subprocess.Popen[bytes], fragment: str, timeout: float = 30.0) -> None:
    """Return as soon as the process has mapped a shared library whose path contains ``fragment``."""
    maps = Path(f"/proc/{proc.pid}/maps")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if fragment in maps.read_text():
                return
        except (FileNotFoundError, ProcessLookupError):  # pragma: no cover - already gone
            break
        if proc.poll() is not None:
            break
        time.sleep(0.0005)
    _, err = proc.communicate()
    pytest.fail(f"{fragment} was never loaded (exit {proc.returncode}): {err.decode()[-500:]}")


def _assert_interrupted(proc: subprocess.Popen[bytes]) -> None:
    _, err_bytes = proc.communicate(timeout=60)
    err = err_bytes.decode()
    assert proc.returncode == 130, err
    assert err.splitlines() == ["interrupted"], err
    assert "Traceback" not in err


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    write_policy(tmp_path)
    (tmp_path / "message.txt").write_text("Our flimsy tent is the best in the world!\n", encoding="utf-8")
    return tmp_path


# The first extension modules each phase maps: `_typing` as Typer starts to import (the entry point's first
# heavy import), pydantic-core while the policy models are built, pyahocorasick when the rules load.
@pytest.mark.parametrize("library", ["/_typing.", "_pydantic_core", "ahocorasick"])
def test_sigint_during_start_up(folder: Path, library: str) -> None:
    proc = _start(["check", "message.txt"], folder)
    _wait_for_library(proc, library)
    proc.send_signal(signal.SIGINT)
    _assert_interrupted(proc)


def test_sigint_mid_run(folder: Path) -> None:
    files = folder / "content"
    files.mkdir()
    for i in range(3000):
        (files / f"m{i:04}.txt").write_text(f"Message {i}: our flimsy tent is the best!\n", encoding="utf-8")
    proc = _start(["check", "content", "--format", "jsonl"], folder)
    assert proc.stdout is not None
    first = proc.stdout.readline()  # a result has been written: the run is under way
    assert first.startswith(b"{"), first
    proc.send_signal(signal.SIGINT)
    _assert_interrupted(proc)


def test_sigint_at_many_moments(folder: Path) -> None:
    """A sweep from the entry point's first import to the end of a short run, every few milliseconds."""
    proc = _start(["check", "message.txt"], folder)
    _wait_for_library(proc, "/_typing.")
    started = time.monotonic()
    proc.communicate(timeout=60)
    span = time.monotonic() - started
    steps = 24
    for step in range(steps):
        proc = _start(["check", "message.txt"], folder)
        _wait_for_library(proc, "/_typing.")
        time.sleep(span * step / steps)
        proc.send_signal(signal.SIGINT)
        _, err_bytes = proc.communicate(timeout=60)
        err = err_bytes.decode()
        if proc.returncode == 1:  # the run finished before the signal: its findings, no interruption
            assert "Traceback" not in err and "interrupted" not in err, err
            continue
        assert proc.returncode == 130, (step, err)
        assert err.splitlines() == ["interrupted"], (step, err)


def test_an_interrupt_that_surfaces_as_another_error_is_still_130(
    monkeypatch: pytest.MonkeyPatch, folder: Path
) -> None:
    """pydantic-core turns a KeyboardInterrupt raised while it builds a validator into a SchemaError (seen in
    the sweep above): once SIGINT has arrived, whatever error follows is reported as the interruption."""

    def wrapped(*args: object, **kwargs: object) -> None:
        raise RuntimeError('Error building "definitions" validator')

    monkeypatch.setattr("brandrail.engine.check_document", wrapped)
    monkeypatch.setitem(brandrail.cli._SIGINT, "seen", True)
    code, _, err = run("check", str(folder / "message.txt"), "-p", str(folder / "brandrail.yaml"))
    assert code == 130 and err.strip() == "interrupted"
    monkeypatch.setitem(brandrail.cli._SIGINT, "seen", False)
    code, _, err = run("check", str(folder / "message.txt"), "-p", str(folder / "brandrail.yaml"))
    assert code == 2 and "internal error" in err


def _main_with(monkeypatch: pytest.MonkeyPatch, app: Callable[[], None]) -> None:
    """``brandrail.cli.main()`` running ``app`` as its command line, from a fresh SIGINT state, the test
    process's SIGINT handler and garbage collector left as they were."""
    monkeypatch.setitem(brandrail.cli._SIGINT, "seen", False)
    monkeypatch.setitem(brandrail.cli._SIGINT, "reported", False)
    monkeypatch.setattr(brandrail.cli, "load_app", lambda modules: app)
    monkeypatch.setattr("gc.freeze", lambda: None)
    previous = signal.getsignal(signal.SIGINT)
    try:
        brandrail.cli.main()
    finally:
        signal.signal(signal.SIGINT, previous)


@pytest.mark.parametrize("already_reported", [False, True])
def test_a_silent_exit_130_after_sigint_still_says_interrupted_once(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], already_reported: bool
) -> None:
    """Typer turns a KeyboardInterrupt that comes while it parses the arguments (outside our command's error
    handling) into a silent exit 130 (seen in the sweep above: exit 130, nothing on standard error). The entry
    point reports it; a message already written by the command's own handler is not written twice."""

    def app() -> None:
        brandrail.cli._SIGINT["seen"] = True
        if already_reported:
            brandrail.cli.report_interrupted()
        raise SystemExit(130)

    with pytest.raises(SystemExit) as exit_info:
        _main_with(monkeypatch, app)
    assert exit_info.value.code == 130
    assert capsys.readouterr().err.splitlines() == ["interrupted"]


def test_a_sigint_while_the_exit_is_handled_is_130_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command has finished (exit 1) and the entry point is handling its exit when Ctrl-C lands (seen in
    the fresh-clone CI's sweep: a traceback and a death by signal, exit -2): it is reported the one way."""

    def landed_now() -> bool:
        brandrail.cli._SIGINT["seen"] = True
        raise KeyboardInterrupt  # what the handler raises when the signal lands in the exit handling

    def app() -> None:
        raise SystemExit(1)

    monkeypatch.setattr(brandrail.cli, "interrupted", landed_now)
    with pytest.raises(SystemExit) as exit_info:
        _main_with(monkeypatch, app)
    assert exit_info.value.code == 130
    assert capsys.readouterr().err.splitlines() == ["interrupted"]


@pytest.mark.parametrize("seen", [True, False])
def test_an_interrupt_wrapped_by_python_while_an_import_builds_a_class_is_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], seen: bool
) -> None:
    """Python wraps a KeyboardInterrupt raised in a descriptor's ``__set_name__`` (a ``cached_property`` in a
    class that an import builds while Typer parses the arguments: seen in the sweep above) into a RuntimeError
    that escapes the command's own handling; after a SIGINT the entry point reports it as the interruption,
    and without one the error is not hidden."""

    class Interrupting:
        def __set_name__(self, owner: type, name: str) -> None:
            brandrail.cli._SIGINT["seen"] = seen
            raise KeyboardInterrupt

    def app() -> None:
        type("Built", (), {"attr": Interrupting()})

    if seen:
        with pytest.raises(SystemExit) as exit_info:
            _main_with(monkeypatch, app)
        assert exit_info.value.code == 130
        assert capsys.readouterr().err.splitlines() == ["interrupted"]
    else:
        with pytest.raises(RuntimeError, match="__set_name__"):
            _main_with(monkeypatch, app)


def test_a_sigint_python_cannot_raise_is_delivered_again(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A KeyboardInterrupt in a weakref callback of the import system is "unraisable" (seen in the sweep:
    "Exception ignored in: <function _get_module_lock.<locals>.cb>" and a traceback): the entry point's hook
    prints nothing and sends SIGINT again, so that it is raised where the command reports it."""
    from types import SimpleNamespace

    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    try:
        brandrail.cli._on_unraisable(SimpleNamespace(exc_value=KeyboardInterrupt(), object=None))
        time.sleep(0.2)  # delivered a moment later, from another thread
        assert received == [signal.SIGINT]
        assert capsys.readouterr().err == ""
    finally:
        signal.signal(signal.SIGINT, previous)
    seen: list[object] = []
    monkeypatch.setattr(brandrail.cli, "_PREVIOUS_HOOK", [seen.append])
    other = SimpleNamespace(exc_value=ValueError("x"), object=None)
    brandrail.cli._on_unraisable(other)
    assert seen == [other]  # anything else goes to the hook that was there before
