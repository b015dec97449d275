"""Micro-benchmark: ways to bound a one-statement PostgreSQL call by the gate's write deadline
(``lock_timeout`` and ``statement_timeout`` for that call only), on a stand-in function with the argument
count and text sizes of ``gate_decide_fast``, so the protocol is what differs:

* simple — the bound and the call in one simple-protocol message (client-side parameters; what
  ``GateStore.decide_fast`` sends under a deadline): one round trip, nothing prepared;
* pipeline — the bound and the call as two extended-protocol statements in one libpq pipeline (one implicit
  transaction, the call prepared after five uses);
* execute — the simple message with ``EXECUTE`` of a call ``PREPARE``\\ d once on the connection;
* unbounded — the prepared call alone (no deadline): the floor.

Run: ``.venv/bin/python bench/bench_gate_bound_call.py [--rounds 15] [--calls 200]``; prints the median over
rounds of each round's median wall time per call, and this process's CPU per call.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from typing import Any

import psycopg

DSN = "postgresql://postgres@127.0.0.1:5432/test"
N_ARGS = 20
BOUND = (
    "SELECT set_config('lock_timeout', %(lock_wait)s, true), "
    "set_config('statement_timeout', %(statement_wait)s, true)"
)


def main() -> None:
    rounds = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 15
    calls = int(sys.argv[sys.argv.index("--calls") + 1]) if "--calls" in sys.argv else 200
    conn = psycopg.connect(DSN, autocommit=True)
    schema = f"bbc_{uuid.uuid4().hex[:8]}"
    conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        conn.execute(f'SET search_path = "{schema}"')
        args = ", ".join(f"p{i} text" for i in range(N_ARGS))
        conn.execute(
            f"CREATE FUNCTION f({args}) RETURNS TABLE(o_status integer, o_value bigint, o_seq bigint, "
            "o_prev_hash text, o_hash text) LANGUAGE plpgsql AS $$ BEGIN o_status := 0; o_seq := 1; "
            "RETURN NEXT; END $$"
        )
        call = "SELECT * FROM f(" + ", ".join(f"%(p{i})s" for i in range(N_ARGS)) + ")"
        conn.execute(
            f"PREPARE fcall({', '.join('text' for _ in range(N_ARGS))}) AS SELECT * FROM f("
            + ", ".join(f"${i + 1}" for i in range(N_ARGS))
            + ")"
        )
        execute_call = "EXECUTE fcall(" + ", ".join(f"%(p{i})s" for i in range(N_ARGS)) + ")"
        params: dict[str, Any] = {f"p{i}": "x" * 40 for i in range(N_ARGS)}
        params["p5"] = json.dumps({"findings": [{"code": "AG101", "message": "y" * 300}] * 3})
        params["p12"] = json.dumps({"payload": "z" * 800})
        settings = {"lock_wait": "4321ms", "statement_wait": "4571ms"}

        def simple() -> Any:
            cur = psycopg.ClientCursor(conn)
            cur.execute(BOUND + "; " + call, {**params, **settings})
            cur.nextset()
            return cur.fetchone()

        def pipeline() -> Any:
            with conn.pipeline():
                conn.execute(BOUND, settings)
                cur = conn.execute(call, params)
            return cur.fetchone()

        def execute() -> Any:
            cur = psycopg.ClientCursor(conn)
            cur.execute(BOUND + "; " + execute_call, {**params, **settings})
            cur.nextset()
            return cur.fetchone()

        def unbounded() -> Any:
            return conn.execute(call, params).fetchone()

        variants: dict[str, Callable[[], Any]] = {
            "simple": simple,
            "pipeline": pipeline,
            "execute": execute,
            "unbounded": unbounded,
        }
        for run in variants.values():
            for _ in range(20):
                run()
        walls: dict[str, list[float]] = {k: [] for k in variants}
        cpus: dict[str, list[float]] = {k: [] for k in variants}
        for _ in range(rounds):
            for name, run in variants.items():
                times = []
                cpu = time.process_time()
                for _ in range(calls):
                    started = time.perf_counter()
                    run()
                    times.append(time.perf_counter() - started)
                cpus[name].append((time.process_time() - cpu) / calls * 1e6)
                walls[name].append(statistics.median(times) * 1e6)
        for name in variants:
            print(
                f"{name:10s} median wall {statistics.median(walls[name]):6.0f} µs/call, client CPU "
                f"{statistics.median(cpus[name]):5.0f} µs/call ({rounds} rounds x {calls})"
            )
        print(f"load average: {os.getloadavg()}")
    finally:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        conn.close()


if __name__ == "__main__":
    main()
