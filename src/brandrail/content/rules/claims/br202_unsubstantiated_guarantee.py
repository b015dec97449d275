"""BR202 unsubstantiated-guarantee."""

from __future__ import annotations

from brandrail.content.claims import ClaimRule
from brandrail.registry import register


@register
class UnsubstantiatedGuarantee(ClaimRule):
    """A guarantee or absolute-assurance claim without backing.

    What it flags:
        Guarantee language ("guaranteed", "risk-free", "money-back", "lifetime warranty", "100%" before an
        outcome: "100% satisfaction", "100% waterproof"; stopping all of something: "blocks 100% of malware";
        proof against failure in other words: "bulletproof backups", "ironclad"; a promise backed by a
        forfeit: "in 60 minutes or we pay your taxi home", "top marks or we'll tutor you free", "by 9am or
        your next box is on us", "or the first day's labour is on the house"), a "cast-iron promise" and money
        back in other words ("Money returned, no questions asked"; not "money refunded to your card within five
        days") from the built-in list and `claims.guarantee.terms`,
        unless substantiated or qualified in the same sentence (e.g. a qualifier "see warranty terms"). A
        percentage of composition ("100% arabica", "100% recycled") is not a guarantee, and a negated one
        ("we can't guarantee", "we are not able to guarantee", "no guaranteed returns") is not a claim, nor
        is the gear itself ("bulletproof vests") or "or we'll call you".

    Why it matters:
        A guarantee is a promise the brand must honour; an unqualified one creates contractual and
        consumer-protection liability (FTC Guides on Warranties, 16 CFR 239).

    Example:
        "Guaranteed to keep you dry" is flagged at "Guaranteed".

    Use instead:
        State the actual terms ("backed by our 2-year warranty, see terms") and list the claim as substantiated.
    """

    code = "BR202"
    name = "unsubstantiated-guarantee"
    claim_kind = "guarantee"
