"""Helpers for the integration tests (a unique module name: the test tree has no __init__ files)."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

POLICY = """\
version: 1
brand:
  name: Fernhill Outdoor
terms:
  banned:
    - term: cheap
      replacement: affordable
      inflections: true
    - term: rubbish
channels:
  chat:
    kind: chat
    max_length: 2000
gate:
  content_checks: true
  budget:
    max_per_action: 50
    campaign_daily_cap: 100
  approvals:
    spend_over: 30
integrations:
  upstream:
    base_url: http://upstream.invalid/v1
    api_key_env: BRANDRAIL_TEST_UPSTREAM_KEY
    timeout: 2
  principal:
    id: support-proxy
  default_route: support
  routes:
    support:
      channel: chat
      brand: Fernhill
      models: ["fake-*"]
      on_violation: reask
      max_attempts: 3
      fallback: "Sorry, let me get a colleague to help you with that."
    fixing:
      channel: chat
      on_violation: fix
    passing:
      channel: chat
      on_violation: pass
    strict:
      channel: chat
      on_violation: fallback
    buffered:
      channel: chat
      stream: buffer
  tools:
    issue_refund:
      action: spend
      args:
        campaign: order
        amount: amount
      set:
        description: refund
    send_note:
      action: reply_customer
      args:
        conversation: ticket
        content: text
    lookup_order:
      action: none
"""


def chat_body(
    text: str = "Are your tents any good?", *, model: str = "fake-model", **extra: Any
) -> dict[str, Any]:
    return {"model": model, "messages": [{"role": "user", "content": text}], **extra}


def sse_events(text: str) -> list[Any]:
    """The JSON events of an SSE body ("[DONE]" kept as a string)."""
    out: list[Any] = []
    for line in text.splitlines():
        if line.startswith("data:"):
            data = line[5:].strip()
            out.append(data if data == "[DONE]" else json.loads(data))
    return out


def streamed_text(events: list[Any]) -> str:
    parts = []
    for e in events:
        if isinstance(e, dict) and e.get("choices"):
            parts.append(e["choices"][0]["delta"].get("content") or "")
    return "".join(parts)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(app: Any, *, lifespan: str = "off") -> Iterator[str]:
    """Run an ASGI app with uvicorn on 127.0.0.1 and an ephemeral port; yields its base URL."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan=lifespan)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(5)


def exchanges(gate: Any) -> list[dict[str, Any]]:
    return [json.loads(e.payload_json) for e in gate.store.ledger.entries(kind="exchange")]
