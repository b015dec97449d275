"""Evasion resistance on a pinned attack set: caught / missed per disguise family, false alarms on look-alikes.

    PYTHONPATH=src .venv/bin/python bench/bench_evasion.py                       # the pinned set
    PYTHONPATH=src .venv/bin/python bench/bench_evasion.py --set tests/data/evasion/heldout.yaml
    PYTHONPATH=src .venv/bin/python bench/bench_evasion.py --set tests/data/evasion/heldout2.yaml
    PYTHONPATH=src .venv/bin/python bench/bench_evasion.py --set tests/data/evasion/heldout3.yaml
    PYTHONPATH=src .venv/bin/python bench/bench_evasion.py --all                   # every pinned set, totals
    PYTHONPATH=src .venv/bin/python bench/bench_evasion.py --json                # machine-readable
    PYTHONPATH=src .venv/bin/python bench/bench_evasion.py --misses             # list every miss

The set's format is in tests/data/evasion/README.md. An attack is caught when every code in its ``expect``
fires and, when it names the disguised fragment (``where``), a finding of the first expected code overlaps that
fragment in the original text. A benign case is a false alarm when any of its forbidden codes fires.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_SET = ROOT / "tests" / "data" / "evasion" / "attacks.yaml"
#: Every pinned set, in the order they were written (each names its own policy).
PINNED_SETS = tuple(
    ROOT / "tests" / "data" / "evasion" / n
    for n in (
        "attacks.yaml",
        "heldout.yaml",
        "heldout2.yaml",
        "heldout3.yaml",
        "heldout4.yaml",
        "fresh5.yaml",
        "heldout5.yaml",
        "fresh6.yaml",
        "heldout6.yaml",
        "fresh9.yaml",
        "fresh10.yaml",
        "heldout7.yaml",
        "fresh11.yaml",
        "heldout8.yaml",
        "fresh12.yaml",
        "heldout9.yaml",
        "fresh13.yaml",
    )
)


def load_set(path: Path) -> tuple[dict[str, Any], Any]:
    """The attack set at ``path`` and the policy it names (loaded from the same folder)."""
    from brandrail.policy import load_policy

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    policy = load_policy(path.parent / data["policy"])
    return data, policy


def _codes(case: dict[str, Any], policy: Any) -> list[Any]:
    from brandrail.engine import check_text

    result = check_text(case["text"], policy, channel=case.get("channel"), kind=case.get("kind", "text"))
    return list(result.findings)


def caught(case: dict[str, Any], findings: list[Any]) -> bool:
    """Whether every expected code fired (and, with ``where``, the first one over the disguised fragment)."""
    fired = {f.code for f in findings}
    if not set(case["expect"]) <= fired:
        return False
    where = case.get("where")
    if where is None:
        return True
    start = case["text"].index(where)
    end = start + len(where)
    code = case["expect"][0]
    return any(
        f.code == code and f.span is not None and f.span.start < end and start < f.span.end for f in findings
    )


def measure(path: Path) -> dict[str, Any]:
    data, policy = load_set(path)
    forbid_default = set(data.get("benign_forbid_default", []))
    families: dict[str, dict[str, int]] = defaultdict(lambda: {"caught": 0, "missed": 0})
    misses: list[dict[str, Any]] = []
    for case in data["attacks"]:
        findings = _codes(case, policy)
        ok = caught(case, findings)
        families[case["family"]]["caught" if ok else "missed"] += 1
        if not ok:
            misses.append(
                {
                    "id": case["id"],
                    "family": case["family"],
                    "text": case["text"],
                    "expect": case["expect"],
                    "fired": sorted({f.code for f in findings}),
                }
            )
    benign: dict[str, dict[str, int]] = defaultdict(lambda: {"clean": 0, "false_alarm": 0})
    alarms: list[dict[str, Any]] = []
    for case in data["benign"]:
        findings = _codes(case, policy)
        forbid = set(case.get("forbid", forbid_default))
        bad = sorted({f.code for f in findings} & forbid)
        benign[case["family"]]["false_alarm" if bad else "clean"] += 1
        if bad:
            alarms.append({"id": case["id"], "family": case["family"], "text": case["text"], "fired": bad})
    total_caught = sum(v["caught"] for v in families.values())
    total_alarm = sum(v["false_alarm"] for v in benign.values())
    return {
        "set": str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path),
        "attacks": len(data["attacks"]),
        "caught": total_caught,
        "benign": len(data["benign"]),
        "false_alarms": total_alarm,
        "families": dict(families),
        "benign_families": dict(benign),
        "misses": misses,
        "alarms": alarms,
    }


def table(report: dict[str, Any]) -> str:
    lines = [f"Set: {report['set']}", "", "| disguise family | caught | missed |", "|---|---:|---:|"]
    for fam, v in sorted(report["families"].items()):
        lines.append(f"| {fam} | {v['caught']} | {v['missed']} |")
    lines.append(
        f"| **all attacks** | **{report['caught']}** of {report['attacks']} | "
        f"{report['attacks'] - report['caught']} |"
    )
    lines += ["", "| benign family | clean | false alarms |", "|---|---:|---:|"]
    for fam, v in sorted(report["benign_families"].items()):
        lines.append(f"| {fam} | {v['clean']} | {v['false_alarm']} |")
    lines.append(
        f"| **all benign** | {report['benign'] - report['false_alarms']} of {report['benign']} | "
        f"**{report['false_alarms']}** |"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--set",
        type=Path,
        default=DEFAULT_SET,
        help="the attack set (YAML), or a pinned set's name (heldout9)",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--misses", action="store_true", help="list every miss and false alarm")
    parser.add_argument("--all", action="store_true", help="measure every pinned set (a summary line each)")
    args = parser.parse_args(argv)
    if args.all:
        reports = [measure(p) for p in PINNED_SETS]
        if args.json:
            print(json.dumps(reports, ensure_ascii=False, indent=2))
            return 0
        print("| set | attacks caught | benign false alarms |\n|---|---:|---:|")
        for r in reports:
            print(f"| {r['set']} | {r['caught']} of {r['attacks']} | {r['false_alarms']} of {r['benign']} |")
        return 0
    path = args.set
    if not path.exists() and path.parent == Path(".") and not path.suffix:
        path = DEFAULT_SET.parent / f"{path.name}.yaml"  # a pinned set by name: "--set heldout9"
    if not path.exists():
        parser.error(f"no attack set at {args.set}")
    report = measure(path.resolve())
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    print(table(report))
    if args.misses:
        print("\nMisses:")
        for m in report["misses"]:
            print(f"  {m['id']} [{m['family']}] expect {m['expect']} fired {m['fired']}: {m['text']!r}")
        print("\nFalse alarms:")
        for a in report["alarms"]:
            print(f"  {a['id']} [{a['family']}] fired {a['fired']}: {a['text']!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
