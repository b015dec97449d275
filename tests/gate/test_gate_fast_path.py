"""PostgreSQL: a decision whose only state is budget counters is written by one autocommit statement
(``gate_decide_fast``). These tests pin what that path must keep: exact caps on one hot key from several
processes and threads, a refusal that writes nothing and falls back to the transaction, an error half-way
through that leaves nothing behind, idempotent replays, and a ledger that verifies."""

from __future__ import annotations

import json
import multiprocessing
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from gate_testlib import Clock, spend

from brandrail.gate import Gate, GateStore
from brandrail.gate import codes as c
from brandrail.gate.store import tables as t
from brandrail.ledger import PreparedEntry
from brandrail.policy import policy_from_dict
from pg_testlib import drop_pg_schema, new_pg_url, pg_available

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_url() -> Iterator[str]:
    if not pg_available():
        pytest.skip("PostgreSQL not reachable at 127.0.0.1:5432")
    url, schema = new_pg_url()
    yield url
    drop_pg_schema(schema)


def _gate(url: str, clock: Clock, **budget: str) -> Gate:
    policy = policy_from_dict({"gate": {"content_checks": False, "budget": budget}})
    return Gate(policy, GateStore.from_url(url), clock=clock)


def _counters(store: GateStore) -> dict[str, int]:
    with store.reader() as conn:
        return {str(k): int(v) for k, v in conn.execute(sa.select(t.counters.c.key, t.counters.c.value))}


def _count(store: GateStore, table: sa.Table) -> int:
    with store.reader() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def _statuses(gate: Gate) -> list[int]:
    """The status of every ``GateStore.decide_fast`` call the gate makes from now on, in order (0: the one
    statement decided; otherwise why it wrote nothing and the transaction decided)."""
    statuses: list[int] = []
    original = gate.store.decide_fast

    def counting(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        statuses.append(result.status)
        return result

    gate.store.decide_fast = counting  # type: ignore[method-assign]
    return statuses


def test_a_spend_takes_the_one_statement_path_and_is_recorded_like_the_transaction(
    pg_url: str, clock: Clock
) -> None:
    gate = _gate(pg_url, clock, campaign_daily_cap="10")
    assert gate.store.fast_path
    calls = _statuses(gate)
    opening = gate.decide(spend("1.00"))  # a new counter row: created by the transaction (status 3)
    assert opening.outcome == "allow" and calls == [3]
    first = gate.decide(spend("4.00"))
    assert first.outcome == "allow" and first.ledger_seq == 2 and calls == [3, 0]
    with gate.store.reader() as conn:
        row = gate.store.decision_row(conn, first.decision_id)
    assert row is not None and row["status"] == "pending"
    entry = gate.store.ledger.get(first.decision_id)
    assert entry is not None and row["ledger_hash"] == entry.hash
    assert [(r["kind"], r["amount"]) for r in entry.payload["reservations"]] == [("counter", 400)]
    # the decision's response is what a repeat returns, and the binding to the ledger holds
    again = gate.decide({**spend("4.00"), "id": first.action_id})
    assert again.repeated and again.decision_id == first.decision_id and calls == [3, 0, 1]
    assert set(_counters(gate.store).values()) == {500}
    # an outcome report releases what the one statement reserved
    gate.report_outcome(first.decision_id, executed=False)
    assert set(_counters(gate.store).values()) == {100}
    assert gate.store.ledger.verify().ok and gate.store.reconcile() == []


def test_a_refusal_writes_nothing_and_the_transaction_words_it(pg_url: str, clock: Clock) -> None:
    # two caps on one spend, checked in key order: the agent's ("spend:agent:…", room left), then the
    # campaign's ("spend:campaign:…"), which refuses — neither may change
    gate = _gate(pg_url, clock, campaign_daily_cap="5", agent_cap="100")
    statuses = _statuses(gate)
    assert gate.decide(spend("3.00")).outcome == "allow"
    before = _counters(gate.store)
    actions_before = _count(gate.store, t.actions)
    refused = gate.decide(spend("3.00"))
    assert refused.outcome == "deny"
    assert statuses == [3, 2]  # the one statement refused; the transaction recorded the deny
    assert any(code.startswith("AG1") for code in refused.codes)
    assert "3.00 of 5.00 already reserved" in " ".join(f.message for f in refused.findings)
    assert _counters(gate.store) == before  # nothing reserved by the refused spend, on any counter
    assert _count(gate.store, t.actions) == actions_before + 1  # only the deny's own claim
    entry = gate.store.ledger.get(refused.decision_id)
    assert entry is not None and entry.payload["reservations"] == []
    assert gate.store.ledger.verify().ok and gate.store.reconcile() == []


def test_an_error_half_way_through_the_statement_leaves_nothing_and_denies(pg_url: str, clock: Clock) -> None:
    gate = _gate(pg_url, clock, campaign_daily_cap="100")
    assert gate.decide(spend("1.00", campaign="fine")).outcome == "allow"
    assert gate.decide(spend("1.00", campaign="boom")).outcome == "allow"  # the counter row exists
    # the ledger insert of an allowed spend on campaign "boom" fails: by then the statement has claimed the
    # id, reserved the counter and written the reservation row — all of which must go with it
    with gate.store.engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "IF NEW.payload LIKE '%%\"outcome\":\"allow\"%%' AND NEW.payload LIKE '%%boom%%' THEN "
            "RAISE EXCEPTION 'injected'; END IF; RETURN NEW; END $$"
        )
        conn.exec_driver_sql(
            "CREATE TRIGGER boom BEFORE INSERT ON brandrail_ledger FOR EACH ROW EXECUTE FUNCTION boom()"
        )
    counters = _counters(gate.store)
    reservations = _count(gate.store, t.reservations)
    decision = gate.decide(spend("1.00", campaign="boom"))
    assert decision.outcome == "deny" and decision.codes == [c.GateErrorDenied.code]
    assert _counters(gate.store) == counters
    assert _count(gate.store, t.reservations) == reservations
    with gate.store.reader() as conn:
        claimed = conn.execute(
            sa.select(t.actions.c.decision_id).where(t.actions.c.action_id == decision.action_id)
        ).all()
    assert claimed == []  # the id is free: a retry is decided afresh
    entry = gate.store.ledger.get(decision.decision_id)  # the deny is on record (the fail-closed entry)
    assert entry is not None and entry.payload["outcome"] == "deny" and entry.payload.get("error")
    assert gate.store.ledger.verify().ok and gate.store.reconcile() == []


def test_a_counter_row_locked_by_another_writer_is_left_to_the_transaction(pg_url: str, clock: Clock) -> None:
    # the one statement holds the ledger's lock while it takes counter rows — so it must never wait for
    # one: a row locked elsewhere (here by hand) makes it give up, and the transaction waits instead
    gate = _gate(pg_url, clock, campaign_daily_cap="100")
    assert gate.decide(spend("1.00")).outcome == "allow"
    statuses = _statuses(gate)
    (key,) = _counters(gate.store)
    holder = gate.store.engine.connect()
    results: list[Any] = []
    try:
        holder.exec_driver_sql("UPDATE gate_counters SET value = value WHERE key = %(k)s", {"k": key})
        thread = threading.Thread(target=lambda: results.append(gate.decide(spend("2.00"))))
        thread.start()
        for _ in range(200):  # until the one statement gave up and the transaction waits for the row
            if statuses:
                break
            threading.Event().wait(0.02)
        assert statuses == [3]
        assert not results  # the transaction waits for the row
        holder.commit()
        thread.join(timeout=30)
    finally:
        holder.close()
    assert [d.outcome for d in results] == ["allow"]
    assert list(_counters(gate.store).values()) == [300]
    assert gate.store.ledger.verify().ok and gate.store.reconcile() == []


def test_a_text_the_database_would_hash_differently_is_refused_before_any_write(
    pg_url: str, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = _gate(pg_url, clock, campaign_daily_cap="100")
    monkeypatch.setattr(PreparedEntry, "check", property(lambda self: "0" * 64))
    decision = gate.decide(spend("1.00"))
    assert decision.outcome == "deny" and decision.codes == [c.GateErrorDenied.code]
    assert set(_counters(gate.store).values()) <= {0}
    assert _count(gate.store, t.reservations) == 0
    assert gate.store.ledger.verify().ok and gate.store.reconcile() == []


def test_one_action_id_from_many_threads_is_decided_once(pg_url: str, clock: Clock) -> None:
    gate = _gate(pg_url, clock, campaign_daily_cap="100")
    action = spend("2.00")
    results: list[Any] = []

    def run() -> None:
        results.append(gate.decide(dict(action)))

    threads = [threading.Thread(target=run) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({d.decision_id for d in results}) == 1
    assert sum(1 for d in results if not d.repeated) == 1
    assert all(d.outcome == "allow" for d in results)
    assert list(_counters(gate.store).values()) == [200]
    assert gate.store.ledger.count() == 1
    assert gate.store.ledger.verify().ok and gate.store.reconcile() == []


def _hot_worker(url: str, threads: int, per_thread: int, out_path: str) -> None:
    from datetime import UTC, datetime

    policy = policy_from_dict({"gate": {"content_checks": False, "budget": {"campaign_daily_cap": "300"}}})
    gate = Gate(policy, GateStore.from_url(url))
    results: list[tuple[str, str, bool]] = []
    lock = threading.Lock()

    def run() -> None:
        local = []
        for _ in range(per_thread):
            d = gate.decide(spend("1.00", campaign="hot", time=datetime.now(UTC).isoformat()))
            local.append((d.decision_id, d.outcome, d.ledger_seq is not None))
        with lock:
            results.extend(local)

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    Path(out_path).write_text(json.dumps(results), encoding="utf-8")


@pytest.mark.slow
def test_one_hot_cap_from_four_processes_of_four_threads_is_exact(pg_url: str, tmp_path: Path) -> None:
    GateStore.from_url(pg_url)
    ctx = multiprocessing.get_context("spawn")
    outs = [tmp_path / f"out{i}.json" for i in range(4)]
    procs = [ctx.Process(target=_hot_worker, args=(pg_url, 4, 40, str(out))) for out in outs]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=240)
    assert [p.exitcode for p in procs] == [0] * 4
    results = [r for out in outs for r in json.loads(out.read_text())]
    assert len(results) == 640
    allowed = [r for r in results if r[1] == "allow"]
    assert len(allowed) == 300  # the cap of 300 spends of 1.00: exactly, neither more nor fewer
    assert all(r[2] for r in results)  # every decision has its ledger entry
    store = GateStore.from_url(pg_url)
    assert _counters(store) == {next(iter(_counters(store))): 30000}
    report = store.ledger.verify()
    assert report.ok and report.count == 640
    assert {e.id for e in store.ledger.entries()} == {r[0] for r in results}
    assert store.reconcile() == []


@pytest.mark.parametrize(("durability", "setting"), [("strict", "on"), ("fast", "off")])
def test_the_fast_statement_commits_with_the_policys_durability(
    pg_url: str, clock: Clock, durability: str, setting: str
) -> None:
    policy = policy_from_dict(
        {"gate": {"content_checks": False, "durability": durability, "budget": {"campaign_daily_cap": "100"}}}
    )
    gate = Gate(policy, GateStore.from_url(pg_url), clock=clock)
    with gate.store.engine.begin() as conn:  # what synchronous_commit is when the decision row is written
        conn.exec_driver_sql("CREATE TABLE seen (setting text)")
        conn.exec_driver_sql(
            "CREATE FUNCTION seen() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "INSERT INTO seen VALUES (current_setting('synchronous_commit')); RETURN NEW; END $$"
        )
        conn.exec_driver_sql(
            "CREATE TRIGGER seen AFTER INSERT ON gate_decisions FOR EACH ROW EXECUTE FUNCTION seen()"
        )
    assert gate.decide(spend("1.00")).outcome == "allow"
    with gate.store.reader() as conn:
        assert conn.exec_driver_sql("SELECT setting FROM seen").scalars().all() == [setting]
        # SET LOCAL only: the pooled connection keeps the server's default
        assert conn.exec_driver_sql("SHOW synchronous_commit").scalar_one() == "on"


def test_a_writer_transaction_takes_the_ledger_before_the_counter_rows(pg_url: str, clock: Clock) -> None:
    # the transactional path (here forced: fast_path off) must not hold a counter row while it waits for
    # the ledger — else every fast statement on that counter gives up and queues behind it
    gate = _gate(pg_url, clock, campaign_daily_cap="100")
    assert gate.decide(spend("1.00")).outcome == "allow"
    gate.store.fast_path = False
    (key,) = _counters(gate.store)
    holder = gate.store.engine.connect()
    results: list[Any] = []
    try:
        holder.exec_driver_sql("SELECT pg_advisory_xact_lock(%(k)s)", {"k": gate.store.ledger.lock_key})
        thread = threading.Thread(target=lambda: results.append(gate.decide(spend("2.00"))))
        thread.start()
        with gate.store.engine.connect() as probe:
            for _ in range(200):  # until the decision's transaction waits for the ledger's lock
                waiting = probe.exec_driver_sql(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                ).scalar_one()
                if waiting:
                    break
                threading.Event().wait(0.02)
            assert waiting
        # the counter row is free while it waits
        row = holder.exec_driver_sql(
            "SELECT value FROM gate_counters WHERE key = %(k)s FOR UPDATE NOWAIT", {"k": key}
        ).scalar_one()
        assert row == 100
        holder.rollback()
        thread.join(timeout=30)
    finally:
        holder.close()
    assert [d.outcome for d in results] == ["allow"]
    assert list(_counters(gate.store).values()) == [300]
    # and an outcome report that releases a counter takes the ledger first as well (no deadlock, same result)
    gate.report_outcome(results[0].decision_id, executed=False)
    assert list(_counters(gate.store).values()) == [100]
    assert gate.store.ledger.verify().ok and gate.store.reconcile() == []
