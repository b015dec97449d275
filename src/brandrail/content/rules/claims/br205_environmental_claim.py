"""BR205 environmental-claim."""

from __future__ import annotations

from brandrail.content.claims import ClaimRule
from brandrail.registry import register


@register
class EnvironmentalClaim(ClaimRule):
    """An environmental claim without substantiation.

    What it flags:
        Green claims ("eco-friendly", "carbon neutral", "sustainable", "biodegradable", "net zero", "green
        energy", "good for the environment", "low carbon", "greenest") from
        the built-in list and `claims.environmental.terms`, unless a `claims.substantiated` entry covers it
        or a qualifier (e.g. the certification) stands in the same sentence.

    Why it matters:
        Generic environmental claims are banned unless substantiated (EU Directive 2024/825 amending the UCPD;
        the proposed Green Claims Directive; FTC Green Guides, 16 CFR 260; UK CMA Green Claims Code).

    Example:
        "Our eco-friendly jacket" is flagged at "eco-friendly".

    Use instead:
        A specific, verifiable statement ("shell made from 80% recycled polyester, GRS certified").
    """

    code = "BR205"
    name = "environmental-claim"
    claim_kind = "environmental"
