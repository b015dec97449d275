"""Benchmark the voice pillar: tone-profile throughput, embedding throughput, model load, memory, quality.

Run: .venv/bin/python bench/bench_voice.py [--quick] [--no-model]
     .venv/bin/python bench/bench_voice.py --voice-model [--quick]   (issue 16: brands, engines, cold start)
     .venv/bin/python bench/bench_voice.py --voice-model --brands-only   (only the quality figures)
     .venv/bin/python bench/bench_voice.py --heldout-brands   (the fifth round's held-out brands and clean copy)
    .venv/bin/python bench/bench_voice.py --dev-brands ternway aubertine   (named development brands)
     .venv/bin/python bench/bench_voice.py --compare-engine /tmp/base   (this encoder vs another tree's)
     .venv/bin/python bench/bench_voice.py --engine-profile   (where the fp32 engine's time goes; a roofline)
Writes bench/out/voice.json and prints a Markdown summary (copied into bench/results/voice.md).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "voice" / "messages.yaml"
OUT = ROOT / "bench" / "out"


def _messages() -> dict[str, dict[str, list[dict[str, Any]]]]:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def _flat(sets: dict[str, Any]) -> list[dict[str, Any]]:
    return [it for brand in sets.values() for group in brand.values() for it in group]


def _fifty_word_messages(texts: list[str], n: int) -> list[str]:
    """Messages of about 50 words, made by joining the labelled messages in rotation (all distinct)."""
    out: list[str] = []
    i = 0
    while len(out) < n:
        words: list[str] = []
        while len(words) < 50:
            words.extend(texts[i % len(texts)].split())
            i += 1
        out.append(" ".join(words[:50]) + f" ({len(out)})")
    return out


def bench_tone(texts: list[str], repeats: int) -> dict[str, Any]:
    from brandrail.voice.tone import profile_text

    for t in texts[:50]:
        profile_text(t)  # warm the VADER lexicon, pyphen dictionary and regex caches
    cpu_rates, wall_rates = [], []
    for r in range(repeats):
        batch = [f"{t} #{r}" for t in texts]
        w0, c0 = time.perf_counter(), time.process_time()
        for t in batch:
            profile_text(t)
        c1, w1 = time.process_time(), time.perf_counter()
        cpu_rates.append(len(batch) / (c1 - c0))
        wall_rates.append(len(batch) / (w1 - w0))
    words = statistics.mean(len(t.split()) for t in texts)
    return {
        "messages": len(texts),
        "mean_words": round(words, 1),
        "repeats": repeats,
        "per_cpu_second_median": round(statistics.median(cpu_rates)),
        "wall_median": round(statistics.median(wall_rates)),
    }


def bench_load() -> dict[str, Any]:
    code = (
        "import time, resource, json; t0=time.perf_counter();"
        "import torch, sentence_transformers; t1=time.perf_counter();"
        "from brandrail.voice.embed import get_embedder; e=get_embedder(); t2=time.perf_counter();"
        "e.embed(['warm up']); "
        "print(json.dumps({'import_s': t1-t0, 'load_s': e.load_seconds, 'total_s': t2-t0,"
        "'max_rss_mib': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024}))"
    )
    runs = []
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
        )
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {k: round(statistics.median(r[k] for r in runs), 2) for k in runs[0]}


def bench_embed(texts: list[str], rounds: int) -> dict[str, Any]:
    """Messages/s of each variant, by wall clock and per CPU-second of this process.

    The machine is shared, so the variants are interleaved round by round (each round runs every variant once)
    and both the median and the best round are reported; the best round is the least-disturbed estimate.
    """
    import numpy as np
    import torch

    from brandrail.voice.embed import get_torch_embedder

    emb = get_torch_embedder()
    model = emb.model
    threads = torch.get_num_threads()
    quantized = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)

    def as_it_comes() -> Any:
        model.max_seq_length = 256
        torch.set_num_threads(threads)
        return model.encode(texts, batch_size=32, show_progress_bar=False)

    def tuned(seq: int = 128, n_threads: int = threads) -> Any:
        model.max_seq_length = seq
        torch.set_num_threads(n_threads)
        return emb.embed(texts)

    def int8() -> Any:
        model.max_seq_length = 128
        torch.set_num_threads(threads)
        with torch.inference_mode():
            return quantized.encode(texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False)

    variants: dict[str, Any] = {
        "as_it_comes": as_it_comes,
        "tuned_batch64_seq128_inference_mode": tuned,
        "tuned_1_thread": lambda: tuned(128, 1),
        "tuned_seq64": lambda: tuned(64),
        "int8_dynamic_quantized": int8,
    }
    wall: dict[str, list[float]] = {k: [] for k in variants}
    cpu: dict[str, list[float]] = {k: [] for k in variants}
    for r in range(rounds):
        for name, fn in variants.items():
            w0, c0 = time.perf_counter(), time.process_time()
            fn()
            c1, w1 = time.process_time(), time.perf_counter()
            wall[name].append(len(texts) / (w1 - w0))
            cpu[name].append(len(texts) / (c1 - c0))
        print(
            f"  embed round {r + 1}: " + ", ".join(f"{k} {wall[k][-1]:.0f}/s" for k in variants), flush=True
        )
    out: dict[str, Any] = {"messages": len(texts), "rounds": rounds, "torch_threads_default": threads}
    for name in variants:
        out[name] = {
            "wall_median": round(statistics.median(wall[name]), 1),
            "wall_best": round(max(wall[name]), 1),
            "per_cpu_second_median": round(statistics.median(cpu[name]), 1),
            "per_cpu_second_best": round(max(cpu[name]), 1),
        }
    reference = tuned()[:64]
    out["seq64_cosine_to_seq128_min"] = round(float(np.min(np.sum(tuned(64)[:64] * reference, axis=1))), 4)
    q = np.asarray(int8()[:64])
    out["int8_cosine_to_fp32_min"] = round(float(np.min(np.sum(q * reference, axis=1))), 4)
    model.max_seq_length = 128
    torch.set_num_threads(threads)
    return out


def bench_check(texts: list[str], int8: bool = False) -> dict[str, Any]:
    """End to end BR502: prefetch (one batch) then check each document (classifier + tone + evidence)."""
    from brandrail.policy import load_policy
    from brandrail.text.document import Document
    from brandrail.voice.rules import _PREFETCHED, OffBrandVoice

    demo = ROOT / "src" / "brandrail" / "demo" / "data" / "fernhill" / "brandrail.yaml"
    if int8:
        wrapper = OUT / "int8-policy.yaml"
        wrapper.write_text(f"extends: [{demo}]\nvoice: {{similarity: {{int8: true}}}}\n", encoding="utf-8")
        policy = load_policy(wrapper)
    else:
        policy = load_policy(demo)
    rule = OffBrandVoice()
    rule.check(Document("warm up"), policy)
    list(rule.check(Document("warm up"), policy))
    _PREFETCHED.clear()
    docs = [Document(t) for t in texts]
    t0 = time.perf_counter()
    rule.prefetch(docs, policy)
    t1 = time.perf_counter()
    flagged = sum(1 for d in docs for _ in rule.check(d, policy))
    t2 = time.perf_counter()
    return {
        "int8": int8,
        "messages": len(docs),
        "prefetch_s": round(t1 - t0, 2),
        "score_s": round(t2 - t1, 2),
        "messages_per_s": round(len(docs) / (t2 - t0), 1),
        "flagged": flagged,
    }


def bench_quality(sets: dict[str, Any], with_model: bool) -> dict[str, Any]:
    from scipy.stats import spearmanr

    from brandrail.voice.model import evaluate
    from brandrail.voice.tone import profile_text

    out: dict[str, Any] = {"classifier": {}, "agreement": {}}
    for brand, groups in sets.items():
        on = [it["text"] for it in groups["on_brand"]]
        off = [it["text"] for it in groups["off_brand"]]
        for use in ("both", "embedding", "tone") if with_model else ("tone",):
            report = evaluate(on, off, folds=5, use=use)
            out["classifier"][f"{brand}/{use}"] = {
                k: report[k] for k in ("n_on_brand", "n_off_brand", "accuracy", "auc", "brier", "calibrated")
            } | {"calibration": report["calibration"]}
    if with_model:
        from brandrail.voice.model import Examples, VoiceModel

        out["cross_brand"] = {}
        brands = list(sets)
        for a in brands:
            model = VoiceModel(
                Examples(
                    tuple(it["text"] for it in sets[a]["on_brand"]),
                    tuple(it["text"] for it in sets[a]["off_brand"]),
                )
            )
            for b in brands:
                if a == b:
                    continue
                texts = [it["text"] for it in sets[b]["on_brand"]]
                scores = [s.probability for s in model.score(texts)]
                # share of brand b's on-brand messages that brand a's model wrongly calls on-brand
                out["cross_brand"][f"{a}_model_on_{b}_on_brand"] = round(
                    sum(p >= 0.5 for p in scores) / len(scores), 3
                )
    items = _flat(sets)
    profiles = [profile_text(it["text"]) for it in items]
    for k, dim in enumerate(("formality", "warmth", "urgency", "excitement")):
        rho = spearmanr([it["r"][k] for it in items], [p.values[dim] for p in profiles]).statistic
        out["agreement"][dim] = round(float(rho), 3)
    # sentiment: against the on/off label is meaningless; report its rank correlation with warmth ratings
    out["agreement"]["sentiment_vs_warmth_rating"] = round(
        float(spearmanr([it["r"][1] for it in items], [p.values["sentiment"] for p in profiles]).statistic), 3
    )
    return out


BRANDS = ROOT / "tests" / "data" / "voice" / "brands"
DEV_BRANDS = ROOT / "tests" / "data" / "voice" / "dev_brands"
HELDOUT_BRANDS = ROOT / "tests" / "data" / "voice" / "heldout_brands"


def _auc_interval(p: Any, y: Any, resamples: int = 2000) -> list[float]:
    """95% percentile bootstrap interval of the AUC (on-brand and off-brand resampled separately, seeded)."""
    import numpy as np

    from brandrail.voice.model import _auc

    rng = np.random.default_rng(0)
    pos, neg = p[y], p[~y]
    draws = [
        _auc(rng.choice(pos, len(pos), replace=True), rng.choice(neg, len(neg), replace=True))
        for _ in range(resamples)
    ]
    return [round(float(np.percentile(draws, 2.5)), 3), round(float(np.percentile(draws, 97.5)), 3)]


#: On-brand messages shorter than this many words (subject lines, push, SMS, buttons) are counted apart.
SHORT_WORDS = 12


def _flagged_by_length(p: Any, y: Any, texts: list[str]) -> dict[str, Any]:
    """On-brand messages flagged at 0.5, short (< SHORT_WORDS words) and long apart: (flagged, count) each."""
    import numpy as np

    short = np.array([len(t.split()) < SHORT_WORDS for t in texts])
    out: dict[str, Any] = {}
    for name, mask in (("short", y & short), ("long", y & ~short)):
        out[name] = [int((p[mask] < 0.5).sum()), int(mask.sum())]
    return out


def bench_brands(
    root: Path = BRANDS, test_file: str = "test.yaml", names: list[str] | None = None
) -> dict[str, Any]:
    """The voice model on each invented brand's frozen test set, side by side with two baselines.

    ``names`` limits the run to those brands' folders (all by default).

    Baselines, fitted on the same 12 + 12 examples: the centroid (cosine to the on-brand mean minus to the
    off-brand mean) and scikit-learn's logistic regression on the standardised embeddings (C=0.5). Both
    get the "never" examples as extra off-brand examples, as the voice model does, so the comparison is about
    the model, not the data. The old model (calibrated logistic regression on [embedding, tone]) is shown too.
    """
    import numpy as np
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from brandrail.policy import policy_from_dict
    from brandrail.voice.embed import embed_cached
    from brandrail.voice.model import VoiceModel, _auc, evaluate, features, load_examples

    out: dict[str, Any] = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and (names is None or p.name in names)):
        examples = load_examples(policy_from_dict(yaml.safe_load((folder / "brand.yaml").read_text("utf-8"))))
        items = yaml.safe_load((folder / test_file).read_text("utf-8"))
        texts = [it["text"] for it in items]
        y = np.array([it["label"] == "on_brand" for it in items])
        kind = np.array([it.get("kind", "on") for it in items])
        emb = embed_cached(texts)
        model = VoiceModel(examples)
        never_texts = [t for rule in examples.never for t in rule.examples]
        on = embed_cached(list(examples.on_brand))
        off = embed_cached([*examples.off_brand, *never_texts])
        train_texts = [*examples.on_brand, *examples.off_brand, *never_texts]
        train_y = np.array([1] * len(on) + [0] * len(off))
        lr = make_pipeline(StandardScaler(), LogisticRegression(C=0.5, max_iter=2000))
        lr.fit(np.vstack([on, off]), train_y)
        old = CalibratedClassifierCV(
            make_pipeline(StandardScaler(), LogisticRegression(C=0.5, max_iter=2000)), method="sigmoid", cv=5
        )
        old.fit(features(np.vstack([on, off]), train_texts), train_y)
        scores = {
            "voice_model": model.probabilities(texts, emb),
            "centroid": emb @ on.mean(axis=0) - emb @ off.mean(axis=0),
            "lr_embeddings": lr.predict_proba(emb)[:, 1],
            "old_model": old.predict_proba(features(emb, texts))[:, 1],
        }
        row: dict[str, Any] = {"test_messages": len(items), "on_brand": int(y.sum())}
        for name, p in scores.items():
            entry: dict[str, Any] = {"auc": round(_auc(p[y], p[~y]), 3), "auc_95": _auc_interval(p, y)}
            if name != "centroid":  # a probability: flag rates at the default threshold 0.5
                entry["on_brand_flagged"] = round(float((p[y] < 0.5).mean()), 3)
                entry["never_passed"] = round(float((p[kind == "never"] >= 0.5).mean()), 3)
                entry["other_off_passed"] = round(float((p[kind == "other"] >= 0.5).mean()), 3)
                entry["on_brand_flagged_by_length"] = _flagged_by_length(p, y, texts)
            row[name] = entry
        cv = evaluate(list(examples.on_brand), list(examples.off_brand), never=examples.never)
        row["cross_validated_on_24"] = {"auc": cv["auc"], "auc_interval": cv["intervals"]["auc"]}
        # the per-rule evidence: is the nearest rule the one a rule-breaker breaks, and how many on-brand
        # examples come less close to that rule than the message does
        breaking = [k for k, it in enumerate(items) if it.get("kind") == "never"]
        scored = model.score([texts[k] for k in breaking], emb[breaking])
        row["never_evidence"] = {
            "nearest_rule_is_the_broken_one": round(
                float(
                    np.mean(
                        [
                            s.never is not None and s.never.id == items[k]["rule"]
                            for k, s in zip(breaking, scored, strict=True)
                        ]
                    )
                ),
                3,
            ),
            "broken_rule_closer_than_on_brand_mean": round(
                float(
                    np.mean(
                        [
                            next(m.closer_than_on_brand for m in s.never_rules if m.id == items[k]["rule"])
                            for k, s in zip(breaking, scored, strict=True)
                        ]
                    )
                ),
                3,
            ),
        }
        out[folder.name] = row
        print(folder.name, json.dumps(row), flush=True)
    return out


def bench_dev_splits(splits: int = 5) -> dict[str, Any]:
    """The older labelled set (Fernhill, Aldgate & Rowe; 40 + 40 each): train on 12 + 12, test on the rest.

    Five seeded random splits per brand, no ``never`` rules; the voice model against scikit-learn's
    logistic regression on the standardised embeddings (C=0.5). Mean AUC and mean share of on-brand test
    messages flagged at 0.5.
    """
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from brandrail.voice.embed import embed_cached
    from brandrail.voice.model import Examples, VoiceModel, _auc

    sets = _messages()
    out: dict[str, Any] = {}
    for brand in ("fernhill", "aldgate"):
        on = [it["text"] for it in sets[brand]["on_brand"]]
        off = [it["text"] for it in sets[brand]["off_brand"]]
        rows = []
        for seed in range(splits):
            rng = np.random.default_rng(seed)
            po, pf = rng.permutation(len(on)), rng.permutation(len(off))
            train_on, train_off = [on[i] for i in po[:12]], [off[i] for i in pf[:12]]
            test = [on[i] for i in po[12:]] + [off[i] for i in pf[12:]]
            y = np.array([True] * (len(on) - 12) + [False] * (len(off) - 12))
            emb = embed_cached(test)
            p = VoiceModel(Examples(tuple(train_on), tuple(train_off))).probabilities(test, emb)
            lr = make_pipeline(StandardScaler(), LogisticRegression(C=0.5, max_iter=2000))
            lr.fit(embed_cached(train_on + train_off), [1] * 12 + [0] * 12)
            q = lr.predict_proba(emb)[:, 1]
            rows.append([_auc(p[y], p[~y]), (p[y] < 0.5).mean(), _auc(q[y], q[~y]), (q[y] < 0.5).mean()])
        mean = np.mean(rows, axis=0)
        out[brand] = {
            "splits": splits,
            "test_messages": len(on) + len(off) - 24,
            "voice_model": {"auc": round(float(mean[0]), 3), "on_brand_flagged": round(float(mean[1]), 3)},
            "lr_embeddings": {"auc": round(float(mean[2]), 3), "on_brand_flagged": round(float(mean[3]), 3)},
        }
        print(brand, json.dumps(out[brand]), flush=True)
    return out


def bench_training_loo() -> dict[str, Any]:
    """Development figures from the training side only: leave-one-out over each brand's 12 + 12 examples.

    Each labelled example is scored by a voice model fitted on the other 23 (the brand's ``never`` rules stay
    in every fit); no test.yaml is read. The first six off-brand examples of every brand are in its own
    register and break a rule, the other six are off-brand in register. This is what a design change may be
    judged on before it meets the frozen test sets; with 24 messages a brand it is noisy (see the results).
    """
    import numpy as np

    from brandrail.policy import policy_from_dict
    from brandrail.voice.embed import embed_cached
    from brandrail.voice.model import Examples, VoiceModel, _auc, load_examples

    out: dict[str, Any] = {}
    folders = [*DEV_BRANDS.iterdir(), *BRANDS.iterdir()]
    for folder in sorted((p for p in folders if p.is_dir()), key=lambda p: p.name):
        examples = load_examples(policy_from_dict(yaml.safe_load((folder / "brand.yaml").read_text("utf-8"))))
        on, off = list(examples.on_brand), list(examples.off_brand)
        texts = on + off
        y = np.array([True] * len(on) + [False] * len(off))
        emb = embed_cached(texts)
        p = np.zeros(len(texts))
        for i in range(len(texts)):
            keep = [k for k in range(len(texts)) if k != i]
            fold = Examples(
                tuple(texts[k] for k in keep if y[k]),
                tuple(texts[k] for k in keep if not y[k]),
                examples.never,
            )
            p[i] = VoiceModel(fold).probabilities([texts[i]], emb[i : i + 1])[0]
        neg = p[~y]
        out[folder.name] = {
            "auc": round(_auc(p[y], neg), 3),
            "on_brand_flagged": round(float((p[y] < 0.5).mean()), 3),
            "never_passed": round(float((neg[:6] >= 0.5).mean()), 3),
            "other_off_passed": round(float((neg[6:] >= 0.5).mean()), 3),
        }
        print(folder.name, "training LOO", json.dumps(out[folder.name]), flush=True)
    return out


TONE_CORPUS = ROOT / "tests" / "data" / "voice" / "tone_corpus"


def _tone_corpus_texts() -> list[str]:
    """The 416 short messages of the tone corpus (texts only: timing, nothing is fitted on them)."""
    texts: list[str] = []
    for name in ("dev.tsv", "test.tsv"):
        lines = (TONE_CORPUS / name).read_text(encoding="utf-8").splitlines()
        column = lines[0].split("\t").index("text")
        texts.extend(line.split("\t")[column] for line in lines[1:] if line.strip())
    return texts


def bench_engines(texts: list[str], rounds: int) -> dict[str, Any]:
    """NumPy engine (fp32 default, int8 opt-in), the ONNX Runtime opt-ins (fp32 and int8, when onnxruntime is
    installed) and plain sentence-transformers ``encode`` (fp32), one process.

    Every variant runs once per round, rounds interleaved; msgs/s by wall clock and per CPU-second of this
    process (user + system of all its threads), medians over the rounds; the one-minute load average after
    each round.
    """
    import numpy as np

    from brandrail.voice.embed import get_embedder, get_numpy_embedder, get_torch_embedder

    fp32 = get_numpy_embedder().encoder
    int8 = get_embedder(int8=True).encoder  # type: ignore[union-attr]
    out: dict[str, Any] = {"messages": len(texts)}
    out["mean_tokens"] = round(statistics.mean(len(t) for t in fp32.tokenize(texts)), 1)
    one_by_one = texts[:100]
    variants: dict[str, Any] = {
        "numpy_fp32_1_thread": lambda: fp32.encode(texts, threads=1),
        "numpy_fp32_2_threads": lambda: fp32.encode(texts, threads=2),
        "numpy_int8_1_thread": lambda: int8.encode(texts, threads=1),
        "numpy_int8_2_threads": lambda: int8.encode(texts, threads=2),
        "numpy_fp32_one_by_one": lambda: [fp32.encode([t]) for t in one_by_one],
    }
    onnx = None
    try:
        from brandrail.voice.encoder_onnx import OnnxMiniLMEncoder

        start = time.process_time()
        onnx = OnnxMiniLMEncoder()
        out["onnxruntime_load_cpu_seconds"] = round(time.process_time() - start, 3)
        variants["onnxruntime_fp32_1_thread"] = lambda: onnx.encode(texts, threads=1)
        variants["onnxruntime_fp32_2_threads"] = lambda: onnx.encode(texts, threads=2)
        variants["onnxruntime_fp32_one_by_one"] = lambda: [onnx.encode([t]) for t in one_by_one]
        start = time.process_time()
        onnx8 = OnnxMiniLMEncoder(precision="int8")
        out["onnxruntime_int8_load_cpu_seconds"] = round(time.process_time() - start, 3)
        variants["onnxruntime_int8_1_thread"] = lambda: onnx8.encode(texts, threads=1)
        variants["onnxruntime_int8_2_threads"] = lambda: onnx8.encode(texts, threads=2)
        variants["onnxruntime_int8_one_by_one"] = lambda: [onnx8.encode([t]) for t in one_by_one]
    except ImportError:
        out["onnxruntime"] = "not installed (brandrail[onnx])"
    reference = None
    try:
        import torch

        model = get_torch_embedder().model
        model.max_seq_length = 128
        threads = torch.get_num_threads()

        def st_encode(n: int) -> Any:
            torch.set_num_threads(n)
            with torch.inference_mode():
                return model.encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)

        variants["sentence_transformers_fp32_1_thread"] = lambda: st_encode(1)
        variants["sentence_transformers_fp32_2_threads"] = lambda: st_encode(2)
        reference = np.asarray(st_encode(threads))
        out["torch_threads_default"] = threads
    except ImportError:
        pass
    for fn in variants.values():
        fn()  # warm-up: lazy imports, scratch buffers, torch's first-call set-up
    wall: dict[str, list[float]] = {k: [] for k in variants}
    cpu: dict[str, list[float]] = {k: [] for k in variants}
    loads = [round(os.getloadavg()[0], 2)]
    for r in range(rounds):
        for name, fn in variants.items():
            n = len(one_by_one) if name.endswith("one_by_one") else len(texts)
            t0, c0 = time.perf_counter(), time.process_time()
            fn()
            wall[name].append(n / (time.perf_counter() - t0))
            cpu[name].append(n / (time.process_time() - c0))
        loads.append(round(os.getloadavg()[0], 2))
        print(
            f"  engines round {r + 1}, load {loads[-1]}: "
            + ", ".join(f"{k} {wall[k][-1]:.0f}/s" for k in variants),
            flush=True,
        )
    out["rounds"] = rounds
    out["load_1min_per_round"] = loads
    for name in variants:
        out[name] = {
            "wall_median": round(statistics.median(wall[name]), 1),
            "wall_best": round(max(wall[name]), 1),
            "per_cpu_second_median": round(statistics.median(cpu[name]), 1),
        }
    mine = fp32.encode(texts)
    mine8 = int8.encode(texts)
    if reference is not None:
        for label, rows in (("fp32", mine), ("int8", mine8)):
            cosine = np.sum(rows.astype(np.float64) * reference, axis=1)
            out[f"cosine_{label}_to_sentence_transformers"] = {
                "min": round(float(cosine.min()), 6),
                "median": round(float(np.median(cosine)), 6),
            }
    if onnx is not None:
        rows = onnx.encode(texts)
        out["onnxruntime_max_abs_diff_to_numpy_fp32"] = float(np.abs(rows - mine).max())
        alone = np.vstack([onnx.encode([t]) for t in texts[::7]])
        out["onnxruntime_alone_bit_identical_to_batch"] = bool(np.array_equal(alone, rows[::7]))
        rows8 = onnx8.encode(texts)
        alone8 = np.vstack([onnx8.encode([t]) for t in texts[::7]])
        out["onnxruntime_int8_alone_bit_identical_to_batch"] = bool(np.array_equal(alone8, rows8[::7]))
        diff = np.abs(rows8 - mine8).max(axis=1)
        cosine = np.sum(rows8.astype(np.float64) * mine8, axis=1)
        out["onnxruntime_int8_to_numpy_int8"] = {
            "rows_bit_identical": int((diff == 0).sum()),
            "max_abs_diff": float(diff.max()),
            "cosine_min": round(float(cosine.min()), 5),
        }
        cosine = np.sum(rows8.astype(np.float64) * mine, axis=1)
        out["cosine_onnxruntime_int8_to_fp32"] = {
            "min": round(float(cosine.min()), 5),
            "median": round(float(np.median(cosine)), 5),
        }
    cosine = np.sum(mine8.astype(np.float64) * mine, axis=1)
    out["cosine_int8_to_fp32"] = {
        "min": round(float(cosine.min()), 5),
        "median": round(float(np.median(cosine)), 5),
    }
    return out


def bench_engine_versions(texts: list[str], rounds: int, other: Path) -> dict[str, Any]:
    """This tree's NumPy encoder against another tree's (``other`` = that tree's root, e.g. a worktree of
    main), fp32 and int8, 1 and 2 workers, and one message per call, plus sentence-transformers ``encode``,
    all interleaved round by round in one process; medians of msgs/s (wall) and msgs per CPU-second.

    The other tree's ``brandrail/voice/encoder.py`` is loaded as a module of its own, so both versions run
    side by side on the same texts under the same load. Also reports whether the two give identical bits.
    """
    import importlib.util

    import numpy as np

    from brandrail.voice import encoder as this

    spec = importlib.util.spec_from_file_location(
        "other_encoder", other / "src" / "brandrail" / "voice" / "encoder.py"
    )
    assert spec is not None and spec.loader is not None
    that = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(that)
    encoders = {
        (label, precision): module.MiniLMEncoder(precision=precision)
        for label, module in (("before", that), ("after", this))
        for precision in ("fp32", "int8")
    }
    variants: dict[str, tuple[Any, int]] = {}
    for precision in ("fp32", "int8"):
        for n in (1, 2):
            for label in ("before", "after"):
                enc = encoders[(label, precision)]
                variants[f"{label} {precision} {n} worker{'s' if n > 1 else ''}"] = (
                    lambda enc=enc, n=n: enc.encode(texts, threads=n),
                    len(texts),
                )
    for label in ("before", "after"):
        enc = encoders[(label, "fp32")]
        variants[f"{label} fp32 one message per call"] = (
            lambda enc=enc: [enc.encode([t]) for t in texts[:100]],
            100,
        )
    try:
        import torch

        from brandrail.voice.embed import get_torch_embedder

        model = get_torch_embedder().model
        model.max_seq_length = 128

        def st_encode(n: int) -> Any:
            torch.set_num_threads(n)
            with torch.inference_mode():
                return model.encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)

        variants["sentence-transformers fp32 1 thread"] = (lambda: st_encode(1), len(texts))
        variants["sentence-transformers fp32 2 threads"] = (lambda: st_encode(2), len(texts))
    except ImportError:
        pass
    for fn, _n in variants.values():
        fn()  # warm-up
    wall: dict[str, list[float]] = {k: [] for k in variants}
    cpu: dict[str, list[float]] = {k: [] for k in variants}
    loads = [round(os.getloadavg()[0], 2)]
    for r in range(rounds):
        for name, (fn, n) in variants.items():
            t0, c0 = time.perf_counter(), time.process_time()
            fn()
            wall[name].append(n / (time.perf_counter() - t0))
            cpu[name].append(n / (time.process_time() - c0))
        loads.append(round(os.getloadavg()[0], 2))
        print(f"  round {r + 1}, load {loads[-1]}", flush=True)
    out: dict[str, Any] = {"messages": len(texts), "rounds": rounds, "load_1min_per_round": loads}
    for name in variants:
        out[name] = {
            "wall_median": round(statistics.median(wall[name]), 1),
            "wall_best": round(max(wall[name]), 1),
            "per_cpu_second_median": round(statistics.median(cpu[name]), 1),
        }
    for precision in ("fp32", "int8"):
        a = encoders[("after", precision)].encode(texts)
        b = encoders[("before", precision)].encode(texts)
        out[f"{precision}_bit_identical_to_before"] = bool(np.array_equal(a, b))
    return out


def _dense_flop(n: int) -> int:
    """FLOPs of the dense products of one message of ``n`` tokens through all-MiniLM-L6-v2 (6 layers, 384 wide,
    feed-forward 1536): QKV 384x1152, output 384x384, up 384x1536, down 1536x384; 2 FLOPs per multiply-add."""
    return 6 * 2 * n * 384 * (1152 + 384 + 1536 + 1536)


def _attention_flop(n: int) -> int:
    """FLOPs of the attention products of one message of ``n`` tokens (QK^T and PV, 12 heads of 32, 6 layers)."""
    return 6 * 2 * 2 * n * n * 384


def _peak_gflops_per_core() -> dict[str, Any]:
    """The core's fp32 peak from its clock (AVX-512: 2 FMA units x 16 lanes x 2 FLOPs = 64 FLOPs a cycle) and
    what one-threaded sgemm reaches at the model's shapes (1,024 rows): OpenBLAS through NumPy, and MKL through
    torch when it is installed (a reference only: the engine does not use it)."""
    import numpy as np
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    mhz = [
        float(line.split(":")[1]) for line in Path("/proc/cpuinfo").read_text().splitlines() if "MHz" in line
    ]
    flags = Path("/proc/cpuinfo").read_text()
    per_cycle = 64 if " avx512f" in flags else 32
    out: dict[str, Any] = {"mhz": max(mhz) if mhz else None, "flops_per_cycle": per_cycle}
    out["peak_gflops_per_core"] = round(max(mhz) * per_cycle / 1000, 1) if mhz else None
    rng = np.random.default_rng(0)
    shapes = ((384, 1152), (384, 384), (384, 1536), (1536, 384))

    def best(fn: Any, flop: float) -> float:
        times = []
        for _ in range(7):
            t0 = time.perf_counter()
            for _ in range(5):
                fn()
            times.append((time.perf_counter() - t0) / 5)
        return round(flop / min(times) / 1e9, 1)

    with threadpool_limits(1, user_api="blas"):
        for k, n in shapes:
            w = rng.standard_normal((n, k)).astype(np.float32).T
            x = rng.standard_normal((1024, k)).astype(np.float32)
            y = np.empty((1024, n), dtype=np.float32)
            out[f"openblas_sgemm_1024x{k}x{n}"] = best(
                lambda x=x, w=w, y=y: np.matmul(x, w, out=y), 2 * 1024 * k * n
            )
    try:
        import torch

        before = torch.get_num_threads()
        torch.set_num_threads(1)
        for k, n in shapes:
            xt, wt = torch.randn(1024, k), torch.randn(k, n)
            yt = torch.empty(1024, n)
            out[f"mkl_sgemm_1024x{k}x{n}"] = best(
                lambda xt=xt, wt=wt, yt=yt: torch.matmul(xt, wt, out=yt), 2 * 1024 * k * n
            )
        torch.set_num_threads(before)
    except ImportError:
        pass
    return out


def bench_engine_profile(texts: list[str], rounds: int) -> dict[str, Any]:
    """Where the fp32 engine's time goes, one worker: the CPU time of this thread (``time.thread_time``, robust
    to other processes' load) in each step, the median over ``rounds`` encodes, with the FLOPs of the set and
    the GFLOP per CPU-second reached, against the core's peak and one-threaded sgemm (a roofline)."""
    import collections

    from brandrail.voice import encoder as engine

    enc = engine.MiniLMEncoder()
    ids = enc.tokenize(texts)
    lengths = [len(t) for t in ids]
    spent: collections.Counter[str] = collections.Counter()
    originals = {
        name: getattr(engine, name) for name in ("_linear", "_attention", "_gelu_inplace", "_layer_norm_into")
    }

    def timed(name: str, fn: Any) -> Any:
        def run(*args: Any, **kwargs: Any) -> Any:
            t0 = time.thread_time()
            result = fn(*args, **kwargs)
            key = f"dense {args[2]} (GEMM + bias)" if name == "_linear" else name.strip("_")
            spent[key] += time.thread_time() - t0
            return result

        return run

    for name, fn in originals.items():
        setattr(engine, name, timed(name, fn))
    try:
        enc.encode(texts, threads=1)
        runs: list[tuple[float, float, dict[str, float]]] = []
        for _ in range(rounds):
            spent.clear()
            t0 = time.thread_time()
            enc.tokenize(texts)
            tokenize = time.thread_time() - t0
            t0 = time.thread_time()
            enc.encode(texts, threads=1)
            runs.append((time.thread_time() - t0, tokenize, dict(spent)))
    finally:
        for name, fn in originals.items():
            setattr(engine, name, fn)
    total, tokenize, parts = sorted(runs, key=lambda r: r[0])[len(runs) // 2]
    dense = sum(_dense_flop(n) for n in lengths)
    attention = sum(_attention_flop(n) for n in lengths)
    out: dict[str, Any] = {
        "messages": len(texts),
        "tokens": sum(lengths),
        "mean_tokens": round(statistics.mean(lengths), 2),
        "padding_rows": sum(
            engine._blocks(sum(engine._spans([lengths[i] for i in unit], enc._alignment)), enc._alignment)[0]
            - sum(lengths[i] for i in unit)
            for unit in engine._units(ids)
        ),
        "row_alignment": enc._alignment,
        "mflop_per_message_dense": round(dense / len(texts) / 1e6, 1),
        "mflop_per_message_attention": round(attention / len(texts) / 1e6, 1),
        "cpu_seconds_one_worker": round(total, 3),
        "msgs_per_cpu_second": round(len(texts) / total, 1),
        "gflop_per_cpu_second_overall": round((dense + attention) / total / 1e9, 1),
        "tokenize_cpu_seconds": round(tokenize, 4),
    }
    dense_time = sum(v for k, v in parts.items() if k.startswith("dense"))
    out["gflop_per_cpu_second_in_dense_products"] = round(dense / dense_time / 1e9, 1)
    shares = dict(parts)
    shares["rest (embedding lookup, pooling, tokenizer, Python)"] = total - sum(parts.values())
    out["cpu_share_percent"] = {
        k: round(100 * v / total, 1) for k, v in sorted(shares.items(), key=lambda kv: -kv[1])
    }
    peak = _peak_gflops_per_core()
    out["machine"] = peak
    flop_per_msg = (dense + attention) / len(texts)
    sgemm = statistics.mean(v for k, v in peak.items() if k.startswith("openblas_sgemm"))
    out["roofline_msgs_per_s_2_cores"] = {
        "at_peak": round(2 * peak["peak_gflops_per_core"] * 1e9 / flop_per_msg)
        if peak["peak_gflops_per_core"]
        else None,
        "dense_products_at_openblas_sgemm_speed_nothing_else": round(2 * sgemm * 1e9 / flop_per_msg),
        "this_engine_both_cores_fully_ours": round(2 * len(texts) / total),
    }
    out["gflop_per_s_needed_for_400_msgs_per_s"] = round(400 * flop_per_msg / 1e9, 1)
    return out


def bench_reproducibility() -> dict[str, Any]:
    """Max |delta| of embeddings and BR502 scores: alone, batch, shuffled, threads 1/2/4, other processes.

    The three invented brands' test messages (180) scored by each brand's voice model. The other processes
    get a fresh embedding cache; "no AVX-512" runs OpenBLAS's AVX2 (Haswell) kernels and NumPy's AVX2 loops,
    as on a CPU without AVX-512 (and so without AVX512-BF16 or AMX).
    """
    import numpy as np

    from brandrail.policy import policy_from_dict
    from brandrail.voice.embed import get_embedder
    from brandrail.voice.model import VoiceModel, load_examples

    out: dict[str, Any] = {}
    for precision in ("fp32", "int8"):
        embedder = get_embedder(int8=precision == "int8")
        enc = embedder.encoder  # type: ignore[union-attr]
        brands = sorted(p for p in BRANDS.iterdir() if p.is_dir())
        texts = {
            b.name: [it["text"] for it in yaml.safe_load((b / "test.yaml").read_text("utf-8"))]
            for b in brands
        }
        models = {
            b.name: VoiceModel(
                load_examples(policy_from_dict(yaml.safe_load((b / "brand.yaml").read_text("utf-8")))),
                int8=precision == "int8",
            )
            for b in brands
        }
        flat = [t for b in texts.values() for t in b]

        def scores(emb: Any, texts: dict[str, list[str]] = texts, models: dict[str, Any] = models) -> Any:
            parts, k = [], 0
            for name, ts in texts.items():
                parts.append(models[name].probabilities(ts, emb[k : k + len(ts)]))
                k += len(ts)
            return np.concatenate(parts)

        def normalise(rows: Any) -> Any:
            return rows / np.linalg.norm(rows, axis=1, keepdims=True)

        base_raw = enc.pooled(flat, threads=1)
        base = normalise(base_raw)
        base_scores = scores(base)
        order = np.random.default_rng(16).permutation(len(flat))
        rows: dict[str, Any] = {}
        for label, threads in (("batch, threads 2", 2), ("batch, threads 4", 4)):
            rows[label] = enc.pooled(flat, threads=threads)
        shuffled = np.empty_like(base_raw)
        shuffled[order] = enc.pooled([flat[i] for i in order], threads=2)
        rows["shuffled, threads 2"] = shuffled
        rows["alone, one by one"] = np.vstack([enc.pooled([t]) for t in flat])
        rows["chunks of 7"] = np.vstack(
            [enc.pooled(flat[k : k + 7], threads=2) for k in range(0, len(flat), 7)]
        )
        result: dict[str, Any] = {}
        for label, raw in rows.items():
            emb = normalise(raw)
            result[label] = {
                "max_abs_delta_embedding": float(np.abs(emb - base).max()),
                "max_abs_delta_score": float(np.abs(scores(emb) - base_scores).max()),
            }
        for label, env in (
            ("another process", {}),
            (
                "another process, no AVX-512",
                {"OPENBLAS_CORETYPE": "Haswell", "NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR"},
            ),
        ):
            code = (
                "import json, sys\nfrom brandrail.voice.embed import get_embedder\n"
                f"e = get_embedder(int8={precision == 'int8'}).encoder\n"
                "print(json.dumps(e.pooled(json.loads(sys.stdin.read()), threads=2).tolist()))\n"
            )
            full = {
                **os.environ,
                "PYTHONPATH": str(ROOT / "src"),
                "BRANDRAIL_CACHE_DIR": str(OUT / f"repro-{precision}"),
                **env,
            }
            done = subprocess.run(
                [sys.executable, "-c", code],
                input=json.dumps(flat),
                capture_output=True,
                text=True,
                env=full,
                check=True,
            )
            emb = normalise(np.array(json.loads(done.stdout.strip().splitlines()[-1]), dtype=np.float32))
            result[label] = {
                "max_abs_delta_embedding": float(np.abs(emb - base).max()),
                "max_abs_delta_score": float(np.abs(scores(emb) - base_scores).max()),
            }
        out[precision] = {
            "messages": len(flat),
            "model": enc.model_id,
            "engine": "numpy",
            "precision": precision,
        } | result
        print("reproducibility", precision, json.dumps(out[precision]), flush=True)
    return out


def bench_cold(repeats: int) -> dict[str, Any]:
    """Wall and CPU time of a fresh ``brandrail check`` process on one message with a voice policy.

    The disk cache of example embeddings is warm (as after the first run); the process still loads the
    model, fits the voice model and profiles the examples' tone. On a shared machine the wall time mostly
    measures the queue for a core; the CPU time (user + system) is what the check itself costs.

    Each run must have scored the message's voice (a ``voice`` score, no BR599 "unchecked" note); whether it
    is a BR502 finding is the classifier's verdict, reported (``br502``), not required: this times the check.
    (The message, a "never"-rule case without its emoji, scores 0.586 against the 0.5 threshold with the
    shipped model, on OpenBLAS's AVX2 and AVX kernels alike: a miss of the classifier, not of the CPU.)
    """
    policy = OUT / "cold" / "brandrail.yaml"
    policy.parent.mkdir(parents=True, exist_ok=True)
    policy.write_text(
        "version: 1\n" + (BRANDS / "fizzwick" / "brand.yaml").read_text("utf-8"), encoding="utf-8"
    )
    message = policy.parent / "message.txt"
    message.write_text("Pop me open tonight, big boy.", encoding="utf-8")
    code = (
        "import sys\nfrom brandrail.cli import main\n"
        "sys.argv=['brandrail','check','message.txt','--format','json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\nprint('TORCH', 'torch' in sys.modules)"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cmd = [sys.executable, "-c", code]
    subprocess.run(cmd, cwd=policy.parent, env=env, capture_output=True, check=False)  # warm the disk cache
    times, cpu = [], []
    torch_imported = False
    flagged: set[bool] = set()
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        done = subprocess.run(cmd, cwd=policy.parent, env=env, capture_output=True, check=False)
        times.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        report = json.loads(done.stdout[: done.stdout.rindex(b"TORCH")])
        result = report["results"][0]
        codes = {f["code"] for f in result["findings"]}
        assert "voice" in result["scores"] and "BR599" not in codes, done.stdout[-500:] + done.stderr[-500:]
        flagged.add("BR502" in codes)
        torch_imported = torch_imported or b"TORCH True" in done.stdout
    return {
        "runs": repeats,
        "median_s": round(statistics.median(times), 2),
        "min_s": round(min(times), 2),
        "cpu_median_s": round(statistics.median(cpu), 2),
        "torch_imported": torch_imported,
        "br502": sorted(flagged),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def bench_heldout_brands(root: Path = HELDOUT_BRANDS) -> dict[str, Any]:
    """The fifth round's held-out voice data (``tests/data/voice/heldout_brands``, written by a tester who had
    not read the code): BR502 on three new brands beside the baselines, and how many of 126 clean
    plain-voice messages the documented plain-voice targets flag, in each tone tier."""
    from brandrail.voice.tone import PLAIN_TARGETS, profile_text

    items = yaml.safe_load((root / "clean_plain.yaml").read_text("utf-8"))
    clean: dict[str, Any] = {}
    for tier in ("core", "embedding"):
        flagged = []
        for it in items:
            p = profile_text(it["text"], tone_model=tier)
            dims = [
                d
                for d, (lo, hi) in PLAIN_TARGETS.items()
                if p.reliable(d)
                and ((lo is not None and p.values[d] < lo) or (hi is not None and p.values[d] > hi))
            ]
            if dims:
                flagged.append({"id": it["id"], "dimensions": dims, "calm_deadline_note": "note" in it})
        clean[tier] = {"messages": len(items), "flagged": len(flagged), "which": flagged}
    return {"brands": bench_brands(root), "clean_plain": clean}


def _paired_change(old: Any, new: Any, y: Any, kind: Any) -> dict[str, Any]:
    """Figures of two sets of scores of the same messages and paired 95% bootstrap intervals of each change
    (on-brand and off-brand messages resampled apart, seeded); ``worse_beyond_noise`` when an interval lies
    wholly on the worse side (AUC down, on-brand flagged up)."""
    import numpy as np

    from brandrail.voice import model as vm

    def figs(p: Any, pick: Any) -> dict[str, float]:
        yy, kk, pp = y[pick], kind[pick], p[pick]
        return {
            "auc": vm._auc(pp[yy], pp[~yy]),
            "on_brand_flagged": float((pp[yy] < 0.5).mean()),
            "never_passed": float((pp[kk == "never"] >= 0.5).mean()),
            "other_off_passed": float((pp[kk == "other"] >= 0.5).mean()),
        }

    every = np.arange(len(y))
    rng = np.random.default_rng(0)
    on, off = np.flatnonzero(y), np.flatnonzero(~y)
    draws: dict[str, list[float]] = {k: [] for k in figs(new, every)}
    for _ in range(2000):
        pick = np.r_[rng.choice(on, len(on)), rng.choice(off, len(off))]
        a, b = figs(old, pick), figs(new, pick)
        for k, values in draws.items():
            values.append(b[k] - a[k])
    row: dict[str, Any] = {
        "before": {k: round(v, 3) for k, v in figs(old, every).items()},
        "after": {k: round(v, 3) for k, v in figs(new, every).items()},
        "change_95": {
            k: [round(float(np.percentile(v, 2.5)), 3), round(float(np.percentile(v, 97.5)), 3)]
            for k, v in draws.items()
        },
    }
    row["worse_beyond_noise"] = row["change_95"]["auc"][1] < 0 or row["change_95"]["on_brand_flagged"][0] > 0
    return row


def _brand_sets(root: Path, test_file: str) -> Iterator[tuple[str, Any, dict[str, Any]]]:
    """Each brand folder under ``root``: its name, its examples (from ``brand.yaml``) and its ``test_file``
    messages as arrays (``texts``, ``y`` on-brand, ``kind``, ``rule``, ``emb`` their embeddings)."""
    import numpy as np

    from brandrail.policy import policy_from_dict
    from brandrail.voice import model as vm
    from brandrail.voice.embed import embed_cached

    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        examples = vm.load_examples(
            policy_from_dict(yaml.safe_load((folder / "brand.yaml").read_text("utf-8")))
        )
        items = yaml.safe_load((folder / test_file).read_text("utf-8"))
        texts = [it["text"] for it in items]
        yield (
            folder.name,
            examples,
            {
                "texts": texts,
                "y": np.array([it["label"] == "on_brand" for it in items]),
                "kind": np.array([it.get("kind", "on") for it in items]),
                "rule": np.array([it.get("rule", "") for it in items]),
                "emb": embed_cached(vm._as_meant(texts)),
            },
        )


def bench_cue_change(root: Path = BRANDS, test_file: str = "test.yaml") -> dict[str, Any]:
    """The shipped model against itself without the never-rule cues (``never_cues=False``), on each
    brand's ``test_file``, with paired 95% bootstrap intervals (:func:`_paired_change`), the rule-breakers
    passed per broken rule before and after, and how many on-brand messages show a forbidden cue."""
    from brandrail.voice import model as vm

    out: dict[str, Any] = {}
    for name, examples, m in _brand_sets(root, test_file):
        texts, y, kind, rule = m["texts"], m["y"], m["kind"], m["rule"]
        model = vm.VoiceModel(examples)
        new = model.probabilities(texts, m["emb"])
        old = model.probabilities(texts, m["emb"], never_cues=False)
        row = _paired_change(old, new, y, kind)
        row["families"] = [f.name for f in model.families]
        row["on_brand_with_cue"] = int(
            sum(bool(model._cues(t)) for t, on in zip(texts, y, strict=True) if on)
        )
        row["never_passed_by_rule"] = {
            r: [
                int((old[rule == r] >= 0.5).sum()),
                int((new[rule == r] >= 0.5).sum()),
                int((rule == r).sum()),
            ]
            for r in sorted(set(rule[kind == "never"]))
        }
        out[name] = row
        print(name, json.dumps(row), flush=True)
    return out


def bench_practice_change(
    root: Path = BRANDS, test_file: str = "test.yaml", old_offset: float = 0.25
) -> dict[str, Any]:
    """The shipped model against itself without the practice view and with the former prior towards on-brand
    (``old_offset``), on each brand's ``test_file``, with paired 95% bootstrap intervals of each change
    (on-brand and off-brand messages resampled apart, seeded). A brand is worse beyond its noise when an
    interval lies wholly on the worse side (AUC down, on-brand flagged up)."""
    from brandrail.voice import model as vm

    out: dict[str, Any] = {}
    for name, examples, m in _brand_sets(root, test_file):
        new = vm.VoiceModel(examples).probabilities(m["texts"], m["emb"])
        saved = (vm.PRACTICE_FILE, vm._ON_BRAND_OFFSET)
        try:
            vm.PRACTICE_FILE, vm._ON_BRAND_OFFSET = root / name / "no-such-file.json", old_offset
            vm._practice_weights.cache_clear()
            old = vm.VoiceModel(examples).probabilities(m["texts"], m["emb"])
        finally:
            vm.PRACTICE_FILE, vm._ON_BRAND_OFFSET = saved
            vm._practice_weights.cache_clear()

        row = _paired_change(old, new, m["y"], m["kind"])
        out[name] = row
        print(name, json.dumps(row), flush=True)
    return out


def voice_model_main(quick: bool, brands_only: bool = False) -> None:
    results: dict[str, Any] = {
        "machine": f"{os.cpu_count()}-core {os.uname().machine}",
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }
    if os.environ.get("BENCH_SKIP_BRANDS") != "1":
        wall, cpu = time.perf_counter(), time.process_time()
        results["brands"] = bench_brands()
        results["dev_brands"] = bench_brands(DEV_BRANDS, "dev.yaml")
        results["dev_splits"] = bench_dev_splits()
        results["training_loo"] = bench_training_loo()
        results["quality_seconds"] = {
            "wall": round(time.perf_counter() - wall, 1),
            "cpu": round(time.process_time() - cpu, 1),
        }
    if brands_only:
        results["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
        (OUT / "voice-model-brands.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
        return
    texts = _tone_corpus_texts()
    if os.environ.get("BENCH_SKIP_REPRO") != "1":
        results["reproducibility"] = bench_reproducibility()
    results["engines"] = bench_engines(texts[: 96 if quick else len(texts)], 1 if quick else 5)
    print("engines", json.dumps(results["engines"]), flush=True)
    results["cold_check"] = bench_cold(2 if quick else 5)
    print("cold", results["cold_check"], flush=True)
    results["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    (OUT / "voice-model.json").write_text(json.dumps(results, indent=2), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny run (seconds)")
    parser.add_argument("--no-model", action="store_true", help="skip everything that needs torch")
    parser.add_argument(
        "--check-only", action="store_true", help="only BR502 end to end (merged into voice.json)"
    )
    parser.add_argument(
        "--embed-only", action="store_true", help="only the embedding variants (merged into voice.json)"
    )
    parser.add_argument(
        "--quality-only", action="store_true", help="only the quality figures (merged into voice.json)"
    )
    parser.add_argument(
        "--voice-model", action="store_true", help="only the voice-model figures (writes voice-model.json)"
    )
    parser.add_argument(
        "--compare-engine",
        type=Path,
        metavar="TREE",
        help="only this encoder against TREE's (a checkout of another commit), interleaved (voice-engines.json)",
    )
    parser.add_argument(
        "--engines",
        action="store_true",
        help="only the engines side by side with sentence-transformers, interleaved (voice-engines-side.json)",
    )
    parser.add_argument(
        "--engine-profile",
        action="store_true",
        help="only where the fp32 engine's time goes, with a roofline (voice-profile.json)",
    )
    parser.add_argument(
        "--heldout-brands",
        action="store_true",
        help="only the fifth round's held-out voice data: three new brands and 126 clean messages "
        "(writes voice-heldout5.json)",
    )
    parser.add_argument(
        "--practice-change",
        metavar="SET",
        choices=("frozen", "dev", "heldout"),
        help="the practice view and the new prior against the model without them, with paired intervals, on "
        "the frozen brands' test.yaml, the development brands' dev.yaml or the fifth round's test.yaml "
        "(writes voice-practice-SET.json)",
    )
    parser.add_argument(
        "--cue-change",
        metavar="SET",
        choices=("frozen", "dev", "heldout"),
        help="the never-rule cues against the model without them, with paired intervals, on the frozen "
        "brands' test.yaml, the development brands' dev.yaml or the fifth round's test.yaml (writes "
        "voice-cues-SET.json)",
    )
    parser.add_argument(
        "--dev-brands",
        nargs="+",
        metavar="BRAND",
        help="only these development brands (tests/data/voice/dev_brands, their dev.yaml) beside the "
        "baselines, on-brand flagged split short/long (writes voice-dev-brands.json)",
    )
    parser.add_argument(
        "--brands-only",
        action="store_true",
        help="with --voice-model: only the quality figures (writes voice-model-brands.json)",
    )
    args = parser.parse_args()
    os.environ.setdefault("BRANDRAIL_CACHE_DIR", str(OUT / "cache"))
    OUT.mkdir(parents=True, exist_ok=True)
    if args.voice_model:
        voice_model_main(args.quick, args.brands_only)
        return
    for which, bench, name in (
        (args.cue_change, bench_cue_change, "cues"),
        (args.practice_change, bench_practice_change, "practice"),
    ):
        if which:
            root, test_file = {
                "frozen": (BRANDS, "test.yaml"),
                "dev": (DEV_BRANDS, "dev.yaml"),
                "heldout": (HELDOUT_BRANDS, "test.yaml"),
            }[which]
            result = bench(root, test_file)
            result["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
            (OUT / f"voice-{name}-{which}.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
            return
    if args.dev_brands:
        known = sorted(p.name for p in DEV_BRANDS.iterdir() if p.is_dir())
        unknown = sorted(set(args.dev_brands) - set(known))
        if unknown:
            parser.error(f"unknown development brand(s) {', '.join(unknown)}; known: {', '.join(known)}")
        result = bench_brands(DEV_BRANDS, "dev.yaml", args.dev_brands)
        result["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
        (OUT / "voice-dev-brands.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
        return
    if args.heldout_brands:
        result = bench_heldout_brands()
        (OUT / "voice-heldout5.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
        print(json.dumps(result, indent=2))
        return
    if args.engine_profile:
        texts = _tone_corpus_texts()
        result = bench_engine_profile(texts[: 96 if args.quick else len(texts)], 1 if args.quick else 5)
        result["load_1min_at_end"] = round(os.getloadavg()[0], 2)
        (OUT / "voice-profile.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
        print(json.dumps(result, indent=2))
        return
    if args.engines:
        texts = _tone_corpus_texts()
        result = bench_engines(texts[: 96 if args.quick else len(texts)], 1 if args.quick else 5)
        (OUT / "voice-engines-side.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
        print(json.dumps(result, indent=2))
        return
    if args.compare_engine:
        texts = _tone_corpus_texts()
        result = bench_engine_versions(
            texts[: 96 if args.quick else len(texts)], 1 if args.quick else 5, args.compare_engine
        )
        (OUT / "voice-engines.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
        print(json.dumps(result, indent=2))
        return
    sets = _messages()
    texts = [it["text"] for it in _flat(sets)]
    if args.check_only:
        path = OUT / "voice.json"
        previous = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        batch = _fifty_word_messages(texts[7:], 256)
        for int8 in (False, True):
            key = "br502_end_to_end_int8" if int8 else "br502_end_to_end"
            runs = [bench_check(batch, int8) for _ in range(3)]
            previous[key] = max(runs, key=lambda r: r["messages_per_s"]) | {"runs": 3, "best_of": True}
            print(key, previous[key], flush=True)
        previous["load_average_check_end"] = [round(x, 2) for x in os.getloadavg()]
        path.write_text(json.dumps(previous, indent=2), encoding="utf-8")
        return
    if args.embed_only:
        path = OUT / "voice.json"
        previous = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        previous["embed_50_words"] = bench_embed(_fifty_word_messages(texts, 256), 5)
        previous["load_average_embed_end"] = [round(x, 2) for x in os.getloadavg()]
        path.write_text(json.dumps(previous, indent=2), encoding="utf-8")
        print(json.dumps(previous["embed_50_words"], indent=2))
        return
    if args.quality_only:
        path = OUT / "voice.json"
        previous = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        previous["quality"] = bench_quality(sets, not args.no_model)
        path.write_text(json.dumps(previous, indent=2), encoding="utf-8")
        print(json.dumps(previous["quality"].get("cross_brand"), indent=2), previous["quality"]["agreement"])
        return
    n_tone = 320 if args.quick else 4000
    tone_texts = [texts[i % len(texts)] for i in range(n_tone)]
    results: dict[str, Any] = {
        "machine": f"{os.cpu_count()}-core {os.uname().machine}",
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "quick": args.quick,
    }
    results["tone"] = bench_tone(tone_texts, 3 if args.quick else 5)
    print("tone", results["tone"], flush=True)
    if not args.no_model:
        results["load"] = bench_load()
        print("load", results["load"], flush=True)
        fifty = _fifty_word_messages(texts, 64 if args.quick else 256)
        results["embed_50_words"] = bench_embed(fifty, 1 if args.quick else 5)
        print("embed", results["embed_50_words"], flush=True)
        results["br502_end_to_end"] = bench_check(_fifty_word_messages(texts[7:], 64 if args.quick else 256))
        print("br502", results["br502_end_to_end"], flush=True)
    results["quality"] = bench_quality(sets, not args.no_model)
    results["max_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    results["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    (OUT / "voice.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(json.dumps({k: v for k, v in results.items() if k != "quality"}, indent=2))
    for key, rep in results["quality"]["classifier"].items():
        print(f"{key:<22} acc {rep['accuracy']:.3f} auc {rep['auc']:.3f} brier {rep['brier']:.3f}")
    print("agreement", results["quality"]["agreement"])


if __name__ == "__main__":
    main()
