"""Tool arguments the gate may believe: one reading for the gate and for the tool.

The gate judges an action built from a tool call's arguments; the tool then runs with the arguments. A value
the gate's parser reads one way and a tool's parser another is a way past the gate, so the shells (the MCP
gateway, the proxy, the client wrapper — :mod:`brandrail.integrations.common` — and the :func:`~brandrail.gate.
guard` decorator) refuse such values before anything is decided:

* a flag (``marketing``, ``personalised``, ``recipient.gpc``) that is not a boolean: ``"false"``, ``"0"`` or
  ``"no"`` are False to the gate and true to a tool that asks ``if marketing``;
* a number written as text in any form but plain ASCII decimal digits (``"1e5"``, ``"1_000"``, ``" 10"``,
  ``"１０"``, ``"+10"``), or with exactly three digits after its point (``"1.000"`` is one to the gate and a
  thousand to a German-locale parser);
* a time that is not ISO 8601 text (a Unix number is seconds to one parser and milliseconds to another).

:func:`name_key` is how a name reads (case, width, look-alikes and invisible characters folded): two argument
names with the same key may be bound to the same parameter by a tool framework.
"""

from __future__ import annotations

import functools
import math
import re
import types
from collections.abc import Callable, Hashable, Iterator, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import AwareDatetime, BaseModel

from brandrail._json import ExactFloat, exact_decimal
from brandrail.gate import actions as _actions

__all__ = [
    "FieldKind",
    "action_fields",
    "args_validator",
    "field_kind",
    "json_equal",
    "name_key",
    "nonfinite_paths",
    "value_problem",
    "values_problems",
]

FieldKind = Literal["bool", "number", "time"]

_MODELS: dict[str, type[BaseModel]] = {
    str(model.model_fields["kind"].default): model
    for model in (
        _actions.SendMessage,
        _actions.LaunchCampaign,
        _actions.PauseCampaign,
        _actions.SetBudget,
        _actions.Spend,
        _actions.SetPrice,
        _actions.SetDiscount,
        _actions.TargetAudience,
        _actions.PostSocial,
        _actions.ReplyCustomer,
        _actions.Custom,
    )
}

_KINDS: dict[str, FieldKind] = {"bool": "bool", "number": "number", "time": "time"}
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_ISO_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}")


@functools.lru_cache(maxsize=4096)
def name_key(name: str) -> str:
    """A name as it reads: look-alike letters as Latin (NFKC, confusables), invisible characters dropped, case
    folded, only letters and digits kept. Two names with the same key are the same name to a reader."""
    from brandrail.text.normalize import normalize

    return "".join(c for c in normalize(name)[0].casefold() if c.isalnum())


def _kind_of(annotation: Any) -> FieldKind | type[BaseModel] | None:
    origin = get_origin(annotation)
    if origin is Union or origin is types.UnionType:
        kinds = {_kind_of(a) for a in get_args(annotation) if a is not type(None)}
        return kinds.pop() if len(kinds) == 1 else None
    if origin is Annotated:
        return _kind_of(get_args(annotation)[0])
    if annotation is bool:
        return "bool"
    if annotation in (int, float, Decimal):
        return "number"
    if annotation is AwareDatetime or (isinstance(annotation, type) and issubclass(annotation, datetime)):
        return "time"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


@functools.lru_cache(maxsize=4096)
def field_kind(kind: str, target: str) -> FieldKind | None:
    """The kind of value action field ``target`` (dotted: ``recipient.gpc``) of a ``kind`` action holds, when
    it is one whose text form parsers read differently; None for text, lists, objects and unknown fields."""
    node: Any = _MODELS.get(kind)
    for part in target.split("."):
        if not (isinstance(node, type) and issubclass(node, BaseModel)):
            return None
        field = node.model_fields.get(part)
        if field is None:
            return None
        node = _kind_of(field.annotation)
    return _KINDS.get(node) if isinstance(node, str) else None


def value_problem(value: Any, kind: FieldKind) -> str | None:
    """Why ``value`` cannot stand for a ``kind`` field with one reading (None: it can). Null passes: the
    action model says whether the field may be left out."""
    if value is None:
        return None
    if kind == "bool":
        if isinstance(value, bool):
            return None
        return f"must be true or false, not {value!r} (tools read text and numbers as flags differently)"
    if kind == "number":
        if isinstance(value, bool):
            return f"must be a number, not {value!r}"
        if isinstance(value, ExactFloat):
            return (
                f"{value.text} has more digits than a number holds: it is {float(value)!r} to one parser and "
                f"{value.text} to another; send at most two decimals"
            )
        if isinstance(value, float | Decimal) and value == 0 and str(value).startswith("-"):
            return f"must not be a negative zero ({value!r}): a minus sign on zero is kept by some parsers"
        if isinstance(value, int | float | Decimal):
            return None
        if isinstance(value, str):
            if value.startswith("-") and _PLAIN_NUMBER.fullmatch(value) and not value.strip("-0."):
                return (
                    f"must not be a negative zero ({value!r}): a minus sign on zero is kept by some parsers "
                    "and dropped by others; send 0"
                )
            if not _PLAIN_NUMBER.fullmatch(value):
                return (
                    f"must be a number, or text of plain digits with an optional point, not {value!r} (parsers "
                    "read exponents, separators, spaces, signs and non-ASCII digits differently)"
                )
            if "." in value and len(value.split(".", 1)[1]) == 3:
                return (
                    f"{value!r} is ambiguous: three digits after the point read as a thousands separator in "
                    "some locales; send it as a JSON number or with two decimals"
                )
            return None
        return None  # a list or an object: the action model refuses it
    if isinstance(value, datetime):
        return None
    if isinstance(value, str) and _ISO_TIME.match(value):
        return None
    if isinstance(value, str | int | float | Decimal):
        return (
            f"must be an ISO 8601 time such as 2026-05-04T10:00:00+00:00, not {value!r} (a Unix number is seconds "
            "to one parser and milliseconds to another)"
        )
    return None


def action_fields(kind: str) -> frozenset[str]:
    """The fields of a ``kind`` action (empty for a kind the gate does not know)."""
    model = _MODELS.get(kind)
    return frozenset(model.model_fields) if model is not None else frozenset()


def values_problems(kind: str, data: Mapping[str, Any], prefix: str = "") -> list[str]:
    """:func:`value_problem` for every field of action data ``data`` (and the fields of the objects in it),
    as ``field: why`` lines."""
    out = []
    for name, value in data.items():
        if not isinstance(name, str):
            continue
        what = field_kind(kind, prefix + name)
        problem = value_problem(value, what) if what is not None else None
        if problem is not None:
            out.append(f"{prefix}{name}: {problem}")
        elif what is None and not prefix and isinstance(value, Mapping):
            out.extend(values_problems(kind, value, f"{name}."))
    return out


def nonfinite_paths(value: Any, path: str = "") -> list[str]:
    """The paths (``n``, ``items.0``) of the numbers in ``value`` that are not finite (NaN, infinities; JSON's
    ``1e400`` parses to one): no JSON carries them on to a tool, and no bound the gate checks holds for them."""
    if isinstance(value, Decimal):
        return [] if value.is_finite() else [path]
    if isinstance(value, float):
        return [] if math.isfinite(value) else [path]
    if isinstance(value, Mapping):
        return [p for k, v in value.items() for p in nonfinite_paths(v, f"{path}.{k}" if path else str(k))]
    if isinstance(value, list | tuple):
        return [p for i, v in enumerate(value) for p in nonfinite_paths(v, f"{path}.{i}" if path else str(i))]
    return []


# -- a custom action's args against its JSON Schema, numbers compared exactly ------------------------------

#: Beyond this many digits either side of the point no float reaches: a multipleOf test of such a number is
#: refused (not a multiple) rather than computed with a fraction of unbounded size.
_EXACT_DIGITS = 1000


def _exact(value: Any) -> Decimal | None:
    found = exact_decimal(value)
    return found if found is not None and found.is_finite() else None


def _digits(value: Decimal) -> int:
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    return len(digits) + abs(exponent)


def _bound(name: str, fails: Callable[[Decimal, Decimal], bool], words: str) -> Any:
    def check(validator: Any, bound: Any, instance: Any, schema: Any) -> Iterator[Any]:
        from jsonschema import ValidationError  # type: ignore[import-untyped]

        if not validator.is_type(instance, "number"):
            return
        value, limit = _exact(instance), _exact(bound)
        if value is None or limit is None:  # a bound that is not a number: the schema check refuses it
            yield ValidationError(f"{instance!r} cannot be compared with the {name} {bound!r}")
        elif fails(value, limit):
            yield ValidationError(f"{value} is {words} {bound!r}")

    return check


def _multiple_of(validator: Any, step: Any, instance: Any, schema: Any) -> Iterator[Any]:
    from fractions import Fraction

    from jsonschema import ValidationError

    if not validator.is_type(instance, "number"):
        return
    value, unit = _exact(instance), _exact(step)
    if value is None or unit is None or unit <= 0:
        yield ValidationError(f"{instance!r} cannot be checked as a multiple of {step!r}")
    elif max(_digits(value), _digits(unit)) > _EXACT_DIGITS:
        yield ValidationError(f"{instance!r} has too many digits to be checked as a multiple of {step}")
    elif (Fraction(value) / Fraction(unit)).denominator != 1:
        yield ValidationError(f"{value} is not a multiple of {step}")


#: Number types compared by Python's own equality, which is exact between them (``type`` is matched exactly:
#: not bool, not an ExactFloat, whose float is not what was written).
_PLAIN_NUMBERS: frozenset[type] = frozenset((int, float))


def json_equal(one: Any, two: Any) -> bool:
    """Whether ``one`` and ``two`` are the same JSON value as JSON Schema defines it (``const``, ``enum``,
    ``uniqueItems``), numbers compared exactly as written: 1 and 1.0 are one number, ``100.0000000000000001``
    (an :class:`~brandrail._json.ExactFloat`) is not 100, ``Decimal("0.1")`` is 0.1; true is not 1 and
    false not 0; the text "1" is not the number 1; arrays are equal item by item, objects key by key. A value
    JSON cannot hold (NaN, an infinity, a set, bytes) equals nothing, so a check against it fails closed."""
    kinds = (type(one), type(two))
    if str in kinds:
        return kinds[0] is kinds[1] and one == two
    if kinds[0] in _PLAIN_NUMBERS and kinds[1] in _PLAIN_NUMBERS:
        # Python compares ints and floats by exact value; a float is what its shortest text says
        return bool(one == two) and math.isfinite(one)
    if isinstance(one, bool) or isinstance(two, bool):
        return isinstance(one, bool) and isinstance(two, bool) and one is two
    if one is None or two is None:
        return one is None and two is None
    if isinstance(one, str) or isinstance(two, str):
        return isinstance(one, str) and isinstance(two, str) and one == two
    if isinstance(one, list | tuple) or isinstance(two, list | tuple):
        return (
            isinstance(one, list | tuple)
            and isinstance(two, list | tuple)
            and len(one) == len(two)
            and all(json_equal(a, b) for a, b in zip(one, two, strict=True))
        )
    if isinstance(one, Mapping) or isinstance(two, Mapping):
        return (
            isinstance(one, Mapping)
            and isinstance(two, Mapping)
            and one.keys() == two.keys()
            and all(json_equal(one[key], two[key]) for key in one)
        )
    a, b = _exact(one), _exact(two)
    return a is not None and b is not None and a == b


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def _const(validator: Any, const: Any, instance: Any, schema: Any) -> Iterator[Any]:
    from jsonschema import ValidationError

    if not json_equal(instance, const):
        yield ValidationError(
            f"{_shown(instance)} is not the value {_shown(const)} (compared as JSON, numbers as written)"
        )


def _enum(validator: Any, enums: Any, instance: Any, schema: Any) -> Iterator[Any]:
    from jsonschema import ValidationError

    if not isinstance(enums, list | tuple) or not any(json_equal(instance, each) for each in enums):
        yield ValidationError(
            f"{_shown(instance)} is not one of {_shown(enums)} (compared as JSON, numbers as written)"
        )


def _json_key(value: Any) -> Hashable | None:
    """A key equal for two values exactly when :func:`json_equal` says they are equal (None for a value JSON
    cannot hold), so ``uniqueItems`` is one pass over a long array, not every pair."""
    if isinstance(value, bool) or value is None:
        return ("literal", value)
    if isinstance(value, str):
        return ("string", value)
    if isinstance(value, list | tuple):
        items = [_json_key(item) for item in value]
        return None if any(item is None for item in items) else ("array", tuple(items))
    if isinstance(value, Mapping):
        pairs = [(key, _json_key(item)) for key, item in value.items()]
        return None if any(item is None for _, item in pairs) else ("object", frozenset(pairs))
    number = _exact(value)  # equal Decimals hash alike whatever their exponent: 1, 1.0 and 1e0 are one key
    return None if number is None else ("number", number)


def _unique_items(validator: Any, unique: Any, instance: Any, schema: Any) -> Iterator[Any]:
    from jsonschema import ValidationError

    if unique is not True or not isinstance(instance, list | tuple):
        return
    seen: dict[Hashable, int] = {}
    for i, item in enumerate(instance):
        key = _json_key(item)
        if key is None:
            yield ValidationError(
                f"item {i} ({_shown(item)}) is not a JSON value: its uniqueness cannot be checked"
            )
            return
        if key in seen:
            yield ValidationError(
                f"items {seen[key]} and {i} are the same value ({_shown(item)}): uniqueItems"
            )
            return
        seen[key] = i


def _is_integer(checker: Any, instance: Any) -> bool:
    """JSON Schema's integer, as written: ``100.0000000000000001`` is not one even though its float is."""
    value = _exact(instance)
    return value is not None and value == value.to_integral_value()


def _is_number(checker: Any, instance: Any) -> bool:
    return exact_decimal(instance) is not None


@functools.cache
def _validator_class() -> Any:
    import jsonschema

    base = jsonschema.Draft202012Validator
    return jsonschema.validators.extend(
        base,
        validators={
            "minimum": _bound("minimum", lambda v, b: v < b, "less than the minimum of"),
            "maximum": _bound("maximum", lambda v, b: v > b, "greater than the maximum of"),
            "exclusiveMinimum": _bound(
                "exclusiveMinimum", lambda v, b: v <= b, "less than or equal to the exclusive minimum of"
            ),
            "exclusiveMaximum": _bound(
                "exclusiveMaximum", lambda v, b: v >= b, "greater than or equal to the exclusive maximum of"
            ),
            "multipleOf": _multiple_of,
            "const": _const,
            "enum": _enum,
            "uniqueItems": _unique_items,
        },
        type_checker=base.TYPE_CHECKER.redefine_many({"integer": _is_integer, "number": _is_number}),
    )


def args_validator(schema: Mapping[str, Any]) -> Any:
    """A JSON Schema (2020-12) validator for a custom action's ``args`` that compares numbers exactly as they
    were written — the JSON text's digits (:class:`~brandrail._json.ExactFloat`), a Decimal's, an int's —
    for ``minimum``, ``maximum``, ``exclusiveMinimum``, ``exclusiveMaximum``, ``multipleOf``, the
    ``integer`` type, and ``const``, ``enum`` and ``uniqueItems`` (:func:`json_equal`: 1 and 1.0 one number,
    true not 1, "1" not 1). A float's rounding (``100.0000000000000001`` is the float 100.0) cannot carry an
    argument past a bound that a tool reading decimals then sees it break."""
    return _validator_class()(schema)
