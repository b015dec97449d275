"""BR502's own tone view (issue 16, item 2): a frozen copy of the core tone heads BR502 was fitted with, so that
the core tier of the tone model can be refitted without moving a BR502 score."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from brandrail.voice import tone_model
from brandrail.voice.model import TONE_VIEW_FILE, tone_matrix, tone_view
from brandrail.voice.tone import profile_text
from brandrail.voice.tone_model import RATED, load_model

#: sha256 of the view file: never edit it (a new view is a new file, and BR502's figures are measured again).
VIEW_SHA256 = "b6146d26c563de6706183ca8505ef33d361e95218db1b606aaef78ecbce06ec4"
#: The tone model whose core tier BR502's tone feature, the practice view and every BR502 figure in
#: bench/results/voice.md up to 2026-12-07 were computed with, and the sha256 of that core tier as canonical
#: JSON (``git show f6998a6:src/brandrail/voice/data/tone_model.json``, ``tiers.core``).
FITTED_WITH_VERSION = "fa9f0eb12a89"
FITTED_WITH_CORE_SHA256 = "81b75bc16e5cb1e33e79c7bdb0ad352ad87749a6e7690926323653d0270c255c"

TEXTS = [
    "Hi Sam, thanks for waiting. Your refund is on its way and should reach you by Friday.",
    "LAST CHANCE!!! Only 3 left — order NOW before they're gone!",
    "Pursuant to clause 4, the aforementioned charge shall be applied to your account.",
    "This is user error. Read the manual.",
    "lol our kettle is having a little lie-down, back soon 😴",
    "",
]


def test_the_view_file_is_the_one_br502_was_fitted_with() -> None:
    assert hashlib.sha256(TONE_VIEW_FILE.read_bytes()).hexdigest() == VIEW_SHA256
    data = json.loads(TONE_VIEW_FILE.read_text(encoding="utf-8"))
    core = data["tiers"]["core"]
    canonical = json.dumps(core, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    assert hashlib.sha256(canonical.encode("ascii")).hexdigest() == FITTED_WITH_CORE_SHA256
    assert data["fitted_with"] == {
        "tone_model_version": FITTED_WITH_VERSION,
        "core_tier_sha256": FITTED_WITH_CORE_SHA256,
        "source": "src/brandrail/voice/data/tone_model.json at f6998a6 (tiers.core)",
    }
    view = tone_view()
    assert view.version == FITTED_WITH_VERSION
    assert set(view.heads) == set(RATED)
    features = profile_text("Hello there, your order is on its way.").features
    for head in view.heads.values():
        # the profile still measures every feature the frozen heads read
        assert set(head.features) <= set(features), head.dimension


def test_tone_matrix_reads_the_view_not_the_shipped_core_tier(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = tone_matrix(TEXTS)
    # a different core tier: every head's intercept moved by a rating point
    data = json.loads(tone_model.MODEL_FILE.read_text(encoding="utf-8"))
    for head in data["tiers"]["core"]["heads"].values():
        head["intercept"] += 1.0
    moved = tmp_path / "tone_model.json"
    moved.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(tone_model, "MODEL_FILE", moved)
    load_model.cache_clear()
    try:
        profile = profile_text(TEXTS[0])
        assert profile.vector() != profile.vector(tone_view().values(profile.features))  # the core tier moved
        after = tone_matrix(TEXTS)
    finally:
        monkeypatch.undo()
        load_model.cache_clear()
    assert after.tobytes() == before.tobytes()


def test_the_view_gives_the_rated_dimensions_of_the_tone_vector() -> None:
    view = tone_view()
    rows = tone_matrix(TEXTS)
    for text, row in zip(TEXTS, rows, strict=True):
        profile = profile_text(text)
        learned = view.values(profile.features)
        # formality, sentiment (rescaled to 0–1), warmth, urgency, excitement come first
        expected = [
            learned["formality"],
            (learned["sentiment"] + 1) / 2,
            learned["warmth"],
            learned["urgency"],
            learned["excitement"],
        ]
        assert [float(x) for x in row[:5]] == pytest.approx(expected, abs=1e-7)
