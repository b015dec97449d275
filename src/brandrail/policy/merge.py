"""Merge policy documents: ``extends:`` packs and files, and per-channel overrides.

Rules, applied recursively:

* mappings merge key by key; a later value overrides an earlier one;
* lists concatenate (earlier first). When list items are mappings with an identity key
  (``id``, ``term``, ``name``, ``code``, ``pattern``), a later item with the same identity replaces the
  earlier one in place. A list tagged ``!replace`` in a later document replaces the earlier list whole;
* ``null`` in a later document resets a value to its default.

Positions travel with the values, so errors in merged data still point at the file that supplied them.
"""

from __future__ import annotations

import copy
from typing import Any

from brandrail.policy.yamlsource import FieldPath, Positions

__all__ = ["IDENTITY_KEYS", "merge"]

IDENTITY_KEYS = ("id", "term", "name", "code", "pattern")


def _identity(item: Any) -> tuple[str, Any] | None:
    if isinstance(item, dict):
        for key in IDENTITY_KEYS:
            value = item.get(key)
            if isinstance(value, (str, int)):
                return (key, value)
    return None


def _move(src: Positions, dst: Positions, old: FieldPath, new: FieldPath) -> None:
    for path, loc in list(src.under(old)):
        dst[(*new, *path[len(old) :])] = loc
    for path in list(src.replace):
        if path[: len(old)] == old:
            dst.replace.add((*new, *path[len(old) :]))


def _drop(pos: Positions, prefix: FieldPath) -> Positions:
    kept = Positions()
    for path, loc in pos.items():
        if path[: len(prefix)] != prefix:
            kept[path] = loc
    kept.replace = {p for p in pos.replace if p[: len(prefix)] != prefix}
    return kept


def merge(
    base: Any, base_pos: Positions, over: Any, over_pos: Positions, path: FieldPath = ()
) -> tuple[Any, Positions]:
    """Merge ``over`` onto ``base`` (neither is modified) and return the data with its positions."""
    pos = base_pos.copy()
    data = _merge(copy.deepcopy(base), over, pos, over_pos, path)
    return data, pos


def _merge(base: Any, over: Any, pos: Positions, over_pos: Positions, path: FieldPath) -> Any:
    if isinstance(base, dict) and isinstance(over, dict):
        for key, value in over.items():
            child = (*path, key)
            if key in base:
                base[key] = _merge(base[key], value, pos, over_pos, child)
            else:
                base[key] = copy.deepcopy(value)
                _move(over_pos, pos, child, child)
        return base
    if isinstance(base, list) and isinstance(over, list) and path not in over_pos.replace:
        merged = list(base)
        old_pos = pos.copy()
        new_pos = _drop(pos, path)
        index_of: dict[tuple[str, Any], int] = {}
        origin: list[tuple[str, int]] = []  # ("base"|"over", old index)
        for i, item in enumerate(merged):
            ident = _identity(item)
            if ident is not None:
                index_of[ident] = i
            origin.append(("base", i))
        for j, item in enumerate(over):
            ident = _identity(item)
            if ident is not None and ident in index_of:
                k = index_of[ident]
                merged[k] = copy.deepcopy(item)
                origin[k] = ("over", j)
            else:
                if ident is not None:
                    index_of[ident] = len(merged)
                merged.append(copy.deepcopy(item))
                origin.append(("over", j))
        for new_index, (side, old_index) in enumerate(origin):
            source = old_pos if side == "base" else over_pos
            _move(source, new_pos, (*path, old_index), (*path, new_index))
        location = over_pos.get(path)
        if location is not None:
            new_pos[path] = location
        pos._map = new_pos._map
        pos.replace = new_pos.replace
        return merged
    # scalar, type change, or !replace: the later value wins whole
    for p in [p for p, _ in pos.under(path) if p != path]:
        del pos._map[p]
    _move(over_pos, pos, path, path)
    if path in over_pos.replace:
        pos.replace.discard(path)
    return copy.deepcopy(over)
