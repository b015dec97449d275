"""The client's address behind trusted reverse proxies (``brandrail serve --trusted-proxy``).

A request's client address is the address that connected, unless that address is one of the configured
trusted proxies: then ``X-Forwarded-For`` is read from its right-hand end (each proxy appends the address it
saw), skipping the trusted proxies, and the first address that is not one of them is the client. An entry that
is not an IP address ends the walk at the last trusted hop (nothing a client wrote can become its address),
and ``X-Forwarded-Proto`` (``http`` or ``https``) from a trusted proxy gives the scheme (so the console's
cookie is ``__Host-`` and ``Secure`` behind a TLS-terminating proxy). From any other address both headers are
ignored. With no trusted proxy (the default) nobody's headers are believed — Uvicorn's own forwarded-header
handling (``FORWARDED_ALLOW_IPS``, which trusts 127.0.0.1 by default) is switched off by ``brandrail serve``.
The rate limits, the console's sign-in limit and every log line see the address this gives.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any

from brandrail.errors import UsageError

__all__ = ["TrustedProxyMiddleware", "parse_trusted_proxies"]

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_trusted_proxies(values: Iterable[str], *, where: str = "--trusted-proxy") -> tuple[str, ...]:
    """The trusted proxies as normalised networks (``10.0.0.5`` → ``10.0.0.5/32``); a UsageError names a
    value that is not an IP address or network. ``*`` and host names are refused: only addresses are trusted."""
    out: list[str] = []
    for value in values:
        text = value.strip()
        try:
            network = ipaddress.ip_network(text, strict=False)
        except ValueError:
            raise UsageError(
                f"{where} {value!r} is not an IP address or network",
                hint="give the proxy's address (e.g. 10.0.0.5) or its network (e.g. 10.0.0.0/24); repeat the "
                "option for more (a host name or * is not accepted)",
            ) from None
        if network.prefixlen == 0:
            raise UsageError(
                f"{where} {value!r} trusts every address",
                hint="list only your proxies' addresses or networks: anyone else could then set their address",
            )
        out.append(str(network))
    return tuple(dict.fromkeys(out))


def _address(text: str) -> str | None:
    """An IP address from an ``X-Forwarded-For`` entry (``1.2.3.4``, ``1.2.3.4:5678``, ``[::1]:80``, ``::1``)."""
    text = text.strip()
    if text.startswith("["):
        text = text[1 : text.find("]")] if "]" in text else ""
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


class TrustedProxyMiddleware:
    """ASGI middleware: the client's address and scheme from a trusted proxy's forwarded headers (see above)."""

    def __init__(self, app: Any, *, trusted: Iterable[str]) -> None:
        self.app = app
        self.networks: tuple[_Network, ...] = tuple(ipaddress.ip_network(n) for n in trusted)

    def trusts(self, host: str | None) -> bool:
        if not host:
            return False
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        return any(address in network for network in self.networks)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] in ("http", "websocket") and self.networks:
            client = scope.get("client")
            if client and self.trusts(client[0]):
                self._rewrite(scope)
        await self.app(scope, receive, send)

    def _rewrite(self, scope: dict[str, Any]) -> None:
        forwarded: list[str] = []
        proto: str | None = None
        for name, value in scope.get("headers", ()):
            if name == b"x-forwarded-for":
                forwarded.extend(value.decode("latin-1").split(","))
            elif name == b"x-forwarded-proto":
                proto = value.decode("latin-1").split(",")[-1].strip().lower()  # the nearest proxy's word
        if proto in ("http", "https"):
            scope["scheme"] = proto if scope["type"] == "http" else proto.replace("http", "ws")
        host: str | None = None
        for entry in reversed(forwarded[-64:]):  # the nearest hops; a longer chain is someone's padding
            address = _address(entry)
            if address is None:
                break
            host = address
            if not self.trusts(address):
                break
        if host is not None:
            scope["client"] = (host, 0)
