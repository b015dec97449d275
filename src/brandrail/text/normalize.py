"""The normalised view of prose that rules match on, with a map back to the original offsets.

Evasion tricks a person or a model may use to slip a banned word past a checker, and what undoes them:

* full-width letters, ligatures, mathematical alphanumerics ("ｇｕａｒａｎｔｅｅｄ", "𝐟𝐫𝐞𝐞") — NFKD compatibility mapping;
* accents and combining marks ("guaránteed") — combining marks are dropped;
* zero-width characters, soft hyphens, bidi controls ("guar\u200banteed") — format characters are dropped;
* homoglyphs from other scripts (Cyrillic "е" in "guarantееd") — a confusables table maps them to Latin;
* spaced or dotted letters ("g u a r a n t e e d", "f.r.e.e", "f_r_e_e", "f/r/e/e") — the separators are dropped; in a run of
  spaced letters, gaps wider than the narrowest one are word breaks ("S u m m i t   G e a r" → "Summit Gear");
* enclosed letters ("🅵🆁🅴🅴", "ⓕⓡⓔⓔ") — mapped to the letter they enclose;
* currency signs for letters ("fr€€", "¢heap") — a run of € or ¢ that touches a letter and is not a price;
* simple leetspeak between letters ("guar4nteed") — digits and symbols map to letters, upper-case between
  capitals ("GU4RANTEED" → "GUARANTEED") so case-sensitive terms still match; digits at a word's start or end
  ("0ff", "fre3") are undone by the term matcher, only when the word then is a term (see
  :func:`resolve_edge_leet`), so "4x4", "24/7" and "100%" stay as they are;
* parenthesised letters ("⒡"), squared words ("🆓"), regional indicators that do not pair into a flag — their
  letter or word;
* a right-to-left override ("\u202eeerf\u202c") — the letters in the order a reader sees them;
* Hangul fillers (letters that show nothing) — dropped;
* something inside a word that is no letter of it: Markdown emphasis ("f**ree**"), inline tags written in plain
  text ("fr<b></b>ee"), a hyphen at a line break ("flaw-\nless"), emoji ("fr🔥ee") — dropped;
* a percent sign of another script ("100٪") — "%"; the letter O for a zero in a number before it ("5O% off")
  — "0";
* hyphens other than "-" (the non-breaking hyphen U+2011, U+2010) — read as "-"; so are dashes and the minus
  sign between two letters ("risk–free", "Money—back"; with a space beside them or between digits they stay);
* the Braille blank between two Latin letters ("bar\u2800gain") — dropped, like a Hangul filler;
* a hyphen before another line break (U+2028, U+2029, NEL, a lone CR, VT, FF: "flaw-\u2028less") — as before "\n";
* runs of white space (two spaces, a line break, tabs, no-break and other Unicode spaces) become one space, or
  one line break when the run holds one, so a multi-word term matches whatever spacing the text uses.

HTML entities are decoded by the extractor before this runs. Every character of the normalised text keeps
the offset of the prose character it came from, so spans are reported in the original.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from itertools import islice

from brandrail.text.scan import finditer_at

__all__ = [
    "CONFUSABLES",
    "LEET",
    "LETTER_PUNCT",
    "SPACELESS_LETTER",
    "describe_spellings",
    "disguised_char",
    "fold_label",
    "fold_term",
    "normalize",
    "resolve_edge_leet",
    "resolve_second_readings",
    "same_label_spellings",
    "second_reading_spots",
    "unspell",
]

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
    "ɴ": "n", "ᴘ": "p", "ʀ": "r", "ꜱ": "s", "ᴛ": "t", "ᴜ": "u", "ꜰ": "f", "ꞯ": "q",
    # Latin letters with a hook that pass for plain ones
    "ƒ": "f", "Ƒ": "F",
    # Armenian
    "օ": "o", "ս": "u", "հ": "h", "ո": "n", "ց": "g", "զ": "q", "Օ": "O", "Ս": "U",
    # Cherokee and Lisu capitals
    "Ꭺ": "A", "Ᏼ": "B", "Ꮯ": "C", "Ꭰ": "D", "Ꮋ": "H", "Ꮶ": "K", "Ꮮ": "L", "Ꮇ": "M", "Ꮲ": "P", "Ꮪ": "S",
    "Ꭲ": "T", "Ꮩ": "V", "ꓮ": "A", "ꓐ": "B", "ꓚ": "C", "ꓓ": "D", "ꓰ": "E", "ꓝ": "F", "ꓗ": "K", "ꓡ": "L",
    "ꓟ": "M", "ꓠ": "N", "ꓑ": "P", "ꓢ": "S", "ꓔ": "T", "ꓴ": "U", "ꓦ": "V", "ꓫ": "X", "ꓬ": "Y", "ꓜ": "Z",
    "ꓖ": "G", "ꓙ": "J", "ꓣ": "R", "ꓪ": "W", "ꓧ": "H",
    # Greek extras and Coptic
    "ϱ": "p", "ϑ": "o", "ϰ": "k", "ⲟ": "o", "ⲣ": "p", "ⲥ": "c", "Ⲟ": "O", "Ⲣ": "P", "Ⲥ": "C",
    "Ⲁ": "A", "Ⲃ": "B", "Ⲉ": "E", "Ⲍ": "Z", "Ⲏ": "H", "Ⲓ": "I", "Ⲕ": "K", "Ⲙ": "M", "Ⲛ": "N", "Ⲧ": "T",
    "Ⲩ": "Y", "Ⲭ": "X",
    "Ϝ": "F", "η": "n",
    # more Cherokee capitals (Cherokee small letters are read through their capital, lower-cased)
    "Ꭱ": "R", "Ꮢ": "R", "Ꮐ": "G", "Ᏻ": "G", "Ꮓ": "Z", "Ꮤ": "W", "Ꭹ": "Y", "Ꭻ": "J", "Ꮥ": "S", "Ꮒ": "h",
    "Ꮟ": "b",
    # more Armenian
    "Տ": "S", "Լ": "L", "ա": "w",
}  # fmt: skip

#: Look-alikes that also stand for a second Latin letter, by sound: the one a Cyrillic or Greek keyboard
#: types for it and transliteration gives ("bуllshit" with Cyrillic "у" is "u" to whoever typed it though it
#: looks like "y"; "р", "с", "х" are r, s, h; Greek "ν", "ρ" are n, r). :data:`CONFUSABLES` gives the reading
#: by shape; the term matcher tries this one only inside a word that mixes scripts, and keeps it only where
#: it makes a term (:func:`resolve_second_readings`).
SECOND_READINGS: dict[str, str] = {
    "у": "u", "У": "u", "ү": "u", "Ү": "u", "р": "r", "Р": "r", "с": "s", "С": "s", "х": "h", "Х": "h",
    "в": "v", "В": "v", "н": "n", "Н": "n", "п": "p", "г": "g", "ν": "n", "Ν": "n", "ρ": "r", "Ρ": "r",
    "υ": "y", "Υ": "u", "γ": "g", "η": "i",
}  # fmt: skip

#: Letters that show nothing (Hangul fillers): read as nothing, like zero-width characters.
INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")

#: Squared words (emoji) read as the word they show: "🆓 delivery" is "FREE delivery".
SQUARED_WORDS: dict[str, str] = {
    "\U0001f191": "CL", "\U0001f192": "COOL", "\U0001f193": "FREE", "\U0001f194": "ID", "\U0001f195": "NEW",
    "\U0001f196": "NG", "\U0001f197": "OK", "\U0001f198": "SOS", "\U0001f199": "UP!", "\U0001f19a": "VS",
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
    ord(" ") if chr(i) in " .-_*/+~|:=^#" else ord("#")
    for i in range(256)
)  # fmt: skip

# (?<=[A-Za-z])[4@31!05$7]+(?=[A-Za-z]), the first symbol before the look-behind (the engine skips to it in C)
_LEET_RE = re.compile(r"[4@31!05$7](?<=[A-Za-z].)[4@31!05$7]*(?=[A-Za-z])")
# three or more single letters joined by separators: "g u a r a n t e e d", "f.r.e.e", "S u m m i t   G e a r",
# "f|r|e|e", "b—a—r—g—a—i—n", "g=u=a=r", "a^g^e", "g#u#a#r" (an underscore separates letters here: "f_r_e_e")
_SEPARATORS = r"[ .\-_*/+~=^#·•|:\u2013\u2014\t\u00a0\u30fb\u2027\u2219\u22c5\u2044\u2215\u2e31]"
# (a letter before an apostrophe and a letter opens a contraction, not a spaced letter: "a n d I'll")
_SPACED_RE = re.compile(
    rf"(?<![^\W_])(?<!['’])[A-Za-z](?:{_SEPARATORS}{{1,8}}[A-Za-z](?![^\W_])(?!['’][A-Za-z])){{2,}}"
)
# the same with leet symbols among the letters ("f r 3 3", "5 h 1 t"): every gap alike, and a digit that is part
# of a number ("SAML 1.1") is no letter; a run needs two letters and a leet symbol (see :func:`_spaced_runs`)
_LEET_CHAR = r"(?:[A-Za-z]|(?<!\d[.,])[4@310$57](?![.,]\d))(?![^\W_])(?![@$])"
_SPACED_LEET_RE = re.compile(
    rf"(?<![^\W_])(?<![\'’@$]){_LEET_CHAR}({_SEPARATORS}{{1,8}}){_LEET_CHAR}(?:\1{_LEET_CHAR})+"
)
_GAP_RE = re.compile(rf"{_SEPARATORS}+")
#: The characters of :data:`_SEPARATORS`.
_SEPARATOR_CHARS = frozenset(" .-_*/+~=^#·•|:\u2013\u2014\t\u00a0\u30fb\u2027\u2219\u22c5\u2044\u2215\u2e31")
# Where the second letter of a spaced run can stand: after a separator, a letter or leet symbol that a gap and
# a third one follow (each of the two followed by no word character). The engine skips from separator to
# separator in C; in prose a run's first letter is found from here (see :func:`_run_matches`), where the run
# patterns themselves, opening with a look-behind, are tried at every character.
_SPACED_SECOND = re.compile(rf"{_SEPARATORS}(?=[A-Za-z]{_SEPARATORS}{{1,8}}[A-Za-z](?![^\W_]))")
_SPACED_LEET_SECOND = re.compile(
    rf"{_SEPARATORS}(?=[A-Za-z4@310$57]{_SEPARATORS}{{1,8}}[A-Za-z4@310$57](?![^\W_])(?![@$]))"
)
_RUN_FIRST = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_LEET_RUN_FIRST = _RUN_FIRST | frozenset("4@310$57")
#: The first letters are found so only where the second ones are at most one per this many characters.
_SPARSE_RUNS = 256
# single letters or leet symbols with separators between: the skeleton of a spaced run (prefilter)
_SPACED_SKELETON = re.compile(rb" [a1] +[a1] +[a1] ")
# (also the katakana middle dot, hyphenation point, bullet and dot operators, fraction and division slashes and
# the word-separator middle dot: "a・g・e・l・e・s・s", "s⁄h⁄i⁄t", "P∙u∙r∙e∙v∙a")
_WIDE_SEPARATORS = tuple("·\t•\u2013\u2014\u30fb\u2027\u2219\u22c5\u2044\u2215\u2e31")
# What a reader sees as one word though the text holds something inside it, dropped from the view when it
# stands between two letters: Markdown emphasis or strike-through ("f**ree**", "guaran~~teed"), inline HTML
# tags written in plain text ("fr<b></b>ee"), a hyphen at a line break ("flaw-\nless"; before a lower-case
# letter; also after a Markdown hard break "\\", over a blank line a <br> leaves, and before a blockquote's
# ">" marks: "age-\n> less") and emoji or pictographs ("fr🔥ee", "fl👍🏽awless")
_INSIDE_WORD = re.compile(
    r"(?<=[A-Za-z])(?:"
    r"(?:</?(?:a|abbr|b|bdi|bdo|code|del|em|font|i|ins|mark|s|small|span|strike|strong|sub|sup|u|wbr)"
    r"(?:\s+[\w-]{1,30}\s*=\s*(?:\"[^\"<>\n]{0,200}\"|'[^'<>\n]{0,200}'|[^\s<>\"']{1,200}))*\s*/?>)+"
    r"|-\\?[ \t]*(?:(?:\r\n?|[\n\x0b\x0c\x85\u2028\u2029])[ \t]*){1,2}(?:>[ \t]*){0,4}(?=[a-z])"
    r"|[\u2190-\u21ff\u2300-\u23ff\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff]+"
    r")(?=[A-Za-z])"
)
_INSIDE_CANDIDATE = re.compile(r"[A-Za-z](?:<|-\\?[ \t]*[\r\n\x0b\x0c\x85\u2028\u2029])")
# a soft hyphen or a not sign after a letter at a line's end: shown as a hyphen ("bar\xad\ngain", "guaran¬\nteed")
_HYPHEN_AT_BREAK = re.compile(r"(?<=[^\W\d_])[\xad¬](?=[ \t]*(?:\r\n?|[\n\x0b\x0c\x85\u2028\u2029]))")
# line breaks other than "\n" that a hyphen may stand before ("flaw-\u2028less"): a lone carriage return,
# vertical tab, form feed, NEL, the line and paragraph separators
_OTHER_BREAKS = ("\r", "\x0b", "\x0c", "\x85", "\u2028", "\u2029")
# a word with emphasis or strike-through marks between its letters ("f**ree**", "**sh**it", "f**k"): found by
# a run of marks between two letters, then widened to the whole run of letters and marks around it (one
# pattern "[A-Za-z*~]*[A-Za-z][*~]+…" backtracked over every long word: quadratic in a word's length)
_MARKS_BETWEEN_LETTERS = re.compile(r"[A-Za-z][*~]+[A-Za-z]")
_MARKED_WORD_TAIL = re.compile(r"[A-Za-z*~]*")
_MARKED_WORD_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz*~")
_MARKS = re.compile(r"[*~]+")
# the same with "_" emphasis beside "*" ("**Flaw**_less_", "__bar__*gain*"): an underscore alone between two
# letters is no emphasis in Markdown ("is_free"), so a run between letters must hold a "*" or "~" too
# a run of marks between two letters (its first character first: the engine skips to it in C)
_MIXED_RUN = re.compile(r"[*~_](?<=[A-Za-z].)[*~_]*(?=[A-Za-z])")
_WORD_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz*~_")
#: The longest stretch either side of a mixed run read as its word (keeps the scan linear).
_MIXED_REACH = 64
_MIXED_MARKS = re.compile(r"[*~_]+")
_SAME_MARKS = re.compile(r"\*+|~+|_+")
_PICTOGRAPH = re.compile(r"[\u2190-\u21ff\u2300-\u23ff\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff]+")
# right-to-left override (shows the text after it reversed, up to a pop or the end of the line)
_RLO, _PDF = "\u202e", "\u202c"
_REGIONAL_RUN = re.compile("[\U0001f1e6-\U0001f1ff]+")
# currency signs written for a letter ("fr€€", "¢heap"): a run that touches a letter and is not a price
_MONEY_LEET = re.compile(r"(?<=[A-Za-z])[€¢]+(?![\d.,])|(?<![\d€¢])[€¢]+(?=[A-Za-z])")
_MONEY_LETTER = {"€": "e", "¢": "c"}
# enclosed letters that Unicode gives no compatibility mapping: negative circled and negative squared
# capitals ("🅵🆁🅴🅴"); the plain circled and squared ones decompose to their letter
_ENCLOSED = ((0x1F150, 0x1F169), (0x1F170, 0x1F189))
# white space to fold: a run of two or more, or any single white-space character other than " " and "\n"
_SPACE_RUN = re.compile(r"\s{2,}|[^\S \n]")
_OTHER_SPACES = "\x0b\x0c\x1c\x1d\x1e\x1f\x85\u1680\u2028\u2029"


#: Hyphens other than the ASCII one that a reader sees as it ("Risk‑free" with a non-breaking hyphen): read
#: as "-", so a hyphenated term or claim matches however the hyphen was typed, and a word hyphenated over a
#: line break is joined whichever of them ends the line. (Dashes and the minus sign are not hyphens: they stay.)
HYPHENS: dict[str, str] = {
    **dict.fromkeys("\u2010\u2011\u2043\ufe63\uff0d", "-"),
    # hyphens of other scripts and double hyphens, which a reader takes for a hyphen at a line's end too
    # ("guaran⸗\nteed", "bar゠\ngain"): the double oblique hyphen, the hyphen with diaeresis, the double
    # hyphen, the katakana-hiragana double hyphen, the Armenian hyphen, the Canadian syllabics hyphen and the
    # Mongolian soft hyphen
    **dict.fromkeys("\u2e17\u2e1a\u2e40\u30a0\u058a\u1400\u1806", "-"),
}


#: Percent signs of other scripts read as "%" ("100٪", the Arabic percent sign; the small and full-width forms
#: decompose to it already).
PERCENT_SIGNS: dict[str, str] = {"\u066a": "%"}
#: A number written with the letter O for a zero before a percent sign ("5O% off", "1OO %"): two to four
#: digits and O's, at least one of each.
_O_FOR_ZERO = re.compile(r"(?<![\w.,])(?=[0-9Oo]{0,3}[0-9])(?=[0-9]{0,3}[Oo])[0-9Oo]{2,4}(?= ?%)")


#: "percent", "per cent" and "pct" right after a number ("50 pct off", "20 per cent"): read as "%", so a
#: percentage written out is the one written with the sign (the claim patterns are written with "%").
_PERCENT_WORD = re.compile(r"(?<=\d)[ \u00a0]?(?:per[ \u00a0]?cent|pct)\b\.?", re.IGNORECASE)


def _percent_words(text: str, index: list[int] | None) -> tuple[str, list[int]]:
    """``text`` with each :data:`_PERCENT_WORD` read as "%" (standing for the word's last character, so a
    finding's span covers the word), and the index of each character kept."""
    base = index if index is not None else range(len(text))
    parts: list[str] = []
    mapped: list[int] = []
    last = 0
    for m in _PERCENT_WORD.finditer(text):
        a, b = m.span()
        parts.append(text[last:a])
        mapped.extend(base[last:a])
        parts.append("%")
        mapped.append(base[b - 1])
        last = b
    parts.append(text[last:])
    mapped.extend(base[last:])
    return "".join(parts), mapped


def _char_map(ch: str) -> str:
    mapped = CONFUSABLES.get(ch) or HYPHENS.get(ch) or PERCENT_SIGNS.get(ch)
    if mapped is not None:
        return mapped
    if ch in INVISIBLE_LETTERS:
        return ""
    code = ord(ch)
    for first, last in _ENCLOSED:
        if first <= code <= last:
            return chr(ord("A") + code - first)
    if 0x249C <= code <= 0x24B5:  # parenthesised small letters "⒡": the letter, not "(f)"
        return chr(ord("a") + code - 0x249C)
    if 0x1F110 <= code <= 0x1F129:  # parenthesised capitals
        return chr(ord("A") + code - 0x1F110)
    word = SQUARED_WORDS.get(ch)
    if word is not None:
        return word
    if 0xAB70 <= code <= 0xABBF:  # Cherokee small letters look like their capitals in small print
        capital = CONFUSABLES.get(ch.upper())
        if capital is not None:
            return capital.lower()
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
#: Dashes and the minus sign read as a hyphen between two letters ("risk–free", "Money—back", "risk−free": a
#: reader reads the hyphenated word; between digits, or with a space beside them, they stay), and the Braille
#: blank, which shows an empty cell: between two Latin letters it is read as nothing ("bar⠀gain", "s⠀h⠀i⠀t"),
#: like a Hangul filler; elsewhere (Braille text) it stays.
_DASHES = frozenset("\u2012\u2013\u2014\u2015\u2212\u2e3a\u2e3b\ufe58")
_BRAILLE_BLANK = "\u2800"
#: Letter-like punctuation: modifier letters, connector punctuation and word-separator dots that look like
#: an apostrophe, a dot, a colon, a low line or a dash. Between two letters a reader skips them as the
#: punctuation they look like ("flawʼless", "Guaran꞉teed", "Bar⸱gain", "Age‿less", "Pure¦va", "Risk⁓free",
#: "sˑhˑiˑt", "b∘a∘r∘g∘a∘i∘n", "A×G×E"), so there they are read as that ASCII-like mark ("’", "·", "_", "-"), which the term matcher's
#: readings of punctuation inside a word and of separated letters already handle; beside a space, a digit or
#: a CJK or kana character (IPA "/bɑːɡən/", "1∙2 ml", a menu "Shop ・ Learn", "新作・スキンケア") they stay.
LETTER_PUNCT: dict[str, str] = {
    **dict.fromkeys("\u02bc\u02bb\u02bd\u02c8\u02b9\ua78c\u2032", "\u2019"),
    **dict.fromkeys(
        "\u02d0\u02d1\ua789\ua78a\u02f8\u2e31\u2e30\u2027\u30fb\uff65\u2219\u22c5\u00a6\u205a\u205d"
        "\u2981\u16eb\u16ec\u00b7"
        # operators, the ratio sign, asterisks and degree-like rings set between letters as separators
        # ("b∘a∘r", "A×G×E", "F∶R∶E∶E", "g∗u∗a", "f⁎l⁎a", "A°G°E", "b˚a˚r")
        "\u2218\u00d7\u2236\u2217\u204e\u00b0\u02da"
        # raised and other dots and the almost-equal sign ("P⸳u⸳r⸳e", "Pᐧuᐧr", "fꞏlꞏa", "b≈a≈r")
        "\u2e33\u1427\ua78f\u2248",
        "\u00b7",
    ),
    **dict.fromkeys("\u203f\u2040\u2054\ufe4d\ufe4e\ufe4f\u2017", "_"),
    **dict.fromkeys("\u2053\u02d7\u223c\u301c", "-"),
}
_BETWEEN_LETTERS = _DASHES | {_BRAILLE_BLANK} | LETTER_PUNCT.keys()


def _alphabet_letter(ch: str) -> bool:
    """Whether ``ch`` is a letter of an alphabet (Latin, Greek, Cyrillic, …), not of CJK or kana, where a
    middle dot separates words ("新作・スキンケア"), and not letter-like punctuation itself."""
    return ch.isalpha() and ord(ch) < 0x2E80 and ch not in LETTER_PUNCT


def _between_letters(source: str, i: int, ch: str) -> str:
    """The reading of the dash, Braille blank or letter-like punctuation ``ch`` at ``source[i]`` (see
    :data:`_BETWEEN_LETTERS`, :data:`LETTER_PUNCT`)."""
    before = source[i - 1] if i > 0 else " "
    after = source[i + 1] if i + 1 < len(source) else " "
    punct = LETTER_PUNCT.get(ch)
    if punct is not None:
        if ch == punct:  # the middle dot itself: no change
            return ch
        return punct if _alphabet_letter(before) and _alphabet_letter(after) else _map_cached(ch)
    if ch == _BRAILLE_BLANK:
        latin = before.isascii() and before.isalpha() and after.isascii() and after.isalpha()
        return "" if latin else ch
    return "-" if before.isalpha() and after.isalpha() else ch


#: Letters of scripts written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer, Myanmar; not the kana middle dot or double hyphen, which are
#: punctuation) and
#: Hangul, whose particles attach to a Latin word: where one meets a Latin letter ("这款精华guaranteed有效",
#: "肌がｆｌａｗｌｅｓｓに", "크림은flawless해요") a reader sees the Latin word as a word of its own, so the view
#: puts a space there (mapped to the script's character) and the word rules find the word at word boundaries.
_SPACELESS = (
    "\u0e00-\u0eff\u1000-\u109f\u1100-\u11ff\u1780-\u17ff\u2e80-\u2fdf\u3040-\u309f\u30a1-\u30fa\u30fc-\u30ff\u3100-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uffdc\U00020000-\U0003134f"
)
_LATIN_LETTER = "A-Za-z\u00c0-\u024f\uff21-\uff3a\uff41-\uff5a"
_SPACELESS_EDGE = re.compile(f"(?<=[{_LATIN_LETTER}])[{_SPACELESS}]|[{_SPACELESS}](?=[{_LATIN_LETTER}])")


def _spaceless_edges(source: str) -> dict[int, str]:
    """The characters of a spaceless script next to a Latin letter (:data:`_SPACELESS`), each read with a space
    on the Latin letter's side."""
    out: dict[int, str] = {}
    n = len(source)
    for m in _SPACELESS_EDGE.finditer(source):
        i = m.start()
        ch = m.group()
        mapped = _map_cached(ch)
        if not mapped or not ch.isalpha():
            # a vowel sign or tone mark that ends a word of the script before a Latin letter ("นี้guaranteed")
            # is dropped from the view: the space takes its place; a filler or a sign that shows nothing
            # between Latin letters ("flaㅤwless", "Fla\u17b4wless") stays nothing
            if (
                i > 0
                and unicodedata.category(ch)[0] == "M"
                and SPACELESS_LETTER.match(source, i - 1)
                and _LATIN_EDGE.match(source, i + 1)
            ):
                out[i] = " "
            continue
        before = " " if i > 0 and _LATIN_EDGE.match(source, i - 1) else ""
        after = " " if i + 1 < n and _LATIN_EDGE.match(source, i + 1) else ""
        out[i] = before + mapped + after
    return out


_LATIN_EDGE = re.compile(f"[{_LATIN_LETTER}]")
#: A letter of a spaceless script or Hangul (:data:`_SPACELESS`).
SPACELESS_LETTER = re.compile(f"[{_SPACELESS}]")

_MAP_CACHE: dict[str, str] = {}


def _map_cached(ch: str) -> str:
    found = _MAP_CACHE.get(ch)
    if found is None:
        found = _char_map(ch)
        if len(_MAP_CACHE) < 65536:
            _MAP_CACHE[ch] = found
    return found


def normalize(
    prose: str,
    *,
    reorder: bool = True,
    fragments: list[tuple[int, int, int]] | None = None,
    dropped: list[tuple[int, int]] | None = None,
) -> tuple[str, list[int] | None]:
    """Normalise ``prose``; return the text and, unless it is the identity, the source index of each char.

    The map holds, for each character of the result, the index in ``prose`` it came from. With ``reorder``
    (the default) text under a right-to-left override is read in the order a reader sees it; without, in the
    order it is stored (the term matcher reads both). ``fragments``, when given, receives the short fragments
    that start or end a spaced run (see :func:`unspell`), in ``prose`` offsets; ``dropped``, when given, the
    (start, end) in ``prose`` of each run of emoji or pictographs dropped from inside a word ("fr🔥ee").
    """
    index: list[int] | None
    if prose.isascii():
        text = prose
        index = None
    else:
        source = prose
        order = None
        if reorder and _RLO in prose:
            source, order = _reorder_overrides(prose)
        # only the non-ASCII characters need a look-up; ASCII runs are copied as slices
        chars: list[str] = []
        index = []
        changed = order is not None
        cursor = 0
        special = _money_letters(source) if "€" in source or "¢" in source else {}
        if "\xad" in source or "¬" in source:
            # a soft hyphen or a not sign (a typesetter's hyphen) at a line's end shows as a hyphen there
            special.update((m.start(), "-") for m in _HYPHEN_AT_BREAK.finditer(source))
        if _REGIONAL_RUN.search(source):
            special.update(_regional_letters(source))
        if SPACELESS_LETTER.search(source):
            special.update(_spaceless_edges(source))
        for m in _NON_ASCII.finditer(source):
            i = m.start()
            ch = m.group()
            mapped = special.get(i)
            if mapped is None:
                mapped = _between_letters(source, i, ch) if ch in _BETWEEN_LETTERS else _map_cached(ch)
            if mapped == ch:
                continue
            changed = True
            if i > cursor:
                chars.append(source[cursor:i])
                index.extend(range(cursor, i))
            chars.append(mapped)
            index.extend([i] * len(mapped))
            cursor = i + 1
        if changed and cursor < len(source):
            chars.append(source[cursor:])
            index.extend(range(cursor, len(source)))
        if changed:
            text = "".join(chars)
            if order is not None:
                index = [order[i] for i in index]
        else:
            text, index = prose, None
    text, index = _join_inside_words(text, index, dropped)
    if "%" in text and _O_FOR_ZERO.search(text):  # one character for one: the offsets stay
        text = _O_FOR_ZERO.sub(lambda m: m.group().replace("O", "0").replace("o", "0"), text)
    if ("pc" in text or "PC" in text or "cent" in text or "CENT" in text) and _PERCENT_WORD.search(text):
        text, index = _percent_words(text, index)
    text, index = unspell(text, index, fragments=fragments)
    if _has_space_run(text):
        if index is None:
            index = list(range(len(text)))
        run_chars: list[str] = []
        run_index: list[int] = []
        cursor = 0
        for m in _SPACE_RUN.finditer(text):
            run_chars.append(text[cursor : m.start()])
            run_index.extend(index[cursor : m.start()])
            run_chars.append("\n" if "\n" in m.group() else " ")
            run_index.append(index[m.start()])
            cursor = m.end()
        run_chars.append(text[cursor:])
        run_index.extend(index[cursor:])
        text = "".join(run_chars)
        index = run_index
    return text, index


def _reorder_overrides(prose: str) -> tuple[str, list[int]]:
    """``prose`` in the order a reader sees it under right-to-left overrides, and the source index of each char.

    A right-to-left override (U+202E) shows the text after it reversed up to a pop (U+202C) or the end of the
    line, so "\u202eeerf\u202c" is read "free". Linear: each line is walked once.
    """
    out: list[str] = []
    order: list[int] = []
    cursor = 0
    n = len(prose)
    while True:
        start = prose.find(_RLO, cursor)
        if start < 0:
            break
        out.append(prose[cursor : start + 1])
        order.extend(range(cursor, start + 1))
        line_end = prose.find("\n", start + 1)
        if line_end < 0:
            line_end = n
        end = prose.find(_PDF, start + 1, line_end)
        if end < 0:
            end = line_end
        out.append(prose[start + 1 : end][::-1])
        order.extend(range(end - 1, start, -1))
        cursor = end
    out.append(prose[cursor:])
    order.extend(range(cursor, n))
    return "".join(out), order


def _regional_letters(text: str) -> dict[int, str]:
    """Regional-indicator symbols that show as letters, not flags, and their letter.

    Renderers pair adjacent regional indicators into flags ("🇫🇷🇪🇪" is France and Estonia); one that is left
    over (alone, split from the next by an invisible character or a space, or the odd one at a run's end) shows
    as a boxed letter: "🇫\u200b🇷\u200b🇪\u200b🇪" reads "FREE".
    """
    out: dict[int, str] = {}
    for m in _REGIONAL_RUN.finditer(text):
        if (m.end() - m.start()) % 2:
            last = m.end() - 1
            out[last] = chr(ord("A") + ord(text[last]) - 0x1F1E6)
    return out


def _emphasis_cuts(text: str) -> list[tuple[int, int]]:
    """The runs of ``*`` or ``~`` between two letters that are Markdown emphasis, not a mask: a run whose twin
    (the same marks) opens or closes it in the same word ("f**ree**", "**sh**it", "fl*aw*less") or an empty pair
    ("guaran~~~~teed"); "f**k" and "F*cking" are masked words (BR602 reads those). Linear: each word once."""
    cuts: list[tuple[int, int]] = []
    for start, end in _marked_words(text):
        runs = list(_MARKS.finditer(text, start, end))
        count = Counter(r.group() for r in runs)
        for r in runs:
            a, b = r.span()
            mark = r.group()
            inside = a > start and b < end  # letters on both sides (the word ends in letters or marks)
            if not inside or not text[a - 1].isalpha() or not text[b].isalpha():
                continue
            if count[mark] >= 2 or (len(mark) >= 4 and len(mark) % 2 == 0 and len(set(mark)) == 1):
                cuts.append((a, b))
    if "_" in text:
        cuts.extend(_mixed_emphasis_cuts(text))
    return cuts


def _marked_words(text: str) -> Iterator[tuple[int, int]]:
    """The spans of the whole runs of letters, ``*`` and ``~`` that hold a run of marks between two letters
    (what ``[A-Za-z*~]*[A-Za-z][*~]+[A-Za-z][A-Za-z*~]*`` finds), each run read once: linear."""
    end = 0
    while (hit := _MARKS_BETWEEN_LETTERS.search(text, end)) is not None:
        start = hit.start()
        while start > end and text[start - 1] in _MARKED_WORD_CHARS:
            start -= 1
        tail = _MARKED_WORD_TAIL.match(text, hit.end())
        end = tail.end() if tail is not None else hit.end()
        yield start, end


class _Span:
    __slots__ = ("_a", "_b")

    def __init__(self, a: int, b: int) -> None:
        self._a, self._b = a, b

    def start(self) -> int:
        return self._a

    def end(self) -> int:
        return self._b


def _mixed_emphasis_cuts(text: str) -> list[tuple[int, int]]:
    """Runs between two letters that close one kind of emphasis and open another ("**Flaw**_less_",
    "***guaran***_teed_", "__bar__*gain*"): cut when every part of the run (a run of one mark) has a twin in
    the same word. Linear: each word once."""
    cuts: list[tuple[int, int]] = []
    done = 0
    for hit in _MIXED_RUN.finditer(text):
        run = hit.group()
        if hit.start() < done or "_" not in run or ("*" not in run and "~" not in run):
            continue  # inside a word already read, or not a run that changes emphasis marks
        # the word around the run: letters and marks on either side, at most _MIXED_REACH characters each way
        a, b = hit.start(), hit.end()
        while a > 0 and hit.start() - a < _MIXED_REACH and text[a - 1] in _WORD_CHARS:
            a -= 1
        while b < len(text) and b - hit.end() < _MIXED_REACH and text[b] in _WORD_CHARS:
            b += 1
        done = b
        word = _Span(a, b)
        runs = list(_MIXED_MARKS.finditer(text, word.start(), word.end()))
        count = Counter(p.group() for r in runs for p in _SAME_MARKS.finditer(r.group()))
        paired = [r for r in runs if all(count[p.group()] >= 2 for p in _SAME_MARKS.finditer(r.group()))]
        inner = [
            r.span() for r in paired if "_" in r.group() and r.start() > word.start() and r.end() < word.end()
        ]
        if inner:
            # the "_" marks at the word's edges go too: "_" is a word character, so "flawless_" is no word
            edges = [r.span() for r in paired if "_" in r.group() and r.span() not in inner]
            cuts.extend(inner + edges)
    return cuts


def _join_inside_words(
    text: str, index: list[int] | None, dropped: list[tuple[int, int]] | None = None
) -> tuple[str, list[int] | None]:
    """``text`` without what stands inside a word but is no letter of it (:data:`_INSIDE_WORD`: emphasis
    marks, inline tags, a hyphen at a line break, emoji), with the source index of each character kept; the
    spans of the emoji dropped are added to ``dropped`` (in the offsets ``index`` maps to) when it is given."""
    # candidate positions first (a plain character-class scan), then the full pattern only there
    starts: list[int] = []
    emphasis = _emphasis_cuts(text) if "*" in text or "~" in text else []
    if "<" in text or "\n" in text or ("-" in text and any(c in text for c in _OTHER_BREAKS)):
        starts.extend(m.start() + 1 for m in _INSIDE_CANDIDATE.finditer(text))
    if not text.isascii():
        starts.extend(
            m.start()
            for m in _PICTOGRAPH.finditer(text)
            if m.start() > 0 and text[m.start() - 1].isascii() and text[m.start() - 1].isalpha()
        )
    if not starts and not emphasis:
        return text, index
    found = list(emphasis)
    for p in sorted(starts):
        m = _INSIDE_WORD.match(text, p)
        if m is not None:
            found.append(m.span())
    found.sort()
    cuts: list[tuple[int, int]] = []
    for a, b in found:
        if not cuts or a >= cuts[-1][1]:
            cuts.append((a, b))
    if not cuts:
        return text, index
    if dropped is not None:
        for a, b in cuts:
            if _PICTOGRAPH.match(text, a):
                dropped.append((a, b) if index is None else (index[a], index[b - 1] + 1))
    if index is None:
        index = list(range(len(text)))
    keep_chars: list[str] = []
    keep_index: list[int] = []
    cursor = 0
    for a, b in cuts:
        keep_chars.append(text[cursor:a])
        keep_index.extend(index[cursor:a])
        cursor = b
    keep_chars.append(text[cursor:])
    keep_index.extend(index[cursor:])
    return "".join(keep_chars), keep_index


_STYLED_TAGS = ("<font>", "<circle>", "<super>", "<sub>", "<square>")


def disguised_char(ch: str) -> bool:
    """Whether ``ch`` is a disguise of a Latin letter rather than a way of writing one: a look-alike from another
    script (Cyrillic "е", Cherokee "Ꮯ"), a Latin small capital, a mathematical, enclosed, parenthesised,
    superscript or subscript letter, a regional indicator or a squared word. Accented letters, full-width
    forms (as CJK input methods type them), ligatures and invisible characters are not disguises: a reader and
    a screen reader read them as the letters they are."""
    if ch.isascii():
        return False
    code = ord(ch)
    if 0x1F100 <= code <= 0x1F1FF or 0x2460 <= code <= 0x24FF:  # enclosed alphanumerics, regional indicators
        return True
    if unicodedata.decomposition(ch).startswith(_STYLED_TAGS):
        return True
    if ch in CONFUSABLES:
        name = unicodedata.name(ch, "")
        return not name.startswith("LATIN") or "SMALL CAPITAL" in name
    return 0xAB70 <= code <= 0xABBF  # Cherokee small letters


def _money_letters(prose: str) -> dict[int, str]:
    """Positions of currency signs written for letters ("fr€€" → "free", "FR€€" → "FREE") and their letter."""
    out: dict[int, str] = {}
    for m in _MONEY_LEET.finditer(prose):
        a, b = m.span()
        beside = prose[a - 1] if a > 0 and prose[a - 1].isalpha() else prose[b] if b < len(prose) else "a"
        for i in range(a, b):
            letter = _MONEY_LETTER[prose[i]]
            out[i] = letter.upper() if beside.isupper() else letter
    return out


def unspell(
    text: str,
    index: list[int] | None,
    *,
    leet: bool = True,
    words: frozenset[str] | None = None,
    fragments: list[tuple[int, int, int]] | None = None,
) -> tuple[str, list[int] | None]:
    """``text`` with leetspeak between letters read as letters ("guar4nteed", "GU4RANTEED"; only when
    ``leet``) and spaced or dotted letters joined ("f r e e", "L-a-s-t c-h-a-n-c-e" → "Last chance"; with
    ``words``, a word of three letters or fewer, or of one letter repeated, only when it is one of them, so
    texting's "u r a" and kisses "x x x x" stay), with the source index of each character (``index`` carried
    over: None means the identity).

    A fragment of one to three letters or leet symbols that stands before or after a spaced run with the run's
    own gap ("fl 4 w l 3 s s", "m i r 4 c le") may be the word's first or last letters, or a short word of its
    own ("is a b c"): it is not joined here (nothing here knows the words), but when ``fragments`` is given each
    one is added to it as (start, end, side) in the source offsets of ``index``, ``side`` 1 when the run
    follows it and -1 when the run precedes it; the term matcher reads the join only where it makes a term
    (:func:`brandrail.content.matching.punctuated_readings`)."""
    skeleton = b" " + text.encode("utf-8", "surrogatepass").translate(_SKELETON) + b" "
    if leet and b"a1" in skeleton and b"1a" in skeleton and _LEET_RE.search(text):
        text = _LEET_RE.sub(_unleet, text)
        skeleton = b" " + text.encode("utf-8", "surrogatepass").translate(_SKELETON) + b" "
    maybe_spaced = (
        b" a a a " in skeleton
        or b" a  a" in skeleton
        or _SPACED_SKELETON.search(skeleton) is not None
        or (not text.isascii() and any(c in text for c in _WIDE_SEPARATORS))
        or "\t" in text
    )
    spaced = _spaced_runs(text, skeleton) if maybe_spaced else []
    if not spaced:
        return text, index
    source = index
    if index is None:
        index = list(range(len(text)))
    keep_chars: list[str] = []
    keep_index: list[int] = []
    cursor = 0
    joined_any = False
    for m in spaced:
        keep_chars.append(text[cursor : m.start()])
        keep_index.extend(index[cursor : m.start()])
        gaps = list(_GAP_RE.finditer(text, m.start(), m.end()))
        shapes = [g.group() for g in gaps]
        narrowest = min(map(len, shapes))
        # the usual gap between letters: a gap wider than the narrowest one, or a space among gaps that
        # are not spaces ("L-a-s-t c-h-a-n-c-e"), separates words, and one space stays there
        usual = shapes[0] if len(set(shapes)) == 1 else Counter(shapes).most_common(1)[0][0]
        spaced_usual = " " in usual
        if fragments is not None:
            for a, b, side in _edge_fragments(text, m.start(), m.end(), narrowest):
                fragments.append((index[a], index[b - 1] + 1, side))
        start = m.start()  # of the current word of the run
        for g, gap in [*zip(gaps, shapes, strict=True), (None, "")]:
            if g is not None and len(gap) <= narrowest and (spaced_usual or " " not in gap):
                continue
            end = m.end() if g is None else g.start()
            # inside a word every gap is as wide as the narrowest: its letters are a stride apart
            letters = text[start : end : narrowest + 1]
            if not letters.isalpha() and _LEET_RE.search(letters):
                letters = _LEET_RE.sub(_unleet, letters)  # "f r 3 3" → "fr33"; "g u 4 r" → "guar"
            # with a vocabulary, a word of three letters or fewer (or of one letter repeated) is joined only
            # when it is a word: texting's "u r a" and kisses "x x x x" stay as they are
            low = letters.lower()
            if words is None or (len(low) >= 4 and len(set(low)) > 1) or low in words:
                keep_chars.append(letters)
                keep_index.extend(index[start : end : narrowest + 1])
                joined_any = True
            else:
                keep_chars.append(text[start:end])
                keep_index.extend(index[start:end])
            if g is not None:
                keep_chars.append(" ")
                keep_index.append(index[g.start()])
                start = g.end()
        cursor = m.end()
    if not joined_any:
        return text, source
    keep_chars.append(text[cursor:])
    keep_index.extend(index[cursor:])
    return "".join(keep_chars), keep_index


_FRAGMENT_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") | frozenset(LEET)


def _edge_fragments(text: str, a: int, b: int, narrowest: int) -> list[tuple[int, int, int]]:
    """The fragments of one to three letters or leet symbols right before and after the spaced run
    ``text[a:b]``, kept from it by the run's own gap between letters (its first gap before it, its last after
    it): (start, end, side) with ``side`` 1 before the run and -1 after it. A fragment starts and ends a word
    of the text (no letter, digit, "@", "$" or apostrophe next to it)."""
    out: list[tuple[int, int, int]] = []
    n = len(text)
    gap = text[a + 1 : a + 1 + narrowest]
    j = a - narrowest
    if j > 0 and text[j:a] == gap:
        i = j
        while i > 0 and j - i <= 3 and text[i - 1] in _FRAGMENT_CHARS:
            i -= 1
        if 0 < j - i <= 3 and (i == 0 or not _word_edge(text[i - 1])):
            out.append((i, j, 1))
    gap = text[b - 1 - narrowest : b - 1]
    j = b + narrowest
    if j < n and text[b:j] == gap:
        i = j
        while i < n and i - j <= 3 and text[i] in _FRAGMENT_CHARS:
            i += 1
        if 0 < i - j <= 3 and (i == n or not _word_edge(text[i])):
            out.append((j, i, -1))
    return out


def _word_edge(ch: str) -> bool:
    """Whether ``ch`` continues a word a fragment would be part of (a letter, digit, "_", "@", "$", an
    apostrophe)."""
    return ch.isalnum() or ch in "_@$'’"


_LEET_SYMBOLS = frozenset(LEET)


def _spaced_runs(text: str, skeleton: bytes) -> list[re.Match[str]]:
    """The spaced-letter runs of ``text`` in order, without overlaps: :data:`_SPACED_RE`'s, and where leet symbols
    stand among spaced letters (:data:`_SPACED_LEET_RE`: two letters and a leet symbol at least), the longer
    leet run instead of the letter runs inside it."""
    runs = list(_run_matches(_SPACED_RE, text, _SPACED_SECOND, _RUN_FIRST))
    if b"1 " not in skeleton and b" 1" not in skeleton:
        return runs
    # the two tests counted in C (map, isdisjoint): a megabyte of spaced letters holds ~50,000 candidate runs
    leet = [
        m
        for m in _run_matches(_SPACED_LEET_RE, text, _SPACED_LEET_SECOND, _LEET_RUN_FIRST)
        if not _LEET_SYMBOLS.isdisjoint(m[0]) and sum(map(str.isalpha, m[0])) >= 2
    ]
    if not leet:
        return runs
    merged: list[re.Match[str]] = []
    j = 0
    for m in leet:
        while j < len(runs) and runs[j].start() < m.start():
            if runs[j].end() <= m.start():
                merged.append(runs[j])
            j += 1
        while j < len(runs) and runs[j].start() < m.end():
            j += 1  # inside (or overlapping) the leet run: the leet run reads it
        if merged and merged[-1].end() > m.start():
            continue
        merged.append(m)
    merged.extend(runs[j:])
    return merged


def _run_matches(
    rx: re.Pattern[str], text: str, second: re.Pattern[str], first: frozenset[str]
) -> Iterable[re.Match[str]]:
    """``rx.finditer(text)`` for a spaced-run pattern (:data:`_SPACED_RE`, :data:`_SPACED_LEET_RE`): tried only
    at the first letter of each possible run when ``second`` (:data:`_SPACED_SECOND`...) finds few places
    where its second letter can stand. Every run's second letter follows a separator that ``second`` matches,
    and the run's first letter is the one character of ``first`` before the separators in front of it (one to
    eight, all of :data:`_SEPARATOR_CHARS`): walked back to from each match of ``second``."""
    limit = len(text) // _SPARSE_RUNS + 1
    hints = [m.start() for m in islice(second.finditer(text), limit + 1)]
    if len(hints) > limit:  # letters spaced throughout: the pattern's own scan is cheaper
        return rx.finditer(text)
    starts = []
    for h in hints:
        j = h
        while j >= 0 and h - j < 8 and text[j] in _SEPARATOR_CHARS:
            j -= 1
        if j >= 0 and text[j] in first:
            starts.append(j)
    return finditer_at(rx, text, starts)


def _has_space_run(text: str) -> bool:
    """A cheap test for white space to fold (substring tests; no regular expression)."""
    if text.isprintable():  # one line, no tabs or control characters: only double spaces can fold
        return "  " in text
    if "  " in text or "\t" in text or "\r" in text or "\n\n" in text or " \n" in text or "\n " in text:
        return True
    # other white space left after the compatibility mapping (which turns no-break, em and other spaces
    # into " "): vertical tab, form feed, information separators, NEL, ogham space, line/paragraph separator
    return any(c in text for c in _OTHER_SPACES)


def _unleet(m: re.Match[str]) -> str:
    """Leet symbols between letters as letters, upper-case when both neighbours are capitals."""
    text = m.string
    upper = text[m.start() - 1].isupper() and text[m.end()].isupper()
    mapped = "".join(LEET[c] for c in m.group())
    return mapped.upper() if upper else mapped


# a word of letters and leet symbols with a leet symbol at its start or end ("0ff", "fre3", "$ave")
_EDGE_LEET = re.compile(
    r"(?<![\w@$])(?:[4@3105$7]+[a-z][a-z4@31!05$7]*|[a-z][a-z4@31!05$7]*[4@3105$7]+)(?![\w@$])"
)
_EDGE_CANDIDATE = re.compile(rb" 1+a|a1+ ")
# a leet symbol that starts or ends a word: every match of _EDGE_LEET starts at one or ends at one
_EDGE_SYMBOL = re.compile(r"[4@3105$7](?:(?<![\w@$][4@3105$7])|(?![\w@$]))")
_WORDISH = re.compile(r"[\w@$]")
_EDGE_BODY = frozenset("abcdefghijklmnopqrstuvwxyz4@31!05$7")
#: The edge symbols are walked from only when there is at most one per this many characters.
_SPARSE = 100
# letters 'a', leet symbols '1', anything else ' ': "a1"/"1a" in it means a letter touches a leet symbol
_EDGE_SKELETON = bytes(
    ord("a") if chr(i).isascii() and chr(i).isalpha() else ord("1") if chr(i) in "4@3105$7" else ord(" ")
    for i in range(256)
)


def _edge_leet_starts(folded: str, limit: int | None = None) -> list[int] | None:
    """Every position where a match of _EDGE_LEET can start, in order: a leet symbol that starts a word, or,
    before a leet symbol that ends a word, each position of the letters and symbols the match may cover
    that does not follow a word character. None when there are more than ``limit`` such symbols (by
    default one per :data:`_SPARSE` characters: numbers or leet throughout), where trying the pattern
    everywhere is cheaper."""
    if limit is None:
        limit = len(folded) // _SPARSE
    symbols: list[int] = []
    for m in _EDGE_SYMBOL.finditer(folded):
        if len(symbols) >= limit:
            return None
        symbols.append(m.start())
    found: set[int] = set()
    wordish = _WORDISH.match
    walked = 0  # positions before this were walked from an earlier symbol (keeps the walk linear)
    for q in symbols:
        if q == 0 or not wordish(folded, q - 1):
            found.add(q)  # starts a word (and may end it too)
        r = q
        while r > walked and folded[r - 1] in _EDGE_BODY:
            r -= 1
            if r == 0 or not wordish(folded, r - 1):
                found.add(r)
        walked = q
    return sorted(found)


def resolve_edge_leet(folded: str, words: frozenset[str] | set[str]) -> str:
    """``folded`` with leet symbols at the edges of a word turned into letters when the result is in ``words``.

    Same length and offsets as ``folded``. Only a word of at least two letters whose leet-free form is one of
    ``words`` (the single words of the policy's terms) changes, so "4x4", "24/7", "100%", "3rd", "$50" and
    phone numbers are left alone, and so is any word that is not a term.
    """
    # a prefilter on a byte skeleton (offsets need not match): a leet run at a word's edge next to a letter
    skeleton = b" " + folded.encode("utf-8", "surrogatepass").translate(_EDGE_SKELETON) + b" "
    if (b"a1" not in skeleton and b"1a" not in skeleton) or not _EDGE_CANDIDATE.search(skeleton):
        return folded
    out: list[str] | None = None
    starts = _edge_leet_starts(folded)
    for m in _EDGE_LEET.finditer(folded) if starts is None else finditer_at(_EDGE_LEET, folded, starts):
        token = m.group()
        letters = sum(c.isalpha() for c in token)
        # one letter is enough beside a symbol that is no digit ("$0l", "5h!7"); "5h17", "4x4" stay
        if letters < 2 and not (letters == 1 and len(token) >= 3 and not all(c.isalnum() for c in token)):
            continue
        plain = "".join(LEET.get(c, c) for c in token)
        if plain in words:
            if out is None:
                out = list(folded)
            out[m.start() : m.end()] = plain
    return folded if out is None else "".join(out)


_SECOND_RE = re.compile("[" + "".join(SECOND_READINGS) + "]")
#: At most this many look-alikes with a second reading are tried together in one word (2**n readings).
_SECOND_MAX = 4


def second_reading_spots(prose: str) -> list[int]:
    """The offsets in ``prose`` of the look-alikes that have a second reading (:data:`SECOND_READINGS`)."""
    return [] if prose.isascii() else [m.start() for m in _SECOND_RE.finditer(prose)]


def resolve_second_readings(
    folded: str,
    prose: str,
    index: list[int] | None,
    words: frozenset[str] | set[str],
    spots: list[int] | None = None,
) -> str:
    """``folded`` (the folded view of ``prose``, ``index`` its map to ``prose``, in order) with look-alikes read
    by their second letter (:data:`SECOND_READINGS`: Cyrillic "у" as "u", not "y") where the word they stand
    in then is one of ``words`` and was not one by their shape. Only in a word that mixes scripts (an ASCII
    letter or digit beside the look-alike: "bуllshit"), so a word written wholly in Cyrillic or Greek is read
    as before ("сух" is Russian, not a disguise). Leet symbols in the word read as letters ("bуll5h1t").
    Same length and offsets as ``folded``. ``spots``: :func:`second_reading_spots` of ``prose``, if known."""
    if index is None or prose.isascii():
        return folded
    hits = second_reading_spots(prose) if spots is None else spots
    if not hits:
        return folded
    out: list[str] | None = None
    done = -1
    n = len(folded)
    for p in hits:
        v = bisect_left(index, p)
        if v >= n or index[v] != p or v < done:
            continue
        a, b = v, v + 1
        while a > 0 and folded[a - 1] in _EDGE_BODY:
            a -= 1
        while b < n and folded[b] in _EDGE_BODY:
            b += 1
        done = b
        sources = [prose[index[i]] for i in range(a, b)]
        if not any(c.isascii() and c.isalnum() for c in sources):
            continue  # a word in one script: that script's word
        word = [LEET.get(c, c) for c in folded[a:b]]
        if "".join(word) in words:
            continue
        spots = [i for i, c in enumerate(sources) if c in SECOND_READINGS][:_SECOND_MAX]
        for mask in range(1, 1 << len(spots)):
            trial = list(word)
            for bit, i in enumerate(spots):
                if mask >> bit & 1:
                    trial[i] = SECOND_READINGS[sources[i]]
            reading = "".join(trial)
            if reading in words:
                if out is None:
                    out = list(folded)
                out[a:b] = reading
                break
    return folded if out is None else "".join(out)


def fold_term(term: str) -> str:
    """Normalise a policy term exactly as prose is normalised, then lower-case it."""
    text, _ = normalize(term)
    return text.lower()


def fold_label(label: str) -> str:
    """A category label as a reader takes it (:func:`fold_term`, runs of white space as one space, the ends
    trimmed): "Female ", "ｆｅｍａｌｅ" and "fеmale" (Cyrillic е) all read "female"."""
    return " ".join(fold_term(label).split())


def same_label_spellings(labels: Iterable[str]) -> list[list[str]]:
    """The labels that spell one category in several ways (same :func:`fold_label`), each list sorted, the
    most spellings first; empty when every label reads differently."""
    by_key: dict[str, list[str]] = {}
    for label in dict.fromkeys(labels):
        by_key.setdefault(fold_label(label), []).append(label)
    return sorted((sorted(v) for v in by_key.values() if len(v) > 1), key=lambda v: (-len(v), v))


def describe_spellings(groups: list[list[str]], count: Mapping[str, int], unit: str) -> str:
    """:func:`same_label_spellings` for an error message: the first three groups, each spelling with its
    ``count`` in ``unit`` ("'Female' (40 rows), 'female' (12 rows); ..."), the rest summed up."""
    listed = "; ".join(
        ", ".join(f"{v!r} ({count[v]} {unit})" for v in vs[:8])
        + (f" and {len(vs) - 8} more" if len(vs) > 8 else "")
        for vs in groups[:3]
    )
    return listed + (f"; and {len(groups) - 3} more groups" if len(groups) > 3 else "")
