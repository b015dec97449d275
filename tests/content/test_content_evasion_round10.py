"""Regression tests of the tenth evasion round (rt-f8eva): the classes behind heldout8.yaml's misses, with cases
written for these tests (none copied from the pinned sets in tests/data), and look-alikes that must stay
clean."""

from __future__ import annotations

import pytest
from content_testlib import codes, content_policy, fired

POLICY = content_policy(
    {
        "version": 1,
        "brand": {"name": "Tidewell"},
        "terms": {
            "banned": [{"term": "spotless"}, {"term": "miracle"}, {"term": "timeless"}],
            "competitors": [{"name": "Veloura"}, {"name": "Marin Beaute"}],
        },
        "claims": {"pricing": {"required": ["terms apply"]}},
        "privacy": {"detect": ["email", "phone", "card"]},
    }
)
WORD_CODES = {"BR101", "BR103", "BR105", "BR202", "BR206", "BR602", "PV101", "PV102", "PV103"}


def _hit(text: str, code: str, kind: str = "text") -> list[str]:
    return [span for c, span in fired(text, POLICY, kind) if c == code]


# -- separators between single letters ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "word"),
    [
        ("So s=p=o=t=l=e=s=s now.", "BR101", "s=p=o=t=l=e=s=s"),
        ("A m^i^r^a^c^l^e balm.", "BR101", "m^i^r^a^c^l^e"),
        ("V#e#l#o#u#r#a fans", "BR105", "V#e#l#o#u#r#a"),
        (
            "Truly t\u2e33i\u2e33m\u2e33e\u2e33l\u2e33e\u2e33s\u2e33s.",
            "BR101",
            "t\u2e33i\u2e33m\u2e33e\u2e33l\u2e33e\u2e33s\u2e33s",
        ),
        (
            "A m\u1427i\u1427r\u1427a\u1427c\u1427l\u1427e.",
            "BR101",
            "m\u1427i\u1427r\u1427a\u1427c\u1427l\u1427e",
        ),
        (
            "V\ua78fe\ua78fl\ua78fo\ua78fu\ua78fr\ua78fa is out",
            "BR105",
            "V\ua78fe\ua78fl\ua78fo\ua78fu\ua78fr\ua78fa",
        ),
        (
            "s\u2248p\u2248o\u2248t\u2248l\u2248e\u2248s\u2248s",
            "BR101",
            "s\u2248p\u2248o\u2248t\u2248l\u2248e\u2248s\u2248s",
        ),
        (
            "m\u2017i\u2017r\u2017a\u2017c\u2017l\u2017e",
            "BR101",
            "m\u2017i\u2017r\u2017a\u2017c\u2017l\u2017e",
        ),
    ],
)
def test_other_separators_between_letters_are_read(text: str, code: str, word: str) -> None:
    assert word in _hit(text, code)


@pytest.mark.parametrize(
    "text",
    [
        "Set x=y=z and solve.",
        "Use a^2+b^2=c^2.",
        "Ticket #A#B#C is closed.",
        "Sizes S\u2e33M\u2e33L in stock.",
        "Approx 3\u22484\u22485 cm.",
    ],
)
def test_separators_between_non_words_stay_clean(text: str) -> None:
    assert not codes(text, POLICY) & WORD_CODES


# -- hyphens of other scripts at a line's end ---------------------------------------------------------------------


@pytest.mark.parametrize("hyphen", ["\u2e17", "\u2e1a", "\u2e40", "\u30a0", "\u058a", "\u1400", "\u1806"])
def test_other_hyphens_at_a_line_end_join_the_word(hyphen: str) -> None:
    assert _hit(f"A spot{hyphen}\nless finish.", "BR101") == [f"spot{hyphen}\nless"]


@pytest.mark.parametrize("text", ["Shipping 3\u30a0\n5 days.", "Mid\u2e17\nSummer sale."])
def test_other_hyphens_keep_ranges_and_capitals_apart(text: str) -> None:
    assert not codes(text, POLICY) & WORD_CODES
