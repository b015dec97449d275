"""Benchmark the decision ledger: append throughput and `verify` over a large chain.

    .venv/bin/python bench/bench_ledger.py            # 1,000,000 entries (SQLite and PostgreSQL)
    .venv/bin/python bench/bench_ledger.py --quick    # 20,000 entries, a smoke run
    .venv/bin/python bench/bench_ledger.py --no-postgres

The large chain is written in bulk (entries built with the same hash function `append` uses, so the
chain is exactly what appends would produce), then verified with `Ledger.verify()` — which streams the
rows in keyset-paginated batches of 10,000 — and with the `brandrail ledger verify` command. Appends are
timed separately, one entry per transaction, the way the gate writes them. Data goes to bench/out/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

from brandrail.ledger import GENESIS_HASH, Ledger, canonical_json
from brandrail.ledger._canonical import entry_hash, format_time

OUT = Path(__file__).parent / "out"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def payload(i: int) -> str:
    """A realistic masked decision record (about 300 bytes of canonical JSON)."""
    return canonical_json(
        {
            "action": {
                "kind": "send_message",
                "channel": "email",
                "recipient": "<masked:email>",
                "agent": f"agent-{i % 7}",
                "id": f"act-{i}",
            },
            "decision": ["allow", "deny", "review", "modify"][i % 4],
            "reasons": [{"code": "AG101", "severity": "warning", "message": "frequency cap at 2 of 3"}]
            if i % 3 == 0
            else [],
            "decision_id": f"dec-{i}",
        }
    )


def bulk_fill(ledger: Ledger, n: int, batch: int = 20_000) -> float:
    """Write n chained entries in bulk; return seconds."""
    start = time.perf_counter()
    prev = GENESIS_HASH
    t0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    pv = "a" * 64
    rows: list[dict[str, object]] = []
    with ledger.engine.begin() as conn:
        for seq in range(1, n + 1):
            entry_id = str(uuid.UUID(int=seq))
            stamp = format_time(t0 + dt.timedelta(milliseconds=seq))
            body = payload(seq)
            digest = entry_hash(seq, (entry_id, stamp, "decision", body, pv, prev))
            rows.append(
                {
                    "seq": seq,
                    "id": entry_id,
                    "time": stamp,
                    "kind": "decision",
                    "payload": body,
                    "policy_version": pv,
                    "prev_hash": prev,
                    "hash": digest,
                }
            )
            prev = digest
            if len(rows) == batch:
                conn.execute(ledger.table.insert(), rows)
                rows = []
        if rows:
            conn.execute(ledger.table.insert(), rows)
    return time.perf_counter() - start


def time_appends(ledger: Ledger, n: int) -> list[float]:
    """Latency of n appends, one per transaction (seconds each)."""
    times = []
    for i in range(n):
        start = time.perf_counter()
        with ledger.begin() as conn:
            ledger.append(conn, kind="decision", payload={"i": i, "decision": "allow"}, policy_version="p")
        times.append(time.perf_counter() - start)
    return times


def run_cli_verify(url: str, table: str) -> tuple[float, int]:
    cmd = [
        str(Path(sys.executable).with_name("brandrail")),
        "ledger",
        "verify",
        "--db",
        url,
        "--table",
        table,
    ]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    return time.perf_counter() - start, proc.returncode


def bench_backend(name: str, url: str, n: int, repeats: int, appends: int) -> dict[str, object]:
    table = f"bench_ledger_{n}"
    if name == "sqlite":
        db = OUT / f"ledger_{n}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{db}"
    ledger = Ledger.from_url(url, table=table)
    with ledger.engine.begin() as conn:
        if name == "postgres":
            conn.execute(sa.text(f'DROP FUNCTION IF EXISTS "{table}_append"'))
        conn.execute(sa.text(f'DROP TABLE IF EXISTS "{table}"'))
        conn.execute(sa.text(f'DROP TABLE IF EXISTS "{table}_meta"'))
    ledger.create_schema()
    print(f"[{name}] writing {n:,} entries in bulk ...", flush=True)
    fill_s = bulk_fill(ledger, n)
    print(f"[{name}]   {fill_s:.1f} s", flush=True)
    if name == "postgres":
        with ledger.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text(f'VACUUM ANALYZE "{table}"'))

    verify_times, verify_cpu = [], []
    for r in range(repeats):
        start, cpu = time.perf_counter(), time.process_time()
        report = ledger.verify()
        verify_times.append(time.perf_counter() - start)
        verify_cpu.append(time.process_time() - cpu)
        assert report.ok and report.count == n, report.problems[:3]
        print(
            f"[{name}] verify run {r + 1}: {verify_times[-1]:.2f} s wall, {verify_cpu[-1]:.2f} s CPU of this "
            f"process (load average {os.getloadavg()[0]:.1f})",
            flush=True,
        )
    cli_s, rc = run_cli_verify(url, table)
    assert rc == 0
    print(f"[{name}] brandrail ledger verify (CLI, incl. start-up): {cli_s:.2f} s", flush=True)

    # tampered: one edited entry in the middle, one deleted entry near the end
    with ledger.engine.begin() as conn:
        conn.execute(sa.text(f"UPDATE \"{table}\" SET policy_version = 'x' WHERE seq = {n // 2}"))
        conn.execute(sa.text(f'DELETE FROM "{table}" WHERE seq = {n - 10}'))
    start = time.perf_counter()
    report = ledger.verify()
    tampered_s = time.perf_counter() - start
    assert {(p.seq, p.kind) for p in report.problems} == {(n // 2, "edited"), (n - 10, "deleted")}
    print(f"[{name}] verify with 2 tampered entries: {tampered_s:.2f} s", flush=True)

    append_stats = {}
    settings = (
        [("sqlite_synchronous", "NORMAL"), ("sqlite_synchronous", "FULL")]
        if name == "sqlite"
        else [("postgres_synchronous_commit", None), ("postgres_synchronous_commit", "off")]
    )
    for option, value in settings:
        setattr(ledger, option, value)
        lat = time_appends(ledger, appends)
        lat_ms = sorted(x * 1000 for x in lat)
        p99 = lat_ms[min(len(lat_ms) - 1, int(0.99 * len(lat_ms)))]
        label = f"{option}={value or 'server default'}"
        append_stats[label] = {
            "per_s": round(appends / sum(lat)),
            "p50_ms": round(statistics.median(lat_ms), 3),
            "p99_ms": round(p99, 3),
        }
        print(
            f"[{name}] {appends} appends, {label} (1 per transaction, on a {n:,}-entry ledger): "
            f"{appends / sum(lat):.0f}/s, p50 {statistics.median(lat_ms):.2f} ms, p99 {p99:.2f} ms",
            flush=True,
        )
    size = None
    if name == "sqlite":
        size = (OUT / f"ledger_{n}.db").stat().st_size
    with ledger.engine.begin() as conn:
        if name == "postgres":
            size = conn.execute(sa.text(f"SELECT pg_total_relation_size('\"{table}\"')")).scalar_one()
            conn.execute(sa.text(f'DROP FUNCTION IF EXISTS "{table}_append"'))
            conn.execute(sa.text(f'DROP TABLE "{table}"'))
            conn.execute(sa.text(f'DROP TABLE "{table}_meta"'))
    ledger.engine.dispose()
    return {
        "backend": name,
        "entries": n,
        "bulk_write_s": round(fill_s, 2),
        "verify_s": [round(x, 2) for x in verify_times],
        "verify_median_s": round(statistics.median(verify_times), 2),
        "verify_min_s": round(min(verify_times), 2),
        "verify_cpu_s": [round(x, 2) for x in verify_cpu],
        "verify_entries_per_s": round(n / statistics.median(verify_times)),
        "cli_verify_s": round(cli_s, 2),
        "tampered_verify_s": round(tampered_s, 2),
        "appends": appends,
        "append": append_stats,
        "db_bytes": size,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="20,000 entries, one verify run")
    parser.add_argument("--entries", type=int, default=None)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--appends", type=int, default=None, help="appends timed per setting")
    args = parser.parse_args()
    n = args.entries or (20_000 if args.quick else 1_000_000)
    repeats = 1 if args.quick else 3
    appends = args.appends or (200 if args.quick else 2000)
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    results = [bench_backend("sqlite", "", n, repeats, appends)]
    if not args.no_postgres:
        results.append(bench_backend("postgres", PG_URL, n, repeats, appends))
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {peak_mib:.0f} MiB")
    out = OUT / f"bench_ledger_{n}.json"
    out.write_text(json.dumps({"results": results, "peak_rss_mib": round(peak_mib)}, indent=2))
    print(json.dumps(results, indent=2))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
