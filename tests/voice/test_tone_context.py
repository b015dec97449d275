"""Replies judged with the customer's message in view (issue 16, item 4): Python API, CLI, HTTP, bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from brandrail import check, loads_policy
from brandrail.cli import app
from brandrail.engine import check_many
from brandrail.errors import InputError
from brandrail.server import ServiceConfig, create_app
from brandrail.text.conversation import parse_conversation
from brandrail.voice.context import customer_state

POLICY = """
voice:
  targets: {urgency: {max: 0.4}}
channels:
  support:
    voice:
      context:
        upset: {targets: {warmth: {min: 0.5}, humour: {max: 0.2}}}
        loss: {targets: {warmth: {min: 0.6}, humour: {max: 0.1}, excitement: {max: 0.3}}, cues: [gone to the big allotment]}
"""

UPSET = [
    {"role": "customer", "text": "Where is my parcel?"},
    {"role": "agent", "text": "It is on its way."},
    {"role": "customer", "text": "That is what you said last week. This is the third time I have asked!"},
]
LOSS = [{"role": "customer", "text": "My husband passed away in March. Please close his account."}]
CALM = [{"role": "customer", "text": "Hi, can I change my delivery address to my office?"}]

JOKEY = "Ha, parcels, eh? 😂 Even our couriers get lost sometimes. Check the tracking link."
COLD = "The courier is responsible for deliveries. Try again later."
KIND = (
    "I'm so sorry, that must be really frustrating, and you shouldn't have had to ask three times. "
    "I've sent a replacement by express delivery today and I'll keep an eye on it for you."
)


def _br501(result: Any) -> dict[str, Any]:
    return {f.evidence["dimension"]: f for f in result.findings if f.code == "BR501"}


@pytest.fixture
def policy() -> Any:
    return loads_policy(POLICY)


def test_jokes_and_coldness_are_flagged_when_the_customer_is_upset(policy: Any) -> None:
    jokey = _br501(check(JOKEY, policy, channel="support", conversation=UPSET))
    assert set(jokey) >= {"humour", "warmth"}
    finding = jokey["humour"]
    assert finding.message.startswith("reply to a customer who is upset: humour")
    ctx = finding.evidence["context"]
    assert ctx["states"] == ["upset"] and ctx["last_customer_turn"] == 2
    assert {c["text"] for c in ctx["cues"]["upset"]} >= {"third time"}
    assert {d["text"] for d in finding.evidence["drivers"]} >= {"😂"}
    assert "warmth" in _br501(check(COLD, policy, channel="support", conversation=UPSET))
    assert _br501(check(KIND, policy, channel="support", conversation=UPSET)) == {}


def test_the_same_reply_without_context_or_to_a_calm_customer_is_not_judged_on_context(policy: Any) -> None:
    assert _br501(check(JOKEY, policy, channel="support")) == {}
    assert _br501(check(JOKEY, policy, channel="support", conversation=CALM)) == {}
    # the context targets are the support channel's: on another channel the conversation changes nothing
    assert _br501(check(JOKEY, policy, conversation=UPSET)) == {}


def test_a_loss_asks_for_more_warmth_and_no_jokes(policy: Any) -> None:
    state = customer_state(parse_conversation(LOSS))
    assert "loss" in state.states
    reply = "Done! Account closed. 🎉"
    found = _br501(check(reply, policy, channel="support", conversation=LOSS))
    assert set(found) >= {"warmth", "excitement"}
    assert found["warmth"].evidence["target"]["min"] == 0.6
    kind = (
        "I'm so sorry for your loss. Thank you for letting us know. We have closed the account, and there is "
        "nothing else you need to do. Please take care of yourself."
    )
    assert _br501(check(kind, policy, channel="support", conversation=LOSS)) == {}


def test_brand_cues_mark_a_state(policy: Any) -> None:
    convo = [
        {
            "role": "customer",
            "text": "Grandad has gone to the big allotment in the sky, so please cancel his order.",
        }
    ]
    found = _br501(check("Sure thing lol 😂", policy, channel="support", conversation=convo))
    context = found["humour"].evidence["context"]
    assert "loss" in context["states"]
    assert [c["text"] for c in context["cues"]["loss"]] == ["gone to the big allotment"]
    # without the brand's cue the built-in lists do not read this as a loss
    assert "loss" not in customer_state(parse_conversation(convo)).states


def test_shouting_reads_as_upset_but_delight_does_not() -> None:
    shouting = parse_conversation([{"role": "customer", "text": "WHERE IS MY ORDER?! I paid TWO WEEKS ago!"}])
    assert "upset" in customer_state(shouting).states
    delight = parse_conversation([{"role": "customer", "text": "THANK YOU so much!!! The boots are LOVELY!"}])
    assert "upset" not in customer_state(delight).states


@pytest.mark.parametrize(
    "text",
    [
        "Quick one: how much is the penalty if I repay the loan early?",
        "Hi, what's the charge for a late return of the hire car?",
        "My old phone broke, is there a trade-in offer on the new one?",
        "Could you tell me whether a declined payment affects my credit score?",
    ],
)
def test_a_plain_question_about_a_bad_topic_is_not_upset(text: str) -> None:
    """Negative words that name the topic of a question (a penalty, a fee, a broken phone) are not the
    customer's mood: sentiment alone does not make the customer upset when the message asks for information."""
    state = customer_state(parse_conversation([{"role": "customer", "text": text}]))
    assert "upset" not in state.states, state.cues


@pytest.mark.parametrize(
    "text",
    [
        "Why on earth was I charged a penalty for paying early?",
        "Two missed appointments and a damaged floor. What exactly are you going to do about it?",
        "You cut off my broadband during my exams. Do you realise how stressful that was?",
    ],
)
def test_complaints_and_rhetorical_questions_still_read_as_upset(text: str) -> None:
    state = customer_state(parse_conversation([{"role": "customer", "text": text}]))
    assert "upset" in state.states, (state.sentiment, state.cues)


def test_negated_upset_words_do_not_count() -> None:
    convo = parse_conversation(
        [{"role": "customer", "text": "I'm not angry or anything, just curious about it."}]
    )
    assert customer_state(convo).states == ()


def test_upset_is_read_from_recent_turns_a_loss_from_any() -> None:
    turns = [
        {"role": "customer", "text": "This is ridiculous, my card was declined again!"},
        {"role": "agent", "text": "Sorry, fixed now."},
        {"role": "customer", "text": "Thanks."},
        {"role": "agent", "text": "Anything else?"},
        {"role": "customer", "text": "Can I order a second card for my partner?"},
    ]
    assert "upset" not in customer_state(parse_conversation(turns)).states
    turns[0]["text"] = "My dad died last month and his card is still active."
    assert "loss" in customer_state(parse_conversation(turns)).states


def test_context_never_loosens_a_stricter_channel_target() -> None:
    policy = loads_policy(
        "voice:\n  targets: {humour: {max: 0.05}}\n  context:\n    upset: {targets: {humour: {max: 0.5}}}\n"
    )
    [finding] = [f for f in check("lol", policy, conversation=UPSET).findings if f.code == "BR501"]
    assert finding.evidence["target"]["max"] == 0.05


def test_check_many_applies_one_conversation_to_every_candidate_reply(policy: Any) -> None:
    results = check_many([JOKEY, KIND], policy, channel="support", conversation=UPSET)
    assert "humour" in _br501(results[0]) and _br501(results[1]) == {}


@pytest.mark.parametrize(
    ("conversation", "message"),
    [
        ([], "conversation: is empty"),
        ([{"role": "agent", "text": "Hello"}], "conversation: has no customer turn"),
        ([{"role": "custmer", "text": "x"}], "conversation[0].role: role is 'custmer'"),
        ([{"role": "customer"}], "conversation[0].text: text is missing"),
        ([{"role": "customer", "text": 3}], "conversation[0].text: text is a int"),
        ([{"role": "customer", "text": "x", "mood": "sad"}], "conversation[0].mood: unknown key 'mood'"),
        ("My parcel never came", "conversation: must be a list of turns, not str"),
        ([["customer", "x"]], "conversation[0]: must be a mapping"),
    ],
)
def test_bad_conversations_are_input_errors_with_a_position(
    policy: Any, conversation: Any, message: str
) -> None:
    with pytest.raises(InputError) as info:
        check("Thanks for your message.", policy, conversation=conversation)
    assert str(info.value).startswith(message)
    assert info.value.hint


def test_role_typo_suggests_the_role(policy: Any) -> None:
    with pytest.raises(InputError, match="did you mean 'customer'"):
        check("x", policy, conversation=[{"role": "custmer", "text": "x"}])


# -- CLI ---------------------------------------------------------------------------------------------------

runner = CliRunner()


def _files(tmp_path: Path, conversation: Any) -> tuple[Path, Path, Path]:
    pol = tmp_path / "brandrail.yaml"
    pol.write_text(POLICY, encoding="utf-8")
    reply = tmp_path / "reply.txt"
    reply.write_text(JOKEY + "\n", encoding="utf-8")
    convo = tmp_path / "conversation.json"
    convo.write_text(json.dumps(conversation, indent=1), encoding="utf-8")
    return pol, reply, convo


def test_cli_tone_with_a_conversation(tmp_path: Path) -> None:
    pol, reply, convo = _files(tmp_path, UPSET)
    args = ["tone", str(reply), "-p", str(pol), "-c", "support", "--conversation", str(convo)]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert any(line.strip().startswith("customer: upset") and '"third time"' in line for line in lines)
    features = next(line for line in lines if line.strip().startswith("features:"))
    assert "humour cues 2" in features and "emoji 1" in features and "exclamations 0" in features
    humour = next(line for line in lines if line.strip().startswith("humour/playfulness"))
    assert "target ≤ 0.2: OUTSIDE" in humour
    res = runner.invoke(app, [*args, "--format", "json"])
    data = json.loads(res.output)["results"][0]["profile"]
    assert data["context"]["states"] == ["upset"]
    assert data["targets"]["humour"] == {
        "min": None,
        "max": 0.2,
        "within": False,
        "judged": True,
        "context": ["upset"],
    }


def test_cli_accepts_an_object_with_a_conversation_key(tmp_path: Path) -> None:
    pol, reply, convo = _files(tmp_path, {"conversation": LOSS})
    res = runner.invoke(
        app, ["tone", str(reply), "-p", str(pol), "-c", "support", "--conversation", str(convo)]
    )
    assert res.exit_code == 0 and "customer: loss" in res.output


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            '[\n {"role": "customer", "text": "hi"},\n {"role": "custmer", "text": "x"}\n]',
            ":3:11: conversation[1].role",
        ),
        ('{"conversation": []}', "conversation: is empty"),
        ('[{"role": "agent", "text": "hi"}]', "conversation: has no customer turn"),
        ('[{"role": "customer", "text": "hi"', "is not valid JSON"),
    ],
)
@pytest.mark.parametrize("command", ["tone", "check"])
def test_cli_bad_conversation_file_exits_2_with_position(
    tmp_path: Path, content: str, expected: str, command: str
) -> None:
    pol, reply, convo = _files(tmp_path, [])
    convo.write_text(content, encoding="utf-8")
    res = runner.invoke(app, [command, str(reply), "-p", str(pol), "--conversation", str(convo)])
    assert res.exit_code == 2
    assert expected in res.output and str(convo) in res.output
    assert "Traceback" not in res.output


def test_cli_check_judges_every_file_as_a_reply_to_the_conversation(tmp_path: Path) -> None:
    pol, reply, convo = _files(tmp_path, UPSET)
    base = ["check", str(reply), "-p", str(pol), "-c", "support", "--format", "json"]
    judged = json.loads(runner.invoke(app, [*base, "--conversation", str(convo)]).output)
    findings = [f for r in judged["results"] for f in r["findings"] if f["code"] == "BR501"]
    assert {f["evidence"]["dimension"] for f in findings} >= {"humour"}
    assert all(f["evidence"]["context"]["states"] == ["upset"] for f in findings)
    alone = json.loads(runner.invoke(app, base).output)
    assert not [f for r in alone["results"] for f in r["findings"] if f["code"] == "BR501"]


def test_cli_non_utf8_conversation_file_exits_2(tmp_path: Path) -> None:
    pol, reply, convo = _files(tmp_path, [])
    convo.write_bytes(b'[{"role": "customer", "text": "caf\xe9"}]')
    res = runner.invoke(app, ["tone", str(reply), "-p", str(pol), "--conversation", str(convo)])
    assert res.exit_code == 2 and f"{convo}:1:35: is not valid UTF-8: byte 0x" in res.output


# -- HTTP --------------------------------------------------------------------------------------------------


@pytest.fixture
def client(policy: Any) -> TestClient:
    return TestClient(create_app(policy, config=ServiceConfig(auth="none", enable_gate=False)))


def test_http_check_with_a_conversation_matches_the_library(client: TestClient, policy: Any) -> None:
    body = {"text": JOKEY, "channel": "support", "conversation": UPSET}
    response = client.post("/v1/check", json=body)
    assert response.status_code == 200
    expected = check(JOKEY, policy, channel="support", conversation=UPSET).to_dict()
    assert response.json()["findings"] == expected["findings"]
    batch = client.post("/v1/check/batch", json={"messages": [body, {"text": JOKEY, "channel": "support"}]})
    results = batch.json()["results"]
    assert results[0]["findings"] == expected["findings"] and results[1]["findings"] == []


@pytest.mark.parametrize(
    ("conversation", "message"),
    [
        ([], "conversation: is empty"),
        ([{"role": "agent", "text": "hi"}], "conversation: has no customer turn"),
        ([{"role": "customer", "text": "x"}, {"role": "custmer", "text": "x"}], "conversation[1].role"),
    ],
)
def test_http_bad_conversation_is_a_422_with_its_position(
    client: TestClient, conversation: Any, message: str
) -> None:
    response = client.post("/v1/check", json={"text": "x", "conversation": conversation})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    [error] = response.json()["errors"]
    assert error["field"] == "conversation"
    assert message in error["message"]
