"""brandrail.guard_openai with the real openai SDK (sync and async) against the fake upstream; async @guard."""

from __future__ import annotations

import json
from typing import Any

import anyio
import httpx
import openai
import pytest
from integ_testlib import exchanges, serve

import brandrail
from brandrail.errors import UsageError
from brandrail.gate import Gate, guard
from brandrail.integrations.fakeupstream import FakeReply, FakeUpstream, tool_call

BAD = "Our cheap tents are great."
GOOD = "Our tents are good value and built to last."
MESSAGES = [{"role": "user", "content": "Are your tents any good?"}]


def async_client(upstream: FakeUpstream) -> openai.AsyncOpenAI:
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=upstream.app))
    return openai.AsyncOpenAI(
        api_key="sk-test", base_url="http://upstream.test/v1", http_client=http, max_retries=0
    )


def test_sync_client_reasks(policy: Any, gate: Gate) -> None:
    upstream = FakeUpstream([BAD, GOOD])
    with serve(upstream.app) as url:
        client = brandrail.guard_openai(
            openai.OpenAI(api_key="sk-test", base_url=url + "/v1", max_retries=0),
            policy,
            channel="chat",
            gate=gate,
        )
        reply = client.chat.completions.create(model="fake-model", messages=MESSAGES)
    assert reply.choices[0].message.content == GOOD
    assert reply.brandrail["verdict"] == "reasked"
    assert reply.brandrail["attempts"] == 2
    assert len(upstream.requests) == 2
    assert exchanges(gate)[0]["surface"] == "openai"
    assert client.api_key == "sk-test"  # everything else is the client's own


def test_async_client_fallback_after_max_attempts(policy: Any, gate: Gate) -> None:
    upstream = FakeUpstream([BAD])
    client = brandrail.guard_openai(async_client(upstream), policy, gate=gate)

    async def go() -> Any:
        return await client.chat.completions.create(model="fake-model", messages=MESSAGES)

    reply = anyio.run(go)
    assert reply.choices[0].message.content == "Sorry, let me get a colleague to help you with that."
    assert reply.choices[0].finish_reason == "content_filter"
    assert reply.brandrail["verdict"] == "fallback"
    assert len(upstream.requests) == 3


def test_async_client_gates_tool_calls(policy: Any, gate: Gate) -> None:
    over = FakeReply("", tool_calls=[tool_call("issue_refund", {"order": "o-1", "amount": "80.00"})])
    fine = FakeReply("", tool_calls=[tool_call("issue_refund", {"order": "o-1", "amount": "10.00"})])
    upstream = FakeUpstream([over, fine])
    client = brandrail.guard_openai(async_client(upstream), policy, gate=gate)

    async def go() -> Any:
        return await client.chat.completions.create(model="fake-model", messages=MESSAGES, tools=[])

    reply = anyio.run(go)
    (call,) = reply.choices[0].message.tool_calls
    assert json.loads(call.function.arguments)["amount"] == "10.00"
    assert reply.brandrail["verdict"] == "reasked"


def test_upstream_errors_propagate_and_are_recorded(policy: Any, gate: Gate) -> None:
    upstream = FakeUpstream([BAD, FakeReply(status=500)])
    client = brandrail.guard_openai(async_client(upstream), policy, gate=gate)

    async def go() -> Any:
        return await client.chat.completions.create(model="fake-model", messages=MESSAGES)

    with pytest.raises(openai.InternalServerError):
        anyio.run(go)
    assert exchanges(gate)[0]["verdict"] == "upstream_error"


def test_wrapper_refuses_streaming_and_unknown_channel(policy: Any, gate: Gate) -> None:
    client = brandrail.guard_openai(async_client(FakeUpstream()), policy, gate=gate)
    with pytest.raises(UsageError, match="stream"):
        client.chat.completions.create(model="fake-model", messages=MESSAGES, stream=True)
    with pytest.raises(UsageError, match="unknown channel"):
        brandrail.guard_openai(async_client(FakeUpstream()), policy, channel="fax", gate=gate)
    with pytest.raises(UsageError, match="OpenAI-style"):
        brandrail.guard_openai(object(), policy, gate=gate)


# -- @guard on async tools ---------------------------------------------------------------------------------


def test_guard_decorator_on_async_tool(gate: Gate) -> None:
    ran: list[str] = []

    @guard(gate, "spend", agent="ads-bot")
    async def spend(campaign: str, amount: str) -> str:
        await anyio.sleep(0)
        ran.append(amount)
        return f"spent {amount}"

    async def go() -> list[Any]:
        return [
            await spend(campaign="spring", amount="20.00"),
            await spend(campaign="spring", amount="80.00"),
        ]

    ok, denied = anyio.run(go)
    assert ok == "spent 20.00"
    assert denied.startswith("DENIED") and "AG101" in denied
    assert ran == ["20.00"]


def test_guard_decorator_async_tool_failure_releases(gate: Gate) -> None:
    @guard(gate, "spend", agent="ads-bot")
    async def spend(campaign: str, amount: str) -> str:
        raise RuntimeError("payment provider down")

    async def go() -> None:
        await spend(campaign="c9", amount="25.00")

    for _ in range(5):  # 5 x 25 > the daily cap of 100, but released reservations do not count
        with pytest.raises(RuntimeError):
            anyio.run(go)
    import sqlalchemy as sa

    from brandrail.gate.store import tables as t

    with gate.store.reader() as conn:
        statuses = {r[0] for r in conn.execute(sa.select(t.decisions.c.status)).all()}
    assert statuses == {"released"}


def test_core_does_not_import_openai_or_mcp() -> None:
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys, brandrail, brandrail.engine, brandrail.gate, brandrail.integrations.common, "
        "brandrail.integrations.openai, brandrail.cli\n"
        "print(sorted(m for m in ('openai', 'mcp') if m in sys.modules))"
    )
    src = Path(__file__).resolve().parents[2] / "src"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={"PYTHONPATH": str(src)}, check=True
    )
    assert out.stdout.strip() == "[]"
