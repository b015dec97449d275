"""Tone profile: agreement with the labelled tone corpus, pushiness on an SMS spam corpus, speed and cost.

    python bench/bench_tone.py                       # development part only (what tuning may look at)
    python bench/bench_tone.py --test                # also the frozen test part (for reporting)
    python bench/bench_tone.py --sms PATH            # the SMS Spam Collection (tab-separated label, text)
    python bench/bench_tone.py --speed               # messages/s and the cost of a 1 MB message

The corpus is tests/data/voice/tone_corpus/ (README there). The SMS corpus is not in the repository: give
a copy of the public SMS Spam Collection (Almeida & Gómez Hidalgo 2011, lines ``ham<TAB>text`` or
``spam<TAB>text``) by path.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from brandrail.voice.tone import PLAIN_TARGETS, profile_text  # noqa: E402

CORPUS = HERE.parent / "tests" / "data" / "voice" / "tone_corpus"
RATED = ("formality", "urgency", "warmth", "excitement", "sentiment", "humour")


def load(part: str) -> list[dict[str, str]]:
    with (CORPUS / f"{part}.tsv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def clean(row: dict[str, str]) -> bool:
    """Clean for a plain voice, by the corpus README's definition (ratings only)."""
    r = {k: int(row[k]) for k in RATED}
    return r["formality"] <= 3 and r["urgency"] <= 2 and r["excitement"] <= 3 and r["warmth"] >= 2


def flagged(text: str) -> list[str]:
    profile = profile_text(text)
    out = []
    for dim, (lo, hi) in PLAIN_TARGETS.items():
        v = profile.values[dim]
        if profile.reliable(dim) and ((lo is not None and v < lo) or (hi is not None and v > hi)):
            out.append(dim)
    return out


def agreement(rows: list[dict[str, str]]) -> dict[str, Any]:
    from scipy.stats import spearmanr

    profiles = [profile_text(r["text"]) for r in rows]
    rho = {}
    for dim in RATED:
        rho[dim] = round(
            float(spearmanr([p.values[dim] for p in profiles], [int(r[dim]) for r in rows]).statistic), 3
        )
    cleans = [r for r in rows if clean(r)]
    flags = [(r["id"], flagged(r["text"])) for r in cleans]
    hit = [(i, f) for i, f in flags if f]
    return {
        "n": len(rows),
        "spearman": rho,
        "clean": len(cleans),
        "clean_flagged": len(hit),
        "clean_flagged_share": round(len(hit) / max(len(cleans), 1), 4),
        "clean_flagged_ids": hit,
    }


def sms(path: Path) -> dict[str, Any]:
    from sklearn.metrics import roc_auc_score

    labels: list[int] = []
    texts: list[str] = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        label, _, text = line.partition("\t")
        if label not in ("ham", "spam"):
            continue
        labels.append(1 if label == "spam" else 0)
        texts.append(text)
    profiles = [profile_text(t) for t in texts]
    urg = [p.values["urgency"] for p in profiles]
    ham_flag = [bool(flagged(t)) for t, y in zip(texts, labels, strict=True) if y == 0]
    spam_flag = [bool(flagged(t)) for t, y in zip(texts, labels, strict=True) if y == 1]
    return {
        "ham": labels.count(0),
        "spam": labels.count(1),
        "urgency_auc": round(float(roc_auc_score(labels, urg)), 4),
        "spam_urgency_zero": round(
            sum(1 for u, y in zip(urg, labels, strict=True) if y and u == 0) / labels.count(1), 4
        ),
        "ham_flagged_share": round(sum(ham_flag) / len(ham_flag), 4),
        "spam_flagged_share": round(sum(spam_flag) / len(spam_flag), 4),
    }


def speed(repeats: int) -> dict[str, Any]:
    from brandrail.engine import check_text
    from brandrail.policy import policy_from_dict

    texts = [r["text"] for r in load("dev")] * 16
    rates = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for t in texts:
            profile_text(t)
        rates.append(len(texts) / (time.perf_counter() - t0))
    unit = " ".join(r["text"] for r in load("dev")) + " 😀🎉 "
    big = (unit * (1_000_000 // len(unit) + 1))[:1_000_000]
    policy = policy_from_dict(
        {"voice": {"targets": {d: {"min": lo, "max": hi} for d, (lo, hi) in PLAIN_TARGETS.items()}}}
    )
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        check_text(big, policy)
        times.append(time.perf_counter() - t0)
    emoji = ("😀🎉🔥 " * 100_000)[:400_000]
    t0 = time.perf_counter()
    profile_text(emoji)
    emoji_s = time.perf_counter() - t0
    return {
        "messages": len(texts),
        "msgs_per_s_median": round(statistics.median(rates)),
        "check_1mb_s_median": round(statistics.median(times), 3),
        "profile_400k_emoji_s": round(emoji_s, 3),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--test", action="store_true", help="also report on the frozen test part")
    ap.add_argument("--sms", type=Path, help="path to the SMS Spam Collection")
    ap.add_argument("--speed", action="store_true")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--show", action="store_true", help="list the clean messages that were flagged")
    args = ap.parse_args()
    out: dict[str, Any] = {"dev": agreement(load("dev"))}
    if args.test:
        out["test"] = agreement(load("test"))
    if args.sms:
        out["sms"] = sms(args.sms)
    if args.speed:
        out["speed"] = speed(args.repeats)
    if not args.show:
        for part in ("dev", "test"):
            if part in out:
                out[part].pop("clean_flagged_ids")
    print(json.dumps(out, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
