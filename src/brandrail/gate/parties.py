r"""Political parties named without the word for party, in an audience criterion's value.

"CDU voters", "Reform UK supporters", "Labour members", "Les Républicains", "wyborcy PiS": an audience built
from them selects people by political opinion (a special category, AG501) as much as "Labour Party voters"
does. :mod:`brandrail.gate.audience` reads "X party" in every language the gate reads; this module reads
major parties by name or abbreviation. It is used only on the values of ``target_audience`` criteria
(attribute values, segment descriptions), never on message text.

Three short lists, each written as the name reads (lower case, accents folded; the words of a name are
matched in a row):

* :data:`ANYWHERE` — names with no other common sense ("CDU", "PSOE", "Reform UK", "Fratelli d'Italia"):
  a party wherever they stand in a value;
* :data:`WHOLE` — names that are a party when they are the whole value ("PiS", "Die Linke", "Podemos");
* :data:`BESIDE` — names that are mostly something else ("Labour", "Green", "Tory", "PS", "Linke"): a party
  only next to a supporter word (:data:`SUPPORTERS`: "voters", "Wähler", "électeurs", "votantes",
  "elettori", "kiezers", "eleitores", "wyborcy", "seçmenleri", ...): right before it ("Labour members",
  "AfD-Wähler"), or after it with at most two small words between ("Wähler der Grünen", "iscritti del PD")
  when the name ends the value or is followed by a small word ("électeurs du PS en Bretagne"). So "labour
  market", "green energy", "Tory Burch shoppers", "die linke Seite", "members of the green team" and "PS5
  owners" stay clean.

To add a party: put its name (as written; it is folded like the values) in the list whose rule fits how
else the words are used; add an attack and a look-alike to the gate's attack sets. Parties written in
another script are in :data:`OTHER_SCRIPTS` (Greek, Cyrillic, Hebrew, Chinese, Japanese, Korean, Devanagari):
patterns read on the value lower-cased with accents dropped but letters kept in their script (the canonical
form would read Greek and Cyrillic letters as Latin look-alikes), inflected endings as ``\w*`` ("Единой
России", "Νέας Δημοκρατίας"), and words without spaces between them found inside a longer run ("自民党支持者",
LDP supporters). Names that are mostly something else are left out ("Яблоко", an apple; "ГЕРБ", a coat of
arms; "甘党", a sweet tooth).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from brandrail.gate.principal import canonical_id

__all__ = ["ANYWHERE", "BESIDE", "OTHER_SCRIPTS", "SUPPORTERS", "WHOLE", "names_party_by_name", "value_words"]

#: Names that name a party wherever they stand in an audience value.
ANYWHERE: tuple[str, ...] = (
    # United Kingdom, Ireland, United States
    "reform uk", "ukip", "snp", "plaid cymru", "sinn féin", "lib dem", "lib dems", "liberal democrats",
    "gop", "maga",
    # Germany, Austria, Switzerland
    "cdu", "spd", "afd", "fdp", "cdu csu", "bündnis 90", "övp", "fpö",
    # France, Belgium
    "rassemblement national", "front national", "france insoumise", "les républicains", "eelv",
    "vlaams belang",
    # Spain, Portugal
    "psoe", "partido popular", "esquerra republicana", "bildu", "bloco de esquerda",
    # Italy
    "fratelli d italia", "forza italia", "movimento 5 stelle", "movimento cinque stelle", "m5s",
    "partito democratico", "lega nord",
    # Netherlands
    "pvv", "vvd", "d66", "groenlinks",
    # Poland, Hungary, Turkey, Nordic countries, Greece (Latin script)
    "prawo i sprawiedliwość", "platforma obywatelska", "fidesz", "akp",
    "sverigedemokraterna", "socialdemokraterna", "moderaterna", "perussuomalaiset", "fremskrittspartiet",
    "dansk folkeparti", "syriza", "nea dimokratia", "pasok",
)  # fmt: skip

#: Names that name a party when they are the whole value (and beside a supporter word, see BESIDE).
WHOLE: tuple[str, ...] = ("pis", "die linke", "die grünen", "podemos", "sumar", "lega", "chega", "lfi")

#: Names that name a party only next to a supporter word.
BESIDE: tuple[str, ...] = (
    "labour", "labor", "green", "greens", "conservative", "conservatives", "tory", "tories", "liberal",
    "liberals", "reform", "linke", "linken", "grüne", "grünen",
    "ps", "pd", "pp", "rn", "lr", "vox", "csu", "chp", "mhp", "hdp", "junts", "jobbik", "ciudadanos",
    "renaissance", "groen", "sp", "pvda", "ndp", "dup", "bsw", "spö", "svp", "n va", "livre", "cda",
    "bbb", "konfederacja",
    *WHOLE,
)  # fmt: skip

#: Words for a party's people: voters, supporters, members, donors, activists, in the gate's languages.
SUPPORTERS: frozenset[str] = frozenset(
    (
        # English
        "voter", "voters", "supporter", "supporters", "member", "members", "membership", "donor", "donors",
        "activist", "activists", "electorate", "sympathiser", "sympathisers", "sympathizer", "sympathizers",
        "loyalist", "loyalists", "canvassers",
        # German
        "wähler", "wählerin", "wählerinnen", "wählern", "stammwähler", "anhänger", "anhängerin",
        "anhängerinnen", "mitglied", "mitglieder", "parteimitglieder", "unterstützer", "sympathisanten",
        # French
        "électeur", "électeurs", "électrice", "électrices", "sympathisant", "sympathisants", "militant",
        "militants", "adhérent", "adhérents", "partisans",
        # Spanish, Portuguese
        "votante", "votantes", "elector", "electores", "simpatizante", "simpatizantes", "afiliado",
        "afiliados", "militante", "militantes", "partidarios", "eleitor", "eleitores", "apoiantes",
        "apoiadores", "filiados",
        # Italian
        "elettore", "elettori", "elettorato", "sostenitori", "iscritti", "militanti", "simpatizzanti",
        # Dutch
        "kiezer", "kiezers", "stemmer", "stemmers", "leden", "aanhangers", "achterban",
        # Polish, Hungarian, Turkish, Nordic
        "wyborcy", "wyborców", "zwolennicy", "członkowie", "szavazók", "szavazói", "támogatók", "tagjai",
        "seçmen", "seçmenler", "seçmenleri", "üyeleri", "väljare", "väljarna", "medlemmar", "vælgere",
        "velgere", "medlemmer", "äänestäjät", "kannattajat", "jäsenet",
    )
)  # fmt: skip

#: Small words that may stand between a supporter word and the name ("voters of the Greens", "Wähler der
#: Grünen", "iscritti del PD"), or after the name ("électeurs du PS en Bretagne").
_SMALL = frozenset(
    (
        "of", "the", "for", "in", "from", "and", "or", "s", "der", "die", "des", "den", "dem", "von", "im",
        "aus", "und", "de", "du", "la", "le", "les", "l", "en", "et", "ou", "del", "el", "los", "las", "y",
        "di", "dei", "della", "al", "e", "i", "o", "van", "het", "voor", "uit", "do", "da", "dos", "das", "na",
        "no", "em",
    )
)  # fmt: skip

#: Parties written in another script, as patterns (see the module docstring).
OTHER_SCRIPTS: tuple[str, ...] = (
    # Greek
    r"συριζα", r"νε\w* δημοκρατι\w*", r"πασοκ", r"κκε", r"ελληνικ\w* λυσ\w*", r"χρυσ\w* αυγ\w*", r"μερα\s?25",
    r"πλευσ\w* ελευθεριας",
    # Russian, Ukrainian, Serbian, Bulgarian (Cyrillic)
    r"един\w* росси\w*", r"кпрф", r"лдпр", r"справедлив\w* росси\w*", r"слуг\w* народу",
    r"європейськ\w* солідарн\w*", r"опозиційн\w* платформ\w*", r"српск\w* напредн\w* странк\w*",
    # Hebrew
    r"הליכוד", r"ליכוד", r"יש עתיד",
    # Chinese, Japanese, Korean
    r"自民党", r"自由民主党", r"立憲民主党", r"公明党", r"日本維新の会", r"維新の会", r"日本共産党", r"国民民主党",
    r"参政党", r"れいわ新選組", r"社民党", r"国民党", r"國民黨", r"民进党", r"民進黨", r"中国共产党", r"中國共產黨",
    r"民众党", r"民眾黨", r"더불어민주당", r"국민의힘", r"정의당",
    # Hindi
    r"भाजपा", r"भारतीय जनता पार्टी", r"बीजेपी", r"कांग्रेस", r"आम आदमी पार्टी",
)  # fmt: skip


def _script_fold(text: str) -> str:
    """``text`` lower-cased, in compatibility form, with combining marks (accents, Greek tonos, Devanagari
    vowel signs) dropped: the letters keep their script."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


# the patterns are folded as the values are; a name in an alphabet is a whole word
_OTHER_SCRIPTS = re.compile(
    "|".join(
        f"(?<!\\w){_script_fold(p)}(?!\\w)" if re.match(r"[\u0370-\u05ff]", p) else _script_fold(p)
        for p in OTHER_SCRIPTS
    )
)


_NOT_WORD = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=4096)
def value_words(text: str) -> tuple[str, ...]:
    """The words of a value as names are read here: canonical form (accents folded, look-alike letters as
    Latin, invisible characters dropped), lower case, split at anything but a letter or digit — camelCase is
    not split, so "PiS" and "AfD" stay one word."""
    folded = text.lower() if text.isascii() else canonical_id(text)  # ASCII: canonical_id is lower case
    return tuple(w for w in _NOT_WORD.split(folded) if w)


def _fold(names: Sequence[str]) -> frozenset[tuple[str, ...]]:
    return frozenset(value_words(name) for name in names)


_WHOLE = _fold(WHOLE)
_SUPPORTERS = frozenset(w for s in SUPPORTERS for w in value_words(s))


def _index() -> dict[str, tuple[tuple[tuple[str, ...], bool], ...]]:
    """First word → (a name's words, whether it needs a supporter word beside it), longest name first."""
    by_first: dict[str, list[tuple[tuple[str, ...], bool]]] = {}
    for names, needs_supporter in ((_fold(ANYWHERE), False), (_fold(BESIDE), True)):
        for words in names:
            by_first.setdefault(words[0], []).append((words, needs_supporter))
    return {w: tuple(sorted(found, key=lambda e: (-len(e[0]), e[1]))) for w, found in by_first.items()}


_BY_FIRST = _index()


def _beside_supporter(words: tuple[str, ...], start: int, end: int) -> bool:
    """Whether words[start:end] (a name) stands next to a supporter word: right before one (a possessive "s"
    between is allowed), or after one with at most two small words between and nothing but a small word
    (or the end) after it."""
    after = end + 1 if end < len(words) and words[end] == "s" else end
    if after < len(words) and words[after] in _SUPPORTERS:
        return True
    if end < len(words) and words[end] not in _SMALL and words[end] not in _SUPPORTERS:
        return False
    k = start - 1
    while k >= 0 and start - k <= 3 and words[k] in _SMALL:
        k -= 1
    return k >= 0 and start - k <= 3 and words[k] in _SUPPORTERS


@lru_cache(maxsize=4096)  # an audience's values recur across calls
def names_party_by_name(text: str) -> str | None:
    """The words of ``text`` that name a political party by its name or abbreviation (see the module's
    lists), else None."""
    if not text.isascii():
        other = _OTHER_SCRIPTS.search(_script_fold(text))
        if other is not None:
            return other.group(0)
    words = value_words(text)
    if words in _WHOLE:
        return " ".join(words)
    for start, word in enumerate(words):
        for name, needs_supporter in _BY_FIRST.get(word, ()):
            end = start + len(name)
            if words[start:end] != name:
                continue
            if not needs_supporter or _beside_supporter(words, start, end):
                return " ".join(name)
    return None
