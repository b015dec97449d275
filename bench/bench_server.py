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

``--hotkey [--requests N] [--threads T] [--fast] [--before TREE] [--after TREE] [--repeat R] [--sample]`` runs the
hot-key probe: 4 library processes on PostgreSQL (T threads each sharing one Gate), N decisions per process, on
64 campaigns and then on one; with ``--before`` an older source tree (``git archive REV src | tar -x -C TREE``)
runs interleaved with the current one, R rounds, medians printed; each run is checked afterwards (ledger
verifies, counters reconcile). ``--sample`` samples ``pg_stat_activity`` wait events every 5 ms and counts
the SQL statements of one process's decisions.

``--check [--before TREE] [--requests N] [--concurrency C] [--hostile K] [--repeat R]``: ``POST /v1/check`` of
a normal message (1 worker, SQLite), p50/p99, before and after interleaved; ``--hostile K`` adds K clients
sending 1 MB hostile messages (1,000,000 characters of leetspeak) in a loop meanwhile.

``--http-hot [--requests N] [--concurrency C] [--before TREE] [--repeat R]``: ``brandrail serve --workers 4``
on PostgreSQL, every request on one hot campaign, before and after side by side.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
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


def timed_decisions(gate: Any, who: Any, n: int, hot: bool) -> tuple[list[float], dict[str, int]]:
    """Decide n spends one after another: each call's latency (s) and the count of each outcome."""
    latencies = []
    outcomes: dict[str, int] = {}
    for i in range(n):
        body = json.dumps(spend(i, hot))
        t = time.perf_counter()
        d = gate.decide(body, principal=who)
        latencies.append(time.perf_counter() - t)
        outcomes[d.outcome] = outcomes.get(d.outcome, 0) + 1
    return latencies, outcomes


def library(store: str, n: int, hot: bool) -> dict[str, Any]:
    from brandrail import loads_policy
    from brandrail.gate import Gate
    from brandrail.gate.principal import Principal

    gate = Gate(loads_policy(POLICY), store=store)
    who = Principal("bench-bot", frozenset({"agent"}), via="api-key")
    for i in range(20):  # warm up: tables, caches
        gate.decide(json.dumps(spend(i, hot)), principal=who)
    cpu0 = time.process_time()
    started = time.perf_counter()
    latencies, outcomes = timed_decisions(gate, who, n, hot)
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


@contextlib.contextmanager
def _served(
    store: str, args: list[str], src: Path = SRC, policy_text: str = POLICY
) -> Iterator[tuple[str, Any]]:
    """``brandrail serve`` of the tree ``src`` on a free port with ``args``, ready: (its URL, the process)."""
    import httpx

    OUT.mkdir(parents=True, exist_ok=True)
    policy = OUT / f"brandrail-{uuid.uuid4().hex[:6]}.yaml"
    policy.write_text(policy_text, encoding="utf-8")
    port = free_port()
    env = dict(os.environ, PYTHONPATH=f"{src}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    log = (OUT / f"serve-{port}.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "brandrail", "serve", "--port", str(port), "--policy", str(policy), "--db", store,
         *args],
        stderr=log,
        env=env,
    )  # fmt: skip
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
        yield url, server
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def http(
    store: str, workers: int, n: int, concurrency: int, limit_s: float, hot: bool, src: Path = SRC
) -> dict[str, Any]:
    from brandrail.service.keys import KeyStore

    key, _ = KeyStore(store).create("bench-bot", ["agent"])
    env = dict(os.environ, PYTHONPATH=f"{src}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    with _served(store, ["--workers", str(workers), "--rate", "0"], src) as (url, server):
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


# -- content checks over HTTP (``--check``): normal messages, alone and beside hostile ones ---------------------

CHECK_POLICY = (
    "version: 1\nterms:\n  banned:\n    - {term: free}\n    - {term: money back}\n    - {term: best seller}\n"
)
#: A normal message (about 330 characters) and a hostile one: 1,000,000 characters of leetspeak
#: (bench_content_hostile.py's worst case, about 12 CPU-s to check before the budget).
NORMAL = (
    "Our autumn range is in store now: waterproof jackets from 89 pounds, merino layers and boots for the "
    "fells. Members get early access this weekend, and every order over 50 pounds ships at no cost. Reply "
    "STOP to opt out. Visit https://example.com/autumn or call 0161 496 0000 to find your nearest shop."
)
HOSTILE = ("fr33 " * 200_000)[:1_000_000]


async def _load_check(
    url: str, key: str, n: int, concurrency: int, limit_s: float, hostile: int
) -> dict[str, Any]:
    """``concurrency`` clients post NORMAL to /v1/check until ``n`` are answered (or ``limit_s``), while
    ``hostile`` clients post HOSTILE in a loop; latencies of both, and how the hostile ones were answered."""
    import httpx

    latencies: list[float] = []
    statuses: dict[str, int] = {}
    bad: list[float] = []
    verdicts: dict[str, int] = {}
    killed_cpu: list[float] = []  # CPU seconds of the check processes stopped at the budget (gone from /proc)
    counter = iter(range(n))
    deadline = time.perf_counter() + limit_s
    done = asyncio.Event()
    headers = {"Authorization": f"Bearer {key}"}
    limits = httpx.Limits(
        max_connections=concurrency + hostile, max_keepalive_connections=concurrency + hostile
    )
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=300) as client:

        async def normal() -> None:
            for _ in counter:
                if time.perf_counter() > deadline:
                    return
                started = time.perf_counter()
                r = await client.post("/v1/check", json={"text": NORMAL}, headers=headers)
                latencies.append(time.perf_counter() - started)
                statuses[str(r.status_code)] = statuses.get(str(r.status_code), 0) + 1

        async def attacker() -> None:
            while not done.is_set():
                started = time.perf_counter()
                try:
                    r = await client.post("/v1/check", json={"text": HOSTILE}, headers=headers)
                except httpx.HTTPError as exc:  # no answer within the client's 300 s
                    bad.append(time.perf_counter() - started)
                    verdicts[type(exc).__name__] = verdicts.get(type(exc).__name__, 0) + 1
                    continue
                bad.append(time.perf_counter() - started)
                found = r.json().get("findings", []) if r.status_code == 200 else []
                codes = [f["code"] for f in found]
                verdict = "BR999" if codes == ["BR999"] else f"{r.status_code} {len(codes)} findings"
                verdicts[verdict] = verdicts.get(verdict, 0) + 1
                killed_cpu.extend(f["evidence"]["cpu_seconds"] for f in found if f["code"] == "BR999")

        started = time.perf_counter()
        attackers = [asyncio.create_task(attacker()) for _ in range(hostile)]
        if hostile:
            await asyncio.sleep(1.0)  # the attackers are in first
        await asyncio.gather(*(normal() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
        done.set()
        await asyncio.gather(*attackers)
    return {
        "requests": len(latencies),
        "elapsed_s": elapsed,
        "per_s": len(latencies) / elapsed if elapsed else 0.0,
        "p50_ms": pct(latencies, 0.5) * 1000 if latencies else 0.0,
        "p99_ms": pct(latencies, 0.99) * 1000 if latencies else 0.0,
        "max_ms": max(latencies, default=0.0) * 1000,
        "statuses": statuses,
        "hostile": {
            "requests": len(bad),
            "p50_s": round(pct(bad, 0.5), 2) if bad else None,
            "verdicts": verdicts,
            "killed_cpu_s": round(sum(killed_cpu), 2),
        },
        "cpu_s": time.process_time(),
    }


def check_row(
    src: Path, n: int, concurrency: int, limit_s: float, hostile: int, args: list[str]
) -> dict[str, Any]:
    """One ``brandrail serve`` (1 worker, SQLite) of tree ``src``: the /v1/check load of :func:`_load_check`
    after a warm-up of 50 normal messages, with the server's CPU seconds per normal message."""
    store = f"sqlite:///{OUT / f'check-{uuid.uuid4().hex[:6]}.db'}"
    env = dict(os.environ, PYTHONPATH=f"{src}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    key = subprocess.run(
        [sys.executable, "-m", "brandrail", "keys", "create", "bench-bot", "--role", "agent", "--db", store],
        check=True, capture_output=True, env=env, text=True,
    ).stdout.split()[0]  # fmt: skip
    with _served(store, ["--rate", "0", *args], src, CHECK_POLICY) as (url, server):
        loadgen = [sys.executable, __file__, "--loadgen-check", url, key]
        subprocess.run([*loadgen, "50", "4", "60", "0"], check=True, capture_output=True, env=env)
        cpu0 = _proc_cpu(server.pid)
        done = subprocess.run(
            [*loadgen, str(n), str(concurrency), str(limit_s), str(hostile)],
            check=True, capture_output=True, env=env, text=True,
        )  # fmt: skip
        result: dict[str, Any] = json.loads(done.stdout)
        result["server_cpu_s"] = _proc_cpu(server.pid) - cpu0
        return result


def check_main() -> None:
    """``--check [--before TREE] [--requests N] [--concurrency C] [--hostile K] [--repeat R]``: /v1/check of a
    normal message, this tree and (``--before``) an older one interleaved, R rounds; with ``--hostile K``,
    K clients send 1 MB hostile messages meanwhile."""

    def opt(name: str, default: str) -> str:
        return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default

    n, conc, hostile = (
        int(opt("--requests", "2000")),
        int(opt("--concurrency", "4")),
        int(opt("--hostile", "0")),
    )
    repeat = int(opt("--repeat", "3"))
    trees = [("this tree", SRC, [])]
    if "--before" in sys.argv:
        trees.append(("before", Path(opt("--before", "")) / "src", []))
    print(f"# /v1/check: {n} normal messages, concurrency {conc}, {hostile} hostile clients, {repeat} rounds")
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name, _, _ in trees}
    for _ in range(repeat):
        for name, src, args in trees:
            load0 = os.getloadavg()[0]
            r = check_row(src, n, conc, 90.0, hostile, args)
            r["load"] = (load0, os.getloadavg()[0])
            rows[name].append(r)
            print(
                f"{name:<10} p50 {r['p50_ms']:7.2f} ms  p99 {r['p99_ms']:8.2f} ms  max {r['max_ms']:8.1f} ms  "
                f"n={r['requests']} {r['statuses']}  server CPU {r['server_cpu_s']:.1f} s  "
                f"hostile {r['hostile']}  load {r['load'][0]:.1f}->{r['load'][1]:.1f}",
                flush=True,
            )
    for name, results in rows.items():
        med = sorted(results, key=lambda r: r["p50_ms"])[len(results) // 2]
        print(
            f"median {name:<10} p50 {med['p50_ms']:.2f} ms  p99 {sorted(r['p99_ms'] for r in results)[len(results) // 2]:.2f} ms"
        )


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


def _hot_worker(
    url: str,
    n: int,
    hot: bool,
    out: Any,
    count_statements: bool,
    policy: str = POLICY,
    threads: int = 1,
    src: str = "",
) -> None:
    """One gate process: ``threads`` threads share one Gate and decide ``n`` spends in all."""
    if src:
        sys.path.insert(0, src)  # the code under test (--before runs an older tree)
    import threading

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
    latencies: list[float] = []
    outcomes: dict[str, int] = {}
    batch = getattr(gate.store, "group_commit", None)
    batches0 = (batch.batches, batch.items) if batch is not None else (0, 0)

    def run(count: int) -> None:
        local, seen = timed_decisions(gate, who, count, hot)
        latencies.extend(local)
        for k, v in seen.items():
            outcomes[k] = outcomes.get(k, 0) + v

    workers = [
        threading.Thread(target=run, args=(n // threads + (1 if t < n % threads else 0),))
        for t in range(threads)
    ]
    cpu0 = time.process_time()
    started = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - started
    batches = (batch.batches - batches0[0], batch.items - batches0[1]) if batch is not None else (0, 0)
    out.put(
        {
            "elapsed": elapsed,
            "cpu_s": time.process_time() - cpu0,
            "latencies": latencies,
            "statements": statements,
            "outcomes": outcomes,
            "batches": batches,
        }
    )


def _hot_run(n: int, hot: bool, durability: str, threads: int, src: str, sample: bool) -> dict[str, Any]:
    """One probe: 4 processes (``threads`` threads each) × n decisions on a fresh schema; checked afterwards."""
    import multiprocessing as mp
    from collections import Counter

    import sqlalchemy as sa

    policy = POLICY.replace(
        "  content_checks: false\n", f"  content_checks: false\n  durability: {durability}\n"
    )
    url, schema = pg_schema()
    url_app = url + "&application_name=brandrail-hot"
    try:
        from brandrail import loads_policy
        from brandrail.gate import Gate

        Gate(loads_policy(POLICY), store=url_app).store.engine.dispose()  # create the tables once
        ctx = mp.get_context("spawn")
        q: Any = ctx.Queue()
        procs = [
            ctx.Process(
                target=_hot_worker, args=(url_app, n, hot, q, i == 0 and sample, policy, threads, src)
            )
            for i in range(4)
        ]
        engine = sa.create_engine(PG_BASE)
        waits: Counter[str] = Counter()
        samples = 0
        load0 = os.getloadavg()[0]
        for p in procs:
            p.start()
        results: list[dict[str, Any]] = []
        # autocommit: pg_stat_activity is otherwise one snapshot per transaction
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            while len(results) < 4:
                if sample:
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
        # what was decided is what is on record: counter == allowed spends, every decision in the ledger
        with engine.connect() as conn:
            counters = dict(conn.execute(sa.text(f'SELECT key, value FROM "{schema}".gate_counters')).all())
            entries = conn.execute(sa.text(f'SELECT count(*) FROM "{schema}".brandrail_ledger')).scalar_one()
        engine.dispose()
        from brandrail.gate import GateStore

        store = GateStore.from_url(url)
        verified = store.ledger.verify().ok
        mismatches = store.reconcile()
        store.engine.dispose()
        lat = [x for r in results for x in r["latencies"]]
        outcomes: Counter[str] = Counter()
        for r in results:
            outcomes.update(r["outcomes"])
        elapsed = max(r["elapsed"] for r in results)
        stmts = next((r["statements"] for r in results if r["statements"]), [])
        batches = sum(r["batches"][0] for r in results)
        items = sum(r["batches"][1] for r in results)
        return {
            "per_s": len(lat) / elapsed,
            "p50_ms": pct(lat, 0.5) * 1000,
            "p99_ms": pct(lat, 0.99) * 1000,
            "cpu_ms": sum(r["cpu_s"] for r in results) * 1000 / len(lat),
            "outcomes": dict(outcomes),
            "ledger_entries": entries,
            "counter_total": sum(counters.values()),
            "ledger_ok": verified and not mismatches,
            "batch_mean": items / batches if batches else 1.0,
            "statements": stmts,
            "waits": waits,
            "load": (load0, os.getloadavg()[0]),
            "n": len(lat),
        }
    finally:
        drop_schema(schema)


def hotkey(
    n: int, durability: str, threads: int, before: str, repeat: int, sample: bool, after: str = ""
) -> None:
    """4 processes × n decisions, 64 campaigns and one hot campaign; ``before`` (a source tree) side by side."""
    from collections import Counter

    here = after or str(SRC)
    trees = [("before", before), ("after", here)] if before else [("current", here)]
    print(
        f"# hot-key probe: 4 processes x {threads} thread(s), {n} decisions per process, durability "
        f"{durability}, {repeat} interleaved round(s); {platform.machine()}, {os.cpu_count()} cores"
    )
    runs: dict[tuple[str, bool], list[dict[str, Any]]] = {}
    for round_no in range(repeat):
        for hot in (False, True):
            for label, src in trees if round_no % 2 == 0 else trees[::-1]:
                r = _hot_run(n, hot, durability, threads, src, sample)
                runs.setdefault((label, hot), []).append(r)
                spread = "one hot campaign" if hot else "64 campaigns"
                print(
                    f"{label:<7} {spread:<17} {r['per_s']:7.0f}/s  p50 {r['p50_ms']:6.2f} ms  "
                    f"p99 {r['p99_ms']:7.2f} ms  CPU {r['cpu_ms']:.2f} ms/decision (gate processes)  "
                    f"batch {r['batch_mean']:.1f}  outcomes {r['outcomes']}  entries {r['ledger_entries']}  "
                    f"spent {r['counter_total']}  ledger+reconcile {'ok' if r['ledger_ok'] else 'FAILED'}  "
                    f"load {r['load'][0]:.1f}->{r['load'][1]:.1f}",
                    flush=True,
                )
                if sample and r["statements"]:
                    total = sum(r["waits"].values()) or 1
                    print(
                        "    backend states: "
                        + ", ".join(f"{what} {k / total:.0%}" for what, k in r["waits"].most_common(5))
                    )
                    per = Counter(r["statements"])
                    print(
                        "    statements/decision: "
                        + ", ".join(f"{what} {k / n:.2f}" for what, k in per.most_common(8))
                    )
    print("# medians")
    for (label, hot), rs in runs.items():

        def med(key: str, rs: list[dict[str, Any]] = rs) -> float:
            return sorted(r[key] for r in rs)[len(rs) // 2]

        print(
            f"{label:<7} {'one hot campaign' if hot else '64 campaigns':<17} {med('per_s'):7.0f}/s  "
            f"p50 {med('p50_ms'):6.2f} ms  p99 {med('p99_ms'):7.2f} ms  CPU {med('cpu_ms'):.2f} ms/decision  "
            f"runs: {', '.join(str(round(r['per_s'])) for r in rs)}"
        )


def http_hot(n: int, concurrency: int, before: str, repeat: int) -> None:
    """``brandrail serve --workers 4`` on PostgreSQL, every request on one hot campaign: ``before`` (a source
    tree) and the current code side by side, interleaved, ``repeat`` rounds."""
    trees = [("before", Path(before)), ("after", SRC)] if before else [("current", SRC)]
    print(f"# HTTP hot key: serve --workers 4, PostgreSQL, {n} requests, concurrency {concurrency}")
    runs: dict[str, list[dict[str, Any]]] = {}
    for round_no in range(repeat):
        for label, src in trees if round_no % 2 == 0 else trees[::-1]:
            url, schema = pg_schema()
            try:
                load0 = os.getloadavg()[0]
                r = http(url, 4, n, concurrency, 60.0, True, src)
            finally:
                drop_schema(schema)
            runs.setdefault(label, []).append(r)
            print(
                f"{label:<7} {r['per_s']:7.0f}/s  p50 {r['p50_ms']:6.2f} ms  p99 {r['p99_ms']:7.2f} ms  "
                f"server CPU {r['server_cpu_ms']:.2f} ms/request  outcomes {r.get('outcomes')}  "
                f"statuses {r.get('statuses')}  load {load0:.1f}->{os.getloadavg()[0]:.1f}",
                flush=True,
            )
    for label, rs in runs.items():

        def med(key: str, rs: list[dict[str, Any]] = rs) -> float:
            return sorted(r[key] for r in rs)[len(rs) // 2]

        print(
            f"median {label:<7} {med('per_s'):7.0f}/s  p50 {med('p50_ms'):6.2f} ms  p99 {med('p99_ms'):7.2f} ms  "
            f"server CPU {med('server_cpu_ms'):.2f} ms/request"
        )


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
    elif len(sys.argv) > 1 and sys.argv[1] == "--loadgen-check":
        url, key, n, conc, limit_s, hostile = sys.argv[2:8]
        print(json.dumps(asyncio.run(_load_check(url, key, int(n), int(conc), float(limit_s), int(hostile)))))
    elif "--check" in sys.argv:
        check_main()
    elif "--http-hot" in sys.argv:
        hotkey_args = sys.argv
        http_hot(
            int(hotkey_args[hotkey_args.index("--requests") + 1]) if "--requests" in hotkey_args else 1000,
            int(hotkey_args[hotkey_args.index("--concurrency") + 1])
            if "--concurrency" in hotkey_args
            else 16,
            hotkey_args[hotkey_args.index("--before") + 1] if "--before" in hotkey_args else "",
            int(hotkey_args[hotkey_args.index("--repeat") + 1]) if "--repeat" in hotkey_args else 1,
        )
    elif "--hotkey" in sys.argv:

        def _opt(name: str, default: str) -> str:
            return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default

        hotkey(
            int(_opt("--requests", "500")),
            "fast" if "--fast" in sys.argv else "strict",
            int(_opt("--threads", "1")),
            _opt("--before", ""),
            int(_opt("--repeat", "1")),
            "--sample" in sys.argv,
            _opt("--after", ""),
        )
    else:
        main()
