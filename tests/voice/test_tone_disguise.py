"""The tone profile reads text as a reader sees it: invisible characters inside words and look-alike letters
do not hide a word from the tone lists, and the drivers still point at the original characters."""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

import pytest

from brandrail.text.reader import as_read
from brandrail.voice.tone import known_words, profile_text, read_as_meant

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


@pytest.mark.parametrize("disguise", ["zero_width", "full_width", "homoglyphs", "leet", "spaced"])
def test_a_disguised_message_has_the_tone_of_the_plain_one(disguise: str) -> None:
    rng = random.Random(7)
    changed = 0
    for text in _texts():
        hidden = globals()[disguise](text, rng)
        changed += hidden != text
        plain, seen = profile_text(text), profile_text(hidden)
        assert seen.values == plain.values, (text, hidden)
        for dim, drivers in plain.drivers.items():
            moved = seen.drivers[dim]
            assert [d.text for d in drivers] == [read_as_meant(d.text)[0] for d in moved], (dim, hidden)
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


# -- spelling disguises: leetspeak and spaced letters ---------------------------------------------------------

_LEET_FOR = {"o": "0", "e": "3", "i": "1", "s": "5", "t": "7", "a": "4"}
_WORD = re.compile(r"(?<![\w'’$@-])[A-Za-z]{3,}(?![\w'’$@-])")


def leet(text: str, rng: random.Random) -> str:
    """Some known words with letters swapped for leet digits ("only" → "0nly"; a capital stays a capital)."""

    def swap(m: re.Match[str]) -> str:
        word = m.group()
        if word.lower() not in known_words() or rng.random() < 0.5:
            return word
        return word[0] + "".join(_LEET_FOR.get(c, c) if rng.random() < 0.6 else c for c in word[1:])

    return _WORD.sub(swap, text)


def spaced(text: str, rng: random.Random) -> str:
    """Some known words, away from other short words, with their letters spaced out ("n o w")."""
    words = text.split(" ")
    out = list(words)
    for k, w in enumerate(words):
        near = words[max(k - 1, 0) : k + 2]
        if (
            w.isascii()
            and w.isalpha()
            and w.lower() in known_words()
            and len(w) >= 3
            and all(len(v) >= 2 for v in near)
            and (k == 0 or out[k - 1] == words[k - 1])  # the word before is not spaced too
            and rng.random() < 0.4
        ):
            out[k] = " ".join(w)
    return " ".join(out)


def test_pressure_in_leetspeak_and_spaced_capitals_is_still_pressure() -> None:
    plain = profile_text("Last chance: only 2 left, offer ends tonight. Act now!")
    for hidden in (
        "Last chance: 0nly 2 l3ft, 0ff3r ends t0night. Act n0w!",
        "L-a-s-t c-h-a-n-c-e: only 2 left, offer ends tonight. Act now!",
    ):
        assert profile_text(hidden).values["urgency"] == plain.values["urgency"], hidden
    shouted = profile_text("L A S T  C H A N C E: only 2 left, offer ends tonight. A C T  N O W!")
    assert shouted.values["urgency"] >= plain.values["urgency"]
    drivers = [d.text for d in shouted.drivers["urgency"]]
    assert any(d.replace(" ", "") == "LASTCHANCE" for d in drivers), drivers


@pytest.mark.parametrize(
    "text",
    [
        "u r a winner, c u at 4pm",
        "Send it to W1A 1AA by 5pm, 150p/msg",
        "Night night! Only1more sleep, looking 4ward to it",
        "Loads of love x x x x",
        "Ring 0800 123 4567, room B12, the 3rd floor, 24/7",
    ],
)
def test_texting_codes_and_numbers_are_not_read_as_disguises(text: str) -> None:
    assert read_as_meant(text) == (text, None)


def test_the_voice_model_embeds_what_the_message_says() -> None:
    from brandrail.voice.model import _as_meant

    assert _as_meant(["0nly 2 l3ft. Act N0W", "F R E E  D E L I V E R Y"]) == [
        "only 2 left. Act NOW",
        "FREE DELIVERY",
    ]


def test_a_brands_own_phrases_are_read_through_leetspeak_too() -> None:
    words = {"urgency": (["zoomdeal now"], [])}
    plain = profile_text("zoomdeal now, friends", words=words)
    hidden = profile_text("z00mdeal n0w, friends", words=words)
    assert plain.values["urgency"] > 0 and hidden.values["urgency"] == plain.values["urgency"]
    assert [d.text for d in hidden.drivers["urgency"]] == ["z00mdeal n0w"]


def test_a_leading_4_is_a_letter_unless_texting_means_for() -> None:
    assert read_as_meant("4ct f4st")[0] == "act fast"
    for text in ("looking 4ward to it", "4ever yours", "4get it", "thanks 4u"):
        assert read_as_meant(text) == (text, None)


def test_a_spaced_word_before_a_contraction_is_joined_without_it() -> None:
    """The "I" of "I'll" opens a contraction, not one more spaced letter: "a n d I'll" reads "and I'll"."""
    assert read_as_meant("tomorrow a n d I'll e m a i l you")[0] == "tomorrow and I'll email you"
