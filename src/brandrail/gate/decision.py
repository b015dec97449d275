"""The :class:`Decision` the gate returns for every action."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from brandrail.findings import Finding, Severity
from brandrail.gate.actions import Action, parse_action

__all__ = ["CapUse", "Decision", "Outcome", "finding_from_dict"]

Outcome = Literal["allow", "deny", "review", "modify"]


@dataclass(frozen=True)
class Decision:
    """What the gate decided about one action.

    ``outcome`` is ``allow`` (carry it out), ``modify`` (carry out ``modified_action`` instead), ``review``
    (a human decides; ``approval_id`` names the request) or ``deny``. ``findings`` are the reasons (AG
    codes plus the content codes that fired). Report whether an allowed action was carried out with
    :meth:`brandrail.gate.Gate.report_outcome` so unexecuted reservations are released.
    """

    decision_id: str
    outcome: Outcome
    findings: tuple[Finding, ...]
    policy_version: str
    time: datetime
    action_id: str | None = None
    action: Action | None = None
    modified_action: Action | None = None
    digest: str | None = None
    approval_id: str | None = None
    ledger_seq: int | None = None
    repeated: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def allowed(self) -> bool:
        """True for ``allow`` and ``modify``: the caller may carry out :attr:`effective_action`."""
        return self.outcome in ("allow", "modify")

    @property
    def effective_action(self) -> Action | None:
        return self.modified_action if self.modified_action is not None else self.action

    @property
    def codes(self) -> list[str]:
        return sorted({f.code for f in self.findings})

    def message(self) -> str:
        """A message an agent's model can act on: the outcome, each reason and what to do next."""
        head = {
            "allow": "ALLOWED by the brandrail gate.",
            "modify": "ALLOWED WITH CHANGES by the brandrail gate: carry out the modified action instead.",
            "review": "SENT TO HUMAN REVIEW by the brandrail gate: do not carry it out now.",
            "deny": "DENIED by the brandrail gate: do not carry it out.",
        }[self.outcome]
        lines = [head]
        for f in self.findings:
            if f.severity is Severity.INFO:
                continue
            lines.append(f"- {f.code} {f.rule}: {f.message}")
        if self.outcome == "review":
            lines.append(
                f"Approval request {self.approval_id} is waiting for a reviewer. Once approved, submit the "
                "identical action again; it will be allowed exactly once."
            )
        elif self.outcome == "deny":
            lines.append("Change the action to address each reason above, or choose another action.")
        lines.append(f"(decision {self.decision_id})")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": 1,
            "decision_id": self.decision_id,
            "outcome": self.outcome,
            "allowed": self.allowed,
            "action_id": self.action_id,
            "policy_version": self.policy_version,
            "time": self.time.isoformat(),
            "digest": self.digest,
            "approval_id": self.approval_id,
            "ledger_seq": self.ledger_seq,
            "repeated": self.repeated,
            "codes": self.codes,
            "findings": [f.to_dict() for f in self.findings],
            "action": self.action.model_dump(mode="json") if self.action is not None else None,
            "modified_action": self.modified_action.model_dump(mode="json") if self.modified_action else None,
            **({"extra": self.extra} if self.extra else {}),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, repeated: bool = False) -> Decision:
        """Rebuild a decision from :meth:`to_dict` (used for idempotent repeats)."""
        return cls(
            decision_id=data["decision_id"],
            outcome=data["outcome"],
            findings=tuple(finding_from_dict(f) for f in data.get("findings", [])),
            policy_version=data["policy_version"],
            time=datetime.fromisoformat(data["time"]),
            action_id=data.get("action_id"),
            action=parse_action(data["action"]) if data.get("action") else None,
            modified_action=parse_action(data["modified_action"]) if data.get("modified_action") else None,
            digest=data.get("digest"),
            approval_id=data.get("approval_id"),
            ledger_seq=data.get("ledger_seq"),
            repeated=repeated,
            extra=dict(data.get("extra") or {}),
        )


def finding_from_dict(data: dict[str, Any]) -> Finding:
    """A finding from its ``to_dict`` form (span and fix are not restored)."""
    return Finding(
        code=str(data["code"]),
        rule=str(data.get("rule", "")),
        severity=Severity(data.get("severity", "error")),
        message=str(data.get("message", "")),
        match=data.get("match"),
        evidence=dict(data.get("evidence") or {}),
        path=data.get("path"),
    )


@dataclass(frozen=True, slots=True)
class CapUse:
    """How much of one budget cap is in use, and what an action would leave (see :meth:`Gate.cap_use`).

    ``code`` is the AG code that refuses a spend over this cap (AG102 a campaign's daily cap, AG103 an
    agent's cap for its period); ``label`` names the cap; ``key`` is the gate's counter key. Amounts are in
    the policy's currency units: ``cap`` the limit, ``used`` what allowed actions have reserved (released
    ones given back), ``remaining`` = cap − used, ``amount`` what the action would add.
    """

    code: str
    label: str
    key: str
    cap: Decimal
    used: Decimal
    amount: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.cap - self.used

    @property
    def after(self) -> Decimal:
        """What would remain after the action (negative: the gate would refuse it)."""
        return self.cap - self.used - self.amount
