"""JSON request bodies, read strictly: the right ``Content-Type`` (else 415), and one meaning per document.

Every route of the service is a :class:`JsonRoute`. A route whose body is a request model answers a body that
is not ``application/json`` (or ``application/*+json``) with 415, and a body that is not strict JSON
(:mod:`brandrail._json`: not UTF-8, a key named twice, ``NaN``/``Infinity``, a number of over 100 characters
or one that overflows, nesting too deep for the parser) with a 422 that says what and where — before the model
sees it, so the model never reads a value another reader of the same bytes would read differently. A route
that reads its body itself (``/v1/gate/decide``: the gate parses, and turns anything malformed into a deny
decision in the ledger) is held only to the ``Content-Type``: it may be left out, but not name something
else. Form routes (the console) are left as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import params
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

from brandrail._json import StrictJsonError, strict_loads
from brandrail.service.problems import ProblemError

__all__ = ["JsonRoute", "is_json_media_type"]


def is_json_media_type(content_type: str) -> bool:
    """Whether a ``Content-Type`` value names JSON (``application/json`` or ``application/<x>+json``)."""
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


def _unsupported(content_type: str | None) -> ProblemError:
    given = f"Content-Type {content_type[:100]!r}" if content_type else "no Content-Type"
    return ProblemError(
        415,
        f"the request body must be JSON; it came with {given}",
        slug="unsupported-media-type",
        hint="send the body with 'Content-Type: application/json'",
    )


class JsonRoute(APIRoute):
    """An :class:`~fastapi.routing.APIRoute` that holds JSON bodies to the rules of the module docstring."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        field = self.body_field
        if field is not None and isinstance(field.field_info, params.Form):
            return handler
        reads_raw = field is None and "requestBody" in (self.openapi_extra or {})
        if field is None and not reads_raw:
            return handler

        async def strict(request: Request) -> Response:
            body = await request.body()  # kept by the request: the handler reads the same bytes
            content_type = request.headers.get("content-type")
            json_type = content_type is not None and is_json_media_type(content_type)
            if (body or content_type) and not json_type and (content_type is not None or not reads_raw):
                raise _unsupported(content_type)
            if body and not reads_raw:
                try:
                    strict_loads(body)
                except StrictJsonError as exc:
                    where = f"body:{exc.line}:{exc.column}" if exc.line is not None else "body"
                    raise ProblemError(
                        422,
                        f"the body is not valid JSON: {exc}",
                        slug="invalid-json",
                        location=where,
                        hint="send one JSON document in UTF-8, each key once per object, finite numbers",
                        errors=[{"field": "(body)", "message": exc.msg, "type": "json_invalid"}],
                    ) from None
            return await handler(request)

        return strict
