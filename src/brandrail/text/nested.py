"""Text inside structured values: the strings of a tool's arguments or results, found by dotted path, in
document order, and the forms they take where a tool delivers them (shared by the gate's custom actions and
the agent integrations)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from brandrail.text.document import Kind

__all__ = ["delivered_forms", "texts_in", "value_at"]


def value_at(data: Any, path: str) -> tuple[bool, Any]:
    """``(found, value)`` at the dotted ``path`` of nested mappings (``card.title``)."""
    node = data
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return False, None
        node = node[part]
    return True, node


def texts_in(value: Any, *, keys: bool = False) -> list[str]:
    """Every non-blank string in ``value``: the value itself, or the values nested in its lists and mappings,
    in document order; with ``keys``, the mappings' keys too, each before its value (a tool that renders an
    object as a table shows them)."""
    out: list[str] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if item.strip():
                out.append(item)
        elif isinstance(item, Mapping):
            pairs = [part for k, v in item.items() for part in ((k, v) if keys else (v,))]
            stack.extend(reversed(pairs))
        elif isinstance(item, list | tuple):
            stack.extend(reversed(item))
    return out


def delivered_forms(texts: list[str], labelled: list[str]) -> list[tuple[str, Kind]]:
    """The forms the text of a content-checked argument may take where the tool delivers it: its parts
    (``labelled``: with the keys of its objects, which a tool may render as labels) as paragraphs, and its
    strings run together (a tool that joins a list: ``["ch", "eap"]``); with markup in it, each as Markdown
    too, which reads inline HTML as it renders (``ch<b></b>eap``)."""
    joined = ["\n\n".join(labelled)] + (["".join(texts)] if len(texts) > 1 else [])
    forms: list[tuple[str, Kind]] = []
    for text in joined:
        forms.append((text, "text"))
        if "<" in text:
            forms.append((text, "markdown"))
    return forms
