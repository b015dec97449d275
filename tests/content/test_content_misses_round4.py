"""Content misses of the fourth round, each fixed for its general cause: a spaced run that a short fragment
starts or ends ("fl 4 w l 3 s s"); look-alike letters of other scripts in banned and profane words; text a
style sheet adds inside a conditional at-rule; German inflected AI words; an AI-generated label on a part of
the content; postal-address span edges. Every example is written for these tests (none is copied from the
pinned sets in tests/data)."""

from __future__ import annotations

import pytest
from content_testlib import content_policy

from brandrail.engine import check_text

POLICY = content_policy(
    {
        "terms": {"banned": [{"term": "radiant"}, {"term": "miracle"}, {"term": "spotless"}]},
        "claims": {"pricing": {"required": ["t&cs apply"]}},
    }
)


def fired(text: str, kind: str = "text", policy: object = POLICY) -> list[tuple[str, str]]:
    result = check_text(text, policy, kind=kind)  # type: ignore[arg-type]
    return [(f.code, text[f.span.start : f.span.end] if f.span else "") for f in result.findings]


# -- 1. a spaced run that a short fragment starts or ends -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("Get a sp 0 t l 3 s s shine.", "sp 0 t l 3 s s"),  # two letters, then spaced leet
        ("A r4 d 1 4 n t glow.", "r4 d 1 4 n t"),  # the fragment holds leet itself
        ("Truly m i r 4 c le cream.", "m i r 4 c le"),  # the fragment ends the run
        ("So sp o t l e s s today.", "sp o t l e s s"),  # letters only
        ("A r.a.d.i.a.nt look.", "r.a.d.i.a.nt"),  # dotted, the fragment at the end
        ("Our RA D I A N T range.", "RA D I A N T"),  # capitals
    ],
)
def test_a_fragment_before_or_after_a_spaced_run_reads_with_it(text: str, where: str) -> None:
    assert ("BR101", where) in fired(text), fired(text)


@pytest.mark.parametrize(
    "text",
    [
        "It is a b c for beginners.",  # a short word before spaced letters: no term there
        "Call at 4 p m today.",
        "We ship to the U S A and the E U.",
        "Grade: sp a r e parts and fl a t rate.",
        "The miracle of spaced letters: m i r a c l e.",  # (the term itself, found once; see below)
    ],
)
def test_short_words_before_spaced_letters_add_no_term(text: str) -> None:
    hits = [w for c, w in fired(text) if c == "BR101"]
    assert hits == [w for w in ("miracle", "m i r a c l e") if w in text], hits
