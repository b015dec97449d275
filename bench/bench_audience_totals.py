"""What the AG505 bound (the audience a principal declares per day) costs a target_audience decision.

The same code, the bound ``off`` and the bound on but never reached (1e9 people), interleaved per repeat, on
SQLite and on PostgreSQL (127.0.0.1:5432, skipped when not reachable): decisions per second, median latency
and client CPU per decision. With the bound on a declaration also takes the bound's lock (PostgreSQL), reads
and reserves its counter, and is never decided on the one-statement path.

    PYTHONPATH=src python bench/bench_audience_totals.py [--n 300] [--repeats 3]
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from typing import Any

PG_BASE = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _pg_schema() -> tuple[str, str] | None:
    import sqlalchemy as sa

    schema = f"bench_aud_{uuid.uuid4().hex[:10]}"
    try:
        engine = sa.create_engine(PG_BASE)
        with engine.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
    except Exception:  # no server: the row is skipped
        return None
    return f"{PG_BASE}?options=-csearch_path%3D{schema}", schema


def _drop(schema: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(PG_BASE)
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def run(backend: str, bound: str | int, n: int) -> tuple[float, float, float] | None:
    """``(decisions/s, p50 ms, client CPU ms per decision)`` for ``n`` allowed declarations."""
    from brandrail.gate import Gate, GateStore
    from brandrail.policy import policy_from_dict

    policy = policy_from_dict(
        {
            "gate": {
                "content_checks": False,
                "approvals": {"audience_size_over": 10**6},
                "audience": {"declared_per_agent_per_day": bound},
            }
        }
    )
    schema = None
    if backend == "sqlite":
        url = f"sqlite:///{tempfile.mkdtemp()}/bench-audience.db"
    else:
        made = _pg_schema()
        if made is None:
            return None
        url, schema = made
    gate = Gate(policy, GateStore.from_url(url))

    def declaration(i: int) -> dict[str, Any]:
        return {
            "kind": "target_audience",
            "id": uuid.uuid4().hex,
            "agent": "bench",
            "time": datetime.now(UTC).isoformat(),
            "campaign": f"c{i}",
            "criteria": [],
            "estimated_size": 10,
        }

    try:
        for i in range(20):  # warm-up: connections, prepared statements
            gate.decide(declaration(i))
        latencies = []
        cpu0, t0 = time.process_time(), time.perf_counter()
        for i in range(n):
            start = time.perf_counter()
            decision = gate.decide(declaration(i))
            latencies.append(time.perf_counter() - start)
            if decision.outcome != "allow":
                raise SystemExit(f"declaration {i} was {decision.outcome}: {decision.codes}")
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    finally:
        gate.store.engine.dispose()
        if schema is not None:
            _drop(schema)
    return n / elapsed, statistics.median(latencies) * 1000, cpu / n * 1000


def main() -> int:
    n = int(sys.argv[sys.argv.index("--n") + 1]) if "--n" in sys.argv else 300
    repeats = int(sys.argv[sys.argv.index("--repeats") + 1]) if "--repeats" in sys.argv else 3
    os.environ.setdefault("BRANDRAIL_PSEUDONYM_KEY", "bench:" + "cd" * 32)
    print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    results: dict[tuple[str, str], list[tuple[float, float, float]]] = {}
    for _ in range(repeats):
        for backend in ("sqlite", "postgres"):
            for bound in ("off", 10**9):
                found = run(backend, bound, n)
                if found is not None:
                    results.setdefault((backend, str(bound)), []).append(found)
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(
        f"{'backend':9} {'bound':>10} {'n':>5} {'dec/s':>7} {'p50 ms':>7} {'CPU ms/dec':>10}  (medians of {repeats})"
    )
    for (backend, bound), rows in results.items():
        per_s, p50, cpu = (statistics.median(r[i] for r in rows) for i in range(3))
        print(f"{backend:9} {bound:>10} {n:>5} {per_s:>7.0f} {p50:>7.2f} {cpu:>10.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
