"""The learned tone model (issue 16, items 1–2): packaged coefficients, explanations, the two tiers."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from brandrail.errors import PolicyError, UsageError
from brandrail.policy import load_policy, policy_from_dict
from brandrail.voice.tone import PLAIN_TARGETS, profile_text
from brandrail.voice.tone_model import MODEL_FILE, RATED, TONE_MODELS, load_model, squash

CORPUS = Path(__file__).parents[1] / "data" / "voice" / "tone_corpus"

ODD_TEXTS = [
    "",
    "!",
    "🎉" * 300,
    "a",
    "HURRY " * 500,
    "Thanks so much, we're really sorry! " * 200,
    "Pursuant to clause 4, the aforementioned charge shall be applied. " * 50,
    "lol " * 1000,
    "1234567890 " * 300,
]


def test_the_model_was_fitted_on_the_development_data_only() -> None:
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    for tier in TONE_MODELS:
        info = data["tiers"][tier]["info"]
        assert info["data"] == [
            "tests/data/voice/tone_corpus/dev.tsv",
            "tests/data/voice/tone_corpus/dev2.tsv",
            "tests/data/voice/tone_corpus/dev3.tsv",
        ]
        digest = hashlib.sha256()
        for part in ("dev", "dev2", "dev3"):
            digest.update((CORPUS / f"{part}.tsv").read_bytes())
        # refit (bench/fit_tone_model.py --write) whenever the development data changes
        assert info["data_sha256"] == digest.hexdigest()


def test_every_head_reads_features_the_profile_measures() -> None:
    features = profile_text("Hello there, your order is on its way.").features
    for tier in TONE_MODELS:
        model = load_model(tier)
        assert set(model.heads) == set(RATED)
        for head in model.heads.values():
            assert set(head.features) <= set(features), head.dimension
            assert len(head.weights) == len(head.features) == len(head.mean) == len(head.scale)
            assert all(s > 0 for s in head.scale)
            if tier == "embedding":
                assert len(head.embedding_weights) == 384
            else:
                assert head.embedding_weights == ()


@pytest.mark.parametrize("text", ODD_TEXTS)
def test_values_stay_on_their_scales(text: str) -> None:
    v = profile_text(text).values
    for dim in RATED:
        lo = -1.0 if dim == "sentiment" else 0.0
        assert lo <= v[dim] <= 1.0, (dim, v[dim])


def test_explanations_add_up_to_the_value() -> None:
    p = profile_text("HURRY! Only 3 left and the sale ends at midnight. Don't miss out!")
    head = load_model("core").heads["urgency"]
    rating = head.intercept + sum(head.terms(p.features))
    assert p.values["urgency"] == pytest.approx(squash(rating))
    shown = p.explain["urgency"]
    assert shown and all(name in p.features for name, _ in shown)
    assert max(abs(c) for _, c in shown) == pytest.approx(
        max(abs(t) for t in head.terms(p.features)), abs=1e-3
    )
    data = p.to_dict()
    assert data["model"]["name"] == "core"
    assert data["model"]["explain"]["urgency"][0]["feature"] == shown[0][0]


def test_no_pressure_cue_means_no_urgency() -> None:
    # the urgency head is gated by its cue evidence: without any, the value is exactly 0
    for text in ("See you tomorrow.", "Our new coats are in!", "Today is a good day for a walk."):
        p = profile_text(text)
        assert p.features["pressure_all"] == 0.0 and p.values["urgency"] == 0.0


def test_plain_targets_are_the_documented_defaults() -> None:
    plain = json.loads(MODEL_FILE.read_text(encoding="utf-8"))["tiers"]["core"]["info"]["plain_targets"]
    chosen = {d: (t.get("min"), t.get("max")) for d, t in plain["targets"].items()}
    assert chosen == PLAIN_TARGETS
    assert plain["clean_flagged_share"] <= 0.02


def test_unknown_tier_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown tone model 'embeding'"):
        profile_text("Hello.", tone_model="embeding")


def test_policy_tone_model_typo_is_a_policy_error_with_position(tmp_path: Path) -> None:
    file = tmp_path / "brandrail.yaml"
    file.write_text("voice:\n  tone_model: embeding\n", encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        load_policy(file)
    assert f"{file}:2:15: voice.tone_model" in str(info.value)


def test_embedding_tier_without_the_model_is_a_usage_error_not_a_silent_fallback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from brandrail import check
    from brandrail.voice import embed

    def unavailable() -> object:
        raise embed.VoiceUnavailable("the packaged model is not installed")

    monkeypatch.setattr(embed, "get_numpy_embedder", unavailable)
    policy = policy_from_dict({"voice": {"tone_model": "embedding", "targets": {"urgency": {"max": 0.3}}}})
    with pytest.raises(UsageError, match=r"voice\.tone_model is 'embedding'") as info:
        check("Only 3 left, the sale ends tonight.", policy)
    assert info.value.hint is not None and "brandrail[voice]" in info.value.hint
    core = policy_from_dict({"voice": {"targets": {"urgency": {"max": 0.3}}}})
    # the core tier runs without the model (the deadline is also a pricing claim, BR206: not this test's)
    assert [
        f.code for f in check("Only 3 left, the sale ends tonight.", core).findings if f.code[:3] == "BR5"
    ] == ["BR501"]


@pytest.mark.voice
@pytest.mark.extras
def test_embedding_tier_scores_and_explains() -> None:
    from brandrail import check

    text = "Hey! Only 3 left and the sale ends at midnight. Don't miss out!!"
    core, emb = profile_text(text), profile_text(text, tone_model="embedding")
    assert emb.model == "embedding" and core.model == "core"
    assert emb.features == core.features and emb.drivers == core.drivers  # same evidence, another head
    assert emb.values != core.values
    for dim in RATED:
        lo = -1.0 if dim == "sentiment" else 0.0
        assert lo <= emb.values[dim] <= 1.0
    # the same number alone and after other messages (the NumPy engine is batch-independent)
    profile_text("Something else entirely.", tone_model="embedding")
    assert profile_text(text, tone_model="embedding").values == emb.values
    policy = policy_from_dict({"voice": {"tone_model": "embedding", "targets": {"urgency": {"max": 0.3}}}})
    [finding] = [f for f in check(text, policy).findings if f.code == "BR501"]
    assert finding.evidence["model"] == "embedding"
    assert finding.evidence["measured"] == pytest.approx(emb.values["urgency"], abs=1e-4)
    assert finding.evidence["features"]


def test_the_version_names_the_coefficients() -> None:
    """A refit that scores differently gets another version: audit evidence names the coefficients."""
    from brandrail.voice.tone_model import model_version

    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    # rewrite the packaged version with bench/fit_tone_model.py --write (never by hand)
    assert data["version"] == model_version(data["tiers"])
    nudged = json.loads(json.dumps(data["tiers"]))
    head = next(iter(nudged["core"]["heads"].values()))
    head["weights"][0] += 1e-9
    assert model_version(nudged) != data["version"]


def test_br501_evidence_records_the_model_version() -> None:
    from brandrail.engine import check_text

    policy = policy_from_dict({"voice": {"targets": {"urgency": {"max": 0.1}}}})
    findings = check_text("HURRY! Last chance, only 2 left, offer ends tonight!", policy).findings
    tone = [f for f in findings if f.code == "BR501" and "model" in f.evidence]
    assert tone, [f.code for f in findings]
    assert all(f.evidence["model_version"] == load_model(f.evidence["model"]).version for f in tone)


def test_every_feature_is_read_by_a_head() -> None:
    """No feature is computed for nothing: each is read by a head of the shipped tone model or of BR502's
    frozen tone view, except the measures of length, which no head may read (a long text is not more formal)."""
    from brandrail.voice.model import tone_view

    read: set[str] = set()
    for tier in TONE_MODELS:
        for head in load_model(tier).heads.values():
            read |= set(head.features) | ({head.gate} if head.gate else set())
    for head in tone_view().heads.values():
        read |= set(head.features)
    unread = set(profile_text("Hello there.").features) - read
    assert unread == {"length", "sentence_length", "reading_grade"}


def test_refitting_some_heads_keeps_the_others() -> None:
    """``bench/fit_tone_model.py --heads``: the named heads and their figures are replaced, every other head,
    figure and the plain-voice targets stay as packaged."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "fit_tone_model", Path(__file__).resolve().parents[2] / "bench" / "fit_tone_model.py"
    )
    assert spec is not None and spec.loader is not None
    fit = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fit)
    packaged = json.loads(MODEL_FILE.read_text(encoding="utf-8"))["tiers"]["core"]
    new_head = {**packaged["heads"]["humour"], "intercept": 9.0}
    tier = fit.keep_others(packaged, {"humour": new_head}, {"humour": {"cv_spearman": 0.5}}, {"cv": "x"})
    assert tier["heads"]["humour"] is new_head
    for dim in RATED:
        if dim != "humour":
            assert tier["heads"][dim] == packaged["heads"][dim]
            assert tier["info"]["cv"][dim] == packaged["info"]["cv"][dim]
    assert tier["info"]["cv"]["humour"] == {"cv_spearman": 0.5}
    assert tier["info"]["plain_targets"] == packaged["info"]["plain_targets"]
    assert tier["info"]["refitted"] == ["humour"]
