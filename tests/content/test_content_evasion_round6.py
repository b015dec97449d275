"""Disguises of the sixth round (the causes behind the fourth held-out set's errors), each fixed for its general
cause: dashes between letters, a hyphen before other line breaks, new separators between letters, the Braille
blank, Lisu and Coptic capitals, HTML5 named references, adjacent Markdown links, flex reordering, joined
competitor names, a word split by one space after a degree adverb, and obfuscated personal data. Every example
is written for these tests (none is copied from the sets in tests/data), with look-alikes that must stay
clean."""

from __future__ import annotations

import pytest
from content_testlib import codes, content_policy, fired

from brandrail.text.normalize import normalize

POLICY = content_policy(
    {
        "terms": {
            "banned": [{"term": "spotless"}, {"term": "radiant"}, {"term": "miracle"}],
            "competitors": [{"name": "Velvet Ridge"}, {"name": "Nova Dermis"}],
        },
        "claims": {"pricing": {"required": ["t&cs apply"]}},
    }
)


# -- dashes between letters ------------------------------------------------------------------------------------


@pytest.mark.parametrize("dash", ["\u2012", "\u2013", "\u2014", "\u2015", "\u2212"])
def test_a_dash_between_letters_reads_as_a_hyphen(dash: str) -> None:
    text = f"Every parcel ships hassle{dash}free and money{dash}back."
    assert ("BR202", f"money{dash}back") in fired(text, POLICY), fired(text, POLICY)


@pytest.mark.parametrize(
    "text",
    [
        "Open Tue\u2013Sat, 10\u20136.",
        "The results\u2014and there are many\u2014speak for themselves.",
        "Store between \u22122 and 8 degrees.",
    ],
)
def test_dashes_in_ranges_and_asides_stay_clean(text: str) -> None:
    assert not codes(text, POLICY) & {"BR101", "BR202", "BR206", "PV102"}, fired(text, POLICY)


# -- a hyphen before another line break ------------------------------------------------------------------------


@pytest.mark.parametrize("brk", ["\u2028", "\u2029", "\x85", "\r", "\x0c"])
def test_a_hyphen_before_any_line_break_joins_the_word(brk: str) -> None:
    text = f"A spot-{brk}less finish every time."
    assert ("BR101", f"spot-{brk}less") in fired(text, POLICY), fired(text, POLICY)


def test_a_line_separator_between_words_keeps_them_apart() -> None:
    assert normalize("Spring edit\u2028Three new masks")[0] == "Spring edit Three new masks"
    assert "BR101" not in codes("well-\u2028Known spot, less crowded", POLICY)


# -- separators between letters ----------------------------------------------------------------------------------


@pytest.mark.parametrize("sep", ["\u30fb", "\u2027", "\u2219", "\u22c5", "\u2044", "\u2215", "\u2e31"])
def test_new_separators_between_single_letters(sep: str) -> None:
    word = sep.join("radiant")
    assert ("BR101", word) in fired(f"Feel {word} all day.", POLICY), fired(f"Feel {word} all day.", POLICY)


@pytest.mark.parametrize(
    "text", ["Mix 1\u20442 cup of oat milk.", "新作\u30fbスキンケア", "Rose \u2219 Sage \u2219 Oat"]
)
def test_separators_between_words_or_digits_stay(text: str) -> None:
    assert normalize(text)[0] == text


# -- Braille blank, Lisu and Coptic ------------------------------------------------------------------------------


def test_a_braille_blank_between_latin_letters_reads_as_nothing() -> None:
    assert normalize("mira\u2800cle")[0] == "miracle"
    assert normalize("r\u2800a\u2800d\u2800i\u2800a\u2800n\u2800t")[0] == "radiant"
    braille = "\u2801\u2800\u2803"  # Braille text keeps its blank
    assert normalize(braille)[0] == braille


@pytest.mark.parametrize(
    "text", ["ꓣADIANT SKIN", "MIꓣACLE CREAM", "ⲘIRACLE CREAM", "RⲀDIⲀNT SKIN", "SPOTꓡESS"]
)
def test_lisu_and_coptic_capitals_read_as_latin(text: str) -> None:
    assert "BR101" in codes(text, POLICY), fired(text, POLICY)


# -- HTML5 named references and adjacent Markdown links ---------------------------------------------------------


@pytest.mark.parametrize("entity", ["&ZeroWidthSpace;", "&NoBreak;", "&InvisibleComma;", "&it;"])
def test_html5_named_references_inside_a_word(entity: str) -> None:
    text = f"<p>A spot{entity}less finish.</p>"
    assert "BR101" in codes(text, POLICY, "html"), fired(text, POLICY, "html")


def test_an_unknown_reference_stays_as_written() -> None:
    assert "BR101" not in codes("<p>A spot&Bogus;less finish.</p>", POLICY, "html")


def test_adjacent_markdown_links_inside_a_word() -> None:
    text = "Our [mir](https://shop.example/1)[acle](https://shop.example/2) toner."
    assert "BR101" in codes(text, POLICY, "markdown"), fired(text, POLICY, "markdown")
    clean = "[Home](https://shop.example/)[About](https://shop.example/about) pages."
    assert "BR101" not in codes(clean, POLICY, "markdown")


# -- flex reordering --------------------------------------------------------------------------------------------


def test_flex_order_shows_the_word() -> None:
    text = (
        '<p>A <span style="display:inline-flex"><i style="order:3">ant</i><i style="order:1">rad</i>'
        '<i style="order:2">i</i></span> glow.</p>'
    )
    assert "BR101" in codes(text, POLICY, "html"), fired(text, POLICY, "html")


def test_row_reverse_shows_the_word() -> None:
    text = '<p>A <b style="display: flex; flex-direction: row-reverse"><u>less</u><u>spot</u></b> shine.</p>'
    assert "BR101" in codes(text, POLICY, "html"), fired(text, POLICY, "html")


def test_flex_items_in_written_order_or_without_a_term_stay() -> None:
    same = '<p><span style="display:inline-flex"><span style="order:1">spot</span><span style="order:2">on</span></span></p>'
    other = '<div style="display:flex;flex-direction:row-reverse"><a>Next</a><a>Back</a></div>'
    assert "BR101" not in codes(same, POLICY, "html") and "BR101" not in codes(other, POLICY, "html")


# -- joined competitor names ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["VelvetRidge", "VELVETRIDGE", "velvet.ridge", "Velvet\u2013Ridge"])
def test_a_competitor_name_written_as_one_word(name: str) -> None:
    text = f"Kinder than {name}, say testers."
    assert ("BR105", name) in fired(text, POLICY), fired(text, POLICY)


@pytest.mark.parametrize(
    "text", ["Velvety ridges of cream.", "Nova, dermis and more.", "A velvet hat on a ridge."]
)
def test_names_with_the_letters_apart_stay(text: str) -> None:
    assert "BR105" not in codes(text, POLICY), fired(text, POLICY)


def test_a_short_joined_name_is_not_read() -> None:
    from brandrail.content.matching import joined_spellings

    assert joined_spellings("Velvet Ridge") == ["VelvetRidge", "Velvet.Ridge"]
    assert joined_spellings("Any Day") == []  # "anyday" is too short to be read as the name
    assert joined_spellings("Nova") == []


# -- a word split by one space ----------------------------------------------------------------------------------


@pytest.mark.parametrize("adverb", ["so", "too", "truly", "utterly"])
def test_a_word_split_by_a_space_after_a_degree_adverb(adverb: str) -> None:
    text = f"Skin looks {adverb} spot less tonight."
    assert ("BR101", "spot less") in fired(text, POLICY), fired(text, POLICY)


@pytest.mark.parametrize(
    "text",
    [
        "Use it so the spot less visible fades.",
        "A concealer makes each spot less visible.",
        "No spot, less fuss.",
        "The radi ant farm",  # no adverb before it
    ],
)
def test_a_split_word_without_the_adverb_stays_two_words(text: str) -> None:
    assert "BR101" not in codes(text, POLICY), fired(text, POLICY)


# -- personal data ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,code",
    [
        ("Card 4000\u20130566\u20135566\u20135556 is on file.", "PV103"),
        ("Card 4000\u20140566\u20145566\u20145556 is on file.", "PV103"),
        ("Ring Jo on O2O 7946 OO99 today.", "PV102"),
        ("Ring Jo on ٠٢٠ ٧٩٤٦ ٠٠٩٩ today.", "PV102"),
        ("Mail jo.smith AT shop DOT example DOT org soon.", "PV101"),
    ],
)
def test_obfuscated_personal_data(text: str, code: str) -> None:
    assert code in codes(text, POLICY), fired(text, POLICY)


@pytest.mark.parametrize(
    "text",
    [
        "Lot 2025-09-1148 passed.",
        "Record 2024-10-0911 archived.",
        "Ref. 2023-04-5512 is closed.",
        "Meet us AT the shop; DOT the i's.",
        "O2 and Oo la la 2000 in 1990.",
    ],
)
def test_dated_codes_and_capital_words_are_no_personal_data(text: str) -> None:
    assert not codes(text, POLICY) & {"PV101", "PV102", "PV103"}, fired(text, POLICY)
