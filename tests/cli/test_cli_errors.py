"""Errors that are not findings: exit 2 with one message, 130 on Ctrl-C, output devices, read-only opening."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_testlib import run, write_policy

from brandrail.cli._app import app

ROOT = Path(__file__).resolve().parents[2]
MAIN = [sys.executable, "-c", "from brandrail.cli import main; main()"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def test_internal_error_says_so_and_exits_2(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    policy = write_policy(tmp_path)
    (tmp_path / "m.txt").write_text("hi\n", encoding="utf-8")

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr("brandrail.engine.check_document", broken)
    code, _, err = run("check", str(tmp_path / "m.txt"), "-p", str(policy))
    assert code == 2
    assert err.splitlines()[0] == "error: internal error in brandrail (ZeroDivisionError: division by zero)"
    assert "--debug" in err and "Traceback" not in err
    code, _, err = run("--debug", "check", str(tmp_path / "m.txt"), "-p", str(policy))
    assert code == 2 and "Traceback" in err and "ZeroDivisionError" in err
    code, _, err = run("check", str(tmp_path / "m.txt"), "-p", str(policy), env={"BRANDRAIL_DEBUG": "1"})
    assert code == 2 and "Traceback" in err


def test_keyboard_interrupt_is_130(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    policy = write_policy(tmp_path)
    (tmp_path / "m.txt").write_text("hi\n", encoding="utf-8")

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("brandrail.engine.check_document", interrupted)
    code, _, err = run("check", str(tmp_path / "m.txt"), "-p", str(policy))
    assert code == 130 and err.strip() == "interrupted"


def test_sigint_in_a_real_process_is_130(tmp_path: Path) -> None:
    """Ctrl-C while a command waits (here: reading standard input) ends with "interrupted" and 130."""
    policy = write_policy(tmp_path)
    proc = subprocess.Popen(
        [*MAIN, "check", "-", "-p", str(policy)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=ENV,
        text=True,
    )
    time.sleep(3)  # let it start and block on stdin
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err


def test_full_output_device_is_exit_2() -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [*MAIN, "rules"], stdout=full, stderr=subprocess.PIPE, env=ENV, text=True, check=False
        )
    assert proc.returncode == 2, proc.stderr
    assert "cannot write the output: No space left on device" in proc.stderr
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr


def test_closed_pipe_is_quiet() -> None:
    proc = subprocess.Popen([*MAIN, "rules"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
    assert proc.stdout is not None
    proc.stdout.read(10)
    proc.stdout.close()
    _, err = proc.communicate(timeout=60)
    assert b"Traceback" not in err and b"Exception ignored" not in err
    assert proc.returncode in (0, -signal.SIGPIPE)


def test_fifo_is_refused_not_read(tmp_path: Path) -> None:
    policy = write_policy(tmp_path)
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    (tmp_path / "ok.txt").write_text("flimsy\n", encoding="utf-8")
    code, out, _ = run("check", str(fifo), str(tmp_path / "ok.txt"), "-p", str(policy))
    assert code == 2
    assert f"{fifo} IO001 error is a FIFO (named pipe), not a regular file" in out
    assert "BR101" in out  # the other file was still checked


def test_unreadable_file_in_a_folder_does_not_stop_the_run(tmp_path: Path) -> None:
    policy = write_policy(tmp_path)
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "a.txt").write_bytes("caf\xe9\n".encode("latin-1"))
    (folder / "b.txt").write_text("flimsy\n", encoding="utf-8")
    code, out, err = run("check", str(folder), "-p", str(policy))
    assert code == 2
    assert f"{folder / 'a.txt'} IO001 error is not valid UTF-8" in out
    assert f"{folder / 'b.txt'}:1:1 BR101 error" in out
    assert "1 file could not be checked" in err


def test_policy_validate_reports_every_file(tmp_path: Path) -> None:
    good = write_policy(tmp_path)
    bad1 = tmp_path / "bad1.yaml"
    bad1.write_text("terms: [\n", encoding="utf-8")
    bad2 = tmp_path / "bad2.yaml"
    bad2.write_text("rules:\n  BR1O1: off\n", encoding="utf-8")
    code, out, err = run("policy", "validate", str(bad1), str(good), str(bad2))
    assert code == 2
    assert f"{good}: ok" in out
    assert f"error: {bad1}:" in err and "BR1O1" in err
    assert "2 of 3 policy files invalid" in err


def test_init_into_a_folder_and_force(tmp_path: Path) -> None:
    code, _, _ = run("init", str(tmp_path))
    assert code == 0 and (tmp_path / "brandrail.yaml").is_file()
    (tmp_path / "brandrail.yaml").write_text("# mine\n", encoding="utf-8")
    assert run("init", str(tmp_path))[0] == 2
    code, _, err = run("init", str(tmp_path), "--force")
    assert code == 0, err
    assert (tmp_path / "brandrail.yaml").read_text(encoding="utf-8") != "# mine\n"
    code, _, err = run("init", str(tmp_path / "brandrail.yaml" / "x.yaml"))
    assert code == 2 and "Traceback" not in err


def test_ledger_verify_and_export_open_the_database_read_only(tmp_path: Path) -> None:
    from brandrail.ledger import Ledger

    db = tmp_path / "gate.db"
    ledger = Ledger.from_url(f"sqlite:///{db}")
    ledger.create_schema()
    for i in range(3):
        with ledger.begin() as conn:
            ledger.append(conn, kind="test", payload={"i": i}, policy_version="0" * 64)
    ledger.engine.dispose()
    for extra in ("-wal", "-shm"):
        Path(f"{db}{extra}").unlink(missing_ok=True)
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    db.chmod(0o444)
    before = sorted(p.name for p in tmp_path.iterdir())
    code, out, err = run("ledger", "verify", "--db", f"sqlite:///{db}")
    assert code == 0, err
    assert "ledger OK: 3 entries" in out
    code, out, err = run("ledger", "export", "--db", f"sqlite:///{db}")
    assert code == 0, err
    assert len(out.splitlines()) == 3
    assert hashlib.sha256(db.read_bytes()).hexdigest() == digest
    after = {p.name for p in tmp_path.iterdir()} - set(before)
    assert after <= {"gate.db-wal", "gate.db-shm"}  # at most SQLite's shared-memory files for WAL readers
    assert not Path(f"{db}-wal").exists() or Path(f"{db}-wal").stat().st_size == 0  # nothing written


def test_app_is_the_brandrail_group() -> None:
    import typer.main

    from brandrail.cli._app import BrandrailGroup

    assert isinstance(typer.main.get_command(app), BrandrailGroup)
