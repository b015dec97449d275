"""The HTTP service: the same core behind a small JSON API (FastAPI).

``brandrail serve --policy FILE`` runs it with Uvicorn. Endpoints (all JSON, ``schema_version`` 1):

* ``GET  /healthz``                   liveness, policy version
* ``GET  /v1/rules``                  every rule code
* ``POST /v1/check``                  ``{"text", "channel"?, "kind"?}`` → a Result
* ``POST /v1/check/batch``            ``{"messages": [{"id"?, "text", "channel"?, "kind"?}, ...]}`` → Results
* ``POST /v1/gate/decide``            an action (docs/gate-actions.schema.json) → a Decision
* ``POST /v1/gate/outcome``           ``{"decision_id", "executed"}``

More (docs/server.md): approvals (``/v1/approvals…``), decisions and the ledger (``/v1/decisions``,
``/v1/ledger/verify``), keys and policy reload (``/v1/admin/…``), ``/metrics``, ``/readyz``, the reviewer
console (``/console``) and the offline API docs (``/docs``).

Every endpoint but ``/healthz`` and ``/readyz`` needs credentials (an API key, or a JWT verified against a
JWKS file) and a role: agent, executor, reviewer, auditor or admin. Every error is RFC 9457 problem+json. The
gate fails closed: an error while deciding is a deny, never an allow; every decision and approval records the
principal that made it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, TypeVar

from brandrail._extras import require as _require

_require("server", "fastapi", "uvicorn")

import contextlib
import json
import logging
import os
import signal
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator

from brandrail.check_budget import (
    ChecksBusyError,
    OverBudget,
    RequestBudget,
    checks_within,
    over_budget_result,
)
from brandrail.gate.principal import Principal, Role
from brandrail.policy import Policy
from brandrail.service.auth import Authenticator, JwksVerifier
from brandrail.service.bodies import JsonRoute
from brandrail.service.limits import BodyLimitMiddleware, Limits, RateLimiter
from brandrail.service.problems import PROBLEM_RESPONSES, ProblemError, install_handlers

__all__ = ["MAX_TEXT_CHARS", "ServiceConfig", "app_from_env", "create_app"]

log = logging.getLogger("brandrail.service")
_T = TypeVar("_T")

#: Largest text accepted in one message (characters).
MAX_TEXT_CHARS = 1_000_000
MAX_BATCH = 1_000
#: Conversation turns over all the messages of one batch: each may be read by the learned state reading.
MAX_BATCH_TURNS = 1_000


class MessageMetadata(BaseModel):
    """Message metadata (see :mod:`brandrail.text.meta`); keys the policy's disclosures use are allowed."""

    model_config = ConfigDict(extra="allow", strict=True)

    subject: str | None = Field(default=None, max_length=10_000)
    preheader: str | None = Field(default=None, max_length=10_000)
    sender: str | None = Field(default=None, max_length=200)
    sponsored: bool | None = None
    ai_generated: bool | None = None
    has_offer: bool | None = None
    marketing: bool | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.model_dump().items() if v is not None}


class CheckRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=MAX_TEXT_CHARS)
    channel: str | None = Field(default=None, max_length=200)
    kind: Literal["text", "markdown", "html"] = "text"
    id: str | None = Field(default=None, max_length=200)
    metadata: MessageMetadata | None = Field(
        default=None, description="What is known about the message besides its text (docs/content.md)."
    )
    conversation: list[dict[str, Any]] | None = Field(
        default=None,
        max_length=200,
        description='The turns before `text` when it is a reply: [{"role": "customer", "text": ...}, ...].',
    )

    @field_validator("conversation")
    @classmethod
    def _conversation(cls, value: list[dict[str, Any]] | None) -> list[dict[str, Any]] | None:
        if value is not None:
            from brandrail.text.conversation import model_check

            model_check(value)
        return value


class BatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    messages: list[CheckRequest] = Field(max_length=MAX_BATCH)


class AnswerRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(
        min_length=3, max_length=2000, description="Why: recorded in the ledger with the answer."
    )

    @field_validator("reason")
    @classmethod
    def _reason(cls, value: str) -> str:
        value = value.strip()
        if len(value) < 3:  # blanks are no reason (the console strips them too)
            raise ValueError("give a reason of at least 3 characters besides blanks")
        return value


class LiftRequest(AnswerRequest):
    cover_for: str = Field(
        default="24h",
        max_length=20,
        description="How long the flagged results the taint names stop tainting the caller when sent again "
        "(a chat resends its history): 30s, 90m, 24h, 7d, 2w; 0s: not at all.",
    )

    covers: list[str] | None = Field(
        default=None,
        max_length=64,
        description="The digests of the results the reviewer looked at (by.results), and of the chats' marks "
        "(by.chains: every result of a chat up to the mark); only these are covered. "
        "Default: every result and mark the caller's rows name. Without seen, name every result the rows name.",
    )

    seen: str | None = Field(
        default=None,
        max_length=40,
        description="The view of the caller's taint the reviewer looked at (the row's view, tv:…, as "
        "GET /v1/gate/taints shows it): the lift is refused (409) if anything was written since.",
    )

    @field_validator("cover_for")
    @classmethod
    def _cover_for(cls, value: str) -> str:
        from brandrail.policy.sections.gate import parse_duration

        parse_duration(value)  # a ValueError names the forms it takes
        return value


class KeyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    principal: str = Field(min_length=1, max_length=200)
    roles: list[Role] = Field(min_length=1, max_length=5)
    expires_in_days: int | None = Field(default=None, ge=1, le=3650)
    note: str = Field(default="", max_length=500)


class EndSessionsRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    all: bool = Field(
        default=False, description="End every console session (give this, or key_id and/or principal)."
    )
    key_id: str | None = Field(default=None, min_length=1, max_length=24, pattern=r"^[A-Za-z0-9]+$")
    principal: str | None = Field(default=None, min_length=1, max_length=200)
    reason: str = Field(default="", max_length=500, description="Why: recorded in the ledger.")


class OutcomeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision_id: str = Field(min_length=1, max_length=200)
    executed: bool


@dataclass(frozen=True, slots=True)
class ServiceConfig:
    """How ``brandrail serve`` runs: where the policy and the state live, how callers authenticate, the limits.

    ``auth``: ``"keys"`` (API keys in the gate database; the default), ``"none"`` (every request is the local
    principal with every role — for a trusted sidecar on localhost only). ``jwks``/``jwt_issuer``/
    ``jwt_audience`` also accept OIDC/JWT bearer tokens verified offline.
    """

    policy_path: str | None = None
    gate_store: str | None = None
    auth: Literal["keys", "none"] = "keys"
    jwks: str | None = None
    jwt_issuer: str | None = None
    jwt_audience: str | None = None
    limits: Limits = field(default_factory=Limits)
    reload_check_s: float = 1.0
    console: bool = True
    enable_gate: bool = True
    #: Console sessions: end after this many seconds unused, and this many after sign-in in any case.
    console_idle_s: float = 30 * 60.0
    console_session_s: float = 12 * 3600.0
    #: Failed console sign-ins allowed per client address, and per key id, in any 15 minutes — counted in the
    #: gate database, so shared by every worker and instance (0: no limit).
    console_login_failures: int = 10
    #: Reverse proxies (IP addresses or networks) whose X-Forwarded-For / X-Forwarded-Proto are believed;
    #: nobody else's are (service/proxies.py).
    trusted_proxies: tuple[str, ...] = ()
    #: Content checks of one request (``/v1/check``, a batch, the gate's checks of one action) may use this
    #: many CPU seconds, in ``check_processes`` worker processes per service worker, and this many wall
    #: seconds (default 4 × the CPU budget); past either the check is killed and answers BR999
    #: (brandrail.check_budget, docs/server.md "Check budget").
    check_cpu_s: float = 5.0
    check_wall_s: float | None = None
    check_processes: int = 2

    def __post_init__(self) -> None:
        from brandrail.errors import UsageError

        for name in ("check_cpu_s", "check_wall_s"):
            value = getattr(self, name)
            if value is not None and not (isinstance(value, int | float) and 0 < value <= 3600):
                raise UsageError(
                    f"ServiceConfig.{name}: {value!r} is not a number of seconds above 0 and at most 3600",
                    hint=f"e.g. {name}=5",
                )
        if not (isinstance(self.check_processes, int) and 1 <= self.check_processes <= 256):
            raise UsageError(
                f"ServiceConfig.check_processes: {self.check_processes!r} is not a whole number from 1 to 256",
                hint="e.g. check_processes=2 (up to the number of cores)",
            )

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls, text: str) -> ServiceConfig:
        data = json.loads(text)
        data["limits"] = Limits(**data.get("limits", {}))
        data["trusted_proxies"] = tuple(data.get("trusted_proxies", ()))
        return cls(**data)


class _ObserveMiddleware:
    """Pure ASGI middleware: a metric and a JSON log line per request (route template, status, ms, principal).

    Pure ASGI rather than ``@app.middleware("http")``, whose per-request task group and memory streams cost
    more than the rest of an authenticated decision's framework overhead.
    """

    def __init__(self, app: Any, *, metrics: Any) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def observed_send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, observed_send)
        finally:
            elapsed = time.perf_counter() - started
            path = getattr(scope.get("route"), "path", "unmatched")
            self.metrics.observe_request(scope["method"], path, status, elapsed)
            principal = (scope.get("state") or {}).get("principal")
            log.info(
                "request",
                extra={
                    "event": "request",
                    "method": scope["method"],
                    "path": path,
                    "status": status,
                    "ms": round(elapsed * 1000, 2),
                    "principal": principal.id if principal else None,
                    "client": (scope.get("client") or ("unknown",))[0],
                },
            )


class _PolicyHolder:
    """The live policy: replaced atomically on reload; an invalid file is refused and the old policy kept."""

    def __init__(self, policy: Policy, path: str | None, check_every: float) -> None:
        self.policy = policy
        self.path = path
        self.check_every = check_every
        self._stamp = self._file_stamp()
        self._checked = time.monotonic()
        self._lock = threading.Lock()
        self.reloads = 0
        self.failed_reloads = 0
        self.last_error: str | None = None

    def _file_stamp(self) -> tuple[int, int] | None:
        if not self.path:
            return None
        try:
            st = Path(self.path).stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def reload(self) -> dict[str, Any]:
        """Load the policy file again; on success swap it in, else keep the old one. Returns what happened."""
        from brandrail.engine import validate_rule_settings
        from brandrail.errors import BrandrailError
        from brandrail.policy import load_policy

        if not self.path:
            raise ProblemError(
                409, "this service was started with a policy object, not a file: nothing to reload"
            )
        with self._lock:
            self._stamp = self._file_stamp()
            old = self.policy.version
            try:
                new = load_policy(self.path)
                validate_rule_settings(new)
            except BrandrailError as exc:
                self.failed_reloads += 1
                self.last_error = str(exc)
                log.error("policy reload refused, keeping %s: %s", old[:12], exc)
                return {"reloaded": False, "policy_version": old, "error": str(exc)}
            self.policy = new
            self.reloads += 1
            self.last_error = None
            log.info("policy reloaded: %s -> %s", old[:12], new.version[:12])
            return {"reloaded": True, "previous_version": old, "policy_version": new.version}

    def current(self) -> Policy:
        """The policy, reloaded first when its file changed (checked at most every ``check_every`` s)."""
        if self.path and self.check_every > 0:
            now = time.monotonic()
            if now - self._checked >= self.check_every:
                self._checked = now
                if self._file_stamp() != self._stamp:
                    self.reload()
        return self.policy


def create_app(
    policy: Policy,
    *,
    gate_store: str | None = None,
    enable_gate: bool = True,
    config: ServiceConfig | None = None,
) -> Any:
    """A FastAPI application serving ``policy`` (see the module docstring and docs/server.md).

    ``config`` says how callers authenticate and the limits; the default authenticates with API keys kept in
    the gate database (``brandrail keys create``). ``ServiceConfig(auth="none")`` switches authentication off.
    """
    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.staticfiles import StaticFiles

    from brandrail.engine import validate_rule_settings
    from brandrail.report.model import tool_version
    from brandrail.service import metrics as m

    config = config or ServiceConfig(gate_store=gate_store, enable_gate=enable_gate)
    store_url = config.gate_store or gate_store or policy.gate.store_url
    validate_rule_settings(policy)
    holder = _PolicyHolder(policy, config.policy_path or policy.source, config.reload_check_s)
    app = FastAPI(
        title="brandrail",
        version=tool_version(),
        description=__doc__,
        docs_url=None,
        redoc_url=None,
        responses=PROBLEM_RESPONSES,
    )
    app.router.route_class = JsonRoute  # every route added below reads JSON bodies strictly (415, 400)
    app.add_middleware(
        BodyLimitMiddleware, max_bytes=config.limits.max_body_bytes, timeout_s=config.limits.body_timeout_s
    )
    install_handlers(app)

    @app.exception_handler(ChecksBusyError)
    async def _checks_busy(_: Request, exc: ChecksBusyError) -> Any:
        from brandrail.service.problems import problem_response

        retry = max(1, round(exc.waited))
        return problem_response(
            503, str(exc), slug="checks-busy", headers={"Retry-After": str(retry)}, retry_after=retry
        )

    metrics = m.ServiceMetrics()
    limiter = RateLimiter(config.limits.rate_per_s, config.limits.burst)
    state: dict[str, Any] = {"holder": holder, "metrics": metrics, "store_url": store_url}
    app.state.brandrail = state
    lock = threading.RLock()
    from brandrail.check_budget import CheckPool

    pool = CheckPool(
        cpu_seconds=config.check_cpu_s, wall_seconds=config.check_wall_s, processes=config.check_processes
    )
    state["check_pool"] = pool
    # a served app starts its check processes (and loads the policy in them) at start-up, not on the first
    # request; an app driven without start-up events (tests) starts them on first use
    app.router.on_startup.append(lambda: pool.prestart(holder.current()))
    app.router.on_shutdown.append(pool.close)

    def gate() -> Any:
        current = holder.current()
        with lock:
            cached = state.get("gate")
            if cached is None or cached.policy.version != current.version:
                from brandrail.gate import Gate

                previous = state.get("gate")
                cached = Gate(current, store=previous.store if previous is not None else store_url)
                state["gate"] = cached
        return cached

    def key_store() -> Any:
        with lock:
            if "keys" not in state:
                from brandrail.service.keys import KeyStore

                state["keys"] = KeyStore(gate().store.engine if config.enable_gate else store_url)
        return state["keys"]

    jwks = (
        JwksVerifier(Path(config.jwks), issuer=config.jwt_issuer or "", audience=config.jwt_audience or "")
        if config.jwks
        else None
    )
    if config.auth == "none":
        authenticator = Authenticator(disabled=True)
    else:
        authenticator = Authenticator(keys=None, jwks=jwks)

    def caller(
        request: Request,
        authorization: str | None = Header(default=None, include_in_schema=False),
        x_api_key: str | None = Header(default=None, include_in_schema=False),
    ) -> Principal:
        if authenticator.keys is None and not authenticator.disabled:
            authenticator.keys = key_store()
        principal = authenticator.authenticate(authorization, x_api_key)
        limiter.take(principal.id)
        request.state.principal = principal
        return principal

    def role(*roles: Role) -> Any:
        def dependency(principal: Principal = Depends(caller)) -> Principal:
            Authenticator.require(principal, *roles)
            return principal

        return Depends(dependency)

    app.state.brandrail["caller"] = caller

    app.add_middleware(_ObserveMiddleware, metrics=metrics)
    if config.trusted_proxies:  # outermost: every limit and log line sees the client's address
        from brandrail.service.proxies import TrustedProxyMiddleware, parse_trusted_proxies

        app.add_middleware(TrustedProxyMiddleware, trusted=parse_trusted_proxies(config.trusted_proxies))

    # -- open: liveness and readiness ------------------------------------------------------------------------

    @app.get("/healthz", tags=["operations"])
    def healthz() -> dict[str, Any]:
        """Liveness: the process answers (no credentials needed)."""
        return {"status": "ok", "policy_version": holder.policy.version, "version": tool_version()}

    @app.get("/readyz", tags=["operations"])
    def readyz() -> JSONResponse:
        """Readiness: the policy is loaded, the gate database answers, its tables can be read at this
        brandrail's schema version, and so can the ledger (no credentials needed; 503 naming what is not)."""
        checks: dict[str, str] = {"policy": "ok", "content_checks": pool.readiness()}
        if config.enable_gate:
            try:
                checks.update(gate().store.readiness())
            except Exception:  # fail closed: whatever went wrong, not ready
                checks["database"] = "unavailable"
        ready = all(value == "ok" for value in checks.values())
        body = {
            "status": "ready" if ready else "not ready",
            "checks": checks,
            "policy_version": holder.policy.version,
        }
        return JSONResponse(body, status_code=200 if ready else 503)

    # -- content -------------------------------------------------------------------------------------------

    @app.get("/v1/rules", tags=["content"])
    def rules(_: Principal = Depends(caller)) -> dict[str, Any]:
        """Every rule code (any authenticated principal)."""
        from brandrail.registry import all_rules

        return {
            "schema_version": 1,
            "rules": [
                {
                    "code": r.code,
                    "name": r.name,
                    "severity": r.default_severity.value,
                    "status": r.status,
                    "kind": r.kind,
                }
                for r in all_rules()
            ],
        }

    @app.post("/v1/check", tags=["content"])
    def check(req: CheckRequest, _: Principal = role("agent", "reviewer")) -> dict[str, Any]:
        """Check one message (agent or reviewer); checks past the request's budget fail with BR999."""
        current = holder.current()
        done = RequestBudget(pool).run(
            "check_text",
            req.text,
            current,
            channel=req.channel,
            path=req.id,
            kind=req.kind,
            metadata=req.metadata.as_dict() if req.metadata else None,
            conversation=req.conversation,
        )
        result = _counted(metrics, done, current, path=req.id, channel=req.channel)
        return {"schema_version": 1, **result.to_dict()}

    @app.post("/v1/check/batch", tags=["content"])
    def check_batch(req: BatchRequest, _: Principal = role("agent", "reviewer")) -> dict[str, Any]:
        """Check many messages; results in request order (agent or reviewer)."""
        total = sum(len(m.text) for m in req.messages)
        if total > MAX_TEXT_CHARS:
            raise ProblemError(
                413,
                f"the batch holds {total:,} characters of text; the limit is {MAX_TEXT_CHARS:,} per request",
                slug="content-too-large",
            )
        turns = sum(len(m.conversation or ()) for m in req.messages)
        if turns > MAX_BATCH_TURNS:
            raise ProblemError(
                413,
                f"the batch's conversations hold {turns:,} turns; the limit is {MAX_BATCH_TURNS:,} per request "
                "(send the recent turns of each, or fewer messages per batch)",
                slug="content-too-large",
            )
        from brandrail.engine import message_metadata

        current = holder.current()
        groups: dict[tuple[str | None, str], list[int]] = {}
        out: list[dict[str, Any] | None] = [None] * len(req.messages)
        budget = RequestBudget(pool)  # one budget for the request: each check gets what those before it left
        for i, msg in enumerate(req.messages):
            meta = msg.metadata.as_dict() if msg.metadata else None
            if meta is not None:  # an unknown key names the message it is in
                message_metadata(meta, current, where=f"messages[{i}].metadata")
            if msg.conversation is None:
                groups.setdefault((msg.channel, msg.kind), []).append(i)
        for i, msg in enumerate(req.messages):
            if msg.conversation is not None:  # a reply: checked on its own, with its conversation in view
                done = budget.run(
                    "check_text",
                    msg.text,
                    current,
                    channel=msg.channel,
                    kind=msg.kind,
                    metadata=msg.metadata.as_dict() if msg.metadata else None,
                    conversation=msg.conversation,
                )
                out[i] = {"id": msg.id, **_counted(metrics, done, current, channel=msg.channel).to_dict()}
        for (channel, kind), indexes in groups.items():
            metas = [req.messages[i].metadata for i in indexes]
            texts = [req.messages[i].text for i in indexes]
            done = budget.run(
                "check_many",
                texts,
                current,
                characters=sum(map(len, texts)),
                channel=channel,
                kind=kind,
                metadata=[m.as_dict() if m is not None else None for m in metas],
            )
            for n, i in enumerate(indexes):
                one = done if isinstance(done, OverBudget) else (done[0][n], 0.0)
                out[i] = {
                    "id": req.messages[i].id,
                    **_counted(metrics, one, current, channel=channel).to_dict(),
                }
        return {"schema_version": 1, "passed": all(r and r["passed"] for r in out), "results": out}

    if config.enable_gate:
        _gate_routes(app, gate, role, holder, metrics)
    _admin_routes(app, role, holder, key_store, metrics, config)
    m.install(app, role, metrics, gate if config.enable_gate else None)

    def openapi() -> dict[str, Any]:
        """The generated schema plus the gate action schema that /v1/gate/decide reads from the raw body."""
        if app.openapi_schema is None:
            from fastapi.openapi.utils import get_openapi

            from brandrail.gate.actions import action_json_schema

            schema = get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes
            )
            action = action_json_schema()
            defs = action.pop("$defs", {})
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components.update(defs)
            components["GateAction"] = json.loads(
                json.dumps(action).replace("#/$defs/", "#/components/schemas/")
            )
            for name in defs:
                components[name] = json.loads(
                    json.dumps(components[name]).replace("#/$defs/", "#/components/schemas/")
                )
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    static = Path(__file__).resolve().parent / "service" / "static"
    app.mount("/static", StaticFiles(directory=static), name="static")

    @app.get("/docs", include_in_schema=False)
    def docs() -> Any:
        """The API docs, served from bundled files (nothing is fetched from a CDN)."""
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="brandrail API",
            swagger_js_url="/static/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger/swagger-ui.css",
            swagger_favicon_url="/static/swagger/favicon-32x32.png",
        )

    if config.console and config.enable_gate:
        from brandrail.service.console import install as install_console

        install_console(
            app,
            gate=gate,
            holder=holder,
            authenticator=authenticator,
            key_store=key_store,
            idle_s=config.console_idle_s,
            session_s=config.console_session_s,
            login_failures=config.console_login_failures,
        )

    if holder.path and threading.current_thread() is threading.main_thread():
        with contextlib.suppress(ValueError, AttributeError):  # not the main thread, or no SIGHUP
            signal.signal(signal.SIGHUP, lambda *_: _reload_in_background(holder, metrics))
    return app


def _counted(
    metrics: Any,
    done: tuple[Any, float] | OverBudget,
    policy: Policy,
    *,
    path: str | None = None,
    channel: str | None = None,
) -> Any:
    """The Result of a budgeted check (a failing BR999 Result past its budget), counted in the metrics."""
    if isinstance(done, OverBudget):
        metrics.checks.labels("over_budget").inc()
        return over_budget_result(done, policy, path=path, channel=channel)
    result = done[0]
    metrics.checks.labels("passed" if result.passed else "failed").inc()
    return result


def _found(call: Callable[[], _T]) -> _T:
    """``call()``, with "no such approval request / key" answered 404 rather than 400."""
    from brandrail.errors import BrandrailError

    try:
        return call()
    except BrandrailError as exc:
        if exc.message.startswith(("no approval request", "no API key", "no live taint")):
            raise ProblemError(404, exc.message, slug="not-found", hint=exc.hint) from None
        from brandrail.gate.taint import TaintViewChangedError

        if isinstance(exc, TaintViewChangedError):
            raise ProblemError(409, exc.message, slug="conflict", hint=exc.hint) from None
        raise


def _reload_in_background(holder: _PolicyHolder, metrics: Any) -> None:
    """SIGHUP: reload on a thread (a signal handler must not block the event loop or wait on a lock)."""

    def run() -> None:
        try:
            result = holder.reload()
        except Exception:  # the old policy stays; the reason is logged
            log.exception("policy reload on SIGHUP failed; keeping the running policy")
            return
        metrics.reloads.labels("ok" if result["reloaded"] else "refused").inc()

    threading.Thread(target=run, name="brandrail-reload", daemon=True).start()


def _gate_routes(app: FastAPI, gate: Any, role: Any, holder: _PolicyHolder, metrics: Any) -> None:
    from brandrail.gate.approvals import approve, get_approval, list_approvals, reject

    # SQLite has one writer at a time: queue this process's deciding threads on a lock rather than in
    # SQLite's busy handler, whose sleeps and retries made a long latency tail under concurrent requests.
    # The wait for it counts against gate.store_timeout (Gate.decide's queue): a request queued past it is
    # denied (AG000), never held longer.
    sqlite_writer = threading.Lock()
    app.state.sqlite_writer = sqlite_writer

    pool = app.state.brandrail["check_pool"]

    def _decide(body: bytes, principal: Principal) -> Any:
        current = gate()
        with checks_within(pool):  # the action's content checks run within the check budget (BR999)
            if current.store.engine.dialect.name == "sqlite":
                return current.decide(body, principal=principal, queue=sqlite_writer)
            return current.decide(body, principal=principal)

    @app.post(
        "/v1/gate/decide",
        tags=["gate"],
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/GateAction"}}},
            }
        },
    )
    async def decide(request: Request, principal: Principal = role("agent")) -> JSONResponse:
        """Decide an action (agent). The caller's key is its identity: caps key on it, not on ``agent``."""
        import anyio

        body = await request.body()
        started = time.perf_counter()
        decision = await anyio.to_thread.run_sync(lambda: _decide(body, principal))
        metrics.observe_decision(decision, time.perf_counter() - started)
        return JSONResponse(decision.to_dict())

    @app.post("/v1/gate/outcome", tags=["gate"])
    def outcome(req: OutcomeRequest, principal: Principal = role("executor")) -> dict[str, Any]:
        """Report whether an allowed action was carried out (executor only; once per decision)."""
        gate().report_outcome(req.decision_id, req.executed, principal=principal)
        return {"schema_version": 1, "decision_id": req.decision_id, "executed": req.executed}

    @app.get("/v1/approvals", tags=["approvals"])
    def approvals(
        status: Literal["pending", "approved", "rejected", "used", "expired"] | None = Query(default=None),
        _: Principal = role("reviewer", "auditor"),
    ) -> dict[str, Any]:
        """Approval requests, oldest first (reviewer or auditor)."""
        return {"schema_version": 1, "approvals": [a.to_dict() for a in list_approvals(gate().store, status)]}

    @app.get("/v1/approvals/{approval_id}", tags=["approvals"])
    def approval(approval_id: str, _: Principal = role("reviewer", "auditor")) -> dict[str, Any]:
        """One approval request (reviewer or auditor)."""
        return _found(lambda: get_approval(gate().store, approval_id)).to_dict()

    @app.post("/v1/approvals/{approval_id}/approve", tags=["approvals"])
    def approve_route(
        approval_id: str, req: AnswerRequest, principal: Principal = role("reviewer")
    ) -> dict[str, Any]:
        """Approve a pending request (reviewer; never for an action its own principal proposed)."""
        done = _found(
            lambda: approve(
                gate().store, approval_id, reviewer=principal, comment=req.reason, policy=holder.current()
            )
        )
        metrics.approvals.labels("approved").inc()
        return done.to_dict()

    @app.post("/v1/approvals/{approval_id}/reject", tags=["approvals"])
    def reject_route(
        approval_id: str, req: AnswerRequest, principal: Principal = role("reviewer")
    ) -> dict[str, Any]:
        """Reject a pending request (reviewer)."""
        done = _found(
            lambda: reject(
                gate().store, approval_id, reviewer=principal, comment=req.reason, policy=holder.current()
            )
        )
        metrics.approvals.labels("rejected").inc()
        return done.to_dict()

    @app.get("/v1/gate/taints", tags=["gate"])
    def taints(
        state: Literal["live", "expired", "tampered"] | None = Query(default=None),
        _: Principal = role("reviewer", "auditor"),
    ) -> dict[str, Any]:
        """The callers' taint rows (AG909): key, state, until, what caused it (reviewer or auditor)."""
        from datetime import UTC, datetime

        from brandrail.gate.taint import list_taints

        now = datetime.now(UTC)
        rows = [r for r in list_taints(gate().store) if state in (None, r.state(now))]
        return {"schema_version": 1, "taints": [r.to_dict(now) for r in rows]}

    @app.post("/v1/gate/taints/{key}/lift", tags=["gate"])
    def lift_taint_route(
        key: str, req: LiftRequest, principal: Principal = role("reviewer")
    ) -> dict[str, Any]:
        """End a caller's taint now (every key generation's row), after a review of the flagged result
        (reviewer); recorded in the ledger with the results it covers for ``cover_for``."""
        from datetime import UTC, datetime

        from brandrail.gate.taint import lift_taint
        from brandrail.policy.sections.gate import parse_duration

        cover = parse_duration(req.cover_for)
        row = _found(
            lambda: lift_taint(
                gate().store,
                key,
                reviewer=principal,
                reason=req.reason,
                policy=holder.current(),
                cover_for=cover,
                covers=req.covers,
                seen=req.seen,
            )
        )
        return row.to_dict(datetime.now(UTC))

    @app.get("/v1/decisions", tags=["audit"])
    def decisions(
        limit: int = Query(default=50, ge=1, le=1000),
        outcome: Literal["allow", "deny", "review", "modify"] | None = Query(default=None),
        _: Principal = role("auditor"),
    ) -> dict[str, Any]:
        """The latest decisions as the gate answered them (auditor)."""
        import sqlalchemy as sa

        from brandrail.gate.store import tables as t

        query = sa.select(t.decisions).order_by(t.decisions.c.created_at.desc()).limit(limit)
        if outcome is not None:
            query = query.where(t.decisions.c.outcome == outcome)
        with gate().store.reader() as conn:
            rows = conn.execute(query).all()
        return {
            "schema_version": 1,
            "decisions": [{"status": r.status, **json.loads(r.response)} for r in rows],
        }

    @app.get("/v1/ledger/verify", tags=["audit"])
    def ledger_verify(_: Principal = role("auditor")) -> dict[str, Any]:
        """Recompute the ledger's hash chain and check the gate's side tables against it (auditor)."""
        from brandrail.gate.bindings import verify_gate_ledger
        from brandrail.service.keys import check_key_rows

        store = gate().store
        report, side = verify_gate_ledger(store.ledger, store.engine)
        side += check_key_rows(store.ledger)
        return {
            "schema_version": 1,
            "ok": bool(report) and not side,
            "entries": report.count,
            "head_hash": report.head_hash,
            "problems": [p.to_dict() if hasattr(p, "to_dict") else str(p) for p in report.problems][:100],
            "side_table_problems": [{"row": row, "problem": why} for row, why in side][:100],
        }


def _admin_routes(
    app: FastAPI, role: Any, holder: _PolicyHolder, key_store: Any, metrics: Any, config: ServiceConfig
) -> None:
    from datetime import timedelta

    @app.post("/v1/admin/reload", tags=["admin"])
    def reload(_: Principal = role("admin")) -> dict[str, Any]:
        """Reload the policy file now; an invalid file is refused and the running policy kept (admin)."""
        result = holder.reload()
        metrics.reloads.labels("ok" if result["reloaded"] else "refused").inc()
        if not result["reloaded"]:
            raise ProblemError(
                400,
                f"the policy file was refused; still serving {result['policy_version'][:12]}: {result['error']}",
                slug="policy-refused",
            )
        return {"schema_version": 1, **result}

    @app.post("/v1/admin/keys", tags=["admin"])
    def create_key(req: KeyRequest, principal: Principal = role("admin")) -> dict[str, Any]:
        """Create an API key; the key is in this response only (admin)."""
        key, record = key_store().create(
            req.principal,
            req.roles,
            expires_in=timedelta(days=req.expires_in_days) if req.expires_in_days else None,
            note=req.note or f"created by {principal.id}",
        )
        return {"schema_version": 1, "key": key, **record.to_dict()}

    @app.get("/v1/admin/keys", tags=["admin"])
    def keys(_: Principal = role("admin")) -> dict[str, Any]:
        """Every API key, never their secrets (admin)."""
        return {"schema_version": 1, "keys": [k.to_dict() for k in key_store().list()]}

    @app.delete("/v1/admin/keys/{key_id}", tags=["admin"])
    def revoke(key_id: str, _: Principal = role("admin")) -> dict[str, Any]:
        """Revoke an API key at once (admin)."""
        return {"schema_version": 1, **_found(lambda: key_store().revoke(key_id)).to_dict()}

    @app.get("/v1/admin/sessions", tags=["admin"])
    def console_sessions(_: Principal = role("admin")) -> dict[str, Any]:
        """The reviewer console's live sessions: key id, principal, times — never a session id (admin)."""
        from brandrail.service.sessions import SessionStore

        live = SessionStore(key_store().engine).live()
        return {"schema_version": 1, "sessions": [s.to_dict() for s in live]}

    @app.post("/v1/admin/sessions/end", tags=["admin"])
    def end_sessions(req: EndSessionsRequest, principal: Principal = role("admin")) -> dict[str, Any]:
        """End console sessions at once — every one (``all``), or a key's and/or a principal's — and record
        it in the ledger (admin). Their cookies stop working on every instance sharing the database."""
        from brandrail.service.sessions import SessionStore

        if req.all == (req.key_id is not None or req.principal is not None):
            raise ProblemError(
                422, 'say which sessions to end: either {"all": true}, or key_id and/or principal'
            )
        store = key_store()
        ended = SessionStore(store.engine).end_all(
            store.ledger,
            by=principal.id,
            key_id=req.key_id,
            principal=req.principal,
            reason=req.reason,
        )
        log.warning(
            "console sessions ended",
            extra={"event": "console_sessions_ended", "principal": principal.id, "ended": ended,
                   "key_id": req.key_id, "whose": req.principal},
        )  # fmt: skip
        return {"schema_version": 1, "ended": ended, "key_id": req.key_id, "principal": req.principal}


def app_from_env() -> Any:
    """The app of one ``brandrail serve --workers N`` worker (Uvicorn imports this factory by name)."""
    from brandrail.policy import load_policy

    config = ServiceConfig.from_env(os.environ["BRANDRAIL_SERVE_CONFIG"])
    if config.policy_path is None:
        raise RuntimeError("BRANDRAIL_SERVE_CONFIG names no policy file")
    return create_app(load_policy(config.policy_path), config=config)
