"""The main flows on both stores (SQLite and the local PostgreSQL): caps and release, consent, windows,
prices, approvals, idempotency, replay and reconciliation."""

from __future__ import annotations

from gate_testlib import Clock, action, send, spend

from brandrail.gate import Gate, GateStore, approve
from brandrail.gate.replay import replay
from brandrail.policy import policy_from_dict

POLICY = {
    "gate": {
        "content_checks": False,
        "budget": {"campaign_daily_cap": "100"},
        "price": {"max_change_per_day": 20},
        "frequency": [{"channel": "email", "max": 2, "window": "7d"}],
        "approvals": {"spend_over": "60"},
        "principals": [{"id": "ana", "roles": ["reviewer"]}],
    }
}


def test_flows(store_url, clock: Clock):
    store = GateStore.from_url(store_url)
    gate = Gate(policy_from_dict(POLICY), store, clock=clock)
    first = gate.decide(spend("60"))
    assert first.outcome == "allow"
    assert gate.decide(spend("40.01")).codes == ["AG102"]
    gate.report_outcome(first.decision_id, executed=False)
    assert gate.decide(spend("40.01")).outcome == "allow"
    big = spend("60.01", campaign="autumn")
    request = gate.decide(big)
    assert request.outcome == "review"
    approve(store, request.approval_id, reviewer="ana", now=clock(), policy=gate.policy)
    assert gate.decide(big).outcome == "allow"
    assert gate.decide({**big, "id": "again"}).outcome == "review"
    assert gate.decide(big).repeated
    assert gate.decide({**big, "amount": "1"}).codes == ["AG002"]

    assert gate.decide(send("c1")).codes == ["AG401"]
    store.set_consent("c1", "email", True)
    store.suppress("c2@example.com", "email")
    store.set_consent("c2", "email", True)
    assert gate.decide(send({"id": "c2", "email": "C2@example.com"})).codes == ["AG402"]
    assert [gate.decide(send("c1")).outcome for _ in range(3)] == ["allow", "allow", "deny"]

    assert gate.decide(action("set_price", item="tent", price="100")).outcome == "allow"
    assert gate.decide(action("set_price", item="tent", price="125")).codes == ["AG205"]
    assert store.reconcile() == []
    assert store.ledger.verify().ok

    same = replay(policy_from_dict(POLICY), store)
    assert same.changes == () and same.replayed == same.decisions
    looser = {"gate": {**POLICY["gate"], "frequency": [{"channel": "email", "max": 3, "window": "7d"}]}}
    changed = replay(policy_from_dict(looser), store)
    assert [(c.old_outcome, c.new_outcome) for c in changed.changes] == [("deny", "allow")]
    store.engine.dispose()
