"""Disguises of the fifth round (the causes behind the third held-out set's errors), each fixed for its
general cause: other hyphens, handles read as e-mail addresses, German place names read as compounds,
leet symbols outside the old map and leet written with several characters, hashtags and closed compounds,
punctuation inside a word, emoji standing in for letters. Every example is written for these tests (none is
copied from the pinned sets in tests/data), with look-alikes that must stay clean."""

from __future__ import annotations

import pytest
from content_testlib import content_policy

from brandrail.engine import check_text

POLICY = content_policy(
    {
        "terms": {
            "banned": [
                {"term": "radiant"},
                {"term": "miracle"},
                {"term": "spotless"},
                {"term": "cheapo"},
                {"term": "billig"},
                {"term": "Schrott"},
            ]
        },
        "claims": {"pricing": {"required": ["t&cs apply"]}},
    }
)


def fired(text: str, kind: str = "text", policy: object = POLICY) -> list[tuple[str, str]]:
    result = check_text(text, policy, kind=kind)  # type: ignore[arg-type]
    return [(f.code, text[f.span.start : f.span.end] if f.span else "") for f in result.findings]


def codes(text: str, kind: str = "text") -> set[str]:
    return {c for c, _ in fired(text, kind)}


# -- 1. hyphens other than "-" ------------------------------------------------------------------------------


@pytest.mark.parametrize("hyphen", ["\u2011", "\u2010"])
def test_a_claim_with_another_hyphen_is_read(hyphen: str) -> None:
    text = f"Try it risk{hyphen}free this month."
    assert ("BR202", f"risk{hyphen}free") in fired(text), fired(text)


def test_a_claim_with_an_entity_hyphen_in_html_is_read() -> None:
    text = "<p>Enjoy it r&shy;isk&#8208;free this month.</p>"
    assert "BR202" in codes(text, "html"), fired(text, "html")


@pytest.mark.parametrize(
    "text", ["Temperatures of \u22125 to 10 degrees.", "Pages 10\u201312 and 14\u201416."]
)
def test_dashes_and_minus_signs_stay(text: str) -> None:
    assert "BR202" not in codes(text)


# -- 2. a handle with a dot is no e-mail address -----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Say hi to @maria.lopez.studio on the tour.",
        "Tag @j.doe_makeup in your photos.",
        "Credits: @le.petit.atelier and @ana.",
    ],
)
def test_a_social_handle_with_dots_is_not_an_email(text: str) -> None:
    assert "PV101" not in codes(text), fired(text)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("Reach tom @example.com any time.", "tom @example.com"),
        ("Reach tom @ example.org any time.", "tom @ example.org"),
        ("Reach tom@maria.lopez any time.", "tom@maria.lopez"),  # glued on both sides: an address
        ("Reach tom @shop.example.de any time.", "tom @shop.example.de"),
    ],
)
def test_addresses_written_with_a_spaced_at_are_still_found(text: str, where: str) -> None:
    assert ("PV101", where) in fired(text), fired(text)


# -- 3. German place names are no compounds -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Wir liefern nach Billighausen und in die Umgebung.",
        "Unser Lager steht in Schrottdorf bei der Autobahn.",
        "Die Filiale in Billigstedt-Oberhofen ist geschlossen.",
    ],
)
def test_a_capitalised_place_name_is_no_compound(text: str) -> None:
    assert "BR101" not in codes(text), fired(text)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("Das ist ein Billigangebot und keine Qualität.", "Billigangebot"),
        ("Das ist doch Schrottware und nicht gut.", "Schrottware"),
        ("Wir sind keine Billigheimer und das ist gut.", "Billigheimer"),  # no place ending
    ],
)
def test_compounds_are_still_read(text: str, where: str) -> None:
    assert ("BR101", where) in fired(text), fired(text)
