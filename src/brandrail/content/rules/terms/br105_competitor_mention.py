"""BR105 competitor-mention."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from brandrail.content.matching import competitor_matcher
from brandrail.findings import Finding, Severity
from brandrail.policy import Policy
from brandrail.policy.sections.terms import Competitor
from brandrail.registry import Rule, register
from brandrail.text.document import Document

#: an article, possessive or demonstrative and up to two words before a lower-case name make it a common noun
#: words that end a noun phrase: "half the price of loom" names the competitor, however it is written
_LINK_WORDS = r"(?:of|than|to|from|with|for|vs|versus|like|at|in|on|by|and|or|over|against|as)"
_COMMON_NOUN_BEFORE = re.compile(
    r"(?:^|[\s(\"'“‘])(?:a|an|the|our|my|your|their|his|her|its|this|that|every|each|one|any)"
    rf"\s+(?:(?!{_LINK_WORDS}\b)[\w'’-]+\s+){{0,2}}$",
    re.IGNORECASE,
)
_COMPOUND_AFTER = re.compile(r"-[a-z]")


def _common_noun(text: str, start: int, end: int, name: str) -> bool:
    """Whether ``text[start:end]``, a one-word competitor ``name`` the policy capitalises, is written in lower
    case as a common noun there ("our new loom", "loom-woven")."""
    # as a reader sees it: styled letters ("𝙿𝚞𝚛𝚎𝚟𝚊") have no case mapping of their own
    written = unicodedata.normalize("NFKC", text[start:end])
    if " " in name.strip() or name == name.lower() or written != written.lower() or not written.isalpha():
        return False
    before = re.split(r"[.!?;:\n]", text[max(0, start - 40) : start])[-1]
    return _COMMON_NOUN_BEFORE.search(before) is not None or _COMPOUND_AFTER.match(text, end) is not None


@register
class CompetitorMention(Rule):
    """A competitor named in the brand's own copy.

    What it flags:
        Each whole-word mention of a `terms.competitors` entry's `name` or one of its `variants`, matched on
        the normalised text; names with punctuation ("AT&T", "Node.js") match as written. A one-word name
        the policy writes with a capital that is also an everyday word ("Loom") is not the competitor where
        the text writes it in lower case as a common noun: after an article, possessive or demonstrative
        ("our new loom", "a Jacquard loom") or as the first part of a hyphenated compound ("loom-woven").

    Why it matters:
        Naming a competitor invites comparative-advertising rules (substantiation, fair comparison) and
        gives the competitor free publicity; most brands leave it to legal review.

    Example:
        With `terms: {competitors: [{name: Summit Gear}]}`, "lighter than Summit Gear's tent" is flagged.

    Use instead:
        Describe your own product's merits without naming others, or get the comparison approved and turn
        the finding off for that message with an inline suppression.
    """

    code = "BR105"
    name = "competitor-mention"
    default_severity = Severity.WARNING

    def check(self, subject: Document, policy: Policy) -> Iterator[Finding]:
        doc = subject
        for m in competitor_matcher(policy).find(doc):
            entry: Competitor = m.payload
            if _common_noun(doc.text, m.start, m.end, entry.name):
                continue
            yield self.finding(
                entry.message or f"mentions competitor {entry.name!r}",
                doc=doc,
                start=m.start,
                end=m.end,
                severity=entry.severity,
                evidence={"competitor": entry.name, "matched_form": m.form},
            )
