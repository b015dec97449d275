"""BR101 banned-term."""

from __future__ import annotations

import re
from collections.abc import Iterator

from brandrail.content.common import sentence_ends, sentence_range
from brandrail.content.compounds import CompoundHeads
from brandrail.content.fastpolicy import cache_of
from brandrail.content.fixes import is_plain, match_case
from brandrail.content.lexicons import GERMAN_TAIL_LOOKALIKES
from brandrail.content.matching import TermMatcher, fuzzy_matches, in_email
from brandrail.findings import Finding
from brandrail.policy import Policy
from brandrail.policy.sections.terms import BannedTerm as BannedTermEntry
from brandrail.registry import Rule, register
from brandrail.text.document import Document
from brandrail.text.normalize import fold_term, normalize


def same_case(seen: str, term: str) -> bool:
    """Whether ``seen`` (a match on the normalised view) has ``term``'s capitals, letter by letter.

    Both sides are normalised, so look-alike letters, full-width forms and zero-width characters do not
    hide a case-sensitive term; positions that are not letters in the text (leetspeak "0" for "O") and the
    letters of an inflection after the term are not compared.
    """
    want, _ = normalize(term)
    seen = seen.replace("\n", " ")
    if len(seen) < len(want):
        return False
    return all(s == t or not s.isalpha() for s, t in zip(seen, want, strict=False))


@register
class BannedTerm(Rule):
    """A word or phrase the brand has banned, with the replacement it suggests.

    What it flags:
        Each whole-word occurrence of a `terms.banned` entry, matched on the normalised text, so hidden
        characters, look-alike letters, spaced letters and simple leetspeak do not hide it. With
        `inflections: true` the plural, -er/-est/-ed/-ing and -ly forms match too ("cheaper", "cheapest",
        "cheaply"). A single-word term of six letters or more matches with a derivational ending too, with
        or without `inflections` ("flawlessly", "agelessness", "bargainous", "bargainish"). In German text a compound that starts with a single-word term counts too ("Drecksangebot"
        for "Dreck", "Billigcreme" for "billig"), or that ends with one of five letters or more
        ("Straßendreck", "spottbillig"), not a derivation ("Billigung", "unbillig") nor a word that holds the
        letters elsewhere ("gebilligt").

    Why it matters:
        Brand guidelines ban words that cheapen the brand, overpromise or invite legal risk; a model that
        writes copy does not know them unless it is told and checked.

    Example:
        With `terms: {banned: [{term: cheap, replacement: affordable}]}`, the text "Our cheap tents" is
        flagged at "cheap".

        Per entry, `allow` lists phrases in which the term is fine (a place name: `{term: bloody, allow:
        [Bloody Foreland]}`; in HTML, only where every reader sees the phrase whole), `unless` regular expressions over the sentence that make the use fine, and
        `max_edits: 1` (or 2) also flags misspellings ("chaep") of terms of 5+ (8+) letters. A term named
        as a word in quotes is a mention, not a use ('We retired the word "flawless"').

    Use instead:
        The entry's `replacement` ("Our affordable tents"). `brandrail fix` applies it when there is exactly
        one replacement and the match is the term itself, not an inflected form.
    """

    code = "BR101"
    name = "banned-term"

    def check(self, subject: Document, policy: Policy) -> Iterator[Finding]:
        cache = cache_of(policy)
        compiled: _Compiled | None = cache.get(self.code)
        if compiled is None:
            compiled = _compile(policy)
            cache[self.code] = compiled
        matcher, allowed, unless, fuzzy, heads = compiled
        doc = subject
        allowed_at = (
            [(a.norm_start, a.norm_end, a.payload) for a in allowed.find(doc, longest=False)]
            if allowed
            else []
        )
        if allowed is not None and allowed_at and doc.kind == "html":
            allowed_at = _seen_allowed(doc, policy, allowed, allowed_at)
        exact_spans: list[tuple[int, int]] = []
        for m in matcher.find(doc):
            entry = m.payload
            found = doc.text[m.start : m.end]
            if entry.case_sensitive and not same_case(doc.norm[m.norm_start : m.norm_end], entry.term):
                continue
            exact_spans.append((m.norm_start, m.norm_end))
            if in_email(doc, m.norm_start, m.norm_end):  # an address is data, not prose
                continue
            why = _excepted(doc, m.norm_start, m.norm_end, entry, allowed_at, unless)
            if why is not None:
                continue
            exact = m.form == fold_term(entry.term)
            fix = None
            if entry.replacement:
                replacement = match_case(found, entry.replacement[0])
                safe = len(entry.replacement) == 1 and exact and is_plain(doc, m.start, m.end)
                fix = self.replace_fix(
                    f"replace with {replacement!r}", m.start, m.end, replacement, safe=safe
                )
            suggestion = (
                f"; use {' or '.join(repr(r) for r in entry.replacement)}" if entry.replacement else ""
            )
            message = entry.message or f"{entry.term!r} is a banned term{suggestion}"
            yield self.finding(
                message,
                doc=doc,
                start=m.start,
                end=m.end,
                severity=entry.severity,
                fix=fix,
                evidence={
                    "term": entry.term,
                    "matched_form": m.form,
                    "replacements": list(entry.replacement),
                    "matched_via_normalisation": found.lower() != m.form,
                },
            )
        if heads:
            yield from self._compounds(doc, heads, exact_spans, allowed_at, unless)
        if fuzzy:
            yield from self._misspellings(doc, fuzzy, exact_spans, allowed_at, unless)

    def _compounds(
        self,
        doc: Document,
        heads: CompoundHeads[BannedTermEntry],
        exact: list[tuple[int, int]],
        allowed_at: list[tuple[int, int, BannedTermEntry]],
        unless: dict[int, list[re.Pattern[str]]],
    ) -> Iterator[Finding]:
        """German compounds that start with a banned term ("Drecksangebot"; :mod:`brandrail.content.compounds`)."""
        for a, b, stem, entry in heads.find(doc):
            if any(x < b and a < y for x, y in exact) or in_email(doc, a, b):
                continue
            if _excepted(doc, a, b, entry, allowed_at, unless) is not None:
                continue
            start, end = doc.norm_to_original(a, b)
            exact.append((a, b))
            yield self.finding(
                entry.message or f"{doc.text[start:end]!r} is a compound of the banned term {entry.term!r}",
                doc=doc,
                start=start,
                end=end,
                severity=entry.severity,
                evidence={
                    "term": entry.term,
                    "matched_form": doc.folded[a:b],
                    "compound_of": stem,
                    "replacements": list(entry.replacement),
                },
            )

    def _misspellings(
        self,
        doc: Document,
        fuzzy: list[tuple[str, int, BannedTermEntry]],
        exact: list[tuple[int, int]],
        allowed_at: list[tuple[int, int, BannedTermEntry]],
        unless: dict[int, list[re.Pattern[str]]],
    ) -> Iterator[Finding]:
        for a, b, seen, distance, entry in fuzzy_matches(doc, fuzzy):
            if any(x < b and a < y for x, y in exact):
                continue
            if _excepted(doc, a, b, entry, allowed_at, unless) is not None:
                continue
            start, end = doc.norm_to_original(a, b)
            found = doc.text[start:end]
            fix = None
            if entry.replacement:
                replacement = match_case(found, entry.replacement[0])
                fix = self.replace_fix(f"replace with {replacement!r}", start, end, replacement, safe=False)
            yield self.finding(
                entry.message
                or f"{found!r} looks like the banned term {entry.term!r} ({distance} edit"
                f"{'s' if distance > 1 else ''}; terms.banned max_edits: {entry.max_edits})",
                doc=doc,
                start=start,
                end=end,
                severity=entry.severity,
                fix=fix,
                evidence={
                    "term": entry.term,
                    "matched_form": seen,
                    "replacements": list(entry.replacement),
                    "edits": distance,
                    "max_edits": entry.max_edits,
                },
            )


_Compiled = tuple[
    TermMatcher[BannedTermEntry],
    TermMatcher[BannedTermEntry] | None,
    dict[int, list[re.Pattern[str]]],
    list[tuple[str, int, BannedTermEntry]],
    CompoundHeads[BannedTermEntry],
]


#: Derivational endings that keep a banned word's meaning ("flawlessly", "agelessness", "bargainous",
#: "bargainish"): a brand that bans the word bans these forms of it, with or without `inflections`.
DERIVATIONS = ("ly", "ness", "nesses", "ous", "ish")
#: Derivations are matched only for single-word terms of this many letters or more: shorter words make
#: other words with these endings ("Dreck" + "ly" is Cornish "dreckly", directly).
DERIVATION_MIN = 6


def derivations(term: str) -> set[str]:
    """The forms of the banned single word ``term`` (folded) with one of :data:`DERIVATIONS` ("ageless" →
    "agelessly", "agelessness"; a final "e" is dropped before a vowel: "pure" → "purish"; a final "y" after
    a consonant becomes "i": "dirty" → "dirtiness"); none for a phrase or a word shorter than
    :data:`DERIVATION_MIN`."""
    if len(term) < DERIVATION_MIN or not term.isalpha():
        return set()
    forms = set()
    for ending in DERIVATIONS:
        stem = term
        if term.endswith("e") and ending[0] in "aeiou":
            stem = term[:-1]
        elif term.endswith("y") and term[-2] not in "aeiou":
            stem = term[:-1] + "i"
        forms.add(stem + ending)
    return forms


def _compile(policy: Policy) -> _Compiled:
    matcher: TermMatcher[BannedTermEntry] = TermMatcher(policy)
    allowed: TermMatcher[BannedTermEntry] | None = None
    unless: dict[int, list[re.Pattern[str]]] = {}
    fuzzy: list[tuple[str, int, BannedTermEntry]] = []
    for entry in policy.terms.banned:
        matcher.add(entry.term, entry, inflect=entry.inflections)
        if not entry.case_sensitive:
            for form in derivations(fold_term(entry.term)):
                matcher.add(form, entry)
        if entry.allow:
            allowed = allowed or TermMatcher(policy)
            for phrase in entry.allow:
                allowed.add(phrase, entry)
        if entry.unless:
            unless[id(entry)] = [re.compile(p) for p in entry.unless]
        if entry.max_edits:
            fuzzy.append((fold_term(entry.term), entry.max_edits, entry))
    heads = CompoundHeads(
        ((fold_term(entry.term), entry) for entry in policy.terms.banned if not entry.case_sensitive),
        lookalikes=GERMAN_TAIL_LOOKALIKES,
        # a German noun's plural and cases ("Crashkurse"): only of a one-word term written with a capital
        inflected=frozenset(
            fold_term(entry.term)
            for entry in policy.terms.banned
            if entry.term[:1].isupper() and entry.term.isalpha() and not entry.case_sensitive
        ),
    )
    return matcher, allowed, unless, fuzzy, heads


def _excepted(
    doc: Document,
    a: int,
    b: int,
    entry: BannedTermEntry,
    allowed_at: list[tuple[int, int, BannedTermEntry]],
    unless: dict[int, list[re.Pattern[str]]],
) -> str | None:
    """Why the use at norm ``[a, b)`` is fine: inside one of the entry's `allow` phrases, or its sentence
    matches one of its `unless` patterns; None when it is not."""
    for x, y, owner in allowed_at:
        if owner is entry and x <= a and b <= y:
            return "allow"
    patterns = unless.get(id(entry))
    if patterns:
        sa, sb = sentence_range(doc.folded, a, b, sentence_ends(doc))
        sentence = doc.folded[sa:sb]
        if any(p.search(sentence) for p in patterns):
            return "unless"
    if _mentioned(doc, a, b):
        return "mention"
    return None


#: A word named as a word, in quotes: 'the word "flawless"', "the term ‘cheap’", 'the phrase «bon marché»'.
_NAMED_BEFORE = re.compile(r"\b(?:word|words|term|terms|phrase|phrases|expression|label)\s*[\"“”'‘’«„]$")
_CLOSING_QUOTES = "\"“”'’»"


def _mentioned(doc: Document, a: int, b: int) -> bool:
    """Whether the use at norm ``[a, b)`` is a mention of the word, not a use: quoted right after "word",
    "term", "phrase" or "expression" ('We retired the word "flawless"')."""
    start, end = doc.norm_to_original(a, b)
    text = doc.text
    if end >= len(text) or text[end] not in _CLOSING_QUOTES:
        return False
    return _NAMED_BEFORE.search(text[max(0, start - 24) : start].lower()) is not None


def _seen_allowed(
    doc: Document,
    policy: Policy,
    allowed: TermMatcher[BannedTermEntry],
    allowed_at: list[tuple[int, int, BannedTermEntry]],
) -> list[tuple[int, int, BannedTermEntry]]:
    """The ``allow`` phrases of an HTML message that every reader sees whole: "bloody<span
    style="display:none"> Foreland</span>" reads "bloody" and is no "Bloody Foreland"
    (:func:`brandrail.content.disclosures.seen_view`, in each reader context)."""
    from brandrail.content.disclosures import seen_everywhere

    seen = seen_everywhere(
        doc, policy, lambda view: ((a.norm_start, a.norm_end) for a in allowed.find(view, longest=False))
    )
    return [hit for hit in allowed_at if doc.norm_to_original(hit[0], hit[1]) in seen]
