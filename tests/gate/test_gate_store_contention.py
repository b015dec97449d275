"""Every decision is on record, or says it is not, under real contention for the store.

SQLite: another connection holds the database's write lock (``BEGIN IMMEDIATE``) while gates decide, with a
short ``gate.store_timeout``. A decision whose transaction cannot get the lock in time is denied (AG000) and
that deny is recorded in a second transaction; if that cannot get the lock either, the deny carries AG006
and ``extra["recorded"] is False`` and nothing in the ledger claims it. PostgreSQL: a deadlock (40P01)
and serialisation failures (40001) are retried, never turned into denies. Afterwards ``ledger verify``,
the side-table checks and reconcile are clean.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import random
import sqlite3
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from gate_testlib import contention_worker, send, side_table_problems, spend

from brandrail.errors import GateError, PolicyError
from brandrail.gate import Decision, Gate, GateStore
from brandrail.gate.store import tables as t
from brandrail.ledger import transient_error
from brandrail.ledger._store import sqlite_file
from brandrail.policy import policy_from_dict
from pg_testlib import AdvisoryLockHolder, pg_schema


def _policy(timeout: str, **gate: Any) -> dict[str, Any]:
    return {
        "gate": {
            "content_checks": False,
            "store_timeout": timeout,
            "budget": {"campaign_daily_cap": "1000000"},
            **gate,
        }
    }


def _gate(url: str, timeout: str) -> Gate:
    return Gate(policy_from_dict(_policy(timeout)), GateStore.from_url(url))


class _Holder:
    """A second connection to the SQLite file that holds the write lock until :meth:`release`."""

    def __init__(self, url: str) -> None:
        path = sqlite_file(url)
        assert path is not None
        self.conn = sqlite3.connect(path, timeout=60, isolation_level=None, check_same_thread=False)
        self.conn.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        self.conn.execute("COMMIT")
        self.conn.close()


def _check_on_record(gate: Gate, decisions: list[dict[str, Any]]) -> tuple[int, int, int]:
    """Each decision is in the ledger as returned, or explicitly not recorded (and then absent); returns
    (recorded, recorded store-failure denies, not recorded)."""
    ledger = gate.store.ledger
    recorded = store_denied = unrecorded = 0
    for d in decisions:
        entry = ledger.get(d["decision_id"])
        if "AG006" in d["codes"]:
            assert d["outcome"] == "deny" and d["ledger_seq"] is None, d
            assert d["extra"].get("recorded") is False and "AG000" in d["codes"], d
            assert entry is None, d  # said not recorded, and it is not
            unrecorded += 1
            continue
        assert d["ledger_seq"] is not None, d
        assert entry is not None and entry.kind == "decision" and entry.seq == d["ledger_seq"], d
        assert entry.payload["outcome"] == d["outcome"], d
        if "AG000" in d["codes"]:
            assert d["outcome"] == "deny"
            assert entry.payload["error_class"] == "OperationalError", entry.payload
            assert entry.payload["store_failure"] == "busy" and entry.payload["attempts"] >= 1
            store_denied += 1
        recorded += 1
    report = ledger.verify()
    assert report.ok, report.problems
    assert side_table_problems(gate) == []
    assert gate.store.reconcile() == []
    return recorded, store_denied, unrecorded


def _spend(amount: str) -> dict[str, Any]:
    return spend(amount, time=datetime.now(UTC).isoformat())  # the gate's clock is the real one here


def _as_dict(decision: Decision) -> dict[str, Any]:
    return {
        "decision_id": decision.decision_id,
        "outcome": decision.outcome,
        "ledger_seq": decision.ledger_seq,
        "codes": decision.codes,
        "extra": decision.extra,
    }


# -- SQLite: each path, made to happen ------------------------------------------------------------------------


def test_a_deny_that_cannot_be_recorded_says_so(sqlite_url, caplog):
    gate = _gate(sqlite_url, "0.2s")
    holder = _Holder(sqlite_url)
    try:
        with caplog.at_level(logging.ERROR, logger="brandrail.gate"):
            decision = gate.decide(send({"id": "c-1", "email": "one@example.com"}))
    finally:
        holder.release()
    assert decision.outcome == "deny" and decision.codes == ["AG000", "AG006"]
    assert decision.ledger_seq is None and decision.extra == {
        "ledger_error": "database error",
        "recorded": False,
    }
    assert "locked by another writer" in decision.findings[0].message
    not_recorded = decision.findings[1]
    assert "not recorded" in not_recorded.message and not_recorded.evidence["recorded"] is False
    assert not_recorded.evidence["store_failure"] == "busy"
    assert any(
        "NOT RECORDED" in r.getMessage() and decision.decision_id in r.getMessage() for r in caplog.records
    )
    assert gate.write_stats.unrecorded == 1 and gate.write_stats.store_denied == 0
    assert _check_on_record(gate, [_as_dict(decision)]) == (0, 0, 1)
    # the store is free again: the next decision is recorded as usual
    assert gate.decide(_spend("5")).ledger_seq is not None


def test_a_deny_after_the_lock_outlasted_the_deadline_is_recorded_with_its_reason(sqlite_url):
    gate = _gate(sqlite_url, "1s")
    holder = _Holder(sqlite_url)
    failed = threading.Event()

    class _Seen(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.getMessage().startswith("gate error while deciding"):
                failed.set()

    handler = _Seen()
    logging.getLogger("brandrail.gate").addHandler(handler)
    out: list[Decision] = []
    worker = threading.Thread(target=lambda: out.append(gate.decide(_spend("5"))))
    try:
        worker.start()
        assert failed.wait(30), "the decision's transaction never gave up"
    finally:
        holder.release()  # the deny's own transaction now gets the lock
        worker.join(30)
        logging.getLogger("brandrail.gate").removeHandler(handler)
    (decision,) = out
    assert decision.outcome == "deny" and decision.codes == ["AG000"] and decision.ledger_seq is not None
    entry = gate.store.ledger.get(decision.decision_id)
    assert entry is not None and entry.payload["error"] is True
    assert gate.write_stats.store_denied == 1 and gate.write_stats.unrecorded == 0
    assert _check_on_record(gate, [_as_dict(decision)]) == (1, 1, 0)


def test_a_lock_released_before_the_deadline_only_delays_the_decision(sqlite_url):
    gate = _gate(sqlite_url, "30s")
    holder = _Holder(sqlite_url)
    threading.Timer(0.3, holder.release).start()
    decision = gate.decide(_spend("5"))
    assert decision.outcome == "allow" and decision.ledger_seq is not None
    assert gate.write_stats.as_dict() == {"retries": {}, "store_denied": 0, "unrecorded": 0}


def test_sqlite_busy_is_a_transient_error(sqlite_url):
    gate = _gate(sqlite_url, "30s")
    holder = _Holder(sqlite_url)
    try:
        with pytest.raises(sa.exc.OperationalError) as caught:
            gate.store.ledger.busy_timeout = 0.05
            with gate.store.transaction():
                pass
    finally:
        holder.release()
    assert transient_error(caught.value) == "busy"
    assert transient_error(ValueError("database is locked")) is None


# -- SQLite: several processes and a lock holder at once -----------------------------------------------------


def test_every_decision_is_on_record_or_says_not_under_contention(sqlite_url, tmp_path: Path):
    GateStore.from_url(sqlite_url)  # the schema, before the holder takes the lock
    policy = _policy("0.1s")
    ctx = multiprocessing.get_context("spawn")
    procs, outs = [], []
    for p in range(3):
        out = tmp_path / f"out{p}.json"
        outs.append(out)
        proc = ctx.Process(target=contention_worker, args=(sqlite_url, policy, 25, str(out), p))
        proc.start()
        procs.append(proc)
    rng = random.Random(7)
    path = sqlite_file(sqlite_url)
    assert path is not None
    holder = sqlite3.connect(path, timeout=60, isolation_level=None)
    try:
        # hold the write lock for 0 to 0.35 s at a time (past one store_timeout, past two), then let go
        while any(proc.is_alive() for proc in procs):
            holder.execute("BEGIN IMMEDIATE")
            time.sleep(rng.uniform(0.0, 0.35))
            holder.execute("COMMIT")
            time.sleep(rng.uniform(0.0, 0.1))
    finally:
        holder.close()
        for proc in procs:
            proc.join(120)
            if proc.is_alive():
                proc.kill()
    assert [proc.exitcode for proc in procs] == [0, 0, 0]
    decisions: list[dict[str, Any]] = []
    for out in outs:
        decisions += json.loads(out.read_text())["results"]
    assert len(decisions) == 150
    gate = _gate(sqlite_url, "30s")
    recorded, store_denied, unrecorded = _check_on_record(gate, decisions)
    assert recorded + unrecorded == 150 and recorded > 0
    print(f"contention: {recorded} recorded ({store_denied} store-failure denies), {unrecorded} not recorded")


# -- PostgreSQL: deadlocks and serialisation failures are retried ---------------------------------------------


def _waiting(engine: sa.Engine, blocker: int, n: int) -> None:
    """Wait until ``n`` sessions wait for a lock that the session ``blocker`` (a backend pid) holds."""
    query = sa.text(
        "SELECT count(*) FROM pg_stat_activity WHERE CAST(:b AS integer) = ANY(pg_blocking_pids(pid))"
    )
    for _ in range(3000):
        with engine.connect() as conn:
            if conn.execute(query, {"b": blocker}).scalar_one() >= n:
                return
        time.sleep(0.01)
    raise AssertionError(f"{n} sessions never waited for session {blocker}")


@pytest.mark.postgres
def test_postgres_deadlock_is_retried_not_denied():
    with pg_schema() as url:
        gate = _gate(url, "30s")
        assert gate.decide(_spend("5")).allowed  # the counter rows exist
        engine = sa.create_engine(url)
        other = engine.connect()
        try:
            # a writer that locks the counter rows first, then wants the ledger's lock (gates take the
            # ledger's lock first): a real deadlock, which the gate's session detects (deadlock_timeout 1 s
            # against this one's 10 s) and loses
            other.execute(sa.text("SET deadlock_timeout = '10s'"))
            pid = other.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
            other.execute(sa.text("SELECT key FROM gate_counters FOR UPDATE"))
            out: list[Decision] = []
            worker = threading.Thread(target=lambda: out.append(gate.decide(_spend("5"))))
            worker.start()
            _waiting(engine, pid, 1)
            other.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": gate.store.ledger.lock_key})
            other.commit()
            worker.join(60)
        finally:
            other.close()
            engine.dispose()
        (decision,) = out
        assert decision.outcome == "allow" and decision.ledger_seq is not None, decision.codes
        assert gate.write_stats.retries == {"deadlock": 1}
        assert _check_on_record(gate, [_as_dict(decision)]) == (1, 0, 0)
        gate.store.engine.dispose()


@pytest.mark.postgres
def test_postgres_serialisation_failures_are_retried_not_denied():
    with pg_schema() as base:
        url = base + "%20-cdefault_transaction_isolation%3Dserializable"
        gate = _gate(url, "30s")
        first = gate.decide(_spend("5"))
        assert first.allowed
        engine = sa.create_engine(url)
        other = engine.connect()
        out: list[Decision] = []
        try:
            # an append holds the ledger's lock while two decisions (each with its snapshot taken) wait for
            # it: serializable, each then finds the head it read gone — 40001, run again
            with other.begin():
                pid = other.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
                assert other.execute(sa.text("SHOW transaction_isolation")).scalar_one() == "serializable"
                gate.store.ledger.append(other, kind="note", payload={"n": 1}, policy_version="")
                actions = [send({"id": f"c-{i}", "email": f"c{i}@example.com"}) for i in range(2)]
                workers = [threading.Thread(target=lambda a=a: out.append(gate.decide(a))) for a in actions]
                for worker in workers:
                    worker.start()
                _waiting(engine, pid, 2)
            for worker in workers:
                worker.join(60)
        finally:
            other.close()
            engine.dispose()
        assert len(out) == 2
        assert all(d.ledger_seq is not None and "AG000" not in d.codes for d in out), [d.codes for d in out]
        assert gate.write_stats.retries.get("serialization_failure", 0) >= 1, gate.write_stats
        assert gate.write_stats.unrecorded == gate.write_stats.store_denied == 0
        _check_on_record(gate, [_as_dict(first), *map(_as_dict, out)])
        gate.store.engine.dispose()


# -- outcome reports: retried like decisions, within gate.store_timeout ---------------------------------------


def _status(gate: Gate, decision_id: str) -> str:
    with gate.store.reader() as conn:
        row = gate.store.decision_row(conn, decision_id)
    assert row is not None
    return str(row["status"])


def test_an_outcome_report_that_outlasts_the_deadline_says_it_is_not_recorded(sqlite_url, caplog):
    gate = _gate(sqlite_url, "0.3s")
    decision = gate.decide(_spend("5"))
    assert decision.allowed
    entries = len(list(gate.store.ledger.entries()))
    holder = _Holder(sqlite_url)  # a real second connection holds the write lock past the deadline
    try:
        with caplog.at_level(logging.ERROR, logger="brandrail.gate"), pytest.raises(GateError) as info:
            gate.report_outcome(decision.decision_id, executed=False)
    finally:
        holder.release()
    assert "was not recorded" in info.value.message and "locked by another writer" in info.value.message
    assert "gate.store_timeout" in info.value.message and info.value.hint is not None
    assert transient_error(info.value) == "busy"  # the cause is kept
    assert any("NOT RECORDED" in r.getMessage() for r in caplog.records)
    assert _status(gate, decision.decision_id) == "pending"  # nothing of it was written
    assert len(list(gate.store.ledger.entries())) == entries
    # the lock is free again: reporting again records it, once
    gate.report_outcome(decision.decision_id, executed=False)
    assert _status(gate, decision.decision_id) == "released"
    with gate.store.reader() as conn:
        assert set(conn.execute(sa.select(t.counters.c.value)).scalars()) == {0}  # given back
    assert gate.store.ledger.verify().ok and gate.store.reconcile() == []


def test_an_outcome_report_waits_for_a_lock_released_before_the_deadline(sqlite_url):
    gate = _gate(sqlite_url, "30s")
    decision = gate.decide(_spend("5"))
    holder = _Holder(sqlite_url)
    threading.Timer(0.3, holder.release).start()
    gate.report_outcome(decision.decision_id, executed=True)
    assert _status(gate, decision.decision_id) == "executed"


@pytest.mark.postgres
def test_postgres_deadlock_of_an_outcome_report_is_retried():
    with pg_schema() as url:
        gate = _gate(url, "30s")
        decision = gate.decide(_spend("5"))
        assert decision.allowed
        engine = sa.create_engine(url)
        other = engine.connect()
        errors: list[BaseException] = []

        def report() -> None:
            try:
                gate.report_outcome(decision.decision_id, executed=False)
            except BaseException as exc:
                errors.append(exc)

        try:
            # a writer that locks the counter rows first, then wants the ledger's lock (a release takes the
            # ledger's lock first, then the rows it gives back): a real deadlock, which the gate's session
            # detects (deadlock_timeout 1 s against this one's 10 s) and loses
            other.execute(sa.text("SET deadlock_timeout = '10s'"))
            pid = other.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
            other.execute(sa.text("SELECT key FROM gate_counters FOR UPDATE"))
            worker = threading.Thread(target=report)
            worker.start()
            _waiting(engine, pid, 1)
            other.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": gate.store.ledger.lock_key})
            other.commit()
            worker.join(60)
        finally:
            other.close()
            engine.dispose()
        assert errors == []
        assert gate.write_stats.retries == {"deadlock": 1}
        assert _status(gate, decision.decision_id) == "released"
        outcomes = [e for e in gate.store.ledger.entries() if e.kind == "outcome"]
        assert len(outcomes) == 1 and outcomes[0].payload["released"] is True
        assert gate.store.ledger.verify().ok and gate.store.reconcile() == []
        assert side_table_problems(gate) == []
        gate.store.engine.dispose()


# -- the policy key ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["0s", "soon", "-1s"])
def test_store_timeout_must_be_a_positive_duration(value):
    with pytest.raises(PolicyError, match="store_timeout"):
        policy_from_dict({"gate": {"store_timeout": value}})


def test_a_failed_decision_whose_action_cannot_be_recorded_is_recorded_without_it(sqlite_url, clock):
    from gate_testlib import bound_gate, write_behind

    from brandrail.gate.store import tables as t

    gate = bound_gate(sqlite_url, clock)
    assert gate.decide(send({"id": "c-ann", "email": "ann@example.com"})).ledger_seq is not None
    # ann's links relinked outside the gate: whom the address belongs to is not known
    write_behind(gate, t.subjects.update().values(pseudonym="p_" + "0" * 24))
    original = gate.store.record

    def broken(*args: Any, **kwargs: Any) -> Any:
        gate.store.record = original  # type: ignore[method-assign]
        raise RuntimeError("the decision's own write failed")  # once

    gate.store.record = broken  # type: ignore[method-assign]
    decision = gate.decide(send({"id": "c-ann", "email": "ann@example.com"}))
    assert decision.outcome == "deny" and decision.codes == ["AG000"] and decision.ledger_seq is not None
    assert decision.action is not None  # the caller still gets its action back
    entry = gate.store.ledger.get(decision.decision_id)
    assert entry is not None and entry.payload["action"] is None and entry.payload["kind"] == "send_message"
    assert entry.payload["error_class"] == "RuntimeError" and "store_failure" not in entry.payload
    assert gate.write_stats.unrecorded == 0


# -- PostgreSQL: a lock held past gate.store_timeout ends the wait, never the deadline's promise ------------


def _decide_within(gate: Gate, action: dict[str, Any], bound: float) -> tuple[Decision, float]:
    """``gate.decide(action)`` in a thread, which must return within ``bound`` seconds (a wait without
    bound fails the test instead of hanging it); returns the decision and the seconds it took."""
    out: list[Decision] = []
    started = time.monotonic()
    worker = threading.Thread(target=lambda: out.append(gate.decide(action)), daemon=True)
    worker.start()
    worker.join(bound)
    took = time.monotonic() - started
    assert not worker.is_alive(), f"the decision still waits for the lock after {took:.1f}s"
    (decision,) = out
    return decision, took


@pytest.mark.postgres
@pytest.mark.parametrize("make", [_spend, lambda _: send({"id": "c-9", "email": "nine@example.com"})])
def test_postgres_lock_wait_is_bounded_by_store_timeout_and_the_deny_says_unrecorded(make, caplog):
    """A spend (the one-statement path) and a send (the transactional path) while another session holds
    the ledger's lock throughout: the decision stops waiting at gate.store_timeout, is denied (AG000,
    lock_not_available), the deny's own transaction stops at the deadline again (AG006), and nothing in the
    ledger claims it."""
    with pg_schema() as url:
        # the set-up and the check afterwards run without a short deadline: the lock's key is the ledger
        # table's name, so a parallel test's ledger in another schema may hold it for a moment
        warm = _gate(url, "30s")
        assert warm.decide(_spend("5")).allowed  # schema, functions and counter rows exist
        gate = _gate(url, "0.5s")
        holder = AdvisoryLockHolder(url, gate.store.ledger.lock_key)
        try:
            with caplog.at_level(logging.ERROR, logger="brandrail.gate"):
                decision, took = _decide_within(gate, make("5"), 15)
        finally:
            holder.release()
        # two deadlines (the decision's, the deny's record's) and the work around them
        assert took < 2 * 0.5 + 2.0, took
        assert decision.outcome == "deny" and decision.codes == ["AG000", "AG006"], decision.codes
        assert decision.findings[0].evidence["store_failure"] == "lock_not_available"
        assert "locked by another writer" in decision.findings[0].message
        assert decision.findings[1].evidence == {
            "recorded": False,
            "error": "database error",
            "store_failure": "lock_not_available",
            "reference": decision.decision_id,
        }
        # the first wait lasts the whole deadline (as SQLite's busy timeout): nothing left to retry in
        assert gate.write_stats.as_dict() == {"retries": {}, "store_denied": 0, "unrecorded": 1}
        assert gate.store.ledger.get(decision.decision_id) is None
        # the lock is free: the next decision is recorded as usual, and the store is consistent
        after = warm.decide(_spend("5"))
        assert after.allowed and after.ledger_seq is not None
        assert gate.store.ledger.verify().ok
        assert side_table_problems(gate) == [] and gate.store.reconcile() == []
        # nothing of the bound stays on the pooled connections
        with gate.store.engine.connect() as conn:
            assert conn.execute(sa.text("SHOW lock_timeout")).scalar_one() == "0"
        gate.store.engine.dispose()
        warm.store.engine.dispose()


@pytest.mark.postgres
def test_postgres_deny_after_the_lock_outlasted_the_deadline_is_recorded_with_its_reason():
    with pg_schema() as url:
        warm = _gate(url, "30s")  # the set-up without a short deadline (see above)
        assert warm.decide(_spend("5")).allowed
        warm.store.engine.dispose()
        gate = _gate(url, "1s")
        holder = AdvisoryLockHolder(url, gate.store.ledger.lock_key)
        failed = threading.Event()

        class _Seen(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                if record.getMessage().startswith("gate error while deciding"):
                    holder.release()  # the deny's own transaction now gets the lock
                    failed.set()

        handler = _Seen()
        logging.getLogger("brandrail.gate").addHandler(handler)
        try:
            decision, took = _decide_within(gate, _spend("5"), 15)
        finally:
            logging.getLogger("brandrail.gate").removeHandler(handler)
            holder.release()
        assert failed.is_set() and took < 1 + 2.0, took
        assert decision.outcome == "deny" and decision.codes == ["AG000"] and decision.ledger_seq is not None
        entry = gate.store.ledger.get(decision.decision_id)
        assert entry is not None and entry.payload["error"] is True
        assert entry.payload["store_failure"] == "lock_not_available" and entry.payload["attempts"] >= 1
        assert gate.write_stats.store_denied == 1 and gate.write_stats.unrecorded == 0
        assert gate.store.ledger.verify().ok and gate.store.reconcile() == []
        gate.store.engine.dispose()


@pytest.mark.postgres
def test_postgres_lock_released_before_the_deadline_only_delays_the_decision():
    with pg_schema() as url:
        gate = _gate(url, "30s")
        assert gate.decide(_spend("5")).allowed
        holder = AdvisoryLockHolder(url, gate.store.ledger.lock_key)
        threading.Timer(0.3, holder.release).start()
        decision, took = _decide_within(gate, _spend("5"), 25)
        assert decision.allowed and decision.ledger_seq is not None and took >= 0.25
        assert gate.write_stats.as_dict() == {"retries": {}, "store_denied": 0, "unrecorded": 0}
        gate.store.engine.dispose()
