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
from collections.abc import Callable
from typing import Any

from brandrail.policy.yamlsource import FieldPath, Positions, RawLocation

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


def _reindex(pos: Positions, path: FieldPath, new_index: Callable[[int], int]) -> None:
    """Re-key positions of the items of list ``path`` in place (one pass over the table)."""
    n = len(path)
    moved: dict[FieldPath, RawLocation] = {}
    for p in [p for p, _ in pos.items() if len(p) > n and p[:n] == path and isinstance(p[n], int)]:
        loc = pos._map.pop(p)
        k = new_index(int(p[n]))
        if k >= 0:
            moved[(*path, k, *p[n + 1 :])] = loc
    pos._map.update(moved)


def _reindex_into(src: Positions, dst: Positions, path: FieldPath, new_index: Callable[[int], int]) -> None:
    """Copy positions of the items of list ``path`` from ``src`` into ``dst`` under their new indexes."""
    n = len(path)
    for p, loc in src.items():
        if len(p) > n and p[:n] == path:
            i = p[n]
            k = new_index(i) if isinstance(i, int) else -1
            if k >= 0:
                dst[(*path, k, *p[n + 1 :])] = loc
    for p in src.replace:
        if len(p) > n and p[:n] == path:
            i = p[n]
            if isinstance(i, int) and new_index(i) >= 0:
                dst.replace.add((*path, new_index(i), *p[n + 1 :]))


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
        index_of: dict[tuple[str, Any], int] = {}
        base_index = list(range(len(base)))  # old base index -> new index (-1: replaced)
        over_index: dict[int, int] = {}  # over index -> new index
        for i, item in enumerate(merged):
            ident = _identity(item)
            if ident is not None:
                index_of[ident] = i
        for j, item in enumerate(over):
            ident = _identity(item)
            if ident is not None and ident in index_of:
                k = index_of[ident]
                merged[k] = copy.deepcopy(item)
                base_index[k] = -1
                over_index[j] = k
            else:
                if ident is not None:
                    index_of[ident] = len(merged)
                over_index[j] = len(merged)
                merged.append(copy.deepcopy(item))
        _reindex(pos, path, lambda i: base_index[i] if 0 <= i < len(base_index) else -1)
        _reindex_into(over_pos, pos, path, lambda j: over_index.get(j, -1))
        return merged
    # scalar, type change, or !replace: the later value wins whole
    for p in [p for p, _ in pos.under(path) if p != path]:
        del pos._map[p]
    _move(over_pos, pos, path, path)
    if path in over_pos.replace:
        pos.replace.discard(path)
    return copy.deepcopy(over)
