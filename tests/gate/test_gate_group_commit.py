"""Group commit on PostgreSQL: the concurrent decisions of one process written in one transaction.

Batches are formed for real (threads queue behind a write in progress) on a real PostgreSQL schema: a
refusal or an error inside a batch affects only its own decision, a retry of the same action inside a batch
repeats the first decision, a process killed in the middle of a batch leaves nothing that a caller did not
receive, and 4 processes × 8 threads on one hot cap allow exactly the cap.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from gate_testlib import T0, Clock, reservation_worker, spend

from brandrail.gate import Decision, Gate, GateStore
from brandrail.gate.store import tables as t
from brandrail.gate.store.batch import GroupCommit
from brandrail.policy import policy_from_dict
from pg_testlib import drop_pg_schema, new_pg_url, pg_available

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_url() -> Iterator[str]:
    if not pg_available():
        pytest.skip("PostgreSQL not reachable at 127.0.0.1:5432")
    url, schema = new_pg_url("gc")
    yield url
    drop_pg_schema(schema)


def _gate(url: str, clock: Clock, cap: str = "3") -> Gate:
    policy = policy_from_dict({"gate": {"content_checks": False, "budget": {"campaign_daily_cap": cap}}})
    return Gate(policy, GateStore.from_url(url), clock=clock)


class Held:
    """Hold the store's group commit busy (a write in progress) so that decisions queue up behind it, then
    let them go: the queued ones are written by one leader in one batch, in the order they queued."""

    def __init__(self, batch: GroupCommit) -> None:
        self.batch = batch
        self.release = threading.Event()
        entered = threading.Event()

        def hold(conn: Any) -> None:
            entered.set()
            self.release.wait(30)

        self.holder = threading.Thread(target=batch.run, args=(hold,))
        self.holder.start()
        assert entered.wait(10)
        self.threads: list[threading.Thread] = []

    def submit(self, fn: Callable[[], Any], out: list[Any]) -> None:
        """Start ``fn`` in a thread and wait until it has queued (so the queue order is the call order)."""
        before = len(self.batch._queue)
        thread = threading.Thread(target=lambda: out.append(fn()))
        thread.start()
        self.threads.append(thread)
        deadline = time.monotonic() + 10
        while len(self.batch._queue) == before:
            assert time.monotonic() < deadline, "the decision never queued"
            time.sleep(0.001)

    def go(self) -> None:
        self.release.set()
        self.holder.join(10)
        for thread in self.threads:
            thread.join(30)
            assert not thread.is_alive()


def _decide_in_order(gate: Gate, actions: list[dict[str, Any]], failing: int = 0) -> list[Decision]:
    """Decide ``actions`` in one batch (queued in this order); returns the decisions in the same order.

    ``failing`` decisions raise inside the batch: each is written afterwards as a deny in a batch of its own.
    """
    batch = gate.store.group_commit
    assert batch is not None
    held = Held(batch)
    outs: list[list[Decision]] = [[] for _ in actions]
    for action, out in zip(actions, outs, strict=True):
        held.submit(lambda action=action: gate.decide(action), out)
    batches, items = batch.batches, batch.items
    held.go()
    # the holder's own (empty) batch, then all queued decisions in one batch (then each failed one's deny)
    assert batch.batches - batches == 2 + failing
    assert batch.items - items == 1 + len(actions)
    return [out[0] for out in outs]


def _ledger_ids(store: GateStore) -> set[str]:
    return {entry.id for entry in store.ledger.entries() if entry.kind == "decision"}


def test_sqlite_has_no_group_commit(tmp_path: Path) -> None:
    assert GateStore.from_url(f"sqlite:///{tmp_path / 'g.db'}").group_commit is None


def test_group_commit_can_be_turned_off_and_sized(pg_url: str) -> None:
    store = GateStore.from_url(pg_url)
    assert store.group_commit is not None and store.group_commit.max_batch == 64
    store.set_group_commit(8)
    assert store.group_commit.max_batch == 8
    store.set_group_commit(0)
    assert store.group_commit is None
    with pytest.raises(Exception, match="group commit size"):
        store.set_group_commit(-1)


def test_a_refusal_in_the_middle_of_a_batch_affects_only_its_decision(pg_url: str, clock: Clock) -> None:
    gate = _gate(pg_url, clock, cap="3")
    # 1 + 1 allowed, 2 refused (would make 4 > 3), 1 allowed (makes 3), 1 refused
    decisions = _decide_in_order(gate, [spend(a) for a in ("1", "1", "2", "1", "1")])
    assert [d.outcome for d in decisions] == ["allow", "allow", "deny", "allow", "deny"]
    assert decisions[2].codes == ["AG102"] and decisions[4].codes == ["AG102"]
    assert "2.00 of 3.00 already reserved" in decisions[2].findings[0].message
    seqs = [d.ledger_seq for d in decisions]
    assert seqs == sorted(seqs) and len(set(seqs)) == 5  # one chain, in queue order
    with gate.store.reader() as conn:
        assert conn.execute(sa.select(t.counters.c.value)).scalar_one() == 300
    assert {d.decision_id for d in decisions} <= _ledger_ids(gate.store)
    assert gate.store.ledger.verify().ok
    assert gate.store.reconcile() == []


def test_an_error_in_the_middle_of_a_batch_denies_only_its_decision(
    pg_url: str, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = _gate(pg_url, clock, cap="100")
    store = gate.store
    record = store.record
    failures: list[str] = []

    def failing(conn: Any, decision: dict[str, Any], *args: Any) -> Any:
        if '"boom"' in decision["r"] and not failures:
            # a real database error after the decision reserved its counters: the transaction is aborted,
            # and the batch must be written again without it (its reservation undone)
            failures.append(decision["d"])
            conn.exec_driver_sql("SELECT 1 / 0")
        return record(conn, decision, *args)

    monkeypatch.setattr(store, "record", failing)
    actions = [spend("1"), spend("2"), spend("4", campaign="boom"), spend("8"), spend("16")]
    decisions = _decide_in_order(gate, actions, failing=1)
    assert [d.outcome for d in decisions] == ["allow", "allow", "deny", "allow", "allow"]
    failed = decisions[2]
    assert failed.codes == ["AG000"]
    assert "could not decide (database error)" in failed.findings[0].message
    assert failed.ledger_seq is not None  # the deny is on record with its reason
    assert failures == [failed.decision_id]
    with store.reader() as conn:
        counters = dict(conn.execute(sa.select(t.counters.c.key, t.counters.c.value)).all())
    assert sum(counters.values()) == 2700  # 1 + 2 + 8 + 16: nothing of the failed one, nothing twice
    ids = _ledger_ids(store)
    assert {d.decision_id for d in decisions} <= ids
    assert len(ids) == 5
    assert store.ledger.verify().ok
    assert store.reconcile() == []


def test_an_idempotent_retry_inside_a_batch_repeats_the_first_decision(pg_url: str, clock: Clock) -> None:
    gate = _gate(pg_url, clock, cap="100")
    first = spend("5")
    other = dict(first, amount="6")  # the same id with other arguments
    decisions = _decide_in_order(gate, [first, dict(first), spend("1"), other])
    assert decisions[0].outcome == "allow" and not decisions[0].repeated
    assert decisions[1].repeated and decisions[1].decision_id == decisions[0].decision_id
    assert decisions[2].outcome == "allow"
    assert decisions[3].outcome == "deny" and decisions[3].codes == ["AG002"]
    with gate.store.reader() as conn:
        assert conn.execute(sa.select(t.counters.c.value)).scalar_one() == 600  # 5 + 1, reserved once
    assert gate.store.ledger.verify().ok
    assert gate.store.reconcile() == []


def test_a_lone_caller_writes_at_once_in_a_batch_of_one(pg_url: str, clock: Clock) -> None:
    gate = _gate(pg_url, clock, cap="100")
    batch = gate.store.group_commit
    assert batch is not None
    for amount in ("1", "2", "3"):
        assert gate.decide(spend(amount)).outcome == "allow"
    assert (batch.batches, batch.items) == (3, 3)


# -- a process killed in the middle of a batch ----------------------------------------------------------


def _batch_then_hang(url: str, out_path: str) -> None:
    """Queue 3 spends behind a held write, then a job that hangs inside the batch's transaction after they
    were written (uncommitted): the parent kills the process there. Every decision received is logged."""
    os.environ.setdefault("BRANDRAIL_PSEUDONYM_KEY", "test:" + "ab" * 32)
    gate = _gate(url, Clock(datetime.fromisoformat(T0)), cap="100")
    batch = gate.store.group_commit
    assert batch is not None
    handle = open(out_path, "a", encoding="utf-8", buffering=1)  # noqa: SIM115 - lives until SIGKILL
    held = Held(batch)
    sink: list[Any] = []

    def decide(amount: str) -> None:
        d = gate.decide(spend(amount))
        handle.write(json.dumps({"decision": d.decision_id, "outcome": d.outcome}) + "\n")

    for amount in ("1", "2", "3"):
        held.submit(lambda amount=amount: decide(amount), sink)

    def hang(conn: Any) -> None:
        handle.write(json.dumps({"inside": True}) + "\n")
        time.sleep(3600)

    held.submit(lambda: batch.run(hang), sink)
    held.go()


def test_a_process_killed_mid_batch_leaves_nothing_unreceived(pg_url: str, tmp_path: Path) -> None:
    store = GateStore.from_url(pg_url)
    out = tmp_path / "received.jsonl"
    proc = multiprocessing.get_context("spawn").Process(target=_batch_then_hang, args=(pg_url, str(out)))
    proc.start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (out.exists() and '"inside"' in out.read_text()):
        time.sleep(0.02)
    assert out.exists() and '"inside"' in out.read_text(), "the batch never reached its last job"
    # the 3 decisions are written, uncommitted, in the open transaction: no caller has them yet
    assert '"decision"' not in out.read_text()
    os.kill(proc.pid, signal.SIGKILL)
    proc.join(timeout=10)
    assert proc.exitcode == -signal.SIGKILL
    assert _ledger_ids(store) == set()  # the whole batch rolled back: nothing decided is missing a receipt
    assert store.ledger.verify().ok
    with store.reader() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(t.counters)).scalar_one() == 0
        assert conn.execute(sa.select(sa.func.count()).select_from(t.actions)).scalar_one() == 0
    assert store.reconcile() == []
    # and the gate goes on: a new process decides on the same store
    gate = _gate(pg_url, Clock(datetime.fromisoformat(T0)), cap="100")
    assert gate.decide(spend("1")).outcome == "allow"
    assert gate.store.ledger.verify().ok


# -- many threads × 4 processes on one hot cap --------------------------------------------------------


@pytest.mark.slow
def test_hot_cap_allows_exactly_the_cap_across_processes_and_threads(pg_url: str, tmp_path: Path) -> None:
    processes, threads, total = 4, 8, 2000
    cap = total // 2  # every spend is 1.00: exactly `cap` of them fit
    GateStore.from_url(pg_url)
    policy = {"gate": {"content_checks": False, "budget": {"campaign_daily_cap": str(cap)}}}
    values = ["1.00"] * total
    per_thread = [values[i :: processes * threads] for i in range(processes * threads)]
    ctx = multiprocessing.get_context("spawn")
    procs, outs = [], []
    for p in range(processes):
        out = tmp_path / f"out{p}.json"
        outs.append(out)
        chunk = per_thread[p * threads : (p + 1) * threads]
        proc = ctx.Process(target=reservation_worker, args=(pg_url, policy, "spend", chunk, str(out)))
        proc.start()
        procs.append(proc)
    for proc in procs:
        proc.join(timeout=300)
    for proc in procs:
        if proc.is_alive():
            proc.kill()
            proc.join()
    assert [proc.exitcode for proc in procs] == [0] * processes
    results = [r for out in outs for r in json.loads(out.read_text())]
    assert len(results) == total
    allowed = [r for r in results if r[1] == "allow"]
    assert len(allowed) == cap  # not one more (overspend), not one less (a lost reservation)
    assert {r[1] for r in results} == {"allow", "deny"}
    store = GateStore.from_url(pg_url)
    with store.reader() as conn:
        assert conn.execute(sa.select(t.counters.c.value)).scalar_one() == cap * 100
    assert {r[0] for r in results} == _ledger_ids(store)
    report = store.ledger.verify()
    assert report.ok and report.count == total
    assert store.reconcile() == []
    assert sum(Decimal(r[2]) for r in allowed) == cap


def test_claim_and_reserve_in_one_statement_is_all_or_none_across_caps(pg_url: str, clock: Clock) -> None:
    """A spend claims its id and reserves its counters in one statement: when the second cap (in key order)
    refuses, the first is given back; a repeat reserves nothing."""
    policy = policy_from_dict(
        {"gate": {"content_checks": False, "budget": {"campaign_daily_cap": "10", "agent_cap": "100"}}}
    )
    gate = Gate(policy, GateStore.from_url(pg_url), clock=clock)
    gate.store.set_group_commit(0)  # one transaction per decision: the statement alone
    first = spend("5")
    assert gate.decide(first).outcome == "allow"
    assert gate.decide(first).repeated
    refused = gate.decide(spend("6"))  # the agent's cap (key spend:agent:…) takes it, the campaign's refuses
    assert refused.codes == ["AG102"]
    assert "5.00 of 10.00 already reserved" in refused.findings[0].message
    over = gate.decide(spend("11"))  # more than the cap itself
    assert over.codes == ["AG102"]
    with gate.store.reader() as conn:
        counters = dict(conn.execute(sa.select(t.counters.c.key, t.counters.c.value)).all())
    assert sorted(counters.values()) == [500, 500]  # agent and campaign: the first spend only
    assert gate.store.reconcile() == []
    assert gate.store.ledger.verify().ok
