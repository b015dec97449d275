"""Disguises of the fifth round (the causes behind the third held-out set's errors), each fixed for its
general cause: other hyphens, handles read as e-mail addresses, German place names read as compounds,
leet symbols outside the old map and leet written with several characters, hashtags and closed compounds,
punctuation inside a word, emoji standing in for letters. Every example is written for these tests (none is
copied from the pinned sets in tests/data), with look-alikes that must stay clean."""

from __future__ import annotations

import pytest
from content_testlib import codes, content_policy, fired

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


# -- 1. hyphens other than "-" ------------------------------------------------------------------------------


@pytest.mark.parametrize("hyphen", ["\u2011", "\u2010"])
def test_a_claim_with_another_hyphen_is_read(hyphen: str) -> None:
    text = f"Try it risk{hyphen}free this month."
    assert ("BR202", f"risk{hyphen}free") in fired(text, POLICY), fired(text, POLICY)


def test_a_claim_with_an_entity_hyphen_in_html_is_read() -> None:
    text = "<p>Enjoy it r&shy;isk&#8208;free this month.</p>"
    assert "BR202" in codes(text, POLICY, "html"), fired(text, POLICY, "html")


@pytest.mark.parametrize(
    "text", ["Temperatures of \u22125 to 10 degrees.", "Pages 10\u201312 and 14\u201416."]
)
def test_dashes_and_minus_signs_stay(text: str) -> None:
    assert "BR202" not in codes(text, POLICY)


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
    assert "PV101" not in codes(text, POLICY), fired(text, POLICY)


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
    assert ("PV101", where) in fired(text, POLICY), fired(text, POLICY)


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
    assert "BR101" not in codes(text, POLICY), fired(text, POLICY)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("Das ist ein Billigangebot und keine Qualität.", "Billigangebot"),
        ("Das ist doch Schrottware und nicht gut.", "Schrottware"),
        ("Wir sind keine Billigheimer und das ist gut.", "Billigheimer"),  # no place ending
    ],
)
def test_compounds_are_still_read(text: str, where: str) -> None:
    assert ("BR101", where) in fired(text, POLICY), fired(text, POLICY)


# -- 4. leet symbols outside the old map, and leet written with several characters -------------------------

LEET_POLICY = content_policy(
    {
        "terms": {
            "banned": [
                {"term": "radiant"},
                {"term": "miracle"},
                {"term": "spotless"},
                {"term": "cheapo"},
                {"term": "smooth"},
                {"term": "gorgeous"},
            ]
        },
    }
)


def leet_fired(text: str) -> list[tuple[str, str]]:
    return fired(text, LEET_POLICY)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("A 9or9eous look for summer.", "9or9eous"),  # "9" for g
        ("Our c#eapo range is back.", "c#eapo"),  # "#" for h inside a word
        ("Our |\\/|iracle cream.", "|\\/|iracle"),  # "|\\/|" for m
        ("Skin so spot|_ess.", "spot|_ess"),  # "|_" for l
        ("Skin so sp()tless.", "sp()tless"),  # "()" for o
        ("A |2adiant glow.", "|2adiant"),  # "|2" for r
        ("A r/\\diant glow.", "r/\\diant"),  # "/\\" for a
        ("Our (|-|eapo range.", "(|-|eapo"),  # "(" for c, "|-|" for h
        ("A mira(le, truly.", "mira(le"),  # "(" for c
        ("So 5m00+h today.", "5m00+h"),  # "+" for t
    ],
)
def test_leet_symbols_and_forms_of_several_characters_are_read(text: str, where: str) -> None:
    assert ("BR101", where) in leet_fired(text), leet_fired(text)


def test_a_profane_word_with_a_hash_for_h_is_read() -> None:
    text = "This weather is s#!t for skin."
    assert "BR602" in {c for c, _ in fired(text, POLICY)}, fired(text, POLICY)


@pytest.mark.parametrize(
    "text",
    [
        "Emoticons: |=) :-| :-) <3 \\o/ and ASCII art |__| /\\/\\/\\ [] () {}.",
        "We code in C# and F#, and we're #1 in our town.",
        "See /usr/local/bin/radiate or C:\\Users\\spot\\notes.txt for the script.",
        "Prices: £9.99, 2 for £15, 6-pack, 8am-9pm, 24/7, 4x4, B2B.",
        "Use <b>bold</b> and [link](https://example.com/a_b?x=1) in the notes.",
        "Cheap or not, our mirror (acle-free) gleams.",  # letters of a term across a bracket and a space
    ],
)
def test_symbols_in_ordinary_text_read_as_no_term(text: str) -> None:
    assert not [c for c, _ in leet_fired(text) if c in ("BR101", "BR602")], leet_fired(text)


# -- 5. punctuation inside a word ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("So spot'less now.", "spot'less"),
        ("A mira.cle cream.", "mira.cle"),
        ("A rad-iant look.", "rad-iant"),
        ("So smo_oth, honestly.", "smo_oth"),
        ("Our Chea-po deals.", "Chea-po"),
    ],
)
def test_punctuation_between_pieces_of_a_term_is_read(text: str, where: str) -> None:
    assert ("BR101", where) in leet_fired(text), leet_fired(text)


def test_a_claim_with_punctuation_inside_a_word_is_read() -> None:
    text = "Ri-sk-free for a month."
    assert "BR202" in codes(text, POLICY), fired(text, POLICY)


@pytest.mark.parametrize(
    "text",
    [
        "E.g. a Ph.D. or an M.Sc. from the U.S.A. helps; see a.b.c. and i.e. notes.",
        "We're sure you'll love it, they've said it's spot-on and it'd be smoo-thie time.",
        "Visit spot.less.example.com or mira.cle.org for details.",  # domain names
        "Our rad-io show and the mir-ror trick are fun.",  # hyphenated pieces that make no term
        "The smoothie is sm-all, and the radi-ator is hot.",
    ],
)
def test_punctuated_words_that_make_no_term_stay_clean(text: str) -> None:
    assert "BR101" not in {c for c, _ in leet_fired(text)}, leet_fired(text)


# -- 6. hashtags --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("Go #SpotlessHome today.", "Spotless"),  # camel case
        ("Try #miraclecream now.", "miracle"),  # a term at the start
        ("Love #glowradiant vibes.", "radiant"),  # a term at the end
        ("#GORGEOUSskin all day.", "GORGEOUS"),
    ],
)
def test_a_term_in_a_hashtag_is_read(text: str, where: str) -> None:
    assert ("BR101", where) in leet_fired(text), leet_fired(text)


def test_a_claim_in_a_camel_case_hashtag_is_read() -> None:
    assert "BR202" in codes("Start your #RiskFreeMonth now.", POLICY), fired(
        "Start your #RiskFreeMonth now.", POLICY
    )


@pytest.mark.parametrize(
    "text",
    [
        "#SpotOn #MiraBella #radiators #thespotlightshow #miracles2024 #cheapskates",
        "#smoothies and #spotters for #Radiance",  # words that start with a term's first letters
        # ("#spotlessness" was here: a derivation of the term, it is flagged since round 8)
        "Tag us: #1 #C #F #x #ab",
    ],
)
def test_hashtags_without_a_term_stay_clean(text: str) -> None:
    assert "BR101" not in {c for c, _ in leet_fired(text)}, leet_fired(text)


# -- 7. emoji that stand for letters ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("So sm\U0001f440th today.", "sm\U0001f440th"),  # eyes for "oo"
        ("Skin so spotle\U0001f4b2s.", "spotle\U0001f4b2s"),  # heavy dollar sign for "s"
        ("Skin so sp\u2b55tless.", "sp\u2b55tless"),  # a red circle for "o"
    ],
)
def test_an_emoji_that_stands_for_letters_is_read(text: str, where: str) -> None:
    assert ("BR101", where) in leet_fired(text), leet_fired(text)


def test_a_claim_with_an_emoji_for_letters_is_read() -> None:
    text = "Results guarant\U0001f440d, always."
    assert "BR202" in codes(text, POLICY), fired(text, POLICY)


@pytest.mark.parametrize(
    "text",
    [
        "I \u2764 smooth\u2b55 jazz",  # not inside a term: the term itself found once
        "Sm\u2b55th? No: \U0001f440 the r\u274cdiant deals.",  # emoji that make no term
    ],
)
def test_emoji_that_make_no_term_add_nothing(text: str) -> None:
    hits = [w for c, w in leet_fired(text) if c == "BR101"]
    assert hits == (["smooth"] if "smooth" in text else []), hits
