"""Benchmarks of the goals pillar.

* OPE: IPS / SNIPS / DM / DR / DR-clip with a cross-fitted linear reward model on both rewards, analytic and
  Poisson-bootstrap intervals (B = 500), on 1M and 10M logged rounds with 10 actions (in-memory arrays).
* Experiment verdicts: `audit_goals` on a 50M-row per-recipient Parquet table generated with DuckDB SQL
  under bench/out/, aggregated by DuckDB through Ibis (overall + one segment column).

Each case runs in a fresh subprocess so that its peak RSS is its own.

    .venv/bin/python bench/bench_goals.py            # full run
    .venv/bin/python bench/bench_goals.py --quick    # tiny sizes, a few seconds
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"

POLICY = """
goals:
  objective: {name: net_revenue, pre_column: pre_revenue}
  proxies: [{name: opened, kind: proportion}, {name: clicked, kind: proportion}]
  guardrails: [{name: unsubscribed, kind: proportion, higher_is_better: false, margin: 0.002}]
  experiment: {segments: [customer_type]}
  ope: {proxy_reward: proxy, goal_reward: goal, features: [x1, x2, segment], bootstrap: 500}
"""


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def case_ope(n: int, repeats: int) -> dict[str, object]:
    import numpy as np

    from brandrail.goals import evaluate_policy
    from brandrail.goals.synthetic import BanditEnv, random_env
    from brandrail.policy import loads_policy

    env = random_env(10, seed=1)
    rng = np.random.default_rng(0)
    logging = rng.dirichlet(np.ones(10) * 2, size=2)
    target = rng.dirichlet(np.ones(10) * 2, size=2)
    data = env.sample(n, logging, seed=1)
    pi = BanditEnv.rows(target, data["segment"])
    policy = loads_policy(POLICY)
    base = _rss_mib()
    times, cpu = [], []
    rep = None
    for _ in range(repeats):
        t, c = time.perf_counter(), time.process_time()
        rep = evaluate_policy(data, pi, policy)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    assert rep is not None
    truth = env.goal_value(target)
    return {
        "case": "ope",
        "n": n,
        "actions": 10,
        "bootstrap": rep.bootstrap,
        "seconds": times,
        "median_s": statistics.median(times),
        "cpu_s": cpu,
        "median_cpu_s": statistics.median(cpu),
        "load_avg_1min": os.getloadavg()[0],
        "stages_s": {k: round(v, 3) for k, v in rep.timings.items()},
        "rss_before_mib": round(base, 1),
        "peak_rss_mib": round(_rss_mib(), 1),
        "dr_error": rep.goal.estimates["dr"].value - truth,
        "dr_ci": rep.goal.estimates["dr"].boot_ci,
        "truth": truth,
    }


def generate_campaign(path: Path, n: int) -> float:
    """A per-recipient campaign table written by DuckDB SQL straight to Parquet (no pandas)."""
    import duckdb

    path.parent.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    con = duckdb.connect()
    con.execute(
        f"""
        COPY (
          WITH base AS (
            SELECT i,
                   CASE i % 3 WHEN 0 THEN 'control' WHEN 1 THEN 'clickbait' ELSE 'benefit' END AS variant,
                   CASE WHEN random() < 0.5 THEN 'new' ELSE 'returning' END AS customer_type,
                   -ln(1 - random()) AS value
            FROM range({n}) t(i)
          )
          SELECT i AS recipient_id, variant, customer_type,
                 (random() < CASE variant WHEN 'clickbait' THEN 0.28 WHEN 'benefit' THEN 0.21 ELSE 0.20 END)::TINYINT
                   AS opened,
                 (random() < CASE variant WHEN 'clickbait' THEN 0.04 WHEN 'benefit' THEN 0.035 ELSE 0.03 END)::TINYINT
                   AS clicked,
                 (random() < CASE variant WHEN 'clickbait' THEN 0.006 ELSE 0.003 END)::TINYINT AS unsubscribed,
                 (random() < CASE variant WHEN 'clickbait' THEN 0.016 WHEN 'benefit' THEN 0.024 ELSE 0.02 END)::DOUBLE
                   * 80 * value AS net_revenue,
                 value * 20 + 5 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS pre_revenue
          FROM base
        ) TO '{path}' (FORMAT PARQUET, ROW_GROUP_SIZE 1000000)
        """
    )
    return time.perf_counter() - t


def case_experiment(n: int, repeats: int) -> dict[str, object]:
    from brandrail.goals import audit_goals
    from brandrail.policy import loads_policy

    path = OUT / f"campaign_{n}.parquet"
    gen = generate_campaign(path, n) if not path.exists() else None
    policy = loads_policy(POLICY)
    base = _rss_mib()
    times, cpu = [], []
    res = None
    for _ in range(repeats):
        t, c = time.perf_counter(), time.process_time()
        res = audit_goals(str(path), policy)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    assert res is not None
    return {
        "case": "experiment",
        "n": n,
        "file_mib": round(path.stat().st_size / 2**20, 1),
        "generate_s": gen,
        "seconds": times,
        "median_s": statistics.median(times),
        "cpu_s": cpu,
        "median_cpu_s": statistics.median(cpu),
        "load_avg_1min": os.getloadavg()[0],
        "rss_before_mib": round(base, 1),
        "peak_rss_mib": round(_rss_mib(), 1),
        "decisions": {v.variant: v.decision for v in res.verdicts},
        "segment_verdicts": len(res.segment_verdicts),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if args.case:
        fn = case_ope if args.case == "ope" else case_experiment
        print(json.dumps(fn(args.n, args.repeats)))
        return
    if args.quick:
        plan = [("ope", 20_000, 1), ("experiment", 200_000, 1)]
    else:
        plan = [("ope", 1_000_000, 3), ("ope", 10_000_000, 3), ("experiment", 50_000_000, 3)]
    results = []
    for case, n, repeats in plan:
        proc = subprocess.run(
            [sys.executable, __file__, "--case", case, "--n", str(n), "--repeats", str(repeats)],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            raise SystemExit(proc.returncode)
        row = json.loads(proc.stdout.strip().splitlines()[-1])
        results.append(row)
        print(json.dumps(row))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / ("goals-quick.json" if args.quick else "goals.json")).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
