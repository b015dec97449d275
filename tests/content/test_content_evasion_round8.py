"""Disguises of the eighth round (the causes behind the sixth held-out set's misses), each fixed for its general
cause: letter-like punctuation inside a word (modifier letters, connector punctuation, word-separator dots),
words written without their vowels, letters written one a line, derivations of a banned word, German compounds
joined by a hyphen after a linking "s", an empty Markdown link, ``-webkit-text-fill-color`` and
``filter: opacity()``, a hidden form field and a zero-size ``<svg>`` inside a word. Every example is written
for these tests (none is copied from the sets in tests/data), with look-alikes that must stay clean."""

from __future__ import annotations

import pytest
from content_testlib import codes, content_policy, fired

from brandrail.content.rules.terms.br101_banned_term import derivations
from brandrail.engine import check_text
from brandrail.text.normalize import LETTER_PUNCT, normalize

POLICY = content_policy(
    {
        "terms": {
            "banned": [{"term": "spotless"}, {"term": "radiant"}, {"term": "miracle"}, {"term": "Dreck"}],
            "competitors": [{"name": "Velvet Ridge"}, {"name": "Novaderm"}],
        },
    }
)
WORD_CODES = {"BR101", "BR105", "BR202", "BR203", "BR602"}


# -- letter-like punctuation inside a word -----------------------------------------------------------------------


@pytest.mark.parametrize("mark", sorted(set(LETTER_PUNCT) - {"\u00b7"}))
def test_letter_like_punctuation_inside_a_word_is_read_as_punctuation(mark: str) -> None:
    word = f"spot{mark}less"
    assert ("BR101", word) in fired(f"A {word} finish.", POLICY), (
        hex(ord(mark)),
        fired(f"A {word} finish.", POLICY),
    )


@pytest.mark.parametrize("mark", ["\u02d1", "\u2e31", "\u30fb", "\u00a6"])
def test_letter_like_punctuation_between_single_letters_is_a_separator(mark: str) -> None:
    word = mark.join("radiant")
    assert ("BR101", word) in fired(f"So {word} today.", POLICY), fired(f"So {word} today.", POLICY)


@pytest.mark.parametrize(
    "text",
    [
        "Aloha from Oʻahu and Hawaiʻi.",  # the okina between letters makes no term
        "Say it /ˈmɪrəkəl/ if you like.",  # IPA marks beside letters that make no term
        "新作・スキンケア",  # a katakana middle dot between kana stays
        "Mix 1∙2 ml.",  # between digits it stays
        "Rose ¦ Sage ¦ Oat",  # beside spaces it stays
    ],
)
def test_letter_like_punctuation_elsewhere_is_no_term(text: str) -> None:
    assert not codes(text, POLICY) & WORD_CODES, fired(text, POLICY)


def test_letter_like_punctuation_stays_beside_digits_spaces_and_kana() -> None:
    for text in ("新作・スキンケア", "1∙2", "a ‿ b", "x꞉ 3"):
        assert normalize(text)[0] == text


def test_a_modifier_apostrophe_reads_as_an_apostrophe() -> None:
    assert normalize("donʼt")[0] == "don’t"


# -- words written without their vowels ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "where", "code"),
    [
        ("The most sptlss shine.", "sptlss", "BR101"),
        ("RDNT skin by Monday.", "RDNT", "BR101"),
        ("A mrcl in a jar.", "mrcl", "BR101"),
        ("Mircl cream, every time.", "Mircl", "BR101"),  # one vowel kept, two left out
        ("Better than Vlvt Ridge.", "Vlvt Ridge", "BR105"),
        ("Results grntd.", "grntd", "BR202"),
    ],
)
def test_a_word_without_its_vowels_is_read(text: str, where: str, code: str) -> None:
    assert (code, where) in fired(text, POLICY), fired(text, POLICY)


@pytest.mark.parametrize(
    "text",
    [
        "The rodent in our logo is a dormouse.",  # radiant's consonants with two vowels kept: a word
        "Granted, it costs more.",  # guaranteed's consonants with two vowels kept: a word
        "Our rhythm: Mgmt, Blvd, Bldg, hmm, brr.",  # words and abbreviations without vowels
        "Merciless marketing is not our way.",  # other consonants
        "Pmrcl is a code, not a word.",  # the first letter differs from the term's
    ],
)
def test_words_with_a_terms_consonants_stay_clean(text: str) -> None:
    assert not codes(text, POLICY) & WORD_CODES, fired(text, POLICY)


# -- letters written one a line -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "where"),
    [
        ("S\nP\nO\nT\nL\nE\nS\nS\nis how it looks.", "text", "S\nP\nO\nT\nL\nE\nS\nS"),
        ("Our new\nr\na\nd\ni\na\nn\nt\nserum", "text", "r\na\nd\ni\na\nn\nt"),
        ("<p>M<br>I<br>R<br>A<br>C<br>L<br>E</p><p>cream</p>", "html", "M<br>I<br>R<br>A<br>C<br>L<br>E"),
    ],
)
def test_letters_one_a_line_are_read(text: str, kind: str, where: str) -> None:
    assert ("BR101", where) in fired(text, POLICY, kind), fired(text, POLICY, kind)


@pytest.mark.parametrize("text", ["Pick one:\nA\nB\nC\nD", "R\nO\nS\nE\n\nA rose balm.", "x\ny\nz"])
def test_letters_one_a_line_that_spell_no_term_stay_clean(text: str) -> None:
    assert not codes(text, POLICY) & WORD_CODES, fired(text, POLICY)


# -- derivations of a banned word --------------------------------------------------------------------------------


def test_derivations_of_a_long_single_word() -> None:
    assert derivations("spotless") == {
        "spotlessly",
        "spotlessness",
        "spotlessnesses",
        "spotlessous",
        "spotlessish",
    }
    assert {"securely", "secureness", "securish"} <= derivations("secure")  # "e" dropped before a vowel
    assert {"cheesily", "cheesiness"} <= derivations("cheesy")  # "y" after a consonant becomes "i"
    assert derivations("dreck") == set()  # too short
    assert derivations("clinically proven") == set()  # a phrase


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("It wipes spotlessly clean.", "spotlessly"),
        ("Radiantly you, every day.", "Radiantly"),
        ("The spotlessness of a new jar.", "spotlessness"),
        ("#spotlessness", "spotlessness"),
    ],
)
def test_a_derivation_of_a_banned_word_is_flagged(text: str, where: str) -> None:
    assert ("BR101", where) in [(c, w.lstrip("#")) for c, w in fired(text, POLICY)], fired(text, POLICY)


@pytest.mark.parametrize(
    "text", ["I'll be there dreckly.", "Spotlight on our radiator covers.", "Miracles happen."]
)
def test_no_derivation_of_a_short_word_nor_another_word(text: str) -> None:
    assert "BR101" not in codes(text, POLICY), fired(text, POLICY)


def test_a_derivation_is_not_replaced_automatically() -> None:
    policy = content_policy({"terms": {"banned": [{"term": "spotless", "replacement": "clean"}]}})
    finding = next(f for f in check_text("Wipes spotlessly.", policy).findings if f.code == "BR101")
    assert finding.evidence["matched_form"] == "spotlessly"
    assert finding.fix is None or not finding.fix.safe


# -- German compounds with a hyphen ------------------------------------------------------------------------------


def test_a_german_compound_with_a_linking_s_and_a_hyphen_is_flagged() -> None:
    text = "Schluss mit den Drecks-Produkten, nicht wahr?"
    assert ("BR101", "Drecks-Produkten") in fired(text, POLICY), fired(text, POLICY)


def test_an_english_text_does_not_read_a_german_compound() -> None:
    assert "BR101" not in codes("Our Drecks-Tour of London is back.", POLICY)


# -- markup and CSS that show nothing inside a word --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "code"),
    [
        ("Truly spot[](https://x.example)less.", "markdown", "BR101"),
        ('<p>Spot<span style="-webkit-text-fill-color:transparent">q</span>less.</p>', "html", "BR101"),
        ('<p>Radi<span style="-webkit-text-fill-color:rgba(1,2,3,0)">q</span>ant.</p>', "html", "BR101"),
        ('<p>Mira<span style="filter:blur(0) opacity(0%)">q</span>cle.</p>', "html", "BR101"),
        ('<p>Nova<input type="hidden" name="a" value="b">derm fans.</p>', "html", "BR105"),
        ('<p>Mira<svg width="0" height="0"></svg>cle balm.</p>', "html", "BR101"),
    ],
)
def test_what_shows_nothing_inside_a_word_is_read_through(text: str, kind: str, code: str) -> None:
    assert code in codes(text, POLICY, kind), fired(text, POLICY, kind)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("See [our spot](x) less often.", "markdown"),
        ('<p>Spot<span style="-webkit-text-fill-color:#222">q</span>less.</p>', "html"),
        ('<p>Mira<span style="filter:opacity(1)">q</span>cle.</p>', "html"),
        ('<p>Nova<input type="text" name="a">derm</p>', "html"),
        ('<p>Mira<svg width="16" height="16"></svg>cle</p>', "html"),
    ],
)
def test_what_shows_something_inside_a_word_keeps_it_apart(text: str, kind: str) -> None:
    assert not codes(text, POLICY, kind) & WORD_CODES, fired(text, POLICY, kind)


# -- numbers before a percent sign, and "l" written as a capital I, a one or a bar ---------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [("Save 3O% today.", "BR206"), ("Save 2o % today.", "BR206"), ("100٪ money-back promise.", "BR202")],
)
def test_a_percentage_written_with_o_or_an_arabic_percent_sign_is_read(text: str, code: str) -> None:
    assert code in codes(text, POLICY), fired(text, POLICY)


def test_o_stays_a_letter_outside_a_number_before_a_percent_sign() -> None:
    for text in ("SOO% nothing", "Room 5O, floor 2", "OO%", "Zone 5Ox %"):
        assert normalize(text)[0] == text


TRADEMARK = content_policy(
    {"brand": {"trademarks": [{"term": "SilkLine"}]}, "terms": {"banned": [{"term": "flawless"}]}}
)


@pytest.mark.parametrize("written", ["SiIkLine", "SilkIine", "Si1kLine", "Silk|ine"])
def test_a_capital_i_a_one_or_a_bar_for_l_is_read(written: str) -> None:
    result = check_text(f"The new {written} set.", TRADEMARK)
    assert "BR103" in {f.code for f in result.findings}, [f.code for f in result.findings]


@pytest.mark.parametrize("text", ["It can fail or fall.", "A fiawless day.", "The siikline is odd."])
def test_a_small_i_is_not_read_as_l(text: str) -> None:
    assert not {f.code for f in check_text(text, TRADEMARK).findings} & {"BR101", "BR103"}


# -- letters spelled out with commas ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("S, P, O, T, L, E, S, S: that is the look.", "S, P, O, T, L, E, S, S"),
        ("m, i, r, a, c, l, e!", "m, i, r, a, c, l, e"),
    ],
)
def test_letters_spelled_out_with_commas_are_read(text: str, where: str) -> None:
    assert ("BR101", where) in fired(text, POLICY), fired(text, POLICY)


@pytest.mark.parametrize(
    "text", ["Pick A, B, C or D.", "Vitamins A, C, E and F.", "R, O, S, E: our rose range."]
)
def test_letters_with_commas_that_spell_no_term_stay_clean(text: str) -> None:
    assert not codes(text, POLICY) & WORD_CODES, fired(text, POLICY)


# -- a banned word named as a word, list ordinals and denied guarantees ---------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        'We dropped the word "spotless" from every label.',
        "Our team retired the term ‘miracle’ in 2024.",
        "Tip number one: patch-test first.",
        "Rule number one: wear sunscreen.",
        "No guarantees, only honest results.",
    ],
)
def test_a_mention_an_ordinal_or_a_denied_guarantee_is_no_claim(text: str) -> None:
    assert not codes(text, POLICY) & {"BR101", "BR201", "BR202"}, fired(text, POLICY)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ('A "spotless" finish.', "BR101"),  # quoted, but not named as a word
        ('One word: "spotless".', "BR101"),
        ("We are number one in Europe.", "BR201"),
        ("Our guarantees beat everyone's.", "BR202"),
    ],
)
def test_a_quoted_use_or_a_real_claim_is_still_found(text: str, code: str) -> None:
    assert code in codes(text, POLICY), fired(text, POLICY)
