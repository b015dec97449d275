"""BR105 competitor-mention."""

from __future__ import annotations

from collections.abc import Iterator

from brandrail.content.matching import competitor_matcher
from brandrail.findings import Finding, Severity
from brandrail.policy import Policy
from brandrail.policy.sections.terms import Competitor
from brandrail.registry import Rule, register
from brandrail.text.document import Document


@register
class CompetitorMention(Rule):
    """A competitor named in the brand's own copy.

    What it flags:
        Each whole-word mention of a `terms.competitors` entry's `name` or one of its `variants`, matched on
        the normalised text; names with punctuation ("AT&T", "Node.js") match as written.

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
            yield self.finding(
                entry.message or f"mentions competitor {entry.name!r}",
                doc=doc,
                start=m.start,
                end=m.end,
                severity=entry.severity,
                evidence={"competitor": entry.name, "matched_form": m.form},
            )
