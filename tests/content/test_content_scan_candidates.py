"""The PII scan, the claim patterns, the emoji finder and the edge-leet pass of normalisation try their patterns only where a match can start (brandrail.text.scan):
on varied texts the matches they get are exactly those of the pattern's own finditer, which tries every
position."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from brandrail.content import channel, pii, pii_more
from brandrail.content.lexicons import CLAIM_PATTERNS
from brandrail.text.normalize import _EDGE_LEET, _edge_leet_starts, resolve_edge_leet
from brandrail.text.scan import digit_run_starts, finditer_at, finditer_from, literal_start

CORPUS = Path(__file__).parents[1] / "data" / "voice" / "tone_corpus"

_PIECES = [
    *"0123456789",
    *"٣٤٥０１２",  # digits the engine's \d reads that are not ASCII (Arabic-Indic, full width)
    *" -- .. :: // ++ (( )) \t\n,_'",
    *"ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdef xyz é",
    "routing ",
    "ABA ",
    "Rtn ",
    "aba",
    "account no ",
    "passport number ",
    "driving licence ",
    "GB82WEST12345698765432",
    "4111 1111 1111 1111",
    "4111-1111-1111-1111",
    "192.168.0.1",
    "2001:db8::1",
    "fe80::",
    "::",
    "123-45-6789",
    "943 476 5919",
    "1 84 12 76 451 089 46",
    "850101-1234",
    "19850101+1234",
    "12345678Z",
    "11-22-33 12345678",
    "011000015",
    "AB123456",
    "X1234567",
    "+44 (0)20 7946 0018",
    "0800 123 4567",
]


def _texts() -> list[str]:
    rng = random.Random(16)
    texts = ["".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 120))) for _ in range(1500)]
    lines = (CORPUS / "dev.tsv").read_text(encoding="utf-8").splitlines()
    column = lines[0].split("\t").index("text")
    prose = [line.split("\t")[column] for line in lines[1:] if line.strip()]
    texts.extend(prose)
    texts.append(" ".join(t + " " + rng.choice(_PIECES) for t in prose))
    return texts


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return _texts()


def _same(plain: Iterator[re.Match[str]], fast: Iterator[re.Match[str]]) -> None:
    assert [(m.span(), m.group()) for m in fast] == [(m.span(), m.group()) for m in plain]


def _runs(text: str) -> list[int]:
    runs = digit_run_starts(text)
    assert runs is not None
    return runs


_DIGIT_LED: dict[str, re.Pattern[str]] = {
    "card": pii._CARD,
    "ipv4": pii._IPV4,
    "sort code": pii_more._SORT_CODE_ACCOUNT,
    "routing": pii_more._ROUTING,
    "account": pii_more._ACCOUNT,
    **{name: re.compile(pii.NATIONAL_ID_PATTERNS[name][0]) for name in sorted(pii._DIGIT_LED_IDS)},
}


@pytest.mark.parametrize("name", sorted(_DIGIT_LED))
def test_digit_led_patterns_match_only_where_a_digit_run_starts(name: str, texts: list[str]) -> None:
    rx = _DIGIT_LED[name]
    for text in texts:
        _same(rx.finditer(text), finditer_at(rx, text, _runs(text)))


_STARTS: dict[str, tuple[re.Pattern[str], Callable[[str], list[int]]]] = {
    "iban": (pii._IBAN, lambda t: pii._iban_starts(_runs(t))),
    "ipv6": (pii._IPV6, pii._ipv6_starts),
}


@pytest.mark.parametrize("name", sorted(_STARTS))
def test_patterns_tried_at_computed_starts(name: str, texts: list[str]) -> None:
    rx, starts = _STARTS[name]
    for text in texts:
        _same(rx.finditer(text), finditer_at(rx, text, starts(text)))


_FROM: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    "phone": (pii._PHONE_HINT, pii._PHONE_START),
    "passport": (pii_more._PASSPORT, pii_more._PASSPORT_START),
    "licence": (pii_more._LICENCE_OTHER, pii_more._LICENCE_START),
    "routing context": (pii_more._ROUTING_CONTEXT, pii_more._ROUTING_START),
}


@pytest.mark.parametrize("name", sorted(_FROM))
def test_patterns_tried_where_their_start_pattern_matches(name: str, texts: list[str]) -> None:
    rx, starts = _FROM[name]
    for text in texts:
        _same(rx.finditer(text), finditer_from(rx, text, starts))


def test_digit_run_starts_reads_digits_as_the_engine_does() -> None:
    text = "a1 22-333 ٣٤x０ 4"
    assert digit_run_starts(text) == [1, 3, 6, 10, 13, 15]
    assert digit_run_starts("") == [] and digit_run_starts("abc") == []
    assert digit_run_starts("1 2 3", limit=3) == [0, 2, 4]
    assert digit_run_starts("1 2 3", limit=2) is None  # more than the limit: the caller tries everywhere


def test_the_helpers_skip_positions_inside_a_match() -> None:
    rx = re.compile(r"\d\d")
    assert [m.span() for m in finditer_at(rx, "12345", range(5))] == [(0, 2), (2, 4)]
    assert [m.span() for m in finditer_from(rx, "12345", re.compile(r"\d"))] == [(0, 2), (2, 4)]
    # a candidate where the pattern does not match is passed over
    assert [m.span() for m in finditer_at(rx, "1 23", [0, 2])] == [(2, 4)]


def test_emoji_clusters_are_the_plain_matches() -> None:
    rng = random.Random(5)
    pieces = [
        *"😀🎉🔥✨❤️👍🏽👨‍👩‍👧🇬🇧🇫🇷©®™‼⌚☀️⬆️1️⃣#️⃣*⃣5⃣",
        "\ufe0f",
        "\u200d",
        "\U0001f3fb",
        *"ab 12#* .\n",
    ]
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 60)))
        plain = [(m.start(), m.end(), m.group()) for m in channel._EMOJI.finditer(text)]
        assert channel.emoji_clusters(text) == (plain if not text.isascii() else [])


@pytest.mark.parametrize(
    ("source", "start"),
    [
        (r"\b(?:treats?|treating|treated)\s+x", "treat"),
        (r"(?<![\w#])#\s?1\b", "#"),
        (r"\bup to\s+\d", "up to"),
        (r"(?:ab)c", "abc"),
        (r"\b\d{1,2}\s?%", None),  # no literal text first
        (r"(?:a|b)c", None),
        (r"n\d", None),  # one letter is too common to be worth it
        (r"(?i)save", None),  # case-insensitive: kept plain
        (r"x*", None),
    ],
)
def test_literal_start(source: str, start: str | None) -> None:
    found = literal_start(re.compile(source))
    assert (found.pattern if found else None) == (re.escape(start) if start else None)


def test_claim_patterns_from_their_literal_start(texts: list[str]) -> None:
    rng = random.Random(9)
    sources = [p for kind in CLAIM_PATTERNS.values() for _guard, p in kind]
    phrases = [
        "treats acne",
        "#1",
        "# 1",
        "no. 1",
        "no1",
        "up to 50%",
        "was £10 now £5",
        "save $5",
        "20% off",
        "never drops",
        "can't be hacked",
        "kendal's finest",
        "leeds’ best",
        "it's the best",
        "cheaper than",
        "£20 off",
        "0% apr",
        "no booking fees",
        "blocks 100% of",
        "zero downtime",
        "burns belly fat",
        "recommended by 9 out of 10 dentists",
        "turn £5 into £50",
        "the best game of 2025",
    ]
    extra = [
        " ".join(rng.choice([*t.lower().split(), *phrases, "x#1", "snow 5", "upto"]) for _ in range(30))
        for t in texts[:400]
    ]
    for source in sources:
        rx = re.compile(source)
        starts = literal_start(rx)
        if starts is None:
            continue
        for text in [*extra, " ".join(extra)]:
            _same(rx.finditer(text), finditer_from(rx, text, starts))


def test_edge_leet_starts_cover_every_match(texts: list[str]) -> None:
    rng = random.Random(12)
    pieces = [*"abcxyz4@3105$7!2_-.' \n", "é", "ß", "ab", "fre3", "$ave", "0ff", "7!x", "h3llo", "a!b3"]
    samples = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 80))) for _ in range(3000)]
    samples += [t.lower() for t in texts[:500]] + ["a7!" * 2000, "7" * 500, "a" * 500 + "7"]
    rx = _EDGE_LEET
    for text in samples:
        starts = _edge_leet_starts(text, limit=len(text))  # the walk, however dense the symbols
        assert starts is not None
        _same(rx.finditer(text), finditer_at(rx, text, starts))
    assert resolve_edge_leet("get it fre3 and $ave", frozenset({"free", "save"})) == "get it free and save"
    long = "plain words " * 20 + "get it fre3"
    assert _edge_leet_starts(long) is not None  # sparse: the walk is used
    assert resolve_edge_leet(long, frozenset({"free"})).endswith("get it free")
    assert _edge_leet_starts("1 2 3 4 " * 40) is None  # dense: the plain pattern


def test_masked_profanity_tried_before_each_run_of_marks(texts: list[str]) -> None:
    from brandrail.content.rules.inclusive.br602_profanity import _MASKED, _masked_starts

    rng = random.Random(602)
    pieces = [*"ab*#_ -.1Zé'\n", "f**k", "sh#t", "**", "a*b*c", "x#"]
    samples = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 60))) for _ in range(5000)]
    samples += [t.lower() for t in texts] + ["a*" * 3000, "*" * 500, "a" * 500 + "*b", "f**k " * 300]
    matched = 0
    for text in samples:
        plain = [(m.span(), m.group()) for m in _MASKED.finditer(text)]
        matched += len(plain)
        _same(_MASKED.finditer(text), finditer_at(_MASKED, text, _masked_starts(text)))
    assert matched > 1000  # the samples hold masked words, so the comparison means something
