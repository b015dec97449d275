"""Fancy-text letters read by their shape: the Latin word a decorated run of characters shows.

"Fancy text" generators write a word with characters chosen only for their shape: Canadian syllabics
("ᖴᒪᗩᗯᒪᗴᔕᔕ"), currency signs ("₣Ⱡ₳₩ⱠɆ$$", "฿₳Ɽ₲₳ł₦"), Greek and Cyrillic letters by shape ("ƒℓαωℓєѕѕ",
"gυαяαηтєє∂"), Latin letters with strokes and hooks that have no compatibility decomposition ("ƀarǥain",
"ʂhiŧ"), symbols ("flawle§§", "gua®anteed", "ßargain", "Pµreva") and upside-down text ("ssǝlʍɐlɟ", read
backwards). The normaliser cannot fold these everywhere: the same characters are letters of real words in
Polish, Norwegian, Vietnamese, Maltese, Hausa, Greek or Inuktitut, and units or prices ("µm", "mℓ", "₦500").
So :func:`readings` gives the Latin readings of one run of characters, and the term matcher keeps a reading only
where it is one of the policy's words (:mod:`brandrail.content.readings`): a real word of another script never
reads as "flawless".

Where a character's reading comes from, in order:

* Unicode's confusables data (UTS #39, ``data/confusables_latin.txt``: the entries whose prototype is Latin
  letters), the prototype with its combining marks dropped;
* the character's compatibility decomposition without its marks ("ȧ" is "a");
* its Unicode name: a Latin letter with a stroke, bar, hook, tail or other addition ("LATIN SMALL LETTER G
  WITH STROKE" is "g"), a barred, open or dotless letter, a small capital, an eth (read "d");
* :data:`DECORATIVE`: the letters that fancy-text alphabets use and the data above does not give (syllabics,
  currency signs, cute-text Greek and Cyrillic, faux Cyrillic, symbols), each with the letters it may stand
  for ("ß" is "ss" or "b");
* for a run read upside down, :data:`TURNED` (the rotated forms of a–z and A–Z), the run reversed.

Every look-up is cached per character, so a run costs a few dictionary look-ups per character.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from functools import lru_cache
from importlib import resources

from brandrail.text.normalize import LEET

__all__ = ["DECORATIVE", "TURNED", "char_letters", "plain", "readings"]

#: Characters fancy-text alphabets use for Latin letters that Unicode's confusables data does not map to a
#: Latin letter, with the letters each may stand for (by shape): Canadian syllabics, currency signs, the
#: "cute text" Greek and Cyrillic, faux Cyrillic capitals, letterlike and other symbols.
DECORATIVE: dict[str, tuple[str, ...]] = {
    # Canadian syllabics as Latin capitals (the two common generator alphabets)
    "ᗩ": ("a",), "ᗅ": ("a",), "ᗷ": ("b",), "ᗸ": ("b",), "ᑕ": ("c",), "ᑢ": ("c",), "ᑤ": ("c",), "ᗪ": ("d",),
    "ᗞ": ("d",), "ᕲ": ("d",), "ᗴ": ("e",), "ᕮ": ("e",), "ᘿ": ("e",), "ᖴ": ("f",), "ᖵ": ("f",), "ᘜ": ("g",),
    "ᕼ": ("h",), "ᕹ": ("h",), "ᓰ": ("i",), "ᒍ": ("j",), "ᒚ": ("j",), "ᛕ": ("k",), "ᒪ": ("l",), "ᒻ": ("l",),
    "ᗰ": ("m",), "ᘻ": ("m",), "ᑎ": ("n",), "ᘉ": ("n",), "ᓍ": ("o",), "ᗝ": ("o",), "ᑭ": ("p",), "ᕵ": ("p",),
    "ᑫ": ("q",), "ᕴ": ("q",), "ᖇ": ("r",), "ᖆ": ("r",), "ᔕ": ("s",), "ᔑ": ("s",), "ᖶ": ("t",), "ᑌ": ("u",),
    "ᑘ": ("u",), "ᐯ": ("v",), "ᐺ": ("v",), "ᗯ": ("w",), "ᘺ": ("w",), "᙭": ("x",), "ᖻ": ("y",), "ᘔ": ("z",),
    "ᗱ": ("z",),
    # currency signs as letters
    "₳": ("a",), "฿": ("b",), "₿": ("b",), "₵": ("c",), "¢": ("c",), "₡": ("c",), "₫": ("d",), "€": ("e",),
    "£": ("l", "e"), "₤": ("l",), "₣": ("f",), "₲": ("g",), "₴": ("s",), "₭": ("k",), "₥": ("m",),
    "₼": ("m",), "₦": ("n",), "₱": ("p",), "₽": ("p",), "₹": ("r",), "$": ("s",), "₮": ("t",), "₸": ("t",),
    "₩": ("w",), "¥": ("y",), "₺": ("t", "l"), "₠": ("ce",), "₢": ("cr",),
    # "cute text" and other Greek, Cyrillic and Hebrew letters by shape
    "α": ("a",), "в": ("b",), "∂": ("d",), "є": ("e",), "ε": ("e",), "н": ("h",), "ι": ("i",), "נ": ("j",),
    "к": ("k",), "м": ("m",), "η": ("n",), "σ": ("o",), "ρ": ("p",), "я": ("r",), "ѕ": ("s",), "т": ("t",),
    "υ": ("u",), "ν": ("v",), "ω": ("w",), "χ": ("x",), "у": ("y",), "ς": ("c",), "ԃ": ("d",), "ҽ": ("e",),
    "ԋ": ("h",), "ϙ": ("q",), "ყ": ("y",), "ɯ": ("w",), "ʝ": ("j",), "ʅ": ("l",), "ϻ": ("m",), "ξ": ("e",),
    "θ": ("o",), "ф": ("o",), "д": ("a",), "б": ("b",), "и": ("n",), "ц": ("u",), "ш": ("w",), "щ": ("w",),
    "ж": ("x",), "ч": ("y",), "λ": ("a",), "π": ("n",), "ψ": ("y",), "ɛ": ("e",),
    # faux Cyrillic and Greek capitals
    "Д": ("a",), "Б": ("b",), "Ξ": ("e",), "Σ": ("e",), "И": ("n",), "Я": ("r",), "Ф": ("o",), "Ц": ("u",),
    "Ш": ("w",), "Щ": ("w",), "Ж": ("x",), "Ч": ("y",), "Λ": ("a",), "Δ": ("a",), "Π": ("n",), "Θ": ("o",),
    "Φ": ("o",), "Ψ": ("y",), "Г": ("r",),
    # symbols
    "§": ("s",), "®": ("r",), "©": ("c",), "℗": ("p",), "¶": ("p",), "ß": ("ss", "b"), "µ": ("u",),
    "μ": ("u",), "¡": ("i",), "∫": ("f", "s"), "℮": ("e",), "∈": ("e",), "∃": ("e",), "∆": ("a",),
    "∏": ("n",), "∑": ("e",), "†": ("t",), "⊂": ("c",), "∪": ("u",), "∩": ("n",), "∨": ("v",), "◊": ("o",),
    "Þ": ("p", "b"), "þ": ("p", "b"), "ð": ("d",), "℞": ("r",), "℟": ("r",), "ø": ("o",), "Ø": ("o",),
    "ɵ": ("o",), "ɸ": ("o",), "ħ": ("h",), "ł": ("l", "i"), "Ł": ("l", "i"), "ƚ": ("l", "i"),
    # a v with a hook (Unicode's data gives only "u")
    "ʋ": ("v",), "Ʋ": ("v",),
}  # fmt: skip

#: The rotated forms of Latin letters that upside-down text uses (read after the run is reversed), and the
#: letters that read as another one turned ("u" is "n", "d" is "p").
TURNED: dict[str, str] = {
    "ɐ": "a", "q": "b", "ɔ": "c", "p": "d", "ǝ": "e", "ə": "e", "ɟ": "f", "ƃ": "g", "ᵷ": "g", "ɥ": "h",
    "ᴉ": "i", "ı": "i", "ɾ": "j", "ʞ": "k", "l": "l", "ן": "l", "ɯ": "m", "u": "n", "o": "o", "d": "p",
    "b": "q", "ɹ": "r", "s": "s", "ʇ": "t", "n": "u", "ʌ": "v", "ʍ": "w", "x": "x", "ʎ": "y", "z": "z",
    "∀": "a", "ꓭ": "b", "ᗺ": "b", "Ɔ": "c", "ᗡ": "d", "ꓷ": "d", "Ǝ": "e", "Ⅎ": "f", "ⅎ": "f", "ꓞ": "f",
    "⅁": "g", "ꓨ": "g", "h": "h", "i": "i", "ſ": "j", "ꓩ": "j", "ꓘ": "k", "⅂": "l", "ꓶ": "l", "˥": "l",
    "w": "m", "Ԁ": "p", "ԁ": "p", "Ꝺ": "q", "ꓤ": "r", "ᴚ": "r", "⊥": "t", "ꓕ": "t", "∩": "u", "Ո": "u",
    "Λ": "v", "ꓥ": "v", "m": "w", "⅄": "y", "a": "a", "c": "c", "e": "e", "f": "f", "g": "g", "j": "j",
    "k": "k", "r": "r", "t": "t", "v": "v", "y": "y",
}  # fmt: skip
#: Characters that only upside-down text uses for a letter: a run holding one is also read reversed.
_TURNED_ONLY = frozenset("ɐɔǝɟƃᵷɥᴉɾʞɯɹʇʌʍʎ∀ꓭᗺƆᗡꓷƎℲⅎꓞ⅁ꓨꓩꓘ⅂ꓶ˥ԀꝹꓤᴚ⊥ꓕ∩Λꓥ⅄")

#: At most this many readings of one run are made (the letters with several readings multiply).
MAX_READINGS = 16

_NAME = re.compile(
    r"LATIN (?:SMALL|CAPITAL) LETTER (?:(?:BARRED|OPEN|DOTLESS|SCRIPT|AFRICAN|REVERSED OPEN) )?([A-Z])"
    r"(?: WITH .*| BAR| BELT| TAIL)?$|LATIN LETTER SMALL CAPITAL ([A-Z])(?: WITH .*)?$"
)


@lru_cache(maxsize=1)
def _load_confusables() -> dict[str, str]:
    out: dict[str, str] = {}
    data = resources.files("brandrail.text").joinpath("data/confusables_latin.txt")
    for line in data.read_text(encoding="utf-8").splitlines():
        body = line.split("#", 1)[0].strip()
        if not body:
            continue
        source, target, _ = (part.strip() for part in body.split(";"))
        ch = chr(int(source, 16))
        out[ch] = plain("".join(chr(int(c, 16)) for c in target.split()))
    return out


def plain(text: str) -> str:
    """``text`` decomposed, without combining marks, lower-cased."""
    return "".join(
        c for c in unicodedata.normalize("NFKD", text) if unicodedata.category(c) not in ("Mn", "Me", "Cf")
    ).lower()


@lru_cache(maxsize=8192)
def char_letters(ch: str) -> tuple[str, ...]:
    """The Latin letters ``ch`` may stand for by its shape, lower case (several for a few: "ß" is "ss" or
    "b"); ``("",)`` for a combining mark or an invisible character; ``()`` when it stands for none."""
    if ch.isascii():
        if ch.isalpha():
            return (ch.lower(),)
        letter = LEET.get(ch)
        return (letter,) if letter is not None else ()
    if unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return ("",)
    found: list[str] = list(DECORATIVE.get(ch, ()))
    confusables = _load_confusables()
    for candidate in (confusables.get(ch), confusables.get(ch.lower()), plain(ch)):
        if candidate and candidate.isascii() and candidate.isalpha() and candidate not in found:
            found.append(candidate)
    # Unicode's prototypes "rn" and "l" stand for the shapes of "m" and of "I"/"l" (its data maps "m" to "rn"
    # and "I" to "l"): an "m"-shaped character is an "m", an "l"-shaped one may be an "i"
    if "rn" in found:
        found.insert(found.index("rn"), "m")
    if "l" in found and "i" not in found:
        found.append("i")
    if not found:
        m = _NAME.match(unicodedata.name(ch, ""))
        if m is not None:
            found.append((m.group(1) or m.group(2)).lower())
        elif unicodedata.name(ch, "").startswith("LATIN") and unicodedata.name(ch, "").endswith(" ETH"):
            found.append("d")
    return tuple(found)


def readings(
    run: str,
    limit: int = MAX_READINGS,
    *,
    prefixes: Collection[str] | None = None,
    words: Collection[str] | None = None,
) -> list[str]:
    """The Latin readings of ``run`` (one word as written, without white space), lower case: each character
    read by its shape (:func:`char_letters`), and, when the run holds a character only upside-down text uses,
    the run reversed with each character read turned (:data:`TURNED`). Empty when a character has no reading
    or ``run`` is plain ASCII letters. At most ``limit`` readings. With ``prefixes`` and ``words`` (the words
    wanted and their proper prefixes), a reading is given up as soon as it starts no word, so a run that
    reads as no word costs a few look-ups."""
    if run.isascii() or len(run) > 64:
        return []
    out: list[str] = []
    partial = [""]
    for ch in run:
        options = char_letters(ch)
        if not options:
            partial = []
            break
        partial = [p + o for p in partial for o in options][:limit]
        if prefixes is not None and words is not None:
            partial = [p for p in partial if not p or p in prefixes or p in words]
            if not partial:
                break
    out.extend(p for p in partial if p)
    if any(c in _TURNED_ONLY for c in run):
        turned: list[str] = []
        for ch in reversed(run):
            letter = TURNED.get(ch) or TURNED.get(ch.lower())
            if letter is None:
                options = char_letters(ch)
                if len(options) != 1:
                    turned = []
                    break
                letter = options[0]
            turned.append(letter)
            if prefixes is not None and words is not None:
                so_far = "".join(turned)
                if so_far not in prefixes and so_far not in words:
                    turned = []
                    break
        if turned:
            out.append("".join(turned))
    return list(dict.fromkeys(out))
