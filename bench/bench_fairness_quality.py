"""Verdict quality of the fairness audit: false errors on logs with no disparity, detection of injected ones.

    .venv/bin/python bench/bench_fairness_quality.py            # 6 seeds x 20k / 200k rows, 6 injected runs
    .venv/bin/python bench/bench_fairness_quality.py --quick    # 2 seeds x 20k rows

Logs are drawn here (not by brandrail's generator): sex (2 groups), age (4) and region (6) with unequal
sizes, so the 3-way intersection has 48 cells, many small; decision ~ Bernoulli(0.3), label ~ Bernoulli(0.2),
price ~ lognormal, all independent of the groups. "Injected": one intersection cell (f & 65+ & r1, ~2% of
rows) selected at 0.12 instead of 0.3 (ratio 0.4), and group age=65+ overcharged by 10%.
Counted: disparity findings (FA001-FA005, FA008) per audit, and the share of group comparisons flagged.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

import numpy as np
import pandas as pd

DISPARITY = {"FA001", "FA002", "FA003", "FA004", "FA005", "FA008"}
SEX = (["f", "m"], [0.55, 0.45])
AGE = (["18-24", "25-44", "45-64", "65+"], [0.15, 0.45, 0.3, 0.1])
REGION = (["r1", "r2", "r3", "r4", "r5", "r6"], [0.4, 0.2, 0.15, 0.1, 0.1, 0.05])


def draw(rows: int, seed: int, inject: bool) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {
            "sex": rng.choice(SEX[0], rows, p=SEX[1]),
            "age": rng.choice(AGE[0], rows, p=AGE[1]),
            "region": rng.choice(REGION[0], rows, p=REGION[1]),
        }
    )
    rate = np.full(rows, 0.3)
    markup = np.ones(rows)
    if inject:
        cell = ((df["sex"] == "f") & (df["age"] == "65+") & (df["region"] == "r1")).to_numpy()
        rate[cell] = 0.12
        markup[(df["age"] == "65+").to_numpy()] = 1.10
    df["shown"] = (rng.random(rows) < rate).astype(int)
    df["converted"] = (rng.random(rows) < 0.2).astype(int)
    df["price"] = np.round(rng.lognormal(3.5, 0.4, rows) * markup, 2)
    return df


def audit(df: pd.DataFrame) -> tuple[object, float]:
    import ibis

    from brandrail.fairness import audit_fairness
    from brandrail.policy import policy_from_dict

    policy = policy_from_dict(
        {
            "fairness": {
                "decision": "shown",
                "label": "converted",
                "outcomes": ["price"],
                "protected": ["sex", "age", "region"],
                "bootstrap": 0,
            }
        }
    )
    table = ibis.duckdb.connect().create_table("log", df)
    started = time.perf_counter()
    result = audit_fairness(table, policy)
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    seeds = range(2) if args.quick else range(6)
    sizes = [20_000] if args.quick else [20_000, 200_000]
    print(f"machine: {platform.machine()}, Python {platform.python_version()}")
    print("| log | rows | seeds | audits with a disparity finding | flagged / compared | median audit (s) |")
    print("|---|---:|---:|---:|---:|---:|")
    for rows in sizes:
        audits = flagged = compared = 0
        times = []
        for seed in seeds:
            result, seconds = audit(draw(rows, seed, inject=False))
            times.append(seconds)
            n = sum(1 for f in result.findings if f.code in DISPARITY)  # type: ignore[attr-defined]
            flagged += n
            audits += n > 0
            compared += sum(1 for g in result.groupings for x in g.groups if x.p_value is not None)  # type: ignore[attr-defined]
            compared += sum(1 for r in result.outcomes for o in r.groups if o.p_value is not None)  # type: ignore[attr-defined]
        print(
            f"| no disparity | {rows:,} | {len(seeds)} | {audits} of {len(seeds)} | {flagged} / {compared} "
            f"({flagged / compared:.2%}) | {statistics.median(times):.2f} |"
        )
    rows = 100_000
    found_cell = found_price = 0
    wrong = 0
    times = []
    for seed in seeds:
        result, seconds = audit(draw(rows, seed, inject=True))
        times.append(seconds)
        worse = {
            (f.code, f.evidence.get("worse_off"))  # type: ignore[attr-defined]
            for f in result.findings  # type: ignore[attr-defined]
            if f.code in DISPARITY
        }
        found_cell += ("FA001", "f & 65+ & r1") in worse
        found_price += ("FA005", "65+") in worse
        wrong += sum(1 for code, w in worse if w is not None and "65+" not in str(w))
    print(
        f"| injected (cell at 0.4x, 65+ price +10%) | {rows:,} | {len(seeds)} | cell found {found_cell} of "
        f"{len(seeds)}, price found {found_price} of {len(seeds)} | {wrong} findings naming a group "
        f"not injected | {statistics.median(times):.2f} |"
    )


if __name__ == "__main__":
    main()
