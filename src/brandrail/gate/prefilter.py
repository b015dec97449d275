"""The leftmost match of many case-insensitive patterns in a long text, without trying each at every position.

Python's ``re`` tries a pattern of many alternatives at every position of the text; on a 1 MB tool result,
a dozen such patterns cost seconds. :class:`AnchoredPatterns` reads from each pattern (its parse tree) the
literal prefixes every match must start with ("ignore", "<!--", "~/.ssh"), finds where they occur in one
Aho-Corasick pass over the text folded the way ``re.IGNORECASE`` folds it, and tries the pattern only
there (and at position 0, where ``^`` may match). ``pattern.match(text, p)`` at the smallest such ``p``
that matches is exactly what ``pattern.search(text)`` returns: ``search`` is ``match`` tried at each
position in turn, and a match can start nowhere else. A pattern with an alternative that may start with no
literal (``\\s*``, ``[A-Z]``, ``.``) has no prefixes and is searched as before.
"""

from __future__ import annotations

import re
import time
from collections.abc import Collection, Iterator, Mapping
from functools import lru_cache
from typing import Any

import ahocorasick

try:  # re's internals (3.11-3.13): how it parses and folds case
    import _sre  # type: ignore[import-not-found]
    from re import _casefix, _constants, _parser  # type: ignore[attr-defined]

    _INTERNALS = bool(_sre.unicode_tolower) and bool(_casefix._EXTRA_CASES)
except (ImportError, AttributeError):  # another Python: every pattern is searched the plain way
    _INTERNALS = False

__all__ = ["AnchoredPatterns", "OverBudgetError", "fold", "literal_prefixes", "runs_of", "special_characters"]

_MAX_PREFIX = 12
_MAX_PREFIXES = 4096


class _Fold(dict[int, int]):
    """Code point → its representative under ``re.IGNORECASE`` (simple lower case, then one member of
    ``re``'s extra case classes: ``ſ`` and ``s``, ``ı`` and ``i``, ``µ`` and ``μ`` …): two characters match
    each other case-insensitively exactly when their representatives are equal. One character to one, so
    offsets in the folded text are offsets in the text."""

    def __missing__(self, cp: int) -> int:
        lower = int(_sre.unicode_tolower(cp))
        rep: int = min((lower, *_casefix._EXTRA_CASES.get(lower, ())))
        self[cp] = rep
        return rep


_FOLD = _Fold()


def fold(text: str) -> str:
    """``text`` with every character replaced by its case-insensitive representative (same length)."""
    if text.isascii() or all(_lower_folds(ch) for ch in special_characters(text)):
        return text.lower()  # the representative of each character is its lower case (C speed)
    return text.translate(_FOLD)


@lru_cache(maxsize=65_536)
def _lower_folds(ch: str) -> bool:
    """Is ``ch``'s representative what ``str.lower`` makes of it, in any context (Σ aside: its lower case
    depends on the letters around it)?"""
    lower = ch.lower()
    return len(lower) == 1 and ord(lower) == _FOLD[ord(ch)] and ch != "\u03a3"


_Head = tuple[str, bool]


#: Printable ASCII, tab and line breaks: characters no screen reads differently from how they are written.
_PLAIN_ASCII = frozenset("\t\n\r" + "".join(map(chr, range(0x20, 0x7F))))


def special_characters(text: str) -> set[str]:
    """The distinct characters of ``text`` other than printable ASCII, tab and line breaks."""
    return set() if text.isascii() and text.isprintable() else set(text) - _PLAIN_ASCII


def runs_of(chars: Collection[str]) -> re.Pattern[str]:
    """A pattern matching each maximal run of characters from ``chars`` (not empty)."""
    return _runs_of("".join(sorted(chars)))


@lru_cache(maxsize=256)
def _runs_of(chars: str) -> re.Pattern[str]:
    return re.compile("[" + "".join(f"\\U{ord(c):08x}" for c in chars) + "]+")


def _heads(
    seq: list[tuple[Any, Any]], k: int = 0, boundary: bool = False, extend: bool = True
) -> set[_Head] | None:
    """``(prefix, at a word boundary)`` for the literal prefixes every match of ``seq[k:]`` starts with;
    None when a match may start otherwise. An empty set: it matches only at position 0 (``^``). With
    ``extend``, a literal prefix is lengthened by what must follow it (:func:`_extended`)."""
    c = _constants
    while k < len(seq) and (seq[k][0] in (c.ASSERT, c.ASSERT_NOT) or seq[k][0] is c.AT):
        if seq[k][0] is c.AT and seq[k][1] in (c.AT_BEGINNING, c.AT_BEGINNING_STRING):
            return set()
        boundary = boundary or (seq[k][0] is c.AT and seq[k][1] is c.AT_BOUNDARY)
        k += 1
    if k == len(seq):
        return None  # may match the empty string anywhere
    op, av = seq[k]
    if op is c.LITERAL:
        s = chr(av)
        j = k + 1
        while j < len(seq) and seq[j][0] is c.LITERAL and len(s) < _MAX_PREFIX:
            s += chr(seq[j][1])
            j += 1
        return _extended({s}, seq, j, boundary) if extend else {(s, boundary)}
    if op is c.IN:
        if any(item_op is not c.LITERAL for item_op, _ in av):
            return None
        heads = {chr(ch) for _, ch in av}
        return _extended(heads, seq, k + 1, boundary) if extend else {(h, boundary) for h in heads}
    if op is c.SUBPATTERN:
        return _heads(list(av[-1].data) + seq[k + 1 :], 0, boundary, extend)
    if op is c.BRANCH:
        out: set[_Head] = set()
        for branch in av[1]:
            found = _heads(list(branch.data) + seq[k + 1 :], 0, boundary, extend)
            if found is None or len(out) > _MAX_PREFIXES:
                return None
            out |= found
        return out
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        low, _, item = av
        first = _heads(list(item.data), 0, boundary, extend)
        if first is None:
            return None
        if low == 0:
            rest = _heads(seq, k + 1, boundary, extend)
            return None if rest is None else first | rest
        return first
    return None


#: At most this many prefixes come of lengthening a few with what follows them (``e-?mail``: ``e-``, ``email``).
_MAX_EXTENDED = 16


def _extended(starts: set[str], seq: list[tuple[Any, Any]], j: int, boundary: bool) -> set[_Head]:
    """The literal prefixes ``starts`` (every match of ``seq`` starts with one, ``seq[j:]`` follows it)
    lengthened by the literal prefixes of ``seq[j:]`` when there are few of them: a rarer prefix is found
    at fewer places to try. Each is still a prefix of every match that starts with it (what follows is
    matched next; an assertion there consumes nothing), so no match is missed. The word boundary is the
    one before the first of ``starts``."""
    if j >= len(seq) or max(map(len, starts)) >= _MAX_PREFIX:
        return {(s, boundary) for s in starts}
    rest = _heads(seq, j, extend=False)  # one step: lengthening what follows too could multiply
    if not rest or len(starts) * len(rest) > _MAX_EXTENDED:  # None (anything may follow), or ^ only
        return {(s, boundary) for s in starts}
    return {(s + r, boundary) for s in starts for r, _ in rest}


def literal_prefixes(pattern: re.Pattern[str]) -> frozenset[_Head] | None:
    """The folded literal prefixes every match of ``pattern`` starts with (besides a match at position 0),
    each with whether the pattern asserts a word boundary (``\\b``) just before it, or None when some match
    may start with something else. Only IGNORECASE is understood besides the
    default flags (MULTILINE, DOTALL, VERBOSE... give None)."""
    if not _INTERNALS or pattern.flags & ~(re.IGNORECASE | re.UNICODE):
        return None
    try:
        heads = _heads(list(_parser.parse(pattern.pattern, pattern.flags).data))
    except Exception:  # re's parser is internal: if it ever reads otherwise, search as before
        return None
    if heads is None or len(heads) > _MAX_PREFIXES:
        return None
    return frozenset((fold(h), at_boundary) for h, at_boundary in heads)


def _is_word(ch: str) -> bool:
    """Is ``ch`` a word character for ``re``'s ``\\w`` and ``\\b`` (str patterns)?"""
    return ch.isalnum() or ch == "_"


class OverBudgetError(Exception):
    """The search ran past its deadline (thread CPU seconds)."""


class AnchoredPatterns:
    """Named patterns, each searched only where one of its literal prefixes occurs."""

    def __init__(self, patterns: Mapping[str, re.Pattern[str]]) -> None:
        self.patterns = dict(patterns)
        self.unanchored = {name for name, p in self.patterns.items() if literal_prefixes(p) is None}
        heads: dict[str, dict[str, bool]] = {}
        for name, p in self.patterns.items():
            for head, at_boundary in literal_prefixes(p) or ():
                # a pattern that reaches the same prefix with and without \b needs no boundary
                names = heads.setdefault(head, {})
                names[name] = names.get(name, True) and at_boundary
        self._automaton = ahocorasick.Automaton()
        for head, names in heads.items():
            # \b before a word character: the character before it is none
            word = _is_word(head[0])
            free = tuple(sorted(n for n, b in names.items() if not (b and word)))
            bound = tuple(sorted(n for n, b in names.items() if b and word))
            self._automaton.add_word(head, (len(head), free, bound))
        if heads:
            self._automaton.make_automaton()
        self._empty = not heads

    def candidates(self, text: str) -> dict[str, list[int]]:
        """Per anchored pattern, the sorted positions where a match may start (0 always among them)."""
        starts: dict[str, list[int]] = {name: [0] for name in self.patterns if name not in self.unanchored}
        if not self._empty:
            for end, (length, free, bound) in self._automaton.iter(fold(text)):
                start = end - length + 1
                for name in free:
                    starts[name].append(start)
                if bound:
                    before = text[start - 1] if start else " "
                    if not (before.isalnum() or before == "_"):
                        for name in bound:
                            starts[name].append(start)
        return {name: sorted(set(s)) for name, s in starts.items()}

    def search(
        self, name: str, text: str, candidates: Mapping[str, list[int]], deadline: float | None = None
    ) -> re.Match[str] | None:
        """What ``self.patterns[name].search(text)`` returns."""
        return next(self.finditer(name, text, candidates, deadline), None)

    def finditer(
        self, name: str, text: str, candidates: Mapping[str, list[int]], deadline: float | None = None
    ) -> Iterator[re.Match[str]]:
        """What ``self.patterns[name].finditer(text)`` yields (non-empty matches; an empty one ends it
        with the plain ``finditer`` from there). Past ``deadline`` (:func:`time.thread_time`), checked every
        64 positions tried, it raises :class:`OverBudgetError`."""
        pattern = self.patterns[name]
        if name in self.unanchored:
            yield from pattern.finditer(text)
            return
        after = 0
        for n, p in enumerate(candidates[name]):
            if p < after:
                continue
            if deadline is not None and not n % 64 and time.thread_time() > deadline:
                raise OverBudgetError(name)
            m = pattern.match(text, p)
            if m is None:
                continue
            if m.end() == m.start():
                yield from pattern.finditer(text, p)
                return
            yield m
            after = m.end()
