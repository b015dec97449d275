"""Eleventh-round claim and disclosure readings (rt-f9clm), one class each, on a brand other than the labelled
sets' (a sofa and armchair maker): hyphenated superlative compounds that share a scope, comparatives "for the
money" or "at this price", reliability absolutes (splits, frays, snags); a superlative the policy backs only on
some channels or until a date, used off them; pain-free outcomes, swelling, detecting a condition, deeper
sleep; nobody beating the prices; a lower-case competitor name used as a common noun; "isn't" for "not" in an
accepted wording; draws whose winners are out; a negated verb of telling over a question; idioms of "beat".
The labelled parts are tests/data/claims_fresh8/fresh13.yaml (test_fresh13_claims_pins) and the held-out
heldout.yaml there."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from content_testlib import content_policy
from test_content_claims_quality import SCORED_PREFIXES, evaluate

from brandrail.engine import check_text

POLICY = content_policy(
    {
        "brand": {"name": "Settlewood"},
        "terms": {"competitors": [{"name": "Anvil"}, {"name": "Couchly"}]},
        "claims": {
            "substantiated": [
                {
                    "id": "SW-1",
                    "claim": ["comfiest"],
                    "evidence": "Sit-test panel report 2026",
                    "channels": ["web"],
                },
                {
                    "id": "SW-2",
                    "claim": ["most durable sofa"],
                    "evidence": "Rub-test certificate",
                    "expires": (dt.date.today() - dt.timedelta(days=30)).isoformat(),
                },
            ]
        },
        "disclosures": {
            "required": [
                {
                    "id": "app",
                    "text": "The Settlewood posture app is not a medical device.",
                    "accept": ["not a medical device"],
                    "when": {"terms": ["posture score"]},
                },
                {
                    "id": "draw",
                    "text": "Full rules at settlewood.example/draw.",
                    "accept": ["settlewood.example/draw"],
                    "when": {"terms": ["prize draw", "giveaway"]},
                },
            ]
        },
        "channels": {"web": {"kind": "web"}, "ad": {"kind": "ad"}},
    }
)


def _codes(text: str, channel: str | None = None) -> set[str]:
    return {f.code for f in check_text(text, POLICY, channel=channel).findings}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The softest-cushioned armchair you will ever sink into.", "BR201"),
        ("The longest-lasting sofa on the market.", "BR201"),
        ("You won't find a deeper seat for the money.", "BR201"),
        ("You will not find a sturdier frame at this price.", "BR201"),
        ("Stitching that will never fray or split.", "BR201"),
        ("Sit pain-free through a whole box set.", "BR203"),
        ("Ache-free mornings start with a better chair.", "BR203"),
        ("The recliner's leg rest reduces swelling in the ankles.", "BR203"),
        ("Our posture sensor spots the early signs of arthritis.", "BR203"),
        ("Sleep more deeply on the sofa bed, guaranteed.", "BR203"),
        ("Helps ease neck and lower back pain while you read.", "BR203"),
        ("Nobody undercuts our armchair prices.", "BR206"),
        ("Our sofa prices can't be beaten.", "BR206"),
    ],
)
def test_each_class_is_caught(text: str, code: str) -> None:
    assert code in _codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Our longest-serving upholsterer retires on Friday.", "BR201"),
        ("We will never share your address with anyone.", "BR201"),
        ("I can't promise the linen will never crease, but it softens with every wash.", "BR201"),
        ("Pain-free ordering: we measure your doorway first.", "BR203"),
        ("Orders are swelling before Christmas, so book your slot early.", "BR203"),
        (
            "Sorry, the posture score can't tell you whether you have arthritis; it is not a medical device.",
            "BR203",
        ),
        ("If you can't beat the heat, try our linen covers.", "BR201"),
        ("Nothing beats a lazy nap on a Sunday afternoon.", "BR201"),
        ("You won't find a single crumb after the covers come off the wash.", "BR201"),
    ],
)
def test_each_look_alike_stays_clean(text: str, code: str) -> None:
    assert code not in _codes(text)


def test_a_backed_superlative_off_its_channel_or_past_its_date_is_a_claim() -> None:
    assert "BR201" not in _codes("The comfiest chair, full stop.", channel="web")
    assert "BR201" in _codes("The comfiest chair, full stop.", channel="ad")
    assert "BR201" in _codes("Our most durable sofa, now in green velvet.", channel="web")


def test_a_lower_case_competitor_word_used_as_a_common_noun_is_no_mention() -> None:
    assert "BR105" not in _codes("Our frames are shaped on an anvil in the workshop.")
    assert "BR105" not in _codes("The anvil-forged legs come in black or brass.")
    assert "BR105" in _codes("Settlewood vs Anvil: which sofa lasts longer?")
    assert "BR105" in _codes("Thinking of buying from anvil? Compare the warranties first.")
    # a noun phrase ends at "of", "than"...: the word after it is the competitor, however it is written
    assert "BR105" in _codes("Half the price of anvil and twice as comfortable.")
    assert "BR105" in _codes("Our sofas outlast the ones from anvil.")
    # styled letters have no case of their own: read as a reader sees them (capital A)
    assert "BR105" in _codes("Half the price of \U0001d670\U0001d697\U0001d69f\U0001d692\U0001d695 today.")


def test_a_contracted_negation_says_the_accepted_wording() -> None:
    assert "BR301" not in _codes("Your posture score is ready. The app isn't a medical device.")
    assert "BR301" not in _codes("Your posture score is ready. The app isn’t a medical device.")
    assert "BR301" in _codes("Your posture score is ready. The app is a medical device.")


def test_a_draw_whose_winners_are_out_needs_no_disclosure_but_one_to_come_does() -> None:
    assert "BR301" not in _codes("Congratulations to the winners of our September prize draw!")
    assert "BR301" not in _codes("Well done to the winners of the Bank Holiday giveaway.")
    assert "BR301" not in _codes("The winners of the autumn prize draw have been sent their chairs.")
    assert "BR301" not in _codes("Thanks to all who entered our giveaway: the winner was drawn on Friday.")
    assert "BR301" in _codes("Winners of the May giveaway will be announced on Friday.")
    assert "BR301" in _codes("Enter our Easter prize draw to win an armchair.")


FRESH13 = Path(__file__).resolve().parents[1] / "data" / "claims_fresh8" / "fresh13.yaml"


def test_floors_on_the_thirteenth_development_part() -> None:
    """Floors under the figures measured after the fixes (bench/bench_content_claims.py --set fresh13, BR301
    scored); the held-out heldout.yaml has no floor."""
    table, errors = evaluate(FRESH13, scored=(*SCORED_PREFIXES, "BR301"))
    tp = sum(int(r["tp"]) for r in table.values())
    fp = sum(int(r["fp"]) for r in table.values())
    fn = sum(int(r["fn"]) for r in table.values())
    assert tp / (tp + fp) >= 0.95 and tp / (tp + fn) >= 0.95, errors
