"""Fit (and judge) the voice model's brand-independent prior of bad practice (src/brandrail/voice/prior.py).

Run: PYTHONPATH=src .venv/bin/python bench/fit_voice_prior.py              (refit data/voice_prior.json)
     PYTHONPATH=src .venv/bin/python bench/fit_voice_prior.py --evaluate   (leave-one-brand-out figures)

Training data: development data only, never a frozen brand (tests/data/voice/brands/ is not read at all):
each development brand's examples, "never" examples and development messages
(tests/data/voice/dev_brands/*), and the Fernhill and Aldgate & Rowe labelled messages
(tests/data/voice/messages.yaml). Each brand is one group; the file holds the prior fitted on every group and
one fitted without each group (what the group's own texts are scored with).

``--evaluate`` judges the prior by leave-one-brand-out: for each development brand, a prior fitted without it,
the voice model with and without that prior fitted on the brand's 12 + 12 examples, scored on its development
messages; and the Fernhill/Aldgate 12 + 12 splits of bench_voice.py with a prior fitted without that brand.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
DEV_BRANDS = ROOT / "tests" / "data" / "voice" / "dev_brands"
MESSAGES = ROOT / "tests" / "data" / "voice" / "messages.yaml"
OUT = ROOT / "bench" / "out"
#: L2 penalty of the prior's regression on the standardised 384 inputs (chosen by --evaluate, see the results).
L2 = 30.0


def _brand(folder: Path) -> tuple[Any, list[dict[str, Any]]]:
    from brandrail.policy import policy_from_dict
    from brandrail.voice.model import load_examples

    examples = load_examples(policy_from_dict(yaml.safe_load((folder / "brand.yaml").read_text("utf-8"))))
    items: list[dict[str, Any]] = yaml.safe_load((folder / "dev.yaml").read_text("utf-8"))
    return examples, items


def dev_brand_names() -> list[str]:
    return sorted(p.name for p in DEV_BRANDS.iterdir() if (p / "dev.yaml").is_file())


def prior_groups(negatives: str = "all") -> dict[str, tuple[list[str], Any, list[int], Any]]:
    """``{brand: (texts, embeddings, labels, brand mean)}`` of every development brand (see the module doc).

    The brand mean is that of the brand's examples and "never" examples, as the voice model computes it;
    for Fernhill and Aldgate (no separate examples) that of all their messages. ``negatives="never"`` keeps
    only the rule-breakers (the first six off-brand examples, the "never" examples and messages) as
    off-brand, and leaves out Fernhill and Aldgate (no rules).
    """
    import numpy as np

    from brandrail.voice.embed import embed_cached

    groups: dict[str, tuple[list[str], Any, list[int], Any]] = {}
    for name in dev_brand_names():
        examples, items = _brand(DEV_BRANDS / name)
        never = [t for rule in examples.never for t in rule.examples]
        train = [*examples.on_brand, *examples.off_brand, *never]
        centre = embed_cached(train).mean(axis=0)
        rows = [(t, 1) for t in examples.on_brand]
        rows += [(t, 0) for k, t in enumerate(examples.off_brand) if negatives == "all" or k < 6]
        rows += [(t, 0) for t in never]
        rows += [
            (it["text"], int(it["label"] == "on_brand"))
            for it in items
            if negatives == "all" or it.get("kind") in (None, "never")
        ]
        texts = [t for t, _ in rows]
        groups[name] = (texts, embed_cached(texts), [label for _, label in rows], centre)
    if negatives == "all":
        sets = yaml.safe_load(MESSAGES.read_text("utf-8"))
        for name in ("fernhill", "aldgate"):
            texts = [it["text"] for it in sets[name]["on_brand"]] + [
                it["text"] for it in sets[name]["off_brand"]
            ]
            labels = [1] * len(sets[name]["on_brand"]) + [0] * len(sets[name]["off_brand"])
            emb = embed_cached(texts)
            groups[name] = (texts, emb, labels, emb.mean(axis=0).astype(np.float32))
    return groups


def _rates(p: Any, labels: Any, kinds: Any) -> dict[str, float]:
    from brandrail.voice.model import _auc

    return {
        "auc": round(_auc(p[labels], p[~labels]), 3),
        "on_brand_flagged": round(float((p[labels] < 0.5).mean()), 3),
        "never_passed": round(float((p[kinds == "never"] >= 0.5).mean()), 3),
        "other_off_passed": round(float((p[kinds == "other"] >= 0.5).mean()), 3),
        "never_mean_p": round(float(p[kinds == "never"].mean()), 3),
    }


def evaluate(l2: float, negatives: str) -> dict[str, Any]:
    """Leave-one-brand-out figures of the voice model with and without a prior (see the module doc)."""
    import numpy as np

    from brandrail.voice.embed import embed_cached
    from brandrail.voice.model import Examples, VoiceModel, _auc
    from brandrail.voice.prior import fit_prior

    groups = prior_groups(negatives)
    out: dict[str, Any] = {"l2": l2, "negatives": negatives, "brands": {}}
    for name in dev_brand_names():
        prior = fit_prior({k: v for k, v in groups.items() if k != name}, l2=l2, folds=False)
        examples, items = _brand(DEV_BRANDS / name)
        texts = [it["text"] for it in items]
        emb = embed_cached(texts)
        labels = np.array([it["label"] == "on_brand" for it in items])
        kinds = np.array([it.get("kind", "on") for it in items])
        with_prior = VoiceModel(examples, prior=prior)
        alone = prior.logits(texts, emb, with_prior._centre)
        row = {
            "without": _rates(VoiceModel(examples, prior=False).probabilities(texts, emb), labels, kinds),
            "with": _rates(with_prior.probabilities(texts, emb), labels, kinds),
            "prior_alone_auc": round(_auc(alone[labels], alone[~labels]), 3),
            "prior_weight": round(float(with_prior.weights[-1]), 3),
        }
        out["brands"][name] = row
        print(name, json.dumps(row), flush=True)
    sets = yaml.safe_load(MESSAGES.read_text("utf-8"))
    for name in ("fernhill", "aldgate"):
        prior = fit_prior({k: v for k, v in groups.items() if k != name}, l2=l2, folds=False)
        on = [it["text"] for it in sets[name]["on_brand"]]
        off = [it["text"] for it in sets[name]["off_brand"]]
        rows = []
        for seed in range(5):  # the splits of bench_voice.bench_dev_splits
            rng = np.random.default_rng(seed)
            po, pf = rng.permutation(len(on)), rng.permutation(len(off))
            train = Examples(tuple(on[i] for i in po[:12]), tuple(off[i] for i in pf[:12]))
            test = [on[i] for i in po[12:]] + [off[i] for i in pf[12:]]
            y = np.array([True] * (len(on) - 12) + [False] * (len(off) - 12))
            emb = embed_cached(test)
            for variant in (False, prior):
                p = VoiceModel(train, prior=variant).probabilities(test, emb)
                rows.append([_auc(p[y], p[~y]), float((p[y] < 0.5).mean())])
        mean = np.asarray(rows).reshape(5, 2, 2).mean(axis=0)
        out["brands"][f"{name}_splits"] = {
            "without": {"auc": round(float(mean[0, 0]), 3), "on_brand_flagged": round(float(mean[0, 1]), 3)},
            "with": {"auc": round(float(mean[1, 0]), 3), "on_brand_flagged": round(float(mean[1, 1]), 3)},
        }
        print(f"{name}_splits", json.dumps(out["brands"][f"{name}_splits"]), flush=True)
    dev = [r for k, r in out["brands"].items() if not k.endswith("_splits")]
    out["mean_over_dev_brands"] = {
        side: {
            key: round(float(np.mean([r[side][key] for r in dev])), 3)
            for key in ("auc", "on_brand_flagged", "never_passed", "other_off_passed", "never_mean_p")
        }
        for side in ("without", "with")
    }
    print("mean", json.dumps(out["mean_over_dev_brands"]), flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--evaluate", action="store_true", help="leave-one-brand-out figures, no file written"
    )
    parser.add_argument("--l2", type=float, action="append", help=f"L2 penalty (default {L2}); repeatable")
    parser.add_argument("--negatives", choices=("all", "never"), default="all")
    args = parser.parse_args()
    os.environ.setdefault("BRANDRAIL_CACHE_DIR", str(OUT / "cache"))
    OUT.mkdir(parents=True, exist_ok=True)
    if args.evaluate:
        results = [evaluate(l2, args.negatives) for l2 in args.l2 or [L2]]
        (OUT / "voice-prior-lobo.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
        return
    from brandrail.voice.embed import get_embedder
    from brandrail.voice.prior import PRIOR_FILE, fit_prior

    prior = fit_prior(prior_groups(args.negatives), l2=(args.l2 or [L2])[0], model_id=get_embedder().model_id)
    PRIOR_FILE.write_text(json.dumps(prior.to_dict(), separators=(",", ":")) + "\n", encoding="utf-8")
    print(
        f"wrote {PRIOR_FILE} ({PRIOR_FILE.stat().st_size} bytes, {len(prior.groups)} texts)", file=sys.stderr
    )


if __name__ == "__main__":
    main()
