"""Human approvals: requests the gate opens for ``review`` decisions, and the reviewers' answers.

An approval is bound to the exact action (:func:`~brandrail.gate.actions.action_digest` of its canonical
arguments), the policy version and an expiry, and is single-use: the gate consumes it atomically when the
identical action is resubmitted, so one approval never authorises two calls. The agent that proposed an
action cannot approve it. Every request, approval and rejection is a ledger entry.
"""

from __future__ import annotations

import json
from collections import namedtuple
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal
from uuid import uuid4

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from brandrail.errors import ApprovalError
from brandrail.gate.store import GateStore, execute
from brandrail.gate.store import tables as t

__all__ = ["Approval", "ApprovalStatus", "approve", "get_approval", "list_approvals", "reject", "resolve"]

ApprovalStatus = Literal["pending", "approved", "rejected", "used"]


@dataclass(frozen=True)
class Approval:
    """One approval request and its answer."""

    id: str
    decision_id: str
    action_id: str
    digest: str
    policy_version: str
    agent: str
    kind: str
    action: dict[str, Any]
    reasons: list[dict[str, Any]]
    status: str
    created_at: datetime
    expires_at: datetime
    reviewer: str | None = None
    comment: str | None = None
    decided_at: datetime | None = None
    used_by: str | None = None

    def expired(self, now: datetime) -> bool:
        return now >= self.expires_at

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": 1,
            "id": self.id,
            "status": self.status,
            "decision_id": self.decision_id,
            "action_id": self.action_id,
            "digest": self.digest,
            "policy_version": self.policy_version,
            "agent": self.agent,
            "kind": self.kind,
            "action": self.action,
            "reasons": self.reasons,
            "created_at": self.created_at.isoformat(),
            "expires_at": self.expires_at.isoformat(),
            "reviewer": self.reviewer,
            "comment": self.comment,
            "decided_at": self.decided_at.isoformat() if self.decided_at else None,
            "used_by": self.used_by,
        }


_COLUMNS = [c.name for c in t.approvals.columns]
_Row = namedtuple("_Row", _COLUMNS)  # type: ignore[misc]
_INSERT = (
    "INSERT INTO gate_approvals (id, decision_id, action_id, digest, policy_version, agent, kind, action, "
    "reasons, status, created_at, expires_at) VALUES (:id, :decision_id, :action_id, :digest, "
    ":policy_version, :agent, :kind, :action, :reasons, :status, :created_at, :expires_at)"
)
_SELECT = (
    f"SELECT {', '.join(_COLUMNS)} FROM gate_approvals WHERE digest = :g AND policy_version = :p "
    "AND status IN ('approved', 'rejected', 'pending') ORDER BY created_at DESC"
)


def _from_row(row: Any) -> Approval:
    return Approval(
        id=row.id,
        decision_id=row.decision_id,
        action_id=row.action_id,
        digest=row.digest,
        policy_version=row.policy_version,
        agent=row.agent,
        kind=row.kind,
        action=json.loads(row.action),
        reasons=json.loads(row.reasons),
        status=row.status,
        created_at=t.parse_iso(row.created_at),
        expires_at=t.parse_iso(row.expires_at),
        reviewer=row.reviewer,
        comment=row.comment,
        decided_at=t.parse_iso(row.decided_at) if row.decided_at else None,
        used_by=row.used_by,
    )


def create_request(
    conn: Connection,
    *,
    decision_id: str,
    action_id: str,
    digest: str,
    policy_version: str,
    agent: str,
    kind: str,
    masked_action: dict[str, Any],
    reasons: list[dict[str, Any]],
    now: datetime,
    ttl: timedelta,
) -> str:
    """Open a pending approval request (inside the decision's transaction); returns its id."""
    approval_id = "apr_" + uuid4().hex[:20]
    execute(
        conn,
        _INSERT,
        {
            "id": approval_id,
            "decision_id": decision_id,
            "action_id": action_id,
            "digest": digest,
            "policy_version": policy_version,
            "agent": agent,
            "kind": kind,
            "action": json.dumps(masked_action, sort_keys=True),
            "reasons": json.dumps(reasons, sort_keys=True),
            "status": "pending",
            "created_at": t.iso(now),
            "expires_at": t.iso(now + ttl),
        },
    )
    return approval_id


def resolve(
    store: GateStore, conn: Connection, digest: str, policy_version: str, now: datetime
) -> tuple[str, Approval] | None:
    """The state of approvals for this exact action under this policy version, best first.

    Returns ``("approved", a)`` for a usable approval, ``("rejected", a)``, ``("expired", a)`` for an
    approval that expired unused, ``("pending", a)`` for an open request, or None.
    """
    store.lock(conn, f"approval:{digest}")
    rows = execute(conn, _SELECT, {"g": digest, "p": policy_version}).fetchall()
    found = [_from_row(_Row(*r)) for r in rows]
    for a in found:
        if a.status == "approved" and not a.expired(now):
            return "approved", a
    for a in found:
        if a.status == "rejected":
            return "rejected", a
    for a in found:
        if a.status == "approved":
            return "expired", a
    for a in found:
        if a.status == "pending" and not a.expired(now):
            return "pending", a
    return None


def consume(conn: Connection, approval_id: str, decision_id: str) -> bool:
    """Mark an approval used by ``decision_id``; False when another decision used it first."""
    result = conn.execute(
        t.approvals.update()
        .where(t.approvals.c.id == approval_id, t.approvals.c.status == "approved")
        .values(status="used", used_by=decision_id)
    )
    return result.rowcount == 1


def get_approval(store: GateStore, approval_id: str) -> Approval:
    with store.reader() as conn:
        row = conn.execute(sa.select(t.approvals).where(t.approvals.c.id == approval_id)).first()
    if row is None:
        raise ApprovalError(
            f"no approval request {approval_id!r}", hint="list them with `brandrail approvals list`"
        )
    return _from_row(row)


def list_approvals(store: GateStore, status: str | None = None) -> list[Approval]:
    query = sa.select(t.approvals).order_by(t.approvals.c.created_at)
    if status is not None:
        query = query.where(t.approvals.c.status == status)
    with store.reader() as conn:
        return [_from_row(r) for r in conn.execute(query).all()]


def _answer(
    store: GateStore, approval_id: str, *, reviewer: str, comment: str, status: str, now: datetime | None
) -> Approval:
    reviewer = reviewer.strip()
    if not reviewer:
        raise ApprovalError("a reviewer identity is required", hint="pass --reviewer NAME")
    now = now or datetime.now(UTC)
    with store.transaction() as conn:
        store.lock(conn, f"approval-id:{approval_id}")
        row = conn.execute(sa.select(t.approvals).where(t.approvals.c.id == approval_id)).first()
        if row is None:
            raise ApprovalError(
                f"no approval request {approval_id!r}", hint="list them with `brandrail approvals list`"
            )
        approval = _from_row(row)
        if approval.status != "pending":
            raise ApprovalError(f"approval request {approval_id} is already {approval.status}")
        if approval.expired(now):
            raise ApprovalError(
                f"approval request {approval_id} expired at {approval.expires_at.isoformat()}",
                hint="the agent must submit the action again to open a new request",
            )
        verb = "approve" if status == "approved" else "reject"
        if reviewer == approval.agent:
            raise ApprovalError(
                f"{reviewer!r} proposed this action and cannot {verb} it",
                hint="another person must review it",
            )
        conn.execute(
            t.approvals.update()
            .where(t.approvals.c.id == approval_id)
            .values(status=status, reviewer=reviewer, comment=comment, decided_at=t.iso(now))
        )
        store.ledger.append(
            conn,
            kind="approval",
            payload={
                "schema_version": 1,
                "approval_id": approval_id,
                "decision_id": approval.decision_id,
                "action_id": approval.action_id,
                "digest": approval.digest,
                "status": status,
                "reviewer": reviewer,
                "comment": comment,
                "expires_at": approval.expires_at.isoformat(),
            },
            policy_version=approval.policy_version,
            at=now,
        )
    return get_approval(store, approval_id)


def approve(
    store: GateStore, approval_id: str, *, reviewer: str, comment: str = "", now: datetime | None = None
) -> Approval:
    """Approve a pending request (not by the agent that proposed it; not after it expired)."""
    return _answer(store, approval_id, reviewer=reviewer, comment=comment, status="approved", now=now)


def reject(
    store: GateStore, approval_id: str, *, reviewer: str, comment: str = "", now: datetime | None = None
) -> Approval:
    """Reject a pending request; resubmitting the identical action is then denied (AG703)."""
    return _answer(store, approval_id, reviewer=reviewer, comment=comment, status="rejected", now=now)
