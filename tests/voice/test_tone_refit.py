"""Features for the sentiment head of a refit (issue 16, item 2): the sentence pieces' sentiment extremes and
hard pressure per sentence; the shipped heads do not read them yet (docs/voice.md, "Agreement with hand
ratings")."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from brandrail.voice.tone import profile_text
from brandrail.voice.tone_model import RATED

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def fit() -> Iterator[ModuleType]:
    sys.path.insert(0, str(BENCH))
    try:
        import fit_tone_model

        yield fit_tone_model
    finally:
        sys.path.remove(str(BENCH))


def test_the_sentiment_head_alone_reads_the_sentence_extremes(fit: ModuleType) -> None:
    names = list(profile_text("Hello.").features)
    assert {"vader_low", "vader_high", "strong_pressure_rate"} <= set(names)
    for dim in RATED:
        read = set(fit.head_features(dim, names))
        if dim == "sentiment":
            assert {"vader_low", "vader_high", "strong_pressure_rate"} <= read
        else:
            assert not read & {"vader_low", "vader_high", "strong_pressure_rate"}, dim


def test_polite_bad_news_keeps_its_negative_sentence() -> None:
    polite = profile_text(
        "Thank you so much for your patience, we really appreciate it. Unfortunately your claim was rejected."
    ).features
    assert polite["vader_low"] < -0.3  # the bad sentence, however warm the rest
    assert polite["vader_high"] > 0.3
    plain = profile_text("Your parcel will arrive on Tuesday.").features
    assert plain["vader_low"] == plain["vader_high"] == 0.0


def test_sentence_features_do_not_change_when_a_text_is_repeated() -> None:
    text = "Only 2 places left, don't miss out. Your symptoms could be serious. Thanks for reading!"
    once, many = profile_text(text).features, profile_text(" ".join([text] * 40)).features
    for name in ("vader_low", "vader_high", "strong_pressure_rate"):
        assert once[name] == pytest.approx(many[name], abs=1e-9), name
    assert once["strong_pressure_rate"] > 0
