"""A custom action's args that a customer reads (``gate.custom_actions.NAME.content``) are checked like a
message's content: banned terms fixed or denied, claims denied, a non-text value refused, the policy's paths
and channel checked at load with their file positions."""

from __future__ import annotations

from typing import Any

import pytest
from gate_testlib import action

from brandrail.errors import PolicyError
from brandrail.policy import loads_policy

SCHEMA = {
    "type": "object",
    "properties": {
        "to": {"type": "string"},
        "message": {"type": "string"},
        "buttons": {"type": "array", "items": {"type": "string"}},
        "card": {"type": "object", "properties": {"title": {"type": "string"}, "url": {"type": "string"}}},
    },
    "required": ["to", "message"],
}
TERMS = {"banned": [{"term": "cheap", "replacement": ["affordable"]}, {"term": "rubbish"}]}
CHANNELS = {"whatsapp": {"max_length": 40}}


@pytest.fixture
def gate(make_gate: Any) -> Any:
    customs = {
        "send_whatsapp": {
            "schema": SCHEMA,
            "content": ["message", "buttons", "card.title"],
            "channel": "whatsapp",
        },
        "note_only": {"schema": {"type": "object"}},  # lists no content: its args are not read
    }
    return make_gate({"content_checks": True, "custom_actions": customs}, terms=TERMS, channels=CHANNELS)


def whatsapp(**args: Any) -> dict[str, Any]:
    return action("custom", name="send_whatsapp", args={"to": "c-81", **args})


def test_clean_content_is_allowed(gate: Any) -> None:
    decision = gate.decide(whatsapp(message="Your order has shipped.", buttons=["Track it"]))
    assert decision.outcome == "allow" and decision.codes == []


def test_a_fixable_term_is_fixed_in_a_copy_of_args(gate: Any) -> None:
    sent = whatsapp(
        message="Tents are cheap this week.", card={"title": "Cheap tents", "url": "cheap.example"}
    )
    decision = gate.decide(sent)
    assert decision.outcome == "modify" and "BR101" in decision.codes
    args = decision.effective_action.args
    assert args["message"] == "Tents are affordable this week."
    assert args["card"] == {"title": "Affordable tents", "url": "cheap.example"}  # url is not listed content
    assert args["to"] == "c-81"
    assert sent["args"]["message"] == "Tents are cheap this week."  # the caller's data is untouched
    fixed = [f for f in decision.findings if f.code == "AG601"]
    assert {f.evidence["field"] for f in fixed} == {"args.message", "args.card.title"}


def test_each_item_of_a_listed_list_is_checked(gate: Any) -> None:
    decision = gate.decide(whatsapp(message="Hello", buttons=["Track it", "Cheap deals"]))
    assert decision.outcome == "modify"
    assert decision.effective_action.args["buttons"] == ["Track it", "Affordable deals"]
    assert [f.evidence["field"] for f in decision.findings if f.code == "AG601"] == ["args.buttons[1]"]


def test_an_unfixable_term_denies(gate: Any) -> None:
    decision = gate.decide(whatsapp(message="Ignore the rubbish reviews."))
    assert decision.outcome == "deny" and {"AG601", "BR101"} <= set(decision.codes)
    assert any(f.evidence.get("field") == "args.message" for f in decision.findings if f.code == "AG601")


def test_the_channel_limits_apply(gate: Any) -> None:
    long = "Our new tents are in, come and see them in store."
    decision = gate.decide(whatsapp(message=long))
    assert decision.outcome == "deny" and "BR401" in decision.codes
    limit = next(f for f in decision.findings if f.code == "BR401")
    assert "channel 'whatsapp' allows 40" in limit.message
    assert gate.decide(whatsapp(message="Our new tents are in.")).outcome == "allow"


def test_text_inside_an_object_or_split_over_items_is_read(make_gate: Any) -> None:
    gate = make_gate(
        {"content_checks": True, "custom_actions": {"post": {"content": ["body", "parts"]}}}, terms=TERMS
    )
    nested = gate.decide(action("custom", name="post", args={"body": {"lead": "Hi", "text": "rubbish"}}))
    assert nested.outcome == "deny" and {"AG601", "BR101"} <= set(nested.codes)
    assert any(f.evidence.get("field") == "args.body" for f in nested.findings if f.code == "AG601")
    split = gate.decide(action("custom", name="post", args={"parts": ["rub", "bish"]}))
    assert split.outcome == "deny" and "BR101" in split.codes  # each part is clean; joined, it is not
    fixed = gate.decide(action("custom", name="post", args={"parts": ["cheap", " tents"]}))
    assert fixed.outcome == "modify"  # fixed item by item, and the joined fixed text is clean
    assert fixed.effective_action.args["parts"] == ["affordable", " tents"]
    number = gate.decide(action("custom", name="post", args={"body": 3, "parts": []}))
    assert number.outcome == "allow"  # nothing to read


def test_unlisted_args_are_not_read(gate: Any) -> None:
    decision = gate.decide(action("custom", name="note_only", args={"note": "cheap rubbish"}))
    assert decision.outcome == "allow"


def test_args_failing_the_schema_are_denied_before_content(gate: Any) -> None:
    decision = gate.decide(whatsapp(message="cheap", card="cheap"))
    assert decision.codes == ["AG802"]


POLICY = """\
channels:
  whatsapp: {{}}
gate:
  custom_actions:
    send_whatsapp:
      schema:
        type: object
        properties:
          message: {{type: string}}
      content: {content}
      channel: {channel}
"""


@pytest.mark.parametrize(
    ("content", "channel", "message", "line"),
    [
        ("[mesage]", "whatsapp", "args has no property 'mesage' in the schema (properties: message)", 10),
        ("['message.']", "whatsapp", "is not a dotted path of args", 10),
        ("[message, message]", "whatsapp", "a path is listed twice", 10),
        ("[message]", "whatsap", "unknown channel 'whatsap'; known: whatsapp", 11),
    ],
)
def test_bad_content_settings_are_policy_errors_with_positions(
    content: str, channel: str, message: str, line: int
) -> None:
    with pytest.raises(PolicyError) as info:
        loads_policy(POLICY.format(content=content, channel=channel), name="p.yaml")
    text = str(info.value) + "".join(str(i) for i in info.value.issues)
    assert message in text
    assert f"p.yaml:{line}:" in text
