"""BR601 non-inclusive-term."""

from __future__ import annotations

import re
from collections.abc import Iterator

from brandrail.content.common import on_channel
from brandrail.content.fastpolicy import cache_of
from brandrail.content.fixes import is_plain, match_case
from brandrail.content.lexicons import INCLUSIVE, INCLUSIVE_FORMS, INCLUSIVE_IDIOMS, INCLUSIVE_INFLECTED
from brandrail.content.matching import TermMatcher, in_email
from brandrail.findings import Finding, Severity
from brandrail.policy import Policy
from brandrail.policy.sections.inclusive import ContextException, InclusiveEntry
from brandrail.registry import Rule, register
from brandrail.text.document import Document
from brandrail.text.normalize import fold_term


def _entries(policy: Policy) -> list[tuple[str, InclusiveEntry]]:
    """(form to match, entry) for each term and each built-in other form of it (INCLUSIVE_FORMS, with the
    alternatives that fit that form); a brand's own entry for a term replaces the built-in one and its forms."""
    settings = policy.inclusive
    removed = {fold_term(t) for t in settings.remove}
    entries: dict[str, InclusiveEntry] = {}
    if settings.builtin:
        for term, alternatives, category, note in INCLUSIVE:
            if fold_term(term) not in removed:
                entries[fold_term(term)] = InclusiveEntry(
                    term=term,
                    alternatives=list(alternatives),
                    category=category,
                    note=note,
                    inflections=term in INCLUSIVE_INFLECTED,
                )
    out: list[tuple[str, InclusiveEntry]] = []
    for folded, entry in entries.items():
        for form, alternatives in INCLUSIVE_FORMS.get(folded, {}).items():
            if fold_term(form) not in removed:
                out.append((form, entry.model_copy(update={"alternatives": list(alternatives)})))
    own = {fold_term(e.term): e for e in settings.add}
    out = [(form, e) for form, e in out if fold_term(e.term) not in own]
    out += [(e.term, e) for k, e in entries.items() if k not in own]
    out += [(e.term, e) for e in own.values()]
    return out


_QUOTES_CLOSE = "\"'”’»“"
#: a word naming a word before an opening quote: "we retired the word 'blacklist'", "le mot « … »"
_MENTION_BEFORE = re.compile(
    r"\b(?:word|words|term|terms|phrase|phrases|expression|wort|begriff|mot|terme|palabra|termino)"
    r"(?:\s+(?:like|such as))?\s*[\"'“‘«„]\s*$"
)


def mentioned(doc: Document, norm_start: int, norm_end: int) -> bool:
    """Whether the term at ``norm_start``-``norm_end`` is named rather than used: in quotation marks right
    after "the word", "the term", "the phrase" ("We've retired the word 'blacklist'")."""
    folded = doc.folded
    if norm_end >= len(folded) or folded[norm_end] not in _QUOTES_CLOSE:
        return False
    return bool(_MENTION_BEFORE.search(folded, max(0, norm_start - 40), norm_start))


@register
class NonInclusiveTerm(Rule):
    """A term that excludes or stereotypes, with inclusive alternatives.

    What it flags:
        Each whole-word use of a term from brandrail's curated list (gendered job titles, ableist idioms,
        racialised metaphors, culturally appropriated words, dated terms for age and origin) or the brand's
        `inclusive.add`, except terms in `inclusive.remove` and uses inside an `inclusive.exceptions`
        context or a built-in one ("disabled" of a setting: "the disabled toggle", "notifications are
        disabled"; "sherpa" of a fabric: "sherpa fleece"; "oriental" in a trade or proper name: "Oriental
        rug", "Mandarin Oriental", "Oriental Shorthair"). Matching is on the normalised text; "whitelist",
        "blacklist", "slave" and "sanity check" match their inflected forms too ("blacklisted"), and other
        built-in terms their listed plurals, comparatives and adverbs ("insanely", "salesmen", "crazier"),
        each with alternatives that fit that form ("incredibly"). A term
        named rather than used — quoted right after "the word", "the term", "the phrase" ("we've retired the
        word 'blacklist'") — is not flagged.

    Why it matters:
        Customers notice exclusionary language; brand guidelines and accessibility and diversity commitments
        (and, for job ads, equality law) ask for wording that includes everyone.

    Example:
        "Hey guys, our crazy sale is on" is flagged at "Hey guys" and "crazy".

    Use instead:
        The entry's alternatives ("Hi everyone, our amazing sale is on"). `brandrail fix` applies the
        alternative only when there is exactly one; otherwise it is a suggestion.
    """

    code = "BR601"
    name = "non-inclusive-term"
    default_severity = Severity.WARNING

    def check(self, subject: Document, policy: Policy) -> Iterator[Finding]:
        settings = policy.inclusive
        if not settings.enabled:
            return
        cache = cache_of(policy)
        compiled: tuple[TermMatcher[InclusiveEntry], TermMatcher[ContextException]] | None = cache.get(
            self.code
        )
        if compiled is None:
            matcher: TermMatcher[InclusiveEntry] = TermMatcher(policy)
            for form, entry in _entries(policy):
                matcher.add(form, entry, inflect=entry.inflections and form == entry.term)
            contexts: TermMatcher[ContextException] = TermMatcher(policy)
            builtin_contexts = (
                [ContextException(term=t, context=list(c)) for t, c in INCLUSIVE_IDIOMS.items()]
                if settings.builtin
                else []
            )
            for exception in (*builtin_contexts, *settings.exceptions):
                for phrase in exception.context:
                    contexts.add(phrase, exception)
            compiled = (matcher, contexts)
            cache[self.code] = compiled
        matcher, contexts = compiled
        doc = subject
        hits = list(matcher.find(doc))
        if not hits:
            return
        allowed = [
            (c.norm_start, c.norm_end, c.payload)
            for c in contexts.find(doc, longest=False)
            if on_channel(c.payload.channels, doc, policy)
        ]
        for m in hits:
            if in_email(doc, m.norm_start, m.norm_end):  # an address is data, not prose
                continue
            if mentioned(doc, m.norm_start, m.norm_end):  # "we retired the word 'blacklist'"
                continue
            entry = m.payload
            folded_term = fold_term(entry.term)
            if any(
                a <= m.norm_start and m.norm_end <= b and fold_term(exc.term) in (folded_term, m.form)
                for a, b, exc in allowed
            ):
                continue
            found = doc.text[m.start : m.end]
            fix = None
            if entry.alternatives:
                replacement = match_case(found, entry.alternatives[0])
                safe = (
                    len(entry.alternatives) == 1 and m.form == folded_term and is_plain(doc, m.start, m.end)
                )
                fix = self.replace_fix(
                    f"replace with {replacement!r}", m.start, m.end, replacement, safe=safe
                )
            alternatives = " or ".join(repr(a) for a in entry.alternatives)
            yield self.finding(
                f"{found!r} ({entry.category}): {entry.note or 'not inclusive'}"
                + (f"; consider {alternatives}" if alternatives else ""),
                doc=doc,
                start=m.start,
                end=m.end,
                severity=entry.severity,
                fix=fix,
                evidence={
                    "term": entry.term,
                    "category": entry.category,
                    "alternatives": list(entry.alternatives),
                },
            )
