"""The tone profile of a message: formality, sentiment, warmth, urgency, excitement, reading grade, point of
view, sentence length, passive voice and jargon — each a documented number with the words that drove it.

Everything here is pure Python over one tokenisation of the visible prose (no network, no model): VADER for
sentiment, pyphen for syllables (textstat's own syllable counter downloads NLTK's cmudict at run time, so the
readability formulas textstat implements are computed here from the same counts), closed word lists for the
rest. See docs/voice.md for each method, its scale and how reliable it is on short texts.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from brandrail.policy.sections.voice import TONE_DIMENSIONS
from brandrail.voice import lexicons as lx

__all__ = [
    "DIMENSIONS",
    "MIN_WORDS",
    "Driver",
    "ToneProfile",
    "profile_document",
    "profile_text",
    "syllables",
]

#: The numeric dimensions of a profile, in display order (the keys of ``ToneProfile.values``).
DIMENSIONS = TONE_DIMENSIONS

#: Below this many words a dimension is reported but marked unreliable (and tone targets skip it).
MIN_WORDS: dict[str, int] = {
    "formality": 15,
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
_SENT_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s|$)|\n\s*\n|\n(?=\s*[-*•\d])")
_EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf\U0001f000-\U0001f2ff]")
_ELONGATED = re.compile(r"([a-z])\1{2,}", re.IGNORECASE)


_Phrases = tuple[re.Pattern[str], re.Pattern[str], dict[str, float]]


def _phrases(patterns: Sequence[tuple[str, float]]) -> _Phrases:
    """One alternation of every pattern (a named group each; for lower-cased text and, as a fallback when
    lower-casing changes the length, case-insensitive) and each group's weight."""
    body = "|".join(f"(?P<p{i}>{p})" for i, (p, _) in enumerate(patterns))
    weights = {f"p{i}": w for i, (_, w) in enumerate(patterns)}
    source = rf"(?<![\w'’])(?:{body})(?![\w'’])"
    return re.compile(source), re.compile(source, re.IGNORECASE), weights


@lru_cache(maxsize=1)
def _jargon_phrases() -> re.Pattern[str]:
    return re.compile(
        r"(?<![\w'’])(?:"
        + "|".join(sorted((re.escape(p) for p in lx.JARGON if " " in p), key=len, reverse=True))
        + r")(?![\w'’])",
        re.IGNORECASE,
    )


@lru_cache(maxsize=1)
def _lexicon_patterns() -> tuple[_Phrases, _Phrases, _Phrases]:
    """Warmth, urgency and coldness alternations, compiled on first use (keeps `import` fast)."""
    return _phrases(lx.WARMTH_PATTERNS), _phrases(lx.URGENCY_PATTERNS), _phrases(lx.COLD_PATTERNS)


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
    return len(_pyphen().positions(w)) + 1


@lru_cache(maxsize=1)
def _vader() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


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

    def reliable(self, dimension: str) -> bool:
        """Whether the text is long enough for ``dimension`` to mean much (see :data:`MIN_WORDS`)."""
        return self.words >= MIN_WORDS.get(dimension, 1)

    def vector(self) -> list[float]:
        """The values as a feature vector (scaled to roughly 0–1) for the voice classifier."""
        v = self.values
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
        if drivers:
            out["drivers"] = {k: [d.to_dict() for d in v] for k, v in self.drivers.items() if v}
        return out


def _saturate(density_per_100: float, scale: float) -> float:
    """Map a rate per 100 words to 0–1: ``1 - exp(-rate / scale)``."""
    return 1.0 - math.exp(-density_per_100 / scale) if density_per_100 > 0 else 0.0


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


def _match_patterns(
    prose: str,
    patterns: _Phrases,
    lowered: str | None,
    direction: int = 1,
    negation: re.Pattern[str] | None = None,
) -> tuple[float, list[Driver]]:
    lower_rx, any_case_rx, weights = patterns
    weight = 0.0
    found: list[Driver] = []
    matches = lower_rx.finditer(lowered) if lowered is not None else any_case_rx.finditer(prose)
    for m in matches:
        a, b = m.span()
        if negation is not None and negation.search(prose, max(a - 24, 0), a):
            continue
        weight += weights[m.lastgroup or ""]
        found.append(Driver(a, b, prose[a:b], direction))
    return weight, found


def profile_text(text: str, *, jargon: Iterable[str] = ()) -> ToneProfile:
    """The tone profile of plain text (for Markdown/HTML use :func:`profile_document`)."""
    return _profile(text, frozenset(j.lower() for j in jargon))


def profile_document(doc: Any, *, jargon: Iterable[str] = ()) -> ToneProfile:
    """The tone profile of a Document's visible prose (driver offsets are prose offsets)."""
    return _profile(doc.prose, frozenset(j.lower() for j in jargon))


def _profile(prose: str, extra_jargon: frozenset[str]) -> ToneProfile:
    tokens = [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(prose)]
    low = prose.lower()
    lowered = low if len(low) == len(prose) else None
    lowers = [t[2].lower().replace("’", "'") for t in tokens]
    n = len(tokens)
    drivers: dict[str, list[Driver]] = {d: [] for d in DIMENSIONS}

    # -- sentences -------------------------------------------------------------------------------------
    sent_spans = [s for s in _sentence_spans(prose) if _WORD.search(prose, s[0], s[1])]
    n_sent = max(len(sent_spans), 1) if n else 0
    sentence_length = n / n_sent if n_sent else 0.0
    if sent_spans:
        longest = max(sent_spans, key=lambda s: len(_WORD.findall(prose, s[0], s[1])))
        drivers["sentence_length"].append(
            Driver(longest[0], longest[1], prose[longest[0] : longest[1]].strip(), 1)
        )

    # -- word classes (Heylighen & Dewaele F-score, lexical estimate) ----------------------------------
    art = prep = pron = verb = adv = interj = noun = adj = 0
    person = dict.fromkeys(lx.PERSON, 0)
    contractions = 0
    prev = ""
    for (a, b, raw), w in zip(tokens, lowers, strict=True):
        up = False
        down = False
        if w in lx.ARTICLES:
            art += 1
            up = True
        elif w in lx.PREPOSITIONS:
            prep += 1
            up = True
        elif w in lx.PRONOUNS or (_CONTRACTION_TAIL.search(w) and w.split("'")[0] in lx.PRONOUNS):
            pron += 1
            down = True
            if _CONTRACTION_TAIL.search(w):
                verb += 1
                contractions += 1
        elif w in lx.INTERJECTIONS:
            interj += 1
            down = True
        elif w in lx.AUXILIARIES or w in lx.VERBS:
            verb += 1
            down = True
            if "'" in w:
                adv += 1
                contractions += 1
        elif w in lx.ADVERBS or (w.endswith("ly") and len(w) > 4):
            adv += 1
            down = True
        elif w in lx.ADJECTIVES or (w.endswith(lx.ADJ_SUFFIXES) and len(w) > 5):
            adj += 1
            up = True
        elif w.endswith(lx.NOUN_SUFFIXES) and len(w) > 5:
            noun += 1
            up = True
        elif prev in lx.ARTICLES or prev in lx.PREPOSITIONS or prev in ("my", "your", "our", "their", "its"):
            noun += 1
        elif raw[:1].isupper() and a > 0 and prose[max(a - 2, 0) : a].strip() not in (".", "!", "?", ""):
            noun += 1  # a capitalised word inside a sentence: a proper noun
        elif w.endswith(("ed", "ing")) and len(w) > 4:
            verb += 1
        elif w.isdigit():
            adj += 1
        else:
            noun += 1  # open class default: most unlisted content words in marketing copy are nouns
        if down and ("'" in w or w in lx.PRONOUNS or w in lx.INTERJECTIONS):
            drivers["formality"].append(Driver(a, b, raw, -1))
        elif up and len(w) > 5 and raw.islower() and w.endswith((*lx.NOUN_SUFFIXES, *lx.ADJ_SUFFIXES)):
            drivers["formality"].append(Driver(a, b, raw, 1))
        for who, words in lx.PERSON.items():
            if w in words:
                person[who] += 1
                drivers[f"person_{who}"].append(Driver(a, b, raw, 1))
        prev = w
    total_person = sum(person.values())
    person_share = {k: (v / total_person if total_person else 0.0) for k, v in person.items()}
    pov = max(person, key=lambda k: person[k]) if total_person else "none"

    # -- sentiment (VADER compound) --------------------------------------------------------------------
    sentiment = float(_vader().polarity_scores(prose)["compound"]) if n else 0.0
    lexicon = _vader().lexicon
    for (a, b, raw), w in zip(tokens, lowers, strict=True):
        valence = lexicon.get(w)
        if valence:
            drivers["sentiment"].append(Driver(a, b, raw, 1 if valence > 0 else -1))

    # -- warmth, urgency ------------------------------------------------------------------------------
    denom = max(n, 1)
    warm_rx, urgency_rx, cold_rx = _lexicon_patterns()
    warm_weight, warm_drivers = _match_patterns(prose, warm_rx, lowered)
    cold_weight, cold_drivers = _match_patterns(prose, cold_rx, lowered, -1)
    drivers["warmth"] = sorted(warm_drivers + cold_drivers, key=lambda d: d.start)
    personal_rate = 100.0 * (person["we"] + person["you"] + contractions) / denom
    warmth = min(
        max(
            0.6 * _saturate(100.0 * warm_weight / denom, 5.0)
            + 0.4 * _saturate(personal_rate, 12.0)
            - _saturate(100.0 * cold_weight / denom, 6.0),
            0.0,
        ),
        1.0,
    )
    urg_weight, drivers["urgency"] = _match_patterns(prose, urgency_rx, lowered, negation=_URGENCY_NEGATED)
    urgency = _saturate(100.0 * urg_weight / denom, 4.0)

    # -- excitement -----------------------------------------------------------------------------------
    exc = 0.0
    for m in re.finditer(r"!+", prose):
        exc += min(len(m.group(0)), 3)
        drivers["excitement"].append(Driver(m.start(), m.end(), m.group(0), 1))
    caps = 0
    for (a, b, raw), w in zip(tokens, lowers, strict=True):
        hit = False
        if len(raw) >= 4 and raw.isupper() and raw.isalpha():
            caps += 1
            hit = True
        if w in lx.EXCITEMENT_WORDS or _ELONGATED.search(w):
            hit = True
        if hit:
            exc += 1
            drivers["excitement"].append(Driver(a, b, raw, 1))
    emoji = 0
    for m in _EMOJI.finditer(prose):
        emoji += 1
        exc += 0.5
        drivers["excitement"].append(Driver(m.start(), m.end(), m.group(0), 1))
    excitement = _saturate(100.0 * exc / denom, 6.0)
    drivers["excitement"].sort(key=lambda d: d.start)

    # -- readability (textstat's formulas over our counts) --------------------------------------------
    syl = [syllables(w) for w in lowers]
    n_syl = sum(syl)
    poly = sum(1 for s in syl if s >= 3)
    letters = sum(sum(c.isalnum() for c in w) for w in lowers)
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
    for (a, b, raw), s in zip(tokens, syl, strict=True):
        if s >= 3:
            drivers["reading_grade"].append(Driver(a, b, raw, 1))

    # -- passive voice --------------------------------------------------------------------------------
    passive_sentences = 0
    sent_of = [0] * n
    si = 0
    for i, t in enumerate(tokens):
        while si + 1 < len(sent_spans) and t[0] >= sent_spans[si][1]:
            si += 1
        sent_of[i] = si
    flagged: set[int] = set()
    for i in range(n):
        if lowers[i] not in _BE or sent_of[i] in flagged:
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
    for m in _jargon_phrases().finditer(prose):
        phrase_spans.append(m.span())
        jargon_words += len(_WORD.findall(m.group(0)))
        drivers["jargon"].append(Driver(m.start(), m.end(), m.group(0), 1))
    for (a, b, raw), w in zip(tokens, lowers, strict=True):
        if (w in _JARGON_WORDS or w in extra_jargon) and not any(x <= a < y for x, y in phrase_spans):
            jargon_words += 1
            drivers["jargon"].append(Driver(a, b, raw, 1))
    if extra_jargon:
        for phrase in (j for j in extra_jargon if " " in j):
            for m in re.finditer(rf"(?<!\w){re.escape(phrase)}(?!\w)", prose, re.IGNORECASE):
                jargon_words += len(_WORD.findall(m.group(0)))
                drivers["jargon"].append(Driver(m.start(), m.end(), m.group(0), 1))
    drivers["jargon"].sort(key=lambda d: d.start)
    jargon_share = min(jargon_words / n, 1.0) if n else 0.0

    # -- formality: the lexical F-score blended with register cues (see docs/voice.md) ------------------
    if n:
        f_lex = ((noun + adj + prep + art) - (pron + verb + adv + interj) + n) / (2.0 * n)
        word_len = letters / n
        casual = (interj + min(prose.count("!"), n) + emoji + caps) / n
        personal = (person["we"] + person["you"] + person["i"]) / n
        z = (
            4.0 * (f_lex - 0.5)
            + 0.8 * (word_len - 4.6)
            + 0.05 * (min(sentence_length, 40.0) - 15.0)
            - 10.0 * contractions / n
            - 8.0 * casual
            - 1.0 * personal
        )
        formality = 1.0 / (1.0 + math.exp(-z))
    else:
        f_lex = 0.5
        formality = 0.5

    values = {
        "formality": formality,
        "sentiment": sentiment,
        "warmth": warmth,
        "urgency": urgency,
        "excitement": excitement,
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
        "syllables": n_syl,
        "polysyllables": poly,
        "letters": letters,
        "exclamations": prose.count("!"),
        "caps_words": caps,
        "emoji": emoji,
        "passive_sentences": passive_sentences,
        "jargon_words": jargon_words,
    }
    return ToneProfile(values, n, n_sent, pov, drivers, counts)
