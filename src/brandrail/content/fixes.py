"""Helpers for building safe fixes that never corrupt markup."""

from __future__ import annotations

from brandrail.text.document import Document

__all__ = ["is_plain", "match_case"]


def is_plain(doc: Document, start: int, end: int) -> bool:
    """True when ``original[start:end]`` holds no markup, entity or code delimiter, so replacing it is safe."""
    chunk = doc.text[start:end]
    if any(c in chunk for c in "<>&`"):
        return False
    return not (doc.kind == "markdown" and any(c in chunk for c in "*_[]"))


def match_case(source: str, replacement: str) -> str:
    """``replacement`` cased like ``source``: ALL CAPS, Capitalised, or as given."""
    letters = [c for c in source if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return replacement.upper()
    if letters and letters[0].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement
