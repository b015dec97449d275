"""Read content files safely: size limit, binary and encoding checks with the byte offset, kinds by extension."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from brandrail.errors import InputError, Location

__all__ = [
    "DEFAULT_MAX_BYTES",
    "IMAGE_EXTENSIONS",
    "TEXT_EXTENSIONS",
    "decode",
    "discover",
    "display_path",
    "kind_of",
    "read_input",
]

#: Files larger than this are refused unless the limit is raised (``--max-bytes`` / BRANDRAIL_MAX_BYTES).
DEFAULT_MAX_BYTES = 10 * 1024 * 1024

TEXT_EXTENSIONS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdx": "markdown",
    ".html": "html",
    ".htm": "html",
    ".eml.html": "html",
}
IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".webp", ".gif"})
#: Image files brandrail does not check: named explicitly, they are opened as images to say so (not as text).
UNSUPPORTED_IMAGE_EXTENSIONS = frozenset(
    {".bmp", ".tif", ".tiff", ".svg", ".svgz", ".avif", ".heic", ".heif", ".ico", ".psd", ".jp2"}
)


def kind_of(path: Path) -> str | None:
    """``text``, ``markdown``, ``html``, ``image`` or None for a file brandrail does not check."""
    suffix = path.suffix.lower()
    if suffix in IMAGE_EXTENSIONS:
        return "image"
    return TEXT_EXTENSIONS.get(suffix)


def max_bytes() -> int:
    value = os.environ.get("BRANDRAIL_MAX_BYTES")
    if value:
        try:
            return int(value)
        except ValueError:
            raise InputError(f"BRANDRAIL_MAX_BYTES must be a number of bytes, got {value!r}") from None
    return DEFAULT_MAX_BYTES


def decode(raw: bytes, name: str) -> str:
    """UTF-8 text of ``raw`` (a BOM is dropped); binary or invalid bytes raise with the offset."""
    nul = raw.find(b"\x00", 0, 8192)
    if nul != -1:
        raise InputError(
            f"looks binary (NUL byte at offset {nul})",
            location=Location(name),
            hint="brandrail checks text, Markdown, HTML and images (.png, .jpg, .webp, .gif)",
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            f"is not valid UTF-8: byte 0x{raw[exc.start]:02x} at offset {exc.start}",
            location=Location(name, line, col),
            hint="re-save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8`)",
        ) from None


def display_path(path: str) -> str:
    """``path`` as text every report can hold: a file name with bytes that are not UTF-8 (Python keeps them as
    lone surrogates, which no UTF-8 output can encode) shows them as ``\\xNN`` escapes."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        pass
    try:
        raw = path.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate no file system byte made
        return path.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")


def read_input(path: str, limit: int | None = None) -> tuple[str, bytes]:
    """Read ``path`` (``-`` for standard input) as bytes within the size limit; returns (display name, bytes).

    The display name is :func:`display_path` of ``path``; read and write the file by ``path`` itself."""
    cap = max_bytes() if limit is None else limit
    if path == "-":
        data = sys.stdin.buffer.read(cap + 1)
        if len(data) > cap:
            raise InputError(
                f"standard input is larger than the {cap:,}-byte limit",
                location=Location("<stdin>"),
                hint="raise it with --max-bytes or BRANDRAIL_MAX_BYTES",
            )
        return "<stdin>", data
    file = Path(path)
    try:
        st = file.stat()
    except FileNotFoundError:
        raise InputError("no such file or directory", location=Location(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", location=Location(path)) from None
    if not stat.S_ISREG(st.st_mode):
        what = _file_type(st.st_mode)
        raise InputError(
            f"is {what}, not a regular file",
            location=Location(path),
            hint="pass regular files or folders; to check a stream, pipe it into `-` (standard input)",
        )
    size = st.st_size
    if size > cap:
        raise InputError(
            f"is {size:,} bytes, over the {cap:,}-byte limit",
            location=Location(path),
            hint="raise it with --max-bytes or BRANDRAIL_MAX_BYTES, or split the file",
        )
    try:
        with file.open("rb") as handle:
            data = handle.read(cap + 1)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", location=Location(path)) from None
    if len(data) > cap:  # the file grew after stat()
        raise InputError(
            f"is over the {cap:,}-byte limit",
            location=Location(path),
            hint="raise it with --max-bytes or BRANDRAIL_MAX_BYTES, or split the file",
        )
    return display_path(path), data


def _file_type(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def discover(
    paths: list[str],
    *,
    exclude: Iterable[str] = (),
    on_error: Callable[[str, OSError], None] | None = None,
) -> Iterator[tuple[str, str]]:
    """Expand files and folders (recursively, by extension) into (path, kind) pairs, in a stable order.

    A file named explicitly is checked whatever its extension (as plain text); a folder yields only files
    with a known extension; hidden folders, ``node_modules`` and paths matching an ``exclude`` glob (see
    :func:`brandrail.policy.discovery.compile_glob`; matched relative to the folder named and to the
    current folder) are skipped. Every named path is validated before the first pair is yielded. A folder
    that cannot be listed is passed to ``on_error`` (or raised) and the walk goes on.
    """
    from brandrail.policy.discovery import matches_any

    patterns = tuple(exclude)
    for raw in paths:
        if raw != "-" and not os.path.lexists(raw):
            raise InputError("no such file or directory", location=Location(raw))

    def excluded(child: Path, root: Path) -> bool:
        if not patterns:
            return False
        rel = child.relative_to(root).as_posix()
        cwd_rel = os.path.relpath(child).replace(os.sep, "/")
        return matches_any(rel, patterns) or matches_any(cwd_rel, patterns)

    def walk_error(exc: OSError) -> None:
        if on_error is None:
            raise InputError(f"cannot read: {exc.strerror}", location=Location(str(exc.filename))) from None
        on_error(str(exc.filename), exc)

    for raw in paths:
        if raw == "-":
            yield raw, "stdin"
            continue
        path = Path(raw)
        if path.is_dir():
            found = False
            for root, dirs, files in os.walk(path, onerror=walk_error):
                here = Path(root)
                dirs[:] = sorted(
                    d
                    for d in dirs
                    if not d.startswith(".") and d != "node_modules" and not excluded(here / d, path)
                )
                for name in sorted(files):
                    child = here / name
                    kind = kind_of(child)
                    if kind is not None and not excluded(child, path):
                        found = True
                        yield str(child), kind
            if not found:
                raise InputError(
                    "folder has no checkable files",
                    location=Location(raw),
                    hint=f"brandrail checks {', '.join(sorted(TEXT_EXTENSIONS))} and images",
                )
        else:
            unsupported_image = path.suffix.lower() in UNSUPPORTED_IMAGE_EXTENSIONS
            yield raw, kind_of(path) or ("image" if unsupported_image else "text")
