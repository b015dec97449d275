"""The tone profile of a message: formality, sentiment, warmth, urgency, excitement, humour, reading grade,
point of view, sentence length, passive voice and jargon — each a documented number with the words that drove it.

Everything here is pure Python over one tokenisation of the visible prose (no network, no model): VADER for
sentiment (sentence by sentence), pyphen for syllables (textstat's own syllable counter downloads NLTK's
cmudict at run time, so the readability formulas textstat implements are computed here from the same counts),
weighted cue lists for the rest. Cue evidence is counted, not divided by the length, and damped by the square
root of the length past 25 words (:func:`_level`), so one word does not saturate a short message and one cue
in a long text is a mild signal. Every measure is linear in the length of the text. See docs/voice.md for each
method, its scale and how reliable it is on short texts.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from typing import Any, NamedTuple

from brandrail.policy.sections.voice import TONE_DIMENSIONS
from brandrail.text.reader import as_meant
from brandrail.text.scan import finditer_after_space, finditer_from, top_level_branches
from brandrail.voice import lexicons as lx
from brandrail.voice.tone_model import check_tier, load_model

__all__ = [
    "DIMENSIONS",
    "MIN_WORDS",
    "PLAIN_TARGETS",
    "WORD_DIMENSIONS",
    "BrandWords",
    "Driver",
    "ToneProfile",
    "profile_document",
    "profile_text",
    "read_as_meant",
    "syllables",
]

#: The numeric dimensions of a profile, in display order (the keys of ``ToneProfile.values``).
DIMENSIONS = TONE_DIMENSIONS

#: Dimensions whose word lists a brand may extend (``voice.words`` in the policy).
WORD_DIMENSIONS: tuple[str, ...] = ("formality", "urgency", "warmth", "excitement", "humour")

#: A brand's own phrases for one dimension: (phrases that raise it, phrases that lower it).
BrandWords = tuple[Sequence[str], Sequence[str]]

#: The documented default targets for a "plain, friendly, never pushy" voice: dimension → (min, max). Chosen
#: on the development data (out-of-fold values of the core model, bench/fit_tone_model.py): the targets that
#: flag the most messages rated not clean while the 95% upper confidence bound of the share of clean ones
#: they flag stays at most 3%.
PLAIN_TARGETS: dict[str, tuple[float | None, float | None]] = {
    "urgency": (None, 0.45),
    "excitement": (None, 0.75),
    "formality": (None, 0.7),
    "warmth": (0.15, None),
}

#: Below this many words a dimension is reported but marked unreliable (and tone targets skip it).
MIN_WORDS: dict[str, int] = {
    "formality": 8,
    "reading_grade": 12,
    "flesch_kincaid_grade": 12,
    "gunning_fog": 12,
    "smog": 30,
    "coleman_liau": 12,
    "automated_readability": 12,
    "sentence_length": 8,
    "passive": 8,
    "person_we": 1,
    "person_you": 1,
    "person_i": 1,
    "person_they": 1,
}

_WORD = re.compile(r"[A-Za-z0-9À-ÖØ-öø-ÿ]+(?:['’\-][A-Za-z0-9À-ÖØ-öø-ÿ]+)*")
#: A sentence end: r"[.!?…]+[\"'”’)\]]*(?=\s|$)|\n\s*\n|\n(?=\s*[-*•\d])", written to open with one character
#: class (the engine skips to the marks in C; a branch of classes would be tried at every character).
_SENT_END = re.compile(
    r"[.!?…\n](?:(?<=[.!?…])[.!?…]*[\"'”’)\]]*(?=\s|$)|(?<=\n)\s*\n|(?<=\n)(?=\s*[-*•\d]))"
)
_EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf\U0001f000-\U0001f2ff]")
#: Letters that make a word in capitals a shouted word rather than an acronym ("HURRY", not "BBC").
_VOWELS = frozenset("aeiouy")
_ELONGATED = re.compile(r"([a-z])\1{2,}", re.IGNORECASE)
_NOUN_CONTEXT = lx.ARTICLES | lx.PREPOSITIONS | frozenset(("my", "your", "our", "their", "its"))
_ART, _PREP, _PRON, _VERB, _ADV, _INTERJ, _NOUN, _ADJ = range(8)
_WordInfo = tuple[int, bool, int, "str | None", int, bool, bool, bool]
#: Word → its cached lexical facts (see :func:`_word_info`); bounded, cleared when full.
_WORD_INFO: dict[str, _WordInfo] = {}


def _word_info(w: str) -> _WordInfo:
    """A lower-cased word's facts: (class, contracted, casual, person, valence sign, hype, whether it makes
    the next word a noun (:data:`_NOUN_CONTEXT`), whether any of contracted to hype is set).

    The class is an index into the eight word-class counts; a negative class ``-k - 1`` means "an open-class
    word whose own guess is class k", which the position can override (after an article it is a noun).
    ``casual`` is 0, 1 (slang) or 2 (slang only when written in lower case: "u", "r").
    """
    contracted = False
    if w in lx.ARTICLES:
        cls = _ART
    elif w in lx.PREPOSITIONS:
        cls = _PREP
    elif w in lx.PRONOUNS or (_CONTRACTION_TAIL.search(w) and w.split("'", maxsplit=1)[0] in lx.PRONOUNS):
        cls = _PRON
        contracted = bool(_CONTRACTION_TAIL.search(w))
    elif w in lx.INTERJECTIONS:
        cls = _INTERJ
    elif w in lx.AUXILIARIES or w in lx.VERBS:
        cls = _VERB
        contracted = "'" in w
    elif w in lx.ADVERBS or (w.endswith("ly") and len(w) > 4):
        cls = _ADV
    elif w in lx.ADJECTIVES or (w.endswith(lx.ADJ_SUFFIXES) and len(w) > 5):
        cls = _ADJ
    elif w.endswith(lx.NOUN_SUFFIXES) and len(w) > 5:
        cls = _NOUN
    elif w.endswith(("ed", "ing")) and len(w) > 4:
        cls = -_VERB - 1
    elif w.isdigit():
        cls = -_ADJ - 1
    else:
        cls = -_NOUN - 1  # open class default: most unlisted content words in marketing copy are nouns
    casual = (2 if w in lx.CASUAL_LOWER_ONLY else 1) if w in lx.CASUAL_WORDS else 0
    valence = _vader().lexicon.get(w)
    sign = (1 if valence > 0 else -1) if valence else 0
    who = _PERSON_OF.get(w)
    hype = w in lx.EXCITEMENT_WORDS
    info: _WordInfo = (
        cls,
        contracted,
        casual,
        who,
        sign,
        hype,
        w in _NOUN_CONTEXT,
        bool(contracted or casual or who is not None or sign or hype),
    )
    if len(_WORD_INFO) >= 200_000:
        _WORD_INFO.clear()
    _WORD_INFO[w] = info
    return info


_PERSON_OF: dict[str, str] = {w: who for who, words in lx.PERSON.items() for w in words}
_BANGS = re.compile(r"[!¡]+(?:[?!1]*)")
_GREETING_NAME = re.compile(
    r"\s*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening))\s+[A-Z][a-z]+", re.IGNORECASE
)
#: At most this many drivers are kept per source of a dimension (all are counted; the evidence shows a few).
_KEEP = 100
#: Cue evidence counts in full up to this many words; beyond, it is damped by √(this / words).
_REF_WORDS = 25.0
#: Sentiment is scored on sentence pieces of at most this many words ...
_CHUNK_WORDS = 60
#: ... and a piece ends where this many characters without a word stand (a run of emoji or symbols).
_CHUNK_GAP = 40
#: Texts with more sentence pieces than this are scored for sentiment on an evenly spaced sample of this many
#: (the sentiment of a long text is a mean over its pieces; the sample keeps a 1 MB text well under a second).
_MAX_SENTIMENT_PIECES = 2000
#: Words longer than this are not hyphenated for syllables (estimated at one per three letters instead).
_LONGEST_WORD = 45
#: VADER reads at most this many characters of a piece (a "word" of a million letters is not prose).
_CHUNK_CHARS = 1000
#: Characters after a piece's last word that VADER still sees (its punctuation and an emoji or two).
_CHUNK_TAIL = 8
#: Warmth of a text with no warm or cold cue (plain courtesy): a 3 on the 1–5 rubric sits near it.
_NEUTRAL_WARMTH = 0.35
#: A cue of a list weighing at least this much is a strong cue (empathy, hard pressure) for the learned model.
_STRONG = 0.9
#: Pressure cues of at most this weight (a calm deadline or request, a reminder) count once per sentence.
_CALM_DEADLINE = 0.45


class _Phrases(NamedTuple):
    """A word list compiled by :func:`_phrases`."""

    #: the alternation of the phrases, for lower-cased text (a named group per phrase)
    lower: re.Pattern[str]
    #: its case-insensitive twin (for text whose length lower-casing changes)
    any_case: re.Pattern[str]
    #: the weight of each named group
    weights: dict[str, float]
    #: a pattern that finds the same match starts faster, or None (see :func:`_scanner`)
    scanner: re.Pattern[str] | None
    #: the scanner opening with the space before a match instead of its look-behind, or None (see
    #: :func:`~brandrail.text.scan.finditer_after_space`)
    after_space: re.Pattern[str] | None
    #: finds, by their ends, the other places a match can start (after a character that is neither a word
    #: character, an apostrophe nor a space); with the start of the text, they complete ``after_space``
    after_other: re.Pattern[str] | None


def _phrases(patterns: Sequence[tuple[str, float]], first: str = r"[\w£$€]") -> _Phrases:
    """One alternation of every pattern (a named group each; for lower-cased text and, as a fallback when
    lower-casing changes the length, case-insensitive) and each group's weight.

    ``first`` is a character class every match starts with: checked before the alternation is tried, it
    keeps long runs of symbols or emoji from costing a try of every phrase at every character.
    """
    body = "|".join(f"(?P<p{i}>{p})" for i, (p, _) in enumerate(patterns))
    weights = {f"p{i}": w for i, (_, w) in enumerate(patterns)}
    source = rf"{_HEAD}(?={first})(?:{body})(?![\w'’])"
    scanner = _scanner(patterns, first)
    after_space = after_other = None
    if scanner is not None:
        # every match starts after a character that is not a word character or an apostrophe (or at the start
        # of the text): after a space, found in C by the literal search, or after another such character
        after_space = re.compile(" " + scanner.pattern.removeprefix(_HEAD))
        after_other = re.compile(rf"[^ a-z0-9'](?<=[^\w'’])(?={first})")
    return _Phrases(
        re.compile(source), re.compile(source, re.IGNORECASE), weights, scanner, after_space, after_other
    )


#: What stands before every phrase match: no word character or apostrophe.
_HEAD = r"(?<![\w'’])"
_TAIL = r"(?![\w'’])"


def _scanner(patterns: Sequence[tuple[str, float]], first: str) -> re.Pattern[str] | None:
    """A pattern that matches (one character long) exactly where the phrase alternation of :func:`_phrases`
    has a match start in lower-cased text, or None when the phrases are beyond its analysis.

    Python's regex engine tries every alternative at every word start, so one alternation of a few hundred
    phrases costs a few hundred tries per word. The scanner splits the phrases into their top-level
    alternatives and files each under the characters it can start with (:func:`_first_chars`), then branches
    on that character first: at a word start only the alternatives that can start there are tried, each
    followed by the same right boundary (an alternative it cannot analyse is tried everywhere). The scanner
    only says *where* a match starts (some alternative matches there); the match itself, its span and its
    group, is then taken from the original pattern at that position, so the results are the original
    pattern's by construction.
    """
    alternatives: list[tuple[str, frozenset[str] | None]] = []
    for phrase, _weight in patterns:
        if re.search(r"\\[1-9]|\(\?P[<=]|\(\?[aiLmsux]", phrase):
            return None  # back-references, named groups or inline flags: keep the plain pattern
        for alt in top_level_branches(phrase):
            atoms, nullable = _first_chars(_parse(alt))
            if nullable:
                return None  # an alternative that can match nothing: keep the plain pattern
            alternatives.append((alt, atoms))
    if not alternatives:
        return None
    buckets: dict[str, list[str]] = {}
    anywhere: list[str] = []
    for alt, atoms in alternatives:
        if atoms is None:
            anywhere.append(alt)
        for atom in atoms or ():
            buckets.setdefault(atom, []).append(alt)
    parts = []
    for atom in sorted(buckets):
        head = atom if atom in _CATEGORIES else re.escape(atom)
        # consume the character (so the engine skips this branch on a mismatch), then look back at it and
        # ahead from it for the alternatives that can start with it
        parts.append(f"{head}(?<=(?=(?:{'|'.join(buckets[atom])}){_TAIL}){head})")
    if anywhere:
        parts.append(f"(?=(?:{'|'.join(anywhere)}){_TAIL})")
    return re.compile(rf"{_HEAD}(?={first})(?:{'|'.join(parts)})")


def _parse(source: str) -> Any:
    """The parse tree of a regex (the standard library's own parser), or None when it does not parse."""
    import importlib

    try:
        return importlib.import_module("re._parser").parse(source).data
    except Exception:  # any failure means "cannot analyse": the safe answer
        return None


#: Character ranges of a class up to this size are listed member by member.
_MAX_RANGE = 512


#: Character categories a first character may belong to (the parser's name → the escape that matches it).
_CATEGORY_OF = {"CATEGORY_DIGIT": r"\d", "CATEGORY_WORD": r"\w", "CATEGORY_SPACE": r"\s"}
_CATEGORIES = frozenset(_CATEGORY_OF.values())


def _first_chars(items: Any) -> tuple[frozenset[str] | None, bool]:
    """(what a match of the parsed sequence ``items`` can start with: characters and category escapes such as
    ``\\d``, or None for "anything"; whether it can match the empty string). Conservative: whatever is not
    understood means anything."""
    if items is None:
        return None, False
    chars: set[str] = set()
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            return frozenset(chars | {chr(av)}), False
        if name == "IN":
            members = _class_chars(av)
            return (None if members is None else frozenset(chars | members)), False
        if name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue  # zero width: the next item decides
        if name == "BRANCH":
            nullable = False
            for alt in av[1]:
                sub, empty = _first_chars(alt)
                if sub is None:
                    return None, False
                chars |= sub
                nullable = nullable or empty
            if not nullable:
                return frozenset(chars), False
            continue
        if name in ("SUBPATTERN", "ATOMIC_GROUP"):
            if name == "SUBPATTERN" and (av[1] or av[2]):
                return None, False  # flags inside the group
            sub, empty = _first_chars(av[3] if name == "SUBPATTERN" else av)
            if sub is None:
                return None, False
            chars |= sub
            if not empty:
                return frozenset(chars), False
            continue
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, _high, sub_items = av
            sub, empty = _first_chars(sub_items)
            if sub is None:
                return None, False
            chars |= sub
            if low > 0 and not empty:
                return frozenset(chars), False
            continue
        return None, False  # any character, a category, a back-reference, ...
    return frozenset(chars), True


def _class_chars(av: Any) -> set[str] | None:
    """The members of a parsed character class (characters and category escapes), or None (negated, another
    category, a wide range)."""
    out: set[str] = set()
    for op, value in av:
        name = str(op)
        if name == "LITERAL":
            out.add(chr(value))
        elif name == "CATEGORY" and str(value) in _CATEGORY_OF:
            out.add(_CATEGORY_OF[str(value)])
        elif name == "RANGE" and value[1] - value[0] <= _MAX_RANGE:
            out.update(chr(c) for c in range(value[0], value[1] + 1))
        else:
            return None
    return out


@lru_cache(maxsize=1)
def _jargon_phrases() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The jargon phrases' pattern, and where a match of it can start: a phrase's first letter first, so
    the engine skips in C to the letters that can start one instead of trying the phrases everywhere."""
    phrases = [p for p in lx.JARGON if " " in p]
    body = "|".join(sorted((re.escape(p) for p in phrases), key=len, reverse=True))
    first = "".join(sorted({re.escape(p[0]) for p in phrases}))
    if all(p[0].isascii() and p[0].isalpha() for p in phrases):
        # the first letters as the explicit class of what they match ignoring case: the engine then skips to
        # them in C (a class that ignores case is tried at every character)
        lead = "(?-i:[" + "".join(sorted({c for p in phrases for c in _case_class(p[0])})) + "])"
    else:
        lead = f"[{first}]"
    return (
        re.compile(rf"(?<![\w'’])(?:{body})(?![\w'’])", re.IGNORECASE),
        re.compile(rf"{lead}(?<![\w'’][{first}])(?<=(?=(?:{body}))[{first}])", re.IGNORECASE),
    )


@lru_cache(maxsize=1)
def _lexicon_patterns() -> tuple[_Phrases, _Phrases, _Phrases, _Phrases, _Phrases]:
    """Warmth, urgency, coldness, formal-register and humour alternations, compiled on first use."""
    return (
        _phrases(lx.WARMTH_PATTERNS),
        _phrases(lx.URGENCY_PATTERNS),
        _phrases(lx.COLD_PATTERNS),
        _phrases(lx.FORMAL_PATTERNS),
        _phrases(lx.HUMOUR_PATTERNS, first=r"[\w(?!\U0001f600-\U0001f64f\U0001f910-\U0001f92f]"),
    )


@lru_cache(maxsize=1)
def _news_patterns() -> tuple[_Phrases, _Phrases]:
    return _phrases(lx.GOOD_NEWS_PATTERNS), _phrases(lx.BAD_NEWS_PATTERNS)


@lru_cache(maxsize=1)
def _time_words() -> _Phrases:
    return _phrases(lx.URGENCY_TIME_WORDS)


@lru_cache(maxsize=1)
def _full_forms() -> _Phrases:
    """Uncontracted forms where speech would contract ("do not", "we are"): a mark of written, formal register."""
    return _phrases(
        [
            (
                r"(?:do|does|did|will|would|should|could|is|are|was|were|has|have|had|must) not|cannot|"
                r"(?:we|you|they|i) (?:are|am|have|will|would)|(?:it|that|there) (?:is|will)",
                1.0,
            )
        ]
    )


#: The characters an ASCII letter matches ignoring case, besides its two cases (Python's regex engine).
_CASE_EXTRAS = {"i": "\u0130\u0131", "s": "\u017f", "k": "\u212a"}


def _case_class(ch: str) -> set[str]:
    """What a printable ASCII character matches ignoring case (:data:`_CASE_EXTRAS`)."""
    return {ch, ch.lower(), ch.upper(), *_CASE_EXTRAS.get(ch.lower(), "")}


@lru_cache(maxsize=256)
def _own_phrase(phrase: str) -> re.Pattern[str]:
    """A brand's jargon phrase as a whole-word pattern ignoring case: ``(?<!\\w)phrase(?!\\w)``. When the phrase
    opens with a printable ASCII character, that character is matched first by the explicit class of what it
    matches ignoring case (:data:`_CASE_EXTRAS`) and the look-behind follows it: the same matches, but the
    engine skips to that character in C instead of trying the pattern at every character of the text."""
    first = phrase[:1]
    if not (first.isascii() and first.isprintable() and not first.isspace()):
        return re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)", re.IGNORECASE)
    lead = "".join(re.escape(c) for c in sorted(_case_class(first)))
    return re.compile(rf"(?-i:[{lead}])(?<!\w.){re.escape(phrase[1:])}(?!\w)", re.IGNORECASE)


_JARGON_WORDS = frozenset(p for p in lx.JARGON if " " not in p)
_BE = frozenset(("am", "is", "are", "was", "were", "be", "been", "being", "get", "gets", "got", "getting"))
_CONTRACTION_TAIL = re.compile(r"['’](?:s|re|ve|ll|d|m|t)$|n['’]t$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _pyphen() -> Any:
    import pyphen

    return pyphen.Pyphen(lang="en_US")


@lru_cache(maxsize=65536)
def syllables(word: str) -> int:
    """Syllables of one word: pyphen hyphenation points + 1 (textstat's fallback method), at least 1."""
    w = word.lower().replace("’", "'")
    if not w:
        return 0
    if w.isdigit():
        return max(1, len(w) // 2)
    if len(w) > _LONGEST_WORD:  # no English word is this long; hyphenating it would cost more than the text
        return max(1, len(w) // 3)
    return len(_pyphen().positions(w)) + 1


@lru_cache(maxsize=1)
def _vader() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    analyzer.lexicon.update(lx.SENTIMENT_VALENCE)
    return analyzer


_VOCAB_WORD = re.compile(r"[a-z]{2,}(?:'[a-z]+)?")


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(value, (tuple, list, frozenset, set)):
        for v in value:
            yield from _strings(v)


@lru_cache(maxsize=1)
def known_words() -> frozenset[str]:
    """The words the tone profile's lists and VADER know. A word in leetspeak is read as letters, and a short
    run of spaced letters joined, only when the result is one of them ("0nly", "fr33", "n o w"), so "4pm",
    "3rd" and texting's "u r a" stay as they are."""
    words: set[str] = set()
    for name in lx.__all__:
        for text in _strings(getattr(lx, name)):
            words.update(_VOCAB_WORD.findall(text.lower()))
    words.update(w for w in _vader().lexicon if w.isalpha() and len(w) >= 2)
    return frozenset(words)


def read_as_meant(prose: str, brand: _BrandKey = ()) -> tuple[str, tuple[int, ...] | None]:
    """``prose`` as the tone profile and the voice model read it (:func:`brandrail.text.reader.as_meant`):
    invisible characters, look-alike letters, leetspeak and spaced letters undone (the words of the brand's
    own phrases count as known words too); with the index in ``prose`` of each character unless nothing
    changed."""
    return as_meant(prose, _vocabulary(brand))


@lru_cache(maxsize=64)
def _vocabulary(brand: _BrandKey) -> frozenset[str]:
    if not brand:
        return known_words()
    own = {
        w for _dim, up, down in brand for phrase in (*up, *down) for w in _VOCAB_WORD.findall(phrase.lower())
    }
    return known_words() | own


def _for_vader(piece: str) -> str:
    """A sentence piece as VADER reads it: a smile or a frown for each emoji it can read, no other emoji."""
    if piece.isascii():
        return piece
    out = []
    for ch in piece:
        if ch in lx.POSITIVE_EMOJI:
            out.append(" :) ")
        elif ch in lx.NEGATIVE_EMOJI:
            out.append(" :( ")
        elif _EMOJI.match(ch) or ch == "\ufe0f":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Driver:
    """A word or phrase that moved a dimension: prose offsets ``[start, end)``, its text and direction."""

    start: int
    end: int
    text: str
    direction: int  # +1 raises the value, -1 lowers it

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "direction": self.direction}


@dataclass
class ToneProfile:
    """Every tone dimension of one text, with counts and the words that drove each dimension.

    ``values`` maps each of :data:`DIMENSIONS` to a float; ``drivers`` maps a dimension to the words that
    raised (+1) or lowered (-1) it, in prose offsets; ``pov`` is the dominant point of view
    (``we``/``you``/``i``/``they``/``none``).
    """

    values: dict[str, float]
    words: int
    sentences: int
    pov: str
    drivers: dict[str, list[Driver]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    #: The interpretable features the learned tone model combines (name → value, see docs/voice.md).
    features: dict[str, float] = field(default_factory=dict)
    #: Per rated dimension, the features that moved it most and by how much (in rating points, 1–5 scale).
    explain: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    #: The tier of the tone model that computed the six rated dimensions (``core`` or ``embedding``).
    model: str = "core"

    def reliable(self, dimension: str) -> bool:
        """Whether the text is long enough for ``dimension`` to mean much (see :data:`MIN_WORDS`)."""
        return self.words >= MIN_WORDS.get(dimension, 1)

    def vector(self, learned: Mapping[str, float] | None = None) -> list[float]:
        """The values as a feature vector (scaled to roughly 0–1) for the voice classifier; ``learned``, when
        given, replaces the rated dimensions (BR502 passes its own frozen tone view's values)."""
        v = self.values if learned is None else {**self.values, **learned}
        return [
            v["formality"],
            (v["sentiment"] + 1) / 2,
            v["warmth"],
            v["urgency"],
            v["excitement"],
            min(v["reading_grade"], 20.0) / 20,
            v["person_we"],
            v["person_you"],
            v["person_i"],
            v["person_they"],
            min(v["sentence_length"], 60.0) / 60,
            v["passive"],
            min(v["jargon"] * 5, 1.0),
        ]

    def to_dict(self, *, drivers: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "values": {k: round(self.values[k], 4) for k in DIMENSIONS},
            "pov": self.pov,
            "words": self.words,
            "sentences": self.sentences,
            "counts": dict(self.counts),
            "unreliable": [d for d in DIMENSIONS if not self.reliable(d)],
        }
        out["model"] = {
            "name": self.model,
            "version": load_model(self.model).version,
            "explain": {
                dim: [{"feature": name, "contribution": c} for name, c in terms]
                for dim, terms in self.explain.items()
            },
        }
        if drivers:
            out["drivers"] = {k: [d.to_dict() for d in v] for k, v in self.drivers.items() if v}
        return out


def _sentence_spans(prose: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENT_END.finditer(prose):
        spans.append((start, m.end()))
        start = m.end()
    if start < len(prose):
        spans.append((start, len(prose)))
    return spans


_URGENCY_NEGATED = re.compile(lx.URGENCY_NEGATIONS, re.IGNORECASE)

#: Letters the regex engine, ignoring case, also matches with a character that lower-cases to something else
#: ("ı" for "i", "ſ" for "s"): a literal holding one is not looked for in lower-cased text.
_LOOSE_FOLDS = frozenset("is")


@lru_cache(maxsize=8)
def _needed_text(rx: re.Pattern[str]) -> tuple[str, ...] | None:
    """Strings one of which the lower-cased text of every match of ``rx`` holds, or None when the pattern is
    beyond this analysis. Each match opens with literal text (after zero-width assertions), or with one of
    the alternatives of a group that does: of each such text the longest piece made of ASCII characters
    other than :data:`_LOOSE_FOLDS`, lower-cased. A window without any of them cannot hold a match, so the
    pattern need not be tried there."""
    items = _parse(rx.pattern)
    if items is None:
        return None
    texts = _opening_texts(list(items), "")
    if texts is None:
        return None
    out = set()
    for text in texts:
        pieces = re.split("[^\\x00-\\x7f]|[" + "".join(sorted(_LOOSE_FOLDS)) + "]", text.lower())
        best = max(pieces, key=len)
        if not best:
            return None  # an alternative with nothing to look for
        out.add(best)
    # a string that holds another adds nothing ("not" holds "no")
    return tuple(sorted(w for w in out if not any(v != w and v in w for v in out)))


def _opening_texts(items: list[Any], head: str) -> list[str] | None:
    """The literal texts the parsed sequence ``items`` can open with, each after ``head`` (one per
    alternative of a leading group), or None when an alternative opens with something else."""
    text = head
    for k, (op, av) in enumerate(items):
        name = str(op)
        if name == "AT":
            continue
        if name == "LITERAL":
            text += chr(av)
            continue
        if name == "SUBPATTERN" and not (av[1] or av[2]) and not text:
            return _opening_texts([*av[3], *items[k + 1 :]], text)
        if name == "BRANCH" and not text:
            out: list[str] = []
            for alt in av[1]:
                got = _opening_texts(list(alt), text)
                if got is None:
                    return None
                out.extend(got)
            return out
        break
    return [text] if text else None


class _PhraseStarts:
    """Where a phrase of a word list can start in one lower-cased text other than after a space: the start
    of the text and the ends of a list's ``after_other`` pattern, found once per pattern for the lists that
    share it; None where there are more than one per :data:`_SPARSE_STARTS` characters (trying the list
    there would cost more than its plain scanner). Lives for one profile: nothing is kept between texts."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._found: dict[re.Pattern[str], list[int] | None] = {}

    def others(self, after_other: re.Pattern[str]) -> list[int] | None:
        if after_other in self._found:
            return self._found[after_other]
        limit = len(self._text) // _SPARSE_STARTS + 1
        ends = [0, *(m.end() for m in islice(after_other.finditer(self._text), limit))]
        found = ends if len(ends) <= limit else None
        self._found[after_other] = found
        return found


#: See :class:`_PhraseStarts`.
_SPARSE_STARTS = 32


def _match_patterns(
    prose: str,
    patterns: _Phrases,
    lowered: str | None,
    direction: int = 1,
    negation: re.Pattern[str] | None = None,
    strong: list[float] | None = None,
    once_per_sentence: tuple[float, Sequence[int]] | None = None,
    starts: _PhraseStarts | None = None,
) -> tuple[float, list[Driver]]:
    """The summed weight of every match and the matches as drivers (the first :data:`_KEEP`).

    ``starts``, for ``lowered``, shares between the lists where a phrase can start other than after a space.

    ``strong``, when given, is a one-element accumulator that also receives the weight of the matches that
    weigh at least :data:`_STRONG` (the hard cues of a list, kept apart as a feature of the learned model).
    ``once_per_sentence`` is ``(weight, sentence starts)``: matches of at most that weight count once per
    sentence (the rest are still drivers), so the words of one calm deadline ("Reminder: your card
    expires next month") are not added up as if they were separate pushes.
    """
    lower_rx, any_case_rx, weights, scanner, after_space, after_other = patterns
    weight = 0.0
    counted_sentence = -1
    found: list[Driver] = []
    others = starts.others(after_other) if starts is not None and after_other is not None else None
    needed = _needed_text(negation) if negation is not None else None
    if lowered is None:
        matches: Iterable[re.Match[str]] = any_case_rx.finditer(prose)
    elif scanner is None:
        matches = lower_rx.finditer(lowered)
    elif after_space is not None and others is not None:
        matches = finditer_after_space(lower_rx, lowered, after_space, others)
    else:
        matches = finditer_from(lower_rx, lowered, scanner)
    for m in matches:
        a, b = m.span()
        if negation is not None:
            lo = max(a - 40, 0)
            # the negation is looked for only in a window holding one of its words (a megabyte of pressure
            # cues holds tens of thousands of windows)
            window = lowered[lo:a] if lowered is not None else prose[lo:a].lower()
            if (needed is None or any(w in window for w in needed)) and negation.search(prose, lo, a):
                continue
        w = weights[m.lastgroup or ""]
        if once_per_sentence is not None and w <= once_per_sentence[0]:
            sentence = bisect_right(once_per_sentence[1], a)
            if sentence == counted_sentence:
                w = 0.0
            counted_sentence = sentence
        weight += w
        if strong is not None and w >= _STRONG:
            strong[0] += w
        if len(found) < _KEEP:
            found.append(Driver(a, b, prose[a:b], direction))
    return weight, found


def profile_text(
    text: str,
    *,
    jargon: Iterable[str] = (),
    words: Mapping[str, BrandWords] | None = None,
    tone_model: str = "core",
) -> ToneProfile:
    """The tone profile of plain text (for Markdown/HTML use :func:`profile_document`).

    ``words`` extends the built-in word lists per dimension (see :data:`WORD_DIMENSIONS`): a mapping from a
    dimension to ``(phrases that raise it, phrases that lower it)``, as a brand's policy gives them.
    ``tone_model`` is the tier of the learned model behind the six rated dimensions: ``core`` (pure Python,
    the default) or ``embedding`` (adds the packaged sentence embedding; needs the ``[voice]`` extra and
    raises :class:`~brandrail.voice.embed.VoiceUnavailable` without it).
    """
    return _profile(text, frozenset(j.lower() for j in jargon), _brand_key(words), check_tier(tone_model))


def profile_document(
    doc: Any,
    *,
    jargon: Iterable[str] = (),
    words: Mapping[str, BrandWords] | None = None,
    tone_model: str = "core",
) -> ToneProfile:
    """The tone profile of a Document's visible prose (driver offsets are prose offsets)."""
    return _profile(
        doc.prose, frozenset(j.lower() for j in jargon), _brand_key(words), check_tier(tone_model)
    )


def _embed(prose: str) -> list[float]:
    """The packaged sentence embedding of the prose (its first 128 tokens), for the ``embedding`` tier."""
    from brandrail.voice.embed import get_numpy_embedder

    return [float(x) for x in get_numpy_embedder().embed([prose])[0]]


_BrandKey = tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]


def _brand_key(words: Mapping[str, BrandWords] | None) -> _BrandKey:
    if not words:
        return ()
    out = []
    for dim in sorted(words):
        if dim not in WORD_DIMENSIONS:
            raise ValueError(f"unknown tone dimension {dim!r} for words; known: {', '.join(WORD_DIMENSIONS)}")
        up, down = words[dim]
        out.append((dim, tuple(up), tuple(down)))
    return tuple(out)


@lru_cache(maxsize=64)
def _brand_patterns(key: _BrandKey) -> dict[str, tuple[_Phrases | None, _Phrases | None]]:
    """The brand's phrases per dimension, compiled once: (raising, lowering), each weighing 1."""

    def compile_(phrases: tuple[str, ...]) -> _Phrases | None:
        cleaned = sorted({" ".join(p.lower().split()) for p in phrases if p.strip()}, key=len, reverse=True)
        if not cleaned:
            return None
        # any first character: a brand's phrase may start with a symbol ("#LastChance", "£5 off")
        return _phrases([(r"\s+".join(re.escape(w) for w in p.split()), 1.0) for p in cleaned], first=".")

    return {dim: (compile_(up), compile_(down)) for dim, up, down in key}


def _level(evidence: float, words: int, scale: float) -> float:
    """Weighted cue evidence mapped to 0–1: ``1 − exp(−evidence · d / scale)``, ``d = min(1, √(25 / words))``.

    A cue counts in full in a message of up to 25 words, so one word cannot saturate a short message (one
    strong cue gives ``1 − e^(−1/scale)``); in longer texts the same cue counts less, by the square root of
    the length, so a single mention in a long e-mail is a mild signal while the same density of cues
    throughout a long text still reads as high.
    """
    if evidence <= 0:
        return 0.0
    damp = min(1.0, math.sqrt(_REF_WORDS / max(words, 1)))
    return 1.0 - math.exp(-evidence * damp / scale)


#: A run of more characters than :data:`_CHUNK_GAP` that no word holds (every character between two words is one
#: of these, so a run ends where the word after a gap of more than :data:`_CHUNK_GAP` characters starts).
_GAP_RUN = re.compile(rf"[^A-Za-z0-9À-ÖØ-öø-ÿ]{{{_CHUNK_GAP + 1},}}")


def _chunks(
    prose: str,
    tokens: list[tuple[int, int, str]],
    sent_spans: list[tuple[int, int]],
    token_starts: list[int] | None = None,
) -> list[tuple[int, int, int]]:
    """Sentence pieces for sentiment, ``(start, end, words)``: each sentence, cut after
    :data:`_CHUNK_WORDS` words or where a gap of :data:`_CHUNK_GAP` characters without words stands (a long
    run of emoji or symbols), so scoring stays linear in the length of the text. Each sentence's words are
    found by bisection and the gaps by one scan (:data:`_GAP_RUN`), so the work is per piece, not per word."""
    if token_starts is None:
        token_starts = [t[0] for t in tokens]
    gaps = [bisect_left(token_starts, m.end()) for m in _GAP_RUN.finditer(prose)]  # the word after each gap
    n_gaps = len(gaps)
    out: list[tuple[int, int, int]] = []
    gi = 0
    for s_start, s_end in sent_spans:
        lo = bisect_left(token_starts, s_start)
        hi = bisect_left(token_starts, s_end, lo)
        if hi <= lo:
            continue
        while gi < n_gaps and gaps[gi] <= lo:
            gi += 1
        first = lo
        cuts = []  # the words before which a piece ends, in order
        while gi < n_gaps and gaps[gi] < hi:
            g = gaps[gi]
            gi += 1
            while g - first > _CHUNK_WORDS:
                first += _CHUNK_WORDS
                cuts.append(first)
            cuts.append(g)
            first = g
        while hi - first > _CHUNK_WORDS:
            first += _CHUNK_WORDS
            cuts.append(first)
        first = lo
        for cut in cuts:
            start = tokens[first][0]
            out.append(
                (
                    start,
                    min(tokens[cut - 1][1] + _CHUNK_TAIL, tokens[cut][0], start + _CHUNK_CHARS),
                    cut - first,
                )
            )
            first = cut
        start = tokens[first][0]
        out.append((start, min(tokens[hi - 1][1] + _CHUNK_TAIL, s_end, start + _CHUNK_CHARS), hi - first))
    return out


def _profile(
    prose: str, extra_jargon: frozenset[str], brand: _BrandKey, tone_model: str = "core"
) -> ToneProfile:
    """The profile of ``prose`` as a reader takes it in (:func:`read_as_meant`): invisible characters inside
    words, look-alike letters, leetspeak and spaced letters do not hide a word from the lists ("H\\u200burry",
    "ｈｕｒｒｙ", "n0w", "L A S T  C H A N C E"); BR901 and BR902 report the first two disguises themselves.
    Drivers point at the original characters."""
    seen, index = read_as_meant(prose, brand)
    profile = _profile_read(seen, extra_jargon, brand, tone_model)
    if index is None:
        return profile
    for dim, found in profile.drivers.items():
        moved = []
        for d in found:
            # a driver's text may be its span stripped: keep the original characters of the text itself
            k = seen.find(d.text, d.start, d.end) if d.text else -1
            if k >= 0:
                start, end = index[k], index[k + len(d.text) - 1] + 1
            else:
                start = index[d.start] if d.start < len(index) else len(prose)
                end = index[d.end - 1] + 1 if d.end > d.start else start
            moved.append(Driver(start, end, prose[start:end], d.direction))
        profile.drivers[dim] = moved
    return profile


def _profile_read(
    prose: str, extra_jargon: frozenset[str], brand: _BrandKey, tone_model: str = "core"
) -> ToneProfile:
    tokens = [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(prose)]
    low = prose.lower()
    lowered = low if len(low) == len(prose) else None
    phrase_starts = _PhraseStarts(lowered) if lowered is not None else None
    lowers = [t[2].lower().replace("’", "'") for t in tokens]
    n = len(tokens)
    drivers: dict[str, list[Driver]] = {d: [] for d in DIMENSIONS}
    brand_rx = _brand_patterns(brand) if brand else {}

    def brand_cues(dim: str) -> tuple[float, float]:
        up_rx, down_rx = brand_rx.get(dim, (None, None))
        up = down = 0.0
        if up_rx is not None:
            up, found = _match_patterns(prose, up_rx, lowered, starts=phrase_starts)
            drivers[dim].extend(found)
        if down_rx is not None:
            down, found = _match_patterns(prose, down_rx, lowered, -1, starts=phrase_starts)
            drivers[dim].extend(found)
        return up, down

    # -- sentences -------------------------------------------------------------------------------------
    # words per sentence from the one tokenisation (no word straddles a sentence end: an end is a newline or
    # punctuation followed by white space), so the text is not tokenised again per sentence
    all_spans = _sentence_spans(prose)
    token_starts = [t[0] for t in tokens]
    span_words: list[int] = []  # the words of each span: those starting before its end (and after the last's)
    sent_of: list[int] = []  # the sentence (index among those with words) of each word
    k = -1
    lo = 0
    for _a, end in all_spans:
        hi = bisect_left(token_starts, end, lo)
        span_words.append(hi - lo)
        if hi > lo:
            k += 1
            if hi - lo == 1:
                sent_of.append(k)
            else:
                sent_of.extend([k] * (hi - lo))
        lo = hi
    sent_spans = [s for s, c in zip(all_spans, span_words, strict=True) if c]
    words_in = [c for c in span_words if c]  # the words of each sentence in sent_spans
    n_sent = max(len(sent_spans), 1) if n else 0
    sentence_length = n / n_sent if n_sent else 0.0
    if sent_spans:
        longest = all_spans[span_words.index(max(span_words))]
        drivers["sentence_length"].append(
            Driver(longest[0], longest[1], prose[longest[0] : longest[1]].strip(), 1)
        )

    # -- word classes (Heylighen & Dewaele F-score, lexical estimate) ----------------------------------
    classes = [0] * 8  # article, preposition, pronoun, verb, adverb, interjection, noun, adjective
    person = dict.fromkeys(lx.PERSON, 0)
    contractions = 0
    casual_words = 0
    prev_noun_context = False
    vader = _vader()
    hype: list[tuple[int, int, str]] = []
    caps: list[tuple[int, int, str]] = []
    info_of = _WORD_INFO
    formality_drivers = drivers["formality"]
    sentiment_drivers = drivers["sentiment"]
    person_drivers = {who: drivers[f"person_{who}"] for who in person}
    noun = _NOUN
    for (a, b, raw), w in zip(tokens, lowers, strict=True):
        info = info_of.get(w)
        if info is None:
            info = _word_info(w)
        cls = info[0]
        if cls >= 0:
            classes[cls] += 1
        elif prev_noun_context or (
            raw[:1].isupper() and a > 0 and prose[max(a - 2, 0) : a].strip() not in (".", "!", "?", "")
        ):
            classes[noun] += 1  # after an article, preposition or possessive, or a proper noun mid-sentence
        else:
            classes[-cls - 1] += 1  # the word's own guess: -ed/-ing a verb, a number an adjective
        if info[7]:  # the word leaves evidence (most words do not)
            _cls, contracted, casual, who, valence, is_hype, _ctx, _any = info
            if contracted:
                classes[_VERB if cls == _PRON else _ADV] += (
                    1  # "we're": pronoun + verb, "don't": verb + adverb
                )
                contractions += 1
                formality_drivers.append(Driver(a, b, raw, -1))
            if casual and (casual == 1 or raw.islower()):
                casual_words += 1
                formality_drivers.append(Driver(a, b, raw, -1))
            if who is not None:
                person[who] += 1
                person_drivers[who].append(Driver(a, b, raw, 1))
            if valence:
                sentiment_drivers.append(Driver(a, b, raw, valence))
            if is_hype:
                hype.append((a, b, raw))
        if (
            len(raw) >= 3
            and raw.isupper()
            and raw.isalpha()
            and w not in lx.ACRONYMS
            and w not in lx.LAUGHTER_WORDS
            and not _VOWELS.isdisjoint(w)
        ):
            caps.append((a, b, raw))
        prev_noun_context = info[6]
    art, prep, pron, verb, adv, interj, noun, adj = classes
    total_person = sum(person.values())
    person_share = {k: (v / total_person if total_person else 0.0) for k, v in person.items()}
    pov = max(person, key=lambda k: person[k]) if total_person else "none"

    # -- sentiment: VADER compound per sentence piece, averaged by words --------------------------------
    pieces = _chunks(prose, tokens, sent_spans, token_starts) if n else []
    if len(pieces) > _MAX_SENTIMENT_PIECES:  # a very long text: an evenly spaced sample of its sentences
        step = len(pieces) / _MAX_SENTIMENT_PIECES
        pieces = [pieces[int(i * step)] for i in range(_MAX_SENTIMENT_PIECES)]
    weighted = 0.0
    for a, b, count in pieces:
        compound = float(vader.polarity_scores(_for_vader(prose[a:b]))["compound"])
        weighted += count * compound
    scored = sum(count for _a, _b, count in pieces)
    vader_mean = weighted / scored if scored else 0.0

    # -- emphasis marks (shared by excitement, urgency and formality) ----------------------------------
    bangs: list[tuple[int, int, float]] = []  # the first _KEEP runs, for drivers
    n_bangs = 0
    bang_weight = 0.0
    for m in _BANGS.finditer(prose):
        run = m.group(0).count("!")
        n_bangs += 1
        bang_weight += 1.0 + 0.5 * min(run - 1, 2)
        if len(bangs) < _KEEP:
            bangs.append((m.start(), m.end(), 1.0 + 0.5 * min(run - 1, 2)))
    all_caps_text = n >= 4 and len(caps) >= 0.8 * n
    n_emoji = len(_EMOJI.findall(prose))
    emoji = [(m.start(), m.end()) for m in islice(_EMOJI.finditer(prose), _KEEP)]

    # -- urgency and pressure -------------------------------------------------------------------------
    warm_rx, urgency_rx, cold_rx, formal_rx, humour_rx = _lexicon_patterns()
    urg_strong = [0.0]
    urg_weight, drivers["urgency"] = _match_patterns(
        prose,
        urgency_rx,
        lowered,
        negation=_URGENCY_NEGATED,
        strong=urg_strong,
        once_per_sentence=(_CALM_DEADLINE, [a for a, _b in sent_spans]),
        starts=phrase_starts,
    )
    up, down = brand_cues("urgency")
    urg_weight += up - down
    urg_strong[0] = max(urg_strong[0] + up - down, 0.0)
    n_time_words = 0
    if urg_weight > 0.3:
        # time words, capitals on a cue and exclamation marks amplify real pressure, never create it
        cue_spans = sorted((d.start, d.end) for d in drivers["urgency"] if d.direction > 0)
        cue_starts = [x for x, _ in cue_spans]
        _, time_words = _match_patterns(
            prose, _time_words(), lowered, negation=_URGENCY_NEGATED, starts=phrase_starts
        )
        for d in time_words:
            k = bisect_right(cue_starts, d.start) - 1
            if (k < 0 or d.start >= cue_spans[k][1]) and urg_weight < 6:
                urg_weight += 0.12
                n_time_words += 1
                drivers["urgency"].append(d)
        drivers["urgency"].sort(key=lambda d: d.start)
        shouted = 0
        for a, _b, _raw in caps:
            k = bisect_right(cue_starts, a) - 1
            if k >= 0 and a < cue_spans[k][1]:
                shouted += 1
                if shouted >= 4:
                    break
        urg_weight += min(0.25 * shouted + 0.15 * n_bangs, 0.8)
    urgency = _level(urg_weight, n, 1.6)

    # -- excitement -----------------------------------------------------------------------------------
    # exclamation runs 1 (+0.5 per extra "!", up to 2), capitals 0.7 each (a text typed in capitals throughout
    # is partly a habit: 0.25 each, 1.2 at most), hype words 0.8, stretched words 0.8, emoji 0.5
    caps_weight = min(0.25 * len(caps), 1.2) if all_caps_text else 0.7 * len(caps)
    # a laughing face is humour, not hype (lx.LAUGHTER_EMOJI)
    n_laughs = sum(prose.count(e) for e in lx.LAUGHTER_EMOJI) if n_emoji else 0
    exc = bang_weight + caps_weight + 0.8 * len(hype) + 0.5 * (n_emoji - n_laughs)
    for a, b, _weight in bangs:
        drivers["excitement"].append(Driver(a, b, prose[a:b], 1))
    for a, b, raw in caps[:_KEEP]:
        drivers["excitement"].append(Driver(a, b, raw, 1))
    for a, b, raw in hype[:_KEEP]:
        drivers["excitement"].append(Driver(a, b, raw, 1))
    last_word = -1
    stretched = 0
    for m in _ELONGATED.finditer(prose):  # stretched words ("soooo"), each word once
        k = bisect_right(token_starts, m.start()) - 1
        if k < 0 or k == last_word or m.start() >= tokens[k][1] or lowers[k] in lx.EXCITEMENT_WORDS:
            continue
        last_word = k
        stretched += 1
        exc += 0.8
        if len(drivers["excitement"]) < 4 * _KEEP:
            drivers["excitement"].append(Driver(tokens[k][0], tokens[k][1], tokens[k][2], 1))
    for a, b in emoji:
        if prose[a:b] not in lx.LAUGHTER_EMOJI:
            drivers["excitement"].append(Driver(a, b, prose[a:b], 1))
    up, down = brand_cues("excitement")
    excitement = _level(max(exc + up - down, 0.0), n, 2.5)
    drivers["excitement"].sort(key=lambda d: d.start)

    # -- warmth and empathy ---------------------------------------------------------------------------
    empathy = [0.0]
    warm_weight, warm_drivers = _match_patterns(prose, warm_rx, lowered, strong=empathy, starts=phrase_starts)
    cold_weight, cold_drivers = _match_patterns(prose, cold_rx, lowered, -1, starts=phrase_starts)
    drivers["warmth"] = warm_drivers + cold_drivers
    greeting = _GREETING_NAME.match(prose) is not None
    if greeting:
        warm_weight += 0.3
    up, down = brand_cues("warmth")
    warm_weight += up
    cold_weight += down
    warmth = _NEUTRAL_WARMTH + (1 - _NEUTRAL_WARMTH) * _level(warm_weight, n, 1.8)
    warmth -= warmth * _level(cold_weight, n, 1.0)
    drivers["warmth"].sort(key=lambda d: d.start)

    # -- sentiment: VADER blended with good- and bad-news cues and coldness ---------------------------
    good_rx, bad_rx = _news_patterns()
    good, good_drivers = _match_patterns(prose, good_rx, lowered, starts=phrase_starts)
    bad, bad_drivers = _match_patterns(
        prose, bad_rx, lowered, -1, negation=_URGENCY_NEGATED, starts=phrase_starts
    )
    drivers["sentiment"] = sorted(
        drivers["sentiment"] + good_drivers + bad_drivers, key=lambda d: (d.start, -d.direction)
    )
    news = _level(good, n, 1.5) - _level(bad, n, 1.5)
    sentiment = 0.55 * vader_mean + 0.45 * news - 0.5 * _level(cold_weight, n, 1.0) if n else 0.0
    sentiment = min(max(sentiment, -1.0), 1.0)

    # -- humour and playfulness -----------------------------------------------------------------------
    fun_weight, drivers["humour"] = _match_patterns(prose, humour_rx, lowered, starts=phrase_starts)
    up, down = brand_cues("humour")
    fun_cues = max(fun_weight + up - down, 0.0)
    fun_weight += 0.15 * casual_words
    humour = _level(max(fun_weight + up - down, 0.0), n, 1.6)
    drivers["humour"].sort(key=lambda d: d.start)

    # -- readability (textstat's formulas over our counts) --------------------------------------------
    syl_of = {w: syllables(w) for w in set(lowers)}  # each distinct word once: a text repeats its words
    syl = list(map(syl_of.__getitem__, lowers))
    n_syl = sum(syl)
    long_words = [t for t, s in zip(tokens, syl, strict=True) if s >= 3]
    poly = len(long_words)
    every_letter = "".join(lowers)  # apostrophes and hyphens are not letters
    letters = len(every_letter) - every_letter.count("'") - every_letter.count("-")
    if n and n_sent:
        wps = n / n_sent
        spw = n_syl / n
        fk = 0.39 * wps + 11.8 * spw - 15.59
        fog = 0.4 * (wps + 100.0 * poly / n)
        smog = 1.043 * math.sqrt(30.0 * poly / n_sent) + 3.1291
        cli = 0.058 * (100.0 * letters / n) - 0.296 * (100.0 * n_sent / n) - 15.8
        ari = 4.71 * (letters / n) + 0.5 * wps - 21.43
        grade = max(sorted((fk, fog, smog, cli, ari))[2], 0.0)  # the median of five
    else:
        fk = fog = smog = cli = ari = grade = 0.0
    drivers["reading_grade"].extend(Driver(a, b, raw, 1) for a, b, raw in long_words)

    # -- passive voice --------------------------------------------------------------------------------
    passive_sentences = 0
    flagged: set[int] = set()
    for i in [i for i, w in enumerate(lowers) if w in _BE]:
        if sent_of[i] in flagged:
            continue
        k = i + 1
        if k < n and (lowers[k] in lx.ADVERBS or lowers[k].endswith("ly")):
            k += 1
        if k < n and sent_of[k] == sent_of[i]:
            cand = lowers[k]
            if (cand.endswith("ed") and len(cand) > 3) or cand in lx.IRREGULAR_PARTICIPLES:
                flagged.add(sent_of[i])
                passive_sentences += 1
                drivers["passive"].append(
                    Driver(tokens[i][0], tokens[k][1], prose[tokens[i][0] : tokens[k][1]], 1)
                )
    passive = passive_sentences / n_sent if n_sent else 0.0

    # -- jargon ---------------------------------------------------------------------------------------
    jargon_words = 0
    phrase_spans: list[tuple[int, int]] = []
    jargon_rx, jargon_starts = _jargon_phrases()
    for m in finditer_from(jargon_rx, prose, jargon_starts):
        phrase_spans.append(m.span())
        jargon_words += len(_WORD.findall(m.group(0)))
        drivers["jargon"].append(Driver(m.start(), m.end(), m.group(0), 1))
    phrase_spans.sort()
    starts = [x for x, _ in phrase_spans]
    listed = _JARGON_WORDS | extra_jargon if extra_jargon else _JARGON_WORDS
    for i in [i for i, w in enumerate(lowers) if w in listed]:
        a, b, raw = tokens[i]
        k = bisect_right(starts, a) - 1
        if k >= 0 and phrase_spans[k][0] <= a < phrase_spans[k][1]:
            continue
        jargon_words += 1
        drivers["jargon"].append(Driver(a, b, raw, 1))
    if extra_jargon:
        for phrase in (j for j in extra_jargon if " " in j):
            for m in _own_phrase(phrase).finditer(prose):
                jargon_words += len(_WORD.findall(m.group(0)))
                drivers["jargon"].append(Driver(m.start(), m.end(), m.group(0), 1))
    drivers["jargon"].sort(key=lambda d: d.start)
    jargon_share = min(jargon_words / n, 1.0) if n else 0.0

    # -- formality: register markers, uncontracted forms and the lexical F-score, shrunk on short texts ---
    formal_weight, formal_drivers = _match_patterns(prose, formal_rx, lowered, starts=phrase_starts)
    full_forms, full_drivers = _match_patterns(prose, _full_forms(), lowered, starts=phrase_starts)
    up, down = brand_cues("formality")
    down_formal = down
    drivers["formality"].extend(formal_drivers + full_drivers)
    if n:
        f_lex = ((noun + adj + prep + art) - (pron + verb + adv + interj) + n) / (2.0 * n)
        word_len = letters / n
        shrink = n / (n + 12.0)  # word-class shares mean little in a few words
        casual_marks = (
            1.0 * casual_words
            + 0.35 * contractions
            + 0.5 * n_bangs
            + 0.4 * min(n_emoji, 6)
            + 0.4 * min(len(caps), 6)
            + (1.0 if n >= 3 and low == prose else 0.0)  # all in lower case
        )
        formal_marks = formal_weight + 0.3 * full_forms + 0.3 * passive_sentences + up
        z = (
            -0.35
            + shrink * (2.0 * (f_lex - 0.5) + 0.35 * (min(word_len, 7.0) - 4.7))
            + 1.6 * math.log1p(formal_marks * _damp(n))
            - 1.6 * math.log1p((casual_marks + down) * _damp(n))
        )
        formality = 1.0 / (1.0 + math.exp(-z))
    else:
        f_lex = 0.5
        formality = 0.5
        word_len = shrink = casual_marks = formal_marks = 0.0
    drivers["formality"].sort(key=lambda d: d.start)

    fragments = sum(1 for c in words_in if 0 < c <= 3)
    per = float(max(n_sent, 1))
    # -- the interpretable features of the learned tone model (brandrail/voice/tone_model.py) ------------
    features = {
        # the hand-built measures above, each already robust to length
        "rule_formality": formality,
        "rule_urgency": urgency,
        "rule_warmth": warmth,
        "rule_excitement": excitement,
        "rule_sentiment": sentiment,
        "rule_humour": humour,
        # cue evidence, each counted and damped by length like the measures (see _level)
        "pressure_strong": _level(urg_strong[0], n, 1.5),
        "pressure_all": _level(max(urg_weight, 0.0), n, 1.5),
        "time_words": _level(n_time_words, n, 1.0),
        "empathy": _level(empathy[0], n, 1.5),
        "warm_cues": _level(warm_weight, n, 1.8),
        "cold_cues": _level(cold_weight, n, 1.0),
        "greeting_name": 1.0 if greeting else 0.0,
        "exclamations": _level(bang_weight, n, 1.5),
        "capitals": _level(caps_weight, n, 1.0),
        "hype_words": _level(len(hype), n, 1.0),
        "emoji": _level(n_emoji, n, 2.0),
        "stretched": _level(stretched, n, 1.0),
        "questions": _level(prose.count("?"), n, 1.0),
        # short punchy sentences ("Twice." "It waved.") among others: the rhythm of a deadpan joke
        "fragments": _level(fragments, n, 1.0) if len(sent_spans) >= 2 else 0.0,
        "humour_cues": _level(fun_cues, n, 1.6),
        "casual_words": _level(casual_words, n, 1.0),
        "contractions": _level(contractions, n, 1.5),
        "casual_marks": _level(casual_marks + down_formal, n, 2.0),
        "formal_markers": _level(formal_marks, n, 1.5),
        "full_forms": _level(full_forms, n, 1.0),
        "lower_case": 1.0 if n >= 3 and low == prose else 0.0,
        "word_classes": shrink * 2.0 * (f_lex - 0.5),
        "word_length": shrink * (min(word_len, 7.0) - 4.7) / 2.3,
        "vader": vader_mean,
        "good_news": _level(good, n, 1.5),
        "bad_news": _level(bad, n, 1.5),
        "you": person_share["you"],
        "we": person_share["we"],
        "passive": passive,
        "jargon": min(jargon_share * 5, 1.0),
        "reading_grade": min(grade, 20.0) / 20,
        "sentence_length": min(sentence_length, 40.0) / 40,
        "length": min(math.log1p(n) / math.log(201.0), 1.0),
        # the same cues per sentence (capped at 2): unchanged when a text is repeated, for sentiment, which
        # is a mean over the sentences of a text
        "good_news_rate": min(good / per, 2.0),
        "bad_news_rate": min(bad / per, 2.0),
        "warm_rate": min(warm_weight / per, 2.0),
        "empathy_rate": min(empathy[0] / per, 2.0),
        "cold_rate": min(cold_weight / per, 2.0),
        "exclamation_rate": min(n_bangs / per, 2.0),
        "emoji_rate": min(n_emoji / per, 2.0),
        "hype_rate": min(len(hype) / per, 2.0),
        "humour_rate": min(fun_cues / per, 2.0),
        "pressure_rate": min(max(urg_weight, 0.0) / per, 2.0),
        "capitals_rate": min(len(caps) / per, 2.0),
    }

    # -- the six rated dimensions: the learned model over those features --------------------------------
    model = load_model(tone_model)
    embedding = _embed(prose) if tone_model == "embedding" else None
    learned = model.values(features, embedding)
    explain = {dim: head.explain(features) for dim, head in model.heads.items()}

    values = {
        **learned,
        "reading_grade": grade,
        "flesch_kincaid_grade": fk,
        "gunning_fog": fog,
        "smog": smog,
        "coleman_liau": cli,
        "automated_readability": ari,
        "person_we": person_share["we"],
        "person_you": person_share["you"],
        "person_i": person_share["i"],
        "person_they": person_share["they"],
        "sentence_length": sentence_length,
        "passive": passive,
        "jargon": jargon_share,
    }
    for name in ("flesch_kincaid_grade", "gunning_fog", "smog", "coleman_liau", "automated_readability"):
        drivers[name] = drivers["reading_grade"]
    counts = {
        "f_score": round(100 * f_lex),
        "articles": art,
        "prepositions": prep,
        "pronouns": pron,
        "verbs": verb,
        "adverbs": adv,
        "interjections": interj,
        "nouns": noun,
        "adjectives": adj,
        "contractions": contractions,
        "casual_words": casual_words,
        "formal_markers": len(formal_drivers),
        "syllables": n_syl,
        "polysyllables": poly,
        "letters": letters,
        "exclamations": prose.count("!"),
        "caps_words": len(caps),
        "emoji": n_emoji,
        "pressure_cues": sum(1 for d in drivers["urgency"] if d.direction > 0),
        "humour_cues": len(drivers["humour"]),
        "passive_sentences": passive_sentences,
        "jargon_words": jargon_words,
    }
    return ToneProfile(values, n, n_sent, pov, drivers, counts, features, explain, model.name)


def _damp(words: int) -> float:
    return min(1.0, math.sqrt(_REF_WORDS / max(words, 1)))
