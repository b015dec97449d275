"""Human approvals: requests the gate opens for ``review`` decisions, and the reviewers' answers.

An approval is bound to the exact action (:func:`~brandrail.gate.actions.action_digest` of its canonical
arguments), the principal that proposed it, the policy version and an expiry, and is single-use: the gate consumes it atomically when the
identical action is resubmitted, so one approval never authorises two calls. The agent that proposed an
action cannot approve it. Every request, approval and rejection is a ledger entry.
"""

from __future__ import annotations

import json
import logging
from collections import namedtuple
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal
from uuid import uuid4

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from brandrail.errors import ApprovalError
from brandrail.gate.bindings import approval_problem, request_record
from brandrail.gate.principal import Principal, canonical_id, registered_principal
from brandrail.gate.store import GateStore, execute
from brandrail.gate.store import tables as t

if TYPE_CHECKING:
    from brandrail.policy import Policy

__all__ = [
    "Approval",
    "ApprovalStatus",
    "approve",
    "get_approval",
    "ledger_problem",
    "list_approvals",
    "reject",
    "resolve",
]

_log = logging.getLogger("brandrail.gate")

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
    ledger_entry: str | None = None
    ledger_hash: str | None = None

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
    "reasons, status, created_at, expires_at, ledger_entry) VALUES (:id, :decision_id, :action_id, :digest, "
    ":policy_version, :agent, :kind, :action, :reasons, :status, :created_at, :expires_at, :decision_id)"
)
_SELECT = (
    f"SELECT {', '.join(_COLUMNS)} FROM gate_approvals WHERE digest IN (:g, :l) AND policy_version = :p "
    "AND status IN ('approved', 'rejected', 'pending') ORDER BY created_at DESC"
)


def _json(text: Any, empty: Any) -> Any:
    """A JSON column's value; ``empty`` when the row holds something else (an edited row, which the ledger
    check refuses: it is shown, never acted on)."""
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return empty
    return value if isinstance(value, type(empty)) else empty


def _time(text: Any) -> datetime:
    """A time column's value; the earliest time when it is not one (so an edited expiry has passed)."""
    try:
        moment = t.parse_iso(str(text))
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _from_row(row: Any) -> Approval:
    return Approval(
        id=row.id,
        decision_id=row.decision_id,
        action_id=row.action_id,
        digest=row.digest,
        policy_version=row.policy_version,
        agent=row.agent,
        kind=row.kind,
        action=_json(row.action, {}),
        reasons=_json(row.reasons, []),
        status=row.status,
        created_at=_time(row.created_at),
        expires_at=_time(row.expires_at),
        reviewer=row.reviewer,
        comment=row.comment,
        decided_at=_time(row.decided_at) if row.decided_at else None,
        used_by=row.used_by,
        ledger_entry=row.ledger_entry,
        ledger_hash=row.ledger_hash,
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
    claimed_agent: str | None = None,
) -> tuple[str, dict[str, str]]:
    """Open a pending approval request (inside the decision's transaction); returns its id and what the
    decision's ledger entry records about it (``approval_request``: its expiry and the digest of its reasons,
    which :func:`~brandrail.gate.bindings.approval_problem` checks the row against; ``claimed_agent``: the keyed
    reference to the agent the action names, :meth:`~brandrail.gate.pseudonyms.PseudonymKeys.claim_ref`)."""
    approval_id = "apr_" + uuid4().hex[:20]
    reasons_text = json.dumps(reasons, sort_keys=True)
    expires_at = t.iso(now + ttl)
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
            "reasons": reasons_text,
            "status": "pending",
            "created_at": t.iso(now),
            "expires_at": expires_at,
        },
    )
    return approval_id, request_record(reasons_text, expires_at, claimed_agent)


def resolve(
    store: GateStore,
    conn: Connection,
    digest: str,
    policy_version: str,
    now: datetime,
    agent: str | None = None,
    legacy: str | None = None,
) -> tuple[str, Approval] | None:
    """The state of approvals for this exact action under this policy version, best first.

    ``digest`` is :func:`~brandrail.gate.actions.action_digest` (numbers by value); ``legacy`` the digest
    of earlier releases (:func:`~brandrail.gate.actions.legacy_action_digest`), under which requests
    opened before the upgrade were recorded: those count too, for the identical action as written.

    Returns ``("approved", a)`` for a usable approval, ``("rejected", a)``, ``("expired", a)`` for an
    approval that expired unused, ``("pending", a)`` for an open request, or None.

    ``agent`` is the principal deciding (canonical id): an approval, an expired approval and an open
    request count only for the principal that proposed the action — another principal submitting the
    identical action neither uses nor waits on it. A rejection counts for every principal (it only
    tightens). None (library use without principals) counts every request.
    """
    store.lock(conn, f"approval:{digest}")
    found_rows = execute(conn, _SELECT, {"g": digest, "l": legacy or digest, "p": policy_version}).fetchall()
    rows = [_Row(*r) for r in found_rows]
    found: list[Approval] = []
    for row in rows:
        # a row edited or inserted outside the gate does not match the ledger: it is never used
        problem = (
            approval_problem(store.ledger, conn, row) if getattr(row, "status", "") != "pending" else None
        )
        if problem is not None:
            _log.warning("approval row refused: %s", problem)
            continue
        found.append(_from_row(row))
    mine = [a for a in found if agent is None or canonical_id(a.agent) == canonical_id(agent)]
    for a in mine:
        if a.status == "approved" and not a.expired(now):
            return "approved", a
    for a in found:
        if a.status == "rejected":
            return "rejected", a
    for a in mine:
        if a.status == "approved":
            return "expired", a
    for a in mine:
        if a.status == "pending" and not a.expired(now):
            return "pending", a
    return None


def consume(conn: Connection, approval_id: str, decision_id: str) -> bool:
    """Mark an approval used by ``decision_id``; False when another decision used it first."""
    result = conn.execute(
        t.approvals.update()
        .where(t.approvals.c.id == approval_id, t.approvals.c.status == "approved")
        .values(status="used", used_by=decision_id, ledger_entry=decision_id, ledger_hash=None)
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


def ledger_problem(store: GateStore, approval_id: str) -> str | None:
    """Why approval request ``approval_id`` does not match the ledger (an edited row: what it shows is not
    what the agent proposed, and answering it is refused), or None when it does or there is no such row."""
    with store.reader() as conn:
        row = conn.execute(sa.select(t.approvals).where(t.approvals.c.id == approval_id)).first()
        return approval_problem(store.ledger, conn, row) if row is not None else None


def list_approvals(
    store: GateStore, status: str | None = None, *, now: datetime | None = None
) -> list[Approval]:
    """Approval requests, oldest first; ``status`` keeps one status, or ``"expired"``: the pending and
    approved (unused) requests whose expiry has passed at ``now`` (default: the current time)."""
    query = sa.select(t.approvals).order_by(t.approvals.c.created_at)
    if status == "expired":
        moment = t.iso(now or datetime.now(UTC))
        query = query.where(
            t.approvals.c.status.in_(("pending", "approved")), t.approvals.c.expires_at <= moment
        )
    elif status is not None:
        query = query.where(t.approvals.c.status == status)
    with store.reader() as conn:
        return [_from_row(r) for r in conn.execute(query).all()]


def _reviewer(reviewer: str | Principal, policy: Policy | None) -> Principal:
    """The reviewing principal: a verified Principal with the reviewer role, or a registered name."""
    found: Principal | None
    if isinstance(reviewer, Principal):
        found = reviewer
    else:
        if not canonical_id(reviewer):
            raise ApprovalError("a reviewer identity is required", hint="pass --reviewer NAME")
        found = registered_principal(policy.gate, reviewer) if policy is not None else None
        if found is None:
            raise ApprovalError(
                f"reviewer {reviewer!r} is not a registered principal",
                hint="register reviewers under gate.principals in the policy with the reviewer role",
            )
    assert found is not None
    if not found.has("reviewer"):
        raise ApprovalError(
            f"principal {found.id!r} does not hold the reviewer role",
            hint="give it the reviewer role under gate.principals",
        )
    return found


def _claimed_by(store: GateStore, conn: Connection, approval: Approval, reviewer: str) -> bool:
    """Whether the agent the action names is ``reviewer``, by the keyed reference its decision entry records
    (the stored action shows that name masked when it is personal data: ``"agent": "[email]"``). A reference
    under a key this process does not hold cannot be checked: the answer is refused (fail closed)."""
    entry = store.ledger.get(approval.decision_id, conn=conn)
    request = (
        entry.payload.get("approval_request")
        if entry is not None and isinstance(entry.payload, dict)
        else None
    )
    ref = request.get("claimed_agent") if isinstance(request, dict) else None
    if not isinstance(ref, str):
        return False
    same = store.keys.claims(ref, reviewer)
    if same is None:
        raise ApprovalError(
            f"cannot check that {reviewer!r} is not the agent approval request {approval.id} names: its "
            f"reference is under pseudonym key {ref.partition(':')[0]!r}, which is not loaded",
            hint="answer with the gate's policy (--policy) or its BRANDRAIL_PSEUDONYM_KEY",
        )
    return same


def _answer(
    store: GateStore,
    approval_id: str,
    *,
    reviewer: str | Principal,
    comment: str,
    status: str,
    now: datetime | None,
    policy: Policy | None,
) -> Approval:
    who = _reviewer(reviewer, policy)
    now = now or datetime.now(UTC)
    with store.transaction() as conn:
        store.lock(conn, f"approval-id:{approval_id}")
        row = conn.execute(sa.select(t.approvals).where(t.approvals.c.id == approval_id)).first()
        if row is None:
            raise ApprovalError(
                f"no approval request {approval_id!r}", hint="list them with `brandrail approvals list`"
            )
        if row.status != "pending":
            raise ApprovalError(f"approval request {approval_id} is already {row.status}")
        problem = approval_problem(store.ledger, conn, row)
        if problem is not None:
            raise ApprovalError(
                f"approval request {approval_id} does not match the ledger and is refused: {problem}",
                hint="run `brandrail ledger verify` on the gate database",
            )
        approval = _from_row(row)
        if approval.expired(now):
            raise ApprovalError(
                f"approval request {approval_id} expired at {approval.expires_at.isoformat()}",
                hint="the agent must submit the action again to open a new request",
            )
        verb = "approve" if status == "approved" else "reject"
        claimed = approval.action.get("agent") if isinstance(approval.action, dict) else None
        if who.id in (canonical_id(approval.agent), canonical_id(str(claimed or ""))) or _claimed_by(
            store, conn, approval, who.id
        ):
            raise ApprovalError(
                f"{who.id!r} proposed this action and cannot {verb} it",
                hint="another person must review it",
            )
        entry = store.ledger.append(
            conn,
            kind="approval",
            payload={
                "schema_version": 1,
                "approval_id": approval_id,
                "decision_id": approval.decision_id,
                "action_id": approval.action_id,
                "digest": approval.digest,
                "status": status,
                "reviewer": who.id,
                "reviewer_via": who.via,
                "comment": comment,
                "expires_at": approval.expires_at.isoformat(),
            },
            policy_version=approval.policy_version,
            at=now,
        )
        conn.execute(
            t.approvals.update()
            .where(t.approvals.c.id == approval_id)
            .values(
                status=status,
                reviewer=who.id,
                comment=comment,
                decided_at=t.iso(now),
                ledger_entry=entry.id,
                ledger_hash=entry.hash,
            )
        )
    return get_approval(store, approval_id)


def approve(
    store: GateStore,
    approval_id: str,
    *,
    reviewer: str | Principal,
    comment: str = "",
    now: datetime | None = None,
    policy: Policy | None = None,
) -> Approval:
    """Approve a pending request as ``reviewer`` (a verified Principal with the reviewer role, or a name
    registered in ``policy``'s ``gate.principals``); never by the agent that proposed it, nor after expiry."""
    return _answer(
        store, approval_id, reviewer=reviewer, comment=comment, status="approved", now=now, policy=policy
    )


def reject(
    store: GateStore,
    approval_id: str,
    *,
    reviewer: str | Principal,
    comment: str = "",
    now: datetime | None = None,
    policy: Policy | None = None,
) -> Approval:
    """Reject a pending request; resubmitting the identical action is then denied (AG703)."""
    return _answer(
        store, approval_id, reviewer=reviewer, comment=comment, status="rejected", now=now, policy=policy
    )
