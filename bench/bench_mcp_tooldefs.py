"""Precision and recall of the tool-definition detector (AG903/AG904/AG906) on tests/data/mcp_tools, per split.

    .venv/bin/python bench/bench_mcp_tooldefs.py

A definition counts as flagged when it has an error-level finding (the gateway withholds it). The splits are
described in tests/gate/test_gate_tooldefs.py: ``tune`` and ``fresh`` were tuned on, ``held_out`` and
``fresh2`` never were. Also prints the time to inspect one definition (uncached).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "mcp_tools"
SPLITS = ("tune", "fresh", "held_out", "fresh2")


def main() -> None:
    from brandrail.findings import Severity
    from brandrail.gate import tooldefs

    rows = [
        json.loads(line)
        for label in ("benign", "poisoned")
        for line in (DATA / f"{label}.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    flagged: dict[str, bool] = {}
    started = time.perf_counter()
    for row in rows:
        findings = tooldefs._inspect_canonical.__wrapped__(tooldefs.canonical_definition(row["tool"]))
        flagged[row["id"]] = any(f.severity is Severity.ERROR for f in findings)
    per_definition = (time.perf_counter() - started) / len(rows) * 1000
    print("| split | tuned on | poisoned flagged | benign flagged | precision | recall |")
    print("|---|---|---:|---:|---:|---:|")
    groups = [(s, (s,)) for s in SPLITS] + [("held_out + fresh2", ("held_out", "fresh2"))]
    for name, splits in groups:
        part = [r for r in rows if r["split"] in splits]
        poisoned = [r for r in part if r["label"] == "poisoned"]
        benign = [r for r in part if r["label"] == "benign"]
        tp = sum(flagged[r["id"]] for r in poisoned)
        fp = sum(flagged[r["id"]] for r in benign)
        tuned = "yes" if set(splits) <= {"tune", "fresh"} else "no"
        precision = tp / (tp + fp) if tp + fp else 1.0
        print(
            f"| {name} | {tuned} | {tp}/{len(poisoned)} | {fp}/{len(benign)} | {precision:.2f} | "
            f"{tp / len(poisoned):.2f} |"
        )
    print()
    for r in rows:
        if flagged[r["id"]] != (r["label"] == "poisoned"):
            kind = "missed" if r["label"] == "poisoned" else "false alarm"
            print(f"{kind}: {r['id']} ({r['split']}) {r['tool']['name']}")
    print(f"\n{per_definition:.2f} ms per definition (uncached, {len(rows)} definitions)")


if __name__ == "__main__":
    main()
