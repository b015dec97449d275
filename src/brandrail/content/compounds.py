"""German compounds that hold a banned or profane word as their first part ("Scheißwetter", "Drecksangebot").

German writes compounds as one word, so a whole-word match misses "Scheißwetter" (Scheiße + Wetter) and
"Billigcreme" (billig + Creme). A word of a German text counts as such a compound when it starts with the
term (or, for a term ending in "e", its compound stem: "Kacke" → "Kack-") and what follows, after an
optional linking element ("Dreck-s-angebot"), is a word part of three letters or more with a vowel, not a
derivational or inflectional suffix: "Billigung" (billig + -ung), "Schlamperei" (Schlampe + -rei) and
"Arschin" (+ -in) are words of their own, not compounds. A word that merely contains the letters elsewhere
("Marsch", "Barsch", "gebilligt") never counts, nor does a term at a compound's end ("Riesenscheiß"). Only a
text that reads as German (:func:`reads_german`) is read so: English words start with such letters too
("fickle").
"""

from __future__ import annotations

import re
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
_VOWEL = re.compile(r"[aeiouy]")
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
    signs = len({w for w in words if w in _GERMAN})
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

    def __init__(self, terms: Iterable[tuple[str, T]], *, names: frozenset[str] = frozenset()) -> None:
        #: words that start with a term but are no compound of it (place names: "Fickmühle")
        self._names = names
        self._stems: dict[str, tuple[str, T]] = {}
        for term, payload in terms:
            if len(term) < 4 or not term.isalpha() or not term.isascii():
                continue
            self._stems.setdefault(term, (term, payload))
            if term.endswith("e") and len(term) >= 5:  # "kacke" → "Kack-wetter", "scheisse" → "Scheiss-"
                self._stems.setdefault(term[:-1], (term, payload))
        # the stems, longest first: a word is read from the longest one it starts with
        self._ordered = sorted(self._stems, key=len, reverse=True)

    def __bool__(self) -> bool:
        return bool(self._stems)

    def find(self, doc: Document) -> Iterator[tuple[int, int, str, T]]:
        """(norm start, norm end of the whole compound, the term, its payload) of each compound in ``doc``
        that starts with a term; nothing when ``doc`` does not read as German."""
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
                    if tail.end() - at >= len(stem) + 3:
                        found[at] = tail.end()
                at = folded.find(stem, at + 1)
        for a in sorted(found):
            b = found[a]
            word = folded[a:b]
            if word in self._names or (b < len(folded) and _word_char(folded[b])):
                continue
            for stem in self._ordered:
                if word.startswith(stem) and _is_part(word[len(stem) :]):
                    if reads_german(doc, a, b):
                        term, payload = self._stems[stem]
                        yield a, b, term, payload
                    break


_TAIL = re.compile(r"[a-z]*")


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"
