"""Regression tests of the ninth evasion round (rt-f7eva): the classes behind heldout7.yaml's misses, with cases
written for these tests (none copied from the pinned sets in tests/data), and look-alikes that must stay
clean."""

from __future__ import annotations

import pytest
from content_testlib import codes, content_policy, fired

from brandrail.content import layout
from brandrail.text.normalize import normalize

POLICY = content_policy(
    {
        "version": 1,
        "brand": {"name": "Tidewell", "trademarks": [{"term": "SilkDrop", "symbol": "®"}]},
        "terms": {
            "banned": [{"term": "spotless"}, {"term": "miracle"}, {"term": "timeless"}],
            "competitors": [{"name": "Veloura"}, {"name": "Marin Beaute"}],
        },
        "claims": {"pricing": {"required": ["terms apply"]}},
        "privacy": {"detect": ["email", "phone", "card"]},
    }
)
WORD_CODES = {"BR101", "BR103", "BR105", "BR202", "BR206", "BR602", "PV101", "PV102", "PV103"}


# -- markup and CSS hiding inside a word -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "<p>A spot<tide-hl>less</tide-hl> shine.</p>",  # a custom element is inline
        "<p>A spot<ins></ins>less shine.</p>",
        "<p>A spo<output>t</output>less shine.</p>",
        '<p>A spot<span style="display:inline-block;scale:0">-ish, not </span>less shine.</p>',
        '<p>A spot<b style="display:inline-block;content-visibility:hidden">ty</b>less shine.</p>',
    ],
)
def test_markup_and_hiding_inside_a_word_leave_the_word(html: str) -> None:
    assert "BR101" in codes(html, POLICY, "html"), fired(html, POLICY, "html")


@pytest.mark.parametrize(
    "html",
    [
        "<p>A spot</p><tide-block>less</tide-block>",  # a custom element after a block: a line of its own
        '<p>A spot <span style="display:inline-block;scale:1">less</span> shine.</p>',
        '<p>A spot<span style="scale:0">x</span> less shine.</p>',  # a space stays between the words
        "<p>A spot<div>less</div></p>",
    ],
)
def test_markup_that_keeps_words_apart_stays(html: str) -> None:
    assert "BR101" not in codes(html, POLICY, "html"), fired(html, POLICY, "html")


def test_terms_only_in_a_closed_dialog_do_not_count_but_in_an_open_one_they_do() -> None:
    closed = "<p>Free returns this month.</p><dialog><p>Terms apply.</p></dialog>"
    shown = "<p>Free returns this month.</p><dialog open><p>Terms apply.</p></dialog>"
    assert "BR206" in codes(closed, POLICY, "html")
    assert "BR206" not in codes(shown, POLICY, "html")


def test_terms_only_in_a_ruby_annotation_do_not_count() -> None:
    assert "BR206" in codes("<p>Free returns<ruby>*<rt>Terms apply</rt></ruby></p>", POLICY, "html")
    assert "BR206" not in codes("<p>Free returns. <ruby>Terms apply<rt>x</rt></ruby></p>", POLICY, "html")


# -- layout and generated text -------------------------------------------------------------------------------------


def test_named_grid_areas_place_the_items() -> None:
    html = (
        "<p><span style=\"display:inline-grid;grid-template-areas:'x y z'\">"
        '<i style="grid-area:z">less</i><i style="grid-area:x">spot</i></span> glass.</p>'
    )
    assert ("BR101", '<i style="grid-area:z">less</i><i style="grid-area:x">spot</i>') not in fired(
        html, POLICY, "html"
    )  # the span covers the pieces' text only
    assert "BR101" in codes(html, POLICY, "html"), fired(html, POLICY, "html")


def test_named_grid_areas_in_written_order_are_no_reordering() -> None:
    html = (
        "<style>.g{display:inline-grid;grid-template-areas:'a b'}.p{grid-area:a}.q{grid-area:b}</style>"
        '<p><span class="g"><i class="p">Sun</i><i class="q">set</i></span></p>'
    )
    assert list(layout.reordered_groups(html)) == []


@pytest.mark.parametrize(
    "rule",
    [".w .a{order:2}", ".w > i:first-child{order:2}", "i:nth-child(1){order:2}", "span.w i.a{order:2}"],
)
def test_a_layout_rule_naming_the_parent_or_the_position_applies(rule: str) -> None:
    html = f'<style>{rule}</style><p><span class="w" style="display:inline-flex"><i class="a">less</i><i>spot</i></span></p>'
    assert "BR101" in codes(html, POLICY, "html"), fired(html, POLICY, "html")


def test_a_layout_rule_for_another_parent_does_not_apply() -> None:
    html = '<style>.other i{order:2}</style><p><span class="w" style="display:inline-flex"><i>less</i><i>spot</i></span></p>'
    assert "BR101" not in codes(html, POLICY, "html")


def test_quotes_a_q_element_sets_are_generated_text() -> None:
    html = '<style>q.m{quotes:"Mir" "acle"}</style><p>A <q class="m"></q> serum.</p>'
    assert "BR101" in codes(html, POLICY, "html"), fired(html, POLICY, "html")
    plain = "<p>She said <q style=\"quotes:'«' '»'\">hello</q> to us.</p>"
    assert not codes(plain, POLICY, "html") & WORD_CODES


# -- Markdown ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("A **spot**_less_ shine.", "spot**_less"),
        ("A __time__*less* look.", "time__*less"),
        ("Unlike [Vel][v]oura, we test.\n\n[v]: https://x.example", "Vel][v]oura"),
        ("A [Mira][]cle cream.\n\n[mira]: https://x.example", "Mira][]cle"),
        ("> A spot-\n> less shine.", "spot-\n> less"),
        ("A spot-\\\nless shine.", "spot-\\\nless"),
    ],
)
def test_markdown_inside_a_word_leaves_the_word(text: str, where: str) -> None:
    found = fired(text, POLICY, "markdown")
    assert any(c in {"BR101", "BR105"} and w == where for c, w in found), found


@pytest.mark.parametrize(
    "text",
    [
        "**spot** _less_ shine",
        "[Vel][v] oura\n\n[v]: https://x.example",
        "> One spot-\n> Less later.",
        "is_spot_less = True",  # an underscore alone between letters is no emphasis
    ],
)
def test_markdown_that_keeps_words_apart_stays(text: str) -> None:
    assert not codes(text, POLICY, "markdown") & {"BR101", "BR105"}, fired(text, POLICY, "markdown")


# -- separators, look-alikes, respellings ------------------------------------------------------------------------


@pytest.mark.parametrize("mark", ["\u2218", "\u00d7", "\u2236", "\u2217", "\u204e", "\u00b0", "\u02da"])
def test_operator_and_ring_marks_between_letters_separate_them(mark: str) -> None:
    text = f"A {mark.join('spotless')} shine."
    assert "BR101" in codes(text, POLICY), (hex(ord(mark)), fired(text, POLICY))


@pytest.mark.parametrize(
    "text", ["Store at 4°C or 20 °C.", "Ratio 16∶9, size 3×4.", "Let a∗b and f∘g be maps."]
)
def test_those_marks_beside_digits_or_in_maths_stay(text: str) -> None:
    assert normalize(text)[0] == text or not codes(text, POLICY) & WORD_CODES


@pytest.mark.parametrize("text", ["m,i,r,a,c,l,e serum", "m;i;r;a;c;l;e serum", "m; i; r; a; c; l; e serum"])
def test_letters_listed_with_commas_or_semicolons_spell_the_word(text: str) -> None:
    assert "BR101" in codes(text, POLICY), fired(text, POLICY)


def test_a_list_of_letters_that_spells_nothing_stays() -> None:
    assert not codes("Sizes s,m,l and options a;b;c.", POLICY) & WORD_CODES


@pytest.mark.parametrize("zero", ["\u0966", "\u09e6", "\u0e50", "\u0d66"])
def test_a_digit_zero_of_another_script_in_a_hyphenated_claim(zero: str) -> None:
    text = f"A full m{zero}ney-back promise."
    assert "BR202" in codes(text, POLICY), fired(text, POLICY)


def test_a_v_with_a_hook_reads_v() -> None:
    assert "BR105" in codes("Unlike Veʋoura and Veloʋra, we test.", POLICY)


@pytest.mark.parametrize("written", ["Silk-Drop®", "Silk\u2011Drop®", "Silk\u2010Drop®"])
def test_a_misspelt_trademark_before_its_sign_is_read(written: str) -> None:
    assert "BR103" in codes(f"Try {written} tonight.", POLICY), fired(f"Try {written} tonight.", POLICY)


def test_the_trademark_as_written_with_its_sign_stays() -> None:
    assert "BR103" not in codes("Try SilkDrop® tonight.", POLICY)


def test_ph_for_f_in_a_short_profane_word() -> None:
    assert "BR602" in codes("Phuk no, PHUCKING great.", POLICY) or "BR602" in codes("Phuck that.", POLICY)
    assert "BR602" not in codes("Phuong and the phone photo.", POLICY)


@pytest.mark.parametrize("text", ["Take 40 pct off.", "Save 15 per cent today.", "Get 30 PERCENT OFF now."])
def test_a_percentage_written_out_is_a_percentage(text: str) -> None:
    assert "BR206" in codes(text, POLICY), fired(text, POLICY)


def test_a_percentage_of_people_written_out_is_no_pricing_claim() -> None:
    assert "BR206" not in codes("Only 12 pct of testers noticed.", POLICY)


def test_a_competitor_in_cyrillic_letters_is_named() -> None:
    assert "BR105" in codes("Лучше, чем Велоура.", POLICY)
    assert "BR105" in codes("Не то что Марин Боте.", POLICY) or "BR105" in codes("Марин Беауте", POLICY)
    assert not codes("Наш крем для сухой кожи.", POLICY) & WORD_CODES


# -- words split over lines ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["A spot\u00ad\nless shine.", "A spot¬\nless shine.", "A spot¬\r\nless shine."]
)
def test_a_soft_hyphen_or_not_sign_at_a_line_end_joins_the_word(text: str) -> None:
    assert "BR101" in codes(text, POLICY), fired(text, POLICY)


def test_a_break_tag_then_a_blank_line_joins_a_hyphenated_word() -> None:
    assert "BR101" in codes("<p>A spot-<br />\n less shine.</p>", POLICY, "html")


def test_a_not_sign_as_logic_stays() -> None:
    assert normalize("¬p\n∨ q")[0] == "¬p\n∨ q"


# -- personal data ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "code"),
    [
        ("<p>Mail kim.o@<i>postbox</i>.net today.</p>", "html", "PV101"),
        ("<p>Call 07911 <b>123</b>456 today.</p>", "html", "PV102"),
        ("Mail kim_o@postbox。org today.", "text", "PV101"),
        ("Call ⁰⁷⁹¹¹ ¹²³⁴⁵⁶ today.", "text", "PV102"),
        ("Card 6011/0009/9013/9424 on file.", "text", "PV103"),
        ("Card 6011·0009·9013·9424 on file.", "text", "PV103"),
        ("Card ❻⓿❶❶ ⓿⓿⓿❾ ❾⓿❶❸ ❾❹❷❹ on file.", "text", "PV103"),
    ],
)
def test_disguised_personal_data_is_found(text: str, kind: str, code: str) -> None:
    assert code in codes(text, POLICY, kind), fired(text, POLICY, kind)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("<p>In <b>2019</b> 2020 and 2021 we grew.</p>", "html"),
        ("Dates 12/05/2024 and 1/2 cup.", "text"),
        ("Ref 1234/5678/9012/3456 is yours.", "text"),
        ("E = mc² and ① ② ③.", "text"),
    ],
)
def test_look_alikes_of_personal_data_stay(text: str, kind: str) -> None:
    assert not codes(text, POLICY, kind) & {"PV101", "PV102", "PV103"}, fired(text, POLICY, kind)
