"""The tone profile reads text as a reader sees it: invisible characters inside words and look-alike letters
do not hide a word from the tone lists, and the drivers still point at the original characters."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest

from brandrail.text.reader import as_read
from brandrail.voice.tone import profile_text

CORPUS = Path(__file__).resolve().parent.parent / "data" / "voice" / "tone_corpus" / "dev.tsv"
#: Latin letters and a Cyrillic letter that looks the same.
CYRILLIC = {
    "a": "а",
    "e": "е",
    "o": "о",
    "p": "р",
    "c": "с",
    "x": "х",
    "y": "у",
    "A": "А",
    "E": "Е",
    "O": "О",
}


def _texts() -> list[str]:
    with CORPUS.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return [r["text"] for r in rows[::5]]


def zero_width(text: str, rng: random.Random) -> str:
    """A zero-width space or soft hyphen between some pairs of ASCII letters."""
    out = []
    for i, ch in enumerate(text):
        out.append(ch)
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if ch.isascii() and ch.isalpha() and nxt.isascii() and nxt.isalpha() and rng.random() < 0.3:
            out.append(rng.choice("\u200b\u00ad\u2060"))
    return "".join(out)


def full_width(text: str, rng: random.Random) -> str:
    """Some words' ASCII letters in their full-width forms."""
    words = text.split(" ")
    for k, w in enumerate(words):
        if rng.random() < 0.5:
            words[k] = "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalpha() else c for c in w)
    return " ".join(words)


def homoglyphs(text: str, rng: random.Random) -> str:
    """Some Latin letters swapped for the Cyrillic letters that look the same."""
    return "".join(CYRILLIC[c] if c in CYRILLIC and rng.random() < 0.4 else c for c in text)


@pytest.mark.parametrize("disguise", [zero_width, full_width, homoglyphs])
def test_a_disguised_message_has_the_tone_of_the_plain_one(disguise) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(7)
    changed = 0
    for text in _texts():
        hidden = disguise(text, rng)
        changed += hidden != text
        plain, seen = profile_text(text), profile_text(hidden)
        assert seen.values == plain.values, (text, hidden)
        for dim, drivers in plain.drivers.items():
            moved = seen.drivers[dim]
            assert [d.text for d in drivers] == [as_read(d.text)[0] for d in moved], (dim, hidden)
            assert all(d.text in hidden[d.start : d.end] for d in moved)
    assert changed > 20  # the disguise was applied, not skipped


def test_pressure_behind_zero_width_characters_is_still_pressure() -> None:
    plain = profile_text("Hurry! Only 3 left. Offer ends tonight, don't miss out.")
    hidden = profile_text(
        "H\u200burry! On\u200bly 3 le\u200bft. Offer en\u200bds tonight, don't mi\u200bss out."
    )
    assert plain.values["urgency"] > 0.5 and hidden.values["urgency"] == plain.values["urgency"]


def test_a_word_in_its_own_script_and_emoji_sequences_are_left_as_they_are() -> None:
    text = "Καλημέρα από την Αθήνα! 👩\u200d👩\u200d👧 Привет ❤️"
    assert as_read(text) == (text, None)
