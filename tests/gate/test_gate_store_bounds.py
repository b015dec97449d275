"""A decision's whole use of the PostgreSQL store is bounded by ``gate.store_timeout``, not only its lock
waits: an exhausted connection pool, a slow statement (``pg_sleep`` in a trigger) and a server that
accepts connections but never answers end in a deny (AG000, fail closed) with its reason.

Real sessions on the local server, each test in a schema of its own. No timing is asserted beyond a loose
bound that a wait without end would fail (a decision is run in a thread that must finish within 10x its
timeouts); the outcome and its reason are what is checked.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from gate_testlib import send, side_table_problems, spend

from brandrail.errors import LedgerError
from brandrail.gate import Decision, Gate, GateStore
from brandrail.ledger import Ledger, deadline_error, write_deadline
from brandrail.ledger._store import DeadlinePool
from brandrail.policy import policy_from_dict
from pg_testlib import pg_schema

TIMEOUT = 0.5
#: a decision (and the record of its deny: two deadlines) must end within this, or the test fails
BOUND = 10 * 2 * TIMEOUT


def _policy(timeout: str) -> Any:
    return policy_from_dict(
        {
            "gate": {
                "content_checks": False,
                "store_timeout": timeout,
                "budget": {"campaign_daily_cap": "1000000"},
            }
        }
    )


def _spend(amount: str) -> dict[str, Any]:
    return spend(amount, time=datetime.now(UTC).isoformat())


def _send(n: int) -> dict[str, Any]:
    return send({"id": f"c-{n}", "email": f"c{n}@example.com"})


def _small_pool_gate(url: str, timeout: str) -> Gate:
    """A gate whose store has one pooled connection and no overflow (the pool a busy service exhausts)."""
    engine = sa.create_engine(url, poolclass=DeadlinePool, pool_size=1, max_overflow=0, pool_timeout=60)
    return Gate(_policy(timeout), GateStore(engine, ledger=Ledger(engine)))


def _decide_within(gate: Gate, action: dict[str, Any], bound: float = BOUND) -> Decision:
    out: list[Decision] = []
    worker = threading.Thread(target=lambda: out.append(gate.decide(action)), daemon=True)
    worker.start()
    worker.join(bound)
    assert not worker.is_alive(), f"the decision still waits after {bound:.0f}s"
    (decision,) = out
    return decision


def _unrecorded(decision: Decision, reason: str) -> None:
    assert decision.outcome == "deny" and decision.codes == ["AG000", "AG006"], decision.codes
    assert decision.ledger_seq is None and decision.extra["recorded"] is False
    assert decision.findings[0].evidence["store_failure"] == reason, decision.findings[0].evidence
    assert decision.findings[1].evidence["store_failure"] == reason, decision.findings[1].evidence


def _slow_inserts(url: str, seconds: float, only: str | None = None) -> None:
    """A trigger that makes every insert of a decision row (or only those of outcome ``only``) take
    ``seconds``: a slow server, as the decision's statements see it."""
    condition = f"NEW.outcome = '{only}'" if only else "true"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE FUNCTION slow_decisions() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF {condition} THEN PERFORM pg_sleep({seconds}); END IF; RETURN NEW; END $$"
        )
        conn.exec_driver_sql(
            "CREATE TRIGGER slow_decisions BEFORE INSERT ON gate_decisions "
            "FOR EACH ROW EXECUTE FUNCTION slow_decisions()"
        )
    engine.dispose()


def _no_settings_left(gate: Gate) -> None:
    with gate.store.engine.connect() as conn:
        assert conn.exec_driver_sql("SHOW lock_timeout").scalar_one() == "0"
        assert conn.exec_driver_sql("SHOW statement_timeout").scalar_one() == "0"


# -- an exhausted pool ---------------------------------------------------------------------------------------


def test_from_url_engines_bound_their_checkout(tmp_path):
    store = GateStore.from_url(f"sqlite:///{tmp_path / 'g.db'}")
    assert isinstance(store.engine.pool, DeadlinePool)
    store.engine.dispose()


def test_an_exhausted_pool_ends_the_checkout_at_the_deadline(tmp_path):
    """The pool itself, on SQLite (no server needed): the checkout that finds no connection free gives up
    at the deadline (pool_timeout), though the pool's own timeout is a minute; outside a deadline the
    pool's timeout applies."""
    engine = sa.create_engine(
        f"sqlite:///{tmp_path / 'p.db'}",
        poolclass=DeadlinePool,
        pool_size=1,
        max_overflow=0,
        pool_timeout=0.2,
    )
    held = engine.connect()
    try:
        with pytest.raises(sa.exc.TimeoutError) as caught:
            engine.connect()  # no deadline: the pool's own timeout (0.2 s here)
        engine.pool._timeout = 60  # type: ignore[attr-defined]
        errors: list[BaseException] = []

        def checkout() -> None:
            try:
                with write_deadline(time.monotonic() + 0.2):
                    engine.connect()
            except BaseException as exc:
                errors.append(exc)

        worker = threading.Thread(target=checkout, daemon=True)
        worker.start()
        worker.join(10)
        assert not worker.is_alive(), "the checkout waited past its deadline"
        assert len(errors) == 1 and deadline_error(errors[0]) == "pool_timeout", errors
        assert deadline_error(caught.value) == "pool_timeout"
    finally:
        held.close()
    with write_deadline(time.monotonic() + 5), engine.connect() as conn:  # a free one: taken at once
        assert conn.exec_driver_sql("SELECT 1").scalar() == 1
    engine.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize("make", [_spend, lambda _: _send(1)], ids=["one-statement", "transaction"])
def test_postgres_exhausted_pool_is_a_deny_within_the_deadline(make, caplog):
    with pg_schema("pb") as url:
        gate = _small_pool_gate(url, f"{TIMEOUT}s")
        assert gate.decide(_spend("5")).allowed  # schema, functions, counter rows
        held = gate.store.engine.connect()  # the only connection, taken elsewhere in the process
        try:
            with caplog.at_level(logging.ERROR, logger="brandrail.gate"):
                decision = _decide_within(gate, make("5"))
        finally:
            held.close()
        _unrecorded(decision, "pool_timeout")
        assert "pool exhausted" in decision.findings[0].message
        assert any("NOT RECORDED" in r.getMessage() for r in caplog.records)
        assert gate.store.ledger.get(decision.decision_id) is None
        after = gate.decide(_spend("5"))  # the connection is back: as usual
        assert after.allowed and after.ledger_seq is not None
        assert gate.store.ledger.verify().ok and side_table_problems(gate) == []
        assert gate.store.reconcile() == []
        gate.store.engine.dispose()


@pytest.mark.postgres
def test_postgres_pool_freed_while_the_deny_is_recorded_records_it_with_its_reason():
    with pg_schema("pb") as url:
        gate = _small_pool_gate(url, f"{TIMEOUT}s")
        assert gate.decide(_spend("5")).allowed
        held = gate.store.engine.connect()

        class _Seen(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                if record.getMessage().startswith("gate error while deciding"):
                    held.close()  # the deny's own transaction now gets the connection

        handler = _Seen()
        logging.getLogger("brandrail.gate").addHandler(handler)
        try:
            decision = _decide_within(gate, _spend("5"))
        finally:
            logging.getLogger("brandrail.gate").removeHandler(handler)
            held.close()
        assert decision.outcome == "deny" and decision.codes == ["AG000"], decision.codes
        entry = gate.store.ledger.get(decision.decision_id)
        assert entry is not None and entry.payload["store_failure"] == "pool_timeout"
        assert entry.payload["error_class"] == "TimeoutError"
        assert gate.write_stats.store_denied == 1 and gate.write_stats.unrecorded == 0
        gate.store.engine.dispose()


# -- a slow server -------------------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.parametrize("make", [_spend, lambda _: _send(2)], ids=["one-statement", "transaction"])
def test_postgres_slow_statement_is_cancelled_at_the_deadline_and_denied(make):
    with pg_schema("pb") as url:
        warm = Gate(_policy("30s"), GateStore.from_url(url))
        assert warm.decide(_spend("5")).allowed
        _slow_inserts(url, 30)  # far past any bound: only the deadline can end it
        gate = Gate(_policy(f"{TIMEOUT}s"), GateStore.from_url(url))
        decision = _decide_within(gate, make("5"))
        _unrecorded(decision, "statement_timeout")
        assert "too slow" in decision.findings[0].message
        assert gate.store.ledger.get(decision.decision_id) is None
        _no_settings_left(gate)
        assert gate.store.ledger.verify().ok and side_table_problems(gate) == []
        assert gate.store.reconcile() == []
        for one in (gate, warm):
            one.store.engine.dispose()


@pytest.mark.postgres
def test_postgres_slow_decision_whose_deny_is_quick_is_recorded_with_its_reason():
    with pg_schema("pb") as url:
        gate = Gate(_policy(f"{TIMEOUT}s"), GateStore.from_url(url))
        assert gate.decide(_spend("5")).allowed
        _slow_inserts(url, 30, only="allow")  # the deny's own record is not slow
        decision = _decide_within(gate, _spend("5"))
        assert decision.outcome == "deny" and decision.codes == ["AG000"], decision.codes
        entry = gate.store.ledger.get(decision.decision_id)
        assert entry is not None and entry.payload["store_failure"] == "statement_timeout"
        # the one-statement path runs on the driver: its error class is psycopg's
        assert entry.payload["error_class"] == "QueryCanceled"
        assert gate.store.ledger.verify().ok and gate.store.reconcile() == []
        gate.store.engine.dispose()


@pytest.mark.postgres
def test_postgres_reads_and_writer_transactions_are_bounded_only_inside_a_deadline():
    with pg_schema("pb") as url:
        store = GateStore.from_url(url)
        for opened in (store.reader, store.single_read, store.transaction):
            with (
                pytest.raises(sa.exc.OperationalError) as caught,
                write_deadline(time.monotonic() + 0.3),
                opened() as conn,
            ):
                conn.exec_driver_sql("SELECT pg_sleep(30)")
            assert deadline_error(caught.value) == "statement_timeout", opened
        with store.single_read() as conn:  # no deadline: the server's own setting
            assert conn.exec_driver_sql("SHOW statement_timeout").scalar_one() == "0"
            assert conn.exec_driver_sql("SELECT 1 FROM pg_sleep(0.6)").scalar_one() == 1
        store.engine.dispose()


@pytest.mark.postgres
def test_a_server_that_never_answers_ends_a_connect_at_the_deadline():
    """A listening socket that accepts and never answers (a hung server): opening a connection inside a
    deadline gives up (libpq connect_timeout, at least 2 s) instead of waiting for ever."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    port = listener.getsockname()[1]
    ledger = Ledger.from_url(f"postgresql://postgres@127.0.0.1:{port}/test")
    errors: list[BaseException] = []

    def connect() -> None:
        try:
            with write_deadline(time.monotonic() + 0.3), ledger.begin():
                pass
        except BaseException as exc:
            errors.append(exc)

    worker = threading.Thread(target=connect, daemon=True)
    try:
        worker.start()
        worker.join(30)
        assert not worker.is_alive(), "the connect still waits"
    finally:
        listener.close()
    assert len(errors) == 1 and isinstance(errors[0], LedgerError), errors
    assert "cannot connect" in str(errors[0]) and "timeout" in str(errors[0])
    ledger.engine.dispose()
