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


def reads_german(doc: Document) -> bool:
    """Whether ``doc`` reads as German: two signs of it among its German function words (each different one
    a sign) and German letters in its prose (ä, ö, ü or ß: one sign), or one function word in a text of under
    six words (computed once per document)."""
    cached: bool | None = doc.__dict__.get("_brandrail_german")
    if cached is None:
        words = _WORD.findall(doc.folded)
        signs = len({w for w in words if w in _GERMAN})
        if signs and _UMLAUT.search(doc.prose):
            signs += 1
        cached = doc.__dict__["_brandrail_german"] = signs >= 2 or (signs == 1 and len(words) < 6)
    return cached


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
        # a word that starts with a stem and goes on for three letters or more: the candidates (one scan, so a
        # text with none is not read further)
        stems = sorted(self._stems, key=len, reverse=True)
        self._candidate = (
            re.compile(rf"(?<![a-z0-9_])(?:{'|'.join(map(re.escape, stems))})[a-z]{{3,}}(?![a-z0-9_])")
            if stems
            else None
        )

    def __bool__(self) -> bool:
        return bool(self._stems)

    def find(self, doc: Document) -> Iterator[tuple[int, int, str, T]]:
        """(norm start, norm end of the whole compound, the term, its payload) of each compound in ``doc``
        that starts with a term; nothing when ``doc`` does not read as German."""
        if self._candidate is None:
            return
        folded = doc.folded
        found = list(self._candidate.finditer(folded))
        if not found or not reads_german(doc):
            return
        for m in found:
            word = m.group()
            if word in self._names:
                continue
            for stem in sorted((t for t in self._stems if word.startswith(t)), key=len, reverse=True):
                if _is_part(word[len(stem) :]):
                    term, payload = self._stems[stem]
                    yield m.start(), m.end(), term, payload
                    break
