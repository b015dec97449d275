"""The normalised view of prose that rules match on, with a map back to the original offsets.

Evasion tricks a person or a model may use to slip a banned word past a checker, and what undoes them:

* full-width letters, ligatures, mathematical alphanumerics ("ｇｕａｒａｎｔｅｅｄ", "𝐟𝐫𝐞𝐞") — NFKD compatibility mapping;
* accents and combining marks ("guaránteed") — combining marks are dropped;
* zero-width characters, soft hyphens, bidi controls ("guar\u200banteed") — format characters are dropped;
* homoglyphs from other scripts (Cyrillic "е" in "guarantееd") — a confusables table maps them to Latin;
* spaced or dotted letters ("g u a r a n t e e d", "f.r.e.e") — the separators are dropped;
* simple leetspeak between letters ("guar4nteed", "fr33") — digits and symbols map to letters.

HTML entities are decoded by the extractor before this runs. Every character of the normalised text keeps
the offset of the prose character it came from, so spans are reported in the original.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["CONFUSABLES", "LEET", "fold_term", "normalize"]

#: Characters from other scripts that look like Latin letters (from Unicode's confusables data, the
#: letters that matter for Latin-script brand copy).
CONFUSABLES: dict[str, str] = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i",
    "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "һ": "h", "ԛ": "q", "ԝ": "w", "ɡ": "g", "к": "k", "м": "m",
    "н": "h", "т": "t", "п": "n", "г": "r", "ь": "b", "ѡ": "w", "ү": "y", "ӏ": "l",
    "А": "A", "В": "B", "Е": "E", "Ё": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "У": "Y", "Х": "X", "І": "I", "Ї": "I", "Ј": "J", "Ѕ": "S", "Ԁ": "D", "Ԛ": "Q", "Ԝ": "W",
    "Ү": "Y", "Ӏ": "I", "Ь": "b",
    # Greek
    "α": "a", "β": "b", "γ": "y", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x", "ω": "w", "ϲ": "c", "ϳ": "j",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
    "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "Ϲ": "C",
    # Latin look-alikes and others
    "ı": "i", "ȷ": "j", "ℓ": "l", "ſ": "s", "ɑ": "a", "ɩ": "i", "ɪ": "i", "ʏ": "y", "ᴄ": "c", "ᴏ": "o",
    "ᴠ": "v", "ᴡ": "w", "ᴢ": "z", "ꓲ": "I", "ꓳ": "O", "ǀ": "l", "Ꭵ": "i", "Ꮃ": "W", "Ꭼ": "E",
    "ø": "o", "Ø": "O", "đ": "d", "ł": "l", "Ł": "L", "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
    # Latin small capitals (a "font" in plain text)
    "ᴀ": "a", "ʙ": "b", "ᴅ": "d", "ᴇ": "e", "ɢ": "g", "ʜ": "h", "ᴊ": "j", "ᴋ": "k", "ʟ": "l", "ᴍ": "m",
    "ɴ": "n", "ᴘ": "p", "ʀ": "r", "ꜱ": "s", "ᴛ": "t", "ᴜ": "u",
    # Armenian
    "օ": "o", "ս": "u", "հ": "h", "ո": "n", "ց": "g", "զ": "q", "Օ": "O", "Ս": "U",
    # Cherokee and Lisu capitals
    "Ꭺ": "A", "Ᏼ": "B", "Ꮯ": "C", "Ꭰ": "D", "Ꮋ": "H", "Ꮶ": "K", "Ꮮ": "L", "Ꮇ": "M", "Ꮲ": "P", "Ꮪ": "S",
    "Ꭲ": "T", "Ꮩ": "V", "ꓮ": "A", "ꓐ": "B", "ꓚ": "C", "ꓓ": "D", "ꓰ": "E", "ꓝ": "H", "ꓗ": "K", "ꓡ": "L",
    "ꓟ": "M", "ꓠ": "N", "ꓑ": "P", "ꓢ": "S", "ꓔ": "T", "ꓴ": "U", "ꓦ": "V", "ꓫ": "X", "ꓬ": "Y", "ꓜ": "Z",
    # Greek extras and Coptic
    "ϱ": "p", "ϑ": "o", "ϰ": "k", "ⲟ": "o", "ⲣ": "p", "ⲥ": "c", "Ⲟ": "O", "Ⲣ": "P", "Ⲥ": "C",
}  # fmt: skip

#: Digits and symbols read as letters when they stand between letters ("guar4nteed").
LEET: dict[str, str] = {
    "4": "a",
    "@": "a",
    "3": "e",
    "1": "i",
    "!": "i",
    "0": "o",
    "5": "s",
    "$": "s",
    "7": "t",
}

# A byte skeleton of the text (letters 'a', leet symbols '1', separators ' ', anything else '#') lets a
# substring test rule out leetspeak and spaced letters before the (slower) regular expressions run.
_SKELETON = bytes(
    ord("a") if chr(i).isascii() and chr(i).isalpha() else
    ord("1") if chr(i) in "4@31!05$7" else
    ord(" ") if chr(i) in " .-_*" else ord("#")
    for i in range(256)
)  # fmt: skip

_LEET_RE = re.compile(r"(?<=[A-Za-z])[4@31!05$7]+(?=[A-Za-z])")
# three or more single letters joined by one separator each: "g u a r a n t e e d", "f.r.e.e", "f-r-e-e"
_SPACED_RE = re.compile(r"(?<![\w])(?:[A-Za-z](?:[ .\-_*·]|\u00a0)){2,}[A-Za-z](?![\w])")


def _char_map(ch: str) -> str:
    mapped = CONFUSABLES.get(ch)
    if mapped is not None:
        return mapped
    cat = unicodedata.category(ch)
    if cat in ("Cf", "Mn", "Me"):
        return ""
    decomposed = unicodedata.normalize("NFKD", ch)
    if decomposed == ch:
        return ch
    out = []
    for d in decomposed:
        dcat = unicodedata.category(d)
        if dcat in ("Mn", "Me", "Cf"):
            continue
        out.append(CONFUSABLES.get(d, d))
    return "".join(out)


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_MAP_CACHE: dict[str, str] = {}


def _map_cached(ch: str) -> str:
    found = _MAP_CACHE.get(ch)
    if found is None:
        found = _char_map(ch)
        if len(_MAP_CACHE) < 65536:
            _MAP_CACHE[ch] = found
    return found


def normalize(prose: str) -> tuple[str, list[int] | None]:
    """Normalise ``prose``; return the text and, unless it is the identity, the source index of each char.

    The map holds, for each character of the result, the index in ``prose`` it came from.
    """
    if prose.isascii():
        text = prose
        index: list[int] | None = None
    else:
        # only the non-ASCII characters need a look-up; ASCII runs are copied as slices
        chars: list[str] = []
        index = []
        changed = False
        cursor = 0
        for m in _NON_ASCII.finditer(prose):
            i = m.start()
            ch = m.group()
            mapped = _map_cached(ch)
            if mapped == ch:
                continue
            changed = True
            if i > cursor:
                chars.append(prose[cursor:i])
                index.extend(range(cursor, i))
            chars.append(mapped)
            index.extend([i] * len(mapped))
            cursor = i + 1
        if changed and cursor < len(prose):
            chars.append(prose[cursor:])
            index.extend(range(cursor, len(prose)))
        if changed:
            text = "".join(chars)
        else:
            text, index = prose, None
    skeleton = b" " + text.encode("utf-8", "surrogatepass").translate(_SKELETON) + b" "
    if b"a1" in skeleton and b"1a" in skeleton and _LEET_RE.search(text):
        text = _LEET_RE.sub(lambda m: "".join(LEET[c] for c in m.group()), text)
        skeleton = b" " + text.encode("utf-8", "surrogatepass").translate(_SKELETON) + b" "
    maybe_spaced = b" a a a " in skeleton or "·" in text or "\u00a0" in text
    spaced = list(_SPACED_RE.finditer(text)) if maybe_spaced else []
    if spaced:
        if index is None:
            index = list(range(len(text)))
        keep_chars: list[str] = []
        keep_index: list[int] = []
        cursor = 0
        for m in spaced:
            keep_chars.append(text[cursor : m.start()])
            keep_index.extend(index[cursor : m.start()])
            for j in range(m.start(), m.end()):
                if text[j].isalpha():
                    keep_chars.append(text[j])
                    keep_index.append(index[j])
            cursor = m.end()
        keep_chars.append(text[cursor:])
        keep_index.extend(index[cursor:])
        text = "".join(keep_chars)
        index = keep_index
    return text, index


def fold_term(term: str) -> str:
    """Normalise a policy term exactly as prose is normalised, then lower-case it."""
    text, _ = normalize(term)
    return text.lower()
