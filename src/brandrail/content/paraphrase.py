"""A required disclosure's wording said in other words (BR301): bounded, explainable equivalence.

An accepted wording ("renews monthly until you cancel") is matched as written by
:class:`brandrail.content.common.PhraseSet`. :func:`find_paraphrase` also accepts the same statement in the
writer's own words within one sentence ("renews automatically on the 1st of each month until you cancel it"):

* every content word of the wording (not an article, pronoun, determiner or "to be") must stand in the
  sentence, as the same word, an inflection of it (a shared stem: "renews"/"renew"/"renewal",
  "monthly"/"month", "cancel"/"cancelled") or one of a few listed synonyms (``SYNONYMS``: "necessary" →
  "required", "needed"), in any order;
* the words found must stand close together: at most twice the wording's words plus four between the first and
  the last;
* the negations near them (from three words before the first to the last: "not", "never", "no", "without",
  "nicht", "kein", "ohne", "ne … pas", "sans", "sin", "nunca" …) must be those of the wording, no more and no
  fewer: "does not renew monthly until you cancel" and "a purchase is necessary" (for "no purchase
  necessary") are not the wording. A contracted "n't" and "cannot" count as "not" ("isn't a medical device"
  says "not a medical device").

Only wordings of at least three words with at least two content words are paraphrased (shorter ones and web
addresses must be written as they are). English, German, French and Spanish words are known; a word of
another language is only ever matched by its stem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from brandrail.text.normalize import fold_term


def _words(text: str) -> frozenset[str]:
    # folded as a document's text is (accents dropped: "verlängert" is read "verlangert")
    return frozenset(fold_term(w) for w in text.split())


#: words that carry no content of a disclosure: articles, pronouns, determiners, "to be", reflexives
STOPWORDS = _words(
    """
    a an the you your yours it its they them their we us our i me my he she his her this that these those
    each every any some all per of to in on at by for with and or is are was were be been being will shall
    just only also automatically
    der die das den dem des ein eine einen einem einer sie ihr ihre ihren ihnen es wir uns unser du dich dir dein
    sich jede jeden jedes jeder jedem ist sind war wird werden und oder im am zum zur bei mit von zu auf
    le la les l un une des du de d au aux vous votre vos il elle ils elles nous notre nos se s chaque tous toutes
    est sont et ou en à a par pour
    el la los las un una unos unas usted su sus ellos nosotros nuestro nuestra se cada todos todas es son y o
    en a al del de por para con lo
    """
)

#: negations: a paraphrase must carry exactly those of the wording ("n't" is split off as its own word)
NEGATIONS = _words(
    """
    not no never without n't cannot none nothing neither nor
    nicht kein keine keinen keinem keiner nie niemals ohne
    ne n pas jamais sans aucun aucune ni
    sin nunca ningún ninguna ninguno jamás
    """
)

#: synonyms of a content word (each row read both ways); a synonym of several words must stand as written
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("necessary", "required", "needed", "needs", "need"),
    ("until", "till", "untill"),
    ("monthly", "month", "months"),
    ("yearly", "annually", "annual", "year", "years"),
    ("weekly", "week", "weeks"),
    ("cancel", "cancels", "cancelled", "canceled", "cancellation"),
    ("recommended", "suitable", "advised"),
    ("children", "kids", "child", "under-18s"),
    ("status", "approval", "credit check"),
    ("monatlich", "monat", "monats", "monatlichen"),
    ("verlängert", "verlängern", "verlängerung", "erneuert"),
    ("kinder", "kindern"),
    ("mois", "mensuel", "mensuelle", "mensuellement"),
    ("renouvelle", "renouvellement", "renouvelé", "reconduit", "reconduction"),
    ("déconseillé", "déconseillée", "déconseillés"),
    ("enfants", "enfant"),
    ("mes", "mensual", "mensualmente", "meses"),
    ("renueva", "renovación", "renovará", "renovar"),
    ("niños", "niño", "menores"),
    ("recomendado", "recomendada", "aconsejado"),
)

_SYNONYM_OF: dict[str, frozenset[str]] = {}
for _row in SYNONYMS:
    _folded_row = frozenset(fold_term(w) for w in _row)
    for _word in _folded_row:
        _SYNONYM_OF[_word] = _SYNONYM_OF.get(_word, frozenset()) | _folded_row

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*|n['’]t\b|\d+")
_SENTENCE_BREAK = re.compile(r"[.!?;\n]+(?:\s|$)|\n")
_ADDRESS = re.compile(r"[./@]\w|\w[./@]\w")


@dataclass(frozen=True)
class WordMatch:
    """One content word of the wording and the word of the text that stands for it, with how it matched:
    ``same word``, ``inflection`` (a shared stem) or ``synonym`` (a row of :data:`SYNONYMS`)."""

    wording_word: str
    text_word: str
    how: str


@dataclass(frozen=True)
class Paraphrase:
    """Where ``wording`` is said in other words: ``start``-``end`` in the folded text searched, and each of
    its content words' match."""

    wording: str
    start: int
    end: int
    words: tuple[WordMatch, ...]

    def explain(self) -> str:
        """One line for a report: "'renews monthly until you cancel' in other words: renews = renews (same
        word), monthly ~ month (inflection), …"."""
        parts = ", ".join(
            f"{m.wording_word} = {m.text_word}"
            if m.how == "same word"
            else f"{m.wording_word} ~ {m.text_word} ({m.how})"
            for m in self.words
        )
        return f"{self.wording!r} in other words: {parts}"


def _tokens(text: str) -> list[tuple[int, int, str]]:
    out = []
    for m in _WORD.finditer(text):
        word = m.group().replace("’", "'")
        if word.endswith("n't") and len(word) > 3:  # "doesn't" → "does" + "n't"
            out.append((m.start(), m.end() - 3, word[:-3]))
            out.append((m.end() - 3, m.end(), "n't"))
        elif "'" in word and word.split("'", 1)[0] in {
            "l",
            "d",
            "n",
            "s",
            "qu",
            "j",
            "c",
        }:  # "d'achat", "n'est"
            head, tail = word.split("'", 1)
            out.append((m.start(), m.start() + len(head), head))
            out.append((m.start() + len(head) + 1, m.end(), tail))
        else:
            out.append((m.start(), m.end(), word))
    return out


def _stem_match(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` are inflections of one word: a shared opening of at least four letters that is
    all of the shorter word but at most three letters ("renew"/"renews", "month"/"monthly",
    "cancel"/"cancelled")."""
    if len(a) < 4 or len(b) < 4:
        return False
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n >= 4 and n >= min(len(a), len(b)) - 3


@lru_cache(maxsize=1024)
def _keys(word: str) -> tuple[str, ...]:
    """Substrings one of which a text must hold to hold ``word`` in any form :func:`_how` accepts: its first
    four letters (a stem match shares them) or the whole of a shorter word, and each synonym's."""
    return tuple(dict.fromkeys(w[:4] if len(w) >= 4 else w for w in (word, *_SYNONYM_OF.get(word, ()))))


def _how(wording_word: str, text_word: str) -> str | None:
    if wording_word == text_word:
        return "same word"
    if text_word in _SYNONYM_OF.get(wording_word, ()):
        return "synonym"
    if _stem_match(wording_word, text_word):
        return "inflection"
    return None


@lru_cache(maxsize=512)
def _wording(wording: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The content words and the negations of ``wording``, folded as a document's text is."""
    folded = fold_term(wording).strip().rstrip(".")
    if _ADDRESS.search(folded):
        return None
    words = [w for _, _, w in _tokens(folded)]
    content = [w for w in words if w not in STOPWORDS and w not in NEGATIONS and not w.isdigit()]
    if len(words) < 3 or len(content) < 2:
        return None
    return tuple(content), tuple(_negations(words))


def content_words(wording: str) -> list[str] | None:
    """The content words of ``wording`` (folded), or None when it is not paraphrased: fewer than three words,
    fewer than two content words, or a web or e-mail address in it."""
    found = _wording(wording)
    return list(found[0]) if found is not None else None


#: negations that say the same: a contracted "n't" and "cannot" are "not" ("isn't a medical device" says "not
#: a medical device")
_SAME_NEGATION = {"n't": "not", "cannot": "not"}


def _negations(words: list[str]) -> list[str]:
    return sorted(_SAME_NEGATION.get(w, w) for w in words if w in NEGATIONS)


def find_paraphrase(folded: str, wording: str) -> Paraphrase | None:
    """The first sentence of ``folded`` (a document's folded text) that says ``wording`` in other words
    (module docstring), or None. An occurrence of the wording as written is a paraphrase too."""
    found_wording = _wording(wording)
    if found_wording is None:
        return None
    content, negations = list(found_wording[0]), list(found_wording[1])
    keys = [_keys(word) for word in content]
    # a content word none of whose forms occurs anywhere rules the wording out at once (a long message)
    if not all(any(k in folded for k in ks) for ks in keys):
        return None
    limit = 2 * len(content) + 4 + len(negations)
    start = 0
    for brk in [*(m.end() for m in _SENTENCE_BREAK.finditer(folded)), len(folded)]:
        sentence = folded[start:brk]
        offset, start = start, brk
        if not all(any(k in sentence for k in ks) for ks in keys):
            continue
        tokens = _tokens(sentence)
        if len(tokens) < len(content):
            continue
        found = _in_sentence(tokens, content, negations, limit)
        if found is not None:
            a, b, words = found
            return Paraphrase(wording, offset + a, offset + b, words)
    return None


def _in_sentence(
    tokens: list[tuple[int, int, str]], content: list[str], wording_negations: list[str], limit: int
) -> tuple[int, int, tuple[WordMatch, ...]] | None:
    """The tightest window of ``tokens`` holding every content word (each by a distinct token) with exactly the
    wording's negations around it."""
    candidates: list[list[tuple[int, str]]] = []
    for word in content:
        hits = []
        for i, (_, _, token) in enumerate(tokens):
            how = _how(word, token)
            if how is not None:
                hits.append((i, how))
        if not hits:
            return None
        candidates.append(hits)
    best: tuple[int, int, list[int], list[str]] | None = None
    # every choice of one token per content word is too many in a long sentence: anchor on each token of the
    # first word and take, for each other word, its nearest unused token
    for anchor, how0 in candidates[0]:
        chosen, hows = [anchor], [how0]
        for hits in candidates[1:]:
            free = [(abs(i - anchor), i, how) for i, how in hits if i not in chosen]
            if not free:
                break
            _, i, how = min(free)
            chosen.append(i)
            hows.append(how)
        else:
            lo, hi = min(chosen), max(chosen)
            if hi - lo + 1 > limit:
                continue
            if best is None or hi - lo < best[1] - best[0]:
                best = (lo, hi, chosen, hows)
    if best is None:
        return None
    lo, hi, chosen, hows = best
    around = [t[2] for t in tokens[max(0, lo - 3) : hi + 1]]
    if _negations(around) != wording_negations:
        return None
    words = tuple(
        WordMatch(word, tokens[i][2], how) for word, i, how in zip(content, chosen, hows, strict=True)
    )
    return tokens[lo][0], tokens[hi][1], words
