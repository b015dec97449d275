"""The voice model's brand-independent prior of bad practice (brandrail.voice.prior, issue 16 item 3).

Judged on development brands only (tests/data/voice/dev_brands/): the shipped prior scores a development
brand's texts with its model fitted without that brand, so each brand here is held out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from brandrail.policy import policy_from_dict

DEV = Path(__file__).parents[1] / "data" / "voice" / "dev_brands"
NEW_DEV_BRANDS = ["ashcombe", "harbourlight", "lumentel", "pepperpot", "quillstack"]


@pytest.mark.parametrize("brand", NEW_DEV_BRANDS)
def test_new_development_brands_have_the_agreed_shape(brand: str) -> None:
    """The five brands written for the prior: 12 + 12 examples, rules, 20 + 10 + 10 development messages."""
    data = yaml.safe_load((DEV / brand / "brand.yaml").read_text(encoding="utf-8"))
    policy = policy_from_dict(data)
    assert len(policy.voice.examples.on_brand) == 12 and len(policy.voice.examples.off_brand) == 12
    assert len(policy.voice.never) >= 3
    items: list[dict[str, str]] = yaml.safe_load((DEV / brand / "dev.yaml").read_text(encoding="utf-8"))
    kinds = [it.get("kind", it["label"]) for it in items]
    assert (kinds.count("on_brand"), kinds.count("never"), kinds.count("other")) == (20, 10, 10)
    assert {it["rule"] for it in items if it.get("kind") == "never"} <= set(policy.voice.never_ids())
    training = {*policy.voice.examples.on_brand, *policy.voice.examples.off_brand}
    assert not training & {it["text"] for it in items}


def test_shipped_prior_is_a_model_of_the_packaged_encoder() -> None:
    from brandrail.voice.embed import get_embedder
    from brandrail.voice.prior import default_prior, text_digest

    prior = default_prior()
    assert prior is not None and prior.model_id == get_embedder().model_id
    assert prior.head.weights.shape == (384,)
    # one model without each training brand, and no frozen brand among them
    assert set(prior.folds) == {*(p.name for p in DEV.iterdir() if p.is_dir()), "fernhill", "aldgate"}
    assert set(prior.groups.values()) == set(prior.folds)
    frozen = DEV.parent / "brands"
    for folder in (p for p in frozen.iterdir() if p.is_dir()):
        data = yaml.safe_load((folder / "brand.yaml").read_text(encoding="utf-8"))
        texts = [*data["voice"]["examples"]["on_brand"], *data["voice"]["examples"]["off_brand"]]
        assert not {text_digest(t) for t in texts} & set(prior.groups)


def test_a_text_the_prior_was_trained_on_gets_the_model_without_its_brand() -> None:
    from brandrail.voice.prior import VoicePrior, _Head, _inputs, fit_prior

    rng = np.random.default_rng(0)
    groups: dict[str, Any] = {}
    for name in ("a", "b", "c"):
        emb = rng.normal(size=(10, 6)).astype(np.float32)
        labels = [1] * 5 + [0] * 5
        emb[:5, 0] += 2.0  # on-brand messages lean one way
        groups[name] = ([f"{name}{i}" for i in range(10)], emb, labels, np.zeros(6, dtype=np.float32))
    prior = fit_prior(groups, l2=1.0)
    assert set(prior.folds) == {"a", "b", "c"}
    centre = np.zeros(6, dtype=np.float32)
    texts, emb = ["a3", "unseen"], groups["a"][1][[3, 3]]
    out = prior.logits(texts, emb, centre)
    # the same embedding: out of sample for the training text, the full model for a new one
    assert out[0] == prior.folds["a"].logit(_inputs(emb[:1], centre))[0]
    assert out[1] == prior.head.logit(_inputs(emb[1:], centre))[0]
    assert out[0] != out[1]
    # alone or in a batch, the same number; and the file's round trip keeps it
    assert prior.logits(["unseen"], emb[1:], centre)[0] == out[1]
    again = VoicePrior.from_dict(prior.to_dict())
    assert np.allclose(again.logits(texts, emb, centre), out, rtol=1e-8, atol=1e-8)
    assert isinstance(again.head, _Head)


def _dev(brand: str) -> tuple[Any, list[str], Any, Any]:
    from brandrail.voice.model import load_examples

    examples = load_examples(
        policy_from_dict(yaml.safe_load((DEV / brand / "brand.yaml").read_text(encoding="utf-8")))
    )
    items = yaml.safe_load((DEV / brand / "dev.yaml").read_text(encoding="utf-8"))
    labels = np.array([it["label"] == "on_brand" for it in items])
    kinds = np.array([it.get("kind", "on") for it in items])
    return examples, [it["text"] for it in items], labels, kinds


@pytest.mark.voice
@pytest.mark.slow
@pytest.mark.xdist_group("voice-model")
def test_prior_helps_on_held_out_development_brands() -> None:
    """Over the seven development brands (each held out of the prior that scores it), rule-breakers in the
    brand's own register score lower with the prior than without, and on-brand messages rank higher.
    Measured (bench/results/voice.md): mean AUC 0.945 -> 0.972, rule-breakers' mean probability
    0.218 -> 0.183."""
    from brandrail.voice.embed import embed_cached
    from brandrail.voice.model import VoiceModel, _auc

    with_prior, without, auc_with, auc_without = [], [], [], []
    for brand in sorted(p.name for p in DEV.iterdir() if p.is_dir()):
        examples, texts, labels, kinds = _dev(brand)
        emb = embed_cached(texts)
        p = VoiceModel(examples).probabilities(texts, emb)
        q = VoiceModel(examples, prior=False).probabilities(texts, emb)
        with_prior.append(p[kinds == "never"].mean())
        without.append(q[kinds == "never"].mean())
        auc_with.append(_auc(p[labels], p[~labels]))
        auc_without.append(_auc(q[labels], q[~labels]))
    assert np.mean(with_prior) < np.mean(without) - 0.02, (with_prior, without)
    assert np.mean(auc_with) > np.mean(auc_without) + 0.01, (auc_with, auc_without)


@pytest.mark.voice
@pytest.mark.slow
@pytest.mark.xdist_group("voice-model")
def test_prior_is_evidence_and_a_contradicting_prior_is_dropped() -> None:
    """The prior's share of each score is in the evidence; a prior that says the opposite of the brand's
    examples gets no weight from the non-negative final fit, so the scores are those without a prior."""
    from brandrail.voice.embed import embed_cached
    from brandrail.voice.model import VoiceModel
    from brandrail.voice.prior import VoicePrior, _Head, default_prior

    examples, texts, _, _ = _dev("quillstack")
    emb = embed_cached(texts[:4])
    model = VoiceModel(examples)
    assert model.prior is not None and model.weights[-1] > 0
    [score] = model.score(texts[:1], emb[:1])
    assert score.contributions is not None and "prior" in score.contributions
    assert "prior" not in (VoiceModel(examples, prior=False).score(texts[:1], emb[:1])[0].contributions or {})
    shipped = default_prior()
    assert shipped is not None
    flipped = VoicePrior(_Head(-shipped.head.weights, -shipped.head.intercept), {}, {})
    contrary = VoiceModel(examples, prior=flipped)
    assert contrary.weights[-1] == 0.0
    plain = VoiceModel(examples, prior=False)
    assert np.allclose(contrary.probabilities(texts[:4], emb), plain.probabilities(texts[:4], emb), atol=1e-3)


def test_prior_of_another_width_is_not_used() -> None:
    from brandrail.voice.model import Examples, VoiceModel

    emb = np.random.default_rng(1).normal(size=(6, 8)).astype(np.float32)
    model = VoiceModel(Examples(("a", "b", "c"), ("d", "e", "f")), embeddings=emb)
    assert model.prior is None and 5 not in model.columns
