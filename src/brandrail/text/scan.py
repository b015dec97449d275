"""A pattern's matches in long text without trying the pattern at every position.

Python's regex engine tries a pattern that opens with a look-behind (``(?<!\\d)\\d{9}``) at every character of
the text, which costs ~30-70 ms per megabyte and pattern even where no digit stands. The helpers here give
exactly ``rx.finditer(text)`` while trying ``rx`` only at the positions where a match can start: those a cheap
pattern finds (the engine skips to them in C), or a list of positions found once and shared by several
patterns (:func:`digit_run_starts`). The match itself is always ``rx``'s own at that position, so spans and
groups are ``rx.finditer``'s whenever the candidates include every position where ``rx`` matches (more is
allowed) and ``rx`` cannot match the empty string.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any

__all__ = [
    "digit_run_starts",
    "digit_runs",
    "finditer_after_space",
    "finditer_at",
    "finditer_from",
    "grouped_by_first",
    "held_digits",
    "leading_digits",
    "literal_first",
    "literal_start",
    "whole_runs",
]

#: A digit that is not preceded by a digit (the engine finds its first character class in C).
_DIGIT_RUN = re.compile(r"\d(?<!\d\d)")


def digit_run_starts(text: str, limit: int | None = None) -> list[int] | None:
    """The start of every run of digits (``\\d``, as the regex engine reads it) in ``text``, in order; None
    when there are more than ``limit`` (the caller then tries its patterns everywhere)."""
    if limit is None:
        return [m.start() for m in _DIGIT_RUN.finditer(text)]
    out: list[int] = []
    for m in _DIGIT_RUN.finditer(text):
        if len(out) >= limit:
            return None
        out.append(m.start())
    return out


#: A maximal run of digits (``\\d``, as the regex engine reads it).
_DIGITS = re.compile(r"\d+")


def digit_runs(text: str) -> tuple[list[int], list[int]]:
    """The start and the length of every maximal run of digits in ``text`` (the starts are
    :func:`digit_run_starts`'), in order."""
    starts: list[int] = []
    lengths: list[int] = []
    for m in _DIGITS.finditer(text):
        a, b = m.span()
        starts.append(a)
        lengths.append(b - a)
    return starts, lengths


@lru_cache(maxsize=4096)  # per pattern (its text and flags)
def leading_digits(rx: re.Pattern[str]) -> int:
    """How many digits (``\\d``) every match of ``rx`` opens with, after zero-width assertions; 0 when unknown.

    A pattern that opens with ``\\d{10}`` matches only where a run of at least ten digits starts: tried at
    the starts of such runs only (:func:`digit_runs`), it gives the same matches, and a text full of short
    runs ("l3ft", "0nly", "4pm") is not tried at each of them. Conservative: a count never exceeds the
    digits every match opens with."""
    items = _parsed(rx)
    return _count_leading_digits(items) if items is not None else 0


@lru_cache(maxsize=4096)
def held_digits(rx: re.Pattern[str]) -> int:
    """The length of a run of digits (``\\d``) every match of ``rx`` holds, 0 when unknown: ``rx`` cannot match
    a text whose runs of digits are all shorter (``[A-Za-z]{1,2}\\d{5,6}`` holds five). Conservative: only
    digits in a row in the pattern's top-level sequence count."""
    items = _parsed(rx)
    return _count_held_digits(items) if items is not None else 0


def _count_held_digits(items: Any) -> int:
    best = run = 0
    for op, av in items:
        name = str(op)
        if _digit_item(name, av):
            run += 1
            continue
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, _high, sub = av
            if len(sub.data) == 1 and _digit_item(str(sub.data[0][0]), sub.data[0][1]):
                run += low  # at least ``low`` digits, next to the digits before and after it
                continue
        best = max(best, run)
        run = 0
    return max(best, run)


def _digit_item(op: str, av: Any) -> bool:
    """Whether the parsed item ``(op, av)`` matches one character, and only a digit."""
    if op == "LITERAL":
        return "0" <= chr(av) <= "9"
    if op == "IN":
        if not av:
            return False
        for sub_op, sub_av in av:
            name = str(sub_op)
            if name == "CATEGORY" and str(sub_av) == "CATEGORY_DIGIT":
                continue
            if name == "LITERAL" and "0" <= chr(sub_av) <= "9":
                continue
            if name == "RANGE" and chr(sub_av[0]) >= "0" and chr(sub_av[1]) <= "9":
                continue
            return False  # a negation, another class or member: not only digits
        return True
    return False


def _count_leading_digits(items: Any) -> int:
    count = 0
    started = False
    for op, av in items:
        name = str(op)
        if name in ("AT", "ASSERT", "ASSERT_NOT") and not started:
            continue  # zero width before the digits: it does not move where the match starts
        started = True
        if _digit_item(name, av):
            count += 1
            continue
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = av
            if len(sub.data) == 1 and _digit_item(str(sub.data[0][0]), sub.data[0][1]):
                count += low
                if low == high:
                    continue
        break
    return count


def finditer_from(rx: re.Pattern[str], text: str, starts: re.Pattern[str]) -> Iterator[re.Match[str]]:
    """``rx.finditer(text)``, trying ``rx`` where ``starts`` matches: ``starts`` must match at every position
    where a match of ``rx`` can start, and ``rx`` must never match the empty string."""
    pos = 0
    search = starts.search
    match = rx.match
    while True:
        hit = search(text, pos)
        if hit is None:
            return
        m = match(text, hit.start())
        if m is None:
            pos = hit.start() + 1
            continue
        yield m
        pos = m.end()


def finditer_after_space(
    rx: re.Pattern[str], text: str, after_space: re.Pattern[str], others: Sequence[int]
) -> Iterator[re.Match[str]]:
    """``rx.finditer(text)``, trying ``rx`` one character after each match of ``after_space`` (a pattern that
    opens with a literal space, so the engine skips from space to space in C) and at ``others`` (ascending
    positions not preceded by a space): a match of ``rx`` that starts after a space must start one character
    after a match of ``after_space``, every other one at a position in ``others``, and ``rx`` must never
    match the empty string. For patterns that start a match only after a word boundary, whose positions in
    prose follow a space all but a few times: a pattern opening with a look-behind is otherwise tried at
    every character of the text."""
    pos = 0
    k = 0
    n_others = len(others)
    never = len(text) + 1
    search = after_space.search
    match = rx.match
    spaced = -1  # the next candidate after a space (once searched from ``pos``)
    while True:
        if spaced < pos:
            hit = search(text, pos - 1 if pos else 0)
            spaced = hit.start() + 1 if hit is not None else never
        while k < n_others and others[k] < pos:
            k += 1
        other = others[k] if k < n_others else never
        at = spaced if spaced < other else other
        if at >= never:
            return
        m = match(text, at)
        if m is None:
            pos = at + 1
            continue
        yield m
        pos = m.end()


def finditer_at(rx: re.Pattern[str], text: str, positions: Iterable[int]) -> Iterator[re.Match[str]]:
    """``rx.finditer(text)``, trying ``rx`` only at ``positions`` (ascending): they must include every position
    where a match of ``rx`` can start, and ``rx`` must never match the empty string."""
    end = 0
    match = rx.match
    for p in positions:
        if p < end:
            continue  # inside the previous match, as finditer would skip it
        m = match(text, p)
        if m is not None:
            yield m
            end = m.end()


def whole_runs(text: str, run: str, tokens: Iterable[str]) -> Iterator[re.Match[str]]:
    """The matches of ``re.compile(run + "+").finditer(text)`` whose text is one of ``tokens``, in order:
    the maximal runs of the character class ``run`` (``"[a-z]"``, ``"\\S"``) that are one of the tokens
    (each made only of such characters). One pattern finds them in C, so a long text is not walked run by run
    in Python when few of its runs are wanted: each token is looked for as itself, not preceded or followed
    by a character of the class, in one alternation grouped by first character (the engine skips in C to the
    characters that start a token and tries only the tokens that start with it)."""
    by_first: dict[str, list[str]] = {}
    for token in sorted(set(tokens)):
        if not token:
            continue
        by_first.setdefault(token[0], []).append(token)
    if not by_first:
        return iter(())
    branches = []
    for first, group in by_first.items():
        # after the whole token: the character before it and the one after it are not of the class
        alts = [f"{re.escape(t[1:])}(?<!{run}{re.escape(t)})(?!{run})" for t in group]
        branches.append(f"{re.escape(first)}(?:{'|'.join(alts)})")
    return re.compile("|".join(branches)).finditer(text)


def top_level_branches(pattern: str) -> list[str]:
    """``pattern`` split at its top-level ``|`` (outside groups, character classes and escapes; a ``]`` first
    in a class, or first after its ``^``, is a member)."""
    out: list[str] = []
    depth = 0
    start = 0
    i = 0
    in_class = False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            if ch == "]":
                in_class = False
        elif ch == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "^":
                i += 1
            if pattern[i + 1 : i + 2] == "]":  # a leading ] is a member
                i += 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    out.append(pattern[start:])
    return out


def grouped_by_first(pattern: str) -> str:
    """``pattern``, a flat alternation whose every branch opens with a plain literal character, with the
    branches grouped by that character (``date\\s+of|data|born`` → ``d(?:ate\\s+of|ata)|b(?:orn)``); the branches
    of a group keep their order, and two branches that open with different characters never match at the
    same position, so the two patterns match exactly the same. The engine tries each branch of an alternation
    in turn at every position where one can start: grouped, it tries one branch per first character, then
    only the branches that open with it. ``pattern`` itself when a branch opens otherwise (an escape, a class,
    a group, a quantified character) or ``pattern`` holds no alternation at its top level."""
    branches = top_level_branches(pattern)
    groups: dict[str, list[str]] = {}
    for branch in branches:
        first = branch[:1]
        if not first or first in _SPECIAL or branch[1:2] in ("*", "+", "?", "{"):
            return pattern
        groups.setdefault(first, []).append(branch[1:])
    if len(branches) < 2:
        return pattern
    return "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in groups.items())


def literal_first(rx: re.Pattern[str]) -> re.Pattern[str] | None:
    """``rx`` rewritten to open with its literal text when it opens with a word boundary and then literal text
    (``\\bsave\\s+…`` → ``save(?<=\\bsave)\\s+…``), or None. The two match exactly the same (the boundary is
    checked by a look-behind over the text just read), but a pattern that opens with literal text is found by
    the engine's fast literal search, in C, where one that opens with a boundary is tried at every character
    (or, through :func:`literal_start`, at every occurrence of the text from Python)."""
    if rx.flags & (re.IGNORECASE | re.VERBOSE) or not rx.pattern.startswith("\\b"):
        return None
    items = _parsed(rx)
    if items is None:  # cannot analyse: keep the plain pattern
        return None
    text = _leading_literal(items, [])
    rest = rx.pattern[2:]
    if not _selective(text) or not rest.startswith(text) or any(c in _SPECIAL for c in text):
        return None  # the text is not written plainly after the boundary (an escape, a class, a group)
    return re.compile(f"{text}(?<=\\b{re.escape(text)}){rest[len(text) :]}", rx.flags)


def _parsed(rx: re.Pattern[str]) -> Any:
    """The parsed items of ``rx`` (``re._parser``'s), or None when it cannot be analysed."""
    try:
        return importlib.import_module("re._parser").parse(rx.pattern, rx.flags).data
    except Exception:  # any failure means "cannot analyse"
        return None


#: Characters with a meaning of their own in a pattern.
_SPECIAL = frozenset(".^$*+?{}[]\\|()")


def literal_start(rx: re.Pattern[str]) -> re.Pattern[str] | None:
    """A pattern for :func:`finditer_from` that finds where a match of ``rx`` can start, when every match
    opens with the same literal text after zero-width assertions (``\\bsave\\s+``, ``(?<![\\w#])#``): that
    text, which the engine finds with its fast literal search. None when there is no such text (at least
    two characters, or one that is not a letter, digit or space) or ``rx`` ignores case."""
    if rx.flags & re.IGNORECASE:
        return None
    items = _parsed(rx)
    if items is None:  # cannot analyse: keep the plain pattern
        return None
    text = _leading_literal(items, [])
    if _selective(text):
        return re.compile(re.escape(text))
    # every match opens with one of the alternatives of a group ("\\b(?:completely|totally|…)\\s+"): the
    # alternatives' literal openings, one alternation the engine finds by their first characters
    openings = _leading_alternatives(items)
    if openings and all(_selective(t) for t in openings):
        return re.compile("|".join(re.escape(t) for t in sorted(set(openings), key=len, reverse=True)))
    return None


def _selective(text: str) -> bool:
    """Whether a literal opening is rare enough to look for (at least two characters, or one that is not a
    letter, digit or space)."""
    return len(text) >= 2 or (bool(text) and not text.isalnum() and not text.isspace())


def _leading_alternatives(items: Any) -> list[str]:
    """The literal opening of each alternative of the group every match of the parsed sequence ``items``
    opens with (after zero-width assertions), or [] when it does not open with such a group. An optional
    part that opens the pattern (``\\b(?:your\\s+)?money``) is such a group too: a match opens with the part's
    literal opening or, without the part, with what follows it."""
    items = list(items)
    for i, (op, av) in enumerate(items):
        name = str(op)
        if name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] == 0 and av[1] == 1:
            return [_leading_literal(av[2], []), _leading_literal(items[i + 1 :], [])]
        if name == "SUBPATTERN" and not (av[1] or av[2]) and len(av[3].data) >= 1:
            first_op, first_av = av[3].data[0]
            if str(first_op) == "BRANCH":
                return [_leading_literal(alt, []) for alt in first_av[1]]
        if name == "BRANCH":
            return [_leading_literal(alt, []) for alt in av[1]]
        return []
    return []


def _leading_literal(items: Any, prefix: list[str]) -> str:
    """The literal text every match of the parsed sequence ``items`` opens with (after zero-width assertions
    when ``prefix`` is empty), added to ``prefix``."""
    for op, av in items:
        name = str(op)
        if name in ("AT", "ASSERT", "ASSERT_NOT") and not prefix:
            continue  # zero width before the text: it does not move where the match starts
        if name == "BRANCH" and not prefix and all(_zero_width(alt) for alt in av[1]):
            continue  # a choice of zero-width assertions ("(?:^|(?<=[.!?]\s))"): zero width too
        if name == "SUBPATTERN" and not (av[1] or av[2]):
            before = len(prefix)
            _leading_literal(av[3], prefix)
            if len(prefix) > before and _all_literal(av[3]):
                continue  # the whole group is literal text: what follows it continues the text
            break
        if name != "LITERAL":
            break
        prefix.append(chr(av))
    return "".join(prefix)


def _zero_width(items: Any) -> bool:
    """Whether the parsed sequence ``items`` is made only of zero-width assertions (or is empty)."""
    return all(str(op) in ("AT", "ASSERT", "ASSERT_NOT") for op, _av in items)


def _all_literal(items: Any) -> bool:
    return all(str(op) == "LITERAL" for op, _av in items)
