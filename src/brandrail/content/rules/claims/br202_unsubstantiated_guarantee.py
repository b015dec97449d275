"""BR202 unsubstantiated-guarantee."""

from __future__ import annotations

from brandrail.content.claims import ClaimRule
from brandrail.registry import register


@register
class UnsubstantiatedGuarantee(ClaimRule):
    """A guarantee or absolute-assurance claim without backing.

    What it flags:
        Guarantee language ("guaranteed", "risk-free", "100%", "money-back", "lifetime warranty") from the
        built-in list and `claims.guarantee.terms`, unless substantiated or qualified in the same sentence
        (e.g. a qualifier "see warranty terms").

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
