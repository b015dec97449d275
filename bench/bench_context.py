"""How well a customer's state (upset, reporting a loss) is read from their message: the frozen test part.

    python bench/bench_context.py                      # this tree: core tier and embedding tier
    python bench/bench_context.py --part dev           # the development part (what the model was fitted on)
    python bench/bench_context.py --part heldout       # the second held-out part (another author style)
    python bench/bench_context.py --baseline-tree OLD  # also the phrase lists of another checkout (core tier)

Data: tests/data/voice/customer_states/test.tsv (frozen; see its README). Each message is read as the only
customer turn of a conversation, as ``brandrail check --conversation`` reads it. For each state: recall (share
of the messages in that state found), precision, and the share of messages in neither state flagged, with
95% Wilson intervals. Output: a JSON report on stdout and in bench/out/context.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "tests" / "data" / "voice" / "customer_states"
STATES = ("upset", "loss")


def read_states(part: str, tier: str) -> list[tuple[str, ...]]:
    """Run in this process: the states found in each message of ``part`` by ``tier``."""
    from brandrail.text.conversation import parse_conversation
    from brandrail.voice.context import customer_state

    rows = load(part)
    out = []
    for r in rows:
        conversation = parse_conversation([{"role": "customer", "text": r["text"]}])
        # an older checkout's customer_state has no tier (its reading is the core one)
        state = (
            customer_state(conversation)
            if tier == "core-old"
            else customer_state(conversation, tone_model=tier)
        )
        out.append(state.states)
    return out


def load(part: str) -> list[dict[str, str]]:
    with (DATA / f"{part}.tsv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def score(rows: list[dict[str, str]], found: list[tuple[str, ...]]) -> dict[str, Any]:
    """The figures of another tree's reading (its states per message), as evaluate_states reports them."""
    from brandrail.voice.context import state_figures

    neither = [r["upset"] == "0" and r["loss"] == "0" for r in rows]
    return {
        state: state_figures([state in f for f in found], [r[state] == "1" for r in rows], neither)
        for state in STATES
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--part", default="test", choices=("test", "dev", "heldout"))
    ap.add_argument("--baseline-tree", type=Path, help="another checkout: its phrase lists (core tier) too")
    ap.add_argument("--quick", action="store_true", help="accepted for `make bench-quick` (the set is small)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:  # run in the other tree's interpreter path: print the states as JSON
        print(json.dumps(read_states(args.part, args.child)))
        return
    sys.path.insert(0, str(HERE.parent / "src"))
    rows = load(args.part)
    report: dict[str, Any] = {"part": args.part, "messages": len(rows), "tiers": {}}
    from brandrail.voice.context import LabelledMessage, evaluate_states

    messages = [LabelledMessage(r["text"], r["upset"] == "1", r["loss"] == "1") for r in rows]
    for tier in ("core", "embedding"):
        report["tiers"][tier] = evaluate_states(messages, tone_model=tier)["states"]
    if args.baseline_tree:
        env = {**os.environ, "PYTHONPATH": str(args.baseline_tree / "src")}
        done = subprocess.run(
            [sys.executable, __file__, "--part", args.part, "--child", "core-old"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        report["tiers"][f"core at {args.baseline_tree}"] = score(
            rows, [tuple(s) for s in json.loads(done.stdout)]
        )
    text = json.dumps(report, indent=1)
    print(text)
    out = HERE / "out" / ("context.json" if args.part == "test" else f"context-{args.part}.json")
    out.parent.mkdir(exist_ok=True)
    out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
