"""Text put in order only by CSS layout (brandrail.content.layout): right floats, grid placement and order,
right-to-left flex and grid rows, and flex, grid and bidi styles from simple style-sheet rules. Every example
is written for these tests (none is copied from the sets in tests/data), with look-alikes that must stay clean."""

from __future__ import annotations

import pytest
from content_testlib import content_policy

from brandrail.content import layout
from brandrail.engine import check_text

POLICY = content_policy(
    {"terms": {"banned": [{"term": "spotless"}, {"term": "radiant"}], "competitors": [{"name": "Novaskin"}]}}
)
WORD_CODES = {"BR101", "BR105"}


def fired(html: str) -> list[tuple[str, str]]:
    result = check_text(html, POLICY, kind="html")
    return [(f.code, html[f.span.start : f.span.end] if f.span else "") for f in result.findings]


def shown_text(html: str) -> list[str]:
    """Each reordered group's text in the order shown."""
    return ["".join(html[slice(*g.pieces[k])] for k in g.shown) for g in layout.reordered_groups(html)]


# -- the visual order ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "shown"),
    [
        ('<p><i style="float:right">c</i><i style="float:right">b</i><i>a</i></p>', "abc"),
        ('<p><i style="float:left">a</i><i style="float:right">c</i><i>b</i></p>', "abc"),
        ('<p dir="rtl"><i style="float:inline-start">c</i><i>a</i><i style="float:left">b</i></p>', "bac"),
        ('<div style="display:inline-flex"><i style="order:2">b</i><i style="order:-1">a</i></div>', "ab"),
        ('<div style="display:flex;direction:rtl"><i>b</i><i>a</i></div>', "ab"),
        ('<div style="display:flex;flex-flow:row-reverse wrap"><i>b</i><i>a</i></div>', "ab"),
        (
            '<div style="display:grid"><i style="grid-column:2">b</i><i style="grid-column: 1 / 2">a</i></div>',
            "ab",
        ),
        (
            '<div style="display:grid"><i style="grid-area:1 / 3">c</i><i style="grid-area:1/1">a</i>'
            '<i style="grid-area:1/2">b</i></div>',
            "abc",
        ),
        (
            '<div style="display:grid;grid-template-columns:repeat(2, 1fr)"><i style="order:1">b</i><i>a</i></div>',
            "ab",
        ),
        ('<div style="display:inline-grid;grid-auto-flow:column;direction:rtl"><i>b</i><i>a</i></div>', "ab"),
    ],
)
def test_the_order_shown(html: str, shown: str) -> None:
    assert shown_text(html) == [shown]


@pytest.mark.parametrize(
    "html",
    [
        '<div style="display:flex"><i>a</i><i>b</i></div>',  # written order
        '<div style="display:flex;flex-direction:column-reverse"><i>b</i><i>a</i></div>',  # stacked
        '<div style="display:grid"><i style="order:2">b</i><i style="order:1">a</i></div>',  # one column
        '<div style="display:grid"><i style="grid-area:2/1">b</i><i style="grid-area:1/1">a</i></div>',  # rows
        '<div style="display:flex;flex-direction:row-reverse;direction:rtl"><i>a</i><i>b</i></div>',  # cancel
        '<p><i style="order:2">b</i><i style="order:1">a</i></p>',  # order outside flex and grid
        '<p><i style="float:left">a</i><i style="float:left">b</i></p>',  # left floats keep their order
    ],
)
def test_groups_shown_as_written_or_not_in_a_row_are_not_read(html: str) -> None:
    assert shown_text(html) == []


def test_style_sheet_rules_by_tag_class_id_compound_and_group() -> None:
    sheet = (
        "<style>/* c */ .row, #other {display: inline-flex} b { order: 3 } em.two{order:2}"
        " #one{order:1 !important} i.x{order:9}</style>"
    )
    html = sheet + '<span class="row"><b>c</b><em class="two">b</em><u id="one">a</u></span>'
    assert shown_text(html) == ["abc"]
    styles = layout.Styles(sheet)
    assert styles.of("em", {"class": "two"}) == {"order": "2"}
    assert styles.of("em", {"class": "two", "style": "order: 5"}) == {"order": "5"}
    assert styles.of("i", {}) == {}


def test_specificity_then_source_order_decide() -> None:
    styles = layout.Styles("<style>#a{order:1} .c{order:2} i{order:3} .c{order:4}</style>")
    assert styles.of("i", {"id": "a", "class": "c"})["order"] == "1"
    assert styles.of("i", {"class": "c"})["order"] == "4"


@pytest.mark.parametrize("selector", ["i[title]", "i + i", "i ~ i", "p div i", "i:hover", "i:nth-child(2n)"])
def test_selectors_other_than_simple_ones_are_not_read(selector: str) -> None:
    assert not layout.Styles(f"<style>{selector}{{order:2}}</style>")


@pytest.mark.parametrize(
    ("selector", "parent", "index", "applies"),
    [
        ("div > i", ("div", {}), 0, True),
        ("div > i", ("p", {}), 0, False),
        (".row i", ("span", {"class": "row x"}), 1, True),
        (".row i", ("span", {"class": "rows"}), 1, False),
        ("i:first-child", ("span", {}), 0, True),
        ("i:first-child", ("span", {}), 1, False),
        ("i:last-child", ("span", {}), 2, True),
        ("#r > i:nth-child(2)", ("b", {"id": "r"}), 1, True),
        ("#r > i:nth-child(2)", ("b", {"id": "r"}), 0, False),
    ],
)
def test_a_parent_combinator_or_position_applies_only_in_its_context(
    selector: str, parent: tuple[str, dict[str, str]], index: int, applies: bool
) -> None:
    styles = layout.Styles(f"<style>{selector}{{order:2}}</style>")
    assert styles.of("i", {}) == {}  # without the parent and position known it never applies
    assert (styles.of("i", {}, (*parent, index, 3)) == {"order": "2"}) is applies


def test_long_runs_of_siblings_are_not_read() -> None:
    items = '<i style="order:1">x</i>' * (layout.GROUP_MAX + 1)
    assert shown_text(f'<div style="display:flex"><i style="order:2">y</i>{items}</div>') == []


# -- read as words -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "code", "pieces"),
    [
        (
            '<p>So <span><b style="float:right">less</b><b style="float:right">spot</b></span> glass.</p>',
            "BR101",
            ("less", "spot"),
        ),
        (
            '<p><span style="display:inline-grid"><i style="grid-column:3">ant</i><i style="grid-column:1">rad</i>'
            '<i style="grid-column:2">i</i></span> skin.</p>',
            "BR101",
            ("ant", "rad"),
        ),
        (
            '<div style="display:grid;grid-template-columns:1fr 1fr"><p style="grid-column:2">less</p>'
            '<p style="grid-column:1">Spot</p></div>',
            "BR101",
            ("less", "Spot"),
        ),
        (
            '<p>Not <span style="display:inline-flex" dir="rtl"><u>skin</u><u>Nova</u></span>.</p>',
            "BR105",
            ("skin", "Nova"),
        ),
        (
            '<style>.a{order:2}.b{order:1}.f{display:inline-flex}</style><p><span class="f"><i class="a">less</i>'
            '<i class="b">spot</i></span></p>',
            "BR101",
            ("less", "spot"),
        ),
        (
            '<style>#r{direction:rtl;unicode-bidi:bidi-override}</style><p><span id="r">tnaidar</span> look</p>',
            "BR101",
            ("tnaidar",),
        ),
        (
            '<style>kbd{unicode-bidi:bidi-override}</style><p><kbd dir="rtl">niksavoN</kbd></p>',
            "BR105",
            ("niksavoN",),
        ),
    ],
)
def test_reordered_words_are_read_and_the_span_covers_the_pieces(
    html: str, code: str, pieces: tuple[str, ...]
) -> None:
    found = [text for c, text in fired(html) if c == code]
    assert any(all(piece in text for piece in pieces) for text in found), fired(html)


@pytest.mark.parametrize(
    "html",
    [
        '<p><span style="float:right">Basket</span><span style="float:right">Account</span>Novel skin</p>',
        '<style>#r{direction:rtl;unicode-bidi:bidi-override}</style><p><span id="r">tops</span></p>',
        '<style>.r{unicode-bidi:bidi-override;direction:ltr}</style><p><span class="r">tnaidar</span></p>',
        '<style>.a{order:2}.b{order:1}</style><p><span class="a">less</span><span class="b">spot</span></p>',
        '<style>div > i{order:2}</style><p style="display:flex"><i>less</i><i>spot</i></p>',
    ],
)
def test_layouts_that_make_no_term_stay_clean(html: str) -> None:
    assert not {c for c, _ in fired(html)} & WORD_CODES, fired(html)
