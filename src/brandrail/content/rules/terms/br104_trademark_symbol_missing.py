"""BR104 trademark-symbol-missing."""

from __future__ import annotations

from collections.abc import Iterator

from brandrail.content.fastpolicy import cache_of
from brandrail.content.matching import TermMatcher, in_address
from brandrail.findings import Edit, Finding, Fix, Severity
from brandrail.policy import Policy
from brandrail.policy.sections.brand import Trademark
from brandrail.registry import Rule, register
from brandrail.text.document import Document

_SYMBOLS = ("®", "™", "℠", "(r)", "(tm)", "&reg;", "&trade;", "&#174;", "&#8482;")


@register
class TrademarkSymbolMissing(Rule):
    """A trademark without its ® or ™ where the policy asks for one.

    What it flags:
        For each `brand.trademarks` entry with a `symbol`, the first use of the mark (`symbol_on: first`) or
        every use (`symbol_on: every`) that is not directly followed by ®, ™ or ℠ (or "(R)", "(TM)", or the
        HTML entities). Only the prose is checked, so a mark in a URL or code does not count.

    Why it matters:
        Licensors such as W. L. Gore require the registration symbol on first mention; omitting it breaches
        brand-licensing terms and weakens the mark.

    Example:
        With `brand: {trademarks: [{term: GORE-TEX, symbol: "®"}]}`, "GORE-TEX shell, GORE-TEX boots" is
        flagged at the first "GORE-TEX".

    Use instead:
        "GORE-TEX® shell, GORE-TEX boots"; `brandrail fix` inserts the symbol.
    """

    code = "BR104"
    name = "trademark-symbol-missing"
    default_severity = Severity.WARNING

    def check(self, subject: Document, policy: Policy) -> Iterator[Finding]:
        if not policy.terms.trademark_symbols:
            return
        cache = cache_of(policy)
        matcher: TermMatcher[Trademark] | None = cache.get(self.code)
        if matcher is None:
            matcher = TermMatcher(policy)
            for mark in policy.brand.trademarks:
                if mark.symbol and mark.symbol_on != "none":
                    matcher.add(mark.term, mark)
            cache[self.code] = matcher
        doc = subject
        seen: set[str] = set()
        for m in matcher.find(doc):
            mark = m.payload
            if in_address(doc.text, m.start, m.end):
                continue
            if mark.symbol_on == "first" and mark.term in seen:
                continue
            seen.add(mark.term)
            after = doc.text[m.end : m.end + 8].lower()
            if after.startswith(_SYMBOLS):
                continue
            assert mark.symbol is not None
            yield self.finding(
                f"{mark.term!r} needs {mark.symbol} on {'first' if mark.symbol_on == 'first' else 'every'} use",
                doc=doc,
                start=m.start,
                end=m.end,
                fix=Fix(f"add {mark.symbol}", (Edit(m.end, m.end, mark.symbol),)),
                evidence={"trademark": mark.term, "symbol": mark.symbol, "symbol_on": mark.symbol_on},
            )
