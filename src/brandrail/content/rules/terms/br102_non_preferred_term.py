"""BR102 non-preferred-term."""

from __future__ import annotations

from collections.abc import Iterator

from brandrail.content.fastpolicy import cache_of
from brandrail.content.fixes import is_plain, match_case
from brandrail.content.matching import TermMatcher
from brandrail.findings import Finding, Severity
from brandrail.policy import Policy
from brandrail.policy.sections.terms import PreferredTerm
from brandrail.registry import Rule, register
from brandrail.text.document import Document
from brandrail.text.normalize import fold_term


@register
class NonPreferredTerm(Rule):
    """A word the brand replaces with its preferred one.

    What it flags:
        Each whole-word occurrence of a word listed under a `terms.preferred` entry's `instead_of`, matched
        on the normalised text (and, with `inflections: true`, its plural and -ed/-ing forms).

    Why it matters:
        A style guide's substitution list ("sign in", not "login"; "e-mail", not "mail") keeps copy written
        by many people and models sounding like one brand.

    Example:
        With `terms: {preferred: [{term: sign in, instead_of: [login, log-in]}]}`, "Login to your account"
        is flagged at "Login".

    Use instead:
        The entry's `term` ("Sign in to your account"); `brandrail fix` rewrites exact matches, keeping the
        capitalisation of the original.
    """

    code = "BR102"
    name = "non-preferred-term"
    default_severity = Severity.WARNING

    def check(self, subject: Document, policy: Policy) -> Iterator[Finding]:
        cache = cache_of(policy)
        matcher: TermMatcher[tuple[PreferredTerm, str]] | None = cache.get(self.code)
        if matcher is None:
            matcher = TermMatcher(policy)
            for entry in policy.terms.preferred:
                for word in entry.instead_of:
                    matcher.add(word, (entry, word), inflect=entry.inflections)
            cache[self.code] = matcher
        doc = subject
        for m in matcher.find(doc):
            entry, word = m.payload
            found = doc.text[m.start : m.end]
            exact = m.form == fold_term(word)
            replacement = match_case(found, entry.term)
            safe = exact and is_plain(doc, m.start, m.end)
            yield self.finding(
                entry.message or f"write {entry.term!r} instead of {found!r}",
                doc=doc,
                start=m.start,
                end=m.end,
                severity=entry.severity,
                fix=self.replace_fix(f"replace with {replacement!r}", m.start, m.end, replacement, safe=safe),
                evidence={"preferred": entry.term, "instead_of": word, "matched_form": m.form},
            )
