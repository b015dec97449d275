"""Uvicorn's h11 protocol with a header read timeout.

Uvicorn closes idle keep-alive connections, but a client that sends part of a request line or headers and then
stalls keeps its connection (and a file descriptor) forever — a slowloris. This protocol gives every request
``BRANDRAIL_HEADER_TIMEOUT_S`` seconds (default 10; ``brandrail serve --header-timeout``) from the connection
opening, or from the previous response, to deliver its complete headers; after that it answers 408
(problem+json) and closes the connection. Body read timeouts are in :mod:`brandrail.service.limits`.
"""

from __future__ import annotations

import asyncio
import json
import os
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = ["ENV", "HeaderTimeoutProtocol"]

ENV = "BRANDRAIL_HEADER_TIMEOUT_S"
DEFAULT_S = 10.0


def _timeout() -> float:
    try:
        value = float(os.environ.get(ENV, DEFAULT_S))
    except ValueError:
        return DEFAULT_S
    return value if value > 0 else DEFAULT_S


class HeaderTimeoutProtocol(H11Protocol):
    """:class:`H11Protocol` that answers 408 and closes when a request's headers take too long to arrive."""

    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_header_timer()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:  # the request line and headers are complete
            self._cancel_header_timer()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
            self._arm_header_timer()  # the next request on this connection gets the same time

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_header_timer()
        super().connection_lost(exc)

    def _arm_header_timer(self) -> None:
        self._cancel_header_timer()
        self._header_timer = self.loop.call_later(_timeout(), self._header_timeout)

    def _cancel_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _header_timeout(self) -> None:
        self._header_timer = None
        if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
            return
        if self.cycle is not None and not self.cycle.response_complete:
            return
        body = json.dumps(
            {
                "type": "https://github.com/brandrail/brandrail/blob/main/docs/server.md#request-timeout",
                "title": "Request timeout",
                "status": 408,
                "detail": f"the request headers did not arrive within {_timeout():g} s",
            }
        ).encode()
        head = (
            "HTTP/1.1 408 Request Timeout\r\ncontent-type: application/problem+json\r\n"
            f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
        ).encode()
        self.transport.write(head + body)
        self.transport.close()


def uvicorn_options(header_timeout_s: float) -> dict[str, Any]:
    """The ``uvicorn.run`` options that install this protocol (workers inherit the timeout through the env)."""
    os.environ[ENV] = str(header_timeout_s)
    return {"http": HeaderTimeoutProtocol}
