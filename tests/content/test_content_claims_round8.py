"""Eighth-round claim and disclosure readings (rt-fix6claims), one class each, on a brand other than the labelled
sets': a public scheme's name holding "Guarantee", a guarantee the brand's own answer refuses, money promised on
the reader's bills, payback, home value and credit, health claims of breathing, germs and joints, unquantified
footprint cuts, and required-disclosure triggers that a question's answer refuses, that a "we don't quote/give"
denies, or that a denial offers for something else. The labelled parts are tests/data/claims_fresh5/fresh9.yaml
(test_fresh9_claims_pins) and its held-out heldout.yaml."""

from __future__ import annotations

import pytest
from content_testlib import content_policy, found

from brandrail.engine import check_text

POLICY = content_policy(
    {
        "brand": {"name": "Quillfield Heating"},
        "disclosures": {
            "required": [
                {
                    "id": "credit",
                    "text": "Credit subject to status.",
                    "accept": ["credit subject to status"],
                    "when": {"terms": ["pay monthly", "spread the cost", "payback"]},
                }
            ]
        },
    }
)


def _codes(text: str) -> set[str]:
    return {f.code for f in check_text(text, POLICY).findings}


@pytest.mark.parametrize(
    "text",
    [
        "Small firms borrowed through the Recovery Loan Guarantee last year.",
        "Trainees join us via the Youth Guarantee, an EU scheme.",
        "Check that your bank belongs to the Deposit Guarantee Scheme.",
    ],
)
def test_a_public_schemes_name_is_no_guarantee(text: str) -> None:
    assert "BR202" not in _codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "Our Price Match Guarantee covers every quote.",
        "The Quillfield Guarantee: a boiler that fails is replaced.",
        "Every boiler carries a 10-Year Guarantee.",
        "Ask about the Lifetime Workmanship Guarantee.",
    ],
)
def test_the_sellers_own_named_guarantee_is_still_one(text: str) -> None:
    assert "BR202" in _codes(text)


def test_a_guarantee_the_brands_answer_refuses_is_denied() -> None:
    assert "BR202" not in _codes("Can we guarantee a quieter boiler? No, and we won't pretend otherwise.")
    assert "BR202" in _codes("Can we guarantee a quieter boiler? Yes, in writing.")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Keeps damp from triggering your son's asthma.", "BR203"),
        ("Stops house dust setting off eczema at night.", "BR203"),
        ("Say goodbye to pollen-induced wheezing.", "BR203"),
        ("Helps prevent chest infections in older people.", "BR203"),
        ("Recommended by specialist nurses.", "BR203"),
        ("Kills 97% of airborne germs.", "BR203"),
        ("Gentle warmth that soothes swollen, painful joints.", "BR203"),
        ("Slash your heating costs by 45%.", "BR204"),
        ("Take £300 a year off your gas bills.", "BR204"),
        ("Save £500 a year on your heating.", "BR204"),
        ("Payback within 6 years.", "BR204"),
        ("The system pays for itself in just three years.", "BR204"),
        ("Add 5% to the value of your house.", "BR204"),
        ("Loans with no credit checks.", "BR204"),
        ("Approval is guaranteed.", "BR204"),
        ("Cut your family's carbon footprint with a new boiler.", "BR205"),
        ("Fossil-free warmth all winter.", "BR205"),
    ],
)
def test_new_wordings_of_claims_are_found(text: str, code: str) -> None:
    assert found(text, code), (text, code)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Dust can trigger asthma, so clean the filters monthly.", "BR203"),
        ("Open the windows to clear condensation.", "BR203"),
        ("Save 20% on your first order.", "BR204"),
        ("Your bill fell by £40 after the meter reading was corrected.", "BR204"),
        ("The pump cuts out if the pressure drops.", "BR205"),
        ("Fossil hunting on the beach at Lyme Regis.", "BR205"),
    ],
)
def test_look_alikes_are_not_those_claims(text: str, code: str) -> None:
    assert not found(text, code), (text, code)


@pytest.mark.parametrize(
    "text",
    [
        "Pay monthly? Not with us: we invoice on completion.",
        "Spread the cost? We don't offer that, sorry.",
        "We never quote payback times for listed buildings.",
        "We don't give payback estimates before a survey.",
    ],
)
def test_a_refused_or_unquoted_trigger_needs_no_disclosure(text: str) -> None:
    assert "BR301" not in _codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "Pay monthly? No problem: apply online.",
        "Pay monthly isn't offered on spares, but on new boilers most customers choose it.",
        "We don't offer pay monthly on servicing, but for installs it's the usual way to buy.",
        "Spread the cost over five years.",
    ],
)
def test_a_trigger_still_offered_needs_the_disclosure(text: str) -> None:
    assert "BR301" in _codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "No one in the whole of Devon services boilers more thoroughly than we do.",
        "No other engineer near you offers a longer parts cover than ours.",
        "You won't find a quieter boiler anywhere.",
        "Not a single boiler we have fitted has ever failed its first service.",
        "Never come home to a cold radiator again.",
    ],
)
def test_denied_comparisons_and_absolute_records_are_superlatives(text: str) -> None:
    assert found(text, "BR201"), text


@pytest.mark.parametrize(
    "text",
    [
        "Make the best of a small airing cupboard with a slimline cylinder.",
        "The best size depends on how many bathrooms you have.",
        "Cheapest boiler in town? We don't make that claim: we quote what it costs.",
        "You won't find a water meter in most older homes.",
        "Never mind the weather again tomorrow.",
        "Never worry about the boiler again: our plan covers repairs.",
    ],
)
def test_advice_and_refused_superlatives_are_not_claims(text: str) -> None:
    assert not found(text, "BR201"), text


@pytest.mark.parametrize(
    "text",
    [
        "Scotland's statutory target is net zero by 2045.",
        "The app shows which hours are greenest on the grid, from the National Grid forecast.",
    ],
)
def test_a_nations_target_and_the_grids_greenest_hours_are_not_green_claims(text: str) -> None:
    assert not found(text, "BR205"), text


def test_the_brands_own_net_zero_target_is_still_a_green_claim() -> None:
    assert found("Our target is net zero by 2030.", "BR205")
