"""Second readings of words the normaliser leaves as written, kept only where they make a term.

The normaliser (:mod:`brandrail.text.normalize`) undoes a disguise only where it is safe to undo it everywhere.
Some disguises read as a term only to a reader who already knows the word, and the same characters are
ordinary text elsewhere:

* leet symbols outside :data:`~brandrail.text.normalize.LEET` ("a9eless", "bull$#!t": "9" for g, "#" for h)
  and leet written with several characters ("|3argain", "|=lawless", "\\/\\/ank": :data:`MULTI_LEET`) — "C#",
  "#1", "F#", ASCII art and emoticons ("|=)", ":-|") are no word;
* punctuation inside a word whose pieces are several letters long ("flaw'less", "barg.ain", "Mon-ey-back") —
  "don't", "e.g.", "Ph.D." and domain names are words or names of their own;
* a hashtag written as one word: camel case ("#FlawlessSkin", "#RiskFree") or a term of five letters or
  more at its start or end ("#bargainhunter");
* an emoji that stands for letters inside a word ("guarant👀ed", "l⭕ve": :data:`EMOJI_LETTERS`), which the
  normaliser drops;
* a word written without its vowels ("flwlss", "brgn", "Clncly prvn"; at most one vowel kept), and letters
  written one a line ("F\\nL\\nA\\nW\\nL\\nE\\nS\\nS", "B<br>A<br>R…").

:func:`word_readings` gives, for the words of a view that a table turns into one of the matcher's words (a
term's word, or a claim pattern's), a reading of the text around them, shaped as
:func:`brandrail.content.matching.punctuated_readings`'s: the term matcher and the claim patterns scan it, so a
word no term is made of is never read differently. Cheap: one scan of the view for the characters that can
start a reading (two pre-compiled patterns that each start with a character class), then a few set look-ups
per candidate word before any reading is tried.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Collection, Iterator, Mapping

from brandrail.content import layout
from brandrail.text import skeleton
from brandrail.text.document import Document
from brandrail.text.normalize import LEET
from brandrail.text.scan import whole_runs

__all__ = ["EMOJI_LETTERS", "GENERIC_TLDS", "MULTI_LEET", "RARE_LEET", "likely_tld", "word_readings"]

#: Leet written with several characters, each read as one letter ("|3" b, "|=" f, "\\/\\/" w, "|-|" h).
MULTI_LEET: dict[str, str] = {
    "|3": "b", "!3": "b", "|8": "b", "13": "b", "|=": "f", "|#": "f", "|-|": "h", "]-[": "h", "}{": "h",
    ")-(": "h", "/\\": "a", "/-\\": "a", "\\/\\/": "w", "vv": "w", "\\^/": "w", "\\/": "v", "|\\|": "n",
    "/\\/": "n", "|\\/|": "m", "/\\/\\": "m", "|v|": "m", "|<": "k", "|{": "k", "|_": "l", "|)": "d",
    "|]": "d", "|2": "r", "|>": "p", "|*": "p", "()": "o", "[]": "o", "(_)": "u", "|_|": "u", "><": "x",
    "_|": "j", "`/": "y", "'/": "y", "(,)": "q", "[,": "c",
}  # fmt: skip
#: Single symbols read as letters that :data:`~brandrail.text.normalize.LEET` leaves alone because they are
#: common in ordinary text ("#" of a hashtag, "9" of a number), with the letters each may stand for.
RARE_LEET: dict[str, tuple[str, ...]] = {
    "#": ("h",), "9": ("g", "q"), "6": ("g", "b"), "8": ("b",), "(": ("c",), "[": ("c",), "{": ("c",),
    "<": ("c",), "|": ("l", "i"), "+": ("t",), "2": ("z",), "1": ("i", "l"), "!": ("i", "l"), "7": ("t", "l"),
    "¡": ("i",), "£": ("l", "e"), "€": ("e",), "¢": ("c",),
}  # fmt: skip
_LEET_ALTERNATIVES: dict[str, tuple[str, ...]] = {
    **{c: (letter,) for c, letter in LEET.items()},
    **RARE_LEET,
}
_LONGEST_MULTI = max(map(len, MULTI_LEET))
#: Emoji and pictographs that stand for letters inside a word ("guarant👀ed", "l⭕ve", "e❌tra"), each with the
#: letters it may stand for.
EMOJI_LETTERS: dict[str, tuple[str, ...]] = {
    "\U0001f440": ("ee", "oo", "e", "o"), "\u2b55": ("o",), "\U0001f534": ("o",), "\U0001f535": ("o",),
    "\u26aa": ("o",), "\u26ab": ("o",), "\U0001f7e0": ("o",), "\U0001f7e1": ("o",), "\U0001f7e2": ("o",),
    "\U0001f7e3": ("o",), "\U0001f7e4": ("o",), "\U0001f369": ("o",), "\u26bd": ("o",), "\U0001f3c0": ("o",),
    "\U0001f315": ("o",), "\U0001f4bf": ("o",), "\U0001f4c0": ("o",), "\U0001f36a": ("o",), "\U0001f518": ("o",),
    "\U0001f48d": ("o",), "\U0001f6df": ("o",), "\U0001f365": ("o",), "\U0001f30d": ("o",), "\U0001f30e": ("o",),
    "\U0001f30f": ("o",), "\U0001f311": ("o",), "\U0001f3be": ("o",), "\U0001f95a": ("o",),
    "\u274c": ("x",), "\u2716": ("x",), "\u274e": ("x",), "\u2757": ("i",), "\u2755": ("i",),
    "\U0001f4b2": ("s",), "\u26a1": ("z", "s"), "\u271d": ("t",), "\u303d": ("m",), "\u2714": ("v",),
    "\u2611": ("v",), "\u2705": ("v",), "\U0001f56f": ("i",), "\U0001f4cd": ("i",), "\u2693": ("j",),
    "\U0001fa9d": ("j",), "\u2648": ("y",), "\u264f": ("m",), "\u2651": ("n",), "\u260e": ("o",),
}  # fmt: skip

#: Words of this many letters or more are read at a hashtag's start or end ("#bargainhunter").
HASHTAG_TERM_MIN = 5
#: Endings that make a word of a term ("#flawlessness"), not a second word after it.
_SUFFIXES = (
    "s", "es", "ed", "er", "ers", "est", "ing", "ings", "ly", "ness", "nesses", "less", "ful", "dom", "ship",
    "hood", "ism", "isms", "ist", "ists", "ity", "ities", "able", "ible", "ish", "ous", "ive", "al", "ance",
    "ances", "ence", "ences", "ment", "ments", "y", "ery", "ry", "age", "ee", "ees", "ette", "ie", "ies", "ier",
    "iest", "ied", "ily", "iness", "o", "os", "ize", "ise", "ized", "ised",
)  # fmt: skip
_SUFFIX_SET = frozenset(_SUFFIXES)

#: Characters of the view kept on each side of a reading.
_CONTEXT = 40
#: At most this many ways of reading one word are tried.
_MAX_READINGS = 32
#: The longest word tried (characters of the view).
_MAX_TOKEN = 40

_EDGE_PUNCT = ".,;:?!\"'’”»)]}…®™℠"
_LEAD_PUNCT = "\"'‘“«([{"
_PIECES = re.compile(r"[a-z]+|['’.\-_·]")
_HASHTAG_BODY = re.compile(r"[A-Za-z0-9]+")
# camel case ("FlawlessSkin", "SPFCream"), or a word in capitals before one in small letters ("GLOWINGskin")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Z]{3})(?=[a-z]{3})")

#: One reading: its offset in the view, the reading, and for each of its characters the first and the
#: one-past-last offset in the window it stands for (as :func:`brandrail.content.matching.punctuated_readings`).
Reading = tuple[int, str, list[int], list[int]]
#: A rewrite of the view: start, end, the letters that replace ``view[start:end]``, and for each letter the
#: view offsets (first, one past the last) it stands for.
_Edit = tuple[int, int, str, list[int], list[int]]


def word_readings(
    doc: Document,
    text: str,
    words: Collection[str],
    *,
    phrase_only: Mapping[str, Collection[str]] | None = None,
) -> list[Reading]:
    """The readings of ``text`` (a match view of ``doc``: same offsets as ``doc.folded``) in which a word is
    read as one of ``words`` through :data:`RARE_LEET`, :data:`MULTI_LEET`, joined pieces, a split hashtag or
    :data:`EMOJI_LETTERS` (see the module's notes); memoised on ``doc`` per text and word set. ``phrase_only``
    maps words of ``words`` that only ever stand in a phrase of several words ("derma" of "Sol Derma") to the
    words beside them there: a respelling of one ("Dermah", "Dermma") is read at any length next to one of
    those words ("Sol Dermah"), as it can then only complete the phrase."""
    if not words:
        return []
    memo: dict[tuple[str, int, int], list[Reading]] = doc.__dict__.setdefault("_brandrail_word_readings", {})
    key = (text, id(words), id(phrase_only))
    found = memo.get(key)
    if found is None:
        if len(memo) >= 4:
            memo.clear()
        edits = list(_token_edits(doc, text, words))
        dropped = doc.__dict__.get("_dropped_pictographs")
        if dropped:
            edits.extend(_emoji_edits(doc, text, words, dropped))
        if doc.kind == "html" and layout.LAYOUT_HINT.search(doc.text):
            edits.extend(_layout_edits(doc, text, words))
        if doc.kind == "html" and ("bdo" in doc.text or "bidi-override" in doc.text):
            edits.extend(_bidi_edits(doc, text, words))
        if not doc.prose.isascii():
            edits.extend(_fancy_edits(doc, text, words))
        edits.extend(_inside_edits(text, words))
        edits.extend(_respelt_edits(doc, text, words, phrase_only))
        if "\n" in doc.folded:  # the match view reads a line break as a space; the folded view keeps it
            edits.extend(_vertical_edits(doc.folded, words))
        if "," in text or ";" in text:
            edits.extend(_listed_edits(text, words))
        found = list(_windows(text, sorted(edits)))
        memo[key] = found
    return found


# The candidates are found by two scans that each start with a character class (the regular expression engine
# skips to those characters quickly): a symbol that may be or start a leet form with a letter beside it (or a
# letter one or two characters on: "|3a", "\/\/a"; "#" of a hashtag is one too; "!" after a letter before a digit or
# symbol: "5h!7"; a leet symbol that starts a word before a letter: "@ge1ess", "4ge1ess"), and punctuation between two
# letters on each side ("barg.ain").
_SYMBOLS = re.escape("#|\\/([{<+!¡£2689])}>")
_SYMBOL_HIT = re.compile(
    rf"[{_SYMBOLS}](?:(?<=[a-z][^!])|(?<=[a-z]!)(?=[0-9@$+|])|(?=\S{{0,2}}[a-z]))|(?<![\w@$])[4@3105$7](?=[4@3105$7!|]{{0,2}}[a-z])"
)
#: Leet symbols that start a word (the last alternative of :data:`_SYMBOL_HIT`), and what makes such a word
#: worth reading here.
_EDGE_STARTERS = frozenset("4@3105$7")
_EDGE_WORTH = re.compile(r"[i!|+(\[{<#]")
_PUNCT_HIT = re.compile(r"[.\-'’_·](?<=[a-z]{2}.)(?=[a-z]{2})")
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")
_LETTER_RUN = re.compile(r"[a-z]+")
# an apostrophe between pieces of three letters or more ("flaw'less"; "we're", "you'll" are contractions)
_APOSTROPHE_INSIDE = re.compile(r"[a-z]{3}['’][a-z]{3}")
#: (the word set, its size, the proper prefixes and suffixes of its words) of the last word sets read
_AFFIXES: dict[int, tuple[Collection[str], int, frozenset[str], frozenset[str]]] = {}


def _affixes(words: Collection[str]) -> tuple[frozenset[str], frozenset[str]]:
    """The proper prefixes and suffixes of ``words`` (computed once per word set and size)."""
    found = _AFFIXES.get(id(words))
    if found is None or found[0] is not words or found[1] != len(words):
        if len(_AFFIXES) >= 8:
            _AFFIXES.clear()
        listed = list(words)
        prefixes = frozenset(w[:k] for w in listed for k in range(1, len(w)))
        suffixes = frozenset(w[k:] for w in listed for k in range(1, len(w)))
        found = (words, len(listed), prefixes, suffixes)
        _AFFIXES[id(words)] = found
    return found[2], found[3]


def _hits(doc: Document, text: str) -> tuple[list[int], list[int]]:
    """Where symbols and punctuation between pieces stand in ``text`` (:data:`_SYMBOL_HIT`,
    :data:`_PUNCT_HIT`), memoised on ``doc`` for the last text: the term matcher and the claim patterns read
    the same view with different word sets."""
    found: tuple[str, list[int], list[int]] | None = doc.__dict__.get("_brandrail_reading_hits")
    if found is not None and found[0] == text:
        return found[1], found[2]
    symbols = [m.start() for m in _SYMBOL_HIT.finditer(text)]
    punct: list[int] = []
    if "." in text or "-" in text or "_" in text or "'" in text or "’" in text or "·" in text:
        punct = [m.start() for m in _PUNCT_HIT.finditer(text)]
    doc.__dict__["_brandrail_reading_hits"] = (text, symbols, punct)
    return symbols, punct


def _token_edits(doc: Document, text: str, words: Collection[str]) -> Iterator[_Edit]:
    prefixes, suffixes = _affixes(words)
    hits, punct_hits = _hits(doc, text)
    if punct_hits:
        # punctuation between pieces: the two pieces beside it, joined, must be (part of) one of the words
        # ("barg.ain": "bargain"; "mon-ey-back": "money"), so "we're" and "check-in" are not read further
        punct = []
        for at in punct_hits:
            if text[at] in "'’" and not _APOSTROPHE_INSIDE.match(text, at - 3):
                continue
            i = at
            while i > 0 and at - i < _MAX_TOKEN and text[i - 1] in _LETTERS:
                i -= 1
            right = _LETTER_RUN.match(text, at + 1)
            joined = text[i:at] + (right.group() if right else "")
            if joined in words or joined in prefixes or joined in suffixes:
                punct.append(at)
        if punct:
            hits = sorted(hits + punct) if hits else punct
    if not hits:
        return
    done = -1
    n = len(text)
    for at in hits:
        if at < done:
            continue
        p = text.rfind(" ", max(0, at - _MAX_TOKEN), at) + 1
        q = text.find(" ", at)
        q = n if q < 0 else q
        done = q
        if (p == 0 and at >= _MAX_TOKEN) or q - p > _MAX_TOKEN:
            continue
        if at == p and text[at] in _EDGE_STARTERS and not _EDGE_WORTH.search(text, p, q):
            # a leet symbol that starts a word: the normaliser reads "0ff", "@geless" already; here only a
            # word with an "i" (perhaps a one for an "l": "@ge1ess") or a rarer symbol ("5h!7") is read
            continue
        if text[p] == "#":
            b = _strip_end(text, p + 1, q)
            if b - p > 3 and _HASHTAG_BODY.fullmatch(doc.norm, p + 1, b):
                edit = _read_hashtag(doc, text, p + 1, b, words)
                if edit is not None:
                    yield edit
                continue
        handle = text[p] == "@"  # a handle is a name ("@spot.less_co"): read only as leet ("@ge1ess")
        # the letters that start and end the word must start and end one of the words
        a, b = p, q
        while a < b and text[a] in _LEAD_PUNCT:
            a += 1
        while b > a and text[b - 1] in _EDGE_PUNCT:
            b -= 1
        i = a
        while i < b and text[i] in _LETTERS:
            i += 1
        j = b
        while j > i and text[j - 1] in _LETTERS:
            j -= 1
        lead, trail = text[a:i], text[j:b]
        ells = _ells(doc, text, p, q)
        if ells:  # an "i" that stands for a one may be an "l" ("@ge1ess"): the edges read so too
            lead = _with_ells(text, a, i, ells) if lead not in prefixes else lead
            trail = _with_ells(text, j, b, ells) if trail not in suffixes else trail
        if (lead and lead not in prefixes and lead not in words) or (
            trail and trail not in suffixes and trail not in words
        ):
            continue
        edit = _read_token(text, p, q, words, ells, symbols_only=handle)
        if edit is not None:
            yield edit


def _ells(doc: Document, text: str, p: int, q: int) -> frozenset[int]:
    """The offsets in ``text[p:q]`` of an "i" that stands for a "1", "|" or capital "I" of the original (the
    normaliser reads a one between letters as "i"; a reader may take it for an "l": "@ge1ess")."""
    if "i" not in text[p:q] or len(doc.folded) != len(text):
        return frozenset()
    out = set()
    original = doc.text
    for k in range(p, q):
        if text[k] == "i":
            start, end = doc.norm_to_original(k, k + 1)
            if end - start == 1 and original[start] in _ELL_LOOKALIKES:
                out.add(k)
    return frozenset(out)


def _with_ells(text: str, a: int, b: int, ells: frozenset[int]) -> str:
    """``text[a:b]`` with each "i" at ``ells`` written "l"."""
    return "".join("l" if k in ells else text[k] for k in range(a, b))


def _read_token(
    text: str,
    p: int,
    q: int,
    words: Collection[str],
    ells: frozenset[int] = frozenset(),
    *,
    symbols_only: bool = False,
) -> _Edit | None:
    """The first reading of the word ``text[p:q]`` (a run without white space) that is one of ``words``: with
    ``symbols_only`` (a handle), only its symbols read as letters. A word of one letter is read only when it
    has three characters or more and a symbol that is no digit ("5h!7", "$0l": a time such as "5h17" stays)."""
    token = text[p:q]
    letters = sum(c.isalpha() for c in token)
    if letters < 2 and not (letters == 1 and len(token) >= 3 and not all(c.isalnum() for c in token)):
        return None
    spans = [(p, q)]
    a, b = p, q
    while a < b and text[a] in _LEAD_PUNCT:
        a += 1
    while b > a and text[b - 1] in _EDGE_PUNCT:
        b -= 1
    if (a, b) != (p, q):
        spans.append((a, b))
    # a trailing "!" or "(" may be a letter or punctuation: the stripped word is tried too
    for a, b in spans:
        if b - a < 3:
            continue
        edit = _read_symbols(text, a, b, words, ells)
        if edit is None and not symbols_only:
            edit = _read_pieces(text, a, b, words)
        if edit is not None:
            return edit
    return None


def _strip_end(text: str, a: int, b: int) -> int:
    while b > a and text[b - 1] in _EDGE_PUNCT:
        b -= 1
    return b


def _read_symbols(
    text: str, a: int, b: int, words: Collection[str], ells: frozenset[int] = frozenset()
) -> _Edit | None:
    """``text[a:b]`` with its symbols read as letters (single and several-character leet) where the whole
    word then is one of ``words``, and each "i" at ``ells`` (see :func:`_ells`) also as "l"; None when no
    reading is."""
    token = text[a:b]
    if token.isalpha() or not any(c.isalpha() for c in token):
        return None
    # the ways of reading each position: (characters used, letter)
    readings: list[tuple[str, list[tuple[int, int]]]] = [("", [])]
    i = 0
    n = len(token)
    while i < n:
        c = token[i]
        options: list[tuple[int, str]] = []
        if c.isalpha() and c.isascii():
            options.append((1, c))
            if a + i in ells:
                options.append((1, "l"))
        for size in range(min(_LONGEST_MULTI, n - i), 1, -1):
            letter = MULTI_LEET.get(token[i : i + size])
            if letter is not None:
                options.append((size, letter))
        if not (c == "#" and i == 0):  # "#" that starts a word is a hashtag's, not "h"
            options.extend((1, letter) for letter in _LEET_ALTERNATIVES.get(c, ()))
        # each option advances by its size: branch, then keep the readings aligned on the shortest advance
        i = _advance(readings, options, i)
        if i < 0 or len(readings) > _MAX_READINGS:
            return None
    for reading, parts in readings:
        if reading != token and reading in words:
            return a, b, reading, [a + s for s, _ in parts], [a + e for _, e in parts]
    return None


def _advance(
    readings: list[tuple[str, list[tuple[int, int]]]], options: list[tuple[int, str]], i: int
) -> int:
    """Extend ``readings`` (in place) at position ``i`` by ``options``; a reading that took a form of several
    characters is completed one character at a time by marking the characters it covers, so every reading
    moves one position: returns ``i + 1`` (or -1 when nothing can be read)."""
    grown: list[tuple[str, list[tuple[int, int]]]] = []
    for reading, parts in readings:
        if parts and parts[-1][1] > i:  # inside a form of several characters this reading took
            grown.append((reading, parts))
            continue
        for size, letter in options:
            grown.append((reading + letter, [*parts, (i, i + size)]))
    readings[:] = grown
    return i + 1 if grown else -1


def _read_pieces(text: str, a: int, b: int, words: Collection[str]) -> _Edit | None:
    """``text[a:b]`` with the punctuation between letter pieces of two letters or more left out where the
    joined pieces are one of ``words`` and the pieces are not ("barg.ain" → "bargain", "mon-ey-back" →
    "money-back"); None when no join is."""
    pieces = [(m.start(), m.group()) for m in _PIECES.finditer(text, a, b)]
    if sum(len(w) for _, w in pieces) != b - a or len(pieces) < 3:
        return None
    letters = [k for k, (_, w) in enumerate(pieces) if w[0].isalpha()]
    # pieces and single punctuation alternate
    if any(pieces[k][1][0].isalpha() == (k % 2 == 1) for k in range(len(pieces))) or len(letters) < 2:
        return None
    if pieces[-2][1] == "." and likely_tld(pieces[-1][1]):
        return None  # a domain name ("spot.less.example.com"): its labels are names, not pieces of a word
    out_chars: list[str] = []
    first: list[int] = []
    last: list[int] = []
    changed = False
    k = 0
    while k < len(letters):
        joined_to = k
        for j in range(min(len(letters) - 1, k + 3), k, -1):
            run = [pieces[letters[t]][1] for t in range(k, j + 1)]
            word = "".join(run)
            # an apostrophe joins pieces of three letters or more: "we're", "they'll" are contractions
            marks = {pieces[letters[t] + 1][1] for t in range(k, j)}
            if word in words and min(map(len, run)) >= (3 if marks & {"'", "’"} else 2):
                joined_to = j
                break
        for t in range(k, joined_to + 1):
            at, piece = pieces[letters[t]]
            out_chars.append(piece)
            first.extend(range(at, at + len(piece)))
            last.extend(range(at + 1, at + len(piece) + 1))
        changed |= joined_to > k
        if joined_to + 1 < len(letters):
            at, mark = pieces[letters[joined_to] + 1]
            out_chars.append(mark)
            first.append(at)
            last.append(at + 1)
        k = joined_to + 1
    if not changed:
        return None
    return a, b, "".join(out_chars), first, last


def _read_hashtag(doc: Document, text: str, a: int, b: int, words: Collection[str]) -> _Edit | None:
    """The hashtag body ``text[a:b]`` split into words: at its camel-case breaks ("FlawlessSkin"), or after
    a word of ``words`` of :data:`HASHTAG_TERM_MIN` letters or more that starts it, or before one that ends
    it ("bargainhunter" → "bargain hunter"; not before an ending that makes a word of it: "flawlessness")."""
    body = doc.norm[a:b]
    breaks = [m.start() for m in _CAMEL.finditer(body)]
    if breaks:
        # two breaks side by side ("SPFCream", "GLOWINGskin"): the capital between them starts the next word
        # or ends the last one, whichever makes one of the words
        pairs = {k for k in breaks if k + 1 in breaks}
        choices = [breaks]
        if pairs:
            choices = [[k for k in breaks if k - 1 not in pairs], [k for k in breaks if k not in pairs]]
        for option in choices:
            parts = [body[i:j].lower() for i, j in zip([0, *option], [*option, len(body)], strict=True)]
            if any(part in words for part in parts):
                breaks = option
                break
        else:
            return None
    else:
        low = text[a:b]
        if not low.isalpha():
            return None
        breaks = []
        for k in range(len(low) - 3, HASHTAG_TERM_MIN - 1, -1):
            if low[:k] in words and low[k:] not in _SUFFIX_SET:
                breaks = [k]
                break
        if not breaks:
            for k in range(3, len(low) - HASHTAG_TERM_MIN + 1):
                if low[k:] in words:
                    breaks = [k]
                    break
        if not breaks:
            return None
    chars: list[str] = []
    first: list[int] = []
    last: list[int] = []
    cursor = 0
    for k in [*breaks, b - a]:
        if cursor:
            chars.append(" ")
            first.append(a + cursor)
            last.append(a + cursor)
        chars.append(text[a + cursor : a + k])
        first.extend(range(a + cursor, a + k))
        last.extend(range(a + cursor + 1, a + k + 1))
        cursor = k
    return a, b, "".join(chars), first, last


def _emoji_edits(
    doc: Document, text: str, words: Collection[str], dropped: list[tuple[int, int]]
) -> Iterator[_Edit]:
    """Emoji between two letters of the prose that the normaliser dropped (``dropped``: their prose spans) and
    that stand for letters (:data:`EMOJI_LETTERS`): the word with their letters put in, where it then is one
    of ``words``."""
    index = doc._norm_index
    if index is None or doc.__dict__.get("_reordered"):
        return
    n = len(text)
    prose = doc.prose
    prefixes, suffixes = _affixes(words)
    for start, end in dropped:
        choices = [EMOJI_LETTERS[c] for c in prose[start:end] if c in EMOJI_LETTERS]
        if not choices:
            continue
        v = bisect_left(index, end)
        if not 0 < v < n:
            continue
        a, b = v, v
        while a > 0 and text[a - 1].isalpha():
            a -= 1
        while b < n and text[b].isalpha():
            b += 1
        if text[a:v] not in prefixes or text[v:b] not in suffixes:
            continue  # the letters around it start and end no word of ``words``
        fills = [""]
        for options in choices[:3]:
            fills = [f + o for f in fills for o in options]
        for fill in fills:
            word = text[a:v] + fill + text[v:b]
            if word in words:
                first = [*range(a, v), *([v] * len(fill)), *range(v, b)]
                last = [*range(a + 1, v + 1), *([v] * len(fill)), *range(v + 1, b + 1)]
                yield a, b, word, first, last
                break


# Something inside a word that renders nothing: a template comment or an empty string output (Liquid, Jinja,
# Handlebars, Mustache, ERB, Smarty), LaTeX's discretionary hyphen, italic correction or an empty group, an
# empty-alt Markdown image (a tracking pixel) or a Markdown link without text ("bar[](#)gain"); or a wrapper that shows its letters as they are (LaTeX
# \textbf{…}, \emph{…} and the like)
_RENDERS_NOTHING = (
    r"\{\{-?\s*(?:''|\"\")\s*-?\}\}|\{\{!--.{0,200}?--\}\}|\{\{![^{}]{0,200}\}\}|\{#.{0,200}?#\}"
    r"|\{%-?\s*comment\s*-?%\}.{0,400}?\{%-?\s*endcomment\s*-?%\}|\{%-?\s*#[^{}]{0,200}?%\}"
    r"|<%#.{0,200}?%>|\{\*.{0,200}?\*\}|\\-|\\/|\{\}|!?\[\]\([^()]{0,300}\)"
)
_LATEX_WRAP = (
    r"\\(?:textbf|textit|textsl|textsc|texttt|textrm|textsf|textmd|textup|textnormal|emph|underline|uline"
    r"|mbox|hbox|text|mathrm|mathbf|mathit)\{(?P<inner>[a-z]{0,40})\}"
)
_INSIDE_JUNK = re.compile(rf"(?:{_RENDERS_NOTHING})|{_LATEX_WRAP}", re.DOTALL)
_INSIDE_HINT = re.compile(r"[{\\]|<%|!\[|\[\]\(")
_LETTERS_BEFORE = re.compile(r"[a-z]{1,40}$")


def _inside_edits(text: str, words: Collection[str]) -> Iterator[_Edit]:
    """Words with something inside that renders nothing (:data:`_RENDERS_NOTHING`: "flaw{{ '' }}less",
    "P{# rival #}ureva", "flaw\\-less", "guaran![](px.gif)teed") or a wrapper that shows its letters
    ("guaran\\textbf{teed}", "\\emph{bar}gain"): the word as shown, where it is one of ``words``; each letter
    stands for the whole stretch."""
    if not _INSIDE_HINT.search(text):
        return
    n = len(text)
    for m in _INSIDE_JUNK.finditer(text):
        inner = m.group("inner")
        before = _LETTERS_BEFORE.search(text, max(0, m.start() - 40), m.start())
        after = _LETTER_RUN.match(text, m.end())
        if inner is None and (before is None or after is None):
            continue  # nothing to join: a tag between words ("Hi {# note #}there")
        a = before.start() if before is not None else m.start()
        b = after.end() if after is not None else m.end()
        if b > n or (before is None and after is None and not inner):
            continue
        word = (before.group() if before else "") + (inner or "") + (after.group() if after else "")
        if word in words:
            yield a, b, word, [a] * len(word), [b] * len(word)


# three lines or more that each hold one letter (a line break of text, or a <br> of HTML, after each letter)
_VERTICAL = re.compile(r"(?<![^\n])[A-Za-z](?:\n[A-Za-z]){2,}(?![^\n.,;:!?])")


def _vertical_edits(text: str, words: Collection[str]) -> Iterator[_Edit]:
    """In ``text`` (``doc.folded``: a view's offsets, its line breaks kept), letters written one a line ("F\\nL\\nA\\nW…", or with "<br>" in HTML): the word they spell top to bottom,
    where it is one of ``words``; each letter stands for itself."""
    for m in _VERTICAL.finditer(text):
        a, b = m.span()
        if b - a > 2 * _MAX_TOKEN:
            continue
        word = text[a:b:2].lower()
        if word in words:
            yield a, b, word, list(range(a, b, 2)), list(range(a + 1, b + 1, 2))


# three letters or more each set off by the same comma or semicolon, with or without a space ("F, L, A, W",
# "a,g,e,l", "g;u;a;r")
_LISTED = re.compile(r"(?<![\w,;])[a-z](, ?|; ?)[a-z](?:\1[a-z])+(?![\w])")


def _listed_edits(text: str, words: Collection[str]) -> Iterator[_Edit]:
    """Letters spelled out one by one with commas or semicolons between ("F, L, A, W, L, E, S, S",
    "a,g,e,l,e,s,s", "g;u;a;r;a;n;t;e;e;d"): the word they spell, where it is one of ``words`` (a list of
    options "A, B, C" spells none); each letter stands for itself."""
    for m in _LISTED.finditer(text):
        a, b = m.span()
        step = 1 + len(m.group(1))
        if b - a > step * _MAX_TOKEN:
            continue
        word = text[a:b:step]
        if word in words:
            yield a, b, word, list(range(a, b, step)), list(range(a + 1, b + 1, step))


# camel case outside a hashtag ("BargainBox", "SuperPureva"): two or more capitalised parts in one word
_CAMEL_WORD = re.compile(r"(?<![\w@#/.\-])[A-Z][a-z]{1,30}(?:[A-Z][a-z]{1,30}){1,4}(?![\w@])")
# a letter written three times or more ("fllllaaawwwlessss"), and a run of one letter
_STRETCH = re.compile(r"([a-z])\1\1")
_SAME_RUN = re.compile(r"([a-z])\1*")
# the spelling alphabet (ICAO/NATO) read letter by letter: three code words or more
_SPELLING_WORDS = {
    "alfa": "a", "alpha": "a", "bravo": "b", "charlie": "c", "delta": "d", "echo": "e", "foxtrot": "f",
    "golf": "g", "hotel": "h", "india": "i", "juliet": "j", "juliett": "j", "kilo": "k", "lima": "l",
    "mike": "m", "november": "n", "oscar": "o", "papa": "p", "quebec": "q", "romeo": "r", "sierra": "s",
    "tango": "t", "uniform": "u", "victor": "v", "whiskey": "w", "whisky": "w", "xray": "x", "x-ray": "x",
    "yankee": "y", "zulu": "z",
}  # fmt: skip
_SPELLING_WORD = "|".join(sorted(_SPELLING_WORDS, key=len, reverse=True))
_SPELLING_RUN = re.compile(
    rf"(?<![\w-])(?:{_SPELLING_WORD})(?:[\s\-–—.,/·]{{1,3}}(?:{_SPELLING_WORD})){{2,}}(?![\w-])"
)
_SPELLING_SPLIT = re.compile(r"x-ray|[a-z]+")
#: Abbreviations of claim words that marketing copy writes ("gtd.", "guar.", "Clin. proven"), with the word.
ABBREVIATIONS: dict[str, str] = {
    "gtd": "guaranteed", "gteed": "guaranteed", "gtee": "guarantee", "guar": "guaranteed",
    "guar'teed": "guaranteed", "guar’teed": "guaranteed", "guar'd": "guaranteed", "guar’d": "guaranteed",
    "guarntd": "guaranteed", "clin": "clinically", "derm": "dermatologically", "dermatol": "dermatologically",
}  # fmt: skip
_ABBREVIATION = re.compile(
    r"(?<![\w'’.])(?:"
    + "|".join(re.escape(k) for k in sorted(ABBREVIATIONS, key=len, reverse=True))
    + r")(?![\w'’])\.?"
)
_VOWELS = "aeiouy"
#: A word respelt with a vowel left out is read only when the word meant has at least this many letters
#: ("Bargin"). A changed vowel is never read: it makes other real words ("blocklist" is not "blacklist",
#: "batches" not "bitches", "sheet" not "shit"), which only a dictionary could tell from a respelling.
_RESPELT_MIN = 7
#: A consonant doubled is read only when the word meant has at least this many letters (one written once
#: where the word has it twice, only at :data:`_RESPELT_MIN`).
_RESPELT_DOUBLED_MIN = 6


def _respelt_edits(
    doc: Document, text: str, words: Collection[str], phrase_only: Mapping[str, Collection[str]] | None = None
) -> Iterator[_Edit]:
    """Words a brand reviewer reads as a policy word though it is respelt: camel case outside a hashtag whose
    part of :data:`HASHTAG_TERM_MIN` letters or more is one of ``words`` ("BargainBox" → "Bargain Box"), letters
    stretched in several places ("guaaaraaanteeeed"), the spelling alphabet ("Foxtrot-Lima-Alfa-…"), an
    abbreviation of a claim word (:data:`ABBREVIATIONS`) and phonetic respellings ("Phlawless": "ph" for "f", a
    final "h" after a vowel: "Purevah"; in a word of :data:`_RESPELT_MIN` letters or more, a vowel left out:
    "Bargin", or a consonant written once: "Flawles"; a consonant doubled: "Purreva"; a changed vowel is not
    read, see :data:`_RESPELT_MIN`). Each only where the word then is one of ``words``. A word of
    ``phrase_only`` (see :func:`word_readings`) is read with a final "h" after a vowel dropped and a doubled
    consonant written once at any length ("Sol Dermah", "Soll Derma"), also after stretched letters are
    written once ("Sol Dermahhh"), where a word beside it (as written or so read) is a word beside it in
    the phrase."""
    scan = _respelt_scan(doc, text)
    for a, b, parts in scan.camel:
        if any(len(p) >= HASHTAG_TERM_MIN and p.lower() in words for p in parts):
            edit = _read_hashtag(doc, text, a, b, words)
            if edit is not None:
                yield edit
    for a, b in scan.stretched:
        found = _unstretched(text[a:b], words)
        if found is not None:
            yield a, b, found, [a] * len(found), [b] * len(found)
    for a, b, word in scan.fixed:
        if word in words:
            yield a, b, word, [a] * len(word), [b] * len(word)
    keys = _respelt_keys(words)
    respelt: dict[str, str] = {}
    for token in scan.distinct:
        if token not in words and _respelt_key(token) in keys:
            found = _respelt(token, words) if len(token) >= 5 else None
            if found is None:
                found = _bare(token, keys)
            if found is not None:
                respelt[token] = found
    for token in scan.distinct:
        # "ph" for "f" in a short word too ("Phuck"): the keys above hold only words of six letters or more
        if "ph" in token and token not in respelt and token not in words:
            trial = token.replace("ph", "f")
            if trial in words:
                respelt[token] = trial
    for token in scan.distinct:
        # two respellings at once: "ph" for "f" or a stretched letter, and another rule ("Phlaaawless",
        # "Purevahhh", "Phlawwless", "Phuuuck")
        if token not in respelt and token not in words and ("ph" in token or _TRIPLE.search(token)):
            found = _respelt_twice(token, words)
            if found is not None:
                respelt[token] = found
    if phrase_only:
        yield from _phrase_edits(text, scan.distinct, words, phrase_only, respelt)
    ell_keys = _ell_keys(words)
    for token in scan.distinct:
        if "i" in token and token not in words and token.replace("l", "i") in ell_keys:
            respelt.setdefault(token, "")  # checked per occurrence: the letters as written decide
    if respelt:
        for m in whole_runs(text, "[a-z]", respelt):  # the runs of _LETTER_RUN that are one of them
            found = respelt.get(m.group())
            if found == "":
                found = _ell_for_i(doc, m.start(), m.group(), ell_keys)
            if found is not None:
                a, b = m.span()
                yield a, b, found, [a] * len(found), [b] * len(found)


class _RespeltScan:
    """What :func:`_respelt_edits` reads in one view whatever the word set (memoised on the document: the term
    matcher and the claim patterns read the same view): camel-case words and their parts, stretched words, the
    words a spelling-alphabet run or an abbreviation stands for, and the distinct words of four letters or
    more."""

    __slots__ = ("camel", "distinct", "fixed", "stretched")

    def __init__(self, doc: Document, text: str) -> None:
        norm = doc.norm
        self.camel: list[tuple[int, int, list[str]]] = []
        if len(norm) == len(text):
            self.camel = [(*m.span(), _CAMEL_PART.findall(m.group())) for m in _CAMEL_WORD.finditer(norm)]
        self.stretched: list[tuple[int, int]] = []
        n = len(text)
        for m in _STRETCH.finditer(text):
            a, b = m.start(), m.end()
            if self.stretched and a < self.stretched[-1][1]:
                continue
            while a > 0 and text[a - 1] in _LETTERS:
                a -= 1
            while b < n and text[b] in _LETTERS:
                b += 1
            self.stretched.append((a, b))
        self.fixed: list[tuple[int, int, str]] = [
            (*m.span(), "".join(_SPELLING_WORDS[w] for w in _SPELLING_SPLIT.findall(m.group())))
            for m in _SPELLING_RUN.finditer(text)
        ]
        self.fixed.extend(
            (*m.span(), ABBREVIATIONS[m.group().rstrip(".")]) for m in _ABBREVIATION.finditer(text)
        )
        self.distinct = set(_LONG_LETTER_RUN.findall(text))  # the runs of _LETTER_RUN of _BARE_MIN or more


_CAMEL_PART = re.compile(r"[A-Z][a-z]+")


def _respelt_scan(doc: Document, text: str) -> _RespeltScan:
    found: tuple[str, _RespeltScan] | None = doc.__dict__.get("_brandrail_respelt_scan")
    if found is not None and found[0] == text:
        return found[1]
    scan = _RespeltScan(doc, text)
    doc.__dict__["_brandrail_respelt_scan"] = (text, scan)
    return scan


_TRIPLE = re.compile(r"([a-z])\1\1")


def _respelt_twice(token: str, words: Collection[str]) -> str | None:
    """The policy word ``token`` is, read with each run of one letter written once or twice and then with "ph"
    as "f" or by :func:`_respelt` (words of five letters or more), or None."""
    runs = [(r.group(1), len(r.group())) for r in _SAME_RUN.finditer(token)]
    options = [""]
    for letter, size in runs:
        options = [o + letter * k for o in options for k in ((1, 2) if size > 1 else (1,))][
            : _MAX_READINGS * 4
        ]
    for option in options:
        trial = option.replace("ph", "f")
        if trial in words and trial != token:
            return trial
        if len(option) >= 5 and option != token:
            found = _respelt(option, words)
            if found is not None:
                return found
    return None


def _unstretched(token: str, words: Collection[str]) -> str | None:
    """``token`` with each run of one letter written once or twice, the first way that is one of ``words``."""
    runs = [(r.group(1), len(r.group())) for r in _SAME_RUN.finditer(token)]
    options = [""]
    for letter, size in runs:
        options = [o + letter * k for o in options for k in ((1, 2) if size > 1 else (1,))][
            : _MAX_READINGS * 4
        ]
    return next((o for o in options if o in words), None)


_NO_VOWELS = str.maketrans("", "", "aeiouy")
_DOUBLED = re.compile(r"(.)\1+")
_RESPELT_KEYS: dict[int, tuple[Collection[str], int, dict[str, tuple[str, ...]]]] = {}
#: A word written (almost) without vowels ("flwlss", "brgn", "Clncly prvn", "Aglss": text-speak) is read as
#: the policy word it leaves the vowels out of when it keeps at most this many of a, e, i, o, u, has at least
#: :data:`_BARE_MIN` letters and leaves out at least :data:`_BARE_DROPPED` vowels: a word that keeps two
#: vowels is often a word of its own ("granted" is "guaranteed" without three vowels).
_BARE_KEPT = 1
_BARE_MIN = 4
#: The maximal runs of :data:`_LETTER_RUN` of :data:`_BARE_MIN` letters or more (a shorter run holds no match).
_LONG_LETTER_RUN = re.compile(rf"[a-z]{{{_BARE_MIN},}}")
_BARE_DROPPED = 2
_PLAIN_VOWELS = frozenset("aeiou")


def _respelt_key(token: str) -> str:
    """The consonants of ``token`` as :func:`_respelt` reads them ("ph" as "f", a final "h" after a vowel
    dropped, doubled letters once): a respelling and the word it is read as share it."""
    if token.endswith("h") and len(token) > 1 and token[-2] in _VOWELS:
        token = token[:-1]
    key = token.replace("ph", "f").translate(_NO_VOWELS)
    return _DOUBLED.sub(r"\1", key) if _DOUBLED.search(key) else key


def _respelt_keys(words: Collection[str]) -> dict[str, tuple[str, ...]]:
    """:func:`_respelt_key` of each of ``words`` with the words that have it (computed once per word set and
    size)."""
    found = _RESPELT_KEYS.get(id(words))
    if found is None or found[0] is not words or found[1] != len(words):
        if len(_RESPELT_KEYS) >= 8:
            _RESPELT_KEYS.clear()
        listed = sorted(words)
        keyed: dict[str, tuple[str, ...]] = {}
        for w in listed:
            if len(w) >= _RESPELT_DOUBLED_MIN and w.isalpha():
                k = _respelt_key(w)
                keyed[k] = (*keyed.get(k, ()), w)
        found = (words, len(listed), keyed)
        _RESPELT_KEYS[id(words)] = found
    return found[2]


_ELL_KEYS: dict[int, tuple[Collection[str], int, dict[str, str]]] = {}
#: What a reader takes for a small "l" inside a word: a capital "I" ("GIowVault"), a one, a bar ("Gl0wVau1t").
_ELL_LOOKALIKES = frozenset("I1|")


def _ell_keys(words: Collection[str]) -> dict[str, str]:
    """``words`` that hold an "l", by their spelling with each "l" written "i" (computed once per word set)."""
    found = _ELL_KEYS.get(id(words))
    if found is None or found[0] is not words or found[1] != len(words):
        if len(_ELL_KEYS) >= 8:
            _ELL_KEYS.clear()
        listed = list(words)
        keyed = {w.replace("l", "i"): w for w in listed if "l" in w and len(w) >= _BARE_MIN and w.isalpha()}
        found = (words, len(listed), keyed)
        _ELL_KEYS[id(words)] = found
    return found[2]


def _ell_for_i(doc: Document, at: int, token: str, keys: dict[str, str]) -> str | None:
    """The policy word ``token`` (at view offset ``at``) is, read with a capital "I", a "1" or a "|" written
    where the word has a small "l" ("GIowVault", "GlowVauIt", "Gl0wVau1t"), or None. Only such characters are
    read so: a small "i" is a letter of its own ("fail" is not "fall")."""
    word = keys.get(token.replace("l", "i"))
    if word is None or len(word) != len(token):
        return None
    text = doc.text
    for k, (seen, meant) in enumerate(zip(token, word, strict=True)):
        if seen != meant:
            start, end = doc.norm_to_original(at + k, at + k + 1)
            if end - start != 1 or text[start] not in _ELL_LOOKALIKES:
                return None
    return word


def _bare(token: str, keys: dict[str, tuple[str, ...]]) -> str | None:
    """The policy word ``token`` writes without its vowels ("brgn", "Aglss"; see :data:`_BARE_KEPT`), or None.
    The word's first letter is kept, as text-speak keeps it ("gels" is not "ageless")."""
    if len(token) < _BARE_MIN or sum(c in _PLAIN_VOWELS for c in token) > _BARE_KEPT:
        return None
    bare = _DOUBLED.sub(r"\1", token)
    for word in keys.get(_respelt_key(token), ()):
        if word[0] != token[0]:
            continue
        full = _DOUBLED.sub(r"\1", word)
        i = dropped = 0
        for c in full:
            if i < len(bare) and bare[i] == c:
                i += 1
            elif c in _VOWELS:
                dropped += 1
            else:
                break
        else:
            if i == len(bare) and dropped >= _BARE_DROPPED:
                return word
    return None


_BEFORE = re.compile(r"([a-z]+)[\s\-]{1,3}$")
_AFTER = re.compile(r"[\s\-]{1,3}([a-z]+)")


def _phrase_edits(
    text: str,
    distinct: Collection[str],
    words: Collection[str],
    phrase_only: Mapping[str, Collection[str]],
    respelt: Mapping[str, str],
) -> Iterator[_Edit]:
    """The respellings of words of ``phrase_only`` (:func:`_respelt_in_phrase`) in ``text``, each where the word
    before or after it, as written or respelt (here or by the rules of ``respelt``), is one the phrase has
    beside it."""
    phrased: dict[str, str] = {}
    variants = _phrase_variants(phrase_only)
    for token in distinct:
        if token not in respelt and token not in words:
            # one look-up per word; a stretched word ("dermahhh") is read letter run by letter run
            found = variants.get(token)
            if found is None and _TRIPLE.search(token):
                found = _respelt_in_phrase(token, phrase_only)
            if found is not None:
                phrased[token] = found
    if not phrased:
        return
    for m in whole_runs(text, "[a-z]", phrased):
        a, b = m.span()
        found = phrased[m.group()]
        beside = phrase_only[found]
        near = [
            _BEFORE.search(text, max(0, a - _MAX_TOKEN - 3), a),
            _AFTER.match(text, b, b + _MAX_TOKEN + 3),
        ]
        for hit in near:
            if hit is not None:
                word = hit.group(1)
                if word in beside or phrased.get(word, respelt.get(word)) in beside:
                    yield a, b, found, [a] * len(found), [b] * len(found)
                    break


_PHRASE_VARIANTS: dict[int, tuple[Mapping[str, Collection[str]], int, dict[str, str]]] = {}


def _phrase_variants(phrase_only: Mapping[str, Collection[str]]) -> dict[str, str]:
    """Each spelling :func:`_respelt_in_phrase` reads as a word of ``phrase_only`` without stretched letters
    ("dermah", "dermma", "dermmah", "soll"), with that word (computed once per mapping and size)."""
    found = _PHRASE_VARIANTS.get(id(phrase_only))
    if found is None or found[0] is not phrase_only or found[1] != len(phrase_only):
        if len(_PHRASE_VARIANTS) >= 8:
            _PHRASE_VARIANTS.clear()
        out: dict[str, str] = {}
        for word in phrase_only:
            spellings = [word]
            if word[-1] in _VOWELS:
                spellings.append(word + "h")
            for spelt in list(spellings):
                for i, c in enumerate(spelt):
                    if (
                        c.isalpha()
                        and c not in _VOWELS
                        and c != spelt[i - 1 : i]
                        and c != spelt[i + 1 : i + 2]
                    ):
                        out.setdefault(spelt[: i + 1] + c + spelt[i + 1 :], word)
            for spelt in spellings[1:]:
                out.setdefault(spelt, word)
        for word in phrase_only:
            out.pop(word, None)
        found = (phrase_only, len(phrase_only), out)
        _PHRASE_VARIANTS[id(phrase_only)] = found
    return found[2]


def _respelt_in_phrase(token: str, phrase_only: Collection[str]) -> str | None:
    """The word of ``phrase_only`` that ``token`` respells with a final "h" after a vowel ("dermah") and/or one
    consonant doubled ("dermma", "soll"), after stretched letters are written once or twice ("dermahhh"),
    or None. Only these two respellings: they add a letter and change no sound, where a dropped or changed
    letter ("derm", "darma") makes other words."""
    options = [token]
    if _TRIPLE.search(token):
        runs = [(r.group(1), len(r.group())) for r in _SAME_RUN.finditer(token)]
        options = [""]
        for letter, size in runs:
            options = [o + letter * k for o in options for k in ((1, 2) if size > 1 else (1,))][
                :_MAX_READINGS
            ]
    for option in options:
        trials = [option]
        if option.endswith("h") and len(option) > 2 and option[-2] in _VOWELS:
            trials.append(option[:-1])
        for trial in trials:
            if trial != token and trial in phrase_only:
                return trial
            for m in _DOUBLED_CONSONANT.finditer(trial):
                single = trial[: m.start()] + trial[m.start() + 1 :]
                if single in phrase_only:
                    return single
    return None


_DOUBLED_CONSONANT = re.compile(r"([b-df-hj-np-tv-z])\1")


def _respelt(token: str, words: Collection[str]) -> str | None:
    """The policy word ``token`` is a phonetic respelling of (see :func:`_respelt_edits`), or None."""
    trials = []
    if "ph" in token:
        trials.append(token.replace("ph", "f"))
    if token.endswith("h") and token[-2] in _VOWELS:
        trials.append(token[:-1])
    for trial in trials:
        if trial in words:
            return trial
    for i, c in enumerate(token):
        if c in _VOWELS:
            continue
        # a consonant doubled ("Purreva") or, in a longer word, written once ("Flawles"): short words of
        # other languages differ from a policy word by one doubled letter ("Rabat", the city, is not
        # "Rabatt"; "gras" is not "grass")
        doubled = token[i + 1 : i + 2] == c
        trial = token[:i] + token[i + 1 :] if doubled else token[: i + 1] + c + token[i + 1 :]
        if len(trial) >= (_RESPELT_DOUBLED_MIN if doubled else _RESPELT_MIN) and trial in words:
            return trial
    if len(token) + 1 < _RESPELT_MIN:
        return None
    for i, c in enumerate(token):
        if c not in _VOWELS or (0 < i < len(token) - 1 and token[i - 1] == c):
            continue
        for v in "aeiou":
            for trial in (token[: i + 1] + v + token[i + 1 :], token[:i] + v + token[i:]):
                if trial in words:
                    return trial
    return None


_NON_SPACE_RUN = re.compile(r"\S+")


def _fancy_tokens(doc: Document) -> set[str]:
    """The distinct runs of ``doc``'s prose without white space that hold a character outside ASCII (of at
    most :data:`_MAX_TOKEN` characters), memoised on the document."""
    found: set[str] | None = doc.__dict__.get("_brandrail_fancy_tokens")
    if found is None:
        found = _non_ascii_runs(doc.prose, _MAX_TOKEN)
        doc.__dict__["_brandrail_fancy_tokens"] = found
    return found


#: See :func:`_non_ascii_runs`.
_DENSE_NON_ASCII = 256
#: A character outside ASCII that is not white space (the engine skips to the first class in C).
_NON_ASCII = re.compile(r"[^\x00-\x7f](?<!\s)")


def _non_ascii_runs(text: str, limit: int) -> set[str]:
    """``{t for t in set(_NON_SPACE_RUN.findall(text)) if len(t) <= limit and not t.isascii()}``, found from
    the characters outside ASCII only: prose in English holds few, so the runs of ASCII letters between them
    are not each made into a string. Each run is walked once (back at most ``limit`` characters, forward to its
    end), so the cost stays linear however long a run is; a text with more such runs than one per
    :data:`_DENSE_NON_ASCII` characters (a language written outside ASCII) is split whole instead."""
    out: set[str] = set()
    done = 0  # the end of the last run read: the search goes on after it
    search = _NON_ASCII.search
    budget = len(text) // _DENSE_NON_ASCII + 1
    while (m := search(text, done)) is not None:
        budget -= 1
        if budget < 0:  # dense: one split of the whole text costs less than a step per run
            return {t for t in set(_NON_SPACE_RUN.findall(text)) if len(t) <= limit and not t.isascii()}
        q = m.start()
        a = q
        while a > 0 and q - a <= limit and not text[a - 1].isspace():
            a -= 1
        run = _NON_SPACE_RUN.match(text, q)
        done = run.end() if run is not None else q + 1
        if done - a <= limit and (a == 0 or text[a - 1].isspace()):
            out.add(text[a:done])
    return out


_FANCY_LEAD = "\"'‘“«([{¡¿"
_FANCY_EDGE = ".,;:?!\"'’”»)]}…"
_POSSESSIVE = ("'s", "’s")


def _fancy_edits(doc: Document, text: str, words: Collection[str]) -> Iterator[_Edit]:
    """Runs of the prose written with fancy-text letters (:mod:`brandrail.text.skeleton`: syllabics, currency
    signs, Greek and Cyrillic by shape, Latin letters with strokes and hooks, symbols, upside-down text) whose
    reading by shape is one of ``words``; each letter stands for the whole run (the finding's span covers it).
    A run is a stretch of the prose without white space that holds a character outside ASCII; real words of
    other scripts read as no word of ``words``, so they are never read. Linear: each run is read once, runs
    longer than :data:`_MAX_TOKEN` are skipped."""
    if doc.__dict__.get("_reordered"):
        return
    prose = doc.prose
    index = doc._norm_index
    prefixes, _ = _affixes(words)
    # each distinct run is read once (words repeat in prose); the prose is walked again only for runs read
    readable: dict[str, list[tuple[int, int, str]]] = {}
    for token in _fancy_tokens(doc):
        a, b = 0, len(token)
        while a < b and token[a] in _FANCY_LEAD:
            a += 1
        while b > a and token[b - 1] in _FANCY_EDGE:
            b -= 1
        if token.endswith(_POSSESSIVE, a, b):
            b -= 2
        if b - a < 2:
            continue
        hits = [
            (a + pa, a + pb, found)
            for pa, pb in _hyphen_parts(token[a:b])
            if (found := _fancy_word(token[a + pa : a + pb], prefixes, words)) is not None
        ]
        if hits:
            readable[token] = hits
    if not readable:
        return
    for m in whole_runs(prose, r"\S", readable):  # the runs of _NON_SPACE_RUN that are one of them
        for ta, tb, found in readable.get(m.group(), ()):
            a, b = m.start() + ta, m.start() + tb
            va, vb = (a, b) if index is None else (bisect_left(index, a), bisect_left(index, b))
            if vb <= va or vb > len(text):
                continue
            if text[va:vb] == found:
                continue  # the view reads it already
            yield va, vb, found, [va] * len(found), [vb] * len(found)


def _hyphen_parts(run: str) -> list[tuple[int, int]]:
    """The run whole, and when that holds a hyphen, each of its hyphenated parts of two characters or more
    ("m০ney-back": the part "m০ney" is read on its own, since the claim patterns' words are single words)."""
    spans = [(0, len(run))]
    if "-" in run:
        at = 0
        for part in run.split("-"):
            if len(part) >= 2 and len(part) < len(run):
                spans.append((at, at + len(part)))
            at += len(part) + 1
    return spans


def _fancy_word(run: str, prefixes: Collection[str], words: Collection[str]) -> str | None:
    """The one of ``words`` the fancy-text run reads as by shape, unless it only differs in accents (the
    view reads that already)."""
    if run.isascii():
        return None
    found = next((r for r in skeleton.readings(run, prefixes=prefixes, words=words) if r in words), None)
    if found is None and _CYRILLIC_WORD.fullmatch(run):
        found = next((r for r in _transliterations(run.lower()) if r in words), None)
    return found if found is not None and found != skeleton.plain(run) else None


_CYRILLIC_WORD = re.compile(r"[\u0400-\u04ff]{3,30}")
#: Russian letters written in Latin ones (the common transliterations; a few letters have two): a brand's
#: or a competitor's name written in Cyrillic ("Пурева" is "Pureva").
_TRANSLIT: dict[str, tuple[str, ...]] = {
    "а": ("a",), "б": ("b",), "в": ("v",), "г": ("g",), "д": ("d",), "е": ("e", "ye"), "ё": ("e", "yo"),
    "ж": ("zh",), "з": ("z",), "и": ("i",), "й": ("y", "i"), "к": ("k",), "л": ("l",), "м": ("m",),
    "н": ("n",), "о": ("o",), "п": ("p",), "р": ("r",), "с": ("s",), "т": ("t",), "у": ("u",), "ф": ("f",),
    "х": ("kh", "h"), "ц": ("ts", "c"), "ч": ("ch",), "ш": ("sh",), "щ": ("shch",), "ъ": ("",), "ы": ("y",),
    "ь": ("",), "э": ("e",), "ю": ("yu",), "я": ("ya",), "і": ("i",), "ї": ("yi",), "є": ("ye",),
}  # fmt: skip


def _transliterations(run: str, limit: int = 16) -> list[str]:
    """The Latin spellings of the Cyrillic word ``run`` (at most ``limit``), or [] when a letter has none."""
    partial = [""]
    for ch in run:
        options = _TRANSLIT.get(ch)
        if options is None:
            return []
        partial = [p + o for p in partial for o in options][:limit]
    return partial


def _view_span(doc: Document, starts: list[int], a: int, b: int) -> tuple[int, int] | None:
    """The view offsets of the original text ``a``-``b`` when it lies inside one prose piece written as is
    (``starts``: the pieces' start offsets), else None."""
    pieces = doc._pieces
    k = bisect_left(starts, a + 1) - 1
    if k < 0 or not (pieces[k].start <= a and b <= pieces[k].end):
        return None
    if len(pieces[k].text) != pieces[k].end - pieces[k].start:
        return None
    pa = doc._piece_pos[k] + a - pieces[k].start
    pb = doc._piece_pos[k] + b - pieces[k].start
    index = doc._norm_index
    return (pa, pb) if index is None else (bisect_left(index, pa), bisect_left(index, pb))


def _layout_edits(doc: Document, text: str, words: Collection[str]) -> Iterator[_Edit]:
    """Sibling pieces a reader sees in another order than they are written, by CSS layout
    (:func:`brandrail.content.layout.reordered_groups`: right floats, flex and grid rows, ``order``, grid
    placement, right-to-left rows, from ``style`` attributes and simple style-sheet rules):
    ``<span style="display:inline-flex"><span style="order:2">less</span><span style="order:1">flaw</span>
    </span>`` shows "flawless". The pieces' text, in the order shown, read as one word where it then holds one
    of ``words``; each letter stands for the whole group (the finding's span covers it)."""
    if doc.__dict__.get("_reordered"):
        return
    starts = [p.start for p in doc._pieces]
    for group in layout.reordered_groups(doc.text):
        spans: list[tuple[int, int]] = []
        for a, b in group.pieces:
            span = _view_span(doc, starts, a, b) if b > a else None
            if span is None:
                break
            spans.append(span)
        if len(spans) != len(group.pieces):
            continue
        letters = "".join(text[spans[k][0] : spans[k][1]].strip() for k in group.shown)
        if not any(w in words for w in _LETTER_RUN.findall(letters)):
            continue
        start, end = min(s for s, _ in spans), max(e for _, e in spans)
        yield start, end, letters, [start] * len(letters), [end] * len(letters)


# an element shown right to left letter by letter: <bdo dir="rtl">, or a CSS bidi override with an rtl
# direction (inline, or from simple style-sheet rules), holding text alone
_BIDI_ELEMENT = re.compile(
    r"<(?P<tag>[A-Za-z][A-Za-z0-9]*)(?P<attrs>\s[^<>]*)?>(?P<text>[^<>]{1,200})</(?P=tag)\s*>", re.IGNORECASE
)


def _bidi_edits(doc: Document, text: str, words: Collection[str]) -> Iterator[_Edit]:
    """Elements whose text a reader sees in the other order, letter by letter: ``<bdo dir="rtl">``, or CSS
    ``unicode-bidi: bidi-override`` with a right-to-left direction (``direction: rtl`` or ``dir="rtl"``, from
    the ``style`` attribute or a simple style-sheet rule: :class:`brandrail.content.layout.Styles`):
    ``<bdo dir="rtl">deetnaraug</bdo>`` shows "guaranteed". The text reversed, where it holds one of
    ``words``; each letter stands for the whole element's text. Only elements that hold text alone."""
    if doc.__dict__.get("_reordered"):
        return
    html = doc.text
    styles = layout.Styles(html)
    starts = [p.start for p in doc._pieces]
    for m in _BIDI_ELEMENT.finditer(html):
        raw = m.group("attrs") or ""
        if m.group("tag").lower() != "bdo" and "rtl" not in raw.lower() and not styles:
            continue
        style = styles.of(m.group("tag"), layout.attributes(raw))
        if style.get("direction") != "rtl":
            continue
        if m.group("tag").lower() != "bdo" and style.get("unicode-bidi") != "bidi-override":
            continue
        span = _view_span(doc, starts, m.start("text"), m.end("text"))
        if span is None:
            continue
        va, vb = span
        letters = text[va:vb][::-1]
        if vb <= va or not any(w in words for w in _LETTER_RUN.findall(letters)):
            continue
        yield va, vb, letters, [va] * len(letters), [vb] * len(letters)


#: Generic top-level domains common in addresses; every two-letter label is taken as a country's.
GENERIC_TLDS = frozenset(
    [
        "com", "org", "net", "edu", "gov", "mil", "int", "info", "biz", "name", "pro", "aero", "coop", "museum",
        "mobi", "app", "dev", "io", "ai", "shop", "store", "online", "site", "email", "mail", "tech", "cloud",
        "xyz", "club", "live", "blog", "page", "news", "media", "agency", "company", "business", "eu", "asia",
    ]
)  # fmt: skip


def likely_tld(label: str) -> bool:
    """Whether ``label`` (the last label of a domain) is likely a top-level domain: two letters (a country's)
    or a common generic one (:data:`GENERIC_TLDS`)."""
    label = label.lower()
    return len(label) == 2 or label in GENERIC_TLDS


def _windows(text: str, edits: list[_Edit]) -> Iterator[Reading]:
    """The readings of ``text`` with ``edits`` (sorted, overlapping ones after the first left out) made: edits
    less than :data:`_CONTEXT` characters apart are read together in one window (so a text full of them is
    read about once more, not once per edit), with :data:`_CONTEXT` characters on each side kept as written."""
    n = len(text)
    k = 0
    while k < len(edits):
        cluster = [edits[k]]
        k += 1
        while k < len(edits) and edits[k][0] - cluster[-1][1] <= _CONTEXT:
            if edits[k][0] >= cluster[-1][1]:
                cluster.append(edits[k])
            k += 1
        lo = max(0, cluster[0][0] - _CONTEXT)
        hi = min(n, cluster[-1][1] + _CONTEXT)
        chars: list[str] = []
        first: list[int] = []
        last: list[int] = []
        cursor = lo
        for start, end, letters, firsts, lasts in cluster:
            chars.append(text[cursor:start])
            first.extend(range(cursor - lo, start - lo))
            last.extend(range(cursor - lo + 1, start - lo + 1))
            chars.append(letters)
            first.extend(f - lo for f in firsts)
            last.extend(x - lo for x in lasts)
            cursor = end
        chars.append(text[cursor:hi])
        first.extend(range(cursor - lo, hi - lo))
        last.extend(range(cursor - lo + 1, hi - lo + 1))
        yield lo, "".join(chars), first, last
