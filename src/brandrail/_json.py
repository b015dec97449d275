"""Strict JSON reading: exactly one meaning per document, or a clear error that says where.

``json.loads`` quietly accepts what readers disagree on: a key named twice in one object (Python keeps the
last value, other parsers the first), ``NaN`` and ``Infinity`` (not JSON), numbers that overflow to infinity
(``1e999``) or run to thousands of digits, and bytes in UTF-16 or UTF-32. Whoever checks a document and
whoever acts on it must read the same thing, so these are refused here (:func:`strict_loads`), and
:func:`unique_keys` is the object hook for readers that keep their own ``json.loads`` call.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = [
    "MAX_NUMBER_CHARS",
    "ExactFloat",
    "StrictJsonError",
    "exact_decimal",
    "exact_float",
    "strict_loads",
    "unique_keys",
]

#: Longest number accepted (characters): enough for any amount, id or timestamp; far below Python's limit.
MAX_NUMBER_CHARS = 100


class ExactFloat(float):
    """A JSON number whose text says more than its float: ``100.0000000000000001`` is the float 100.0 to
    Python and 100.0000000000000001 to a reader that keeps decimals. It is that float everywhere (JSON out,
    arithmetic), and :func:`exact_decimal` reads its ``text``, so a bound is checked against what was written.
    """

    __slots__ = ("text",)
    text: str

    def __new__(cls, text: str) -> ExactFloat:
        value = super().__new__(cls, text)
        value.text = text
        return value

    def __reduce__(self) -> tuple[Any, ...]:
        return (ExactFloat, (self.text,))


def exact_float(text: str) -> float:
    """``parse_float`` hook: the float of ``text``, an :class:`ExactFloat` when the float loses some of it."""
    value = float(text)
    if math.isfinite(value):
        try:
            if Decimal(text) != Decimal(repr(value)):
                return ExactFloat(text)
        except InvalidOperation:  # pragma: no cover - json only passes number text
            return value
    return value


def exact_decimal(value: Any) -> Decimal | None:
    """The exact value of a number as written: an int's, an :class:`ExactFloat`'s text, a float's shortest
    text (``0.1`` is 0.1, not the binary fraction next to it), a Decimal itself; None for anything else
    (booleans included)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, ExactFloat):
        return Decimal(value.text)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value)) if math.isfinite(value) else Decimal(str(value))
    if isinstance(value, Decimal):
        return value
    return None


class StrictJsonError(ValueError):
    """A document that is not strict JSON: ``msg`` says what, ``line``/``column`` (1-based) where, if known."""

    def __init__(self, msg: str, line: int | None = None, column: int | None = None) -> None:
        where = f" (line {line}, column {column})" if line is not None else ""
        super().__init__(f"{msg}{where}")
        self.msg = msg
        self.line = line
        self.column = column


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``json.loads`` object hook: an object naming a key twice is refused (readers disagree on which value
    counts, so a document could be checked as saying one thing and acted on as saying another)."""
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise StrictJsonError(f"the key {key[:100]!r} appears twice in one object")
            seen.add(key)
    return obj


def _constant(name: str) -> Any:
    raise StrictJsonError(f"{name} is not a JSON value (JSON numbers are finite)")


def _int(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise StrictJsonError(f"a number of {len(text)} digits (the limit is {MAX_NUMBER_CHARS})")
    return int(text)


def _float(text: str) -> float:
    if len(text) > MAX_NUMBER_CHARS:
        raise StrictJsonError(f"a number of {len(text)} characters (the limit is {MAX_NUMBER_CHARS})")
    value = exact_float(text)
    if not math.isfinite(value):
        raise StrictJsonError(f"the number {text[:40]} is too large to represent (it would be infinite)")
    return value


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


def strict_loads(data: bytes | str) -> Any:
    """The value of a strict JSON document (UTF-8 bytes or text), or :class:`StrictJsonError`."""
    if isinstance(data, (bytes, bytearray)):
        try:
            text = bytes(data).decode("utf-8")
        except UnicodeDecodeError as exc:
            before = bytes(data[: exc.start]).decode("utf-8", "replace")
            line, column = _line_col(before, len(before))
            raise StrictJsonError(
                f"the document is not UTF-8 (byte {exc.start} is 0x{data[exc.start]:02x})", line, column
            ) from None
    else:
        text = data
    if text.startswith("\ufeff"):
        raise StrictJsonError("the document starts with a byte order mark; send plain UTF-8", 1, 1)
    try:
        return json.loads(
            text,
            object_pairs_hook=unique_keys,
            parse_constant=_constant,
            parse_int=_int,
            parse_float=_float,
        )
    except json.JSONDecodeError as exc:
        raise StrictJsonError(exc.msg, exc.lineno, exc.colno) from None
    except RecursionError:
        raise StrictJsonError("the document is nested too deeply") from None
    except StrictJsonError:
        raise
    except ValueError as exc:  # pragma: no cover - int() of a digit string within the limit does not fail
        raise StrictJsonError(str(exc)) from None
