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
        one of `claims.superlative.qualifiers` stands in the same sentence. Also a superlative with a market
        or all-time scope ("Europe's quietest", "the most reliable network in Britain", "the softest towel
        you'll ever own"), a comparison with every rival ("faster than any other") and a denied comparison
        ("you can't beat our prices", "you won't find a better deal"); not "the latest", "the nearest".
        An absolute of reliability or security is a superlative too ("never drops a call", "never goes
        down", "unhackable", "impossible to breach", "can't be cracked", "zero downtime"), and so is a
        place's or a year's best ("Kendal's finest", "the most addictive game of 2025"). A superlative of
        the outcome promised to the customer is a claim about the product ("our coaching makes you one of
        the best players", "become the fastest runner in your club", "the smoothest skin of your life"), and
        so is an absolute record ("we've never had a single unhappy customer"). So are a market segment's
        best ("the safest car in its class"; a source named beside it, "Euro NCAP 2024", is no
        substantiation: list it in `claims.substantiated`), "of any" ("the highest pass rate of any law
        school"), "ever made", "nobody … better than we do", a sales superlative ("our bestselling
        cleanser", and a popularity one: "our most popular finish", not "our most popular questions") and "never
        miss a deadline again"; superlatives in a row share one scope ("the richest, deepest navy you'll ever
        put on a wall"), and "the only varnish you'll ever need", "the toughest oil you can buy", "no masonry
        paint lasts longer than ours" and "never gets a colour wrong" are absolutes too. Not a claim: a superlative
        inside a capitalised name that something around it shows to be one — a place word ("stay at the Best
        Western Harrogate"), a name's head ("the World's Strongest Man final", "Best in Show"), a noun a
        brand takes ("Best Buy vouchers", "a Best Buy gift card") or a title's opening ("'The Greatest
        Gift'"), though a capital letter alone makes no name and a title-case heading is not running text;
        a question about it ("Which plan is best for you?", "Who's the fastest in the club?"; not "Who else
        …?"), a yes-no question about the reader's thing or someone else's ("Is your antivirus the best it
        can be?", "Is the new Velora really the best EV?"; not about the brand's own: "Is this the best
        coffee ever?"), a game's adversary or challenge ("unbeatable bosses", "the toughest level", "the
        fastest route through level 3"), a group's "number one tip", a person's own best ("feel your best", "be your best self"), "never lose hope".

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
