"""Taint (AG909) of a long chat, through the proxy and ``guard_openai`` (rt-resultleft).

Under ``integrations.results.taint_on: any`` every result of an untrusted tool taints, and a chat client
resends its whole history with every request. A row names at most the latest 32 results (``MAX_RESULTS``),
so a lift covered at most those: a chat of 40 untrusted results was tainted again by the 8 older ones as
soon as it was resent. A lift now covers every result the chat had sent when it was made (a keyed chain of
the results in order, a high-water mark), however many there are; a new result still taints.

And what renews a taint: only a result that taints (new, or the chat's own history read again by the model);
no write that carries none — a lift, a prune, a covered result resent — moves a taint's end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import anyio
import httpx
import openai
from integ_testlib import POLICY
from test_integrations_proxy_results import REFUND
from test_integrations_taint_lift import held, history, send
from test_integrations_taint_store import Clock, lift_seen, taint_entries, verify_problems

import brandrail
from brandrail.gate import Gate
from brandrail.gate.principal import Principal
from brandrail.gate.taint import MAX_RESULTS, lift_taint, list_taints, prune_taints
from brandrail.integrations.common import ResultTaint
from brandrail.integrations.fakeupstream import FakeUpstream
from brandrail.policy import Policy, loads_policy

ANA = Principal("ana", frozenset({"reviewer"}), via="key")
A = {"Authorization": "Bearer key-a", "X-Brandrail-Route": "fixing"}
ANY = "taint_on: any\ntrusted_tools: [crm_*]"


def results_policy(body: str) -> Policy:
    lines = "".join(f"    {line}\n" for line in body.strip().splitlines())
    return loads_policy(POLICY + "  results:\n" + lines, name="policy.yaml")


def pages(n: int, start: int = 0) -> list[tuple[str, Any]]:
    return [("web_fetch", f"Page {k}: opening hours 9 to 5.") for k in range(start, start + n)]


def live_rows(gate: Gate) -> list[Any]:
    now = datetime.now(UTC)
    return [r for r in list_taints(gate.store) if r.state(now) == "live"]


def test_proxy_a_lift_covers_every_result_of_a_chat_longer_than_a_row_names(
    proxy_client: Any, tmp_path: Path
) -> None:
    policy = results_policy(ANY)
    gate = Gate(policy, store=f"sqlite:///{tmp_path / 'gate.db'}")
    chat = history(*pages(MAX_RESULTS + 8))
    assert held(send(proxy_client, gate, policy, chat, A))
    [row] = live_rows(gate)
    assert len(row.by["results"]) == MAX_RESULTS  # a row names the latest 32 ...
    lift_seen(gate.store, row.key, reviewer=ANA, reason="forty plain pages")
    entries = len(taint_entries(gate))
    for _ in range(2):  # ... and the lift covers all 40, resent as often as the client likes
        assert not held(send(proxy_client, gate, policy, chat, A))
    assert live_rows(gate) == [] and len(taint_entries(gate)) == entries
    # a new result of an untrusted tool taints again, and so does the chat with one of its results changed
    assert held(send(proxy_client, gate, policy, history(*pages(MAX_RESULTS + 9)), A))
    [row] = live_rows(gate)
    lift_seen(gate.store, row.key, reviewer=ANA, reason="the forty-first page too")
    assert not held(send(proxy_client, gate, policy, history(*pages(MAX_RESULTS + 9)), A))
    changed = pages(MAX_RESULTS + 9)
    changed[3] = ("web_fetch", "Page 3: closed today.")
    assert held(send(proxy_client, gate, policy, history(*changed), A))
    assert verify_problems(gate) == []


def test_guard_openai_a_lift_covers_every_result_of_a_long_chat(tmp_path: Path) -> None:
    policy = results_policy(ANY)
    gate = Gate(policy, store=f"sqlite:///{tmp_path / 'gate.db'}")

    def ask(body: dict[str, Any]) -> bool:
        upstream = FakeUpstream([REFUND])
        http = httpx.AsyncClient(transport=httpx.ASGITransport(app=upstream.app))
        raw = openai.AsyncOpenAI(api_key="sk-test", base_url="http://upstream.test/v1", http_client=http)
        client = brandrail.guard_openai(raw, policy, gate=gate, route="fixing", caller="agent-7")

        async def go() -> Any:
            return await client.chat.completions.create(**body)

        reply = anyio.run(go)
        codes = {c for t in reply.brandrail["tools"] for c in t["codes"]}
        return "AG909" in codes and reply.choices[0].message.tool_calls is None

    chat = history(*pages(50))
    assert ask(chat)
    [row] = live_rows(gate)
    lift_seen(gate.store, row.key, reviewer=ANA, reason="fifty plain pages")
    assert ask(chat) is False
    assert ask(history(*pages(51)))  # one more: taints


def test_a_lift_with_covers_named_covers_only_those(tmp_path: Path) -> None:
    """A reviewer who names the results a lift covers (``covers``) covers those, not the chat's mark."""
    policy = results_policy(ANY)
    gate = Gate(policy, store=f"sqlite:///{tmp_path / 'gate.db'}")
    clock = Clock()
    taint = ResultTaint(policy.integrations.results, clock, gate.store, gate.keys)
    caller = taint.caller(credential="key-a")
    flags = [{"tool": "web_fetch", "codes": [], "cause": "provenance"} for _ in range(3)]
    contents = [f"page {n}" for n in range(3)]
    tainting = taint.uncovered(caller, flags, contents)
    assert len(tainting) == 3 and all(f["chain"] for f in tainting)
    from brandrail.integrations.common import flagged_by

    by = flagged_by(tainting)
    assert by is not None and by["chains"][-1]["count"] == 3
    taint.mark(caller, by)
    named = [r["digest"] for r in by["results"]]
    lift_taint(
        gate.store, caller.write_key(), reviewer=ANA, reason="named all three", covers=named, now=clock.now
    )
    again = [{"tool": "web_fetch", "codes": [], "cause": "provenance"} for _ in range(3)]
    assert taint.uncovered(caller, again, contents) == []  # each named result covered by its digest


# -- what renews a taint ------------------------------------------------------------------------------------


def test_only_a_result_that_taints_moves_the_end_of_a_taint(tmp_path: Path) -> None:
    policy = results_policy(ANY)
    gate = Gate(policy, store=f"sqlite:///{tmp_path / 'gate.db'}")
    clock = Clock()
    taint = ResultTaint(policy.integrations.results, clock, gate.store, gate.keys)
    caller = taint.caller(credential="key-a")

    def read(*contents: str) -> None:
        flags = [{"tool": "web_fetch", "codes": [], "cause": "provenance"} for _ in contents]
        from brandrail.integrations.common import flagged_by

        by = flagged_by(taint.uncovered(caller, flags, list(contents)))
        if by is not None:
            taint.mark(caller, by)

    def until() -> datetime:
        found = taint.tainted(caller)
        assert found is not None
        return found[0]

    read("page 1")
    first = until()
    assert first == clock.now + taint.duration
    clock.advance(seconds=30)  # the same result resent within the slack: nothing written, nothing moved
    entries = len(taint_entries(gate))
    read("page 1")
    assert until() == first and len(taint_entries(gate)) == entries
    clock.advance(minutes=10)  # resent later: the model read it again, so the taint runs from now
    read("page 1")
    assert until() == clock.now + taint.duration
    # a lift ends it and covers the result: resending it writes nothing and moves nothing
    [row] = [r for r in list_taints(gate.store) if r.key == caller.write_key()]
    lift_taint(gate.store, row.key, reviewer=ANA, reason="plain page", seen=row.view, now=clock.now)
    entries = len(taint_entries(gate))
    clock.advance(minutes=5)
    read("page 1")
    assert taint.tainted(caller) is None and len(taint_entries(gate)) == entries
    # a prune writes the row's end as it was
    clock.advance(hours=30)  # the cover is over too
    result = prune_taints(gate.store, timedelta(0), now=clock.now)
    assert result.pruned == (caller.write_key(),)
    assert taint.tainted(caller) is None
    # a new result taints for taint_for from now, not a moment more
    read("page 2")
    assert until() == clock.now + taint.duration
