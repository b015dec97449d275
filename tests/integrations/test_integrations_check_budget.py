"""The check budget in the proxy and the MCP server and gateway: content checks past their CPU budget are
stopped in their check process and answered as a block (the proxy's fallback, a failing ``check``, a denied
call, a withheld result) with BR999 on record, never passed through; the next request is checked as before
by the replacement process; the processes start with the app and end with it."""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime
from typing import Any

import anyio
import httpx
import pytest
from fastapi.testclient import TestClient
from integ_testlib import POLICY, chat_body, exchanges, sse_events, streamed_text
from mcp import Client
from mcp.server.mcpserver import MCPServer
from typer.testing import CliRunner

from brandrail.check_budget import CheckPool
from brandrail.gate import Gate
from brandrail.integrations.fakeupstream import FakeReply, FakeUpstream
from brandrail.integrations.mcp import build_gateway, build_server
from brandrail.integrations.proxy import create_proxy_app
from brandrail.policy import Policy, loads_policy

#: 200,000 characters of leetspeak (as in tests/server/test_server_check_budget.py): about 2.3 CPU seconds to
#: check on a quiet machine, over 4 times the budget the tests give.
HOSTILE = "fr33 " * 40_000
BUDGET = 0.5
#: The wall-clock backstop: far above the CPU budget, so that on a crowded machine the CPU budget (not the
#: waiting) stops the hostile text, and a short message is not stopped for waiting on the CPU.
WALL = 60.0

# the test policy, with the gate's size limits above the hostile text (so the content check, not a size limit,
# is what meets it) and the send_note tool's text checked as an argument
_LIMITS = "gate:\n  content_checks: true\n"
_NOTE = "        content: text\n"
assert _LIMITS in POLICY and _NOTE in POLICY
BUDGET_POLICY = POLICY.replace(
    _LIMITS, _LIMITS + "  limits: {max_action_bytes: 2000000, fields: {content: 500000}}\n"
).replace(_NOTE, _NOTE + "      check_args: [text]\n")


@pytest.fixture
def policy() -> Policy:
    """This module's policy (conftest's ``gate`` is built on it)."""
    return loads_policy(BUDGET_POLICY, name="policy.yaml")


@pytest.fixture
def pool() -> Any:
    checks = CheckPool(cpu_seconds=BUDGET, wall_seconds=WALL, processes=2)
    yield checks
    checks.close()


def _br999(findings: list[dict[str, Any]]) -> dict[str, Any]:
    codes = [f["code"] for f in findings]
    assert codes == ["BR999"], codes
    finding: dict[str, Any] = findings[0]
    assert finding["severity"] == "error" and finding["rule"] == "check-over-budget"
    evidence = finding["evidence"]
    assert evidence["budget_cpu_seconds"] == BUDGET and evidence["budget_wall_seconds"] == WALL
    assert evidence["limit"] == "cpu" and evidence["cpu_seconds"] >= BUDGET
    assert evidence["characters"] >= len(HOSTILE)
    assert isinstance(evidence["stage"], str) and evidence["stage"]
    return finding


def _proxy(policy: Policy, gate: Gate, upstream: FakeUpstream, pool: CheckPool) -> Any:
    return create_proxy_app(
        policy,
        gate=gate,
        upstream_url="http://upstream.test/v1",
        transport=httpx.ASGITransport(app=upstream.app),
        checks=pool,
    )


async def _post(app: Any, body: dict[str, Any], **kw: Any) -> httpx.Response:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://proxy.test", timeout=120
    ) as client:
        return await client.post("/v1/chat/completions", json=body, **kw)


# -- the proxy -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("route", ["support", "passing", "fixing"])
def test_a_hostile_reply_past_the_budget_is_never_sent(
    route: str, policy: Policy, gate: Gate, pool: CheckPool
) -> None:
    """reask, pass and fix routes alike: the reply was not read, so the fallback goes out, the model is not
    asked again (the request's budget is spent), and the exchange is on record with BR999's evidence."""
    upstream = FakeUpstream([HOSTILE, "Our tents are good value."])
    app = _proxy(policy, gate, upstream, pool)
    response = anyio.run(lambda: _post(app, chat_body(), headers={"X-Brandrail-Route": route}))
    assert response.status_code == 200
    assert response.headers["x-brandrail-verdict"] == "fallback"
    content = response.json()["choices"][0]["message"]["content"]
    assert "fr33" not in content
    assert len(upstream.requests) == 1  # not asked again
    (record,) = exchanges(gate)
    assert record["verdict"] == "fallback"
    assert record["attempts"][0]["codes"] == ["BR999"]
    _br999(record["attempts"][0]["blocking"])
    assert pool.killed == 1
    # the next request is checked by the replacement process, as before
    clean = anyio.run(lambda: _post(app, chat_body(), headers={"X-Brandrail-Route": route}))
    assert clean.headers["x-brandrail-verdict"] == "passed"
    assert clean.json()["choices"][0]["message"]["content"] == "Our tents are good value."


def test_a_reply_within_the_budget_is_checked_as_without_one(
    policy: Policy, gate: Gate, pool: CheckPool
) -> None:
    upstream = FakeUpstream(["Our cheap tents are great.", "Our tents are good value."])
    app = _proxy(policy, gate, upstream, pool)
    response = anyio.run(lambda: _post(app, chat_body()))
    assert response.headers["x-brandrail-verdict"] == "reasked"
    (record,) = exchanges(gate)
    assert record["attempts"][0]["codes"] == ["BR101"]
    assert pool.killed == 0


@pytest.mark.parametrize("route", ["passing", "support"])
def test_a_hostile_streamed_reply_stops_with_the_fallback(
    route: str, policy: Policy, gate: Gate, pool: CheckPool
) -> None:
    """Streamed sentence by sentence: the clean first sentence goes out; the hostile rest is not, even on a
    route that passes findings through."""
    first = "Thanks for asking. "
    upstream = FakeUpstream([FakeReply(first + HOSTILE, chunk_size=50_000)])
    app = _proxy(policy, gate, upstream, pool)
    body = chat_body(stream=True)
    response = anyio.run(lambda: _post(app, body, headers={"X-Brandrail-Route": route}))
    events = sse_events(response.text)
    text = streamed_text(events)
    fallback = policy.integrations.routes[route].fallback
    assert "fr33" not in text and text.startswith(first.strip()) and text.endswith(fallback)
    (record,) = exchanges(gate)
    assert record["verdict"] == "fallback"
    assert "BR999" in record["attempts"][0]["codes"]


def test_the_proxy_starts_its_check_processes_at_start_up_and_ends_them_at_shutdown(
    policy: Policy, gate: Gate, pool: CheckPool
) -> None:
    upstream = FakeUpstream(["Our tents are good value."])
    with TestClient(_proxy(policy, gate, upstream, pool)) as client:
        assert pool._prestart is not None  # started by the lifespan, not by the first request
        waited = time.monotonic()  # a wait for the start (seconds on a busy machine), not a timed assertion
        while (
            client.get("/healthz").json()["content_checks"] == "starting" and time.monotonic() - waited < 300
        ):
            time.sleep(0.05)
        assert client.get("/healthz").json()["content_checks"] == "ok"
        answer = client.post("/v1/chat/completions", json=chat_body())
        assert answer.headers["x-brandrail-verdict"] == "passed", exchanges(gate)
        pids = [w.pid for w in pool._all]
        assert pids
    assert pool._closed and not pool._all
    for pid in pids:  # ended and reaped
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_every_check_process_busy_is_a_503_not_a_pass(policy: Policy, gate: Gate) -> None:
    from brandrail.check_budget import ChecksBusyError

    class Busy(CheckPool):
        def _take(self, large: bool = False) -> Any:
            raise ChecksBusyError(3.2, self.processes)

    upstream = FakeUpstream(["Our tents are good value."])
    busy = Busy(cpu_seconds=BUDGET)
    response = anyio.run(lambda: _post(_proxy(policy, gate, upstream, busy), chat_body()))
    assert response.status_code == 503 and response.headers["retry-after"] == "3"
    error = response.json()["error"]
    assert error["code"] == "checks_busy" and error["type"] == "server_error"
    assert "nothing unchecked was sent" in error["message"]


# -- MCP -----------------------------------------------------------------------------------------------------


def _text(result: Any) -> str:
    return "\n".join(c.text for c in result.content if getattr(c, "text", None))


def test_the_mcp_check_tool_fails_a_hostile_draft_with_br999(
    policy: Policy, gate: Gate, pool: CheckPool
) -> None:
    async def go() -> tuple[Any, Any]:
        async with Client(build_server(policy, gate, checks=pool)) as client:
            hostile = await client.call_tool("check", {"text": HOSTILE, "channel": "chat"})
            clean = await client.call_tool("check", {"text": "Our cheap tents.", "channel": "chat"})
            return hostile.structured_content, clean.structured_content

    hostile, clean = anyio.run(go)
    assert hostile["passed"] is False
    _br999(hostile["findings"])
    assert [f["code"] for f in clean["findings"]] == ["BR101"]  # checked as before, by the replacement


def test_mcp_gate_decide_denies_hostile_content_past_the_budget(policy: Policy, gate: Gate) -> None:
    # a reply's content is at most 100,000 characters: 90,000 of leetspeak take about 1 CPU second to check,
    # five times this budget
    action = {
        "kind": "reply_customer",
        "id": "r-1",
        "time": datetime.now(UTC).isoformat(),
        "conversation": "t-1",
        "content": HOSTILE[:90_000],
    }
    pool = CheckPool(cpu_seconds=0.2, wall_seconds=WALL)

    async def go() -> Any:
        async with Client(build_server(policy, gate, checks=pool)) as client:
            return (await client.call_tool("gate_decide", {"action": action})).structured_content

    try:
        decision = anyio.run(go)
    finally:
        pool.close()
    assert decision["outcome"] == "deny"
    assert "BR999" in json.dumps(decision["findings"])


def _downstream() -> tuple[MCPServer, list[str]]:
    calls: list[str] = []
    server = MCPServer("shop")

    @server.tool()
    def send_note(ticket: str, text: str) -> str:
        """Send a note to the customer."""
        calls.append(text)
        return "sent"

    @server.tool()
    def issue_refund(order: str, amount: str) -> str:
        """Refund an order."""
        return "refunded"

    @server.tool()
    def lookup_order(order: str) -> str:
        """Look an order up."""
        return HOSTILE if order == "big" else "shipped"

    return server, calls


def test_the_gateway_denies_a_hostile_call_and_withholds_a_hostile_result(
    gate: Gate, pool: CheckPool
) -> None:
    policy = loads_policy(
        BUDGET_POLICY.replace(
            "    lookup_order:\n      action: none\n",
            "    lookup_order:\n      action: none\n      check_result: true\n",
        ),
        name="policy.yaml",
    )
    gate = Gate(policy, store=gate.store)
    shop, calls = _downstream()

    async def go() -> tuple[Any, Any, Any]:
        async with Client(build_gateway(policy, gate, shop, checks=pool)) as client:
            note = await client.call_tool("send_note", {"ticket": "t-1", "text": HOSTILE})
            looked = await client.call_tool("lookup_order", {"order": "big"})
            fine = await client.call_tool("send_note", {"ticket": "t-1", "text": "Your tent is on its way."})
            return note, looked, fine

    note, looked, fine = anyio.run(go)
    assert note.is_error and "BR999" in _text(note)
    assert looked.is_error and "withheld" in _text(looked) and "BR999" in _text(looked)
    assert "fr33" not in _text(looked)
    assert not fine.is_error
    assert calls == ["Your tent is on its way."]  # the hostile note never reached the tool


# -- the command line ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["proxy", "--check-budget", "0"], "--check-budget 0"),
        (["proxy", "--check-wall", "nan"], "--check-wall nan"),
        (["mcp", "--check-budget", "-1"], "--check-budget -1"),
        (["mcp", "--check-budget", "inf"], "--check-budget inf"),
    ],
)
def test_a_bad_check_budget_is_a_usage_error(args: list[str], flag: str) -> None:
    from brandrail.cli import app

    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert flag in result.output and "at most 3600" in result.output


def test_the_mcp_command_ends_its_check_processes_when_the_server_stops(
    policy: Policy, monkeypatch: pytest.MonkeyPatch
) -> None:
    from brandrail.cli import integrations as cli

    pool = CheckPool(cpu_seconds=BUDGET)
    started: list[Policy] = []
    monkeypatch.setattr(pool, "prestart", started.append)

    def interrupted(*_: Any, **__: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("brandrail.integrations.mcp.run_server", interrupted)
    with pytest.raises(KeyboardInterrupt):
        cli._serve_mcp(object(), pool, policy, "stdio", "127.0.0.1", 0)
    assert started == [policy] and pool._closed
