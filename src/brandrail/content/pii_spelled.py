"""Phone numbers written in words, or in words and digits mixed: "oh seven eight one two, four five six…",
"null eins sieben zwei…", "zéro six, quarante-deux, dix-huit…", "4 one 5 - 8 eight 2…".

A run of at least :data:`_MIN_TOKENS` number words and single digits, joined only by white space, commas,
hyphens, dots or slashes, with at least two words among them, is read as the digits a caller dials; the caller
(:mod:`brandrail.content.pii`) keeps it only if those digits are a valid personal number of one of the policy's
phone regions. Words of English, German, French, Spanish, Italian, Portuguese, Dutch, Swedish and Polish; tens
in English and French ("forty-two", "quatre-vingt-deux", "dix-sept", each two digits) and English "double" /
"triple". One compiled pattern, no nested repetition: linear in the text.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

__all__ = ["may_hold_spelled_phone", "spelled_numbers"]

#: Digit words of the languages above (lower case); the same word is the same digit in each of them.
_DIGITS: dict[str, int] = {}
for _digit, _words in enumerate(
    (
        "zero oh null nul noll cero zéro",
        "one eins un uno um een één ett en jeden",
        "two zwei zwo deux dos due dois duas twee två dwa",
        "three drei trois tres tre três drie trzy",
        "four vier quatre cuatro quattro quatro fyra cztery",
        "five fünf cinq cinco cinque vijf fem pięć",
        "six sechs seis sei meia zes sex sześć",
        "seven sieben sept siete sette sete zeven sju siedem",
        "eight acht huit ocho otto oito åtta osiem",
        "nine neun neuf nueve nove negen nio dziewięć",
    )
):
    _DIGITS.update(dict.fromkeys(_words.split(), _digit))
#: Words of a two-digit number, summed when joined by hyphens ("forty-two", "soixante-dix-sept" = 60 + 17,
#: "quatre-vingt-deux" = 4 x 20 + 2, "vingt-et-un").
_TENS: dict[str, int] = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20,
    "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60,
}  # fmt: skip
#: "double four" is 44, "triple nine" 999.
_REPEAT = {"double": 2, "triple": 3}
_WORD = "|".join(sorted({*_DIGITS, *_TENS, *_REPEAT}, key=len, reverse=True))
#: One token: a single digit, or a number word (tens joined by hyphens: "quatre-vingt-deux", "vingt-et-un"),
#: not glued to other letters.
_TOKEN = rf"(?:(?<![^\W_])\d(?!\d)|(?<![^\W\d_])(?:{_WORD})(?:-(?:et-)?(?:{_WORD})){{0,3}}(?![^\W\d_]))"
#: What may stand between two tokens: white space, or one comma, hyphen, dash, dot or slash with white space.
_GAP = r"(?:[ \t\u00a0]{1,3}|[ \t\u00a0]{0,2}[,;./\u2010-\u2013-][ \t\u00a0]{0,2})"
#: Fewest tokens in a run: a national number has at least seven digits.
_MIN_TOKENS = 6
#: Most tokens in a run read: a longer run of number words is a list or a count, not one number to dial
#: (and is never read token by token, however long).
_MAX_TOKENS = 30
_RUN = re.compile(rf"{_TOKEN}(?:{_GAP}{_TOKEN}){{{_MIN_TOKENS - 1},24}}", re.IGNORECASE)
_TOKENS = re.compile(_TOKEN, re.IGNORECASE)


def _token_digits(token: str) -> str | None:
    """The digits a number word, words joined by hyphens or a digit stand for; None if they make no number
    under a hundred."""
    if token.isdigit():
        return token
    parts = token.lower().split("-")
    if len(parts) == 1:
        word = parts[0]
        if word in _DIGITS:
            return str(_DIGITS[word])
        return str(_TENS[word]) if word in _TENS else None
    total = 0
    i = 0
    while i < len(parts):
        word = parts[i]
        if word == "et":
            i += 1
            continue
        if word == "quatre" and i + 1 < len(parts) and parts[i + 1] in ("vingt", "vingts"):
            total += 80
            i += 2
            continue
        if word not in _DIGITS and word not in _TENS:
            return None  # "double-four": no number of its own
        total += _DIGITS.get(word, _TENS.get(word, 0))
        i += 1
    return str(total) if total < 100 else None


#: What a chunk of text between white space may carry around a token: punctuation of a list or a sentence.
_PUNCTUATION = ",;.:!?()\"'"
#: A chunk that only separates tokens ("4 one 5 - 8 eight 2").
_SEPARATORS = frozenset(("-", "\u2010", "\u2011", "\u2012", "\u2013", "/", ",", "."))
_VOCABULARY = frozenset((*_DIGITS, *_TENS, *_REPEAT, "et"))


def _is_token(chunk: str) -> int:
    """1 if a chunk of text between white space is a number word (or words joined by hyphens), 0 if a single
    digit, -1 if neither (after the punctuation around it is taken off)."""
    word = chunk.strip(_PUNCTUATION).lower()
    if len(word) == 1 and word.isdigit():
        return 0
    if word in _VOCABULARY:
        return 1
    parts = word.split("-")
    return 1 if 1 < len(parts) <= 5 and all(part in _VOCABULARY for part in parts) else -1


def _regions(text: str) -> Iterator[tuple[int, int]]:
    """Where runs of at least :data:`_MIN_TOKENS` tokens with at least two words stand, found chunk by chunk
    between white space (one pass over the words: a number-word pattern tried at every character costs far
    more on a long text)."""
    start = end = -1
    tokens = words = 0
    for m in _CHUNK.finditer(text):
        chunk = m.group()
        kind = _is_token(chunk)
        if kind < 0 and chunk in _SEPARATORS and tokens:
            continue
        if kind < 0:
            if _MIN_TOKENS <= tokens <= _MAX_TOKENS and words >= 2:
                yield start, end
            tokens = words = 0
            continue
        if not tokens:
            start = m.start()
        tokens += 1
        words += kind
        end = m.end()
    if _MIN_TOKENS <= tokens <= _MAX_TOKENS and words >= 2:
        yield start, end


_CHUNK = re.compile(r"\S+")


def _quick_test(text: str) -> bool:
    """Whether ``text`` holds :data:`_MIN_TOKENS` number words or single digits in a row at all (split on white
    space: the cheap test before :func:`_regions`)."""
    run = 0
    for chunk in text.split():
        if _is_token(chunk) >= 0 or (run and chunk in _SEPARATORS):
            run += 1
            if run >= _MIN_TOKENS:
                return True
        else:
            run = 0
    return False


def spelled_numbers(text: str) -> Iterator[tuple[int, int, str]]:
    """Each run of number words and digits in ``text`` with at least two words and seven to fifteen digits:
    (start, end, the digits it reads as)."""
    if not _quick_test(text):
        return
    for a, b in _regions(text):
        for m in _RUN.finditer(text, a, b):
            read = _read(m.group())
            if read is not None:
                yield m.start(), m.end(), read


def _read(run: str) -> str | None:
    """The digits a run of tokens reads as, None if it has fewer than two words, is no seven to fifteen digits
    long, or counts ("one, two, three, four, five…")."""
    digits: list[str] = []
    words = 0
    repeat = 1
    for t in _TOKENS.finditer(run):
        token = t.group()
        if not token.isdigit():
            words += 1
        if token.lower() in _REPEAT:
            repeat = _REPEAT[token.lower()]
            continue
        read = _token_digits(token)
        if read is None:
            return None
        digits.append(read * repeat if len(read) == 1 else read)
        repeat = 1
    number = "".join(digits)
    if words >= 2 and 7 <= len(number) <= 15 and not _counts(digits):
        return number
    return None


def _counts(groups: list[str]) -> bool:
    """Whether the groups, all but two of them at most, count up or down by one in a row ("one, two, three,
    four, five…", "ten, nine, eight…"): a count, not a number to dial (a number may hold a short run)."""
    longest = streak = 1
    step = 0
    for a, b in itertools.pairwise(groups):
        d = int(b) - int(a)
        if d in (1, -1) and d == step:
            streak += 1
        else:
            streak, step = (2, d) if d in (1, -1) else (1, 0)
        longest = max(longest, streak)
    return longest >= max(5, len(groups) - 2)


def may_hold_spelled_phone(text: str) -> bool:
    """Whether ``text`` holds a run :func:`spelled_numbers` reads (before any number is validated)."""
    return next(spelled_numbers(text), None) is not None
