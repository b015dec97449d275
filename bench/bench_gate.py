"""Benchmark the agent action gate: decisions/s and p50/p99 latency.

1. stateless rules in-process (parse + every stateless rule, no store), one core;
2. the same with content checks on the message payloads;
3. full decisions with budget counters and frequency windows on SQLite (one process, each decision one
   writer transaction with its ledger entry);
4. full decisions from 4 processes sharing one PostgreSQL database (total decisions/s).

Run: .venv/bin/python bench/bench_gate.py [--quick]. Data and databases go under bench/out/.
"""

from __future__ import annotations

import multiprocessing
import platform
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "out" / "gate"
PG_BASE = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
T0 = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)

POLICY: dict[str, Any] = {
    "terms": {"banned": [{"term": "cheap", "replacement": ["affordable"]}, {"term": "crap"}]},
    "gate": {
        "content_checks": False,
        "budget": {"max_per_action": "500", "campaign_daily_cap": "100000000", "agent_cap": "100000000"},
        "price": {"floor": "5", "ceiling": "2000", "min_margin": 0.1, "max_discount": 40},
        "frequency": [{"channel": "email", "max": 3, "window": "7d"}],
        "send_rates": [{"channel": "*", "max": 1000000, "window": "1m"}],
        "consent": {"require_opt_in": []},
        "approvals": {"spend_over": "400", "audience_size_over": 100000},
    },
}


def actions(n: int, seed: int = 1) -> list[dict[str, Any]]:
    """A mixed stream: spends, sends (many recipients), prices, discounts, audiences."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        base = {
            "id": f"b-{seed}-{i}-{uuid.uuid4().hex[:6]}",
            "agent": f"agent-{i % 4}",
            "time": (T0 + timedelta(seconds=i)).isoformat(),
        }
        r = rng.random()
        if r < 0.4:
            out.append(
                {
                    **base,
                    "kind": "spend",
                    "campaign": f"c{i % 10}",
                    "amount": f"{rng.randint(1, 45000) / 100:.2f}",
                }
            )
        elif r < 0.75:
            out.append(
                {
                    **base,
                    "kind": "send_message",
                    "channel": "email",
                    "recipient": {"id": f"r{rng.randint(1, 5000)}", "timezone": "Europe/London"},
                    "content": "Spring trail season is here: new tents in store.",
                }
            )
        elif r < 0.85:
            out.append(
                {
                    **base,
                    "kind": "set_discount",
                    "item": f"item{i % 50}",
                    "discount": rng.randint(0, 50),
                    "price": "100",
                    "cost": "60",
                }
            )
        else:
            out.append(
                {
                    **base,
                    "kind": "target_audience",
                    "estimated_size": rng.randint(1000, 200000),
                    "criteria": [
                        {
                            "attribute": rng.choice(["interest", "health_condition", "age"]),
                            "op": "ge",
                            "value": 18,
                        }
                    ],
                }
            )
    return out


def _stats(latencies: list[float], elapsed: float, cpu: float | None = None) -> dict[str, float]:
    lat = sorted(latencies)
    return {
        "n": len(lat),
        "per_s": len(lat) / elapsed,
        "per_cpu_s": len(lat) / cpu if cpu else float("nan"),
        "p50_ms": statistics.median(lat) * 1000,
        "p99_ms": lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000,
    }


def bench_stateless(n: int, content: bool) -> dict[str, float]:
    from brandrail.gate.actions import parse_action
    from brandrail.gate.rules import evaluate
    from brandrail.policy import policy_from_dict

    data = {**POLICY, "gate": {**POLICY["gate"], "content_checks": content}}
    policy = policy_from_dict(data)
    stream = actions(n)
    for item in stream[:200]:  # warm-up (imports, caches)
        evaluate(policy, parse_action(item), T0)
    latencies = []
    started, cpu = time.perf_counter(), time.process_time()
    for item in stream:
        t = time.perf_counter()
        evaluate(policy, parse_action(item), T0)
        latencies.append(time.perf_counter() - t)
    return _stats(latencies, time.perf_counter() - started, time.process_time() - cpu)


def _decide_loop(url: str, stream: list[dict[str, Any]]) -> tuple[list[float], float, float]:
    from brandrail.gate import Gate, GateStore
    from brandrail.policy import policy_from_dict

    gate = Gate(policy_from_dict(POLICY), GateStore.from_url(url), clock=lambda: T0)
    latencies = []
    started, cpu = time.perf_counter(), time.process_time()
    for item in stream:
        t = time.perf_counter()
        gate.decide(item)
        latencies.append(time.perf_counter() - t)
    return latencies, time.perf_counter() - started, time.process_time() - cpu


def bench_sqlite(n: int) -> dict[str, float]:
    OUT.mkdir(parents=True, exist_ok=True)
    db = OUT / "bench-gate.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{db}"
    _decide_loop(url, actions(100, seed=99))  # warm-up and migration
    latencies, elapsed, cpu = _decide_loop(url, actions(n, seed=2))
    return _stats(latencies, elapsed, cpu)


def _pg_worker(url: str, n: int, seed: int, queue: Any) -> None:
    queue.put(_decide_loop(url, actions(n, seed=seed)))


def bench_postgres(n_per_process: int, processes: int = 4) -> dict[str, float] | None:
    import sqlalchemy as sa

    from brandrail.gate import GateStore

    schema = f"bench_gate_{uuid.uuid4().hex[:8]}"
    try:
        engine = sa.create_engine(PG_BASE)
        with engine.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:
        print(f"PostgreSQL not reachable ({exc}); skipping", file=sys.stderr)
        return None
    url = f"{PG_BASE}?options=-csearch_path%3D{schema}"
    try:
        GateStore.from_url(url).engine.dispose()
        ctx = multiprocessing.get_context("spawn")
        queue = ctx.Queue()
        procs = [
            ctx.Process(target=_pg_worker, args=(url, n_per_process, 10 + p, queue)) for p in range(processes)
        ]
        started = time.perf_counter()
        for proc in procs:
            proc.start()
        results = [queue.get() for _ in procs]
        for proc in procs:
            proc.join()
        wall = time.perf_counter() - started
        latencies = [lat for r in results for lat in r[0]]
        busy = max(r[1] for r in results)
        stats = _stats(latencies, busy, sum(r[2] for r in results))
        stats["wall_s_incl_startup"] = wall
        return stats
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


def main() -> int:
    quick = "--quick" in sys.argv
    n_stateless = 2000 if quick else 20000
    n_sqlite = 300 if quick else 5000
    n_pg = 100 if quick else 500
    print(
        f"machine: {platform.machine()}, {multiprocessing.cpu_count()} cores, Python {platform.python_version()}"
    )
    rows = [
        ("stateless rules, in-process", n_stateless, bench_stateless(n_stateless, content=False)),
        (
            "stateless rules + content checks",
            n_stateless // 4,
            bench_stateless(n_stateless // 4, content=True),
        ),
        ("full decisions, counters on SQLite (1 process)", n_sqlite, bench_sqlite(n_sqlite)),
    ]
    pg1 = bench_postgres(n_pg, processes=1)
    if pg1 is not None:
        rows.append(("full decisions, 1 process on PostgreSQL", n_pg, pg1))
    pg = bench_postgres(n_pg)
    if pg is not None:
        rows.append((f"full decisions, 4 processes on PostgreSQL ({n_pg} each)", 4 * n_pg, pg))
    load = " ".join(f"{x:.1f}" for x in __import__("os").getloadavg())
    print(f"load average during the run: {load}")
    print(f"{'benchmark':58} {'n':>7} {'decisions/s':>12} {'per CPU-s':>10} {'p50 ms':>8} {'p99 ms':>8}")
    for name, n, s in rows:
        print(
            f"{name:58} {n:>7} {s['per_s']:>12.0f} {s['per_cpu_s']:>10.0f} {s['p50_ms']:>8.3f} {s['p99_ms']:>8.3f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
