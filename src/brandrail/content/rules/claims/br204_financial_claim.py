"""BR204 financial-claim."""

from __future__ import annotations

from brandrail.content.claims import ClaimRule
from brandrail.registry import register


@register
class FinancialClaim(ClaimRule):
    """A financial promise: income, returns or credit.

    What it flags:
        Financial-promise language ("get rich", "guaranteed returns", "double your money", "no credit check",
        percentage returns: "8% returns", "returns of up to 12%"; pre-approval, payback promises; multiplying
        money: "turn £100 into £10,000"; a promised salary: "land a £60k job") from the
        built-in list and `claims.financial.terms`, unless substantiated or qualified. A rate in its
        regulated form ("3.1% AER") or a return rate of orders is not a promise of returns.

    Why it matters:
        Earnings and investment claims are among the most prosecuted deceptive claims (FTC Earnings Claims
        Rule, 16 CFR 465; UK FCA financial promotions regime).

    Example:
        "Join our affiliate scheme and double your money" is flagged at "double your money".

    Use instead:
        Typical, documented figures with their basis, or no financial promise at all.
    """

    code = "BR204"
    name = "financial-claim"
    claim_kind = "financial"
