"""BR101 banned-term."""

from __future__ import annotations

from collections.abc import Iterator

from brandrail.content.fastpolicy import cache_of
from brandrail.content.fixes import is_plain, match_case
from brandrail.content.matching import TermMatcher
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
        "cheaply").

    Why it matters:
        Brand guidelines ban words that cheapen the brand, overpromise or invite legal risk; a model that
        writes copy does not know them unless it is told and checked.

    Example:
        With `terms: {banned: [{term: cheap, replacement: affordable}]}`, the text "Our cheap tents" is
        flagged at "cheap".

    Use instead:
        The entry's `replacement` ("Our affordable tents"). `brandrail fix` applies it when there is exactly
        one replacement and the match is the term itself, not an inflected form.
    """

    code = "BR101"
    name = "banned-term"

    def check(self, subject: Document, policy: Policy) -> Iterator[Finding]:
        cache = cache_of(policy)
        matcher: TermMatcher[BannedTermEntry] | None = cache.get(self.code)
        if matcher is None:
            matcher = TermMatcher(policy)
            for entry in policy.terms.banned:
                matcher.add(entry.term, entry, inflect=entry.inflections)
            cache[self.code] = matcher
        doc = subject
        for m in matcher.find(doc):
            entry = m.payload
            found = doc.text[m.start : m.end]
            if entry.case_sensitive and not same_case(doc.norm[m.norm_start : m.norm_end], entry.term):
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
