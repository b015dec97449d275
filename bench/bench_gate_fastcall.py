"""Micro-benchmark: the PostgreSQL one-statement decision (``gate_decide_fast``) under the gate's write
deadline, as every ``Gate.decide`` runs it — wall time of ``decide()`` for a stream of small spends, one
process, one fresh schema per run, ``durability: fast`` (no WAL flush wait), and the deciding process's CPU
per decision. For the protocol alone see ``bench/bench_gate_bound_call.py``.

Before/after: ``bench/bench_gate_fastcall.py --compare BASE_SRC [--rounds 5] [--n 1500]`` runs this
checkout's ``src`` and ``BASE_SRC`` (e.g. ``git archive BASE src | tar -x -C /tmp/base``) alternately in
subprocesses, and prints the median per-decision time of each round and the median of the rounds.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
PG_BASE = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
POLICY = {
    "gate": {
        "content_checks": False,
        "store_timeout": "5s",
        "durability": "fast",  # no WAL flush wait per commit: the call itself is measured
        "budget": {"max_per_action": "500", "campaign_daily_cap": "100000000", "agent_cap": "100000000"},
    }
}


def one(n: int) -> tuple[float, float]:
    """Median wall µs per decision of ``n`` spends after a warm-up, and this process's CPU µs per decision
    (this interpreter's ``brandrail``)."""
    import sqlalchemy as sa

    from brandrail.gate import Gate, GateStore
    from brandrail.policy import policy_from_dict

    schema = f"bfc_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(PG_BASE)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        store = GateStore.from_url(f"{PG_BASE}?options=-csearch_path%3D{schema}")
        t0 = datetime(2026, 5, 4, 12, tzinfo=UTC)
        clock = [t0]
        gate = Gate(policy_from_dict(POLICY), store, clock=lambda: clock[0])
        assert store.fast_path

        def spend(i: int) -> dict[str, object]:
            at = t0 + timedelta(milliseconds=i)
            clock[0] = at
            return {
                "kind": "spend",
                "id": f"s-{i}",
                "agent": "ads-bot",
                "time": at.isoformat(),
                "campaign": f"c{i % 20}",
                "amount": "5",
            }

        for i in range(200):  # warm-up: counter rows exist, statements prepared
            assert gate.decide(spend(i)).allowed
        times = []
        cpu = time.process_time()
        for i in range(200, 200 + n):
            action = spend(i)
            started = time.perf_counter()
            decision = gate.decide(action)
            times.append(time.perf_counter() - started)
            assert decision.allowed
        cpu = time.process_time() - cpu
        store.engine.dispose()
        return statistics.median(times) * 1e6, cpu / n * 1e6
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def main() -> None:
    n = int(sys.argv[sys.argv.index("--n") + 1]) if "--n" in sys.argv else 1500
    if "--one" in sys.argv:
        wall, cpu = one(n)
        print(f"{wall:.1f} {cpu:.1f}")
        return
    rounds = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 5
    trees = {"this": str(HERE.parent / "src")}
    if "--compare" in sys.argv:
        trees = {"base": sys.argv[sys.argv.index("--compare") + 1], **trees}
    results: dict[str, list[float]] = {name: [] for name in trees}
    cpus: dict[str, list[float]] = {name: [] for name in trees}
    for r in range(rounds):
        for name, src in trees.items():
            env = {**os.environ, "PYTHONPATH": src}
            out = subprocess.run(
                [sys.executable, __file__, "--one", "--n", str(n)],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            wall, cpu = map(float, out.stdout.split())
            results[name].append(wall)
            cpus[name].append(cpu)
            print(
                f"round {r + 1} {name}: {wall:.1f} µs/decision wall (median), {cpu:.1f} µs client CPU",
                flush=True,
            )
    for name, values in results.items():
        print(
            f"{name}: median of rounds {statistics.median(values):.1f} µs/decision wall, "
            f"{statistics.median(cpus[name]):.1f} µs client CPU ({rounds} rounds of {n})"
        )
    print(f"load average: {os.getloadavg()}")


if __name__ == "__main__":
    main()
