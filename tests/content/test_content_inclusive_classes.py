"""Inclusive language: the classes the red-team on tests/data/claims found (inflected forms of listed terms,
replication terms, "manned", and "sherpa" as a fabric), with wordings other than the labelled set's."""

from __future__ import annotations

import pytest
from content_testlib import content_policy

from brandrail.engine import check_text

POLICY = content_policy({})


def found(text: str) -> list[str]:
    result = check_text(text, POLICY)
    return [text[f.span.start : f.span.end] for f in result.findings if f.code == "BR601" and f.span]


# -- inclusive language: inflected forms, replication terms, and a fabric name ------------------------------


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("Senders you blacklisted stay blocked.", "blacklisted"),
        ("Whitelisting takes a minute.", "Whitelisting"),
        ("Set up master/slave replication.", "master/slave"),
        ("Two slaves follow the primary.", "slaves"),
        ("The stand is manned all day.", "manned"),
        ("Sanity-check your numbers.", "Sanity-check"),
    ],
)
def test_inclusive_terms_in_other_forms(text: str, term: str) -> None:
    assert found(text) == [term]


@pytest.mark.parametrize(
    "text",
    ["Sherpa fleece hoodies are back.", "Our sherpa-lined slippers.", "A jacket with a sherpa collar."],
)
def test_sherpa_as_a_fabric_is_not_about_people(text: str) -> None:
    assert found(text) == [], text


def test_sherpa_of_people_is_still_flagged() -> None:
    assert found("Our data sherpa will guide you.") == ["sherpa"]
