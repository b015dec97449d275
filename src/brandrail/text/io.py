"""Read content files safely: size limit, binary and encoding checks with the byte offset, kinds by extension."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

from brandrail.errors import InputError, Location

__all__ = [
    "DEFAULT_MAX_BYTES",
    "IMAGE_EXTENSIONS",
    "TEXT_EXTENSIONS",
    "decode",
    "discover",
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


def read_input(path: str, limit: int | None = None) -> tuple[str, bytes]:
    """Read ``path`` (``-`` for standard input) as bytes within the size limit; returns (display name, bytes)."""
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
        size = file.stat().st_size
    except FileNotFoundError:
        raise InputError("no such file or directory", location=Location(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", location=Location(path)) from None
    if size > cap:
        raise InputError(
            f"is {size:,} bytes, over the {cap:,}-byte limit",
            location=Location(path),
            hint="raise it with --max-bytes or BRANDRAIL_MAX_BYTES, or split the file",
        )
    try:
        return path, file.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", location=Location(path)) from None


def discover(paths: list[str]) -> Iterator[tuple[str, str]]:
    """Expand files and folders (recursively, by extension) into (path, kind) pairs, in a stable order.

    A file named explicitly is checked whatever its extension (as plain text); a folder yields only files
    with a known extension; hidden folders and ``node_modules`` are skipped.
    """
    for raw in paths:
        if raw == "-":
            yield raw, "stdin"
            continue
        path = Path(raw)
        if path.is_dir():
            found = False
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "node_modules")
                for name in sorted(files):
                    child = Path(root) / name
                    kind = kind_of(child)
                    if kind is not None:
                        found = True
                        yield str(child), kind
            if not found:
                raise InputError(
                    "folder has no checkable files",
                    location=Location(raw),
                    hint=f"brandrail checks {', '.join(sorted(TEXT_EXTENSIONS))} and images",
                )
        elif path.exists():
            unsupported_image = path.suffix.lower() in UNSUPPORTED_IMAGE_EXTENSIONS
            yield raw, kind_of(path) or ("image" if unsupported_image else "text")
        else:
            raise InputError("no such file or directory", location=Location(raw))
