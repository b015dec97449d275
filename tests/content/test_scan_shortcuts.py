"""Shortcuts that skip work whose result is provably empty give the plain computation's answer."""

from __future__ import annotations

import random
import re

import pytest
from test_content_scan_candidates import _DIGIT_LED, _same, _texts

from brandrail.content import pii
from brandrail.registry import _read_through, _unleet_words
from brandrail.text.document import Document, Kind
from brandrail.text.normalize import LEET
from brandrail.text.scan import digit_run_starts, digit_runs, finditer_at, held_digits, leading_digits


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return _texts()


@pytest.mark.parametrize(
    ("source", "count"),
    [
        (r"(?<![\d-])\d{10}(?![\d-])", 10),
        (r"(?<![\d-])9\d{2}([- ]?)\d{2}\1\d{4}", 3),  # the separator group ends the count
        (r"\b\d{3,5}x", 3),  # at least the minimum of a range
        (r"(?:\d{4})-", 4),
        (r"[0-9]\d?", 1),
        (r"0[1-9]\d{6}", 8),
        (r"[^0-9]\d", 0),  # a negated class is not a digit
        (r"[\d ]\d", 0),  # a class that also holds a space
        (r"[0-9a]\d", 0),
        (r"\w\d", 0),
        (r"(?=\d)\d{3}", 3),  # a look-ahead is zero width
        (r"\d+", 1),
    ],
)
def test_leading_digits(source: str, count: int) -> None:
    assert leading_digits(re.compile(source)) == count


def test_digit_runs_are_the_runs_the_engine_reads() -> None:
    text = "a1 22-333 ٣٤x０ 4"
    starts, lengths = digit_runs(text)
    assert starts == digit_run_starts(text)
    assert lengths == [1, 2, 3, 2, 1, 1]
    assert digit_runs("") == ([], [])


@pytest.mark.parametrize("name", sorted(_DIGIT_LED))
def test_digit_led_patterns_tried_only_at_long_enough_runs(name: str, texts: list[str]) -> None:
    """A digit-led pattern tried only where a run of at least :func:`leading_digits` digits starts finds
    exactly what it finds everywhere (the personal-data scan's shortcut)."""
    rx = _DIGIT_LED[name]
    need = leading_digits(rx)
    for text in texts:
        starts, lengths = digit_runs(text)
        wide = [a for a, n in zip(starts, lengths, strict=True) if n >= need]
        _same(rx.finditer(text), finditer_at(rx, text, wide))


class _Fresh(Document):
    """A Document the whole-text shortcut of ``_read_through`` does not apply to (not a plain Document)."""


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("L A S T  C H A N C E  o n l y  3  l e f t ! u r a star x x x", "text"),
        ("L4st ch4nce: 0nly 3 l3ft, 0ff3r 3nds t0night!", "text"),
        ("fr\u0435\u0435 mira**cle** gu\u200barantee", "markdown"),
        ("<p>fla<span>w</span>less <b>cure</b></p>", "html"),
        ("😀 100% n@tural!!", "text"),
    ],
)
def test_a_finding_on_the_whole_text_reads_as_a_fresh_reading(text: str, kind: Kind) -> None:
    """A finding spanning the whole text reuses the document's own reading: the same ``reads_as`` as
    reading the text afresh."""
    fresh = _read_through(_Fresh(text, kind=kind), 0, len(text))
    assert fresh is not None  # each text is disguised: there is a reading to compare
    assert _read_through(Document(text, kind=kind), 0, len(text)) == fresh
    # a view of the document (its prose a part of the text): the whole text is read, as for the document
    doc = Document(text, kind=kind)
    view = doc.with_prose(list(doc.pieces[:1]))
    assert _read_through(view, 0, len(text)) == fresh


def _unleet_every_word(text: str) -> str:
    """The plain reading: every word (a run of letters, digits, @, $, ! holding a letter) visited."""

    def word(m: re.Match[str]) -> str:
        w = m.group()
        return w if sum(c.isalpha() for c in w) < 2 else "".join(LEET.get(c, c) for c in w)

    return re.sub(r"[A-Za-z0-9@$!]*[A-Za-z][A-Za-z0-9@$!]*", word, text)


def test_leet_read_in_the_words_that_hold_a_symbol_only() -> None:
    rng = random.Random(5)
    alphabet = "aeLT x Z 0 1 3 4 5 7 @ $ ! - . ’ é ٣ _ \n"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert _unleet_words(text) == _unleet_every_word(text), text
    # as the plain reading: "!" is read as "i" in a word, "3" alone is not a word
    assert _unleet_words("L4st ch4nce, 0nly 3 l3ft! 4pm 150p W1A") == "Last chance, only 3 lefti apm 150p WiA"


@pytest.mark.parametrize(
    ("source", "count"),
    [
        (r"(?<![\w-])[A-Za-z]{1,2}\d{5,6}(?![\w-])", 5),
        (r"(?<![\w-])[A-Za-z]{3} ?\d{6}(?![\w-])", 6),
        (r"[A-Za-z]\d{12}[\dA-Za-z]", 12),  # a class that may be a letter is not counted
        (r"\d{3}-\d{4}", 4),  # the longest of the runs
        (r"\d\d?\d", 2),  # an optional digit counts none of its own (the digits around it still join)
        (r"(?:\d{4}|x)", 0),  # a branch is not counted
        (r"[a-z]+", 0),
    ],
)
def test_held_digits(source: str, count: int) -> None:
    assert held_digits(re.compile(source)) == count


def test_no_match_where_the_runs_of_digits_are_shorter_than_held(texts: list[str]) -> None:
    """A pattern whose every match holds N digits in a row finds nothing in a text whose runs are shorter
    (the personal-data scan skips it there): the national-ID patterns that open with letters."""
    patterns = [
        re.compile(pii.NATIONAL_ID_PATTERNS[name][0])
        for name in sorted(pii.NATIONAL_ID_PATTERNS)
        if name not in pii._DIGIT_LED_IDS
    ]
    assert any(held_digits(rx) >= 5 for rx in patterns)
    for text in texts:
        longest = max(digit_runs(text)[1], default=0)
        for rx in patterns:
            if held_digits(rx) > longest:
                assert rx.search(text) is None, (rx.pattern, text)


_RUN_ALPHABET = [
    *"abcdeXYZ 12.,-'",
    "\u00a0",
    "\u2003",
    "\n",
    "\t",
    "é",
    "😀",
    "ß",
    "\u0130",
    "\x1c",
    "\u200b",
    "Ω",
]


def test_non_ascii_runs_are_the_split_runs_outside_ascii(texts: list[str]) -> None:
    """The fancy-text reading's runs found from the characters outside ASCII are the white-space split's runs
    that hold one, sparse (a step per run) and dense (the split itself) alike."""
    from brandrail.content.readings import _NON_SPACE_RUN, _non_ascii_runs

    rng = random.Random(16)
    made = [
        "".join(rng.choice(_RUN_ALPHABET) for _ in range(rng.choice([0, 1, 5, 40, 300, 2000])))
        for _ in range(3000)
    ]
    made += ["a" * 45 + "é", "é" * 41, "x" * 39 + "😀", "😀" + " " * 3 + "a" * 40 + "é b", "café " * 300]
    for text in [*texts, *made]:
        for limit in (3, 40):
            plain = {t for t in set(_NON_SPACE_RUN.findall(text)) if len(t) <= limit and not t.isascii()}
            assert _non_ascii_runs(text, limit) == plain, (text[:80], limit)


def test_long_letter_runs_are_the_letter_runs_long_enough(texts: list[str]) -> None:
    from brandrail.content.readings import _BARE_MIN, _LETTER_RUN, _LONG_LETTER_RUN

    rng = random.Random(17)
    made = [
        "".join(rng.choice("abcz Q-é4") for _ in range(rng.choice([0, 3, 4, 5, 60]))) for _ in range(3000)
    ]
    for text in [*texts, *made]:
        low = text.lower()
        plain = {w for w in set(_LETTER_RUN.findall(low)) if len(w) >= _BARE_MIN}
        assert set(_LONG_LETTER_RUN.findall(low)) == plain
