"""Benchmark the HTTP service: authenticated gate decisions/s and p50/p99 over HTTP vs the library call.

Rows, side by side in one run:

1. the library: ``Gate.decide`` in this process, one thread, SQLite;
2. HTTP: ``brandrail serve`` (1 worker, SQLite), every request with an API key;
3. the library on PostgreSQL (one process, one thread);
4. HTTP: ``brandrail serve --workers 2`` on PostgreSQL;
5. (``--hot``) as 4, but every request spends from the same campaign's daily cap (one hot counter row).

The load generator is a separate process (``--loadgen``, asyncio + httpx, keep-alive connections, loopback
only), bounded by a request count and a time limit. Each request is a spend on one of 64 campaigns (unless hot),
amount 1, allowed. Every decision is written with its ledger entry (durability strict). The server runs with
``--rate 0`` and JSON logs to a file. PostgreSQL runs use a fresh schema, dropped afterwards.

Run: .venv/bin/python bench/bench_server.py [--quick] [--hot] [--requests N] [--concurrency C]

``--hotkey [--requests N]`` instead runs the hot-key probe: 4 library processes on PostgreSQL, N decisions each,
on 64 campaigns and then on one, sampling ``pg_stat_activity`` wait events every 5 ms and counting the SQL
statements (round trips) of a decision.
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
OUT = HERE / "out" / "server"
PG_BASE = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

POLICY = """\
version: 1
gate:
  content_checks: false
  budget: {max_per_action: "500", campaign_daily_cap: "100000000"}
  consent: {require_opt_in: []}
"""


def spend(i: int, hot: bool) -> dict[str, Any]:
    return {
        "kind": "spend",
        "id": f"b-{uuid.uuid4().hex}",
        "agent": "bench-bot",
        "time": datetime.now(UTC).isoformat(),
        "campaign": "hot" if hot else f"c{i % 64}",
        "amount": "1",
    }


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# -- the load generator (a separate process) -----------------------------------------------------------------


async def _load(url: str, key: str, n: int, concurrency: int, limit_s: float, hot: bool) -> dict[str, Any]:
    import httpx

    latencies: list[float] = []
    statuses: dict[str, int] = {}
    outcomes: dict[str, int] = {}
    counter = iter(range(n))
    deadline = time.perf_counter() + limit_s
    headers = {"Authorization": f"Bearer {key}"}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as client:

        async def worker() -> None:
            for i in counter:
                if time.perf_counter() > deadline:
                    return
                body = spend(i, hot)
                started = time.perf_counter()
                r = await client.post("/v1/gate/decide", json=body, headers=headers)
                latencies.append(time.perf_counter() - started)
                statuses[str(r.status_code)] = statuses.get(str(r.status_code), 0) + 1
                if r.status_code == 200:
                    o = r.json()["outcome"]
                    outcomes[o] = outcomes.get(o, 0) + 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return {
        "requests": len(latencies),
        "elapsed_s": elapsed,
        "per_s": len(latencies) / elapsed,
        "p50_ms": pct(latencies, 0.5) * 1000,
        "p99_ms": pct(latencies, 0.99) * 1000,
        "statuses": statuses,
        "outcomes": outcomes,
        "cpu_s": time.process_time(),
    }


def loadgen_main(argv: list[str]) -> None:
    url, key, n, conc, limit_s, hot = argv[0], argv[1], int(argv[2]), int(argv[3]), float(argv[4]), argv[5]
    print(json.dumps(asyncio.run(_load(url, key, n, conc, limit_s, hot == "1"))))


# -- the rows ------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _proc_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process and its descendants, from /proc (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / tick
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                total += _proc_cpu(int(child))
    except (OSError, IndexError, ValueError):
        pass
    return total


def library(store: str, n: int, hot: bool) -> dict[str, Any]:
    from brandrail import loads_policy
    from brandrail.gate import Gate
    from brandrail.gate.principal import Principal

    gate = Gate(loads_policy(POLICY), store=store)
    who = Principal("bench-bot", frozenset({"agent"}), via="api-key")
    for i in range(20):  # warm up: tables, caches
        gate.decide(json.dumps(spend(i, hot)), principal=who)
    latencies = []
    outcomes: dict[str, int] = {}
    cpu0 = time.process_time()
    started = time.perf_counter()
    for i in range(n):
        body = json.dumps(spend(i, hot))
        t = time.perf_counter()
        d = gate.decide(body, principal=who)
        latencies.append(time.perf_counter() - t)
        outcomes[d.outcome] = outcomes.get(d.outcome, 0) + 1
    elapsed = time.perf_counter() - started
    return {
        "requests": n,
        "elapsed_s": elapsed,
        "per_s": n / elapsed,
        "p50_ms": pct(latencies, 0.5) * 1000,
        "p99_ms": pct(latencies, 0.99) * 1000,
        "outcomes": outcomes,
        "cpu_s": time.process_time() - cpu0,
    }


def http(store: str, workers: int, n: int, concurrency: int, limit_s: float, hot: bool) -> dict[str, Any]:
    import httpx

    from brandrail.service.keys import KeyStore

    OUT.mkdir(parents=True, exist_ok=True)
    policy = OUT / "brandrail.yaml"
    policy.write_text(POLICY, encoding="utf-8")
    key, _ = KeyStore(store).create("bench-bot", ["agent"])
    port = free_port()
    env = dict(os.environ, PYTHONPATH=f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    log = (OUT / f"serve-{port}.log").open("wb")
    args = ["--policy", str(policy), "--db", store, "--workers", str(workers), "--rate", "0"]
    server = subprocess.Popen(
        [sys.executable, "-m", "brandrail", "serve", "--port", str(port), *args], stderr=log, env=env
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("brandrail serve did not start; see " + log.name)
            time.sleep(0.2)
        warm = [sys.executable, __file__, "--loadgen", url, key, "50", "4", "30", "1" if hot else "0"]
        subprocess.run(warm, check=True, capture_output=True, env=env)
        cmd = [sys.executable, __file__, "--loadgen", url, key, str(n), str(concurrency), str(limit_s)]
        cpu0 = _proc_cpu(server.pid)
        done = subprocess.run(
            [*cmd, "1" if hot else "0"], check=True, capture_output=True, env=env, text=True
        )
        result: dict[str, Any] = json.loads(done.stdout)
        result["server_cpu_ms"] = (_proc_cpu(server.pid) - cpu0) * 1000 / result["requests"]
        return result
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def pg_schema() -> tuple[str, str]:
    import sqlalchemy as sa

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(PG_BASE)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    return f"{PG_BASE}?options=-csearch_path%3D{schema}", schema


def drop_schema(schema: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(PG_BASE)
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


# -- hot key: where the time goes (4 library processes on PostgreSQL) -----------------------------------------


def _hot_worker(url: str, n: int, hot: bool, out: Any, count_statements: bool, policy: str = POLICY) -> None:
    import sqlalchemy as sa

    from brandrail import loads_policy
    from brandrail.gate import Gate
    from brandrail.gate.principal import Principal

    gate = Gate(loads_policy(policy), store=url)
    who = Principal("bench-bot", frozenset({"agent"}), via="api-key")
    statements: list[str] = []
    if count_statements:
        # the hot path sends its SQL on the psycopg connection itself: count there, and SQLAlchemy's too
        import brandrail.gate.store as gs
        import brandrail.ledger._store as ls

        class _Cursor:
            def __init__(self, cur: Any) -> None:
                self._cur = cur

            def execute(self, sql: str, *a: Any, **k: Any) -> Any:
                statements.append(" ".join(str(sql).split()[:3]))
                return self._cur.execute(sql, *a, **k)

            def executemany(self, sql: str, *a: Any, **k: Any) -> Any:
                statements.append(" ".join(str(sql).split()[:3]) + " (many)")
                return self._cur.executemany(sql, *a, **k)

            def __getattr__(self, name: str) -> Any:
                return getattr(self._cur, name)

        class _Raw(_Cursor):
            def cursor(self, *a: Any, **k: Any) -> Any:
                return _Cursor(self._cur.cursor(*a, **k))

        for module in (gs, ls):
            original = module._driver
            module._driver = lambda conn, _o=original: _Raw(_o(conn))  # type: ignore[attr-defined]

        @sa.event.listens_for(gate.store.engine, "before_cursor_execute")
        def _count(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
            statements.append(" ".join(statement.split()[:3]) + " (sqlalchemy)")

        @sa.event.listens_for(gate.store.engine, "begin")
        def _begin(conn: Any) -> None:
            statements.append("BEGIN")

        @sa.event.listens_for(gate.store.engine, "commit")
        def _commit(conn: Any) -> None:
            statements.append("COMMIT")

    for i in range(10):
        gate.decide(json.dumps(spend(i, hot)), principal=who)
    statements.clear()
    latencies = []
    started = time.perf_counter()
    for i in range(n):
        t = time.perf_counter()
        gate.decide(json.dumps(spend(i, hot)), principal=who)
        latencies.append(time.perf_counter() - t)
    out.put({"elapsed": time.perf_counter() - started, "latencies": latencies, "statements": statements})


def hotkey(n: int, durability: str = "strict") -> None:
    """4 processes × n decisions, one hot campaign vs 64 campaigns; wait events sampled every 5 ms."""
    import multiprocessing as mp
    from collections import Counter

    import sqlalchemy as sa

    policy = POLICY.replace(
        "  content_checks: false\n", f"  content_checks: false\n  durability: {durability}\n"
    )
    print(f"# hot-key probe: 4 processes x {n} decisions, durability {durability}")
    for hot in (False, True):
        url, schema = pg_schema()
        url_app = url + "&application_name=brandrail-hot"
        try:
            from brandrail import loads_policy
            from brandrail.gate import Gate

            Gate(loads_policy(POLICY), store=url_app)  # create the tables once
            q: Any = mp.get_context("spawn").Queue()
            procs = [
                mp.get_context("spawn").Process(target=_hot_worker, args=(url_app, n, hot, q, i == 0, policy))
                for i in range(4)
            ]
            engine = sa.create_engine(PG_BASE)
            waits: Counter[str] = Counter()
            samples = 0
            for p in procs:
                p.start()
            results = []
            # autocommit: pg_stat_activity is otherwise one snapshot per transaction
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                while len(results) < 4:
                    rows = conn.execute(
                        sa.text(
                            "SELECT state, wait_event_type, wait_event FROM pg_stat_activity "
                            "WHERE application_name = 'brandrail-hot'"
                        )
                    ).all()
                    samples += 1
                    for state, wtype, wevent in rows:
                        if state == "active":
                            waits[f"{wtype}:{wevent}" if wtype else "running (CPU)"] += 1
                        elif state == "idle in transaction":
                            waits["idle in transaction (client side)"] += 1
                    while not q.empty():
                        results.append(q.get())
                    time.sleep(0.005)
            for p in procs:
                p.join()
            engine.dispose()
            lat = [x for r in results for x in r["latencies"]]
            elapsed = max(r["elapsed"] for r in results)
            stmts = next(r["statements"] for r in results if r["statements"])
            per = len(stmts) / n
            print(
                f"{'one hot campaign' if hot else '64 campaigns':<18} {len(lat) / elapsed:7.0f} decisions/s  "
                f"p50 {pct(lat, 0.5) * 1000:6.2f} ms  p99 {pct(lat, 0.99) * 1000:7.2f} ms  "
                f"{per:.1f} statements/decision"
            )
            total = sum(waits.values()) or 1
            print(f"  backend states over {samples} samples (share of backend-samples):")
            for what, k in waits.most_common(8):
                print(f"    {what:<44} {k / total:6.1%}")
            print("  statements per decision:")
            for what, k in Counter(stmts).most_common(12):
                print(f"    {k / n:5.2f}  {what}")
        finally:
            drop_schema(schema)


def main() -> None:
    quick = "--quick" in sys.argv
    hot = "--hot" in sys.argv

    def opt(name: str, default: int) -> int:
        return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default

    n = opt("--requests", 200 if quick else 2000)
    conc = opt("--concurrency", 8)
    limit_s = 20.0 if quick else 60.0
    print(f"# bench_server: {n} requests, concurrency {conc}, at most {limit_s:g} s per HTTP row")
    print(f"# {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    rows: list[tuple[str, dict[str, Any]]] = []
    OUT.mkdir(parents=True, exist_ok=True)
    for f in OUT.glob("*.db"):
        f.unlink()

    def run(name: str, fn: Any) -> None:
        load0 = os.getloadavg()[0]
        result = fn()
        result["load"] = (load0, os.getloadavg()[0])
        rows.append((name, result))
        print(
            f"{name:<44} {result['per_s']:>8.0f}/s  p50 {result['p50_ms']:6.2f} ms  "
            f"p99 {result['p99_ms']:7.2f} ms  n={result['requests']}  outcomes={result.get('outcomes')}  "
            f"statuses={result.get('statuses', '-')}  load {result['load'][0]:.1f}->{result['load'][1]:.1f}  "
            f"CPU ms/decision: server {result.get('server_cpu_ms', 0):.2f}, "
            f"client {result['cpu_s'] * 1000 / result['requests']:.2f}",
            flush=True,
        )

    lib_db = f"sqlite:///{OUT / f'lib-{uuid.uuid4().hex[:6]}.db'}"
    http_db = f"sqlite:///{OUT / f'http-{uuid.uuid4().hex[:6]}.db'}"
    run("library, SQLite, 1 thread", lambda: library(lib_db, n, False))
    run("HTTP, SQLite, 1 worker", lambda: http(http_db, 1, n, conc, limit_s, False))
    url, schema = pg_schema()
    try:
        run("library, PostgreSQL, 1 thread", lambda: library(url, n, False))
    finally:
        drop_schema(schema)
    url, schema = pg_schema()
    try:
        run("HTTP, PostgreSQL, 2 workers", lambda: http(url, 2, n, conc, limit_s, False))
    finally:
        drop_schema(schema)
    if hot:
        url, schema = pg_schema()
        try:
            run("HTTP, PostgreSQL, 2 workers, one hot campaign", lambda: http(url, 2, n, conc, limit_s, True))
        finally:
            drop_schema(schema)
    (OUT / "results.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--loadgen":
        loadgen_main(sys.argv[2:])
    elif "--hotkey" in sys.argv:
        hotkey(
            int(sys.argv[sys.argv.index("--requests") + 1]) if "--requests" in sys.argv else 500,
            "fast" if "--fast" in sys.argv else "strict",
        )
    else:
        main()
