"""Regression tests of the eleventh evasion round (rt-f9eva): the classes behind heldout9.yaml's misses, with cases
written for these tests (none copied from the pinned sets in tests/data), and look-alikes that must stay clean:
respellings of a word of a name of several words, a trade mark sign glued to a term, and CSS transforms that
leave a piece inside a word no area on screen."""

from __future__ import annotations

import pytest
from content_testlib import EVASION, content_policy, fired

from bench_testlib import load_bench
from brandrail.creative.email import _flattened, parse_style

POLICY = content_policy(
    {
        "version": 1,
        "brand": {"name": "Tidewell"},
        "terms": {
            "banned": [{"term": "spotless"}, {"term": "miracle"}, {"term": "timeless"}, {"term": "glowy"}],
            "competitors": [{"name": "Veloura"}, {"name": "Marin Beaute"}, {"name": "Kai Lumo Labs"}],
        },
    }
)


def _hit(text: str, code: str, kind: str = "text") -> list[str]:
    return [span for c, span in fired(text, POLICY, kind) if c == code]


# -- a respelt word of a name of several words -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Why buy Marin Beauteh serums?", "Marin Beauteh"),  # a final "h" after a vowel
        ("MARINN BEAUTE night oil", "MARINN BEAUTE"),  # a consonant doubled in the first word
        ("Marin Beautte dupes", "Marin Beautte"),  # ... in the second
        ("marin-beauteh vs us", "marin-beauteh"),  # hyphen between the words
        ("Marinn Beauteh again", "Marinn Beauteh"),  # both words respelt
        ("so over marin beautehhh", "marin beautehhh"),  # a stretched final "h"
        ("Kai Lummo Labs launched", "Kai Lummo Labs"),  # the middle word of three
    ],
)
def test_a_respelt_word_of_a_name_of_several_words_is_read(text: str, name: str) -> None:
    assert any(name in span or span in name for span in _hit(text, "BR105")), fired(text, POLICY)


@pytest.mark.parametrize(
    "text",
    [
        "Marinn is my sister's name.",  # a respelling alone is no name
        "Beauteh, as she spells it.",
        "Marin, Beauteh and Kai are our cats.",  # a comma keeps the words apart
        "Dr Beauteh signs each batch.",  # the word beside is not the phrase's
        "Marin Beautiful is a boat.",  # another word, not a respelling
        "Marina Beaute is a salon in Split.",  # a vowel added to the first word is not read
        "Kai Lumos Labs",  # another letter at the end
    ],
)
def test_a_respelt_word_without_its_phrase_stays_unread(text: str) -> None:
    assert _hit(text, "BR105") == []


def test_a_respelling_of_a_short_lone_term_stays_unread() -> None:
    # the rule reads words of a phrase only: a lone term keeps the older lengths (six letters or more)
    assert _hit("Glowwy skin, glowyh skin", "BR101") == []
    assert _hit("Velourra fans", "BR105") == ["Velourra"]  # seven letters: the older rule


# -- a trade mark or service mark sign glued to a term ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "word"),
    [
        ("Veloura\u2122 fans", "BR105", "Veloura"),
        ("Marin Beaute\u2120 salons", "BR105", "Marin Beaute"),
        ("A timeless\u2122 glow", "BR101", "timeless"),
        ("Our spotless\u2122, miracle\u2120 balm", "BR101", "spotless"),
    ],
)
def test_a_mark_sign_after_a_term_does_not_hide_it(text: str, code: str, word: str) -> None:
    assert word in _hit(text, code)


def test_a_mark_sign_inside_a_word_does_not_join_it() -> None:
    assert _hit("Time\u2122less care", "BR101") == []  # "Time" "less": two words around the sign


# -- CSS transforms that leave a piece no area -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "style",
    [
        "transform:scale(0%)",
        "transform:scaleX(0%) translate(3px)",
        "transform:rotateY(90deg)",
        "transform:rotateX(-90deg)",
        "transform:rotateY(270deg)",
        "transform:rotateY(100grad)",
        "transform:rotateX(1.5707963267948966rad)",
        "transform:rotateY(.25turn)",
        "transform:rotate3d(1, 0, 0, 90deg)",
        "transform:perspective(300px) rotateY(90deg)",
        "transform:rotate(45deg) rotateX(90deg)",
        "transform:skew(45deg, 45deg)",
        "transform:matrix3d(0,0,0,0, 0,0,0,0, 0,0,1,0, 0,0,0,1)",
        "transform:matrix(1, 2, 2, 4, 0, 0)",
        "rotate: y 90deg",
        "rotate: 1 0 0 90deg",
        "scale: 0%",
        "backface-visibility:hidden; transform:rotateY(180deg)",
        "backface-visibility:hidden; rotate: x 180deg",
    ],
)
def test_a_transform_without_area_hides_a_piece(style: str) -> None:
    text = f'<p>spot<span style="display:inline-block;{style}">x</span>less</p>'
    assert _hit(text, "BR101", "html"), style


@pytest.mark.parametrize(
    "style",
    [
        "display:inline-block;translate:-9999px",
        "display:inline-block;transform:translateX(-100vw)",
        "display:inline-block;translate:0 -120vh",
    ],
)
def test_a_piece_moved_off_screen_is_hidden(style: str) -> None:
    assert _hit(f'<p>mir<b style="{style}">q</b>acle</p>', "BR101", "html"), style


@pytest.mark.parametrize(
    "style",
    [
        "transform:scale(0)",  # an inline box: transforms do not apply (CSS Transforms 1, transformable element)
        "rotate: y 90deg",
        "display:inline-block;transform:rotate(90deg)",
        "display:inline-block;transform:rotateY(180deg)",  # its back shows, mirrored
        "display:inline-block;transform:rotateY(80deg)",
        "display:inline-block;transform:scaleX(-1)",
        "display:inline-block;transform:skew(30deg)",
        "display:inline-block;transform:scale(0.5)",
        "display:inline-block;translate:12px",
        "display:inline-block;transform:translateX(-50vw)",  # half the viewport: not off screen for sure
        "display:inline-block;transform:warp(0)",  # not a transform function: not read
        "display:inline-block;backface-visibility:hidden;transform:scaleX(-1)",  # mirrored, its front shows
    ],
)
def test_a_transform_that_leaves_a_piece_seen_keeps_the_words_apart(style: str) -> None:
    text = f'<p>Spot<span style="{style}">s fade, </span>less visible</p>'
    assert _hit(text, "BR101", "html") == [], style


def test_flattened_reads_the_individual_properties_before_the_transform() -> None:
    assert _flattened(parse_style("rotate: y 45deg; transform: rotateY(45deg)"))
    assert not _flattened(parse_style("rotate: y 45deg; transform: rotateY(-45deg)"))
    assert _flattened(parse_style("scale: 1 0; transform: rotate(30deg)"))
    assert not _flattened(parse_style("rotate: none; scale: none; transform: none"))


# -- the sets of this round: floors and the known misses -------------------------------------------------------------

#: heldout9.yaml's one known miss: NA059 puts transform:scale(0) on a <span> without display, an inline box
#: that transforms do not apply to (docs/creative.md; CSS Transforms 1), so the letter shows; the label is wrong
#: by the docs' own definition and the pinned file is left as it is (tests/data/evasion/README.md, round 11).
KNOWN_MISSES = {"heldout9.yaml": {"NA059"}, "fresh13.yaml": set()}


@pytest.mark.parametrize("name", sorted(KNOWN_MISSES))
def test_the_sets_of_round_11_miss_only_the_known_cases(name: str) -> None:
    report = load_bench("bench_evasion").measure(EVASION / name)
    assert {m["id"] for m in report["misses"]} <= KNOWN_MISSES[name], report["misses"]
    assert report["false_alarms"] == 0, report["alarms"]
