"""Voice similarity: the embedding model, its disk cache, batching (prefetch) and the calibrated classifier."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from brandrail.engine import check_text
from brandrail.policy import policy_from_dict
from brandrail.text.document import Document

DATA = Path(__file__).parents[1] / "data" / "voice" / "messages.yaml"
SETS = yaml.safe_load(DATA.read_text(encoding="utf-8"))

pytestmark = [pytest.mark.voice, pytest.mark.slow, pytest.mark.xdist_group("voice-model")]


def _texts(brand: str, label: str) -> list[str]:
    return [it["text"] for it in SETS[brand][label]]


@pytest.fixture(scope="module")
def embedder():  # type: ignore[no-untyped-def]
    from brandrail.voice.embed import get_embedder

    return get_embedder()


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """One cache folder for the module: example embeddings are computed once, as in real use."""
    folder = tmp_path_factory.mktemp("voice-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BRANDRAIL_CACHE_DIR", str(folder))
        yield folder


def test_embeddings_are_normalised_and_order_independent(embedder) -> None:  # type: ignore[no-untyped-def]
    texts = [
        "Short one.",
        "A much longer message about tents, boots and the rain on the fells in November.",
        "Hi",
    ]
    rows = embedder.embed(texts)
    single = np.vstack([embedder.embed([t]) for t in texts])
    assert (embedder.engine, embedder.precision) == ("numpy", "fp32")
    assert rows.shape == (3, embedder.dim)
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-4)
    assert np.array_equal(rows, single)  # exactly: no padding, no batch-dependent path


def test_numpy_engine_matches_sentence_transformers(embedder) -> None:  # type: ignore[no-untyped-def]
    """The NumPy forward pass is the same model: cosine to sentence-transformers' own encode >= 0.9999."""
    pytest.importorskip("torch")
    pytest.importorskip("sentence_transformers")
    from brandrail.voice.embed import get_torch_embedder

    texts = [*_texts("fernhill", "on_brand")[:10], *_texts("aldgate", "off_brand")[:10], "Hi", "!!!"]
    reference = get_torch_embedder()
    saved = reference.bf16
    reference.bf16 = False
    try:
        expected = reference.embed(texts)
    finally:
        reference.bf16 = saved
    cosine = (expected * embedder.embed(texts)).sum(axis=1)
    assert cosine.min() >= 0.9999, cosine


def test_bf16_is_an_opt_in(monkeypatch: pytest.MonkeyPatch) -> None:
    from brandrail.voice import embed

    monkeypatch.delenv("BRANDRAIL_VOICE_BF16", raising=False)
    assert embed.variant() == ("numpy", "fp32")  # whatever the CPU: bf16 hardware changes nothing
    monkeypatch.setenv("BRANDRAIL_VOICE_BF16", "1")
    assert embed.variant() == ("torch", "bf16")
    assert embed.variant(int8=True) == ("numpy", "int8")


def test_example_embeddings_are_cached_by_content(
    embedder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from brandrail.voice import embed

    monkeypatch.setenv("BRANDRAIL_CACHE_DIR", str(tmp_path))
    texts = ["First example.", "Second example."]
    first = embed.embed_cached(texts)
    files = list(tmp_path.glob("voice-emb-*.npy"))
    assert len(files) == 1

    def refuse(*args: object) -> None:
        raise AssertionError("the model must not run on a cache hit")

    monkeypatch.setattr(embed, "get_embedder", refuse)
    assert np.array_equal(embed.embed_cached(texts), first)
    with pytest.raises(AssertionError):
        embed.embed_cached([*texts, "Third."])  # different content, different key


def _fernhill_policy(min_probability: float = 0.5) -> object:
    return policy_from_dict(
        {
            "voice": {
                "examples": {
                    "on_brand": _texts("fernhill", "on_brand"),
                    "off_brand": _texts("fernhill", "off_brand"),
                },
                "similarity": {"min_probability": min_probability, "neighbours": 2},
            }
        }
    )


def test_off_brand_message_is_flagged_with_nearest_examples(embedder, cache: Path) -> None:  # type: ignore[no-untyped-def]
    policy = _fernhill_policy()
    off = "ACT NOW!!! Our biggest tent sale EVER ends at midnight — only 5 left, don't miss out!!!"
    on = "Wet weekend ahead? Our little guide to re-proofing your jacket takes ten minutes, and the kettle's on."
    [finding] = [f for f in check_text(off, policy).findings if f.code == "BR502"]
    assert finding.evidence["measured"] < 0.5
    assert finding.evidence["calibrated"] is True
    assert finding.evidence["examples"] == {"on_brand": 40, "off_brand": 40, "never_rules": 0}
    assert finding.evidence["model"]["engine"] == "numpy" and finding.evidence["model"]["precision"] == "fp32"
    assert finding.evidence["model"]["id"].startswith("all-MiniLM-L6-v2@sha256:")
    assert len(finding.evidence["examples_sha256"]) == 64
    assert len(finding.evidence["nearest_on_brand"]) == 2 and len(finding.evidence["nearest_off_brand"]) == 2
    assert (
        finding.evidence["nearest_off_brand"][0]["similarity"]
        > finding.evidence["nearest_on_brand"][0]["similarity"]
    )
    assert [f for f in check_text(on, policy).findings if f.code == "BR502"] == []


def test_prefetch_batches_and_gives_the_same_scores(
    embedder, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from brandrail.voice import rules

    policy = _fernhill_policy(min_probability=1.0)  # flag everything, to read every score
    texts = _texts("aldgate", "on_brand")[:6]
    single = [
        next(f for f in check_text(t, policy).findings if f.code == "BR502").evidence["measured"]
        for t in texts
    ]
    monkeypatch.setattr(rules, "_PREFETCHED", {})
    rule = rules.OffBrandVoice()
    docs = [Document(t) for t in texts]
    calls: list[int] = []
    real = embedder.embed
    monkeypatch.setattr(embedder, "embed", lambda batch, **kw: calls.append(len(batch)) or real(batch, **kw))
    rule.prefetch(docs, policy)  # type: ignore[arg-type]
    batched = [next(iter(rule.check(d, policy))).evidence["measured"] for d in docs]  # type: ignore[arg-type]
    assert calls == [6]  # one batch, no per-message embedding afterwards
    assert batched == single  # exactly the same numbers


@pytest.mark.parametrize("brand", ["fernhill", "aldgate"])
def test_cross_validated_quality(embedder, cache: Path, brand: str) -> None:  # type: ignore[no-untyped-def]
    from brandrail.voice.model import evaluate

    report = evaluate(_texts(brand, "on_brand"), _texts(brand, "off_brand"), folds=5)
    assert report["accuracy"] >= 0.85 and report["auc"] >= 0.9, report
    assert sum(row["count"] for row in report["calibration"]) == 80


def test_engine_check_many_embeds_the_run_in_one_batch(
    embedder, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from brandrail.engine import check_many
    from brandrail.voice import rules

    policy = _fernhill_policy()
    check_text("warm up the model and the classifier", policy)
    monkeypatch.setattr(rules, "_PREFETCHED", {})
    calls: list[int] = []
    real = embedder.embed
    monkeypatch.setattr(embedder, "embed", lambda batch, **kw: calls.append(len(batch)) or real(batch, **kw))
    texts = [
        "FLASH SALE!!! Everything must go, only 2 hours left. Buy now before it's gone!!!",
        "Our best-in-class solutions leverage synergies to optimise your end-to-end outdoor journey.",
        "Wet weekend ahead? Pop the kettle on, re-proof your jacket, and we'll see you on the fells.",
    ]
    results = check_many(texts, policy)
    assert calls == [3]
    flagged = [any(f.code == "BR502" for f in r.findings) for r in results]
    assert flagged == [True, True, False]


def test_int8_option_is_close_to_fp32_and_cached_separately(
    embedder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("torch")
    from brandrail.voice import embed

    monkeypatch.setenv("BRANDRAIL_CACHE_DIR", str(tmp_path))
    texts = _texts("fernhill", "on_brand")[:8]
    fp32 = embed.embed_cached(texts)
    int8 = embed.embed_cached(texts, int8=True)
    assert len(list(tmp_path.glob("voice-emb-*.npy"))) == 2
    cosine = np.sum(fp32 * int8, axis=1)
    assert cosine.min() > 0.8 and np.median(cosine) > 0.9
    assert not np.allclose(fp32, int8)  # it is a different model, so it must not share a cache entry
    policy = policy_from_dict(
        {
            "voice": {
                "examples": {
                    "on_brand": _texts("fernhill", "on_brand"),
                    "off_brand": _texts("fernhill", "off_brand"),
                },
                "similarity": {"int8": True},
            }
        }
    )
    off = "ACT NOW!!! Our biggest tent sale EVER ends at midnight — only 5 left, don't miss out!!!"
    assert [f.code for f in check_text(off, policy).findings if f.code == "BR502"] == ["BR502"]


def test_a_disguised_message_scores_as_the_plain_one(embedder, cache: Path) -> None:  # type: ignore[no-untyped-def]
    from brandrail.voice.model import load_examples, voice_model_for

    policy = _fernhill_policy()
    model = voice_model_for(policy)  # type: ignore[arg-type]
    assert model is not None and load_examples(policy).on_brand  # type: ignore[arg-type]
    plain = "ACT NOW!!! Our biggest tent sale EVER ends at midnight, only 5 left, don't miss out!!!"
    disguised = [
        plain.replace("sale", "s\u200ba\u200ble").replace("midnight", "mid\u00adnight"),
        plain.replace("o", "\u043e").replace("a", "\u0430"),  # Cyrillic о and а
        plain.replace("tent sale", "\uff54\uff45\uff4e\uff54 \uff53\uff41\uff4c\uff45"),  # full-width letters
    ]
    [base, *others] = model.score([plain, *disguised])
    assert base.probability < 0.5
    assert [s.probability for s in others] == [base.probability] * len(others)
