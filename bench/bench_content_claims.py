"""Precision and recall per code of the claims, terms and inclusive rules on the labelled sets.

    .venv/bin/python bench/bench_content_claims.py              # first set (tests/data/claims): table, disagreements
    .venv/bin/python bench/bench_content_claims.py --set dev    # the fresh set's development half
    .venv/bin/python bench/bench_content_claims.py --set heldout   # the held-out half: the table only
    .venv/bin/python bench/bench_content_claims.py --set dev2   # the third set (tests/data/claims_fresh2)
    .venv/bin/python bench/bench_content_claims.py --set heldout2  # ... and its held-out half: the table only
    .venv/bin/python bench/bench_content_claims.py --set heldout3 --show-heldout  # the fourth set, with
                                                                # its disagreements (measured, now development data)
    .venv/bin/python bench/bench_content_claims.py --set fresh5  # the fifth part (claims_fresh3/fresh5.yaml)
    .venv/bin/python bench/bench_content_claims.py --set heldout4  # a fourth brand (claims_fresh4), held out
    .venv/bin/python bench/bench_content_claims.py --set fresh6  # the sixth part (claims_fresh4/fresh6.yaml)
    .venv/bin/python bench/bench_content_claims.py --set fresh7  # the seventh part (claims_fresh4/fresh7.yaml)
    .venv/bin/python bench/bench_content_claims.py --set heldout6  # a fifth brand (claims_fresh5), held out;
                                                                # scores BR301 (required disclosures) too
    .venv/bin/python bench/bench_content_claims.py --set fresh9  # the ninth part (claims_fresh5/fresh9.yaml)
    .venv/bin/python bench/bench_content_claims.py --set heldout7  # a sixth brand (claims_fresh6), held out;
                                                                # scores BR301 too
    .venv/bin/python bench/bench_content_claims.py --set fresh11  # the eleventh part (claims_fresh6/fresh11.yaml)
    .venv/bin/python bench/bench_content_claims.py --set heldout8  # a seventh brand (claims_fresh7), held out;
                                                                # scores BR301 too
    .venv/bin/python bench/bench_content_claims.py --set fresh12  # the twelfth part (claims_fresh7/fresh12.yaml)
    .venv/bin/python bench/bench_content_claims.py --set heldout9  # an eighth brand (claims_fresh8), held out;
                                                                # scores BR301 too
    .venv/bin/python bench/bench_content_claims.py --set fresh13  # the thirteenth part (claims_fresh8/fresh13.yaml)
    .venv/bin/python bench/bench_content_claims.py --write      # also rewrite the first set's and the dev half's
                                                                # "Now" tables of bench/results/claims.md

The sets and their labelling rules are described in tests/data/claims/README.md,
tests/data/claims_fresh/README.md and tests/data/claims_fresh2/README.md. The held-out half is measured, never read for tuning: its disagreements
are printed only with --show-heldout, and --write never rewrites its recorded figures.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "claims.md"
SETS = {
    "first": ROOT / "tests" / "data" / "claims" / "messages.yaml",
    "dev": ROOT / "tests" / "data" / "claims_fresh" / "dev.yaml",
    "heldout": ROOT / "tests" / "data" / "claims_fresh" / "heldout.yaml",
    "dev2": ROOT / "tests" / "data" / "claims_fresh2" / "dev.yaml",
    "heldout2": ROOT / "tests" / "data" / "claims_fresh2" / "heldout.yaml",
    "heldout3": ROOT / "tests" / "data" / "claims_fresh3" / "heldout.yaml",
    "fresh5": ROOT / "tests" / "data" / "claims_fresh3" / "fresh5.yaml",
    "heldout4": ROOT / "tests" / "data" / "claims_fresh4" / "heldout.yaml",
    "fresh6": ROOT / "tests" / "data" / "claims_fresh4" / "fresh6.yaml",
    "fresh7": ROOT / "tests" / "data" / "claims_fresh4" / "fresh7.yaml",
    "heldout6": ROOT / "tests" / "data" / "claims_fresh5" / "heldout.yaml",
    "fresh9": ROOT / "tests" / "data" / "claims_fresh5" / "fresh9.yaml",
    "heldout7": ROOT / "tests" / "data" / "claims_fresh6" / "heldout.yaml",
    "fresh11": ROOT / "tests" / "data" / "claims_fresh6" / "fresh11.yaml",
    "heldout8": ROOT / "tests" / "data" / "claims_fresh7" / "heldout.yaml",
    "fresh12": ROOT / "tests" / "data" / "claims_fresh7" / "fresh12.yaml",
    "heldout9": ROOT / "tests" / "data" / "claims_fresh8" / "heldout.yaml",
    "fresh13": ROOT / "tests" / "data" / "claims_fresh8" / "fresh13.yaml",
}
HELD_OUT = ("heldout", "heldout2", "heldout3", "heldout4", "heldout6", "heldout7", "heldout8", "heldout9")
#: Sets whose labels include BR301 (a required disclosure): that code is scored beside the claims codes.
WITH_DISCLOSURES = ("heldout6", "fresh9", "heldout7", "fresh11", "heldout8", "fresh12", "heldout9", "fresh13")


def table_md(which: str = "first") -> tuple[str, list[dict[str, object]]]:
    sys.path.insert(0, str(ROOT / "tests" / "content"))
    from test_content_claims_quality import SCORED_PREFIXES, evaluate

    scored = (*SCORED_PREFIXES, "BR301") if which in WITH_DISCLOSURES else SCORED_PREFIXES
    table, errors = evaluate(SETS[which], scored=scored)
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
    parser.add_argument(
        "--set", choices=sorted(SETS), default="first", dest="which", help="which labelled set"
    )
    parser.add_argument("--show-heldout", action="store_true", help="also print the held-out disagreements")
    parser.add_argument("--write", action="store_true", help="rewrite bench/results/claims.md")
    args = parser.parse_args()
    md, errors = table_md(args.which)
    print(md)
    print()
    if args.which not in HELD_OUT or args.show_heldout:
        for e in errors:
            print(f"{e['id']:>4} missed={e['missed']} extra={e['extra']} {e['text']}")
    if args.write:
        # the two "now" sections are rewritten; the recorded "before" and held-out figures stay
        text = RESULTS.read_text(encoding="utf-8")
        for which, title in (("first", "## First set: now"), ("dev", "## Fresh set, development half: now")):
            md, errors = table_md(which)
            head, _, rest = text.partition(f"{title}\n")
            _, sep, tail = rest.partition("\n## ")
            lines = "\n".join(
                f"{e['id']:>4} missed={e['missed']} extra={e['extra']} {e['text']}" for e in errors
            )
            now = (
                f"{title}\n\n{md}\n\nRemaining disagreements (message id, codes missed, codes extra):\n\n"
                f"```\n{lines}\n```\n"
            )
            text = head + now + sep + tail
        RESULTS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
