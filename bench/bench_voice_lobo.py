"""Leave-one-brand-out over the development brands: how a global setting of BR502 generalises to a new brand.

For each of the seven brands in tests/data/voice/dev_brands/, the setting (the views' and the final fit's L2
penalty) with the best mean AUC on the other six is chosen, then the smallest prior towards on-brand that keeps
the six brands' mean on-brand flagged at 0.5 within 10%; both are measured on the seventh brand's dev.yaml.
Never reads a frozen test.yaml. Writes bench/out/voice-lobo.json.

    PYTHONPATH=src .venv/bin/python bench/bench_voice_lobo.py
"""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
DEV_BRANDS = ROOT / "tests" / "data" / "voice" / "dev_brands"
OUT = ROOT / "bench" / "out"
VIEW_L2 = (2.0, 8.0, 32.0, 128.0)
FINAL_L2 = (1.0, 3.0, 10.0)
OFFSETS = tuple(np.arange(0.0, 1.001, 0.125))
MAX_FLAGGED = 0.10


def _figures(logit: Any, y: Any, kind: Any) -> dict[str, float]:
    from brandrail.voice.model import _auc

    p = 1.0 / (1.0 + np.exp(-logit))
    return {
        "auc": _auc(p[y], p[~y]),
        "on_brand_flagged": float((p[y] < 0.5).mean()),
        "never_passed": float((p[kind == "never"] >= 0.5).mean()),
        "other_off_passed": float((p[kind == "other"] >= 0.5).mean()),
    }


def main() -> None:
    os.environ.setdefault("BRANDRAIL_CACHE_DIR", str(OUT / "cache"))
    from brandrail.policy import policy_from_dict
    from brandrail.voice import model as voice_model
    from brandrail.voice.embed import embed_cached

    brands: dict[str, dict[str, Any]] = {}
    for folder in sorted(p for p in DEV_BRANDS.iterdir() if p.is_dir()):
        examples = voice_model.load_examples(
            policy_from_dict(yaml.safe_load((folder / "brand.yaml").read_text("utf-8")))
        )
        items = yaml.safe_load((folder / "dev.yaml").read_text("utf-8"))
        texts = [it["text"] for it in items]
        never_texts = [t for rule in examples.never for t in rule.examples]
        train = [*examples.on_brand, *examples.off_brand, *never_texts, *(r.rule for r in examples.never)]
        brands[folder.name] = {
            "examples": examples,
            "texts": texts,
            "y": np.array([it["label"] == "on_brand" for it in items]),
            "kind": np.array([it.get("kind", "on") for it in items]),
            "train_emb": embed_cached(voice_model._as_meant(train)),
            "emb": embed_cached(voice_model._as_meant(texts)),
        }
    saved = (voice_model._VIEW_L2, voice_model._FINAL_L2, voice_model._ON_BRAND_OFFSET)
    logits: dict[tuple[float, float], dict[str, Any]] = {}
    try:
        voice_model._ON_BRAND_OFFSET = 0.0
        for view, final in itertools.product(VIEW_L2, FINAL_L2):
            voice_model._VIEW_L2, voice_model._FINAL_L2 = view, final
            logits[(view, final)] = {}
            for name, b in brands.items():
                model = voice_model.VoiceModel(b["examples"], embeddings=b["train_emb"])
                p = np.clip(model.probabilities(b["texts"], b["emb"]), 1e-6, 1 - 1e-6)
                logits[(view, final)][name] = np.log(p / (1 - p))
    finally:
        voice_model._VIEW_L2, voice_model._FINAL_L2, voice_model._ON_BRAND_OFFSET = saved

    def fig(setting: tuple[float, float], name: str, offset: float) -> dict[str, float]:
        b = brands[name]
        return _figures(logits[setting][name] + offset, b["y"], b["kind"])

    folds: dict[str, Any] = {}
    for held in brands:
        rest = [n for n in brands if n != held]
        setting = max(logits, key=lambda s: (np.mean([fig(s, n, 0.0)["auc"] for n in rest]), -s[0], -s[1]))
        offset = next(
            (
                o
                for o in OFFSETS
                if np.mean([fig(setting, n, o)["on_brand_flagged"] for n in rest]) <= MAX_FLAGGED
            ),
            OFFSETS[-1],
        )
        folds[held] = {
            "view_l2": setting[0],
            "final_l2": setting[1],
            "offset": float(offset),
            **{k: round(v, 3) for k, v in fig(setting, held, offset).items()},
        }
        print(held, json.dumps(folds[held]), flush=True)
    before = {n: fig((2.0, 1.0), n, 0.0) for n in brands}
    shipped = {n: fig((saved[0], saved[1]), n, saved[2]) for n in brands}
    keys = ("auc", "on_brand_flagged", "never_passed", "other_off_passed")
    result = {
        "folds": folds,
        "leave_one_brand_out_mean": {
            k: round(float(np.mean([f[k] for f in folds.values()])), 3) for k in keys
        },
        "before_mean": {k: round(float(np.mean([f[k] for f in before.values()])), 3) for k in keys},
        "shipped": {"view_l2": saved[0], "final_l2": saved[1], "offset": saved[2]}
        | {k: round(float(np.mean([f[k] for f in shipped.values()])), 3) for k in keys},
    }
    print(json.dumps({k: v for k, v in result.items() if k != "folds"}, indent=2))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "voice-lobo.json").write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
