"""Text as a reader sees it: characters that render as nothing, and letters that imitate Latin ones.

Two disguises change what a program reads without changing what a person sees: invisible characters
(zero-width spaces, soft hyphens, bidi controls, tag characters) inside words, and look-alike letters (a
Cyrillic "е" in "frее", full-width "ｆｒｅｅ"). BR901 and BR902 report them; the tone profile reads the text
with them undone (:func:`as_read`), so "H\\u200burry" still reads as pressure. Emoji sequences keep their
joiners and selectors, and words wholly in another script are left as they are.

A third disguise is in the spelling: leetspeak ("0nly 2 l3ft", "N0W") and spaced or dotted letters
("L A S T  C H A N C E", "f.r.e.e"). :func:`as_meant` undoes it too, for the readers that judge what a message
says (the tone profile, the voice model); the personal-data scan keeps :func:`as_read`, where a digit is a digit.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from brandrail.text.normalize import CONFUSABLES, LEET, SPACELESS_LETTER, unspell

__all__ = ["LookAlikeWord", "as_meant", "as_read", "disguise", "hidden_runs", "look_alike_words", "snippet"]

#: Invisible characters that are not format characters (Cf) but render as nothing.
_INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e\u180b\u180c\u180d\u180f")
# every format character (Unicode category Cf) plus the invisible fillers and variation selectors
_CANDIDATES = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u180b-\u180f\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f\U000e0100-\U000e01ef]"
)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


#: The zero-width non-joiner and joiner, and the Mongolian free variation selectors: part of correct spelling
#: in the scripts below, between that script's letters and signs.
_JOINERS = frozenset("\u200c\u200d\u180b\u180c\u180d\u180f")
#: Scripts whose spelling uses the joiners (the first word of a character's Unicode name): Persian and Urdu
#: write "می\u200cخواهم", Indic scripts ask for half forms and conjuncts with a joiner after the virama
#: ("क्\u200dया", Malayalam chillu "ന്\u200d", Sinhala "ශ්\u200dරී"), Mongolian picks letter forms with the
#: variation selectors.
_JOINING_SCRIPTS = frozenset(
    [
        "ARABIC",
        "SYRIAC",
        "NKO",
        "MANDAIC",
        "DEVANAGARI",
        "BENGALI",
        "GURMUKHI",
        "GUJARATI",
        "ORIYA",
        "TAMIL",
        "TELUGU",
        "KANNADA",
        "MALAYALAM",
        "SINHALA",
        "TIBETAN",
        "MYANMAR",
        "KHMER",
        "MONGOLIAN",
        "JAVANESE",
        "BALINESE",
    ]
)


def _script_joiner(prose: str, i: int) -> bool:
    """Whether the joiner at ``prose[i]`` is a lone one between two characters of a script whose spelling uses it
    (:data:`_JOINING_SCRIPTS`), or after a sign of that script at a word's end (a chillu): not hidden text."""
    if i == 0:
        return False
    before = _script(prose[i - 1])
    if before not in _JOINING_SCRIPTS:
        return False
    if i + 1 >= len(prose):
        return True
    after = prose[i + 1]
    if after in _JOINERS or _hidden(after):
        return False
    return _script(after) == before or not after.isalnum()


def _hidden(ch: str) -> bool:
    if ch.isascii():
        return False
    if ch in _INVISIBLE or "\ufe00" <= ch <= "\ufe0f" or "\U000e0100" <= ch <= "\U000e01ef":
        return True
    return unicodedata.category(ch) == "Cf"


def hidden_runs(prose: str) -> tuple[tuple[int, int], ...]:
    """``[start, end)`` of each run of invisible characters in ``prose``, outside emoji sequences (a
    byte-order mark at the very start is encoding, not content)."""
    return () if prose.isascii() else _hidden_runs(prose)


#: The last texts' answers are kept: BR901, the tone profile and the personal-data scan read the same text.
@lru_cache(maxsize=2)
def _hidden_runs(prose: str) -> tuple[tuple[int, int], ...]:
    positions = [m.start() for m in _CANDIDATES.finditer(prose)]
    if not positions:
        return ()
    from brandrail.content.channel import emoji_clusters

    inside_emoji: set[int] = set()
    for a, b, _ in emoji_clusters(prose):
        inside_emoji.update(range(a, b))
    runs: list[tuple[int, int]] = []
    for i in positions:
        ch = prose[i]
        if i in inside_emoji or not _hidden(ch):
            continue
        if ch in _JOINERS and _script_joiner(prose, i):
            continue
        if ch == "\ufeff" and i == 0:
            continue
        if runs and runs[-1][1] == i:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    return tuple(runs)


@lru_cache(maxsize=8192)
def disguise(ch: str) -> str | None:
    """The ASCII letter(s) ``ch`` imitates when it is a letter of another script or a styled Latin form."""
    if ch.isascii():
        return None
    mapped = CONFUSABLES.get(ch)
    name = unicodedata.name(ch, "")
    if mapped is not None:
        return mapped if not name.startswith("LATIN") or "SMALL CAPITAL" in name else None
    if name.startswith(("FULLWIDTH LATIN", "MATHEMATICAL", "CIRCLED LATIN", "PARENTHESIZED LATIN")):
        folded = unicodedata.normalize("NFKD", ch)
        return folded if folded.isascii() and folded.isalpha() else None
    return None


@dataclass(frozen=True, slots=True)
class LookAlikeWord:
    """A word of ``prose[start:end]`` that imitates Latin letters; ``plain`` is how it reads."""

    start: int
    end: int
    word: str
    plain: str
    #: Offsets within the word of the look-alike letters.
    fakes: tuple[int, ...]


def _words_with_non_ascii_letters(prose: str) -> list[tuple[int, int]]:
    """(start, end) of each run of letters that holds a non-ASCII letter, found from those letters outwards."""
    out: list[tuple[int, int]] = []
    last_end = -1
    n = len(prose)
    for m in _NON_ASCII.finditer(prose):
        i = m.start()
        if i < last_end or not prose[i].isalpha():
            continue
        a, b = i, i + 1
        while a > 0 and prose[a - 1].isalpha():
            a -= 1
        while b < n and prose[b].isalpha():
            b += 1
        out.append((a, b))
        last_end = b
    return out


def _script(ch: str) -> str:
    return unicodedata.name(ch, "").partition(" ")[0]


def _in_its_own_script(prose: str, start: int, end: int) -> bool:
    """Whether a word made only of look-alike letters is a word of its own script, not a disguise: a letter of
    that script that imitates nothing stands within a few words of it (Ukrainian "і" in "Краса і догляд"), or
    it is a lone Greek letter, a symbol in science and maths ("α-hydroxy", "β-carotene", "ω-3")."""
    script = _script(prose[start])
    if end - start == 1 and script == "GREEK":
        return True
    for i in range(max(0, start - 40), min(len(prose), end + 40)):
        c = prose[i]
        if not c.isascii() and c.isalpha() and disguise(c) is None and _script(c) == script:
            return True
    return False


def _emoticon(prose: str, start: int, end: int) -> bool:
    """Whether a foreign-script word is part of an emoticon rather than of the text: its letters touch a
    symbol ("(^ω^)", "(´ε｀)", "(≧ω≦)")."""
    for i in (start - 1, end):
        if 0 <= i < len(prose) and (unicodedata.category(prose[i]).startswith("S") or prose[i] in "^_"):
            return True
    return False


#: How far from a full-width word a character of Chinese, Japanese or Korean may stand for the word to be CJK copy.
_CJK_REACH = 4


def _cjk_full_width(prose: str, start: int, end: int, word: str, fakes: tuple[int, ...]) -> bool:
    """Whether the look-alikes of a word are full-width Latin letters written in Chinese, Japanese or Korean copy
    ("春の新作ＳＡＬＥ開催中", "ＳＰＦ５０のＵＶケア"): the way CJK input methods type Latin words there, not a disguise. A
    character of those scripts stands in the word or within a few characters of it."""
    if not all(unicodedata.name(word[i], "").startswith("FULLWIDTH") for i in fakes):
        return False
    window = prose[max(0, start - _CJK_REACH) : end + _CJK_REACH]
    return SPACELESS_LETTER.search(window) is not None


def look_alike_words(prose: str) -> tuple[LookAlikeWord, ...]:
    """Each word that mixes Latin letters with look-alikes from other scripts, or is written in styled
    letters (full-width, mathematical), or is wholly look-alike letters in a text otherwise in Latin script;
    not a word in its own script, nor letters of an emoticon. (The last texts' answers are kept: BR902 and
    the tone profile ask about the same prose.)"""
    if prose.isascii():
        return ()
    return _look_alike_words(prose)


@lru_cache(maxsize=4)
def _look_alike_words(prose: str) -> tuple[LookAlikeWord, ...]:
    return tuple(_find_look_alike_words(prose))


#: The script small l written as the litre sign, alone or after a metric prefix ("500 mℓ", "1 ℓ"): a unit,
#: not a look-alike letter.
_LITRE_UNIT = re.compile("(?:[mcdkhnµμ]|da)?ℓ")


def _find_look_alike_words(prose: str) -> Iterator[LookAlikeWord]:
    latin = -1
    for word_start, word_end in _words_with_non_ascii_letters(prose):
        word = prose[word_start:word_end]
        swaps = [disguise(c) for c in word]
        fakes = tuple(i for i, s in enumerate(swaps) if s is not None)
        if not fakes or _LITRE_UNIT.fullmatch(word):
            continue
        has_latin = any(c.isascii() for c in word)
        styled = any(unicodedata.name(word[i], "").startswith(("FULLWIDTH", "MATHEMATICAL")) for i in fakes)
        all_fake = len(fakes) == len(word)
        if all_fake and not has_latin and not styled and _emoticon(prose, word_start, word_end):
            continue
        if all_fake and not has_latin and not styled and _in_its_own_script(prose, word_start, word_end):
            continue
        if styled and not has_latin and _cjk_full_width(prose, word_start, word_end, word, fakes):
            continue
        if all_fake and not (has_latin or styled) and latin < 0:
            latin = sum(1 for c in prose if c.isascii() and c.isalpha())
        if not (has_latin or styled or (all_fake and latin > 2 * len(word))):
            continue
        plain = "".join(s if s is not None else c for s, c in zip(swaps, word, strict=True))
        yield LookAlikeWord(word_start, word_end, word, plain, fakes)


def as_read(prose: str) -> tuple[str, tuple[int, ...] | None]:
    """``prose`` as a reader sees it — invisible characters (:func:`hidden_runs`) removed, look-alike words
    (:func:`look_alike_words`) in the Latin letters they imitate — and, unless nothing changed, the index in
    ``prose`` of each character of the result (a look-alike that reads as two letters maps both to itself)."""
    return (prose, None) if prose.isascii() else _as_read(prose)


@lru_cache(maxsize=2)  # the tone profile and the personal-data scan read the same text
def _as_read(prose: str) -> tuple[str, tuple[int, ...] | None]:
    edits = [(a, b, "") for a, b in hidden_runs(prose)]
    edits += [(w.start, w.end, w.plain) for w in look_alike_words(prose)]
    if not edits:
        return prose, None
    edits.sort()
    chars: list[str] = []
    index: list[int] = []
    cursor = 0
    for a, b, text in edits:
        if a < cursor:  # a hidden run inside a look-alike word already replaced: nothing more to do
            continue
        chars.append(prose[cursor:a])
        index.extend(range(cursor, a))
        if text:
            if len(text) == b - a:
                index.extend(range(a, b))
            else:
                index.extend(a + min(k, b - a - 1) for k in range(len(text)))
            chars.append(text)
        cursor = b
    chars.append(prose[cursor:])
    index.extend(range(cursor, len(prose)))
    return "".join(chars), tuple(index)


#: A word that holds a leet symbol ("l3ft", "0nly", "N0W", "$ave"): letters and leet symbols, not inside a
#: longer run of word characters. ("@" and "!" are left out: an e-mail address, "Hi!There".)
_LEET_WORD = re.compile(r"(?<![\w$])[A-Za-z]*[4310$57][A-Za-z4310$57]*(?![\w$])")


_LEET_TABLE = str.maketrans(LEET)
#: Endings that texting writes after a "4" meaning "for" ("4ward", "4give"), besides known words.
_FOR_WORDS = frozenset(("ward", "wards", "ever", "get", "got", "give", "gave", "u", "m", "eva"))


def as_meant(prose: str, words: frozenset[str]) -> tuple[str, tuple[int, ...] | None]:
    """``prose`` as a reader takes it in: :func:`as_read`, then the spelling disguises undone — spaced or
    dotted letters joined ("L A S T  C H A N C E" → "LAST CHANCE"; a short word only when it is one of
    ``words``, so texting's "u r a" stays) and a word in leetspeak read as letters when it then is one of
    ``words`` ("l3ft", "0nly", "N0W"; "4pm", "W1A", "150p" and "Only1more" stay). Returns the text and,
    unless nothing changed, the index in ``prose`` of each character."""
    return _as_meant(prose, words)


@lru_cache(maxsize=2)  # the tone profile and the voice model read the same text
def _as_meant(prose: str, words: frozenset[str]) -> tuple[str, tuple[int, ...] | None]:
    seen, index = as_read(prose)
    text, spelt = unspell(seen, None, leet=False, words=words)
    text = _unleet_words(text, words)
    if spelt is not None:
        index = tuple(spelt) if index is None else tuple(index[k] for k in spelt)
    if index is None and text != prose:  # leet read in place: same offsets, other characters
        index = tuple(range(len(prose)))
    return text, index


def _unleet_words(text: str, words: frozenset[str]) -> str:
    """Each word in leetspeak as letters when the word then is one of ``words`` (same length and offsets;
    a word in capitals gets capitals: "0FFER" → "OFFER")."""
    if not any(c in text for c in "4310$57"):
        return text
    pieces: list[str] = []
    cursor = 0
    for m in _LEET_WORD.finditer(text):
        a, b = m.span()
        token = m.group()
        plain = token.translate(_LEET_TABLE)  # every leet symbol as its letter (the token only, not the text)
        low = plain.lower()
        if low not in words:  # most tokens (numbers, codes) stop here
            continue
        letters = sum(1 for c in token if c.isalpha())
        # two letters at least, or a letter first ("g37"): "5g", "50s" and "7th" are not words in disguise
        if not (letters >= 2 or (letters and token[0].isalpha() and len(token) >= 3)):
            continue
        rest = low[1:]
        if token[0] == "4" and ((len(rest) >= 3 and rest in words) or rest in _FOR_WORDS):
            continue  # texting's "4" is "for": "4ever", "4ward"
        if letters >= 2 and token.upper() == token:  # all its letters are capitals
            plain = plain.upper()
        pieces.append(text[cursor:a])
        pieces.append(plain)
        cursor = b
    if not pieces:
        return text
    pieces.append(text[cursor:])
    return "".join(pieces)


def snippet(text: str, width: int) -> str:
    """``text`` on one line, cut at a word boundary with an ellipsis when longer than ``width`` (mid-word only
    when the first half holds no space), for quoting a message in a finding or a terminal line."""
    flat = " ".join(text.split())
    if len(flat) <= width:
        return flat
    cut = flat[: width - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > width // 2 else cut).rstrip() + "…"
