"""``brandrail mcp``: a Model Context Protocol server, and a gateway in front of another MCP server.

Server mode (:func:`build_server`) exposes brandrail to an agent as tools: ``check``, ``tone``, ``rules``,
``explain_rule``, ``gate_decide`` and ``approval_status``, so the agent can check its own draft and ask
permission. Gateway mode (:func:`build_gateway`) fronts another MCP server: it lists that server's tools, maps
each call to a typed gate action (``integrations.tools`` in the policy) and forwards only allowed (or
modified) calls; a call sent to review answers with a pending status and the approval id; a denied call is a
tool error with the reasons. Tool results can be content-checked (``check_result``). Every listing of the
server's tools is screened first (:func:`screen_tools`): a definition that is not pinned or changed since its
pin, hides text, plants instructions, shadows another name or is too large is withheld from the agent and
its calls are denied (AG901–AG906, :mod:`brandrail.gate.tooldefs`). Both run over stdio or streamable HTTP
with the official ``mcp`` SDK, which is imported only here.

With a :class:`~brandrail.check_budget.CheckPool` (``checks``; ``brandrail mcp`` makes one) the content checks
of each tool call (``check``, ``gate_decide``'s content checks, a gated call's argument and result checks) run
in its check processes within one budget per call: past it the answer is BR999, never a pass.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from uuid import uuid4

import anyio
import anyio.to_thread
import mcp_types as types
from mcp import Client, MCPError, StdioServerParameters
from mcp.server import Server
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.subscriptions import InMemorySubscriptionBus, ListenHandler
from mcp.shared.subscriptions import ToolsListChanged
from mcp_types import CONNECTION_CLOSED, REQUEST_TIMEOUT
from mcp_types.version import MODERN_PROTOCOL_VERSIONS

from brandrail.check_budget import CheckPool, ChecksBusyError, RequestBudget, check_text, checks_within
from brandrail.errors import BrandrailError
from brandrail.findings import Finding, Severity
from brandrail.gate.approvals import get_approval
from brandrail.gate.decide import Gate
from brandrail.gate.tooldefs import ToolPins, changed_places, definition_sha256, inspect_definition, load_pins
from brandrail.integrations.common import (
    Caller,
    ReplyGuard,
    ResultScreener,
    ResultTaint,
    TaintNotRecordedError,
    check_reply,
    decide,
    flagged_by,
    result_provenance,
    texts_in,
    validate_tool_mappings,
)
from brandrail.policy import Policy
from brandrail.policy.sections.integrations import ResultsConfig

__all__ = [
    "Downstream",
    "ToolScreen",
    "WithheldTool",
    "build_gateway",
    "build_server",
    "downstream_from",
    "list_downstream_definitions",
    "list_downstream_tools",
    "result_content",
    "run_server",
    "screen_result",
    "screen_tools",
    "shown_downstream",
    "tool_json",
]

_log = logging.getLogger("brandrail.mcp")
_T = TypeVar("_T")


def _within(checks: CheckPool | RequestBudget | None, job: Callable[[], _T]) -> Callable[[], _T]:
    """``job`` with its content checks run within ``checks`` (for a worker thread: the context is set there)."""

    def run() -> _T:
        with checks_within(checks):
            return job()

    return run


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


def build_server(policy: Policy, gate: Gate, *, checks: CheckPool | None = None) -> MCPServer:
    """brandrail's own tools as an MCP server (see the module docstring). ``checks``: the pool whose check
    processes run the content checks of each call within its budget (the caller starts and closes it); None:
    in this process, unbounded."""
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
        job = _within(
            checks,
            lambda: check_reply(
                text, policy, channel=ch, conversation=conversation, customer_message=customer_message
            ),
        )
        try:
            result = await anyio.to_thread.run_sync(job)
        except ChecksBusyError as exc:
            raise ToolError(f"the draft was not checked: {exc}") from None
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
        job = _within(checks, lambda: decide(gate, action, guard.principal))
        try:
            decision = await anyio.to_thread.run_sync(job)
        except ChecksBusyError as exc:
            raise ToolError(f"the action was not decided (do not carry it out): {exc}") from None
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


def screen_result(
    result: types.CallToolResult, settings: ResultsConfig
) -> tuple[types.CallToolResult, list[Finding]]:
    """Screen every text a tool's result carries to the agent (text blocks, text resources, resource link
    titles and descriptions, strings of the structured content) for hidden characters (AG907) and planted
    instructions (AG908), and apply ``settings``: the result the agent gets and the findings, each with its
    place (``content[0].text``, ``structuredContent.notes``) in the evidence. A withheld text withholds the
    whole result (an error result that says why)."""
    screener = ResultScreener(settings)
    blocks: list[Any] = []
    for i, block in enumerate(result.content):
        if isinstance(block, types.TextContent):
            block = block.model_copy(update={"text": screener.text(block.text, f"content[{i}].text")})
        elif isinstance(block, types.EmbeddedResource) and isinstance(
            block.resource, types.TextResourceContents
        ):
            resource = block.resource.model_copy(
                update={"text": screener.text(block.resource.text, f"content[{i}].resource.text")}
            )
            block = block.model_copy(update={"resource": resource})
        elif isinstance(block, types.ResourceLink):
            update = {
                key: screener.text(value, f"content[{i}].{key}")
                for key in ("title", "description")
                if isinstance(value := getattr(block, key), str)
            }
            block = block.model_copy(update=update)
        blocks.append(block)
    structured = screener.walk(result.structured_content, "structuredContent")
    screener.joined(structured, "structuredContent")  # as screened: an instruction split across fields
    findings = screener.findings
    if screener.withheld:
        return _error(screener.notice(), {"status": "result_withheld", "codes": screener.codes}), findings
    if not findings:
        return result, findings
    return result.model_copy(update={"content": blocks, "structured_content": structured}), findings


def result_content(result: types.CallToolResult) -> dict[str, Any]:
    """What a tool's result carries to the agent, as plain JSON (its content blocks, structured content and
    error flag; not ``_meta``, which is for the client, not the model): what its keyed digest is taken of
    (:meth:`~brandrail.integrations.common.ResultTaint.result_digests`), so a reviewer's lift covers the
    same result when the tool sends exactly it again."""
    return {
        "content": [
            block.model_dump(mode="json", by_alias=True, exclude_none=True) for block in result.content
        ],
        "structuredContent": result.structured_content,
        "isError": bool(result.is_error),
    }


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


async def _all_tools(client: Client, *, fresh: bool = False) -> list[types.Tool]:
    """Every tool the server lists, page by page (a server may paginate ``tools/list``); with ``fresh``,
    past the client's response cache (a re-listing must see what the server says now)."""
    tools: list[types.Tool] = []
    cursor: str | None = None
    seen: set[str] = set()
    for _ in range(MAX_TOOL_PAGES):
        listed = await client.list_tools(cursor=cursor, cache_mode="refresh" if fresh else "use")
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


async def list_downstream_definitions(downstream: Downstream) -> list[dict[str, Any]]:
    """The tool definitions of the server behind the gateway, as JSON (MCP's camelCase names), in the order
    the server lists them (every page)."""
    async with Client(downstream) as client:
        return [tool_json(t) for t in await _all_tools(client)]


def tool_json(tool: types.Tool) -> dict[str, Any]:
    """A tool definition as JSON, as the server sent it (``inputSchema``, ``outputSchema``, ...)."""
    return tool.model_dump(mode="json", by_alias=True, exclude_none=True)


# -- screening tool definitions --------------------------------------------------------------------------


@dataclass(frozen=True)
class WithheldTool:
    """A downstream tool the agent is not shown, and why: a code (AG901–AG905) and a reason."""

    name: str
    code: str
    reason: str
    sha256: str
    findings: tuple[Finding, ...] = ()

    def message(self) -> str:
        from brandrail.registry import get_rule

        rule = get_rule(self.code)
        label = f"{self.code} {rule.name}" if rule is not None else self.code
        return (
            f"DENIED by the brandrail gateway ({label}): {self.reason}. The tool is withheld from the agent "
            "until an operator reviews it (docs/integrations.md, 'Tool definitions')."
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "tool": self.name,
            "code": self.code,
            "reason": self.reason,
            "sha256": self.sha256,
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass(frozen=True)
class ToolScreen:
    """One listing of the downstream server, screened: the tools the agent sees (as it sees them), the ones
    withheld, and the warnings on tools that are shown."""

    shown: dict[str, types.Tool]
    withheld: dict[str, WithheldTool]
    warnings: dict[str, tuple[Finding, ...]]
    sha256: dict[str, str]


def screen_tools(
    listed: list[types.Tool],
    *,
    pins: ToolPins | None,
    mapped: Collection[str] = (),
    pin_error: str | None = None,
) -> ToolScreen:
    """Screen one listing: a tool is withheld when its name is listed twice or reads like another's
    (AG905), when a pin file is in force and the tool is not in it (AG901) or its definition hashes to
    another sha256 (AG902), or when its definition has hidden characters (AG903) or instruction-like text
    (AG904) its pin does not accept. ``pin_error``: the pin file could not be read, so nothing is shown."""
    from brandrail.integrations.common import tool_name_key

    counts: dict[str, int] = {}
    for tool in listed:
        counts[tool.name] = counts.get(tool.name, 0) + 1
    keys: dict[str, set[str]] = {}
    for name in [*counts, *mapped]:
        keys.setdefault(tool_name_key(name), set()).add(name)
    shown: dict[str, types.Tool] = {}
    withheld: dict[str, WithheldTool] = {}
    warnings: dict[str, tuple[Finding, ...]] = {}
    digests: dict[str, str] = {}
    for tool in listed:
        name = tool.name
        definition = tool_json(tool)
        sha = definition_sha256(definition)
        digests[name] = sha
        findings = tuple(inspect_definition(definition))

        def withhold(code: str, reason: str, found: tuple[Finding, ...] = findings) -> None:
            withheld[name] = WithheldTool(name, code, reason, sha, found)  # noqa: B023 (used at once)

        if counts[name] > 1:
            withhold(
                "AG905", f"the server lists tool {name!r} more than once; which one a call reaches is unknown"
            )
            continue
        twins = sorted(n for n in keys[tool_name_key(name)] if n != name)
        mapped_twins = [n for n in twins if n in mapped]
        if mapped_twins or (twins and name not in mapped):
            twin = (mapped_twins or twins)[0]
            what = "the mapped tool" if mapped_twins else "the tool"
            withhold(
                "AG905",
                f"tool {name!r} is not {what} {twin!r} but reads like it (case, spacing, punctuation or "
                "look-alike characters)",
            )
            continue
        if pin_error is not None:
            withhold("AG901", f"the pin file cannot be read ({pin_error}); no tool is shown until it can")
            continue
        accepted: frozenset[str] = frozenset()
        if pins is not None:
            pin = pins.tools.get(name)
            where = f" in {pins.source}" if pins.source else ""
            if pin is None:
                withhold("AG901", f"tool {name!r} is not pinned{where}")
                continue
            if pin.sha256 != sha:
                changed = (
                    f" ({', '.join(changed_places(pin.definition, definition)[:6])} changed)"
                    if pin.definition is not None
                    else ""
                )
                withhold("AG902", f"the definition of tool {name!r} differs from its pin{where}{changed}")
                continue
            accepted = frozenset(pin.accept)
        blocking = [f for f in findings if f.severity is Severity.ERROR and f.code not in accepted]
        if blocking:
            first = blocking[0]
            withhold(first.code, f"the definition of tool {name!r}: {first.message}")
            continue
        flagged = tuple(f for f in findings if f not in blocking and f.code not in accepted)
        if flagged:
            warnings[name] = flagged
        # the gateway may answer a call itself (pending approval): its answers follow no output schema
        shown[name] = tool.model_copy(update={"output_schema": None})
    return ToolScreen(shown, withheld, warnings, digests)


class _PinSource:
    """The pins the gateway runs with: none, fixed ones, or a pin file read again when it changes (so a
    re-pin needs no restart). A file that cannot be read withholds every tool (fail closed)."""

    def __init__(self, pins: ToolPins | str | Path | None) -> None:
        self.path = Path(pins) if isinstance(pins, str | Path) else None
        self.pins = pins if isinstance(pins, ToolPins) else None
        self.error: str | None = None
        self._stamp: tuple[int, int] | None = None
        if self.path is not None:
            self.pins = load_pins(self.path)  # a bad file at start is the caller's error (exit 2)
            self._stamp = self._stat()

    def _stat(self) -> tuple[int, int] | None:
        assert self.path is not None
        try:
            st = self.path.stat()
        except OSError:
            return None
        return st.st_mtime_ns, st.st_size

    def current(self) -> tuple[ToolPins | None, str | None]:
        if self.path is not None:
            stamp = self._stat()
            if stamp != self._stamp:
                self._stamp = stamp
                try:
                    self.pins, self.error = load_pins(self.path), None
                except BrandrailError as exc:
                    self.error = str(exc).splitlines()[0]
                    _log.error("brandrail gateway: the pin file %s cannot be read: %s", self.path, exc)
        return self.pins, self.error


def build_gateway(
    policy: Policy,
    gate: Gate,
    downstream: Downstream,
    *,
    pins: ToolPins | str | Path | None = None,
    checks: CheckPool | None = None,
) -> Server[Any]:
    """A gateway MCP server in front of ``downstream`` (see the module docstring).

    On start it connects to the downstream server, lists its tools and checks the policy's tool mappings
    against their input schemas (:func:`~brandrail.integrations.common.validate_tool_mappings`: a mapping
    that names a missing argument is a PolicyError with its file:line:col). Every listing is screened
    (:func:`screen_tools`) against ``pins`` (a pin file's path, read again when it changes, or loaded pins;
    None: no pinning, with a warning) — at start, whenever the agent lists the tools, and when the server
    says its list changed. A withheld tool is not listed and a call to it is denied with its code.
    ``checks``: the pool whose check processes run each call's content checks (its arguments', the gate's,
    its result's) within one budget per call (the caller starts and closes it); None: in this process.
    """
    guard = ReplyGuard(policy, gate, surface="mcp-gateway")
    source = _PinSource(pins)
    if source.pins is None:
        _log.warning(
            "brandrail gateway: no pin file; downstream tool definitions are screened for hidden text and "
            "injected instructions but not pinned, so a changed definition reaches the agent "
            "(run `brandrail mcp pin` and pass --pins)"
        )
    mapped = frozenset(policy.integrations.tools)
    results = policy.integrations.results
    taint = ResultTaint.for_gate(results, gate)
    bus = InMemorySubscriptionBus()
    state: dict[str, Any] = {"stale": False, "recorded": set()}
    legacy: weakref.WeakSet[Any] = weakref.WeakSet()
    lock = anyio.Lock()

    async def record_screen(screen: ToolScreen) -> None:
        done: set[tuple[str, str, str]] = state["recorded"]
        for w in screen.withheld.values():
            if (w.name, w.sha256, w.code) not in done:
                done.add((w.name, w.sha256, w.code))
                _log.warning("brandrail gateway: tool %r withheld: %s", w.name, w.reason)
                await _record(guard, uuid4().hex, w.name, "tool_withheld", w.to_dict())
        for name, found in screen.warnings.items():
            key = (name, screen.sha256[name], "warning")
            if key not in done:
                done.add(key)
                summary = {
                    "tool": name,
                    "sha256": screen.sha256[name],
                    "findings": [f.to_dict() for f in found],
                }
                await _record(guard, uuid4().hex, name, "tool_flagged", summary)

    async def refresh(client: Client, *, first: bool = False) -> ToolScreen:
        async with lock:
            state["stale"] = False
            try:
                listed = await _all_tools(client, fresh=not first)
            except BaseException:
                state["stale"] = True
                raise
            if first:
                _unique(listed)  # a name listed twice stops the gateway at start (exit 2 in the CLI)
                validate_tool_mappings(policy, {t.name: dict(t.input_schema) for t in listed})
            current, error = source.current()
            screen = await anyio.to_thread.run_sync(
                lambda: screen_tools(listed, pins=current, mapped=mapped, pin_error=error)
            )
            before: ToolScreen | None = state.get("screen")
            state["screen"] = screen
        await record_screen(screen)
        if before is not None and _visible(before) != _visible(screen):
            await bus.publish(ToolsListChanged())  # agents that listen re-list
            for session in list(legacy):  # agents before 2026-07-28 hear it on their session
                try:
                    await session.send_tool_list_changed()
                except Exception as exc:  # a session that has gone: it gets nothing more
                    legacy.discard(session)
                    _log.debug("brandrail gateway: list_changed not delivered (%s)", exc)
        return screen

    async def on_downstream_message(message: Any) -> None:
        if isinstance(message, types.ToolListChangedNotification):
            await changed()

    async def changed() -> None:
        # called from the client's receive loop: a listing here would wait on that loop, so it runs apart
        state["stale"] = True
        background = state.get("background")
        if background is not None:
            background.start_soon(_quietly, lambda: refresh(state["client"]))

    @asynccontextmanager
    async def lifespan(_: Server[Any]) -> AsyncIterator[dict[str, Any]]:
        client = Client(downstream, message_handler=on_downstream_message)
        async with client, anyio.create_task_group() as background:
            state["client"] = client
            await refresh(client, first=True)
            state["background"] = background
            listening = anyio.CancelScope()

            async def listen() -> None:
                with listening:
                    try:
                        async with client.listen(tools_list_changed=True) as subscription:
                            async for _event in subscription:
                                await changed()
                    except Exception as exc:  # a server before 2026-07-28 notifies through the session
                        _log.debug("brandrail gateway: no subscriptions/listen downstream (%s)", exc)

            background.start_soon(listen)
            try:
                yield state
            finally:
                listening.cancel()

    def remember(ctx: Any) -> None:
        """An agent on the initialize handshake has no subscriptions/listen: keep its session to tell it."""
        if getattr(ctx, "protocol_version", None) not in MODERN_PROTOCOL_VERSIONS and ctx.session is not None:
            legacy.add(ctx.session)

    async def on_list_tools(ctx: Any, params: types.PaginatedRequestParams | None) -> types.ListToolsResult:
        remember(ctx)
        screen = await refresh(state["client"])  # what the server says now, screened again
        return types.ListToolsResult(tools=list(screen.shown.values()))

    async def on_call_tool(ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
        remember(ctx)
        name = params.name
        args = dict(params.arguments or {})
        request_id = uuid4().hex
        if state["stale"]:  # the server said its list changed: screen it again before anything is forwarded
            try:
                await refresh(state["client"])
            except Exception as exc:
                return _error(
                    f"DENIED by the brandrail gateway: the tool list changed and cannot be checked again "
                    f"({type(exc).__name__}: {exc}); try again later."
                )
        screen: ToolScreen = state["screen"]
        withheld = screen.withheld.get(name)
        if withheld is not None:
            summary = withheld.to_dict()
            await _record(guard, request_id, name, "denied", summary)
            return _error(withheld.message(), {"status": "denied", "codes": [withheld.code], **summary})
        if name not in screen.shown:
            return _error(f"unknown tool {name!r}; tools: {', '.join(sorted(screen.shown))}")
        caller = caller_of(ctx, taint)
        budget = RequestBudget(checks) if checks is not None else None  # one for the call's content checks
        # the taint is read from the gate's store (fail closed: a store error holds the call)
        try:
            verdict = await anyio.to_thread.run_sync(
                _within(budget, lambda: guard.gate_tool(name, args, hold=taint.hold(policy, caller, name)))
            )
        except ChecksBusyError as exc:
            await _record(guard, request_id, name, "denied", {"tool": name, "checks_busy": str(exc)})
            return _error(f"DENIED by the brandrail gateway: the call was not checked ({exc}).")
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
        found: list[Finding] = []
        screened = result
        if results.screen:  # what the tool sends back, before the agent reads it
            screened, found = await anyio.to_thread.run_sync(lambda: screen_result(result, results))
        # a result taints when flagged, or (taint_on: untrusted, any) when its tool is untrusted, flagged or not
        untrusted = result_provenance(results, name)
        if found or untrusted is not None:
            codes = sorted({f.code for f in found})
            flag: dict[str, Any] = {"tool": name, "codes": codes}
            if untrusted is not None:
                flag["untrusted"] = untrusted
            # a result a reviewer's lift covers for this caller (the same tool, the same bytes, the
            # lift's cover not yet over) is screened as before but taints no more (the chat shells'
            # rule, through the same code); any other flagged result taints
            tainting = await anyio.to_thread.run_sync(
                lambda: taint.uncovered(caller, [flag], [result_content(result)])
            )
            by = {**(flagged_by(tainting) or {}), "request_id": request_id}
            try:
                if tainting:
                    await anyio.to_thread.run_sync(lambda: taint.mark(caller, by))
            except TaintNotRecordedError as exc:
                # fail closed: the agent does not read a result that taints whose taint is not on record
                what = (
                    f"({', '.join(codes)}): it carries hidden text or instructions addressed to the model"
                    if codes
                    else "(AG909): its tool's results are untrusted (integrations.results.taint_on)"
                )
                screened = _error(
                    f"brandrail withheld this tool result {what}, and {exc}. Treat the tool's output as "
                    "unavailable.",
                    {"status": "result_withheld", "codes": codes, "taint_not_recorded": True},
                )
            dropped = bool(screened.is_error and not result.is_error)
            record = {
                **summary,
                "caller": caller.as_dict(),
                "cause": "finding" if codes else "provenance",
                "result": guard.screened(found, withheld=dropped),
                "result_digest": flag["result"],
                "covered": flag["covered"],
            }
            if untrusted is not None:
                record["untrusted"] = untrusted
            if codes:
                _log.warning("brandrail gateway: the result of %r carries %s", name, ", ".join(codes))
            await _record(guard, request_id, name, "result_screened", record)
            result = screened
        mapping = policy.integrations.tools.get(name)
        if mapping is not None and mapping.check_result:  # an error's text reaches the agent too
            text = _text_of(result)
            try:
                checked = await anyio.to_thread.run_sync(_within(budget, lambda: check_text(text, policy)))
            except ChecksBusyError as exc:  # the result was not read: the agent does not get it
                await _record(guard, request_id, name, "result_withheld", summary)
                return _error(
                    f"brandrail withheld the result of {name}: it could not be checked ({exc}).",
                    {"status": "result_withheld", "checks_busy": True},
                )
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
        on_subscriptions_listen=ListenHandler(bus),
    )


async def _record(
    guard: ReplyGuard, request_id: str, tool: str, verdict: str, summary: Mapping[str, Any]
) -> None:
    await anyio.to_thread.run_sync(lambda: guard.record_tool(request_id, tool, verdict, summary))


#: The header that names an agent's session on streamable HTTP (protocols before 2026-07-28).
SESSION_HEADER = "mcp-session-id"


def caller_of(ctx: Any, taint: ResultTaint | None = None) -> Caller:
    """Who makes a call, for the taint (AG909): over streamable HTTP the credential the agent presents
    (``Authorization``) and its session (``Mcp-Session-Id``, protocols before 2026-07-28), keyed with
    ``taint``'s secret; over stdio, or in process, an anonymous caller."""
    request = getattr(ctx, "request", None)
    headers = getattr(request, "headers", None)
    if headers is None:
        return Caller()
    if taint is None:
        return Caller.of_headers(dict(headers), session_header=SESSION_HEADER)
    return taint.caller_of_headers(dict(headers), session_header=SESSION_HEADER)


def _visible(screen: ToolScreen) -> frozenset[tuple[str, str]]:
    return frozenset((name, screen.sha256[name]) for name in screen.shown)


async def _quietly(job: Callable[[], Awaitable[Any]]) -> None:
    """Run a background re-listing; a failure is logged (the next call or listing tries again)."""
    try:
        await job()
    except Exception as exc:
        _log.warning(
            "brandrail gateway: re-listing the downstream tools failed: %s: %s", type(exc).__name__, exc
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
