"""Regression tests of the tenth evasion round (rt-f8eva): the classes behind heldout8.yaml's misses, with cases
written for these tests (none copied from the pinned sets in tests/data), and look-alikes that must stay
clean."""

from __future__ import annotations

import pytest
from content_testlib import codes, content_policy, demo_policy, fired

POLICY = content_policy(
    {
        "version": 1,
        "brand": {"name": "Tidewell"},
        "terms": {
            "banned": [{"term": "spotless"}, {"term": "miracle"}, {"term": "timeless"}],
            "competitors": [{"name": "Veloura"}, {"name": "Marin Beaute"}],
        },
        "claims": {"pricing": {"required": ["terms apply"]}},
        "privacy": {"detect": ["email", "phone", "card"]},
    }
)
WORD_CODES = {"BR101", "BR103", "BR105", "BR202", "BR206", "BR602", "PV101", "PV102", "PV103"}


def _hit(text: str, code: str, kind: str = "text") -> list[str]:
    return [span for c, span in fired(text, POLICY, kind) if c == code]


# -- separators between single letters ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "word"),
    [
        ("So s=p=o=t=l=e=s=s now.", "BR101", "s=p=o=t=l=e=s=s"),
        ("A m^i^r^a^c^l^e balm.", "BR101", "m^i^r^a^c^l^e"),
        ("V#e#l#o#u#r#a fans", "BR105", "V#e#l#o#u#r#a"),
        (
            "Truly t\u2e33i\u2e33m\u2e33e\u2e33l\u2e33e\u2e33s\u2e33s.",
            "BR101",
            "t\u2e33i\u2e33m\u2e33e\u2e33l\u2e33e\u2e33s\u2e33s",
        ),
        (
            "A m\u1427i\u1427r\u1427a\u1427c\u1427l\u1427e.",
            "BR101",
            "m\u1427i\u1427r\u1427a\u1427c\u1427l\u1427e",
        ),
        (
            "V\ua78fe\ua78fl\ua78fo\ua78fu\ua78fr\ua78fa is out",
            "BR105",
            "V\ua78fe\ua78fl\ua78fo\ua78fu\ua78fr\ua78fa",
        ),
        (
            "s\u2248p\u2248o\u2248t\u2248l\u2248e\u2248s\u2248s",
            "BR101",
            "s\u2248p\u2248o\u2248t\u2248l\u2248e\u2248s\u2248s",
        ),
        (
            "m\u2017i\u2017r\u2017a\u2017c\u2017l\u2017e",
            "BR101",
            "m\u2017i\u2017r\u2017a\u2017c\u2017l\u2017e",
        ),
    ],
)
def test_other_separators_between_letters_are_read(text: str, code: str, word: str) -> None:
    assert word in _hit(text, code)


@pytest.mark.parametrize(
    "text",
    [
        "Set x=y=z and solve.",
        "Use a^2+b^2=c^2.",
        "Ticket #A#B#C is closed.",
        "Sizes S\u2e33M\u2e33L in stock.",
        "Approx 3\u22484\u22485 cm.",
    ],
)
def test_separators_between_non_words_stay_clean(text: str) -> None:
    assert not codes(text, POLICY) & WORD_CODES


# -- hyphens of other scripts at a line's end ---------------------------------------------------------------------


@pytest.mark.parametrize("hyphen", ["\u2e17", "\u2e1a", "\u2e40", "\u30a0", "\u058a", "\u1400", "\u1806"])
def test_other_hyphens_at_a_line_end_join_the_word(hyphen: str) -> None:
    assert _hit(f"A spot{hyphen}\nless finish.", "BR101") == [f"spot{hyphen}\nless"]


@pytest.mark.parametrize("text", ["Shipping 3\u30a0\n5 days.", "Mid\u2e17\nSummer sale."])
def test_other_hyphens_keep_ranges_and_capitals_apart(text: str) -> None:
    assert not codes(text, POLICY) & WORD_CODES


# -- a Latin word run into Chinese, Japanese, Korean or Thai copy -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "word"),
    [
        ("\u65b0\u54c1spotless\u7cbe\u534e", "BR101", "spotless"),  # Chinese
        ("\u3053\u308c\u306fmiracle\u3067\u3059", "BR101", "miracle"),  # hiragana
        ("\u30af\u30ea\u30fc\u30e0Veloura\u3088\u308a", "BR105", "Veloura"),  # katakana
        ("\uc81c\ud488\uc740timeless\uc785\ub2c8\ub2e4", "BR101", "timeless"),  # Hangul particles
        ("\u0e04\u0e23\u0e35\u0e21spotless\u0e21\u0e32\u0e01", "BR101", "spotless"),  # Thai
        (
            "\u0e14\u0e35\u0e17\u0e35\u0e48miracle\u0e21\u0e32\u0e01",
            "BR101",
            "miracle",
        ),  # Thai, a tone mark before
        (
            "\u808c\uff53\uff50\uff4f\uff54\uff4c\uff45\uff53\uff53\u306b",
            "BR101",
            "\uff53\uff50\uff4f\uff54\uff4c\uff45\uff53\uff53",
        ),
    ],
)
def test_latin_word_inside_spaceless_copy_is_a_word(text: str, code: str, word: str) -> None:
    assert _hit(text, code) == [word]


@pytest.mark.parametrize(
    "text",
    ["\u65b0\u54c1Veloural\u7cbe\u534e", "\u30afmiracles\u3067", "\u65e5\u672c\u8a9e\u306e\u307f"],
)
def test_spaceless_boundaries_keep_longer_words_whole(text: str) -> None:
    assert not codes(text, POLICY) & WORD_CODES


def test_spaceless_boundary_keeps_offsets() -> None:
    from brandrail.text.normalize import normalize

    text = "\u5168\u65b0miracle\u7cbe\u534e"
    view, index = normalize(text)
    assert view == "\u5168\u65b0 miracle \u7cbe\u534e"
    assert index is not None and [text[i] for i in index] == list(
        "\u5168\u65b0\u65b0miracle\u7cbe\u7cbe\u534e"
    )


# -- full-width Latin in CJK copy is no look-alike (BR902); styled letters in Latin copy still are ------------------


@pytest.mark.parametrize(
    "text",
    [
        "\u51ac\u306e\uff2e\uff25\uff37\u30b3\u30b9\u30e1",
        "\u9650\u5b9a\uff33\uff25\uff34\u4e13\u4eab",
        "\uff34\uff26\uff23\uff12\u306e",
    ],
)
def test_full_width_latin_in_cjk_copy_is_not_br902(text: str) -> None:
    assert "BR902" not in codes(text, POLICY)


def test_full_width_latin_in_latin_copy_is_still_br902() -> None:
    assert "BR902" in codes("Grab the \uff33\uff25\uff34 today", POLICY)


# -- joiners of scripts whose spelling needs them (BR901) -----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "\u062e\u0627\u0646\u0647\u200c\u0647\u0627",  # Persian plural with ZWNJ
        "\u0928\u094d\u200d\u092f",  # Devanagari half form
        "\u0d15\u0d7d \u0d23\u0d4d\u200d",  # Malayalam chillu written with ZWJ at a word's end
        "\u1820\u180b\u1821",  # Mongolian free variation selector between Mongolian letters
    ],
)
def test_script_joiners_are_not_hidden_characters(text: str) -> None:
    assert "BR901" not in codes(text, POLICY)


@pytest.mark.parametrize(
    "text",
    ["spot\u200cless", "mira\u200dcle", "\u0647\u200c\u200c\u0647", "time\u180cless", "Velo\u180fura"],
)
def test_joiners_in_latin_words_or_doubled_are_hidden(text: str) -> None:
    assert "BR901" in codes(text, POLICY)


# -- a web address without its scheme is read as words -------------------------------------------------------------
# (cutting "tidewell.example/care/spotless-skin" out of the reading, tried this round, also cut the address out of
# every required disclosure that names one, "see fernhill.example/trade-in", which then was never found: the demo's
# `brandrail fix` appended it again on every run)


def test_a_required_disclosure_naming_an_address_without_scheme_is_found() -> None:
    from brandrail.content.fix import fix_text

    policy = demo_policy().for_channel("email")
    text = "Bring your old tent for our trade-in weekend.\n\nTrade-in value depends on condition; see fernhill.example/trade-in.\n"
    assert "BR301" not in codes(text, policy, "markdown")
    once = fix_text(
        "Bring your old tent for our trade-in weekend.\n", policy, kind="markdown", channel="email"
    )
    assert fix_text(once.text, policy, kind="markdown", channel="email").applied == []


@pytest.mark.parametrize(
    ("text", "code", "word"),
    [
        ("It is spotless/and/or miracle", "BR101", "spotless"),  # no host: words
        ("A miracle. Next/ step", "BR101", "miracle"),
        ("e.g./spotless", "BR101", "spotless"),  # a one-letter last label is no host
    ],
)
def test_words_beside_slashes_are_still_read(text: str, code: str, word: str) -> None:
    assert word in _hit(text, code)


# -- items a flex column or one-column grid stacks make no word ----------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        '<div style="display:flex;flex-direction:column"><b>spot</b><b>less</b></div>',
        '<span style="display:inline-flex; flex-flow: column-reverse wrap"><i>less</i><i>spot</i></span>',
        '<div style="display:grid"><span>mira</span><span>cle</span></div>',
    ],
)
def test_stacked_items_make_no_word(html: str) -> None:
    assert "BR101" not in codes(html, POLICY, "html")


@pytest.mark.parametrize(
    "html",
    [
        '<div style="display:flex"><b>spot</b><b>less</b></div>',  # a row: side by side
        '<div style="display:grid;grid-template-columns:auto auto"><b>spot</b><b>less</b></div>',
        '<div style="display:flex;flex-direction:column"><p>A <b>spot</b>less finish.</p></div>',  # inside one item
    ],
)
def test_rows_and_words_inside_one_item_are_still_read(html: str) -> None:
    assert "BR101" in codes(html, POLICY, "html")


# -- a hidden piece inside a disclosure's wording breaks it --------------------------------------------------------

TRIAL = content_policy(
    {
        "version": 1,
        "brand": {"name": "Tidewell"},
        "disclosures": {
            "required": [
                {
                    "id": "renewal",
                    "text": "Plan renews yearly unless you cancel.",
                    "when": {"terms": ["plan"]},
                }
            ]
        },
    }
)


@pytest.mark.parametrize(
    "hidden",
    ['<span style="display:none">only if </span>', '<span style="font-size:0">never </span>'],
)
def test_hidden_words_inside_the_disclosure_break_it(hidden: str) -> None:
    html = f"<p>Pick a plan.</p><p>Plan renews yearly {hidden}unless you cancel.</p>"
    assert "BR301" in codes(html, TRIAL, "html")


def test_hidden_text_outside_the_disclosure_leaves_it_whole() -> None:
    html = (
        '<p>Pick a plan.</p><p>Plan renews yearly unless you cancel.<span style="display:none">x1</span></p>'
    )
    assert "BR301" not in codes(html, TRIAL, "html")


# -- an offer's terms only in front matter do not excuse the claim (Markdown) ---------------------------------------


@pytest.mark.parametrize(
    "md",
    [
        "---\nsubject: Terms apply\n---\nFree returns this month.",
        "---\nexcerpt: 'See terms. Terms apply.'\n---\n40% off everything.",
        '+++\ntitle = "Terms apply"\n+++\nFree returns this month.',
    ],
)
def test_terms_only_in_front_matter_leave_the_offer_flagged(md: str) -> None:
    assert "BR206" in codes(md, POLICY, "markdown")


def test_terms_in_the_body_still_count_beside_front_matter() -> None:
    md = "---\ntitle: Spring\n---\nFree returns this month. Terms apply."
    assert "BR206" not in codes(md, POLICY, "markdown")


def test_toml_front_matter_keys_are_metadata() -> None:
    assert "BR101" not in codes('+++\nlayout = "spotless"\n+++\nHello.', POLICY, "markdown")
    assert "BR101" in codes('+++\ntitle = "A spotless glow"\n+++\nHello.', POLICY, "markdown")


# -- leetspeak with one letter, "@" or a "1" for "l" at a word's start ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "word"),
    [
        ("What a 5h!+ day.", "BR602", "5h!+"),
        ("A m!r@c1e cream", "BR101", "m!r@c1e"),
        ("The 71me1ess range", "BR101", "71me1ess"),
        ("Try $p0t1ess now", "BR101", "$p0t1ess"),
        ("Skip V3l0ur@ now", "BR105", "V3l0ur@"),
    ],
)
def test_leet_with_symbols_at_the_edges_is_read(text: str, code: str, word: str) -> None:
    assert word in _hit(text, code)


@pytest.mark.parametrize(
    "text", ["Meet at 5h17 sharp.", "Ask @timeco or @veloura_fans", "Mix 4x4 and 3rd gear, $5a."]
)
def test_times_handles_and_codes_stay_clean(text: str) -> None:
    assert not codes(text, POLICY) & WORD_CODES


# -- two respellings at once ----------------------------------------------------------------------------------------

RESPELT = content_policy(
    {"version": 1, "brand": {"name": "Tidewell"}, "terms": {"banned": [{"term": "fabulous"}]}}
)


@pytest.mark.parametrize("word", ["Phaaabulous", "Phabbulous", "Phabulouss"])
def test_ph_and_another_respelling_are_read(word: str) -> None:
    assert [s for c, s in fired(f"A {word} look.", RESPELT) if c == "BR101"] == [word]


def test_ph_words_that_are_words_stay() -> None:
    assert not codes("Phoebe's phabulist phones.", RESPELT) & WORD_CODES


# -- card groups with other spaces ----------------------------------------------------------------------------------


@pytest.mark.parametrize("space", ["\u2009", "\u202f", "\u2007", "\u2008", "\u00a0", "\u205f"])
def test_card_groups_with_other_spaces_are_found(space: str) -> None:
    card = space.join(["4111", "1111", "1111", "1111"])
    assert _hit(f"Card {card} on file.", "PV103") == [card]
