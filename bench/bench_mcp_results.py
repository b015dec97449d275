"""Detection and false alarms of the tool-result screen (AG907/AG908) on tests/data/mcp_results, per split.

    PYTHONPATH=src .venv/bin/python bench/bench_mcp_results.py [--misses]

A result counts as flagged when it has an AG907 or AG908 finding (the gateway acts on it). The split was
fixed before tuning (tests/data/mcp_results/README.md): ``dev`` was read while tuning, ``held_out`` never
was. Also prints the time to screen one result.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "mcp_results"


def rows() -> list[dict[str, str]]:
    return [
        json.loads(line)
        for label in ("benign", "poisoned")
        for line in (DATA / f"{label}.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def main() -> None:
    from brandrail.gate.toolresults import inspect_result

    data = rows()
    show = "--misses" in sys.argv
    flagged: dict[str, list[str]] = {}
    started = time.perf_counter()
    for row in data:
        found = inspect_result(row["text"])
        flagged[row["id"]] = sorted({f"{f.code}:{f.evidence.get('family', 'hidden')}" for f in found})
    per_result = (time.perf_counter() - started) / len(data) * 1000
    print("| split | tuned on | poisoned flagged | benign flagged | precision | recall |")
    print("|---|---|---:|---:|---:|---:|")
    for split in ("dev", "held_out"):
        part = [r for r in data if r["split"] == split]
        poisoned = [r for r in part if r["label"] == "poisoned"]
        benign = [r for r in part if r["label"] == "benign"]
        tp = sum(bool(flagged[r["id"]]) for r in poisoned)
        fp = sum(bool(flagged[r["id"]]) for r in benign)
        precision = tp / (tp + fp) if tp + fp else 1.0
        tuned = "yes" if split == "dev" else "no"
        print(
            f"| {split} | {tuned} | {tp}/{len(poisoned)} | {fp}/{len(benign)} | {precision:.2f} | "
            f"{tp / len(poisoned):.2f} |"
        )
    print()
    for r in data:
        if bool(flagged[r["id"]]) != (r["label"] == "poisoned"):
            kind = "missed" if r["label"] == "poisoned" else "false alarm"
            detail = f" {flagged[r['id']]}" if flagged[r["id"]] else f" ({r.get('style', r['kind'])})"
            print(f"{kind}: {r['id']} ({r['split']}){detail}")
            if show and (r["split"] == "dev"):
                print("   ", r["text"][:300].replace("\n", " | "))
    print(f"\n{per_result:.2f} ms per result ({len(data)} results)")


if __name__ == "__main__":
    main()
