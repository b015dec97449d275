"""The agent action gate: typed actions, decisions with AG-coded reasons, state stores and approvals.

>>> gate = Gate(policy, store="sqlite:///.brandrail/gate.db")
>>> decision = gate.decide({"kind": "spend", "id": "a1", "agent": "bot", "time": "...", ...}, principal=caller)
>>> if decision.allowed: ...; gate.report_outcome(decision.decision_id, executed=True, principal=executor)

See docs/gate.md.
"""

from brandrail._extras import require as _require

_require("gate", "sqlalchemy", "cryptography", "iab_tcf")

from brandrail.gate.actions import (
    Action,
    Custom,
    LaunchCampaign,
    PauseCampaign,
    PostSocial,
    Recipient,
    ReplyCustomer,
    SendMessage,
    SetBudget,
    SetDiscount,
    SetPrice,
    Spend,
    TargetAudience,
    action_digest,
    action_json_schema,
    parse_action,
)
from brandrail.gate.approvals import Approval, approve, get_approval, list_approvals, reject
from brandrail.gate.consent import record_gpc
from brandrail.gate.decide import Gate, WriteStats
from brandrail.gate.decision import CapUse, Decision, Outcome
from brandrail.gate.guard import guard
from brandrail.gate.principal import Principal, canonical_id
from brandrail.gate.store import GateStore

__all__ = [
    "Action",
    "Approval",
    "CapUse",
    "Custom",
    "Decision",
    "Gate",
    "GateStore",
    "LaunchCampaign",
    "Outcome",
    "PauseCampaign",
    "PostSocial",
    "Principal",
    "Recipient",
    "ReplyCustomer",
    "SendMessage",
    "SetBudget",
    "SetDiscount",
    "SetPrice",
    "Spend",
    "TargetAudience",
    "WriteStats",
    "action_digest",
    "action_json_schema",
    "approve",
    "canonical_id",
    "get_approval",
    "guard",
    "list_approvals",
    "parse_action",
    "record_gpc",
    "reject",
]
