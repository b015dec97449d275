"""BR203 health-claim."""

from __future__ import annotations

from brandrail.content.claims import ClaimRule
from brandrail.registry import register


@register
class HealthClaim(ClaimRule):
    """A health or medical claim.

    What it flags:
        Health and medical language ("cures", "clinically proven", "boosts immunity", "relieves pain",
        "weight loss", "treats" of a condition: "treats eczema") from the built-in list and
        `claims.health.terms`, unless substantiated, qualified or negated ("does not cure"; the supplement
        disclaimer "not intended to diagnose, treat, cure or prevent any disease" denies every verb of its
        list). Relieving, soothing, clearing or healing a condition ("soothes eczema", "relieves anxiety"),
        lowering a risk factor ("lowers cholesterol", "reduces the risk of stroke") and killing germs
        ("kills 99.9% of viruses") are health claims too, as are improving a body function ("supports
        restful sleep", "aids digestion") or raising a brain or body function, with "clinically" or without
        ("sharpens concentration", "boosts alertness and mood", "raises your IQ", "boosts testosterone",
        "sharper focus", "unlock your brain's potential"; not "sharpen your skills", "boost productivity",
        "the concentration of the dye"), preventing a condition ("prevents bloating") or no longer setting it off ("damp no longer triggers
        your asthma"; not "strong smells can trigger headaches"), burning fat, an endorsement by health professionals
        ("recommended by 9 out of 10 dentists", "doctor-formulated"), protecting or shielding against a
        disease named with its organ ("protects against skin cancer", "shields your cat from kidney
        problems"), a condition of a body part or of someone's ("reduces joint inflammation", "eases your
        dog's arthritis pain") and the wording of authorised claims
        ("contributes to the normal function of the immune system": it needs its authorisation). "Treats" of anything else ("treats every order with
        care", "dog treats") is not, nor is a condition word about something else ("eases the pain of
        moving house").

    Why it matters:
        Health claims need competent and reliable scientific evidence (FTC Health Products Compliance Guidance;
        EU Regulation 1924/2006 for foods) and can turn a product into an unapproved medical device or drug.

    Example:
        "Our merino base layer relieves pain" is flagged at "relieves pain".

    Use instead:
        Describe the product, not a health outcome ("soft merino that stays comfortable all day").
    """

    code = "BR203"
    name = "health-claim"
    claim_kind = "health"
