"""Tone profile: agreement with the labelled tone corpus, pushiness on an SMS spam corpus, speed and cost.

    python bench/bench_tone.py                       # development part only (what tuning may look at)
    python bench/bench_tone.py --test                # also the frozen test part (for reporting)
    python bench/bench_tone.py --sms PATH            # the SMS Spam Collection (tab-separated label, text)
    python bench/bench_tone.py --speed               # messages/s and the cost of a 1 MB message
    python bench/bench_tone.py --compare-tree /tmp/base   # the 1 MB check, this tree vs another checkout
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


def second_rater(part: str) -> dict[str, Any]:
    """Agreement of the model with rater 2 (``<part>.rater2.tsv``, rated blind) and with the mean of the two
    raters, beside rater 1 and the raters' own agreement; and the plain-voice defaults' flag rate on the
    messages clean by the mean of the two raters' ratings (``tone_corpus/rater2.md``)."""
    from scipy.stats import spearmanr

    first = load(part)
    second = {r["id"]: r for r in load(f"{part}.rater2")}
    profiles = [profile_text(r["text"], tone_model=TIER) for r in first]
    out: dict[str, Any] = {"n": len(first)}
    for dim in RATED:
        one = [int(r[dim]) for r in first]
        two = [int(second[r["id"]][dim]) for r in first]
        both = [(a + b) / 2 for a, b in zip(one, two, strict=True)]
        model = [p.values[dim] for p in profiles]
        out[dim] = {
            name: round(float(spearmanr(model if name != "raters" else one, ref).statistic), 3)
            for name, ref in (("rater1", one), ("rater2", two), ("mean", both), ("raters", two))
        }
    mean_rows = [
        {dim: str((int(r[dim]) + int(second[r["id"]][dim])) / 2) for dim in RATED} | {"text": r["text"]}
        for r in first
    ]
    cleans = [r for r in mean_rows if clean_mean(r)]
    hit = sum(bool(flagged(r["text"])) for r in cleans)
    out["clean_by_mean"] = len(cleans)
    out["clean_by_mean_flagged_share"] = round(hit / max(len(cleans), 1), 4)
    return out


def clean_mean(row: dict[str, str]) -> bool:
    """:func:`clean` on the mean of two raters' ratings (each bound as written, on the mean)."""
    r = {k: float(row[k]) for k in RATED}
    return r["formality"] <= 3 and r["urgency"] <= 2 and r["excitement"] <= 3 and r["warmth"] >= 2


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


def every_rule_policy_file(folder: Path) -> Path:
    """Write the 1 MB checks' policy into ``folder`` and return its path: the demo policy (every content
    rule) with the plain-voice targets on the message and its subject line, upset-customer targets for a
    conversation in view, and voice similarity (BR502) off."""
    demo = HERE.parent / "src" / "brandrail" / "demo" / "data" / "fernhill" / "brandrail.yaml"
    targets = {
        d: {k: v for k, v in (("min", lo), ("max", hi)) if v is not None}
        for d, (lo, hi) in PLAIN_TARGETS.items()
    }
    voice = {
        "similarity": {"enabled": False},
        "targets": targets,
        "subject_targets": targets,
        "context": {"upset": {"targets": {"warmth": {"min": 0.5}, "humour": {"max": 0.2}}}},
    }
    file = folder / "brandrail.yaml"
    file.write_text(json.dumps({"extends": [str(demo)], "voice": voice}), encoding="utf-8")
    return file


#: 1 MB messages made only of findings: the bench policy's banned terms ("cheap", and "unbreakable", also a
#: guarantee claim) written plainly, in leetspeak and spelled with "=" between the letters. Every word is a
#: finding (BR101, and BR201 for "unbreakable"): the cost of a finding, times 94,000 to 167,000.
FINDINGS_HEAVY = {
    "terms_plain": ("cheap unbreakable " * 60_000)[:1_000_000],
    "terms_leet": ("ch3@p unbr3@k@bl3 " * 60_000)[:1_000_000],
    "terms_eq": ("c=h=e=a=p u=n=b=r=e=a=k=a=b=l=e " * 35_000)[:1_000_000],
}


def one_mb_texts() -> dict[str, str]:
    """The five 1 MB messages of :func:`speed`: prose (the tone corpus), emoji, shouting, spaced letters,
    leetspeak."""
    unit = " ".join(r["text"] for r in load("dev")) + " 😀🎉 "
    return {
        "prose": (unit * (1_000_000 // len(unit) + 1))[:1_000_000],
        "emoji": ("😀🎉🔥✨" * 250_000)[:1_000_000],
        "shouty": ("HURRY!!! ONLY 3 LEFT — ENDS TONIGHT!!! 🔥🔥 " * 30_000)[:1_000_000],
        # spelling disguises throughout (the reading that undoes them must stay linear)
        "spaced": ("L A S T  C H A N C E  o n l y  3  l e f t ! u r a star x x x " * 20_000)[:1_000_000],
        "leet": ("L4st ch4nce: 0nly 3 l3ft, 0ff3r 3nds t0night, act n0w! 150p W1A 4pm " * 16_000)[:1_000_000],
    }


def speed(repeats: int, findings_heavy: bool = False) -> dict[str, Any]:
    """Tone profiles per second (the corpus' messages), and the cost of 1 MB messages with every rule on
    (with ``findings_heavy``, also of :data:`FINDINGS_HEAVY`'s, with their number of findings).

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
    with tempfile.TemporaryDirectory() as tmp:
        policy = load_policy(every_rule_policy_file(Path(tmp)))
    convo = [{"role": "customer", "text": "This is the third time I have asked. Ridiculous!"}]
    out: dict[str, Any] = {
        "profile_messages": len(texts),
        "profile_msgs_per_s_wall": round(len(texts) / wall),
        "profile_msgs_per_cpu_s": round(len(texts) / cpu),
    }
    kinds = list(one_mb_texts().items())
    if findings_heavy:
        kinds += list(FINDINGS_HEAVY.items())
    for name, text in kinds:
        wall, cpu = _timed(lambda text=text: check_text(text, policy, conversation=convo), repeats)
        out[f"check_1mb_{name}_wall_s"] = round(wall, 3)
        out[f"check_1mb_{name}_cpu_s"] = round(cpu, 3)
        if name in FINDINGS_HEAVY:
            out[f"check_1mb_{name}_findings"] = len(check_text(text, policy, conversation=convo).findings)
    return out


#: One fresh process's timing of a 1 MB check and of the profile alone, for the tree on its PYTHONPATH;
#: argv: a JSON file with the text, the policy file and the repeats. Prints JSON medians.
_ONE_TREE = """
import json, statistics, sys, time
from pathlib import Path
import brandrail
from brandrail.engine import check_text
from brandrail.policy import load_policy
from brandrail.voice.tone import profile_text
job = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
policy = load_policy(Path(job["policy"]))
prose, convo = job["text"], job["conversation"]
check_text("warm up", policy, conversation=convo)
r = {"check_cpu_s": [], "check_wall_s": [], "profile_cpu_s": []}
for _ in range(job["repeats"]):
    c, w = time.process_time(), time.perf_counter()
    check_text(prose, policy, conversation=convo)
    r["check_cpu_s"].append(time.process_time() - c)
    r["check_wall_s"].append(time.perf_counter() - w)
    c = time.process_time()
    profile_text(prose)
    r["profile_cpu_s"].append(time.process_time() - c)
print(json.dumps({"src": str(Path(brandrail.__file__).parent), **{k: statistics.median(v) for k, v in r.items()}}))
"""


def compare_trees(other: Path, rounds: int, repeats: int, kind: str = "prose") -> dict[str, Any]:
    """The 1 MB check of :func:`speed` (every rule on) of the message ``kind`` (one of :func:`one_mb_texts`
    or :data:`FINDINGS_HEAVY`), this tree against ``other`` (a checkout of another commit): fresh processes,
    the two trees alternately ``rounds`` times, each timing ``repeats`` checks (median); the same text and
    policy file for both. Medians over the rounds."""
    import os
    import subprocess
    import tempfile

    text = {**one_mb_texts(), **FINDINGS_HEAVY}[kind]
    trees = {"after": HERE.parent, "before": other}
    runs: dict[str, list[dict[str, Any]]] = {k: [] for k in trees}
    loads = []
    with tempfile.TemporaryDirectory() as tmp:
        policy = every_rule_policy_file(Path(tmp))
        job = Path(tmp) / "job.json"
        job.write_text(
            json.dumps(
                {
                    "policy": str(policy),
                    "text": text,
                    "conversation": [
                        {"role": "customer", "text": "This is the third time I have asked. Ridiculous!"}
                    ],
                    "repeats": repeats,
                }
            ),
            encoding="utf-8",
        )
        for _ in range(rounds):
            for label in ("before", "after"):
                env = {**os.environ, "PYTHONPATH": str(trees[label] / "src")}
                done = subprocess.run(
                    [sys.executable, "-c", _ONE_TREE, str(job)],
                    capture_output=True,
                    text=True,
                    env=env,
                    check=True,
                )
                runs[label].append(json.loads(done.stdout.strip().splitlines()[-1]))
                loads.append(round(os.getloadavg()[0], 2))
    out: dict[str, Any] = {"kind": kind, "rounds": rounds, "repeats_per_process": repeats, "load_1min": loads}
    for label, rows in runs.items():
        assert all(Path(r["src"]).resolve().is_relative_to(trees[label].resolve()) for r in rows)
        out[label] = {k: round(statistics.median(r[k] for r in rows), 3) for k in rows[0] if k != "src"}
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
    ap.add_argument(
        "--findings-heavy",
        action="store_true",
        help="with --speed: also the 1 MB messages made only of findings (policy terms, plain and disguised)",
    )
    ap.add_argument("--pathological", action="store_true", help="1 MB inputs built to be expensive")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument(
        "--rounds", type=int, default=3, help="with --compare-tree: alternations of the two trees"
    )
    ap.add_argument(
        "--compare-tree",
        type=Path,
        metavar="TREE",
        help="only the 1 MB check, this tree against TREE (another checkout), alternating fresh processes",
    )
    ap.add_argument(
        "--kind",
        choices=("prose", "emoji", "shouty", "spaced", "leet", *FINDINGS_HEAVY),
        default="prose",
        help="with --compare-tree: which 1 MB message",
    )
    ap.add_argument("--show", action="store_true", help="list the clean messages that were flagged")
    ap.add_argument(
        "--quick", action="store_true", help="`make bench-quick`: the development agreement only (seconds)"
    )
    ap.add_argument(
        "--tone-model", choices=("core", "embedding"), default="core", help="tier of the tone model"
    )
    args = ap.parse_args()
    if args.compare_tree:
        print(json.dumps(compare_trees(args.compare_tree, args.rounds, args.repeats, args.kind), indent=1))
        return
    global TIER  # noqa: PLW0603
    TIER = args.tone_model
    out: dict[str, Any] = {"tone_model": TIER, "dev": agreement(load("dev"))}
    if args.test:
        out["test"] = agreement(load("test"))
        out["test_two_raters"] = second_rater("test")
    if args.sms:
        out["sms"] = sms(args.sms)
    if args.speed:
        out["speed"] = speed(args.repeats, findings_heavy=args.findings_heavy)
    elif args.findings_heavy:
        ap.error("--findings-heavy needs --speed")
    if args.pathological:
        out["pathological_profile_cpu_s"] = pathological(args.repeats)
    if not args.show:
        for part in ("dev", "test"):
            if part in out:
                out[part].pop("clean_flagged_ids")
    print(json.dumps(out, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
