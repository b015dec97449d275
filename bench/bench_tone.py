"""Tone profile: agreement with the labelled tone corpus, pushiness on an SMS spam corpus, speed and cost.

    python bench/bench_tone.py                       # development part only (what tuning may look at)
    python bench/bench_tone.py --test                # also the frozen test part (for reporting)
    python bench/bench_tone.py --sms PATH            # the SMS Spam Collection (tab-separated label, text)
    python bench/bench_tone.py --speed               # messages/s and the cost of a 1 MB message
    python bench/bench_tone.py --test --tone-model embedding   # the embedding tier of the tone model

The corpus is tests/data/voice/tone_corpus/ (README there); ``dev`` is dev.tsv + dev2.tsv + dev3.tsv, the data the tone
model was fitted on (so its figures there are in-sample; bench/fit_tone_model.py prints the cross-validated
ones). The SMS corpus is not in the repository: give
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
    files = ("dev", "dev2", "dev3") if part == "dev" else (part,)
    rows: list[dict[str, str]] = []
    for name in files:
        with (CORPUS / f"{name}.tsv").open(encoding="utf-8", newline="") as fh:
            rows.extend(csv.DictReader(fh, delimiter="\t"))
    return rows


#: The tier of the tone model measured (``--tone-model``).
TIER = "core"


def clean(row: dict[str, str]) -> bool:
    """Clean for a plain voice, by the corpus README's definition (ratings only)."""
    r = {k: int(row[k]) for k in RATED}
    return r["formality"] <= 3 and r["urgency"] <= 2 and r["excitement"] <= 3 and r["warmth"] >= 2


def flagged(text: str) -> list[str]:
    profile = profile_text(text, tone_model=TIER)
    out = []
    for dim, (lo, hi) in PLAIN_TARGETS.items():
        v = profile.values[dim]
        if profile.reliable(dim) and ((lo is not None and v < lo) or (hi is not None and v > hi)):
            out.append(dim)
    return out


def agreement(rows: list[dict[str, str]]) -> dict[str, Any]:
    from scipy.stats import spearmanr

    profiles = [profile_text(r["text"], tone_model=TIER) for r in rows]
    rho = {}
    for dim in RATED:
        rho[dim] = round(
            float(spearmanr([p.values[dim] for p in profiles], [int(r[dim]) for r in rows]).statistic), 3
        )
    cleans = [r for r in rows if clean(r)]
    flags = [(r["id"], flagged(r["text"])) for r in cleans]
    hit = [(i, f) for i, f in flags if f]
    pushy = [r for r in rows if int(r["urgency"]) >= 4]
    return {
        "n": len(rows),
        "pushy_flagged_share": round(sum(bool(flagged(r["text"])) for r in pushy) / max(len(pushy), 1), 4),
        "spearman": rho,
        "clean": len(cleans),
        "clean_flagged": len(hit),
        "clean_flagged_share": round(len(hit) / max(len(cleans), 1), 4),
        "clean_flagged_ids": hit,
    }


def sms(path: Path) -> dict[str, Any]:
    """Pushiness (urgency) AUC spam vs ordinary, and the plain-voice defaults' flag rates.

    Reported on the whole corpus and on its two halves by line parity: the even lines were read for missing
    pressure cues while the word lists were written; the odd lines were not looked at (held out).
    """
    from sklearn.metrics import roc_auc_score

    labels: list[int] = []
    texts: list[str] = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        label, _, text = line.partition("\t")
        if label not in ("ham", "spam"):
            continue
        labels.append(1 if label == "spam" else 0)
        texts.append(text)
    urg = [profile_text(t, tone_model=TIER).values["urgency"] for t in texts]
    flags = [bool(flagged(t)) for t in texts]

    def part(idx: list[int]) -> dict[str, Any]:
        y = [labels[i] for i in idx]
        ham = [i for i in idx if labels[i] == 0]
        spam = [i for i in idx if labels[i] == 1]
        return {
            "ham": len(ham),
            "spam": len(spam),
            "urgency_auc": round(float(roc_auc_score(y, [urg[i] for i in idx])), 4),
            "spam_urgency_zero": round(sum(1 for i in spam if urg[i] == 0) / len(spam), 4),
            "ham_flagged_share": round(sum(flags[i] for i in ham) / len(ham), 4),
            "spam_flagged_share": round(sum(flags[i] for i in spam) / len(spam), 4),
        }

    everything = list(range(len(texts)))
    return {
        "all": part(everything),
        "even_lines_read": part(everything[0::2]),
        "odd_lines_held_out": part(everything[1::2]),
    }


def _timed(fn: Any, repeats: int) -> tuple[float, float]:
    """Median wall and CPU seconds of ``fn()`` over ``repeats`` runs."""
    wall, cpu = [], []
    for _ in range(repeats):
        w, c = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    return statistics.median(wall), statistics.median(cpu)


def speed(repeats: int) -> dict[str, Any]:
    """Tone profiles per second (the corpus' messages), and the cost of 1 MB messages with every rule on.

    The 1 MB check uses the demo policy (every content rule, the demo's tone targets, plus the plain-voice
    targets on the message and its subject line and upset-customer targets with a conversation in view)
    with voice similarity (BR502) off: its embedding reads at most 128 tokens, so its cost does not grow
    with the length of the message.
    """
    import tempfile

    from brandrail.engine import check_text
    from brandrail.policy import load_policy

    texts = [r["text"] for r in load("dev")] * 16
    profile_text("warm up")
    wall, cpu = _timed(lambda: [profile_text(t) for t in texts], repeats)
    demo = HERE.parent / "src" / "brandrail" / "demo" / "data" / "fernhill" / "brandrail.yaml"
    targets = {
        d: {k: v for k, v in (("min", lo), ("max", hi)) if v is not None}
        for d, (lo, hi) in PLAIN_TARGETS.items()
    }
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / "brandrail.yaml"
        voice = {
            "similarity": {"enabled": False},
            "targets": targets,
            "subject_targets": targets,
            "context": {"upset": {"targets": {"warmth": {"min": 0.5}, "humour": {"max": 0.2}}}},
        }
        file.write_text(json.dumps({"extends": [str(demo)], "voice": voice}), encoding="utf-8")
        policy = load_policy(file)
    unit = " ".join(r["text"] for r in load("dev")) + " 😀🎉 "
    prose = (unit * (1_000_000 // len(unit) + 1))[:1_000_000]
    emoji = ("😀🎉🔥✨" * 250_000)[:1_000_000]
    shouty = ("HURRY!!! ONLY 3 LEFT — ENDS TONIGHT!!! 🔥🔥 " * 30_000)[:1_000_000]
    convo = [{"role": "customer", "text": "This is the third time I have asked. Ridiculous!"}]
    out: dict[str, Any] = {
        "profile_messages": len(texts),
        "profile_msgs_per_s_wall": round(len(texts) / wall),
        "profile_msgs_per_cpu_s": round(len(texts) / cpu),
    }
    for name, text in (("prose", prose), ("emoji", emoji), ("shouty", shouty)):
        wall, cpu = _timed(lambda text=text: check_text(text, policy, conversation=convo), repeats)
        out[f"check_1mb_{name}_wall_s"] = round(wall, 3)
        out[f"check_1mb_{name}_cpu_s"] = round(cpu, 3)
    return out


def pathological(repeats: int) -> dict[str, float]:
    """CPU-seconds of the tone profile alone on 1 MB inputs built to be expensive (median of ``repeats``)."""
    cases = {
        "one word of a million letters": "a" * 1_000_000,
        "a million exclamation marks": "!" * 1_000_000,
        "one-letter sentences ('a! a! ...')": "a! " * 333_333,
        "brackets ('(ha.) ...')": "(ha.) " * 166_666,
        "digits": "1234567890 " * 90_909,
        "apostrophes in one token": "don't'n't'" * 100_000,
    }
    return {
        name: round(_timed(lambda text=text: profile_text(text), repeats)[1], 3)
        for name, text in cases.items()
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--test", action="store_true", help="also report on the frozen test part")
    ap.add_argument("--sms", type=Path, help="path to the SMS Spam Collection")
    ap.add_argument("--speed", action="store_true")
    ap.add_argument("--pathological", action="store_true", help="1 MB inputs built to be expensive")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--show", action="store_true", help="list the clean messages that were flagged")
    ap.add_argument(
        "--tone-model", choices=("core", "embedding"), default="core", help="tier of the tone model"
    )
    args = ap.parse_args()
    global TIER  # noqa: PLW0603
    TIER = args.tone_model
    out: dict[str, Any] = {"tone_model": TIER, "dev": agreement(load("dev"))}
    if args.test:
        out["test"] = agreement(load("test"))
    if args.sms:
        out["sms"] = sms(args.sms)
    if args.speed:
        out["speed"] = speed(args.repeats)
    if args.pathological:
        out["pathological_profile_cpu_s"] = pathological(args.repeats)
    if not args.show:
        for part in ("dev", "test"):
            if part in out:
                out[part].pop("clean_flagged_ids")
    print(json.dumps(out, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
