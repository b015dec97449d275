"""Political parties named by name or abbreviation (brandrail.gate.parties) in audience values, and the
look-alikes that stay clean. Cases here are not in the pinned set tests/data/gate_attacks/parties_enums.yaml."""

from __future__ import annotations

import pytest

from brandrail.gate.audience import sensitive_value
from brandrail.gate.parties import ANYWHERE, BESIDE, SUPPORTERS, WHOLE, names_party_by_name, value_words

POLITICAL = ["political"]


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("Bündnis 90/Die Grünen", "bundnis 90"),
        ("ÖVP-Wähler", "ovp"),
        ("GroenLinks achterban", "groenlinks"),
        ("Plaid Cymru", "plaid cymru"),
        ("elettorato della Lega", "lega"),
        ("Labour's voters", "labour"),
        ("Wählerinnen der Linken", "linken"),
        ("adhérents LFI", "lfi"),
        ("Podemos", "podemos"),
        ("simpatizantes de Sumar en Madrid", "sumar"),
        ("CHP seçmenleri", "chp"),
        ("Sverigedemokraterna väljare", "sverigedemokraterna"),
        ("uk\u200bip supporters", "ukip"),  # an invisible joiner inside the name
        ("ＣＤＵ", "cdu"),  # full-width letters
    ],
)
def test_a_party_named_without_the_word_for_party_is_political(text: str, term: str) -> None:
    assert names_party_by_name(text) == term
    found = sensitive_value(text, POLITICAL)  # another list may name it first ("Wählerinnen der ...")
    assert found is not None and found[0] == "political"
    assert sensitive_value({"any": [text]}, POLITICAL) == found


@pytest.mark.parametrize(
    "text",
    [
        "labour saving gadgets",
        "green tea members club",
        "conservative investors",
        "liberal portion sizes",
        "reform school reunion",
        "Tory Burch",
        "die linke Spur",
        "Lega Serie A",
        "PS Plus subscribers",
        "PD controller hobbyists",
        "voters guide readers",
        "members of the labour force",
        "chp boiler owners",
        "Renaissance fair",
        "vox pop",
        "podemos ayudarte",
        "",
    ],
)
def test_a_look_alike_is_not_a_party(text: str) -> None:
    assert names_party_by_name(text) is None
    assert sensitive_value(text, POLITICAL) is None


def test_parties_count_only_where_the_policy_lists_political_opinion() -> None:
    assert sensitive_value("PiS", ["health", "religion"]) is None
    assert sensitive_value("PiS", ["political"]) == ("political", "pis")


def test_every_listed_name_reads_as_words() -> None:
    for name in (*ANYWHERE, *WHOLE, *BESIDE, *SUPPORTERS):
        assert value_words(name), name
    assert set(WHOLE) <= set(BESIDE)
    assert not {value_words(n) for n in ANYWHERE} & {value_words(n) for n in BESIDE}
