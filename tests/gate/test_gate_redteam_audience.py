"""Audiences and price segments read in more of the words people use (found by the held-out red-team set,
tests/data/gate_attacks; these are cases of their own):

* protected campaigns are matched in canonical form ("ｈｏｍｅ-equity" is home-*);
* protected groups named by salutations, pronouns, mothers and fathers (as a whole value), proxies of
  neighbourhood, papers, address and graduation year, and attributes that name the group ("is_deaf");
* special categories by their other names ("politicalParty", "religious_…", "has_diabetes");
* fractional age bounds, lists of age ranges, other languages' words for age, and a thing's age
  ("listing_age_days") that bounds no person.
"""

from __future__ import annotations

from typing import Any

import pytest
from gate_testlib import action

from brandrail.gate.actions import AudienceCriterion
from brandrail.gate.audience import age_bounds, protected_attribute, protected_value, sensitive_attribute

SENSITIVE = ["health", "ethnicity", "religion", "sexual_orientation", "political", "union"]
PROTECTED = ["age", "gender", "sex", "race", "ethnicity", "religion", "disability", "nationality"]


def crit(attribute: str, value: Any = None, op: str = "eq") -> dict[str, Any]:
    return {"attribute": attribute, "op": op, "value": value}


def audience(*criteria: dict[str, Any], campaign: str | None = "home-equity") -> dict[str, Any]:
    return action("target_audience", campaign=campaign, criteria=list(criteria), estimated_size=500)


# -- protected campaigns, groups and proxies ----------------------------------------------------------------


@pytest.fixture
def deny_homes(make_gate: Any) -> Any:
    return make_gate({"audience": {"protected_targeting": "deny", "protected_campaigns": ["home-*"]}})


@pytest.mark.parametrize("campaign", ["HOME\u2014equity", "ｈｏｍｅ-equity", "ho\u200bme-equity"])
def test_a_protected_campaign_is_matched_in_canonical_form(deny_homes: Any, campaign: str) -> None:
    decision = deny_homes.decide(audience(crit("gender", "male"), campaign=campaign))
    assert decision.codes == ["AG506"] and decision.findings[0].evidence["pattern"] == "home-*"


@pytest.mark.parametrize(
    "criterion",
    [
        crit("salutation", "Ms"),
        crit("preferred_pronoun", "he/him"),
        crit("segment", "dads"),
        crit("group", ["Mrs", "Miss"], "in"),
        crit("year_of_graduation", 1990, "le"),
        crit("neighborhood", "Englewood"),
        crit("immigration_status", "green card"),
        crit("is_deaf", True),  # the attribute names the group itself
        crit("seniors_flag", True),
    ],
)
def test_more_protected_groups_and_proxies_are_read(deny_homes: Any, criterion: dict[str, Any]) -> None:
    decision = deny_homes.decide(audience(criterion))
    assert decision.outcome == "deny" and decision.codes == ["AG506"], criterion


def test_a_similar_to_audience_is_a_models_output(deny_homes: Any) -> None:
    decision = deny_homes.decide(audience(crit("custom_audience", "Similar to: past applicants (3%)")))
    assert decision.outcome == "review" and decision.codes == ["AG507"]


@pytest.mark.parametrize(
    "criterion",
    [
        crit("listing_age_days", 10, "le"),  # a thing's age, not a person's
        crit("account_age_months", 6, "ge"),
        crit("store", "Miss Selfridge"),  # a shop, not a salutation
        crit("event", "Mother's Day"),
        crit("interests", "garden design"),
    ],
)
def test_look_alikes_of_protected_criteria_pass(deny_homes: Any, criterion: dict[str, Any]) -> None:
    assert deny_homes.decide(audience(criterion)).outcome == "allow", criterion


def test_whole_value_terms_name_a_group_only_as_the_whole_value() -> None:
    assert protected_value("ladies only", PROTECTED) == ("gender", "ladies")
    assert protected_value("mums", PROTECTED) == ("gender", "mums")
    assert protected_value("Ladies night", PROTECTED) is None
    assert protected_value("Miss Selfridge", PROTECTED) is None
    assert protected_attribute("wheelchair_user", PROTECTED) == "disability"
    assert protected_attribute("device_age", PROTECTED) is None


@pytest.mark.parametrize(
    ("segment", "keyed"),
    [
        ({"sexo": "F"}, True),  # another language's word, as audiences read it
        ({"seniors_only": True}, True),  # the key names the group
        ({"title": "Mrs"}, True),  # the whole value is a salutation
        ({"brand": "Miss Selfridge"}, False),
        ({"promo": "Mother's Day"}, False),
    ],
)
def test_price_segments_are_read_like_audiences(make_gate: Any, segment: dict[str, Any], keyed: bool) -> None:
    decision = make_gate().decide(action("set_price", item="tent", price="100", segment=segment))
    assert decision.codes == (["AG206"] if keyed else []), segment


# -- special categories -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attribute", "category"),
    [
        ("politicalParty", "political"),
        ("religious_holidays_observed", "religion"),
        ("has_diabetes", "health"),
        ("union_membership_status", "union"),
        ("sexualPreference", "sexual_orientation"),
    ],
)
def test_special_categories_are_read_by_their_other_names(attribute: str, category: str) -> None:
    assert sensitive_attribute(attribute, SENSITIVE) == category


@pytest.mark.parametrize(
    "attribute", ["party_size", "faithful_customer", "trail_difficulty", "unionjack_fan"]
)
def test_words_near_special_categories_are_not_them(attribute: str) -> None:
    assert sensitive_attribute(attribute, SENSITIVE) is None


def test_an_audience_on_a_categorys_other_name_is_denied(make_gate: Any) -> None:
    gate = make_gate({"sensitive_categories": SENSITIVE})
    decision = gate.decide(audience(crit("politicalParty", "any", "exists"), campaign="spring"))
    assert decision.outcome == "deny" and decision.codes == ["AG501"]
    assert gate.decide(audience(crit("party_size", 4, "ge"), campaign="spring")).outcome == "allow"


# -- ages -----------------------------------------------------------------------------------------------------


def _ages(*criteria: dict[str, Any]) -> tuple[float | None, float | None]:
    from datetime import UTC, datetime

    bounds = age_bounds([AudienceCriterion(**c) for c in criteria], datetime(2026, 5, 4, tzinfo=UTC))
    return bounds.low, bounds.high


@pytest.mark.parametrize(
    ("criterion", "reaches_minors"),
    [
        (crit("age", 15.5, "gt"), True),
        (crit("age", 17.25, "ge"), True),
        (crit("age", 18.0, "ge"), False),  # a whole number written as a float
        (crit("age", 17, "gt"), False),  # whole years: over 17 is 18 and up
        (crit("age", ["16-17", "18-20"], "in"), True),
        (crit("age", ["21-29", "30-39"], "in"), False),
        (crit("age", ["18+"], "in"), False),
        (crit("idade", 16, "ge"), True),  # Portuguese
        (crit("leeftijd", 21, "ge"), False),  # Dutch
        (crit("device_age_months", 24, "le"), False),  # a device's age bounds no person
    ],
)
def test_age_bounds(make_gate: Any, criterion: dict[str, Any], reaches_minors: bool) -> None:
    decision = make_gate().decide(audience(criterion, campaign="spring"))
    assert (decision.codes == ["AG502"]) is reaches_minors, (criterion, _ages(criterion), decision.codes)


# -- values inside objects, unreadable bounds, age groups with numbers, nested price segments -----------------
# (found by a second probe written after the held-out run; cases of their own)


def test_an_objects_strings_are_read_as_the_value(make_gate: Any) -> None:
    gate = make_gate({"sensitive_categories": SENSITIVE})
    value = {"include": {"topics": ["camping", "chemotherapy"]}}
    decision = gate.decide(audience(crit("interests", value, "in"), campaign="spring"))
    assert decision.outcome == "deny" and decision.codes == ["AG501"]
    assert sensitive_attribute("interests", SENSITIVE) is None  # the attribute alone names nothing


@pytest.mark.parametrize(
    ("criterion", "reaches_minors"),
    [
        (crit("age", {"from": 14, "to": 40}, "between"), True),  # an object the gate cannot read as ages
        (crit("age", "fourteen", "ge"), True),
        (crit("age", "21-35", "between"), False),  # a range written as text
        (crit("age", "12-35", "between"), True),
    ],
)
def test_an_age_comparison_the_gate_cannot_read_reaches_every_age(
    make_gate: Any, criterion: dict[str, Any], reaches_minors: bool
) -> None:
    decision = make_gate().decide(audience(criterion, campaign="spring"))
    assert (decision.codes == ["AG502"]) is reaches_minors, (criterion, decision.codes)


def test_an_unreadable_age_bound_does_not_loosen_a_readable_one(make_gate: Any) -> None:
    decision = make_gate().decide(
        audience(crit("age", 25, "ge"), crit("age", "thirty-ish", "le"), campaign="spring")
    )
    assert decision.codes == []


@pytest.mark.parametrize("value", ["over 75s", "under-35", "aged 40-49", "25 year olds"])
def test_an_age_group_with_its_number_is_a_protected_value(deny_homes: Any, value: str) -> None:
    decision = deny_homes.decide(audience(crit("segment", value)))
    # "under-35" also reaches people under 18, as "age: under 35" does (AG502, tests/gate/test_gate_segment_minors.py)
    assert decision.codes == (["AG502", "AG506"] if value == "under-35" else ["AG506"]), value
    protected = next(f for f in decision.findings if f.code == "AG506")
    assert protected.evidence["protected"] == "age", value


@pytest.mark.parametrize("value", ["over 50 items bought", "top 20 buyers", "70s rock fans"])
def test_numbers_that_are_not_ages_pass(deny_homes: Any, value: str) -> None:
    assert deny_homes.decide(audience(crit("segment", value))).codes == [], value


@pytest.mark.parametrize(
    ("segment", "keyed"),
    [
        ({"rules": {"customer_sex": "f"}}, True),
        ({"tiers": [{"loyalty": "gold"}, {"group": "pensioners"}]}, True),
        ({"rules": {"min_items": 3, "channel": "app"}}, False),
    ],
)
def test_a_price_segment_is_read_at_any_depth(make_gate: Any, segment: dict[str, Any], keyed: bool) -> None:
    decision = make_gate().decide(action("set_price", item="tent", price="100", segment=segment))
    assert decision.codes == (["AG206"] if keyed else []), segment
