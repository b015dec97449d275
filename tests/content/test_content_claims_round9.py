"""Ninth-round claim and disclosure readings (rt-f7claims), one class each, on a brand other than the labelled
sets' (a garden-furniture maker): superlatives in a row sharing one scope, "the only X you'll ever need", a
popularity superlative, "no X … better than Y", "never gets it wrong", "… you can buy"; cast-iron promises,
forfeits with a longer object, money back in other words; a condition no longer set off; "lower carbon" and
renewable certificates; an offer's end said with "ending", nothing to pay as "£0", "on the house", a "don't
miss" that urges; free time and trade wages; Markdown underscores at a word's edge; a draw whose winners are
out; a trigger word inside a public scheme's name or a bank account. The labelled parts are
tests/data/claims_fresh6/fresh11.yaml (test_fresh11_claims_pins) and the held-out heldout.yaml there."""

from __future__ import annotations

from pathlib import Path

import pytest
from content_testlib import content_policy
from test_content_claims_quality import SCORED_PREFIXES, evaluate

from brandrail.engine import check_text

POLICY = content_policy(
    {
        "brand": {"name": "Birchcombe Garden"},
        "disclosures": {
            "required": [
                {
                    "id": "draw",
                    "text": "Full rules at birchcombe.example/draw.",
                    "accept": ["birchcombe.example/draw"],
                    "when": {"terms": ["prize draw", "giveaway"]},
                },
                {
                    "id": "credit",
                    "text": "Credit subject to status.",
                    "accept": ["credit subject to status"],
                    "when": {"terms": ["finance", "savings"]},
                },
            ]
        },
    }
)


def _codes(text: str) -> set[str]:
    return {f.code for f in check_text(text, POLICY).findings}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The comfiest, most relaxing bench you will ever sit on.", "BR201"),
        ("The sturdiest and lightest parasol you'll ever open.", "BR201"),
        ("Larchline is the only garden bench your patio will ever need.", "BR201"),
        ("The Hollins recliner is our most popular chair this summer.", "BR201"),
        ("No garden table stands up to frost better than Larchline.", "BR201"),
        ("Our planner never gets a measurement wrong.", "BR201"),
        ("The most hard-wearing teak oil you can buy.", "BR201"),
        ("Never drag a soggy cushion indoors after a summer downpour again.", "BR201"),
        ("Each table comes with our cast-iron promise of a free repair.", "BR202"),
        ("Fitted by noon or the rest of your garden order is on the house.", "BR202"),
        ("Wobbly legs? Money refunded, no quibbles.", "BR202"),
        ("With Larchline canopies, tree pollen no longer sets off your hay fever.", "BR203"),
        ("Birchcombe benches: lower-carbon seating for your garden.", "BR205"),
        ("Don't miss our spring furniture deals, ending Sunday.", "BR206"),
        ("£0 delivery on every Larchline bench.", "BR206"),
        ("Seat cushions on the house with every dining set.", "BR206"),
    ],
)
def test_new_wordings_of_claims_are_found(text: str, code: str) -> None:
    assert code in _codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Our most popular questions about teak oil, answered.", "BR201"),
        ("For sheds it's our most popular option.", "BR201"),
        ("No two planks weather the same way, so oil every side.", "BR201"),
        ("Our old cast-iron benches are back in stock.", "BR202"),
        ("Money refunded to your card within five working days.", "BR202"),
        ("Pollen can set off hay fever, so check the forecast before you sit out.", "BR203"),
        ("Our new benches have a 20% lower carbon footprint than the 2023 range.", "BR205"),
        ("Our workshop runs on 100% renewable electricity backed by REGO certificates.", "BR205"),
        ("Got a free afternoon? Oil the garden table.", "BR206"),
        ("Our carpenters earn £14.20 an hour after their first year.", "BR204"),
        ("**Free delivery** on orders over £60. _Terms apply._", "BR206"),
        ("Don't miss our open evening at the workshop on Friday.", "BR206"),
    ],
)
def test_look_alikes_are_not_those_claims(text: str, code: str) -> None:
    assert code not in _codes(text)


def test_underscores_at_a_words_edges_are_emphasis() -> None:
    # the offer and its terms are read inside "_..._" as well as without it
    assert "BR206" in _codes("_Free_ delivery on every order.")
    assert "BR206" not in _codes("_Free_ delivery on every order. __T&Cs apply.__")


@pytest.mark.parametrize(
    "text",
    [
        "Our prize draw winners have been announced: see birchcombe.example/winners.",
        "Congratulations to the winners of last month's giveaway!",
        "Our workshop was part-funded by a loan under the Enterprise Finance Guarantee.",
        "Interest on your savings account is paid by your bank, not by us.",
    ],
)
def test_an_ended_draw_or_a_trigger_inside_another_name_needs_no_disclosure(text: str) -> None:
    assert "BR301" not in _codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "Our prize draw winners will be announced on Friday.",
        "Spread the cost with Birchcombe Finance today.",
        "Savings on every bench this spring.",
        "Ask about Finance Options Today at the workshop.",
    ],
)
def test_a_live_draw_or_the_brands_own_trigger_still_needs_it(text: str) -> None:
    assert "BR301" in _codes(text)


FRESH11 = Path(__file__).resolve().parents[1] / "data" / "claims_fresh6" / "fresh11.yaml"


def test_floors_on_the_eleventh_development_part() -> None:
    """Floors under the figures measured after the fixes (micro precision 0.92, recall 1.00 with BR301
    scored; bench/bench_content_claims.py --set fresh11); the held-out heldout.yaml has no floor."""
    table, errors = evaluate(FRESH11, scored=(*SCORED_PREFIXES, "BR301"))
    tp = sum(int(r["tp"]) for r in table.values())
    fp = sum(int(r["fp"]) for r in table.values())
    fn = sum(int(r["fn"]) for r in table.values())
    assert tp / (tp + fp) >= 0.88 and tp / (tp + fn) >= 0.95, errors
