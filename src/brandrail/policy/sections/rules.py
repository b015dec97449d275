"""``rules:`` — change the severity of a rule or turn it off, by code."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, Field, model_validator

from brandrail.policy.sections.base import Section, SeverityField, new_dict

__all__ = ["RuleCode", "RuleSetting"]


def _not_a_gate_code(code: str) -> str:
    if code[:2].upper() == "AG" and code[2:].isdigit():
        raise ValueError(
            f"{code} is a gate code: the gate decides it from its own settings, and `rules:` cannot re-grade it "
            "or switch it off (a guard the policy could quietly turn off is no guard); remove it and change "
            "the `gate:` settings instead (docs/gate.md)"
        )
    if code.upper() == "BR999":
        raise ValueError(
            "BR999 is the check budget's code: a message whose checks ran out of their CPU budget was not "
            "read and never passes, so `rules:` cannot re-grade it or switch it off; remove it, and raise the "
            "budget instead (`brandrail serve --check-budget`, `brandrail check --budget`; docs/server.md)"
        )
    return code


#: A code under ``rules:``: any rule code but a gate code (AG…), which the gate decides from ``gate:``, and
#: BR999 (a check stopped at its budget), which always fails.
RuleCode = Annotated[str, AfterValidator(_not_a_gate_code)]


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
