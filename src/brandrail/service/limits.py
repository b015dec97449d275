"""Request limits: body size (413), body read timeout (408), and a per-principal rate limit (429).

The body limit is enforced twice: from ``Content-Length`` before anything is read, and while the body streams
in (a chunked or lying client is cut off at the limit). Per-field limits (text length, batch size, action size)
are in the request models and the gate's own limits.
"""

from __future__ import annotations

import json
import math
import threading
import time
from dataclasses import dataclass
from typing import Any

from starlette.exceptions import HTTPException

from brandrail.service.problems import ProblemError

__all__ = ["BodyLimitMiddleware", "Limits", "RateLimiter"]


@dataclass(frozen=True, slots=True)
class Limits:
    """The service's limits (``brandrail serve`` flags and docs/server.md)."""

    max_body_bytes: int = 2 * 1024 * 1024
    body_timeout_s: float = 15.0
    rate_per_s: float = 200.0  # requests per second per principal, per service process
    burst: int = 400


def _problem_bytes(status: int, detail: str, slug: str) -> bytes:
    from brandrail.service.problems import _TITLES, _TYPES

    body = {"type": _TYPES + slug, "title": _TITLES[status], "status": status, "detail": detail}
    return json.dumps(body).encode()


class BodyLimitMiddleware:
    """ASGI middleware: refuse bodies over ``max_bytes`` (413) and bodies that take too long to arrive (408)."""

    def __init__(self, app: Any, *, max_bytes: int, timeout_s: float) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout_s = timeout_s

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared < 0 or declared > self.max_bytes:
                    await self._reply(
                        send,
                        413,
                        f"the request body is over the limit of {self.max_bytes:,} bytes",
                        "content-too-large",
                    )
                    return
        seen = 0
        replied = False
        deadline: float | None = None  # the whole body must arrive by then, not each piece of it
        complete = False

        async def limited_receive() -> dict[str, Any]:
            nonlocal seen, deadline, complete
            import anyio

            if complete:  # the body is in: what follows (a disconnect) may take as long as it takes
                return dict(await receive())
            now = anyio.current_time()
            if deadline is None:
                deadline = now + self.timeout_s
            try:
                with anyio.fail_after(max(deadline - now, 0.0)):
                    message: dict[str, Any] = await receive()
            except TimeoutError:
                raise _AbortError(
                    408, f"the request body did not arrive within {self.timeout_s:g} s", "request-timeout"
                ) from None
            if message["type"] == "http.request":
                complete = not message.get("more_body", False)
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _AbortError(
                        413,
                        f"the request body is over the limit of {self.max_bytes:,} bytes",
                        "content-too-large",
                    )
            return message

        async def tracking_send(message: dict[str, Any]) -> None:
            nonlocal replied
            if message["type"] == "http.response.start":
                replied = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _AbortError as abort:
            if not replied:
                await self._reply(send, abort.status, abort.detail, abort.slug)

    @staticmethod
    async def _reply(send: Any, status: int, detail: str, slug: str) -> None:
        body = _problem_bytes(status, detail, slug)
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/problem+json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class _AbortError(HTTPException):
    """Raised from ``receive``: an HTTPException, so FastAPI passes it through its body parsing unchanged."""

    def __init__(self, status: int, detail: str, slug: str) -> None:
        super().__init__(status_code=status, detail=detail)
        self.status, self.slug = status, slug


class RateLimiter:
    """A token bucket per principal: ``rate`` requests per second, bursts up to ``burst``."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.burst = burst
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str, now: float | None = None) -> None:
        """Spend one token for ``key`` or raise a 429 Problem with Retry-After."""
        self._spend(key, now, spend=True)

    def check(self, key: str, now: float | None = None) -> None:
        """Raise the 429 Problem ``take`` would, without spending a token (for limits on failures only: check
        before the attempt, ``take`` when it fails)."""
        self._spend(key, now, spend=False)

    def _spend(self, key: str, now: float | None, *, spend: bool) -> None:
        if self.rate <= 0:
            return
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.get(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            if tokens < 1.0:
                wait = math.ceil((1.0 - tokens) / self.rate)
                self._buckets[key] = (tokens, now)
                raise ProblemError(
                    429,
                    f"rate limit of {self.rate:g} requests/s for {key!r} reached; retry after {wait} s",
                    slug="rate-limited",
                    headers={"Retry-After": str(wait)},
                )
            if not spend:
                return
            self._buckets[key] = (tokens - 1.0, now)
            if len(self._buckets) > 100_000:  # forget idle principals rather than grow without bound
                cutoff = now - self.burst / self.rate
                self._buckets = {k: v for k, v in self._buckets.items() if v[1] >= cutoff}
