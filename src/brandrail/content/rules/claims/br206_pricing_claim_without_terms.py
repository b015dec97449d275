"""BR206 pricing-claim-without-terms."""

from __future__ import annotations

from collections.abc import Iterator

from brandrail.content.claims import claim_hits, seen_positions
from brandrail.content.common import PhraseSet, meta_flag
from brandrail.content.fixes import append_fix
from brandrail.findings import Finding, Severity
from brandrail.policy import Policy
from brandrail.registry import Rule, register
from brandrail.text.document import Document


@register
class PricingClaimWithoutTerms(Rule):
    """A pricing claim in a message that does not point to the offer's terms.

    What it flags:
        The first pricing claim ("free", "50% off", "was £120, now £80", "lowest price", "today only", "this
        weekend only", "sale ends Sunday", "our offers, ending Sunday night", "£0 delivery", "on the house", "unbeatable
        prices", "unbeatable value", "double points", "save up
        to £300", "no hidden fees") from
        the built-in list, `claims.pricing.terms`, the built-in patterns and the brand's own
        `claims.pricing.patterns` (e.g. `'\\$\\d+ off'`, `'save \\d+%'`), when none of `claims.pricing.required`
        ("terms apply", "T&Cs apply", "Ts&Cs apply", "see terms", "full T&Cs"...) appears anywhere in the
        message where the reader sees it (in HTML, not hidden by CSS, too small, the colour of its
        background, in alt text or in a comment). Substantiated or qualified pricing claims are not counted; "don't miss …", "don't wait" urge, they
        deny no offer. In plain text, Markdown emphasis at a word's edges ("**Free delivery**", "_Terms
        apply._") is read through. "Free" that offers nothing is
        not a claim: of a person's time ("Got a free afternoon?"), a verb ("free up", "break free"), "-free", "free of" and "free from"
        meaning without ("sugar-free", "free of fragrance", "free from added sugar"; "free of charge", "free
        from Monday" and "free from our kitchen to your door" still offer) or glued to the word it describes ("free-range", "free-standing"; "free-of-charge"
        and "free-to-play" are still offers). A price comparison is a pricing claim: "cheaper than …", "pay
        less than …", "half the cost of …", and a sentence that names a `terms.competitors` entry and talks
        about prices ("Skylink charges for every extra user; we don't"); so are money off ("£2,000 off"),
        "0% APR", money less ("pay £50 less") and waived fees ("no booking fees", "pay no joining fee", "never
        pay delivery charges"). A price word inside a
        capitalised name is no offer ("America's Best Value Inn"; see BR201 for how a name is told), nor is
        "financially free" (a financial promise, BR204). The evidence lists every pricing claim found.

    Why it matters:
        Price and offer claims mislead when material conditions are hidden (FTC Guides Against Deceptive
        Pricing, 16 CFR 233; UK CAP Code 3.17-3.22; EU Price Indication Directive as amended by the Omnibus
        Directive 2019/2161, Art. 6a on prior prices).

    Example:
        "Free delivery on every order!" is flagged at "Free delivery".

        With metadata `has_offer: true` a message without any recognised price phrase still needs the terms;
        with `has_offer: false` (a service message) price words are not an offer and nothing is flagged.

    Use instead:
        "Free delivery on orders over £50. Terms apply." The suggested fix appends the first `required`
        phrase; it is not applied automatically because the terms themselves must exist.
    """

    code = "BR206"
    name = "pricing-claim-without-terms"
    default_severity = Severity.ERROR

    def check(self, subject: Document, policy: Policy) -> Iterator[Finding]:
        doc = subject
        offer = meta_flag(doc, "has_offer")
        if offer is False:  # the sender says the message carries no offer: price words are not one
            return
        hits = [hit for hit, ok, _ in claim_hits(doc, policy, "pricing") if not ok]
        if not hits and not offer:
            return
        required = PhraseSet.cached(policy, self.code, lambda: policy.claims.pricing.required)
        if not required or seen_positions(doc, policy, required):
            return
        text = required.phrases[0]
        disclosure = text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
        if not hits:
            yield self.finding(
                f"the message carries an offer (metadata has_offer: true) but not its terms: add {disclosure!r} "
                "or another of claims.pricing.required",
                doc=doc,
                fix=append_fix(doc, disclosure, safe=False),
                evidence={
                    "claims": [],
                    "has_offer": True,
                    "required_any_of": list(policy.claims.pricing.required),
                },
            )
            return
        first = hits[0]
        disguised = required.disguised(doc)
        hidden = (
            f" (the terms are written with look-alike or styled letters, {disguised[0]!r}: a screen reader or a "
            "translation does not read them as the words)"
            if disguised
            else " (the terms in the markup are not seen by the reader)"
            if required.present(doc)
            else ""
        )
        yield self.finding(
            f"pricing claim {doc.text[first.start : first.end]!r} needs its terms: add {disclosure!r} "
            f"or another of claims.pricing.required{hidden}",
            doc=doc,
            start=first.start,
            end=first.end,
            fix=append_fix(doc, disclosure, safe=False),
            evidence={
                "claims": [doc.text[h.start : h.end] for h in hits],
                "required_any_of": list(policy.claims.pricing.required),
                **({"terms_disguised": disguised} if disguised else {"terms_hidden": True} if hidden else {}),
            },
        )
