"""Claims: the causes behind the misses and false alarms of the fresh set's development half
(tests/data/claims_fresh/dev.yaml) and the first set's remaining disagreements, one test per cause, with
wordings other than either set's."""

from __future__ import annotations

import re

import pytest
from content_testlib import content_policy, found

from brandrail.content.lexicons import CLAIM_PATTERNS

CLAIMS = content_policy({})
GREEN = content_policy({"extends": ["green-claims"]})
RIVALS = content_policy({"terms": {"competitors": [{"name": "Summit Gear"}, {"name": "Bluepeak Broadband"}]}})


# -- absolutes of reliability and security are superlatives (missed: "never drops a call", "unhackable") --


@pytest.mark.parametrize(
    "text",
    [
        "Our router never crashes, even on match day.",
        "A kettle that never lets you down.",
        "Wi-Fi that never goes down.",
        "The uncrackable vault for your passwords.",
        "Your backups are impossible to breach.",
        "Encryption that cannot be broken.",
        "Zero outages since launch.",
        "Payroll that never loses a payslip.",
    ],
)
def test_an_absolute_of_reliability_is_a_superlative(text: str) -> None:
    assert found(text, "BR201"), text


@pytest.mark.parametrize(
    "text",
    [
        "Never lose hope: our advisers are here for you.",
        "Never lose sight of your savings goal.",
        "We can't promise your train will never run late, but we'll tell you first.",
        "Nobody can guarantee a network never goes down; we publish our outages.",
    ],
)
def test_an_idiom_or_a_denied_promise_of_never_is_not(text: str) -> None:
    assert not found(text, "BR201"), text


# -- a place's or a group's superlative ("Kendal's finest") ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Yorkshire's finest ales, brewed in Masham.", "Yorkshire's finest"),
        ("Devon’s favourite ice cream is back.", "Devon’s favourite"),
        ("Voted Leeds' most loved bakery.", "Leeds' most loved"),
    ],
)
def test_a_possessive_superlative_is_a_claim_spanning_its_owner(text: str, phrase: str) -> None:
    assert phrase in found(text, "BR201"), text


@pytest.mark.parametrize(
    "text",
    [
        "That's the quickest way to the station.",
        "Here's our latest news.",
        "The chef's newest dish is a stew.",
    ],
)
def test_a_pronoun_or_a_non_superlative_is_not(text: str) -> None:
    assert not found(text, "BR201"), text


# -- a superlative inside a name a place word introduces; a capital letter alone is not a name ---------


@pytest.mark.parametrize(
    "text",
    [
        "Dinner is served at the Best Western Plus in York from 6pm.",
        "Collect your order from the No. 1 Bakery on Mill Lane.",
        "Our shuttle stops near the Finest Inn every hour.",
    ],
)
def test_a_superlative_inside_a_placed_name_is_not_a_claim(text: str) -> None:
    assert not found(text, "BR201"), text


@pytest.mark.parametrize(
    "text",
    [
        "Get the Best Broadband in your street today.",
        "Shop our Best Sellers before they go.",
        "Stay At The Best Hotel In Town",  # a title-case heading: every word is capitalised
        "Sleep at the BEST hotel in town.",
    ],
)
def test_a_capitalised_superlative_outside_a_name_is_still_a_claim(text: str) -> None:
    assert found(text, "BR201"), text


# -- asking which is best claims nothing ------------------------------------------------------------


def test_asking_which_is_best_is_not_a_claim() -> None:
    assert not found("Which tent is best for a windy coast?", "BR201")
    assert not found("What's best for oily skin? Ask our team.", "BR201")
    assert found("This tent is best for a windy coast.", "BR201")  # said, not asked
    assert found("Which is why ours is best for a windy coast.", "BR201")  # "which" without a question


# -- a price comparison is a pricing claim (missed: "cheaper than <competitor>") ------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Bluepeak Broadband bills you for every router; we never do.",
        "Summit Gear's tents are priced at £400. Ours start at £250.",
        "Our plans cost less than the big four's.",
        "Cheaper than the supermarkets on every basket.",
        "Half the cost of a high-street optician.",
        "Trade in your phone and get £150 off.",
        "0% APR on sofas until May.",
        "No arrangement fees on any mortgage.",
        "Never pay delivery charges again.",
    ],
)
def test_a_price_comparison_or_a_waived_fee_is_a_pricing_claim(text: str) -> None:
    assert found(text, "BR206", RIVALS), text


@pytest.mark.parametrize(
    "text",
    [
        "Summit Gear's tents take ten minutes to pitch.",
        "Bluepeak Broadband customers can switch to us in a day.",
        "Charge your phone in 20 minutes.",
        "Cheaper than Summit Gear on every tent. Terms apply.",
        "0% APR over 24 months. Credit subject to status.",
    ],
)
def test_a_competitor_without_prices_or_an_offer_with_terms_is_not(text: str) -> None:
    assert not found(text, "BR206", RIVALS), text


def test_free_to_play_is_still_an_offer_but_free_to_choose_is_not() -> None:
    assert found("Free-to-enter prize draw every Friday.", "BR206")
    assert not found("You are free to choose your own route.", "BR206")


# -- an environmental claim with its standard named is specific; a bare "certified" is not -------------


@pytest.mark.parametrize(
    "text",
    [
        "Home compostable, certified to AS 5810 and EN 13432.",
        "Shell fabric with 80% recycled nylon, GRS certified.",
        "Biodegradable: 92% in 28 days under OECD 301F.",
        "Recyclable where facilities exist.",
        "Carbon neutral, verified by SGS against PAS 2060.",
    ],
)
def test_a_green_claim_with_its_standard_named_is_not_generic(text: str) -> None:
    assert not found(text, "BR205", GREEN), text


@pytest.mark.parametrize(
    "text",
    [
        "Carbon neutral, certified by us.",
        "Biodegradable and certified!",
        "Eco-friendly trainers. Our boxes are FSC certified.",  # the standard is in another sentence
    ],
)
def test_a_green_claim_without_a_named_standard_is_generic(text: str) -> None:
    assert found(text, "BR205", GREEN), text


def test_a_hidden_standard_backs_nothing() -> None:
    html = '<p>Biodegradable<span style="display:none"> under OECD 301B</span> packaging.</p>'
    assert found(html, "BR205", GREEN, kind="html")


# -- health claims in other words: body functions, endorsements, conditions, fat ----------------------


@pytest.mark.parametrize(
    "text",
    [
        "Chamomile drops that promote deeper sleep.",
        "Kefir that aids digestion.",
        "Pharmacist-recommended cold sore cream.",
        "Recommended by 4 in 5 UK dentists.",
        "Calms itchy skin in minutes.",
        "Bid goodbye to heartburn after meals.",
        "Burns stubborn belly fat while you sleep.",
    ],
)
def test_other_health_wordings_are_health_claims(text: str) -> None:
    assert found(text, "BR203"), text


@pytest.mark.parametrize(
    "text",
    [
        "Our scheduler supports your team's workflow.",
        "Say goodbye to queues at the checkout.",
        "We calm the chaos of the school run.",
        "Burn a CD of your favourite songs.",
        "Weight loss isn't promised: results vary.",
    ],
)
def test_non_health_wordings_are_not(text: str) -> None:
    assert not found(text, "BR203"), text


# -- financial and guarantee shapes -----------------------------------------------------------------


def test_multiplying_money_or_a_promised_salary_is_a_financial_claim() -> None:
    assert found("Turn $50 into $5,000 in a month.", "BR204")
    assert found("Land a £70k role after our course.", "BR204")
    assert not found("Turn 2 hours into 20 minutes with our planner.", "BR204")


def test_stopping_all_of_a_threat_is_a_guarantee() -> None:
    assert found("Filters 100% of spam before it lands.", "BR202")
    assert not found("100% of our profits go to the food bank.", "BR202")


def test_the_superlative_of_a_year_is_a_claim() -> None:
    assert found("The comfiest trainer of 2024.", "BR201")
    assert not found("The latest news of 2024.", "BR201")


# -- speed: every built-in claim pattern added since the fresh set starts from literal text or a digit run ---

#: patterns older than the fresh set that are tried behind their guard only (several openers)
_NO_LITERAL_START = 4


def test_claim_patterns_start_from_literal_text() -> None:
    from brandrail.content.claims import _starts

    without = [p for kind in CLAIM_PATTERNS.values() for _g, p in kind if _starts(re.compile(p)) is None]
    assert len(without) <= _NO_LITERAL_START, without


def test_digit_led_claim_patterns_from_digit_run_starts() -> None:
    """The claim patterns that open with a word boundary and a digit are tried only where a run of digits
    starts: on varied text their matches are finditer's exactly."""
    from brandrail.content.claims import _DIGIT_RUNS, _starts
    from brandrail.text.scan import digit_run_starts, finditer_at

    pieces = ["12% off", "8% returns", "a12% off", "1.5% annual yield", "٣٤% off", "x", " ", "99", "%", "off",
              "returns of 7%", "this week only", "12.5", "-", "1%"]  # fmt: skip
    import random

    rng = random.Random(4)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 40))) for _ in range(600)]
    led = [re.compile(p) for kind in CLAIM_PATTERNS.values() for _g, p in kind]
    led = [rx for rx in led if _starts(rx) == _DIGIT_RUNS]
    assert led
    for rx in led:
        for text in texts:
            expected = [(m.start(), m.end()) for m in rx.finditer(text)]
            got = [(m.start(), m.end()) for m in finditer_at(rx, text, digit_run_starts(text) or [])]
            assert got == expected, (rx.pattern, text)
