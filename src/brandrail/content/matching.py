"""Fast whole-word term matching on a Document's normalised view.

All terms of a policy compile into one Aho-Corasick automaton over the folded (normalised, lower-cased)
text, so matching time grows with the text, not with terms × text. A match counts only at word boundaries;
punctuation inside a term is part of it ("node.js", "at&t"). Optional inflections add plural and
comparative forms ("cheap" → "cheaper", "cheapest").
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

import ahocorasick

from brandrail.text.document import Document
from brandrail.text.normalize import fold_term

__all__ = ["Match", "TermMatcher", "in_address", "inflections"]

T = TypeVar("T")

_VOWELS = set("aeiou")


def inflections(word: str) -> set[str]:
    """Regular English inflections of the last word of ``word``: plural, -er/-est, -ed, -ing."""
    head, _, last = word.rpartition(" ")
    prefix = f"{head} " if head else ""
    forms = {last}
    if not last.isalpha() or len(last) < 2:
        return {word}
    stem = last
    if last.endswith("e"):
        forms |= {last + "s", last + "r", last + "st", last + "d", last[:-1] + "ing"}
    elif last.endswith("y") and last[-2] not in _VOWELS:
        forms |= {last[:-1] + "ies", last[:-1] + "ier", last[:-1] + "iest", last[:-1] + "ied", last + "ing"}
    else:
        plural = last + ("es" if last.endswith(("s", "x", "z", "ch", "sh")) else "s")
        forms |= {plural, last + "er", last + "est", last + "ed", last + "ing"}
        # consonant doubling for short CVC words: big → bigger, stop → stopped
        if (
            len(stem) >= 3
            and stem[-1] not in _VOWELS | {"w", "x", "y"}
            and stem[-2] in _VOWELS
            and stem[-3] not in _VOWELS
        ):
            d = stem + stem[-1]
            forms |= {d + "er", d + "est", d + "ed", d + "ing"}
    return {prefix + f for f in forms}


def in_address(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` is part of a domain, URL path or e-mail address ("fernhill.example/x")."""
    if end + 1 < len(text) and text[end] in "./@" and text[end + 1].isalnum():
        return True
    return start >= 2 and text[start - 1] in "./@" and text[start - 2].isalnum()


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


@dataclass(frozen=True, slots=True)
class Match(Generic[T]):
    """A term found in a document: norm offsets, original offsets, and the payload the term was added with."""

    norm_start: int
    norm_end: int
    start: int
    end: int
    form: str
    payload: T


class TermMatcher(Generic[T]):
    """Many terms, one automaton. Add ``(term, payload)`` pairs, then :meth:`find` in documents."""

    def __init__(self) -> None:
        self._automaton = ahocorasick.Automaton()
        self._entries: dict[str, list[T]] = {}
        self._built = False

    def add(self, term: str, payload: T, *, inflect: bool = False) -> None:
        folded = fold_term(term)
        if not folded.strip():
            return
        forms = inflections(folded) if inflect else {folded}
        for form in forms:
            self._entries.setdefault(form, []).append(payload)
        self._built = False

    def extend(self, items: Iterable[tuple[str, T]]) -> None:
        for term, payload in items:
            self.add(term, payload)

    def __len__(self) -> int:
        return len(self._entries)

    def _build(self) -> None:
        self._automaton = ahocorasick.Automaton()
        for form, payloads in self._entries.items():
            self._automaton.add_word(form, (form, tuple(payloads)))
        if self._entries:
            self._automaton.make_automaton()
        self._built = True

    def find(self, doc: Document, *, longest: bool = True) -> Iterator[Match[T]]:
        """Whole-word matches in ``doc``; when terms overlap, the longest leftmost one wins."""
        if not self._entries:
            return
        if not self._built:
            self._build()
        text = doc.folded
        n = len(text)
        hits: list[tuple[int, int, str, tuple[T, ...]]] = []
        for end_index, (form, payloads) in self._automaton.iter(text):
            start = end_index - len(form) + 1
            end = end_index + 1
            if start > 0 and _is_word_char(text[start - 1]) and _is_word_char(form[0]):
                continue
            if end < n and _is_word_char(text[end]) and _is_word_char(form[-1]):
                continue
            hits.append((start, end, form, payloads))
        if longest:
            hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
            kept: list[tuple[int, int, str, tuple[T, ...]]] = []
            last_end = -1
            for hit in hits:
                if hit[0] >= last_end:
                    kept.append(hit)
                    last_end = hit[1]
            hits = kept
        for start, end, form, payloads in hits:
            a, b = doc.norm_to_original(start, end)
            for payload in payloads:
                yield Match(start, end, a, b, form, payload)
