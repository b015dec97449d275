"""Patterns rewritten for speed (their first character before a look-around, so the regex engine skips to it in
C instead of trying the pattern at every character) match exactly what their original form matches: the
same spans and groups with ``finditer``, ``search`` and ``sub``, on prose, random text around the characters
each pattern cares about, and the characters whose case-insensitive matching is special."""

from __future__ import annotations

import importlib
import random
import re
from pathlib import Path

import pytest

from brandrail.content import common, pii
from brandrail.text.scan import finditer_from, literal_start
from brandrail.voice import tone

normalize = importlib.import_module("brandrail.text.normalize")  # the package exports a function of that name

CORPUS = Path(__file__).parents[1] / "data" / "voice" / "tone_corpus"

#: (the module's pattern, its original source and flags)
REWRITES = {
    "sentence end": (common._SENTENCE_END, r"[.!?](?=\s|$)|\n", 0),
    "other digit": (pii._OTHER_DIGIT, r"(?![0-9])\d", 0),
    "digit dash": (pii._DIGIT_DASH, r"(?<=\d)[\u2010-\u2015\u2212](?=\d)", 0),
    "letter O run": (pii._LETTER_O_RUN, r"(?<![\w@])[0-9Oo]{2,6}(?:[ .-][0-9Oo]{2,6}){1,4}(?![\w@])", 0),
    "maybe a mark": (pii._MAYBE_MARK, r"[^\w\s\x00-\u02ff]", 0),
    "leet between letters": (normalize._LEET_RE, r"(?<=[A-Za-z])[4@31!05$7]+(?=[A-Za-z])", 0),
    "dodged at": (
        pii._DODGED_AT,
        rf"{pii._OPEN}\s{{0,3}}(?:at|@|{pii._AT_WORDS})\s{{0,3}}{pii._CLOSE}|\s(?:{pii._AT_WORDS}|(?-i:AT))\s|@",
        re.IGNORECASE,
    ),
}

_PIECES = [
    *"0123456789",
    *"٣٤٥０１２",  # digits of other scripts
    *"OoOo@@ .-:/_'’\n\n\t,!?.",
    *"\u2010\u2011\u2012\u2013\u2014\u2015\u2212",
    *"aaaAAAsssSSSkkkKKK",
    *"İıſK",  # the characters [a-z] matches ignoring case besides the ASCII letters
    *"\u0301\u0308\u20dd",  # combining marks
    "😀",
    "é",
    "C/",
    "c/o ",
    "Str. ",
    "l33t",
    "fr3e",
    "sooo ",
    "0800 OOO 1234",
    "4111–1111",
    "f r e e ",
    "F.R.3.3 ",
    "g-u-4-r ",
    "1.5 ",
    "a・b・c",
    " [at] ",
    "(AT)",
    " At ",
    " AT ",
    " arroba ",
    " MAŁPA ",
    "jo @ x",
    "{ at }",
]


def _texts() -> list[str]:
    rng = random.Random(20261207)
    texts = ["".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 80))) for _ in range(3000)]
    lines = (CORPUS / "dev.tsv").read_text(encoding="utf-8").splitlines()
    column = lines[0].split("\t").index("text")
    texts.extend(line.split("\t")[column] for line in lines[1:] if line.strip())
    return texts


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return _texts()


def _found(rx: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    return [(m.span(), m.groups()) for m in rx.finditer(text)]


@pytest.mark.parametrize("name", sorted(REWRITES))
def test_rewritten_pattern_matches_exactly_as_the_original(name: str, texts: list[str]) -> None:
    rx, source, flags = REWRITES[name]
    original = re.compile(source, flags)
    assert rx.pattern != original.pattern
    hits = 0
    for text in [*texts, " ".join(texts[:500])]:
        found = _found(rx, text)
        assert found == _found(original, text), (name, text)
        hits += bool(found)
        m, o = rx.search(text, 3), original.search(text, 3)
        assert (m and m.span()) == (o and o.span()), (name, text)
        assert rx.sub("#", text) == original.sub("#", text), (name, text)
    assert hits > 20, name  # the texts exercise the pattern


@pytest.mark.parametrize(
    ("source", "openings"),
    [
        (r"\b(?:completely|totally|fully)\s+[a-z]+-proof\b", {"completely", "totally", "fully"}),
        (r"\bfoo|\bbar", {"foo", "bar"}),
        (r"\b(?:abc|abd)x", {"ab"}),  # the parser keeps the common opening
    ],
)
def test_literal_start_of_a_group_of_alternatives(source: str, openings: set[str]) -> None:
    starts = literal_start(re.compile(source))
    assert starts is not None
    assert set(starts.pattern.split("|")) == openings


@pytest.mark.parametrize("source", [r"\b(?:ab|c)x", r"(?:ab|cd)|x", r"\b(?:ab|cd)?x", r"(?i)\b(?:ab|cd)"])
def test_no_literal_start_when_an_alternative_opens_without_one(source: str) -> None:
    assert literal_start(re.compile(source)) is None


def test_alternatives_start_finds_every_match(texts: list[str]) -> None:
    rx = re.compile(r"\b(?:completely|totally|fully|entirely|absolutely|utterly)\s+[a-z]+-proof\b")
    starts = literal_start(rx)
    assert starts is not None
    words = [
        "completely",
        "totally water-proof",
        "fully idiot-proof",
        "xfully fool-proof",
        "utterly",
        "-proof",
    ]
    rng = random.Random(5)
    for text in [*texts[-300:], *(" ".join(rng.choice(words) for _ in range(12)) for _ in range(300))]:
        low = text.lower()
        assert [m.span() for m in finditer_from(rx, low, starts)] == [m.span() for m in rx.finditer(low)], low


def test_literal_first_matches_exactly_as_the_boundary_pattern(texts: list[str]) -> None:
    from brandrail.content.lexicons import CLAIM_PATTERNS
    from brandrail.text.scan import literal_first

    rewritten = 0
    rng = random.Random(11)
    words = " ".join(texts[-400:]).lower().split()
    for _kind, patterns in sorted(CLAIM_PATTERNS.items()):
        for _guard, source in patterns:
            rx = re.compile(source)
            first = literal_first(rx)
            if first is None:
                continue
            rewritten += 1
            assert first.pattern != rx.pattern and first.pattern.split("(?<=")[0] in source
            # text holding the pattern's own opening words, glued and apart
            opening = first.pattern.split("(?<=")[0]
            pieces = [opening, "x" + opening, opening + "s", *rng.sample(words, 30)]
            for text in [" ".join(rng.choice(pieces) for _ in range(40)) for _ in range(20)]:
                assert [(m.span(), m.groups()) for m in first.finditer(text)] == [
                    (m.span(), m.groups()) for m in rx.finditer(text)
                ], (source, text)
    assert rewritten > 100


def test_case_extras_are_every_character_an_ascii_letter_matches_ignoring_case() -> None:
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    for letter in "abcdefghijklmnopqrstuvwxyz":
        found = set(re.findall(letter, every, re.IGNORECASE))
        assert found == {letter, letter.upper(), *tone._CASE_EXTRAS.get(letter, "")}, letter


@pytest.mark.parametrize(
    "phrase", ["outdoor solutions", "adventure journey", "synergy play", "#brand voice", "4x4 fun"]
)
def test_own_jargon_phrase_matches_as_the_plain_pattern(phrase: str, texts: list[str]) -> None:
    rx = tone._own_phrase(phrase)
    plain = re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)", re.IGNORECASE)
    assert rx.pattern != plain.pattern
    rng = random.Random(3)
    forms = [
        phrase,
        phrase.upper(),
        phrase.title(),
        "x" + phrase,
        phrase + "s",
        "ſ" + phrase[1:],
        "İ" + phrase,
    ]
    for text in [
        *texts[-200:],
        *(" ".join(rng.choice([*forms, "and", ".", "\n"]) for _ in range(30)) for _ in range(200)),
    ]:
        assert [m.span() for m in rx.finditer(text)] == [m.span() for m in plain.finditer(text)], text


def test_marked_words_are_what_the_one_pattern_found() -> None:
    """The words with marks between their letters (``normalize._marked_words``: a run of marks between two
    letters widened to its run of letters and marks) are exactly the spans the earlier single pattern found,
    which backtracked over every long word (40 KB of one word took 17 s)."""
    original = re.compile(r"[A-Za-z*~]*[A-Za-z][*~]+[A-Za-z][A-Za-z*~]*")
    rng = random.Random(7)
    alphabet = [*"abZ", "*", "**", "~", "~~", " ", "_", "1", "é", "\n"]
    texts = ["f**ree** and **sh**it, fl*aw*less guaran~~~~teed f**k", "a*b*c d*e", "*a*", "ab" * 50 + "*c"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80))) for _ in range(3000)]
    for text in texts:
        assert list(normalize._marked_words(text)) == [m.span() for m in original.finditer(text)], text


@pytest.mark.parametrize(
    ("source", "opening"),
    [
        (r"(?:^|(?<=[.!?]\s)|(?<=\n))never\s+(?:again|ever)", "never"),
        (r"(?:|(?<=a))never", "never"),
        (r"(?:^|x)never", None),  # an alternative that reads a character: no common opening
        (r"(?:^|(?<=a))\d", None),
    ],
)
def test_literal_start_after_a_choice_of_assertions(source: str, opening: str | None) -> None:
    starts = literal_start(re.compile(source))
    assert (starts.pattern if starts is not None else None) == opening


def test_a_choice_of_assertions_start_finds_every_match(texts: list[str]) -> None:
    rx = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=\n))never\s+(?!(?:mind|worry)\b)\w+")
    starts = literal_start(rx)
    assert starts is not None
    words = ["never", "Never", "never mind", "never again.", "!", "\n", ". ", "xnever", "ever"]
    rng = random.Random(6)
    for text in [*texts[-300:], *("".join(rng.choice(words) for _ in range(20)) for _ in range(500))]:
        low = text.lower()
        assert [m.span() for m in finditer_from(rx, low, starts)] == [m.span() for m in rx.finditer(low)]


@pytest.mark.parametrize(
    ("source", "openings"),
    [
        (r"\b(?:your\s+)?money\s+back", {"your", "money"}),
        (r"\b(?:your)?", None),  # nothing after the optional part
        (r"\b(?:a|b)?money", None),  # the optional part has no literal opening of its own
        (r"(?:ab)?\d", None),
    ],
)
def test_literal_start_of_an_optional_opening(source: str, openings: set[str] | None) -> None:
    starts = literal_start(re.compile(source))
    assert (set(starts.pattern.split("|")) if starts is not None else None) == openings


def test_optional_opening_start_finds_every_match(texts: list[str]) -> None:
    rx = re.compile(r"\b(?:your\s+)?money\s+(?:returned|refunded)\b(?!\s+(?:to|within)\b)")
    starts = literal_start(rx)
    assert starts is not None
    words = ["your", "money", "returned", "refunded", "to", "within", "yourmoney", " ", "  ", "\n", "x"]
    rng = random.Random(7)
    for text in [*texts[-300:], *(" ".join(rng.choice(words) for _ in range(16)) for _ in range(500))]:
        low = text.lower()
        assert [m.span() for m in finditer_from(rx, low, starts)] == [m.span() for m in rx.finditer(low)]
