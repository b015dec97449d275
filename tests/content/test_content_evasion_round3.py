"""Spelling disguises of the third round: claim patterns read punctuated and underscored leetspeak as the term
matcher does; text a style sheet adds with ``content:``; a word a hidden block element splits; German
profanity at a compound's end. Every example here is written for these tests (none is copied from the pinned
sets in tests/data/evasion)."""

from __future__ import annotations

import pytest
from content_testlib import content_policy

from brandrail.engine import check_text

POLICY = content_policy(
    {
        "terms": {"banned": [{"term": "radiant"}, {"term": "miracle"}]},
        "claims": {"pricing": {"required": ["t&cs apply"]}},
    }
)


def fired(text: str, kind: str = "text", policy: object = POLICY) -> list[tuple[str, str]]:
    result = check_text(text, policy, kind=kind)  # type: ignore[arg-type]
    return [(f.code, text[f.span.start : f.span.end]) for f in result.findings]


# -- 1. claims read punctuated and underscored leetspeak ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "where"),
    [
        ("Every order is n0_r1sk.", "BR202", "n0_r1sk"),
        ("Full m0n3y_b4ck promise.", "BR202", "m0n3y_b4ck"),
        ("Our lifetime_warranty covers it.", "BR202", "lifetime_warranty"),
        ("A cl1n1c4lly_t3st3d balm.", "BR203", "cl1n1c4lly_t3st3d"),
        ("How to g3t_r1ch_qu1ck with us.", "BR204", "g3t_r1ch_qu1ck"),
        # a pattern (not a term): "than any(one) other/else", spelt with leet or underscores
        ("Softer th4n 4ny0n3 3ls3 can make it.", "BR201", "th4n 4ny0n3 3ls3"),
        ("Softer t.h.4.n 4.n.y.0.n.3 3.l.s.3 makes it.", "BR201", "t.h.4.n 4.n.y.0.n.3 3.l.s.3"),
        ("Smoother than any_other balm.", "BR201", "than any_other"),
    ],
)
def test_claims_read_punctuated_and_underscored_leetspeak(text: str, code: str, where: str) -> None:
    assert (code, where) in fired(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Set `best_price` in the config.", "markdown"),
        ("Set is_best = True in the file.", "text"),
        ("Call get_best_offer() once a day.", "text"),
        ("See example.org/risk_free for more.", "text"),
        ("Follow @risk_free_co today.", "text"),
        ("Tagged #best_day_ever by a customer.", "text"),
        ("Open free_guide.pdf now.", "text"),
        ("Mail best_price@example.org today.", "text"),
        ("It's th3_gr34t3st feeling to be outdoors.", "text"),
    ],
)
def test_names_with_underscores_are_not_read_as_claims(text: str, kind: str) -> None:
    assert [c for c, _ in fired(text, kind) if c.startswith("BR2")] == []
