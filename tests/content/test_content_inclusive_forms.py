"""Inclusive language and profanity: other forms of listed words ("insanely", "wankers"), gendered job titles
and "oriental" (BR601), and the German, French and Spanish profanity lists with the words and place names of
those languages that contain them (BR602). Wordings are new, not the fresh set's."""

from __future__ import annotations

import pytest
from content_testlib import content_policy

from brandrail.engine import check_text
from brandrail.policy import Policy

POLICY = content_policy({})


def found(text: str, code: str, policy: Policy = POLICY) -> list[str]:
    result = check_text(text, policy)
    return [text[f.span.start : f.span.end] for f in result.findings if f.code == code and f.span]


# -- BR601: other forms of listed terms, new job titles, "oriental" ------------------------------------------


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("Our cold brew is insanely smooth.", "insanely"),
        ("The craziest flavour we have roasted.", "craziest"),
        ("Three salesmen walked in.", "salesmen"),
        ("Ask our spokesman for a quote.", "spokesman"),
        ("Our spokesmen will be at the fair.", "spokesmen"),
        ("A stewardess poured the coffee.", "stewardess"),
        ("In layman's terms, a finer grind.", "layman's"),
        ("Oriental flavours in a new blend.", "Oriental"),
        ("Tea for the orientals among you.", "orientals"),
    ],
)
def test_other_forms_and_new_terms_are_flagged(text: str, term: str) -> None:
    assert found(text, "BR601") == [term]


def test_a_form_gets_alternatives_that_fit_it() -> None:
    result = check_text("Insanely good beans.", POLICY)
    (finding,) = [f for f in result.findings if f.code == "BR601"]
    assert finding.evidence["term"] == "insane"
    assert finding.evidence["alternatives"][0] == "incredibly"


@pytest.mark.parametrize(
    "text",
    [
        "An Oriental rug in the café.",
        "Two nights at the Mandarin Oriental.",
        "Our cat is an Oriental Shorthair.",
        "Oriental poppies in the garden.",
        "The insane asylum scene was cut.",  # still "insane": one finding, not two
    ],
)
def test_trade_names_and_one_finding_per_use(text: str) -> None:
    expected = ["insane"] if "insane" in text else []
    assert found(text, "BR601") == expected, text


def test_a_brand_can_remove_a_term_with_its_forms() -> None:
    policy = content_policy({"inclusive": {"remove": ["insane", "oriental"]}})
    assert found("Insanely good, insane value, Oriental spices.", "BR601", policy) == []


# -- BR602: inflected forms and other languages ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Those wankers left early.", "wankers"),
        ("Fuckers.", "Fuckers"),
        ("Stop bitching about the queue.", "bitching"),
        ("You w*nkers", "w*nkers"),
        ("So ein Scheiß.", "Scheiß"),
        ("Das ist Scheisse.", "Scheisse"),
        ("Du Arschloch!", "Arschloch"),
        ("Putain, quel café !", "Putain"),
        ("Quelle merde.", "merde"),
        ("¡Qué mierda!", "mierda"),
        ("Está de puta madre.", "puta"),
        ("¡Joder, qué bueno!", "Joder"),
    ],
)
def test_inflected_and_foreign_profanity_is_flagged(text: str, word: str) -> None:
    assert found(text, "BR602") == [word]


@pytest.mark.parametrize(
    "text",
    [
        # English words and place names
        "Scunthorpe, Penistone, Essex and Shitterton.",
        "We pricked the bag and the asses grazed; craps is a dice game.",
        # German: a stadium, a board-game position, a turkey, mist on the hills
        "Das Wankdorf in Bern. Eine Fickmühle. Pute mit Reis. Mist über den Hügeln.",
        # French: a town, a cul-de-sac, a con (English), unique, a dispute
        "Bitche en Moselle, un cul-de-sac, le café con leche, une dispute unique.",
        # Spanish: a cone (coño folds to cono), a hen, a shell, a dispute, a computer
        "Un cono de helado, la polla, una concha, la disputa, una computadora.",
        # below the default sureness
        "Verdammt gut. Quel bordel.",
    ],
)
def test_words_and_places_that_contain_them_are_clean(text: str) -> None:
    assert found(text, "BR602") == [], text


def test_removing_a_word_removes_its_forms() -> None:
    policy = content_policy({"inclusive": {"profanity": {"remove": ["wanker"]}}})
    assert found("Wankers, all of them.", "BR602", policy) == []
