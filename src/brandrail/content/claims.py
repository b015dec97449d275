"""The claim finder shared by the BR2xx rules: built-in and brand phrases per kind, substantiation, qualifiers.

A claim phrase of a kind (see :mod:`brandrail.content.lexicons`) is acceptable when

* a ``claims.substantiated`` entry covers it: one of the entry's ``claim`` phrases occurs in the message and
  overlaps the match, the entry has not expired and applies to the channel; or
* one of the kind's ``qualifiers`` occurs in the same sentence (``qualifier_scope: sentence``) or anywhere in
  the message (``qualifier_scope: message``).

Everything else is a finding of that kind's rule.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from brandrail.content.common import PhraseSet, Spans, memo, on_channel, sentence_ends, sentence_range
from brandrail.content.fastpolicy import cache_of
from brandrail.content.lexicons import (
    CLAIM_BACKING,
    CLAIM_EXCEPTIONS,
    CLAIM_IDIOMS,
    CLAIM_PATTERNS,
    CLAIM_TERMS,
    NEGATION,
    NOT_SUPERLATIVE_EST,
    NOT_SUPERLATIVE_MOST,
)
from brandrail.content.matching import (
    TermMatcher,
    competitor_matcher,
    in_email,
    match_view,
    punctuated_readings,
)
from brandrail.content.readings import word_readings
from brandrail.findings import Finding, Severity
from brandrail.policy import Policy
from brandrail.policy.sections.claims import ClaimCategory, Substantiation
from brandrail.registry import Rule
from brandrail.text.document import Document
from brandrail.text.normalize import fold_term
from brandrail.text.scan import digit_run_starts, finditer_at, finditer_from, literal_first, literal_start

__all__ = ["ClaimHit", "ClaimRule", "claim_hits", "negated", "seen_positions", "substantiations_in"]


_IDIOM = "\x00idiom"


@dataclass(frozen=True, slots=True)
class ClaimHit:
    kind: str
    phrase: str
    norm_start: int
    norm_end: int
    start: int
    end: int


@dataclass
class _Compiled:
    matcher: TermMatcher[str]
    #: (a text every match holds, the pattern, where a match can start: a pattern (see literal_start),
    #: _DIGIT_RUNS (at the start of a run of digits) or None (anywhere))
    patterns: list[tuple[str, re.Pattern[str], re.Pattern[str] | str | None]]
    allow: frozenset[str]
    qualifiers: PhraseSet
    exceptions: list[re.Pattern[str]]
    #: built-in patterns that back a claim in its sentence (see CLAIM_BACKING), as one alternation
    backing_any: re.Pattern[str] | None
    #: the words the claim patterns of every kind spell out ("than", "any", "other", "world"...): leetspeak at
    #: their edges is read as letters before the patterns run (see :func:`_pattern_text`)
    pattern_words: frozenset[str]


_NEGATION_WORDS = frozenset(n for n in NEGATION if " " not in n)
_NEGATION_PAIRS = tuple(n for n in NEGATION if " " in n)
_NEGATION_OPENERS = _NEGATION_WORDS | {n.split(" ", 1)[0] for n in _NEGATION_PAIRS}
# a cheap test that a negating word may stand in a window (any occurrence, even inside a word: the words are
# checked after it)
_NEGATION_SEEN = re.compile("|".join(re.escape(w) for w in sorted(_NEGATION_OPENERS, key=len, reverse=True)))
_CLAUSE_BREAK = re.compile(r"[.!?;:,\n()\u2013\u2014]|\b(?:but|although|though|yet|however)\b")
_NOT_REALLY_NEGATED = frozenset({"just", "only", "simply", "merely"})
#: verbs that a negation turns into a call to act, not a denial: "Don't miss our offers, ending Sunday", "don't
#: forget: free delivery", "don't wait"
_URGING = frozenset({"miss", "forget", "wait", "hesitate", "delay"})
#: a claim denied by what follows it: "weight loss is not guaranteed", "returns aren't promised"
_DENIED_AFTER = re.compile(
    r"\s+(?:(?:is|are|will\s+be|can\s+be)\s+(?:not|never)|isn't|isn’t|aren't|aren’t|won't\s+be|won’t\s+be|"
    r"cannot\s+be|can't\s+be|can’t\s+be)\s+(?:guaranteed|promised|assured)\b"
)
#: a denied promise before a negative claim: "we can't promise", "nobody can guarantee", "we don't claim"
_DENIED_PROMISE = re.compile(
    r"\b(?:can't|can’t|cannot|won't|won’t|don't|don’t|do\s+not|will\s+not|nobody\s+can|no\s+one\s+can)\s+"
    r"(?:\w+\s+)?(?:promise|guarantee|claim|pretend|say)\b"
)
#: Words that turn a negation into a comparison: "you won't find a better guarantee", "you can't beat our
#: lifetime warranty", "you'll never find a more eco-friendly tent" claim more, they deny nothing.
_COMPARISON = frozenset(
    {
        "better", "cheaper", "lower", "greater", "bigger", "safer", "stronger", "faster", "longer", "greener",
        "kinder", "more", "beat", "beats", "match", "matches", "rival", "rivals", "equal", "equals", "top",
        "tops", "outdo", "outdoes", "outperform", "outperforms", "compare", "compares", "touch", "else",
    }
)  # fmt: skip
#: a verb of knowing or telling, negated, over the question that holds the claim: "can't tell you whether
#: you have sleep apnoea", "we don't know if it helps eczema"
_DENIED_QUESTION = re.compile(
    r"(?:^|\s)(can't|can’t|cannot|won't|won’t|don't|don’t|doesn't|doesn’t|not|never)\s+(?:[a-z]+\s+){0,2}?"
    r"(?:tell|say|know|confirm|diagnose|predict|determine|promise|check|see)\s+(?:you\s+|us\s+|them\s+)?"
    r"(?:whether|if)\s+(?:[\w'’-]+\s+){0,4}$"
)
#: "no app can", "no course will", "no coin could": nothing of a kind does what the claim says
_NOTHING_CAN = re.compile(r"(?:^|\s)no\s+[a-z-]+\s+(?:can|could|will|would)\b")
# a coordinated list a negation distributes over: "not intended to diagnose, treat, cure or prevent"
_LIST_TOKEN = re.compile(r"[\w'’-]+|,")
_LIST_ITEM = r"[\w'’-]+(?:\s+[\w'’-]+)?"
_LIST_AFTER = re.compile(rf"(?:\s*,\s*{_LIST_ITEM})*\s*,?\s+(?:or|nor)\s")
#: how far a list is followed, before and after a claim (characters)
_LIST_REACH = 160


def _list_start(window: str) -> tuple[int, bool] | None:
    """Where a coordinated list that ends right at the end of ``window`` leaves its first item ("…diagnose|,
    treat, " → the position after "diagnose"), and whether an "or"/"nor" joins it; None when ``window`` does
    not end in a list separator. Items are one or two words; walks back token by token, so the cost is
    linear in the window."""
    if not window[-1:].isspace() and not window.endswith(","):
        return None
    tokens = [(m.start(), m.end(), m.group()) for m in _LIST_TOKEN.finditer(window)]

    def joined(i: int, j: int) -> bool:  # only white space between token i and token j
        return not window[tokens[i][1] : tokens[j][0]].strip()

    def separator(i: int) -> tuple[int, bool] | None:  # the separator ending at token i - 1
        if i <= 0:
            return None
        word = tokens[i - 1][2]
        if word in ("or", "nor"):
            if i >= 2 and tokens[i - 2][2] == "," and joined(i - 2, i - 1):
                return i - 2, True
            return i - 1, True
        if word == ",":
            return i - 1, False
        if word == "and" and i >= 2 and tokens[i - 2][2] == "," and joined(i - 2, i - 1):
            return i - 2, False
        return None

    if not tokens or window[tokens[-1][1] :].strip():
        return None
    found = separator(len(tokens))
    if found is None:
        return None
    i, has_or = found
    while True:
        step = None
        for width in (1, 2):  # an item of one or two words, then another separator
            first = i - width
            if first <= 0 or any(tokens[k][2] == "," for k in range(first, i)):
                break
            if not all(joined(k, k + 1) for k in range(first - 1, i)):
                break
            step = separator(first)
            if step is not None:
                break
        if step is None:
            return tokens[i][0], has_or
        i, more = step
        has_or = has_or or more


def negated(folded: str, start: int, phrase: str, end: int | None = None) -> str | None:
    """The negating word when one of :data:`NEGATION` stands at most five words before ``folded[start:]`` in
    the same clause ("we can't guarantee", "we are not able to guarantee"), else None. A phrase that is
    itself negative ("never fails", "no risk") is never negated this way, nor is "not just/only ...", nor a
    negated comparison ("you won't find a better guarantee", "you can't beat our warranty").

    A negation distributes over an "or"/"nor" list: in "not intended to diagnose, treat, cure or prevent
    any disease" every item is denied, so the words of the items between the negation and the claim
    (``end`` is where the claim ends, to see a list that continues after it) do not count as distance.
    """
    first = phrase.split(" ", 1)[0]
    if first in _NEGATION_WORDS or first == "no":
        # a negative claim is still a claim ("never fails"), unless a promise of it is denied: "we can't
        # promise you'll never lose signal"
        clause = _CLAUSE_BREAK.split(folded[max(0, start - 60) : start])[-1]
        denied = _DENIED_PROMISE.search(clause)
        return denied.group() if denied is not None else None
    window = folded[max(0, start - _LIST_REACH) : start]
    if _NEGATION_SEEN.search(window) is None:
        return None
    listed = _list_start(window)
    if listed is not None and (
        listed[1] or (end is not None and _LIST_AFTER.match(folded[end : end + _LIST_REACH]) is not None)
    ):
        window = window[: listed[0]]
    window = window[-60:]
    words = window.split()[-6:]
    if not _NEGATION_OPENERS.intersection(words):
        return None
    breaks = list(_CLAUSE_BREAK.finditer(window))
    if breaks:
        window = window[breaks[-1].end() :]
    words = window.split()[-5:]
    for i, word in enumerate(words):
        if word in _NEGATION_WORDS:
            rest = set(words[i + 1 :])
            urging = i + 1 < len(words) and words[i + 1] in _URGING
            if _NOT_REALLY_NEGATED & rest or _COMPARISON & rest or urging:
                return None
            return word
    # a verb of knowing or telling, negated, over an embedded question: "can't tell you whether you have sleep
    # apnoea", "we don't know if it helps eczema"
    asked = _DENIED_QUESTION.search(window)
    if asked is not None and not _COMPARISON & set(window[asked.end() :].split()):
        return asked.group(1)
    joined = " ".join(words)
    nothing_can = _NOTHING_CAN.search(joined)
    if nothing_can is not None and not _COMPARISON & set(joined[nothing_can.end() :].split()):
        return nothing_can.group().strip()
    for pair in _NEGATION_PAIRS:
        at = joined.find(pair)
        if at >= 0 and (at == 0 or joined[at - 1] == " "):
            if _COMPARISON & set(joined[at + len(pair) :].split()):
                return None
            return pair
    return None


def _excepted(folded: str, start: int, end: int, patterns: list[re.Pattern[str]]) -> bool:
    """Whether a match of one of ``patterns`` near ``[start, end)`` covers it (only the neighbourhood is
    searched, not the whole message)."""
    a = max(0, start - 40)
    window = folded[a : end + 40]
    for pattern in patterns:
        for m in pattern.finditer(window):
            if a + m.start() <= start and end <= a + m.end():
                return True
    return False


_DIGIT_RUNS = "digit runs"


def _starts(rx: re.Pattern[str]) -> re.Pattern[str] | str | None:
    """Where a match of ``rx`` can start: its literal opening (:func:`literal_start`); or, for a pattern
    that opens with a word boundary and a digit (``\\b\\d{1,2}\\s?%\\s?off``), the start of a run of
    digits, since a boundary before a digit means no digit stands before it; else None (anywhere)."""
    literal = literal_start(rx)
    if literal is not None:
        return literal
    if rx.pattern.startswith("\\b\\d") and not rx.flags & re.IGNORECASE:
        return _DIGIT_RUNS
    return None


def _with_starts(
    guard: str, rx: re.Pattern[str]
) -> tuple[str, re.Pattern[str], re.Pattern[str] | str | None]:
    """A claim pattern as :func:`_raw_hits` reads it: ``(guard, pattern, where a match can start)``. A pattern
    that opens with a word boundary and literal text is rewritten to open with the text (:func:`literal_first`:
    the same matches), which the engine then finds itself, in C."""
    first = literal_first(rx)
    if first is not None:
        return guard, first, None
    return guard, rx, _starts(rx)


def _settings(policy: Policy, kind: str) -> ClaimCategory:
    section: ClaimCategory = getattr(policy.claims, kind)
    return section


@dataclass(frozen=True)
class _Builtin:
    """The built-in patterns of one claim kind, compiled: the same for every policy."""

    patterns: list[tuple[str, re.Pattern[str], re.Pattern[str] | str | None]]
    exceptions: list[re.Pattern[str]]
    backing: re.Pattern[str] | None


@functools.cache
def _builtin(kind: str) -> _Builtin:
    """Compiled once per process, not once per policy: a few hundred patterns, more than ``re``'s own cache
    holds, took most of a new policy's first check (0.7 CPU-s) before."""
    sources = CLAIM_BACKING.get(kind, ())
    return _Builtin(
        [_with_starts(g, re.compile(p)) for g, p in CLAIM_PATTERNS.get(kind, ())],
        [re.compile(p) for p in CLAIM_EXCEPTIONS.get(kind, ())],
        re.compile("|".join(f"(?:{p})" for p in sources)) if sources else None,
    )


def _compiled(policy: Policy, kind: str) -> _Compiled:
    key = f"claims:{kind}"
    cache = cache_of(policy)
    found: _Compiled | None = cache.get(key)
    if found is None:
        settings = _settings(policy, kind)
        allow = frozenset(fold_term(a) for a in settings.allow)
        matcher: TermMatcher[str] = TermMatcher(policy)
        terms = (*CLAIM_TERMS.get(kind, ()), *settings.terms) if settings.builtin else tuple(settings.terms)
        for term in terms:
            if fold_term(term) not in allow:
                matcher.add(term, term)
        # idioms and allowed phrases win as the longer match and are then dropped
        for idiom in (*(CLAIM_IDIOMS.get(kind, ()) if settings.builtin else ()), *settings.allow):
            matcher.add(idiom, _IDIOM)
        builtin = _builtin(kind) if settings.builtin else _Builtin([], [], None)
        patterns = [*builtin.patterns, *(_with_starts("", re.compile(p)) for p in settings.patterns)]
        exceptions = list(builtin.exceptions)
        backing = builtin.backing
        found = _Compiled(
            matcher,
            patterns,
            allow,
            PhraseSet(settings.qualifiers, policy),
            exceptions,
            backing,
            _pattern_words(policy),
        )
        cache[key] = found
    return found


_PATTERN_WORD = re.compile(r"[a-z]{2,}")
#: an escape of a regular expression ("\\b", "\\s", "\\w"): not part of a word
_REGEX_ESCAPE = re.compile(r"\\[a-zA-Z]")


def _pattern_words(policy: Policy) -> frozenset[str]:
    """The words of two letters or more the built-in and the brand's claim patterns spell out, for all kinds
    at once (so every kind reads one text, :func:`_pattern_text`); once per policy."""
    cache = cache_of(policy)
    found: frozenset[str] | None = cache.get("claims:pattern_words")
    if found is None:
        sources = [p for patterns in CLAIM_PATTERNS.values() for _, p in patterns]
        for kind in CLAIM_PATTERNS.keys() | {"superlative", "guarantee", "health", "financial", "pricing"}:
            settings = getattr(policy.claims, kind, None)
            if isinstance(settings, ClaimCategory):
                sources.extend(settings.patterns)
        found = frozenset(
            w for source in sources for w in _PATTERN_WORD.findall(_REGEX_ESCAPE.sub(" ", source).lower())
        )
        cache["claims:pattern_words"] = found
    return found


def _pattern_text(doc: Document, compiled: _Compiled) -> str:
    """The text the claim patterns read: the terms' view of ``doc`` (:func:`match_view`: line breaks as spaces)
    with leetspeak at the edges of the patterns' words read as letters ("th4n 4ny 0ther" → "than any other"),
    as the term matcher reads its terms. Same offsets as ``doc.folded``."""
    words = compiled.pattern_words
    return memo(doc, f"claims:pattern_text:{id(words)}", lambda: match_view(doc, words))


def _substantiation_matcher(policy: Policy) -> TermMatcher[Substantiation]:
    cache = cache_of(policy)
    found: TermMatcher[Substantiation] | None = cache.get("claims:substantiated")
    if found is None:
        found = TermMatcher(policy)
        for entry in policy.claims.substantiated:
            for phrase in entry.claim:
                found.add(phrase, entry)
        cache["claims:substantiated"] = found
    return found


def substantiations_in(doc: Document, policy: Policy) -> list[tuple[int, int, Substantiation]]:
    """Valid substantiated claims in ``doc`` as (norm start, norm end, entry)."""

    def build() -> list[tuple[int, int, Substantiation]]:
        today = dt.date.today()
        out = []
        for a, b, entry in _substantiation_hits(doc, policy):
            if entry.expires is not None and entry.expires < today:
                continue
            if not on_channel(entry.channels, doc, policy):
                continue
            out.append((a, b, entry))
        return out

    return memo(doc, f"substantiated:{id(policy)}", build)


def _substantiation_hits(doc: Document, policy: Policy) -> list[tuple[int, int, Substantiation]]:
    """Every ``claims.substantiated`` phrase in ``doc`` as (norm start, norm end, entry), valid or not (one
    scan per document, shared by :func:`substantiations_in` and :func:`unbacked_superlatives`)."""
    return memo(
        doc,
        f"substantiated:all:{id(policy)}",
        lambda: [
            (m.norm_start, m.norm_end, m.payload)
            for m in _substantiation_matcher(policy).find(doc, longest=False)
        ],
    )


#: a superlative word in a substantiated phrase ("coolest", "best mattress", "most awarded"; not "latest")
_LISTED_SUPERLATIVE = re.compile(
    rf"\b(?:most\s+[a-z-]+|(?!{NOT_SUPERLATIVE_EST}\b)[a-z]+est|best|worst|number\s+one|no\.?\s?1)\b"
)


def unbacked_superlatives(doc: Document, policy: Policy) -> list[tuple[int, int, str]]:
    """Superlatives the brand itself lists as needing evidence (a ``claims.substantiated`` phrase with a
    superlative word: "coolest", "best mattress") used where that evidence does not apply, past its
    ``expires`` or off its ``channels``, as (norm start, norm end, phrase): the policy says the phrase is a
    claim, so it is one there even with no scope a built-in reading knows ("The coolest mattress, full stop."
    on a channel its lab report does not cover)."""
    today = dt.date.today()
    lapsed = [
        entry
        for entry in policy.claims.substantiated
        if (entry.expires is not None and entry.expires < today)
        or not on_channel(entry.channels, doc, policy)
    ]
    # nothing to look for when every entry applies here, or no lapsed superlative is written (a substring test
    # on the folded text, so a message with none pays no scan)
    folded = doc.folded
    if not any(
        _LISTED_SUPERLATIVE.search(fold_term(phrase)) and fold_term(phrase) in folded
        for entry in lapsed
        for phrase in entry.claim
    ):
        return []
    lapsed_ids = {id(entry) for entry in lapsed}
    hits = _substantiation_hits(doc, policy)
    valid = {(a, b) for a, b, entry in hits if id(entry) not in lapsed_ids}
    out = []
    for a, b, entry in hits:
        if id(entry) not in lapsed_ids or (a, b) in valid:
            continue
        phrase = doc.folded[a:b]
        if _LISTED_SUPERLATIVE.search(phrase) is None:
            continue
        out.append((a, b, phrase))
    return out


def _view_offset(view: Document, original: int) -> int:
    """The first position of ``view.folded`` whose character stands at or after ``original`` in the
    original text (binary search: the view's offsets grow with the original's)."""
    lo, hi = 0, len(view.folded)
    while lo < hi:
        mid = (lo + hi) // 2
        if view.norm_to_original(mid, mid + 1)[0] < original:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _denied(doc: Document, policy: Policy, a: int, b: int, phrase: str) -> bool:
    """Whether the claim at ``doc.folded[a:b]`` is denied by a negation (:func:`negated`) that its readers
    see: in HTML the negating word must be seen wherever the claim is, so "We <span style="display:none">do
    not</span> guarantee results" is a guarantee."""
    if negated(doc.folded, a, phrase, b) is None and _DENIED_AFTER.match(doc.folded, b) is None:
        return False
    if doc.kind != "html":
        return True
    from brandrail.content.disclosures import reader_contexts, seen_view

    start, end = doc.norm_to_original(a, b)
    for context in reader_contexts(doc, policy):
        view = seen_view(doc, policy, context)
        va = _view_offset(view, start)
        if va >= len(view.folded) or view.norm_to_original(va, va + 1)[0] != start:
            continue  # the claim is not seen here: nothing to deny for this reader
        vb = max(_view_offset(view, end), va + 1)
        if negated(view.folded, va, phrase, vb) is None and _DENIED_AFTER.match(view.folded, vb) is None:
            return False
    return True


def seen_positions(doc: Document, policy: Policy, phrases: PhraseSet) -> list[tuple[int, int, str]]:
    """The occurrences of ``phrases`` in ``doc`` (norm start, norm end, phrase) that every reader sees.

    A qualifier ("see warranty terms") or a pointer to an offer's terms ("Terms apply") excuses a claim only
    where the reader is shown it: in HTML, text hidden by CSS, too small or the colour of its background, alt
    text and comments do not count (as for disclosures, :func:`brandrail.content.disclosures.seen_view`), in
    each reader context. Plain text is read as written, Markdown without its front matter, alt text and link
    titles (:func:`brandrail.content.disclosures.seen_view`).
    """
    found = phrases.shown(doc)
    if not found or doc.kind not in ("html", "markdown"):
        return found
    from brandrail.content.disclosures import seen_everywhere, seen_view

    if doc.kind == "markdown":
        # front matter, alt text and link titles are read, but never excuse a claim (docs/content.md)
        view = seen_view(doc, policy)
        if view is doc:
            return found
        shown = {view.norm_to_original(a, b) for a, b, _ in phrases.shown(view)}
        return [hit for hit in found if doc.norm_to_original(hit[0], hit[1]) in shown]

    seen = seen_everywhere(doc, policy, lambda view: ((a, b) for a, b, _ in phrases.shown(view)))
    return [hit for hit in found if doc.norm_to_original(hit[0], hit[1]) in seen]


#: words before "'s" that do not own a superlative: "it's the best", "that's the fastest", "here's our finest"
_NOT_OWNERS = frozenset(
    {
        "it", "that", "what", "who", "there", "here", "he", "she", "let", "where", "how", "when", "why", "one",
        "this", "everything", "everyone", "nothing", "something", "which",
    }
)  # fmt: skip
_WORD_CHAR = re.compile(r"[\w-]")


def _word_start(text: str, end: int) -> int:
    """Where the word ending at ``end`` starts (letters, digits, hyphens; at most 40 characters back)."""
    a = end
    while a > 0 and end - a < 40 and _WORD_CHAR.match(text[a - 1]):
        a -= 1
    return a


def _raw_hits(doc: Document, compiled: _Compiled) -> list[tuple[int, int, str]]:
    """Phrases and pattern matches of one claim kind in one reading of a message (norm start, end, phrase),
    idioms, compounds and the kind's exceptions left out."""
    folded = doc.folded
    raw: list[tuple[int, int, str]] = []
    for m in compiled.matcher.find(doc):
        if m.payload == _IDIOM:
            # "free to" is liberty ("free to choose"), but "free-to-play", "free-to-enter" cost nothing: the
            # hyphenated compound is still the offer "free"
            if folded.startswith("free-to-", m.norm_start) and "free" not in compiled.allow:
                raw.append((m.norm_start, m.norm_start + 4, "free"))
            continue
        # "PFC-free", "eco-friendly-ish": a phrase glued to a word by a hyphen is a compound, not the claim
        if m.norm_start > 0 and folded[m.norm_start - 1] == "-" and not m.form.startswith("-"):
            continue
        # "free-range", "free-flowing", "free-standing": "free" glued to a following word names what a thing is;
        # "free-of-charge" and "free-to-play" are still offers
        if (
            m.form.endswith("free")
            and folded.startswith("-", m.norm_end)
            and folded[m.norm_end + 1 : m.norm_end + 2].isalpha()
            and not folded.startswith(("-of-", "-to-"), m.norm_end)
        ):
            continue
        raw.append((m.norm_start, m.norm_end, m.payload))
    text = _pattern_text(doc, compiled) if compiled.patterns else folded
    found: Spans[str] | None = None
    for guard, pattern, starts in compiled.patterns:
        if guard not in text:
            continue
        if starts is None:
            matches: Iterator[re.Match[str]] = pattern.finditer(text)
        elif isinstance(starts, str):  # _DIGIT_RUNS: found once per text, shared by the digit-led patterns
            matches = finditer_at(
                pattern, text, memo(doc, "claims:digit_runs", lambda: digit_run_starts(folded) or [])
            )
        else:
            matches = finditer_from(pattern, text, starts)
        for pm in matches:
            if found is None:
                found = Spans(raw)
            claim = _pattern_claim(text, pm)
            if claim is None:
                continue
            a, phrase = claim
            if phrase in compiled.allow or found.overlapping(a, pm.end()) is not None:
                continue
            found.add(a, pm.end(), phrase)
            raw.append((a, pm.end(), phrase))
    if compiled.patterns:
        _add_punctuated_pattern_hits(doc, compiled, text, raw)
    if raw and compiled.exceptions:
        # the built-in exceptions: "free" of a person's time or given to a charity, a part that is
        # "plastic-free", a role's hourly wage
        raw = [r for r in raw if not _excepted(folded, r[0], r[1], compiled.exceptions)]
    return raw


def _pattern_claim(text: str, pm: re.Match[str]) -> tuple[int, str] | None:
    """Where the claim of a pattern's match ``pm`` in ``text`` starts, and its phrase; None when there is none
    (an empty match, or "it's the best": a possessive superlative claims only when someone owns it)."""
    if not pm.group().strip():
        return None
    a = pm.start()
    if text[a] in "'’":  # a possessive superlative: the claim starts at the owner's word
        a = _word_start(text, a)
        if text[a : pm.start()] in _NOT_OWNERS:
            return None
    return a, text[a : pm.end()].strip()


def _add_punctuated_pattern_hits(
    doc: Document, compiled: _Compiled, text: str, raw: list[tuple[int, int, str]]
) -> None:
    """Add to ``raw`` the claim patterns' matches in the readings of punctuated leetspeak and underscore-joined
    words of ``text`` ("#_1", "n.0. 1", "th.4.n 4.n.y 0.t.h.3.r"; :func:`punctuated_readings`, the runs the
    term matcher reads), at ``text``'s offsets; a match that no run changed, or that overlaps a hit, is left
    out."""
    readings = [*punctuated_readings(doc, text), *word_readings(doc, text, compiled.pattern_words)]
    if not readings:
        return
    found = Spans(raw)
    # what the patterns find in a reading depends on its text alone: a text read again (a disguise repeated
    # with the same words around it) is not scanned again
    by_view: dict[str, list[tuple[int, int, str]]] = {}
    for offset, view, first, last in readings:
        claims = by_view.get(view)
        if claims is None:
            claims = by_view[view] = _view_claims(view, compiled)
        for start, end, phrase in claims:
            a, b = offset + first[start], offset + last[end - 1]
            if (
                text[a:b] == view[start:end]
                or phrase in compiled.allow
                or found.overlapping(a, b) is not None
            ):
                continue
            found.add(a, b, phrase)
            raw.append((a, b, phrase))


def _view_claims(view: str, compiled: _Compiled) -> list[tuple[int, int, str]]:
    """The claim patterns' claims in one reading, in the order they are tried: (start, end, phrase)."""
    out = []
    for guard, pattern, _ in compiled.patterns:
        if guard not in view:
            continue
        for pm in pattern.finditer(view):
            claim = _pattern_claim(view, pm)
            if claim is not None:
                out.append((claim[0], pm.end(), claim[1]))
    return out


def _with_seen_hits(
    doc: Document, policy: Policy, compiled: _Compiled, raw: list[tuple[int, int, str]]
) -> list[tuple[int, int, str]]:
    """``raw`` (hits in ``doc``) and the hits of each seen reading of ``doc`` that no hit of ``raw`` overlaps,
    in ``doc``'s offsets."""
    from brandrail.content.disclosures import reader_contexts, seen_view

    found = Spans(raw)
    out = list(raw)
    for context in reader_contexts(doc, policy):
        view = seen_view(doc, policy, context)
        if view is doc:
            continue
        for va, vb, phrase in _raw_hits(view, compiled):
            start, end = view.norm_to_original(va, vb)
            a, b = _view_offset(doc, start), _view_offset(doc, end)
            if b <= a or found.overlapping(a, b) is not None:
                continue
            found.add(a, b, phrase)
            out.append((a, b, phrase))
    return out


# -- what a claim word is part of ---------------------------------------------------------------------------

#: how far around a claim its sentence is read for a name, a question, a price word or a standard
_NEAR = 300

#: how far around a name its sentence is read to tell running text from a title-case heading
_NAME_NEAR = 100
#: words that place a capitalised name: "stay at the Best Western", "meet at the No. 1 Lounge"
_PLACE_WORDS = frozenset(
    {"at", "from", "near", "opposite", "inside", "outside", "beside", "visit", "visiting"}
)
_PREVIOUS_WORDS = re.compile(r"([\w'’.]+)\s+(?:([\w'’.]+)\s+)?$")
#: the capitalised words after a claim word that continue a name: "Best| Buy", "Strongest| Man", "Best| in
#: Show", "Best| Buy or Argos" (a small word may join two capitalised ones)
_NAME_RUN = re.compile(r"(?:[ \t]+(?:(?:of|in|the|and|or|&|on|de|du|la)[ \t]+)?[A-Z][\w'’&.-]*){1,6}")
#: the last word of a name that says what it names: an organisation, a place of business, an event, a title
_NAME_HEADS = frozenset(
    {
        "inn", "inns", "hotel", "hotels", "motel", "lodge", "resort", "society", "foundation", "trust",
        "charity", "awards", "award", "prize", "cup", "show", "championship", "championships", "games",
        "festival", "club", "man", "woman", "group", "ltd", "limited", "inc", "plc", "llc", "co", "co.",
        "company", "store", "stores", "shop", "outlet", "restaurant", "cafe", "café", "bar", "pub", "bakery",
        "school", "academy", "college", "university", "league", "tour", "marathon", "showman",
    }
)  # fmt: skip
#: what follows a name and shows it is one: a brand's gift card or voucher, an event's final, a film's screening
_NAME_NOUN = re.compile(
    r"[ \t]+(?:e-?gift[ \t]+cards?|gift[ \t]*cards?|gift[ \t]+vouchers?|vouchers?|coupons?|stores?|shops?|"
    r"outlets?|branch(?:es)?|finals?|winners?|shortlist|ceremony|singalong|sing-along|screening|tickets?|"
    r"episode|series|season|franchise)\b"
)
_RUN_WORD = re.compile(r"[A-Z][\w'’&.-]*")
_TITLE_OPEN = re.compile(r"(?:[\"'“‘](?:The |A |An )?|(?<=[a-z,:] )(?:The|A|An) )$")
_ALPHA_WORD = re.compile(r"[^\W\d_][\w'’-]{2,}")


def _named(text: str, start: int, end: int) -> int | None:
    """Whether the capitalised claim word at ``text[start:end]`` begins or continues a name by what stands
    around it: a place word before it ("at the Best Western"), a name head ending the capitalised run
    ("World's Strongest Man", "Best in Show", "America's Best Value Inn"), a noun a brand name takes ("Best
    Buy gift card", "The Greatest Showman singalong"), or a title's opening (a quotation mark or a capitalised
    "The" in running text: "'The Best of Times'"). Returns where the name ends, or None."""
    run = _NAME_RUN.match(text, end)
    if run is None:
        return None
    for word in _RUN_WORD.finditer(text, end, run.end()):
        if word.group().lower() in _NAME_HEADS:  # "Best Value Inn| on Route 66": the name ends at its head
            return word.end()
    if _NAME_NOUN.match(text, run.end()) is not None:
        return run.end()
    if _TITLE_OPEN.search(text[max(0, start - 6) : start]) is not None:
        return run.end()
    before = _PREVIOUS_WORDS.search(text[max(0, start - 40) : start])
    if before is None:
        return None
    first, second = before.group(1).lower(), before.group(2)
    if second is None:
        placed = first in _PLACE_WORDS
    else:
        placed = second.lower() in _PLACE_WORDS or (second.lower() == "the" and first in _PLACE_WORDS)
    return run.end() if placed else None


def _in_proper_name(doc: Document, a: int, b: int) -> bool:
    """Whether the claim word at ``doc.folded[a:b]`` is part of a capitalised name in running text: "stay at
    the Best Western Harrogate", "a £25 Best Buy voucher", "the World's Strongest Man final", "'The Greatest
    Gift' by Philip Van Doren Stern" (see :func:`_named`). The claim word is capitalised (not in capitals:
    "BEST prices" shouts), a capitalised word follows it, something around it shows a name, and the sentence
    is not a title-case heading (some of its other words begin in lower case). "Get the Best Broadband in
    town" and "our Best Sellers" are claims: a capital letter alone never makes a name."""
    start, end = doc.norm_to_original(a, b)
    text = doc.text
    word = text[start:end]
    if not word[:1].isupper() or word.isupper():
        return False
    name_end = _named(text, start, end)
    if name_end is None:
        return False
    sa, sb = sentence_range(doc.folded, a, b, sentence_ends(doc))
    # a bounded look (linear however long the sentence): a heading is told from running text by the words
    # next to the name
    sa, sb = max(sa, a - _NAME_NEAR), min(sb, b + _NAME_NEAR)
    ssa, ssb = doc.norm_to_original(sa, sb)
    # the name's own words are capitalised: only the words around it tell a sentence from a heading
    others = [w for w in _ALPHA_WORD.findall(text[ssa:start] + " " + text[name_end:ssb]) if w[:1].isalpha()]
    lower = sum(1 for w in others if w[:1].islower())
    return lower >= 1 and lower * 4 >= len(others)


def _asks_which_is_best(folded: str, a: int, b: int, ends: list[int]) -> bool:
    """Whether the superlative at ``folded[a:b]`` is asked about, not claimed: "Which plan is best for a family
    of four?", "What's best for my skin?", "Who's the fastest in the club this month?", "Where's the best
    place to see the northern lights?". A question that opens with who/which/what/where a few words before
    it asks, after a short lead-in too ("Quick question: which jacket is warmest?", "Be honest, is your
    tent the best it could be?"); "Who else gives you the fastest broadband?" claims."""
    sa, sb = sentence_range(folded, a, b, ends)
    if sb - b > _NEAR or not folded[b:sb].rstrip().endswith("?"):
        return False
    if folded[a:b] == "best" and folded.startswith(" for ", b):
        return _ASKING.search(folded, max(sa, a - _NEAR), a) is not None
    lead = _LEAD_IN.match(folded, sa, a)
    opening = sa if lead is None or _ASKS.match(folded, sa, a) is not None else lead.end()
    if a - opening > 40 or _ASKS.match(folded, opening, a) is None:
        return False
    # "Who's the fastest courier in Britain? We are." answers its own question: a claim
    return _AFFIRMING_ANSWER.match(folded, sb, sb + 40) is None


#: the answer that denies a question's claim: "Is this the best e-bike in the world? We don't think any bike
#: is.", "Cheapest helmets in town? Not ours." (not "No doubt", "No contest", "Not only …")
_DENYING_ANSWER = re.compile(
    r"\s*(?:no|nope|not|nah|of\s+course\s+not|(?:we|i)\s+(?:don['’]t|do\s+not)\s+think"
    # the brand refusing the claim: "We don't make that claim.", "We'd never say that."
    r"|(?:we|i)(?:['’]d|\s+would)?\s+(?:don['’]t|do\s+not|never|won['’]t|wouldn['’]t)\s+(?:make|claim|say|promise)"
    r"|(?:it|that|this|ours)\s+(?:isn['’]t|is\s+not|wasn['’]t))\b(?!\s+(?:doubt|question|contest|wonder|only|just)\b)"
)


def _answered_no(folded: str, a: int, b: int, ends: list[int]) -> bool:
    """Whether the claim at ``folded[a:b]`` stands in a question that the next sentence answers with a
    denial: "Is the Arc the lightest e-bike anywhere? No, …", "Cheapest helmets in town? Not ours." The
    message then says it is not so."""
    _, sb = sentence_range(folded, a, b, ends)
    if sb - b > _NEAR or not folded[b:sb].rstrip().endswith("?"):
        return False
    return _DENYING_ANSWER.match(folded, sb, sb + 40) is not None


#: the words that make a capitalised guarantee the seller's own promise, not a public scheme's name: what it
#: promises ("Price Match Guarantee", "Lifetime Workmanship Guarantee", "Money-Back Guarantee") or whose it is
_SELLER_GUARANTEE_WORDS = frozenset(
    {
        "price", "prices", "match", "lifetime", "life", "workmanship", "money", "money-back", "back", "satisfaction",
        "happiness", "quality", "performance", "service", "product", "products", "install", "installation",
        "total", "complete", "full", "ironclad", "cast-iron", "promise", "best", "low", "lowest", "comfort",
        "warmth", "output", "generation", "savings", "saving", "bill", "bills", "results", "result", "no",
        "quibble", "no-quibble", "peace", "mind", "peace-of-mind", "customer", "care", "fit", "love", "happy",
        "year", "years", "we", "i", "you", "they", "our", "your", "my", "their", "its", "us", "the", "a", "an",
    }
)  # fmt: skip
#: the capitalised words right before a claim word, joined by single spaces or hyphens ("the Recovery Loan|
#: Guarantee", "the EU Youth| Guarantee"); read on at most 60 characters before it
_CAPITALISED_BEFORE = re.compile(r"(?:[A-Z][\w'’&.-]*[ \t]+){1,4}$")


def _public_scheme(doc: Document, policy: Policy, a: int, b: int) -> bool:
    """Whether the capitalised guarantee at ``doc.folded[a:b]`` names a public scheme, not the seller's promise:
    "through the Recovery Loan Guarantee", "the Youth Guarantee, an EU scheme", "the Deposit Guarantee
    Scheme". It is capitalised (not in capitals), capitalised words stand right before it, and none of them
    says what a seller promises ("Price Match Guarantee", "Lifetime Guarantee"), whose it is ("Our
    Guarantee", "Quillfield Guarantee": a word of the brand's name), a possessive or a figure ("10-Year")."""
    start, end = doc.norm_to_original(a, b)
    text = doc.text
    word = text[start:end]
    if not word[:1].isupper() or word.isupper():
        return False
    run = _CAPITALISED_BEFORE.search(text, max(0, start - 60), start)
    if run is None:
        return False
    brand = {w.lower() for w in re.findall(r"[\w'’-]+", policy.brand.name or "")}
    for w in run.group().split():
        low = w.lower()
        if low in _SELLER_GUARANTEE_WORDS or low in brand or low.endswith(("'s", "’s")):
            return False
        if any(c.isdigit() for c in low) or any(part in _SELLER_GUARANTEE_WORDS for part in low.split("-")):
            return False
    return True


#: a superlative scoped to a named place (capitalised, as written): "The finest bike workshop in Yorkshire",
#: "the most reliable bike-share in the North" (the listed scopes, "in the world", "in town", are patterns of
#: CLAIM_PATTERNS; a place's own name needs its capital letter, so it is read on the normalised text)
_PLACE_NAMED = re.compile(r"\sin\s+(?:the\s+)?[A-Z][a-z]{2,}")
_SCOPED_SUPERLATIVE = re.compile(
    rf"(?<![\w'’-])[Tt]he\s+(?:very\s+)?(?:most\s+(?!{NOT_SUPERLATIVE_MOST}\b)[a-z-]+|"
    rf"(?!{NOT_SUPERLATIVE_EST}\b)[a-z]+est)\b(?:\s+[\w'’-]+){{0,4}}$"
)


def _place_scoped(doc: Document, raw: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The superlatives scoped to a named place that no hit in ``raw`` covers: "in" and a capitalised name
    are found first (rarer than "the"), then the superlative up to five words before them."""
    norm = doc.norm
    taken = Spans(raw)
    out = []
    for m in _PLACE_NAMED.finditer(norm):
        lo = max(0, m.start() - 80)
        sm = _SCOPED_SUPERLATIVE.search(norm, lo, m.start())
        if sm is not None and taken.overlapping(sm.start(), m.end()) is None:
            out.append((sm.start(), m.end(), doc.folded[sm.start() : m.end()]))
    return out


_ASKING = re.compile(r"\b(?:which|what|what's|what’s)\b")
#: a short lead-in before a question, closed by a comma, colon or dash: "Honestly,", "So tell us:", "Quick
#: question —", "Be honest,"
_LEAD_IN = re.compile(r"\s*(?:[\w'’]+\s+){0,3}[\w'’]+\s*(?:[,:;]|\s[—–-])\s*(?:(?:so|and|but|then|now)\s+)?")
#: the answer that names the brand after its own question: "We are.", "Us!", "That's us.", "You're looking at
#: it.", "Ours, of course."
_AFFIRMING_ANSWER = re.compile(
    r"\s*(?:why,?\s+|easy:?\s+|simple:?\s+)?(?:we\s+(?:are|do|did|have)|us|ours|"
    r"(?:that|it)(?:['’]s|\s+is|\s+would\s+be|\s+will\s+be)\s+(?:us|ours|we)|you['’]re\s+looking\s+at\s+(?:it|us|them))"
    r"\s*[.!,…]"
)
#: a question opening: "who's", "which is", "what are", "where's" (not "who else")
_ASKS = re.compile(
    r"\s*[\"'“‘(]?\s*(?:(?:who|which|what|where)(?:['’]s|\s+(?:is|are|was|were))?\s(?!\s*else\b)"
    # a yes-no question about the reader's thing or a third party's: "Is your antivirus the best it can be?",
    # "Is the new Velora really the best EV?" (not about the brand's own: "Is this the best coffee ever?",
    # "Isn't ours the fastest?")
    r"|(?:is|are|was|were)\s(?!\s*(?:this|it|that|these|ours|our|we|there)\b))"
)

#: a price word in a sentence that names a competitor makes it a price comparison ("Skylink charges for
#: every extra user; we don't", "CoinVault charges 1.5% per trade"); "charge" of a battery is not one
_PRICE_WORD = re.compile(
    r"\b(?:prices?|priced|pricing|costs?|fees?|tariffs?|premiums?|bills?|subscriptions?|"
    r"charg(?:es|e|ing)\s+(?:you\s+|customers\s+|users\s+|members\s+)?(?:for\b|an?\s|extra\b|[£$€\d])|"
    r"per\s+(?:month|year|trade|user|seat|night|gb))\b|[£$€]\s?\d"
)


#: a superlative of the weather or a stretch of time is no product claim: "Cork's finest weather today", "the
#: longest day of the year", "Galway's wettest week in a decade" (the noun must end its phrase: "the best summer
#: menu" is still one)
_SUPERLATIVE_WORD = re.compile(r"\b(?:most\s+[a-z-]+|[a-z]+est|best|worst|favou?rite)\b")
_NOT_PRODUCT_NOUN = re.compile(
    r"\s+(?:weather|days?|nights?|weeks?|weekends?|months?|years?|summers?|winters?|springs?|autumns?|seasons?|"
    r"mornings?|evenings?|afternoons?|storms?|rain|rainfall|snow(?:fall)?|heatwaves?|temperatures?|sunshine|"
    r"winds?|frosts?|fog|tides?|sunsets?|sunrises?)(?=\s*(?:[^\w\s-]|$)|\s+(?:today|tonight|yet|so|of|in|on|"
    r"for|since|this|ever|and|but|we|i|at|here|there|on\s+record)\b)"
)


def _of_time_or_weather(folded: str, a: int, b: int) -> bool:
    """Whether the superlative claimed at ``a``-``b`` qualifies the weather or a stretch of time."""
    m = _SUPERLATIVE_WORD.search(folded, a, b + 20)
    return m is not None and m.start() < b and _NOT_PRODUCT_NOUN.match(folded, m.end()) is not None


#: a favourite or superlative of a piece of language or advice is no product claim: "Our tutors' favourite
#: idiom", "the team's favourite German word", "our favourite false friend" (one word may stand between)
_LANGUAGE_ITEM = re.compile(
    r"\s+(?:[a-z-]+\s+)?(?:words?|idioms?|phrases?|expressions?|sayings?|proverbs?|false\s+friends?|"
    r"tongue[\s-]twisters?|verbs?|nouns?|adjectives?|quotes?|quotations?|mistakes?|typos?)\b"
)


def _of_language_item(folded: str, a: int, b: int) -> bool:
    """Whether the superlative claimed at ``a``-``b`` qualifies a word, idiom or phrase."""
    m = _SUPERLATIVE_WORD.search(folded, a, b + 20)
    return m is not None and m.start() < b and _LANGUAGE_ITEM.match(folded, m.end()) is not None


#: a claim word named as a word, taught or translated, not claimed: "the Irish for free is 'saor'", "German for
#: eco-friendly", "the word for 'sustainable'" ("Learn Spanish for free" still offers)
_LANGUAGES = (
    r"english|irish|german|french|spanish|italian|portuguese|dutch|latin|greek|polish|welsh|gaelic|japanese|"
    r"chinese|mandarin|arabic|swedish|danish|norwegian|finnish|turkish|russian|korean"
)
_NAMED_AS_WORD = re.compile(
    rf"(?:(?:^|[,:;(]\s*|\b(?:the|is|means|are|mean)\s+)(?:{_LANGUAGES})\s+(?:words?\s+|terms?\s+)?for|"
    rf"\b(?:words?|terms?|translations?)\s+for|\b(?:{_LANGUAGES})\s+(?:words?|terms?)\s+for)"
    r"\s*[\"'“‘«]?\s*$"
)


def _named_as_word(folded: str, a: int) -> bool:
    """Whether the claim word at ``a`` is named as a word ("the French for free", "the word for 'green'"); a
    hit that opens with "for" ("for free") is read from after it."""
    end = a + 4 if folded.startswith("for ", a) else a
    return _NAMED_AS_WORD.search(folded, max(0, a - 40), end) is not None


def _price_comparisons(doc: Document, policy: Policy) -> list[tuple[int, int, str]]:
    """A listed competitor named in a sentence that talks about prices: a price comparison, which is a
    pricing claim (norm start, end, phrase) at the competitor's name."""
    if not policy.terms.competitors:
        return []
    folded = doc.folded
    ends = sentence_ends(doc)
    out: list[tuple[int, int, str]] = []
    for m in competitor_matcher(policy).find(doc):
        sa, sb = sentence_range(folded, m.norm_start, m.norm_end, ends)
        if _PRICE_WORD.search(folded, max(sa, m.norm_start - _NEAR), min(sb, m.norm_end + _NEAR)) is not None:
            out.append((m.norm_start, m.norm_end, f"price comparison with {m.payload.name}"))
    return out


def _backed(doc: Document, policy: Policy, compiled: _Compiled, sa: int, sb: int) -> str | None:
    """The built-in backing (CLAIM_BACKING: a named standard or certification) inside ``doc.folded[sa:sb]``
    that every reader sees, or None. The backings of a document are found once (one pass of one
    alternation), so each claim costs a lookup."""
    found = memo(doc, f"claims:backing:{id(policy)}", lambda: _backing_spans(doc, policy, compiled))
    return found.inside(sa, sb)


def _backing_spans(doc: Document, policy: Policy, compiled: _Compiled) -> Spans[str]:
    """Every backing match in ``doc`` (norm offsets) that every reader sees: in HTML, the ones seen whole
    in each reader context (as qualifiers, :func:`seen_positions`)."""
    assert compiled.backing_any is not None
    rx = compiled.backing_any
    found = [(m.start(), m.end(), m.group()) for m in rx.finditer(doc.folded)]
    if doc.kind == "html" and found:
        from brandrail.content.disclosures import seen_everywhere

        seen = seen_everywhere(
            doc, policy, lambda view: ((m.start(), m.end()) for m in rx.finditer(view.folded))
        )
        found = [f for f in found if doc.norm_to_original(f[0], f[1]) in seen]
    return Spans(found)


def claim_hits(doc: Document, policy: Policy, kind: str) -> Iterator[tuple[ClaimHit, bool, str | None]]:
    """Claims of ``kind`` in ``doc`` with whether they are acceptable and why (claim id or qualifier).

    An HTML message is read as written and as each reader sees it: a claim found in either counts, so
    hidden text can neither carry a claim past the check nor turn a seen claim into an idiom ("Free<span
    style="display:none"> time</span> delivery" is "Free delivery" to the reader)."""
    settings = _settings(policy, kind)
    if not settings.enabled:
        return
    compiled = _compiled(policy, kind)
    folded = doc.folded
    raw = _raw_hits(doc, compiled)
    if doc.kind == "html":
        raw = _with_seen_hits(doc, policy, compiled, raw)
    if kind == "pricing" and settings.builtin:
        taken = Spans(raw)
        raw += [r for r in _price_comparisons(doc, policy) if taken.overlapping(r[0], r[1]) is None]
    if kind == "superlative" and settings.builtin:
        scoped = _place_scoped(doc, raw)
        raw += [r for r in scoped if not _excepted(folded, r[0], r[1], compiled.exceptions)]
        taken = Spans(raw)
        raw += [
            r
            for r in unbacked_superlatives(doc, policy)
            if taken.overlapping(r[0], r[1]) is None
            and not _excepted(folded, r[0], r[1], compiled.exceptions)
        ]
    raw = [
        r
        for r in raw
        if not _denied(doc, policy, r[0], r[1], r[2].lower())
        and not in_email(doc, r[0], r[1])
        and not _named_as_word(folded, r[0])
    ]
    if kind == "superlative" and settings.builtin and raw:
        ends = sentence_ends(doc)
        raw = [
            r
            for r in raw
            if not _asks_which_is_best(folded, r[0], r[1], ends)
            and not _answered_no(folded, r[0], r[1], ends)
            and not _in_proper_name(doc, r[0], r[1])
            and not _of_time_or_weather(folded, r[0], r[1])
            and not _of_language_item(folded, r[0], r[1])
        ]
    elif kind == "guarantee" and settings.builtin and raw:
        # a public scheme's name is no promise ("the Deposit Guarantee Scheme"), nor a guarantee the brand's own
        # answer denies ("Can we guarantee you'll love it? No.")
        ends = sentence_ends(doc)
        raw = [
            r
            for r in raw
            if not _public_scheme(doc, policy, r[0], r[1]) and not _answered_no(folded, r[0], r[1], ends)
        ]
    elif kind == "pricing" and settings.builtin and raw:
        # a price word inside a name is no offer: "America's Best Value Inn", "the Free Trade Hall"
        ends = sentence_ends(doc)
        raw = [
            r
            for r in raw
            if not _in_proper_name(doc, r[0], r[1]) and not _answered_no(folded, r[0], r[1], ends)
        ]
    if not raw:
        return
    raw.sort()
    backed = Spans(substantiations_in(doc, policy))
    qualifier_hits = seen_positions(doc, policy, compiled.qualifiers) if compiled.qualifiers else []
    qualifiers = Spans((q[0], q[1], q[2]) for q in qualifier_hits)
    for a, b, phrase in raw:
        start, end = doc.norm_to_original(a, b)
        hit = ClaimHit(kind, phrase, a, b, start, end)
        entry = backed.overlapping(a, b)
        if entry is not None:
            yield hit, True, f"substantiated by {entry.id} ({entry.evidence})"
            continue
        if qualifiers:
            if policy.claims.qualifier_scope == "message":
                yield hit, True, f"qualified by {qualifiers.items[0]!r}"
                continue
            sa, sb = sentence_range(folded, a, b, sentence_ends(doc))
            near = qualifiers.inside(sa, sb)
            if near is not None:
                yield hit, True, f"qualified by {near!r}"
                continue
        if compiled.backing_any is not None:
            sa, sb = sentence_range(folded, a, b, sentence_ends(doc))
            backing = _backed(doc, policy, compiled, max(sa, a - _NEAR), min(sb, b + _NEAR))
            if backing is not None:
                yield hit, True, f"backed by {backing!r} in its sentence"
                continue
        yield hit, False, None


class ClaimRule(Rule):
    """Base of the BR201-BR205 rules: one claim kind each (not registered itself)."""

    claim_kind: ClassVar[str]
    default_severity = Severity.ERROR

    def check(self, subject: Document, policy: Policy) -> Iterator[Finding]:
        doc = subject
        settings = _settings(policy, self.claim_kind)
        for hit, ok, _why in claim_hits(doc, policy, self.claim_kind):
            if ok:
                continue
            hint = (
                f"; qualify it ({', '.join(repr(q) for q in settings.qualifiers[:3])})"
                if settings.qualifiers
                else ""
            )
            yield self.finding(
                f"unsubstantiated {self.claim_kind} claim {doc.text[hit.start : hit.end]!r}: "
                f"add a claims.substantiated entry with its evidence{hint}, or rephrase",
                doc=doc,
                start=hit.start,
                end=hit.end,
                evidence={
                    "kind": self.claim_kind,
                    "phrase": hit.phrase,
                    "substantiated": False,
                    "qualifiers": list(settings.qualifiers),
                },
            )
