"""Benchmark the fairness audit on DuckDB against Fairlearn's MetricFrame.

    .venv/bin/python bench/bench_fairness.py                    # 1M and 10M rows (+ Fairlearn at both)
    .venv/bin/python bench/bench_fairness.py --sizes 100000000  # 100M rows (needs ~1.5 GB disk)
    .venv/bin/python bench/bench_fairness.py --quick            # 100k rows, a smoke run

Logs are generated with DuckDB SQL straight to Parquet under bench/out/fairness/ (never through pandas):
4 protected attributes (sex, age_band, ethnicity, disability), 2 controls (region, channel), a binary
decision, a binary outcome label and a price. Each measurement runs in a fresh process, which reports its
own wall time and peak RSS (``ru_maxrss``). brandrail runs the full audit (group rates with Wilson/Newcombe/
Katz intervals, parity metrics, the 4-way intersection, conditional parity within region x channel, price
means/medians with Poisson-bootstrap intervals, BH); Fairlearn computes selection rate, TPR and FPR per group
for the 4 attributes, the intersection and with the control features, from the Parquet file loaded into
pandas (load time reported separately). The two are checked to give the same per-group rates and parity
differences to 1e-9.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

OUT = Path(__file__).parent / "out" / "fairness"
PROTECTED = ["sex", "age_band", "ethnicity", "disability"]
CONTROLS = ["region", "channel"]
SECTION = {
    "decision": "shown",
    "label": "converted",
    "outcomes": ["price"],
    "protected": PROTECTED,
    "controls": CONTROLS,
    "outcome_resolution": 0.1,
    "bootstrap": 200,
    "min_cell": 0,  # report every group, as Fairlearn does, so the numbers can be compared one to one
}


def ensure_log(rows: int) -> Path:
    from brandrail.fairness.synthetic import write_parquet_log

    path = OUT / f"log_{rows}.parquet"
    if not path.exists():
        started = time.perf_counter()
        write_parquet_log(path.with_suffix(".tmp"), rows, seed=1)
        path.with_suffix(".tmp").rename(path)
        print(
            f"  generated {path.name} ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - started:.1f} s"
        )
    return path


def child_brandrail(path: str) -> dict[str, object]:
    import ibis

    from brandrail.fairness import audit_fairness
    from brandrail.policy import policy_from_dict

    started = time.perf_counter()
    con = ibis.duckdb.connect(threads=os.cpu_count() or 2, memory_limit="1GB")
    audit = audit_fairness(con.read_parquet(path), policy_from_dict({"fairness": SECTION}))
    wall = time.perf_counter() - started
    groups = {
        g.name: {x.group: x.selection_rate.value for x in g.groups if x.selection_rate}
        for g in audit.groupings
    }
    dp = {g.name: g.demographic_parity_difference for g in audit.groupings}
    eo = {g.name: g.equalized_odds_difference for g in audit.groupings}
    return {"wall": wall, "queries": audit.data.queries, "rates": groups, "dp": dp, "eo": eo}


def child_fairlearn(path: str, mode: str = "full") -> dict[str, object]:
    """Fairlearn on the same rows. ``full``: the 4 attributes, their intersection, and each attribute with the
    control features; ``single``: the 4 attributes only (less work than the brandrail audit does)."""
    import warnings

    import pandas as pd
    from fairlearn.metrics import MetricFrame, false_positive_rate, selection_rate, true_positive_rate

    warnings.simplefilter("ignore")
    started = time.perf_counter()
    df = pd.read_parquet(path, columns=["shown", "converted", *PROTECTED, *CONTROLS])
    loaded = time.perf_counter()
    metrics = {"selection_rate": selection_rate, "tpr": true_positive_rate, "fpr": false_positive_rate}
    rates: dict[str, dict[str, float]] = {}
    dp: dict[str, float] = {}
    eo: dict[str, float] = {}
    parts: dict[str, float] = {}
    combos = [[a] for a in PROTECTED] + ([PROTECTED] if mode == "full" else [])
    for attrs in combos:
        t0 = time.perf_counter()
        sf = df[attrs] if len(attrs) > 1 else df[attrs[0]]
        frame = MetricFrame(
            metrics=metrics, y_true=df["converted"], y_pred=df["shown"], sensitive_features=sf
        )
        name = " & ".join(attrs)
        by = frame.by_group.dropna(how="all")
        rates[name] = {
            (" & ".join(map(str, k)) if isinstance(k, tuple) else str(k)): float(v)
            for k, v in by["selection_rate"].items()
        }
        diff = frame.difference()
        dp[name] = float(diff["selection_rate"])
        eo[name] = float(max(diff["tpr"], diff["fpr"]))
        parts[name] = time.perf_counter() - t0
        if len(attrs) == 1 and mode == "full":  # conditional: within strata of the controls
            t0 = time.perf_counter()
            MetricFrame(
                metrics=metrics,
                y_true=df["converted"],
                y_pred=df["shown"],
                sensitive_features=sf,
                control_features=df[CONTROLS],
            ).difference()
            parts[f"{name} | controls"] = time.perf_counter() - t0
    done = time.perf_counter()
    return {
        "wall": done - loaded,
        "load": loaded - started,
        "rates": rates,
        "dp": dp,
        "eo": eo,
        "parts": parts,
    }


def run_child(kind: str, path: Path, *extra: str) -> dict[str, object]:
    here = str(Path(__file__).parent)
    args = ", ".join(repr(a) for a in (str(path), *extra))
    code = (
        f"import json, resource, sys; sys.path.insert(0, {here!r}); import bench_fairness as b; "
        f"r = b.child_{kind}({args}); "
        "r['peak_mb'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024; "
        "print('RESULT ' + json.dumps(r))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{kind} run failed:\n{proc.stderr[-3000:]}")
    line = next(x for x in proc.stdout.splitlines() if x.startswith("RESULT "))
    result: dict[str, object] = json.loads(line[len("RESULT ") :])
    return result


def same_numbers(a: dict[str, object], b: dict[str, object]) -> float:
    """Largest absolute difference between the two tools' rates and parity differences."""
    worst = 0.0
    for key in ("dp", "eo"):
        for name, value in b[key].items():  # type: ignore[attr-defined]
            worst = max(worst, abs(value - a[key][name]))  # type: ignore[index]
    for name, groups in a["rates"].items():  # type: ignore[attr-defined]
        if name not in b["rates"]:  # type: ignore[operator]
            continue
        other = b["rates"][name]  # type: ignore[index]
        assert set(groups) == set(other), name
        for g, v in groups.items():
            worst = max(worst, abs(v - other[g]))
    return worst


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="100k rows, one repeat")
    parser.add_argument("--sizes", default="1000000,10000000", help="comma-separated row counts")
    parser.add_argument(
        "--fairlearn-max", type=int, default=10_000_000, help="largest size to run Fairlearn on"
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--fairlearn-single-above",
        type=int,
        default=1_000_000,
        help="above this size run Fairlearn on the 4 single attributes only (its full run takes too long)",
    )
    args = parser.parse_args()
    sizes = [100_000] if args.quick else [int(s) for s in args.sizes.split(",")]
    repeats = 1 if args.quick else args.repeats
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}")
    rows_out = []
    for rows in sizes:
        path = ensure_log(rows)
        reps = repeats if rows <= 10_000_000 else 1
        ours = [run_child("brandrail", path) for _ in range(reps)]
        wall = statistics.median(r["wall"] for r in ours)  # type: ignore[misc]
        peak = max(r["peak_mb"] for r in ours)  # type: ignore[type-var]
        line = {"rows": rows, "brandrail_s": wall, "brandrail_peak_mb": peak, "queries": ours[0]["queries"]}
        print(
            f"  {rows:>11,} rows  brandrail {wall:7.2f} s  peak {peak:6.0f} MB  ({ours[0]['queries']} queries)"
        )
        if rows <= args.fairlearn_max:
            mode = "single" if rows > args.fairlearn_single_above else "full"
            fl = run_child("fairlearn", path, mode)
            line.update(
                fairlearn_mode=mode,
                fairlearn_parts=fl["parts"],
                fairlearn_s=fl["wall"],
                fairlearn_load_s=fl["load"],
                fairlearn_peak_mb=fl["peak_mb"],
                speedup=fl["wall"] / wall,  # type: ignore[operator]
                max_abs_diff=same_numbers(ours[0], fl),
            )
            print(
                f"  {'':>11}       fairlearn ({mode}) {fl['wall']:7.2f} s (+{fl['load']:.1f} s load)  peak "
                f"{fl['peak_mb']:6.0f} MB  speedup {line['speedup']:.0f}x  max |diff| {line['max_abs_diff']:.1e}"
            )
        rows_out.append(line)
    OUT.mkdir(parents=True, exist_ok=True)
    store = OUT / "results.json"
    previous = json.loads(store.read_text()) if store.exists() else []
    merged: dict[int, dict[str, object]] = {}
    for r in [*previous, *rows_out]:  # a later run keeps an earlier run's Fairlearn figures
        merged[r["rows"]] = {**merged.get(r["rows"], {}), **r}
    store.write_text(json.dumps([merged[k] for k in sorted(merged)], indent=2))
    print(f"wrote {OUT / 'results.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
