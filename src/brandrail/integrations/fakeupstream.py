"""A scripted OpenAI-compatible upstream, for the demo, the tests and the benchmarks (no network, no model).

>>> upstream = FakeUpstream([FakeReply("Our cheap tents are great."), FakeReply("Our tents are good value.")])
>>> app = upstream.app   # an ASGI app: /v1/chat/completions (plain and streaming), /v1/models

Each request takes the next scripted reply (the last one repeats). A reply can be text, tool calls, an HTTP
error, a malformed body, a delay before answering, and, when streamed, explicit chunks, a delay between
them, a stall mid-stream and a malformed event. Every request is kept in :attr:`FakeUpstream.requests`
(body and headers) for assertions.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

__all__ = ["FakeReply", "FakeUpstream", "tool_call"]


@dataclass
class FakeReply:
    """One scripted answer. ``chunks`` (streaming) default to ``content`` cut every ``chunk_size`` characters."""

    content: str = ""
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    status: int = 200
    body: str | None = None  # a raw body instead of a completion (malformed JSON, HTML error pages, ...)
    delay: float = 0.0
    chunks: list[str] | None = None
    chunk_size: int = 8
    chunk_delay: float = 0.0
    stream_break: bool = False  # streaming: emit a malformed chunk after the text
    stall_after: int | None = None  # streaming: after this many chunks, wait ``stall`` seconds
    stall: float = 0.0

    def pieces(self) -> list[str]:
        if self.chunks is not None:
            return list(self.chunks)
        size = max(1, self.chunk_size)
        return [self.content[i : i + size] for i in range(0, len(self.content), size)]


def tool_call(name: str, arguments: dict[str, Any], call_id: str = "call_1") -> dict[str, Any]:
    """A tool call in OpenAI form."""
    return {"id": call_id, "type": "function", "function": {"name": name, "arguments": json.dumps(arguments)}}


class FakeUpstream:
    """The scripted upstream; :attr:`app` is the ASGI app, :attr:`requests` what it received."""

    def __init__(self, replies: Sequence[FakeReply | str] = (), *, model: str = "fake-model") -> None:
        self.replies: list[FakeReply] = [r if isinstance(r, FakeReply) else FakeReply(r) for r in replies]
        self.model = model
        self.requests: list[dict[str, Any]] = []
        self.cancelled = 0  # streams the client closed before the end
        self._next = 0
        self.app = Starlette(
            routes=[
                Route("/v1/chat/completions", self._chat, methods=["POST"]),
                Route("/v1/models", self._models, methods=["GET"]),
            ]
        )

    def script(self, replies: Sequence[FakeReply | str]) -> None:
        """Replace the script (and start from its first reply)."""
        self.replies = [r if isinstance(r, FakeReply) else FakeReply(r) for r in replies]
        self._next = 0

    def _take(self) -> FakeReply:
        if not self.replies:
            return FakeReply("Hello from the fake upstream.")
        reply = self.replies[min(self._next, len(self.replies) - 1)]
        self._next += 1
        return reply

    async def _models(self, request: Request) -> Response:
        return JSONResponse(
            {"object": "list", "data": [{"id": self.model, "object": "model", "owned_by": "fake"}]}
        )

    def completion(self, reply: FakeReply, model: str) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": reply.content or None}
        if reply.tool_calls:
            message["tool_calls"] = reply.tool_calls
        return {
            "id": f"chatcmpl-fake-{self._next}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": message,
                    "finish_reason": "tool_calls" if reply.tool_calls else "stop",
                }
            ],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }

    async def _chat(self, request: Request) -> Response:
        raw = await request.body()
        try:
            body = json.loads(raw)
        except json.JSONDecodeError:
            body = {"_raw": raw.decode("utf-8", "replace")}
        self.requests.append({"body": body, "headers": dict(request.headers)})
        reply = self._take()
        if reply.delay:
            await asyncio.sleep(reply.delay)
        if reply.body is not None or reply.status != 200:
            return Response(
                reply.body
                if reply.body is not None
                else json.dumps({"error": {"message": "scripted error"}}),
                status_code=reply.status,
                media_type="application/json",
            )
        model = str(body.get("model", self.model))
        if not body.get("stream"):
            return JSONResponse(self.completion(reply, model))
        return StreamingResponse(self._stream(reply, model), media_type="text/event-stream")

    async def _stream(self, reply: FakeReply, model: str) -> AsyncIterator[str]:
        base = {
            "id": f"chatcmpl-fake-{self._next}",
            "object": "chat.completion.chunk",
            "created": 0,
            "model": model,
        }

        def event(delta: dict[str, Any], finish: str | None = None) -> str:
            chunk = {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
            return f"data: {json.dumps(chunk)}\n\n"

        try:
            yield event({"role": "assistant", "content": ""})
            for i, piece in enumerate(reply.pieces()):
                if reply.chunk_delay:
                    await asyncio.sleep(reply.chunk_delay)
                if reply.stall_after is not None and i == reply.stall_after:
                    await asyncio.sleep(reply.stall)
                yield event({"content": piece})
            if reply.stream_break:
                yield "data: {not json\n\n"
                return
            for i, call in enumerate(reply.tool_calls):
                yield event({"tool_calls": [{"index": i, **call}]})
            yield event({}, "tool_calls" if reply.tool_calls else "stop")
            yield "data: [DONE]\n\n"
        except (asyncio.CancelledError, GeneratorExit):
            self.cancelled += 1
            raise
