"""Facts an agent declares that the gate can check or bind: an audience's size binds the campaign's sends,
a margin needs a cost the agent cannot lower, a personalised send states its consent signals, a budget's
period is part of its size."""

from __future__ import annotations

from typing import Any

import pytest
from gate_testlib import action, send

from brandrail.errors import PolicyError
from brandrail.gate import approvals as ap
from brandrail.policy import policy_from_dict

# -- 1. a declared audience binds the campaign's sends ------------------------------------------------


def _audience(size: int, campaign: str | None = "spring", **extra: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {"criteria": [], "estimated_size": size, **extra}
    if campaign is not None:
        fields["campaign"] = campaign
    return action("target_audience", **fields)


def _granted(gate: Any, *ids: str) -> None:
    for rid in ids:
        gate.store.set_consent(rid, "email", True)


def _send_to(gate: Any, rid: str, campaign: str | None = "spring", **extra: Any) -> Any:
    fields: dict[str, Any] = {"campaign": campaign} if campaign is not None else {}
    return gate.decide(send(rid, **fields, **extra))


AUDIENCE = {"approvals": {"audience_size_over": 1000}, "audience": {"tolerance": 0.5}}


def test_sends_beyond_the_declared_audience_are_denied(make_gate):
    gate = make_gate(AUDIENCE)
    ids = [f"c{i}" for i in range(5)]
    _granted(gate, *ids)
    assert gate.decide(_audience(2)).outcome == "allow"
    # 2 declared, tolerance 50%: 3 sends
    assert [_send_to(gate, rid).outcome for rid in ids[:3]] == ["allow"] * 3
    over = _send_to(gate, ids[3])
    assert over.outcome == "deny"
    assert over.codes == ["AG504"]
    evidence = next(f for f in over.findings if f.code == "AG504").evidence
    assert evidence["declared"] == 2
    assert evidence["sent"] == 3
    assert evidence["threshold"] == 3


def test_a_second_declaration_counts_toward_the_approval_threshold(make_gate):
    gate = make_gate(AUDIENCE)
    assert gate.decide(_audience(900)).outcome == "allow"
    # 900 + 900 = 1800 declared for the campaign: over 1000, so a human decides
    second = gate.decide(_audience(900))
    assert second.outcome == "review"
    found = next(f for f in second.findings if f.code == "AG701")
    assert found.evidence["declared_before"] == 900
    assert found.evidence["value"] == 1800
    # another campaign has its own total
    assert gate.decide(_audience(900, campaign="autumn")).outcome == "allow"


def test_an_approved_audience_lets_its_sends_through(make_gate):
    gate = make_gate({"approvals": {"audience_size_over": 1}, "audience": {"tolerance": 0}})
    _granted(gate, "a", "b", "c")
    first = gate.decide(_audience(2))
    assert first.outcome == "review"
    assert _send_to(gate, "a").codes == ["AG503"]  # still undeclared while under review
    ap.approve(gate.store, first.approval_id, reviewer="ana", now=gate.clock(), policy=gate.policy)
    assert gate.decide(_audience(2)).outcome == "allow"
    assert _send_to(gate, "a").outcome == "allow"
    assert _send_to(gate, "b").outcome == "allow"
    assert _send_to(gate, "c").codes == ["AG504"]


def test_a_send_not_carried_out_gives_its_place_back(make_gate):
    gate = make_gate({**AUDIENCE, "audience": {"tolerance": 0}})
    _granted(gate, "a", "b")
    gate.decide(_audience(1))
    first = _send_to(gate, "a")
    assert first.outcome == "allow"
    assert _send_to(gate, "b").outcome == "deny"
    gate.report_outcome(first.decision_id, executed=False)
    assert _send_to(gate, "b").outcome == "allow"


@pytest.mark.parametrize("campaign", ["never-declared", None])
def test_undeclared_campaign_sends_are_denied_by_default(make_gate, campaign):
    gate = make_gate(AUDIENCE)
    _granted(gate, "a")
    decision = _send_to(gate, "a", campaign=campaign)
    assert decision.outcome == "deny"
    assert decision.codes == ["AG503"]
    assert decision.findings[0].evidence["threshold"] == "approvals.audience_size_over"


def test_undeclared_policy_choices(make_gate):
    review = make_gate({**AUDIENCE, "audience": {"undeclared": "review"}})
    _granted(review, "a")
    assert _send_to(review, "a", campaign="x").outcome == "review"
    allow = make_gate({**AUDIENCE, "audience": {"undeclared": "allow"}})
    assert _send_to(allow, "a", campaign="y").outcome == "allow"


def test_transactional_sends_and_policies_without_threshold_are_not_bound(make_gate):
    gate = make_gate(AUDIENCE)
    _granted(gate, "a")
    assert _send_to(gate, "a", campaign=None, marketing=False).outcome == "allow"
    plain = make_gate()
    assert _send_to(plain, "a", campaign="z").outcome == "allow"


def test_over_declared_review_mode(make_gate):
    gate = make_gate({"approvals": {"audience_size_over": 10}, "audience": {"over_declared": "review"}})
    _granted(gate, "a", "b")
    gate.decide(_audience(1))
    assert _send_to(gate, "a").outcome == "allow"
    held = _send_to(gate, "b")
    assert held.outcome == "review"
    assert "AG504" in held.codes


def test_audience_policy_errors():
    with pytest.raises(PolicyError, match="tolerance"):
        policy_from_dict({"gate": {"audience": {"tolerance": -0.1}}})
    with pytest.raises(PolicyError, match="undeclared"):
        policy_from_dict({"gate": {"audience": {"undeclared": "maybe"}}})


# -- 2. a margin needs a cost the agent cannot lower ------------------------------------------------------


PRICE = {"price": {"min_margin": 0.3, "items": {"tent": {"cost": "70"}}}}


def test_policy_cost_is_used_when_the_action_gives_none(make_gate):
    gate = make_gate(PRICE)
    low = gate.decide(action("set_price", item="tent", price="90"))
    assert low.codes == ["AG203"]
    assert low.findings[0].evidence["cost"] == "70"
    assert gate.decide(action("set_price", item="tent", price="120")).outcome == "allow"


def test_a_lower_claimed_cost_does_not_beat_the_policy_cost(make_gate):
    gate = make_gate(PRICE)
    lie = gate.decide(action("set_price", item="tent", price="90", cost="10"))
    assert lie.codes == ["AG203"]
    assert lie.findings[0].evidence["cost"] == "70"
    # a higher claimed cost makes the check stricter
    strict = gate.decide(action("set_price", item="tent", price="120", cost="100"))
    assert strict.codes == ["AG203"]


def test_unknown_cost_is_held_for_review(make_gate):
    gate = make_gate(PRICE)
    held = gate.decide(action("set_price", item="stove", price="50"))
    assert held.outcome == "review"
    assert held.codes == ["AG207"]
    assert held.findings[0].evidence["threshold"] == 0.3
    denied = make_gate({"price": {**PRICE["price"], "unknown_cost": "deny"}})
    assert denied.decide(action("set_price", item="stove", price="50")).outcome == "deny"


def test_discount_uses_the_policy_cost(make_gate):
    gate = make_gate(PRICE)
    gate.decide(action("set_price", item="tent", price="120"))
    # 120 less 30% = 84: margin (84-70)/84 = 16.7% < 30%, whatever cost the agent claims
    deep = gate.decide(action("set_discount", item="tent", discount=30, cost="1"))
    assert deep.codes == ["AG203"]
    unknown = gate.decide(action("set_discount", item="stove", discount=5, price="50"))
    assert unknown.outcome == "review"
    assert unknown.codes == ["AG207"]


def test_item_cost_policy_errors():
    with pytest.raises(PolicyError, match="cost"):
        policy_from_dict({"gate": {"price": {"items": {"tent": {"cots": "5"}}}}})
    with pytest.raises(PolicyError, match="negative"):
        policy_from_dict({"gate": {"price": {"items": {"tent": {"cost": "-5"}}}}})


# -- 3. personalised sends state their consent signals ---------------------------------------------------


def test_gpc_not_stated_is_distinguishable_from_false():
    from brandrail.gate.actions import parse_action

    omitted = parse_action(send("a")).recipient  # type: ignore[union-attr]
    stated = parse_action(send({"id": "a", "gpc": False})).recipient  # type: ignore[union-attr]
    assert omitted.gpc is None
    assert stated.gpc is False


SIGNALS = {"consent": {"require_signals": ["gpc"], "require_opt_in": []}}


def test_personalised_send_without_required_signal_is_denied(make_gate):
    gate = make_gate(SIGNALS)
    omitted = gate.decide(send("a", personalised=True))
    assert omitted.outcome == "deny"
    assert omitted.codes == ["AG407"]
    assert omitted.findings[0].evidence["missing"] == ["gpc"]
    assert gate.decide(send({"id": "a", "gpc": False}, personalised=True)).outcome == "allow"
    assert gate.decide(send({"id": "a", "gpc": True}, personalised=True)).codes == ["AG404"]
    # not personalised: nothing to require
    assert gate.decide(send("a")).outcome == "allow"


def test_required_tcf_signal_and_review_choice(make_gate):
    gate = make_gate(
        {"consent": {"require_signals": ["tcf"], "require_opt_in": [], "missing_signal": "review"}}
    )
    held = gate.decide(send("a", personalised=True))
    assert held.outcome == "review"
    assert held.codes == ["AG407"]


def test_content_personalisation_is_found_when_signals_are_required(make_gate):
    gate = make_gate(SIGNALS)
    decision = gate.decide(
        send("a", content="Because you viewed the Alpine tent, here is more like it.", personalised=False)
    )
    assert "AG407" in decision.codes


def test_signal_policy_errors():
    with pytest.raises(PolicyError, match="require_signals"):
        policy_from_dict({"gate": {"consent": {"require_signals": ["gcp"]}}})


# -- 4. a budget's period is part of its size ------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "amount", "limit_period", "limit", "denied"),
    [
        ("day", "100", "day", "100", False),
        ("total", "100", "day", "100", False),
        ("day", "100", "month", "3000", True),  # 31 days of 100 = 3100
        ("day", "96", "month", "3000", False),
        ("week", "100", "day", "99", True),  # all of a week's budget may go in one day
        ("day", "1", "total", "1000", True),  # a daily budget has no total
        ("total", "1000", "total", "1000", False),
        ("week", "500", "month", "2999", True),  # a month touches up to 6 weeks
    ],
)
def test_budget_period_is_compared_to_the_limit_period(
    make_gate, period, amount, limit_period, limit, denied
):
    gate = make_gate({"budget": {"max_budget": limit, "max_budget_period": limit_period}})
    decision = gate.decide(action("set_budget", campaign="spring", amount=amount, period=period))
    assert (decision.outcome == "deny") == denied
    if denied:
        found = next(f for f in decision.findings if f.code == "AG104")
        assert found.evidence["period"] == period
        assert found.evidence["threshold_period"] == limit_period


def test_legacy_max_budget_means_per_day(make_gate):
    gate = make_gate({"budget": {"max_budget": "100"}})
    assert gate.decide(action("set_budget", campaign="s", amount="101", period="month")).outcome == "deny"
    assert gate.decide(action("set_budget", campaign="s", amount="100", period="day")).outcome == "allow"


def test_budget_period_without_maximum_is_a_policy_error():
    with pytest.raises(PolicyError, match="max_budget_period"):
        policy_from_dict({"gate": {"budget": {"max_budget_period": "week"}}})


# -- 3b. a GPC signal seen once is remembered ------------------------------------------------------------


REMEMBER = {"consent": {"require_opt_in": []}}


@pytest.mark.parametrize("stated", [None, False])
def test_a_remembered_gpc_applies_when_the_agent_leaves_it_out_or_says_false(make_gate, stated):
    from brandrail.gate import record_gpc

    gate = make_gate(REMEMBER)
    record_gpc(gate.store, "ann@example.com", source="checkout banner")
    recipient: dict[str, Any] = {"id": "c1", "email": "Ann@Example.com"}
    if stated is not None:
        recipient["gpc"] = stated
    denied = gate.decide(send(recipient, personalised=True))
    assert denied.codes == ["AG404"]
    assert denied.findings[0].evidence["gpc"] == "on record"
    # not personalised: GPC does not bind it
    assert gate.decide(send(recipient)).outcome == "allow"
    # another person is not affected
    assert gate.decide(send({"id": "c2", "email": "bo@example.com"}, personalised=True)).outcome == "allow"


def test_a_lifted_gpc_record_and_honour_gpc_off(make_gate):
    from brandrail.gate import record_gpc

    gate = make_gate(REMEMBER)
    record_gpc(gate.store, "c9")
    assert gate.decide(send("c9", personalised=True)).codes == ["AG404"]
    record_gpc(gate.store, "c9", seen=False)
    assert gate.decide(send("c9", personalised=True)).outcome == "allow"
    off = make_gate({"consent": {"require_opt_in": [], "honour_gpc": False}})
    record_gpc(off.store, "c8")
    assert off.decide(send("c8", personalised=True)).outcome == "allow"


def test_a_gpc_record_changed_outside_the_gate_still_counts(make_gate):
    import sqlalchemy as sa

    from brandrail.gate import record_gpc
    from brandrail.gate.store import tables as t

    gate = make_gate(REMEMBER)
    record_gpc(gate.store, "c7")
    with gate.store.transaction() as conn:  # someone flips the stored row to "no GPC"
        conn.execute(t.consent.update().where(t.consent.c.channel == "gpc").values(granted=True))
        assert conn.execute(sa.select(sa.func.count()).select_from(t.consent)).scalar() == 1
    denied = gate.decide(send("c7", personalised=True))
    assert denied.codes == ["AG404"]
    assert denied.findings[0].evidence["store_problems"]


def test_policy_cases_and_the_cli_record_gpc(tmp_path):
    from typer.testing import CliRunner

    from brandrail.cli import app
    from brandrail.gate.casefile import run_cases

    policy = policy_from_dict({"gate": {"content_checks": False, "consent": {"require_opt_in": []}}})
    case = {
        "name": "remembered",
        "given": {"gpc": ["c1"]},
        "action": {
            "kind": "send_message",
            "channel": "email",
            "recipient": {"id": "c1"},
            "content": "Hi",
            "personalised": True,
            "time": "2026-05-04T10:00:00Z",
        },
        "expect": {"decision": "deny", "codes": ["AG404"]},
    }
    report = run_cases(policy, [case])
    assert report.passed, report.results[0].problems
    db = f"sqlite:///{tmp_path / 'gate.db'}"
    result = CliRunner().invoke(app, ["gate", "gpc", "c1", "--source", "banner", "--db", db])
    assert result.exit_code == 0, result.output
    assert "GPC on record" in result.stdout


def test_replay_sees_the_gpc_record_the_decision_saw(make_gate):
    from brandrail.gate import record_gpc
    from brandrail.gate.replay import replay

    gate = make_gate(REMEMBER)
    record_gpc(gate.store, "c1")
    assert gate.decide(send("c1", personalised=True)).codes == ["AG404"]
    assert gate.decide(send("c2", personalised=True)).outcome == "allow"
    report = replay(gate.policy, gate.store)
    assert report.replayed >= 2
    assert report.changes == ()


def test_audience_binding_on_every_backend(store_url, clock):
    from brandrail.gate import Gate, GateStore, record_gpc

    policy = policy_from_dict(
        {
            "gate": {
                "content_checks": False,
                "consent": {"require_opt_in": []},
                "approvals": {"audience_size_over": 100},
                "audience": {"tolerance": 0},
            }
        }
    )
    gate = Gate(policy, GateStore.from_url(store_url), clock=clock)
    assert gate.decide(_audience(2)).outcome == "allow"
    assert [_send_to(gate, r).outcome for r in ("a", "b", "c")] == ["allow", "allow", "deny"]
    assert _send_to(gate, "d", campaign="other").codes == ["AG503"]
    record_gpc(gate.store, "e")
    assert gate.decide(send("e", personalised=True, campaign="spring", marketing=False)).codes == ["AG404"]
