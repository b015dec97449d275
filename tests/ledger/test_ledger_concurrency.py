"""Concurrent writers (threads, processes) make one unbroken chain; a killed writer leaves it verifiable."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from ledger_worker import counter_table

from brandrail.ledger import Ledger

WORKER = str(Path(__file__).with_name("ledger_worker.py"))
SRC = str(Path(__file__).resolve().parents[2] / "src")


@pytest.fixture
def shared(
    ledger_url: tuple[str, str], make_ledger: Callable[[], Ledger]
) -> Iterator[tuple[str, str, Ledger]]:
    """A fresh ledger plus a counter table that writers update in the same transaction as each append."""
    url, table = ledger_url
    ledger = make_ledger()
    counter = counter_table(table)
    counter.create(ledger.engine)
    with ledger.engine.begin() as conn:
        conn.execute(counter.insert().values(k="c", n=0))
    yield url, table, ledger
    counter.drop(ledger.engine)


def counter_value(ledger: Ledger) -> int:
    counter = counter_table(ledger.table_name)
    with ledger.engine.connect() as conn:
        return int(conn.execute(sa.select(counter.c.n)).scalar_one())


def assert_one_chain(ledger: Ledger, expected: int) -> None:
    report = ledger.verify()
    assert report.ok, report.problems
    entries = list(ledger.entries())
    assert [e.seq for e in entries] == list(range(1, expected + 1))  # no gaps, no duplicate seq
    assert len({e.prev_hash for e in entries}) == expected  # no fork: every entry has its own predecessor
    assert len({e.id for e in entries}) == expected
    assert counter_value(ledger) == expected  # the caller's writes committed with the entries


def spawn(url: str, table: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.Popen(
        [sys.executable, WORKER, url, table, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


@pytest.mark.slow
def test_threads_make_one_chain(shared: tuple[str, str, Ledger]) -> None:
    _, table, ledger = shared
    counter = counter_table(table)
    threads_n, per_thread = 6, 25
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads_n)

    def work(t: int) -> None:
        try:
            barrier.wait()
            for i in range(per_thread):
                with ledger.begin() as conn:
                    conn.execute(counter.update().values(n=counter.c.n + 1))
                    ledger.append(conn, kind="decision", payload={"t": t, "i": i}, policy_version="p")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert_one_chain(ledger, threads_n * per_thread)
    # each thread's entries keep the order that thread wrote them in
    for t in range(threads_n):
        mine = [e.payload["i"] for e in ledger.entries() if e.payload["t"] == t]
        assert mine == list(range(per_thread))


@pytest.mark.slow
def test_processes_make_one_chain(shared: tuple[str, str, Ledger]) -> None:
    url, table, ledger = shared
    procs = [spawn(url, table, "append", "40") for _ in range(3)]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    assert_one_chain(ledger, 120)


@pytest.mark.slow
def test_sigkill_inside_an_open_append_leaves_a_verifiable_ledger(shared: tuple[str, str, Ledger]) -> None:
    url, table, ledger = shared
    with ledger.begin() as conn:
        ledger.append(conn, kind="decision", payload={"before": True}, policy_version="p")
    proc = spawn(url, table, "hold")
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.startswith("appended 2"), proc.stderr.read() if proc.stderr else ""
    proc.send_signal(signal.SIGKILL)  # killed with the entry written but not committed
    proc.wait(timeout=30)
    report = ledger.verify()
    assert report.ok and report.count == 1
    # the lock died with the process: the next writer gets seq 2, chained to entry 1
    with ledger.begin() as conn:
        counter = counter_table(table)
        conn.execute(counter.update().values(n=counter.c.n + 1))
        entry = ledger.append(conn, kind="decision", payload={"after": True}, policy_version="p")
    assert entry.seq == 2
    assert ledger.verify().ok
    assert counter_value(ledger) == 1  # the killed writer's counter update was rolled back too


@pytest.mark.slow
def test_sigkill_during_a_write_load(shared: tuple[str, str, Ledger]) -> None:
    url, table, ledger = shared
    for delay in (0.3, 0.55):
        proc = spawn(url, table, "loop")
        assert proc.stdout is not None
        assert proc.stdout.readline().strip().isdigit()  # it is writing
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        out = proc.stdout.read()
        proc.wait(timeout=30)
        acknowledged = [int(x) for x in out.split()]
        report = ledger.verify()
        assert report.ok, report.problems
        # every append the writer saw committed is in the ledger, and nothing half-written is
        if acknowledged:
            assert report.head_seq >= acknowledged[-1]
        assert report.head_seq <= (acknowledged[-1] + 1 if acknowledged else report.head_seq)
        assert counter_value(ledger) == report.count
