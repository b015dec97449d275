"""Offers the message says are not made (BR301), agents that say what they are and labels in hashtags (BR303),
and reply counters in subjects (BR308): the general causes behind the third held-out disclosure set's errors,
tested on wordings, brands and terms of their own, with look-alikes that must keep the finding."""

from __future__ import annotations

from typing import Any

import pytest
from content_testlib import content_policy

from bench_testlib import load_bench
from brandrail.engine import check_text
from brandrail.policy import Policy

POLICY = content_policy(
    {
        "brand": {"name": "Ollerby Bikes", "postal_address": "Ollerby Bikes Ltd, 14 Quay Street, Hull HU1 1AA"},
        "disclosures": {
            "ai_label": {"required": True, "channels": ["chat", "social"], "assume_generated": False},
            "required": [
                {
                    "id": "credit",
                    "text": "Finance subject to status.",
                    "accept": ["finance subject to status"],
                    "when": {
                        "terms": [
                            "buy now pay later", "0% finance", "trade-in bonus", "Ratenkauf", "Gutscheinaktion",
                            "paiement différé", "loterie", "financiación", "rifa", "competition",
                        ]
                    },
                }
            ],
        },
        "channels": {
            "chat": {"kind": "chat"}, "social": {"kind": "social"}, "email": {"kind": "email"}, "web": {"kind": "web"}
        },
    }
)  # fmt: skip


def codes(text: str, channel: str = "web", policy: Policy = POLICY, **meta: Any) -> list[str]:
    return [f.code for f in check_text(text, policy, channel=channel, metadata=meta or None).findings]


# -- BR301: an offer the sentence withdraws, excludes or says there will not be ------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # a predicate after the term that denies it, a few words on
        "Buy now pay later is no longer offered on e-bikes; the Fell frame is £899.",
        "0% finance on the Ridge gravel bike has been discontinued.",
        "Our trade-in bonus was withdrawn in March.",
        "Buy now pay later isn't currently available on helmets.",
        "The competition is over, thanks to everyone who rode with us.",
        # "there won't be", "we won't be running", "no more"
        "There will not be a competition at the Hull ride-out this year.",
        "There isn't any 0% finance on clearance frames.",
        "We won't be holding a competition at the show, but come for a test ride.",
        "No more trade-in bonus from June: book your service as usual.",
        # German, French, Spanish predicates and quantifiers
        "Der Ratenkauf wurde für Zubehör leider eingestellt.",
        "Die Gutscheinaktion entfällt in diesem Sommer.",
        "Schluss mit der Gutscheinaktion: jedes Rad kommt mit Schloss.",
        "Ratenkauf ist bei reduzierten Rädern ausgeschlossen.",
        "Le paiement différé est désormais exclu des promotions.",
        "La loterie a été annulée, désolés.",
        "Fini la loterie : un bidon offert avec chaque vélo.",
        "La financiación queda excluida en las bicis de segunda mano.",
        "Esta semana nada de rifas: te regalamos un casco con cada bici.",
    ],
)
def test_a_trigger_term_the_sentence_withdraws_requires_no_disclosure(text: str) -> None:
    assert "BR301" not in codes(text)


@pytest.mark.parametrize(
    "text",
    [
        # still offered: a restriction lifted, a negated exclusion, another thing unavailable, no denial
        "Buy now pay later is no longer available only in store: apply online too.",
        "Buy now pay later isn't just available on e-bikes, it's on every frame.",
        "0% finance is not excluded on sale bikes.",
        "Use buy now pay later as cash is no longer accepted at the workshop.",
        "0% finance is now available on every gravel bike.",
        "There won't be a better time to enter our competition!",
        "Don't miss our competition this Friday.",
        "Der Ratenkauf ist bei reduzierten Rädern nicht ausgeschlossen.",
        "Le paiement différé n'est pas exclu des promotions.",
        "La financiación no queda excluida en las bicis de segunda mano.",
        "No te pierdas nada de la rifa del viernes.",
    ],
)
def test_an_offer_still_made_requires_the_disclosure(text: str) -> None:
    assert "BR301" in codes(text)


# -- BR308: a reply or forward counter between the prefix and its colon ---------------------------------------

BODY = "Spring service week: book a tune-up for £35.\n\nUnsubscribe: ollerby.example/unsub\n" + (
    "Ollerby Bikes Ltd, 14 Quay Street, Hull HU1 1AA"
)


@pytest.mark.parametrize("subject", ["RE[3]: your tune-up", "Fwd(2): spring service", "Re^4: the gravel ride",
                                     "AW[2]: Frühjahrsinspektion", "re [12] : tune-up week"])  # fmt: skip
def test_a_prefix_with_a_reply_counter_fakes_a_conversation(subject: str) -> None:
    findings = check_text(BODY, POLICY, channel="email", metadata={"subject": subject}).findings
    br308 = [f for f in findings if f.code == "BR308"]
    assert br308 and br308[0].evidence["subject"] == subject


@pytest.mark.parametrize(
    "subject", ["Re(al) deals on gravel bikes", "Retro[2]: classic frames", "Review [3]: the Fell"]
)
def test_a_word_that_starts_like_a_prefix_is_no_counter(subject: str) -> None:
    assert "BR308" not in codes(BODY, "email", subject=subject)


# -- BR303: an agent that says what it is, between a frame and an open noun phrase; a label in a hashtag ------


@pytest.mark.parametrize(
    "reply",
    [
        "Automated reply from Ollerby's support bot: your order is packed.",
        "A message from the Ollerby helpdesk bot: your bike ships today.",
        "Hello! I'm an AI helper, and I'll pass this to a mechanic.",
        "I'm an AI, so a colleague will confirm the refund.",
        "I'm an AI trained on our service manuals; a mechanic checks every quote.",
        "I'm the Ollerby chatbot! Your bike ships tomorrow.",
        "I'm the workshop chatbot. Your bike ships tomorrow.",
        "I'm Ollerby's virtual assistant Juno. Your bike ships tomorrow.",
        "I'm an AI-powered assistant for Ollerby: ask me about sizes.",
        "Je suis un logiciel conversationnel : un conseiller vous répondra.",
        "Soy un programa automático: un asesor te escribirá mañana.",
    ],
)
def test_an_agent_saying_what_it_is_labels_the_reply(reply: str) -> None:
    assert "BR303" not in codes(reply, "chat", ai_generated=True)


@pytest.mark.parametrize(
    "reply",
    [
        "I'm not an AI, I'm Sam from the workshop.",
        "Our AI helper will not reply on weekends, so write to Sam.",
        "I'm an AI researcher and I love your bikes.",
        "I'm a chatbot developer at Ollerby.",
        "This is the best chatbot on the market, says Sam.",
        "Good question: 'are you AI?' comes up a lot. We open at 8.",
        "Meet GearBot, the AI in our app that sizes your frame.",
    ],
)
def test_a_denial_or_another_ai_named_is_no_label(reply: str) -> None:
    assert "BR303" in codes(reply, "chat", ai_generated=True)


@pytest.mark.parametrize(
    "post",
    ["#MadeWithAI Five gravel routes around Hull.", "Five gravel routes around Hull #AI_generated",
     "#aiassisted: five gravel routes", "#KIgeneriert Fünf Schotterrouten rund um Hull."],
)  # fmt: skip
def test_a_label_run_together_in_a_hashtag_counts(post: str) -> None:
    assert "BR303" not in codes(post, "social", ai_generated=True)


@pytest.mark.parametrize(
    "post",
    ["#AIgeneratedArt contest: five gravel routes.", "#notAIgenerated five gravel routes.",
     "Five gravel routes #AI", "Five gravel routes AIgenerated", "Five gravel routes #\u0410Igenerated"],
)  # fmt: skip
def test_a_longer_tag_a_bare_word_or_a_disguised_tag_is_no_label(post: str) -> None:
    assert "BR303" in codes(post, "social", ai_generated=True)


# -- a floor on the third held-out part, which these fixes were made after reading (development data now) ----


def test_the_third_part_stays_above_its_floor_after_the_fixes() -> None:
    """Measured once held out: precision 0.88, recall 0.99; 1.00 and 1.00 after these fixes, which were made
    after reading its errors, so this is a floor on development data, not a held-out figure."""
    bench = load_bench("bench_content_disclosures")
    items = bench.load("heldout3")
    tp, fp, fn = bench.micro(bench.score(items, bench.fired(items, bench.POLICIES["heldout3"]), bench.CODES))
    assert tp / (tp + fp) >= 0.97
    assert tp / (tp + fn) >= 0.97
