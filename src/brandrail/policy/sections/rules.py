"""``rules:`` — change the severity of a rule or turn it off, by code."""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from brandrail.policy.sections.base import Section, SeverityField, new_dict

__all__ = ["RuleSetting"]


class RuleSetting(Section):
    """``BR101: warning``, ``BR401: off`` or ``BR101: {severity: warning, enabled: true}``."""

    enabled: bool = True
    severity: SeverityField | None = None
    options: dict[str, Any] = Field(default_factory=new_dict)

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        if value is False or (isinstance(value, str) and value.lower() in {"off", "disabled", "false"}):
            return {"enabled": False}
        if value is True or (isinstance(value, str) and value.lower() in {"on", "enabled", "true"}):
            return {"enabled": True}
        if isinstance(value, str):
            return {"severity": value}
        return value
