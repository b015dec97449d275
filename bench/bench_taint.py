"""What keeping the tool-result taint (AG909) in the gate's store costs a shell.

    PYTHONPATH=src .venv/bin/python bench/bench_taint.py [--n 2000] [--pg URL]

For each store (memory only — the taint before it was kept in the store —, SQLite, PostgreSQL when
reachable) it prints the median and p99 of:

* ``check clean``: :meth:`ResultTaint.hold` for a consequential call by a caller that is not tainted — the
  case of nearly every call, one store read (memory cannot vouch for the absence of a taint);
* ``check tainted``: the same for a tainted caller (read from the store every time: a reviewer may lift a
  taint in another process);
* ``check clean, rotated``: ``check clean`` with two pseudonym keys in the key file (a rotation: the caller
  is looked up under both digests);
* ``mark``: :meth:`ResultTaint.mark` of a new taint (one row and one ``taint`` ledger entry per caller key);
* ``renew``: ``mark`` of a caller whose stored taint already reaches far enough (a chat client sending the
  flagged result again with every request): nothing is written;

each over ``--n`` calls (``mark``: a tenth of them) on one thread. The machine is shared: read the ratios to
the memory row, not the absolute figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("BRANDRAIL_PSEUDONYM_KEY", "bench:" + "cd" * 32)

from brandrail.gate import Gate
from brandrail.gate.pseudonyms import PseudonymKeys
from brandrail.integrations.common import ResultTaint
from brandrail.policy import loads_policy

POLICY = """
schema_version: 1
brand: {name: Bench}
integrations:
  tools:
    issue_refund: {action: spend, args: {campaign: order, amount: amount}}
"""


def timed(fn: Callable[[int], object], n: int) -> tuple[float, float]:
    samples = []
    for i in range(n):
        started = time.perf_counter()
        fn(i)
        samples.append(time.perf_counter() - started)
    samples.sort()
    return statistics.median(samples) * 1e6, samples[int(len(samples) * 0.99) - 1] * 1e6


def run(name: str, gate: Gate | None, n: int) -> None:
    policy = loads_policy(POLICY, name="bench.yaml")
    now = [datetime(2026, 5, 4, 10, tzinfo=UTC)]

    def clock() -> datetime:
        return now[0]

    results = policy.integrations.results
    taint = (
        ResultTaint(results, clock) if gate is None else ResultTaint(results, clock, gate.store, gate.keys)
    )
    by = {"tool": "lookup_order", "request_id": "r", "codes": ["AG908"]}
    clean = [taint.caller(credential=f"clean-{i}") for i in range(n)]
    dirty = taint.caller(credential="dirty")
    taint.mark(dirty, by)
    rows = [
        ("check clean", timed(lambda i: taint.hold(policy, clean[i], "issue_refund"), n)),
        ("check tainted", timed(lambda i: taint.hold(policy, dirty, "issue_refund"), n)),
    ]
    if gate is not None and hasattr(taint, "older_salts"):  # a key file with two keys (a rotation)
        keys = PseudonymKeys.parse("k2:" + "ef" * 32 + ",k1:" + "cd" * 32, "bench")
        rotated = ResultTaint(results, clock, gate.store, keys)
        old = [rotated.caller(credential=f"old-{i}") for i in range(n)]
        rows.append(
            ("check clean, rotated", timed(lambda i: rotated.hold(policy, old[i], "issue_refund"), n))
        )
    marked = [taint.caller(credential=f"new-{i}") for i in range(n // 10)]
    rows.append(("mark", timed(lambda i: taint.mark(marked[i], by), n // 10)))
    rows.append(("renew", timed(lambda i: taint.mark(dirty, by), n)))
    for what, (p50, p99) in rows:
        print(f"| {name} | {what} | {p50:,.0f} | {p99:,.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    policy = loads_policy(POLICY, name="bench.yaml")
    print(f"load average {os.getloadavg()[0]:.2f}")
    print("| store | operation | median µs | p99 µs |\n|---|---|---:|---:|")
    run("memory", None, args.n)
    with tempfile.TemporaryDirectory() as tmp:
        gate = Gate(policy, store=f"sqlite:///{Path(tmp) / 'gate.db'}")
        run("SQLite", gate, args.n)
        gate.store.engine.dispose()
    try:
        import sqlalchemy as sa

        schema = f"bench_taint_{int(time.time())}"
        admin = sa.create_engine(args.pg)
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:
        print(f"PostgreSQL skipped: {type(exc).__name__}")
        return
    try:
        gate = Gate(policy, store=f"{args.pg}?options=-csearch_path%3D{schema}")
        run("PostgreSQL", gate, args.n)
        gate.store.engine.dispose()
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
