"""brandrail keeps marketing AI on-brand, ethical, on-goal and within bounds — and proves it.

The public API::

    import brandrail
    policy = brandrail.load_policy("brandrail.yaml")
    result = brandrail.check("Our cheapest tents, guaranteed!", policy, channel="sms")
    result.passed, result.findings, result.scores, result.policy_version

Pillar APIs (fairness and goal audits, the action gate, the ledger) load their heavy dependencies only
when first used.
"""

# Nothing is imported at run time here, not even `typing`: the command line's entry point
# (brandrail.cli.main) runs right after this file and takes over Ctrl-C from there (mypy reads the
# names below; TYPE_CHECKING is the name it treats as true).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from brandrail.engine import check, check_field, check_many, check_text
    from brandrail.errors import (
        ApprovalError,
        BrandrailError,
        DataError,
        GateError,
        InputError,
        LedgerError,
        PolicyError,
        RuleError,
        UsageError,
    )
    from brandrail.fairness import audit_fairness
    from brandrail.findings import Edit, Finding, Fix, Result, Severity, Span
    from brandrail.gate import Gate
    from brandrail.gate.guard import guard
    from brandrail.goals import audit_goals, evaluate_policy
    from brandrail.integrations.openai import guard_openai
    from brandrail.ledger import Ledger
    from brandrail.policy import Policy, load_policy, loads_policy, policy_from_dict
    from brandrail.text import Document
    from brandrail.text.meta import MessageMeta
    from brandrail.voice import profile_text
del TYPE_CHECKING  # not part of the public API

__all__ = [
    "ApprovalError",
    "BrandrailError",
    "DataError",
    "Document",
    "Edit",
    "Finding",
    "Fix",
    "Gate",
    "GateError",
    "InputError",
    "Ledger",
    "LedgerError",
    "MessageMeta",
    "Policy",
    "PolicyError",
    "Result",
    "RuleError",
    "Severity",
    "Span",
    "UsageError",
    "__version__",
    "audit_fairness",
    "audit_goals",
    "check",
    "check_field",
    "check_many",
    "check_text",
    "evaluate_policy",
    "guard",
    "guard_openai",
    "load_policy",
    "loads_policy",
    "policy_from_dict",
    "profile_text",
]

__version__ = "0.1.0"

#: Core names, imported on first use: ``import brandrail`` itself costs next to nothing, so the command
#: line can install its Ctrl-C handling before the heavy imports (pydantic, the policy models) start.
_CORE = {
    "check": "brandrail.engine",
    "check_field": "brandrail.engine",
    "check_many": "brandrail.engine",
    "check_text": "brandrail.engine",
    "ApprovalError": "brandrail.errors",
    "BrandrailError": "brandrail.errors",
    "DataError": "brandrail.errors",
    "GateError": "brandrail.errors",
    "InputError": "brandrail.errors",
    "LedgerError": "brandrail.errors",
    "PolicyError": "brandrail.errors",
    "RuleError": "brandrail.errors",
    "UsageError": "brandrail.errors",
    "Edit": "brandrail.findings",
    "Finding": "brandrail.findings",
    "Fix": "brandrail.findings",
    "Result": "brandrail.findings",
    "Severity": "brandrail.findings",
    "Span": "brandrail.findings",
    "Policy": "brandrail.policy",
    "load_policy": "brandrail.policy",
    "loads_policy": "brandrail.policy",
    "policy_from_dict": "brandrail.policy",
    "Document": "brandrail.text",
    "MessageMeta": "brandrail.text.meta",
}

#: Public names that live in pillars, imported on first use (they need extras).
_LAZY = {
    "audit_fairness": "brandrail.fairness",
    "audit_goals": "brandrail.goals",
    "evaluate_policy": "brandrail.goals",
    "Gate": "brandrail.gate",
    "guard": "brandrail.gate",
    "guard_openai": "brandrail.integrations.openai",
    "Ledger": "brandrail.ledger",
    "profile_text": "brandrail.voice",
}


def __getattr__(name: str) -> "Any":
    module = _CORE.get(name) or _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'brandrail' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
