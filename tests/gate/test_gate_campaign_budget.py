"""Spends are bound to the budget the gate allowed for their campaign (AG107, AG108), and a remembered GPC
signal applies to a reply whose content is personalised — on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from gate_testlib import Clock, action, spend

from brandrail.gate import Gate, GateStore, record_gpc
from brandrail.gate.store import tables as t
from brandrail.policy import policy_from_dict

REVIEWERS = [{"id": "ana", "roles": ["reviewer"]}]


def _gate(store_url: str, clock: Clock, **budget: Any) -> Gate:
    gate: dict[str, Any] = {"content_checks": False, "principals": REVIEWERS, "budget": budget}
    if "approvals" in budget:
        gate["approvals"] = budget.pop("approvals")
    return Gate(policy_from_dict({"gate": gate}), GateStore.from_url(store_url), clock=clock)


def _at(clock: Clock) -> str:
    return clock.now.isoformat()


def _set_budget(gate: Gate, clock: Clock, amount: str, period: str = "day", campaign: str = "spring") -> Any:
    return gate.decide(action("set_budget", campaign=campaign, amount=amount, period=period, time=_at(clock)))


def _spend(gate: Gate, clock: Clock, amount: str, campaign: str = "spring") -> Any:
    return gate.decide(spend(amount, campaign=campaign, time=_at(clock)))


def test_spends_past_the_allowed_budget_are_denied_with_evidence(store_url, clock):
    gate = _gate(store_url, clock)
    budget = _set_budget(gate, clock, "1000")
    assert budget.outcome == "allow"
    assert _spend(gate, clock, "600").outcome == "allow"
    assert _spend(gate, clock, "400").outcome == "allow"  # exactly the budget
    over = _spend(gate, clock, "0.01")
    assert over.outcome == "deny" and over.codes == ["AG107"]
    evidence = over.findings[0].evidence
    assert evidence["budget"] == "1000.00"
    assert evidence["period"] == "day"
    assert evidence["reserved"] == "1000.00"  # spent so far in the period
    assert evidence["value"] == "0.01"
    assert evidence["set_by"] == budget.decision_id
    entry = gate.store.ledger.get(evidence["ledger_entry"])
    assert entry is not None and entry.kind == "budget" and entry.payload["set_by"] == budget.decision_id
    # another campaign has no budget: today's behaviour, only the policy-wide caps
    assert _spend(gate, clock, "5000", campaign="autumn").outcome == "allow"
    # the next day the budget is there again
    clock.advance(days=1)
    assert _spend(gate, clock, "1000").outcome == "allow"
    assert _spend(gate, clock, "1").codes == ["AG107"]
    assert gate.store.reconcile() == []


def test_a_later_set_budget_lowers_or_raises_the_cap(store_url, clock):
    gate = _gate(store_url, clock)
    _set_budget(gate, clock, "1000")
    assert _spend(gate, clock, "600").outcome == "allow"
    lowered = _set_budget(gate, clock, "500")
    assert lowered.outcome == "allow"
    denied = _spend(gate, clock, "1")
    assert denied.codes == ["AG107"] and denied.findings[0].evidence["set_by"] == lowered.decision_id
    _set_budget(gate, clock, "700")
    assert _spend(gate, clock, "100").outcome == "allow"
    assert _spend(gate, clock, "0.01").codes == ["AG107"]


def test_a_week_budget_counts_the_whole_iso_week(store_url, clock):
    gate = _gate(store_url, clock)  # 2026-05-04 is a Monday
    _set_budget(gate, clock, "300", period="week")
    assert _spend(gate, clock, "200").outcome == "allow"
    clock.advance(days=3)
    assert _spend(gate, clock, "150").codes == ["AG107"]
    assert _spend(gate, clock, "100").outcome == "allow"
    clock.advance(days=4)  # the next Monday
    assert _spend(gate, clock, "300").outcome == "allow"


def test_a_budget_reported_not_executed_is_given_back(store_url, clock):
    gate = _gate(store_url, clock)
    first = _set_budget(gate, clock, "100")
    second = _set_budget(gate, clock, "50")
    gate.report_outcome(second.decision_id, executed=False)
    assert _spend(gate, clock, "80").outcome == "allow"  # the first budget is back
    assert _spend(gate, clock, "30").codes == ["AG107"]
    gate.report_outcome(first.decision_id, executed=False)
    assert _spend(gate, clock, "5000").outcome == "allow"  # no budget any more
    # giving back a budget a later one replaced leaves the later one
    third = _set_budget(gate, clock, "10", campaign="c2")
    _set_budget(gate, clock, "20", campaign="c2")
    gate.report_outcome(third.decision_id, executed=False)
    assert _spend(gate, clock, "15", campaign="c2").outcome == "allow"
    assert _spend(gate, clock, "10", campaign="c2").codes == ["AG107"]


def test_a_budget_in_review_does_not_bind_until_approved(store_url, clock):
    from brandrail.gate import approvals as ap

    gate = _gate(store_url, clock, approvals={"budget_over": 500})
    held = _set_budget(gate, clock, "50")
    assert held.outcome == "allow"
    review = _set_budget(gate, clock, "800")
    assert review.outcome == "review"
    assert _spend(gate, clock, "60").codes == ["AG107"]  # still the 50
    ap.approve(gate.store, review.approval_id, reviewer="ana", now=clock.now, policy=gate.policy)
    assert _set_budget(gate, clock, "800").outcome == "allow"
    assert _spend(gate, clock, "60").outcome == "allow"


def test_the_policy_can_require_a_budget_before_any_spend(store_url, clock):
    gate = _gate(store_url, clock, require_campaign_budget=True)
    denied = _spend(gate, clock, "1")
    assert denied.codes == ["AG108"]
    assert denied.findings[0].evidence["threshold"] == "budget.require_campaign_budget"
    budget = _set_budget(gate, clock, "10")
    assert _spend(gate, clock, "1").outcome == "allow"
    gate.report_outcome(budget.decision_id, executed=False)
    assert _spend(gate, clock, "1").codes == ["AG108"]  # given back: no budget again


def _sql(gate: Gate, statement: Any) -> None:
    with gate.store.engine.begin() as conn:
        conn.execute(statement)


@pytest.mark.parametrize("edit", ["raise", "delete", "older_version", "forged_row"])
def test_a_budget_row_changed_outside_the_gate_denies_spends(store_url, clock, edit):
    gate = _gate(store_url, clock)
    budgets = t.budgets
    if edit != "forged_row":
        _set_budget(gate, clock, "1000")
        _set_budget(gate, clock, "10")
    if edit == "raise":
        _sql(gate, budgets.update().values(amount_cents=10**9))
    elif edit == "delete":
        _sql(gate, budgets.delete())
    elif edit == "older_version":  # the genuine first row put back
        _sql(gate, budgets.update().values(amount_cents=100_000, seq=1))
    else:  # a row no set_budget wrote
        _sql(
            gate,
            budgets.insert().values(campaign="spring", period="day", amount_cents=1, set_by="x", seq=1),
        )
    denied = _spend(gate, clock, "20")
    assert denied.outcome == "deny" and denied.codes == ["AG107"]
    assert denied.findings[0].evidence["store_problem"]
    # the other campaign is not affected
    assert _spend(gate, clock, "20", campaign="autumn").outcome == "allow"


def test_a_release_restores_the_budget_the_ledger_records_not_an_edited_undo(store_url, clock):
    """The reservation row is editable; what a release puts back comes from the ledger."""
    gate = _gate(store_url, clock)
    _set_budget(gate, clock, "100")
    second = _set_budget(gate, clock, "50")
    forged = '{"period": "total", "amount": 100000000, "set_by": "x"}'
    _sql(gate, t.reservations.update().where(t.reservations.c.kind == "budget").values(undo=forged))
    gate.report_outcome(second.decision_id, executed=False)
    assert _spend(gate, clock, "100").outcome == "allow"  # the first budget is back, not the forged one
    assert _spend(gate, clock, "0.01").codes == ["AG107"]


def test_cap_use_shows_the_campaign_budget(store_url, clock):
    gate = _gate(store_url, clock)
    _set_budget(gate, clock, "100")
    _spend(gate, clock, "30")
    uses = gate.cap_use(spend("5", time=_at(clock)))
    budget = next(u for u in uses if u.code == "AG107")
    assert (budget.cap, budget.used, budget.amount) == (100, 30, 5)


def test_the_budget_table_is_a_migration_step(store_url, clock):
    gate = _gate(store_url, clock)
    with gate.store.engine.connect() as conn:
        versions = set(conn.execute(sa.select(t.migrations.c.version)).scalars())
    assert 6 in versions


# -- a remembered GPC applies to a personalised reply ----------------------------------------------------

UPSELL = "Because you viewed the Ridge tent, here it is at 20% off."


def _reply(content: str, recipient: dict[str, Any], clock: Clock) -> dict[str, Any]:
    return action("reply_customer", conversation="k-1", content=content, recipient=recipient, time=_at(clock))


@pytest.mark.parametrize("stated", [None, False])
def test_a_remembered_gpc_applies_to_a_personalised_reply(store_url, clock, stated):
    gate = Gate(
        policy_from_dict({"gate": {"content_checks": False, "consent": {"require_opt_in": []}}}),
        GateStore.from_url(store_url),
        clock=clock,
    )
    record_gpc(gate.store, "ann@example.com", source="checkout banner")
    recipient: dict[str, Any] = {"id": "c1", "email": "Ann@Example.com"}
    if stated is not None:
        recipient["gpc"] = stated
    denied = gate.decide(_reply(UPSELL, recipient, clock))
    assert denied.outcome == "deny" and denied.codes == ["AG404", "AG406"]
    assert next(f for f in denied.findings if f.code == "AG404").evidence["gpc"] == "on record"
    # a reply that is not personalised is not bound by it
    assert gate.decide(_reply("Your parcel arrives Thursday.", recipient, clock)).outcome == "allow"
    # another person is not affected
    other = gate.decide(_reply(UPSELL, {"id": "c2", "email": "bo@example.com"}, clock))
    assert other.outcome == "allow" and other.codes == []  # no record: nothing to warn about
    # a send that says personalised: false but is personalised by its content meets the same lookup
    sent = gate.decide(_personal_send(recipient, clock))
    assert sent.codes == ["AG404", "AG406"]


def _personal_send(recipient: dict[str, Any], clock: Clock) -> dict[str, Any]:
    return action(
        "send_message",
        channel="email",
        recipient=recipient,
        content=UPSELL,
        personalised=False,
        time=_at(clock),
    )


def test_ledger_verify_names_a_changed_or_deleted_budget_row(store_url, clock):
    from brandrail.gate.bindings import check_side_tables

    gate = _gate(store_url, clock)
    _set_budget(gate, clock, "100")
    _set_budget(gate, clock, "100", campaign="autumn")
    assert check_side_tables(gate.store.ledger, gate.store.engine) == []
    _sql(gate, t.budgets.update().where(t.budgets.c.campaign == "spring").values(amount_cents=1))
    _sql(gate, t.budgets.delete().where(t.budgets.c.campaign == "autumn"))
    found = dict(check_side_tables(gate.store.ledger, gate.store.engine))
    assert found == {
        "budget of spring": "the budget row differs from its ledger entry",
        "budget of autumn": "the budget row was deleted (the ledger records it)",
    }
