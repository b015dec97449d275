"""``brandrail proxy``: an OpenAI-compatible HTTP proxy that checks every reply before the client sees it.

``POST /v1/chat/completions`` (plain and ``stream: true``) and ``GET /v1/models`` (passed through) in front
of any OpenAI-compatible upstream. A request takes a route (``X-Brandrail-Route`` header, the path
``/routes/NAME/v1/...``, else by model name, else ``integrations.default_route``); its reply is checked for
the route's channel and handled per ``on_violation``; tool calls in it are gated; the exchange is recorded in
the gate's ledger. Upstream failures become JSON errors (502, 504) — never an unchecked reply. The tool
results the client sends the model (``role: tool`` / ``function`` messages) are screened first, and a flagged
one holds the reply's tool calls and, for the caller, later ones (AG907–AG909,
:func:`~brandrail.integrations.common.screen_chat_results`).
"""

from __future__ import annotations

import copy
import json
import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Generator
from contextlib import asynccontextmanager
from typing import Any, Literal, TypeVar
from uuid import uuid4

import anyio
import anyio.to_thread
import httpx
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from brandrail.check_budget import CheckPool, ChecksBusyError, RequestBudget, checks_within
from brandrail.content.fix import apply_fixes
from brandrail.findings import Finding, Result
from brandrail.gate.decide import Gate
from brandrail.integrations.common import (
    Attempt,
    ChatReply,
    ChatTurns,
    ExchangeOutcome,
    IntegrationError,
    ReplyGuard,
    ResultTaint,
    ToolVerdict,
    conversation_of_messages,
    customer_message,
    exchange_steps,
    reply_of_message,
    resolve_route,
    screen_chat_results,
    split_sentences,
    unchecked,
)
from brandrail.policy import Policy
from brandrail.policy.sections.integrations import RouteConfig

__all__ = ["ROUTE_HEADER", "SESSION_HEADER", "create_proxy_app"]

T = TypeVar("T")
_log = logging.getLogger("brandrail.proxy")

#: Request header naming the route.
ROUTE_HEADER = "X-Brandrail-Route"
#: Request header naming the client's conversation or agent session: a flagged tool result taints the session
#: (and the caller's credential) for ``integrations.results.taint_for`` (AG909).
SESSION_HEADER = "X-Brandrail-Session"


class _Message(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[Any] | None = None


class _ChatRequest(BaseModel):
    model_config = ConfigDict(extra="allow")

    model: str = Field(min_length=1)
    messages: list[_Message] = Field(min_length=1)
    stream: bool = False
    n: int | None = None


def _param(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _parse_request(raw: bytes) -> tuple[_ChatRequest, dict[str, Any]]:
    try:
        body = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise IntegrationError(400, "invalid_json", f"the request body is not JSON: {exc}") from None
    if not isinstance(body, dict):
        raise IntegrationError(400, "not_a_chat_completion", "the request body must be a JSON object")
    try:
        request = _ChatRequest.model_validate(body)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        where = _param(tuple(err["loc"]))
        raise IntegrationError(
            400,
            "not_a_chat_completion",
            f"not a chat completion request: {where}: {err['msg']} "
            '(expected {"model": ..., "messages": [{"role": ..., "content": ...}]})',
            param=where,
        ) from None
    if request.n not in (None, 1):
        raise IntegrationError(
            400, "unsupported", "the proxy checks one choice per request: n must be 1", param="n"
        )
    return request, body


def _parse_completion(data: Any) -> ChatReply:
    try:
        message = data["choices"][0]["message"]
        if not isinstance(message, dict):
            raise TypeError
    except (KeyError, IndexError, TypeError):
        raise IntegrationError(
            502,
            "upstream_invalid_response",
            "the upstream's answer is not a chat completion (no choices[0].message)",
        ) from None
    return reply_of_message(message, data)


#: Top-level fields of the upstream's completion that reach the client. Anything else an upstream adds could
#: carry text nobody checked; the message and the choice are rebuilt from the checked outcome.
_COMPLETION_FIELDS = ("id", "object", "created", "model", "usage", "system_fingerprint", "service_tier")


def _calls_field(outcome: ExchangeOutcome, *, stream: bool = False) -> dict[str, Any]:
    """The allowed calls as the message (or a stream delta) carries them: ``tool_calls``, or the legacy
    ``function_call`` when the model answered in that form."""
    if not outcome.tool_calls:
        return {}
    if outcome.legacy_call:
        fn = outcome.tool_calls[0]["function"]
        return {"function_call": {"name": fn["name"], "arguments": fn["arguments"]}}
    if stream:
        return {"tool_calls": [{"index": i, **c} for i, c in enumerate(outcome.tool_calls)]}
    return {"tool_calls": outcome.tool_calls}


def _logprobs(raw: dict[str, Any], outcome: ExchangeOutcome) -> Any:
    """The upstream's token log-probabilities of the content, only when the delivered text is the model's own
    text of that answer (after a fix or the fallback they would spell out the text that was withheld)."""
    try:
        choice = raw["choices"][0]
        written = choice["message"].get("content")
        logprobs = choice.get("logprobs")
    except (KeyError, IndexError, TypeError, AttributeError):
        return None
    if not isinstance(logprobs, dict) or written != outcome.text or outcome.blocked:
        return None
    return {"content": copy.deepcopy(logprobs.get("content")), "refusal": None}


def _send(steps: Generator[Any, ChatReply, ExchangeOutcome], reply: ChatReply) -> tuple[bool, Any]:
    try:
        return False, steps.send(reply)
    except StopIteration as stop:
        return True, stop.value


def _sse(data: Any) -> str:
    return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"


def _internal_error(exc: Exception) -> IntegrationError:
    """A failure of brandrail itself while deciding a reply (logged with its traceback): a 500 that says
    nothing was sent, never the unchecked reply. Every check process busy for longer than a request may
    wait is a 503 ``checks_busy`` with ``retry_after`` (seconds)."""
    if isinstance(exc, ChecksBusyError):
        return IntegrationError(
            503,
            "checks_busy",
            f"brandrail could not check the reply: {exc}; nothing unchecked was sent",
            retry_after=max(1, round(exc.waited)),
        )
    _log.error("proxy: checking a reply failed", exc_info=exc)
    return IntegrationError(
        500,
        "internal_error",
        f"brandrail could not check the reply ({type(exc).__name__}); nothing unchecked was sent",
    )


def _stream_event(
    data: str, redact: Callable[[str], str]
) -> tuple[dict[str, Any], dict[str, Any], str | None]:
    """One event of the upstream's stream: the chunk, its first choice's delta and finish reason, the shape of
    each part checked (IntegrationError 502 naming what is wrong; an ``error`` event is the upstream's error,
    its message passed through ``redact``)."""

    def bad(what: str) -> IntegrationError:
        return IntegrationError(
            502, "upstream_invalid_response", f"the upstream sent a malformed stream event: {what}"
        )

    try:
        chunk = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise bad("not JSON") from None
    if not isinstance(chunk, dict):
        raise bad("not a JSON object")
    if chunk.get("error"):
        err = chunk["error"]
        detail = err.get("message") if isinstance(err, dict) else err
        raise IntegrationError(
            502,
            "upstream_error",
            "the upstream sent an error in its stream; the rest of the reply was not sent",
            upstream_message=redact(str(detail))[:300] if detail else None,
        )
    choices = chunk.get("choices") or []
    if not isinstance(choices, list):
        raise bad("choices is not a list")
    choice = choices[0] if choices else {}
    if not isinstance(choice, dict):
        raise bad("choices[0] is not an object")
    delta = choice.get("delta") or {}
    if not isinstance(delta, dict):
        raise bad("choices[0].delta is not an object")
    for key in ("content", "refusal"):
        if delta.get(key) is not None and not isinstance(delta[key], str):
            raise bad(f"choices[0].delta.{key} is not a string")
    calls = delta.get("tool_calls") or []
    if not isinstance(calls, list):
        raise bad("choices[0].delta.tool_calls is not a list")
    for i, call in enumerate(calls):
        where = f"choices[0].delta.tool_calls[{i}]"
        if not isinstance(call, dict):
            raise bad(f"{where} is not an object")
        index = call.get("index", 0)
        if not isinstance(index, int) or isinstance(index, bool) or index < 0:
            raise bad(f"{where}.index is not a non-negative integer")
        if call.get("id") is not None and not isinstance(call["id"], str):
            raise bad(f"{where}.id is not a string")
        _check_function_delta(call.get("function"), f"{where}.function", bad)
    _check_function_delta(delta.get("function_call"), "choices[0].delta.function_call", bad)
    finish = choice.get("finish_reason")
    return chunk, delta, finish if isinstance(finish, str) and finish else None


def _check_function_delta(fn: Any, where: str, bad: Callable[[str], IntegrationError]) -> None:
    if fn is None:
        return
    if not isinstance(fn, dict):
        raise bad(f"{where} is not an object")
    for key in ("name", "arguments"):
        if fn.get(key) is not None and not isinstance(fn[key], str):
            raise bad(f"{where}.{key} is not a string")


def _merge_call(slot: dict[str, Any], part: dict[str, Any]) -> None:
    """Add one streamed piece of a call (checked by :func:`_stream_event`) to the call gathered so far."""
    if part.get("id"):
        slot["id"] = part["id"]
    fn = part.get("function") or {}
    slot["function"]["name"] += fn.get("name") or ""
    slot["function"]["arguments"] += fn.get("arguments") or ""


#: A streamed group of sentences is judged once it is this share of the text already released (see feed).
GROUP_SHARE = 0.25


class _StreamJudge:
    """Sentence-by-sentence release for a streamed reply: a sentence goes out only once the text released
    so far plus that sentence has no blocking finding that reaches into the sentence."""

    def __init__(self, guard: ReplyGuard, route: RouteConfig, conversation: ChatTurns) -> None:
        self.guard = guard
        self.route = route
        self.conversation = conversation
        self.released = ""
        self.pending = ""
        self.stopped = False
        self.failed_text = ""
        self.blocking: list[Finding] = []
        self.fixed = False
        self.passed_with_findings = False

    def feed(self, text: str, *, final: bool = False) -> list[str]:
        """The text that may go out now. Sentences are judged in groups of at least a quarter of the text
        released so far: each judgement checks all of it, so one per sentence would cost the square of a long
        reply; this way the checks of a reply add up to a few times its length, and the first sentences still
        go out one by one."""
        if self.stopped:
            return []
        self.pending += text
        sentences, rest = split_sentences(self.pending)
        if final and rest:
            sentences.append(rest)
            rest = ""
        out: list[str] = []
        start = 0  # the first sentence of the group being gathered
        size = 0
        for i, sentence in enumerate(sentences):
            size += len(sentence)
            if size < GROUP_SHARE * len(self.released) and not (final and i == len(sentences) - 1):
                continue
            piece = self._judge("".join(sentences[start : i + 1]))
            if piece is None:
                self.stopped = True
                self.failed_text = self.released + "".join(sentences[start:]) + rest
                self.pending = ""
                return out
            out.append(piece)
            start, size = i + 1, 0
        self.pending = "".join(sentences[start:]) + rest
        return out

    def _judge(self, sentence: str) -> str | None:
        guard, route = self.guard, self.route
        candidate = self.released + sentence
        result = guard.check(route, candidate, self.conversation)
        blocking = guard.blocking(route, result, after=len(self.released))
        if not blocking:
            self.released = candidate
            return sentence
        if unchecked(
            blocking
        ):  # the check ran out of its budget: the text was not read, nothing more goes out
            self.blocking = blocking
            return None
        if route.on_violation == "pass":
            self.passed_with_findings = True
            self.blocking.extend(blocking)
            self.released = candidate
            return sentence
        if route.on_violation == "fix":
            new, applied, _ = apply_fixes(candidate, blocking)
            if applied and new.startswith(self.released):
                again = guard.blocking(
                    route, guard.check(route, new, self.conversation), after=len(self.released)
                )
                if not again:
                    piece = new[len(self.released) :]
                    self.released = new
                    self.fixed = True
                    return piece
        self.blocking = blocking
        return None

    def final_result(self) -> Result:
        return self.guard.check(self.route, self.released, self.conversation)


class _Proxy:
    def __init__(
        self,
        policy: Policy,
        gate: Gate,
        *,
        upstream_url: str | None,
        api_key: str | None,
        transport: httpx.AsyncBaseTransport | None,
        offload: bool = False,
        checks: CheckPool | None = None,
    ) -> None:
        self.policy = policy
        self.offload = offload
        self.checks = checks
        self.guard = ReplyGuard(policy, gate, surface="proxy")
        self.taint = ResultTaint.for_gate(policy.integrations.results, gate)
        conf = policy.integrations.upstream
        self.timeout = conf.timeout
        self.base_url = (upstream_url or conf.base_url).rstrip("/")
        self._key = api_key
        self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.client = httpx.AsyncClient(base_url=self.base_url, timeout=conf.timeout, transport=transport)

    async def _work(self, fn: Callable[..., T], *args: Any, budget: RequestBudget | None = None) -> T:
        """Run the synchronous core (checks, gate decisions, ledger writes) in the event loop, or with
        ``offload`` in a worker thread (for policies whose checks are slow, e.g. voice scoring). With
        ``budget`` (the request's, :meth:`budget`) its content checks run in the check processes within what
        is left of it, and the loop waits for them in a worker thread."""
        if budget is not None:

            def bounded() -> T:
                with checks_within(budget):
                    return fn(*args)

            return await anyio.to_thread.run_sync(bounded)
        if self.offload:
            return await anyio.to_thread.run_sync(fn, *args)
        return fn(*args)

    def budget(self) -> RequestBudget | None:
        """One request's check budget (None: the checks run in this process, unbounded)."""
        return RequestBudget(self.checks) if self.checks is not None else None

    # -- upstream ----------------------------------------------------------------------------------------

    def _upstream_error(self, exc: Exception) -> IntegrationError:
        if isinstance(exc, httpx.TimeoutException):
            return IntegrationError(
                504,
                "upstream_timeout",
                f"the upstream did not answer within {self.timeout:g}s; nothing was sent",
            )
        return IntegrationError(
            502, "upstream_unreachable", f"cannot reach the upstream ({type(exc).__name__}); nothing was sent"
        )

    async def _json(self, request: Awaitable[httpx.Response], not_json: str) -> Any:
        """The upstream's JSON answer to ``request``; unreachable, an HTTP error or not JSON → IntegrationError."""
        try:
            resp = await request
        except httpx.HTTPError as exc:
            raise self._upstream_error(exc) from None
        if resp.status_code >= 400:
            raise self._status_error(resp.status_code, resp.content)
        try:
            return resp.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise IntegrationError(502, "upstream_invalid_response", not_json) from None

    def _redact(self, text: str) -> str:
        """``text`` without the upstream key (an upstream's error may quote the key it was sent)."""
        return text.replace(self._key, "[redacted]") if self._key else text

    def _status_error(self, status: int, raw: bytes) -> IntegrationError:
        detail = None
        try:
            data = json.loads(raw)
            if isinstance(data, dict) and isinstance(data.get("error"), dict):
                detail = self._redact(str(data["error"].get("message", "")))[:300] or None
        except (json.JSONDecodeError, UnicodeDecodeError):
            pass
        return IntegrationError(
            502,
            "upstream_error",
            f"the upstream answered HTTP {status}; nothing was sent",
            upstream_status=status,
            upstream_message=detail,
        )

    async def ask(self, body: dict[str, Any], messages: list[dict[str, Any]]) -> ChatReply:
        payload = {**body, "messages": messages, "stream": False}
        payload.pop("stream_options", None)
        request = self.client.post("/chat/completions", json=payload, headers=self._headers)
        data = await self._json(request, "the upstream's answer is not JSON; nothing was sent")
        return _parse_completion(data)

    async def drive(
        self,
        steps: Generator[list[dict[str, Any]], ChatReply, ExchangeOutcome],
        body: dict[str, Any],
        first: ChatReply | None = None,
        budget: RequestBudget | None = None,
    ) -> ExchangeOutcome:
        messages = next(steps)
        while True:
            reply = first if first is not None else await self.ask(body, messages)
            first = None
            done, value = await self._work(_send, steps, reply, budget=budget)
            if done:
                outcome: ExchangeOutcome = value
                return outcome
            messages = value

    # -- requests ----------------------------------------------------------------------------------------

    async def chat(self, request: Request, route_name: str | None) -> Response:
        chat, body = _parse_request(await request.body())
        named = route_name or request.headers.get(ROUTE_HEADER)
        if named is not None and not self.policy.integrations.client_routes:
            raise IntegrationError(
                403,
                "route_selection_disabled",
                "this proxy routes by model only (integrations.client_routes: false); "
                f"drop the {ROUTE_HEADER} header or the /routes/ path",
                param="route",
            )
        name, route = resolve_route(self.policy, name=named, model=chat.model)
        messages = [m.model_dump(exclude_none=False) for m in chat.messages]
        request_id = uuid4().hex
        caller = self.taint.caller_of_headers(dict(request.headers), session_header=SESSION_HEADER)
        # the tool results the client sends the model, screened before the model reads them (AG907, AG908);
        # a flagged one holds this reply's tool calls and, for taint_for, the caller's later ones (AG909)
        messages, hold = await self._work(
            screen_chat_results, self.guard, self.taint, caller, messages, request_id
        )
        attempts: list[Attempt] = []
        steps = exchange_steps(
            self.guard,
            route_name=name,
            route=route,
            messages=messages,
            request_id=request_id,
            model=chat.model,
            stream=chat.stream,
            log=attempts,
            hold=hold,
        )
        budget = self.budget()  # one for the request: every attempt's checks share it
        if chat.stream and route.stream == "sentence":
            return await self._stream(name, route, body, messages, request_id, chat.model, hold, budget)
        try:
            outcome = await self.drive(steps, body, budget=budget)
        except IntegrationError as exc:
            await self._record_error(
                request_id, name, route, exc, messages, chat.model, chat.stream, attempts
            )
            raise
        except Exception as exc:  # a failure while checking: nothing unchecked goes out, the client is told
            failure = _internal_error(exc)
            await self._record_error(
                request_id, name, route, failure, messages, chat.model, chat.stream, attempts
            )
            raise failure from None
        headers = {"X-Brandrail-Request-Id": request_id, "X-Brandrail-Verdict": outcome.verdict}
        if chat.stream:
            return StreamingResponse(
                self._replay(outcome, chat.model), media_type="text/event-stream", headers=headers
            )
        return JSONResponse(self._completion(outcome, chat.model), headers=headers)

    async def _record_error(
        self,
        request_id: str,
        name: str,
        route: RouteConfig,
        exc: IntegrationError,
        messages: list[dict[str, Any]],
        model: str,
        stream: bool,
        attempts: list[Attempt] | None = None,
    ) -> None:
        await self._work(
            lambda: self.guard.record(
                request_id=request_id,
                route=name,
                route_config=route,
                verdict="internal_error" if exc.code == "internal_error" else "upstream_error",
                attempts=attempts or [],
                customer=customer_message(messages),
                model=model,
                stream=stream,
                error=f"{exc.code}: {exc.message}",
            )
        )

    @staticmethod
    def _completion(outcome: ExchangeOutcome, model: str) -> dict[str, Any]:
        """The client's completion, built from the checked outcome: the upstream's ids and usage, one choice
        whose message is the delivered text and the allowed calls, nothing else of the upstream's message."""
        raw = outcome.raw if isinstance(outcome.raw, dict) else {}
        data: dict[str, Any] = {k: copy.deepcopy(raw[k]) for k in _COMPLETION_FIELDS if k in raw}
        data.setdefault("id", f"chatcmpl-{outcome.request_id}")
        data.setdefault("object", "chat.completion")
        data.setdefault("model", model)
        message = {"role": "assistant", "content": outcome.text, **_calls_field(outcome)}
        data["choices"] = [
            {
                "index": 0,
                "message": message,
                "logprobs": _logprobs(raw, outcome),
                "finish_reason": outcome.finish_reason,
            }
        ]
        data["brandrail"] = outcome.summary()
        return data

    @staticmethod
    def _chunk(meta: dict[str, Any], delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        return {
            "id": meta.get("id", "chatcmpl-brandrail"),
            "object": "chat.completion.chunk",
            "created": meta.get("created", 0),
            "model": meta.get("model", ""),
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }

    async def _replay(self, outcome: ExchangeOutcome, model: str) -> AsyncIterator[str]:
        """Stream an already checked outcome (``stream: buffer`` routes and re-asked streams)."""
        raw = outcome.raw if isinstance(outcome.raw, dict) else {}
        meta = {"id": raw.get("id", f"chatcmpl-{outcome.request_id}"), "model": raw.get("model", model)}
        yield _sse(self._chunk(meta, {"role": "assistant", "content": ""}))
        async for event in self._replay_rest(outcome, meta):
            yield event

    async def _stream(
        self,
        name: str,
        route: RouteConfig,
        body: dict[str, Any],
        messages: list[dict[str, Any]],
        request_id: str,
        model: str,
        hold: Callable[[str | None], Finding | None],
        budget: RequestBudget | None = None,
    ) -> Response:
        payload = {**body, "messages": messages, "stream": True}
        req = self.client.build_request("POST", "/chat/completions", json=payload, headers=self._headers)
        try:
            resp = await self.client.send(req, stream=True)
        except httpx.HTTPError as exc:
            error = self._upstream_error(exc)
            await self._record_error(request_id, name, route, error, messages, model, True)
            raise error from None
        if resp.status_code >= 400 or "text/event-stream" not in resp.headers.get("content-type", ""):
            raw = await resp.aread()
            await resp.aclose()
            if resp.status_code >= 400:
                error = self._status_error(resp.status_code, raw)
            else:
                error = IntegrationError(
                    502, "upstream_invalid_response", "the upstream did not answer with an event stream"
                )
            await self._record_error(request_id, name, route, error, messages, model, True)
            raise error
        headers = {"X-Brandrail-Request-Id": request_id}
        return StreamingResponse(
            self._relay(resp, name, route, body, messages, request_id, model, hold, budget),
            media_type="text/event-stream",
            headers=headers,
        )

    async def _relay(
        self,
        resp: httpx.Response,
        name: str,
        route: RouteConfig,
        body: dict[str, Any],
        messages: list[dict[str, Any]],
        request_id: str,
        model: str,
        hold: Callable[[str | None], Finding | None],
        budget: RequestBudget | None = None,
    ) -> AsyncIterator[str]:
        customer = customer_message(messages)
        judge = _StreamJudge(self.guard, route, conversation_of_messages(messages))
        meta: dict[str, Any] = {"model": model}
        tool_parts: dict[int, dict[str, Any]] = {}  # the call being gathered at each index
        tool_calls: list[dict[str, Any]] = []  # every call, in the order they began
        legacy: dict[str, Any] | None = None  # a legacy function_call, gated like a tool call
        finished = False  # the upstream sent [DONE] or a finish_reason: the reply is complete
        verdict = "client_disconnected"
        error: str | None = None
        attempts: list[Attempt] = []
        final_text = ""
        recorded = False
        started = False
        try:
            async for line in resp.aiter_lines():
                if not line.startswith("data:"):
                    continue
                data = line[5:].strip()
                if data == "[DONE]":
                    finished = True
                    break
                chunk, delta, finish_reason = _stream_event(data, self._redact)
                finished = finished or finish_reason is not None
                for key in ("id", "created", "model", "usage"):
                    if chunk.get(key) is not None:
                        meta[key] = chunk[key]
                if not started:
                    started = True
                    yield _sse(self._chunk(meta, {"role": "assistant", "content": ""}))
                for tc in delta.get("tool_calls") or []:
                    index = tc.get("index", 0)
                    slot = tool_parts.get(index)
                    if slot is None or (tc.get("id") and slot["id"] and tc["id"] != slot["id"]):
                        # a new id at a used index is a new call (some servers number every call 0): gated
                        # on its own rather than glued onto the previous one
                        slot = {"id": None, "type": "function", "function": {"name": "", "arguments": ""}}
                        tool_parts[index] = slot
                        tool_calls.append(slot)
                    _merge_call(slot, tc)
                if delta.get("function_call"):
                    if legacy is None:
                        legacy = {"id": None, "type": "function", "function": {"name": "", "arguments": ""}}
                    _merge_call(legacy, {"function": delta["function_call"]})
                # a refusal is the reply's text when the model writes no content (as without streaming)
                content = delta.get("content") or delta.get("refusal")
                if content:
                    pieces = await self._work(judge.feed, content, budget=budget)
                    for piece in pieces:
                        yield _sse(self._chunk(meta, {"content": piece}))
                    if judge.stopped:
                        break
            else:
                if not finished:
                    raise IntegrationError(
                        502,
                        "upstream_invalid_response",
                        "the upstream's stream ended before its last event (no finish_reason, no [DONE]); "
                        "the rest of the reply was not sent",
                    )
            await resp.aclose()
            if not started:
                yield _sse(self._chunk(meta, {"role": "assistant", "content": ""}))
            if not judge.stopped:
                for piece in await self._work(lambda: judge.feed("", final=True), budget=budget):
                    yield _sse(self._chunk(meta, {"content": piece}))
            calls = list(tool_calls)
            legacy_call = legacy is not None and not calls
            if legacy is not None:
                calls.append(legacy)
            summary: dict[str, Any]
            if (
                (judge.stopped or calls)
                and not judge.released
                and route.on_violation == "reask"
                and route.max_attempts > 1
            ):
                # nothing is out yet (the text failed, or the reply is tool calls only): decide it as a buffered
                # exchange, which asks again with this attempt's findings and refused calls as feedback
                steps = exchange_steps(
                    self.guard,
                    route_name=name,
                    route=route,
                    messages=messages,
                    request_id=request_id,
                    model=model,
                    stream=True,
                    hold=hold,
                )
                first = ChatReply(
                    judge.failed_text if judge.stopped else judge.released, calls, None, legacy_call
                )
                outcome = await self.drive(steps, body, first=first, budget=budget)
                recorded = True
                verdict = outcome.verdict
                async for event in self._replay_rest(outcome, meta):
                    yield event
                return
            verdicts: list[ToolVerdict] = []
            if judge.stopped:
                verdict = "fallback"
                text = route.fallback if not judge.released else "\n\n" + route.fallback
                yield _sse(self._chunk(meta, {"content": text}))
                final_text = judge.released + text
                finish = "content_filter"
                result = await self._work(judge.final_result, budget=budget)
                attempts = [Attempt(1, judge.failed_text, result, [], judge.blocking)]
            else:
                result = await self._work(judge.final_result, budget=budget)
                verdicts = await self._work(
                    lambda: [
                        self.guard.gate_tool(
                            c["function"]["name"],
                            c["function"]["arguments"],
                            c["id"],
                            judge.conversation,
                            hold=hold(c["function"]["name"] or None),
                        )
                        for c in calls
                    ],
                    budget=budget,
                )
                # every released sentence was clean when it went out: what blocks now became visible only
                # with the whole reply (whole-message rules, or context that came later)
                late = self.guard.blocking(route, result)
                if route.on_violation == "pass":
                    verdict = "passed_with_findings" if late or judge.passed_with_findings else "passed"
                else:
                    verdict = "violations_after_release" if late else ("fixed" if judge.fixed else "passed")
                allowed = [v for v in verdicts if v.allowed]
                if len(allowed) < len(verdicts) and verdict in ("passed", "fixed"):
                    verdict = "tools_dropped"  # as without streaming: a refused call never reaches the client
                out_calls = []
                for i, v in enumerate(allowed):
                    call = dict(v.call)
                    call["function"] = {**call["function"], "arguments": json.dumps(v.arguments or {})}
                    out_calls.append({"index": i, **call})
                final_text = judge.released
                if verdicts and not allowed and not judge.released.strip():
                    final_text = route.fallback
                    yield _sse(self._chunk(meta, {"content": route.fallback}))
                finish = "tool_calls" if out_calls else "stop"
                if out_calls and legacy_call:
                    fn = out_calls[0]["function"]
                    yield _sse(
                        self._chunk(meta, {"function_call": {k: fn[k] for k in ("name", "arguments")}})
                    )
                    finish = "function_call"
                elif out_calls:
                    yield _sse(self._chunk(meta, {"tool_calls": out_calls}))
                await self._work(lambda: self.guard.report(allowed, executed=True))
                attempts = [Attempt(1, judge.released, result, verdicts, late)]
            seq = await self._work(
                lambda: self.guard.record(
                    request_id=request_id,
                    route=name,
                    route_config=route,
                    verdict=verdict,
                    attempts=attempts,
                    text=final_text,
                    customer=customer,
                    model=model,
                    stream=True,
                )
            )
            recorded = True
            summary = {
                "request_id": request_id,
                "route": name,
                "verdict": verdict,
                "attempts": 1,
                "passed": result.passed,
                "policy_version": result.policy_version,
                "findings": [f.to_dict() for f in result.findings],
                "attempt_codes": [sorted({f.code for f in a.blocking}) for a in attempts],
                "tools": [v.to_dict() for v in verdicts],
                "ledger_seq": seq,
            }
            final = self._chunk(meta, {}, finish) | {"brandrail": summary}
            if "usage" in meta:
                final["usage"] = meta["usage"]
            yield _sse(final)
            yield "data: [DONE]\n\n"
        except IntegrationError as exc:
            verdict, error = "upstream_error", f"{exc.code}: {exc.message}"
            yield _sse(exc.to_body())
        except httpx.HTTPError as exc:
            failure = self._upstream_error(exc)
            verdict, error = "upstream_error", f"{failure.code}: {failure.message}"
            yield _sse(failure.to_body())
        except Exception as exc:  # a failure while checking: the stream ends with an error, nothing unchecked
            failure = _internal_error(exc)
            verdict, error = "internal_error", f"{failure.code}: {failure.message}"
            yield _sse(failure.to_body())
        finally:
            with anyio.CancelScope(shield=True):
                await resp.aclose()
                if not recorded:
                    released = judge.released
                    await anyio.to_thread.run_sync(
                        lambda: self.guard.record(
                            request_id=request_id,
                            route=name,
                            route_config=route,
                            verdict=verdict,
                            attempts=attempts,
                            text=released,
                            customer=customer,
                            model=model,
                            stream=True,
                            error=error,
                        )
                    )

    async def _replay_rest(self, outcome: ExchangeOutcome, meta: dict[str, Any]) -> AsyncIterator[str]:
        sentences, rest = split_sentences(outcome.text)
        for piece in [*sentences, rest]:
            if piece:
                yield _sse(self._chunk(meta, {"content": piece}))
        calls = _calls_field(outcome, stream=True)
        if calls:
            yield _sse(self._chunk(meta, calls))
        yield _sse(self._chunk(meta, {}, outcome.finish_reason) | {"brandrail": outcome.summary()})
        yield "data: [DONE]\n\n"

    async def models(self) -> Response:
        data = await self._json(
            self.client.get("/models", headers=self._headers), "the upstream's model list is not JSON"
        )
        return JSONResponse(data)


def create_proxy_app(
    policy: Policy,
    *,
    gate: Gate | None = None,
    store: str | None = None,
    upstream_url: str | None = None,
    api_key: str | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    offload: bool = False,
    checks: CheckPool | None = None,
) -> FastAPI:
    """The proxy as an ASGI app.

    ``gate`` (or ``store``, a database URL; default the policy's ``gate.store_url``) decides tool calls and
    holds the ledger. ``upstream_url`` overrides ``integrations.upstream.base_url``. The upstream key is
    ``api_key`` when given, else the environment variable ``integrations.upstream.api_key_env``; it is sent
    to the upstream only and never logged or recorded. ``transport`` replaces the network (tests).
    ``offload`` runs the checks, gate decisions and ledger writes in worker threads instead of the event loop
    (they take well under a millisecond without voice scoring; a thread hop costs more than that on a busy
    machine, so they run inline by default).

    ``checks`` runs the content checks of each request (its replies, streamed or not, every attempt, and the
    tool calls' content checks) in that pool's check processes, within one budget per request: a reply past
    it is never sent (the route's fallback, BR999 on record; docs/integrations.md "Check budget"). The app
    starts the pool's processes at start-up and ends them at shutdown. None: in this process, unbounded.
    """
    if gate is None:
        gate = Gate(policy, store=store)
    if api_key is None:
        env = policy.integrations.upstream.api_key_env
        api_key = os.environ.get(env) if env else None
    proxy = _Proxy(
        policy,
        gate,
        upstream_url=upstream_url,
        api_key=api_key,
        transport=transport,
        offload=offload,
        checks=checks,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if checks is not None:  # start the check processes and load the policy now, outside any budget
            checks.prestart(policy)
        try:
            yield
        finally:
            await proxy.client.aclose()
            if checks is not None:
                checks.close()

    app = FastAPI(title="brandrail proxy", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.proxy = proxy

    @app.exception_handler(IntegrationError)
    async def _error(_: Request, exc: IntegrationError) -> JSONResponse:
        retry = exc.extra.get("retry_after")
        headers = {"Retry-After": str(retry)} if retry is not None else None
        return JSONResponse(exc.to_body(), status_code=exc.status, headers=headers)

    @app.exception_handler(Exception)
    async def _internal(_: Request, exc: Exception) -> JSONResponse:
        failure = _internal_error(exc)
        return JSONResponse(failure.to_body(), status_code=failure.status)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "unknown_endpoint", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        message = (
            f"{request.method} {request.url.path} is not served here; the proxy serves POST "
            "/v1/chat/completions and GET /v1/models"
            if exc.status_code in (404, 405)
            else str(exc.detail)
        )
        return JSONResponse(
            IntegrationError(exc.status_code, code, message).to_body(), status_code=exc.status_code
        )

    @app.post("/v1/chat/completions")
    async def chat(request: Request) -> Response:
        return await proxy.chat(request, None)

    @app.post("/routes/{route}/v1/chat/completions")
    async def chat_route(request: Request, route: str) -> Response:
        return await proxy.chat(request, route)

    @app.get("/v1/models")
    async def models() -> Response:
        return await proxy.models()

    @app.get("/routes/{route}/v1/models")
    async def models_route(route: str) -> Response:
        resolve_route(policy, name=route)
        return await proxy.models()

    @app.get("/healthz")
    async def health() -> dict[str, str]:
        out = {"status": "ok", "policy_version": policy.version}
        if (
            checks is not None
        ):  # "starting" until a check process has loaded the policy, "unavailable" if none could
            out["content_checks"] = checks.readiness()
        return out

    return app
