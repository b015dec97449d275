"""Issue 14 item 8: policy keys a real guideline needs — context exceptions for banned terms, all-caps
exceptions by line or pattern, a required unsubscribe link, every part of the postal address, the brand's own
claim patterns, and opt-in edit-distance tolerance — each with file:line:col errors for bad values."""

from __future__ import annotations

import pytest
from content_testlib import content_policy, only_content

from brandrail.engine import check_text
from brandrail.errors import PolicyError
from brandrail.policy import loads_policy


def spans(text: str, code: str, policy: object, channel: str | None = None) -> list[str]:
    result = check_text(text, policy, channel=channel)  # type: ignore[arg-type]
    return [text[f.span.start : f.span.end] if f.span else "" for f in result.findings if f.code == code]


# -- context exceptions for banned terms ---------------------------------------------------------------

TERMS = content_policy(
    {
        "terms": {
            "banned": [
                {"term": "bloody", "allow": ["Bloody Foreland", "Bloody Bridge"]},
                {
                    "term": "sick",
                    "unless": [r"\b(?:feel|feeling|felt|off)\s+sick\b", r"\bsick (?:leave|pay|day)"],
                },
            ]
        }
    }
)


@pytest.mark.parametrize(
    "text",
    [
        "Walk out to Bloody Foreland at dusk.",
        "The path past Bloody  Bridge is steep.",
        "If you feel sick on the ferry, sit outside.",
        "Our staff get sick pay from day one.",
    ],
)
def test_banned_term_context_exceptions(text: str) -> None:
    assert spans(text, "BR101", TERMS) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("That was a bloody good walk.", "bloody"),
        ("These boots are sick.", "sick"),
        ("Bloody hell, Foreland.", "Bloody"),
    ],
)
def test_banned_term_outside_its_exceptions(text: str, found: str) -> None:
    assert spans(text, "BR101", TERMS) == [found]


# -- edit-distance tolerance --------------------------------------------------------------------------

FUZZY = content_policy(
    {
        "terms": {
            "banned": [
                {"term": "unbreakable", "max_edits": 2},
                {"term": "cheap", "max_edits": 1},
                {"term": "miracle", "max_edits": 0},
            ]
        }
    }
)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("An unbreakible pole.", "unbreakible"),
        ("An unbraekable pole.", "unbraekable"),
        ("An unbrekabel pole.", "unbrekabel"),
        ("So chaep!", "chaep"),
        ("So cheep!", "cheep"),
    ],
)
def test_misspellings_within_the_tolerance(text: str, found: str) -> None:
    assert spans(text, "BR101", FUZZY) == [found]


@pytest.mark.parametrize("text", ["A miracel cure.", "So chp.", "An unbroakabul pole.", "It is cheap."])
def test_misspellings_beyond_the_tolerance_or_opted_out(text: str) -> None:
    got = spans(text, "BR101", FUZZY)
    assert got == (["cheap"] if "cheap" in text else [])


# -- all-caps exceptions by pattern or line ----------------------------------------------------------

CAPS = content_policy(
    {
        "channels": {
            "email": {
                "kind": "email",
                "max_caps_words": 0,
                "caps_allow_patterns": [r"\bREF-[A-Z]+\b"],
                "caps_allow_lines": [r"^TERMS:"],
            }
        },
        "disclosures": {"email": {"unsubscribe": False, "postal_address": False}},
    }
)


def test_caps_exceptions_by_pattern_and_line() -> None:
    text = "Your code is REF-SPRING.\nTERMS: OFFER VALID UNTIL SUNDAY\nSee you SOON"
    assert spans(text, "BR406", CAPS, channel="email") == ["SOON"]


# -- unsubscribe link -------------------------------------------------------------------------------

LINK = content_policy(
    {
        "brand": {"postal_address": "1 Quarry Lane, Kendal"},
        "channels": {"email": {"kind": "email"}},
        "disclosures": {"email": {"unsubscribe_link": True, "postal_address": False}},
    }
)


@pytest.mark.parametrize(
    "text",
    [
        "New boots. Unsubscribe: https://fernhill.example/u",
        "New boots. Unsubscribe at fernhill.example/prefs any time.",
        "New boots. Manage your emails at https://fernhill.example/email-preferences",
        "New boots. To opt out, mailto:optout@fernhill.example",
    ],
)
def test_unsubscribe_with_a_link_passes(text: str) -> None:
    assert spans(text, "BR306", LINK, channel="email") == []


@pytest.mark.parametrize("text", ["New boots. Unsubscribe at any time.", "New boots. Reply to opt out."])
def test_unsubscribe_wording_without_a_link_is_flagged(text: str) -> None:
    result = check_text(text, LINK, channel="email")
    found = [f for f in result.findings if f.code == "BR306"]
    assert len(found) == 1 and found[0].evidence["wording_found"] is True


# -- postal address with all its parts ---------------------------------------------------------------

ADDRESS = content_policy(
    {
        "brand": {"postal_address": "Fernhill Outdoor Ltd, 12 Quarry Lane, Kendal, LA9 4XY"},
        "channels": {"email": {"kind": "email"}},
        "disclosures": {"email": {"unsubscribe": False, "address_all_parts": True}},
    }
)


def test_postal_address_needs_every_part() -> None:
    partial = check_text("Sale on. 12 Quarry Lane, Kendal.", ADDRESS, channel="email")
    found = [f for f in partial.findings if f.code == "BR307"]
    assert len(found) == 1
    assert found[0].evidence["parts_missing"] == ["Fernhill Outdoor Ltd", "LA9 4XY"]
    whole = "Sale on. Fernhill Outdoor Ltd, 12 Quarry Lane,\nKendal LA9 4XY."
    assert spans(whole, "BR307", ADDRESS, channel="email") == []


def test_explicit_address_parts() -> None:
    policy = content_policy(
        {
            "brand": {"postal_address": "12 Quarry Lane, Kendal LA9 4XY"},
            "channels": {"email": {"kind": "email"}},
            "disclosures": {
                "email": {"unsubscribe": False, "address_parts": ["Quarry Lane", "Kendal", "LA9 4XY"]}
            },
        }
    )
    assert spans("Sale. Quarry Lane, Kendal.", "BR307", policy, channel="email") == [""]
    assert spans("Sale. 12 Quarry Lane, Kendal LA9 4XY.", "BR307", policy, channel="email") == []


# -- the brand's own claim patterns ----------------------------------------------------------------

PRICING = content_policy({"claims": {"pricing": {"patterns": [r"\$\d+ off", r"\bsave \d+\s?%"]}}})


@pytest.mark.parametrize("text", ["Take $20 off boots.", "Save 15% on tents this week."])
def test_brand_pricing_patterns(text: str) -> None:
    assert spans(text, "BR206", PRICING)
    assert spans(text + " Terms apply.", "BR206", PRICING) == []


# -- bad values: file:line:col errors ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("yaml_text", "line", "field"),
    [
        ("version: 1\nterms:\n  banned:\n    - term: sick\n      unless: ['ok', 'sick (']\n", 5, "unless"),
        ("version: 1\nterms:\n  banned:\n    - term: sick\n      max_edits: 3\n", 5, "max_edits"),
        ("version: 1\nclaims:\n  pricing:\n    patterns: ['[a-']\n", 4, "patterns"),
        ("version: 1\nchannels:\n  sms:\n    caps_allow_lines: ['(']\n", 4, "caps_allow_lines"),
        ("version: 1\ndisclosures:\n  email:\n    address_all_parts: maybe\n", 4, "address_all_parts"),
        ("version: 1\nterms:\n  banned:\n    - term: sick\n      alow: [x]\n", 5, "alow"),
    ],
)
def test_bad_new_keys_point_at_the_line(yaml_text: str, line: int, field: str) -> None:
    with pytest.raises(PolicyError) as err:
        policy = loads_policy(yaml_text, name="brand.yaml")
        policy.for_channel("sms") if "channels" in yaml_text else None
    issues = err.value.issues or []
    locations = [str(i.location) for i in issues] + [str(err.value.location)]
    assert any(loc.startswith(f"brand.yaml:{line}:") for loc in locations), (locations, str(err.value))
    assert field in str(err.value) or any(field in i.path for i in issues)


def test_only_content_helper_still_works() -> None:
    assert only_content({})["rules"]
