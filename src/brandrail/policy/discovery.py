"""Finding the policy file and the channel of each checked file (the conventions of ruff and Vale).

* :func:`find_policy` — the policy of a run: ``--policy`` when given; else the nearest ``brandrail.yaml``
  (or ``.brandrail.yaml``, ``brandrail.yml``, ``.brandrail.yml``) in the folder of the first checked path
  or any folder above it; else the file named by the ``BRANDRAIL_POLICY`` environment variable.
* :func:`channel_for` — the channel a file is checked for: the policy's ``files:`` mapping of glob patterns
  to channel names (the first pattern that matches wins; patterns are relative to the policy file's folder).
* :func:`front_matter_channel` — a ``channel:`` line in a Markdown file's front matter.
* :func:`compile_glob` — the glob syntax shared by ``files:`` and ``--exclude``: ``*`` and ``?`` stay in one
  path segment, ``**`` crosses folders, ``[abc]`` is a class, a pattern without ``/`` matches the file or
  folder name at any depth (as in ``.gitignore``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from brandrail.errors import UsageError

__all__ = [
    "ENV_POLICY",
    "POLICY_NAMES",
    "channel_for",
    "compile_glob",
    "find_optional_policy",
    "find_policy",
    "front_matter_channel",
    "matches_any",
]

#: File names searched for in each folder, in this order.
POLICY_NAMES = ("brandrail.yaml", ".brandrail.yaml", "brandrail.yml", ".brandrail.yml")
#: Environment variable naming the policy file used when none is found by the upward search.
ENV_POLICY = "BRANDRAIL_POLICY"


def _nearest(start: Path) -> Path | None:
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents):
        for name in POLICY_NAMES:
            path = candidate / name
            if path.is_file():
                return path
    return None


def find_policy(explicit: Path | None, paths: Iterable[str] = ()) -> Path:
    """The policy file for a run over ``paths`` (see the module doc); a UsageError when there is none."""
    if explicit is not None:
        return explicit
    starts = [Path(p).absolute() for p in paths if p != "-"]
    for start in [*starts[:1], Path.cwd()]:
        found = _nearest(start)
        if found is not None:
            return _relative(found)
    env = os.environ.get(ENV_POLICY, "").strip()
    if env:
        return Path(env)
    raise UsageError(
        "no policy file given, none found in this folder or above, and BRANDRAIL_POLICY is not set",
        hint="pass --policy FILE, set BRANDRAIL_POLICY, or run `brandrail init` to write ./brandrail.yaml",
    )


def find_optional_policy(explicit: Path | None, paths: Iterable[str] = ()) -> Path | None:
    """:func:`find_policy`, or None when there is none (for commands whose policy only refines defaults)."""
    try:
        return find_policy(explicit, paths)
    except UsageError:
        return None


def _relative(path: Path) -> Path:
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


@lru_cache(maxsize=256)
def compile_glob(pattern: str) -> re.Pattern[str]:
    """A regular expression matching POSIX relative paths for the glob ``pattern`` (see the module doc)."""
    pat = pattern.strip().replace("\\", "/")
    if pat.startswith("./"):
        pat = pat[2:]
    anchored = "/" in pat.rstrip("/")
    pat = pat.strip("/")
    out: list[str] = []
    i = 0
    while i < len(pat):
        c = pat[i]
        if pat.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pat.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            end = pat.find("]", i + 1)
            if end == -1:
                out.append(re.escape(c))
                i += 1
            else:
                body = pat[i + 1 : end]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = end + 1
        else:
            out.append(re.escape(c))
            i += 1
    body = "".join(out)
    prefix = "" if anchored else "(?:.*/)?"
    # a pattern also matches everything inside a folder it names
    return re.compile(f"^{prefix}{body}(?:/.*)?$")


def matches_any(rel_path: str, patterns: Iterable[str]) -> bool:
    """``rel_path`` (POSIX, relative) matches one of the glob ``patterns``."""
    return any(compile_glob(p).match(rel_path) for p in patterns)


def _posix_relative(path: str, base: Path | None) -> str:
    p = Path(path)
    if base is not None:
        try:
            return p.absolute().relative_to(base.absolute()).as_posix()
        except ValueError:
            pass
    text = p.as_posix()
    return text[2:] if text.startswith("./") else text.lstrip("/")


def channel_for(path: str, files: dict[str, str], policy_source: str | None) -> str | None:
    """The channel the policy's ``files:`` mapping gives ``path`` (None when no pattern matches)."""
    if not files or path == "-" or path.startswith("<"):
        return None
    base = Path(policy_source).parent if policy_source and not policy_source.startswith("<") else None
    rel = _posix_relative(path, base)
    for pattern, channel in files.items():
        if compile_glob(pattern).match(rel):
            return channel
    return None


_FRONT_CHANNEL = re.compile(
    r"^channel\s*:\s*(?P<q>[\"']?)(?P<name>[^\"'#\n]*?)(?P=q)\s*(?:#.*)?$", re.MULTILINE
)


def front_matter_channel(text: str) -> str | None:
    """The ``channel:`` of a Markdown front matter block (``---`` lines at the very top), if any."""
    if not text.startswith("---\n") and not text.startswith("---\r\n"):
        return None
    close = text.find("\n---", 3)
    if close == -1:
        return None
    m = _FRONT_CHANNEL.search(text, 4, close + 1)
    if m is None:
        return None
    name = m.group("name").strip()
    return name or None
