"""Fit the learned reading of a customer's state (brandrail/voice/data/context_model.json).

    python bench/fit_context_model.py            # cross-validate on the development part, print the report
    python bench/fit_context_model.py --write    # ... and write the packaged coefficients

Data: tests/data/voice/customer_states/dev.tsv (never test.tsv). For each state (``upset``, ``loss``) an
L2 logistic regression with balanced class weights on the packaged MiniLM embedding of the customer's words
(read as :func:`brandrail.voice.tone.read_as_meant` reads them); the penalty is chosen by stratified 10-fold
cross-validation on the development part (the F1 of "phrase lists or the model", the rule as shipped), then
the model is refitted on all of it. The frozen test part is measured by ``bench/bench_context.py``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from brandrail.text.conversation import parse_conversation  # noqa: E402
from brandrail.voice.context import CONTEXT_MODEL_FILE, STATES, customer_state  # noqa: E402
from brandrail.voice.embed import MODEL_ID, get_numpy_embedder  # noqa: E402
from brandrail.voice.tone import read_as_meant  # noqa: E402

DATA = HERE.parent / "tests" / "data" / "voice" / "customer_states"
PENALTIES = (0.3, 1.0, 3.0, 10.0)  # scikit-learn's C (inverse L2 strength) on the unit-length embedding


def load(part: str) -> list[dict[str, str]]:
    with (DATA / f"{part}.tsv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def scores(pred: np.ndarray, y: np.ndarray, neither: np.ndarray) -> dict[str, float]:
    tp = int((pred & y).sum())
    recall = tp / max(int(y.sum()), 1)
    precision = tp / max(int(pred.sum()), 1)
    return {
        "recall": round(recall, 3),
        "precision": round(precision, 3),
        "f1": round(2 * recall * precision / max(recall + precision, 1e-9), 3),
        "neither_flagged": round(float((pred & neither).sum() / max(int(neither.sum()), 1)), 3),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--write", action="store_true", help="write the packaged coefficients")
    args = ap.parse_args()
    rows = load("dev")
    texts = [r["text"] for r in rows]
    emb = get_numpy_embedder().embed([read_as_meant(t)[0] for t in texts]).astype(np.float64)
    listed = [customer_state(parse_conversation([{"role": "customer", "text": t}])).states for t in texts]
    neither = np.array([r["upset"] == "0" and r["loss"] == "0" for r in rows])
    digest = hashlib.sha256((DATA / "dev.tsv").read_bytes()).hexdigest()
    out: dict[str, Any] = {
        "version": digest[:12],
        "data": "tests/data/voice/customer_states/dev.tsv",
        "data_sha256": digest,
        "messages": len(rows),
        "embedding_model": MODEL_ID,
        "cv": "stratified 10-fold on the development part (seed 0)",
        "states": {},
    }
    for state in STATES:
        y = np.array([r[state] == "1" for r in rows])
        lists = np.array([state in s for s in listed])
        best: tuple[float, float, dict[str, Any], np.ndarray] | None = None
        for c in PENALTIES:
            p = np.zeros(len(y))
            for tr, te in StratifiedKFold(10, shuffle=True, random_state=0).split(emb, y):
                model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000).fit(emb[tr], y[tr])
                p[te] = model.predict_proba(emb[te])[:, 1]
            report = {
                "phrase_lists": scores(lists, y, neither),
                "model": scores(p >= 0.5, y, neither),
                "lists_or_model": scores(lists | (p >= 0.5), y, neither),
            }
            f1 = report["lists_or_model"]["f1"]
            print(f"{state:6s} C={c:<5g} {json.dumps(report)}", flush=True)
            if best is None or f1 > best[0] + 1e-9:
                best = (f1, c, report, p)
        assert best is not None
        _, c, report, oof = best
        # the trade-off a policy's voice.context.<state>.threshold moves along (out of fold, lists or model)
        by_threshold = {
            f"{t:.1f}": scores(lists | (oof >= t), y, neither) for t in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
        }
        model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000).fit(emb, y)
        out["states"][state] = {
            "C": c,
            "threshold": 0.5,
            "intercept": round(float(model.intercept_[0]), 8),
            "weights": [round(float(w), 8) for w in model.coef_[0]],
            "cv": report,
            "cv_by_threshold": by_threshold,
            "positives": int(y.sum()),
        }
        print(f"{state}: chose C={c}: {report['lists_or_model']}")
    if args.write:
        CONTEXT_MODEL_FILE.parent.mkdir(parents=True, exist_ok=True)
        CONTEXT_MODEL_FILE.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {CONTEXT_MODEL_FILE}")


if __name__ == "__main__":
    main()
