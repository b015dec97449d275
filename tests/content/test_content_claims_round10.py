"""Tenth-round claim and disclosure readings (rt-f8clm), one class each, on a brand other than the labelled
sets' (a cookery school): superlatives scoped "out there", "anywhere", "in existence"; a favourite word or
idiom; "100%" before a learning outcome and "guarantees of origin"; health professionals' endorsements as
subject or agent, a condition waved goodbye or helped; a sum turned into a bigger one, a six-figure salary, a
role's wage "on our team"; saving the planet, a nation's plan; "€0", "interest-free", seats and slots that are
free, a claim word named as a word; a Spanish draw that is over; a German banned noun's plural. The labelled parts are
tests/data/claims_fresh7/fresh12.yaml (test_fresh12_claims_pins) and the held-out heldout.yaml there."""

from __future__ import annotations

from pathlib import Path

import pytest
from content_testlib import content_policy
from test_content_claims_quality import SCORED_PREFIXES, evaluate

from brandrail.engine import check_text

POLICY = content_policy(
    {
        "brand": {"name": "Saffron Lane Kitchen"},
        "disclosures": {
            "required": [
                {
                    "id": "draw",
                    "text": "Full rules at saffronlane.example/draw.",
                    "accept": ["saffronlane.example/draw"],
                    "when": {"terms": ["prize draw", "sorteo", "giveaway"]},
                }
            ]
        },
    }
)


def _codes(text: str) -> set[str]:
    return {f.code for f in check_text(text, POLICY).findings}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The tastiest knife-skills class out there.", "BR201"),
        ("The most generous portions you will find anywhere.", "BR201"),
        ("Simply the richest chocolate tart in existence.", "BR201"),
        ("Be 100% kitchen-ready after six Saturdays.", "BR202"),
        ("Leave the class 100% confident with a chef's knife.", "BR202"),
        ("Recommended by dietitians and speech therapists alike.", "BR203"),
        ("The cookery course psychologists recommend.", "BR203"),
        ("Kiss your anxiety goodbye, one risotto at a time.", "BR203"),
        ("Farewell, stress and burnout: cooking is the new therapy.", "BR203"),
        ("Our mindful baking classes help with depression.", "BR203"),
        ("Turn a €45 class into a €38,000 chef's salary.", "BR204"),
        ("From home cook to a six-figure income in a year.", "BR204"),
        ("Cook seasonally and help save the planet.", "BR205"),
        ("Your first class costs €0 in March.", "BR206"),
        ("Pay for the chef diploma in 10 interest-free payments.", "BR206"),
    ],
)
def test_each_class_is_caught(text: str, code: str) -> None:
    assert code in _codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Chef Ana's favourite Italian phrase: 'a occhio', by eye.", "BR201"),
        ("Our students' favourite kitchen mistake: salting the water too late.", "BR201"),
        ("The cookery school is 100% vegetarian.", "BR202"),
        ("Our ovens run on wind power backed by guarantees of origin.", "BR202"),
        ("Recommended by food writers from three Sunday papers.", "BR203"),
        ("Say goodbye to your classmates before you pack your knives.", "BR203"),
        ("Sous-chefs on our teaching team earn €19 an hour.", "BR204"),
        ("Spain's climate law targets net zero by 2050; our own report is online.", "BR205"),
        ("Four seats are still free in Friday's pasta class.", "BR206"),
        ("Is the 10am slot free? Chef Ana is free then too.", "BR206"),
        ("Tip of the day: 'gratuit' is the French for free.", "BR206"),
        ("Kitchen French: the word for 'sustainable' is 'durable'.", "BR205"),
        # a condition word must end its word: "paint" is not "pain"
        ("Say goodbye to paintbrushes that shed their bristles.", "BR203"),
        ("Our knife course helps with painting sugar flowers too.", "BR203"),
        # "interest-free" of credit is read as before (a credit notice's trigger); of instalments it is a price
        ("Interest-free credit isn't offered on gift vouchers.", "BR206"),
    ],
)
def test_each_look_alike_stays_clean(text: str, code: str) -> None:
    assert code not in _codes(text)


def test_a_draw_that_is_over_needs_no_disclosure_but_a_live_one_does() -> None:
    assert "BR301" not in _codes("El sorteo de verano ya acabó: ¡gracias por participar!")
    assert "BR301" not in _codes("The giveaway of the spring is over.")
    assert "BR301" in _codes("El sorteo de verano termina el domingo: ¡participa!")


def test_learn_a_language_for_free_is_still_an_offer() -> None:
    assert "BR206" in _codes("Learn Spanish for free this month.")


FRESH12 = Path(__file__).resolve().parents[1] / "data" / "claims_fresh7" / "fresh12.yaml"


def test_floors_on_the_twelfth_development_part() -> None:
    """Floors under the figures measured after the fixes (bench/bench_content_claims.py --set fresh12, BR301
    scored); the held-out heldout.yaml has no floor."""
    table, errors = evaluate(FRESH12, scored=(*SCORED_PREFIXES, "BR301"))
    tp = sum(int(r["tp"]) for r in table.values())
    fp = sum(int(r["fp"]) for r in table.values())
    fn = sum(int(r["fn"]) for r in table.values())
    assert tp / (tp + fp) >= 0.92 and tp / (tp + fn) >= 0.90, errors


GERMAN = content_policy(
    {"brand": {"name": "Saffron Lane Kitchen"}, "terms": {"banned": [{"term": "Schnellkurs"}]}}
)


@pytest.mark.parametrize(
    ("text", "banned"),
    [
        ("Unsere Schnellkurse für Anfänger beginnen im Mai.", True),
        ("Die Termine aller Schnellkursen stehen auf der Webseite.", True),
        ("Der Schnellkurs beginnt am Montag.", True),
        # the plural reading needs a German text: an English sentence keeps whole-word matching
        ("Our schnellkurse page is new.", False),
    ],
)
def test_a_german_banned_nouns_plural_is_the_banned_word(text: str, banned: bool) -> None:
    codes = {f.code for f in check_text(text, GERMAN).findings}
    assert ("BR101" in codes) is banned
