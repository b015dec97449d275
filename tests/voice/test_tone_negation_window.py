"""The negation before a pressure cue is looked for only in windows that hold one of its words
(tone._needed_text): the words are a necessary condition of a match, so skipping the other windows changes
no result."""

from __future__ import annotations

import random
import re
import sys

import pytest

from brandrail.voice import tone
from brandrail.voice.tone import _LOOSE_FOLDS, _URGENCY_NEGATED, _needed_text


def test_the_urgency_negations_words_are_found() -> None:
    needed = _needed_text(_URGENCY_NEGATED)
    assert needed is not None
    # each alternative of the lexicon's negation is covered by a word of the list
    for word in ("no", "not", "never", "no need to", "don't need to", "dont need to", "without", "nothing"):
        assert any(w in word for w in needed), word
    assert all(w.isascii() and not set(w) & _LOOSE_FOLDS for w in needed)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"abc", ("abc",)),
        (r"(?:x|yz)q", ("x", "yz")),
        (r"\bfoo(?:bar|baz)", ("fooba",)),
        (r"(?:\bno|\bnot)\s+x", ("no",)),
        (r"Kiss", ("k",)),  # "i" and "s" are matched by "ı" and "ſ" too: only "k" is looked for
        (r"(?:\d|no)", None),  # an alternative with no literal text
        (r"is", None),
        (r"\w+", None),
    ],
)
def test_needed_text_of_patterns(pattern: str, expected: tuple[str, ...] | None) -> None:
    assert _needed_text(re.compile(pattern, re.IGNORECASE)) == expected


def test_loose_folds_are_the_only_ascii_letters_matched_by_other_characters() -> None:
    """Ignoring case, every character the engine matches with an ASCII character outside _LOOSE_FOLDS
    lower-cases to that character's lower case: the lower-cased window holds the literal whenever the
    text matches it."""
    loose = set()
    for o in range(128):
        c = chr(o).lower()
        rx = re.compile(re.escape(c), re.IGNORECASE)
        for u in range(sys.maxunicode + 1):
            ch = chr(u)
            if rx.fullmatch(ch) and c not in ch.lower():
                loose.add(c)
    assert loose == set(_LOOSE_FOLDS)


def test_skipping_windows_changes_no_negation() -> None:
    """On random windows (words of the negations, look-alikes, other text), whenever the negation matches,
    the window holds one of the needed words."""
    needed = _needed_text(_URGENCY_NEGATED)
    assert needed is not None
    rng = random.Random(11)
    pieces = [
        "no", "NOT", "Never", "no need to", "don't need to", "DONT NEED TO", "without", "WİTHOUT", "wıthout",
        "nothing", "noſe", "there's no", "theres no", "know", "annot", "hurry", "act now", "ſale", " ", "  ",
        "\n", "ends", "tonight", "—", "😀", "é", "Σ", "İ", "'", "’",
    ]  # fmt: skip
    hits = 0
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) + rng.choice([" ", "", "  "]) for _ in range(rng.randint(1, 12)))
        a = len(text)
        lo = max(a - 40, 0)
        if _URGENCY_NEGATED.search(text, lo, a):
            hits += 1
            window = text[lo:a].lower()
            assert any(w in window for w in needed), text
    assert hits > 1000


def test_profile_with_negations_is_unchanged_by_the_window_test(monkeypatch: pytest.MonkeyPatch) -> None:
    """A text full of pressure cues with and without negations: the profile with the window test equals the
    profile when every window is searched."""
    text = " ".join(
        [
            "Hurry, only 3 left!",
            "There's no need to hurry.",
            "No rush, order now if you like.",
            "Don't need to act now.",
            "Without a deadline, ends tonight.",
            "WİTHOUT any hurry, last chance.",
        ]
        * 40
    )
    with_test = tone.profile_text(text).to_dict()
    tone._needed_text.cache_clear()
    monkeypatch.setattr(tone, "_needed_text", lambda rx: None)
    without = tone.profile_text(text).to_dict()
    assert with_test == without
    assert with_test["counts"]["pressure_cues"] > 0
