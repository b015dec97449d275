"""Benchmark the integrations: proxy overhead, time to first released token, gateway overhead per tool call.

1. Proxy overhead per non-streaming reply: requests through the proxy to the fake upstream (answers at once)
   vs. the same requests straight to the fake upstream; both in process over httpx's ASGI transport, so the
   difference is the proxy's own work (parse, route, check the reply, record the exchange in the SQLite
   ledger). No voice scoring in the policy.
2. Time to first released token when streaming: the proxy and the fake upstream served by uvicorn on
   127.0.0.1 (threads of this process); time from sending the request to the first content chunk, through
   the proxy vs. direct, with the upstream's chunks sent at once and 10 ms apart.
3. Gateway overhead per tool call: an MCP client calling a tool through the gateway (mapped to a ``spend``
   action: a gate decision, an outcome report and an exchange entry on SQLite) vs. calling the same
   in-process MCP server directly.
4. Judging a long streamed reply (``--stream-cost``): CPU time of the proxy's sentence-by-sentence judge for
   replies of 100 to 1,000 sentences fed in 40-character chunks, this tree beside ``--baseline-tree`` (each in
   a fresh process). Before sentences were judged in groups, this grew with the square of the reply.

Run: .venv/bin/python bench/bench_integrations.py [--quick]. Databases go under bench/out/integrations/.
Each figure is the median over ``--runs`` runs (default 3) of the per-run p50/p99.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import shutil
import socket
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "out" / "integrations"

POLICY = """\
version: 1
brand: {name: Fernhill Outdoor}
terms:
  banned:
    - {term: cheap, replacement: affordable}
    - term: rubbish
channels:
  chat: {kind: chat, max_length: 2000}
gate:
  durability: DURABILITY
  budget: {max_per_action: 100000, campaign_daily_cap: 100000000}
integrations:
  upstream: {base_url: "http://upstream.local/v1", api_key_env: null}
  default_route: support
  routes:
    support: {channel: chat, on_violation: reask, max_attempts: 3}
  tools:
    issue_refund:
      action: spend
      args: {campaign: order, amount: amount}
"""

REPLY = "Thanks for getting in touch. Our Ridgeline Tent has taped seams and stays dry in heavy rain. Anything else?"
BODY = {"model": "fake-model", "messages": [{"role": "user", "content": "Is the Ridgeline Tent waterproof?"}]}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def load() -> str:
    try:
        return " / ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def policy(durability: str) -> Any:
    from brandrail.policy import loads_policy

    return loads_policy(POLICY.replace("DURABILITY", durability), name="bench-policy.yaml")


def fresh_gate(pol: Any, name: str) -> Any:
    from brandrail.gate import Gate

    db = OUT / f"{name}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    return Gate(pol, store=f"sqlite:///{db}")


# -- 1. proxy overhead -------------------------------------------------------------------------------------


def proxy_overhead(n: int, durability: str, offload: bool = False) -> dict[str, float]:
    import anyio
    import httpx

    from brandrail.integrations.fakeupstream import FakeUpstream
    from brandrail.integrations.proxy import create_proxy_app

    pol = policy(durability)
    upstream = FakeUpstream([REPLY])
    app = create_proxy_app(
        pol,
        gate=fresh_gate(pol, f"proxy-{durability}"),
        transport=httpx.ASGITransport(app=upstream.app),
        offload=offload,
    )
    direct: list[float] = []
    through: list[float] = []

    async def go() -> None:
        async with (
            httpx.AsyncClient(transport=httpx.ASGITransport(app=upstream.app), base_url="http://u") as up,
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://p") as px,
        ):
            for _ in range(20):  # warm-up (rule compilation, connections)
                await up.post("/v1/chat/completions", json=BODY)
                await px.post("/v1/chat/completions", json=BODY)
            for _ in range(n):
                t0 = time.perf_counter()
                r = await up.post("/v1/chat/completions", json=BODY)
                direct.append((time.perf_counter() - t0) * 1000)
                assert r.status_code == 200
                t0 = time.perf_counter()
                r = await px.post("/v1/chat/completions", json=BODY)
                through.append((time.perf_counter() - t0) * 1000)
                assert r.json()["brandrail"]["verdict"] == "passed"

    anyio.run(go)
    return {
        "direct_p50": pct(direct, 0.5),
        "proxy_p50": pct(through, 0.5),
        "proxy_p99": pct(through, 0.99),
        "overhead_p50": pct(through, 0.5) - pct(direct, 0.5),
        "overhead_p99": pct(through, 0.99) - pct(direct, 0.99),
    }


# -- 2. time to first released token ----------------------------------------------------------------------


def _serve(app: Any) -> tuple[str, Any, threading.Thread]:
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    return f"http://127.0.0.1:{port}", server, thread


def first_token(n: int, chunk_delay: float) -> dict[str, float]:
    import httpx

    from brandrail.integrations.fakeupstream import FakeReply, FakeUpstream
    from brandrail.integrations.proxy import create_proxy_app

    pol = policy("fast")
    upstream = FakeUpstream([FakeReply(REPLY, chunk_size=4, chunk_delay=chunk_delay)])
    up_url, up_server, up_thread = _serve(upstream.app)
    app = create_proxy_app(pol, gate=fresh_gate(pol, "stream"), upstream_url=up_url + "/v1")
    px_url, px_server, px_thread = _serve(app)
    times: dict[str, list[float]] = {"direct": [], "proxy": []}
    try:
        with httpx.Client(timeout=30) as client:
            for i in range(n + 5):
                for label, url in (("direct", up_url), ("proxy", px_url)):
                    t0 = time.perf_counter()
                    first = None
                    with client.stream(
                        "POST", url + "/v1/chat/completions", json={**BODY, "stream": True}
                    ) as r:
                        for line in r.iter_lines():
                            if first is None and '"content": "' in line and '"content": ""' not in line:
                                first = (time.perf_counter() - t0) * 1000
                    if i >= 5 and first is not None:  # the first 5 are warm-up
                        times[label].append(first)
    finally:
        for server, thread in ((px_server, px_thread), (up_server, up_thread)):
            server.should_exit = True
            thread.join(5)
    return {
        "direct_p50": pct(times["direct"], 0.5),
        "proxy_p50": pct(times["proxy"], 0.5),
        "proxy_p99": pct(times["proxy"], 0.99),
    }


# -- 3. gateway overhead ----------------------------------------------------------------------------------


def gateway_overhead(n: int, durability: str) -> dict[str, float]:
    import anyio
    from mcp import Client
    from mcp.server.mcpserver import MCPServer

    from brandrail.integrations.mcp import build_gateway

    shop = MCPServer("shop")

    @shop.tool()
    def issue_refund(order: str, amount: str) -> str:
        return "ok"

    pol = policy(durability)
    gateway = build_gateway(pol, fresh_gate(pol, f"gateway-{durability}"), shop)
    direct: list[float] = []
    through: list[float] = []

    async def go() -> None:
        async with Client(shop) as d, Client(gateway) as g:
            for i in range(20):
                await d.call_tool("issue_refund", {"order": f"w{i}", "amount": "1.00"})
                await g.call_tool("issue_refund", {"order": f"w{i}", "amount": "1.00"})
            # two phases (not interleaved): the gateway's outcome reports run after each answer and would
            # otherwise be charged to the direct calls
            for i in range(n):
                t0 = time.perf_counter()
                await d.call_tool("issue_refund", {"order": f"o{i % 50}", "amount": "1.00"})
                direct.append((time.perf_counter() - t0) * 1000)
            for i in range(n):
                t0 = time.perf_counter()
                result = await g.call_tool("issue_refund", {"order": f"o{i % 50}", "amount": "1.00"})
                through.append((time.perf_counter() - t0) * 1000)
                assert not result.is_error

    anyio.run(go)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    return {
        "direct_p50": pct(direct, 0.5),
        "gateway_p50": pct(through, 0.5),
        "gateway_p99": pct(through, 0.99),
        "overhead_p50": pct(through, 0.5) - pct(direct, 0.5),
        "overhead_p99": pct(through, 0.99) - pct(direct, 0.99),
    }


def median_of(runs: list[dict[str, float]]) -> dict[str, float]:
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


STREAM_COST = """
import sys, tempfile, time
sys.path.insert(0, sys.argv[1])
from brandrail.gate import Gate
from brandrail.integrations import proxy
from brandrail.integrations.common import ReplyGuard
from brandrail.policy import loads_policy
policy = loads_policy(
    "integrations:\\n  routes:\\n    r: {channel: chat, on_violation: fallback}\\n"
    "channels:\\n  chat: {kind: chat}\\nterms:\\n  banned:\\n    - {term: cheap}\\n"
)
guard = ReplyGuard(policy, Gate(policy, store=f"sqlite:///{tempfile.mkdtemp()}/g.db"), surface="bench")
sentence = "Our tents are light and warm, and the team packs every order with care. "
for n in (100, 400, 1000):
    reply = sentence * n
    best = None
    for _ in range(3):
        judge = proxy._StreamJudge(guard, policy.integrations.routes["r"], None)
        start = time.process_time()
        out = []
        for k in range(0, len(reply), 40):
            out += judge.feed(reply[k : k + 40])
        out += judge.feed("", final=True)
        took = time.process_time() - start
        assert "".join(out) == reply
        best = took if best is None else min(best, took)
    print(n, len(reply), best)
"""


def stream_cost(baseline: Path | None) -> None:
    """Section 4: the judge's CPU time for long streamed replies, this tree and ``baseline``."""
    import subprocess

    trees = [("this tree", Path(__file__).resolve().parent.parent)]
    if baseline is not None:
        trees.append(("baseline", baseline))
    rows: dict[int, list[str]] = {}
    sizes: dict[int, int] = {}
    for _label, tree in trees:
        done = subprocess.run(
            [sys.executable, "-c", STREAM_COST, str(tree / "src")], check=True, capture_output=True, text=True
        )
        for line in done.stdout.split("\n"):
            if line.strip():
                n, size, cpu = line.split()
                sizes[int(n)] = int(size)
                rows.setdefault(int(n), []).append(f"{float(cpu):.2f}")
    print(
        "\n| streamed reply | " + " | ".join(f"{label}: judge CPU s (best of 3)" for label, _ in trees) + " |"
    )
    print("|---" * (len(trees) + 1) + "|")
    for n, cells in rows.items():
        print(f"| {n:,} sentences, {sizes[n] / 1000:.0f} KB | " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--stream-cost", action="store_true", help="only section 4: judging long streamed replies"
    )
    parser.add_argument(
        "--baseline-tree", type=Path, help="with --stream-cost: another checkout beside this one"
    )
    args = parser.parse_args()
    if args.stream_cost:
        stream_cost(args.baseline_tree)
        return
    logging.getLogger("httpx").setLevel(logging.WARNING)  # the MCP SDK sets up INFO logging
    n = 100 if args.quick else 400
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"load average before: {load()}")
    print(
        "\n| benchmark | n × runs | direct p50 ms | through p50 ms | through p99 ms | overhead p50 ms | overhead p99 ms |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for durability, offload in (("strict", False), ("fast", False), ("fast", True)):
        r = median_of([proxy_overhead(n, durability, offload) for _ in range(args.runs)])
        label = f"{durability}{', offload=True' if offload else ''}"
        print(
            f"| proxy, non-streaming reply, SQLite ledger ({label}) | {n} × {args.runs} | {r['direct_p50']:.2f} | "
            f"{r['proxy_p50']:.2f} | {r['proxy_p99']:.2f} | {r['overhead_p50']:.2f} | {r['overhead_p99']:.2f} |"
        )
    for durability in ("strict", "fast"):
        r = median_of([gateway_overhead(n, durability) for _ in range(args.runs)])
        print(
            f"| MCP gateway, tool call → spend decision, SQLite ({durability}) | {n} × {args.runs} | "
            f"{r['direct_p50']:.2f} | {r['gateway_p50']:.2f} | {r['gateway_p99']:.2f} | {r['overhead_p50']:.2f} | "
            f"{r['overhead_p99']:.2f} |"
        )
    m = max(20, n // 10)
    print(
        "\n| streaming: time to first released token | n × runs | direct p50 ms | proxy p50 ms | proxy p99 ms |"
    )
    print("|---|---:|---:|---:|---:|")
    for delay in (0.0, 0.01):
        r = median_of([first_token(m, delay) for _ in range(args.runs)])
        print(
            f"| upstream chunks of 4 chars, {delay * 1000:g} ms apart | {m} × {args.runs} | {r['direct_p50']:.2f} | "
            f"{r['proxy_p50']:.2f} | {r['proxy_p99']:.2f} |"
        )
    print(f"\nload average after: {load()}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
