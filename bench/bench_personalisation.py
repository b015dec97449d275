"""Precision and recall of the gate's personalisation reading on the hand-labelled set.

tests/data/personalisation/messages.yaml (see its README) holds messages labelled ``personalised`` or
``generic``, split into ``dev`` (tuned on) and ``held_out`` (measured once). A message is predicted
personalised when :func:`brandrail.gate.personalisation.personal_signals` finds any signal in it, with the
message counted as marketing when its ``marketing`` flag says so or its content makes an offer (AG405's
reading). Run: ``PYTHONPATH=src python bench/bench_personalisation.py [--errors]``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import yaml

from brandrail.gate.actions import Recipient
from brandrail.gate.personalisation import personal_signals
from brandrail.gate.rules import marketing_reason
from brandrail.policy import policy_from_dict

SET = Path(__file__).resolve().parents[1] / "tests" / "data" / "personalisation" / "messages.yaml"


def predict(entry: dict[str, object]) -> list[dict[str, object]]:
    policy = policy_from_dict({})
    subject, content = entry.get("subject"), str(entry["content"])
    recipient = Recipient(id="r", **entry["recipient"])  # type: ignore[arg-type]
    signals = personal_signals(
        policy,
        recipient,
        [("content", content), ("subject", subject if isinstance(subject, str) else None)],
        lambda: bool(entry["marketing"]) or marketing_reason(policy, subject, content) is not None,  # type: ignore[arg-type]
    )
    return [s.evidence() for s in signals]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="print the misread messages")
    args = parser.parse_args()
    entries = yaml.safe_load(SET.read_text(encoding="utf-8"))
    for split in ("dev", "held_out"):
        tp = fp = fn = tn = 0
        for entry in (e for e in entries if e["split"] == split):
            found = predict(entry)
            truth = entry["label"] == "personalised"
            if found and truth:
                tp += 1
            elif found:
                fp += 1
            elif truth:
                fn += 1
            else:
                tn += 1
            if args.errors and bool(found) != truth:
                print(f"  {split} #{entry['id']} {entry['label']}: {entry['content']!r} {json.dumps(found)}")
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        print(
            f"{split:9} n={tp + fp + fn + tn:3}  TP {tp:2} FP {fp:2} FN {fn:2} TN {tn:2}  "
            f"precision {precision:.3f}  recall {recall:.3f}"
        )


if __name__ == "__main__":
    main()
