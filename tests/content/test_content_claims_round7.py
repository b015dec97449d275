"""Claims: the classes behind the misses and false alarms still open in the older held-out sets
(tests/data/claims_fresh/heldout.yaml, claims_fresh2/heldout.yaml: development data since they were measured)
and in the seventh part (claims_fresh4/fresh7.yaml), one test per class, worded for other products (a bicycle
shop and a bank) than those sets."""

from __future__ import annotations

import pytest
from content_testlib import found


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # guarantees in other words: a proof against failure, a promise backed by a forfeit
        ("Bulletproof tyres for the school run.", "BR202"),
        ("Ironclad protection for your e-bike battery.", "BR202"),
        ("Serviced in 24 hours or we refund the labour.", "BR202"),
        ("Fixed by Friday or the service is on us.", "BR202"),
        # income and returns without the usual words
        ("Lend your stablecoins and earn 14% APY.", "BR204"),
        ("Earn 10% a year on every pound you put in.", "BR204"),
        ("Our riders make money while they sleep.", "BR204"),
        ("Guaranteed weekly payouts for every courier.", "BR204"),
        ("Graduates earn back their tuition within a year.", "BR204"),
        # green: a smaller impact, unquantified; a greener world as the effect
        ("Frames built with a smaller carbon footprint.", "BR205"),
        ("Commute with less harm to the environment.", "BR205"),
        ("Ride to work for a greener future.", "BR205"),
        # superlatives: a segment's, "of any", "ever made", "nobody … better than we do", a sales superlative
        ("The lightest frame in its class.", "BR201"),
        ("The lowest rolling resistance of any commuter tyre.", "BR201"),
        ("The most reliable lock ever built.", "BR201"),
        ("Nobody fits a saddle better than we do.", "BR201"),
        ("Climb faster than on any other bike.", "BR201"),
        ("Our bestselling helmet is back.", "BR201"),
        ("Never miss a train again.", "BR201"),
        # health: a disease with its organ, shielding from it, a possessor and a body part before a condition
        ("Our sun sleeves protect against skin cancer.", "BR203"),
        ("Shields riders from lung disease on smoggy days.", "BR203"),
        ("The saddle eases your partner's back pain.", "BR203"),
        ("Reduces knee inflammation after long rides.", "BR203"),
        # prices: money less, a fee waived
        ("Trade in your old bike and pay £80 less.", "BR206"),
        ("Sign up today and pay no admin fee.", "BR206"),
        ("Free of charge: a bell with every bike.", "BR206"),
        ("Servicing is free from Monday for members.", "BR206"),
    ],
)
def test_claims_in_other_words_are_claims(text: str, code: str) -> None:
    assert found(text, code), text


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Police riders wear bulletproof vests under their jackets.", "BR202"),
        ("Book a slot in the app or we'll call you to arrange one.", "BR202"),
        ("Savings: no guaranteed returns, and your capital is at risk.", "BR202"),
        ("Savings: no guaranteed returns, and your capital is at risk.", "BR204"),
        ("Easy Saver pays 3.9% AER variable.", "BR204"),
        ("Earn 5% cashback on bike accessories.", "BR204"),
        ("Is your bike really the best it could be? Book a check.", "BR201"),
        ("Is the Rovio really the lightest gravel bike? Our scales say no.", "BR201"),
        ("Unbeatable bosses and tricky levels in our cycling game.", "BR201"),
        ("Find the fastest route through town in the app.", "BR201"),
        ("The toughest level in Pedal Quest is the hill climb.", "BR201"),
        ("Our mechanics' number one tip: check your tyre pressure weekly.", "BR201"),
        ("Grips are free of latex.", "BR206"),
        ("Chain oil free from PFAS and solvents.", "BR206"),
        ("Latex-free grips.", "BR206"),
        ("Helmets protect against head injuries.", "BR203"),
    ],
)
def test_look_alikes_are_not(text: str, code: str) -> None:
    assert not found(text, code), text


def test_a_brand_asking_about_its_own_superlative_still_claims_it() -> None:
    assert found("Could this be the best bike you'll ever own?", "BR201")
