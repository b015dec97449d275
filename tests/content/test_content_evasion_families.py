"""Spelling disguises, one family at a time: each is read through (the term is found, its span covers the
disguise as written and the evidence says what it read as), and the benign text that looks like it is left alone.

The pinned attack set (tests/data/evasion, written before these fixes) is checked as an aggregate floor — the
figures measured on it, not per case — and its hash against the one recorded in its README.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from content_testlib import content_policy

from bench_testlib import load_bench
from brandrail.engine import check_text
from brandrail.text.document import Document
from brandrail.text.normalize import disguised_char, normalize

ROOT = Path(__file__).parents[2]
DATA = ROOT / "tests" / "data" / "evasion"

POLICY = content_policy(
    {
        "terms": {
            "banned": [{"term": "radiant"}, {"term": "miracle"}],
            "competitors": [{"name": "Brightwell"}],
        },
        "claims": {"pricing": {"required": ["t&cs apply"]}},
        "disclosures": {
            "required": [{"id": "sub", "text": "Renews yearly.", "when": {"terms": ["subscribe"]}}],
            "ai_label": {"required": True, "channels": ["social"], "labels": ["made with ai"]},
            "sms": {"opt_out": True, "sender": False},
        },
        "channels": {"sms": {"kind": "sms"}, "social": {"kind": "social"}},
    }
)


def codes(text: str, **kw: Any) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for f in check_text(text, POLICY, **kw).findings:
        out.setdefault(f.code, []).append(f)
    return out


def view(text: str) -> str:
    return normalize(text)[0]


def assert_found(text: str, code: str, written: str, reads_as: str | None = None, **kw: Any) -> None:
    """``code`` fires with its span on ``written`` (as it stands in ``text``) and says what it read as."""
    found = codes(text, **kw).get(code, [])
    start = text.index(written)
    hits = [
        f for f in found if f.span is not None and f.span.start < start + len(written) and start < f.span.end
    ]
    assert hits, (code, text, {c: [f.match for f in fs] for c, fs in codes(text, **kw).items()})
    if reads_as is not None:
        assert hits[0].evidence.get("reads_as") == reads_as, hits[0].evidence


# -- styled letters ----------------------------------------------------------------------------------------


def test_parenthesised_letters_and_squared_words_read_as_letters() -> None:
    def paren(word: str) -> str:
        return "".join(chr(0x249C + ord(c) - ord("a")) for c in word)

    assert view(paren("radio")) == "radio"  # not "(r)(a)(d)(i)(o)"
    assert view("\U0001f193 trial") == "FREE trial"
    assert_found(f"{paren('miracle')} cream", "BR101", paren("miracle"), "miracle")


def test_regional_indicators_are_letters_only_when_they_do_not_pair_into_flags() -> None:
    assert (
        view("Ship to \U0001f1eb\U0001f1f7\U0001f1ea\U0001f1ea")
        == "Ship to \U0001f1eb\U0001f1f7\U0001f1ea\U0001f1ea"
    )
    assert view("\U0001f1eb\u200b\U0001f1f7\u200b\U0001f1ea\u200b\U0001f1ea") == "FREE"
    assert view("\U0001f1eb\U0001f1f7\U0001f1ea") == "\U0001f1eb\U0001f1f7E"  # a flag and a left-over letter


def test_more_cherokee_greek_and_armenian_look_alikes() -> None:
    assert view("\u13a1ADIANT") == "RADIANT"  # Cherokee E looks like R
    assert view("mi\u13c0ht") == "miGht"
    assert view("\u03dcREE") == "FREE"
    assert view("radia\u03b7t") == "radiant"
    assert view("\u054fUN") == "SUN"
    assert view("fl\uab7awless") == "flawless"  # a Cherokee small letter through its capital
    assert view("\u0561ave") == "wave"  # Armenian ayb
    assert_found("So radia\u03b7t", "BR101", "radia\u03b7t", "radiant")


# -- invisible, reordered and markup inside a word ------------------------------------------------------


def test_hangul_fillers_read_as_nothing() -> None:
    assert view("mir\u3164acle") == "miracle"
    assert_found("mir\u3164acle", "BR101", "mir\u3164acle", "miracle")
    assert "BR901" in codes("mir\u3164acle")


def test_a_right_to_left_override_is_read_in_display_order() -> None:
    assert view("\u202eelcarim\u202c cream") == "miracle cream"
    assert view("\u202etnaidar") == "radiant"  # to the end of the line without a pop
    assert view("a \u202eba\u202c c\nxy") == "a ab c\nxy"
    text = "Try our \u202eelcarim\u202c cream"
    assert_found(text, "BR101", "elcarim", "miracle")
    assert "BR901" in codes(text)


def test_a_word_under_an_override_is_found_in_the_stored_order_too() -> None:
    # a renderer that ignores or strips the override shows "miracle": both orders are read
    text = "Oh \u202emiracle"
    assert view(text) == "Oh elcarim"
    assert_found(text, "BR101", "miracle")


def test_the_span_of_a_reordered_word_covers_all_of_it() -> None:
    doc = Document("so \u202etnaidar\u202c!")
    a = doc.norm.index("radiant")
    assert doc.norm_to_original(a, a + 7) == (4, 11)


def test_inline_tags_written_in_plain_text_inside_a_word() -> None:
    assert view("mir<i></i>acle and ra<span class='x'>dia</span>nt") == "miracle and radiant"
    assert view("if a<b and b>c") == "if a<b and b>c"
    assert_found("A mir<b>ac</b>le", "BR101", "mir<b>ac</b>le", "miracle")


def test_markdown_emphasis_inside_a_word_but_not_a_masked_word() -> None:
    assert view("mir**acle**") == "miracle**"
    assert view("ra~~~~diant") == "radiant"
    assert view("*rad*iant") == "*radiant"
    assert view("f**k and sh*t and F*cking") == "f**k and sh*t and F*cking"  # masks, for BR602
    assert_found("A mira**cle**", "BR101", "mira**cle**", "miracle", kind="markdown")
    assert "BR602" in codes("F*cking great")


def test_a_word_hyphenated_across_a_line_break() -> None:
    assert view("radi-\nant") == "radiant"
    assert view("radi- \r\n  ant") == "radiant"
    assert view("well-\nKnown") == "well-\nKnown"  # a capital after the break: two words
    assert_found("Truly radi-\nant skin", "BR101", "radi-\nant", "radiant")
    assert_found("<p>A mira-<br>cle</p>", "BR101", "mira-<br>cle", kind="html")


def test_emoji_inside_a_word() -> None:
    assert view("mir\U0001f31facle") == "miracle"
    assert view("rad\U0001f44d\U0001f3fdiant") == "radiant"  # a skin tone is part of the emoji
    assert view("I \u2764\ufe0f NY") == "I \u2764 NY"  # between words it stays
    assert_found("A mir\u2728acle", "BR101", "mir\u2728acle", "miracle")


# -- separators and leetspeak ----------------------------------------------------------------------------


def test_more_separators_between_spaced_letters() -> None:
    assert view("r|a|d|i|a|n|t") == "radiant"
    assert view("r\u2022a\u2022d\u2022i\u2022a\u2022n\u2022t") == "radiant"
    assert view("r\u2014a\u2014d\u2014i\u2014a\u2014n\u2014t") == "radiant"
    assert view("r:a:d:i:a:n:t") == "radiant"
    assert view("r . a . d . i . a . n . t") == "radiant"
    assert view("10:30 and 1|2|3") == "10:30 and 1|2|3"


def test_leetspeak_among_spaced_letters() -> None:
    assert view("r 4 d 1 4 n t") == "radiant"
    assert view("m 1 r 4 c l 3 now") == "miracl3 now"  # the edge is the term matcher's (resolve_edge_leet)
    assert_found("The m 1 r 4 c l 3", "BR101", "m 1 r 4 c l 3", "miracle")
    # digits of a number, spaced digits and single letters with one digit stay as they are
    assert view("SAML 1.1 w i l l") == "SAML 1.1 will"
    assert view("1 2 3 4") == "1 2 3 4"
    assert view("4 x 4") == "4 x 4"


# -- disclosures must read as the words -----------------------------------------------------------------


def test_disguised_char() -> None:
    assert disguised_char("\u0435")  # Cyrillic e
    assert disguised_char("\U0001d41a")  # mathematical bold a
    assert disguised_char("\u24d0") and disguised_char("\U0001f1e6") and disguised_char("\u1d00")
    assert not disguised_char("\uff41")  # full-width a: CJK input methods type it
    assert not disguised_char("\u00e9") and not disguised_char("\u00f8") and not disguised_char("a")


@pytest.mark.parametrize(
    "terms",
    [
        "T&Cs \u0430pply.",
        "\U0001d413&\U0001d402\U0001d42c \U0001d41a\U0001d429\U0001d429\U0001d425\U0001d432.",
        "T&Cs 4pply.",
    ],
)
def test_pricing_terms_in_look_alike_styled_or_leet_letters_do_not_count(terms: str) -> None:
    found = codes(f"Free shipping all week. {terms}")
    assert "BR206" in found
    assert found["BR206"][0].evidence.get("terms_disguised")


@pytest.mark.parametrize(
    "terms",
    [
        "T&Cs apply.",
        "T&Cs ap\u00adply.",
        "\uff34&\uff23\uff53 \uff41\uff50\uff50\uff4c\uff59.",
        "T&CS APPLY.",
    ],
)
def test_pricing_terms_written_plainly_count(terms: str) -> None:
    assert "BR206" not in codes(f"Free shipping all week. {terms}")


def test_a_disclosure_label_and_opt_out_in_look_alike_letters_do_not_count() -> None:
    disclosure = codes("Subscribe today. Renews y\u0435arly.")["BR301"][0]
    assert disclosure.evidence["disguised"] == ["Renews y\u0435arly"]
    assert "BR301" not in codes("Subscribe today. Renews yearly.")
    assert "BR303" in codes("New range. M\u0430de with AI.", channel="social")
    assert "BR303" not in codes("New range. Made with AI.", channel="social")
    assert "BR304" in codes("Sale on now. Reply \u0405TOP to opt out.", channel="sms")
    assert "BR304" in codes(
        "Sale on now. Text \U0001d412\U0001d413\U0001d40e\U0001d40f to end.", channel="sms"
    )
    assert "BR304" not in codes("Sale on now. Reply STOP to opt out.", channel="sms")


# -- what must stay quiet ----------------------------------------------------------------------------------


def test_words_in_their_own_script_and_symbols_are_no_look_alikes() -> None:
    assert "BR902" not in codes(
        "Our Lviv shop: \u00ab\u041a\u0440\u0430\u0441\u0430 \u0456 \u0434\u043e\u0433\u043b\u044f\u0434\u00bb."
    )
    assert "BR902" not in codes("With 2% \u03b1-hydroxy acids, \u03b2-carotene and \u03c9-3.")
    assert "BR902" in codes("So r\u0430diant.")


def test_bidi_isolates_around_whole_words_are_not_hidden_characters() -> None:
    assert "BR901" not in codes("Welcome \u2067\u0645\u0631\u062d\u0628\u0627\u2069 to the shop.")
    assert "BR901" not in codes("Order \u2066#A-1\u2069 shipped.")
    assert "BR901" in codes("rad\u2066iant\u2069")  # inside a word
    assert "BR901" in codes("Welcome \u2067\u202e\u0645\u2069 here")  # an override inside
    assert "BR901" in codes("Welcome \u2067\u0645\u0631 with no pop")


# -- letters hidden by CSS inside a word; leetspeak kept apart by punctuation -------------------------------


@pytest.mark.parametrize(
    "hiding",
    [
        'style="display:none"',
        'style="font-size:0"',
        'style="visibility:hidden"',
        'style="opacity:0"',
        'style="display:inline-block;max-height:0;overflow:hidden"',
        'style="color:#ffffff"',
        "hidden",
    ],
)
def test_a_word_spelled_across_hidden_letters_is_read_as_the_reader_sees_it(hiding: str) -> None:
    text = f'<html><body style="background:#ffffff"><p>So rad<span {hiding}>q</span>iant today.</p></body></html>'
    found = codes(text, kind="html").get("BR101", [])
    assert [(f.span.start, f.span.end) for f in found] == [(text.index("rad<"), text.index("iant") + 4)]


def test_letters_aria_hidden_are_seen_and_a_hidden_block_joins_no_words() -> None:
    # aria-hidden hides from a screen reader only: the word the sighted reader sees is "radqiant"
    assert "BR101" not in codes('<p>So rad<span aria-hidden="true">q</span>iant.</p>', kind="html")
    # a hidden block between two blocks: "rad" and "iant" stand on lines of their own
    assert "BR101" not in codes(
        '<div>So rad</div><div style="display:none">q</div><div>iant</div>', kind="html"
    )
    # hidden letters that make a visible word of their own are not a seam that spells a term
    assert "BR101" not in codes('<p>Bar<span style="display:none">radiant</span>celona</p>', kind="html")


def test_a_hidden_word_is_still_a_banned_word() -> None:
    assert "BR101" in codes('<p>Hello<span style="display:none"> radiant</span></p>', kind="html")


@pytest.mark.parametrize("text", ["m.1.r.4.c.l.3 cream", "r4d.1.4nt glow", "M-1-R-4-C-L-3 serum"])
def test_punctuated_leetspeak_with_digits_side_by_side_reads_as_the_term(text: str) -> None:
    assert "BR101" in codes(text)


@pytest.mark.parametrize(
    "text", ["Update to v1.3.3 today.", "Fr. 33 per jar.", "See 4.3.1.5 and B-4-1.", "Play 4-3-3 in 2.1.0"]
)
def test_dotted_numbers_are_no_leetspeak(text: str) -> None:
    assert not set(codes(text)) & {"BR101", "BR105", "BR206", "BR602", "BR901", "BR902"}


# -- German compounds ----------------------------------------------------------------------------------------

GERMAN = content_policy({"terms": {"banned": [{"term": "Schund"}, {"term": "radiant"}]}})


def german(text: str) -> set[str]:
    return {f.code for f in check_text(text, GERMAN).findings}


@pytest.mark.parametrize(
    "text",
    [
        "Das ist kein Schundprodukt, sondern echte Pflege.",
        "Wir haben die Schundware aussortiert.",
        "Unser Fickfehler von gestern tut uns leid.",
        "So ein Kackladen ist das nicht.",
    ],
)
def test_a_german_compound_that_starts_with_a_banned_or_profane_word_is_flagged(text: str) -> None:
    assert german(text) & {"BR101", "BR602"}


@pytest.mark.parametrize(
    "text",
    [
        "Ein Durchmarsch der neuen Serie, das ist sicher.",  # "arsch" inside a word, not at its start
        "Der Arschin ist eine alte Einheit, nicht wahr.",  # arsch + the suffix -in
        "Die Schlamperei bei der Lieferung tut uns leid.",  # Schlampe + -rei
        "That fickleness of the weather, and the fickle sun.",  # English: not read as German
        "Radiantine is not a word we use.",  # English, and not a derivation ("radiantly" is: round 8 tests)
    ],
)
def test_words_that_merely_start_with_the_letters_are_no_compounds(text: str) -> None:
    assert not german(text) & {"BR101", "BR602"}


# -- the pinned attack set: aggregate floors -----------------------------------------------------------------


def _bench() -> ModuleType:
    return load_bench("bench_evasion")


@pytest.mark.parametrize(
    "name",
    [
        "attacks.yaml",
        "heldout.yaml",
        "heldout2.yaml",
        "heldout3.yaml",
        "fresh5.yaml",
        "policy.yaml",
        "policy2.yaml",
    ],
)
def test_the_pinned_sets_are_unchanged(name: str) -> None:
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    recorded = re.search(rf"`{re.escape(name)}` \|[^|]*\| `([0-9a-f]{{64}})`", readme)
    assert recorded is not None
    assert hashlib.sha256((DATA / name).read_bytes()).hexdigest() == recorded.group(1)


#: Measured once the normaliser was fixed (tests/data/evasion/README.md, bench/bench_evasion.py); before the
#: fixes the pinned set gave 81 of 144 and 9 false alarms. heldout3.yaml: 55 of 68 and 2 false alarms at its
#: one held-out measurement (rt-heldout), 68 and 0 after the fixes for its errors (rt-fixevasion).
#: These are floors, not per-case answers.
FLOORS = {
    "attacks.yaml": (144, 3),
    "heldout.yaml": (27, 0),
    "heldout2.yaml": (60, 0),
    "heldout3.yaml": (68, 0),
    # heldout4.yaml: 48 of 74 and 1 false alarm at its one held-out measurement (rt-test4a); fresh5.yaml: 10 of 46
    # and 2 before the fixes of rt-ev4 (written before them); both after those fixes (development data since)
    "heldout4.yaml": (70, 0),
    "fresh5.yaml": (41, 1),
}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_the_pinned_sets_keep_their_measured_floor(name: str) -> None:
    report = _bench().measure(DATA / name)
    caught, alarms = FLOORS[name]
    assert report["caught"] >= caught, report["misses"]
    assert report["false_alarms"] <= alarms, report["alarms"]


def test_the_third_held_out_set_is_well_formed() -> None:
    data = yaml.safe_load((DATA / "heldout3.yaml").read_text(encoding="utf-8"))
    attacks, benign = data["attacks"], data["benign"]
    assert len(attacks) >= 60 and len(benign) >= 30
    assert len({a["family"] for a in attacks}) >= 15
    assert {"banned-term", "profanity", "claim", "personal-data"} <= {a["attacks"] for a in attacks}
    ids = [c["id"] for c in attacks + benign]
    assert len(set(ids)) == len(ids)
    for case in attacks:
        assert case["expect"], case["id"]
        assert case.get("where") is None or case["where"] in case["text"], case["id"]
