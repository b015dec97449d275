"""Input limits the gate checks before any costly rule: size (``gate.limits``) and finite numbers.

:func:`check_input` walks an action as the caller sent it (JSON text, a mapping or a model) once: the
whole action's size, each string's length (per field path, list indexes left out: ``content``,
``recipient.tcf``, ``args.note``), the number of items of each list and object, the nesting depth, and
every number — NaN and ±Infinity are malformed wherever they appear (typed fields, custom ``args``,
audience values), as are the JSON constants ``NaN`` and ``Infinity`` and, in JSON text, a key named twice
in one object (readers disagree on which value counts: the gate decides on neither).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel

from brandrail._json import StrictJsonError, exact_float, unique_keys
from brandrail.policy.sections.gate import LimitsPolicy

__all__ = ["InputProblem", "check_input"]


@dataclass(frozen=True, slots=True)
class InputProblem:
    """Why an action was refused before parsing: ``kind`` is ``size`` (AG004), ``number`` or ``key`` (a key
    named twice in one object) (AG001)."""

    kind: Literal["size", "number", "key"]
    path: str
    message: str
    value: int | str | None = None
    threshold: int | None = None


class _NonFiniteError(ValueError):
    pass


def _reject_constant(name: str) -> Any:
    raise _NonFiniteError(name)


def check_input(raw: Any, limits: LimitsPolicy) -> tuple[Any, InputProblem | None]:
    """``(data, problem)``: the decoded action (JSON text is parsed here, once) and the first problem."""
    if isinstance(raw, (str, bytes, bytearray)):
        size = len(raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw)
        if size > limits.max_action_bytes:
            return None, InputProblem(
                "size",
                "(action)",
                f"the action is {size} bytes; the limit is {limits.max_action_bytes} (gate.limits."
                "max_action_bytes)",
                size,
                limits.max_action_bytes,
            )
        try:
            # a number is kept as written when its float says less (gate/arguments.py: bounds are checked exactly)
            data = json.loads(
                raw, parse_constant=_reject_constant, object_pairs_hook=unique_keys, parse_float=exact_float
            )
        except _NonFiniteError as exc:
            return None, InputProblem(
                "number", "(action)", f"{exc} is not a number: NaN and Infinity are not allowed", str(exc)
            )
        except StrictJsonError as exc:  # readers disagree on which value of a repeated key counts
            return None, InputProblem("key", "(action)", exc.msg)
        except (ValueError, RecursionError):
            return raw, None  # not JSON: the parser reports it as malformed
    elif isinstance(raw, BaseModel):
        data = raw.model_dump(mode="python")
    else:
        data = raw
    return data, _walk(data, limits)


def _walk(data: Any, limits: LimitsPolicy) -> InputProblem | None:
    fields = limits.fields
    default = limits.max_field_chars
    max_items = limits.max_items
    max_depth = limits.max_depth
    budget = limits.max_action_bytes
    total = 0
    stack: list[tuple[str, Any, int]] = [("", data, 0)]
    pop, push = stack.pop, stack.append
    while stack:
        path, value, depth = pop()
        kind = type(value)
        if kind is str:
            n = len(value)
            total += n + 2
            cap = fields.get(path, default)
            if n > cap:
                return InputProblem(
                    "size",
                    path or "(action)",
                    f"{path or 'the action'} is {n} characters; the limit is {cap} (gate.limits."
                    + (f"fields.{path})" if path in fields else "max_field_chars)"),
                    n,
                    cap,
                )
        elif kind is dict or (kind is not list and isinstance(value, Mapping)):
            if depth >= max_depth:
                return _too_deep(path, depth, max_depth)
            if len(value) > max_items:
                return InputProblem(
                    "size",
                    path,
                    f"{path or 'the action'} has {len(value)} keys; the limit is {max_items} "
                    "(gate.limits.max_items)",
                    len(value),
                    max_items,
                )
            prefix = f"{path}." if path else ""
            for key, item in value.items():
                name = key if type(key) is str else str(key)
                if len(name) > default:
                    return InputProblem(
                        "size",
                        path,
                        f"a key in {path or 'the action'} is {len(name)} characters; the limit is {default}",
                        len(name),
                        default,
                    )
                total += len(name) + 4
                push((prefix + name, item, depth + 1))
        elif kind is list or kind is tuple:
            if depth >= max_depth:
                return _too_deep(path, depth, max_depth)
            if len(value) > max_items:
                return InputProblem(
                    "size",
                    path,
                    f"{path} has {len(value)} items; the limit is {max_items} (gate.limits.max_items)",
                    len(value),
                    max_items,
                )
            for item in value:
                push((path, item, depth + 1))
        elif kind is float:
            total += 8
            if not math.isfinite(value):
                return InputProblem("number", path, f"{path}: {value} is not a finite number", str(value))
        elif kind is Decimal or isinstance(value, Decimal):
            total += 8
            if not value.is_finite():
                return InputProblem("number", path, f"{path}: {value} is not a finite number", str(value))
        elif isinstance(value, float):  # a float subclass (numpy and the like)
            total += 8
            if not math.isfinite(value):
                return InputProblem("number", path, f"{path}: {value} is not a finite number", str(value))
        else:
            total += 8
        if total > budget:
            return InputProblem(
                "size",
                "(action)",
                f"the action is over {budget} bytes (gate.limits.max_action_bytes)",
                total,
                budget,
            )
    return None


def _too_deep(path: str, depth: int, limit: int) -> InputProblem:
    return InputProblem(
        "size", path or "(action)", f"{path or 'the action'} nests deeper than {limit} levels", depth, limit
    )
