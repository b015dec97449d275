"""Taint by provenance (``integrations.results.taint_on: untrusted | any``): a result of an untrusted tool taints
its caller (AG909) whatever it says, flagged or not, in each shell — the MCP gateway, the proxy and
``guard_openai`` — while ``taint_on: flagged`` (the default) taints only after a flagged result, as before.
The row and the ledger say why (``by.cause``: provenance or finding), the lift flow works unchanged, renewals
stay bounded, and the policy keys are checked with file:line:col."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import anyio
import httpx
import openai
import pytest
from integ_testlib import POLICY, exchanges
from test_integrations_mcp_results import Tools, run, text_of
from test_integrations_proxy_results import POISON, REFUND
from test_integrations_taint_lift import held, history, send
from test_integrations_taint_store import lift_seen, taint_entries, verify_problems, view_of

import brandrail
from brandrail.errors import PolicyError
from brandrail.gate import Gate
from brandrail.gate.principal import Principal
from brandrail.gate.taint import list_taints
from brandrail.integrations.common import result_provenance, untrusted_tool_messages
from brandrail.integrations.fakeupstream import FakeUpstream, tool_call
from brandrail.policy import Policy, loads_policy

ANA = Principal("ana", frozenset({"reviewer"}), via="key")
BENIGN = "Order o-1: shipped on Monday, tracking number 1Z999."
A = {"Authorization": "Bearer key-a", "X-Brandrail-Route": "fixing"}
REFUND_STEP = ("issue_refund", {"order": "o-1", "amount": "20.00"})
LOOKUP_STEP = ("lookup_order", {"order": "o-1"})


def results_policy(body: str) -> Policy:
    """The test policy with ``integrations.results`` set to ``body`` (YAML lines under it)."""
    lines = "".join(f"    {line}\n" for line in body.strip().splitlines())
    return loads_policy(POLICY + "  results:\n" + lines, name="policy.yaml")


UNTRUSTED = "taint_on: untrusted\nuntrusted_tools: [lookup_*, web_fetch]"
UNTRUSTED_DENY = UNTRUSTED + "\ntaint: deny"
TRUSTED_LOOKUP = "taint_on: any\ntrusted_tools: [lookup_order]"
ANY = "taint_on: any\ntrusted_tools: [crm_*]"
ELSEWHERE = "taint_on: untrusted\nuntrusted_tools: [web_*]"


def gate_for(policy: Policy, tmp_path: Path, name: str = "gate") -> Gate:
    return Gate(policy, store=f"sqlite:///{tmp_path / name}.db")


def screened(gate: Gate) -> list[dict[str, Any]]:
    return [e for e in exchanges(gate) if e["verdict"] == "result_screened"]


# -- matching ----------------------------------------------------------------------------------------------


def test_which_tools_are_untrusted() -> None:
    untrusted = results_policy(UNTRUSTED).integrations.results
    assert result_provenance(untrusted, "lookup_order") == {"taint_on": "untrusted", "matched": "lookup_*"}
    assert result_provenance(untrusted, "web_fetch") == {"taint_on": "untrusted", "matched": "web_fetch"}
    # a variant of an untrusted name (case, separators, look-alike or invisible characters) is untrusted
    for variant in ("Lookup-Order", "LOOKUP_ORDER", "web\u200bfetch", "wеb_fetch"):  # Cyrillic е
        assert result_provenance(untrusted, variant) is not None, variant
    assert result_provenance(untrusted, "issue_refund") is None
    assert result_provenance(untrusted, None) == {"taint_on": "untrusted", "tool_named": False}
    assert result_provenance(untrusted, "") == {"taint_on": "untrusted", "tool_named": False}

    any_ = results_policy(ANY).integrations.results
    assert result_provenance(any_, "crm_lookup") is None
    assert result_provenance(any_, "lookup_order") == {"taint_on": "any"}
    # trusted names match exactly as written: a variant of a trusted name is not trusted
    assert result_provenance(any_, "CRM_lookup") == {"taint_on": "any"}
    assert result_provenance(any_, None) == {"taint_on": "any", "tool_named": False}

    flagged = results_policy("taint_on: flagged").integrations.results
    assert result_provenance(flagged, "lookup_order") is None
    assert result_provenance(flagged, None) is None


def test_the_chat_names_the_tool_from_the_assistants_call_or_not_at_all() -> None:
    settings = results_policy(ELSEWHERE).integrations.results
    messages: list[dict[str, Any]] = [
        {"role": "user", "content": "hi"},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [tool_call("web_search", {}, "c1"), tool_call("crm_lookup", {}, "c2")],
        },
        {"role": "tool", "tool_call_id": "c1", "content": "results"},  # web_search: untrusted
        {"role": "tool", "tool_call_id": "c2", "content": "a customer"},  # crm_lookup: not listed
        {"role": "tool", "tool_call_id": "c9", "content": "from nowhere"},  # answers no call: unknown
        {"role": "tool", "tool_call_id": "c2", "name": "other", "content": "x"},  # disagrees: unknown
        {"role": "tool", "content": "no id"},  # unknown
        {"role": "tool", "tool_call_id": "c2", "content": ""},  # nothing to read
        {"role": "assistant", "content": None, "function_call": {"name": "crm_lookup", "arguments": "{}"}},
        {"role": "function", "name": "crm_lookup", "content": "legacy, named"},
        {"role": "function", "name": "web_fetch", "content": "legacy, name disagrees"},
    ]
    found = untrusted_tool_messages(messages, settings)
    assert [(f["index"], f["tool"]) for f in found] == [
        (2, "web_search"),
        (4, "unknown"),
        (5, "unknown"),
        (6, "unknown"),
        (10, "unknown"),
    ]
    assert found[0]["untrusted"] == {"taint_on": "untrusted", "matched": "web_*"}
    assert found[1]["untrusted"] == {"taint_on": "untrusted", "tool_named": False}
    assert all(f["cause"] == "provenance" and f["codes"] == [] for f in found)
    assert untrusted_tool_messages(messages, settings, skip=[2]) == found[1:]
    # a call id the assistant used twice for two tools names neither
    twice = [
        {"role": "assistant", "content": None, "tool_calls": [tool_call("crm_lookup", {}, "c1")]},
        {"role": "assistant", "content": None, "tool_calls": [tool_call("crm_notes", {}, "c1")]},
        {"role": "tool", "tool_call_id": "c1", "content": "which?"},
    ]
    assert [f["tool"] for f in untrusted_tool_messages(twice, settings)] == ["unknown"]
    flagged = results_policy("taint_on: flagged").integrations.results
    assert untrusted_tool_messages(messages, flagged) == []


# -- the MCP gateway ---------------------------------------------------------------------------------------


def test_gateway_an_unflagged_result_of_an_untrusted_tool_holds_the_next_refund(tmp_path: Path) -> None:
    policy = results_policy(UNTRUSTED)
    gate = gate_for(policy, tmp_path)
    tools = Tools(BENIGN)
    lookup, refund, again = run(policy, gate, tools, LOOKUP_STEP, REFUND_STEP, LOOKUP_STEP)
    assert text_of(lookup) == BENIGN  # nothing flagged: the agent reads it as it came
    assert refund.structured_content["status"] == "pending_approval"
    assert "AG909" in text_of(refund) and "untrusted_tools: 'lookup_*'" in text_of(refund)
    assert not again.is_error  # a lookup (action: none) is not held
    assert tools.calls == ["lookup_order", "lookup_order"]  # the refund never reached the server
    first = screened(gate)[0]
    assert first["tool"]["cause"] == "provenance" and first["tool"]["result"]["codes"] == []
    assert first["tool"]["untrusted"] == {"taint_on": "untrusted", "matched": "lookup_*"}
    [row] = list_taints(gate.store)
    assert row.by["cause"] == "provenance" and row.by["tool"] == "lookup_order" and row.by["codes"] == []
    assert [r["cause"] for r in row.by["results"]] == ["provenance"]
    assert verify_problems(gate) == []


def test_gateway_taint_deny_denies_and_a_trusted_tool_holds_nothing(tmp_path: Path) -> None:
    deny = results_policy(UNTRUSTED_DENY)
    _, denied = run(deny, gate_for(deny, tmp_path, "deny"), Tools(BENIGN), LOOKUP_STEP, REFUND_STEP)
    assert denied.is_error and "AG909" in text_of(denied)

    for body in (ELSEWHERE, TRUSTED_LOOKUP, "taint_on: flagged"):
        policy = results_policy(body)
        gate = gate_for(policy, tmp_path, str(abs(hash(body))))
        tools = Tools(BENIGN)
        _, refund = run(policy, gate, tools, LOOKUP_STEP, REFUND_STEP)
        assert not refund.is_error and text_of(refund) == "issue_refund done", body
        # under any, the refund's own result (issue_refund is not trusted) taints what comes after it
        after = ["issue_refund"] if body == TRUSTED_LOOKUP else []
        assert [e["tool"]["tool"] for e in screened(gate)] == after, body

    everything = results_policy(ANY)
    _, refund = run(
        everything, gate_for(everything, tmp_path, "any"), Tools(BENIGN), LOOKUP_STEP, REFUND_STEP
    )
    assert refund.structured_content["status"] == "pending_approval"
    assert "taint_on: any" in text_of(refund)


def test_gateway_provenance_taints_with_screening_off_and_renews_boundedly(tmp_path: Path) -> None:
    """With ``screen: false`` nothing is read, yet an untrusted tool's result still taints; the same result
    read again within a minute writes no new taint entry, a different one does (the row names it)."""
    policy = results_policy(UNTRUSTED + "\nscreen: false")
    gate = gate_for(policy, tmp_path)
    tools = Tools(POISON)
    lookup, *_, refund = run(policy, gate, tools, LOOKUP_STEP, LOOKUP_STEP, LOOKUP_STEP, REFUND_STEP)
    assert text_of(lookup) == POISON  # not screened
    assert refund.structured_content["status"] == "pending_approval"
    assert len(taint_entries(gate)) == 1
    tools.answer = "Order o-2: delivered."
    run(policy, gate, tools, LOOKUP_STEP, LOOKUP_STEP)
    assert len(taint_entries(gate)) == 2
    [row] = list_taints(gate.store)
    assert len(row.by["results"]) == 2 and verify_problems(gate) == []


def test_gateway_a_flagged_untrusted_result_is_still_redacted_and_named_as_a_finding(tmp_path: Path) -> None:
    policy = results_policy(UNTRUSTED)
    gate = gate_for(policy, tmp_path)
    lookup, refund = run(policy, gate, Tools(POISON), LOOKUP_STEP, REFUND_STEP)
    assert "customer list" not in text_of(lookup) and "(AG908)]" in text_of(lookup)
    assert refund.structured_content["status"] == "pending_approval"
    [entry] = screened(gate)
    assert entry["tool"]["cause"] == "finding" and entry["tool"]["result"]["codes"] == ["AG908"]
    [row] = list_taints(gate.store)
    assert row.by["cause"] == "finding" and row.by["codes"] == ["AG908"]


def test_gateway_a_taint_that_cannot_be_recorded_withholds_the_untrusted_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from brandrail.integrations.common import ResultTaint, TaintNotRecordedError

    def broken(self: Any, caller: Any, by: Any) -> Any:
        raise TaintNotRecordedError("the gate's store could not record the taint (OperationalError)")

    monkeypatch.setattr(ResultTaint, "mark", broken)
    policy = results_policy(UNTRUSTED)
    [lookup] = run(policy, gate_for(policy, tmp_path), Tools(BENIGN), LOOKUP_STEP)
    assert lookup.is_error and BENIGN not in text_of(lookup)
    assert lookup.structured_content["taint_not_recorded"] is True


# -- the proxy ---------------------------------------------------------------------------------------------


def benign_chat(tool: str = "lookup_order") -> dict[str, Any]:
    return history((tool, BENIGN), follow=False)


def follow_up() -> dict[str, Any]:
    return {"model": "fake-model", "messages": [{"role": "user", "content": "Refund o-1 please."}]}


def test_proxy_an_unflagged_result_of_an_untrusted_tool_holds_this_and_later_refunds(
    proxy_client: Any, upstream: FakeUpstream, tmp_path: Path
) -> None:
    policy = results_policy(UNTRUSTED)
    gate = gate_for(policy, tmp_path)
    reply = send(proxy_client, gate, policy, benign_chat(), A)
    assert held(reply)
    [verdict] = reply["brandrail"]["tools"]
    assert verdict["outcome"] == "review" and verdict["approval_id"]
    assert "in the messages of this request" in verdict["message"] and "lookup_*" in verdict["message"]
    assert upstream.requests[-1]["body"]["messages"][2]["content"] == BENIGN  # read as it came
    later = send(proxy_client, gate, policy, follow_up(), A)
    assert held(later) and "ago" in later["brandrail"]["tools"][0]["message"]
    assert not held(send(proxy_client, gate, policy, follow_up(), {**A, "Authorization": "Bearer key-b"}))
    [entry] = screened(gate)
    assert entry["tool"]["cause"] == "provenance" and entry["tool"]["tool"] == "lookup_order"
    [row] = list_taints(gate.store)
    assert row.by["cause"] == "provenance" and row.by["untrusted"]["matched"] == "lookup_*"


def test_proxy_deny_trusted_flagged_and_an_unnamed_tool(proxy_client: Any, tmp_path: Path) -> None:
    deny = results_policy(UNTRUSTED_DENY)
    reply = send(proxy_client, gate_for(deny, tmp_path, "deny"), deny, benign_chat(), A)
    assert held(reply) and reply["brandrail"]["tools"][0]["outcome"] == "deny"
    assert reply["brandrail"]["tools"][0]["codes"] == ["AG909"]

    for body in (ELSEWHERE, TRUSTED_LOOKUP, "taint_on: flagged"):
        policy = results_policy(body)
        gate = gate_for(policy, tmp_path, str(abs(hash(body))))
        assert not held(send(proxy_client, gate, policy, benign_chat(), A)), body
        assert screened(gate) == [] and list_taints(gate.store) == []

    # the tool message answers no call of the assistant: its tool cannot be named, so it is untrusted
    policy = results_policy(ELSEWHERE)
    gate = gate_for(policy, tmp_path, "unnamed")
    body = benign_chat()
    body["messages"][2]["tool_call_id"] = "call_unknown"
    reply = send(proxy_client, gate, policy, body, A)
    assert held(reply) and "cannot be established" in reply["brandrail"]["tools"][0]["message"]
    [row] = list_taints(gate.store)
    assert (
        row.by["untrusted"] == {"taint_on": "untrusted", "tool_named": False} and row.by["tool"] == "unknown"
    )
    # the same under flagged: nothing holds a result nobody flagged
    flagged = results_policy("taint_on: flagged")
    assert not held(send(proxy_client, gate_for(flagged, tmp_path, "f2"), flagged, body, A))


def test_proxy_lift_with_seen_covers_the_untrusted_results_the_chat_resends(
    proxy_client: Any, tmp_path: Path
) -> None:
    policy = results_policy(UNTRUSTED)
    gate = gate_for(policy, tmp_path)
    chat = history(("lookup_order", BENIGN), ("web_fetch", "Opening hours: 9 to 5."))
    for _ in range(3):  # a chat client resends its history: one taint entry, renewed no more than that
        assert held(send(proxy_client, gate, policy, chat, A))
    assert len(taint_entries(gate)) == 1
    [row] = list_taints(gate.store)
    assert [(r["tool"], r["cause"]) for r in row.by["results"]] == [
        ("lookup_order", "provenance"),
        ("web_fetch", "provenance"),
    ]
    lift_seen(gate.store, row.key, reviewer=ANA, reason="read both results: plain data")
    assert not held(send(proxy_client, gate, policy, chat, A))  # covered: the lift is not undone
    # a new result of an untrusted tool taints again
    more = history(("lookup_order", BENIGN), ("web_fetch", "Opening hours: 9 to 5."), ("web_fetch", "New."))
    assert held(send(proxy_client, gate, policy, more, A))
    assert verify_problems(gate) == []


def test_proxy_many_untrusted_results_resent_renew_the_taint_boundedly(
    proxy_client: Any, tmp_path: Path
) -> None:
    """A chat with more untrusted results than a row names (32) is written once, not on every turn."""
    policy = results_policy(UNTRUSTED)
    gate = gate_for(policy, tmp_path)
    chat = history(*[("web_fetch", f"Page {n}: opening hours 9 to 5.") for n in range(40)])
    for _ in range(4):
        assert held(send(proxy_client, gate, policy, chat, A))
    assert len(taint_entries(gate)) == 1
    [row] = list_taints(gate.store)
    assert len(row.by["results"]) == 32


# -- guard_openai ------------------------------------------------------------------------------------------


def guarded_reply(policy: Policy, gate: Gate, body: dict[str, Any]) -> Any:
    upstream = FakeUpstream([REFUND])
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=upstream.app))
    raw = openai.AsyncOpenAI(api_key="sk-test", base_url="http://upstream.test/v1", http_client=http)
    client = brandrail.guard_openai(raw, policy, gate=gate, route="fixing", caller="agent-7")

    async def go() -> Any:
        return await client.chat.completions.create(**body)

    return anyio.run(go)


def test_guard_openai_holds_after_an_untrusted_result_and_not_after_a_trusted_one(tmp_path: Path) -> None:
    for body, outcome in ((UNTRUSTED, "review"), (UNTRUSTED_DENY, "deny"), (ANY, "review")):
        policy = results_policy(body)
        gate = gate_for(policy, tmp_path, outcome + str(abs(hash(body))))
        reply = guarded_reply(policy, gate, benign_chat())
        assert reply.choices[0].message.tool_calls is None, body
        [tool] = reply.brandrail["tools"]
        assert "AG909" in tool["codes"] and tool["outcome"] == outcome
        [entry] = screened(gate)
        assert entry["surface"] == "openai" and entry["tool"]["cause"] == "provenance"
    for body in (ELSEWHERE, TRUSTED_LOOKUP, "taint_on: flagged"):
        policy = results_policy(body)
        gate = gate_for(policy, tmp_path, "t" + str(abs(hash(body))))
        reply = guarded_reply(policy, gate, benign_chat())
        assert reply.choices[0].message.tool_calls[0].function.name == "issue_refund", body
        assert "AG909" not in json.dumps(reply.brandrail)


# -- the listing -------------------------------------------------------------------------------------------


def test_gate_taint_list_tells_a_provenance_taint_from_a_finding(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from brandrail.cli import app

    policy = results_policy(UNTRUSTED)
    url = f"sqlite:///{tmp_path / 'gate.db'}"
    gate = Gate(policy, store=url)
    run(policy, gate, Tools(BENIGN), LOOKUP_STEP)
    listed = CliRunner().invoke(app, ["gate", "taint", "list", "--db", url])
    assert listed.exit_code == 0, listed.stderr
    assert "tool=lookup_order by=provenance(lookup_*) codes=-" in listed.stdout
    data = json.loads(
        CliRunner().invoke(app, ["gate", "taint", "list", "--format", "json", "--db", url]).stdout
    )
    [row] = data["taints"]
    assert row["by"]["cause"] == "provenance" and row["view"] == view_of(gate.store, row["key"])

    flagged = f"sqlite:///{tmp_path / 'flagged.db'}"
    other = Gate(policy, store=flagged)
    run(policy, other, Tools(POISON), LOOKUP_STEP)
    listed = CliRunner().invoke(app, ["gate", "taint", "list", "--db", flagged])
    assert "tool=lookup_order by=finding codes=AG908" in listed.stdout
    gate.store.engine.dispose()
    other.store.engine.dispose()


# -- the policy --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "line", "col", "message"),
    [
        ("taint_on: untrusted", 65, 5, "taint_on: untrusted needs the tools"),
        ("taint_on: untrusted\nuntrusted_tools: []", 66, 22, "taint_on: untrusted needs the tools"),
        ("untrusted_tools: [web_*]", 65, 22, "untrusted_tools applies with taint_on: untrusted only"),
        (
            "taint_on: any\nuntrusted_tools: [web_*]",
            66,
            22,
            "untrusted_tools applies with taint_on: untrusted",
        ),
        (
            "taint_on: untrusted\nuntrusted_tools: [web_*]\ntrusted_tools: [crm]",
            67,
            20,
            "trusted_tools applies",
        ),
        ("taint_on: any\ntrusted_tools: ['*']", 66, 20, "trusts every tool"),
        ("taint_on: any\ntaint: off", 65, 15, "taint is off"),
        ("taint_on: untrusted\nuntrusted_tools: ['web fetch']", 66, 22, "is not a tool name or pattern"),
        ("taint_on: untrusted\nuntrusted_tools: [web_*, web_*]", 66, 22, "listed twice"),
        ("taint_on: untrusted\nuntrusted_tools: ['web_[ab']", 66, 22, "unclosed"),
        ("taint_on: untrustd", 65, 15, "'flagged', 'untrusted' or 'any'"),
        ("taint_onn: any", 65, 5, "did you mean 'taint_on'"),
        ("taint_on: any\ntrusted_tool: [crm]", 66, 5, "did you mean 'trusted_tools'"),
    ],
)
def test_policy_errors_name_the_key_with_file_line_col(body: str, line: int, col: int, message: str) -> None:
    with pytest.raises(PolicyError) as err:
        results_policy(body)
    text = str(err.value) + " " + " ".join(f"{i.location} {i.message}" for i in err.value.issues)
    assert f"policy.yaml:{line}:{col}" in text, text
    assert message in text, text


def test_a_bad_policy_exits_2_with_its_place_from_the_cli(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from brandrail.cli import app

    file = tmp_path / "brandrail.yaml"
    file.write_text(
        POLICY + "  results:\n    taint_on: untrusted\n    untrusted_tools: []\n", encoding="utf-8"
    )
    done = CliRunner().invoke(app, ["check", "--policy", str(file), "-"], input="Hello there.")
    assert done.exit_code == 2
    assert f"{file}:66:22" in done.stderr and "taint_on: untrusted needs the tools" in done.stderr
