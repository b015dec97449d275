"""PostgreSQL: a spend's campaign budget is confirmed inside the one statement that decides it
(``gate_decide_fast``), so a spend is one round trip once its campaign's budget was read — and every budget
the gate did not write, or that changed since it was read, is still caught: the statement writes nothing
(status 4), the budget is read and checked again, and the spend is decided on what the store holds."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from gate_testlib import Clock, action, spend

from brandrail.gate import Gate, GateStore
from brandrail.gate import decide as decide_module
from brandrail.gate.store import _DECIDE_FAST_SIGNATURE
from brandrail.gate.store import tables as t
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


def _gate(url: str, clock: Clock, **budget: Any) -> Gate:
    policy = policy_from_dict({"gate": {"content_checks": False, "budget": budget}})
    return Gate(policy, GateStore.from_url(url), clock=clock)


def _watch(gate: Gate, monkeypatch: pytest.MonkeyPatch) -> tuple[list[int], list[str]]:
    """The status of each one-statement call and the campaign of each budget read the fast path makes."""
    statuses: list[int] = []
    reads: list[str] = []
    original = gate.store.decide_fast
    read = decide_module.read_budget_state

    def counting(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        statuses.append(result.status)
        return result

    def reading(store: GateStore, conn: Any, key: str) -> Any:
        reads.append(key)
        return read(store, conn, key)

    gate.store.decide_fast = counting  # type: ignore[method-assign]
    monkeypatch.setattr(decide_module, "read_budget_state", reading)
    return statuses, reads


def _set_budget(gate: Gate, clock: Clock, amount: str, campaign: str = "spring") -> Any:
    found = gate.decide(
        action("set_budget", campaign=campaign, amount=amount, period="day", time=clock.now.isoformat())
    )
    assert found.outcome == "allow"
    return found


def _spend(gate: Gate, clock: Clock, amount: str) -> Any:
    return gate.decide(spend(amount, time=clock.now.isoformat()))


def _sql(gate: Gate, statement: Any) -> None:
    with gate.store.engine.begin() as conn:
        conn.execute(statement)


def test_a_spend_reads_its_budget_once_then_decides_in_one_statement(
    pg_url: str, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = _gate(pg_url, clock)
    _set_budget(gate, clock, "100")
    statuses, reads = _watch(gate, monkeypatch)
    assert _spend(gate, clock, "10").outcome == "allow"  # first on the day: a new counter row (status 3)
    assert _spend(gate, clock, "20").outcome == "allow"
    assert _spend(gate, clock, "30").outcome == "allow"
    assert statuses == [3, 0, 0]
    assert len(reads) == 1  # read once: the later spends confirm it inside their statement
    over = _spend(gate, clock, "40.01")
    assert over.codes == ["AG107"] and over.findings[0].evidence["reserved"] == "60.00"
    assert gate.store.reconcile() == []
    assert gate.store.ledger.verify().ok


@pytest.mark.parametrize("edit", ["raise", "delete", "older_version", "entry_edited", "no_budget_forged"])
def test_a_budget_changed_outside_the_gate_after_it_was_read_still_denies(
    pg_url: str, clock: Clock, monkeypatch: pytest.MonkeyPatch, edit: str
) -> None:
    gate = _gate(pg_url, clock)
    if edit != "no_budget_forged":
        _set_budget(gate, clock, "1000")
        _set_budget(gate, clock, "10")
    statuses, reads = _watch(gate, monkeypatch)
    assert _spend(gate, clock, "1").outcome == "allow"
    assert _spend(gate, clock, "1").outcome == "allow"  # the budget read is now the gate's to confirm
    del statuses[:], reads[:]
    budgets = t.budgets
    if edit == "raise":
        _sql(gate, budgets.update().values(amount_cents=10**9))
    elif edit == "delete":
        _sql(gate, budgets.delete())
    elif edit == "older_version":
        _sql(gate, budgets.update().values(amount_cents=100_000, seq=1))
    elif edit == "entry_edited":  # the entry of the row's version, its hash left as it was
        table = gate.store.ledger.table
        _sql(
            gate,
            table.update()
            .where(table.c.kind == "budget", table.c.id.like("b:%:2"))
            .values(payload=sa.func.replace(table.c.payload, '"amount":1000', '"amount":100000')),
        )
        _sql(gate, budgets.update().values(amount_cents=100_000))
    else:  # no budget was read; now a row no set_budget wrote
        _sql(
            gate,
            budgets.insert().values(campaign="spring", period="day", amount_cents=1, set_by="x", seq=1),
        )
    denied = _spend(gate, clock, "5")  # within the budget that was read
    assert denied.outcome == "deny" and denied.codes == ["AG107"]
    assert denied.findings[0].evidence["store_problem"]
    # the statement saw the change and wrote nothing; the budget was read again and its deny written
    assert statuses == [4, 0] and len(reads) == 1


def test_a_budget_another_gate_lowered_binds_a_gate_that_read_it_before(
    pg_url: str, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = _gate(pg_url, clock)
    other = _gate(pg_url, clock)
    _set_budget(gate, clock, "100")
    assert _spend(gate, clock, "10").outcome == "allow"
    assert _spend(gate, clock, "10").outcome == "allow"
    statuses, reads = _watch(gate, monkeypatch)
    _set_budget(other, clock, "25")
    over = _spend(gate, clock, "10")
    assert over.codes == ["AG107"] and over.findings[0].evidence["budget"] == "25.00"
    assert statuses[0] == 4 and len(reads) == 1
    assert _spend(gate, clock, "5").outcome == "allow"  # exactly the new budget
    assert gate.store.reconcile() == []


def test_migrate_installs_the_budget_reading_function_on_an_existing_store(pg_url: str, clock: Clock) -> None:
    """A store an earlier release set up has ``gate_decide_fast`` without the budget parameters (another
    overload), or this one's with an older body: ``migrate`` puts the current one in place and leaves the
    earlier overload to the earlier release's processes."""
    gate = _gate(pg_url, clock)
    old_signature = (
        "gate_decide_fast(p_action text, p_digest text, p_keys text[], p_amounts bigint[], p_caps bigint[], "
        "p_d text, p_o text, p_s text, p_t text, p_r text, p_k bigint, p_id text, p_time text, p_kind text, "
        "p_payload text, p_policy_version text, p_head text, p_tail text, p_sync text, p_check text)"
    )
    with gate.store.engine.begin() as conn:
        conn.exec_driver_sql(f"DROP FUNCTION {_DECIDE_FAST_SIGNATURE}")
        conn.exec_driver_sql(
            f"CREATE FUNCTION {old_signature} RETURNS TABLE(o_status integer, o_value bigint, o_seq bigint, "
            "o_prev_hash text, o_hash text) LANGUAGE sql AS $$ SELECT 3, 1::bigint, NULL::bigint, NULL, NULL $$"
        )
    upgraded = _gate(pg_url, clock)
    assert upgraded.store.fast_path
    _set_budget(upgraded, clock, "100")
    _spend(upgraded, clock, "1")
    assert _spend(upgraded, clock, "1").ledger_seq is not None
    with upgraded.store.engine.connect() as conn:
        overloads = conn.exec_driver_sql(
            "SELECT count(*) FROM pg_proc WHERE proname = 'gate_decide_fast' "
            "AND pronamespace = to_regnamespace(current_schema())"
        ).scalar()
        assert overloads == 2  # the earlier release's is left for its processes
    # an out-of-date body of the current signature is replaced too
    with upgraded.store.engine.begin() as conn:
        body = conn.exec_driver_sql(
            "SELECT prosrc FROM pg_proc WHERE oid = to_regprocedure(%(s)s)", {"s": _DECIDE_FAST_SIGNATURE}
        ).scalar()
        ddl = str(
            conn.exec_driver_sql(
                "SELECT pg_get_functiondef(to_regprocedure(%(s)s))", {"s": _DECIDE_FAST_SIGNATURE}
            ).scalar()
        )
        stale = ddl.replace("IF p_bkey IS NOT NULL THEN", "IF false THEN")
        assert stale != ddl
        conn.exec_driver_sql(stale)
    again = _gate(pg_url, clock)
    assert again.store.fast_path
    with again.store.engine.connect() as conn:
        current = conn.exec_driver_sql(
            "SELECT prosrc FROM pg_proc WHERE oid = to_regprocedure(%(s)s)", {"s": _DECIDE_FAST_SIGNATURE}
        ).scalar()
    assert current == body
