"""What a hostile or buggy upstream model sends past the proxy and the client wrapper: legacy function calls,
refusals, audio and log-probabilities, extra fields, malformed calls and streams, tool names dressed up as a
gated tool's. Nothing of it may reach the client unchecked, and nothing may crash into a bare 500."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import openai
import pytest
from integ_testlib import POLICY, chat_body, exchanges, sse_events, streamed_text

import brandrail
from brandrail.gate import Gate
from brandrail.integrations.proxy import create_proxy_app
from brandrail.policy import Policy, loads_policy

pytestmark = pytest.mark.anyio

FALLBACK = "Sorry, let me get a colleague to help you with that."
REFUND_OVER_CAP = {"name": "issue_refund", "arguments": json.dumps({"order": "o-1", "amount": 5000})}
REFUND_OK = {"name": "issue_refund", "arguments": json.dumps({"order": "o-1", "amount": 20})}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def completion(message: dict[str, Any], **choice: Any) -> dict[str, Any]:
    return {
        "id": "chatcmpl-up",
        "object": "chat.completion",
        "created": 1,
        "model": "fake-model",
        "choices": [
            {"index": 0, "message": {"role": "assistant", **message}, "finish_reason": "stop", **choice}
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def event(delta: dict[str, Any], finish: str | None = None) -> str:
    chunk = {"id": "s", "object": "chat.completion.chunk", "created": 0, "model": "fake-model"}
    return (
        "data: "
        + json.dumps({**chunk, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]})
        + "\n\n"
    )


def stream_body(*events: str) -> bytes:
    return "".join(events).encode()


async def ask(
    policy: Policy, gate: Gate, answers: list[Any], *, route: str = "strict", stream: bool = False
) -> httpx.Response:
    """One request through the proxy to an upstream that answers each call with the next of ``answers``
    (a completion dict, or raw SSE bytes for a streamed request); the last answer repeats."""
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        answer = answers[min(calls, len(answers) - 1)]
        calls += 1
        if isinstance(answer, bytes):
            return httpx.Response(200, content=answer, headers={"content-type": "text/event-stream"})
        return httpx.Response(200, json=answer)

    app = create_proxy_app(
        policy,
        gate=gate,
        upstream_url="http://upstream.test/v1",
        api_key="sk-test",
        transport=httpx.MockTransport(handler),
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://proxy.test") as c:
        return await c.post(f"/routes/{route}/v1/chat/completions", json=chat_body(stream=stream))


# -- legacy function_call ------------------------------------------------------------------------------------


async def test_a_legacy_function_call_is_gated_not_passed_through(policy: Policy, gate: Gate) -> None:
    r = await ask(policy, gate, [completion({"content": None, "function_call": REFUND_OVER_CAP})])
    data = r.json()
    message = data["choices"][0]["message"]
    assert "function_call" not in message and "tool_calls" not in message
    assert data["choices"][0]["finish_reason"] == "content_filter"
    (tool,) = data["brandrail"]["tools"]
    assert tool["tool"] == "issue_refund" and not tool["allowed"] and "AG101" in tool["codes"]
    assert exchanges(gate)[0]["attempts"][0]["tools"][0]["allowed"] is False


async def test_an_allowed_legacy_function_call_comes_back_in_its_own_form(policy: Policy, gate: Gate) -> None:
    r = await ask(policy, gate, [completion({"content": None, "function_call": REFUND_OK})])
    choice = r.json()["choices"][0]
    assert choice["finish_reason"] == "function_call"
    assert choice["message"]["function_call"] == {
        "name": "issue_refund",
        "arguments": json.dumps({"order": "o-1", "amount": 20}),
    }
    assert "tool_calls" not in choice["message"]


async def test_a_legacy_function_call_in_a_reask_route_is_asked_again(policy: Policy, gate: Gate) -> None:
    answers = [
        completion({"content": None, "function_call": REFUND_OVER_CAP}),
        completion({"content": "Done."}),
    ]
    r = await ask(policy, gate, answers, route="support")
    data = r.json()
    assert data["brandrail"]["verdict"] == "reasked"
    assert data["choices"][0]["message"] == {"role": "assistant", "content": "Done."}


async def test_a_streamed_legacy_function_call_is_gated(policy: Policy, gate: Gate) -> None:
    def streamed(call: dict[str, Any]) -> bytes:
        half = len(call["arguments"]) // 2
        return stream_body(
            event({"role": "assistant", "content": None}),
            event({"function_call": {"name": call["name"], "arguments": call["arguments"][:half]}}),
            event({"function_call": {"arguments": call["arguments"][half:]}}),
            event({}, "function_call"),
            "data: [DONE]\n\n",
        )

    denied = sse_events((await ask(policy, gate, [streamed(REFUND_OVER_CAP)], stream=True)).text)
    assert not any("function_call" in e["choices"][0]["delta"] for e in denied if isinstance(e, dict))
    assert denied[-2]["brandrail"]["verdict"] == "tools_dropped"
    assert (
        streamed_text(denied)
        == "Sorry, I can't help with that here. A member of our team will follow up with you shortly."
    )
    allowed = sse_events((await ask(policy, gate, [streamed(REFUND_OK)], stream=True)).text)
    calls = [
        e["choices"][0]["delta"]["function_call"]
        for e in allowed[:-1]
        if "function_call" in e["choices"][0]["delta"]
    ]
    assert calls == [{"name": "issue_refund", "arguments": json.dumps({"order": "o-1", "amount": 20})}]
    assert allowed[-2]["choices"][0]["finish_reason"] == "function_call"


# -- what else a message carries -----------------------------------------------------------------------------


async def test_only_the_checked_text_and_allowed_calls_reach_the_client(policy: Policy, gate: Gate) -> None:
    answer = completion(
        {
            "content": "Our tents are great.",
            "refusal": "Our cheap tents are rubbish.",
            "audio": {"id": "a1", "transcript": "Our cheap tents are rubbish.", "data": "AAAA"},
            "annotations": [{"type": "url_citation", "url_citation": {"title": "cheap rubbish"}}],
            "reasoning_content": "they are cheap rubbish",
        },
        logprobs={"content": [{"token": "Our", "logprob": -0.1}], "refusal": [{"token": "cheap"}]},
    )
    answer["output_text"] = "Our cheap tents are rubbish."  # a field no chat completion has
    data = (await ask(policy, gate, [answer])).json()
    assert data["choices"][0]["message"] == {"role": "assistant", "content": "Our tents are great."}
    assert data["choices"][0]["logprobs"] == {"content": [{"token": "Our", "logprob": -0.1}], "refusal": None}
    assert "output_text" not in data
    assert data["usage"]["total_tokens"] == 2 and data["id"] == "chatcmpl-up"
    assert "rubbish" not in json.dumps(data["choices"])


async def test_log_probabilities_of_a_withheld_reply_are_dropped(policy: Policy, gate: Gate) -> None:
    answer = completion(
        {"content": "Our cheap tents are great."},
        logprobs={"content": [{"token": "cheap", "logprob": -0.1}]},
    )
    data = (await ask(policy, gate, [answer], route="fixing")).json()
    assert data["choices"][0]["message"]["content"] == "Our affordable tents are great."
    assert data["choices"][0]["logprobs"] is None


@pytest.mark.parametrize("stream", [False, True])
async def test_a_refusal_is_the_reply_and_is_checked(policy: Policy, gate: Gate, stream: bool) -> None:
    if stream:
        answer: Any = stream_body(
            event({"role": "assistant", "content": None}),
            event({"refusal": "Our cheap "}),
            event({"refusal": "tents, no."}),
            event({}, "stop"),
            "data: [DONE]\n\n",
        )
    else:
        answer = completion({"content": None, "refusal": "Our cheap tents, no."})
    r = await ask(policy, gate, [answer], route="fixing", stream=stream)
    text = streamed_text(sse_events(r.text)) if stream else r.json()["choices"][0]["message"]["content"]
    assert text == "Our affordable tents, no."


async def test_text_parts_of_a_content_list_are_checked(policy: Policy, gate: Gate) -> None:
    answer = completion({"content": [{"type": "text", "text": "Our cheap tents."}, {"type": "image_url"}]})
    data = (await ask(policy, gate, [answer], route="fixing")).json()
    assert data["choices"][0]["message"]["content"] == "Our affordable tents."


# -- malformed calls are denied with a reason, never a bare 500 ------------------------------------------------


@pytest.mark.parametrize(
    ("call", "reason"),
    [
        ({"id": "c1", "type": "function", "function": "issue_refund"}, "without a tool name"),
        (
            {"id": "c1", "type": "function", "function": {"name": ["issue_refund"], "arguments": "{}"}},
            "without a tool name",
        ),
        (
            {"id": "c1", "type": "function", "function": {"name": "lookup_order", "arguments": [1, 2]}},
            "not an array",
        ),
        (
            {"id": "c1", "type": "function", "function": {"name": "lookup_order", "arguments": 7}},
            "not a number",
        ),
        (
            {"id": "c1", "type": "function", "function": {"name": "lookup_order", "arguments": '"x"'}},
            "not a str",
        ),
        (
            {
                "id": "c1",
                "type": "function",
                "function": {"name": "issue_refund", "arguments": '{"amount": NaN}'},
            },
            "NaN is not a JSON value",
        ),
        (
            {"id": "c1", "type": "function", "function": {"name": "lookup_order", "arguments": "{oops"}},
            "are not JSON",
        ),
        ("lookup_order", "without a tool name"),
    ],
)
async def test_a_malformed_tool_call_is_denied_with_its_reason(
    policy: Policy, gate: Gate, call: Any, reason: str
) -> None:
    r = await ask(policy, gate, [completion({"content": None, "tool_calls": [call]})])
    assert r.status_code == 200
    data = r.json()
    assert data["choices"][0]["message"] == {"role": "assistant", "content": FALLBACK_STRICT}
    (tool,) = data["brandrail"]["tools"]
    assert not tool["allowed"] and reason in tool["message"]


FALLBACK_STRICT = "Sorry, I can't help with that here. A member of our team will follow up with you shortly."


async def test_tool_calls_that_are_not_a_list_are_denied(policy: Policy, gate: Gate) -> None:
    call = {"id": "c1", "type": "function", "function": REFUND_OVER_CAP}
    data = (await ask(policy, gate, [completion({"content": None, "tool_calls": call})])).json()
    assert "tool_calls" not in data["choices"][0]["message"]
    assert "AG101" in data["brandrail"]["tools"][0]["codes"]


# -- tool names that read like a gated tool ------------------------------------------------------------------


@pytest.fixture
def lax_policy() -> Policy:
    """Unmapped tools are allowed: a name dressed up as a mapped tool's must still not pass ungated."""
    return loads_policy(POLICY + "  unmapped_tools: allow\n", name="policy.yaml")


@pytest.mark.parametrize(
    "name",
    [
        "Issue_Refund",
        "issue_refund ",
        " issue_refund",
        "issue-refund",
        "issue\u200b_refund",
        "\u0456ssue_refund",
        "ＩＳＳＵＥ＿ＲＥＦＵＮＤ",
    ],
)
async def test_a_tool_name_reading_as_a_gated_tool_is_denied(
    lax_policy: Policy, gate: Gate, name: str
) -> None:
    args = json.dumps({"order": "o-1", "amount": 5000})
    call = {"id": "c1", "type": "function", "function": {"name": name, "arguments": args}}
    data = (await ask(lax_policy, gate, [completion({"content": None, "tool_calls": [call]})])).json()
    assert "tool_calls" not in data["choices"][0]["message"]
    (tool,) = data["brandrail"]["tools"]
    assert not tool["allowed"] and "is not the mapped tool 'issue_refund'" in tool["message"]


async def test_an_unmapped_tool_of_another_name_is_still_allowed_when_configured(
    lax_policy: Policy, gate: Gate
) -> None:
    call = {"id": "c1", "type": "function", "function": {"name": "refund_policy_text", "arguments": "{}"}}
    data = (await ask(lax_policy, gate, [completion({"content": None, "tool_calls": [call]})])).json()
    assert data["choices"][0]["message"]["tool_calls"][0]["function"]["name"] == "refund_policy_text"


# -- malformed and cut streams -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "what"),
    [
        (
            "data: " + json.dumps({"choices": [{"delta": ["x"]}]}) + "\n\n",
            "choices[0].delta is not an object",
        ),
        ("data: " + json.dumps({"choices": {"0": {}}}) + "\n\n", "choices is not a list"),
        (event({"content": 5}), "choices[0].delta.content is not a string"),
        (event({"tool_calls": {"index": 0}}), "choices[0].delta.tool_calls is not a list"),
        (event({"tool_calls": [{"index": "0", "function": {"name": "x"}}]}), "tool_calls[0].index is not"),
        (
            event({"tool_calls": [{"index": 0, "function": "lookup_order"}]}),
            "tool_calls[0].function is not an object",
        ),
        (
            event({"tool_calls": [{"index": 0, "function": {"name": 5}}]}),
            "tool_calls[0].function.name is not a string",
        ),
        (event({"function_call": {"arguments": {"amount": 5}}}), "function_call.arguments is not a string"),
        ("data: [1, 2]\n\n", "not a JSON object"),
    ],
)
async def test_a_malformed_stream_event_ends_the_stream_with_a_clear_error(
    policy: Policy, gate: Gate, bad: str, what: str
) -> None:
    body = stream_body(
        event({"role": "assistant", "content": ""}), event({"content": "Our tents are good. "}), bad
    )
    r = await ask(policy, gate, [body], stream=True)
    events = sse_events(r.text)
    error = events[-1]["error"]
    assert error["code"] == "upstream_invalid_response" and what in error["message"]
    assert streamed_text(events[:-1]) == "Our tents are good. "
    assert exchanges(gate)[-1]["verdict"] == "upstream_error"


async def test_a_stream_cut_before_its_end_is_an_error_not_a_complete_reply(
    policy: Policy, gate: Gate
) -> None:
    call = {
        "index": 0,
        "id": "c1",
        "type": "function",
        "function": {"name": "lookup_order", "arguments": "{}"},
    }
    body = stream_body(event({"content": "Our tents are good. We will "}), event({"tool_calls": [call]}))
    events = sse_events((await ask(policy, gate, [body], stream=True)).text)
    assert events[-1]["error"]["code"] == "upstream_invalid_response"
    assert "ended before its last event" in events[-1]["error"]["message"]
    assert streamed_text(events[:-1]) == "Our tents are good. "  # the unfinished sentence is not sent
    assert not any("tool_calls" in e["choices"][0]["delta"] for e in events[:-1])
    (record,) = exchanges(gate)
    assert record["verdict"] == "upstream_error"


async def test_a_stream_ending_with_a_finish_reason_but_no_done_is_complete(
    policy: Policy, gate: Gate
) -> None:
    body = stream_body(event({"content": "Our tents are good."}), event({}, "stop"))
    events = sse_events((await ask(policy, gate, [body], stream=True)).text)
    assert streamed_text(events) == "Our tents are good." and events[-1] == "[DONE]"


async def test_an_error_event_in_the_upstream_stream_is_an_upstream_error(policy: Policy, gate: Gate) -> None:
    body = stream_body(
        event({"content": "Our tents are good. "}),
        "data: " + json.dumps({"error": {"message": "overloaded", "type": "server_error"}}) + "\n\n",
        event({"content": "Our cheap tents."}),
        event({}, "stop"),
    )
    events = sse_events((await ask(policy, gate, [body], stream=True)).text)
    assert events[-1]["error"]["code"] == "upstream_error"
    assert events[-1]["error"]["upstream_message"] == "overloaded"
    assert "cheap" not in streamed_text(events[:-1])


# -- the client wrapper --------------------------------------------------------------------------------------


def wrapped(policy: Policy, gate: Gate, answer: dict[str, Any], route: str = "strict") -> Any:
    handler: Callable[[httpx.Request], httpx.Response] = lambda _: httpx.Response(200, json=answer)  # noqa: E731
    client = openai.OpenAI(
        api_key="sk-test",
        base_url="http://upstream.test/v1",
        max_retries=0,
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    )
    guarded = brandrail.guard_openai(client, policy, gate=gate, route=route)
    return guarded.chat.completions.create(model="fake-model", messages=[{"role": "user", "content": "Hi"}])


def test_the_wrapper_gates_a_legacy_function_call(policy: Policy, gate: Gate) -> None:
    denied = wrapped(policy, gate, completion({"content": None, "function_call": REFUND_OVER_CAP}))
    assert denied.choices[0].message.function_call is None
    assert denied.choices[0].finish_reason == "content_filter"
    assert "AG101" in denied.brandrail["tools"][0]["codes"]
    allowed = wrapped(policy, gate, completion({"content": None, "function_call": REFUND_OK}))
    assert allowed.choices[0].message.function_call.name == "issue_refund"
    assert allowed.choices[0].finish_reason == "function_call"


def test_the_wrapper_delivers_only_the_checked_message(policy: Policy, gate: Gate) -> None:
    answer = completion(
        {
            "content": "Our cheap tents.",
            "refusal": "rubbish",
            "audio": {
                "id": "a1",
                "transcript": "Our cheap tents are rubbish.",
                "data": "AAAA",
                "expires_at": 1,
            },
        },
        logprobs={"content": [{"token": "cheap", "logprob": -0.1, "bytes": None, "top_logprobs": []}]},
    )
    answer["output_text"] = "cheap rubbish"
    reply = wrapped(policy, gate, answer, route="fixing")
    message = reply.choices[0].message
    assert message.content == "Our affordable tents."
    assert message.refusal is None and message.audio is None
    assert reply.choices[0].logprobs is None
    assert "rubbish" not in reply.model_dump_json()


async def test_a_new_call_id_at_a_used_index_is_a_call_of_its_own(policy: Policy, gate: Gate) -> None:
    """Some servers number every streamed call 0: each is gated on its own, not glued onto the one before."""
    lookup = {
        "index": 0,
        "id": "c1",
        "type": "function",
        "function": {"name": "lookup_order", "arguments": "{}"},
    }
    refund = {"index": 0, "id": "c2", "type": "function", "function": REFUND_OVER_CAP}
    body = stream_body(
        event({"tool_calls": [lookup]}), event({"tool_calls": [refund]}), event({}, "tool_calls")
    )
    events = sse_events((await ask(policy, gate, [body], route="fixing", stream=True)).text)
    (sent,) = [
        e["choices"][0]["delta"]["tool_calls"]
        for e in events[:-1]
        if "tool_calls" in e["choices"][0]["delta"]
    ]
    assert [(c["id"], c["function"]["name"]) for c in sent] == [("c1", "lookup_order")]
    tools = events[-2]["brandrail"]["tools"]
    assert [(t["tool"], t["allowed"]) for t in tools] == [("lookup_order", True), ("issue_refund", False)]


@pytest.mark.parametrize("stream", [False, True])
async def test_an_upstream_error_quoting_the_key_does_not_pass_it_on(
    policy: Policy, gate: Gate, stream: bool
) -> None:
    quoted = {
        "error": {
            "message": "Incorrect API key provided: sk-test. Check it.",
            "type": "invalid_request_error",
        }
    }

    def handler(request: httpx.Request) -> httpx.Response:
        if stream:
            return httpx.Response(
                200,
                content=stream_body("data: " + json.dumps(quoted) + "\n\n"),
                headers={"content-type": "text/event-stream"},
            )
        return httpx.Response(401, json=quoted)

    app = create_proxy_app(
        policy,
        gate=gate,
        upstream_url="http://upstream.test/v1",
        api_key="sk-test",
        transport=httpx.MockTransport(handler),
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://proxy.test") as c:
        r = await c.post("/v1/chat/completions", json=chat_body(stream=stream))
    error = sse_events(r.text)[-1]["error"] if stream else r.json()["error"]
    assert error["upstream_message"] == "Incorrect API key provided: [redacted]. Check it."
    assert "sk-test" not in r.text


def test_the_wrapper_stays_guarded_with_options(policy: Policy, gate: Gate) -> None:
    answer = completion({"content": "Our cheap tents."})
    client = openai.OpenAI(
        api_key="sk-test",
        base_url="http://upstream.test/v1",
        max_retries=0,
        http_client=httpx.Client(transport=httpx.MockTransport(lambda _: httpx.Response(200, json=answer))),
    )
    guarded = brandrail.guard_openai(client, policy, gate=gate, route="fixing")
    for other in (guarded.with_options(timeout=5), guarded.copy(max_retries=1)):
        reply = other.chat.completions.create(
            model="fake-model", messages=[{"role": "user", "content": "Hi"}]
        )
        assert reply.choices[0].message.content == "Our affordable tents."
    assert guarded.with_options(timeout=5).timeout == 5
    assert guarded.models is client.models  # what writes no reply is the client's own


@pytest.mark.parametrize(
    "path",
    [
        "responses",
        "completions",
        "beta",
        "realtime",
        "batches",
        "with_raw_response",
        "with_streaming_response",
        "chat.completions.parse",
        "chat.completions.stream",
        "chat.completions.with_raw_response",
    ],
)
def test_the_wrapper_refuses_the_ways_around_it(policy: Policy, gate: Gate, path: str) -> None:
    from brandrail.errors import UsageError

    guarded: Any = brandrail.guard_openai(openai.OpenAI(api_key="sk-test"), policy, gate=gate)
    with pytest.raises(UsageError) as info:
        for part in path.split("."):
            guarded = getattr(guarded, part)
    assert "guard_openai does not check" in str(info.value)


# -- a failure of brandrail itself -----------------------------------------------------------------------------


@pytest.mark.parametrize("stream", [False, True])
async def test_a_failing_check_is_a_clear_error_and_nothing_unchecked(
    policy: Policy, gate: Gate, stream: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from brandrail.integrations.common import ReplyGuard

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the check broke")

    monkeypatch.setattr(ReplyGuard, "check", broken)
    answer: Any = (
        stream_body(event({"content": "Our cheap tents. "}), event({}, "stop"))
        if stream
        else completion({"content": "Our cheap tents."})
    )
    r = await ask(policy, gate, [answer], stream=stream)
    if stream:
        events = sse_events(r.text)
        error = events[-1]["error"]
        assert streamed_text(events[:-1]) == ""
    else:
        assert r.status_code == 500
        error = r.json()["error"]
    assert error["code"] == "internal_error" and error["type"] == "server_error"
    assert "nothing unchecked was sent" in error["message"]
    assert "cheap" not in r.text
    (record,) = exchanges(gate)
    assert record["verdict"] == "internal_error"


# -- the mapping from a call to a gate action ------------------------------------------------------------------


def test_a_fixed_value_stands_over_a_mapped_argument(tmp_path: Any) -> None:
    """``set`` is the policy's word: an argument mapped onto the same field (or the object holding it) does not
    replace it, so an agent cannot spread refunds over campaigns of its choosing to dodge a daily cap."""
    from brandrail.integrations.common import ReplyGuard

    text = POLICY.replace(
        "      set:\n        description: refund\n", "      set:\n        campaign: refunds\n"
    )
    policy = loads_policy(text, name="policy.yaml")
    gate = Gate(policy, store=f"sqlite:///{tmp_path / 'g.db'}")
    guard = ReplyGuard(policy, gate, surface="test")
    args = [{"order": f"o-{i}", "amount": 25} for i in range(5)]
    verdicts = [guard.gate_tool("issue_refund", a) for a in args]
    # campaign_daily_cap 100 on the fixed campaign: four refunds of 25 fit, the fifth does not
    assert [v.allowed for v in verdicts] == [True, True, True, True, False]
    assert verdicts[0].decision is not None and verdicts[0].decision.action is not None
    assert verdicts[0].decision.action.model_dump()["campaign"] == "refunds"
    assert verdicts[0].arguments == {"order": "o-0", "amount": 25}  # the tool's own arguments are untouched


def test_an_argument_the_gate_does_not_see_is_denied_unless_named(tmp_path: Any) -> None:
    """A ``bcc`` or ``extra_recipients`` the mapping never names would reach people the gate never checked:
    the call is denied with the argument named, unless the policy passes it on (``pass_args``) or allows
    other arguments (``other_args: allow``)."""
    from brandrail.integrations.common import ReplyGuard

    def guard_for(extra: str) -> ReplyGuard:
        text = POLICY.replace(
            "      set:\n        description: refund\n", f"      set:\n        description: refund\n{extra}"
        )
        policy = loads_policy(text, name="policy.yaml")
        return ReplyGuard(
            policy, Gate(policy, store=f"sqlite:///{tmp_path / (str(len(extra)) + '.db')}"), surface="test"
        )

    strict = guard_for("")
    denied = strict.gate_tool("issue_refund", {"order": "o-1", "amount": 5, "bcc_refund_to": "o-2"})
    assert not denied.allowed and denied.decision is None
    assert "'bcc_refund_to'" in denied.message and "pass_args" in denied.message
    assert strict.gate_tool("issue_refund", {"order": "o-1", "amount": 5}).allowed
    passed = guard_for("      pass_args: [note]\n")
    assert passed.gate_tool("issue_refund", {"order": "o-1", "amount": 5, "note": "thanks"}).allowed
    assert not passed.gate_tool("issue_refund", {"order": "o-1", "amount": 5, "bcc": "x"}).allowed
    loose = guard_for("      other_args: allow\n")
    assert loose.gate_tool("issue_refund", {"order": "o-1", "amount": 5, "bcc": "x"}).allowed


def test_pass_args_are_checked_against_the_tools_schema() -> None:
    from brandrail.errors import PolicyError
    from brandrail.integrations.common import validate_tool_mappings

    text = POLICY.replace(
        "      set:\n        description: refund\n",
        "      set:\n        description: refund\n      pass_args: [nte]\n",
    )
    policy = loads_policy(text, name="policy.yaml")
    schemas = {
        name: {
            "type": "object",
            "properties": {"order": {}, "amount": {}, "note": {}, "ticket": {}, "text": {}, "history": {}},
        }
        for name in policy.integrations.tools
    }
    with pytest.raises(PolicyError, match="has no argument 'nte' to pass through"):
        validate_tool_mappings(policy, schemas)
