"""Tone profile: each dimension against an independent reference (textstat, VADER, closed-form counts)."""

from __future__ import annotations

import math
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from brandrail.voice.tone import DIMENSIONS, profile_text, syllables

DATA = Path(__file__).parents[1] / "data" / "voice" / "messages.yaml"


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_profile_runs_offline_without_nltk(no_network: None) -> None:
    profile = profile_text("We walked up the fell. The view was remarkable, and the tea was hot.")
    assert set(profile.values) == set(DIMENSIONS)
    assert all(math.isfinite(v) for v in profile.values.values())


def test_profile_never_imports_nltk_or_torch() -> None:
    code = (
        "import sys; from brandrail.voice.tone import profile_text; profile_text('A short test message here.');"
        "print('nltk' in sys.modules, 'torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


READABLE = (
    "The ranger walked along the narrow ridge in the early morning. "
    "Visitors should carry sufficient water and appropriate clothing throughout the year. "
    "Our shop opens every weekday from nine until five."
)


def _textstat_without_cmudict(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    import textstat
    from textstat.backend.counts import _count_syllables

    monkeypatch.setattr(_count_syllables, "get_cmudict", lambda lang: None)
    return textstat


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        ("flesch_kincaid_grade", "flesch_kincaid_grade"),
        ("smog", "smog_index"),
        ("coleman_liau", "coleman_liau_index"),
    ],
)
def test_readability_matches_textstat(
    monkeypatch: pytest.MonkeyPatch, no_network: None, ours: str, theirs: str
) -> None:
    # textstat with its cmudict lookup disabled falls back to pyphen, as we do: same counts, same formulas
    textstat = _textstat_without_cmudict(monkeypatch)
    expected = getattr(textstat, theirs)(READABLE)
    assert profile_text(READABLE).values[ours] == pytest.approx(expected, abs=0.05)


def test_ari_and_fog_closed_form() -> None:
    text = "Cats sit. Dogs run fast. Birds fly over the old stone barn."
    p = profile_text(text)
    words, sents = 12, 3
    letters = sum(len(w.strip(".")) for w in text.split())
    assert p.words == words and p.sentences == sents
    assert p.values["automated_readability"] == pytest.approx(
        4.71 * letters / words + 0.5 * words / sents - 21.43
    )
    poly = sum(1 for w in text.split() if syllables(w.strip(".")) >= 3)
    assert p.values["gunning_fog"] == pytest.approx(0.4 * (words / sents + 100 * poly / words))
    grades = sorted(
        p.values[k]
        for k in ("flesch_kincaid_grade", "gunning_fog", "smog", "coleman_liau", "automated_readability")
    )
    assert p.values["reading_grade"] == pytest.approx(max(grades[2], 0.0))


def test_sentiment_is_vader_per_sentence_when_no_news_cues() -> None:
    """Independent reference: VADER (with the documented valence changes) per sentence, averaged by words."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from brandrail.voice import lexicons as lx

    vader = SentimentIntensityAnalyzer()
    vader.lexicon.update(lx.SENTIMENT_VALENCE)
    sentences = ["The walk up the fell was beautiful.", "The café at the top is terrible."]
    words = [7, 7]
    reference = sum(w * vader.polarity_scores(s)["compound"] for s, w in zip(sentences, words, strict=True))
    reference /= sum(words)
    # the hand-built measure (a feature of the learned tone model, which reports `values["sentiment"]`)
    p = profile_text(" ".join(sentences))
    assert p.features["rule_sentiment"] == pytest.approx(0.55 * reference)
    assert p.features["vader"] == pytest.approx(reference)


def test_sentiment_reads_bad_and_good_news() -> None:
    bad = profile_text("Your payment was declined and your card is locked.")
    good = profile_text("Good news: your refund has arrived.")
    neutral = profile_text("Your statement for March is ready to view in the app.")
    assert bad.values["sentiment"] < -0.3 < neutral.values["sentiment"] < good.values["sentiment"]
    assert any(d.text == "declined" and d.direction == -1 for d in bad.drivers["sentiment"])


def test_urgency_phrases_drive_the_value_and_negation_cancels() -> None:
    calm = profile_text("The Ridgeline Tent is back in stock, and there is no rush at all.")
    pushy = profile_text("The Ridgeline Tent is back in stock. Only 3 left, and the sale ends tonight!")
    assert calm.values["urgency"] == 0.0 and calm.features["rule_urgency"] == 0.0
    assert pushy.values["urgency"] > 0.7
    assert [d.text for d in pushy.drivers["urgency"]] == ["Only 3 left", "sale ends tonight"]
    # closed form: scarcity 1.2 + deadline 1.0, plus 0.15 for the "!" that amplifies them, in 15 words
    # (no length damping up to 25 words): 1 - exp(-2.35 / 1.6)
    assert pushy.words == 15
    # (the hand-built measure, one feature of the learned model)
    assert pushy.features["rule_urgency"] == pytest.approx(1 - math.exp(-2.35 / 1.6))


def test_driver_offsets_point_at_the_words() -> None:
    text = "Hurry — last chance to book!"
    p = profile_text(text)
    assert [d.text for d in p.drivers["urgency"]] == ["Hurry", "last chance"]
    for dim in ("urgency", "excitement", "warmth", "humour", "formality", "sentiment"):
        for d in p.drivers[dim]:
            assert text[d.start : d.end] == d.text


def test_person_shares_are_pronoun_counts() -> None:
    p = profile_text("We think you'll love your new boots. They fit us well, and I wear mine daily.")
    # we: We, us (2); you: you'll, your (2); they: They (1); i: I, mine (2)
    assert p.values["person_we"] == pytest.approx(2 / 7)
    assert p.values["person_you"] == pytest.approx(2 / 7)
    assert p.values["person_they"] == pytest.approx(1 / 7)
    assert p.values["person_i"] == pytest.approx(2 / 7)


def test_passive_share() -> None:
    assert profile_text("Your order was shipped on Monday. We hope you like it.").values["passive"] == 0.5
    assert profile_text("We shipped your order on Monday.").values["passive"] == 0.0
    p = profile_text("The claim has been carefully reviewed.")
    assert p.values["passive"] == 1.0
    assert [d.text for d in p.drivers["passive"]] == ["been carefully reviewed"]


def test_jargon_share_with_policy_words() -> None:
    p = profile_text("We leverage synergies going forward with our trail kit.")
    # leverage, synergies, and the two words of "going forward": 4 of 9 words
    assert p.values["jargon"] == pytest.approx(4 / 9)
    extra = profile_text("Our trail kit is great.", jargon=["trail kit"])
    assert extra.values["jargon"] == pytest.approx(2 / 5)


def test_excitement_counts_marks_caps_and_emoji() -> None:
    calm = profile_text("Our new tent is in the shop.")
    loud = profile_text("Our new tent is AMAZING!!! 🎉")
    assert calm.features["rule_excitement"] == 0.0
    assert calm.values["excitement"] < 0.15 < 0.6 < loud.values["excitement"]
    # the hand-built measure (a feature of the learned model): capitals 0.7 + hype word 0.8 + "!!!" 2.0 +
    # emoji 0.5 = 4.0 in 7 words: 1 - exp(-4 / 2.5)
    assert loud.features["rule_excitement"] == pytest.approx(1 - math.exp(-4.0 / 2.5))
    assert {d.text for d in loud.drivers["excitement"]} == {"AMAZING", "!!!", "🎉"}


def test_formality_orders_registers() -> None:
    letter = profile_text(
        "We write to confirm that the transfer to your client account was completed on 4 April, in accordance "
        "with your instruction of 2 April."
    )
    chat = profile_text("Hey! We're so stoked you're coming along — grab your boots and let's go!")
    assert letter.values["formality"] > 0.6 > 0.3 > chat.values["formality"]


def test_short_texts_are_marked_unreliable() -> None:
    p = profile_text("Act now!")
    assert not p.reliable("formality") and not p.reliable("reading_grade")
    assert p.reliable("urgency")
    assert "formality" in p.to_dict()["unreliable"]


def test_empty_text() -> None:
    p = profile_text("   ")
    assert p.words == 0 and p.values["urgency"] == 0.0 and p.pov == "none"


def test_agreement_with_hand_ratings() -> None:
    from scipy.stats import spearmanr

    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    items = [it for brand in data.values() for group in brand.values() for it in group]
    assert len(items) >= 150
    profiles = [profile_text(it["text"]) for it in items]
    for k, dim in enumerate(("formality", "warmth", "urgency", "excitement")):
        rho = spearmanr([it["r"][k] for it in items], [p.values[dim] for p in profiles]).statistic
        assert rho > 0.5, (dim, rho)


def test_rule_import_stays_light_and_public_names_resolve() -> None:
    code = (
        "import sys; import brandrail.voice.rules; import brandrail.voice as v;"
        "light = not any(m in sys.modules for m in ('torch', 'sentence_transformers', 'sklearn'));"
        "names = all(getattr(v, n) is not None for n in v.__all__);"
        "print(light, names)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "True"]
