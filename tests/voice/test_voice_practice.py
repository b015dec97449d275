"""BR502's ``practice`` feature: one linear view fitted across the development brands, shipped as data."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from brandrail.voice import model as vm

DATA = Path(__file__).resolve().parents[1] / "data" / "voice"


def _file() -> dict[str, object]:
    data: dict[str, object] = json.loads(vm.PRACTICE_FILE.read_text("utf-8"))
    return data


def test_the_weights_ship_with_the_package_for_the_packaged_model() -> None:
    data = _file()
    weights = data["weights"]
    assert isinstance(weights, list) and len(weights) == 384  # all-MiniLM-L6-v2's width
    assert all(np.isfinite(weights)) and float(np.abs(weights).max()) > 0
    assert str(data["model"]).startswith("all-MiniLM-L6-v2")


def test_fitted_on_development_brands_only_never_a_frozen_one() -> None:
    brands = _file()["brands"]
    assert isinstance(brands, list)
    frozen = {p.name for p in (DATA / "brands").iterdir() if p.is_dir()}
    development = {p.name for p in (DATA / "dev_brands").iterdir() if p.is_dir()}
    development |= {p.name for p in (DATA / "heldout_brands").iterdir() if p.is_dir()}
    assert frozen and not frozen & set(brands)
    assert set(brands) <= development
    assert len(brands) >= 16


def test_practice_is_a_feature_of_both_and_embedding_but_not_tone() -> None:
    k = vm.FEATURE_NAMES.index("practice")
    assert k in vm.FEATURE_SETS["both"] and k in vm.FEATURE_SETS["embedding"]
    assert k not in vm.FEATURE_SETS["tone"]


def test_the_logit_is_the_centred_embedding_times_the_weights() -> None:
    weights = vm._practice_weights()
    assert weights is not None
    rng = np.random.default_rng(0)
    emb = rng.normal(size=(3, len(weights))).astype(np.float32)
    centre = rng.normal(size=len(weights)).astype(np.float32)
    got = vm._practice_logit(emb, centre)
    want = (emb.astype(np.float64) - centre.astype(np.float64)) @ weights
    assert got == pytest.approx(want, rel=1e-9, abs=1e-9)
    # the brand's mean is removed: a message at the brand's centre scores 0, whatever the brand
    assert vm._practice_logit(centre[None, :], centre) == pytest.approx([0.0])


def test_embeddings_of_another_width_get_no_practice_signal() -> None:
    # `voice eval --features tone` passes one-column placeholders: the feature is 0, not an error
    out = vm._practice_logit(np.ones((4, 1), dtype=np.float32), np.zeros(1, dtype=np.float32))
    assert out.tolist() == [0.0, 0.0, 0.0, 0.0]


def test_without_the_file_the_feature_is_zero(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    vm._practice_weights.cache_clear()
    monkeypatch.setattr(vm, "PRACTICE_FILE", tmp_path / "missing.json")
    try:
        assert vm._practice_weights() is None
        assert vm._practice_logit(np.ones((2, 384), dtype=np.float32), np.zeros(384)).tolist() == [0.0, 0.0]
    finally:
        vm._practice_weights.cache_clear()
