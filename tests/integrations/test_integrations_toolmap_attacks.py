"""A hostile or injected agent against the mapping from a tool call to a gate action. The gate judges the action
built from the call's arguments; the tool then runs with the arguments. Whatever the gate read, the tool must
read the same: each test here is a way the two could differ, and the call must be refused (or carry exactly
what was judged)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from brandrail.gate import Gate
from brandrail.integrations.common import ReplyGuard, ToolVerdict
from brandrail.policy import loads_policy

POLICY = """\
version: 1
brand:
  name: Fernhill Outdoor
terms:
  banned:
    - term: cheap
      replacement: affordable
channels:
  chat: {kind: chat, max_length: 2000}
gate:
  content_checks: true
  budget:
    max_per_action: 50
    campaign_daily_cap: 1000
  consent:
    require_opt_in: [email]
  custom_actions:
    log: {schema: {type: object}, review: false}
integrations:
  principal: {id: support-proxy}
  tools:
    issue_refund:
      action: spend
      args: {campaign: order.id, amount: order.total}
      set: {description: refund}
      pass_args: [note]
      {extra}
    send_mail:
      action: send_message
      args: {recipient.id: customer, recipient.email: contact.email, content: body, marketing: marketing,
             send_at: when}
      set: {channel: email}
      check_args: [subject]
      {extra}
    mail_whole:
      action: send_message
      args: {recipient: customer, content: body}
      set: {channel: email}
      {extra}
    log_it:
      action: custom
      args: {args.text: text}
      set: {name: log}
      check_args: [text]
      {extra}
    post_note:
      action: custom
      args: {args.id: id}
      set: {name: log}
      check_args: [note.text]
      {extra}
"""


def guard_for(tmp_path: Path, extra: str = "") -> ReplyGuard:
    policy = loads_policy(POLICY.replace("{extra}", extra), name="policy.yaml")
    gate = Gate(policy, store=f"sqlite:///{tmp_path / 'g.db'}")
    return ReplyGuard(policy, gate, surface="test")


def refund(total: Any, **order: Any) -> dict[str, Any]:
    return {"order": {"id": "o-1", "total": total, **order}}


def denied(v: ToolVerdict) -> bool:
    return not v.allowed and v.arguments is None


def test_a_plain_call_is_allowed(tmp_path: Path) -> None:
    """The baseline the attacks below differ from: a refund under the cap goes through, unchanged."""
    guard = guard_for(tmp_path)
    v = guard.gate_tool("issue_refund", refund(20))
    assert v.allowed and v.arguments == refund(20)


@pytest.mark.parametrize("extra", ["", "other_args: allow"])
@pytest.mark.parametrize(
    "arguments",
    [
        {"order": {"id": "o-1", "total": 5}, "Order": {"id": "o-1", "total": 5000}},
        {"order": {"id": "o-1", "total": 5}, "ｏｒｄｅｒ": {"id": "o-1", "total": 5000}},
        {"order": {"id": "o-1", "total": 5}, "or\u200bder": {"id": "o-1", "total": 5000}},
        {"order": {"id": "o-1", "total": 5}, "order ": {"id": "o-1", "total": 5000}},
        {"order": {"id": "o-1", "total": 5}, "order.total": 5000},
        {"order": {"id": "o-1", "total": 5, "Total": 5000}},
        {"order": {"id": "o-1", "total": 5, "total\u200b": 5000}},
        {"order": {"id": "o-1", "total": 5}, "NOTE": "x", "note": "y"},
    ],
    ids=[
        "case",
        "fullwidth",
        "zero-width",
        "space",
        "flat-dotted",
        "nested-case",
        "nested-zw",
        "passed-twice",
    ],
)
def test_a_field_reachable_twice_is_refused(tmp_path: Path, extra: str, arguments: dict[str, Any]) -> None:
    """An argument whose name reads like one the mapping names (case, width, invisible characters, a dotted
    key for a dotted path) may be the one the tool binds: the gate would judge one value and the tool use the
    other. Denied even with ``other_args: allow``, and nested inside a mapped object too."""
    v = guard_for(tmp_path, extra).gate_tool("issue_refund", arguments)
    assert denied(v), v.message
    assert "reads like" in v.message


@pytest.mark.parametrize(
    "order",
    [
        [{"id": "o-1", "total": 5000}],
        "o-1",
        {"id": "o-1", "total": [1, 5000]},
        {"id": "o-1", "total": {"v": 5000}},
    ],
    ids=["list", "scalar", "array-value", "object-value"],
)
def test_a_mapped_path_that_does_not_resolve_as_written_is_refused(tmp_path: Path, order: Any) -> None:
    """``order.total`` through a list, a string, or onto an array or object: the gate would read nothing (or
    something else) where the tool reads a value."""
    v = guard_for(tmp_path).gate_tool("issue_refund", {"order": order})
    assert denied(v), v.message


def test_an_optional_field_hidden_behind_a_non_object_is_refused(tmp_path: Path) -> None:
    """``contact.email`` is optional in the action: with ``contact`` a string the gate sees no e-mail address at
    all while the tool may mail the string."""
    guard = guard_for(tmp_path)
    call = {"customer": "c-1", "contact": "victim@example.com", "body": "Hello", "marketing": False}
    v = guard.gate_tool("send_mail", call)
    assert denied(v), v.message
    assert "'contact' is a string" in v.message


@pytest.mark.parametrize(
    "total", ["1.000", "2.500", "1_000", "١٠", "１０", " 10", "1e1", "10.", "+10", "0x10"]
)
def test_a_number_written_so_parsers_differ_is_refused(tmp_path: Path, total: str) -> None:
    """An amount as text the gate reads one way and a tool another: "1.000" is one to the gate and a thousand
    to a German-locale parser; "1_000", Arabic-Indic or full-width digits, exponents and padding are numbers
    to Python and not to others."""
    v = guard_for(tmp_path).gate_tool("issue_refund", refund(total))
    assert denied(v), v.message
    assert "order.total" in v.message


@pytest.mark.parametrize("total", ["20", "20.5", "20.50", 20, 20.5])
def test_plain_numbers_as_text_or_json_still_work(tmp_path: Path, total: Any) -> None:
    v = guard_for(tmp_path).gate_tool("issue_refund", refund(total))
    assert v.allowed, v.message
    assert v.arguments == refund(total)


@pytest.mark.parametrize("flag", ["false", "0", "no", "off", 0, None])
def test_a_flag_that_is_not_a_json_boolean_is_refused(tmp_path: Path, flag: Any) -> None:
    """``marketing: "false"`` is False to the gate (no opt-in needed) and true to a tool that asks ``if
    marketing``: a marketing mail would skip the consent check."""
    guard = guard_for(tmp_path)
    call = {"customer": "c-1", "contact": {"email": "c1@example.com"}, "body": "Hello", "marketing": flag}
    v = guard.gate_tool("send_mail", call)
    assert denied(v), v.message
    assert "marketing" in v.message


def test_a_json_boolean_flag_still_works(tmp_path: Path) -> None:
    guard = guard_for(tmp_path)
    call = {"customer": "c-1", "contact": {"email": "c1@example.com"}, "body": "Hello", "marketing": False}
    v = guard.gate_tool("send_mail", call)
    assert v.allowed, v.message


def test_a_time_as_a_number_is_refused(tmp_path: Path) -> None:
    """``send_at`` as a Unix number is seconds to the gate and may be milliseconds (or nothing) to the tool."""
    guard = guard_for(tmp_path)
    call = {
        "customer": "c-1",
        "contact": {"email": "c1@example.com"},
        "body": "Hi",
        "marketing": False,
        "when": 1780000000,
    }
    v = guard.gate_tool("send_mail", call)
    assert denied(v), v.message
    assert "when" in v.message


@pytest.mark.parametrize(
    "text",
    [
        "so ch&#101;ap",
        "so &#x63;heap",
        "so ch&eacute;ap".replace("&eacute;", "&#101;"),
        ["fine", {"a": "ch&#101;ap"}],
    ],
)
def test_checked_text_in_html_entities_is_checked_as_it_reads(tmp_path: Path, text: Any) -> None:
    """Text that is content-checked as "ch&#101;ap" reads "cheap" wherever the tool renders it as HTML."""
    v = guard_for(tmp_path).gate_tool("log_it", {"text": text})
    assert denied(v), v.message
    assert "BR1" in v.message


def test_checked_text_still_passes_when_clean(tmp_path: Path) -> None:
    v = guard_for(tmp_path).gate_tool("log_it", {"text": "fair &amp; square"})
    assert v.allowed, v.message


def test_checked_text_behind_a_non_object_is_refused(tmp_path: Path) -> None:
    """``check_args: [note.text]`` with ``note`` a string: there is no ``note.text`` to check, and the tool
    gets the unchecked string."""
    guard = guard_for(tmp_path)
    v = guard.gate_tool("post_note", {"id": "n-1", "note": "Our tents are so cheap"})
    assert denied(v), v.message
    assert "'note' is a string" in v.message
    assert guard.gate_tool("post_note", {"id": "n-1", "note": {"text": "Our tents are sturdy"}}).allowed


def test_an_unnamed_key_inside_a_mapped_object_is_refused(tmp_path: Path) -> None:
    """A ``cc`` next to the mapped ``contact.email`` would reach someone the gate never checked, as a top-level
    ``bcc`` would; ``other_args: allow`` lets it through, as at the top level."""
    call = {"customer": "c-1", "contact": {"email": "c1@example.com", "cc": "x@example.com"}, "body": "Hi"}
    call["marketing"] = False
    v = guard_for(tmp_path).gate_tool("send_mail", call)
    assert denied(v), v.message
    assert "'contact.cc'" in v.message
    assert guard_for(tmp_path, "other_args: allow").gate_tool("send_mail", call).allowed


@pytest.mark.parametrize(
    "text",
    [
        '{"order": {"id": "o-1", "total": 5000}, "order": {"id": "o-1", "total": 5}}',
        '{"order": {"id": "o-1", "total": 5000, "total": 5}}',
    ],
)
def test_a_key_given_twice_is_refused(tmp_path: Path, text: str) -> None:
    """JSON parsers differ on which of two values of one key they keep: the gate could judge 5 and a tool that
    parses the raw text take 5000."""
    v = guard_for(tmp_path).gate_tool("issue_refund", text)
    assert denied(v), v.message
    assert "appears twice" in v.message


def test_a_flag_inside_an_object_mapped_whole_is_refused(tmp_path: Path) -> None:
    """``recipient: customer`` maps the whole object: its ``gpc: "false"`` is False to the gate (no Global
    Privacy Control signal) and true to a tool that asks ``if customer["gpc"]``."""
    guard = guard_for(tmp_path)
    v = guard.gate_tool("mail_whole", {"customer": {"id": "c-1", "gpc": "false"}, "body": "Hello"})
    assert denied(v) and v.decision is None, v.message  # refused before the gate decides
    assert "recipient.gpc" in v.message
    plain = guard.gate_tool("mail_whole", {"customer": {"id": "c-1", "gpc": False}, "body": "Hi"})
    assert plain.decision is not None  # decided by the gate (here denied for want of an e-mail opt-in)


@pytest.mark.parametrize(
    "text",
    [
        ["Our tents are ch", "eap"],
        {"a": "Our tents are ch", "b": "eap"},
        "so ch<b></b>eap",
        "so ch<!-- x -->eap",
    ],
    ids=["list-split", "object-split", "html-tag-split", "html-comment-split"],
)
def test_checked_text_split_so_it_reads_whole_when_delivered_is_refused(tmp_path: Path, text: Any) -> None:
    """A banned word split over the parts of a list (a tool that joins them) or by markup (a tool that renders
    HTML) reads whole where the text is delivered: it is checked in that form too. An object's keys are text a
    tool may render (a table of label and value)."""
    v = guard_for(tmp_path).gate_tool("log_it", {"text": text})
    assert denied(v), v.message
    assert "BR101" in v.message


def test_checked_text_with_markup_that_is_clean_passes(tmp_path: Path) -> None:
    v = guard_for(tmp_path).gate_tool("log_it", {"text": ["<p>Our tents are sturdy</p>", "and 3 < 4."]})
    assert v.allowed, v.message


def test_through_the_mcp_gateway_nothing_the_gate_did_not_read_reaches_the_server(tmp_path: Path) -> None:
    """End to end through the MCP gateway: a look-alike tool name, a look-alike argument, an amount the gate and
    a locale-aware server read differently, and arguments smuggled in ``_meta`` never reach the server as
    such; only the plain call does, with exactly the arguments the gate judged."""
    import anyio
    from integ_testlib import POLICY as INTEG_POLICY
    from mcp import Client
    from mcp.server.mcpserver import MCPServer

    from brandrail.integrations.mcp import build_gateway

    policy = loads_policy(INTEG_POLICY, name="policy.yaml")
    gate = Gate(policy, store=f"sqlite:///{tmp_path / 'mcp.db'}")
    server = MCPServer("shop")
    calls: list[dict[str, Any]] = []

    @server.tool()
    def issue_refund(order: str, amount: str) -> str:
        """Refund an order."""
        calls.append({"order": order, "amount": amount})
        return "refunded"

    @server.tool()
    def lookup_order(order: str) -> str:
        """Look an order up."""
        return "shipped"

    @server.tool()
    def send_note(ticket: str, text: str) -> str:
        """Send a note to the customer."""
        return "sent"

    async def go() -> None:
        async with Client(build_gateway(policy, gate, server)) as client:
            for name, args in [
                ("Issue_Refund", {"order": "o-1", "amount": "5000"}),
                ("issue_refund", {"order": "o-1", "amount": "20", "Amount": "5000"}),
                ("issue_refund", {"order": "o-1", "amount": "1.000"}),
            ]:
                result = await client.call_tool(name, args)
                assert result.is_error, (name, args)
            meta: Any = {"arguments": {"amount": "5000"}, "amount": "5000"}
            ok = await client.call_tool("issue_refund", {"order": "o-1", "amount": "20"}, meta=meta)
            assert not ok.is_error

    anyio.run(go)
    assert calls == [{"order": "o-1", "amount": "20"}]


@pytest.mark.parametrize(
    "arguments",
    [
        '{"text": "fine", "n": 1e400}',
        {"text": "fine", "n": float("inf")},
        {"text": "fine", "n": [float("nan")]},
    ],
    ids=["json-overflow", "inf", "nan-in-list"],
)
def test_a_number_no_json_can_carry_is_refused(tmp_path: Path, arguments: Any) -> None:
    """``1e400`` parses to infinity (as an MCP server's JSON does): forwarded, it becomes ``Infinity``, which is
    not JSON, and whatever a tool makes of it is nothing the gate judged."""
    v = guard_for(tmp_path, "other_args: allow").gate_tool("log_it", arguments)
    assert denied(v), v.message
    assert "finite" in v.message  # JSON text is refused as it is read; a decoded value names its path
    assert isinstance(arguments, str) or "'n" in v.message
