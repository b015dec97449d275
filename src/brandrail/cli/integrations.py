"""Commands of the integrations: ``brandrail proxy`` and ``brandrail mcp`` (registered on brandrail.cli._app)."""

from __future__ import annotations

import math
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from brandrail.cli._app import app
from brandrail.cli._common import fail, user_errors

if TYPE_CHECKING:
    from brandrail.check_budget import CheckPool
    from brandrail.gate.decide import Gate
    from brandrail.integrations.mcp import Downstream
    from brandrail.policy import Policy

T = TypeVar("T")

PolicyOpt = Annotated[
    Path | None,
    typer.Option(
        "--policy",
        "-p",
        help="Policy file (default: the nearest brandrail.yaml, else $BRANDRAIL_POLICY).",
        show_default=False,
    ),
]
DbOpt = Annotated[
    str | None,
    typer.Option("--db", help="Gate store and ledger URL (default: the policy's gate.store_url)."),
]
HostOpt = Annotated[str, typer.Option("--host", help="Interface to listen on.")]
# the content checks' budget, as `brandrail serve` has it (docs/integrations.md "Check budget")
CheckBudgetOpt = Annotated[
    float,
    typer.Option(
        "--check-budget",
        help="CPU seconds the content checks of one request (a chat completion, an MCP tool call) may use; "
        "past it the check is stopped and answers BR999: the reply is not sent, the call is denied.",
    ),
]
CheckWallOpt = Annotated[
    float | None,
    typer.Option(
        "--check-wall",
        help="Wall seconds the content checks of one request may take (default: 4 × --check-budget).",
        show_default=False,
    ),
]
CheckProcessesOpt = Annotated[
    int,
    typer.Option(
        "--check-processes",
        help="Processes that run content checks: at most this many checks at once, and this many CPUs busy "
        "with checks.",
        min=1,
        max=256,
    ),
]


def _check_pool(budget: float, wall: float | None, processes: int) -> CheckPool:
    """The check processes for ``--check-budget``/``--check-wall``/``--check-processes`` (not yet started);
    a number of seconds that is not above 0 and at most 3600 is a usage error."""
    for flag, seconds in (("--check-budget", budget), ("--check-wall", wall)):
        if seconds is not None and not (math.isfinite(seconds) and 0 < seconds <= 3600):
            fail(
                f"{flag} {seconds:g} is not a number of seconds above 0 and at most 3600",
                hint=f"e.g. {flag} 5",
            )
    from brandrail.check_budget import CheckPool

    return CheckPool(cpu_seconds=budget, wall_seconds=wall, processes=processes)


def _policy(path: Path | None) -> Policy:
    from brandrail.integrations.common import validate_integrations
    from brandrail.policy import load_policy
    from brandrail.policy.discovery import find_policy

    policy = load_policy(find_policy(path))
    validate_integrations(policy)
    return policy


def _gate(policy: Policy, db: str | None) -> Gate:
    from brandrail.errors import BrandrailError, UsageError
    from brandrail.gate.decide import Gate

    url = db or policy.gate.store_url
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        Path(url[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
    try:
        return Gate(policy, store=url)
    except BrandrailError:
        raise
    except Exception as exc:
        from brandrail.ledger._store import without_password

        raise UsageError(
            f"cannot open the gate store {without_password(url)!r}: {without_password(str(exc), url)}",
            hint="check --db",
        ) from None


@app.command()
@user_errors
def proxy(
    policy_path: PolicyOpt = None,
    upstream: Annotated[
        str | None,
        typer.Option(
            "--upstream", help="Upstream base URL, e.g. https://api.openai.com/v1 (default: the policy's)."
        ),
    ] = None,
    host: HostOpt = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8787,
    db: DbOpt = None,
    check_budget: CheckBudgetOpt = 5.0,
    check_wall: CheckWallOpt = None,
    check_processes: CheckProcessesOpt = 2,
) -> None:
    """Run the OpenAI-compatible guard proxy: point an OpenAI SDK's base_url at http://HOST:PORT/v1."""
    import os

    import uvicorn

    from brandrail.integrations.proxy import create_proxy_app

    checks = _check_pool(check_budget, check_wall, check_processes)
    policy = _policy(policy_path)
    if upstream is not None and not upstream.startswith(("http://", "https://")):
        fail(
            f"--upstream {upstream!r} is not an http(s) URL", hint="e.g. --upstream http://127.0.0.1:8000/v1"
        )
    env = policy.integrations.upstream.api_key_env
    if env and not os.environ.get(env):
        print(f"note: ${env} is not set; the upstream is called without a key", file=sys.stderr)
    # the app starts the check processes at start-up and ends them at shutdown
    app_ = create_proxy_app(policy, gate=_gate(policy, db), upstream_url=upstream, checks=checks)
    target = upstream or policy.integrations.upstream.base_url
    print(
        f"brandrail proxy on http://{host}:{port}/v1 → {target} (policy {policy.short_version})",
        file=sys.stderr,
    )
    uvicorn.run(app_, host=host, port=port, log_level="warning")


mcp_app = typer.Typer(
    help="Run the brandrail MCP server, or with --gateway, a gateway in front of another MCP server; "
    "`brandrail mcp pin` pins that server's tool definitions.",
    invoke_without_command=True,
    no_args_is_help=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
app.add_typer(mcp_app, name="mcp")

GatewayOpt = Annotated[
    str | None,
    typer.Option(
        "--gateway",
        help="Front another MCP server: its URL (streamable HTTP) or the command that starts it (stdio).",
    ),
]


def _downstream_tools(gateway: str, lister: Callable[[Downstream], Awaitable[T]]) -> T:
    """Run ``lister`` on the server ``gateway`` names; a server that cannot be listed is a UsageError with
    the URL's token hidden."""
    import anyio

    from brandrail.errors import UsageError
    from brandrail.integrations import mcp as integration

    try:
        downstream = integration.downstream_from(gateway)
    except ValueError as exc:
        fail(str(exc))
    try:
        return anyio.run(lister, downstream)
    except Exception as exc:
        shown = integration.shown_downstream(gateway)  # a URL's token is not printed
        raise UsageError(
            f"cannot list the tools of the gateway's server {shown!r}: {type(exc).__name__}: "
            + str(exc).replace(gateway, shown),
            hint="check that the command starts an MCP server on stdio, or that the URL serves MCP",
        ) from None


@mcp_app.callback(invoke_without_command=True)
@user_errors
def mcp(
    ctx: typer.Context,
    policy_path: PolicyOpt = None,
    gateway: GatewayOpt = None,
    pins: Annotated[
        Path | None,
        typer.Option(
            "--pins",
            help="With --gateway: the pin file of the server's reviewed tool definitions (`brandrail mcp "
            "pin`); a tool not pinned or changed since is withheld. Without it definitions are not pinned.",
        ),
    ] = None,
    transport: Annotated[str, typer.Option("--transport", help="stdio or http.")] = "stdio",
    host: HostOpt = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port for --transport http (path /mcp).")] = 8765,
    db: DbOpt = None,
    check_budget: CheckBudgetOpt = 5.0,
    check_wall: CheckWallOpt = None,
    check_processes: CheckProcessesOpt = 2,
) -> None:
    """Run the brandrail MCP server (check, tone, rules, explain_rule, gate_decide, approval_status), or with
    --gateway, a gateway that gates every tool call of another MCP server."""
    if ctx.invoked_subcommand is not None:
        return
    if transport not in ("stdio", "http"):
        fail(f"--transport {transport!r} is not supported", hint="use stdio or http")
    if pins is not None and gateway is None:
        fail("--pins applies to the gateway", hint="add --gateway CMD|URL")
    checks = _check_pool(check_budget, check_wall, check_processes)
    policy = _policy(policy_path)
    from brandrail.integrations import mcp as integration

    if gateway is None:
        gate = _gate(policy, db)
        _serve_mcp(
            integration.build_server(policy, gate, checks=checks), checks, policy, transport, host, port
        )
        return
    from brandrail.gate.tooldefs import load_pins
    from brandrail.integrations.common import validate_tool_mappings

    if pins is not None:
        load_pins(pins)  # a bad pin file stops here, with its file:line:col (exit 2)
    else:
        print(
            "warning: no --pins: the gateway screens the server's tool definitions for hidden text and "
            "injected instructions, but does not pin them, so a definition changed after you reviewed it "
            "reaches the agent. Pin them with `brandrail mcp pin --gateway ... --pins FILE`.",
            file=sys.stderr,
        )
    gate = _gate(policy, db)
    tools = _downstream_tools(gateway, integration.list_downstream_tools)
    validate_tool_mappings(policy, tools)
    server = integration.build_gateway(
        policy, gate, integration.downstream_from(gateway), pins=pins, checks=checks
    )
    _serve_mcp(server, checks, policy, transport, host, port)


def _serve_mcp(server: Any, checks: CheckPool, policy: Policy, transport: str, host: str, port: int) -> None:
    """Serve ``server`` until interrupted: the check processes start (and load the policy) first, outside
    any budget, and end with it."""
    from brandrail.integrations.mcp import run_server

    checks.prestart(policy)
    try:
        run_server(server, transport=transport, host=host, port=port)
    finally:
        checks.close()


@mcp_app.command("pin")
@user_errors
def mcp_pin(
    gateway: Annotated[
        str,
        typer.Option(
            "--gateway", help="The MCP server whose tools to pin: its URL or the command that starts it."
        ),
    ],
    pins: Annotated[Path, typer.Option("--pins", help="The pin file to write (created when missing).")],
    tool: Annotated[
        list[str] | None,
        typer.Option("--tool", help="Pin only this tool (repeat for more); others keep their pins."),
    ] = None,
    accept: Annotated[
        list[str] | None,
        typer.Option(
            "--accept",
            help="Pin definitions with these finding codes after you reviewed them (AG903, AG904; repeat).",
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option("--check", help="Show what would change and write nothing; exit 1 if anything would."),
    ] = False,
) -> None:
    """Pin the tool definitions of an MCP server you reviewed: show what changed since the pin file was
    written (added, changed, removed tools, with a diff and the findings of each), then write it."""
    import difflib

    from brandrail.cli._common import atomic_write
    from brandrail.gate.tooldefs import (
        ACCEPTABLE_CODES,
        dump_pins,
        load_pins,
        plan_pins,
        review_text,
    )
    from brandrail.integrations import mcp as integration

    accepted = [c.strip().upper() for c in accept or []]
    for code in accepted:
        if code not in ACCEPTABLE_CODES:
            fail(f"--accept {code!r}: only {', '.join(ACCEPTABLE_CODES)} can be accepted")
    current = load_pins(pins) if pins.exists() else None
    live = _downstream_tools(gateway, integration.list_downstream_definitions)
    unknown = sorted(set(tool or []) - {str(t.get("name")) for t in live})
    if unknown:
        fail(f"--tool {', '.join(unknown)}: the server lists no such tool")
    try:
        planned, changes = plan_pins(
            current, live, only=tool or (), accept=accepted, server=integration.shown_downstream(gateway)
        )
    except ValueError as exc:
        fail(str(exc), hint="a server must list each tool once")
    counts: dict[str, int] = {}
    for change in changes:
        counts[change.status] = counts.get(change.status, 0) + 1
        if change.status == "unchanged" and not change.findings:
            continue
        print(f"{change.status.upper():9} {change.name}")
        if change.status == "changed" and change.old is not None and change.old.definition is None:
            print(f"  sha256 {change.old.sha256[:12]} → {planned.tools[change.name].sha256[:12]}")
        elif change.status in ("added", "changed", "removed", "refused"):
            before = review_text(change.old.definition if change.old is not None else None)
            after = review_text(change.new) if change.status != "removed" else []
            for line in difflib.unified_diff(before, after, "pinned", "server", lineterm="", n=2):
                if not line.startswith(("---", "+++")):
                    print(f"  {line}")
        for f in change.findings:
            print(f"  {f.code} {f.severity.value}: {f.message}")
        if change.status == "refused":
            codes = sorted({f.code for f in change.findings if f.severity.value == "error"})
            print(
                f"  not pinned: review it, then pin with --accept {' --accept '.join(codes)} if you trust it"
            )
    summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    differs = any(c.status != "unchanged" for c in changes)
    if check:
        print(f"{pins}: {summary or 'no tools'}; nothing written (--check)")
        raise typer.Exit(1 if differs else 0)
    text = dump_pins(planned)
    if current is None or text != pins.read_text(encoding="utf-8"):
        atomic_write(pins, text)
        print(f"{pins}: {summary or 'no tools'}; written")
    else:
        print(f"{pins}: {summary}; nothing to write")
    raise typer.Exit(1 if counts.get("refused") else 0)
