"""Sixth-round causes (rt-fixcl) behind the misses and false alarms of claims_fresh4/heldout.yaml and
disclosures_fresh/heldout5.yaml, one test per cause, with wordings and a brand (a bakery and its café) other
than those sets' and than their development parts (claims_fresh4/fresh6.yaml, disclosures_fresh/fresh6.yaml)."""

from __future__ import annotations

from typing import Any

import pytest
from content_testlib import content_policy, found

from brandrail.engine import check_text
from brandrail.policy import Policy

# -- claims ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The flakiest croissant your kids will ever bite into.",
        "The softest sourdough a sandwich lover could wish for.",
        "The crustiest loaf anyone has ever baked.",
        "Lighter than Greggs, Pret or any other bakery bun.",
        "Sweeter than every other bakery in the county.",
    ],
)
def test_superlatives_scoped_to_the_customer_or_every_rival_are_claims(text: str) -> None:
    assert found(text, "BR201"), text


@pytest.mark.parametrize(
    "text",
    [
        "Leeds' coldest morning of the year, so the ovens went on early.",
        "The shortest night of the year: we open at five.",
        "Our rye loaf is heavier than the spelt one.",
        "Bring anything your kids could need for the party: we bake the cake.",
    ],
)
def test_superlatives_of_weather_or_time_and_plain_comparisons_are_not(text: str) -> None:
    assert not found(text, "BR201"), text


def test_an_absolute_record_is_a_claim() -> None:
    assert found("Never a single complaint about our bread, in thirty years.", "BR201")


@pytest.mark.parametrize(
    "text",
    [
        "Baker-approved? Better: dietitian-formulated to prevent liver disease.",
        "Our probiotic loaf strengthens your child's immune system.",
        "Eliminates 90% of the bacteria behind gut upsets.",
        "Protects children against tooth decay.",
    ],
)
def test_health_claims_in_other_words_are_claims(text: str) -> None:
    assert found(text, "BR203"), text


@pytest.mark.parametrize(
    "text",
    [
        "Our dietitian formulated every recipe to the FSA salt targets.",
        "Liver disease affects one in five adults; talk to your GP.",
    ],
)
def test_health_words_without_a_claim_are_not(text: str) -> None:
    assert not found(text, "BR203"), text


@pytest.mark.parametrize(
    "text",
    [
        "Family loaf: £2.10, was £2.80.",
        "Now £3, was £4.50: the cinnamon swirl.",
        "Party box originally £30, today £22.",
        "No delivery charges on cake orders this month.",
    ],
)
def test_price_claims_in_other_orders_are_claims(text: str) -> None:
    assert found(text, "BR206"), text


@pytest.mark.parametrize(
    "text",
    [
        "Every Friday we bake bread for the Leeds food bank for free.",
        "Our ovens cut gas use by up to 20% (measured by Carbon Trust).",
        "Bakery assistants earn £12.60 an hour, with a staff discount on every loaf.",
    ],
)
def test_free_for_a_charity_a_non_price_percentage_and_a_wage_are_not_price_claims(text: str) -> None:
    assert not found(text, "BR206"), text
    assert not found(text, "BR204"), text


def test_prices_cut_by_up_to_a_percentage_are_still_a_price_claim() -> None:
    assert found("Cake prices slashed by up to 40% this weekend.", "BR206")


def test_an_income_promise_with_extra_is_a_financial_claim() -> None:
    assert found("Bake from home and earn an extra £1,500 a month.", "BR204")


def test_plastic_free_of_a_named_part_is_not_a_green_claim() -> None:
    assert not found("Paper bag with a plastic-free window.", "BR205")
    assert found("Plastic-free bakes for a greener town.", "BR205")


def test_german_compounds_of_a_banned_term_in_short_german_copy() -> None:
    policy = content_policy({"terms": {"banned": [{"term": "billig"}]}})
    assert found("Billigbrot? Nein danke.", "BR101", policy)
    assert found("Kein Billigmehl, ehrlich gebacken.", "BR101", policy)
    assert not found("Mit Billigung der Bäckerin.", "BR101", policy)


# -- disclosures ----------------------------------------------------------------------------------------------

POLICY = content_policy(
    {
        "brand": {"name": "Oakhurst Bakery"},
        "disclosures": {
            "required": [
                {
                    "id": "draw",
                    "text": "No purchase necessary. 18+ only.",
                    "accept": ["no purchase necessary"],
                    "when": {"terms": ["giveaway", "prize draw", "Gewinnspiel", "jeu-concours", "sorteo"]},
                }
            ],
            "ai_label": {"required": True, "channels": ["social", "chat"]},
        },
        "channels": {"social": {"kind": "social"}, "chat": {"kind": "chat"}},
    }
)


def codes(text: str, channel: str, policy: Policy = POLICY, **meta: Any) -> list[str]:
    return [f.code for f in check_text(text, policy, channel=channel, metadata=meta or None).findings]


@pytest.mark.parametrize(
    "text",
    [
        "Our spring loaves are out. (Picture: AI-generated)",
        "Frühlingsbrote sind da. (Foto: KI-generiert)",
        "Les pains de printemps sont là. (Illustration générée par IA)",
        "Ya están los panes de primavera. (Ilustración generada con IA)",
    ],
)
def test_a_label_of_the_image_only_leaves_ai_copy_unlabelled(text: str) -> None:
    assert "BR303" in codes(text, "social", ai_generated=True), text


@pytest.mark.parametrize(
    "text",
    [
        "Our spring loaves are out. Photo and caption generated with AI.",
        "This post, picture included, is AI-generated. Spring loaves are out.",
        "Automated assistant here: your cake order is confirmed.",
    ],
)
def test_a_label_of_the_whole_message_or_an_automated_agent_labels_it(text: str) -> None:
    assert "BR303" not in codes(text, "chat" if "order" in text else "social", ai_generated=True), text


def test_an_ai_tool_that_made_an_attachment_is_no_label_of_the_reply() -> None:
    text = "Here is a sketch of your cake, drawn by our AI cake designer. Shall I book it?"
    assert "BR303" in codes(text, "chat", ai_generated=True)


@pytest.mark.parametrize(
    "text",
    [
        "Our giveaway is now over: thanks to all 400 of you who entered.",
        "Unser Gewinnspiel ist beendet, danke fürs Mitmachen!",
        "Le jeu-concours est clos, merci à tous !",
        "¡Ya tenemos ganador del sorteo! Gracias por participar.",
    ],
)
def test_a_closed_draw_needs_no_draw_disclosure(text: str) -> None:
    assert "BR301" not in codes(text, "social"), text


@pytest.mark.parametrize(
    "text",
    [
        "Our giveaway closes on Friday: comment to enter!",
        "Sorteo: el ganador se anunciará el viernes.",
    ],
)
def test_an_open_draw_still_needs_it(text: str) -> None:
    assert "BR301" in codes(text, "social"), text


def test_gifted_as_the_readers_gift_is_no_sponsorship() -> None:
    assert "BR302" not in codes("Gifted a cake to your neighbour? Tell us about it.", "social")
    assert "BR302" in codes("This stand mixer was gifted to me by Oakhurst, so good.", "social")


@pytest.mark.parametrize(
    "text",
    ["Salut les gars, les brioches sortent du four !", "¡Hola, chicos! Pan recién hecho.", "Moin Jungs!"],
)
def test_gendered_greetings_in_french_spanish_german(text: str) -> None:
    assert found(text, "BR601"), text


@pytest.mark.parametrize(
    "text", ["Les gars du fournil ont commencé à 4 h.", "Los chicos del colegio visitaron el horno."]
)
def test_the_words_outside_a_greeting_are_left_alone(text: str) -> None:
    assert not found(text, "BR601"), text
