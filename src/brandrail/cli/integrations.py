"""Commands of the integrations: ``brandrail proxy`` and ``brandrail mcp`` (registered on brandrail.cli._app)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from brandrail.cli._app import app
from brandrail.cli._common import fail, user_errors

if TYPE_CHECKING:
    from brandrail.gate.decide import Gate
    from brandrail.policy import Policy

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
) -> None:
    """Run the OpenAI-compatible guard proxy: point an OpenAI SDK's base_url at http://HOST:PORT/v1."""
    import os

    import uvicorn

    from brandrail.integrations.proxy import create_proxy_app

    policy = _policy(policy_path)
    if upstream is not None and not upstream.startswith(("http://", "https://")):
        fail(
            f"--upstream {upstream!r} is not an http(s) URL", hint="e.g. --upstream http://127.0.0.1:8000/v1"
        )
    env = policy.integrations.upstream.api_key_env
    if env and not os.environ.get(env):
        print(f"note: ${env} is not set; the upstream is called without a key", file=sys.stderr)
    app_ = create_proxy_app(policy, gate=_gate(policy, db), upstream_url=upstream)
    target = upstream or policy.integrations.upstream.base_url
    print(
        f"brandrail proxy on http://{host}:{port}/v1 → {target} (policy {policy.short_version})",
        file=sys.stderr,
    )
    uvicorn.run(app_, host=host, port=port, log_level="warning")


@app.command()
@user_errors
def mcp(
    policy_path: PolicyOpt = None,
    gateway: Annotated[
        str | None,
        typer.Option(
            "--gateway",
            help="Front another MCP server: its URL (streamable HTTP) or the command that starts it (stdio).",
        ),
    ] = None,
    transport: Annotated[str, typer.Option("--transport", help="stdio or http.")] = "stdio",
    host: HostOpt = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port for --transport http (path /mcp).")] = 8765,
    db: DbOpt = None,
) -> None:
    """Run the brandrail MCP server (check, tone, rules, explain_rule, gate_decide, approval_status), or with
    --gateway, a gateway that gates every tool call of another MCP server."""
    if transport not in ("stdio", "http"):
        fail(f"--transport {transport!r} is not supported", hint="use stdio or http")
    policy = _policy(policy_path)
    gate = _gate(policy, db)
    from brandrail.integrations import mcp as integration

    if gateway is None:
        integration.run_server(
            integration.build_server(policy, gate), transport=transport, host=host, port=port
        )
        return
    import anyio

    from brandrail.errors import UsageError
    from brandrail.integrations.common import validate_tool_mappings

    try:
        downstream = integration.downstream_from(gateway)
    except ValueError as exc:
        fail(str(exc))
    try:
        tools = anyio.run(integration.list_downstream_tools, downstream)
    except Exception as exc:
        shown = integration.shown_downstream(gateway)  # a URL's token is not printed
        raise UsageError(
            f"cannot list the tools of the gateway's server {shown!r}: {type(exc).__name__}: "
            + str(exc).replace(gateway, shown),
            hint="check that the command starts an MCP server on stdio, or that the URL serves MCP",
        ) from None
    validate_tool_mappings(policy, tools)
    integration.run_server(
        integration.build_gateway(policy, gate, downstream), transport=transport, host=host, port=port
    )
