"""Helpers shared by command modules: error handling, consoles, formats, output files."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import stat
import tempfile
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Any, NoReturn, ParamSpec, TypeVar

import typer

from brandrail.cli._app import EXIT_INTERRUPTED, report_error
from brandrail.errors import InputError, Location, UsageError

__all__ = [
    "EXIT_FINDINGS",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "Format",
    "atomic_write",
    "counted",
    "dump_json",
    "fail",
    "prepare_out_dir",
    "read_conversation",
    "read_text_file",
    "stderr",
    "stdout",
    "text_or_json",
    "user_errors",
]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

P = ParamSpec("P")
R = TypeVar("R")


class Format(StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"
    html = "html"


def _console(*, err: bool) -> Any:
    """A rich console that honours NO_COLOR, FORCE_COLOR and TERM=dumb (rich reads them)."""
    from rich.console import Console

    return Console(stderr=err, highlight=False, soft_wrap=True, emoji=False, markup=False)


def stdout() -> Any:
    return _console(err=False)


def stderr() -> Any:
    return _console(err=True)


def fail(message: str, *, hint: str | None = None) -> NoReturn:
    """Print a usage error and exit 2."""
    raise UsageError(message, hint=hint)


def counted(n: int, noun: str) -> str:
    """``1 channel``, ``3 channels``: a count and its noun, plural unless it is one."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def text_or_json(fmt: Format) -> None:
    """Refuse (exit 2) a --format other than text or json, for commands that print only those two."""
    if fmt not in (Format.text, Format.json):
        fail(f"--format {fmt.value} is not supported here", hint="use text or json")


def user_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn any error that is not a finding into one clear message on stderr and exit code 2.

    The root command group (:class:`brandrail.cli._app.BrandrailGroup`) does the same for every command;
    this decorator keeps a command safe when it is called on its own.
    """

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except (Exception, KeyboardInterrupt) as exc:
            raise typer.Exit(report_error(exc)) from None

    return wrapper


def dump_json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False, allow_nan=False) + "\n"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def prepare_out_dir(out: Path) -> Path:
    """Check up front that ``out`` can be (or is) a writable folder, so no work is done for nothing."""
    if out.exists() and not out.is_dir():
        fail(
            f"--out {out} is a file, not a folder",
            hint="give a folder; the report is written inside it (e.g. --out report)",
        )
    probe = out
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir():
        fail(f"--out {out}: {probe} is a file, not a folder", hint="give a folder path")
    if not os.access(probe, os.W_OK | os.X_OK):
        fail(f"--out {out}: cannot write in {probe} (permission denied)", hint="choose a writable folder")
    return out


def atomic_write(path: Path, content: str | bytes, *, force: bool = False) -> None:
    """Write ``content`` to ``path`` so that it is never half-written.

    - A symlink is followed: the file it points to is replaced, the link stays a link.
    - An existing file keeps its permission bits, owner and group; a read-only file is refused unless
      ``force`` (then it is replaced, keeping its read-only mode).
    - Anything but a regular file (a FIFO, a device, a folder) is refused.
    - When the owner cannot be kept (the file belongs to someone else), the file is rewritten in place.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    target = Path(os.path.realpath(path))
    try:
        st: os.stat_result | None = target.stat()
    except FileNotFoundError:
        st = None
    if st is not None:
        if not stat.S_ISREG(st.st_mode):
            raise InputError(
                "is not a regular file; brandrail writes only to regular files", location=Location(str(path))
            )
        if not force and (not st.st_mode & 0o222 or not os.access(target, os.W_OK)):
            raise UsageError(
                "is read-only; not changed",
                location=str(path),
                hint="make it writable (chmod u+w), or pass --force to replace it anyway",
            )
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if st is None:
            tmp.chmod(0o666 & ~_umask())
        else:
            tmp.chmod(stat.S_IMODE(st.st_mode))
            if not _same_owner(tmp, st):
                with contextlib.suppress(PermissionError):
                    os.chown(tmp, st.st_uid, st.st_gid)
                if not _same_owner(tmp, st):
                    with contextlib.suppress(PermissionError):  # at least the group (one we belong to)
                        os.chown(tmp, -1, st.st_gid)
                if not _same_owner(tmp, st):  # rewrite in place, which keeps owner and group
                    tmp.unlink(missing_ok=True)
                    _write_in_place(target, data)
                    return
                tmp.chmod(stat.S_IMODE(st.st_mode))  # chown may clear setuid/setgid bits
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)


def _same_owner(path: Path, st: os.stat_result) -> bool:
    now = path.stat()
    return (now.st_uid, now.st_gid) == (st.st_uid, st.st_gid)


def _write_in_place(target: Path, data: bytes) -> None:
    if not os.access(target, os.W_OK):
        raise UsageError(
            "is read-only and owned by another user; not changed", location=str(target), hint="ask its owner"
        )
    with target.open("r+b") as handle:
        handle.write(data)
        handle.truncate()
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def read_conversation(path: Path) -> Any:
    """A conversation (the turns before a reply) from a JSON (or YAML) file: a list of turns, or an object
    with a ``conversation`` list; errors point at file:line:col."""
    from brandrail.errors import PolicyError
    from brandrail.policy.yamlsource import load_yaml_text
    from brandrail.text.conversation import parse_conversation

    display = str(path)
    text = read_text_file(path)
    try:
        data, positions = load_yaml_text(text, display)
    except PolicyError as exc:
        raise InputError(
            "the conversation file is not valid JSON: " + exc.message, location=exc.location, hint=exc.hint
        ) from None
    prefix: tuple[str | int, ...] = (
        ("conversation",) if isinstance(data, dict) and "conversation" in data else ()
    )
    return parse_conversation(
        data,
        source="conversation",
        locate=lambda sub: positions.get((*prefix, *sub)) or Location(display),
    )


def read_text_file(path: Path) -> str:
    """The UTF-8 text of ``path`` (``-``: standard input), read as checked files are (the size limit, regular
    files only); a missing file, a folder or bad bytes are input errors with the file's position."""
    from brandrail.text.io import decode, read_input

    name, raw = read_input(str(path))
    return decode(raw, name)
