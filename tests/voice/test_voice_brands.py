"""Five invented brands (tests/data/voice/brands/): the frozen test sets and the voice model's quality on them.

The test messages were written before the model was tuned; their sha256 is pinned here so that nobody tunes the
data to the model afterwards.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
import yaml

from brandrail.policy import policy_from_dict

BRANDS_DIR = Path(__file__).parents[1] / "data" / "voice" / "brands"

#: sha256 of each brand's frozen test.yaml, committed with the data before any tuning.
FROZEN = {
    "fizzwick": "a393d7ee72c515086164da633402b729618973ae90b59473a032dad8c8b27034",
    "larkfield": "5c0314ca456ee7545ae3b97d3b66ae04450bedaa88485025b2c278139574052e",
    "meadowbank": "10a0d0401d1728e63590af13140fc8f80d1a9832a540e566e7b00853246a0131",
    "northgate": "c697c0eca584370dd8e0acb617949c1c15b3d72da11b4bb5abd6a17d62d6082b",
    "verlaine": "eccfee64ea201ee001cf4e7fd655c93cc0eabd8f36e2e9d2cd0dd6609cf15ecc",
}
BRANDS = sorted(FROZEN)


def brand_policy_data(brand: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((BRANDS_DIR / brand / "brand.yaml").read_text(encoding="utf-8"))
    return data


def brand_tests(brand: str) -> list[dict[str, str]]:
    items: list[dict[str, str]] = yaml.safe_load(
        (BRANDS_DIR / brand / "test.yaml").read_text(encoding="utf-8")
    )
    return items


def test_every_brand_folder_is_pinned() -> None:
    assert sorted(p.name for p in BRANDS_DIR.iterdir() if p.is_dir()) == BRANDS


@pytest.mark.parametrize("brand", BRANDS)
def test_test_set_is_frozen(brand: str) -> None:
    digest = hashlib.sha256((BRANDS_DIR / brand / "test.yaml").read_bytes()).hexdigest()
    assert digest == FROZEN[brand], f"{brand}/test.yaml changed after it was frozen"


@pytest.mark.parametrize("brand", BRANDS)
def test_brand_data_has_the_agreed_shape(brand: str) -> None:
    policy = policy_from_dict(brand_policy_data(brand))
    examples = policy.voice.examples
    assert len(examples.on_brand) == 12 and len(examples.off_brand) == 12
    assert len(policy.voice.never) >= 3
    rules = set(policy.voice.never_ids())
    items = brand_tests(brand)
    assert len(items) >= 60
    on = [it for it in items if it["label"] == "on_brand"]
    off = [it for it in items if it["label"] == "off_brand"]
    assert len(on) + len(off) == len(items) and len(on) >= 30 and len(off) >= 30
    never = [it for it in off if it["kind"] == "never"]
    assert {it["kind"] for it in off} == {"never", "other"}
    assert 2 * len(never) >= len(off)  # at least half in the brand's register, breaking a "never" rule
    assert {it["rule"] for it in never} <= rules
    training = {*examples.on_brand, *examples.off_brand, *(e for n in policy.voice.never for e in n.examples)}
    assert not training & {it["text"] for it in items}, "a test message is also a training example"


#: Development brands and their (on-brand, rule-breaker, other off-brand) development messages: the five
#: written for the brand-independent prior (issue 16, item 3) have 20 + 10 + 10.
DEV_BRANDS = {
    "brookmere": (30, 15, 15),
    "emberline": (30, 15, 15),
    **dict.fromkeys(("ashcombe", "harbourlight", "lumentel", "pepperpot", "quillstack"), (20, 10, 10)),
    # written to confirm (or not) the "8-component" lead on brands it was not picked on (issue 16, item 3)
    **dict.fromkeys(("bramblebox", "morrowfield"), (30, 15, 15)),
    # by a second author, with short on-brand examples (pinned in test_vdata_dev_brands.py)
    **dict.fromkeys(("ternway", "aubertine", "larderly", "wrenfield"), (30, 15, 15)),
}

#: sha256 of the confirmation brands' files, committed with the data before any model was run on them: the
#: lead was to be judged on messages nobody had tuned on, so neither file may change after the first run.
DEV_PINNED = {
    "bramblebox/brand.yaml": "72ad30955e054073c44693fb9dead986d0960f72357e5dddf19a86ad85f6c6f1",
    "bramblebox/dev.yaml": "1c6aaa33ce47cad2274756bbfa79283106830d0d613de8dc961b38de3bf9a2a6",
    "morrowfield/brand.yaml": "41fe0f9228cac15b8733d9d959805eb87ac2de1d8ec5f081b3be4ed705293248",
    "morrowfield/dev.yaml": "5dc21f7f5b2d328dcea318775e0b2593f48b93f9d8d1f1dd13b1e536b1ae8e75",
}


@pytest.mark.parametrize("name", sorted(DEV_PINNED))
def test_confirmation_brand_is_pinned(name: str) -> None:
    digest = hashlib.sha256((BRANDS_DIR.parent / "dev_brands" / name).read_bytes()).hexdigest()
    assert digest == DEV_PINNED[name], f"dev_brands/{name} changed after it was pinned"


def test_every_development_brand_is_listed() -> None:
    assert sorted(p.name for p in (BRANDS_DIR.parent / "dev_brands").iterdir() if p.is_dir()) == sorted(
        DEV_BRANDS
    )


@pytest.mark.parametrize("dev_brand", sorted(DEV_BRANDS))
def test_development_brand_has_the_same_shape(dev_brand: str) -> None:
    """The development brands (not frozen: tuning on them is allowed) follow the test brands' layout."""
    folder = BRANDS_DIR.parent / "dev_brands" / dev_brand
    data = yaml.safe_load((folder / "brand.yaml").read_text(encoding="utf-8"))
    policy = policy_from_dict(data)
    assert len(policy.voice.examples.on_brand) == 12 and len(policy.voice.examples.off_brand) == 12
    items: list[dict[str, str]] = yaml.safe_load((folder / "dev.yaml").read_text(encoding="utf-8"))
    kinds = [it.get("kind", it["label"]) for it in items]
    assert (kinds.count("on_brand"), kinds.count("never"), kinds.count("other")) == DEV_BRANDS[dev_brand]
    assert len(policy.voice.never) >= 3
    assert {it["rule"] for it in items if it.get("kind") == "never"} <= set(policy.voice.never_ids())
    training = {*policy.voice.examples.on_brand, *policy.voice.examples.off_brand}
    assert not training & {it["text"] for it in items}


def test_never_rule_needs_examples_and_unique_ids(tmp_path: Path) -> None:
    from brandrail.errors import PolicyError
    from brandrail.policy import load_policy

    empty = tmp_path / "empty.yaml"
    empty.write_text(
        "version: 1\nvoice:\n  never:\n    - rule: Promise a cure\n      examples: []\n", "utf-8"
    )
    with pytest.raises(PolicyError) as info:
        load_policy(empty)
    assert "empty.yaml:5:" in str(info.value) and "voice.never[0].examples" in str(info.value)
    twice = tmp_path / "twice.yaml"
    twice.write_text(
        "version: 1\nvoice:\n  never:\n"
        "    - {id: cure, rule: a, examples: [x]}\n    - {id: cure, rule: b, examples: [y]}\n",
        "utf-8",
    )
    with pytest.raises(PolicyError, match="share the id 'cure'"):
        load_policy(twice)
    policy = policy_from_dict(
        {"voice": {"never": [{"rule": "a", "examples": ["x"]}, {"id": "b", "rule": "b", "examples": ["y"]}]}}
    )
    assert policy.voice.never_ids() == ["never-1", "b"]


def _test_scores(brand: str, *, with_rules: bool = True) -> tuple[Any, Any, Any]:
    import numpy as np

    from brandrail.voice.embed import embed_cached
    from brandrail.voice.model import Examples, VoiceModel, load_examples

    examples = load_examples(policy_from_dict(brand_policy_data(brand)))
    if not with_rules:
        examples = Examples(examples.on_brand, examples.off_brand)
    items = brand_tests(brand)
    texts = [it["text"] for it in items]
    proba = VoiceModel(examples).probabilities(texts, embed_cached(texts))
    labels = np.array([it["label"] == "on_brand" for it in items])
    kinds = np.array([it.get("kind", "on") for it in items])
    return proba, labels, kinds


#: Measured once on the frozen test sets (2026-12-07 09:43 UTC, `bench_voice.py --practice-change frozen`, with the
#: `practice` view fitted across 16 development brands and a 0.5-logit prior towards on-brand): AUC, share of
#: on-brand messages flagged at 0.5, share of rule-breakers ("never") and of other off-brand messages passed.
#: Against the model before (2026-12-06 19:57 UTC: no practice view, prior 0.25): mean AUC 0.920 -> 0.937,
#: on-brand flagged 16% -> 9.3%, other off-brand passed 24% -> 11%, rule-breakers passed 24% -> 28%; three
#: figures rose by two messages: meadowbank's on-brand flagged (5 -> 7 of 30), fizzwick's and verlaine's
#: rule-breakers passed (4 -> 6 and 2 -> 4 of 15). The never-rule cues (2026-12-07 16:44 UTC, `bench_voice.py
#: --cue-change frozen`, measured once after they were chosen on the development brands): larkfield AUC 0.973 ->
#: 0.976, northgate 0.922 -> 0.927, verlaine 0.938 -> 0.944, one other off-brand message fewer passed on each
#: of the three; fizzwick and meadowbank unchanged; no on-brand message shows a forbidden cue. The issue's
#: targets (AUC >= 0.92 and <= 10% of on-brand flagged) are met on four brands of five, not on meadowbank:
#: these are regression floors. See docs/voice.md.
MEASURED = {
    "fizzwick": (0.940, 0.067, 0.400, 0.133),
    "larkfield": (0.976, 0.033, 0.200, 0.000),
    "meadowbank": (0.911, 0.233, 0.267, 0.067),
    "northgate": (0.927, 0.067, 0.267, 0.067),
    "verlaine": (0.944, 0.067, 0.267, 0.067),
}


@pytest.mark.voice
@pytest.mark.slow
@pytest.mark.xdist_group("voice-model")
@pytest.mark.parametrize("brand", BRANDS)
def test_voice_model_on_unseen_messages(brand: str) -> None:
    """Floors just under the measured figures: 0.02 of AUC (the encoder's and the tone profile's numerics
    may move a little) and one message of each rate (1/30 on-brand, 1/15 off-brand)."""
    from sklearn.metrics import roc_auc_score

    proba, labels, kinds = _test_scores(brand)
    auc = float(roc_auc_score(labels, proba))  # an independent implementation of the figure we report
    want_auc, flagged, never_passed, other_passed = MEASURED[brand]
    assert auc >= want_auc - 0.02, auc
    assert (proba[labels] < 0.5).mean() <= flagged + 0.034
    assert (proba[kinds == "never"] >= 0.5).mean() <= never_passed + 0.067
    assert (proba[kinds == "other"] >= 0.5).mean() <= other_passed + 0.067


@pytest.mark.voice
@pytest.mark.slow
@pytest.mark.xdist_group("voice-model")
def test_voice_model_beats_logistic_regression_on_embeddings() -> None:
    """Pooled over the brands, the voice model ranks unseen messages better than the old baseline does."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from brandrail.voice.embed import embed_cached
    from brandrail.voice.model import load_examples

    ours, baseline = [], []
    for brand in BRANDS:
        proba, labels, _ = _test_scores(brand)
        examples = load_examples(policy_from_dict(brand_policy_data(brand)))
        off = [*examples.off_brand, *(t for rule in examples.never for t in rule.examples)]
        x = embed_cached([*examples.on_brand, *off])
        lr = make_pipeline(StandardScaler(), LogisticRegression(C=0.5, max_iter=2000))
        lr.fit(x, [1] * len(examples.on_brand) + [0] * len(off))
        texts = [it["text"] for it in brand_tests(brand)]
        ours.append(roc_auc_score(labels, proba))
        baseline.append(roc_auc_score(labels, lr.predict_proba(embed_cached(texts))[:, 1]))
    assert np.mean(ours) > np.mean(baseline), (ours, baseline)


@pytest.mark.voice
@pytest.mark.slow
@pytest.mark.xdist_group("voice-model")
def test_never_rules_are_used_as_signals() -> None:
    """With the guideline's rules, messages that break them score lower than without (pooled over brands)."""
    import numpy as np

    with_rules, without = [], []
    for brand in BRANDS:
        proba, _, kinds = _test_scores(brand)
        plain, _, _ = _test_scores(brand, with_rules=False)
        with_rules.append(proba[kinds == "never"])
        without.append(plain[kinds == "never"])
    assert np.mean(np.concatenate(with_rules)) < np.mean(np.concatenate(without)) - 0.05


@pytest.mark.voice
@pytest.mark.slow
@pytest.mark.xdist_group("voice-model")
def test_never_rules_stand_in_for_off_brand_examples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On-brand examples and never rules, no off-brand examples: BR502 runs and names the broken rule."""
    from brandrail.engine import check_text

    monkeypatch.setenv("BRANDRAIL_CACHE_DIR", str(tmp_path))
    data = brand_policy_data("meadowbank")
    data["voice"]["examples"].pop("off_brand")
    policy = policy_from_dict(data)
    message = "Our new injection programme ends knee pain for good; you will never need surgery."
    [finding] = [f for f in check_text(message, policy).findings if f.code == "BR502"]
    assert finding.evidence["nearest_never_rule"]["id"] == "cure"
    assert finding.evidence["examples"]["off_brand"] == 0 and finding.evidence["examples"]["never_rules"] == 4
    on = "Your flu jab is booked for Thursday at 9:40. If that doesn't suit, just reply and we'll find another time."
    assert [f for f in check_text(on, policy).findings if f.code == "BR502"] == []


@pytest.mark.voice
@pytest.mark.slow
@pytest.mark.xdist_group("voice-model")
def test_each_never_rule_has_evidence_against_the_on_brand_examples() -> None:
    """Every score carries each rule's similarity and the share of on-brand examples that come less close;
    a test message written to break a rule is, on average, nearer to that rule than most on-brand examples
    are, and nearer than the brand's on-brand test messages come to it."""
    import numpy as np

    from brandrail.voice.model import VoiceModel, load_examples

    breaking, on_brand = [], []
    for brand in BRANDS:
        model = VoiceModel(load_examples(policy_from_dict(brand_policy_data(brand))))
        items = brand_tests(brand)
        scores = model.score([it["text"] for it in items])
        ids = [rule.id for rule in model.examples.never]
        for item, score in zip(items, scores, strict=True):
            assert [m.id for m in score.never_rules] == ids
            assert all(0.0 <= m.closer_than_on_brand <= 1.0 for m in score.never_rules)
            assert score.never is not None and score.never.similarity == max(
                m.similarity for m in score.never_rules
            )
            shares = {m.id: m.closer_than_on_brand for m in score.never_rules}
            if item.get("kind") == "never":
                breaking.append(shares[item["rule"]])
            elif item["label"] == "on_brand":
                on_brand.extend(shares.values())
        assert score.to_dict()["never_rules"][0]["id"] == ids[0]
    assert np.mean(breaking) > 0.5 and np.mean(breaking) > np.mean(on_brand) + 0.2, (
        np.mean(breaking),
        np.mean(on_brand),
    )
