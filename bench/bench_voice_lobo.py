"""Leave-one-brand-out over the development brands: how a global setting of BR502 generalises to a new brand.

For each brand in tests/data/voice/dev_brands/, the setting (the views' and the final fit's L2 penalty) with
the best mean AUC on the other brands is chosen, then the smallest prior towards on-brand that keeps the other
brands' mean on-brand flagged at 0.5 within 10%; both are measured on the held-out brand's dev.yaml.
Never reads a frozen test.yaml. Writes bench/out/voice-lobo.json.

With ``--variants [NAME ...]`` it measures instead the variants of ``bench/voice_variants.py`` (all by
default) at the shipped L2 setting, each with its own prior chosen the same way (leave-one-brand-out), against
the shipped model, with a paired bootstrap interval of the differences (messages resampled within each brand,
on-brand and off-brand apart, seeded), and each brand's figures with a 95% bootstrap interval. Writes
bench/out/voice-lobo-variants.json.

With ``--confirm BRAND ...`` (and ``--variants``) the named brands are held out as a confirmation set: each
variant's prior is chosen on the other development brands only (the same rule as above), and the figures are
those of the named brands alone, each model trained on that brand's own examples. Writes
bench/out/voice-confirm.json.

With ``--with-heldout`` the fifth round's held-out brands (tests/data/voice/heldout_brands: written by a
tester who had not read the code; development data since their blind figure was recorded) join the
development brands, their test.yaml as their development messages: twelve brands, three by another author.

With ``--levers [NAME ...]`` it measures changes to the final fit and the ``practice`` view (``LEVERS``) by
nested leave-one-brand-out: each lever's brand-independent part and setting are fitted on the other brands
only, and the practice view is refitted without the held-out brand (the shipped one was fitted on every
development brand, so the other modes score the development brands in sample for that feature). Writes
bench/out/voice-lobo-levers.json. ``--with-heldout --fit-practice L2`` refits the shipped practice view on every
development brand and writes src/brandrail/voice/data/voice_practice.json.
``--base LEVER`` compares the levers with LEVER instead of ``own`` (``practice``: the shipped model's final fit
with the practice view; ``cues_fixed``: the never-rule cues as a fixed penalty, as shipped; ``cues_fit``: the
same as a feature of the final fit; ``rule_pairs``: a rule matcher learned across brands; ``practice_tone``:
the cues as shipped and a cross-brand tone view, the ``practice`` view's counterpart on brand-centred tone
vectors, as a seventh feature: tried and not kept, bench/experiments/voice-practice-tone.patch).

    PYTHONPATH=src .venv/bin/python bench/bench_voice_lobo.py
    PYTHONPATH=src .venv/bin/python bench/bench_voice_lobo.py --variants
    PYTHONPATH=src .venv/bin/python bench/bench_voice_lobo.py --with-heldout --levers own global_view
    PYTHONPATH=src .venv/bin/python bench/bench_voice_lobo.py --with-heldout --fit-practice 0.3
    PYTHONPATH=src .venv/bin/python bench/bench_voice_lobo.py --with-heldout \
        --levers cues_fixed practice_tone --base cues_fixed
    PYTHONPATH=src .venv/bin/python bench/bench_voice_lobo.py --with-heldout \
        --levers practice cues_fixed cues_fit rule_pairs rule_pairs_all --base practice
    PYTHONPATH=src .venv/bin/python bench/bench_voice_lobo.py --with-heldout --variants shipped
    PYTHONPATH=src .venv/bin/python bench/bench_voice_lobo.py --variants shipped pca8_view \
        ridge_pca8_average --confirm bramblebox morrowfield
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import sys
from pathlib import Path
from typing import Any

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
DEV_BRANDS = ROOT / "tests" / "data" / "voice" / "dev_brands"
#: The fifth round's held-out brands: development data since their blind figure was recorded (their
#: test.yaml is their development set). Included with ``--with-heldout``.
HELDOUT_BRANDS = ROOT / "tests" / "data" / "voice" / "heldout_brands"
#: ``with_heldout`` is set by ``--with-heldout``: also load HELDOUT_BRANDS.
SETTINGS: dict[str, bool] = {"with_heldout": False}
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


def _train_embeddings(examples: Any) -> Any:
    from brandrail.voice import model as voice_model
    from brandrail.voice.embed import embed_cached

    never_texts = [t for rule in examples.never for t in rule.examples]
    train = [*examples.on_brand, *examples.off_brand, *never_texts, *(r.rule for r in examples.never)]
    return embed_cached(voice_model._as_meant(train))


def _brand_folders() -> list[tuple[Path, str]]:
    """Each development brand's folder and the file of its development messages (never a frozen test.yaml)."""
    out = [(p, "dev.yaml") for p in sorted(DEV_BRANDS.iterdir()) if p.is_dir()]
    if SETTINGS["with_heldout"]:
        out += [(p, "test.yaml") for p in sorted(HELDOUT_BRANDS.iterdir()) if p.is_dir()]
    return out


def _load_brands() -> dict[str, dict[str, Any]]:
    """Each development brand's examples and development messages, embedded (never a frozen test.yaml)."""
    os.environ.setdefault("BRANDRAIL_CACHE_DIR", str(OUT / "cache"))
    from brandrail.policy import policy_from_dict
    from brandrail.voice import model as voice_model
    from brandrail.voice.embed import embed_cached

    brands: dict[str, dict[str, Any]] = {}
    for folder, messages in _brand_folders():
        examples = voice_model.load_examples(
            policy_from_dict(yaml.safe_load((folder / "brand.yaml").read_text("utf-8")))
        )
        items = yaml.safe_load((folder / messages).read_text("utf-8"))
        texts = [it["text"] for it in items]
        brands[folder.name] = {
            "examples": examples,
            "texts": texts,
            "y": np.array([it["label"] == "on_brand" for it in items]),
            "kind": np.array([it.get("kind", "on") for it in items]),
            "rule": np.array([it.get("rule", "") for it in items]),
            "train_emb": _train_embeddings(examples),
            "emb": embed_cached(voice_model._as_meant(texts)),
        }
    return brands


def _smallest_offset(flagged: Any, grid: Any) -> float:
    """The smallest prior of ``grid`` at which ``flagged(offset)`` (a mean over brands) is within 10%."""
    return float(next((o for o in grid if flagged(o) <= MAX_FLAGGED), grid[-1]))


def _variant_logits(brands: dict[str, dict[str, Any]], variant: Any) -> dict[str, Any]:
    """Each brand's dev logits (no global prior; the variant's own per-brand prior added)."""
    from brandrail.voice import model as voice_model

    saved = voice_model._ON_BRAND_OFFSET
    voice_model._ON_BRAND_OFFSET = 0.0
    out: dict[str, Any] = {}
    try:
        with variant.patch() if variant is not None and variant.patch else contextlib.nullcontext():
            for name, b in brands.items():
                examples, train_emb = b["examples"], b["train_emb"]
                if variant is not None and variant.examples is not None:
                    examples = variant.examples(examples)
                    train_emb = _train_embeddings(examples)
                model = voice_model.VoiceModel(examples, embeddings=train_emb)
                p = np.clip(model.probabilities(b["texts"], b["emb"]), 1e-9, 1 - 1e-9)
                extra = variant.offset(model) if variant is not None and variant.offset else 0.0
                out[name] = np.log(p / (1 - p)) + extra
    finally:
        voice_model._ON_BRAND_OFFSET = saved
    return out


def _paired_interval(
    brands: dict[str, dict[str, Any]], base: dict[str, Any], other: dict[str, Any], resamples: int = 2000
) -> dict[str, list[float]]:
    """95% paired bootstrap intervals of (other - base): mean AUC over brands and each flag rate at 0.5."""
    rng = np.random.default_rng(0)
    keys = ("auc", "on_brand_flagged", "never_passed", "other_off_passed")
    draws: dict[str, list[float]] = {k: [] for k in keys}
    for _ in range(resamples):
        diffs: dict[str, list[float]] = {k: [] for k in keys}
        for name, b in brands.items():
            y = b["y"]
            pick = np.r_[
                rng.choice(np.flatnonzero(y), int(y.sum())), rng.choice(np.flatnonzero(~y), int((~y).sum()))
            ]
            fa = _figures(base[name][pick], y[pick], b["kind"][pick])
            fb = _figures(other[name][pick], y[pick], b["kind"][pick])
            for k in keys:
                diffs[k].append(fb[k] - fa[k])
        for k in keys:
            draws[k].append(float(np.nanmean(diffs[k])))
    return {
        k: [round(float(np.percentile(v, 2.5)), 4), round(float(np.percentile(v, 97.5)), 4)]
        for k, v in draws.items()
    }


def _brand_interval(logit: Any, y: Any, kind: Any, resamples: int = 2000) -> dict[str, list[float]]:
    """95% bootstrap intervals of one brand's figures (on-brand and off-brand messages resampled apart)."""
    rng = np.random.default_rng(0)
    keys = ("auc", "on_brand_flagged", "never_passed", "other_off_passed")
    draws: dict[str, list[float]] = {k: [] for k in keys}
    on, off = np.flatnonzero(y), np.flatnonzero(~y)
    for _ in range(resamples):
        pick = np.r_[rng.choice(on, len(on)), rng.choice(off, len(off))]
        f = _figures(logit[pick], y[pick], kind[pick])
        for k in keys:
            draws[k].append(f[k])
    return {
        k: [round(float(np.nanpercentile(v, 2.5)), 3), round(float(np.nanpercentile(v, 97.5)), 3)]
        for k, v in draws.items()
    }


def variants_main(names: list[str], confirm: list[str] | None = None) -> None:
    """Each variant of bench/voice_variants.py against the shipped model, prior chosen leave-one-brand-out."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from voice_variants import VARIANTS  # type: ignore[import-not-found]

    unknown = [n for n in names if n not in VARIANTS and n != "shipped"]
    if unknown:
        print(
            f"bench_voice_lobo.py: unknown variant(s) {', '.join(unknown)}; known: {', '.join(VARIANTS)}",
            file=sys.stderr,
        )
        raise SystemExit(2)
    known = sorted(p.name for p, _ in _brand_folders())
    missing = [n for n in confirm or [] if n not in known]
    if missing or (confirm is not None and not 0 < len(set(confirm)) < len(known)):
        print(
            f"bench_voice_lobo.py: --confirm needs one or more development brands, not all of them; "
            f"unknown: {', '.join(missing) or 'none'}; known: {', '.join(known)}",
            file=sys.stderr,
        )
        raise SystemExit(2)
    brands = _load_brands()
    keys = ("auc", "on_brand_flagged", "never_passed", "other_off_passed")
    results: dict[str, Any] = {}
    shipped: dict[str, Any] = {}
    measured = list(dict.fromkeys(confirm)) if confirm else list(brands)
    for name in ["shipped", *(n for n in (names or list(VARIANTS)) if n != "shipped")]:
        variant = None if name == "shipped" else VARIANTS[name]
        logits = _variant_logits(brands, variant)
        grid = tuple(np.arange(-1.0 if variant is not None and variant.signed_offset else 0.0, 1.501, 0.125))
        held_out: dict[str, Any] = {}
        for held in measured:
            # confirmation: the prior comes from the other development brands only, never the confirmed ones
            rest = [n for n in brands if n not in measured] if confirm else [n for n in brands if n != held]
            offset = _smallest_offset(
                lambda o, rest=rest, logits=logits: np.mean(
                    [
                        _figures(logits[n] + o, brands[n]["y"], brands[n]["kind"])["on_brand_flagged"]
                        for n in rest
                    ]
                ),
                grid,
            )
            held_out[held] = logits[held] + offset
            b = brands[held]
            held_out[held + ":figures"] = _figures(held_out[held], b["y"], b["kind"]) | {"offset": offset}
        per_brand = {n: held_out[n + ":figures"] for n in measured}
        row: dict[str, Any] = {
            "about": "the shipped model" if variant is None else variant.about,
            "mean": {k: round(float(np.mean([f[k] for f in per_brand.values()])), 3) for k in keys},
            "per_brand": {
                n: {k: round(float(v), 3) for k, v in f.items()}
                | {"interval_95": _brand_interval(held_out[n], brands[n]["y"], brands[n]["kind"])}
                for n, f in per_brand.items()
            },
        }
        subset = {n: brands[n] for n in measured}
        if variant is None:
            shipped = {n: held_out[n] for n in measured}
        else:
            row["minus_shipped_95"] = _paired_interval(subset, shipped, {n: held_out[n] for n in measured})
        results[name] = row
        print(name, json.dumps({k: v for k, v in row.items() if k != "per_brand"}), flush=True)
        for n, f in row["per_brand"].items():
            print("   ", n, json.dumps(f), flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    out_name = "voice-confirm.json" if confirm else "voice-lobo-variants.json"
    (OUT / out_name).write_text(json.dumps(results, indent=2), encoding="utf-8")


#: Words below which a message counts as short (subject lines, push, SMS, buttons).
SHORT_WORDS = 12


def _final_inputs(brands: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each brand's final-fit inputs: the examples' leave-one-out features and the development messages'
    features (the shipped views and similarities), with word counts; the final fit is redone from these."""
    from brandrail.voice import model as voice_model

    out: dict[str, dict[str, Any]] = {}
    own = [c for c in voice_model.FEATURE_SETS["both"] if voice_model.FEATURE_NAMES[c] != "practice"]
    for name, b in brands.items():
        model = voice_model.VoiceModel(b["examples"], embeddings=b["train_emb"])
        ex = b["examples"]
        train_texts = [*ex.on_brand, *ex.off_brand, *(t for r in ex.never for t in r.examples)]
        n_on = len(ex.on_brand)
        centre = b["train_emb"][: len(train_texts)].mean(axis=0)
        out[name] = {
            "e_train": np.asarray(b["train_emb"][: len(train_texts)] - centre, dtype=np.float64),
            "e_dev": np.asarray(b["emb"] - centre, dtype=np.float64),
            # the per-brand features only: the practice view (fitted on these very brands) is refitted per fold
            "x_train": np.asarray(model.training_features[:, own], dtype=np.float64),
            "y_train": np.array([1] * n_on + [0] * (len(train_texts) - n_on)),
            "words_train": np.array([len(t.split()) for t in train_texts]),
            "x_dev": np.asarray(model._features(b["texts"], b["emb"]), dtype=np.float64)[:, own],
            "words_dev": np.array([len(t.split()) for t in b["texts"]]),
            # tone vectors with the brand's examples' mean removed, for the cross-brand tone view
            **_centred_tone(train_texts, b["texts"]),
        } | _rule_inputs(b, centre, len(train_texts))
    return out


def _centred_tone(train_texts: list[str], texts: list[str]) -> dict[str, Any]:
    """The tone matrices (BR502's tone view) of a brand's examples and messages, minus the examples' mean."""
    from brandrail.voice.model import tone_matrix

    train = tone_matrix(train_texts).astype(np.float64)
    centre = train.mean(axis=0)
    return {"t_train": train - centre, "t_dev": tone_matrix(texts).astype(np.float64) - centre}


_TONE_GLOBAL: dict[tuple[tuple[str, ...], float], Any] = {}


def _tone_global_view(train: tuple[str, ...], l2: float, f: dict[str, Any]) -> Any:
    """(mean, scale, weights) of one logistic regression (balanced classes) on brand-centred, standardised
    tone vectors, fitted on the ``train`` brands' examples and development messages pooled: the tone
    counterpart of the ``practice`` view."""
    from brandrail.voice.model import _fit_logistic

    key = (tuple(sorted(train)), l2)
    if key not in _TONE_GLOBAL:
        x = np.vstack([np.vstack([f[n]["t_train"], f[n]["t_dev"]]) for n in train])
        y = np.concatenate([np.r_[f[n]["y_train"], f[n]["y_dev"].astype(int)] for n in train])
        mean, std = x.mean(axis=0), x.std(axis=0)
        scale = np.where(std > 1e-9, std, 1.0)
        w, _ = _fit_logistic((x - mean) / scale, y, l2=l2)
        _TONE_GLOBAL[key] = (mean, scale, w)
    return _TONE_GLOBAL[key]


def _rule_inputs(b: dict[str, Any], centre: Any, n_train: int) -> dict[str, Any]:
    """What the ``rule_pairs`` lever needs of a brand: unit rows of its messages and of each "never" rule's
    examples and sentence (brand mean removed), which rule each example illustrates, which rule each
    development message breaks."""
    from brandrail.voice.model import _unit_rows
    from brandrail.voice.never_cues import active_families, cue_hits

    ex = b["examples"]
    families = active_families([(r.rule, r.examples) for r in ex.never])
    train_texts = [*ex.on_brand, *ex.off_brand, *(t for r in ex.never for t in r.examples)]
    emb = np.asarray(b["train_emb"], dtype=np.float64)
    n_on, n_off = len(ex.on_brand), len(ex.off_brand)
    unit = _unit_rows(emb - centre).astype(np.float64)
    rules, owner = [], np.full(n_train, -1)
    start = n_on + n_off
    for r, rule in enumerate(ex.never):
        rows = list(range(start, start + len(rule.examples)))
        owner[rows] = r
        rules.append((np.vstack([unit[rows], unit[n_train + r : n_train + r + 1]]), rows))
        start += len(rule.examples)
    return {
        "u_train": unit[:n_train],
        "u_dev": _unit_rows(np.asarray(b["emb"], dtype=np.float64) - centre).astype(np.float64),
        "rules": rules,
        "rule_ids": [rule.id for rule in ex.never],
        "owner_train": owner,
        "rule_dev": b["rule"],
        "cues_train": np.array([cue_hits(t, families) for t in train_texts], dtype=np.float64),
        "cues_dev": np.array([cue_hits(t, families) for t in b["texts"]], dtype=np.float64),
        "families": [fam.name for fam in families],
    }


def _rule_directions(f: dict[str, Any], skip: int | None = None) -> Any:
    """Each rule's direction: the unit mean of its examples' and sentence's unit rows (``skip``, a training
    row, left out of its own rule)."""
    out = []
    for rows, idx in f["rules"]:
        keep = [k for k, i in enumerate(idx) if i != skip] + [len(idx)]
        m = rows[keep].mean(axis=0)
        out.append(m / max(float(np.linalg.norm(m)), 1e-9))
    return np.vstack(out) if out else np.zeros((0, f["u_dev"].shape[1]))


_RULE_W: dict[tuple[tuple[str, ...], float, str], Any] = {}


def _rule_pair_weights(train: tuple[str, ...], l2: float, f: dict[str, Any], form: str) -> Any:
    """A rule matcher learned across brands: a logistic regression on the elementwise product of a message's
    unit row and a rule's direction (a weighted cosine), positives the development messages that break that
    rule, negatives the brand's on-brand development messages (and, with ``form`` "all", the messages that
    break another rule or are off-brand otherwise)."""
    from brandrail.voice.model import _fit_logistic

    key = (tuple(sorted(train)), l2, form)
    if key not in _RULE_W:
        xs, ys = [], []
        for n in train:
            d = _rule_directions(f[n])
            for r, rid in enumerate(f[n]["rule_ids"]):
                pos = f[n]["rule_dev"] == rid
                neg = f[n]["y_dev"].astype(bool) if form == "on" else ~pos
                take = pos | neg
                xs.append(f[n]["u_dev"][take] * d[r])
                ys.append(pos[take].astype(int))
        x, y = np.vstack(xs), np.concatenate(ys)
        w, b = _fit_logistic(x, y, l2=l2)
        _RULE_W[key] = (w, b)
    return _RULE_W[key]


def _rule_pair_feature(f: dict[str, Any], w: Any, *, train: bool) -> Any:
    """Minus the highest learned rule-match logit over the brand's rules (higher = more on-brand); a training
    example that illustrates a rule is matched against that rule without itself."""
    if not f["rules"]:
        n = len(f["u_train"] if train else f["u_dev"])
        return np.zeros(n)
    if not train:
        return -(f["u_dev"] @ (_rule_directions(f) * w).T).max(axis=1)
    d = _rule_directions(f)
    out = -(f["u_train"] @ (d * w).T).max(axis=1)
    for i in np.flatnonzero(f["owner_train"] >= 0):
        out[i] = -(f["u_train"][i] @ (_rule_directions(f, skip=int(i)) * w).T).max()
    return out


def _fit_towards(
    z: Any, y: Any, l2: float, prior: Any, *, non_negative: bool = True, weight: Any = None
) -> tuple[Any, float]:
    """Balanced logistic regression on standardised ``z`` with weights shrunk towards ``prior`` (L2 ``l2``);
    ``non_negative`` drops the most negative weight and refits until none is negative."""
    active = list(range(z.shape[1]))
    n = len(y)
    pos, neg = max(int(y.sum()), 1), max(n - int(y.sum()), 1)
    sw = np.where(y == 1, n / (2.0 * pos), n / (2.0 * neg)) * (1.0 if weight is None else weight)
    while True:
        d = len(active)
        design = np.hstack([z[:, active], np.ones((n, 1))])
        centre = np.r_[np.asarray(prior, dtype=np.float64)[active], 0.0]
        pen = np.r_[np.full(d, l2), 0.0]
        beta = centre.copy()
        for _ in range(60):
            p = 1.0 / (1.0 + np.exp(-(design @ beta)))
            grad = design.T @ (sw * (p - y)) + pen * (beta - centre)
            hess = (design * (sw * p * (1 - p))[:, None]).T @ design + np.diag(pen + 1e-9)
            step = np.linalg.solve(hess, grad)
            beta -= step
            if float(np.abs(step).max()) < 1e-10:
                break
        w = beta[:-1]
        if not non_negative or not active or w.min() >= 0:
            full = np.zeros(z.shape[1])
            full[active] = w
            return full, float(beta[-1])
        active.pop(int(np.argmin(w)))


def _standardise(f: dict[str, Any]) -> tuple[Any, Any]:
    mean = f["x_train"].mean(axis=0)
    std = f["x_train"].std(axis=0)
    scale = np.where(std > 1e-6, std, 1.0)
    return (f["x_train"] - mean) / scale, (f["x_dev"] - mean) / scale


def _lever_logits(lever: str, hp: float, train: list[str], target: str, f: dict[str, Any]) -> Any:
    """The target brand's development logits under ``lever`` with setting ``hp``; ``train`` are the brands
    whose data a brand-independent part may learn from (never the target)."""
    zt, zd = _standardise(f[target])
    yt = f[target]["y_train"]
    k = zt.shape[1]
    if lever == "own":  # the shipped final fit (hp: its L2)
        w, b = _fit_towards(zt, yt, hp, np.zeros(k))
        return zd @ w + b
    if lever in ("prior_own", "prior_pooled"):
        if lever == "prior_own":  # mean of the other brands' own final weights
            prior = np.mean(
                [_fit_towards(_standardise(f[n])[0], f[n]["y_train"], 3.0, np.zeros(k))[0] for n in train],
                axis=0,
            )
        else:  # one fit on the other brands' development messages (what unseen copy looks like)
            prior, _ = _pooled(train, f)
        w, b = _fit_towards(zt, yt, hp, prior)
        return zd @ w + b
    if lever == "pooled":  # weights and intercept from the other brands' development messages only
        w, b = _pooled(train, f, l2=hp)
        return zd @ w + b
    if lever == "pooled_own_intercept":  # pooled weights, the brand's own intercept from its examples
        w, _ = _pooled(train, f, l2=hp)
        _, b = _fit_towards(zt, yt, 1e9, w, non_negative=False)
        return zd @ w + b
    # 6th feature: one view fitted across brands
    if lever in ("global_view", "global_view_prior", "practice"):
        g = _global_view(tuple(train), hp, f)
        xt = np.column_stack([f[target]["x_train"], f[target]["e_train"] @ g])
        xd = np.column_stack([f[target]["x_dev"], f[target]["e_dev"] @ g])
        mean, std = xt.mean(axis=0), xt.std(axis=0)
        scale = np.where(std > 1e-6, std, 1.0)
        w, b = _fit_towards((xt - mean) / scale, yt, 3.0, np.zeros(k + 1))
        return (xd - mean) / scale @ w + b
    if lever.startswith("rule_pairs"):  # 7th feature: a rule matcher learned across brands (hp: its L2)
        g = _global_view(tuple(train), 0.3, f)
        w, _ = _rule_pair_weights(tuple(train), hp, f, "all" if lever.endswith("_all") else "on")
        xt = np.column_stack(
            [f[target]["x_train"], f[target]["e_train"] @ g, _rule_pair_feature(f[target], w, train=True)]
        )
        xd = np.column_stack(
            [f[target]["x_dev"], f[target]["e_dev"] @ g, _rule_pair_feature(f[target], w, train=False)]
        )
        mean, std = xt.mean(axis=0), xt.std(axis=0)
        scale = np.where(std > 1e-6, std, 1.0)
        w7, b7 = _fit_towards((xt - mean) / scale, yt, 3.0, np.zeros(k + 2))
        return (xd - mean) / scale @ w7 + b7
    if lever in ("cues_fit", "cues_fixed"):  # never-rule cues: 7th feature, or a fixed penalty (hp)
        g = _global_view(tuple(train), 0.3, f)
        xt = np.column_stack([f[target]["x_train"], f[target]["e_train"] @ g])
        xd = np.column_stack([f[target]["x_dev"], f[target]["e_dev"] @ g])
        if lever == "cues_fit":
            xt = np.column_stack([xt, -f[target]["cues_train"]])
            xd = np.column_stack([xd, -f[target]["cues_dev"]])
        mean, std = xt.mean(axis=0), xt.std(axis=0)
        scale = np.where(std > 1e-6, std, 1.0)
        wc, bc = _fit_towards((xt - mean) / scale, yt, 3.0, np.zeros(xt.shape[1]))
        out = (xd - mean) / scale @ wc + bc
        return out - hp * f[target]["cues_dev"] if lever == "cues_fixed" else out
    if lever == "practice_tone":  # a 7th feature: the cross-brand tone view (hp: its L2); cues as shipped
        g = _global_view(tuple(train), 0.3, f)
        mean_t, scale_t, wt = _tone_global_view(tuple(train), hp, f)
        xt = np.column_stack(
            [f[target]["x_train"], f[target]["e_train"] @ g, (f[target]["t_train"] - mean_t) / scale_t @ wt]
        )
        xd = np.column_stack(
            [f[target]["x_dev"], f[target]["e_dev"] @ g, (f[target]["t_dev"] - mean_t) / scale_t @ wt]
        )
        mean, std = xt.mean(axis=0), xt.std(axis=0)
        scale = np.where(std > 1e-6, std, 1.0)
        wp, bp = _fit_towards((xt - mean) / scale, yt, 3.0, np.zeros(xt.shape[1]))
        return (xd - mean) / scale @ wp + bp - 2.0 * f[target]["cues_dev"]
    if lever == "short_damp_tone":  # the tone view's logit scaled by min(1, words / hp) on both sides
        zt2, zd2 = zt.copy(), zd.copy()
        zt2[:, 1] *= np.minimum(1.0, f[target]["words_train"] / hp)
        zd2[:, 1] *= np.minimum(1.0, f[target]["words_dev"] / hp)
        w, b = _fit_towards(zt2, yt, 3.0, np.zeros(k))
        return zd2 @ w + b
    raise ValueError(lever)


_GLOBAL: dict[tuple[tuple[str, ...], float], Any] = {}


def _global_view(train: tuple[str, ...], l2: float, f: dict[str, Any]) -> Any:
    """Weights of one ridge logistic regression (balanced classes) on brand-centred embeddings, fitted on the
    ``train`` brands' examples and development messages pooled: the model's ``practice`` view."""
    from brandrail.voice.model import _fit_logistic

    key = (tuple(sorted(train)), l2)
    if key not in _GLOBAL:
        z = np.vstack([np.vstack([f[n]["e_train"], f[n]["e_dev"]]) for n in train])
        y = np.concatenate([np.r_[f[n]["y_train"], f[n]["y_dev"].astype(int)] for n in train])
        _GLOBAL[key], _ = _fit_logistic(z, y, l2=l2)
    return _GLOBAL[key]


def _pooled(train: list[str], f: dict[str, Any], l2: float = 1.0) -> tuple[Any, float]:
    zs, ys, ws = [], [], []
    for n in train:
        _, zd = _standardise(f[n])
        y = f[n]["y_dev"].astype(int)
        zs.append(zd)
        ys.append(y)
        ws.append(np.full(len(y), 1.0 / len(y)) * len(y))
    z, y = np.vstack(zs), np.concatenate(ys)
    return _fit_towards(z, y, l2, np.zeros(z.shape[1]))


LEVERS: dict[str, tuple[float, ...]] = {
    "own": (3.0,),
    "prior_own": (3.0, 10.0, 30.0, 100.0),
    "prior_pooled": (3.0, 10.0, 30.0, 100.0),
    "pooled": (1.0, 10.0, 100.0),
    "pooled_own_intercept": (1.0, 10.0, 100.0),
    "short_damp_tone": (6.0, 12.0, 20.0),
    "global_view": (0.3, 1.0, 3.0),
    "practice": (0.3,),
    "rule_pairs": (3.0,),
    "rule_pairs_all": (3.0,),
    "cues_fit": (0.0,),
    "cues_fixed": (0.5, 1.0, 2.0),
    "practice_tone": (0.1, 1.0, 10.0),
}


def levers_main(names: list[str], base_lever: str = "own") -> None:
    """Final-fit levers by nested leave-one-brand-out: each lever's setting and the global prior towards
    on-brand are chosen on the other brands' out-of-sample logits, then measured on the held-out brand;
    each against ``base_lever`` (measured first) with a paired interval."""
    brands = _load_brands()
    f = _final_inputs(brands)
    for n, b in brands.items():
        f[n]["y_dev"] = b["y"]
    keys = ("auc", "on_brand_flagged", "never_passed", "other_off_passed")
    grid = tuple(np.arange(-1.0, 1.501, 0.125))
    results: dict[str, Any] = {}
    base: dict[str, Any] = {}
    for lever in [base_lever, *(n for n in names if n != base_lever)]:
        held_out: dict[str, Any] = {}
        chosen: dict[str, Any] = {}
        for held in brands:
            rest = [n for n in brands if n != held]
            inner = {
                hp: {r: _lever_logits(lever, hp, [n for n in rest if n != r], r, f) for r in rest}
                for hp in LEVERS[lever]
            }
            hp = max(
                LEVERS[lever],
                key=lambda h: float(
                    np.mean([_figures(inner[h][r], brands[r]["y"], brands[r]["kind"])["auc"] for r in rest])
                ),
            )
            offset = _smallest_offset(
                lambda o, scores=inner[hp], rest=rest: np.mean(
                    [
                        _figures(scores[r] + o, brands[r]["y"], brands[r]["kind"])["on_brand_flagged"]
                        for r in rest
                    ]
                ),
                tuple(g for g in grid if lever.startswith("pooled") or g >= 0),
            )
            held_out[held] = _lever_logits(lever, hp, rest, held, f) + offset
            chosen[held] = [hp, offset]
        figs = {n: _figures(held_out[n], brands[n]["y"], brands[n]["kind"]) for n in brands}
        # the setting to ship: the most chosen one, and the prior chosen on every brand's out-of-sample logits
        settings = [c[0] for c in chosen.values()]
        ship_hp = max(set(settings), key=settings.count)
        every = {n: _lever_logits(lever, ship_hp, [m for m in brands if m != n], n, f) for n in brands}
        ship_offset = _smallest_offset(
            lambda o, every=every: np.mean(
                [
                    _figures(every[n] + o, brands[n]["y"], brands[n]["kind"])["on_brand_flagged"]
                    for n in brands
                ]
            ),
            tuple(g for g in grid if lever.startswith("pooled") or g >= 0),
        )
        short = {n: (f[n]["words_dev"] < SHORT_WORDS) & brands[n]["y"] for n in brands}
        longm = {n: (f[n]["words_dev"] >= SHORT_WORDS) & brands[n]["y"] for n in brands}
        row: dict[str, Any] = {
            "mean": {k: round(float(np.mean([v[k] for v in figs.values()])), 3) for k in keys},
            "short_on_brand_flagged": [
                int(sum((held_out[n][short[n]] < 0).sum() for n in brands)),
                int(sum(short[n].sum() for n in brands)),
            ],
            "long_on_brand_flagged": [
                int(sum((held_out[n][longm[n]] < 0).sum() for n in brands)),
                int(sum(longm[n].sum() for n in brands)),
            ],
            "chosen": chosen,
            "to_ship": {"setting": ship_hp, "offset": ship_offset},
            "per_brand": {n: {k: round(float(v), 3) for k, v in fg.items()} for n, fg in figs.items()},
        }
        if lever == base_lever:
            base = held_out
        else:
            row[f"minus_{base_lever}_95"] = _paired_interval(brands, base, held_out)
        results[lever] = row
        print(
            lever, json.dumps({k: v for k, v in row.items() if k not in ("per_brand", "chosen")}), flush=True
        )
        print("   ", json.dumps({n: v["auc"] for n, v in row["per_brand"].items()}), flush=True)
        print("   ", json.dumps({n: v["on_brand_flagged"] for n, v in row["per_brand"].items()}), flush=True)
        print("    chosen", json.dumps(chosen), "to ship", json.dumps(row["to_ship"]), flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "voice-lobo-levers.json").write_text(json.dumps(results, indent=2), encoding="utf-8")


def practice_fit(l2: float) -> tuple[dict[str, dict[str, Any]], Any]:
    """The development brands (as loaded) and the practice view's weights fitted on all of them at ``l2``."""
    brands = _load_brands()
    f = _final_inputs(brands)
    for n, b in brands.items():
        f[n]["y_dev"] = b["y"]
    return brands, _global_view(tuple(brands), l2, f)


def fit_practice_main(l2: float) -> None:
    """Fit the ``practice`` view on every development brand (the twelve and the fifth round's three: run with
    ``--with-heldout``) and write src/brandrail/voice/data/voice_practice.json."""
    from brandrail.voice import model as voice_model
    from brandrail.voice.embed import get_embedder

    brands, weights = practice_fit(l2)
    f = _final_inputs(brands)
    data = {
        "about": "BR502 practice view: ridge logistic regression on brand-centred embeddings, fitted by "
        "bench/bench_voice_lobo.py --with-heldout --fit-practice on development brands only",
        "model": get_embedder(False).model_id,
        "l2": l2,
        "brands": sorted(brands),
        "messages": int(sum(len(f[n]["y_train"]) + len(brands[n]["y"]) for n in brands)),
        "weights": [round(float(w), 8) for w in weights],
    }
    voice_model.PRACTICE_FILE.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {voice_model.PRACTICE_FILE} ({len(brands)} brands, {data['messages']} messages, L2 {l2:g})")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--variants", nargs="*", metavar="NAME", help="measure these variants (all when none is named)"
    )
    parser.add_argument(
        "--confirm",
        nargs="+",
        metavar="BRAND",
        help="with --variants: measure only these development brands, the prior chosen on the others",
    )
    parser.add_argument(
        "--with-heldout",
        action="store_true",
        help="also the fifth round's held-out brands (tests/data/voice/heldout_brands, their test.yaml)",
    )
    parser.add_argument(
        "--levers", nargs="*", metavar="NAME", help="final-fit levers by nested leave-one-brand-out"
    )
    parser.add_argument(
        "--base",
        default="own",
        metavar="LEVER",
        help="with --levers: the lever the others are compared with (default: own, the model before the "
        "practice view; practice: the shipped model)",
    )
    parser.add_argument(
        "--fit-practice",
        type=float,
        metavar="L2",
        help="fit the practice view on every development brand at this L2 (with --with-heldout) and write "
        "src/brandrail/voice/data/voice_practice.json",
    )
    args = parser.parse_args()
    SETTINGS["with_heldout"] = args.with_heldout
    if args.fit_practice is not None:
        if not args.with_heldout:
            parser.error(
                "--fit-practice needs --with-heldout (the view is fitted on every development brand)"
            )
        fit_practice_main(args.fit_practice)
        return
    if args.levers is not None:
        if args.base not in LEVERS:
            parser.error(f"--base must be one of {', '.join(LEVERS)}, not {args.base!r}")
        levers_main(args.levers or list(LEVERS), args.base)
        return
    if args.confirm is not None and args.variants is None:
        parser.error("--confirm needs --variants")
    if args.variants is not None:
        variants_main(args.variants, args.confirm)
        return
    from brandrail.voice import model as voice_model

    brands = _load_brands()
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
