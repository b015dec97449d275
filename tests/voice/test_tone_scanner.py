"""The phrase scanner (tone._scanner) finds exactly the matches of the plain phrase pattern, and the
per-sentence word counts taken from the one tokenisation equal a fresh tokenisation of each sentence."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from brandrail.text.scan import finditer_after_space, finditer_from, top_level_branches
from brandrail.voice import lexicons as lx
from brandrail.voice import tone
from brandrail.voice.tone import _WORD, _phrases, _sentence_spans

CORPUS = Path(__file__).parents[1] / "data" / "voice" / "tone_corpus"

LISTS = {
    "warmth": lx.WARMTH_PATTERNS,
    "urgency": lx.URGENCY_PATTERNS,
    "cold": lx.COLD_PATTERNS,
    "formal": lx.FORMAL_PATTERNS,
    "good": lx.GOOD_NEWS_PATTERNS,
    "bad": lx.BAD_NEWS_PATTERNS,
    "time": lx.URGENCY_TIME_WORDS,
}


def _texts() -> list[str]:
    texts = []
    for name in ("dev.tsv", "dev2.tsv", "test.tsv"):
        lines = (CORPUS / name).read_text(encoding="utf-8").splitlines()
        column = lines[0].split("\t").index("text")
        texts.extend(line.split("\t")[column] for line in lines[1:] if line.strip())
    rng = random.Random(7)
    alphabet = list("abcdefghijklmnopqrstuvwxyz ABCXYZ 0123456789   ..,!!??''’’--\n\n()£$€%😀😂🔥éſ…”\"")
    words = " ".join(texts).split()
    for i in range(600):
        if i % 2:
            texts.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 160))))
        else:
            t = " ".join(rng.choice(words) for _ in range(rng.randint(1, 50)))
            texts.append("".join(c if rng.random() > 0.03 else rng.choice(alphabet) for c in t))
    return texts


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return _texts()


def _spans(matches: object) -> list[tuple[tuple[int, int], str | None]]:
    return [(m.span(), m.lastgroup) for m in matches]  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", sorted(LISTS))
def test_scanner_finds_exactly_the_plain_matches(name: str, texts: list[str]) -> None:
    phrases = _phrases(LISTS[name])
    rx, scanner = phrases.lower, phrases.scanner
    assert scanner is not None  # the built-in lists are all within the scanner's analysis
    joined = " ".join(t.lower() for t in texts)
    assert _spans(finditer_from(rx, joined, scanner)) == _spans(rx.finditer(joined))
    assert _spans(_after_space(phrases, joined)) == _spans(rx.finditer(joined))
    for t in texts:
        low = t.lower()
        assert _spans(finditer_from(rx, low, scanner)) == _spans(rx.finditer(low)), t
        assert _spans(_after_space(phrases, low)) == _spans(rx.finditer(low)), t


def test_scanner_on_humour_and_brand_phrases(texts: list[str]) -> None:
    humour = tone._lexicon_patterns()[4]
    brand = tone._brand_patterns(
        (("urgency", ("#LastChance", "£5 off", "while stocks last"), ("no rush",)),)
    )["urgency"]
    for phrases in (humour, *(p for p in brand if p is not None)):
        rx, scanner = phrases.lower, phrases.scanner
        assert scanner is not None
        for t in [*texts, "#lastchance now, £5 off (ha, really.) ?! while  stocks last 😂"]:
            low = t.lower()
            assert _spans(finditer_from(rx, low, scanner)) == _spans(rx.finditer(low)), t
            assert _spans(_after_space(phrases, low)) == _spans(rx.finditer(low)), t


def _after_space(phrases: tone._Phrases, low: str) -> list[object]:
    """The matches as the profile finds them: after a space and at the other starts :class:`_PhraseStarts`
    gives (asserting they were sparse enough to be used)."""
    assert phrases.after_space is not None and phrases.after_other is not None
    others = tone._PhraseStarts(low).others(phrases.after_other)
    if others is None:  # dense: the profile uses the plain scanner
        return list(rx_finditer_from(phrases, low))
    return list(finditer_after_space(phrases.lower, low, phrases.after_space, others))


def rx_finditer_from(phrases: tone._Phrases, low: str) -> object:
    assert phrases.scanner is not None
    return finditer_from(phrases.lower, low, phrases.scanner)


def test_after_space_path_is_taken_on_prose_and_dense_text_falls_back(texts: list[str]) -> None:
    warmth = tone._lexicon_patterns()[0]
    assert warmth.after_other is not None
    prose = " ".join(t.lower() for t in texts[:200])
    assert tone._PhraseStarts(prose).others(warmth.after_other) is not None
    dense = "-a(b)c.d" * 1000  # a possible start after nearly every other character
    assert tone._PhraseStarts(dense).others(warmth.after_other) is None
    # the start of the text is a start even with nothing before it
    assert tone._PhraseStarts("sorry").others(warmth.after_other) == [0]
    assert _spans(_after_space(warmth, "sorry")) == _spans(warmth.lower.finditer("sorry"))


@pytest.mark.parametrize(
    "text",
    [
        "sorry sorry",
        " sorry",
        "  sorry  ",
        "(sorry)sorry-sorry sorry.sorry",
        "i'm sorry 'sorry' ’sorry’ x-sorry",
        "\nsorry\tsorry\u00a0sorry\u2003sorry",
        "😀sorry 😀 sorry",
        "",
        " ",
        "so rry",
    ],
)
def test_after_space_edges(text: str) -> None:
    for phrases in tone._lexicon_patterns():
        assert _spans(_after_space(phrases, text)) == _spans(phrases.lower.finditer(text)), text


#: tone._SENT_END as first written (a branch, tried at every character)
_PLAIN_SENT_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s|$)|\n\s*\n|\n(?=\s*[-*•\d])")


def _plain_sentence_spans(prose: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _PLAIN_SENT_END.finditer(prose):
        spans.append((start, m.end()))
        start = m.end()
    return spans + ([(start, len(prose))] if start < len(prose) else [])


def test_sentence_spans_equal_the_plain_end_pattern(texts: list[str]) -> None:
    filler = "x" * 2000  # long enough that the marks are sparse: the end pattern is tried only at them
    for t in [*texts, " ".join(texts), "!" * 300, "a! " * 100]:
        for text in (t, t + filler, filler + t):
            assert _sentence_spans(text) == _plain_sentence_spans(text), text[:80]


def test_jargon_start_pattern_finds_exactly_the_plain_matches(texts: list[str]) -> None:
    rx, starts = tone._jargon_phrases()
    rng = random.Random(3)
    phrases = sorted(p for p in lx.JARGON if " " in p)
    extra = []
    for t in texts[:300]:
        words = t.split()
        for _ in range(3):
            phrase = rng.choice(phrases)
            phrase = rng.choice([phrase, phrase.upper(), phrase.title(), "x" + phrase, phrase + "s"])
            words.insert(rng.randint(0, len(words)), phrase)
        extra.append(" ".join(words))
    for t in [*texts, *extra, " ".join(extra)]:
        assert _spans(finditer_from(rx, t, starts)) == _spans(rx.finditer(t)), t
    assert any(_spans(rx.finditer(t)) for t in extra)  # the phrases were found


@pytest.mark.parametrize(
    ("source", "first"),
    [
        ("ab?c|(?:x|yz)+q", {"a", "x", "y"}),
        (r"\d+ ?% off|(?:two|\d) days", {r"\d", "t"}),
        ("[a-c]at", {"a", "b", "c"}),
        (r"(?<!a )while", {"w"}),
    ],
)
def test_first_characters(source: str, first: set[str]) -> None:
    found: set[str] = set()
    for alt in top_level_branches(source):
        atoms, nullable = tone._first_chars(tone._parse(alt))
        assert atoms is not None and not nullable
        found |= atoms
    assert found == first


def test_patterns_beyond_the_analysis_keep_the_plain_pattern() -> None:
    assert _phrases([("a?", 1.0)]).scanner is None  # can match nothing
    assert _phrases([("a?", 1.0)]).after_space is None
    assert _phrases([("(?P<x>a)b", 1.0)]).scanner is None  # a named group of its own
    assert _phrases([(".x|ab", 1.0)]).scanner is not None  # "any character" is tried everywhere, still exact
    phrases = _phrases([(".x|ab", 1.0)])
    rx, scanner = phrases.lower, phrases.scanner
    assert scanner is not None
    assert _spans(finditer_from(rx, "ab qx zx", scanner)) == _spans(rx.finditer("ab qx zx"))
    assert _spans(_after_space(phrases, "ab qx zx")) == _spans(rx.finditer("ab qx zx"))


def test_top_level_split_respects_groups_classes_and_escapes() -> None:
    assert top_level_branches(r"a(?:b|c)|[|x]|\||d") == ["a(?:b|c)", "[|x]", r"\|", "d"]
    assert top_level_branches(r"[]|]x|y") == ["[]|]x", "y"]


def test_sentence_word_counts_match_a_fresh_tokenisation(texts: list[str]) -> None:
    for t in [*texts, "One.\n\nTwo words!’ Three\n- four\n5. five", "a!b. c"]:
        tokens = [m.start() for m in _WORD.finditer(t)]
        spans = _sentence_spans(t)
        counts = [0] * len(spans)
        si = 0
        for a in tokens:
            while spans[si][1] <= a:
                si += 1
            counts[si] += 1
        assert counts == [len(_WORD.findall(t, s, e)) for s, e in spans], t
        assert [c > 0 for c in counts] == [bool(_WORD.search(t, s, e)) for s, e in spans]


def test_no_word_straddles_a_sentence_end(texts: list[str]) -> None:
    for t in texts:
        ends = {e for _s, e in _sentence_spans(t)}
        assert not any(a < e < b for m in _WORD.finditer(t) for a, b in [m.span()] for e in ends), t


def _plain_chunks(
    tokens: list[tuple[int, int, str]], sent_spans: list[tuple[int, int]]
) -> list[tuple[int, int, int]]:
    """The sentence pieces as a walk over every word computes them (the former tone._chunks)."""
    out: list[tuple[int, int, int]] = []
    ti, n = 0, len(tokens)
    for s_start, s_end in sent_spans:
        while ti < n and tokens[ti][0] < s_start:
            ti += 1
        first, count, prev_end = ti, 0, -1
        while ti < n and tokens[ti][0] < s_end:
            a, b, _ = tokens[ti]
            if count and (count >= tone._CHUNK_WORDS or a - prev_end > tone._CHUNK_GAP):
                start = tokens[first][0]
                out.append((start, min(prev_end + tone._CHUNK_TAIL, a, start + tone._CHUNK_CHARS), count))
                first, count = ti, 0
            count += 1
            prev_end = b
            ti += 1
        if count:
            start = tokens[first][0]
            out.append((start, min(prev_end + tone._CHUNK_TAIL, s_end, start + tone._CHUNK_CHARS), count))
    return out


def test_sentence_pieces_equal_a_walk_over_every_word(texts: list[str]) -> None:
    rng = random.Random(9)
    gaps = ["🎉" * 41, "!" * 40, " " * 41, "-" * 45, ". " * 30, "\n\n", "é" * 3]
    extra = []
    for t in texts[:300]:
        words = t.split() or ["x"]
        for _ in range(rng.randint(0, 6)):
            words.insert(rng.randint(0, len(words)), rng.choice(gaps))
        extra.append(" ".join(words * rng.randint(1, 4)))
    extra += [
        "word " * 1000 + "🎉" * 5000 + " end.",
        "Hurry" * 2000 + ". Thanks.",
        "a " * 60 + "🎉" * 41 + " b",
    ]
    for t in [*texts, *extra, " ".join(texts)]:
        tokens = [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(t)]
        spans = [s for s in _sentence_spans(t) if _WORD.search(t, s[0], s[1])]
        assert tone._chunks(t, tokens, spans) == _plain_chunks(tokens, spans), t[:80]
