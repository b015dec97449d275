"""Benchmark the agent action gate: decisions/s and p50/p99 latency.

1. stateless rules in-process (parse + every stateless rule, no store), one core;
2. the same with content checks on the message payloads;
3. full decisions with budget counters and frequency windows on SQLite (one process, each decision one
   writer transaction with its ledger entry);
4. full decisions from 1 and 4 processes sharing one PostgreSQL database (total decisions/s);

3 and 4 run with ``gate.durability: strict`` and ``fast``. Decisions/s is wall-clock; "per CPU-s" divides by
the CPU time of the deciding process(es); for PostgreSQL the server's CPU (all postgres processes) is
printed too, and the load average around each row.

Run: .venv/bin/python bench/bench_gate.py [--quick] [--db-only]. Data and databases go under bench/out/.

``--mix prices`` swaps the mixed stream for a price-heavy one (:func:`price_actions`: set_price on 50 items,
each a small move from its last price, checked against ``max_change_per_day``, and set_discount without a
price, measured from the price on record) — for changes to how price rows are read and written.

Before/after in one run: ``bench/bench_gate.py --compare BASE_SRC [--repeats 3]`` runs SQLite strict and
PostgreSQL (1 and 4 processes) with the ``src`` of another checkout (e.g. ``git archive BASE src | tar -x -C
/tmp/gate-base``) and with this one, interleaved, and prints the medians side by side. The gate's clock
follows each action's time in every run (``clock`` is set to the action's ``time`` before it is decided), so
both versions see the same windows.
"""

from __future__ import annotations

import multiprocessing
import os
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


#: the stream :func:`actions` makes: "mixed" (the default) or "prices" (``--mix prices``)
MIX = sys.argv[sys.argv.index("--mix") + 1] if "--mix" in sys.argv else "mixed"


def price_actions(n: int, seed: int = 1) -> list[dict[str, Any]]:
    """A price-heavy stream: 80 % set_price on 50 items (each within ±7 % of the item's last price, kept
    between 70 and 200), 20 % set_discount of one of them without a price (measured from the price on
    record). Every decision reads an item's price row; an allowed set_price writes it."""
    rng = random.Random(seed)
    last: dict[str, float] = {}
    out = []
    for i in range(n):
        item = f"item{rng.randrange(50)}"
        base = {
            "id": f"p-{seed}-{i}-{uuid.uuid4().hex[:6]}",
            "agent": f"agent-{i % 4}",
            "time": (T0 + timedelta(seconds=i)).isoformat(),
            "item": item,
        }
        if rng.random() < 0.8:
            price = min(200.0, max(70.0, last.get(item, 100.0) * rng.uniform(0.93, 1.07)))
            last[item] = price
            out.append({**base, "kind": "set_price", "price": f"{price:.2f}", "cost": "60"})
        else:
            out.append({**base, "kind": "set_discount", "discount": rng.randint(0, 30), "cost": "60"})
    return out


def actions(n: int, seed: int = 1) -> list[dict[str, Any]]:
    """A mixed stream: spends, sends (many recipients), prices, discounts, audiences (``--mix prices``:
    :func:`price_actions`)."""
    if MIX == "prices":
        return price_actions(n, seed)
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
        parsed = parse_action(item)
        evaluate(policy, parsed, parsed.time)
    latencies = []
    started, cpu = time.perf_counter(), time.process_time()
    for item in stream:
        t = time.perf_counter()
        parsed = parse_action(item)
        evaluate(policy, parsed, parsed.time)
        latencies.append(time.perf_counter() - t)
    return _stats(latencies, time.perf_counter() - started, time.process_time() - cpu)


def _policy(durability: str) -> dict[str, Any]:
    gate = {**POLICY["gate"], "durability": durability}
    if MIX == "prices":
        gate["price"] = {**gate["price"], "max_change_per_day": 20}
    return {**POLICY, "gate": gate}


def _postgres_cpu() -> float:
    """CPU seconds used so far by the postgres processes on this machine, exited backends included (server
    side; includes other users' queries on the shared server). 0.0 where /proc is not readable."""
    total = 0
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name = text[text.find("(") + 1 : text.rfind(")")]
        if name.startswith("postgres"):
            fields = text[text.rfind(")") + 2 :].split()
            # own CPU, plus that of exited backends (reaped by the postmaster: its cutime/cstime)
            total += int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])
    return total / tick


def _decide_loop(
    url: str, stream: list[dict[str, Any]], durability: str = "strict"
) -> tuple[list[float], float, float]:
    from brandrail.content.matching import shared_lexicon
    from brandrail.gate import Gate, GateStore
    from brandrail.policy import policy_from_dict

    now = [T0]
    policy = policy_from_dict(_policy(durability))
    # a policy's phrase matchers are built once, on first use (about 0.3 s): a service pays it on its first
    # request, so it is paid here before the clock starts, not inside the measured stream
    shared_lexicon(policy).warm_up()
    gate = Gate(policy, GateStore.from_url(url), clock=lambda: now[0])
    latencies = []
    started, cpu = time.perf_counter(), time.process_time()
    for item in stream:
        t = time.perf_counter()
        now[0] = datetime.fromisoformat(item["time"])  # the gate's clock follows the stream
        gate.decide(item)
        latencies.append(time.perf_counter() - t)
    return latencies, time.perf_counter() - started, time.process_time() - cpu


def bench_sqlite(n: int, durability: str = "strict") -> dict[str, float]:
    OUT.mkdir(parents=True, exist_ok=True)
    db = OUT / "bench-gate.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{db}"
    _decide_loop(url, actions(100, seed=99), durability)  # warm-up and migration
    load = os.getloadavg()[0]
    latencies, elapsed, cpu = _decide_loop(url, actions(n, seed=2), durability)
    stats = _stats(latencies, elapsed, cpu)
    stats["load"] = (load + os.getloadavg()[0]) / 2
    return stats


def _pg_worker(url: str, n: int, seed: int, queue: Any, durability: str) -> None:
    _decide_loop(url, actions(20, seed=seed + 1000), durability)  # warm-up: connections, prepared statements
    queue.put(_decide_loop(url, actions(n, seed=seed), durability))


def bench_postgres(
    n_per_process: int, processes: int = 4, durability: str = "strict"
) -> dict[str, float] | None:
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
            ctx.Process(target=_pg_worker, args=(url, n_per_process, 10 + p, queue, durability))
            for p in range(processes)
        ]
        started = time.perf_counter()
        load, server = os.getloadavg()[0], _postgres_cpu()
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
        stats["server_cpu_s"] = _postgres_cpu() - server  # includes start-up and warm-up
        stats["load"] = (load + os.getloadavg()[0]) / 2
        return stats
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


def _one_row(row: str, n: int) -> dict[str, float] | None:
    if row == "sqlite":
        return bench_sqlite(n, "strict")
    return bench_postgres(n, processes=int(row[2:]), durability="strict")


def compare(base_src: str, repeats: int, after_src: str | None = None) -> int:
    """Base and this checkout (or ``after_src``), interleaved, ``repeats`` times each; medians side by side."""
    import json
    import subprocess

    here_src = after_src or str(HERE.parent / "src")
    plan = [("sqlite", 2000), ("pg1", 400), ("pg4", 300)]
    results: dict[tuple[str, str], list[dict[str, float]]] = {}
    env = dict(os.environ)
    env.setdefault("BRANDRAIL_PSEUDONYM_KEY", "bench:" + "cd" * 32)
    print(f"stream: {MIX}; load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for _ in range(repeats):
        for row, n in plan:
            for label, src in (("before", base_src), ("after", here_src)):
                out = subprocess.run(
                    [sys.executable, __file__, "--row", row, "--n", str(n), "--mix", MIX],
                    env={**env, "PYTHONPATH": src},
                    capture_output=True,
                    text=True,
                    check=True,
                )
                stats = json.loads(out.stdout.strip().splitlines()[-1])
                results.setdefault((row, label), []).append(stats)
                print(
                    f"{row:7} {label:6} {stats['per_s']:8.1f} dec/s  p50 {stats['p50_ms']:.3f} ms", flush=True
                )
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(
        f"{'row':7} {'n':>5} {'before dec/s':>12} {'after dec/s':>12} {'change':>7} {'p50 before':>10} "
        f"{'p50 after':>10} {'CPU-s before':>12} {'CPU-s after':>11} {'load':>5}"
    )
    for row, n in plan:
        before, after = results[(row, "before")], results[(row, "after")]
        b = statistics.median(s["per_s"] for s in before)
        a = statistics.median(s["per_s"] for s in after)
        pb = statistics.median(s["p50_ms"] for s in before)
        pa = statistics.median(s["p50_ms"] for s in after)
        load = statistics.median(s.get("load", float("nan")) for s in before + after)
        cb = statistics.median(s["per_cpu_s"] for s in before)
        ca = statistics.median(s["per_cpu_s"] for s in after)
        total = n * (int(row[2:]) if row.startswith("pg") else 1)
        print(
            f"{row:7} {total:>5} {b:>12.1f} {a:>12.1f} {(a / b - 1) * 100:>+6.1f}% {pb:>10.3f} {pa:>10.3f} "
            f"{cb:>12.0f} {ca:>11.0f} {load:>5.1f}"
        )
    return 0


def main() -> int:
    if MIX not in ("mixed", "prices"):
        print(f"bench_gate.py: unknown --mix {MIX!r}; use mixed or prices", file=sys.stderr)
        return 2
    if "--row" in sys.argv:
        import json

        row = sys.argv[sys.argv.index("--row") + 1]
        n = int(sys.argv[sys.argv.index("--n") + 1])
        print(json.dumps(_one_row(row, n)))
        return 0
    if "--compare" in sys.argv:
        base = sys.argv[sys.argv.index("--compare") + 1]
        repeats = int(sys.argv[sys.argv.index("--repeats") + 1]) if "--repeats" in sys.argv else 3
        after = sys.argv[sys.argv.index("--after") + 1] if "--after" in sys.argv else None
        return compare(base, repeats, after)
    quick = "--quick" in sys.argv
    only_db = "--db-only" in sys.argv
    n_stateless = 2000 if quick else 20000
    n_sqlite = 300 if quick else 5000
    n_pg = 100 if quick else 1000
    print(
        f"machine: {platform.machine()}, {multiprocessing.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    rows: list[tuple[str, int, dict[str, float]]] = []
    if not only_db:
        rows.append(("stateless rules, in-process", n_stateless, bench_stateless(n_stateless, content=False)))
        rows.append(
            (
                "stateless rules + content checks",
                n_stateless // 4,
                bench_stateless(n_stateless // 4, content=True),
            )
        )
    for durability in ("strict", "fast"):
        rows.append(
            (f"full decisions, SQLite, 1 process, {durability}", n_sqlite, bench_sqlite(n_sqlite, durability))
        )
    for durability in ("strict", "fast"):
        for processes in (1, 4):
            pg = bench_postgres(n_pg, processes=processes, durability=durability)
            if pg is not None:
                name = f"full decisions, PostgreSQL, {processes} proc x {n_pg}, {durability}"
                rows.append((name, processes * n_pg, pg))
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"load average at the end: {load}")
    print(
        f"{'benchmark':52} {'n':>6} {'dec/s':>7} {'per CPU-s':>9} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'load':>5} {'server CPU-s':>12}"
    )
    for name, n, s in rows:
        server = f"{s['server_cpu_s']:.1f}" if "server_cpu_s" in s else ""
        load_text = f"{s['load']:.1f}" if "load" in s else ""
        print(
            f"{name:52} {n:>6} {s['per_s']:>7.0f} {s['per_cpu_s']:>9.0f} {s['p50_ms']:>7.3f} "
            f"{s['p99_ms']:>7.3f} {load_text:>5} {server:>12}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
