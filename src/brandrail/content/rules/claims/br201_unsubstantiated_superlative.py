"""BR201 unsubstantiated-superlative."""

from __future__ import annotations

from brandrail.content.claims import ClaimRule
from brandrail.registry import register


@register
class UnsubstantiatedSuperlative(ClaimRule):
    """A superlative or absolute claim the brand has not substantiated.

    What it flags:
        Superlatives and absolutes ("best", "#1", "world's lightest", "never fails", "unbeatable") from the
        built-in list and `claims.superlative.terms`, unless a `claims.substantiated` entry covers the phrase or
        one of `claims.superlative.qualifiers` stands in the same sentence.

    Why it matters:
        Objective superlatives are factual claims: advertising codes (FTC Act s.5, UK CAP Code 3.7, EU UCPD
        Art. 6) require evidence held before publication; puffery is a defence only when nobody could read
        it as fact.

    Example:
        "The world's lightest 2-person tent" is flagged at "lightest" unless substantiated, e.g.
        `claims: {substantiated: [{id: CLM-7, claim: [lightest], evidence: "Lab report LR-22"}]}`.

    Use instead:
        A specific, provable statement ("1.1 kg packed weight"), or substantiate the claim in the policy.
    """

    code = "BR201"
    name = "unsubstantiated-superlative"
    claim_kind = "superlative"
