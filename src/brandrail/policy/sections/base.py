"""Shared pieces of the policy models."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict

from brandrail.findings import Severity

__all__ = ["NonEmptyStr", "Section", "SeverityField", "StrList"]


class Section(BaseModel):
    """Base of every policy model: unknown keys are errors, values are immutable once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False, validate_default=True)


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
