"""Evasion resistance: hidden characters, look-alike letters, spacing and leetspeak never hide a banned term,
and every finding's span still points at the disguised word in the original text (hypothesis properties)."""

from __future__ import annotations

import html

import pytest
from content_testlib import content_policy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brandrail.engine import check_text
from brandrail.text.normalize import fold_term

TERMS = ["guaranteed", "cheap", "risk-free", "miracle"]
POLICY = content_policy(
    {"terms": {"banned": [{"term": t} for t in TERMS]}, "claims": {"guarantee": {"enabled": False}}}
)

HIDDEN = [
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\u00ad",
    "\ufeff",
    "\u200e",
    "\u200f",
    "\u2062",
    "\U000e0041",
]

# Latin letter -> look-alikes, written out independently of brandrail's table (Unicode confusables.txt):
# Cyrillic, Greek and other-script letters, plus full-width and mathematical bold forms.
LOOKALIKES: dict[str, list[str]] = {
    "a": ["\u0430", "\u03b1"], "c": ["\u0441", "\u03f2"], "d": ["\u0501"], "e": ["\u0435", "\u03b5"],
    "g": ["\u0261"], "h": ["\u04bb"], "i": ["\u0456", "\u03b9"], "k": ["\u03ba"], "l": ["\u04cf"],
    "o": ["\u043e", "\u03bf"], "p": ["\u0440", "\u03c1"], "s": ["\u0455"], "u": ["\u03c5"], "x": ["\u0445"],
    "y": ["\u0443"], "A": ["\u0410", "\u0391"], "C": ["\u0421"], "E": ["\u0415", "\u0395"],
    "I": ["\u0406"], "K": ["\u041a"], "M": ["\u041c"], "O": ["\u041e"], "P": ["\u0420"], "T": ["\u0422"],
}  # fmt: skip
for _i, _c in enumerate("abcdefghijklmnopqrstuvwxyz"):
    LOOKALIKES.setdefault(_c, []).extend([chr(0xFF41 + _i), chr(0x1D41A + _i)])
    LOOKALIKES.setdefault(_c.upper(), []).append(chr(0xFF21 + _i))

WORDS = st.sampled_from(["our", "tents", "are", "now", "in", "store", "and", "the", "boots", "we", "say"])


def _clean(text: str) -> str:
    """What a reader sees: hidden characters dropped, look-alikes read as Latin, lower-cased."""
    return fold_term("".join(c for c in text if c not in HIDDEN))


@st.composite
def disguised(draw: st.DrawFn) -> tuple[str, str]:
    term = draw(st.sampled_from(TERMS))
    out = []
    for ch in term:
        choice = draw(st.integers(0, 3))
        if choice == 1 and ch.isalpha():
            ch = ch.upper()
        elif choice >= 2 and LOOKALIKES.get(ch):
            ch = draw(st.sampled_from(LOOKALIKES[ch]))
        elif choice == 3 and LOOKALIKES.get(ch.upper()):
            ch = draw(st.sampled_from(LOOKALIKES[ch.upper()]))
        out.append(ch)
        if draw(st.booleans()):
            out.append("".join(draw(st.lists(st.sampled_from(HIDDEN), min_size=1, max_size=3))))
    return term, "".join(out).rstrip("".join(HIDDEN))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(disguised(), st.lists(WORDS, max_size=4), st.lists(WORDS, max_size=4))
def test_disguise_never_hides_a_banned_term(
    item: tuple[str, str], before: list[str], after: list[str]
) -> None:
    term, word = item
    text = " ".join([*before, word, *after]) + "."
    result = check_text(text, POLICY)
    hits = [f for f in result.findings if f.code == "BR101" and f.evidence["term"] == term]
    assert hits, f"{term!r} hidden in {text!r}"
    span = hits[0].span
    assert span is not None
    assert _clean(text[span.start : span.end]) == term


@settings(max_examples=80, deadline=None)
@given(
    st.sampled_from(["guaranteed", "cheap", "miracle"]),
    st.sampled_from([" ", ".", "-", "_", "/", "+", "\u00a0", " \u200b"]),
)
def test_spaced_letters_are_joined(term: str, sep: str) -> None:
    text = f"Our {sep.join(term)} tents."
    result = check_text(text, POLICY)
    assert any(f.code == "BR101" for f in result.findings), text


@pytest.mark.parametrize(
    "text",
    [
        "It's c h e a p and warm.",  # the "s" of "it's" does not start the run
        "That’s g-u-a-r-a-n-t-e-e-d.",
        "A n-e-w c-h-e-a-p t-e-n-t.",  # a space among dashes is a word break
    ],
)
def test_spaced_letters_after_an_apostrophe_or_between_words(text: str) -> None:
    result = check_text(text, POLICY)
    assert any(f.code == "BR101" for f in result.findings), text


@settings(max_examples=100, deadline=None)
@given(disguised())
def test_html_entities_do_not_hide_a_term(item: tuple[str, str]) -> None:
    term, word = item
    encoded = "".join(f"&#{ord(c)};" if not c.isascii() or c == "e" else c for c in word)
    text = f"<p>Our {encoded} tents</p>"
    result = check_text(text, POLICY, kind="html")
    hits = [f for f in result.findings if f.code == "BR101"]
    assert hits, text
    span = hits[0].span
    assert span is not None
    assert _clean(html.unescape(text[span.start : span.end])) == term


def test_leetspeak_between_letters() -> None:
    for text in ("guar4nteed", "ch34p", "m1racle", "gu@r@nt33d"):
        assert any(f.code == "BR101" for f in check_text(f"It is {text}.", POLICY).findings), text


def test_evasion_is_itself_a_finding() -> None:
    policy = content_policy({})
    codes = [f.code for f in check_text("guar\u200banteed ch\u0435ap", policy).findings]
    assert "BR901" in codes and "BR902" in codes


def test_clean_words_near_terms_are_not_flagged() -> None:
    for text in ("A cheapskate.", "Guarantor needed.", "Miracles happen? No: miraculous."):
        assert not [f for f in check_text(text, POLICY).findings if f.code == "BR101"], text


# Negative circled and negative squared capitals (U+1F150, U+1F170): no compatibility mapping in Unicode.
_NEGATIVE = {c: (chr(0x1F150 + i), chr(0x1F170 + i)) for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("Sooo cheeeap!", "cheap"),  # a letter stretched: written once in the term
        ("GUARANTEEEED for life", "guaranteed"),  # a letter stretched: written twice in the term
        ("mirrrraaaacle cream", "miracle"),  # two stretched letters
        ("It's risk-freeee.", "risk-free"),
        ("ch€ap tents", "cheap"),  # a currency sign for a letter
        ("¢HEAP TENTS", "cheap"),
        ("".join(_NEGATIVE[c][0] for c in "CHEAP") + " tents", "cheap"),
        ("".join(_NEGATIVE[c][1] for c in "MIRACLE") + " cream", "miracle"),
        ("It is risk-\u0192ree.", "risk-free"),  # a Latin letter with a hook
    ],
)
def test_stretched_letters_currency_signs_and_enclosed_letters_do_not_hide_a_term(
    text: str, term: str
) -> None:
    hits = [f for f in check_text(text, POLICY).findings if f.code == "BR101" and f.evidence["term"] == term]
    assert len(hits) == 1, text
    span = hits[0].span
    assert span is not None
    matched = text[span.start : span.end]
    assert matched == hits[0].match and matched.strip() == matched and len(matched) >= len(term)


@pytest.mark.parametrize(
    "text",
    [
        "Visit www.cheapskate.example today.",  # "www." of an address is not a stretched letter
        "Hmmm, zzz, grrr: soooo comfy.",  # stretched letters that are no term
        "Cheaaaapskate.",  # stretched, but the word is not the term
        "Only €5 a month, 50€ in total, €10 off, 3¢ a text.",  # prices stay prices
        "Sizes S/M/L and a/b testing.",
    ],
)
def test_stretching_and_currency_signs_add_no_false_term(text: str) -> None:
    assert not [f for f in check_text(text, POLICY).findings if f.code == "BR101"], text


def test_a_stretched_term_is_fixed_in_place() -> None:
    policy = content_policy({"terms": {"banned": [{"term": "cheap", "replacement": ["affordable"]}]}})
    from brandrail.content.fix import apply_fixes

    text = "Sooo cheeeap, and cheap."
    fixed, applied, _ = apply_fixes(text, check_text(text, policy).findings)
    assert fixed == "Sooo affordable, and affordable." and applied
