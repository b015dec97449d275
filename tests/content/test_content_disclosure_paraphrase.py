"""BR301: a required disclosure's wording said in other words (brandrail.content.paraphrase), in the four
languages, against negated, contradicting and incomplete paraphrases."""

from __future__ import annotations

import pytest
from content_testlib import content_policy

from brandrail.content.paraphrase import content_words, find_paraphrase
from brandrail.engine import check_document
from brandrail.policy import Policy
from brandrail.text.document import Document

POLICY = content_policy(
    {
        "disclosures": {
            "required": [
                {
                    "id": "renewal",
                    "text": "Renews monthly until you cancel.",
                    "accept": [
                        "se renouvelle chaque mois",
                        "verlängert sich monatlich",
                        "se renueva cada mes",
                    ],
                    "when": {"terms": ["Bean Box"]},
                },
                {
                    "id": "draw",
                    "text": "No purchase necessary.",
                    "accept": ["sin obligación de compra"],
                    "when": {"terms": ["prize draw", "sorteo"]},
                },
                {
                    "id": "kids",
                    "text": "Not recommended for children.",
                    "when": {"terms": ["espresso shot"]},
                    "position": "end",
                    "within": 60,
                },
            ]
        }
    }
)


def _br301(text: str) -> list[dict[str, object]]:
    return [dict(f.evidence) for f in check_document(Document(text), POLICY).findings if f.code == "BR301"]


@pytest.mark.parametrize(
    "text",
    [
        "Your Bean Box renews automatically on the first day of every month until you cancel it online.",
        "Bean Box: until you cancel, your plan renews each month.",
        "Bean Box members are renewed monthly until they cancel.",
        "Ta Bean Box est renouvelée tous les mois, résiliable à tout moment.",
        "Deine Bean Box verlängert sich jeden Monat automatisch.",
        "Tu Bean Box se renueva automáticamente todos los meses.",
        "Enter our prize draw: no purchase is required.",
        "Sorteo abierto: participa sin obligación de realizar una compra.",
        "Try a double espresso shot today. Not suitable for children.",
    ],
)
def test_a_wording_in_other_words_counts(text: str) -> None:
    assert not _br301(text), text


@pytest.mark.parametrize(
    "text",
    [
        "Your Bean Box does not renew monthly until you cancel: it stops after one box.",
        "Your Bean Box never renews each month until you cancel.",
        "Your Bean Box renews monthly.",  # "until you cancel" left out
        "Your Bean Box renews every year until you cancel.",  # another period
        "Your Bean Box renews monthly unless you cancel.",  # "until" is not "unless"
        "Bean Box renews. We bill monthly until you cancel.",  # not one statement: "renews" is elsewhere
        "Deine Bean Box verlängert sich nicht jeden Monat.",
        "Ta Bean Box ne se renouvelle pas chaque mois.",
        "Enter our prize draw: a purchase is necessary.",
        "Try a double espresso shot today. Recommended for children.",
    ],
)
def test_negated_contradicting_or_incomplete_paraphrases_do_not(text: str) -> None:
    assert _br301(text), text


def test_a_paraphrase_in_the_wrong_place_is_reported_with_how_it_matched() -> None:
    found = _br301(
        "Not suitable for children, our espresso shot. " + "It is roasted in Bristol by hand. " * 3
    )
    assert found and "recommended ~ suitable (synonym)" in str(found[0]["matched"])


def test_the_paraphrase_says_which_wording_matched_and_how() -> None:
    found = find_paraphrase(
        "it renews automatically each month until you cancel.", "renews monthly until you cancel"
    )
    assert found is not None
    assert [(m.wording_word, m.text_word, m.how) for m in found.words] == [
        ("renews", "renews", "same word"),
        ("monthly", "month", "synonym"),
        ("until", "until", "same word"),
        ("cancel", "cancel", "same word"),
    ]
    assert found.explain().startswith("'renews monthly until you cancel' in other words: renews = renews")


@pytest.mark.parametrize("wording", ["kestrelmoor.example/club-terms", "ohne Kaufverpflichtung", "18+ only"])
def test_addresses_and_short_wordings_are_not_paraphrased(wording: str) -> None:
    assert content_words(wording) is None


def _verbatim_policy() -> Policy:
    entries = [dict(entry, verbatim=True) for entry in POLICY.disclosures.model_dump()["required"]]
    return content_policy({"disclosures": {"required": entries}})


@pytest.mark.parametrize(
    ("text", "disclosure"),
    [
        (
            "Your Bean Box renews automatically on the first day of every month until you cancel it online.",
            "renewal",
        ),
        ("Enter our prize draw: no purchase is required.", "draw"),
        ("Try a double espresso shot today. Not suitable for children.", "kids"),
    ],
)
def test_a_verbatim_disclosure_takes_no_paraphrase(text: str, disclosure: str) -> None:
    policy = _verbatim_policy()
    findings = [f for f in check_document(Document(text), policy).findings if f.code == "BR301"]
    assert [f.evidence["disclosure"] for f in findings] == [disclosure]
    assert _br301(text) == []  # the same text passes when the entry allows other words


def test_a_verbatim_disclosure_still_takes_its_wordings_as_written() -> None:
    policy = _verbatim_policy()
    text = "Your Bean Box is ready. Renews monthly until you cancel."
    assert [f for f in check_document(Document(text), policy).findings if f.code == "BR301"] == []
