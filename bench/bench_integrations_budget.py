"""Benchmark a hostile megabyte through the proxy and the MCP server, with and without the check budget.

One message of ``--size`` characters of leetspeak (``"fr33 "`` repeated, a case of bench_content_hostile.py):

1. ``proxy``: the fake upstream answers it as the model's reply to one chat completion (route ``strict``);
2. ``mcp``: an MCP client sends it to brandrail's ``check`` tool (in process).

Each is run ``--runs`` times; printed: the median wall seconds, the median CPU seconds of this process plus
its check processes (user + system, from ``getrusage``; the check processes are counted once they have
ended, so the pool is closed after each run), and what the answer was (the verdict, the finding codes).
``--budget SECONDS`` runs the checks in a :class:`~brandrail.check_budget.CheckPool` with that CPU budget
(as ``brandrail proxy`` / ``brandrail mcp`` do by default); without it they run in process, unbounded.

Run: .venv/bin/python bench/bench_integrations_budget.py [--budget 5] [--size 1000000] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

POLICY = """\
version: 1
terms:
  banned:
    - {term: free}
    - {term: cheap, replacement: affordable}
channels:
  chat: {kind: chat, max_length: 2000}
integrations:
  upstream: {base_url: http://upstream.invalid/v1}
  default_route: strict
  routes:
    strict: {channel: chat, models: ["fake-*"], on_violation: fallback, fallback: "Sorry, one moment."}
"""


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _pool(budget: float | None) -> Any:
    if budget is None:
        return None
    from brandrail.check_budget import CheckPool

    return CheckPool(cpu_seconds=budget)


def _proxy_once(policy: Any, text: str, budget: float | None, db: Path) -> str:
    import anyio
    import httpx

    from brandrail.gate import Gate
    from brandrail.integrations.fakeupstream import FakeUpstream
    from brandrail.integrations.proxy import create_proxy_app

    upstream = FakeUpstream([text])
    pool = _pool(budget)
    extra = {"checks": pool} if pool is not None else {}
    app = create_proxy_app(
        policy,
        gate=Gate(policy, store=f"sqlite:///{db}"),
        upstream_url="http://upstream.test/v1",
        transport=httpx.ASGITransport(app=upstream.app),
        **extra,
    )

    async def go() -> str:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://proxy.test", timeout=600
        ) as client:
            body = {"model": "fake-1", "messages": [{"role": "user", "content": "hello"}]}
            response = await client.post("/v1/chat/completions", json=body)
            return f"{response.status_code} {response.headers.get('x-brandrail-verdict')}"

    try:
        return anyio.run(go)
    finally:
        if pool is not None:
            pool.close()


def _mcp_once(policy: Any, text: str, budget: float | None, db: Path) -> str:
    import anyio
    from mcp import Client

    from brandrail.gate import Gate
    from brandrail.integrations.mcp import build_server

    pool = _pool(budget)
    extra = {"checks": pool} if pool is not None else {}
    server = build_server(policy, Gate(policy, store=f"sqlite:///{db}"), **extra)

    async def go() -> str:
        async with Client(server) as client:
            result = await client.call_tool("check", {"text": text, "channel": "chat"})
            data = result.structured_content or {}
            codes = sorted({f["code"] for f in data.get("findings", [])})
            return f"passed={data.get('passed')} codes={','.join(codes)}"

    try:
        return anyio.run(go)
    finally:
        if pool is not None:
            pool.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=None, help="CPU seconds (default: no budget)")
    parser.add_argument("--size", type=int, default=1_000_000, help="characters of hostile text")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", choices=("proxy", "mcp"), default=None)
    args = parser.parse_args()
    from brandrail.policy import loads_policy

    policy = loads_policy(POLICY, name="bench.yaml")
    text = ("fr33 " * (args.size // 5 + 1))[: args.size]
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}, "
        f"{args.size:,} characters, budget {args.budget if args.budget is not None else 'none'}"
    )
    for name, once in (("proxy", _proxy_once), ("mcp", _mcp_once)):
        if args.only not in (None, name):
            continue
        walls, cpus, answers = [], [], []
        for i in range(args.runs):
            with tempfile.TemporaryDirectory() as tmp:
                cpu, wall = _cpu(), time.monotonic()
                answers.append(once(policy, text, args.budget, Path(tmp) / f"gate{i}.db"))
                walls.append(time.monotonic() - wall)
                cpus.append(_cpu() - cpu)
        print(
            f"{name}: wall median {statistics.median(walls):.2f} s, CPU median {statistics.median(cpus):.2f} s "
            f"(runs {', '.join(f'{c:.1f}' for c in cpus)}), load {os.getloadavg()[0]:.2f}; answer {answers[-1]}"
        )


if __name__ == "__main__":
    main()
