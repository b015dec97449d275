"""Approvals: bound to the digest + policy version + expiry, single use, never self-approved; idempotency."""

from __future__ import annotations

import json

import pytest
from gate_testlib import action, spend

from brandrail.errors import ApprovalError
from brandrail.gate import approve, get_approval, list_approvals, reject
from brandrail.gate.actions import action_digest, parse_action


def test_digest_ignores_id_and_time_only():
    a = parse_action(spend("10"))
    b = parse_action({**spend("10"), "time": "2027-01-01T00:00:00+00:00"})
    c = parse_action(spend("10.01"))
    assert action_digest(a) == action_digest(b) != action_digest(c)
    assert action_digest(parse_action(spend("10", agent="x"))) != action_digest(a)


def test_review_approve_allow_exactly_once(make_gate):
    gate = make_gate({"approvals": {"spend_over": "100"}, "budget": {"campaign_daily_cap": "10000"}})
    big = spend("500")
    first = gate.decide(big)
    assert first.outcome == "review" and first.codes == ["AG701"] and first.approval_id
    again = gate.decide({**big, "id": "retry-1"})  # same arguments while pending: same request
    assert again.outcome == "review" and again.approval_id == first.approval_id
    assert [a.id for a in list_approvals(gate.store, "pending")] == [first.approval_id]
    with pytest.raises(ApprovalError, match="cannot approve"):
        approve(
            gate.store, first.approval_id, reviewer="ads-bot", now=gate.clock(), policy=gate.policy
        )  # the proposer
    with pytest.raises(ApprovalError, match="reviewer identity"):
        approve(gate.store, first.approval_id, reviewer="  ", now=gate.clock(), policy=gate.policy)
    approve(
        gate.store,
        first.approval_id,
        reviewer="ana",
        comment="launch week",
        now=gate.clock(),
        policy=gate.policy,
    )
    with pytest.raises(ApprovalError, match="already approved"):
        approve(gate.store, first.approval_id, reviewer="bob", now=gate.clock(), policy=gate.policy)
    changed = gate.decide({**big, "id": "x2", "amount": "501"})
    assert (
        changed.outcome == "review" and changed.approval_id != first.approval_id
    )  # new arguments, new request
    allowed = gate.decide(big)  # resubmit the identical action (same id)
    assert allowed.outcome == "allow" and allowed.approval_id == first.approval_id
    assert get_approval(gate.store, first.approval_id).status == "used"
    assert gate.decide(big).repeated  # the same id again: the same decision, not a new authorisation
    assert gate.decide({**big, "id": "second-call"}).outcome == "review"  # a second call needs a new approval
    day = gate.clock().date().isoformat()
    assert gate.store.counter(f"spend:campaign:spring:{day}") == 50000  # reserved once
    assert gate.store.ledger.verify().ok
    kinds = [e.kind for e in gate.store.ledger.entries()]
    assert kinds.count("approval") == 1


def test_expired_approval_is_denied(make_gate, clock):
    gate = make_gate({"approvals": {"spend_over": "100", "expires_after": "24h"}})
    big = spend("500")
    request = gate.decide(big)
    approve(gate.store, request.approval_id, reviewer="ana", now=gate.clock(), policy=gate.policy)
    clock.advance(hours=25)
    late = gate.decide({**big, "time": clock.now.isoformat()})  # resubmitted later, by the gate's clock
    assert late.outcome == "deny" and late.codes == ["AG702"]


def test_pending_request_cannot_be_approved_after_expiry(make_gate, clock):
    gate = make_gate({"approvals": {"spend_over": "100", "expires_after": "1h"}})
    request = gate.decide(spend("500"))
    with pytest.raises(ApprovalError, match="expired"):
        approve(
            gate.store,
            request.approval_id,
            reviewer="ana",
            now=clock.now.replace(hour=12),
            policy=gate.policy,
        )


def test_rejected_is_denied(make_gate):
    gate = make_gate({"approvals": {"spend_over": "100"}})
    big = spend("500")
    request = gate.decide(big)
    reject(
        gate.store,
        request.approval_id,
        reviewer="ana",
        comment="too much before launch",
        now=gate.clock(),
        policy=gate.policy,
    )
    denied = gate.decide({**big, "id": "retry"})
    assert denied.outcome == "deny" and denied.codes == ["AG703"]
    assert "too much before launch" in denied.findings[0].message


def test_approval_bound_to_policy_version(make_gate):
    gate = make_gate({"approvals": {"spend_over": "100"}})
    big = spend("500")
    approve(gate.store, gate.decide(big).approval_id, reviewer="ana", now=gate.clock(), policy=gate.policy)
    newer = make_gate({"approvals": {"spend_over": "99"}})  # another policy version, same store
    assert newer.decide({**big, "id": "n1"}).outcome == "review"


def test_unknown_approval(make_gate):
    gate = make_gate()
    with pytest.raises(ApprovalError, match="no approval request"):
        approve(gate.store, "apr_nope", reviewer="ana", now=gate.clock(), policy=gate.policy)


def test_idempotency_key_reuse_with_other_arguments(make_gate):
    gate = make_gate({"budget": {"campaign_daily_cap": "100"}})
    first = spend("10")
    a = gate.decide(first)
    b = gate.decide(first)
    assert b.repeated and b.decision_id == a.decision_id and b.outcome == "allow"
    conflict = gate.decide({**first, "amount": "90"})
    assert conflict.codes == ["AG002"]
    day = gate.clock().date().isoformat()
    assert gate.store.counter(f"spend:campaign:spring:{day}") == 1000  # reserved once


def test_report_outcome_errors(make_gate):
    gate = make_gate({"approvals": {"spend_over": "1"}})
    with pytest.raises(Exception, match="no decision"):
        gate.report_outcome("nope", executed=True)
    review = gate.decide(spend("5"))
    with pytest.raises(Exception, match="only allowed"):
        gate.report_outcome(review.decision_id, executed=True)


def test_malformed_action_is_denied_and_ledgered_without_raw_data(make_gate):
    gate = make_gate()
    decision = gate.decide({"kind": "send_message", "id": "m1", "recipient": {"email": "secret@example.com"}})
    assert decision.outcome == "deny" and decision.codes == ["AG001"]
    assert "agent" in decision.findings[0].message
    entries = list(gate.store.ledger.entries())
    assert entries[-1].id == decision.decision_id
    assert "secret@example.com" not in entries[-1].payload_json
    assert gate.decide("{not json").codes == ["AG001"]
    assert gate.decide({"kind": "teleport"}).codes == ["AG001"]


def test_ledger_masks_personal_data(make_gate):
    gate = make_gate({"consent": {"require_opt_in": []}})
    msg = action(
        "send_message",
        channel="email",
        recipient={"id": "c7", "email": "jo@example.com", "name": "Jo Bloggs", "phone": "+44 20 7946 0958"},
        content="Hi Jo, reply to jo@example.com or call +44 20 7946 0958.",
    )
    decision = gate.decide(msg)
    assert decision.outcome == "allow"
    payload = list(gate.store.ledger.entries())[-1].payload_json
    for secret in ("jo@example.com", "Jo Bloggs", "7946"):
        assert secret not in payload
    assert '"c7"' not in payload and '"p_' in payload  # the id is replaced by its pseudonym
    hashed = make_gate({"consent": {"require_opt_in": []}, "masking": {"mode": "hash", "salt": "s"}})
    hashed.decide({**msg, "id": "h1"})
    payload = list(hashed.store.ledger.entries())[-1].payload_json
    assert "jo@example.com" not in payload and "hash:" in payload


def test_gate_fails_closed_on_store_error(make_gate, monkeypatch):
    gate = make_gate({"budget": {"campaign_daily_cap": "100"}})

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(gate.store, "reserve", broken)
    decision = gate.decide(spend("5"))
    assert decision.outcome == "deny" and decision.codes == ["AG000"]
    # the agent learns the kind of error, never its text (which may name hosts, ports, URLs)
    assert "RuntimeError" in decision.findings[0].message
    assert "disk on fire" not in json.dumps(decision.to_dict())
    monkeypatch.undo()
    entries = list(gate.store.ledger.entries())
    assert entries[-1].id == decision.decision_id and entries[-1].payload["error"] is True
    assert gate.store.reconcile() == []


def test_released_allow_is_decided_afresh_on_retry(make_gate):
    gate = make_gate({"budget": {"campaign_daily_cap": "100"}})
    first = spend("80")
    allowed = gate.decide(first)
    gate.report_outcome(allowed.decision_id, executed=False)
    assert gate.decide(spend("30")).outcome == "allow"  # the released 80 made room
    retry = gate.decide(first)  # same id again: must reserve again, and 30 + 80 > 100
    assert not retry.repeated and retry.codes == ["AG102"]


def test_invalid_custom_schema_is_a_policy_error():
    from brandrail.errors import PolicyError
    from brandrail.policy import loads_policy

    with pytest.raises(PolicyError, match="not a valid JSON Schema") as info:
        loads_policy("gate:\n  custom_actions:\n    x:\n      schema: {type: 12}\n", name="p.yaml")
    assert "p.yaml:4" in str(info.value)


def test_ledger_masks_cards_and_ibans_in_content_with_the_pii_recognisers(make_gate):
    gate = make_gate({"consent": {"require_opt_in": []}})
    content = "Refund to card 4111 1111 1111 1111 or IBAN GB82 WEST 1234 5698 7654 32."
    decision = gate.decide(action("reply_customer", conversation="k1", content=content))
    assert decision.outcome == "allow"  # content checks are off in this gate; only the ledger copy is masked
    payload = list(gate.store.ledger.entries())[-1].payload_json
    assert "4111" not in payload and "GB82" not in payload
    assert "[card]" in payload and "[iban]" in payload
