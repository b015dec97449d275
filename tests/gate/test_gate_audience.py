"""The ages an audience reaches, against a brute-force reference: every whole age from 0 to 130 tried
against every criterion as the operator reads in words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from brandrail.gate.audience import age_bounds, name_words, sensitive_value

NOW = datetime(2026, 5, 4, tzinfo=UTC)


@dataclass(frozen=True)
class Crit:
    attribute: str
    op: str
    value: Any


def _holds(age: int, crit: Crit) -> bool:
    v = crit.value
    return {
        "lt": lambda: age < v,
        "le": lambda: age <= v,
        "gt": lambda: age > v,
        "ge": lambda: age >= v,
        "eq": lambda: age == v,
        "between": lambda: v[0] <= age <= v[1],
        "in": lambda: age in v,
    }[crit.op]()


AGE_CRITERION = st.one_of(
    st.builds(Crit, st.just("age"), st.sampled_from(["lt", "le", "gt", "ge", "eq"]), st.integers(0, 100)),
    st.builds(
        Crit,
        st.just("age"),
        st.just("between"),
        st.tuples(st.integers(0, 100), st.integers(0, 100)).map(lambda t: [min(t), max(t)]),
    ),
    st.builds(Crit, st.just("age"), st.just("in"), st.lists(st.integers(0, 100), min_size=1, max_size=4)),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(AGE_CRITERION, min_size=1, max_size=3), st.sampled_from([13, 16, 18, 21]))
def test_an_audience_reaches_minors_exactly_when_some_minor_age_meets_every_criterion(
    criteria: list[Crit], minimum: int
) -> None:
    reference = any(all(_holds(age, c) for c in criteria) for age in range(0, minimum))
    got = age_bounds(criteria, NOW).reaches_under(minimum)
    if reference:
        assert got  # never misses a minor
    elif not any(c.op == "in" for c in criteria):
        assert not got  # exact for bounds; a list of ages is read as its span (it may deny more, never less)


def test_birth_years_bound_the_age_both_ways() -> None:
    def reaches(op: str, value: Any) -> bool:
        return age_bounds([Crit("birth_year", op, value)], NOW).reaches_under(18)

    # born after 2012: at most 13 in 2026
    assert reaches("gt", 2012) and reaches("ge", 2008)  # born 2008: 17 or 18
    assert not reaches("le", 2007)  # born 2007 or before: at least 18
    assert not reaches("lt", 2008)
    assert reaches("eq", 2008) and not reaches("eq", 2007)
    assert reaches("between", [1990, 2010]) and not reaches("between", [1950, 2000])


def test_names_are_read_through_disguises_and_humps() -> None:
    assert name_words("sexualOrientation") == ["sexual", "orientation"]
    assert name_words("eth\u200bnicity") == ["ethnicity"]
    assert name_words("ETHNIC_Group") == ["ethnic", "group"]
    assert name_words("ageRangeURL") == ["age", "range", "url"]


def test_a_category_a_policy_leaves_out_is_not_looked_for() -> None:
    assert sensitive_value("diabetes", ["health"]) == ("health", "diabetes")
    assert sensitive_value("diabetes", ["religion"]) is None
    assert sensitive_value(["hiking", ["deep", "Muslims"]], ["faith"]) == ("religion", "muslims")
