"""The embedding tier of the tone model is what bench/fit_tone_model.py fits, and the features added for it
(issue 16, item 2): the sentence pieces' sentiment extremes, hard pressure per sentence, calm limits and
nudges in the pressure list."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from brandrail.voice.tone import profile_text
from brandrail.voice.tone_model import MODEL_FILE, RATED

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def fit() -> Iterator[ModuleType]:
    sys.path.insert(0, str(BENCH))
    try:
        import fit_tone_model

        yield fit_tone_model
    finally:
        sys.path.remove(str(BENCH))


def test_the_fit_script_reproduces_the_packaged_embedding_tier(fit: ModuleType) -> None:
    """Each embedding head, refitted by the script at the settings it records (penalty, embedding weight,
    gate), on the current features of the development data, gives the packaged coefficients. A change to a
    feature or a word list that the shipped heads read fails here until the tier is refitted
    (``python bench/fit_tone_model.py --embedding-only --write``)."""
    from brandrail.voice.embed import get_numpy_embedder

    tier = json.loads(MODEL_FILE.read_text(encoding="utf-8"))["tiers"]["embedding"]
    rows = fit.load()
    profiles = [profile_text(r["text"]) for r in rows]
    names = list(profiles[0].features)
    f_all = np.array([[p.features[k] for k in names] for p in profiles], dtype=float)
    emb = get_numpy_embedder().embed([r["text"] for r in rows]).astype(np.float64)
    for dim in RATED:
        settings = tier["info"]["cv"][dim]
        head_names = fit.head_features(dim, names)
        f = f_all[:, [names.index(n) for n in head_names]]
        y = np.array([int(r[dim]) for r in rows], dtype=float)
        head = fit.fit_head(
            f, head_names, emb, y, settings["alpha"], settings["embedding_weight"], settings["gate"]
        )
        shipped = tier["heads"][dim]
        assert head["features"] == shipped["features"], dim
        assert head.get("gate") == shipped.get("gate"), dim
        for key in ("mean", "scale", "weights", "embedding_weights"):
            assert np.allclose(head[key], shipped[key], rtol=0, atol=2e-5), (dim, key)
        assert abs(head["intercept"] - shipped["intercept"]) <= 2e-5, dim


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


@pytest.mark.parametrize(
    "text",
    [
        "Please book your review within the next month so we can check your inhaler.",
        "Your basket is still waiting for you.",
        "Some items are still in your cart.",
        "Documents required to progress your application.",
    ],
)
def test_calm_limits_and_nudges_are_mild_pressure(text: str) -> None:
    profile = profile_text(text)
    assert profile.features["pressure_all"] > 0  # no longer exactly 0: a gentle nudge is graded
    hard = profile_text("Only 2 left! Order now before they're all gone.").values["urgency"]
    assert 0 < profile.values["urgency"] < hard


def test_new_scarcity_phrasings_are_hard_pressure() -> None:
    for text in ("Places are filling fast.", "Grab one before they're all gone."):
        assert profile_text(text).features["pressure_strong"] > 0, text
    assert profile_text("The room was filling with light.").features["pressure_all"] == 0
