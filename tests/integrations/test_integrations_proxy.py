"""The guard proxy against the scripted fake upstream: re-ask, fix, fallback, streaming, tool calls, errors."""

from __future__ import annotations

import json
from typing import Any

import anyio
import httpx
import pytest
from integ_testlib import chat_body, exchanges, serve, sse_events, streamed_text

from brandrail.gate import Gate
from brandrail.integrations.fakeupstream import FakeReply, FakeUpstream, tool_call
from brandrail.integrations.proxy import create_proxy_app

pytestmark = pytest.mark.anyio

BAD = "Our cheap tents are great."
GOOD = "Our tents are good value and built to last."


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def post(client: Any, body: dict[str, Any], **kw: Any) -> httpx.Response:
    async with client as c:
        return await c.post(kw.pop("path", "/v1/chat/completions"), json=body, **kw)


# -- non-streaming -----------------------------------------------------------------------------------------


async def test_reask_succeeds_on_attempt_two(proxy_client: Any, upstream: FakeUpstream, gate: Gate) -> None:
    r = await post(proxy_client(BAD, GOOD), chat_body())
    assert r.status_code == 200
    data = r.json()
    assert data["choices"][0]["message"]["content"] == GOOD
    assert data["brandrail"]["verdict"] == "reasked"
    assert data["brandrail"]["attempts"] == 2
    assert data["brandrail"]["attempt_codes"] == [["BR101"], []]
    assert r.headers["X-Brandrail-Verdict"] == "reasked"
    # the second upstream call carried the first reply and the findings as feedback
    second = upstream.requests[1]["body"]["messages"]
    assert second[-2] == {"role": "assistant", "content": BAD}
    assert "BR101" in second[-1]["content"] and "cheap" in second[-1]["content"]
    (record,) = exchanges(gate)
    assert record["verdict"] == "reasked"
    assert [a["passed"] for a in record["attempts"]] == [False, True]
    assert record["attempts"][0]["blocking"][0]["code"] == "BR101"
    assert record["route"] == "support" and record["channel"] == "chat" and record["brand"] == "Fernhill"


async def test_gives_up_after_max_attempts_with_fallback(
    proxy_client: Any, upstream: FakeUpstream, gate: Gate
) -> None:
    r = await post(proxy_client(BAD, "Still cheap, sorry.", "Cheapest in town!"), chat_body())
    data = r.json()
    assert r.status_code == 200
    assert data["choices"][0]["message"]["content"] == "Sorry, let me get a colleague to help you with that."
    assert data["choices"][0]["finish_reason"] == "content_filter"
    assert data["brandrail"]["verdict"] == "fallback"
    assert data["brandrail"]["attempts"] == 3
    assert len(upstream.requests) == 3  # bounded
    (record,) = exchanges(gate)
    assert record["verdict"] == "fallback" and len(record["attempts"]) == 3


async def test_fix_mode_applies_safe_fixes(proxy_client: Any, upstream: FakeUpstream) -> None:
    r = await post(
        proxy_client("These cheap tents sell fast."), chat_body(), path="/routes/fixing/v1/chat/completions"
    )
    data = r.json()
    assert data["choices"][0]["message"]["content"] == "These affordable tents sell fast."
    assert data["brandrail"]["verdict"] == "fixed"
    assert len(upstream.requests) == 1


async def test_fix_mode_falls_back_when_no_safe_fix(proxy_client: Any) -> None:
    r = await post(
        proxy_client("That tent is rubbish."), chat_body(), headers={"X-Brandrail-Route": "fixing"}
    )
    data = r.json()
    assert data["brandrail"]["verdict"] == "fallback"
    assert "rubbish" not in json.dumps(data["choices"])


async def test_pass_mode_attaches_findings(proxy_client: Any) -> None:
    r = await post(proxy_client(BAD), chat_body(), headers={"X-Brandrail-Route": "passing"})
    data = r.json()
    assert data["choices"][0]["message"]["content"] == BAD
    assert data["brandrail"]["verdict"] == "passed_with_findings"
    assert [f["code"] for f in data["brandrail"]["findings"]] == ["BR101"]


async def test_fallback_mode_never_asks_again(proxy_client: Any, upstream: FakeUpstream) -> None:
    r = await post(proxy_client(BAD, GOOD), chat_body(), headers={"X-Brandrail-Route": "strict"})
    assert r.json()["brandrail"]["verdict"] == "fallback"
    assert len(upstream.requests) == 1


async def test_clean_reply_passes_unchanged(proxy_client: Any, gate: Gate) -> None:
    r = await post(proxy_client(GOOD), chat_body())
    assert r.json()["choices"][0]["message"]["content"] == GOOD
    assert r.json()["brandrail"]["verdict"] == "passed"
    assert gate.store.ledger.verify().ok


# -- tool calls in replies ---------------------------------------------------------------------------------


async def test_tool_call_over_budget_is_denied_then_reasked(
    proxy_client: Any, upstream: FakeUpstream, gate: Gate
) -> None:
    over = FakeReply("", tool_calls=[tool_call("issue_refund", {"order": "o-1", "amount": "80.00"})])
    fine = FakeReply(
        "", tool_calls=[tool_call("issue_refund", {"order": "o-1", "amount": "20.00"}, "call_2")]
    )
    r = await post(proxy_client(over, fine), chat_body("Refund me please"))
    data = r.json()
    calls = data["choices"][0]["message"]["tool_calls"]
    assert len(calls) == 1 and json.loads(calls[0]["function"]["arguments"])["amount"] == "20.00"
    assert data["choices"][0]["finish_reason"] == "tool_calls"
    feedback = upstream.requests[1]["body"]["messages"][-1]["content"]
    assert "AG101" in feedback  # max_per_action
    (record,) = exchanges(gate)
    assert record["attempts"][0]["tools"][0]["allowed"] is False
    assert "AG101" in record["attempts"][0]["tools"][0]["codes"]


async def test_denied_tool_call_never_reaches_client(proxy_client: Any) -> None:
    over = FakeReply("", tool_calls=[tool_call("issue_refund", {"order": "o-1", "amount": "80.00"})])
    r = await post(proxy_client(over), chat_body(), headers={"X-Brandrail-Route": "passing"})
    message = r.json()["choices"][0]["message"]
    assert "tool_calls" not in message
    assert (
        message["content"]
        == "Sorry, I can't help with that here. A member of our team will follow up with you shortly."
    )


async def test_a_streamed_reply_with_a_refused_tool_call_records_tools_dropped(
    proxy_client: Any, gate: Gate
) -> None:
    over = FakeReply(
        "Let me sort that out for you.",
        tool_calls=[tool_call("issue_refund", {"order": "o-1", "amount": "80.00"})],
    )
    r = await post(proxy_client(over), chat_body(stream=True), headers={"X-Brandrail-Route": "passing"})
    events = sse_events(r.text)
    assert streamed_text(events) == "Let me sort that out for you."
    assert not any(
        isinstance(e, dict) and e["choices"] and e["choices"][0]["delta"].get("tool_calls") for e in events
    )
    (record,) = exchanges(gate)
    assert record["verdict"] == "tools_dropped"


async def test_unmapped_tool_is_denied(proxy_client: Any) -> None:
    reply = FakeReply("", tool_calls=[tool_call("delete_account", {"id": "c1"})])
    r = await post(proxy_client(reply), chat_body(), headers={"X-Brandrail-Route": "strict"})
    data = r.json()
    assert "tool_calls" not in data["choices"][0]["message"]
    assert data["brandrail"]["verdict"] == "fallback"


async def test_tool_call_needing_approval_is_withheld(proxy_client: Any, gate: Gate) -> None:
    reply = FakeReply("", tool_calls=[tool_call("issue_refund", {"order": "o-9", "amount": "40.00"})])
    r = await post(proxy_client(reply), chat_body(), headers={"X-Brandrail-Route": "passing"})
    data = r.json()
    assert "tool_calls" not in data["choices"][0]["message"]
    (tool,) = data["brandrail"]["tools"]
    assert tool["outcome"] == "review" and tool["approval_id"]


# -- errors ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reply", "status", "code"),
    [
        (FakeReply(status=500), 502, "upstream_error"),
        (FakeReply(body="<html>bad gateway</html>"), 502, "upstream_invalid_response"),
        (FakeReply(body='{"choices": [], "object": "x"}'), 502, "upstream_invalid_response"),
        (FakeReply(body='{"id": 1'), 502, "upstream_invalid_response"),
    ],
)
async def test_upstream_failures_are_clear_errors(
    proxy_client: Any, gate: Gate, reply: FakeReply, status: int, code: str
) -> None:
    r = await post(proxy_client(reply), chat_body())
    assert r.status_code == status
    assert r.headers["content-type"].startswith("application/json")
    error = r.json()["error"]
    assert error["code"] == code and error["message"]
    assert "choices" not in r.json()
    (record,) = exchanges(gate)
    assert record["verdict"] == "upstream_error"


async def test_upstream_error_mid_reask_is_an_error_not_the_bad_reply(proxy_client: Any, gate: Gate) -> None:
    r = await post(proxy_client(BAD, FakeReply(status=503)), chat_body())
    assert r.status_code == 502
    assert "cheap" not in r.text
    (record,) = exchanges(gate)
    assert record["verdict"] == "upstream_error" and record["attempts"][0]["blocking"][0]["code"] == "BR101"


@pytest.mark.parametrize(
    ("body", "code", "param"),
    [
        (b"not json", "invalid_json", None),
        (b"[1, 2]", "not_a_chat_completion", None),
        (b'{"model": "m"}', "not_a_chat_completion", "messages"),
        (b'{"model": "m", "messages": []}', "not_a_chat_completion", "messages"),
        (
            b'{"model": "m", "messages": [{"role": "wizard", "content": "x"}]}',
            "not_a_chat_completion",
            "messages[0].role",
        ),
        (b'{"model": "m", "messages": [{"role": "user", "content": "x"}], "n": 2}', "unsupported", "n"),
    ],
)
async def test_bad_requests(
    proxy_client: Any, upstream: FakeUpstream, body: bytes, code: str, param: str | None
) -> None:
    async with proxy_client(GOOD) as c:
        r = await c.post("/v1/chat/completions", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 400
    assert r.json()["error"]["code"] == code
    assert r.json()["error"]["param"] == param
    assert upstream.requests == []


async def test_unknown_route(proxy_client: Any, upstream: FakeUpstream) -> None:
    for kw in ({"headers": {"X-Brandrail-Route": "nope"}}, {"path": "/routes/nope/v1/chat/completions"}):
        r = await post(proxy_client(GOOD), chat_body(), **kw)
        assert r.status_code == 404
        assert r.json()["error"]["code"] == "unknown_route"
        assert "support" in r.json()["error"]["message"]
    assert upstream.requests == []


async def test_models_pass_through(proxy_client: Any) -> None:
    async with proxy_client() as c:
        r = await c.get("/v1/models")
    assert r.json()["data"][0]["id"] == "fake-model"


async def test_upstream_key_sent_but_never_recorded(
    proxy_client: Any, upstream: FakeUpstream, gate: Gate
) -> None:
    await post(proxy_client(BAD, FakeReply(status=500)), chat_body("mail me at jo@example.com"))
    assert upstream.requests[0]["headers"]["authorization"] == "Bearer sk-test-secret-123"
    dump = json.dumps([e.payload_json for e in gate.store.ledger.entries()])
    assert "sk-test-secret-123" not in dump
    assert "jo@example.com" not in dump  # personal data masked
    assert "[email]" in dump


async def test_key_read_from_environment(policy: Any, gate: Gate, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRANDRAIL_TEST_UPSTREAM_KEY", "sk-from-env")
    upstream = FakeUpstream([GOOD])
    app = create_proxy_app(
        policy, gate=gate, upstream_url="http://u/v1", transport=httpx.ASGITransport(app=upstream.app)
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://p") as c:
        await c.post("/v1/chat/completions", json=chat_body())
    assert upstream.requests[0]["headers"]["authorization"] == "Bearer sk-from-env"


# -- streaming ---------------------------------------------------------------------------------------------


async def stream(client: Any, body: dict[str, Any], **kw: Any) -> tuple[int, list[Any]]:
    async with client as c:
        r = await c.post("/v1/chat/completions", json={**body, "stream": True}, **kw)
    return r.status_code, sse_events(r.text)


async def test_stream_clean_reply_released_by_sentence(proxy_client: Any, gate: Gate) -> None:
    text = "Our tents are good value. They are built to last. Ask me anything!"
    status, events = await stream(proxy_client(FakeReply(text, chunk_size=3)), chat_body())
    assert status == 200
    assert streamed_text(events) == text
    contents = [
        e["choices"][0]["delta"].get("content") for e in events if isinstance(e, dict) and e.get("choices")
    ]
    assert "Our tents are good value. " in contents  # released whole sentences, not 3-char chunks
    assert events[-1] == "[DONE]"
    assert events[-2]["brandrail"]["verdict"] == "passed"
    assert exchanges(gate)[0]["stream"] is True


@pytest.mark.parametrize("route", ["strict", "passing-not", "fixing"])
async def test_stream_never_leaks_banned_term_split_across_chunks(proxy_client: Any, route: str) -> None:
    reply = FakeReply(chunks=["Welcome back. Our ch", "ea", "p tents", " are here", ". More soon."])
    headers = {"X-Brandrail-Route": route} if route != "passing-not" else {}
    _status, events = await stream(proxy_client(reply, reply, reply), chat_body(), headers=headers)
    text = streamed_text(events)
    assert "cheap" not in text.lower()
    assert "ch" + "eap" not in "".join(
        json.dumps(e) for e in events if isinstance(e, dict) and "brandrail" not in e
    )
    assert text.startswith("Welcome back. ")


async def test_stream_violation_first_sentence_is_reasked(
    proxy_client: Any, upstream: FakeUpstream, gate: Gate
) -> None:
    _status, events = await stream(
        proxy_client(FakeReply(BAD, chunk_size=4), FakeReply(GOOD, chunk_size=4)), chat_body()
    )
    assert streamed_text(events) == GOOD
    assert events[-2]["brandrail"]["verdict"] == "reasked"
    assert len(upstream.requests) == 2
    assert exchanges(gate)[0]["verdict"] == "reasked"


async def test_stream_violation_after_release_stops_with_fallback(proxy_client: Any, gate: Gate) -> None:
    reply = FakeReply("Thanks for asking. " + BAD + " Buy now.", chunk_size=5)
    _status, events = await stream(proxy_client(reply), chat_body())
    text = streamed_text(events)
    assert text.startswith("Thanks for asking. ")
    assert "cheap" not in text and "Buy now" not in text
    assert text.endswith("Sorry, let me get a colleague to help you with that.")
    assert events[-2]["choices"][0]["finish_reason"] == "content_filter"
    assert exchanges(gate)[0]["verdict"] == "fallback"


async def test_stream_fix_mode_fixes_sentence(proxy_client: Any) -> None:
    reply = FakeReply("Hello there. These cheap tents sell fast.", chunk_size=4)
    _, events = await stream(proxy_client(reply), chat_body(), headers={"X-Brandrail-Route": "fixing"})
    assert streamed_text(events) == "Hello there. These affordable tents sell fast."
    assert events[-2]["brandrail"]["verdict"] == "fixed"


async def test_stream_buffer_route_reasks_then_streams(proxy_client: Any) -> None:
    _, events = await stream(proxy_client(BAD, GOOD), chat_body(), headers={"X-Brandrail-Route": "buffered"})
    assert streamed_text(events) == GOOD
    assert events[-2]["brandrail"]["verdict"] == "reasked"


async def test_stream_tool_calls_are_gated(proxy_client: Any) -> None:
    over = FakeReply(
        "One moment.", tool_calls=[tool_call("issue_refund", {"order": "o-1", "amount": "80.00"})]
    )
    _, events = await stream(proxy_client(over), chat_body())
    assert not any(
        isinstance(e, dict) and e.get("choices") and e["choices"][0]["delta"].get("tool_calls")
        for e in events
    )
    assert events[-2]["brandrail"]["tools"][0]["allowed"] is False
    ok = FakeReply("One moment.", tool_calls=[tool_call("issue_refund", {"order": "o-2", "amount": "10.00"})])
    _, events = await stream(proxy_client(ok), chat_body())
    calls = [
        e["choices"][0]["delta"]["tool_calls"]
        for e in events
        if isinstance(e, dict) and e.get("choices") and e["choices"][0]["delta"].get("tool_calls")
    ]
    assert calls and calls[0][0]["function"]["name"] == "issue_refund"


@pytest.mark.parametrize(
    ("reply", "status", "code"),
    [
        (FakeReply(status=500), 502, "upstream_error"),
        (FakeReply(body='{"not": "a stream"}'), 502, "upstream_invalid_response"),
    ],
)
async def test_stream_upstream_failure_before_first_byte(
    proxy_client: Any, reply: FakeReply, status: int, code: str
) -> None:
    async with proxy_client(reply) as c:
        r = await c.post("/v1/chat/completions", json={**chat_body(), "stream": True})
    assert r.status_code == status
    assert r.json()["error"]["code"] == code


async def test_stream_malformed_event_mid_stream_releases_nothing_unchecked(
    proxy_client: Any, gate: Gate
) -> None:
    reply = FakeReply("All good here. And an unfinished cheap", chunk_size=6, stream_break=True)
    _, events = await stream(proxy_client(reply), chat_body())
    assert streamed_text(events) == "All good here. "
    assert events[-1]["error"]["code"] == "upstream_invalid_response"
    assert exchanges(gate)[0]["verdict"] == "upstream_error"


@pytest.mark.parametrize("streaming", [False, True])
def test_slow_upstream_times_out_with_504(policy: Any, gate: Gate, streaming: bool) -> None:
    upstream = FakeUpstream([FakeReply("late", delay=3.0)])  # the policy's upstream timeout is 2 s
    with serve(upstream.app) as up_url:
        app = create_proxy_app(policy, gate=gate, upstream_url=up_url + "/v1", api_key="k")

        async def go() -> httpx.Response:
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://p") as c:
                return await c.post("/v1/chat/completions", json={**chat_body(), "stream": streaming})

        r = anyio.run(go)
    assert r.status_code == 504
    assert r.json()["error"]["code"] == "upstream_timeout"
    assert exchanges(gate)[0]["verdict"] == "upstream_error"


def test_client_disconnect_mid_stream_closes_upstream_and_is_recorded(policy: Any, gate: Gate) -> None:
    upstream = FakeUpstream([FakeReply("First sentence here. " * 40, chunk_size=10, chunk_delay=0.02)])
    with serve(upstream.app) as up_url:
        app = create_proxy_app(policy, gate=gate, upstream_url=up_url + "/v1", api_key="k")
        with serve(app) as url, httpx.Client(base_url=url, timeout=10) as c:
            with c.stream("POST", "/v1/chat/completions", json={**chat_body(), "stream": True}) as r:
                for line in r.iter_lines():
                    if "First sentence" in line:
                        break
            # the proxy notices, closes the upstream stream and records the exchange
            for _ in range(200):
                if exchanges(gate):
                    break
                anyio.run(anyio.sleep, 0.02)
    (record,) = exchanges(gate)
    assert record["verdict"] == "client_disconnected"
    assert upstream.cancelled == 1


def test_openai_sdk_pointed_at_the_proxy(policy: Any, gate: Gate) -> None:
    """The copy-paste setup of docs/integrations.md: an OpenAI SDK's base_url at the proxy."""
    import openai

    upstream = FakeUpstream([BAD, GOOD])
    app = create_proxy_app(
        policy,
        gate=gate,
        upstream_url="http://u/v1",
        api_key="k",
        transport=httpx.ASGITransport(app=upstream.app),
    )
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app))
    client = openai.AsyncOpenAI(
        base_url="http://proxy.test/v1", api_key="unused", http_client=http, max_retries=0
    )

    async def go() -> Any:
        return await client.chat.completions.create(
            model="fake-model", messages=[{"role": "user", "content": "Anything cheaper?"}]
        )

    reply = anyio.run(go)
    assert reply.choices[0].message.content == GOOD
    assert reply.model_extra["brandrail"]["verdict"] == "reasked"
    assert upstream.requests[0]["headers"]["authorization"] == "Bearer k"  # the proxy's key, not the client's


@pytest.mark.parametrize("streaming", [False, True])
async def test_offloaded_checks_give_the_same_answers(proxy_client: Any, gate: Gate, streaming: bool) -> None:
    client = proxy_client(FakeReply(BAD, chunk_size=4), FakeReply(GOOD, chunk_size=4), offload=True)
    async with client as c:
        r = await c.post("/v1/chat/completions", json={**chat_body(), "stream": streaming})
    text = streamed_text(sse_events(r.text)) if streaming else r.json()["choices"][0]["message"]["content"]
    assert text == GOOD
    assert exchanges(gate)[0]["verdict"] == "reasked"


async def test_stream_whole_message_rule_is_reported_after_release(policy: Any, gate: Gate) -> None:
    """A missing disclosure can only be judged on the whole reply: recorded as violations_after_release."""
    from integ_testlib import POLICY

    from brandrail.policy import loads_policy

    disclosure = (
        "disclosures:\n  required:\n    - id: trade-in-terms\n      text: Trade-in value depends on condition.\n"
        "      accept: [depends on condition]\n      when: {terms: [trade-in]}\nchannels:\n"
    )
    strict = loads_policy(POLICY.replace("channels:\n", disclosure, 1), name="p.yaml")
    upstream = FakeUpstream(
        [FakeReply("Hello there. Bring your old tent for a trade-in. Thanks!", chunk_size=6)]
    )
    app = create_proxy_app(
        strict, gate=gate, upstream_url="http://u/v1", transport=httpx.ASGITransport(app=upstream.app)
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://p") as c:
        r = await c.post("/v1/chat/completions", json={**chat_body(), "stream": True})
    events = sse_events(r.text)
    assert events[-2]["brandrail"]["verdict"] == "violations_after_release"
    assert "BR301" in [f["code"] for f in events[-2]["brandrail"]["findings"]]
    (record,) = exchanges(gate)
    assert record["verdict"] == "violations_after_release"
    assert record["attempts"][0]["blocking"][0]["code"] == "BR301"
    # the same reply without streaming is re-asked instead
    upstream.script(
        [
            "Bring your old tent for a trade-in.",
            "Bring your old tent for a trade-in. Trade-in value depends on condition.",
        ]
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://p") as c:
        r = await c.post("/v1/chat/completions", json=chat_body())
    assert r.json()["brandrail"]["verdict"] == "reasked"


async def test_fix_mode_drops_a_denied_tool_call_and_keeps_the_text(proxy_client: Any) -> None:
    reply = FakeReply(
        "Let me sort that out.", tool_calls=[tool_call("issue_refund", {"order": "o-1", "amount": "80.00"})]
    )
    r = await post(proxy_client(reply), chat_body(), headers={"X-Brandrail-Route": "fixing"})
    data = r.json()
    assert data["brandrail"]["verdict"] == "tools_dropped"
    assert data["choices"][0]["message"]["content"] == "Let me sort that out."
    assert "tool_calls" not in data["choices"][0]["message"]


async def test_personal_data_in_evidence_is_masked(proxy_client: Any, gate: Gate) -> None:
    await post(
        proxy_client("Write to me at sam.walker@example.com or call +44 7700 900123."),
        chat_body(),
        headers={"X-Brandrail-Route": "passing"},
    )
    dump = json.dumps([e.payload_json for e in gate.store.ledger.entries()])
    assert "sam.walker@example.com" not in dump and "7700 900123" not in dump


async def test_client_cannot_pick_a_route_when_disabled(proxy_client: Any, upstream: FakeUpstream) -> None:
    from integ_testlib import POLICY

    from brandrail.policy import loads_policy

    locked = loads_policy(
        POLICY.replace("  default_route: support\n", "  default_route: support\n  client_routes: false\n")
    )
    for kw in (
        {"headers": {"X-Brandrail-Route": "passing"}},
        {"path": "/routes/passing/v1/chat/completions"},
    ):
        r = await post(proxy_client(BAD, policy=locked), chat_body(), **kw)
        assert r.status_code == 403
        assert r.json()["error"]["code"] == "route_selection_disabled"
    assert upstream.requests == []
    r = await post(proxy_client(BAD, GOOD, policy=locked), chat_body())  # by model: the support route
    assert r.json()["brandrail"]["route"] == "support"


def test_stream_stalling_mid_way_ends_with_a_timeout_event(policy: Any, gate: Gate) -> None:
    """The upstream stops sending for longer than the timeout (2 s) after the first sentence."""
    stalled = FakeReply(chunks=["All good here. ", "And cheap stuff."], stall_after=1, stall=3.0)
    upstream = FakeUpstream([stalled])
    with serve(upstream.app) as up_url:
        app = create_proxy_app(policy, gate=gate, upstream_url=up_url + "/v1", api_key="k")

        async def go() -> httpx.Response:
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://p") as c:
                return await c.post("/v1/chat/completions", json={**chat_body(), "stream": True})

        r = anyio.run(go)
    events = sse_events(r.text)
    assert streamed_text(events) == "All good here. "
    assert "cheap" not in r.text
    assert isinstance(events[-1], dict) and events[-1]["error"]["code"] == "upstream_timeout"
    assert exchanges(gate)[0]["verdict"] == "upstream_error"


async def test_unknown_endpoint_is_a_json_error(proxy_client: Any) -> None:
    async with proxy_client() as c:
        r = await c.post("/v1/completions", json={"model": "m", "prompt": "x"})
        assert r.status_code == 404 and r.json()["error"]["code"] == "unknown_endpoint"
        r = await c.get("/v1/chat/completions")
        assert r.status_code == 405 and r.json()["error"]["code"] == "method_not_allowed"
