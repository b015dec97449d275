"""Fourth-round disclosure readings (rt-cl4), one behaviour each, on a brand other than the labelled sets':
a required disclosure written as a sentence ("No purchase is necessary") rather than as the accepted
headline wording, a denial after a longer complement, reported questions, bracketed labels, a possessive
sender, unsubscribe wordings, subjects posing as a balance or a cancellation, and German, French and Spanish
inclusive terms. The labelled parts are tests/data/disclosures_fresh/fresh5.yaml (test_content_fresh5_pins)."""

from __future__ import annotations

from typing import Any

import pytest
from content_testlib import content_policy

from brandrail.engine import check_text
from brandrail.policy import Policy

POLICY = content_policy(
    {
        "brand": {
            "name": "Harrowgate Teas",
            "postal_address": "Harrowgate Teas Ltd, 3 Mill Lane, Leeds LS1 1AA",
        },
        "disclosures": {
            "required": [
                {
                    "id": "draw",
                    "text": "No purchase necessary. 18+ only.",
                    "accept": ["no purchase necessary"],
                    "when": {"terms": ["prize draw", "sweepstake"]},
                },
                {
                    "id": "credit",
                    "text": "Credit subject to status.",
                    "accept": ["credit subject to status"],
                    "when": {"terms": ["buy now pay later", "pay in three"]},
                },
            ],
            "ai_label": {"required": True, "channels": ["chat"]},
        },
        "channels": {
            "sms": {"kind": "sms"},
            "email": {"kind": "email"},
            "social": {"kind": "social"},
            "chat": {"kind": "chat"},
            "web": {"kind": "web"},
        },
    }
)
FOOTER = "\n\nUnsubscribe: harrowgate.example/u\nHarrowgate Teas Ltd, 3 Mill Lane, Leeds LS1 1AA"


def codes(text: str, channel: str, policy: Policy = POLICY, **meta: Any) -> list[str]:
    return [f.code for f in check_text(text, policy, channel=channel, metadata=meta or None).findings]


# -- BR301: the accepted wording as a sentence -----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Our summer sweepstake has closed. Thanks for entering! No purchase was necessary.",
        "Enter the prize draw in the app. No purchase is necessary.",
        "Pay in three on every teapot. Credit is subject to status.",
    ],
)
def test_the_accepted_wording_written_as_a_sentence_counts(text: str) -> None:
    assert "BR301" not in codes(text, "web")


@pytest.mark.parametrize(
    "text",
    [
        "Enter the prize draw in the app. A purchase is necessary.",
        "Enter the prize draw in the app. Purchase necessary for entry.",
        "Pay in three on every teapot. Credit checks apply.",
    ],
)
def test_other_sentences_are_not_the_accepted_wording(text: str) -> None:
    assert "BR301" in codes(text, "web")


# -- BR301: a denial after a longer complement -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Pay in three on our loose-leaf tins, gift hampers and tasting sets is not available.",
        "Buy now pay later for orders to Ireland, Jersey and Guernsey isn't possible yet.",
    ],
)
def test_a_denial_after_a_list_of_things_needs_no_disclosure(text: str) -> None:
    assert "BR301" not in codes(text, "web")


@pytest.mark.parametrize(
    "text",
    [
        "Pay in three on our loose-leaf tins and hampers is no longer available only in store: shop online too.",
        "Pay in three on our tins, and delivery to Ireland is not available.",
        "Pay in three on our tins because next-day delivery is not available.",
    ],
)
def test_a_denial_of_something_else_or_only_of_a_place_still_triggers(text: str) -> None:
    assert "BR301" in codes(text, "web")


# -- BR303: a reported question is no self-description --------------------------------------------------


def test_a_reported_question_is_no_label() -> None:
    assert "BR303" in codes(
        "You wondered if I'm a chatbot. Our Darjeeling is back!", "chat", ai_generated=True
    )
    assert "BR303" in codes(
        "Tu demandes si je suis un robot ? Le Darjeeling est de retour.", "chat", ai_generated=True
    )


def test_an_answer_after_the_reported_question_is_a_label() -> None:
    text = "You asked if I'm a bot: yes, I'm Harrowgate's virtual assistant. Our Darjeeling is back!"
    assert "BR303" not in codes(text, "chat", ai_generated=True)


# -- BR302: a label alone in brackets or before a bar at the start -----------------------------------------


@pytest.mark.parametrize(
    "post",
    [
        "[Ad] my Sunday pot of @harrowgate Assam",
        "(Werbung) Mein Tee von @harrowgate",
        "Sponsored | my Sunday pot of @harrowgate Assam",
    ],
)
def test_a_bracketed_or_barred_label_at_the_start_counts(post: str) -> None:
    assert "BR302" not in codes(post, "social", sponsored=True)


@pytest.mark.parametrize(
    "post", ["[Adorable] pot of @harrowgate Assam", "(Adding) @harrowgate Assam to my shelf"]
)
def test_a_word_that_starts_with_ad_in_brackets_is_no_label(post: str) -> None:
    assert "BR302" in codes(post, "social", sponsored=True)


# -- BR305: the brand with a possessive s -------------------------------------------------------------------


def test_the_brand_with_a_possessive_s_names_the_sender() -> None:
    assert "BR305" not in codes("Harrowgates Wochenangebot: 2 Dosen für 12 €. STOPP an 81234", "sms")
    assert "BR305" in codes("Harrogate weekend deal: 2 tins for £12. Reply STOP to opt out", "sms")


# -- BR306: Spanish unsubscribe wordings ----------------------------------------------------------------------


def test_spanish_unsubscribe_wordings() -> None:
    body = "Llegó el Assam.\n\n¿No quieres más correos? Anula tu suscripción: harrowgate.example/baja"
    assert "BR306" not in codes(body + "\nHarrowgate Teas Ltd, 3 Mill Lane, Leeds LS1 1AA", "email")
    assert "BR306" in codes(
        "Llegó el Assam. Cancela tu pedido antes del envío.\n\nHarrowgate Teas Ltd, 3 Mill Lane, "
        "Leeds LS1 1AA",
        "email",
    )


# -- BR308: unpaid balances and ending subscriptions ----------------------------------------------------------


@pytest.mark.parametrize(
    "subject",
    [
        "Outstanding balance: please pay today",
        "Your plan will be terminated",
        "Ihr Vertrag wird gekündigt",
        "Facture impayée",
        "Tu abono será cancelado",
    ],
)
def test_a_promotional_subject_posing_as_a_balance_or_cancellation_is_flagged(subject: str) -> None:
    assert "BR308" in codes("Our new Assam is in." + FOOTER, "email", subject=subject)


@pytest.mark.parametrize(
    "subject",
    [
        "Balance your day with green tea",
        "Final call: summer teas",
        "Le montant du panier offert",
        "Saldo final",
    ],
)
def test_look_alike_subjects_are_clean(subject: str) -> None:
    assert "BR308" not in codes("Our new Assam is in." + FOOTER, "email", subject=subject)


def test_the_same_subject_on_service_mail_is_clean() -> None:
    assert "BR308" not in codes(
        "Your balance of £12 is due." + FOOTER, "email", subject="Outstanding balance", marketing=False
    )


# -- BR601: German, French and Spanish terms -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Barrierefreier Eingang für Behinderte.",
        "Entrée accessible aux handicapés.",
        "Entrada para minusválidos.",
        "Des prix de fou? Non: un truc de fou!",
        "Precios de locos en té verde.",
    ],
)
def test_dated_or_ableist_terms_in_other_languages(text: str) -> None:
    assert "BR601" in codes(text, "web")


@pytest.mark.parametrize(
    "text",
    [
        "Barrierefreier Eingang für Menschen mit Behinderung.",
        "Der Stau behinderte die Lieferung.",
        "Die behinderten Kinder der Schule besuchten uns.",
        "Entrée accessible aux personnes handicapées.",
        "Entrada para personas con discapacidad.",
        "Tu pedido está retrasado por la nieve.",
    ],
)
def test_accepted_forms_and_other_senses_are_clean(text: str) -> None:
    assert "BR601" not in codes(text, "web")
