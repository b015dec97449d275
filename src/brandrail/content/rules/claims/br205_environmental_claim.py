"""BR205 environmental-claim."""

from __future__ import annotations

from brandrail.content.claims import ClaimRule
from brandrail.registry import register


@register
class EnvironmentalClaim(ClaimRule):
    """An environmental claim without substantiation.

    What it flags:
        Green claims ("eco-friendly", "carbon neutral", "sustainable", "biodegradable", "net zero", "green
        energy", "good for the environment", "low carbon", "greenest"; a smaller impact left unquantified:
        "made with a lower environmental impact", "a smaller carbon footprint", "less impact on the planet",
        "lower-carbon colour"; not "a 20% lower carbon footprint than the 2023 range";
        "for a greener planet") from
        the built-in list and `claims.environmental.terms`, unless a `claims.substantiated` entry covers it
        or a qualifier stands in the same sentence. A claim with its standard or certification named in the
        same sentence, where the reader sees it, is specific, not generic ("certified compostable to EN
        13432", "carbon neutral, certified to PAS 2060 by the Carbon Trust", "GRS certified", "recyclable
        where facilities exist", "100% renewable electricity backed by REGO certificates"); a bare "certified" or "certified by us" backs nothing.

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
