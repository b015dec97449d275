"""AG506: an audience aimed by a protected attribute or a proxy of one, where the policy forbids it (credit,
housing, jobs), is denied or held for a human; ordinary marketing keeps its default (allowed)."""

from __future__ import annotations

from typing import Any

import pytest
from gate_testlib import action

from brandrail.errors import PolicyError
from brandrail.policy import loads_policy


def audience(*criteria: dict[str, Any], campaign: str | None = "loan-spring") -> dict[str, Any]:
    fields: dict[str, Any] = {"criteria": list(criteria), "estimated_size": 500}
    if campaign is not None:
        fields["campaign"] = campaign
    return action("target_audience", **fields)


def crit(attribute: str, value: Any = None, op: str = "eq") -> dict[str, Any]:
    return {"attribute": attribute, "op": op, "value": value}


@pytest.fixture
def deny_loans(make_gate: Any) -> Any:
    return make_gate(
        {"audience": {"protected_targeting": "deny", "protected_campaigns": ["loan-*", "home-*"]}}
    )


def test_by_default_marketing_may_aim_at_a_gender_or_an_age(make_gate: Any) -> None:
    gate = make_gate({})
    assert gate.decide(audience(crit("gender", "female"), crit("age", 30, "ge"))).outcome == "allow"
    assert gate.decide(audience(crit("zip_code", ["60621"], "in"))).outcome == "allow"


@pytest.mark.parametrize(
    ("criterion", "protected", "proxy"),
    [
        (crit("gender", "female"), "gender", None),
        (crit("customerSex", "F"), "sex", None),
        (crit("Geschlecht", "w"), "gender", None),  # another language's word for it
        (crit("age", 60, "gt"), "age", None),
        (crit("birth_year", 1960, "lt"), "age", None),  # a birth year bounds the age
        (crit("nationality", "PL"), "nationality", None),
        (crit("gender", "male", "ne"), "gender", None),  # excluding a group selects the rest
        (crit("segment", "women"), "gender", None),  # a value that names a protected group
        (crit("zip_code", ["60621", "60636"], "in"), None, "zip code"),
        (crit("preferredLanguage", "es"), None, "language"),
        (crit("first_name", ["Mohammed", "Fatima"], "in"), None, "first name"),
    ],
)
def test_a_protected_attribute_or_a_proxy_is_denied_in_a_listed_campaign(
    deny_loans: Any, criterion: dict[str, Any], protected: str | None, proxy: str | None
) -> None:
    decision = deny_loans.decide(audience(criterion))
    assert decision.outcome == "deny" and decision.codes == ["AG506"]
    evidence = decision.findings[0].evidence
    assert evidence["protected"] == protected and evidence["proxy"] == proxy
    assert evidence["campaign"] == "loan-spring" and evidence["pattern"] == "loan-*"
    assert evidence["attribute"] == criterion["attribute"] and evidence["op"] == criterion["op"]


def test_other_campaigns_and_neutral_criteria_pass(deny_loans: Any) -> None:
    assert deny_loans.decide(audience(crit("gender", "female"), campaign="spring-dresses")).outcome == "allow"
    assert deny_loans.decide(audience(crit("gender", "female"), campaign=None)).outcome == "allow"
    assert deny_loans.decide(
        audience(crit("is_customer", True), crit("credit_limit", 1000, "ge"))
    ).outcome == ("allow")
    # patterns ignore case
    assert deny_loans.decide(audience(crit("gender", "f"), campaign="LOAN-Autumn")).codes == ["AG506"]


def test_keeping_out_minors_is_not_targeting_by_age(deny_loans: Any) -> None:
    assert deny_loans.decide(audience(crit("age", 18, "ge"))).outcome == "allow"
    assert deny_loans.decide(audience(crit("age", 17, "gt"))).outcome == "allow"
    assert (
        deny_loans.decide(audience(crit("birth_year", 2007, "le"))).outcome == "allow"
    )  # 18 or older in 2026
    narrowed = deny_loans.decide(audience(crit("age", 18, "ge"), crit("age", 30, "lt")))
    assert narrowed.codes == ["AG506"] and narrowed.findings[0].evidence["op"] == "lt"
    assert deny_loans.decide(audience(crit("age", 25, "ge"))).codes == ["AG506"]


def test_review_holds_the_audience_for_a_human(make_gate: Any) -> None:
    gate = make_gate({"audience": {"protected_targeting": "review"}})
    decision = gate.decide(audience(crit("gender", "female"), campaign=None))  # "*" matches no campaign too
    assert decision.outcome == "review" and "AG506" in decision.codes
    finding = next(f for f in decision.findings if f.code == "AG506")
    assert finding.severity.value == "warning"


def test_the_proxy_list_is_the_policy_s(make_gate: Any) -> None:
    gate = make_gate({"audience": {"protected_targeting": "deny", "proxy_attributes": ["store_region"]}})
    assert gate.decide(audience(crit("zip_code", ["60621"], "in"))).outcome == "allow"
    assert gate.decide(audience(crit("storeRegion", "south-side"))).codes == ["AG506"]


def test_a_bad_setting_is_a_policy_error_with_its_position() -> None:
    text = "gate:\n  audience:\n    protected_targeting: block\n"
    with pytest.raises(PolicyError) as info:
        loads_policy(text, name="p.yaml")
    shown = str(info.value) + "".join(str(i) for i in info.value.issues)
    assert "p.yaml:3:" in shown and "protected_targeting" in shown


# -- AG507: an audience chosen by a model's output, where protected targeting is guarded ---------------------


@pytest.mark.parametrize(
    ("criterion", "word", "where"),
    [
        (crit("lookalike_1pct", True), "lookalike", "attribute"),
        (crit("lookAlikeSeed", "past-borrowers"), "look alike", "attribute"),
        (crit("propensityScore", 0.7, "ge"), "propensity", "attribute"),
        (crit("predicted_ltv", 500, "gt"), "predicted", "attribute"),
        (crit("default_likelihood", 0.1, "lt"), "likelihood", "attribute"),
        (crit("custom_audience", "Lookalike (US, 1%) - Purchasers"), "lookalike", "value"),
        (crit("audience", ["LAL_2pct_buyers", "newsletter"], "in"), "lal", "value"),
        (crit("segment", "similar audiences: approved applicants"), "similar audiences", "value"),
    ],
)
def test_a_model_s_output_is_held_for_a_human_where_protected_targeting_is_guarded(
    deny_loans: Any, criterion: dict[str, Any], word: str, where: str
) -> None:
    decision = deny_loans.decide(audience(criterion))
    assert decision.outcome == "review" and decision.codes == ["AG507"]
    finding = decision.findings[0]
    assert finding.severity.value == "warning"
    assert finding.evidence["modelled"] == word and finding.evidence["where"] == where
    assert finding.evidence["attribute"] == criterion["attribute"]
    assert finding.evidence["campaign"] == "loan-spring" and finding.evidence["pattern"] == "loan-*"
    assert finding.evidence["threshold"] == "gate.audience.modelled_targeting: review"


def test_a_modelled_audience_passes_where_protected_targeting_is_not_guarded(
    make_gate: Any, deny_loans: Any
) -> None:
    lookalike = crit("lookalike_1pct", True)
    # the default policy allows protected targeting, so it does not look for models either
    assert make_gate({}).decide(audience(lookalike)).outcome == "allow"
    # a campaign outside protected_campaigns
    assert deny_loans.decide(audience(lookalike, campaign="spring-dresses")).outcome == "allow"
    # words that only share letters with a listed one are not it
    for neutral in (crit("similarity_to_product", 0.5, "ge"), crit("lalique_collector", True),
                    crit("segment", "loyal customers"), crit("predict", "x")):  # fmt: skip
        assert deny_loans.decide(audience(neutral)).outcome == "allow", neutral


def test_modelled_targeting_deny_allow_and_the_policy_s_own_words(make_gate: Any) -> None:
    base = {"protected_targeting": "deny", "protected_campaigns": ["loan-*"]}
    deny = make_gate({"audience": {**base, "modelled_targeting": "deny"}})
    decision = deny.decide(audience(crit("propensity_decile", 3, "le")))
    assert decision.outcome == "deny" and decision.codes == ["AG507"]
    assert decision.findings[0].severity.value == "error"
    allow = make_gate({"audience": {**base, "modelled_targeting": "allow"}})
    assert allow.decide(audience(crit("propensity_decile", 3, "le"))).outcome == "allow"
    own = make_gate({"audience": {**base, "modelled_attributes": ["uplift"]}})
    assert own.decide(audience(crit("upliftBand", "high"))).codes == ["AG507"]
    assert (
        own.decide(audience(crit("lookalike_1pct", True))).outcome == "allow"
    )  # the list replaces the default


def test_a_protected_attribute_is_ag506_not_ag507(deny_loans: Any) -> None:
    # "predicted_gender" names a protected attribute: the stronger finding, once
    decision = deny_loans.decide(audience(crit("predicted_gender", "female")))
    assert decision.codes == ["AG506"]


def test_a_bad_modelled_setting_is_a_policy_error_with_its_position() -> None:
    text = "gate:\n  audience:\n    modelled_targeting: maybe\n"
    with pytest.raises(PolicyError) as info:
        loads_policy(text, name="p.yaml")
    shown = str(info.value) + "".join(str(i) for i in info.value.issues)
    assert "p.yaml:3:" in shown and "modelled_targeting" in shown
