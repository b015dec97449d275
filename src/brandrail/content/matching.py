"""Fast whole-word term matching on a Document's normalised view.

All terms of a policy compile into one Aho-Corasick automaton over the folded (normalised, lower-cased)
text, so matching time grows with the text, not with terms × text. A match counts only at word boundaries;
punctuation inside a term is part of it ("node.js", "at&t"). Optional inflections add plural and
comparative forms ("cheap" → "cheaper", "cheapest").
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import ahocorasick

from brandrail.content.fastpolicy import cache_of
from brandrail.content.readings import word_readings
from brandrail.text.document import Document
from brandrail.text.normalize import (
    LEET,
    fold_term,
    normalize,
    resolve_edge_leet,
    resolve_second_readings,
    second_reading_spots,
)

if TYPE_CHECKING:
    from brandrail.policy import Policy
    from brandrail.policy.sections.terms import Competitor

__all__ = [
    "Lexicon",
    "Match",
    "TermMatcher",
    "competitor_matcher",
    "edit_distance",
    "fuzzy_matches",
    "in_address",
    "in_email",
    "inflections",
    "match_view",
    "punctuated_readings",
    "shared_lexicon",
]

T = TypeVar("T")

_VOWELS = set("aeiou")


def inflections(word: str) -> set[str]:
    """Regular English inflections of the last word of ``word``: plural, -er/-est, -ed, -ing and the -ly
    adverb ("cheap" → "cheaply", "easy" → "easily", "simple" → "simply")."""
    head, _, last = word.rpartition(" ")
    prefix = f"{head} " if head else ""
    forms = {last}
    if not last.isalpha() or len(last) < 2:
        return {word}
    stem = last
    if last.endswith("e"):
        forms |= {last + "s", last + "r", last + "st", last + "d", last[:-1] + "ing"}
        forms.add(last[:-1] + "y" if last.endswith("le") and len(last) > 3 else last + "ly")
    elif last.endswith("y") and last[-2] not in _VOWELS:
        forms |= {last[:-1] + "ies", last[:-1] + "ier", last[:-1] + "iest", last[:-1] + "ied", last + "ing"}
        forms.add(last[:-1] + "ily")
    else:
        plural = last + ("es" if last.endswith(("s", "x", "z", "ch", "sh")) else "s")
        forms |= {plural, last + "er", last + "est", last + "ed", last + "ing", last + "ly"}
        # consonant doubling for short CVC words: big → bigger, stop → stopped
        if (
            len(stem) >= 3
            and stem[-1] not in _VOWELS | {"w", "x", "y"}
            and stem[-2] in _VOWELS
            and stem[-3] not in _VOWELS
        ):
            d = stem + stem[-1]
            forms |= {d + "er", d + "est", d + "ed", d + "ing"}
    return {prefix + f for f in forms}


def in_address(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` is part of a domain, URL path or e-mail address ("fernhill.example/x")."""
    if end + 1 < len(text) and text[end] in "./@" and text[end + 1].isalnum():
        return True
    return start >= 2 and text[start - 1] in "./@" and text[start - 2].isalnum()


_WORD_SPLIT = re.compile(r"[^a-z]+")


def match_view(doc: Document, words: set[str] | frozenset[str] = frozenset()) -> str:
    """The text terms are matched on: ``doc.folded`` with line breaks read as spaces (a name split over two
    lines is still the name) and, for the words in ``words``, leetspeak at a word's edges undone and look-alikes
    of other scripts read by their second letter where that makes one of them ("bуllshit", Cyrillic "у"; see
    :func:`resolve_second_readings`). Same length and offsets as ``doc.folded``."""
    text = doc.folded
    if "\n" in text:
        text = text.replace("\n", " ")
    if "\u2122" in doc.prose or "\u2120" in doc.prose:
        text = _unglue_marks(doc, text)
    if not words:
        return text
    text = resolve_edge_leet(text, words)
    if not doc.prose.isascii() and not doc.__dict__.get("_reordered"):
        spots: list[int] | None = doc.__dict__.get("_second_spots")
        if spots is None:
            spots = doc.__dict__["_second_spots"] = second_reading_spots(doc.prose)
        if spots:
            text = resolve_second_readings(text, doc.prose, doc._norm_index, words, spots)
    return text


def _unglue_marks(doc: Document, text: str) -> str:
    """``text`` with the "tm" and "sm" that NFKC makes of a trade mark or service mark sign ("Pureva™" →
    "purevatm") read as spaces: the sign stands after the name, it is no part of its word."""
    idx = doc._norm_index
    if idx is None or doc.__dict__.get("_reordered"):
        return text
    prose = doc.prose
    chars = list(text)
    for sign in ("\u2122", "\u2120"):
        p = prose.find(sign)
        while p != -1:
            i = bisect_left(idx, p)
            if i + 1 < len(idx) and idx[i] == idx[i + 1] == p and text[i : i + 2] in ("tm", "sm"):
                chars[i] = chars[i + 1] = " "
            p = prose.find(sign, p + 1)
    return "".join(chars)


_EMAIL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}")


def in_email(doc: Document, norm_start: int, norm_end: int) -> bool:
    """Whether ``doc.folded[norm_start:norm_end]`` stands inside an e-mail address of the original text
    ("best.price@example.org"): an address is data, not prose, so words in it are not terms or claims."""
    store = doc.__dict__
    spans: list[tuple[int, int]] | None = store.get("_brandrail_email_spans")
    if spans is None:
        text = doc.text
        spans = [m.span() for m in _EMAIL.finditer(text)] if "@" in text else []
        store["_brandrail_email_spans"] = spans
    if not spans:
        return False
    start, end = doc.norm_to_original(norm_start, norm_end)
    return any(a <= start and end <= b for a, b in spans)


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


@dataclass(frozen=True, slots=True)
class Match(Generic[T]):
    """A term found in a document: norm offsets, original offsets, and the payload the term was added with."""

    norm_start: int
    norm_end: int
    start: int
    end: int
    form: str
    payload: T


_Hit = tuple[int, int, str, tuple[Any, ...]]


class _Tier:
    """Forms and their automaton; rebuilt when forms were added since the last build."""

    __slots__ = ("automaton", "built", "forms", "longest", "version")

    def __init__(self) -> None:
        self.forms: dict[str, dict[int, list[Any]]] = {}
        self.automaton: Any = None
        self.version = 0
        self.built = -1
        #: the length of the longest form
        self.longest = 0

    def build(self) -> None:
        automaton = ahocorasick.Automaton()
        for form, by_matcher in self.forms.items():
            automaton.add_word(form, (form, {k: tuple(v) for k, v in by_matcher.items()}))
        if self.forms:
            automaton.make_automaton()
        self.automaton = automaton
        self.built = self.version


class Lexicon:
    """Every :class:`TermMatcher` of one policy in one automaton, so each document is scanned once.

    Matchers register their forms under their own id; :meth:`scan` runs the automaton over ``doc.folded``
    once per document (memoised on it), checks word boundaries once per hit and hands each matcher its
    hits. Before the first scan, :meth:`warm_up` runs every content rule on an empty document so that all
    matchers exist and the main automaton is built once, not once per rule. Phrase sets a rule creates
    later (say, when a trigger first fires) go into a small second automaton, so the big one (the brand's
    thousands of terms) is never rebuilt for them.
    """

    def __init__(self, policy: Any = None) -> None:
        self.policy = policy
        self._main = _Tier()
        self._late = _Tier()
        self._next_id = 0
        self.warmed = policy is None
        self._warming = False
        self._key = f"_brandrail_lexicon_{id(self)}"
        self._lock = threading.RLock()
        #: the single words of every form, for undoing leetspeak at word edges ("0ff" → "off")
        self.words: set[str] = set()
        #: the words whose split forms after a degree adverb are registered (see :data:`DEGREE_ADVERBS`)
        self._split_words: set[str] = set()
        #: words of forms of several words ("sol derma") with the words beside them, and forms of one word: a
        #: word only ever read in a phrase is read through respellings at any length next to a word of its
        #: phrase (:func:`~brandrail.content.readings.word_readings`)
        self._phrase_parts: dict[str, set[str]] = {}
        self._single_forms: set[str] = set()
        self._phrase_only: tuple[tuple[int, int], dict[str, frozenset[str]]] = ((-1, -1), {})

    @property
    def _version(self) -> tuple[int, int]:
        return (self._main.version, self._late.version)

    def register(self) -> int:
        with self._lock:
            self._next_id += 1
            return self._next_id

    def add(self, matcher_id: int, form: str, payload: Any) -> None:
        with self._lock:
            tier = self._late if self.warmed and self.policy is not None else self._main
            tier.forms.setdefault(form, {}).setdefault(matcher_id, []).append(payload)
            tier.longest = max(tier.longest, len(form))
            tier.version += 1
            words = [w for w in _WORD_SPLIT.split(form) if len(w) >= 2]
            self.words.update(words)
            if len(words) >= 2:
                for k, w in enumerate(words):
                    if len(w) >= _PHRASE_PART_MIN:
                        beside = self._phrase_parts.setdefault(w, set())
                        beside.update(words[max(0, k - 1) : k] + words[k + 1 : k + 2])
            elif words:
                self._single_forms.update(words)
            for word in words:
                if (
                    len(word) >= _SPLIT_MIN
                    and word.isalpha()
                    and word.isascii()
                    and word not in self._split_words
                ):
                    self._split_words.add(word)
                    for split in _split_forms(word):
                        tier.forms.setdefault(split, {}).setdefault(_SPLIT_ID, []).append(word)
                        tier.longest = max(tier.longest, len(split))

    def __len__(self) -> int:
        return len(self._main.forms.keys() | self._late.forms.keys())

    @property
    def phrase_only(self) -> dict[str, frozenset[str]]:
        """Words of forms of several words that are no form of one word ("derma" of "Sol Derma"), each with
        the words that stand beside it in those forms: :func:`word_readings` reads a respelling of one next
        to such a word ("Sol Dermah"), which it reads of a lone word only from six letters on."""
        version = self._version
        if self._phrase_only[0] != version:
            with self._lock:
                only = {w: frozenset(b) for w, b in self._phrase_parts.items() if w not in self._single_forms}
                self._phrase_only = (version, only)
        return self._phrase_only[1]

    def warm_up(self) -> None:
        with self._lock:
            if self.warmed or self._warming:
                return
            self._warming = True
            self._warm()

    def _warm(self) -> None:
        try:
            from brandrail.registry import Rule, all_rules

            empty = Document("")
            for cls in all_rules("text"):  # not the codes other parts emit (BR999), which have no check
                if cls.__module__.startswith("brandrail.content.") and cls.check is not Rule.check:
                    for _ in cls().check(empty, self.policy):
                        pass
        finally:
            self._warming = False
            self.warmed = True

    def scan(self, doc: Document) -> dict[int, list[_Hit]]:
        """Whole-word hits in ``doc`` per matcher id (all of them, overlapping ones included)."""
        if self._warming:
            return {}
        store = doc.__dict__
        version = self._version
        cached = store.get(self._key)
        if cached is not None and cached[0] == version:
            return cached[1]  # type: ignore[no-any-return]
        out: dict[int, list[_Hit]] = {}
        text = match_view(doc, self.words)
        tiers = [t for t in (self._main, self._late) if t.forms]
        for tier in tiers:
            if tier.built != tier.version:
                with self._lock:
                    if tier.built != tier.version:
                        tier.build()
            for start, end, form, by_matcher in _whole_words(tier.automaton, text):
                for matcher_id, payloads in by_matcher.items():
                    out.setdefault(matcher_id, []).append((start, end, form, payloads))
        if tiers and _ELONGATED.search(text):
            longest = max(t.longest for t in tiers)
            seen: set[tuple[int, int, str]] = set()
            for offset, view, first, last in _shortened_views(text, longest):
                for tier in tiers:
                    for start, end, form, by_matcher in _whole_words(tier.automaton, view):
                        a, b = offset + first[start], offset + last[end - 1]
                        # no stretched letter in it (the plain scan found it), or found in the other view
                        if b - a == end - start or (a, b, form) in seen:
                            continue
                        seen.add((a, b, form))
                        for matcher_id, payloads in by_matcher.items():
                            out.setdefault(matcher_id, []).append((a, b, form, payloads))
        readings: list[Reading] = []
        split = out.pop(_SPLIT_ID, None)
        if split:
            readings.extend(_split_readings(text, split))
        if tiers:
            readings.extend(punctuated_readings(doc, text))  # none without a run to read (memoised per text)
        if tiers:
            readings.extend(word_readings(doc, text, self.words, phrase_only=self.phrase_only))
        if readings:
            seen = {(h[0], h[1], h[2]) for hits in out.values() for h in hits}
            for offset, view, first, last in readings:
                for tier in tiers:
                    for start, end, form, by_matcher in _whole_words(tier.automaton, view):
                        a, b = offset + first[start], offset + last[end - 1]
                        if (a, b, form) in seen:
                            continue
                        seen.add((a, b, form))
                        for matcher_id, payloads in by_matcher.items():
                            out.setdefault(matcher_id, []).append((a, b, form, payloads))
        if tiers and doc.__dict__.get("_reordered"):
            self._scan_logical_order(doc, tiers, out)
        store[self._key] = (version, out)
        return out

    def _scan_logical_order(self, doc: Document, tiers: list[_Tier], out: dict[int, list[_Hit]]) -> None:
        """Under a right-to-left override the view holds the letters in the order a reader sees them; a renderer
        that ignores the override (or strips it) shows them as stored, so that order is read too: hits found
        only there are added, at the view offsets of the same characters."""
        logical, logical_index = normalize(doc.prose, reorder=False)
        view = "".join(c.lower() if len(c.lower()) == 1 else c for c in logical).replace("\n", " ")
        if self.words:
            view = resolve_edge_leet(view, self.words)
        norm_index = doc._norm_index
        if norm_index is None or logical_index is None:
            return
        where: dict[int, int] = {}
        for i, p in enumerate(norm_index):
            where.setdefault(p, i)
        seen = {(h[0], h[1], h[2]) for hits in out.values() for h in hits}
        for tier in tiers:
            for start, end, form, by_matcher in _whole_words(tier.automaton, view):
                spots = [where[p] for p in logical_index[start:end] if p in where]
                if not spots:
                    continue
                a, b = min(spots), max(spots) + 1
                if (a, b, form) in seen:
                    continue
                seen.add((a, b, form))
                for matcher_id, payloads in by_matcher.items():
                    out.setdefault(matcher_id, []).append((a, b, form, payloads))


#: Words that only an adjective (or an adverb) can follow: after one, a term's word split in two by a space
#: reads as the word ("Skin so flaw less it glows" is "so flawless"), while a noun and a word after it stay two
#: words elsewhere ("makes the flaw less visible", "at any age less sugar", "the bar gains a shelf"). The
#: split forms ("flaw less") are forms of the lexicon's automaton, so finding them costs no extra pass; the
#: word before one is looked at only where one is found.
DEGREE_ADVERBS = frozenset(
    (
        "so", "too", "very", "really", "truly", "totally", "completely", "utterly", "perfectly", "absolutely",
        "incredibly", "amazingly", "beautifully", "almost", "nearly", "virtually",
    )
)  # fmt: skip
_LONGEST_ADVERB = max(map(len, DEGREE_ADVERBS))
#: A word is split only when it has this many letters, and only into pieces of three letters or more.
_SPLIT_MIN = 6
#: Words of a phrase this long or longer are read through respellings (see :attr:`Lexicon.phrase_only`).
_PHRASE_PART_MIN = 3
#: The matcher id of the split forms (ids of real matchers start at 1).
_SPLIT_ID = 0


def _split_forms(word: str) -> list[str]:
    """The forms of ``word`` split in two by a space, pieces of three letters or more ("flaw less")."""
    return [f"{word[:k]} {word[k:]}" for k in range(3, len(word) - 2)]


def _split_readings(text: str, hits: list[_Hit]) -> Iterator[Reading]:
    """A reading of ``text`` for each split form found (``hits`` of :data:`_SPLIT_ID`) right after a degree
    adverb (:data:`DEGREE_ADVERBS`): the two pieces joined into the word, so the term matcher reads it there;
    the word's span covers both pieces."""
    n = len(text)
    for a, end, _form, payloads in hits:
        if a < 3 or text[a - 1] != " ":
            continue
        before = text.rfind(" ", max(0, a - 2 - _LONGEST_ADVERB), a - 1) + 1
        if text[before : a - 1] not in DEGREE_ADVERBS or (before == 0 and a - 1 > _LONGEST_ADVERB):
            continue
        if before > 0 and text[before - 1].isalnum():
            continue
        space = text.find(" ", a, end)
        if space < 0:
            continue
        lo, hi = max(0, a - 40), min(n, end + 40)
        word = str(payloads[0])
        view = text[lo:a] + word + text[end:hi]
        kept = [*range(lo, a), *range(a, space), *range(space + 1, end), *range(end, hi)]
        if len(kept) != len(view):
            continue
        yield lo, view, [k - lo for k in kept], [k - lo + 1 for k in kept]


def _whole_words(automaton: Any, text: str) -> Iterator[tuple[int, int, str, dict[int, tuple[Any, ...]]]]:
    """The automaton's hits in ``text`` that stand at word boundaries: start, end, form, payloads by matcher."""
    n = len(text)
    # _is_word_char written out: this loop sees every hit of every form, inside words too
    for end_index, (form, by_matcher) in automaton.iter(text):
        start = end_index - len(form) + 1
        end = end_index + 1
        if start > 0:
            c = text[start - 1]
            if (
                (c.isalnum() or c == "_")
                and (form[0].isalnum() or form[0] == "_")
                and (c != "_" or not _emphasis_edge(text, start - 1, -1))
            ):
                continue
        if end < n:
            c = text[end]
            if (
                (c.isalnum() or c == "_")
                and (form[-1].isalnum() or form[-1] == "_")
                and (c != "_" or not _emphasis_edge(text, end, 1))
            ):
                continue
        yield start, end, form, by_matcher


def _emphasis_edge(text: str, i: int, step: int) -> bool:
    """Whether the underscores from ``text[i]`` on (walking by ``step``) are Markdown emphasis at the edge of a
    word: nothing or no letter nor digit stands past them ("_Terms apply._", "__Free__"), not an underscore that
    joins two words ("free_plan")."""
    n = len(text)
    while 0 <= i < n and text[i] == "_":
        i += step
    return not (0 <= i < n) or not text[i].isalnum()


# leetspeak whose letters are kept apart by punctuation, which the normaliser leaves alone because a digit there
# may be part of a number ("b.4.r.g.4.1.n", "fr.3.3", "g-u-4-r-4-n-t-3-3-d"): read only when the reading is a
# term (see :func:`_punctuated_views`). The hint (a leet digit or symbol next to punctuation) is one cheap scan;
# the runs are looked for only around its hits.
_PUNCT = r"[.\-_*/+~|:\u00b7\u2022\u2013\u2014]"
_PUNCT_CHARS = frozenset(".-_*/+~|:\u00b7\u2022\u2013\u2014")
_PUNCT_LEET_HINT = re.compile(rf"[0-9@$]{_PUNCT}|{_PUNCT} ?[0-9@$]|[a-z]_[a-z]")
_PUNCT_TOKEN = re.compile(rf"(?<![\w@$])[a-z0-9@$]+(?:{_PUNCT}+ ?[a-z0-9@$]+)+(?![\w@$])")
_TOKEN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789@$") | _PUNCT_CHARS
_CHUNK = re.compile(r"[a-z0-9@$]+")
_LEET_SYMBOLS = frozenset(LEET)
#: Characters of text kept on each side of a punctuated run in its reading.
_CONTEXT = 40
#: How far back from a hint a punctuated run may start.
_TOKEN_REACH = 64


#: One reading of a punctuated run: its offset in the text, the reading, and for each character of the reading
#: the first and the one-past-last offset in the run it stands for.
Reading = tuple[int, str, list[int], list[int]]


def _a_name(doc: Document, start: int, end: int) -> bool:
    """Whether the underscore-joined words at ``doc.folded[start:end]`` are a name as written in the original:
    formatted as code, or a handle, tag or path ("@risk_free_co", "#best_day", "/free_trial"), whose
    underscores belong to the name."""
    a, b = doc.norm_to_original(start, end)
    if doc.has_code and doc.in_code(a, b):
        return True
    return a > 0 and doc.text[a - 1] in "@#/\\.:"


def punctuated_readings(doc: Document, text: str | None = None) -> list[Reading]:
    """The readings of the punctuated leetspeak and underscore-joined words of ``text`` (by default
    :func:`match_view` of ``doc``; see :func:`_punctuated_views`), memoised on ``doc``: the term matcher and
    the claim patterns read the same runs the same way. Empty when ``text`` has no such run."""
    if text is None:
        text = match_view(doc)
    store = doc.__dict__
    # the readings depend on the text alone: every lexicon and rule reading the same view shares them (and
    # the search for a run, a scan of the whole text, is made once per text too)
    memo: dict[str, list[Reading]] = store.setdefault("_brandrail_punctuated", {})
    found = memo.get(text)
    if found is None:
        if len(memo) >= 4:
            memo.clear()
        fragments = store.get("_spaced_fragments")
        hinted = _PUNCT_LEET_HINT.search(text) is not None
        found = list(_punctuated_views(text, lambda a, b: _a_name(doc, a, b))) if hinted else []
        if fragments:
            found.extend(_fragment_views(doc, text, fragments))
        memo[text] = found
    return found


_FRAGMENT_WORD = re.compile(r"[a-z0-9@$]+")
#: LEET as a table for str.translate (each symbol read as its letter).
_LEET_TABLE = str.maketrans(LEET)
_FRAGMENT_GAP = re.compile(r"[^a-z0-9@$]{1,8}")


def _fragment_views(doc: Document, text: str, fragments: list[tuple[int, int, int]]) -> Iterator[Reading]:
    """For each short fragment next to a spaced run (``fragments``, in prose offsets, from
    :func:`brandrail.text.normalize.unspell`), ``text`` around it with the fragment joined to the word the run
    reads as, leet symbols read as letters ("fl 4wless" → "flawless", "mir4c le" → "miracle"): the joined word
    must be letters only. The readings are shaped as :func:`_punctuated_views`'s."""
    if doc.__dict__.get("_reordered"):
        return  # the view is reordered under a right-to-left override: prose offsets do not sort it
    idx = doc._norm_index
    n = len(text)
    for start, end, side in fragments:
        a = start if idx is None else bisect_left(idx, start)
        b = end if idx is None else bisect_left(idx, end)
        if not 0 <= a < b <= n:
            continue
        if side > 0:
            gap = _FRAGMENT_GAP.match(text, b)
            word = _FRAGMENT_WORD.match(text, gap.end()) if gap is not None else None
            if gap is None or word is None:
                continue
            parts = ((a, b), word.span())
        else:
            # the word the run reads as ends where the gap before the fragment begins
            k = a
            while k > 0 and a - k < 8 and not _FRAGMENT_WORD.match(text, k - 1):
                k -= 1
            w = k
            while w > 0 and _FRAGMENT_WORD.match(text, w - 1):
                w -= 1
            if k in (a, w):
                continue
            parts = ((w, k), (a, b))
        joined = "".join(text[p:q].translate(_LEET_TABLE) for p, q in parts)
        if not joined.isalpha():
            continue
        lo = max(0, parts[0][0] - _CONTEXT)
        hi = min(n, parts[1][1] + _CONTEXT)
        chars = [text[lo : parts[0][0]], joined, text[parts[1][1] : hi]]
        first = list(range(parts[0][0] - lo))
        last = list(range(1, parts[0][0] - lo + 1))
        for p, q in parts:
            first.extend(range(p - lo, q - lo))
            last.extend(range(p - lo + 1, q - lo + 1))
        first.extend(range(parts[1][1] - lo, hi - lo))
        last.extend(range(parts[1][1] - lo + 1, hi - lo + 1))
        yield lo, "".join(chars), first, last


def _punctuated_tokens(text: str) -> Iterator[re.Match[str]]:
    """The runs of :data:`_PUNCT_TOKEN` in ``text`` that hold a hit of :data:`_PUNCT_LEET_HINT`, in order."""
    done = 0
    for hint in _PUNCT_LEET_HINT.finditer(text):
        at = hint.start()
        if at < done:
            continue
        i, floor = at, max(done, at - _TOKEN_REACH)
        while i > floor and (
            text[i - 1] in _TOKEN_CHARS or (text[i - 1] == " " and i >= 2 and text[i - 2] in _PUNCT_CHARS)
        ):
            i -= 1
        while i < at and not (text[i].isalnum() or text[i] in "@$"):
            i += 1
        m = _PUNCT_TOKEN.match(text, i)
        if m is not None and m.end() > at:
            done = m.end()
            yield m


def _punctuated_views(text: str, named: Callable[[int, int], bool] | None = None) -> Iterator[Reading]:
    """For each run of ``text`` that mixes letters with leet digits or symbols kept apart by punctuation (a
    space may follow it: "f. r. 3. 3"; :func:`_punctuated_tokens`) or that joins words with underscores
    ("clinically_proven"; :func:`_underscored_words`), its readings: the chunks (the parts between the gaps)
    with every leet symbol read as its letter, joined with nothing ("b.4.r.g.4.1.n" → "bargain", "fr.3.3" →
    "free") and, when a chunk has two letters or more, joined with a space ("r1sk_fr33" → "risk free"). A run
    with a digit no leetspeak uses, or with a chunk of two or more digits ("Fr. 33", "v1.3.3" reads "viee":
    no term), is a number and is left alone.

    Runs less than :data:`_CONTEXT` characters apart are read together, so a phrase spread over several runs
    ("t.h.4.n 4.n.y 0.t.h.3.r") is one reading; :data:`_CONTEXT` characters of text stay on each side, so a
    phrase that begins or ends in a run is found. Yields the window's offset in ``text``, the reading, and for
    each character of it the first and the one-past-last offset in the window (as :func:`_shortened_views`).
    ``named(start, end)`` says whether the underscore-joined words of a span of ``text`` are a name where they
    are written (:func:`_a_name`: code, a handle), not a disguise."""
    runs: list[tuple[int, int, list[tuple[int, str]]]] = []
    for m in _punctuated_tokens(text):
        token = m.group()
        if sum(c.isalpha() for c in token) < 2:
            continue
        chunks = [(m.start() + c.start(), c.group()) for c in _CHUNK.finditer(token)]
        if token[0] == "@" and not any(c in _LEET_SYMBOLS for c in token[1:]):
            continue  # a handle ("@risk_free_co"), not "@" read as "a"
        if not any(c in _LEET_SYMBOLS for c in token) and (
            not _underscored_words(text, m, chunks) or (named is not None and named(m.start(), m.end()))
        ):
            continue
        if any(c.isdigit() and c not in _LEET_SYMBOLS for c in token):
            continue
        if any(len(ch) >= 2 and not any(c.isalpha() for c in ch) for _, ch in chunks):
            continue
        runs.append((m.start(), m.end(), chunks))
    clusters: list[list[tuple[int, int, list[tuple[int, str]]]]] = []
    for run in runs:
        if clusters and run[0] - clusters[-1][-1][1] <= _CONTEXT:
            clusters[-1].append(run)
        else:
            clusters.append([run])
    for cluster in clusters:
        lo = max(0, cluster[0][0] - _CONTEXT)
        hi = min(len(text), cluster[-1][1] + _CONTEXT)
        spaced = any(any(len(ch) > 1 for _, ch in chunks) for _, _, chunks in cluster)
        for joiner in ("", " ") if spaced else ("",):
            chars: list[str] = []
            first: list[int] = []
            last: list[int] = []
            cursor = lo
            for start, end, chunks in cluster:
                chars.append(text[cursor:start])
                first.extend(range(cursor - lo, start - lo))
                last.extend(range(cursor - lo + 1, start - lo + 1))
                # a run of one-letter chunks is one word: a space only between chunks of whole words
                gap = joiner if any(len(ch) > 1 for _, ch in chunks) else ""
                for k, (at, chunk) in enumerate(chunks):
                    if k and gap:
                        chars.append(gap)
                        first.append(at - 1 - lo)
                        last.append(at - lo)
                    chars.append("".join(LEET.get(c, c) if not c.isalpha() else c for c in chunk))
                    first.extend(range(at - lo, at - lo + len(chunk)))
                    last.extend(range(at - lo + 1, at - lo + len(chunk) + 1))
                cursor = end
            chars.append(text[cursor:hi])
            first.extend(range(cursor - lo, hi - lo))
            last.extend(range(cursor - lo + 1, hi - lo + 1))
            yield lo, "".join(chars), first, last


#: how far back a backtick that opens a code span is looked for (characters)
_CODE_REACH = 120
_CODE_AFTER = re.compile(r" ?[=(\[{]")


def _underscored_words(text: str, m: re.Match[str], chunks: list[tuple[int, str]]) -> bool:
    """Whether the run ``m`` (no leet in it; ``chunks`` its parts and their offsets in ``text``) is words joined by underscores only ("clinically_proven",
    "risk_free"): read with a space between them, as a reader reads them. Not in a web address, a path, an
    e-mail address or a handle ("example.org/best_price", "@best_deals", "best_price@example.org"), whose
    underscores are part of a name."""
    token = m.group()
    if len(chunks) < 2 or any(text[a + len(ch) : a + len(ch) + 1] != "_" for a, ch in chunks[:-1]):
        return False
    if not all(ch.isalpha() for _, ch in chunks) or "__" in token:
        return False
    before = text[m.start() - 1] if m.start() else " "
    after = text[m.end() : m.end() + 2]
    if before in "/@#.:\\" or after.startswith("@") or (after[:1] in "./" and after[1:2].isalnum()):
        return False
    # code: a name in backticks ("`free_trial_days`"), or one that is assigned, called or indexed ("is_free =
    # False", "get_best()")
    if text.count("`", max(0, m.start() - _CODE_REACH), m.start()) % 2:
        return False
    return _CODE_AFTER.match(text, m.end()) is None


# a letter written three times or more ("freeee", "cheeeap", "fuuuck"): stretched for emphasis
_ELONGATED = re.compile(r"([a-z])\1\1+")


def _shortened_views(text: str, reach: int) -> Iterator[tuple[int, str, list[int], list[int]]]:
    """Around the stretched letters of ``text`` (as far as a form of ``reach`` characters can reach, plus one
    character for the word-boundary test), the text with every stretched letter written once, then twice
    ("cheeeap" → "cheap", "freeee" → "free"): the window's offset in ``text``, the view, and for each
    character of the view the first and the one-past-last offset in the window it stands for. "www." of a
    web address is left as it is."""
    runs = [
        m.span()
        for m in _ELONGATED.finditer(text)
        if not (m.group() == "www" and text[m.end() : m.end() + 1] == ".")
    ]
    windows: list[list[tuple[int, int]]] = []
    window_end = -1
    for a, b in runs:
        if windows and a - reach - 1 <= window_end:
            windows[-1].append((a, b))
        else:
            windows.append([(a, b)])
        window_end = b + reach + 1
    for group in windows:
        lo = max(0, group[0][0] - reach - 1)
        hi = min(len(text), group[-1][1] + reach + 1)
        for keep in (1, 2):
            chars: list[str] = []
            first: list[int] = []
            last: list[int] = []
            cursor = lo
            for a, b in group:
                chars.append(text[cursor:a])
                first.extend(range(cursor - lo, a - lo))
                last.extend(range(cursor - lo + 1, a - lo + 1))
                chars.append(text[a] * keep)
                if keep == 1:
                    first.append(a - lo)
                    last.append(b - lo)
                else:  # the first letter stands for itself, the second for the rest of the run
                    first.extend((a - lo, a - lo + 1))
                    last.extend((a - lo + 1, b - lo))
                cursor = b
            chars.append(text[cursor:hi])
            first.extend(range(cursor - lo, hi - lo))
            last.extend(range(cursor - lo + 1, hi - lo + 1))
            yield lo, "".join(chars), first, last


def shared_lexicon(policy: Any) -> Lexicon:
    """The policy's lexicon (one per policy object, kept in ``cache_of(policy)``)."""
    cache = cache_of(policy)
    found: Lexicon | None = cache.get("_content_lexicon")
    if found is None:
        found = Lexicon(policy)
        cache["_content_lexicon"] = found
    return found


class TermMatcher(Generic[T]):
    """Many terms, one automaton. Add ``(term, payload)`` pairs, then :meth:`find` in documents.

    With ``policy`` the matcher joins that policy's shared :class:`Lexicon` (one scan per document for all
    rules); without, it keeps an automaton of its own.
    """

    def __init__(self, policy: Any = None) -> None:
        self._lexicon = shared_lexicon(policy) if policy is not None else Lexicon()
        self._id = self._lexicon.register()
        self._count = 0

    def add(self, term: str, payload: T, *, inflect: bool = False) -> None:
        folded = fold_term(term)
        if not folded.strip():
            return
        forms = inflections(folded) if inflect else {folded}
        for form in forms:
            self._lexicon.add(self._id, form, payload)
            self._count += 1
        # words joined by a space or a hyphen are one phrase: "clinically proven" is "clinically-proven"; a
        # form another term has as its own keeps only that term (see find)
        spelt = {_HYPHEN_GAP.sub(" ", f) for f in forms} | {f.replace(" ", "-") for f in forms if " " in f}
        for form in spelt - forms:
            self._lexicon.add(self._id, form, _Variant(payload))

    def extend(self, items: Iterable[tuple[str, T]]) -> None:
        for term, payload in items:
            self.add(term, payload)

    def __len__(self) -> int:
        return self._count

    def find(self, doc: Document, *, longest: bool = True) -> Iterator[Match[T]]:
        """Whole-word matches in ``doc``; when terms overlap, the longest leftmost one wins."""
        if not self._count:
            return
        lexicon = self._lexicon
        if not lexicon.warmed:
            lexicon.warm_up()
        hits = lexicon.scan(doc).get(self._id)
        if not hits:
            return
        if longest and len(hits) > 1:
            hits = sorted(hits, key=lambda h: (h[0], -(h[1] - h[0])))
            kept: list[_Hit] = []
            last_end = -1
            for hit in hits:
                if hit[0] >= last_end:
                    kept.append(hit)
                    last_end = hit[1]
            hits = kept
        for start, end, form, payloads in hits:
            a, b = doc.norm_to_original(start, end)
            for payload in _own_payloads(payloads):
                yield Match(start, end, a, b, form, payload)


_HYPHEN_GAP = re.compile(r"(?<=[a-z])-(?=[a-z])")


@dataclass(frozen=True, slots=True)
class _Variant:
    """A payload registered under another spelling of its term (hyphen for space, or the reverse)."""

    payload: Any


def _own_payloads(payloads: tuple[Any, ...]) -> list[Any]:
    """The payloads of a form: its terms' own, or, when it is only another spelling, each term once."""
    own = [p for p in payloads if not isinstance(p, _Variant)]
    if own:
        return own
    out: list[Any] = []
    for p in payloads:
        if not any(p.payload is q or p.payload == q for q in out):
            out.append(p.payload)
    return out


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (insert, delete, substitute, swap two neighbours) of ``a`` and
    ``b``, or ``limit + 1`` as soon as it must exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


_FUZZY_WORD = re.compile(r"[a-z][a-z'’-]*[a-z]|[a-z]")


def allowed_edits(term: str, wanted: int) -> int:
    """Edits tolerated for ``term``: none under 5 letters, at most 1 under 8, else ``wanted`` (≤ 2)."""
    letters = sum(c.isalpha() for c in term)
    if letters < 5:
        return 0
    return min(wanted, 1 if letters < 8 else 2)


def fuzzy_matches(doc: Document, terms: list[tuple[str, int, T]]) -> Iterator[tuple[int, int, str, int, T]]:
    """Misspellings of ``terms`` (folded term, edits wanted, payload) in ``doc``: norm start, end, the text
    found, its distance (≥ 1) and the payload. A multi-word term is compared with as many words in a row."""
    text = match_view(doc)
    words = [(m.start(), m.end(), m.group()) for m in _FUZZY_WORD.finditer(text)]
    for term, wanted, payload in terms:
        limit = allowed_edits(term, wanted)
        if not limit:
            continue
        width = term.count(" ") + 1
        for i in range(len(words) - width + 1):
            a, b = words[i][0], words[i + width - 1][1]
            seen = " ".join(w for _, _, w in words[i : i + width])
            if seen == term or abs(len(seen) - len(term)) > limit:
                continue
            distance = edit_distance(seen, term, limit)
            if 0 < distance <= limit:
                yield a, b, seen, distance, payload


#: A name of several words is also written as one ("SolDerma", "SOLDERMA") or with dots ("sol.derma") — in
#: handles, domains and to slip past a checker — when the joined name is this long (so "Any Day" → "anyday", an
#: ordinary word, is not one).
JOINED_NAME_MIN = 7


def joined_spellings(name: str) -> list[str]:
    """The other spellings of the competitor name ``name`` as one word: its words of two letters or more run
    together and joined by dots ("Sol Derma" → "SolDerma", "Sol.Derma"); none for a one-word name, a joined name
    shorter than :data:`JOINED_NAME_MIN` or a name of more than three words."""
    parts = name.split()
    if not 2 <= len(parts) <= 3 or not all(len(p) >= 2 and p.isalpha() for p in parts):
        return []
    joined = "".join(parts)
    return [joined, ".".join(parts)] if len(joined) >= JOINED_NAME_MIN else []


def competitor_matcher(policy: Policy) -> TermMatcher[Competitor]:
    """The matcher of every ``terms.competitors`` entry's name and variants (payload: the entry), built once
    per policy: BR105 reports the mentions, the pricing claims read a mention near a price as a comparison."""
    cache = cache_of(policy)
    found: TermMatcher[Competitor] | None = cache.get("terms:competitors")
    if found is None:
        found = TermMatcher(policy)
        for entry in policy.terms.competitors:
            names = (entry.name, *entry.variants)
            for name in names:
                found.add(name, entry)
            written = {fold_term(name) for name in names}
            for name in names:
                for joined in joined_spellings(name):
                    folded = fold_term(joined)
                    if folded not in written:  # a variant may already be the joined name ("SummitGear")
                        written.add(folded)
                        found.add(joined, entry)
        cache["terms:competitors"] = found
    return found
