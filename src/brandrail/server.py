"""The HTTP service: the same core behind a small JSON API (FastAPI).

``brandrail serve --policy FILE`` runs it with Uvicorn. Endpoints (all JSON, ``schema_version`` 1):

* ``GET  /healthz``                   liveness, policy version
* ``GET  /v1/rules``                  every rule code
* ``POST /v1/check``                  ``{"text", "channel"?, "kind"?}`` → a Result
* ``POST /v1/check/batch``            ``{"messages": [{"id"?, "text", "channel"?, "kind"?}, ...]}`` → Results
* ``POST /v1/gate/decide``            an action (docs/gate-actions.schema.json) → a Decision
* ``POST /v1/gate/outcome``           ``{"decision_id", "executed"}``

Errors: a request that cannot be read is a 422 with the field path; a brandrail user error is a 400 with its
code, message, location and hint. The gate fails closed: an error while deciding is a deny, never an allow.
The service binds to 127.0.0.1 by default and has no authentication of its own: put it behind your gateway.
"""

from __future__ import annotations

from typing import Any, Literal

from brandrail._extras import require as _require

_require("server", "fastapi", "uvicorn")

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from brandrail.errors import BrandrailError
from brandrail.policy import Policy

__all__ = ["MAX_TEXT_CHARS", "create_app"]

#: Largest text accepted in one message (characters).
MAX_TEXT_CHARS = 1_000_000
MAX_BATCH = 1_000


class CheckRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=MAX_TEXT_CHARS)
    channel: str | None = None
    kind: Literal["text", "markdown", "html"] = "text"
    id: str | None = Field(default=None, max_length=200)


class BatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    messages: list[CheckRequest] = Field(max_length=MAX_BATCH)


class OutcomeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision_id: str = Field(min_length=1, max_length=200)
    executed: bool


def create_app(policy: Policy, *, gate_store: str | None = None, enable_gate: bool = True) -> Any:
    """A FastAPI application serving ``policy``. ``gate_store`` is the gate's database URL."""
    from brandrail.engine import check_many, check_text, validate_rule_settings
    from brandrail.report.model import tool_version

    validate_rule_settings(policy)
    app = FastAPI(title="brandrail", version=tool_version(), description=__doc__)
    state: dict[str, Any] = {}

    def gate() -> Any:
        if "gate" not in state:
            from brandrail.gate import Gate

            state["gate"] = Gate(policy, store=gate_store)
        return state["gate"]

    @app.exception_handler(BrandrailError)
    async def _user_error(_: Request, exc: BrandrailError) -> JSONResponse:
        return JSONResponse(status_code=400, content={"schema_version": 1, "error": exc.to_dict()})

    @app.get("/healthz")
    def healthz() -> dict[str, Any]:
        return {"status": "ok", "policy_version": policy.version, "version": tool_version()}

    @app.get("/v1/rules")
    def rules() -> dict[str, Any]:
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

    @app.post("/v1/check")
    def check(req: CheckRequest) -> dict[str, Any]:
        result = check_text(req.text, policy, channel=req.channel, path=req.id, kind=req.kind)
        return {"schema_version": 1, **result.to_dict()}

    @app.post("/v1/check/batch")
    def check_batch(req: BatchRequest) -> dict[str, Any]:
        groups: dict[tuple[str | None, str], list[int]] = {}
        for i, m in enumerate(req.messages):
            groups.setdefault((m.channel, m.kind), []).append(i)
        out: list[dict[str, Any] | None] = [None] * len(req.messages)
        for (channel, kind), indexes in groups.items():
            results = check_many([req.messages[i].text for i in indexes], policy, channel=channel, kind=kind)  # type: ignore[arg-type]
            for i, result in zip(indexes, results, strict=True):
                out[i] = {"id": req.messages[i].id, **result.to_dict()}
        return {"schema_version": 1, "passed": all(r and r["passed"] for r in out), "results": out}

    if enable_gate:

        @app.post("/v1/gate/decide")
        async def decide(request: Request) -> JSONResponse:
            import anyio

            body = await request.body()
            decision = await anyio.to_thread.run_sync(gate().decide, body)
            return JSONResponse(decision.to_dict())

        @app.post("/v1/gate/outcome")
        def outcome(req: OutcomeRequest) -> dict[str, Any]:
            gate().report_outcome(req.decision_id, req.executed)
            return {"schema_version": 1, "decision_id": req.decision_id, "executed": req.executed}

    return app
