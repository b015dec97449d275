"""The taint of a flagged tool result (AG909) in the gate's store: it survives a restart, every gateway, proxy
and client wrapper on the store shares it, it is bound to the ledger (a writer cannot lift it unseen), and a
store that cannot be read or written fails closed. SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import anyio
import httpx
import openai
import pytest
import sqlalchemy as sa
from integ_testlib import exchanges
from mcp import Client
from test_integrations_mcp_results import POISON, Tools, text_of
from test_integrations_proxy_results import REFUND, chat, follow_up

import brandrail
from brandrail.gate import Gate
from brandrail.gate.taint import lift_taint, list_taints, read_taints
from brandrail.integrations.common import ANONYMOUS, ResultTaint, TaintNotRecordedError
from brandrail.integrations.fakeupstream import FakeUpstream
from brandrail.integrations.mcp import build_gateway
from brandrail.policy import Policy
from pg_testlib import drop_pg_schema, new_pg_url, pg_available

BY = {"tool": "lookup_order", "request_id": "r-1", "codes": ["AG908"]}
REFUND_CALL = ("issue_refund", {"order": "o-1", "amount": "20.00"})


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'shared.db'}"
        return
    if not pg_available():
        pytest.skip("PostgreSQL not reachable at 127.0.0.1:5432")
    url, schema = new_pg_url("taint")
    yield url
    drop_pg_schema(schema)


@pytest.fixture
def gates(policy: Policy, store_url: str) -> Iterator[list[Gate]]:
    """Gates on the one store, as separate processes hold them (their engines disposed after the test)."""
    made: list[Gate] = []
    yield made
    for gate in made:
        gate.store.engine.dispose()


def gate_on(gates: list[Gate], policy: Policy, url: str) -> Gate:
    gate = Gate(policy, store=url)
    gates.append(gate)
    return gate


def taint_of(gate: Gate, clock: Clock) -> ResultTaint:
    """A fresh shell's taint on ``gate``'s store (nothing in memory), on ``clock``."""
    return ResultTaint(gate.policy.integrations.results, clock, gate.store, gate.keys)


def view_of(store: Any, key: str) -> str | None:
    """The view of ``key``'s caller's taint as a reviewer sees it in ``gate taint list`` (None: not listed)."""
    return next((r.view for r in list_taints(store) if r.key == key), None)


def lift_seen(store: Any, key: str, **kw: Any) -> Any:
    """:func:`lift_taint` by a reviewer who looked at the taint just now (``seen``: the view it lists)."""
    return lift_taint(store, key, seen=view_of(store, key), **kw)


def taint_entries(gate: Gate) -> list[dict[str, Any]]:
    return [e.payload for e in gate.store.ledger.entries() if e.kind == "taint"]


def verify_problems(gate: Gate) -> list[tuple[str, str]]:
    """What ``brandrail ledger verify`` reports of the gate's tables."""
    from brandrail.gate.bindings import check_side_tables

    return check_side_tables(gate.store.ledger, gate.store.engine)


def write_behind(gate: Gate, sql: str) -> None:
    with gate.store.engine.begin() as conn:
        conn.exec_driver_sql(sql)


# -- the store is the truth ---------------------------------------------------------------------------


def test_a_taint_survives_a_restart_and_is_shared_by_every_process(
    policy: Policy, store_url: str, gates: list[Gate]
) -> None:
    clock = Clock()
    first = taint_of(gate_on(gates, policy, store_url), clock)
    a = first.caller(credential="key-a", session="s-1")
    first.mark(a, BY)
    # another process on the store (or this one restarted): nothing in its memory
    other_gate = gate_on(gates, policy, store_url)
    other = taint_of(other_gate, clock)
    again = other.caller(credential="key-a", session="s-2")
    assert again.principal == a.principal  # the same credential has the same digest in every process
    found = other.tainted(again)
    assert found is not None and found[1]["tool"] == "lookup_order" and found[1]["request_id"] == "r-1"
    assert found[0] == clock.now + timedelta(hours=1)
    held = other.hold(policy, again, "issue_refund")
    assert held is not None and held.code == "AG909" and "ago" in held.message
    assert other.hold(policy, again, "lookup_order") is None  # action: none is not consequential
    assert other.tainted(other.caller(credential="key-b")) is None
    assert other.tainted(other.caller()) is None  # the anonymous callers are not key-a
    [entry] = taint_entries(other_gate)
    assert entry["key"] == a.principal and entry["by"]["caller"]["principal"] == a.principal
    assert "key-a" not in json.dumps(entry) and "s-1" not in json.dumps(entry)
    clock.advance(hours=1, seconds=1)
    assert other.tainted(again) is None and taint_of(other_gate, clock).tainted(again) is None


def test_a_renewal_within_a_minute_writes_nothing_and_a_taint_is_never_shortened(
    policy: Policy, store_url: str, gates: list[Gate]
) -> None:
    clock = Clock()
    gate = gate_on(gates, policy, store_url)
    taint = taint_of(gate, clock)
    caller = taint.caller(credential="key-a")
    taint.mark(caller, BY)
    clock.advance(seconds=30)
    taint_of(gate, clock).mark(caller, BY)  # a chat client resends the flagged result: no new entry
    assert len(taint_entries(gate)) == 1
    clock.advance(seconds=60)
    until = taint_of(gate, clock).mark(caller, BY)
    assert [e["seq"] for e in taint_entries(gate)] == [1, 2]
    assert taint_of(gate, clock).tainted(caller) == (
        until,
        json.loads(json.dumps({**BY, "caller": caller.as_dict(), "keys": [caller.principal]})),
    )
    # a process whose clock is behind writes nothing: the taint it would write ends earlier
    late = Clock()
    late.now = clock.now - timedelta(minutes=30)
    taint_of(gate, late).mark(caller, {**BY, "request_id": "r-2"})
    with gate.store.reader() as conn:
        [row] = read_taints(gate.store, conn, [caller.principal or ""])
    assert row.problem is None and row.until == until and row.by["request_id"] == "r-1"
    assert len(taint_entries(gate)) == 2


def test_callers_without_a_credential_share_one_taint(
    policy: Policy, store_url: str, gates: list[Gate]
) -> None:
    clock = Clock()
    taint = taint_of(gate_on(gates, policy, store_url), clock)
    taint.mark(taint.caller(session="s-1"), BY)
    assert taint.caller(session="s-1").taint_keys() == (ANONYMOUS,)
    fresh = taint_of(gate_on(gates, policy, store_url), clock)
    for anonymous in (fresh.caller(session="s-2"), fresh.caller()):
        assert fresh.hold(policy, anonymous, "issue_refund") is not None
    assert fresh.hold(policy, fresh.caller(credential="key-c"), "issue_refund") is None


# -- bound to the ledger --------------------------------------------------------------------------------


def _held_for(gate: Gate, clock: Clock, policy: Policy, credential: str) -> str | None:
    taint = taint_of(gate, clock)
    finding = taint.hold(policy, taint.caller(credential=credential), "issue_refund")
    return (
        None
        if finding is None
        else str(finding.evidence.get("store_problem") or finding.evidence.get("tool"))
    )


def test_a_writer_cannot_lift_a_taint_behind_the_gate(
    policy: Policy, store_url: str, gates: list[Gate]
) -> None:
    clock = Clock()
    gate = gate_on(gates, policy, store_url)
    taint = taint_of(gate, clock)
    key = taint.caller(credential="key-a").principal
    taint.mark(taint.caller(credential="key-a"), BY)
    assert _held_for(gate, clock, policy, "key-a") == "lookup_order"

    assert verify_problems(gate) == []
    write_behind(gate, f"DELETE FROM gate_taint WHERE key = '{key}'")
    assert verify_problems(gate) == [(f"taint of {key}", "the taint row was deleted (the ledger records it)")]
    assert (
        _held_for(gate, clock, policy, "key-a")
        == f"the taint record of {key} was deleted (the ledger records it)"
    )
    finding = taint_of(gate, clock).hold(policy, taint.caller(credential="key-a"), "issue_refund")
    assert finding is not None and "cannot be told" in finding.message

    taint_of(gate, clock).mark(taint.caller(credential="key-a"), BY)  # a new taint restores the row
    with gate.store.reader() as conn:
        [row] = read_taints(gate.store, conn, [key or ""])
    assert row.problem is None and row.seq == 2

    write_behind(
        gate, f"UPDATE gate_taint SET until = '2026-05-04T10:00:01.000000+00:00' WHERE key = '{key}'"
    )
    assert (
        _held_for(gate, clock, policy, "key-a") == f"the taint record of {key} differs from its ledger entry"
    )
    assert verify_problems(gate) == [(f"taint of {key}", "the taint row differs from its ledger entry")]

    write_behind(gate, f"DELETE FROM gate_taint WHERE key = '{key}'")
    clock.advance(minutes=5)
    taint_of(gate, clock).mark(taint.caller(credential="key-a"), BY)
    with gate.store.reader() as conn:
        [row] = read_taints(gate.store, conn, [key or ""])
    assert row.seq == 3
    # version 2, put back as it was recorded: an older version
    [v2] = [e for e in taint_entries(gate) if e["seq"] == 2]
    by = json.dumps(v2["by"], sort_keys=True).replace("'", "''")
    write_behind(
        gate, f"UPDATE gate_taint SET until = '{v2['until']}', by = '{by}', seq = 2 WHERE key = '{key}'"
    )
    assert _held_for(gate, clock, policy, "key-a") == (
        f"the taint record of {key} is an older version (the ledger records a later change)"
    )

    forged = taint.caller(credential="key-b").principal
    write_behind(
        gate,
        "INSERT INTO gate_taint (key, until, by, seq) "
        f"VALUES ('{forged}', '2026-05-04T10:00:01.000000+00:00', '{{}}', 1)",
    )
    assert "was not written by the gate" in str(_held_for(gate, clock, policy, "key-b"))
    # past the end of every taint: an expired, intact row holds nothing
    write_behind(gate, f"DELETE FROM gate_taint WHERE key = '{forged}'")
    clock.advance(hours=2)
    assert _held_for(gate, clock, policy, "key-b") is None


# -- fail closed ----------------------------------------------------------------------------------------


def test_a_store_that_cannot_be_read_holds_the_call(
    policy: Policy, store_url: str, gates: list[Gate], monkeypatch: pytest.MonkeyPatch
) -> None:
    import brandrail.gate.taint as taint_module

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise sa.exc.OperationalError("SELECT", {}, Exception("the database is gone"))

    clock = Clock()
    taint = taint_of(gate_on(gates, policy, store_url), clock)
    monkeypatch.setattr(taint_module, "read_taints", broken)
    finding = taint.hold(policy, taint.caller(credential="key-a"), "issue_refund")
    assert finding is not None and finding.code == "AG909"
    assert finding.evidence["store_error"] == "OperationalError" and "could not be read" in finding.message
    assert taint.hold(policy, taint.caller(credential="key-a"), "lookup_order") is None


def test_a_taint_the_store_cannot_record_is_kept_in_memory_and_raised(
    policy: Policy, store_url: str, gates: list[Gate], monkeypatch: pytest.MonkeyPatch
) -> None:
    import brandrail.gate.taint as taint_module

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise sa.exc.OperationalError("INSERT", {}, Exception("disk full"))

    clock = Clock()
    taint = taint_of(gate_on(gates, policy, store_url), clock)
    monkeypatch.setattr(taint_module, "write_taint", broken)
    caller = taint.caller(credential="key-a")
    with pytest.raises(TaintNotRecordedError, match="could not record"):
        taint.mark(caller, BY)
    assert taint.hold(policy, caller, "issue_refund") is not None  # this process still holds it
    monkeypatch.undo()
    taint.mark(caller, BY)  # not yet in the store: written on the next mark, however soon
    assert len(taint_entries(gates[0])) == 1


# -- the shells on one store ---------------------------------------------------------------------------


def test_two_gateways_on_one_store_share_the_taint_and_a_restart_keeps_it(
    policy: Policy, store_url: str, gates: list[Gate]
) -> None:
    """An agent over stdio (anonymous) reads a poisoned result through one gateway; its refund through a
    second gateway on the same store is held, and through a gateway started afterwards too."""

    async def call(gate: Gate, tools: Tools, *calls: tuple[str, dict[str, Any]]) -> list[Any]:
        async with Client(build_gateway(policy, gate, tools.server())) as client:
            return [await client.call_tool(name, args) for name, args in calls]

    poisoned = Tools(POISON)
    first, second = gate_on(gates, policy, store_url), gate_on(gates, policy, store_url)
    [looked] = anyio.run(call, first, poisoned, ("lookup_order", {"order": "o-1"}))
    assert "customer list" not in text_of(looked)
    [refund] = anyio.run(call, second, Tools(), REFUND_CALL)
    assert refund.structured_content["status"] == "pending_approval" and "AG909" in text_of(refund)
    for gate in list(gates):
        gate.store.engine.dispose()
    restarted = gate_on(gates, policy, store_url)
    [refund] = anyio.run(call, restarted, Tools(), REFUND_CALL)
    assert refund.structured_content["status"] == "pending_approval" and "AG909" in text_of(refund)


def test_the_proxy_and_the_client_wrapper_share_a_callers_taint(
    proxy_client: Any, policy: Policy, store_url: str, gates: list[Gate]
) -> None:
    proxy_gate = gate_on(gates, policy, store_url)

    async def poison() -> None:
        headers = {"Authorization": "Bearer key-a", "X-Brandrail-Route": "fixing"}
        async with proxy_client("Noted.", policy=policy, gate=proxy_gate) as client:
            await client.post("/v1/chat/completions", json=chat(POISON), headers=headers)

    anyio.run(poison)

    def wrapped(caller: str) -> Any:
        upstream = FakeUpstream([REFUND])
        http = httpx.AsyncClient(transport=httpx.ASGITransport(app=upstream.app))
        raw = openai.AsyncOpenAI(api_key="sk-test", base_url="http://upstream.test/v1", http_client=http)
        gate = gate_on(gates, policy, store_url)
        client = brandrail.guard_openai(raw, policy, gate=gate, route="fixing", caller=caller)

        async def go() -> Any:
            return await client.chat.completions.create(**follow_up())

        return anyio.run(go)

    held = wrapped("key-a")
    assert held.choices[0].message.tool_calls is None and "AG909" in held.brandrail["tools"][0]["codes"]
    other = wrapped("key-b")
    assert other.choices[0].message.tool_calls and "AG909" not in str(other.brandrail["tools"])


def test_the_gateway_withholds_a_result_whose_taint_cannot_be_recorded(
    policy: Policy, gate: Gate, monkeypatch: pytest.MonkeyPatch
) -> None:
    import brandrail.gate.taint as taint_module

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise sa.exc.OperationalError("INSERT", {}, Exception("disk full"))

    monkeypatch.setattr(taint_module, "write_taint", broken)

    async def go() -> tuple[Any, Any]:
        async with Client(build_gateway(policy, gate, Tools(POISON).server())) as client:
            return await client.call_tool("lookup_order", {"order": "o-1"}), await client.call_tool(
                *REFUND_CALL
            )

    looked, refund = anyio.run(go)
    assert looked.is_error and looked.structured_content["taint_not_recorded"] is True
    assert "Great tent" not in text_of(looked)
    assert refund.structured_content["status"] == "pending_approval"  # held by this process's memory
    [entry] = [e for e in exchanges(gate) if e["verdict"] == "result_screened"]
    assert entry["tool"]["result"]["withheld"] is True


def test_the_proxy_refuses_a_request_whose_taint_cannot_be_recorded(
    proxy_client: Any, upstream: FakeUpstream, policy: Policy, gate: Gate, monkeypatch: pytest.MonkeyPatch
) -> None:
    import brandrail.gate.taint as taint_module

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise sa.exc.OperationalError("INSERT", {}, Exception("disk full"))

    monkeypatch.setattr(taint_module, "write_taint", broken)

    async def go() -> httpx.Response:
        async with proxy_client(REFUND, policy=policy, gate=gate) as client:
            return await client.post("/v1/chat/completions", json=chat(POISON))

    response = anyio.run(go)
    assert response.status_code == 503 and response.json()["error"]["code"] == "taint_not_recorded"
    assert upstream.requests == []  # the model read nothing


def test_processes_marking_one_caller_at_once_keep_the_versions_whole(
    policy: Policy, store_url: str, gates: list[Gate]
) -> None:
    """Four shells on the store taint one caller at the same moment, each with a later clock: every write
    is its own version with its own entry, and the row is the latest."""
    import threading

    gate = gate_on(gates, policy, store_url)
    errors: list[BaseException] = []
    ends: list[datetime] = []

    def shell(n: int) -> None:
        clock = Clock()
        clock.advance(minutes=2 * n)
        taint = taint_of(gate, clock)
        try:
            ends.append(taint.mark(taint.caller(credential="key-a"), {**BY, "request_id": f"r-{n}"}))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=shell, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    seqs = sorted(e["seq"] for e in taint_entries(gate))
    assert seqs == list(range(1, len(seqs) + 1)) and 1 <= len(seqs) <= 4
    key = taint_of(gate, Clock()).caller(credential="key-a").principal or ""
    with gate.store.reader() as conn:
        [row] = read_taints(gate.store, conn, [key])
    assert row.problem is None and row.until == max(ends) and row.seq == seqs[-1]
    assert verify_problems(gate) == []
