"""brandrail keeps marketing AI on-brand, ethical, on-goal and within bounds — and proves it.

The public API::

    import brandrail
    policy = brandrail.load_policy("brandrail.yaml")
    result = brandrail.check("Our cheapest tents, guaranteed!", policy, channel="sms")
    result.passed, result.findings, result.scores, result.policy_version

Pillar APIs (fairness and goal audits, the action gate, the ledger) load their heavy dependencies only
when first used.
"""

import importlib as _importlib
import typing as _typing

from brandrail.engine import check, check_many, check_text
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
from brandrail.findings import Edit, Finding, Fix, Result, Severity, Span
from brandrail.policy import Policy, load_policy, loads_policy, policy_from_dict
from brandrail.text import Document
from brandrail.text.meta import MessageMeta

if _typing.TYPE_CHECKING:
    from brandrail.fairness import audit_fairness
    from brandrail.gate import Gate
    from brandrail.gate.guard import guard
    from brandrail.goals import audit_goals, evaluate_policy
    from brandrail.integrations.openai import guard_openai
    from brandrail.ledger import Ledger
    from brandrail.voice import profile_text

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

#: Public names that live in pillars, imported on first use.
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


def __getattr__(name: str) -> _typing.Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'brandrail' has no attribute {name!r}")
    value = getattr(_importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
