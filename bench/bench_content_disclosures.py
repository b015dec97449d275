"""Precision and recall per code of the disclosure (BR301-BR308) and inclusive-language (BR601, BR602) rules on
the fresh labelled set tests/data/disclosures_fresh (README.md there says how it was written and labelled).

    .venv/bin/python bench/bench_content_disclosures.py                  # the development half: table, misses
    .venv/bin/python bench/bench_content_disclosures.py --half heldout   # the held-out half: the table only
    .venv/bin/python bench/bench_content_disclosures.py --half all       # the whole set
    .venv/bin/python bench/bench_content_disclosures.py --half heldout2  # the second held-out part
    .venv/bin/python bench/bench_content_disclosures.py --half heldout3  # the third held-out part
    .venv/bin/python bench/bench_content_disclosures.py --half heldout4  # the fourth held-out part
    .venv/bin/python bench/bench_content_disclosures.py --half fresh5    # the fifth part (development data)
    .venv/bin/python bench/bench_content_disclosures.py --half heldout5  # the fifth held-out part
    .venv/bin/python bench/bench_content_disclosures.py --half fresh6    # the sixth part (development data)

A message counts once per code: a code fires on it or not (several findings of one code are one). The table
gives 95% Wilson intervals, since a code has 3-12 positives per half. English and the other three languages
are scored apart as well, and BR308's reply/forward prefixes apart from subjects posing as a transaction
(`scope: notice`), which the rule's documentation does not promise. The held-out half is measured, never read
for tuning: its disagreements are printed only with --show-heldout.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "tests" / "data" / "disclosures_fresh"
CODES = ("BR301", "BR302", "BR303", "BR304", "BR305", "BR306", "BR307", "BR308", "BR601", "BR602")
HALVES = {
    "dev": "dev.yaml",
    "heldout": "heldout.yaml",
    "all": "messages.yaml",
    "heldout2": "heldout2.yaml",
    "heldout3": "heldout3.yaml",
    "heldout4": "heldout4.yaml",
    "fresh5": "fresh5.yaml",
    "heldout5": "heldout5.yaml",
    "fresh6": "fresh6.yaml",
}
#: The policy each half is checked against (policy.yaml unless named here).
POLICIES = {
    "heldout2": "heldout2.policy.yaml",
    "heldout3": "heldout2.policy.yaml",
    "heldout4": "heldout2.policy.yaml",
    "fresh5": "heldout2.policy.yaml",
    "heldout5": "heldout2.policy.yaml",
    "fresh6": "heldout2.policy.yaml",
}
#: Parts that are measured, never read for tuning: their disagreements are printed only with --show-heldout.
HELD_OUT = {"heldout", "heldout2", "heldout3", "heldout4", "heldout5"}
LANGS = ("en", "de", "fr", "es")


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95% Wilson score interval of k successes in n trials ((0, 1) when n is 0)."""
    if n == 0:
        return 0.0, 1.0
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def load(half: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = yaml.safe_load((FOLDER / HALVES[half]).read_text(encoding="utf-8"))
    return items


def fired(items: Iterable[dict[str, Any]], policy_file: str = "policy.yaml") -> dict[int, set[str]]:
    """The codes among CODES that brandrail reports on each message, by id."""
    from brandrail.engine import check_text
    from brandrail.policy.loader import load_policy

    policy = load_policy(FOLDER / policy_file)
    out: dict[int, set[str]] = {}
    for m in items:
        result = check_text(
            m["text"],
            policy,
            channel=m["ch"],
            kind="html" if m.get("fmt") == "html" else "text",
            metadata=m.get("meta") or None,
        )
        out[m["id"]] = {f.code for f in result.findings if f.code in CODES}
    return out


def score(
    items: list[dict[str, Any]], got: dict[int, set[str]], codes: Iterable[str]
) -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = {}
    for code in codes:
        tp = fp = fn = 0
        for m in items:
            want, have = code in m["labels"], code in got[m["id"]]
            tp += want and have
            fp += have and not want
            fn += want and not have
        table[code] = {"tp": tp, "fp": fp, "fn": fn}
    return table


def _ratio(k: int, n: int) -> str:
    if n == 0:
        return "—"
    lo, hi = wilson(k, n)
    return f"{k / n:.2f} [{lo:.2f}, {hi:.2f}]"


def table_md(table: dict[str, dict[str, int]]) -> str:
    lines = [
        "| code | TP | FP | FN | precision [95% CI] | recall [95% CI] |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    tp = fp = fn = 0
    for code, r in table.items():
        lines.append(
            f"| {code} | {r['tp']} | {r['fp']} | {r['fn']} | {_ratio(r['tp'], r['tp'] + r['fp'])} "
            f"| {_ratio(r['tp'], r['tp'] + r['fn'])} |"
        )
        tp, fp, fn = tp + r["tp"], fp + r["fp"], fn + r["fn"]
    lines.append(f"| **all (micro)** | {tp} | {fp} | {fn} | {_ratio(tp, tp + fp)} | {_ratio(tp, tp + fn)} |")
    return "\n".join(lines)


def by_language_md(items: list[dict[str, Any]], got: dict[int, set[str]], codes: Iterable[str]) -> str:
    """TP/FP/FN and precision / recall of each code (that has a label or a finding) in each language."""
    codes = list(codes)
    lines = ["| code | " + " | ".join(LANGS) + " |", "|---|" + "---:|" * len(LANGS)]
    tables = {lang: score([m for m in items if m["lang"] == lang], got, codes) for lang in LANGS}
    for code in codes:
        if not any(sum(t[code].values()) for t in tables.values()):
            continue
        cells = []
        for lang in LANGS:
            r = tables[lang][code]
            p = f"{r['tp'] / (r['tp'] + r['fp']):.2f}" if r["tp"] + r["fp"] else "—"
            rc = f"{r['tp'] / (r['tp'] + r['fn']):.2f}" if r["tp"] + r["fn"] else "—"
            cells.append(f"{r['tp']}/{r['fp']}/{r['fn']} P {p} R {rc}")
        lines.append(f"| {code} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def micro(table: dict[str, dict[str, int]]) -> tuple[int, int, int]:
    return (
        sum(r["tp"] for r in table.values()),
        sum(r["fp"] for r in table.values()),
        sum(r["fn"] for r in table.values()),
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--half", choices=sorted(HALVES), default="dev")
    parser.add_argument("--show-heldout", action="store_true", help="also print the held-out disagreements")
    args = parser.parse_args()
    items = load(args.half)
    got = fired(items, POLICIES.get(args.half, "policy.yaml"))
    print(f"## {args.half}: {len(items)} messages\n")
    print(table_md(score(items, got, CODES)))
    print("\nPer language (TP/FP/FN, precision, recall):\n")
    print(by_language_md(items, got, CODES))
    print()
    for name, subset in (
        ("English", [m for m in items if m["lang"] == "en"]),
        ("German, French, Spanish", [m for m in items if m["lang"] != "en"]),
        ("German", [m for m in items if m["lang"] == "de"]),
        ("French", [m for m in items if m["lang"] == "fr"]),
        ("Spanish", [m for m in items if m["lang"] == "es"]),
    ):
        tp, fp, fn = micro(score(subset, got, CODES))
        print(
            f"{name} ({len(subset)} messages): precision {_ratio(tp, tp + fp)}, recall {_ratio(tp, tp + fn)}"
        )
    prefixes = [m for m in items if m.get("scope") != "notice"]
    notices = [m for m in items if m.get("scope") == "notice"]
    for name, subset in (("reply/forward prefixes", prefixes), ("subjects posing as a transaction", notices)):
        r = score(subset, got, ["BR308"])["BR308"]
        print(f"BR308, {name}: TP {r['tp']} FP {r['fp']} FN {r['fn']}")
    if args.half in HELD_OUT and not args.show_heldout:
        return
    print("\n## disagreements\n")
    for m in items:
        want, have = set(m["labels"]), got[m["id"]]
        if want != have:
            missed, extra = sorted(want - have), sorted(have - want)
            print(f"- {m['id']} [{m['ch']}/{m['lang']}] missed {missed} extra {extra}: {m['text'][:140]!r}")
            if m.get("meta"):
                print(f"    meta: {m['meta']}")


if __name__ == "__main__":
    main()
