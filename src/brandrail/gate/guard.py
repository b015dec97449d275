"""A decorator that puts the gate in front of an agent's tool function.

>>> @guard(gate, "spend", agent="ads-bot")
... def spend(campaign: str, amount: str) -> str: ...

Each call becomes an action (``kind`` plus the call's keyword arguments, or whatever ``build`` returns),
is decided, and the tool runs only when the decision allows it — with the gate's modifications applied
to the arguments it takes (``id``, ``agent`` and ``time`` may be passed to set the action's metadata; they
reach the tool only if it takes them). The outcome is reported back (executed, or released when the tool raised).
A denied or reviewed call does not run and returns :meth:`Decision.message`, a text the agent's model can
act on. An allowed call that the gate changed in a field the tool takes no argument for (a rescheduled
``send_at`` for a tool that sends at once) does not run either: it is released and returns why.

``async def`` tools are guarded too: the wrapper is then a coroutine function, and the gate's decision and
outcome report (database work) run in a worker thread so the event loop is not blocked.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, ParamSpec, TypeVar, cast
from uuid import uuid4

from brandrail.gate.decide import Gate
from brandrail.gate.decision import Decision

__all__ = ["guard"]

P = ParamSpec("P")
R = TypeVar("R")


def guard(
    gate: Gate,
    kind: str,
    *,
    agent: str,
    build: Callable[..., dict[str, Any]] | None = None,
) -> Callable[[Callable[P, R]], Callable[P, R | str]]:
    """Guard a tool function with ``gate``; see the module docstring."""

    def decorate(func: Callable[P, R]) -> Callable[P, R | str]:
        signature = inspect.signature(func)
        params = set(signature.parameters)
        takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in signature.parameters.values())

        def prepare(args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
            data = dict(build(*args, **kwargs)) if build is not None else {"kind": kind, **kwargs}
            data.setdefault("kind", kind)
            data.setdefault("agent", agent)
            data.setdefault("id", uuid4().hex)
            data.setdefault("time", datetime.now(UTC).isoformat())
            return data

        def changes(decision: Decision) -> dict[str, Any]:
            modified = decision.modified_action
            if modified is None or decision.action is None:
                return {}
            return {
                name: getattr(modified, name)
                for name in type(modified).model_fields
                if getattr(modified, name) != getattr(decision.action, name)
            }

        def lost(decision: Decision) -> str | None:
            """Why the call cannot run as the gate allows it: a change the tool takes no argument for (a
            rescheduled ``send_at`` for a tool that sends at once). Run unchanged, it would be the very action
            the gate would not allow as it stood."""
            missing = {k: v for k, v in changes(decision).items() if not (takes_any or k in params)}
            if not missing:
                return None
            shown = ", ".join(f"{k} → {v}" for k, v in missing.items())
            return "\n".join(
                [
                    f"NOT CARRIED OUT: the brandrail gate allows {func.__name__} only with changes it takes no "
                    f"argument for ({shown}).",
                    *decision.message().splitlines()[1:],
                ]
            )

        def call_args(decision: Decision, kwargs: dict[str, Any]) -> dict[str, Any]:
            # action metadata the tool does not take (id, agent, time) is not passed on
            call_kwargs: dict[str, Any] = {k: v for k, v in kwargs.items() if takes_any or k in params}
            call_kwargs.update(changes(decision))  # lost() has made sure the tool takes each of them
            return call_kwargs

        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_wrapper(*args: P.args, **kwargs: P.kwargs) -> R | str:
                import anyio
                import anyio.to_thread

                data = prepare(args, kwargs)
                decision = await anyio.to_thread.run_sync(gate.decide, data)
                if not decision.allowed:
                    return decision.message()
                refused = lost(decision)
                if refused is not None:
                    await anyio.to_thread.run_sync(
                        lambda: gate.report_outcome(decision.decision_id, executed=False)
                    )
                    return refused
                call_kwargs = call_args(decision, kwargs)
                try:
                    result = await func(*args, **call_kwargs)
                except BaseException:
                    with anyio.CancelScope(shield=True):  # report even when the task is cancelled
                        await anyio.to_thread.run_sync(
                            lambda: gate.report_outcome(decision.decision_id, executed=False)
                        )
                    raise
                await anyio.to_thread.run_sync(
                    lambda: gate.report_outcome(decision.decision_id, executed=True)
                )
                return cast(R, result)

            return cast(Callable[P, R | str], async_wrapper)

        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R | str:
            data = prepare(args, kwargs)
            decision = gate.decide(data)
            if not decision.allowed:
                return decision.message()
            refused = lost(decision)
            if refused is not None:
                gate.report_outcome(decision.decision_id, executed=False)
                return refused
            call_kwargs = call_args(decision, kwargs)
            try:
                result = func(*args, **call_kwargs)
            except BaseException:
                gate.report_outcome(decision.decision_id, executed=False)
                raise
            gate.report_outcome(decision.decision_id, executed=True)
            return result

        return wrapper

    return decorate
