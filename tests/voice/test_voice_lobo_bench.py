"""The leave-one-brand-out bench's variants (bench/voice_variants.py) leave the shipped model as it was."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from brandrail.voice import model as vm

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def variants():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(BENCH))
    try:
        import voice_variants

        yield voice_variants
    finally:
        sys.path.remove(str(BENCH))


def _state() -> dict[str, object]:
    return {
        name: getattr(vm, name)
        for name in ("_similarity_features", "FEATURE_SETS", "VoiceModel", "tone_matrix", "_ON_BRAND_OFFSET")
    } | {"fit": vm._Linear.__dict__["fit"]}


def test_every_variant_restores_the_model_module(variants) -> None:  # type: ignore[no-untyped-def]
    before = _state()
    changed = 0
    for name, variant in variants.VARIANTS.items():
        if variant.patch is None:
            assert variant.examples is not None or variant.offset is not None, name
            continue
        with variant.patch():
            changed += _state() != before
        assert _state() == before, name
    assert changed == sum(v.patch is not None for v in variants.VARIANTS.values())


def test_a_patch_is_undone_when_the_block_fails(variants) -> None:  # type: ignore[no-untyped-def]
    before = _state()
    with pytest.raises(RuntimeError), variants.VARIANTS["rule_z"].patch():
        assert vm.FEATURE_SETS["both"] == (0, 1, 2, 3, 4, 5, 6)
        raise RuntimeError("fail inside")
    assert _state() == before


def test_an_unknown_variant_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    sys.path.insert(0, str(BENCH))
    try:
        import bench_voice_lobo
    finally:
        sys.path.remove(str(BENCH))
    with pytest.raises(SystemExit) as exc:
        bench_voice_lobo.variants_main(["no_such_variant"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "no_such_variant" in err
    assert "rule_z" in err  # the known names are listed


def _bench():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(BENCH))
    try:
        import bench_voice_lobo
    finally:
        sys.path.remove(str(BENCH))
    return bench_voice_lobo


@pytest.mark.parametrize("confirm", [["no_such_brand"], []])
def test_an_unknown_or_empty_confirmation_set_exits_2(
    confirm: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        _bench().variants_main(["shipped"], confirm)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "--confirm" in err and "brookmere" in err  # the known brands are listed


def test_confirming_every_brand_exits_2() -> None:
    bench = _bench()
    every = sorted(p.name for p in bench.DEV_BRANDS.iterdir() if p.is_dir())
    with pytest.raises(SystemExit) as exc:
        bench.variants_main(["shipped"], every)  # no brand would be left to choose the prior on
    assert exc.value.code == 2


def test_a_brand_interval_brackets_its_figures() -> None:
    import numpy as np

    bench = _bench()
    rng = np.random.default_rng(1)
    y = np.r_[np.ones(30, bool), np.zeros(30, bool)]
    kind = np.array(["on"] * 30 + ["never"] * 15 + ["other"] * 15)
    logit = np.where(y, 1.0, -1.0) + rng.normal(0, 1.2, 60)
    point = bench._figures(logit, y, kind)
    interval = bench._brand_interval(logit, y, kind, resamples=400)
    for key, (low, high) in interval.items():
        assert low <= point[key] <= high, key
        assert high > low, key  # noisy data: the interval has width
    assert interval["auc"][0] >= 0.0 and interval["auc"][1] <= 1.0


def _bench_module(name: str):  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(BENCH))
    try:
        return __import__(name)
    finally:
        sys.path.remove(str(BENCH))


def test_fit_practice_needs_every_development_brand(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lobo = _bench_module("bench_voice_lobo")
    monkeypatch.setattr(sys, "argv", ["bench_voice_lobo.py", "--fit-practice", "0.3"])
    with pytest.raises(SystemExit) as exc:
        lobo.main()
    assert exc.value.code == 2
    assert "--fit-practice needs --with-heldout" in capsys.readouterr().err


def test_an_unknown_base_lever_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lobo = _bench_module("bench_voice_lobo")
    monkeypatch.setattr(
        sys, "argv", ["bench_voice_lobo.py", "--levers", "cues_fixed", "--base", "nosuchlever"]
    )
    with pytest.raises(SystemExit) as exc:
        lobo.main()
    assert exc.value.code == 2
    assert "--base must be one of" in capsys.readouterr().err


def test_an_unknown_development_brand_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bench_voice = _bench_module("bench_voice")
    monkeypatch.setattr(sys, "argv", ["bench_voice.py", "--dev-brands", "ternway", "nosuchbrand"])
    with pytest.raises(SystemExit) as exc:
        bench_voice.main()
    assert exc.value.code == 2
    assert "unknown development brand(s) nosuchbrand" in capsys.readouterr().err


@pytest.mark.voice
@pytest.mark.slow
def test_the_shipped_practice_view_is_what_the_bench_fits(monkeypatch: pytest.MonkeyPatch) -> None:
    """The packaged weights are reproduced by the documented command (no hand-edited numbers)."""
    import json
    import os

    import numpy as np

    lobo = _bench_module("bench_voice_lobo")
    shipped = json.loads(vm.PRACTICE_FILE.read_text("utf-8"))
    monkeypatch.setitem(lobo.SETTINGS, "with_heldout", True)
    # the bench sets a default cache folder: keep it from outliving this test
    monkeypatch.setenv("BRANDRAIL_CACHE_DIR", os.environ.get("BRANDRAIL_CACHE_DIR", str(lobo.OUT / "cache")))
    brands, weights = lobo.practice_fit(float(shipped["l2"]))
    assert sorted(brands) == shipped["brands"]
    # The shipped weights were fitted on an AVX-512 host, where the engine's products compute every row alike.
    # Another BLAS kernel (OpenBLAS's AVX2 one) gives the embeddings other last bits (up to 2e-7 a component),
    # and the ridge fit carries them into the weights: measured on an AVX2 host, at most 2.8e-6 on a weight
    # (relative norm 6e-7). A change of data, l2 or features moves the weights by orders of magnitude more.
    from brandrail.voice.encoder import row_layout

    atol = 1e-6 if row_layout(int8=False) == 1 else 1e-5
    difference = np.abs(np.asarray(weights) - np.asarray(shipped["weights"])).max()
    assert np.allclose(weights, shipped["weights"], atol=atol), difference
