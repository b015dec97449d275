"""Read YAML while remembering where every value stands.

``load_yaml`` returns plain Python data and a :class:`Positions` table that maps each field path
(``("terms", "banned", 0, "term")``) to its file, line and column, so that validation errors can point at
the exact spot. Duplicate keys, non-string keys, alias bombs and non-UTF-8 bytes are errors with a position.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from brandrail.errors import Location, PolicyError

if TYPE_CHECKING:
    import yaml

# PyYAML is imported when a policy is parsed, not on import: a policy found in the parse cache (below)
# never needs it.

__all__ = ["KEY", "MAX_NODES", "MAX_POLICY_BYTES", "FieldPath", "Positions", "load_yaml", "load_yaml_text"]

FieldPath = tuple[str | int, ...]
#: A position as stored: (file, 1-based line, 1-based column); turned into a Location when asked for.
RawLocation = tuple[str, int | None, int | None]

#: A policy file larger than this is refused (a policy with 50,000 terms is ~3 MB).
MAX_POLICY_BYTES = 32 * 1024 * 1024
#: Expanded node budget: stops "billion laughs" alias bombs.
MAX_NODES = 2_000_000

REPLACE_TAG = "!replace"
_STR_TAG = "tag:yaml.org,2002:str"
#: Path suffix under which the position of a mapping *key* is stored (values are stored at the path itself).
KEY = "\x00key"


class Positions:
    """Field path → file position; also the set of list paths tagged ``!replace``."""

    __slots__ = ("_map", "replace")

    def __init__(self) -> None:
        self._map: dict[FieldPath, RawLocation] = {}
        self.replace: set[FieldPath] = set()

    def __setitem__(self, path: FieldPath, location: Location | RawLocation) -> None:
        if isinstance(location, Location):
            location = (location.file, location.line, location.column)
        self._map[path] = location

    def get(self, path: FieldPath) -> Location | None:
        """The position of ``path``, or of its nearest ancestor that has one."""
        probe = tuple(path)
        while True:
            found = self._map.get(probe)
            if found is not None:
                return Location(*found)
            if not probe:
                return None
            probe = probe[:-1]

    def key(self, path: FieldPath) -> Location | None:
        """The position of the key that names ``path`` (falls back to the value's position)."""
        found = self._map.get((*path, KEY))
        return Location(*found) if found is not None else self.get(path)

    def items(self) -> Iterator[tuple[FieldPath, RawLocation]]:
        return iter(self._map.items())

    def under(self, prefix: FieldPath) -> Iterator[tuple[FieldPath, RawLocation]]:
        n = len(prefix)
        for path, loc in self._map.items():
            if path[:n] == prefix:
                yield path, loc

    def copy(self) -> Positions:
        other = Positions()
        other._map = dict(self._map)
        other.replace = set(self.replace)
        return other


def _loc(name: str, mark: yaml.Mark | None) -> Location:
    if mark is None:
        return Location(name)
    return Location(name, mark.line + 1, mark.column + 1)


class _Builder:
    def __init__(self, name: str, loader: Any) -> None:
        self.name = name
        self.loader = loader
        self.positions = Positions()
        self.count = 0
        import yaml

        self.scalar, self.mapping, self.sequence = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode

    def build(self, node: yaml.Node, path: FieldPath) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise PolicyError(
                f"the YAML expands to more than {MAX_NODES:,} values (an alias bomb?)",
                location=_loc(self.name, node.start_mark),
                hint="remove recursive or heavily repeated aliases (*name)",
            )
        mark = node.start_mark
        positions = self.positions._map
        positions[path] = (self.name, mark.line + 1, mark.column + 1)
        if isinstance(node, self.scalar):
            if node.tag == REPLACE_TAG:
                raise PolicyError("!replace can only tag a list", location=_loc(self.name, mark))
            if node.tag == _STR_TAG:
                return node.value
            return self.loader.construct_object(node, deep=True)
        if isinstance(node, self.mapping):
            self.loader.flatten_mapping(node)
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, self.scalar):
                    raise PolicyError(
                        "a mapping key must be a plain string, not a list or mapping",
                        location=_loc(self.name, key_node.start_mark),
                    )
                key = key_node.value
                if key in out:
                    raise PolicyError(
                        f"duplicate key {key!r}",
                        location=_loc(self.name, key_node.start_mark),
                        hint="each key may appear once per mapping; merge the two entries",
                    )
                out[key] = self.build(value_node, (*path, key))
                key_mark = key_node.start_mark
                positions[(*path, key, KEY)] = (self.name, key_mark.line + 1, key_mark.column + 1)
            return out
        if isinstance(node, self.sequence):
            if node.tag == REPLACE_TAG:
                self.positions.replace.add(path)
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self.loader.construct_object(node, deep=True)


def load_yaml_text(text: str, name: str) -> tuple[Any, Positions]:
    """Parse YAML ``text`` (named ``name`` in messages) into data and positions."""
    import yaml

    # libyaml's parser when PyYAML was built with it (about 20× faster), else the pure-Python one.
    loader_class: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, Positions()
        builder = _Builder(name, loader)
        data = builder.build(node, ())
        return data, builder.positions
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise PolicyError(
            f"invalid YAML: {problem}",
            location=_loc(name, mark),
            hint="check indentation, quoting and that every ':' is followed by a space",
        ) from None
    except yaml.YAMLError as exc:
        raise PolicyError(f"invalid YAML: {exc}", location=Location(name)) from None
    finally:
        loader.dispose()


def load_yaml(path: Path, display: str | None = None) -> tuple[Any, Positions]:
    """Read and parse a YAML file, with clear errors for missing, huge, binary and non-UTF-8 files."""
    name = display or str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise PolicyError(
            "policy file not found", location=Location(name), hint="check the path, or run `brandrail init`"
        ) from None
    except OSError as exc:
        raise PolicyError(f"cannot read policy file: {exc.strerror}", location=Location(name)) from None
    if path.is_dir():
        raise PolicyError("expected a policy file, got a directory", location=Location(name))
    if size > MAX_POLICY_BYTES:
        raise PolicyError(
            f"policy file is {size:,} bytes, over the {MAX_POLICY_BYTES:,}-byte limit",
            location=Location(name),
            hint="split it with `extends:`",
        )
    # stat() says 0 for a device or a pipe: read at most one byte over the limit whatever it says
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_POLICY_BYTES + 1)
    except OSError as exc:
        raise PolicyError(f"cannot read policy file: {exc.strerror}", location=Location(name)) from None
    if len(raw) > MAX_POLICY_BYTES:
        raise PolicyError(
            f"policy file is over the {MAX_POLICY_BYTES:,}-byte limit",
            location=Location(name),
            hint="split it with `extends:`",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise PolicyError(
            f"policy file is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
            location=Location(name, line, col),
            hint="save the file as UTF-8",
        ) from None
    if "\x00" in text:
        raise PolicyError("policy file contains NUL bytes; is it binary?", location=Location(name))
    key = hashlib.sha256(b"%s\0%s\0" % (_CACHE_FORMAT.encode(), name.encode()) + raw).hexdigest()
    cached = _cache_read(key)
    if cached is not None:
        return cached
    data, positions = load_yaml_text(text, name)
    _cache_write(key, data, positions)
    return data, positions


# -- parse cache -----------------------------------------------------------------------------------------
# Parsing YAML with positions is most of the cost of loading a large policy. The parsed form (plain data and
# the position table) is cached by the sha256 of the file's bytes and name, in the user's cache folder
# ($BRANDRAIL_CACHE_DIR, else $XDG_CACHE_HOME/brandrail, else ~/.cache/brandrail), serialised with marshal
# (plain values only: it cannot carry code). Any edit changes the key; an unreadable or corrupt entry is
# ignored; BRANDRAIL_NO_CACHE=1 turns the cache off.

_CACHE_FORMAT = "policy-parse-v1"


def cache_dir() -> Path | None:
    """The folder for brandrail's caches, or None when caching is turned off."""
    if os.environ.get("BRANDRAIL_NO_CACHE"):
        return None
    base = os.environ.get("BRANDRAIL_CACHE_DIR")
    if base:
        return Path(base)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "brandrail"


def _cache_file(key: str) -> Path | None:
    folder = cache_dir()
    return folder / "policies" / f"{key}.marshal" if folder is not None else None


def _cache_read(key: str) -> tuple[Any, Positions] | None:
    file = _cache_file(key)
    if file is None:
        return None
    try:
        data, table, replace = marshal.loads(file.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    positions = Positions()
    positions._map = table
    positions.replace = replace
    return data, positions


def _cache_write(key: str, data: Any, positions: Positions) -> None:
    file = _cache_file(key)
    if file is None:
        return
    try:
        payload = marshal.dumps((data, positions._map, positions.replace))
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp = file.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(payload)
        tmp.replace(file)
    except (OSError, ValueError):  # unwritable cache or a value marshal cannot carry: just don't cache
        return
