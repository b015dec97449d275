"""Claims: the causes behind the misses and false alarms of the third set's development half
(tests/data/claims_fresh2/dev.yaml), one test per cause, with wordings other than the set's."""

from __future__ import annotations

import time

import pytest
from content_testlib import content_policy, found

from brandrail.content.claims import claim_hits
from brandrail.text.document import Document

CLAIMS = content_policy({})


# -- a superlative about the outcome promised to the customer is a claim about the product --------------


@pytest.mark.parametrize(
    "text",
    [
        "Our swim squad makes you one of the quickest swimmers in the county.",
        "This course will make your team the most productive in the office.",
        "We turn nervous speakers into the most confident presenters in the room.",
        "Become the strongest climber at your wall in twelve weeks.",
        "Your cat will be the healthiest on the street.",
        "A programme that makes every pupil a top-5 finisher.",
        "Get the fittest body of your life.",
    ],
)
def test_a_superlative_outcome_for_the_customer_is_a_claim(text: str) -> None:
    assert found(text, "BR201"), text


@pytest.mark.parametrize(
    "text",
    [
        "Look your best at the wedding: book a trim.",
        "Bring your very best to race day.",
        "Be the first to hear about new classes.",
        "Make the most of your membership.",
        "What makes you the happiest on holiday? Tell us.",
    ],
)
def test_a_persons_own_best_or_an_invitation_is_not(text: str) -> None:
    assert not found(text, "BR201"), text


# -- a question about people, and a superlative inside a name, title or brand, are not claims -----------


@pytest.mark.parametrize(
    "text",
    [
        "Who's the strongest in the office? Find out at Friday's tug of war.",
        "Which is the quietest carriage on this train?",
        "Redeem your points for Best Buy or Currys vouchers.",
        "Your Best Buy giftcard balance is £12.",
        "Join us for the Britain's Strongest Woman heats on Saturday.",
        "Stay at the Greatest Hotel Inn in Blackpool from £50 a night.",
        "We're reading 'The Finest Hour' by Lena Marsh this month.",
        "Book tickets for The Fastest Knife screening this Friday.",
    ],
)
def test_a_question_or_a_name_is_not_a_superlative_claim(text: str) -> None:
    assert not found(text, "BR201"), text


@pytest.mark.parametrize(
    "text",
    [
        "Who else gives you the fastest broadband in town?",
        "Get the Best Broadband in town from us.",
        "Our Best Sellers are back.",
        '"Best coach I have ever had" — Jo, Bristol',
    ],
)
def test_a_capital_letter_or_a_rhetorical_question_still_claims(text: str) -> None:
    assert found(text, "BR201"), text


def test_a_price_word_in_a_name_is_no_offer() -> None:
    assert not found("Dinner at the Best Value Inn in Leeds from £12.", "BR206")
    assert found("Best value broadband in Leeds.", "BR206")


# -- absolutes of a record or a product that never fails ----------------------------------------------


def test_an_absolute_record_or_failure_is_a_superlative() -> None:
    assert found("We have never had a single failed inspection.", "BR201")
    assert found("Towels that never shrink.", "BR201")
    assert not found("We have never had a chance to thank you properly.", "BR201")


# -- a brain or body function improved is a health claim, "clinically" or not ---------------------------


@pytest.mark.parametrize(
    "text",
    [
        "These gummies sharpen your memory before exams.",
        "A tea that boosts alertness and mood.",
        "Increases stamina for long rides.",
        "Enjoy clearer thinking by lunchtime.",
        "Unleash your mind's full potential with our capsules.",
        "A balm that melts headaches away.",
        "Lowers cortisol after a long day.",
        "Prevents bloating after meals.",
        "Our app reduces burnout in shift workers.",
        "Improves your cognitive function in two weeks.",
    ],
)
def test_a_brain_or_body_function_improved_is_a_health_claim(text: str) -> None:
    assert found(text, "BR203"), text


@pytest.mark.parametrize(
    "text",
    [
        "Sharpen your negotiation skills in a one-day workshop.",
        "Boost your team's productivity with shared inboxes.",
        "Focus mode hides notifications while you write.",
        "Increase the concentration of the dye for a deeper colour.",
        "Sharpen your focus on the customers who matter.",
        "Double the memory of your laptop with our 32 GB upgrade kit.",
    ],
)
def test_skills_productivity_or_a_machines_memory_are_not_health(text: str) -> None:
    assert not found(text, "BR203"), text


# -- investment and income hype is a financial promise ---------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "This coin is headed to the moon.",
        "$ZAP is about to skyrocket.",
        "100x your savings with one trade.",
        "A 500x opportunity for early buyers.",
        "Your stake could be worth ten times more by summer.",
        "Could this be the next Ethereum?",
        "Our members became millionaires within a year.",
        "Our graduates quit their day jobs within months.",
        "Earn 25% APY farming rewards.",
        "Get financially free with our trading signals.",
        "Secure a $90k data analyst role.",
    ],
)
def test_investment_and_income_hype_is_a_financial_claim(text: str) -> None:
    assert found(text, "BR204"), text


@pytest.mark.parametrize(
    "text",
    [
        "We love you to the moon and back.",
        "Our app makes your code 10x faster.",
        "No course can make you rich overnight.",
        "Earn 4.1% AER variable on instant access savings.",
        "Twice the legroom, five times the snacks.",
    ],
)
def test_an_idiom_a_speed_figure_or_a_denial_is_not(text: str) -> None:
    assert not found(text, "BR204"), text


def test_financially_free_is_not_an_offer() -> None:
    assert not found("Become financially free: read our guide.", "BR206")


# -- offers: value superlatives and bonus points ---------------------------------------------------------


def test_unbeatable_value_and_double_points_are_offers() -> None:
    assert found("Unbeatable value on winter coats.", "BR206")
    assert found("Triple points on every order this week.", "BR206")


# -- the patterns stay linear on hostile input -----------------------------------------------------------


@pytest.mark.parametrize(
    "unit",
    [
        "make you the " * 3,
        "your " * 5 + "will be the ",
        "Best Buy " * 4,
        "The Best " + "Of " * 5,
        "who's the " * 3,
        "100x " * 5,
        "sharpen your " * 4,
        "to the moon " * 3,
        "never had a single " * 3,
    ],
)
def test_a_megabyte_of_near_misses_is_checked_in_linear_time(unit: str) -> None:
    """A megabyte of text made of the new patterns' openings, repeated without completing a claim, is checked
    by the claim rules in seconds, not minutes (a backtracking pattern would not finish)."""
    text = (unit * (1_000_000 // len(unit) + 1))[:1_000_000]
    doc = Document(text)
    started = time.thread_time()  # CPU time: a guard against backtracking, not a speed claim
    for kind in ("superlative", "guarantee", "health", "financial", "environmental", "pricing"):
        list(claim_hits(doc, CLAIMS, kind))
    assert time.thread_time() - started < 60


# -- a question after a short lead-in asks; a question the brand answers itself claims -------------------


@pytest.mark.parametrize(
    "text",
    [
        "Quick question — which jacket is the warmest in the range?",
        "So tell us: who's the fastest rider in the club?",
        "Be honest, is your current tent the best it could be?",
        "Okay, so where's the best place to camp near Keswick?",
        "Which jacket is warmest for you? We can help you choose.",
        "Who is the fastest courier in Britain? We think it depends on the route.",
    ],
)
def test_a_question_after_a_lead_in_is_not_a_claim(text: str) -> None:
    assert not found(text, "BR201"), text


@pytest.mark.parametrize(
    "text",
    [
        "Honestly, who else gives you the fastest delivery in Britain?",
        "Well, is this the fastest delivery in Britain?",
        "Our new tent, the fastest to pitch, which is best for you?",
        "Who is the fastest courier in Britain? We are.",
        "Dear Sam, who is the fastest courier in Britain? That's us.",
        "Which jacket is warmest? Ours, hands down.",
        "Who makes the best pies in Yorkshire? You're looking at it.",
        "Who has the best prices in town? We do!",
    ],
)
def test_a_lead_in_or_an_answer_naming_the_brand_still_claims(text: str) -> None:
    assert found(text, "BR201"), text
