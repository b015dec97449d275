"""Spelling disguises of the third round: claim patterns read punctuated and underscored leetspeak as the term
matcher does; text a style sheet adds with ``content:``; a word a hidden block element splits; German
profanity at a compound's end. Every example here is written for these tests (none is copied from the pinned
sets in tests/data/evasion)."""

from __future__ import annotations

import pytest
from content_testlib import content_policy, fired

from brandrail.engine import check_text

POLICY = content_policy(
    {
        "terms": {"banned": [{"term": "radiant"}, {"term": "miracle"}]},
        "claims": {"pricing": {"required": ["t&cs apply"]}},
    }
)


# -- 1. claims read punctuated and underscored leetspeak ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "where"),
    [
        ("Every order is n0_r1sk.", "BR202", "n0_r1sk"),
        ("Full m0n3y_b4ck promise.", "BR202", "m0n3y_b4ck"),
        ("Our lifetime_warranty covers it.", "BR202", "lifetime_warranty"),
        ("A cl1n1c4lly_t3st3d balm.", "BR203", "cl1n1c4lly_t3st3d"),
        ("How to g3t_r1ch_qu1ck with us.", "BR204", "g3t_r1ch_qu1ck"),
        # a pattern (not a term): "than any(one) other/else", spelt with leet or underscores
        ("Softer th4n 4ny0n3 3ls3 can make it.", "BR201", "th4n 4ny0n3 3ls3"),
        ("Softer t.h.4.n 4.n.y.0.n.3 3.l.s.3 makes it.", "BR201", "t.h.4.n 4.n.y.0.n.3 3.l.s.3"),
        ("Smoother than any_other balm.", "BR201", "than any_other"),
    ],
)
def test_claims_read_punctuated_and_underscored_leetspeak(text: str, code: str, where: str) -> None:
    assert (code, where) in fired(text, POLICY)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Set `best_price` in the config.", "markdown"),
        ("Set is_best = True in the file.", "text"),
        ("Call get_best_offer() once a day.", "text"),
        ("See example.org/risk_free for more.", "text"),
        ("Follow @risk_free_co today.", "text"),
        ("Tagged #best_day_ever by a customer.", "text"),
        ("Open free_guide.pdf now.", "text"),
        ("Mail best_price@example.org today.", "text"),
        ("It's th3_gr34t3st feeling to be outdoors.", "text"),
    ],
)
def test_names_with_underscores_are_not_read_as_claims(text: str, kind: str) -> None:
    assert [c for c, _ in fired(text, POLICY, kind) if c.startswith("BR2")] == []


# -- 2. text a style sheet adds with ::before / ::after content ------------------------------------------


@pytest.mark.parametrize(
    ("html", "code"),
    [
        # a banned word split between the element's text and its ::after text
        ('<style>.r::after{content:"iant"}</style><div>A <span class="r">rad</span> glow.</div>', "BR101"),
        # a claim split between ::before text and the element's text
        ('<style>b.g::before{content:"guar"}</style><p>Results <b class="g">anteed</b>.</p>', "BR202"),
        # a claim written wholly in generated text, with a CSS escape
        ('<style>#m::after{content:" \\6D iracle"}</style><p id="m">A true</p>', "BR101"),
        # attr() text
        ('<style>p[data-w]::before{content:attr(data-w) " "}</style><p data-w="Miracle">cream</p>', "BR101"),
        # profanity
        ('<style>h1::before{content:"Hell yeah, shit "}</style><h1>sale</h1>', "BR602"),
    ],
)
def test_generated_text_is_read_where_it_is_shown(html: str, code: str) -> None:
    assert code in [c for c, _ in fired(html, POLICY, "html")]


def test_a_finding_in_generated_text_says_so_and_has_no_fix() -> None:
    html = '<style>#m::after{content:"miracle"}</style><p id="m">A </p>'
    result = check_text(html, POLICY, kind="html")  # type: ignore[arg-type]
    [finding] = [f for f in result.findings if f.code == "BR101"]
    assert finding.evidence["generated_text"] == ["miracle"]
    assert finding.match == "miracle"
    assert finding.fix is None


@pytest.mark.parametrize(
    "html",
    [
        # the pseudo-element hides its own text
        '<style>.r::after{content:"iant";display:none}</style><div>A <span class="r">rad</span> glow.</div>',
        '<style>.r::after{content:"iant";font-size:0}</style><div>A <span class="r">rad</span> glow.</div>',
        # its element is hidden
        '<style>.r::after{content:"miracle"}</style><div>A <span class="r" style="display:none">x</span></div>',
        # a pseudo-class is not a pseudo-element; content:none adds nothing
        '<style>.r:hover{content:"iant"} .r::after{content:none}</style><div>A <span class="r">rad</span></div>',
        # a counter's number and quotes are no words
        '<style>li::before{content:counter(item) ". "}</style><ol><li>Radiance boost</li></ol>',
    ],
)
def test_generated_text_that_is_not_shown_is_not_read(html: str) -> None:
    assert [c for c, _ in fired(html, POLICY, "html") if c in ("BR101", "BR202", "BR602")] == []


def test_a_disclosure_shown_only_by_a_style_sheet_does_not_count() -> None:
    policy = content_policy(
        {
            "disclosures": {
                "required": [{"id": "r", "text": "Renews yearly.", "when": {"terms": ["subscribe"]}}]
            }
        }
    )
    written = "<p>Subscribe today. Renews yearly.</p>"
    generated = '<style>p::after{content:" Renews yearly."}</style><p>Subscribe today.</p>'
    assert "BR301" not in [c for c, _ in fired(written, policy, "html")]
    assert "BR301" in [c for c, _ in fired(generated, policy, "html")]


# -- 4. a hidden block element inside a word ------------------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        '<div>So rad<div style="display:none">x</div>iant.</div>',
        "<div>So rad<p hidden>zz</p>iant.</div>",
        '<td>So rad<section style="display:none"><p>one</p><p>two</p></section>iant.</td>',
        '<style>.h{display:none}</style><div>A mir<div class="h">q</div>acle.</div>',
    ],
)
def test_a_block_that_makes_no_box_does_not_break_the_word(html: str) -> None:
    assert "BR101" in [c for c, _ in fired(html, POLICY, "html")]


@pytest.mark.parametrize(
    "html",
    [
        # a block that keeps its box starts a line: "rad" and "iant" are on two lines
        '<div>So rad<div style="visibility:hidden">x</div>iant.</div>',
        '<div>So rad<div style="height:0;overflow:hidden">x</div>iant.</div>',
        '<div>So rad<div style="opacity:0">x</div>iant.</div>',
        # a visible block between them
        '<div>So rad<div style="display:none">x</div><div>iant.</div></div>',
        # a <p> closes at a <div> (as in a browser): the text after it is another block
        '<p>So rad<div style="display:none">x</div>iant.</p>',
        '<div>So rad<br><span style="display:none">x</span>iant.</div>',
    ],
)
def test_a_block_that_keeps_its_box_or_another_block_breaks_the_word(html: str) -> None:
    assert "BR101" not in [c for c, _ in fired(html, POLICY, "html")]


def test_generated_text_in_an_empty_inline_element_joins_the_text_after_it() -> None:
    html = '<style>.m::before{content:"Mir"}</style><p><i class="m"></i>acle cream.</p>'
    assert "BR101" in [c for c, _ in fired(html, POLICY, "html")]
    other_block = '<style>.m::before{content:"Mir"}</style><div class="m"></div><p>acle cream.</p>'
    assert "BR101" not in [c for c, _ in fired(other_block, POLICY, "html")]


# -- 3. a German profane or banned word at a compound's end ---------------------------------------------

GERMAN = content_policy({"terms": {"banned": [{"term": "billig"}, {"term": "Dreck"}, {"term": "Ramsch"}]}})


@pytest.mark.parametrize(
    ("text", "code", "where"),
    [
        ("Was für ein Riesenarsch, und das ist noch nicht alles.", "BR602", "Riesenarsch"),
        ("Das ist doch alles Hundekacke und wir wissen es.", "BR602", "Hundekacke"),
        ("Das ist ein Mordsarschloch, sagt er.", "BR602", "Mordsarschloch"),
        ("Das ist ein Megascheiß und wir sind sauer.", "BR602", "Megascheiß"),
        ("Die Creme ist superbillig und wir lieben sie.", "BR101", "superbillig"),
        ("Der Straßendreck ist überall, auch hier.", "BR101", "Straßendreck"),
        ("Die Angebote sind spottbilligen Schrott, und wir sind sauer.", "BR101", "spottbilligen"),
        ("Das ist doch alles Ausverkaufsramsch und nichts mehr.", "BR101", "Ausverkaufsramsch"),
    ],
)
def test_a_listed_word_at_a_german_compounds_end_is_found(text: str, code: str, where: str) -> None:
    assert (code, where) in fired(text, GERMAN)


@pytest.mark.parametrize(
    "text",
    [
        # real words that end with the letters of "Arsch" (Marsch, Barsch, harsch) or of a banned word
        "Der Gewaltmarsch war lang und wir sind müde.",
        "Nach dem Fußmarsch sind wir im Hotel.",
        "Der Vormarsch der Truppen ist vorbei.",
        "Ein Rotbarsch und ein Flussbarsch sind im Netz.",
        "Der Ton war harsch, aber nicht unfair.",
        "Die Eilmärsche sind vorbei, wir ruhen uns aus.",
        "Der Trauermarsch ist heute, wir sind dabei.",
        "Der Einmarsch der Gladiatoren ist ein Klassiker.",
        "Der Durchmarsch der Mannschaft ist beeindruckend.",
        "Der Hochzeitsmarsch wird auf der Orgel gespielt.",
        "Der Viktoriabarsch ist ein Speisefisch, und er ist lecker.",
        "Der Aufmarsch ist für heute angekündigt.",
        "Der Rückmarsch war auch nicht kürzer.",
        "Der Zwergbarsch lebt im Aquarium, und er ist klein.",
        "Ein Militärmarsch ist auch Musik.",
        "Die Gewaltmärschen der Armee sind bekannt.",
        "Die Entscheidung ist unbillig und wir klagen.",
        # an English text: the letters of "arsch" in a word of another language are no compound
        "The Gewaltmarsch and the Riesenrad are on the list.",
    ],
)
def test_german_words_that_end_with_a_listed_words_letters_stay_clean(text: str) -> None:
    assert [c for c, _ in fired(text, GERMAN) if c in ("BR101", "BR602")] == []


def test_an_english_text_is_not_read_for_german_compound_ends() -> None:
    assert [c for c, _ in fired("My Riesenarsch joke fell flat.", GERMAN) if c == "BR602"] == []
