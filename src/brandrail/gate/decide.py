"""The :class:`Gate`: decide agent actions against the policy and the shared state, and record every decision.

``decide()`` is a function of (policy, state, action): the stateless rules run first (outside any lock),
then one writer transaction checks idempotency, consent, suppression, prices and approvals, takes the
atomic reservations, records the decision and appends the masked ledger entry — all of which commit
together or not at all. Any error while deciding is a ``deny`` with the reason (fail closed).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import sqlalchemy as sa
from pydantic import BaseModel, ValidationError
from sqlalchemy.engine import Connection

from brandrail.errors import GateError
from brandrail.findings import Finding, Severity
from brandrail.gate import actions as a
from brandrail.gate import approvals as ap
from brandrail.gate import codes as c
from brandrail.gate.actions import Action, Custom, action_digest, parse_action, validation_message
from brandrail.gate.decision import Decision, Outcome
from brandrail.gate.masking import TextMasker, mask_action
from brandrail.gate.rules import Evaluation, evaluate
from brandrail.gate.store import GateStore
from brandrail.gate.store import tables as t
from brandrail.policy import Policy
from brandrail.policy.sections.gate import parse_duration

__all__ = ["Gate"]

_ACTION_TYPES: tuple[type[BaseModel], ...] = (
    a.SendMessage,
    a.LaunchCampaign,
    a.PauseCampaign,
    a.SetBudget,
    a.Spend,
    a.SetPrice,
    a.SetDiscount,
    a.TargetAudience,
    a.PostSocial,
    a.ReplyCustomer,
    a.Custom,
)


def _is_action(value: Any) -> bool:
    return isinstance(value, _ACTION_TYPES)


class Gate:
    """Decide agent actions: ``Gate(policy, store=...)``, then :meth:`decide` and :meth:`report_outcome`.

    ``store`` is a :class:`GateStore`, a database URL, or None for the policy's ``gate.store_url``
    (default ``sqlite:///.brandrail/gate.db``). ``clock`` returns the current time (tests and replay).
    """

    def __init__(
        self,
        policy: Policy,
        store: GateStore | str | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.policy = policy
        if store is None:
            store = GateStore.from_url(policy.gate.store_url, durability=policy.gate.durability)
        elif isinstance(store, str):
            store = GateStore.from_url(store, durability=policy.gate.durability)
        else:
            store.set_durability(policy.gate.durability)
            store.migrate()
        self.store = store
        self.clock = clock or (lambda: datetime.now(UTC))
        self._mask_text = TextMasker(policy.gate.masking, policy)

    # -- deciding ---------------------------------------------------------------------------------------

    def decide(self, action: Action | Mapping[str, Any] | str | bytes) -> Decision:
        """Decide one action (a model, a mapping or JSON text). Never raises for a bad action: it denies."""
        now = self.clock()
        decision_id = uuid4().hex
        parsed: Action | None = None
        try:
            if _is_action(action):
                parsed = action  # type: ignore[assignment]
            else:
                try:
                    parsed = parse_action(action)
                except ValidationError as exc:
                    return self._malformed(decision_id, action, validation_message(exc), now)
                except (ValueError, TypeError) as exc:
                    return self._malformed(decision_id, action, str(exc), now)
            assert parsed is not None
            evaluation = evaluate(self.policy, parsed, now)
            return self._commit(decision_id, parsed, evaluation, now)
        except Exception as exc:  # fail closed: any error is a deny with the reason
            return self._fail_closed(decision_id, parsed, exc, now)

    def _malformed(self, decision_id: str, raw: Any, problem: str, now: datetime) -> Decision:
        action_id = raw.get("id") if isinstance(raw, Mapping) and isinstance(raw.get("id"), str) else None
        finding = c.MalformedAction.finding(f"malformed action: {problem}", evidence={"errors": problem})
        text = raw if isinstance(raw, (str, bytes)) else json.dumps(raw, sort_keys=True, default=str)
        raw_digest = hashlib.sha256(text.encode() if isinstance(text, str) else text).hexdigest()
        payload_extra = {
            "malformed": True,
            "raw_sha256": raw_digest,
            "kind": raw.get("kind")
            if isinstance(raw, Mapping) and isinstance(raw.get("kind"), str)
            else None,
        }
        return self._record_simple(
            decision_id,
            action_id=action_id,
            action=None,
            findings=[finding],
            now=now,
            payload_extra=payload_extra,
        )

    def _fail_closed(
        self, decision_id: str, action: Action | None, exc: Exception, now: datetime
    ) -> Decision:
        finding = c.GateErrorDenied.finding(
            f"the gate could not decide ({type(exc).__name__}: {exc}); denied",
            evidence={"error": type(exc).__name__, "detail": str(exc)[:500]},
        )
        try:
            return self._record_simple(
                decision_id,
                action_id=action.id if action else None,
                action=action,
                findings=[finding],
                now=now,
                payload_extra={"error": True},
            )
        except Exception as second:  # the store itself is broken: deny without a ledger entry
            return Decision(
                decision_id=decision_id,
                outcome="deny",
                findings=(finding,),
                policy_version=self.policy.version,
                time=now,
                action_id=action.id if action else None,
                action=action,
                extra={"ledger_error": f"{type(second).__name__}: {second}"[:500]},
            )

    def _record_simple(
        self,
        decision_id: str,
        *,
        action_id: str | None,
        action: Action | None,
        findings: list[Finding],
        now: datetime,
        payload_extra: dict[str, Any],
    ) -> Decision:
        """Record a deny that touched no state (malformed action, gate error)."""
        with self.store.transaction() as conn:
            decision = Decision(
                decision_id=decision_id,
                outcome="deny",
                findings=tuple(findings),
                policy_version=self.policy.version,
                time=now,
                action_id=action_id,
                action=action,
                digest=action_digest(action) if action is not None else None,
            )
            return self._write(conn, decision, [], payload_extra)

    def _commit(self, decision_id: str, action: Action, ev: Evaluation, now: datetime) -> Decision:
        store = self.store
        policy = self.policy
        digest = action_digest(action)
        with store.transaction() as conn:
            # idempotency: the action id is claimed for one set of arguments
            claimed = store.claim(conn, action.id, digest)
            if not claimed:
                store.lock(conn, f"action:{action.id}")
                row = conn.execute(
                    sa.select(t.actions.c.digest, t.actions.c.decision_id, t.actions.c.outcome).where(
                        t.actions.c.action_id == action.id
                    )
                ).one()
                if row.digest != digest:
                    finding = c.IdempotencyKeyReused.finding(
                        f"action id {action.id!r} was already decided for different arguments",
                        evidence={"action_id": action.id, "digest": digest, "previous_digest": row.digest},
                    )
                    decision = Decision(
                        decision_id, "deny", (finding,), policy.version, now, action.id, action, None, digest
                    )
                    return self._write(conn, decision, [], {"idempotency_conflict": True}, index=False)
                if row.outcome in ("allow", "modify", "deny") and row.decision_id:
                    stored = store.decision_row(conn, row.decision_id)
                    # a released allow is decided afresh: its reservations are gone
                    if stored is not None and stored["status"] != "released":
                        return Decision.from_dict(json.loads(stored["response"]), repeated=True)

            findings = list(ev.findings)
            previous_price: tuple[int, dict[str, Any] | None] = (0, None)
            reservations: list[dict[str, Any]] = []
            rows: list[dict[str, Any]] = []  # reservation rows, written with the decision row
            approval_id: str | None = None
            outcome: Outcome | None = "deny" if ev.denied else None
            review = list(ev.review)
            observed: dict[str, Any] = {}
            findings += self._consent(conn, ev, observed)

            if outcome is None:
                price_findings, price_review, previous_price = self._price_state(conn, ev, now)
                findings += price_findings
                review += price_review
                if any(f.severity is Severity.ERROR for f in findings):
                    outcome = "deny"

            pending_use: ap.Approval | None = None
            if outcome is None and review:
                state = ap.resolve(store, conn, digest, policy.version, now)
                if state is not None and state[0] == "approved":
                    pending_use = state[1]
                elif state is not None and state[0] == "rejected":
                    a = state[1]
                    findings.append(
                        c.ApprovalRejected.finding(
                            f"reviewer {a.reviewer} rejected this action ({a.id})"
                            + (f": {a.comment}" if a.comment else ""),
                            evidence={"approval_id": a.id, "reviewer": a.reviewer, "comment": a.comment},
                        )
                    )
                    outcome = "deny"
                elif state is not None and state[0] == "expired":
                    a = state[1]
                    findings.append(
                        c.ApprovalExpired.finding(
                            f"the approval {a.id} for this action expired at {a.expires_at.isoformat()}",
                            evidence={"approval_id": a.id, "expires_at": a.expires_at.isoformat()},
                        )
                    )
                    outcome = "deny"
                else:
                    findings += review
                    outcome = "review"
                    if state is not None:
                        approval_id = state[1].id
                    else:
                        approval_id = ap.create_request(
                            conn,
                            decision_id=decision_id,
                            action_id=action.id,
                            digest=digest,
                            policy_version=policy.version,
                            agent=action.agent,
                            kind=action.name if isinstance(action, Custom) else action.kind,
                            masked_action=self._mask(action),
                            reasons=[self._mask_finding(f) for f in review],
                            now=now,
                            ttl=parse_duration(policy.gate.approvals.expires_after),
                        )

            if outcome is None:
                refused = self._reserve(conn, ev, decision_id, reservations, rows)
                if refused is not None:
                    findings.append(refused)
                    outcome = "deny"
                else:
                    if ev.price is not None:
                        store.set_price(
                            conn,
                            ev.price.item,
                            now.astimezone(UTC).date().isoformat(),
                            previous_price[0],
                            ev.price.price,
                        )
                        undo = previous_price[1]
                        rows.append(
                            {
                                "d": decision_id,
                                "kind": "price",
                                "k": ev.price.item,
                                "n": ev.price.price,
                                "undo": json.dumps(undo),
                            }
                        )
                        reservations.append({"kind": "price", "key": ev.price.item, "amount": ev.price.price})
                    if pending_use is not None:
                        if not ap.consume(conn, pending_use.id, decision_id):
                            raise GateError(f"approval {pending_use.id} was used concurrently")
                        approval_id = pending_use.id
                        findings.append(
                            c.ApprovalRequired.finding(
                                f"approved by {pending_use.reviewer} ({pending_use.id}); approval now used",
                                evidence={
                                    "approval_id": pending_use.id,
                                    "reviewer": pending_use.reviewer,
                                    "thresholds": [f.message for f in review],
                                },
                                severity=Severity.INFO,
                            )
                        )
                    outcome = "modify" if ev.modified is not None else "allow"

            decision = Decision(
                decision_id=decision_id,
                outcome=outcome,
                findings=tuple(findings),
                policy_version=policy.version,
                time=now,
                action_id=action.id,
                action=action,
                modified_action=ev.modified if outcome == "modify" else None,
                digest=digest,
                approval_id=approval_id,
            )
            return self._write(
                conn, decision, reservations, {"observed": observed} if observed else {}, rows=rows
            )

    # -- stateful checks --------------------------------------------------------------------------------

    def _consent(self, conn: Connection, ev: Evaluation, observed: dict[str, Any]) -> list[Finding]:
        """Suppression and consent lookups; what was looked up is recorded in ``observed`` (for replay)."""
        plan = ev.consent
        if plan is None:
            return []
        out: list[Finding] = []
        granted, hit = self.store.contact_state(conn, plan.recipient, list(plan.contacts), plan.channel)
        observed["suppressed"] = hit is not None
        observed["suppression_reason"] = hit[1] if hit is not None else None
        observed["consent"] = granted
        if hit is not None:
            out.append(
                c.RecipientSuppressed.finding(
                    f"recipient {plan.recipient} is on the suppression list for {plan.channel}"
                    + (f" ({hit[1]})" if hit[1] else ""),
                    evidence={"recipient": plan.recipient, "channel": plan.channel, "reason": hit[1]},
                )
            )
        if plan.needs_opt_in and granted is not True:
            out.append(
                c.ConsentMissing.finding(
                    f"no granted {plan.channel} consent on record for recipient {plan.recipient}",
                    evidence={"recipient": plan.recipient, "channel": plan.channel},
                )
            )
        return out

    def _price_state(
        self, conn: Connection, ev: Evaluation, now: datetime
    ) -> tuple[list[Finding], list[Finding], tuple[int, dict[str, Any] | None]]:
        """AG205 and the price-change approval threshold; returns the day's opening price and the undo."""
        plan = ev.price
        if plan is None:
            return [], [], (0, None)
        bounds = self.policy.gate
        today = now.astimezone(UTC).date().isoformat()
        row = self.store.price_row(conn, plan.item)
        if row is None:
            return [], [], (plan.price, None)
        day, open_cents, price_cents = row
        opening = open_cents if day == today else price_cents
        undo = {"day": day, "open_cents": open_cents, "price_cents": price_cents}
        if opening <= 0:
            return [], [], (opening, undo)
        change = abs(plan.price - opening) / opening * 100
        findings: list[Finding] = []
        review: list[Finding] = []
        limit = bounds.price.max_change_per_day
        evidence = {
            "value": round(change, 2),
            "opening_price": f"{opening / 100:.2f}",
            "new_price": f"{plan.price / 100:.2f}",
        }
        if limit is not None and change > limit:
            findings.append(
                c.PriceChangeTooLarge.finding(
                    f"price of {plan.item} moves {change:.1f}% from today's opening {opening / 100:.2f}; "
                    f"the limit is {limit}%",
                    evidence={**evidence, "threshold": limit},
                )
            )
        threshold = bounds.approvals.price_change_over
        if threshold is not None and change > threshold:
            review.append(
                c.ApprovalRequired.finding(
                    f"price change of {change:.1f}% is over the approval threshold {threshold}%",
                    evidence={**evidence, "threshold": "approvals.price_change_over"},
                )
            )
        return findings, review, (opening, undo)

    def _reserve(
        self,
        conn: Connection,
        ev: Evaluation,
        decision_id: str,
        reservations: list[dict[str, Any]],
        rows: list[dict[str, Any]],
    ) -> Finding | None:
        """Take every reservation or none; returns the finding of the first cap that refused.

        The reservation rows to write with the decision are appended to ``rows``.
        """
        store = self.store
        taken: list[tuple[str, int]] = []
        for plan in sorted(ev.counters, key=lambda p: p.key):
            ok, value = store.reserve(conn, plan.key, plan.amount, plan.cap)
            if not ok:
                for key, amount in taken:
                    store.release(conn, key, amount)
                refused: Finding = plan.code.finding(
                    f"{plan.label}: {value / 100:.2f} of {plan.cap / 100:.2f} already reserved; "
                    f"{plan.amount / 100:.2f} more would exceed it",
                    evidence={
                        "key": plan.key,
                        "reserved": f"{value / 100:.2f}",
                        "threshold": f"{plan.cap / 100:.2f}",
                        "value": f"{plan.amount / 100:.2f}",
                    },
                )
                return refused
            taken.append((plan.key, plan.amount))
        events = sorted(ev.events, key=lambda p: p.key)
        # every window key's lock (in key order), then each window's count and insert: all or none
        refused_at, count, free = store.add_events(
            conn, [(e.key, e.at, e.window, e.cap) for e in events], decision_id
        )
        if refused_at >= 0:
            for key, amount in taken:
                store.release(conn, key, amount)
            event = events[refused_at]
            return event.code.finding(
                f"{event.label}: {count} already within the window"
                + (f"; next possible after {free.isoformat()}" if free else ""),
                evidence={
                    "key": event.key,
                    "value": count,
                    "threshold": event.cap,
                    "window_seconds": event.window.total_seconds(),
                    "next_possible": free.isoformat() if free else None,
                },
            )
        rows += [{"d": decision_id, "kind": "counter", "k": k, "n": a, "undo": None} for k, a in taken]
        rows += [{"d": decision_id, "kind": "event", "k": e.key, "n": 1, "undo": None} for e in ev.events]
        reservations.extend({"kind": "counter", "key": k, "amount": a} for k, a in taken)
        reservations.extend(
            {"kind": "event", "key": e.key, "amount": 1, "at": t.iso(e.at)} for e in ev.events
        )
        return None

    # -- recording --------------------------------------------------------------------------------------

    def _mask(self, action: Action) -> dict[str, Any]:
        return mask_action(
            action.model_dump(mode="json"),
            self.policy.gate.masking,
            self.policy,
            text_masker=self._mask_text,
            in_place=True,  # model_dump made a fresh dict
        )

    def _mask_finding(self, finding: Finding) -> dict[str, Any]:
        data = finding.to_dict()
        masking = self.policy.gate.masking
        if masking.content and masking.mode != "none":
            data["message"] = self._mask_text(finding.message)
            if finding.match is not None:
                data["match"] = self._mask_text(finding.match)
            data["fix"] = None
        return data

    def _write(
        self,
        conn: Connection,
        decision: Decision,
        reservations: list[dict[str, Any]],
        payload_extra: dict[str, Any],
        *,
        index: bool = True,
        rows: list[dict[str, Any]] | None = None,
    ) -> Decision:
        payload: dict[str, Any] = {
            "schema_version": 1,
            "decision_id": decision.decision_id,
            "action_id": decision.action_id,
            "outcome": decision.outcome,
            "digest": decision.digest,
            "codes": decision.codes,
            "findings": [self._mask_finding(f) for f in decision.findings],
            "action": self._mask(decision.action) if decision.action is not None else None,
            "modified_action": self._mask(decision.modified_action) if decision.modified_action else None,
            "approval_id": decision.approval_id,
            "reservations": reservations,
            **payload_extra,
        }
        # state rows first, the ledger entry last: the ledger's global lock is then held only for the
        # append itself and the commit
        store = self.store
        before, before_params = store.record(
            conn,
            {
                "d": decision.decision_id,
                "a": decision.action_id,
                "o": decision.outcome,
                "s": "pending" if decision.allowed else "final",
                "t": t.iso(decision.time),
                "r": json.dumps(decision.to_dict()),
            },
            {"d": decision.decision_id, "o": decision.outcome, "a": decision.action_id}
            if index and decision.action_id is not None and decision.action is not None
            else None,
            rows or [],
        )
        entry = self.store.ledger.append(
            conn,
            kind="decision",
            payload=payload,
            policy_version=decision.policy_version,
            at=decision.time,
            entry_id=decision.decision_id,
            before=before,
            before_params=before_params,
        )
        return Decision(
            decision_id=decision.decision_id,
            outcome=decision.outcome,
            findings=decision.findings,
            policy_version=decision.policy_version,
            time=decision.time,
            action_id=decision.action_id,
            action=decision.action,
            modified_action=decision.modified_action,
            digest=decision.digest,
            approval_id=decision.approval_id,
            ledger_seq=entry.seq,
            extra=decision.extra,
        )

    # -- outcomes ---------------------------------------------------------------------------------------

    def report_outcome(self, decision_id: str, executed: bool) -> None:
        """Tell the gate whether an allowed action was carried out; ``executed=False`` releases reservations.

        Reporting the same outcome twice is a no-op; contradicting an earlier report raises
        :class:`~brandrail.errors.GateError`.
        """
        store = self.store
        with store.transaction() as conn:
            store.lock(conn, f"decision:{decision_id}")
            row = store.decision_row(conn, decision_id)
            if row is None:
                raise GateError(
                    f"no decision {decision_id!r} in the gate store", hint="check the decision id"
                )
            if row["outcome"] not in ("allow", "modify"):
                raise GateError(
                    f"decision {decision_id} was {row['outcome']}; only allowed actions have outcomes"
                )
            wanted = "executed" if executed else "released"
            if row["status"] == wanted:
                return
            if row["status"] != "pending":
                raise GateError(f"decision {decision_id} was already reported as {row['status']}")
            released: list[dict[str, Any]] = []
            if not executed:
                for res in conn.execute(
                    sa.select(t.reservations).where(t.reservations.c.decision_id == decision_id)
                ).all():
                    if res.kind == "counter":
                        store.release(conn, res.key, int(res.amount))
                    elif res.kind == "price":
                        store.restore_price(conn, res.key, json.loads(res.undo) if res.undo else None)
                    released.append({"kind": res.kind, "key": res.key, "amount": int(res.amount)})
                conn.execute(t.events.delete().where(t.events.c.decision_id == decision_id))
            conn.execute(
                t.decisions.update().where(t.decisions.c.decision_id == decision_id).values(status=wanted)
            )
            response = json.loads(row["response"])
            store.ledger.append(
                conn,
                kind="outcome",
                payload={
                    "schema_version": 1,
                    "decision_id": decision_id,
                    "action_id": row["action_id"],
                    "executed": executed,
                    "released": not executed,
                    "reservations": released,
                },
                policy_version=response["policy_version"],
                at=self.clock(),
            )
