"""A reply_customer action judged with the conversation before it (issue 16, item 4, through the gate)."""

from __future__ import annotations

from typing import Any, get_args

import pytest
from gate_testlib import action

from brandrail.gate.actions import ChatTurn, parse_action
from brandrail.text.conversation import BRAND_ROLES, CUSTOMER_ROLES

VOICE = {
    "context": {"upset": {"targets": {"humour": {"max": 0.2, "severity": "error"}, "warmth": {"min": 0.5}}}},
}
CHANNELS = {
    "support": {"voice": {"context": {"loss": {"targets": {"humour": {"max": 0.1, "severity": "error"}}}}}}
}
UPSET = [
    {"role": "customer", "text": "Where is my parcel?"},
    {"role": "agent", "text": "It is on its way."},
    {"role": "customer", "text": "That is what you said last week. This is the third time I have asked!"},
]
LOSS = [{"role": "customer", "text": "My husband passed away in March. Please close his account."}]
CALM = [{"role": "customer", "text": "Hi, can I change my delivery address to my office?"}]
JOKEY = "Ha, parcels, eh? 😂 Even our couriers get lost sometimes. Check the tracking link."


def reply(content: str = JOKEY, **fields: Any) -> dict[str, Any]:
    return action("reply_customer", conversation="c-7", content=content, **fields)


@pytest.fixture
def gate(make_gate: Any) -> Any:
    return make_gate({"content_checks": True}, voice=VOICE, channels=CHANNELS)


def test_the_same_joke_is_denied_only_when_the_customer_is_upset(gate: Any) -> None:
    assert gate.decide(reply()).outcome == "allow"  # no conversation: nothing says the customer is upset
    assert gate.decide(reply(turns=CALM)).outcome == "allow"
    denied = gate.decide(reply(turns=UPSET))
    assert denied.outcome == "deny" and {"AG601", "BR501"} <= set(denied.codes)
    humour = next(f for f in denied.findings if f.code == "BR501" and f.evidence["dimension"] == "humour")
    assert humour.evidence["context"]["states"] == ["upset"]
    assert humour.evidence["target"]["max"] == 0.2 and humour.evidence["measured"] > 0.2


def test_a_channel_brings_its_own_context_targets(gate: Any) -> None:
    assert gate.decide(reply(turns=LOSS)).outcome == "allow"  # loss targets are set on `support` only
    denied = gate.decide(reply(turns=LOSS, channel="support"))
    assert denied.outcome == "deny" and "BR501" in denied.codes


def test_an_unknown_channel_is_refused_not_ignored(gate: Any) -> None:
    denied = gate.decide(reply(turns=LOSS, channel="suport"))
    assert denied.outcome == "deny" and denied.codes == ["AG001"]
    assert "'suport' is not a channel of the policy (channels: support)" in denied.findings[0].message


def test_policy_can_send_replies_without_the_conversation_to_review(make_gate: Any) -> None:
    gate = make_gate({"content_checks": True, "approvals": {"reply_without_turns": True}}, voice=VOICE)
    held = gate.decide(reply("Your replacement ships today."))
    assert held.outcome == "review" and held.codes == ["AG701"]
    assert "turns" in held.findings[0].message
    assert gate.decide(reply("Your replacement ships today.", turns=CALM)).outcome == "allow"


@pytest.mark.parametrize(
    ("turns", "where"),
    [
        ([], "turns"),
        ([{"role": "agent", "text": "Hello"}], "no customer turn"),
        ([{"role": "custmer", "text": "Hi"}], "turns.0.role"),
        ([{"role": "customer"}], "turns.0.text"),
        ([{"role": "customer", "text": "Hi", "mood": "angry"}], "turns.0.mood"),
        ("My parcel never came", "turns"),
    ],
)
def test_bad_turns_are_malformed(gate: Any, turns: Any, where: str) -> None:
    denied = gate.decide(reply(turns=turns))
    assert denied.outcome == "deny" and denied.codes == ["AG001"]
    assert where in denied.findings[0].message


def test_turns_are_bounded_by_the_gate_limits(make_gate: Any) -> None:
    gate = make_gate({"content_checks": True, "limits": {"fields": {"turns.text": 100}}})
    denied = gate.decide(reply(turns=[{"role": "customer", "text": "x" * 101}]))
    assert denied.outcome == "deny" and denied.codes == ["AG004"]


def test_personal_data_in_turns_is_masked_in_the_ledger(gate: Any) -> None:
    turns = [{"role": "customer", "text": "I'm jo@example.com and my parcel is late, third time asking!"}]
    decision = gate.decide(reply("We're so sorry. It ships today.", turns=turns))
    entry = list(gate.store.ledger.entries())[-1]
    assert entry.id == decision.decision_id
    assert "jo@example.com" not in entry.payload_json and "third time asking" in entry.payload_json


def test_turn_roles_match_the_conversation_roles() -> None:
    assert set(get_args(ChatTurn.model_fields["role"].annotation)) == CUSTOMER_ROLES | BRAND_ROLES


def test_turns_are_part_of_what_an_approval_is_bound_to() -> None:
    from brandrail.gate.actions import action_digest

    one = parse_action(reply(turns=CALM))
    other = parse_action(reply(turns=UPSET))
    assert action_digest(one) != action_digest(other)
