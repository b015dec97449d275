"""German compounds that hold a banned or profane word as their first or last part ("Scheißwetter",
"Drecksangebot", "Riesenscheiß", "spottbillig").

German writes compounds as one word, so a whole-word match misses "Scheißwetter" (Scheiße + Wetter) and
"Billigcreme" (billig + Creme). A word of a German text counts as such a compound when it starts with the
term (or, for a term ending in "e", its compound stem: "Kacke" → "Kack-") and what follows, after an
optional linking element ("Dreck-s-angebot") and an optional hyphen ("Drecks-Angebote"), is a word part of three letters or more with a vowel, not a
derivational or inflectional suffix: "Billigung" (billig + -ung), "Schlamperei" (Schlampe + -rei) and
"Arschin" (+ -in) are words of their own, not compounds. A word that merely contains the letters elsewhere
("Marsch", "Barsch", "gebilligt") never counts.

A term of five letters or more also counts at a compound's end ("Riesenscheiß", "Hundedreck", "spottbillig",
"spottbilligen": an inflection may follow) when what stands before it is a word part of three letters or more
with a vowel, not a prefix ("unbillig", "verdreckt" are words of their own), and the word is not a real word
that merely ends with the term's letters (:data:`brandrail.content.lexicons.GERMAN_TAIL_LOOKALIKES`:
"Gewaltmarsch", "Rotbarsch" end with the letters of "Arsch"). Only a text that reads as German
(:func:`reads_german`) is read so: English words start with such letters too ("fickle").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Generic, TypeVar

from brandrail.text.document import Document

__all__ = ["CompoundHeads", "reads_german"]

T = TypeVar("T")

#: Common German function words (lower-case, ASCII-folded as the normalised view writes them).
_GERMAN = frozenset(
    [
        "der",
        "das",
        "dem",
        "des",
        "ein",
        "eine",
        "einen",
        "einem",
        "einer",
        "kein",
        "keine",
        "keinen",
        "und",
        "oder",
        "aber",
        "sondern",
        "nicht",
        "nichts",
        "ist",
        "sind",
        "wird",
        "werden",
        "wurde",
        "mit",
        "auf",
        "aus",
        "bei",
        "nach",
        "von",
        "zum",
        "zur",
        "ich",
        "wir",
        "ihr",
        "sie",
        "uns",
        "euch",
        "unsere",
        "unser",
        "unseren",
        "deine",
        "dein",
        "deinen",
        "ihre",
        "noch",
        "schon",
        "auch",
        "nur",
        "sehr",
        "heute",
        "hier",
        "dieses",
        "diese",
        "dieser",
        "jetzt",
        "wie",
        "wer",
        "wenn",
        "weil",
        "dass",
        "denn",
        "doch",
        "dann",
        "davon",
        "etwas",
        "alle",
        "alles",
        "mehr",
        "kann",
        "konnen",
        "hat",
        "haben",
        "bist",
        "sein",
        "beim",
        "ins",
        "ohne",
        "gegen",
        "durch",
        "uber",
        "unter",
        "immer",
        "wieder",
        "mich",
        "dich",
        "sich",
        "euer",
        "eure",
        "mein",
        "meine",
    ]
)
# not "die", "was", "war", "den", "um", "also", "fur" (für), "du", "es": English, French or Spanish words too
_WORD = re.compile(r"[a-z]+")
#: Endings that make a derived or inflected word, not a compound ("Billig-ung", "Schlamp-erei", "Arsch-in").
_SUFFIXES = frozenset(
    [
        "e",
        "en",
        "er",
        "ern",
        "es",
        "em",
        "n",
        "s",
        "st",
        "t",
        "te",
        "ten",
        "tes",
        "ter",
        "tem",
        "et",
        "ung",
        "ungen",
        "ig",
        "ige",
        "igen",
        "iger",
        "iges",
        "igem",
        "lich",
        "liche",
        "lichen",
        "licher",
        "liches",
        "lichem",
        "heit",
        "heiten",
        "keit",
        "keiten",
        "isch",
        "ische",
        "ischen",
        "ischer",
        "isches",
        "chen",
        "lein",
        "bar",
        "bare",
        "baren",
        "sam",
        "same",
        "samen",
        "schaft",
        "schaften",
        "tum",
        "tums",
        "ling",
        "linge",
        "lingen",
        "nis",
        "nisse",
        "erei",
        "ereien",
        "rei",
        "reien",
        "ei",
        "eien",
        "in",
        "innen",
        "erin",
        "erinnen",
        "ens",
        "ern",
        "ert",
        "erte",
        "erten",
        "end",
        "ende",
        "enden",
        "ler",
        "lerin",
    ]
)
_LINKS = ("", "s", "es", "n", "en", "er", "e")
#: Endings a term at a compound's end may take: "Riesenscheiße", "spottbilligen", "Hundedrecks".
_TAIL_ENDINGS = frozenset(["", "e", "en", "em", "er", "es", "s", "n", "ern"])
#: Parts that make a derived word before a term, not a compound: "unbillig", "Vordreck" (prefixes).
_PREFIXES = frozenset(
    [
        "ver", "zer", "ent", "emp", "miss", "un", "ur", "ge", "be", "er", "an", "ab", "auf", "aus", "ein",
        "vor", "nach", "hin", "her", "weg", "mit", "uber", "unter", "durch", "um", "zu", "bei", "ober",
        "wider", "gegen", "hinter", "rum", "rein", "raus", "los",
    ]
)  # fmt: skip
#: Endings of German, Austrian and Swiss place names ("Billigheim", "Dreckenach", "Arschingen"): a capitalised
#: word that starts with a term and ends with one of them is read as a place, not a compound of the term.
PLACE_SUFFIXES = (
    "heim", "ingen", "hausen", "dorf", "burg", "stadt", "stedt", "feld", "felde", "bach", "hofen", "rode",
    "leben", "weiler", "kirchen", "brück", "brücken", "furt", "hagen", "husen", "reuth", "beuren", "büttel",
    "ikon", "stetten", "münster", "werder", "wedel",
)  # fmt: skip
# as the folded view writes them ("brück" → "bruck")
_PLACE_ENDINGS = tuple(
    sorted({unicodedata.normalize("NFKD", p).encode("ascii", "ignore").decode() for p in PLACE_SUFFIXES})
)
#: The shortest term read at a compound's end: shorter ones end too many words ("Rand" in "Strand").
TAIL_MIN = 5
_VOWEL = re.compile(r"[aeiouy]")
#: German word forms that English, French and Spanish do not write (each different word a sign): a past
#: participle "ge…t" ("gekocht", "gebilligt"), an adjective in -isch-, -lich- ("irisches", "ehrlich"), a noun in
#: -ung, -keit, -heit ("Billigung"), and everyday words ("nein", "danke", "bitte", "gestern")
_GERMAN_FORM = re.compile(
    r"ge[a-z]{3,}(?<!es)(?<!is)t|[a-z]{3,}(?:isch|lich)(?:e|en|er|es|em)?|[a-z]{4,}(?:ung|ungen|keit|keiten|heit|heiten)"
    r"|nein|danke|bitte|gestern|morgens|abends|versprochen|leider|gerne|vielleicht|nie|niemals|ganz"
)
_UMLAUT = re.compile("[äöüßÄÖÜẞ]")
#: How far around a compound :func:`reads_german` looks (characters of the normalised text).
_REACH = 300


def reads_german(doc: Document, start: int = 0, end: int | None = None) -> bool:
    """Whether ``doc`` reads as German around ``doc.folded[start:end]`` (the whole text by default; a window of
    :data:`_REACH` characters on each side of the range): two signs of it among its German function words
    (each different one a sign) and German letters in the original (ä, ö, ü or ß: one sign), or one function
    word in a text of under six words."""
    folded = doc.folded
    end = len(folded) if end is None else end
    lo, hi = max(0, start - _REACH), min(len(folded), end + _REACH)
    words = _WORD.findall(folded, lo, hi)
    signs = len({w for w in words if w in _GERMAN or _GERMAN_FORM.fullmatch(w)})
    if signs == 1 and hi > lo:
        a, b = doc.norm_to_original(lo, hi)
        if _UMLAUT.search(doc.text, a, b):
            signs += 1
    return signs >= 2 or (signs == 1 and len(words) < 6)


def _is_part(rest: str) -> bool:
    """Whether ``rest`` (what follows a term in a word) makes a compound: after a linking element, a word
    part of three letters or more with a vowel that is not a suffix."""
    for link in _LINKS:
        if not rest.startswith(link):
            continue
        part = rest[len(link) :]
        if len(part) >= 3 and part not in _SUFFIXES and _VOWEL.search(part):
            return True
    return False


class CompoundHeads(Generic[T]):
    """Terms (single words of four letters or more) to find at the start of German compounds."""

    def __init__(
        self,
        terms: Iterable[tuple[str, T]],
        *,
        names: frozenset[str] = frozenset(),
        lookalikes: frozenset[str] = frozenset(),
        no_tails: frozenset[str] = frozenset(),
        inflected: frozenset[str] = frozenset(),
    ) -> None:
        #: words that start with a term but are no compound of it (place names: "Fickmühle")
        self._names = names
        #: the terms (nouns: written with a capital in the policy) that count with only a noun's ending too
        #: ("Crashkurse", "Crashkursen" of "Crashkurs"; not the verb "billigen" of "billig"), in German text
        self._inflected = inflected
        self._stems: dict[str, tuple[str, T]] = {}
        #: the terms read at a compound's end, each with the letters that, before it, make a look-alike word
        #: of ``lookalikes`` ("arsch": "m" of "Marsch", "b" of "Barsch"); ``no_tails`` are not read there
        self._tails: dict[str, tuple[tuple[str, ...], T]] = {}
        for term, payload in terms:
            if len(term) < 4 or not term.isalpha() or not term.isascii():
                continue
            self._stems.setdefault(term, (term, payload))
            if len(term) >= TAIL_MIN and term not in no_tails:
                before = tuple(w[: -len(term)] for w in lookalikes if w.endswith(term) and w != term)
                self._tails.setdefault(term, (before, payload))
            if term.endswith("e") and len(term) >= 5:  # "kacke" → "Kack-wetter", "scheisse" → "Scheiss-"
                self._stems.setdefault(term[:-1], (term, payload))
        # the stems, longest first: a word is read from the longest one it starts with
        self._ordered = sorted(self._stems, key=len, reverse=True)

    def __bool__(self) -> bool:
        return bool(self._stems)

    def find(self, doc: Document) -> Iterator[tuple[int, int, str, T]]:
        """(norm start, norm end of the whole compound, the term, its payload) of each compound in ``doc``
        that starts or ends with a term; nothing when ``doc`` does not read as German."""
        done: set[int] = set()
        for hit in self._heads(doc):
            done.add(hit[0])
            yield hit
        for hit in self._ends(doc):
            if hit[0] not in done:
                done.add(hit[0])
                yield hit

    def _ends(self, doc: Document) -> Iterator[tuple[int, int, str, T]]:
        """Compounds that end with a term (and an inflection: :data:`_TAIL_ENDINGS`) after a word part that is
        not a prefix, in text that reads as German; a word that ends with a look-alike is none."""
        if not self._tails:
            return
        folded = doc.folded
        for term, (before, payload) in self._tails.items():
            at = folded.find(term)
            while at != -1:
                found = _tail_compound(folded, at, term, before)
                if found is not None:
                    a, b = found
                    if folded[a:b] not in self._names and reads_german(doc, a, b):
                        yield a, b, term, payload
                at = folded.find(term, at + 1)

    def _heads(self, doc: Document) -> Iterator[tuple[int, int, str, T]]:
        if not self._stems:
            return
        folded = doc.folded
        found: dict[int, int] = {}  # word start → word end, for each word that starts with a stem
        for stem in self._ordered:  # substring search (fast) before any word is read
            at = folded.find(stem)
            while at != -1:
                if at not in found and (at == 0 or not _word_char(folded[at - 1])):
                    tail = _TAIL.match(folded, at + len(stem))
                    assert tail is not None  # it matches the empty string
                    part = _HYPHEN_PART.match(folded, tail.end()) if tail.group() in _LINKS else None
                    if tail.end() - at >= len(stem) + 3:
                        found[at] = tail.end()
                    elif part is not None and _is_part(part.group(1)):
                        found[at] = part.end()  # "Drecks-Angebote": the stem, a link, a hyphen, a part
                    elif stem in self._inflected and self._inflects(stem, tail.group()):
                        found[at] = tail.end()  # "Crashkurse": a noun's plural
                at = folded.find(stem, at + 1)
        for a in sorted(found):
            b = found[a]
            word = folded[a:b]
            if word in self._names or (b < len(folded) and _word_char(folded[b])):
                continue
            if _a_place(doc, a, b):
                continue
            for stem in self._ordered:
                rest = word[len(stem) :]
                if word.startswith(stem) and (
                    _is_part(rest.replace("-", ""))
                    or (stem in self._inflected and self._inflects(stem, rest))
                ):
                    if reads_german(doc, a, b):
                        term, payload = self._stems[stem]
                        yield a, b, term, payload
                    break

    def _inflects(self, stem: str, ending: str) -> bool:
        """Whether ``stem`` + ``ending`` is a whole term of five letters or more with a German noun ending."""
        return ending in _NOUN_ENDINGS and len(stem) >= 5 and self._stems[stem][0] == stem


#: the endings of a German noun's plural and cases: "Kurs-e", "Kurs-en", "Kurs-es"
_NOUN_ENDINGS = frozenset(["e", "en", "n", "s", "es", "er", "ern"])
_TAIL = re.compile(r"[a-z]*")
#: A word part joined by a hyphen after a term and its linking element ("Dreck-s-Angebote", "Billig-Creme").
_HYPHEN_PART = re.compile(r"-([a-z]{3,})(?![\w-])")


def _a_place(doc: Document, a: int, b: int) -> bool:
    """Whether the word at ``doc.folded[a:b]`` is written as a place name: capitalised in the original and
    ending with a place-name ending (:data:`PLACE_SUFFIXES`: "Billigheim", "Dreckenbach"), or one half of a
    double name joined by a hyphen to another capitalised word with such an ending ("Billig-Ingenheim")."""
    start, _ = doc.norm_to_original(a, b)
    text = doc.text
    if start >= len(text) or not text[start].isupper():
        return False
    folded = doc.folded
    if folded[a:b].endswith(_PLACE_ENDINGS):
        return True
    m = _DOUBLE_NAME.match(folded, b)
    if m is None:
        return False
    other, _ = doc.norm_to_original(m.start(1), m.end(1))
    return other < len(text) and text[other].isupper() and m.group(1).endswith(_PLACE_ENDINGS)


_DOUBLE_NAME = re.compile(r"-([a-z]{3,})(?![\w-])")


def _tail_compound(folded: str, at: int, term: str, before: tuple[str, ...]) -> tuple[int, int] | None:
    """The word (start, end) in which ``term`` at ``folded[at:]`` ends a compound, or None: the term stands
    inside a word after a part of three letters or more with a vowel that is not a prefix (with or without a
    linking element), only an inflection follows it, and the letters before it do not make a look-alike word
    (``before``: "m" for "Marsch" when the term is "arsch")."""
    if at == 0 or not folded[at - 1].isalpha():
        return None  # the whole word (or a word's start): the whole-word match and the heads see it
    end = at + len(term)
    b = end
    while b < len(folded) and folded[b].isalpha():
        b += 1
    if folded[end:b] not in _TAIL_ENDINGS or (b < len(folded) and _word_char(folded[b])):
        return None
    a = at
    while a > 0 and folded[a - 1].isalpha():
        a -= 1
    if a > 0 and _word_char(folded[a - 1]):
        return None
    head = folded[a:at]
    if any(head.endswith(x) for x in before):
        return None
    if len(head) < 3 or not head.isascii() or not _VOWEL.search(head) or head in _PREFIXES:
        return None
    if any(head.endswith(link) and head[: len(head) - len(link)] in _PREFIXES for link in _LINKS if link):
        return None
    return a, b


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"
