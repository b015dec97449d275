"""One error shape for every response that is not a success: RFC 9457 problem details (``application/problem+json``).

Every problem has ``type`` (a stable URI of this project's docs), ``title``, ``status``, ``detail`` and, where it
helps, ``code`` (a brandrail error code), ``location``, ``hint`` or ``errors`` (field paths of a 422). Internal
errors never show their message: a 500 says only that the server failed, with a request id to find it in the log.
Neither does a failure of the database (a :class:`~brandrail.errors.LedgerError`, or any error a database
driver raised, however it was wrapped): that is a 503 with a request id, never the driver's text — which can
hold SQL, a database URL or the values of a row.
"""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["PROBLEM_RESPONSES", "ProblemError", "ProblemModel", "install_handlers", "problem_response"]

log = logging.getLogger("brandrail.service")

_TYPES = "https://github.com/brandrail/brandrail/blob/main/docs/server.md#"
_TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    408: "Request timeout",
    409: "Conflict",
    413: "Content too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    429: "Too many requests",
    500: "Internal server error",
    503: "Service unavailable",
}


#: Pydantic error types of a value over a size limit (a per-field limit: 413, not 422).
_SIZE_ERRORS = frozenset({"string_too_long", "too_long", "bytes_too_long"})


class ProblemModel(BaseModel):
    """RFC 9457 problem details."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    code: str | None = None
    hint: str | None = None
    location: str | None = None
    errors: list[dict[str, Any]] | None = None
    request_id: str | None = None


#: ``responses=`` for every route: what each error status returns, documented in OpenAPI.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ProblemModel, "description": title, "content": {"application/problem+json": {}}}
    for status, title in _TITLES.items()
    if status in (400, 401, 403, 413, 415, 422, 429, 500, 503)
}


class ProblemError(Exception):
    """Raise to answer with a problem."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        slug: str | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.slug = slug or _TITLES.get(status, "error").lower().replace(" ", "-")
        self.headers = headers or {}
        self.extra = {k: v for k, v in extra.items() if v is not None}


#: Longest text member of a problem: a message quoting what the client sent (an unknown channel, a key)
#: quotes the start of it, not a megabyte of it.
MAX_PROBLEM_TEXT = 1000


def _bounded(text: str) -> str:
    if len(text) <= MAX_PROBLEM_TEXT:
        return text
    return f"{text[: MAX_PROBLEM_TEXT - 40]}… ({len(text):,} characters in all)"


def problem_response(
    status: int, detail: str, *, slug: str | None = None, headers: dict[str, str] | None = None, **extra: Any
) -> Any:
    from fastapi.responses import JSONResponse

    body = {
        "type": _TYPES + (slug or _TITLES.get(status, "error").lower().replace(" ", "-")),
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "detail": _bounded(detail),
        **{k: _bounded(v) if isinstance(v, str) else v for k, v in extra.items() if v is not None},
    }
    return JSONResponse(body, status_code=status, media_type="application/problem+json", headers=headers)


def install_handlers(app: FastAPI) -> None:
    """Answer every error (ours, FastAPI's, Starlette's, and unexpected ones) as a problem."""
    from fastapi import Request
    from fastapi.exceptions import RequestValidationError
    from starlette.exceptions import HTTPException as StarletteHTTPException
    from starlette.requests import ClientDisconnect

    from brandrail.errors import BrandrailError

    @app.exception_handler(ProblemError)
    async def _problem(_: Request, exc: ProblemError) -> Any:
        return problem_response(exc.status, exc.detail, slug=exc.slug, headers=exc.headers, **exc.extra)

    @app.exception_handler(BrandrailError)
    async def _user_error(request: Request, exc: BrandrailError) -> Any:
        if _database_fault(exc):
            return _unavailable(request, exc)
        return problem_response(
            400,
            exc.message,
            slug="user-error",
            code=exc.code,
            location=str(exc.location) if exc.location else None,
            hint=exc.hint,
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> Any:
        errors = [
            {
                "field": ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "(body)",
                "message": str(err.get("msg", "")),
                "type": str(err.get("type", "")),
            }
            for err in exc.errors()
        ]
        first = errors[0] if errors else {"field": "(body)", "message": "invalid"}
        if errors and all(e["type"] in _SIZE_ERRORS for e in errors):  # well-formed, only too big: 413
            return problem_response(
                413, f"{first['field']}: {first['message']}", slug="content-too-large", errors=errors
            )
        return problem_response(
            422, f"{first['field']}: {first['message']}", slug="invalid-request", errors=errors
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> Any:
        return problem_response(exc.status_code, str(exc.detail), headers=getattr(exc, "headers", None))

    @app.exception_handler(ClientDisconnect)
    async def _gone(_: Request, exc: ClientDisconnect) -> Any:
        log.info("client disconnected while its request was read")
        return problem_response(
            400, "the client disconnected while the request was read", slug="client-disconnect"
        )

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> Any:
        if _database_fault(exc):
            return _unavailable(request, exc)
        request_id = uuid.uuid4().hex[:12]
        log.exception("internal error %s on %s %s", request_id, request.method, request.url.path)
        return problem_response(
            500,
            "the server could not complete the request; the log has the details under this request id",
            slug="internal-error",
            request_id=request_id,
        )


_DRIVER_MODULES = frozenset({"sqlite3", "psycopg", "psycopg2", "psycopg_pool", "sqlalchemy", "pymysql"})


def _database_fault(exc: BaseException) -> bool:
    """Whether ``exc`` is the database failing: a LedgerError, or a driver's error anywhere in its chain
    (``raise … from None`` hides the cause from tracebacks but keeps it as ``__context__``)."""
    from brandrail.errors import LedgerError

    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, LedgerError):
            return True
        if type(current).__module__.split(".")[0] in _DRIVER_MODULES:
            return True
        current = current.__cause__ or current.__context__
    return False


def _unavailable(request: Any, exc: BaseException) -> Any:
    request_id = uuid.uuid4().hex[:12]
    log.error("database error %s on %s %s", request_id, request.method, request.url.path, exc_info=exc)
    return problem_response(
        503,
        "the gate database could not complete the request; retry later. The log has the details under "
        "this request id",
        slug="database-unavailable",
        request_id=request_id,
    )
