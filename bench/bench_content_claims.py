"""Precision and recall per code of the claims, terms and inclusive rules on tests/data/claims.

    .venv/bin/python bench/bench_content_claims.py          # table and disagreements
    .venv/bin/python bench/bench_content_claims.py --write  # also rewrite the "Now" table of bench/results/claims.md

The set and its labelling rules are described in tests/data/claims/README.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "claims.md"


def table_md() -> tuple[str, list[dict[str, object]]]:
    sys.path.insert(0, str(ROOT / "tests" / "content"))
    from test_content_claims_quality import evaluate

    table, errors = evaluate()
    lines = ["| code | TP | FP | FN | precision | recall |", "|---|---:|---:|---:|---:|---:|"]
    tp = fp = fn = 0
    for code, r in table.items():
        lines.append(
            f"| {code} | {r['tp']} | {r['fp']} | {r['fn']} | {r['precision']:.2f} | {r['recall']:.2f} |"
        )
        tp, fp, fn = tp + int(r["tp"]), fp + int(r["fp"]), fn + int(r["fn"])
    lines.append(f"| **all (micro)** | {tp} | {fp} | {fn} | {tp / (tp + fp):.2f} | {tp / (tp + fn):.2f} |")
    return "\n".join(lines), errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="rewrite bench/results/claims.md")
    args = parser.parse_args()
    md, errors = table_md()
    print(md)
    print()
    for e in errors:
        print(f"{e['id']:>4} missed={e['missed']} extra={e['extra']} {e['text']}")
    if args.write:
        # the "## Now" section is rewritten; the recorded "before" figures below it stay
        text = RESULTS.read_text(encoding="utf-8")
        head, _, rest = text.partition("## Now\n")
        _, _, tail = rest.partition("## Before")
        lines = "\n".join(f"{e['id']:>4} missed={e['missed']} extra={e['extra']} {e['text']}" for e in errors)
        now = f"## Now\n\n{md}\n\nRemaining disagreements (message id, codes missed, codes extra):\n\n```\n{lines}\n```\n\n"
        RESULTS.write_text(head + now + "## Before" + tail, encoding="utf-8")


if __name__ == "__main__":
    main()
