"""Minors named through a generic audience segment ("kids 8-12", "under-16s", "Year 7 pupils", "niños de 8
a 12") are read as minors (AG502); segments about adults that mention children, and adult age ranges, are
not."""

from __future__ import annotations

from typing import Any

import pytest
from gate_testlib import action

from brandrail.gate.audience import minors_named, segment_attribute


def crit(attribute: str, value: Any, op: str = "eq") -> dict[str, Any]:
    return {"attribute": attribute, "op": op, "value": value}


def audience(*criteria: dict[str, Any]) -> dict[str, Any]:
    return action("target_audience", campaign="spring", criteria=list(criteria), estimated_size=500)


MINORS = [
    "kids 8-12",
    "teens 13-15",
    "under-16s",
    "ages 10 to 14",
    "school children",
    "Year 7 pupils",
    "niños de 8 a 12",
    "Jugendliche 14–17",
    "Schüler der Klasse 6",
    "enfants de 6 à 10 ans",
    "bambini 6-10 anni",
    "kinderen 8-12 jaar",
    "crianças",
    "grade 8 students",
    "15 year olds",
    "U16 squad",
    "menores de 16",
    "ＫＩＤＳ 8-12",  # full-width letters
    "ki\u200bds",  # a zero-width character
]

NOT_MINORS = [
    "kids' clothing buyers (parents)",
    "ages 18-24",
    "Teens Fashion brand fans 18+",
    "parents of teens",
    "Eltern von Kindern",
    "families with young children",
    "toys for kids shoppers",
    "ropa de niños compradores",
    "Kinder Bueno lovers",
    "top 10-20 buyers",
    "10+ purchases",
    "size 8-12 shoppers",
    "U2 fans",
    "Lookalike 1-3% purchasers",
    "young professionals 25-34",
    "Gen Z 18-24",
    "spring 2024-25 buyers",
    "under 20 GBP basket",
    "minor league baseball fans",
    "child-free couples",
    "kid-friendly venue visitors",
    "Nina Ricci fragrance fans",
]


@pytest.mark.parametrize("value", MINORS)
@pytest.mark.parametrize("attribute", ["segment", "customAudience", "audience_description", "persona"])
def test_a_segment_that_names_minors_is_denied(make_gate: Any, attribute: str, value: str) -> None:
    decision = make_gate().decide(audience(crit(attribute, value)))
    assert decision.outcome == "deny" and decision.codes == ["AG502"], (attribute, value, decision.codes)
    assert decision.findings[0].evidence["term"]


@pytest.mark.parametrize("value", NOT_MINORS)
def test_a_segment_about_adults_passes(make_gate: Any, value: str) -> None:
    decision = make_gate().decide(audience(crit("segment", value)))
    assert decision.codes == [], (value, [f.message for f in decision.findings])


def test_a_segment_inside_a_list_or_object_is_read(make_gate: Any) -> None:
    gate = make_gate()
    assert gate.decide(audience(crit("segments", ["runners", "teens 13-15"], "in"))).codes == ["AG502"]
    assert gate.decide(audience(crit("audience", {"name": "Back to school", "desc": "kids 8-12"}))).codes == [
        "AG502"
    ]


def test_excluding_a_segment_of_minors_is_not_targeting_them(make_gate: Any) -> None:
    gate = make_gate()
    assert gate.decide(audience(crit("segment", "kids 8-12", "ne"))).codes == []
    assert gate.decide(audience(crit("segment", ["under-16s"], "not_in"))).codes == []


def test_the_minimum_age_is_the_policy_s(make_gate: Any) -> None:
    assert minors_named("teens 16-17", 18) == "16-17"
    assert minors_named("teens 16-17", 16) is None
    assert make_gate({"minimum_age": 16}).decide(audience(crit("segment", "teens 16-17"))).codes == []


def test_only_segment_like_attributes_are_read_as_segments() -> None:
    assert segment_attribute("segment") and segment_attribute("customAudienceName")
    assert segment_attribute("Zielgruppe") and not segment_attribute("product_category")


@pytest.mark.parametrize(
    ("attribute", "value"),
    [
        ("school_year", "Year 10"),
        ("schoolYear", 8),
        ("year_group", ["Y7", "Y8"]),
        ("grade_level", "7th"),
        ("Klassenstufe", "Klasse 6"),
        ("curso_escolar", "3º ESO"),
    ],
)
def test_a_school_year_attribute_selects_minors(make_gate: Any, attribute: str, value: Any) -> None:
    decision = make_gate().decide(audience(crit(attribute, value)))
    assert decision.outcome == "deny" and decision.codes == ["AG502"], (attribute, value, decision.codes)


@pytest.mark.parametrize(
    ("attribute", "value"),
    [
        ("school_year", "2025/26"),  # a calendar school year selects nobody by age
        ("university_year", "Year 2"),
        ("graduation_year_band", "Year 2"),
        ("product_grade", "grade 8"),
    ],
)
def test_other_years_and_grades_are_not_school_years(make_gate: Any, attribute: str, value: Any) -> None:
    assert "AG502" not in make_gate().decide(audience(crit(attribute, value))).codes


def test_excluding_a_school_year_is_not_targeting_it(make_gate: Any) -> None:
    assert make_gate().decide(audience(crit("school_year", "Year 10", "ne"))).codes == []
