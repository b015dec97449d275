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

The tool gets exactly what the gate judged: the call is bound to the tool's signature, so arguments passed
by position are judged by their names, the tool's own defaults for action fields are judged (a ``None``
default counts as not given), extra positional values (``*lines``) go into the action under their parameter's
name (refused unless that is an action field, ``*images``), and the values are copied before the decision, so
neither the caller nor the gate can change what the tool then receives. A flag, number or time written so
that parsers read it differently (``marketing="false"``, ``amount="1.000"``; :mod:`brandrail.gate.arguments`)
is refused before anything is decided. A repeated action id (the gate's idempotency) does not run the tool a
second time. A tool that raises an error has its reservation released; a timeout (``TimeoutError``) or a
cancellation leaves it standing, since the action may have happened.

``async def`` tools are guarded too: the wrapper is then a coroutine function, and the gate's decision and
outcome report (database work) run in a worker thread so the event loop is not blocked. Generator functions
are refused when decorated: their body runs after the wrapper has returned.
"""

from __future__ import annotations

import copy
import functools
import inspect
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, ParamSpec, TypeVar, cast
from uuid import uuid4

from brandrail.gate.arguments import action_fields, values_problems
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
        if inspect.isgeneratorfunction(func) or inspect.isasyncgenfunction(func):
            raise TypeError(
                f"guard cannot guard the generator function {func.__name__}: its body runs after the gate's "
                "outcome report; return the results as a list instead"
            )
        signature = inspect.signature(func)
        params = signature.parameters
        takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
        fields = action_fields(kind)

        def prepare(
            args: tuple[Any, ...], kwargs: dict[str, Any]
        ) -> tuple[dict[str, Any], inspect.BoundArguments]:
            """The action data, and the call the tool gets: bound to its signature, copied before the gate sees
            any of it (the caller may change its objects; the gate must not change the tool's)."""
            meta: dict[str, Any] = {
                k: kwargs.pop(k)
                for k in ("id", "agent", "time")
                if k in kwargs and k not in params and not takes_any
            }
            bound = signature.bind(*args, **kwargs)  # a call the tool cannot take fails here, before deciding
            judged = copy.deepcopy(dict(bound.arguments))
            bound.arguments.update(copy.deepcopy(judged))
            if build is not None:
                copied = inspect.BoundArguments(signature, copy.deepcopy(judged))
                data = dict(build(*copied.args, **copied.kwargs, **meta))
            else:
                data = {"kind": kind}
                for name, value in judged.items():
                    what = params[name].kind
                    if what is inspect.Parameter.VAR_KEYWORD:
                        data.update(value)
                    elif what is inspect.Parameter.VAR_POSITIONAL:
                        if value:  # judged under its name: refused unless it is an action field (*images)
                            data[name] = list(value)
                    else:
                        data[name] = value
                for name, param in params.items():
                    # the tool's own default is what it will use, not the gate's (None: not given)
                    default = param.default
                    if (
                        name not in judged
                        and name in fields
                        and default is not param.empty
                        and default is not None
                    ):
                        data[name] = copy.deepcopy(default)
            data.update(meta)
            data.setdefault("kind", kind)
            data.setdefault("agent", agent)
            data.setdefault("id", uuid4().hex)
            data.setdefault("time", datetime.now(UTC).isoformat())
            return data, bound

        def refused_values(data: dict[str, Any]) -> str | None:
            problems = values_problems(str(data.get("kind")), data)
            if not problems:
                return None
            return "\n".join(
                [
                    f"DENIED by the brandrail gate: the arguments of {func.__name__} do not have one reading; do not "
                    "carry it out.",
                    *(f"- {p}" for p in problems),
                    "Send each argument in the type the tool takes.",
                ]
            )

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
            rescheduled ``send_at`` for a tool that sends at once), or an action id decided before (the gate
            answers a repeat with the first decision and reserves nothing more). Run, it would be an action
            the gate did not allow as it stands."""
            if decision.repeated:
                return (
                    f"NOT CARRIED OUT: action id {decision.action_id!r} was already decided (decision "
                    f"{decision.decision_id}); {func.__name__} is not run again under it. Give a new action a "
                    "new id."
                )
            missing = {k: v for k, v in changes(decision).items() if not (takes_any or takes(k))}
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

        def takes(name: str) -> bool:
            """The tool has a parameter of its own for action field ``name`` (not ``*name``/``**name``)."""
            return name in params and params[name].kind not in (
                inspect.Parameter.VAR_KEYWORD,
                inspect.Parameter.VAR_POSITIONAL,
            )

        def call_args(decision: Decision, bound: inspect.BoundArguments) -> inspect.BoundArguments:
            # action metadata the tool does not take (id, agent, time) was never bound; lost() has made sure
            # the tool takes each change
            extra = next((n for n, p in params.items() if p.kind is inspect.Parameter.VAR_KEYWORD), None)
            for name, value in changes(decision).items():
                if takes(name):
                    bound.arguments[name] = value
                elif extra is not None:
                    bound.arguments.setdefault(extra, {})[name] = value
            return bound

        def released(exc: BaseException) -> bool:
            """A tool that raised an error did not act; after a timeout or a cancellation it may have."""
            return isinstance(exc, Exception) and not isinstance(exc, TimeoutError)

        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_wrapper(*args: P.args, **kwargs: P.kwargs) -> R | str:
                import anyio
                import anyio.to_thread

                data, bound = prepare(args, dict(kwargs))
                problem = refused_values(data)
                if problem is not None:
                    return problem
                decision = await anyio.to_thread.run_sync(gate.decide, data)
                if not decision.allowed:
                    return decision.message()
                refused = lost(decision)
                if refused is not None:
                    if not decision.repeated:
                        await anyio.to_thread.run_sync(
                            lambda: gate.report_outcome(decision.decision_id, executed=False)
                        )
                    return refused
                call = call_args(decision, bound)
                try:
                    result = await func(*call.args, **call.kwargs)
                except BaseException as exc:
                    if released(exc):
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
            data, bound = prepare(args, dict(kwargs))
            problem = refused_values(data)
            if problem is not None:
                return problem
            decision = gate.decide(data)
            if not decision.allowed:
                return decision.message()
            refused = lost(decision)
            if refused is not None:
                if not decision.repeated:
                    gate.report_outcome(decision.decision_id, executed=False)
                return refused
            call = call_args(decision, bound)
            try:
                result = func(*call.args, **call.kwargs)
            except BaseException as exc:
                if released(exc):
                    gate.report_outcome(decision.decision_id, executed=False)
                raise
            gate.report_outcome(decision.decision_id, executed=True)
            return result

        return wrapper

    return decorate
