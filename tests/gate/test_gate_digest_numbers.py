"""The action digest reads numbers by value: an amount approved as "400.00" and proposed again as 400,
"400", "4e2" or 400.0 uses that approval; a different amount never does. Approvals and action ids recorded
under the digest of earlier releases (the arguments as written) are still honoured for the identical action.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from gate_testlib import T0, action, spend

import brandrail.gate.decide as decide_module
from brandrail._json import strict_loads
from brandrail.gate import approve, get_approval
from brandrail.gate.actions import action_digest, legacy_action_digest, parse_action

POLICY = {"approvals": {"spend_over": "100"}, "budget": {"campaign_daily_cap": "10000"}}


def _digest(data: dict) -> str:
    return action_digest(parse_action(data))


@pytest.mark.parametrize("written", [400, "400", "4e2", "400.0", 400.0, "400.000", "4E+2", Decimal("4.00E2")])
def test_equal_amounts_have_one_digest(written):
    assert _digest(spend("400.00")) == _digest({**spend("1"), "amount": written})


@pytest.mark.parametrize("other", ["400.01", "399.99", "40", "4000", "0.4", "401"])
def test_different_amounts_never_share_a_digest(other):
    assert _digest(spend("400.00")) != _digest(spend(other))


def test_numbers_in_custom_args_are_read_by_value_and_kept_apart_from_text():
    def custom(args: dict) -> dict:
        return action("custom", name="issue_coupon", args=args)

    assert _digest(custom({"v": 1})) == _digest(custom({"v": 1.0})) == _digest(custom({"v": Decimal("1.00")}))
    assert _digest(custom({"v": 1})) != _digest(custom({"v": "1"}))  # a string is not a number
    assert _digest(custom({"v": 1})) != _digest(custom({"v": True}))
    assert _digest(custom({"v": [0.1, 2]})) != _digest(custom({"v": [0.10000000000000002, 2]}))
    # a number its float rounds keeps its digits: it is not the number it rounds to
    text = '{"kind":"custom","id":"c","agent":"bot","time":"%s","name":"n","args":{"v":%s}}'
    exact = parse_action(strict_loads(text % (T0, "100.0000000000000001")))
    hundred = parse_action(strict_loads(text % (T0, "100")))
    assert action_digest(exact) != action_digest(hundred)
    assert legacy_action_digest(exact) is None  # the legacy digest would read it as 100.0


def test_send_at_is_read_as_an_instant():
    def message(send_at: str) -> dict:
        return action("send_message", channel="email", recipient={"id": "c1"}, content="hi", send_at=send_at)

    utc = _digest(message("2026-05-04T10:00:00Z"))
    assert utc == _digest(message("2026-05-04T12:00:00+02:00"))
    assert utc != _digest(message("2026-05-04T10:00:01Z"))


@pytest.mark.parametrize("again", [400, "400", 4e2, "400.0", 400.0])  # "4e2" as text is AG001
def test_an_approval_for_400_00_is_used_by_400_written_another_way(make_gate, again):
    gate = make_gate(POLICY)
    first = gate.decide(spend("400.00"))
    assert first.outcome == "review" and first.approval_id
    approve(gate.store, first.approval_id, reviewer="ana", now=gate.clock(), policy=gate.policy)
    other = gate.decide({**spend("1"), "amount": "400.01"})
    assert other.outcome == "review" and other.approval_id != first.approval_id  # never another amount
    allowed = gate.decide({**spend("1"), "amount": again})
    assert allowed.outcome == "allow" and allowed.approval_id == first.approval_id
    assert get_approval(gate.store, first.approval_id).status == "used"
    assert gate.store.ledger.verify().ok


def test_an_approval_recorded_under_the_earlier_digest_is_honoured_for_the_identical_action(
    make_gate, monkeypatch
):
    gate = make_gate(POLICY)
    with monkeypatch.context() as m:  # an earlier release: the digest of the arguments as written
        m.setattr(decide_module, "action_digest", legacy_action_digest)
        first = gate.decide(spend("400.00"))
        pending = gate.decide(spend("400.00"))
    assert first.outcome == "review" and pending.approval_id == first.approval_id
    assert get_approval(gate.store, first.approval_id).digest == legacy_action_digest(
        parse_action(spend("400.00"))
    )
    approve(gate.store, first.approval_id, reviewer="ana", now=gate.clock(), policy=gate.policy)
    # written another way, it is not the action the earlier digest approved: a new request
    other = gate.decide({**spend("1"), "amount": 400})
    assert other.outcome == "review" and other.approval_id != first.approval_id
    assert gate.decide(spend("400.01")).approval_id not in (None, first.approval_id)
    allowed = gate.decide(spend("400.00"))
    assert allowed.outcome == "allow" and allowed.approval_id == first.approval_id
    assert gate.store.ledger.verify().ok


def test_an_action_id_claimed_under_the_earlier_digest_repeats_its_decision(make_gate, monkeypatch):
    gate = make_gate({"budget": {"campaign_daily_cap": "10000"}})
    small = spend("12.50")
    with monkeypatch.context() as m:
        m.setattr(decide_module, "action_digest", legacy_action_digest)
        first = gate.decide(small)
    assert first.outcome == "allow"
    again = gate.decide(small)
    assert again.repeated and again.decision_id == first.decision_id
    changed = gate.decide({**small, "amount": "13"})
    assert changed.outcome == "deny" and changed.codes == ["AG002"]  # the id, for other arguments
