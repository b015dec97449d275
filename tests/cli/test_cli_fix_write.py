"""`brandrail fix --write` is safe: read-only files, symlinks, mode, owner and group, atomic replacement."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from cli_testlib import run, write_policy

from brandrail.cli._common import atomic_write


@pytest.fixture
def policy(tmp_path: Path) -> Path:
    return write_policy(tmp_path)


def test_fix_write_replaces_and_keeps_mode(tmp_path: Path, policy: Path) -> None:
    msg = tmp_path / "m.txt"
    msg.write_text("so flimsy\n", encoding="utf-8")
    msg.chmod(0o640)
    code, _, err = run("fix", str(msg), "-p", str(policy), "--write")
    assert code == 0, err
    assert msg.read_text(encoding="utf-8") == "so lightweight\n"
    assert stat.S_IMODE(msg.stat().st_mode) == 0o640
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".m.txt.")]  # no temporary left


def test_fix_write_refuses_a_read_only_file_unless_forced(tmp_path: Path, policy: Path) -> None:
    msg = tmp_path / "ro.txt"
    msg.write_text("so flimsy\n", encoding="utf-8")
    msg.chmod(0o444)
    other = tmp_path / "rw.txt"
    other.write_text("also flimsy\n", encoding="utf-8")
    code, _, err = run("fix", str(msg), str(other), "-p", str(policy), "--write")
    assert code == 2
    assert f"error: {msg}: is read-only; not changed" in err and "--force" in err
    assert "Traceback" not in err
    assert msg.read_text(encoding="utf-8") == "so flimsy\n"  # untouched ...
    assert other.read_text(encoding="utf-8") == "also lightweight\n"  # ... and the run went on
    code, _, err = run("fix", str(msg), "-p", str(policy), "--write", "--force")
    assert code == 0, err
    assert msg.read_text(encoding="utf-8") == "so lightweight\n"
    assert stat.S_IMODE(msg.stat().st_mode) == 0o444  # still read-only


def test_fix_write_goes_through_a_symlink(tmp_path: Path, policy: Path) -> None:
    real = tmp_path / "real" / "m.md"
    real.parent.mkdir()
    real.write_text("so flimsy\n", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    code, _, err = run("fix", str(link), "-p", str(policy), "--write")
    assert code == 0, err
    assert link.is_symlink()  # the link stays a link ...
    assert real.read_text(encoding="utf-8") == "so lightweight\n"  # ... and the real file is fixed


def test_atomic_write_keeps_the_group(tmp_path: Path) -> None:
    groups = [g for g in os.getgroups() if g != os.getegid()]
    if not groups:
        pytest.skip("this user belongs to one group only")
    path = tmp_path / "g.txt"
    path.write_text("old", encoding="utf-8")
    os.chown(path, -1, groups[0])
    atomic_write(path, "new")
    assert path.read_text(encoding="utf-8") == "new"
    assert path.stat().st_gid == groups[0]


def test_atomic_write_keeps_owner_and_group_as_root(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("changing a file's owner needs root")
    path = tmp_path / "o.txt"
    path.write_text("old", encoding="utf-8")
    os.chown(path, 12345, 23456)
    atomic_write(path, "new")
    st = path.stat()
    assert (st.st_uid, st.st_gid) == (12345, 23456)
    assert path.read_text(encoding="utf-8") == "new"


def test_atomic_write_is_atomic_on_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.txt"
    path.write_text("old", encoding="utf-8")

    def boom(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(OSError, match="No space"):
        atomic_write(path, "new content")
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_atomic_write_refuses_a_fifo(tmp_path: Path) -> None:
    from brandrail.errors import InputError

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        atomic_write(fifo, "x")


def test_fix_write_in_a_read_only_folder_is_exit_2(tmp_path: Path, policy: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    folder = tmp_path / "ro"
    folder.mkdir()
    msg = folder / "m.txt"
    msg.write_text("so flimsy\n", encoding="utf-8")
    folder.chmod(0o555)
    try:
        code, _, err = run("fix", str(msg), "-p", str(policy), "--write")
    finally:
        folder.chmod(0o755)
    assert code == 2 and "Traceback" not in err
    assert "Permission denied" in err


def test_fix_uses_the_channel_of_each_file(tmp_path: Path) -> None:
    write_policy(
        tmp_path,
        "terms:\n  banned:\n    - {term: flimsy, replacement: lightweight}\n"
        "channels:\n  sms:\n    kind: sms\n    terms:\n      banned:\n        - {term: tent, replacement: shelter}\n"
        'files:\n  "sms/**": sms\n',
    )
    (tmp_path / "sms").mkdir()
    (tmp_path / "sms" / "a.txt").write_text("flimsy tent\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("---\nchannel: sms\n---\nflimsy tent\n", encoding="utf-8")
    (tmp_path / "c.txt").write_text("flimsy tent\n", encoding="utf-8")
    code, _, err = run("fix", str(tmp_path), "--write")
    assert code == 0, err
    # the sms channel's own banned term is fixed (and its opt-out disclosure added) ...
    assert (tmp_path / "sms" / "a.txt").read_text(encoding="utf-8").startswith("lightweight shelter")
    assert "\nlightweight shelter" in (tmp_path / "b.md").read_text(encoding="utf-8")
    # ... but not in a file without a channel
    assert (tmp_path / "c.txt").read_text(encoding="utf-8") == "lightweight tent\n"
