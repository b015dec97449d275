"""The MCP server and gateway, driven by the MCP SDK's own client (in process, over stdio and HTTP)."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import anyio
import pytest
from integ_testlib import POLICY, exchanges, serve
from mcp import Client, StdioServerParameters
from mcp.server.mcpserver import MCPServer
from typer.testing import CliRunner

from brandrail.errors import PolicyError
from brandrail.gate import Gate, approve
from brandrail.gate.principal import Principal
from brandrail.integrations.common import validate_tool_mappings
from brandrail.integrations.mcp import build_gateway, build_server, list_downstream_tools
from brandrail.policy import loads_policy

ROOT = Path(__file__).resolve().parents[2]


def shop_server() -> tuple[MCPServer, list[tuple[str, dict[str, Any]]]]:
    """A small MCP server standing for a shop's tools; records the calls that reached it."""
    calls: list[tuple[str, dict[str, Any]]] = []
    server = MCPServer("shop")

    @server.tool()
    def issue_refund(order: str, amount: str) -> str:
        """Refund an order."""
        calls.append(("issue_refund", {"order": order, "amount": amount}))
        return f"refunded {amount} on {order}"

    @server.tool()
    def lookup_order(order: str) -> str:
        """Look an order up."""
        calls.append(("lookup_order", {"order": order}))
        return f"order {order}: 2 cheap tents, shipped"

    @server.tool()
    def send_note(ticket: str, text: str) -> str:
        """Send a note to the customer."""
        calls.append(("send_note", {"ticket": ticket, "text": text}))
        return "sent"

    @server.tool()
    def delete_account(customer: str) -> str:
        """Delete an account."""
        calls.append(("delete_account", {"customer": customer}))
        return "deleted"

    return server, calls


def run(coro: Any) -> Any:
    return anyio.run(coro)


def text_of(result: Any) -> str:
    return "\n".join(c.text for c in result.content if getattr(c, "text", None))


# -- server mode -------------------------------------------------------------------------------------------


def test_server_tools(policy: Any, gate: Gate) -> None:
    async def go() -> None:
        async with Client(build_server(policy, gate)) as client:
            names = {t.name for t in (await client.list_tools()).tools}
            assert names == {"check", "tone", "rules", "explain_rule", "gate_decide", "approval_status"}
            checked = await client.call_tool("check", {"text": "Our cheap tents.", "channel": "chat"})
            assert not checked.is_error
            data = checked.structured_content
            assert data["passed"] is False
            assert data["findings"][0]["code"] == "BR101" and data["findings"][0]["match"] == "cheap"
            bad = await client.call_tool("check", {"text": "x", "channel": "fax"})
            assert bad.is_error and "unknown channel 'fax'" in text_of(bad)
            tone = await client.call_tool("tone", {"text": "Hello! We love helping you."})
            assert not tone.is_error and tone.structured_content
            listed = await client.call_tool("rules", {})
            assert "BR101" in text_of(listed)
            doc = await client.call_tool("explain_rule", {"code": "br101"})
            assert doc.structured_content["code"] == "BR101" and doc.structured_content["Use instead"]
            unknown = await client.call_tool("explain_rule", {"code": "BR1O1"})
            assert unknown.is_error
            action = {
                "kind": "spend",
                "id": "s1",
                "time": datetime.now(UTC).isoformat(),
                "campaign": "c",
                "amount": "40.00",
            }
            decided = await client.call_tool("gate_decide", {"action": action})
            decision = decided.structured_content
            assert decision["outcome"] == "review" and decision["approval_id"]
            status = await client.call_tool("approval_status", {"approval_id": decision["approval_id"]})
            assert status.structured_content["status"] == "pending"
            over = {**action, "id": "s2", "amount": "80.00"}
            denied = (await client.call_tool("gate_decide", {"action": over})).structured_content
            assert denied["outcome"] == "deny" and "AG101" in denied["codes"]
            missing = await client.call_tool("approval_status", {"approval_id": "nope"})
            assert missing.is_error

    run(go)


def test_server_over_stdio_with_the_cli(tmp_path: Path) -> None:
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text(
        POLICY.replace(
            "content_checks: true", f"content_checks: true\n  store_url: sqlite:///{tmp_path}/g.db"
        )
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    params = StdioServerParameters(
        command=sys.executable,
        args=["-c", "from brandrail.cli import main; main()", "mcp", "--policy", str(policy_file)],
        env=env,
    )

    async def go() -> None:
        async with Client(params) as client:
            result = await client.call_tool("check", {"text": "Rubbish weather.", "channel": "chat"})
            assert result.structured_content["findings"][0]["code"] == "BR101"

    run(go)


def test_gateway_over_streamable_http(policy: Any, gate: Gate) -> None:
    shop, calls = shop_server()
    # the shop runs in its own thread with uvicorn: the gateway reaches it over streamable HTTP

    async def go() -> None:
        async with Client(build_gateway(policy, gate, url + "/mcp")) as client:
            ok = await client.call_tool("lookup_order", {"order": "o-1"})
            assert not ok.is_error and "o-1" in text_of(ok)

    with serve(shop.streamable_http_app(), lifespan="on") as url:
        run(go)
    assert calls == [("lookup_order", {"order": "o-1"})]


# -- gateway mode ------------------------------------------------------------------------------------------


def test_gateway_forwards_allowed_and_denies_over_budget(policy: Any, gate: Gate) -> None:
    shop, calls = shop_server()

    async def go() -> None:
        async with Client(build_gateway(policy, gate, shop)) as client:
            names = {t.name for t in (await client.list_tools()).tools}
            assert names == {"issue_refund", "lookup_order", "send_note", "delete_account"}
            ok = await client.call_tool("issue_refund", {"order": "o-1", "amount": "20.00"})
            assert not ok.is_error and text_of(ok) == "refunded 20.00 on o-1"
            over = await client.call_tool("issue_refund", {"order": "o-2", "amount": "80.00"})
            assert over.is_error
            assert "AG101" in text_of(over) and "DENIED" in text_of(over)
            unmapped = await client.call_tool("delete_account", {"customer": "c1"})
            assert unmapped.is_error and "no mapping" in text_of(unmapped)

    run(go)
    assert calls == [("issue_refund", {"order": "o-1", "amount": "20.00"})]
    # gated calls are on record as gate decisions (and the outcome of the executed one); the refusal of the
    # unmapped tool, which never reached the gate, as an exchange entry
    kinds = sorted(e.kind for e in gate.store.ledger.entries())  # the outcome report runs in the background
    assert kinds == ["decision", "decision", "exchange", "exchange", "outcome"]
    assert [e["verdict"] for e in exchanges(gate)] == ["denied", "denied"]
    assert gate.store.ledger.verify().ok


def test_gateway_daily_cap_across_calls(policy: Any, gate: Gate) -> None:
    shop, calls = shop_server()

    async def go() -> list[bool]:
        out = []
        async with Client(build_gateway(policy, gate, shop)) as client:
            for _i in range(5):
                r = await client.call_tool("issue_refund", {"order": "o-7", "amount": "25.00"})
                out.append(bool(r.is_error))
        return out

    # campaign_daily_cap 100 on campaign o-7: four refunds of 25 fit, the fifth does not
    assert run(go) == [False, False, False, False, True]
    assert len(calls) == 4


def test_gateway_approval_flow_end_to_end(policy: Any, gate: Gate) -> None:
    shop, calls = shop_server()

    async def go() -> None:
        async with Client(build_gateway(policy, gate, shop)) as client:
            first = await client.call_tool("issue_refund", {"order": "o-3", "amount": "40.00"})
            assert not first.is_error
            pending = first.structured_content
            assert pending["status"] == "pending_approval" and pending["approval_id"]
            assert calls == []
            maria = Principal("maria", frozenset({"reviewer"}), via="test")  # a verified reviewer
            approve(gate.store, pending["approval_id"], reviewer=maria)
            again = await client.call_tool("issue_refund", {"order": "o-3", "amount": "40.00"})
            assert not again.is_error and text_of(again) == "refunded 40.00 on o-3"
            third = await client.call_tool("issue_refund", {"order": "o-3", "amount": "40.00"})
            assert third.structured_content["status"] == "pending_approval"  # an approval is used once

    run(go)
    assert calls == [("issue_refund", {"order": "o-3", "amount": "40.00"})]


def test_gateway_checks_results_and_arguments(gate: Gate) -> None:
    text = POLICY.replace(
        "    lookup_order:\n      action: none\n",
        "    lookup_order:\n      action: none\n      check_result: true\n",
    )
    text = text.replace("        content: text\n", "        content: text\n      check_args: [text]\n")
    policy = loads_policy(text, name="policy.yaml")
    gate = Gate(policy, store=gate.store)
    shop, calls = shop_server()

    async def go() -> None:
        async with Client(build_gateway(policy, gate, shop)) as client:
            looked = await client.call_tool("lookup_order", {"order": "o-1"})
            assert looked.is_error and "withheld" in text_of(looked) and "BR101" in text_of(looked)
            note = await client.call_tool(
                "send_note", {"ticket": "t-1", "text": "Sorry for the rubbish service"}
            )
            assert note.is_error and "BR101" in text_of(note)
            fine = await client.call_tool("send_note", {"ticket": "t-1", "text": "Your tent is on its way."})
            assert not fine.is_error

    run(go)
    assert [c[0] for c in calls] == ["lookup_order", "send_note"]


def test_tool_mapping_naming_a_missing_argument_is_a_policy_error(tmp_path: Path) -> None:
    text = POLICY.replace("        amount: amount\n", "        amount: total\n")
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text(text)
    policy = loads_policy(text, name=str(policy_file))
    shop, _ = shop_server()
    tools = run(lambda: list_downstream_tools(shop))
    with pytest.raises(PolicyError) as info:
        validate_tool_mappings(policy, tools)
    message = str(info.value)
    line = text.splitlines().index("        amount: total") + 1
    assert f"{policy_file}:{line}:17" in message
    assert "no argument 'total'" in message and "amount, order" in message


def test_cli_gateway_with_bad_mapping_exits_2(tmp_path: Path) -> None:
    from brandrail.cli import app

    text = POLICY.replace("        amount: amount\n", "        amount: total\n")
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text(
        text.replace("content_checks: true", f"content_checks: true\n  store_url: sqlite:///{tmp_path}/g.db")
    )
    server_file = tmp_path / "shop.py"
    server_file.write_text(
        "from mcp.server.mcpserver import MCPServer\n"
        "s = MCPServer('shop')\n"
        "@s.tool()\n"
        "def issue_refund(order: str, amount: str) -> str:\n    return 'ok'\n"
        "@s.tool()\n"
        "def lookup_order(order: str) -> str:\n    return 'ok'\n"
        "@s.tool()\n"
        "def send_note(ticket: str, text: str) -> str:\n    return 'ok'\n"
        "s.run()\n"
    )
    result = CliRunner().invoke(
        app, ["mcp", "--policy", str(policy_file), "--gateway", f"{sys.executable} {server_file}"]
    )
    assert result.exit_code == 2
    assert "no argument 'total'" in result.output and f"{policy_file}:" in result.output
    assert "Traceback" not in result.output


def test_unknown_tool_mapping_kind_is_a_load_error() -> None:
    bad = POLICY.replace("        amount: amount\n", "        amount: amount\n        colour: order\n", 1)
    with pytest.raises(PolicyError) as info:
        loads_policy(bad, name="p.yaml")
    assert "colour" in str(info.value) and "p.yaml:" in str(info.value)


def test_server_over_streamable_http(policy: Any, gate: Gate) -> None:
    server = build_server(policy, gate)

    async def go() -> None:
        async with Client(url + "/mcp") as client:
            result = await client.call_tool("check", {"text": "Our cheap tents.", "channel": "chat"})
            assert result.structured_content["findings"][0]["code"] == "BR101"

    with serve(server.streamable_http_app(), lifespan="on") as url:
        run(go)


def test_gateway_forwards_the_gates_modified_arguments(policy: Any, gate: Gate) -> None:
    shop, calls = shop_server()

    async def go() -> None:
        async with Client(build_gateway(policy, gate, shop)) as client:
            result = await client.call_tool(
                "send_note", {"ticket": "t-1", "text": "Our cheap tents ship today."}
            )
            assert not result.is_error

    run(go)
    assert calls == [("send_note", {"ticket": "t-1", "text": "Our affordable tents ship today."})]


# -- what a downstream server or an agent sends past the gateway -----------------------------------------------


def crafted_server(answer: Any) -> Any:
    """A low-level MCP server with the test policy's tools; each call gets ``answer(name, arguments)`` (a result,
    or an exception it raises)."""
    import mcp_types as types
    from mcp.server import Server

    props = {"order": {}, "amount": {}, "ticket": {}, "text": {}}
    tools = [
        types.Tool(name=n, input_schema={"type": "object", "properties": props})
        for n in ("issue_refund", "lookup_order", "send_note")
    ]

    async def on_list_tools(ctx: Any, params: Any) -> Any:
        return types.ListToolsResult(tools=tools)

    async def on_call_tool(ctx: Any, params: Any) -> Any:
        result = answer(params.name, dict(params.arguments or {}))
        if isinstance(result, Exception):
            raise result
        return result

    return Server("crafted", on_list_tools=on_list_tools, on_call_tool=on_call_tool)


def checking_policy(gate: Gate) -> tuple[Any, Gate]:
    text = POLICY.replace(
        "    lookup_order:\n      action: none\n",
        "    lookup_order:\n      action: none\n      check_result: true\n      check_args: [text]\n",
    )
    policy = loads_policy(text, name="policy.yaml")
    return policy, Gate(policy, store=gate.store)


def _results() -> dict[str, Any]:
    import mcp_types as types

    return {
        "structured": types.CallToolResult(
            content=[types.TextContent(type="text", text="See the data.")],
            structured_content={"order": {"summary": "2 cheap tents, shipped"}},
        ),
        "embedded resource": types.CallToolResult(
            content=[
                types.EmbeddedResource(
                    type="resource",
                    resource=types.TextResourceContents(uri="file:///o-1.txt", text="2 cheap tents"),
                )
            ]
        ),
        "resource link": types.CallToolResult(
            content=[
                types.ResourceLink(
                    type="resource_link", uri="file:///o-1", name="o-1", description="2 cheap tents"
                )
            ]
        ),
        "error": types.CallToolResult(
            content=[types.TextContent(type="text", text="Cannot find the cheap tents.")], is_error=True
        ),
    }


@pytest.mark.parametrize("kind", ["structured", "embedded resource", "resource link", "error"])
def test_check_result_reads_all_the_text_a_result_carries(gate: Gate, kind: str) -> None:
    policy, gate = checking_policy(gate)
    answer = _results()[kind]

    async def go() -> Any:
        async with Client(build_gateway(policy, gate, crafted_server(lambda n, a: answer))) as client:
            return await client.call_tool("lookup_order", {"order": "o-1"})

    result = run(go)
    assert result.is_error and "withheld" in text_of(result) and "BR101" in text_of(result)
    assert result.structured_content["status"] == "result_withheld"


@pytest.mark.parametrize(
    "text", [["Sorry for the rubbish service."], {"greeting": "Hi", "body": "Sorry for the rubbish service."}]
)
def test_check_args_reads_text_in_lists_and_objects(gate: Gate, text: Any) -> None:
    import mcp_types as types

    policy, gate = checking_policy(gate)
    calls: list[Any] = []

    def answer(name: str, args: dict[str, Any]) -> Any:
        calls.append(args)
        return types.CallToolResult(content=[types.TextContent(type="text", text="ok")])

    async def go() -> Any:
        async with Client(build_gateway(policy, gate, crafted_server(answer))) as client:
            return await client.call_tool("lookup_order", {"order": "o-1", "text": text})

    result = run(go)
    assert result.is_error and "BR101" in text_of(result) and "- text:" in text_of(result)
    assert calls == []


def test_a_tool_named_like_a_gated_one_is_denied_even_when_unmapped_tools_are_allowed(tmp_path: Path) -> None:
    import mcp_types as types
    from mcp.server import Server

    policy = loads_policy(POLICY + "  unmapped_tools: allow\n", name="policy.yaml")
    gate = Gate(policy, store=f"sqlite:///{tmp_path / 'g.db'}")
    calls: list[str] = []
    schema = {"type": "object", "properties": {"order": {}, "amount": {}, "ticket": {}, "text": {}}}
    names = ["issue_refund", "lookup_order", "send_note", "Issue_Refund", "issue-refund "]

    async def on_list_tools(ctx: Any, params: Any) -> Any:
        return types.ListToolsResult(tools=[types.Tool(name=n, input_schema=schema) for n in names])

    async def on_call_tool(ctx: Any, params: Any) -> Any:
        calls.append(params.name)
        return types.CallToolResult(content=[types.TextContent(type="text", text="refunded")])

    shop = Server("shop", on_list_tools=on_list_tools, on_call_tool=on_call_tool)

    async def go() -> list[Any]:
        async with Client(build_gateway(policy, gate, shop)) as client:
            return [
                await client.call_tool(name, {"order": "o-1", "amount": "5000"})
                for name in ("Issue_Refund", "issue-refund ")
            ]

    for result in run(go):
        assert result.is_error and "is not the mapped tool 'issue_refund'" in text_of(result)
    assert calls == []


def test_a_call_whose_outcome_is_unknown_stays_counted(policy: Any, gate: Gate) -> None:
    """A lost connection or a timeout after the call went out: it may have run, so its reservation is kept
    (released, a cap could be passed by calling again); a server's error answer releases it."""
    import mcp_types as types
    from mcp import MCPError
    from mcp_types import CONNECTION_CLOSED, INTERNAL_ERROR

    answers: list[Any] = [
        MCPError(code=CONNECTION_CLOSED, message="Connection closed"),
        MCPError(code=INTERNAL_ERROR, message="the refund service is down"),
    ]

    def answer(name: str, args: dict[str, Any]) -> Any:
        if answers:
            return answers.pop(0)
        return types.CallToolResult(content=[types.TextContent(type="text", text="refunded")])

    async def go() -> list[Any]:
        async with Client(build_gateway(policy, gate, crafted_server(answer))) as client:
            return [
                await client.call_tool("issue_refund", {"order": "o-9", "amount": "25.00"}) for _ in range(6)
            ]

    lost, failed, *rest = run(go)
    assert lost.is_error and "may have run" in text_of(lost)
    assert failed.is_error and "failed behind the brandrail gateway" in text_of(failed)
    # campaign_daily_cap 100: the lost call counts (25), the failed one does not; three more fit, not four
    assert [r.is_error for r in rest] == [False, False, False, True]
    assert "AG1" in text_of(rest[-1])
    verdicts = [e["verdict"] for e in exchanges(gate)]
    assert verdicts[:2] == ["tool_outcome_unknown", "tool_failed"]


def test_a_change_the_tool_cannot_carry_is_not_forwarded(tmp_path: Path) -> None:
    """The gate reschedules a night-time SMS (quiet hours); the tool sends at once and takes no send_at, so
    forwarding the call would send it now: it is not forwarded, and its reservation is released."""
    import json
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import mcp_types as types
    from mcp.server import Server

    now = datetime.now(UTC)
    night = next(
        z
        for z in (f"Etc/GMT{o:+d}" for o in range(-14, 13))
        if now.astimezone(ZoneInfo(z)).hour in (1, 2, 3, 4)
    )
    text = POLICY.replace("gate:\n", f"gate:\n  default_timezone: {night}\n").replace(
        "  tools:\n",
        "  tools:\n    send_sms:\n      action: send_message\n      args: {recipient.id: customer, content: body}\n"
        "      set: {channel: sms, marketing: false}\n",
    )
    policy = loads_policy(text, name="policy.yaml")
    gate = Gate(policy, store=f"sqlite:///{tmp_path / 'g.db'}")
    sent: list[Any] = []
    schema = {
        "type": "object",
        "properties": {k: {} for k in ("customer", "body", "order", "amount", "ticket", "text")},
    }
    names = ["send_sms", "issue_refund", "lookup_order", "send_note"]

    async def on_list_tools(ctx: Any, params: Any) -> Any:
        return types.ListToolsResult(tools=[types.Tool(name=n, input_schema=schema) for n in names])

    async def on_call_tool(ctx: Any, params: Any) -> Any:
        sent.append(params.arguments)
        return types.CallToolResult(content=[types.TextContent(type="text", text="sent")])

    shop = Server("shop", on_list_tools=on_list_tools, on_call_tool=on_call_tool)

    async def go() -> Any:
        async with Client(build_gateway(policy, gate, shop)) as client:
            return await client.call_tool("send_sms", {"customer": "c1", "body": "Your order shipped."})

    result = run(go)
    assert result.is_error and text_of(result).startswith("NOT CARRIED OUT") and "send_at" in text_of(result)
    assert "AG303" in text_of(result)
    assert sent == []
    (outcome,) = [json.loads(e.payload_json) for e in gate.store.ledger.entries(kind="outcome")]
    assert outcome["released"] is True
    assert [e["verdict"] for e in exchanges(gate)] == ["denied"]


def test_the_gateway_reads_every_page_of_the_tool_list(policy: Any, gate: Gate) -> None:
    import mcp_types as types
    from mcp.server import Server

    schema = {"type": "object", "properties": {k: {} for k in ("order", "amount", "ticket", "text")}}
    pages = [["lookup_order"], ["send_note"], ["issue_refund"]]

    async def on_list_tools(ctx: Any, params: Any) -> Any:
        page = int(params.cursor) if params is not None and params.cursor else 0
        return types.ListToolsResult(
            tools=[types.Tool(name=n, input_schema=schema) for n in pages[page]],
            next_cursor=str(page + 1) if page + 1 < len(pages) else None,
        )

    async def on_call_tool(ctx: Any, params: Any) -> Any:
        return types.CallToolResult(content=[types.TextContent(type="text", text="refunded")])

    shop = Server("shop", on_list_tools=on_list_tools, on_call_tool=on_call_tool)

    async def go() -> tuple[set[str], Any]:
        async with Client(build_gateway(policy, gate, shop)) as client:
            names = {t.name for t in (await client.list_tools()).tools}
            return names, await client.call_tool("issue_refund", {"order": "o-1", "amount": "80.00"})

    names, over = run(go)
    assert names == {"lookup_order", "send_note", "issue_refund"}
    assert over.is_error and "AG101" in text_of(over)  # the tool on the last page is gated too
    assert set(run(lambda: list_downstream_tools(shop))) == names
    # a tool listed twice (two definitions under one name): which one a call reaches is unknown
    pages[2].append("lookup_order")
    with pytest.raises(ValueError, match="lists tool 'lookup_order' more than once"):
        run(lambda: list_downstream_tools(shop))
