"""Claims: the classes the red-team on tests/data/claims found (a negation that does not deny, a negation
over a list, claim shapes the lists missed, false alarms on "free"), one test per class with wordings other
than the labelled set's."""

from __future__ import annotations

import pytest
from content_testlib import content_policy

from brandrail.content.claims import negated
from brandrail.engine import check_text
from brandrail.policy import Policy

CLAIMS = content_policy({})
GREEN = content_policy({"extends": ["green-claims"]})


def found(text: str, code: str, policy: Policy = CLAIMS) -> list[str]:
    result = check_text(text, policy)
    return [text[f.span.start : f.span.end] for f in result.findings if f.code == code and f.span]


# -- a negation that states a comparison denies nothing (this failed open) ---------------------------------


@pytest.mark.parametrize(
    ("text", "code", "phrase"),
    [
        ("You won't find a better money-back guarantee anywhere.", "BR202", "money-back"),
        ("You can't beat our lifetime warranty.", "BR202", "lifetime warranty"),
        ("Nobody can beat our risk-free returns policy.", "BR202", "risk-free"),
        ("You'll never find a more eco-friendly tent.", "BR205", "eco-friendly"),
        ("No other bank can match our guaranteed rates.", "BR202", "guaranteed"),
    ],
)
def test_a_negated_comparison_is_still_a_claim(text: str, code: str, phrase: str) -> None:
    assert phrase in [f.lower() for f in found(text, code, GREEN)], text


@pytest.mark.parametrize(
    "text",
    [
        "You can't beat our prices.",
        "Nobody beats us on service.",
        "You won't find a better deal anywhere.",
        "You'll never find cheaper flights to Rome.",
        "No one can rival our range.",
    ],
)
def test_a_denied_comparison_is_a_superlative(text: str) -> None:
    assert found(text, "BR201"), text


@pytest.mark.parametrize(
    "text",
    [
        "We won't find a better slot this week, sorry.",  # not said to the reader about a product
        "Can't find your order? Reply to this e-mail.",
        "We can't match the payment to an account yet.",
    ],
)
def test_service_sentences_with_find_or_match_are_not_superlatives(text: str) -> None:
    assert found(text, "BR201") == [], text


# -- a negation distributes over an "or" list --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "This supplement is not intended to diagnose, treat, cure or prevent any disease.",
        "These drops do not treat, cure, or prevent illness.",
        "The balm is not meant to diagnose, heal or cure any condition.",
        "Our tea does not detox, cure or heal anything.",
        "Neither our gummies nor our powders cure, treat or prevent disease.",
    ],
)
def test_a_negated_list_of_health_verbs_is_a_disclaimer(text: str) -> None:
    assert found(text, "BR203") == [], text


@pytest.mark.parametrize(
    "text",
    [
        # "and" after a comma opens a new clause: the negation stays in the first one
        "We don't test on animals, and our serum cures acne.",
        "We don't use palm oil, and our packaging is biodegradable.",
        # a list not joined by "or": nothing to distribute over
        "Don't wait, our risk-free trial ends soon.",
        "Never mind the rain, it's guaranteed dry inside.",
    ],
)
def test_a_claim_after_a_negated_clause_is_still_a_claim(text: str) -> None:
    assert any(found(text, code) for code in ("BR202", "BR203", "BR205")), text


def test_negated_reports_the_word_that_denies() -> None:
    text = "it is not intended to diagnose, treat, cure or prevent any disease"
    at = text.index("cure")
    assert negated(text, at, "cure", at + 4) == "not"
    # the list continues after the claim with "or": without the claim's end, a comma list alone
    # is not enough
    assert negated(text, at, "cure") is None


@pytest.mark.parametrize(
    "text",
    [
        "Nobody can guarantee the weather on the fells.",
        "No one can promise a risk-free investment.",
        "There's no such thing as a guaranteed return.",
        "No-one could guarantee a slot on race day.",
    ],
)
def test_nobody_can_and_no_such_thing_deny(text: str) -> None:
    assert [c for code in ("BR202", "BR204") for c in found(text, code)] == [], text


def test_no_one_else_offering_a_guarantee_is_a_claim() -> None:
    assert found("No one else offers a lifetime warranty.", "BR202") == ["lifetime warranty"]


# -- health claims: relieving, clearing, lowering a risk, killing germs ------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Soothes eczema overnight.",
        "Relieves migraines in minutes.",
        "Eases joint pain after a long walk.",
        "Clears acne without drying your skin.",
        "Alleviates the symptoms of hay fever.",
        "Lowers your blood pressure naturally.",
        "Reduces the risk of heart disease.",
        "Cuts the risk of a stroke.",
        "Kills 99.9% of germs on contact.",
        "Reverses type 2 diabetes.",
        "Helps prevent tooth decay.",
        "Scientifically proven to work.",
        "This tea detoxifies your body.",
        "Boosts your metabolism while you sleep.",
    ],
)
def test_health_claim_shapes(text: str) -> None:
    assert found(text, "BR203"), text


@pytest.mark.parametrize(
    "text",
    [
        "It eases the pain of moving house.",
        "Our app eases the pain points of invoicing.",
        "Reduce your anxiety about money with a budget.",
        "Clear your basket and start again.",
        "Lower your bills with a smart thermostat.",
        "Cut the risk of a flat battery with our charger.",
        "Kill time at the airport in our lounge.",
        "Fight the winter chill in merino.",
        "A seamless toe prevents blisters.",
    ],
)
def test_health_verbs_of_other_things_are_not_claims(text: str) -> None:
    assert found(text, "BR203") == [], text


# -- financial claims: rates of return, pre-approval, payback ----------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Enjoy 7% annual returns on your savings pot.",
        "Returns of up to 15% in year one.",
        "Yields of 9.5% from rental property.",
        "You are pre-approved for a credit card.",
        "Guaranteed approval for every applicant.",
        "Solar panels that pay for themselves.",
        "Become debt-free with one simple plan.",
    ],
)
def test_financial_claim_shapes(text: str) -> None:
    assert found(text, "BR204"), text


@pytest.mark.parametrize(
    "text",
    [
        "Growth of 20% in our team this year.",
        "Interest of 3.1% AER is paid monthly.",
        "Earn points on every purchase.",
        "A 5% return rate on orders is normal for shoes.",
    ],
)
def test_figures_that_promise_no_return_are_not_financial_claims(text: str) -> None:
    assert found(text, "BR204") == [], text


# -- pricing: time limits, end dates, price superlatives, savings; "free" that offers nothing --------------


@pytest.mark.parametrize(
    "text",
    [
        "Flights to Nice, this weekend only.",
        "Half the usual fare for 48 hours only.",
        "Our spring sale ends Sunday.",
        "The offer ends at midnight.",
        "Unbeatable prices on every sofa.",
        "The lowest broadband prices around.",
        "Get our best deals in the app.",
        "Save up to £300 on a new kitchen.",
        "Save 25% on your first box.",
        "No hidden fees, just one monthly price.",
        "Free-of-charge installation.",
    ],
)
def test_pricing_claim_shapes(text: str) -> None:
    assert found(text, "BR206"), text


@pytest.mark.parametrize(
    "text",
    [
        "The free-standing bath is back in stock.",
        "Free-flowing conversation over coffee.",
        "It was a free-for-all at the jumble sale.",
        "Antioxidants mop up free radicals.",
        "Free up an hour a week with auto-filing.",
        "Break free from your inbox.",
        "We stopped last week only because of the snow.",
        "Up to 30% faster charging than our last model.",
        "Returns of up to 10% of orders are normal.",
    ],
)
def test_free_and_figures_that_offer_nothing_are_not_pricing(text: str) -> None:
    assert found(text, "BR206") == [], text


@pytest.mark.parametrize(
    "terms",
    [
        "Ts&Cs apply.",
        "T & Cs apply.",
        "Ts & Cs apply.",
        "T&C's apply.",
        "See T&Cs.",
        "Full T&Cs at x.example.",
    ],
)
def test_common_pointers_to_terms_satisfy_pricing_claims(terms: str) -> None:
    assert found(f"Kids eat free this month. {terms}", "BR206") == []


# -- superlatives with a market or all-time scope; comparisons with every rival ---------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The quietest dishwasher on the market.",
        "The most trusted broker in the UK.",
        "Scotland's favourite shortbread.",
        "The world's first self-cleaning bottle.",
        "The softest towel you'll ever own.",
        "The smoothest ride ever.",
        "Tastier than any other oat milk.",
        "Second to none on service.",
    ],
)
def test_superlative_claim_shapes(text: str) -> None:
    assert found(text, "BR201"), text


@pytest.mark.parametrize(
    "text",
    [
        "The latest phones on the market are in store.",
        "The nearest branch in town opens at 9.",
        "The most common questions on the market stall.",
        "Make the most of the longest day in the year.",
        "The rest of the world can wait.",
        "Your safety is our number one priority.",
        "The interest on the account is paid monthly.",
    ],
)
def test_ordinary_superlative_shapes_are_not_claims(text: str) -> None:
    assert found(text, "BR201") == [], text


# -- a pricing section with no pointer to terms is an error, not a silent pass -----------------------------


def test_empty_pricing_required_is_a_policy_error() -> None:
    from brandrail.errors import PolicyError
    from brandrail.policy import loads_policy
    from brandrail.policy.sections.claims import EMPTY_PRICING_REQUIRED, EMPTY_SUBSTANTIATION

    with pytest.raises(PolicyError) as caught:
        loads_policy("version: 1\nclaims:\n  pricing:\n    required: []\n")
    assert EMPTY_PRICING_REQUIRED in str(caught.value)
    assert "claims.pricing.required" in str(caught.value)
    with pytest.raises(PolicyError) as caught:
        loads_policy('version: 1\nclaims:\n  substantiated:\n    - {id: C1, claim: [], evidence: "LR-1"}\n')
    assert EMPTY_SUBSTANTIATION in str(caught.value)
    assert "claims.substantiated[0].claim" in str(caught.value)
    # switched off, an empty list says nothing
    loads_policy("version: 1\nclaims:\n  pricing:\n    enabled: false\n    required: []\n")


# -- a qualifier or a pointer to terms excuses a claim only where the reader sees it -----------------------

QUALIFIED = content_policy({"claims": {"guarantee": {"qualifiers": ["see warranty terms"]}}})


def html_found(body: str, code: str, policy: Policy = QUALIFIED) -> list[str]:
    result = check_text(f"<html><body>{body}</body></html>", policy, kind="html", channel=None)
    return [f.code for f in result.findings if f.code == code]


@pytest.mark.parametrize(
    "hidden",
    [
        '<p style="display:none">Terms apply.</p>',
        '<p style="font-size:0">Terms apply.</p>',
        '<p style="color:#fff;background:#fff">Terms apply.</p>',
        "<!-- Terms apply. -->",
        '<img src="t.png" alt="Terms apply.">',
    ],
)
def test_hidden_terms_do_not_satisfy_a_pricing_claim(hidden: str) -> None:
    assert html_found(f"<p>Free delivery on every order!</p>{hidden}", "BR206") == ["BR206"]


def test_seen_terms_satisfy_a_pricing_claim_in_html() -> None:
    assert html_found("<p>Free delivery on every order!</p><p><small>Terms apply.</small></p>", "BR206") == []


@pytest.mark.parametrize(
    "body",
    [
        '<p>Guaranteed to keep you dry<span style="display:none">, see warranty terms</span>.</p>',
        '<p>Guaranteed to keep you dry<span style="font-size:1px">, see warranty terms</span>.</p>',
    ],
)
def test_a_hidden_qualifier_does_not_excuse_a_claim(body: str) -> None:
    assert html_found(body, "BR202") == ["BR202"]


def test_a_seen_qualifier_excuses_a_claim_in_html_and_text() -> None:
    assert html_found("<p>Guaranteed to keep you dry, see warranty terms.</p>", "BR202") == []
    assert found("Guaranteed to keep you dry, see warranty terms.", "BR202", QUALIFIED) == []


# -- hidden text can neither deny a seen claim nor turn it into an idiom -----------------------------------


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ('<p>We <span style="display:none">do not</span> guarantee results.</p>', "BR202"),
        ('<p>It <span style="font-size:0">never</span> relieves pain.</p>', "BR203"),
        ('<p>Our tea is <span style="color:#fff;background:#fff">not</span> a detox.</p>', "BR203"),
        ('<p>The best<span style="display:none"> wishes</span> coffee.</p>', "BR201"),
        ('<p>Free<span style="display:none"> time</span> delivery on every order!</p>', "BR206"),
        ('<p>Free<span style="display:none">-range</span> delivery on every order!</p>', "BR206"),
    ],
)
def test_hidden_text_does_not_excuse_a_seen_claim(body: str, code: str) -> None:
    assert html_found(body, code, CLAIMS) == [code]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("<p>We do <b>not</b> guarantee results.</p>", "BR202"),
        ("<p>It is not intended to diagnose, treat, <i>cure</i> or prevent any disease.</p>", "BR203"),
        ("<p>Best <em>wishes</em> from the team.</p>", "BR201"),
        ("<p>Our free-<b>range</b> eggs.</p>", "BR206"),
    ],
)
def test_seen_negations_and_idioms_across_inline_markup_still_count(body: str, code: str) -> None:
    assert html_found(body, code, CLAIMS) == []


def test_a_claim_only_in_hidden_text_is_still_found() -> None:
    assert html_found('<p>Our jacket.<span style="display:none"> Guaranteed dry.</span></p>', "BR202", CLAIMS)
