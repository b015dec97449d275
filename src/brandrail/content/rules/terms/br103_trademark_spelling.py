"""BR103 trademark-misspelled."""

from __future__ import annotations

import re
from collections.abc import Iterator

from brandrail.content.fastpolicy import cache_of
from brandrail.content.fixes import is_plain
from brandrail.content.matching import TermMatcher, in_address
from brandrail.findings import Finding
from brandrail.policy import Policy
from brandrail.policy.sections.brand import Trademark
from brandrail.registry import Rule, register
from brandrail.text.document import Document

_SEPARATORS = re.compile(r"[\s\-.·_]+")


def spellings(term: str) -> set[str]:
    """Ways a trademark gets mistyped: other casing (matched anyway), separators dropped or changed."""
    parts = [p for p in _SEPARATORS.split(term) if p]
    forms = {term}
    if len(parts) > 1:
        forms |= {"".join(parts), " ".join(parts), "-".join(parts)}
    return forms


@register
class TrademarkMisspelled(Rule):
    """A trademark or product name written with the wrong spelling or casing.

    What it flags:
        Any whole-word occurrence of a `brand.trademarks` entry (or one of its `variants`) that is not written
        exactly as the entry's `term`: other casing ("Gore-Tex", "IPHONE"), dropped or changed separators
        ("goretex", "gore tex"). Matching ignores case and hidden characters; the comparison is exact.

    Why it matters:
        Trademark owners require exact spelling to keep their marks distinctive; a misspelled partner mark
        can breach a licence, and a misspelled own mark weakens it.

    Example:
        With `brand: {trademarks: [{term: GORE-TEX}]}`, "our Gore-Tex shell" is flagged at "Gore-Tex".

    Use instead:
        The exact `term` ("our GORE-TEX shell"); `brandrail fix` rewrites it.
    """

    code = "BR103"
    name = "trademark-misspelled"

    def check(self, subject: Document, policy: Policy) -> Iterator[Finding]:
        cache = cache_of(policy)
        matcher: TermMatcher[Trademark] | None = cache.get(self.code)
        if matcher is None:
            matcher = TermMatcher(policy)
            for mark in policy.brand.trademarks:
                for form in spellings(mark.term) | set(mark.variants):
                    matcher.add(form, mark)
            cache[self.code] = matcher
        doc = subject
        seen: set[tuple[int, int]] = set()
        for m in matcher.find(doc):
            mark = m.payload
            if in_address(doc.text, m.start, m.end):
                continue
            if (m.start, m.end) in seen:
                continue
            seen.add((m.start, m.end))
            found = doc.text[m.start : m.end]
            if found == mark.term:
                continue
            safe = is_plain(doc, m.start, m.end)
            yield self.finding(
                f"write {mark.term!r}, not {found!r}",
                doc=doc,
                start=m.start,
                end=m.end,
                fix=self.replace_fix(f"write {mark.term!r}", m.start, m.end, mark.term, safe=safe),
                evidence={"trademark": mark.term, "found": found},
            )
