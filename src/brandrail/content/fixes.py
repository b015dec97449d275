"""Helpers for building safe fixes that never corrupt markup."""

from __future__ import annotations

import html
import re

from brandrail.findings import Edit, Fix
from brandrail.text.document import Document

__all__ = ["append_edit", "append_fix", "is_plain", "match_case", "prepend_edit", "prepend_fix"]


def is_plain(doc: Document, start: int, end: int) -> bool:
    """True when ``original[start:end]`` holds no markup, entity or code delimiter and is not text formatted as
    code, so replacing it is safe. A word in code is found like any other, but rewriting it may break a
    command or an identifier the reader is meant to copy: that replacement is offered, not applied."""
    chunk = doc.text[start:end]
    if any(c in chunk for c in "<>&`") or doc.in_code(start, end):
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


_BODY_OPEN = re.compile(r"<body\b[^>]*>", re.IGNORECASE)
_BODY_CLOSE = re.compile(r"</body\s*>", re.IGNORECASE)


def _front_matter_end(text: str) -> int:
    if text.startswith("---\n"):
        close = text.find("\n---", 4)
        if close != -1:
            nl = text.find("\n", close + 4)
            return len(text) if nl == -1 else nl + 1
    return 0


def append_edit(doc: Document, text: str, markup: str | None = None) -> Edit:
    """An insertion that adds ``text`` as its own paragraph at the end, valid in plain text, Markdown and HTML."""
    if doc.kind == "html":
        block = markup or f"<p>{html.escape(text, quote=False)}</p>"
        close = _BODY_CLOSE.search(doc.text)
        if close:
            return Edit(close.start(), close.start(), block + "\n")
        return Edit(
            len(doc.text),
            len(doc.text),
            ("" if doc.text.endswith("\n") or not doc.text else "\n") + block + "\n",
        )
    body = doc.text.rstrip()
    trailing = doc.text[len(body) :]
    if not body:
        return Edit(0, len(doc.text), text + "\n")
    if doc.kind == "markdown":
        return Edit(
            len(body),
            len(doc.text),
            "\n\n" + _md_escape(text) + (trailing if trailing.endswith("\n") else "\n"),
        )
    sep = "\n\n" if "\n" in body else " "
    return Edit(len(body), len(body), sep + text)


def prepend_edit(doc: Document, text: str) -> Edit:
    """An insertion that puts ``text`` first (after front matter or ``<body>``), separated by a space or line."""
    if doc.kind == "html":
        body = _BODY_OPEN.search(doc.text)
        at = body.end() if body else 0
        return Edit(at, at, f"<p>{html.escape(text, quote=False)}</p>")
    at = _front_matter_end(doc.text) if doc.kind == "markdown" else 0
    at += len(doc.text[at:]) - len(doc.text[at:].lstrip())
    if doc.kind == "markdown":
        return Edit(at, at, _md_escape(text) + " ")
    return Edit(at, at, text + " ")


def _md_escape(text: str) -> str:
    """Markdown-safe text: characters that would start markup become numeric entities.

    CommonMark renders ``&#42;`` as a literal '*' (never emphasis) and the extractor decodes entities, so
    the words stay findable and the fix stays idempotent.
    """
    out = re.sub(r"[*_\[\]`<>\\|]", lambda m: f"&#{ord(m.group())};", text)
    lead = re.match(r"(?:#{1,6}(?=\s|$)|[-+=](?=\s|$)|\d+(?=[.)]))", out)
    if lead:
        first = out[0]
        out = f"&#{ord(first)};" + out[1:]
    return out


def append_fix(
    doc: Document, text: str, description: str | None = None, *, safe: bool = True, markup: str | None = None
) -> Fix:
    """Append ``text`` as its own paragraph (``markup`` instead of ``<p>text</p>`` in HTML)."""
    return Fix(description or f"append {text!r}", (append_edit(doc, text, markup),), safe)


def prepend_fix(doc: Document, text: str, description: str | None = None, *, safe: bool = True) -> Fix:
    return Fix(description or f"prepend {text!r}", (prepend_edit(doc, text),), safe)
