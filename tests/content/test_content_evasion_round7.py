"""Disguises of the seventh round (the causes behind the fifth held-out set's errors), each fixed for its general
cause: fancy-text letters read by shape (syllabics, currency signs, cute-text Greek and Cyrillic, stroke and hook
letters, symbols, upside-down text), markup that renders nothing inside a word (template comments, LaTeX, empty
Markdown images), ruby annotations, bdo and CSS bidi override, ``::marker`` and string ``list-style-type``,
camel case, stretched runs, the spelling alphabet, claim abbreviations and phonetic respellings. Every example is
written for these tests (none is copied from the sets in tests/data), with look-alikes that must stay clean."""

from __future__ import annotations

import time

import pytest
from content_testlib import codes, content_policy, fired

from brandrail.engine import check_text
from brandrail.text import skeleton
from brandrail.text.reader import look_alike_words

POLICY = content_policy(
    {
        "terms": {
            "banned": [{"term": "spotless"}, {"term": "radiant"}, {"term": "miracle", "inflections": True}],
            "competitors": [{"name": "Velvet Ridge"}, {"name": "Nova Dermis"}],
        },
    }
)
WORD_CODES = {"BR101", "BR105", "BR202", "BR203", "BR602"}


# -- the skeleton of one run -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("run", "word"),
    [
        ("ᔕᑭOTᒪᗴᔕᔕ", "spotless"),  # syllabics with Latin O and T
        ("₴₱Ø₮ⱠɆ₴₴", "spotless"),  # currency signs and stroke letters
        ("яα∂ιαηт", "radiant"),  # cute text
        ("ɍȃđɨąŋŧ", "radiant"),  # strokes, hooks and accents
        ("ɯıɹɐɔlǝ", None),  # turned letters read forwards: no word
        ("ǝlɔɐɹıɯ", "miracle"),  # upside down: read backwards
        ("m¡racl€", "miracle"),  # symbols
    ],
)
def test_a_fancy_run_reads_as_its_latin_word(run: str, word: str | None) -> None:
    if word is None:
        assert "miracle" not in skeleton.readings(run)
    else:
        assert word in skeleton.readings(run), skeleton.readings(run)


def test_the_confusables_data_is_unicodes() -> None:
    assert skeleton.char_letters("ꮪ") == ("s",)  # Cherokee small letter, from UTS #39
    assert skeleton.char_letters("ß") == ("ss", "b")
    assert skeleton.char_letters("漢") == ()
    assert skeleton.readings("plain") == []


@pytest.mark.parametrize(
    ("text", "code", "where"),
    [
        ("Our ᔕᑭOTᒪᗴᔕᔕ finish lasts.", "BR101", "ᔕᑭOTᒪᗴᔕᔕ"),
        ("A ₴₱Ø₮ⱠɆ₴₴ look all day.", "BR101", "₴₱Ø₮ⱠɆ₴₴"),
        ("Feel яα∂ιαηт tonight.", "BR101", "яα∂ιαηт"),
        ("A small ɱiɍacle in a jar.", "BR101", "ɱiɍacle"),
        ("Turn it over: ǝlɔɐɹıɯ", "BR101", "ǝlɔɐɹıɯ"),
        ("Better than Velvet Ʀiđge.", "BR105", "Ʀiđge"),
        ("Skin that looks ®adiant.", "BR101", "®adiant"),
    ],
)
def test_fancy_letters_are_read_where_they_make_a_term(text: str, code: str, where: str) -> None:
    assert any(c == code and where in w for c, w in fired(text, POLICY)), fired(text, POLICY)


@pytest.mark.parametrize(
    "text",
    [
        "Wrocław, Kraków i Łódź: święta w mieście.",
        "Hôm nay trời đẹp, đi dạo không?",
        "Ħafna nies iħobbu l-baħar f'Malta.",
        "Ɓata ɗaya ta ƙare.",
        "ᐃᓄᒃᑎᑐᑦ ᐅᖃᐅᓯᖅ ᐱᐅᔪᖅ.",
        "Τα προϊόντα μας είναι φυσικά.",
        "Pack: 75 mℓ tube, 5 µm filter, ₦2,500 in Abuja.",
        "Größe, Maße und Straße.",
    ],
)
def test_real_words_of_other_scripts_units_and_prices_stay_clean(text: str) -> None:
    assert not codes(text, POLICY) & (WORD_CODES | {"BR902"}), fired(text, POLICY)


def test_ipa_is_no_term() -> None:
    assert not codes("IPA: /ɹeɪdiənt/ and /ˈspɒtləs/ are how they sound.", POLICY) & WORD_CODES


def test_the_litre_sign_is_no_look_alike() -> None:
    assert look_alike_words("Refill: 250 mℓ or 1 ℓ.") == ()
    assert look_alike_words("ℓuxury for less") != ()


SMS_POLICY = content_policy(
    {"disclosures": {"sms": {"opt_out": True, "sender": False}}, "channels": {"sms": {"kind": "sms"}}}
)


@pytest.mark.parametrize(
    ("keyword", "counts"), [("₴₮ØP", False), ("ᔕTOᑭ", False), ("STOP", True), ("ＳＴＯＰ", True)]
)
def test_an_opt_out_keyword_in_fancy_letters_does_not_count(keyword: str, counts: bool) -> None:
    text = f"Lumora: new drops Friday. Send {keyword} to end messages."
    result = check_text(text, SMS_POLICY, channel="sms")
    assert ("BR304" not in {f.code for f in result.findings}) is counts, result.findings


# -- markup that renders nothing inside a word -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("A spot{# note #}less finish.", "text"),
        ("A spot{{!-- x --}}less finish.", "text"),
        ("A rad{%- comment -%}a{%- endcomment -%}iant glow.", "text"),
        ('A spot{{ "" }}less finish.', "text"),
        ("A spot<%# x %>less finish.", "text"),
        ("A spot\\-less finish.", "text"),
        ("A \\textsc{spot}less finish.", "text"),
        ("A spot![](t.gif)less finish.", "markdown"),
    ],
)
def test_markup_that_renders_nothing_inside_a_word(text: str, kind: str) -> None:
    assert "BR101" in codes(text, POLICY, kind), fired(text, POLICY, kind)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Hello {{ customer.first_name }}, thanks for your order.", "text"),
        ("{% if member %}Members save{% endif %} on refills.", "text"),
        ("Water is H\\textsubscript{2}O; \\emph{spotted} on the beach.", "text"),
        ("The kit ![our kit](kit.png) is back.", "markdown"),
    ],
)
def test_templates_latex_and_images_between_words_stay_clean(text: str, kind: str) -> None:
    assert not codes(text, POLICY, kind) & WORD_CODES, fired(text, POLICY, kind)


# -- HTML: ruby, bdo and bidi override, ::marker, list-style-type -----------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "<p>So <ruby>spot<rt>s</rt>less</ruby>.</p>",
        '<p>So <bdo dir="rtl">sseltops</bdo>.</p>',
        '<p>So <span style="direction:rtl;unicode-bidi:bidi-override">tnaidar</span>.</p>',
        '<style>.x{direction:rtl;unicode-bidi:bidi-override}</style><p>Try <i class="x">egdiR tevleV</i>.</p>',
        "<style>li.m::marker{content:'Spotless: '}</style><ul><li class=\"m\">glass</li></ul>",
        "<ol style=\"list-style-type: 'Radiant '\"><li>skin</li></ol>",
    ],
)
def test_html_shown_in_another_order_or_as_a_marker(html: str) -> None:
    assert codes(html, POLICY, "html") & {"BR101", "BR105"}, fired(html, POLICY, "html")


@pytest.mark.parametrize(
    "html",
    [
        "<p><ruby>東京<rt>とうきょう</rt></ruby>で会いましょう</p>",
        '<p><bdo dir="rtl">שלום</bdo> and welcome.</p>',
        "<ul style=\"list-style-type: '– '\"><li>gentle</li></ul>",
    ],
)
def test_html_annotations_and_markers_stay_clean(html: str) -> None:
    assert not codes(html, POLICY, "html") & WORD_CODES, fired(html, POLICY, "html")


# -- respellings: camel case, stretched runs, spelling alphabet, abbreviations, phonetic -----------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Shop the SpotlessShine set.", "BR101"),
        ("Meet MiniMiracle, our travel size.", "BR101"),
        ("Compared with NovaDermisPlus, we are gentler.", "BR105"),
        ("sppppooootlessss shine", "BR101"),
        ("Romeo Alfa Delta India Alfa November Tango skin.", "BR101"),
        ("Rrradiaaant skin", "BR101"),
        ("Results gtd or your money back.", "BR202"),
        ("Spotles glass, every time.", "BR101"),
        ("A mirakle in a jar? Mirracle!", "BR101"),
    ],
)
def test_respellings_of_a_term(text: str, code: str) -> None:
    assert code in codes(text, POLICY), fired(text, POLICY)


@pytest.mark.parametrize(
    "text",
    [
        "Try SpotCheck and MiraCosta Studios.",  # no part is a term
        "Sooo good, yesss, mmmm.",
        "Booking code Alfa Bravo Seven.",
        "Open Mon.–Sat., approx. 10–6, incl. holidays.",
        "The batches are out, and the sheets are clean.",
        "A lawless town and a spotted owl.",
    ],
)
def test_names_codes_abbreviations_and_real_words_stay_clean(text: str) -> None:
    assert not codes(text, POLICY) & WORD_CODES, fired(text, POLICY)


# -- cost ----------------------------------------------------------------------------------------------------------


def test_fancy_text_and_markup_cost_stays_linear() -> None:
    unit = "ᔕᑭOTᒪᗴᔕᔕ łatwy ᗩᗷᑕᗪ fr{# x #}ee AbcDef aaabbbccc "
    small = (unit * (20_000 // len(unit) + 1))[:20_000]
    large = (unit * (200_000 // len(unit) + 1))[:200_000]
    start = time.process_time()
    check_text(small, POLICY)
    t_small = time.process_time() - start
    start = time.process_time()
    check_text(large, POLICY)
    t_large = time.process_time() - start
    assert t_large < 10 * t_small * 3 + 1.0, (t_small, t_large)


def test_a_consonant_written_once_is_read_only_in_longer_words() -> None:
    from brandrail.content.readings import _respelt

    assert _respelt("flawles", {"flawless"}) == "flawless"
    assert _respelt("purreva", {"pureva"}) == "pureva"
    # short words of other languages differ from a policy word by one doubled letter
    assert _respelt("rabat", {"rabatt"}) is None
    assert _respelt("gras", {"grass"}) is None
