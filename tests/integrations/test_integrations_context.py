"""Replies through the integrations are judged with the whole chat before them, not only its last message: a
loss the customer reported three turns back still asks for a reply without jokes."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from integ_testlib import POLICY, exchanges

from brandrail.gate import Gate
from brandrail.integrations.common import CONTEXT_TURNS, check_reply, conversation_of_messages
from brandrail.integrations.fakeupstream import FakeUpstream
from brandrail.policy import loads_policy

pytestmark = pytest.mark.anyio

CONTEXT_POLICY = POLICY.replace(
    "    max_length: 2000\n",
    "    max_length: 2000\n    voice:\n      context:\n        loss: {targets: {humour: {max: 0.2, severity: error}}}\n",
)
CHAT = [
    {
        "role": "system",
        "content": "You are Fernhill's support assistant. My husband died.",
    },  # not the customer's
    {"role": "user", "content": "My husband passed away last month and the account is in his name."},
    {"role": "assistant", "content": "I'm so sorry for your loss. I can help with that."},
    {"role": "user", "content": [{"type": "text", "text": "Thanks. What do I need to send you?"}]},
    {"role": "tool", "content": "order 1234"},
]
JOKE = "Ha, paperwork, everyone's favourite hobby! 😂 Just send the certificate."
KIND = "Please send a copy of the death certificate, and we'll take care of the rest for you."


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def test_the_chat_becomes_a_conversation() -> None:
    turns = conversation_of_messages(CHAT)
    assert turns == [
        {"role": "customer", "text": CHAT[1]["content"]},
        {"role": "agent", "text": CHAT[2]["content"]},
        {"role": "customer", "text": "Thanks. What do I need to send you?"},
    ]
    assert conversation_of_messages([{"role": "system", "content": "hi"}]) is None
    assert conversation_of_messages([{"role": "user", "content": "  "}]) is None
    many = [{"role": "user", "content": f"turn {i}"} for i in range(CONTEXT_TURNS + 5)]
    kept = conversation_of_messages(many)
    assert kept is not None and len(kept) == CONTEXT_TURNS and kept[-1]["text"] == f"turn {CONTEXT_TURNS + 4}"


def test_an_earlier_loss_counts_where_the_last_message_alone_does_not() -> None:
    policy = loads_policy(CONTEXT_POLICY)
    whole = check_reply(JOKE, policy, channel="chat", conversation=conversation_of_messages(CHAT))
    last_only = check_reply(
        JOKE, policy, channel="chat", customer_message="Thanks. What do I need to send you?"
    )
    assert [f.evidence["dimension"] for f in whole.findings if f.code == "BR501"] == ["humour"]
    assert not [f for f in last_only.findings if f.code == "BR501"]


async def test_the_proxy_reasks_a_joke_to_a_customer_who_reported_a_loss_earlier(
    proxy_client: Any, upstream: FakeUpstream, gate: Gate
) -> None:
    policy = loads_policy(CONTEXT_POLICY, name="policy.yaml")
    client: httpx.AsyncClient = proxy_client(JOKE, KIND, policy=policy)
    async with client as c:
        r = await c.post("/v1/chat/completions", json={"model": "fake-1", "messages": CHAT})
    data = r.json()
    assert data["choices"][0]["message"]["content"] == KIND
    assert data["brandrail"]["verdict"] == "reasked"
    (record,) = exchanges(gate)
    assert record["attempts"][0]["codes"] == ["BR501"]
    # the re-ask feedback is brandrail's own user message: it is not read as the customer's words
    second = upstream.requests[1]["body"]["messages"]
    assert second[-1]["role"] == "user" and "BR501" in second[-1]["content"]


def test_the_mcp_check_tool_takes_the_conversation(tmp_path: Any) -> None:
    import anyio
    from mcp import Client

    from brandrail.integrations.mcp import build_server

    policy = loads_policy(CONTEXT_POLICY, name="policy.yaml")
    gate = Gate(policy, store=f"sqlite:///{tmp_path / 'gate.db'}")
    turns = conversation_of_messages(CHAT)

    async def go() -> None:
        async with Client(build_server(policy, gate)) as client:
            judged = await client.call_tool("check", {"text": JOKE, "channel": "chat", "conversation": turns})
            assert not judged.is_error
            assert [f["code"] for f in judged.structured_content["findings"]] == ["BR501"]
            bad = await client.call_tool(
                "check", {"text": JOKE, "conversation": [{"role": "agent", "text": "Hi"}]}
            )
            assert bad.is_error and "no customer turn" in "\n".join(c.text for c in bad.content)

    anyio.run(go)


def test_the_mcp_tone_tool_measures_with_the_policys_word_lists(tmp_path: Any) -> None:
    import anyio
    from mcp import Client

    from brandrail.integrations.mcp import build_server

    policy = loads_policy(
        POLICY + "voice:\n  words:\n    urgency:\n      raise: [zoom zoom]\n", name="policy.yaml"
    )
    gate = Gate(policy, store=f"sqlite:///{tmp_path / 'gate.db'}")

    async def go() -> None:
        async with Client(build_server(policy, gate)) as client:
            measured = await client.call_tool("tone", {"text": "Zoom zoom, friends."})
            assert not measured.is_error
            assert measured.structured_content["values"]["urgency"] > 0

    anyio.run(go)


def test_a_reply_tool_mapped_with_turns_is_judged_against_the_customers_state(tmp_path: Any) -> None:
    from brandrail.integrations.common import ReplyGuard

    policy = loads_policy(
        CONTEXT_POLICY.replace(
            "    send_note:\n      action: reply_customer\n      args:\n        conversation: ticket\n"
            "        content: text\n",
            "    send_note:\n      action: reply_customer\n      args:\n        conversation: ticket\n"
            "        content: text\n        turns: history\n      set: {channel: chat}\n",
        ),
        name="policy.yaml",
    )
    assert policy.integrations.tools["send_note"].args["turns"] == "history"
    guard = ReplyGuard(policy, Gate(policy, store=f"sqlite:///{tmp_path / 'gate.db'}"), surface="test")
    history = [{"role": "customer", "text": "My husband passed away last month."}]
    joke = guard.gate_tool("send_note", {"ticket": "t-1", "text": JOKE, "history": history})
    assert not joke.allowed and joke.decision is not None and "BR501" in joke.decision.codes
    kind = guard.gate_tool("send_note", {"ticket": "t-1", "text": KIND, "history": history})
    assert kind.allowed, kind.message
    # without the history the same joke is judged by the plain targets only
    assert guard.gate_tool("send_note", {"ticket": "t-1", "text": JOKE}).allowed


TURNS_POLICY = CONTEXT_POLICY.replace(
    "    send_note:\n      action: reply_customer\n      args:\n        conversation: ticket\n"
    "        content: text\n",
    "    send_note:\n      action: reply_customer\n      args:\n        conversation: ticket\n"
    "        content: text\n        turns: history\n      set: {channel: chat}\n      turns_from_chat: true\n",
)


@pytest.mark.parametrize("stream", [False, True])
async def test_a_reply_tool_is_judged_with_the_chat_the_proxy_saw(
    proxy_client: Any, tmp_path: Any, stream: bool
) -> None:
    """With turns_from_chat the gate judges a reply tool's text against the chat the proxy saw, not the
    history the model passes: a model that claims a calm customer does not get a joke past a bereaved one."""
    from brandrail.integrations.fakeupstream import FakeReply, tool_call

    policy = loads_policy(TURNS_POLICY, name="policy.yaml")
    calm = [{"role": "customer", "text": "Hi! Just checking my order."}]
    joke = FakeReply(
        "", tool_calls=[tool_call("send_note", {"ticket": "t-1", "text": JOKE, "history": calm})]
    )
    kind = FakeReply(
        "", tool_calls=[tool_call("send_note", {"ticket": "t-1", "text": KIND, "history": calm}, "call_2")]
    )
    gate = Gate(policy, store=f"sqlite:///{tmp_path / 'gate.db'}")  # the gate judges with this policy too
    client: httpx.AsyncClient = proxy_client(joke, kind, policy=policy, gate=gate)
    async with client as c:
        r = await c.post("/v1/chat/completions", json={"model": "fake-1", "messages": CHAT, "stream": stream})
    assert r.status_code == 200
    (record,) = exchanges(gate)
    first = record["attempts"][0]["tools"][0]
    assert first["allowed"] is False and "BR501" in first["codes"]
    # re-asked (a streamed reply of tool calls only is decided as a buffered exchange): the kind reply goes out
    assert record["verdict"] == "reasked" and record["attempts"][-1]["tools"][0]["allowed"] is True


def test_turns_from_chat_is_for_reply_mappings_only() -> None:
    from brandrail.errors import PolicyError

    bad = POLICY.replace(
        "        description: refund\n", "        description: refund\n      turns_from_chat: true\n"
    )
    with pytest.raises(PolicyError, match="turns_from_chat applies to reply_customer mappings only"):
        loads_policy(bad, name="policy.yaml")
