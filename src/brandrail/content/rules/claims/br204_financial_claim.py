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
        money: "turn £100 into £10,000", "10x your portfolio", "worth 50 times more"; a promised salary:
        "land a £55k developer job"; investment and income hype: "to the moon", "about to explode", "the
        next Bitcoin", "millionaires by Christmas", "generational wealth", "financially free", "quit your
        day job"; a crypto yield: "18% APY staking rewards", "earn 12% APY", "earn 9% a year on your
        stake"; money without work: "make money while you sleep"; "guaranteed daily profits"; money spent
        earned back: "students earn back their fees in a month") from the built-in list and
        `claims.financial.terms`, unless substantiated, qualified or denied ("no app can make you rich").
        A rate in its regulated form ("3.1% AER", "earn 4.5% AER"), cashback ("earn 5% back"), "no
        guaranteed returns", a return rate of orders, "10x faster" and "to the moon
        and back" are not promises of returns.

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
