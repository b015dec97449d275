"""``brandrail mcp``: a Model Context Protocol server, and a gateway in front of another MCP server.

Server mode (:func:`build_server`) exposes brandrail to an agent as tools: ``check``, ``tone``, ``rules``,
``explain_rule``, ``gate_decide`` and ``approval_status``, so the agent can check its own draft and ask
permission. Gateway mode (:func:`build_gateway`) fronts another MCP server: it lists that server's tools, maps
each call to a typed gate action (``integrations.tools`` in the policy) and forwards only allowed (or
modified) calls; a call sent to review answers with a pending status and the approval id; a denied call is a
tool error with the reasons. Tool results can be content-checked (``check_result``). Both run over stdio or
streamable HTTP with the official ``mcp`` SDK, which is imported only here.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any
from uuid import uuid4

import anyio
import anyio.to_thread
import mcp_types as types
from mcp import Client, MCPError, StdioServerParameters
from mcp.server import Server
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CONNECTION_CLOSED, REQUEST_TIMEOUT

from brandrail.engine import check
from brandrail.errors import BrandrailError
from brandrail.gate.approvals import get_approval
from brandrail.gate.decide import Gate
from brandrail.integrations.common import (
    ReplyGuard,
    check_reply,
    decide,
    texts_in,
    validate_tool_mappings,
)
from brandrail.policy import Policy

__all__ = [
    "Downstream",
    "build_gateway",
    "build_server",
    "downstream_from",
    "list_downstream_tools",
    "run_server",
    "shown_downstream",
]

#: What the gateway connects to: a URL (streamable HTTP), a command (stdio), or an in-process server.
Downstream = str | StdioServerParameters | Server[Any] | MCPServer


def downstream_from(spec: str) -> Downstream:
    """``http(s)://…`` → that URL; anything else → a command line run over stdio."""
    if spec.startswith(("http://", "https://")):
        return spec
    import shlex

    parts = shlex.split(spec)
    if not parts:
        raise ValueError("the gateway needs a server: a URL or a command")
    return StdioServerParameters(command=parts[0], args=parts[1:])


def shown_downstream(spec: str) -> str:
    """``spec`` as it may be printed: a URL without its user info and query values (where tokens travel);
    a command as given."""
    if not spec.startswith(("http://", "https://")):
        return spec
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(spec)
    host = parts.hostname or ""
    netloc = ("***@" if parts.username or parts.password else "") + host
    netloc += f":{parts.port}" if parts.port else ""
    query = urlencode([(k, "***") for k, _ in parse_qsl(parts.query, keep_blank_values=True)], safe="*")
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


# -- server mode ---------------------------------------------------------------------------------------


def build_server(policy: Policy, gate: Gate) -> MCPServer:
    """brandrail's own tools as an MCP server (see the module docstring)."""
    guard = ReplyGuard(policy, gate, surface="mcp")
    server = MCPServer(
        "brandrail",
        instructions=(
            "brandrail keeps this brand's messages on-brand and its actions within bounds. Call `check` on a "
            "draft before sending it, fix every error it reports, and call `gate_decide` before any action "
            "(spend, send, price change); do it only when the decision allows it."
        ),
    )

    def _channel(channel: str | None) -> str | None:
        if channel is not None and channel not in policy.channels:
            known = ", ".join(sorted(policy.channels)) or "none"
            raise ToolError(f"unknown channel {channel!r}; the policy defines: {known}")
        return channel

    @server.tool(
        name="check",
        description="Check a draft message against the brand policy; returns findings with evidence.",
    )
    async def check_text(
        text: str,
        channel: str | None = None,
        customer_message: str | None = None,
        conversation: list[dict[str, str]] | None = None,
    ) -> dict[str, Any]:
        """``conversation``: the turns before the reply ({"role": "customer"|"agent", "text"}), oldest first;
        ``customer_message`` is the short form for one customer turn."""
        ch = _channel(channel)
        if conversation is not None:
            from brandrail.errors import InputError
            from brandrail.text.conversation import parse_conversation

            try:
                parse_conversation(conversation)
            except InputError as exc:
                raise ToolError(str(exc)) from None
        result = await anyio.to_thread.run_sync(
            lambda: check_reply(
                text, policy, channel=ch, conversation=conversation, customer_message=customer_message
            )
        )
        return result.to_dict()

    @server.tool(description="Measure a message's tone (formality, warmth, energy, ...) with the drivers.")
    async def tone(text: str) -> dict[str, Any]:
        from brandrail.voice.rules import tone_of_text

        # as BR501 measures it: the policy's jargon, word lists and tone model
        profile = await anyio.to_thread.run_sync(lambda: tone_of_text(text, policy))
        return profile.to_dict()

    @server.tool(description="List every rule code with its name, default severity and status.")
    def rules() -> list[dict[str, str]]:
        from brandrail.registry import all_rules

        return [
            {"code": r.code, "name": r.name, "severity": r.default_severity.value, "status": r.status}
            for r in all_rules()
        ]

    @server.tool(
        description="Explain one rule: what it flags, why it matters, an example, what to use instead."
    )
    def explain_rule(code: str) -> dict[str, Any]:
        from brandrail.registry import get_rule, suggest_code

        cls = get_rule(code.strip().upper())
        if cls is None:
            close = suggest_code(code)
            raise ToolError(f"unknown rule code {code!r}" + (f"; did you mean {close}?" if close else ""))
        return {"code": cls.code, "name": cls.name, "summary": cls.doc.summary, **cls.doc.sections}

    @server.tool(
        description=(
            "Ask the gate whether an action may be carried out. `action` is a gate action "
            "(kind, id, time and the kind's fields; see docs/gate.md). Returns the decision: allow, modify "
            "(carry out modified_action), review (wait for approval_id) or deny, with the reasons."
        )
    )
    async def gate_decide(action: dict[str, Any]) -> dict[str, Any]:
        decision = await anyio.to_thread.run_sync(lambda: decide(gate, action, guard.principal))
        return decision.to_dict() | {"message": decision.message()}

    @server.tool(
        description="The status of an approval request (pending, approved, rejected, used, expired)."
    )
    async def approval_status(approval_id: str) -> dict[str, Any]:
        try:
            approval = await anyio.to_thread.run_sync(lambda: get_approval(gate.store, approval_id))
        except BrandrailError as exc:
            raise ToolError(str(exc)) from None
        return approval.to_dict()

    del check_text, tone, rules, explain_rule, gate_decide, approval_status  # registered on the server
    return server


# -- gateway mode --------------------------------------------------------------------------------------


def _text_of(result: types.CallToolResult) -> str:
    """All the text a tool's result carries to the agent: its text blocks, the text of embedded resources, the
    titles and descriptions of resource links, and every string of its structured content."""
    texts: list[str] = []
    for block in result.content:
        if isinstance(block, types.TextContent):
            texts.append(block.text)
        elif isinstance(block, types.EmbeddedResource):
            if isinstance(block.resource, types.TextResourceContents):
                texts.append(block.resource.text)
        elif isinstance(block, types.ResourceLink):
            texts.extend(t for t in (block.title, block.description) if t)
    texts.extend(texts_in(result.structured_content))
    return "\n\n".join(t for t in texts if t.strip())


def _answered(exc: Exception) -> bool:
    """Did the server answer the call with an error (so the tool did not run)? A lost connection or a timeout
    leaves the outcome unknown: the call may have run."""
    return isinstance(exc, MCPError) and exc.code not in (CONNECTION_CLOSED, REQUEST_TIMEOUT)


def _error(text: str, structured: dict[str, Any] | None = None) -> types.CallToolResult:
    return types.CallToolResult(
        content=[types.TextContent(type="text", text=text)], is_error=True, structured_content=structured
    )


#: Pages of a server's tool list the gateway reads at most (a server that keeps sending cursors is cut off).
MAX_TOOL_PAGES = 100


async def _all_tools(client: Client) -> list[types.Tool]:
    """Every tool the server lists, page by page (a server may paginate ``tools/list``)."""
    tools: list[types.Tool] = []
    cursor: str | None = None
    seen: set[str] = set()
    for _ in range(MAX_TOOL_PAGES):
        listed = await client.list_tools(cursor=cursor)
        tools.extend(listed.tools)
        cursor = listed.next_cursor
        if cursor is None or cursor in seen:
            break
        seen.add(cursor)
    return tools


def _unique(tools: list[types.Tool]) -> dict[str, types.Tool]:
    """``name → tool``; a name listed twice is a ValueError: the gateway could not tell which definition a
    call reaches, nor check its mapping against the right one."""
    out: dict[str, types.Tool] = {}
    for tool in tools:
        if tool.name in out:
            raise ValueError(
                f"the server lists tool {tool.name!r} more than once; the gateway cannot tell which one a "
                "call reaches"
            )
        out[tool.name] = tool
    return out


async def list_downstream_tools(downstream: Downstream) -> dict[str, dict[str, Any]]:
    """``tool name → input schema`` of the server behind the gateway."""
    async with Client(downstream) as client:
        listed = await _all_tools(client)
    return {name: dict(t.input_schema) for name, t in _unique(listed).items()}


def build_gateway(policy: Policy, gate: Gate, downstream: Downstream) -> Server[Any]:
    """A gateway MCP server in front of ``downstream`` (see the module docstring).

    On start it connects to the downstream server, lists its tools and checks the policy's tool mappings
    against their input schemas (:func:`~brandrail.integrations.common.validate_tool_mappings`: a mapping
    that names a missing argument is a PolicyError with its file:line:col).
    """
    guard = ReplyGuard(policy, gate, surface="mcp-gateway")
    state: dict[str, Any] = {}

    @asynccontextmanager
    async def lifespan(_: Server[Any]) -> AsyncIterator[dict[str, Any]]:
        async with Client(downstream) as client, anyio.create_task_group() as background:
            listed = await _all_tools(client)
            # the gateway may answer a call itself (pending approval): its answers follow no output schema
            tools = {n: t.model_copy(update={"output_schema": None}) for n, t in _unique(listed).items()}
            validate_tool_mappings(policy, {n: dict(t.input_schema) for n, t in tools.items()})
            state["client"] = client
            state["tools"] = tools
            state["background"] = background
            yield state

    async def on_list_tools(ctx: Any, params: types.PaginatedRequestParams | None) -> types.ListToolsResult:
        return types.ListToolsResult(tools=list(state["tools"].values()))

    async def on_call_tool(ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
        name = params.name
        args = dict(params.arguments or {})
        request_id = uuid4().hex
        if name not in state["tools"]:
            return _error(f"unknown tool {name!r}; tools: {', '.join(sorted(state['tools']))}")
        verdict = await anyio.to_thread.run_sync(lambda: guard.gate_tool(name, args))
        summary = verdict.to_dict()
        if not verdict.allowed:
            decision = verdict.decision
            await _record(
                guard,
                request_id,
                name,
                "pending_approval" if decision is not None and decision.outcome == "review" else "denied",
                summary,
            )
            if decision is not None and decision.outcome == "review":
                pending = {
                    "status": "pending_approval",
                    "approval_id": decision.approval_id,
                    "decision_id": decision.decision_id,
                    "message": decision.message(),
                }
                return types.CallToolResult(
                    content=[types.TextContent(type="text", text=decision.message())],
                    structured_content=pending,
                    is_error=False,
                )
            return _error(verdict.message, {"status": "denied", **summary})
        client: Client = state["client"]
        try:
            result = await client.call_tool(name, verdict.arguments or {})
        except Exception as exc:
            if not _answered(exc):
                # the call may have run: it stays counted against the gate's caps (an unreleased reservation)
                await _record(guard, request_id, name, "tool_outcome_unknown", summary)
                return _error(
                    f"the tool {name!r} did not answer behind the brandrail gateway ({type(exc).__name__}: "
                    f"{exc}); it may have run, so it still counts against the gate's limits. Check whether it "
                    "took effect before you call it again."
                )
            await anyio.to_thread.run_sync(lambda: guard.report([verdict], executed=False))
            await _record(guard, request_id, name, "tool_failed", summary)
            return _error(
                f"the tool {name!r} failed behind the brandrail gateway: {type(exc).__name__}: {exc}"
            )
        # the outcome report is bookkeeping, not part of the answer: it runs after the agent has the result
        # (the session waits for it before it ends)
        executed = not result.is_error
        state["background"].start_soon(
            anyio.to_thread.run_sync, lambda: guard.report([verdict], executed=executed)
        )
        mapping = policy.integrations.tools.get(name)
        if mapping is not None and mapping.check_result:  # an error's text reaches the agent too
            text = _text_of(result)
            checked = await anyio.to_thread.run_sync(lambda: check(text, policy))
            if checked.errors:
                lines = [f"- {f.code} {f.rule}: {f.message}" for f in checked.errors]
                await _record(guard, request_id, name, "result_withheld", summary)
                return _error(
                    f"brandrail withheld the result of {name}: it breaks the brand policy:\n"
                    + "\n".join(lines),
                    {"status": "result_withheld", "findings": [f.to_dict() for f in checked.errors]},
                )
        if verdict.decision is None:  # a gated call is on record already: its decision and outcome entries
            await _record(guard, request_id, name, "forwarded", summary)
        return result

    return Server(
        "brandrail-gateway",
        instructions="Tools of another server, behind the brandrail gate: calls may be denied or sent to review.",
        lifespan=lifespan,
        on_list_tools=on_list_tools,
        on_call_tool=on_call_tool,
    )


async def _record(
    guard: ReplyGuard, request_id: str, tool: str, verdict: str, summary: Mapping[str, Any]
) -> None:
    await anyio.to_thread.run_sync(
        lambda: guard.record(
            request_id=request_id,
            route=f"tool:{tool}",
            route_config=None,
            verdict=verdict,
            extra={"tool": json.loads(json.dumps(summary, default=str))},
        )
    )


# -- running -------------------------------------------------------------------------------------------


def run_server(
    server: MCPServer | Server[Any], *, transport: str = "stdio", host: str = "127.0.0.1", port: int = 8765
) -> None:
    """Serve over ``stdio`` or ``http`` (streamable HTTP at ``/mcp``) until interrupted."""
    low: Server[Any] = server._lowlevel_server if isinstance(server, MCPServer) else server
    if transport == "stdio":
        from mcp.server.stdio import stdio_server

        async def stdio() -> None:
            async with stdio_server() as (read, write):
                await low.run(read, write, low.create_initialization_options())

        anyio.run(stdio)
        return
    import uvicorn

    app = low.streamable_http_app(host=host)
    uvicorn.run(app, host=host, port=port, log_level="warning")
