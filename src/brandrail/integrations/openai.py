"""``brandrail.guard_openai``: an OpenAI client whose ``chat.completions.create`` checks and re-asks like the proxy.

>>> client = brandrail.guard_openai(OpenAI(), policy, channel="chat")
>>> reply = client.chat.completions.create(model="gpt-4o-mini", messages=[...])
>>> reply.choices[0].message.content     # checked (re-asked, fixed or the fallback, per the route)
>>> reply.brandrail                      # verdict, attempts, findings, gated tool calls

Works with ``OpenAI`` and ``AsyncOpenAI`` (and any client with the same ``chat.completions.create``). Every
other attribute is the wrapped client's. The ``openai`` package is never imported by brandrail itself.
"""

from __future__ import annotations

import inspect
from typing import Any
from uuid import uuid4

from brandrail.errors import UsageError
from brandrail.gate.decide import Gate
from brandrail.integrations.common import (
    ChatReply,
    ExchangeOutcome,
    IntegrationError,
    ReplyGuard,
    ResultTaint,
    customer_message,
    exchange_steps,
    reply_of_message,
    resolve_route,
    screen_chat_results,
)
from brandrail.policy import Policy
from brandrail.policy.sections.integrations import RouteConfig

__all__ = ["GuardedClient", "guard_openai"]


def _plain(value: Any) -> Any:
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return dump(exclude_none=True)
    if isinstance(value, dict):
        return dict(value)
    return value


def _reply(completion: Any) -> ChatReply:
    try:
        message = _plain(completion.choices[0].message)
        if not isinstance(message, dict):
            raise TypeError
    except (AttributeError, IndexError, TypeError):
        raise IntegrationError(
            502, "upstream_invalid_response", "the model's answer has no choices[0].message"
        ) from None
    return reply_of_message(message, completion)


#: Fields of the SDK's completion kept on the rebuilt one (anything else an upstream adds could carry text
#: nobody checked).
_COMPLETION_FIELDS = ("id", "object", "created", "model", "usage", "system_fingerprint", "service_tier")
#: Fields of the SDK's message that carry what the model wrote: all are replaced by the checked outcome.
_MESSAGE_FIELDS = ("content", "refusal", "audio", "annotations", "function_call", "tool_calls")


def _rebuild(completion: Any, outcome: ExchangeOutcome) -> Any:
    """``completion`` with the checked message (the delivered text and allowed calls, nothing else the model
    wrote), the finish reason and a ``brandrail`` summary."""
    choice = completion.choices[0]
    message = choice.message
    fields: dict[str, Any] = {"role": "assistant", "content": outcome.text}
    if outcome.tool_calls and outcome.legacy_call:
        fn = outcome.tool_calls[0]["function"]
        fields["function_call"] = {"name": fn["name"], "arguments": fn["arguments"]}
    elif outcome.tool_calls:
        fields["tool_calls"] = outcome.tool_calls
    try:
        new_message = type(message).model_validate(fields)
    except Exception:  # a look-alike client's own model: replace what the model wrote field by field
        blank = {k: None for k in _MESSAGE_FIELDS if hasattr(message, k)}
        new_message = message.model_copy(update={**blank, **fields})
    logprobs = getattr(choice, "logprobs", None)
    if logprobs is not None and (outcome.blocked or getattr(message, "content", None) != outcome.text):
        logprobs = None  # they would spell out the text that was withheld
    elif logprobs is not None and getattr(logprobs, "refusal", None) is not None:
        logprobs = logprobs.model_copy(update={"refusal": None})
    new_choice = choice.model_copy(
        update={"message": new_message, "finish_reason": outcome.finish_reason, "logprobs": logprobs}
    )
    try:
        kept = {
            k: getattr(completion, k) for k in _COMPLETION_FIELDS if getattr(completion, k, None) is not None
        }
        rebuilt = type(completion).model_validate({**kept, "choices": [new_choice]})
    except Exception:
        rebuilt = completion.model_copy(update={"choices": [new_choice]})
    try:
        rebuilt.brandrail = outcome.summary()
    except (AttributeError, ValueError, TypeError):  # a strict model: the summary stays on the wrapper
        object.__setattr__(rebuilt, "brandrail", outcome.summary())
    return rebuilt


#: Parts of the client through which a model writes text the wrapper does not check. Reaching them through
#: the guarded client is a UsageError, not a silent way around the guard (call the client you wrapped
#: directly when you mean to skip the checks).
_UNGUARDED = {
    "responses": "the Responses API",
    "completions": "legacy text completions",
    "beta": "the beta APIs (assistants, threads, chat.completions.parse)",
    "realtime": "the Realtime API",
    "batches": "batched requests",
    "with_raw_response": "raw responses (client.with_raw_response.chat.completions.create)",
    "with_streaming_response": "streamed responses",
    "parse": "chat.completions.parse",
    "stream": "chat.completions.stream",
}


def _unguarded(where: str, name: str) -> UsageError:
    return UsageError(
        f"guard_openai does not check {_UNGUARDED[name]}: {where}.{name} is not available on a guarded client",
        hint="use chat.completions.create (stream=False) or brandrail proxy; call the client you wrapped "
        "directly only where its replies need no checks",
    )


class _Completions:
    def __init__(self, owner: GuardedClient) -> None:
        self._owner = owner

    def __getattr__(self, name: str) -> Any:
        if name in _UNGUARDED:
            raise _unguarded("client.chat.completions", name)
        return getattr(self._owner._client.chat.completions, name)

    def create(self, **kwargs: Any) -> Any:
        owner = self._owner
        if kwargs.get("stream"):
            raise UsageError(
                "guard_openai checks whole replies: stream=True is not supported",
                hint="use brandrail proxy for streaming, or call without stream",
            )
        if kwargs.get("n") not in (None, 1):
            raise UsageError("guard_openai checks one choice per request: n must be 1")
        create = owner._client.chat.completions.create
        steps, context = owner._start(kwargs)
        if owner.is_async:
            return self._acreate(create, steps, kwargs, context)
        messages = next(steps)
        while True:
            try:
                reply = _reply(create(**{**kwargs, "messages": messages}))
            except Exception as exc:
                owner._failed(context, exc)
                raise
            try:
                messages = steps.send(reply)
            except StopIteration as stop:
                return _rebuild(reply.raw, stop.value)

    async def _acreate(self, create: Any, steps: Any, kwargs: dict[str, Any], context: dict[str, Any]) -> Any:
        import anyio.to_thread

        owner = self._owner
        messages = next(steps)
        while True:
            try:
                reply = _reply(await create(**{**kwargs, "messages": messages}))
            except Exception as exc:
                await anyio.to_thread.run_sync(owner._failed, context, exc)
                raise
            done, value = await anyio.to_thread.run_sync(_send, steps, reply)
            if done:
                return _rebuild(reply.raw, value)
            messages = value


def _send(steps: Any, reply: ChatReply) -> tuple[bool, Any]:
    try:
        return False, steps.send(reply)
    except StopIteration as stop:
        return True, stop.value


def _is_async(client: Any, create: Any) -> bool:
    try:
        import openai

        if isinstance(client, openai.AsyncOpenAI):
            return True
        if isinstance(client, openai.OpenAI):
            return False
    except ImportError:  # a look-alike client without the openai package
        pass
    return inspect.iscoroutinefunction(create) or inspect.iscoroutinefunction(inspect.unwrap(create))


class _Chat:
    def __init__(self, owner: GuardedClient) -> None:
        self._owner = owner
        self.completions = _Completions(owner)

    def __getattr__(self, name: str) -> Any:
        if name in _UNGUARDED:
            raise _unguarded("client.chat", name)
        return getattr(self._owner._client.chat, name)


class GuardedClient:
    """The wrapped client: ``chat.completions.create`` is guarded, everything else is the client's own."""

    def __init__(
        self,
        client: Any,
        policy: Policy,
        *,
        channel: str | None = None,
        route: str | None = None,
        gate: Gate | None = None,
        caller: str | None = None,
    ) -> None:
        create = getattr(getattr(getattr(client, "chat", None), "completions", None), "create", None)
        if create is None:
            raise UsageError("guard_openai needs an OpenAI-style client (client.chat.completions.create)")
        if channel is not None:
            policy.for_channel(channel)  # an unknown channel is a UsageError now, not at the first reply
        self._client = client
        self.policy = policy
        self.channel = channel
        self.route = route
        self.is_async = _is_async(client, create)
        self.guard = ReplyGuard(policy, gate if gate is not None else Gate(policy), surface="openai")
        # a flagged tool result in its messages holds its tool calls for integrations.results.taint_for
        # (AG909), kept in the gate's store: under ``caller`` (a name for the agent, kept as a keyed digest),
        # else under the key every anonymous caller shares
        self.taint = ResultTaint.for_gate(policy.integrations.results, self.guard.gate)
        self.caller = self.taint.caller(credential=caller)
        self.chat = _Chat(self)

    def __getattr__(self, name: str) -> Any:
        if name in _UNGUARDED:
            raise _unguarded("client", name)
        return getattr(self._client, name)

    def with_options(self, **options: Any) -> GuardedClient:
        """The client's ``with_options(...)`` (per-request timeouts, headers, ...), guarded as this one is."""
        other = object.__new__(GuardedClient)
        other.__dict__.update(self.__dict__)
        other._client = self._client.with_options(**options)
        other.chat = _Chat(other)
        return other

    copy = with_options

    def _route(self, model: str | None) -> tuple[str, RouteConfig]:
        name, config = resolve_route(self.policy, name=self.route, model=model)
        if self.channel is not None:
            config = config.model_copy(update={"channel": self.channel})
        return name, config

    def _start(self, kwargs: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        messages = [_plain(m) for m in kwargs.get("messages") or []]
        if not messages:
            raise UsageError("chat.completions.create needs messages")
        model = kwargs.get("model")
        name, config = self._route(model if isinstance(model, str) else None)
        request_id = uuid4().hex
        messages, hold = screen_chat_results(self.guard, self.taint, self.caller, messages, request_id)
        steps = exchange_steps(
            self.guard,
            route_name=name,
            route=config,
            messages=messages,
            request_id=request_id,
            model=model if isinstance(model, str) else None,
            hold=hold,
        )
        context = {
            "request_id": request_id,
            "route": name,
            "config": config,
            "messages": messages,
            "model": model,
        }
        return steps, context

    def _failed(self, context: dict[str, Any], exc: Exception) -> None:
        self.guard.record(
            request_id=context["request_id"],
            route=context["route"],
            route_config=context["config"],
            verdict="upstream_error",
            customer=customer_message(context["messages"]),
            model=context["model"] if isinstance(context["model"], str) else None,
            error=type(exc).__name__,
        )


def guard_openai(
    client: Any,
    policy: Policy,
    *,
    channel: str | None = None,
    route: str | None = None,
    gate: Gate | None = None,
    caller: str | None = None,
) -> GuardedClient:
    """Wrap an ``OpenAI`` or ``AsyncOpenAI`` client so each chat completion is checked (see the module doc).

    ``channel`` overrides the route's channel; ``route`` names a route of ``integrations.routes`` (default:
    by model name, else ``default_route``); ``gate`` decides tool calls and holds the ledger (default: a
    gate on the policy's ``gate.store_url``); ``caller`` names the agent for the taint of a flagged tool
    result (AG909; kept as a keyed digest): without it, the client is one of the anonymous callers, which
    share one taint in the gate's store.
    """
    return GuardedClient(client, policy, channel=channel, route=route, gate=gate, caller=caller)
