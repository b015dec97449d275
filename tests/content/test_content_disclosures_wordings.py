"""Disclosures in other wordings and languages, negated disclosures, subjects posing as notices and named
(not used) terms: the fixes made on the development half of tests/data/disclosures_fresh, one behaviour each,
plus floors on that set measured after them."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest
from content_testlib import content_policy

from bench_testlib import load_bench
from brandrail.engine import check_text
from brandrail.policy import Policy

POLICY = content_policy(
    {
        "brand": {
            "name": "Kestrelmoor Coffee",
            "postal_address": "Kestrelmoor Coffee Ltd, 8 Wharf Road, Bristol",
        },
        "disclosures": {"ai_label": {"required": True, "assume_generated": True}},
        "channels": {"sms": {"kind": "sms"}, "email": {"kind": "email"}, "social": {"kind": "social"}},
    }
)
ADDRESS = "\n\nKestrelmoor Coffee Ltd, 8 Wharf Road, Bristol"


def codes(text: str, channel: str, policy: Policy = POLICY, **meta: Any) -> list[str]:
    return [f.code for f in check_text(text, policy, channel=channel, metadata=meta or None).findings]


# -- BR302: labels in German, French and Spanish; "Ad | …"; a denied label -----------------------------------


@pytest.mark.parametrize(
    "post",
    [
        "Anzeige | Mein Morgenkaffee von @kestrelmoor",
        "Werbung: Mein liebster Espresso von @kestrelmoor",
        "Publicité | Mon café du matin avec @kestrelmoor",
        "Collaboration commerciale avec @kestrelmoor : ma routine",
        "#publi Mi espresso favorito de @kestrelmoor",
        "Colaboración pagada con Kestrelmoor Coffee: mi rutina",
        "Ad | My new favourite espresso is from @kestrelmoor",
        "ad · my Sunday brew with @kestrelmoor beans",
        "Thanks @kestrelmoor for sponsoring this video! My top 3 brews",
    ],
)
def test_a_sponsored_label_in_another_wording_or_language_counts(post: str) -> None:
    assert "BR302" not in codes(post, "social", sponsored=True)


@pytest.mark.parametrize(
    "post",
    [
        "Use my code MIA15 for 15% off! This is not an ad, I just love them",
        "Not an ad, just a PSA: @kestrelmoor beans are that good",
        "Ad-free mornings with @kestrelmoor beans and a good book",
        "#AdventureAwaits with @kestrelmoor on the trail this weekend",
    ],
)
def test_a_denied_label_or_a_word_starting_with_ad_is_no_label(post: str) -> None:
    assert "BR302" in codes(post, "social", sponsored=True)


# -- BR303: AI labels in other wordings and languages; a denied label --------------------------------------


@pytest.mark.parametrize(
    "reply",
    [
        "KI-generiert: Fünf Brühmethoden für zu Hause.",
        "Réponse générée par IA : votre commande part lundi.",
        "Texto generado con IA: cinco formas de preparar café.",
        "Caption written with the help of AI. Five ways to brew.",
        "Hi! I'm Kestrelmoor's AI assistant. Your order ships Monday.",
    ],
)
def test_an_ai_label_in_another_wording_or_language_counts(reply: str) -> None:
    assert "BR303" not in codes(reply, "social")


def test_a_denied_ai_label_is_no_label() -> None:
    assert "BR303" in codes("This reply is not AI-generated. Your order ships on Monday.", "social")
    assert "BR303" not in codes("This reply is AI-generated. Your order ships on Monday.", "social")


# -- BR304: opt-outs in German, French and Spanish; a denied opt-out ----------------------------------------


@pytest.mark.parametrize(
    "sms",
    [
        "Kestrelmoor: Neue Röstung ist da! Abmelden: STOPP an 81234",
        "Kestrelmoor: 15 % Rabatt bis Sonntag. Antworte STOP zum Abmelden.",
        "Kestrelmoor : -15 % ce week-end. STOP au 36180",
        "Kestrelmoor : nouvelle torréfaction disponible. Stop SMS : 36180",
        "Kestrelmoor : répondez STOP pour ne plus recevoir nos SMS.",
        "Kestrelmoor: 15% de descuento. Responde BAJA para no recibir más SMS.",
        "Kestrelmoor: nuevo tueste. Envía STOP al 21234 para darte de baja.",
    ],
)
def test_an_opt_out_in_another_language_counts(sms: str) -> None:
    assert "BR304" not in codes(sms, "sms")


@pytest.mark.parametrize(
    "sms",
    [
        "Kestrelmoor: this is not a marketing text, so no need to reply STOP. 25% off beans today!",
        "Kestrelmoor: 15 % Rabatt bis Sonntag.",
        "Kestrelmoor: la baja temporada llega, 10% de descuento.",
    ],
)
def test_a_denied_or_absent_opt_out_is_flagged(sms: str) -> None:
    assert "BR304" in codes(sms, "sms")


# -- BR306: unsubscribe wordings in other languages; a denied one -------------------------------------------


@pytest.mark.parametrize(
    "footer",
    [
        "Update your email settings: kestrelmoor.example/settings",
        "Don't want these emails? Stop receiving them here: kestrelmoor.example/e",
        "Newsletter abbestellen: kestrelmoor.example/abmelden",
        "Se désabonner : kestrelmoor.example/desabonnement",
        "Désabonnez-vous ici : kestrelmoor.example/d",
        "Si no quieres recibir más correos, date de baja aquí: kestrelmoor.example/baja",
    ],
)
def test_an_unsubscribe_wording_in_another_language_counts(footer: str) -> None:
    assert "BR306" not in codes(f"New beans are in.\n\n{footer}{ADDRESS}", "email")


def test_a_denied_unsubscribe_is_no_way_out() -> None:
    text = "25% off grinders. Note: you can't unsubscribe from order notices." + ADDRESS
    assert "BR306" in codes(text, "email")
    assert "BR306" not in codes("25% off grinders. Unsubscribe: kestrelmoor.example/u" + ADDRESS, "email")


# -- BR308: a subject posing as a transactional notice on a marketing e-mail --------------------------------

FOOTER = "\n\nUnsubscribe: kestrelmoor.example/u" + ADDRESS


@pytest.mark.parametrize(
    "subject",
    [
        "Your order has shipped",
        "Invoice #48213 attached",
        "Payment failed - update your card",
        "Action required: your account will be closed",
        "Reset your password",
    ],
)
def test_a_marketing_subject_posing_as_a_notice_is_deceptive(subject: str) -> None:
    assert "BR308" in codes("Our winter blend is 10% off." + FOOTER, "email", subject=subject)
    assert "BR308" not in codes(
        "Order 48213 left our roastery today.", "email", subject=subject, marketing=False
    )


@pytest.mark.parametrize(
    "subject",
    ["Your next order ships free", "Reminder: cupping night on Thursday", "Invoicing made simple for cafés"],
)
def test_an_honest_marketing_subject_is_not_deceptive(subject: str) -> None:
    assert "BR308" not in codes("Our winter blend is 10% off." + FOOTER, "email", subject=subject)


def test_the_notice_patterns_can_be_turned_off() -> None:
    policy = content_policy(
        {
            "brand": {"postal_address": "Kestrelmoor Coffee Ltd, 8 Wharf Road, Bristol"},
            "disclosures": {"email": {"deceptive_subject_notices": []}},
            "channels": {"email": {"kind": "email"}},
        }
    )
    text = "Our winter blend is 10% off." + FOOTER
    assert "BR308" not in codes(text, "email", policy, subject="Your order has shipped")
    assert "BR308" in codes(text, "email", policy, subject="RE: Your order has shipped")


# -- BR601: a term named, not used ---------------------------------------------------------------------------


def test_a_term_quoted_after_the_word_is_named_not_used() -> None:
    assert "BR601" not in codes(
        "We've retired the word 'blacklist' from our docs: it's a blocklist now.", "social"
    )
    assert "BR601" not in codes('Words like "whitelist" are gone from our docs.', "social")
    assert "BR601" in codes("Whitelist our address so our emails never land in spam.", "social")
    assert "BR601" in codes('Add us to your "whitelist" today.', "social")


# -- floors on the fresh set, measured after the fixes --------------------------------------------------------


def _bench() -> ModuleType:
    return load_bench("bench_content_disclosures")


def test_the_development_half_stays_above_its_measured_floor() -> None:
    bench = _bench()
    items = bench.load("dev")
    tp, fp, fn = bench.micro(bench.score(items, bench.fired(items), bench.CODES))
    assert tp / (tp + fp) >= 0.95  # measured 0.98 after the fixes (0.62 before)
    assert tp / (tp + fn) >= 0.95  # measured 0.97 (0.89 before)


def test_the_held_out_half_stays_above_its_measured_floor() -> None:
    """Measured once after the fixes (tests/data/disclosures_fresh/README.md); never read for tuning."""
    bench = _bench()
    items = bench.load("heldout")
    tp, fp, fn = bench.micro(bench.score(items, bench.fired(items), bench.CODES))
    assert tp / (tp + fp) >= 0.90  # measured 0.94 (0.67 before the fixes)
    assert tp / (tp + fn) >= 0.85  # measured 0.89 (0.86 before)
