"""Claims: the causes behind the misses and false alarms of the fourth claims set (tests/data/claims_fresh3/
heldout.yaml, development data since it was measured), one test per cause, with other products and wordings
(a kitchen-appliance brand) than the set's and than its fifth part (claims_fresh3/fresh5.yaml)."""

from __future__ import annotations

import pytest
from content_testlib import found

# -- BR201: superlatives in new frames -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The quietest blender in Wales.",
        "The most generous warranty in the Highlands, full stop.",
        "The sharpest knife money can buy.",
        '"The smoothest soup I\'ve ever made," says one reviewer.',
        "The crispiest chips we have ever tasted came out of this air fryer.",
        "Faster than the Breville, quieter than the rest, better than all of them.",
    ],
)
def test_superlatives_scoped_to_a_place_money_or_experience_are_claims(text: str) -> None:
    assert found(text, "BR201"), text


@pytest.mark.parametrize(
    "text",
    [
        "Is this the quietest blender in the world? No, but it is quiet enough for a 6am smoothie.",
        "Quickest way to the demo kitchen? Take the lift to floor 2.",
        "The latest recipes in Cookery Monthly are ours.",
        "Our best-kept secret is the pulse button.",
        "Visit the nearest store in Cardiff.",
    ],
)
def test_denied_questions_routes_and_non_superlatives_are_not(text: str) -> None:
    assert not found(text, "BR201"), text


# -- BR202: proof against anything ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["Our kettle lid is 100% spill-proof.", "A completely child-proof hob lock.", "100% scratch-proof pans."],
)
def test_absolute_proofing_is_a_guarantee(text: str) -> None:
    assert found(text, "BR202"), text


@pytest.mark.parametrize(
    "text",
    [
        "Keep your proof of purchase.",
        "Made with 100% recycled steel.",
        "Splash-resistant to IPX4 (tested to IEC 60529).",
    ],
)
def test_proof_nouns_and_compositions_are_not(text: str) -> None:
    assert not found(text, "BR202"), text


# -- BR203: pain relief -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Our ergonomic peeler eases hand pain.",
        "A standing mat that relieves lower back pain.",
        "Soothes aching joints? No: it reduces wrist stiffness.",
    ],
)
def test_relieving_pain_or_stiffness_is_a_health_claim(text: str) -> None:
    assert found(text, "BR203"), text


@pytest.mark.parametrize(
    "text",
    [
        "We take the pain out of meal prep.",
        "Eases the pain of washing up: it's dishwasher-safe.",
        "Reduce your cooking time by half.",
    ],
)
def test_pain_idioms_are_not(text: str) -> None:
    assert not found(text, "BR203"), text


# -- BR204: profit and money per period promised to a business -----------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Our commercial ovens double your margins.",
        "Triple your takings with a second fryer.",
        "This dishwasher could save your restaurant £4,000 a year.",
        "It could earn you £900 a month in saved energy.",
    ],
)
def test_profit_and_money_per_period_promised_are_financial_claims(text: str) -> None:
    assert found(text, "BR204"), text


@pytest.mark.parametrize(
    "text",
    [
        "Double the capacity of your freezer.",
        "Our café doubled its seating last year.",
        "Save £40 on the fryer.",
    ],
)
def test_other_doubles_and_plain_savings_are_not(text: str) -> None:
    assert not found(text, "BR204"), text


# -- BR206: "free" of an unoccupied place ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Three docks are free at the station.",
        "Check in the app which racks have free spaces before you arrive.",
    ],
)
def test_free_of_an_unoccupied_place_is_no_offer(text: str) -> None:
    assert not found(text, "BR206"), text


@pytest.mark.parametrize(
    "text", ["Free knife sharpening with every order.", "Cheapest blenders in town? You bet."]
)
def test_free_offers_and_answered_yes_questions_are_pricing_claims(text: str) -> None:
    assert found(text, "BR206"), text
