"""Shared pieces of the policy models."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict

from brandrail.findings import Severity

__all__ = [
    "NonEmptyStr",
    "Regex",
    "RegexList",
    "Section",
    "SeverityField",
    "StrList",
    "default_of",
    "new_dict",
    "new_list",
]


class Section(BaseModel):
    """Base of every policy model: unknown keys are errors, values are immutable once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False, validate_default=True)


# Default factories. pydantic asks each field's ``default_factory`` whether it takes the validated data
# (``inspect.signature``); for the builtins ``list``/``dict`` and for a model class that costs 0.07-0.5 ms
# each, and the policy models have ~170 of them: plain functions cut building the models at import by
# about a third (bench/results/install.md).


def new_list() -> list[Any]:
    """``default_factory`` for an empty list (a plain function: see the note above)."""
    return []


def new_dict() -> dict[Any, Any]:
    """``default_factory`` for an empty mapping (a plain function: see the note above)."""
    return {}


_M = TypeVar("_M", bound=BaseModel)


def default_of(model: type[_M]) -> Callable[[], _M]:
    """``default_factory`` for a nested section with all its defaults: ``default_of(TermsSection)``."""

    def make() -> _M:
        return model()

    return make


def _severity(value: object) -> object:
    if isinstance(value, str):
        return Severity.parse(value)
    return value


SeverityField = Annotated[Severity, BeforeValidator(_severity)]


def _non_empty(value: object) -> object:
    if isinstance(value, str) and not value.strip():
        raise ValueError("must not be empty")
    return value


NonEmptyStr = Annotated[str, BeforeValidator(_non_empty)]


def _str_list(value: object) -> object:
    if isinstance(value, str):
        return [value]
    return value


#: A list of strings that also accepts a single string.
StrList = Annotated[list[NonEmptyStr], BeforeValidator(_str_list)]


def _regex(value: object) -> object:
    if isinstance(value, str):
        try:
            re.compile(value)
        except re.error as err:
            raise ValueError(
                f"invalid regular expression {value!r}: {err}; escape special characters with a backslash"
            ) from None
    return value


#: A regular expression, compiled when the policy loads (a bad one is an error at its line and column).
Regex = Annotated[str, BeforeValidator(_regex), BeforeValidator(_non_empty)]

#: A list of regular expressions (a single string is accepted too).
RegexList = Annotated[list[Regex], BeforeValidator(_str_list)]
