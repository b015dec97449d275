"""The ``@guard`` decorator against a hostile or injected agent: whatever reaches the tool must be what the gate
judged — positional arguments, defaults, ``*args``, values changed after the decision, a repeated action id,
flags and numbers written so parsers differ, generator tools, a tool that fails or is cancelled mid-way."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import anyio
import pytest

from brandrail.gate import Gate, guard

BANNED = {"banned": [{"term": "cheap"}]}


def content_gate(make_gate: Callable[..., Gate]) -> Gate:
    return make_gate(
        {"content_checks": True, "consent": {"require_opt_in": []}}, trust_time=True, terms=BANNED
    )


def spy(gate: Gate) -> list[dict[str, Any]]:
    """Record every action the gate is asked to decide."""
    seen: list[dict[str, Any]] = []
    decide = gate.decide

    def recording(action: Any, **kw: Any) -> Any:
        seen.append(dict(action))
        return decide(action, **kw)

    gate.decide = recording  # type: ignore[method-assign]
    return seen


def test_a_positional_argument_is_judged(make_gate: Callable[..., Gate]) -> None:
    """``subject`` passed by position never reached the gate: a banned word went out in the subject line."""
    gate = content_gate(make_gate)
    sent: list[str] = []

    @guard(gate, "send_message", agent="crm-bot")
    def send(subject: str, *, channel: str, recipient: dict[str, Any], content: str) -> str:
        sent.append(subject)
        return "sent"

    out = send("So cheap!", channel="email", recipient={"id": "c1"}, content="Trail season is here.")
    assert sent == [], out
    assert out.startswith("DENIED") and "BR1" in out
    assert send("Trail season", channel="email", recipient={"id": "c1"}, content="Hello.") == "sent"
    assert sent == ["Trail season"]


def test_a_default_the_tool_uses_is_judged(make_gate: Callable[..., Gate]) -> None:
    """The tool's own default for an action field is what it sends: the gate must judge it, not its own."""
    gate = content_gate(make_gate)
    seen = spy(gate)
    sent: list[str | None] = []

    @guard(gate, "send_message", agent="crm-bot")
    def send(
        channel: str, recipient: dict[str, Any], content: str, subject: str = "Cheap gear inside"
    ) -> str:
        sent.append(subject)
        return "sent"

    out = send(channel="email", recipient={"id": "c1"}, content="Trail season is here.")
    assert sent == [] and out.startswith("DENIED"), out
    assert seen[-1]["subject"] == "Cheap gear inside"


def test_extra_positional_arguments_are_refused(make_gate: Callable[..., Gate]) -> None:
    """``*lines`` has no place in the action: the gate cannot judge them, so the call does not run."""
    gate = content_gate(make_gate)
    sent: list[tuple[str, ...]] = []

    @guard(gate, "send_message", agent="crm-bot")
    def send(channel: str, recipient: dict[str, Any], content: str, *lines: str) -> str:
        sent.append(lines)
        return "sent"

    out = send("email", {"id": "c1"}, "Trail season is here.", "So cheap!")
    assert sent == [] and out.startswith("DENIED"), out
    assert "lines" in out
    assert send("email", {"id": "c1"}, "Trail season is here.") == "sent"


def test_the_tool_gets_what_was_judged_even_if_the_caller_changes_it(make_gate: Callable[..., Gate]) -> None:
    """Another thread of the agent changes the recipient it passed, between the decision and the run: the tool
    must still get the recipient the gate judged."""
    gate = content_gate(make_gate)
    recipient: dict[str, Any] = {"id": "c1"}
    decide = gate.decide

    def then_change(action: Any, **kw: Any) -> Any:
        decision = decide(action, **kw)
        recipient["id"] = "c-suppressed"
        recipient["email"] = "someone-else@example.com"
        return decision

    gate.decide = then_change  # type: ignore[method-assign]
    got: list[dict[str, Any]] = []

    @guard(gate, "send_message", agent="crm-bot")
    def send(channel: str, recipient: dict[str, Any], content: str) -> str:
        got.append(dict(recipient))
        recipient["id"] = "mutated-by-tool"  # and the tool's own changes do not reach the caller's record
        return "sent"

    assert send(channel="email", recipient=recipient, content="Trail season is here.") == "sent"
    assert got == [{"id": "c1"}]


def test_a_repeated_action_id_does_not_run_the_tool_twice(make_gate: Callable[..., Gate]) -> None:
    """The agent passes its own ``id``: the gate answers the second identical call with the first decision
    (idempotency) and reserves nothing more, so running the tool again would spend twice on one reservation."""
    gate = make_gate({"budget": {"campaign_daily_cap": "30"}}, trust_time=True)
    spent: list[str] = []

    @guard(gate, "spend", agent="ads-bot")
    def buy(campaign: str, amount: str) -> str:
        spent.append(amount)
        return "bought"

    assert buy(campaign="spring", amount="20", id="k-1") == "bought"
    again = buy(campaign="spring", amount="20", id="k-1")
    assert spent == ["20"], again
    assert "k-1" in again and "already" in again
    assert buy(campaign="spring", amount="20").startswith("DENIED")  # the cap still counts the first one only


@pytest.mark.parametrize("flag", ["false", "0", 0])
def test_a_flag_as_text_is_refused(make_gate: Callable[..., Gate], flag: Any) -> None:
    """``marketing="false"`` is False to the gate (no opt-in needed) and true to ``if marketing:``."""
    gate = make_gate({"consent": {"require_opt_in": ["email"]}}, trust_time=True)
    sent: list[Any] = []

    @guard(gate, "send_message", agent="crm-bot")
    def send(channel: str, recipient: dict[str, Any], content: str, marketing: Any = True) -> str:
        sent.append(marketing)
        return "sent"

    out = send(channel="email", recipient={"id": "c1"}, content="Hello.", marketing=flag)
    assert sent == [] and out.startswith("DENIED"), out
    assert "marketing" in out


@pytest.mark.parametrize("amount", ["1.000", "1e1", " 10", "１０", float("nan"), float("inf")])
def test_an_amount_parsers_read_differently_is_refused(make_gate: Callable[..., Gate], amount: Any) -> None:
    gate = make_gate({"budget": {"campaign_daily_cap": "100"}}, trust_time=True)
    spent: list[Any] = []

    @guard(gate, "spend", agent="ads-bot")
    def buy(campaign: str, amount: Any) -> str:
        spent.append(amount)
        return "bought"

    out = buy(campaign="spring", amount=amount)
    assert spent == [] and out.startswith("DENIED"), out


def test_a_generator_tool_is_refused_when_decorated(make_gate: Callable[..., Gate]) -> None:
    """A generator's body runs after the wrapper returned: it would be reported executed before it ran, and
    a failure inside it would never release the reservation."""
    gate = make_gate(trust_time=True)

    def gen(campaign: str, amount: str) -> Iterator[str]:
        yield "bought"

    async def agen(campaign: str, amount: str) -> Any:
        yield "bought"

    for tool in (gen, agen):
        with pytest.raises(TypeError, match="generator"):
            guard(gate, "spend", agent="ads-bot")(tool)


def _counter(gate: Gate) -> int:
    """Today's spend on the campaign, in cents."""
    return gate.store.counter(f"spend:campaign:spring:{gate.clock().date().isoformat()}")


def test_a_tool_that_times_out_keeps_its_reservation(make_gate: Callable[..., Gate]) -> None:
    """A timeout (or a cancellation) may come after the money went out: releasing the reservation would let
    the agent spend again past the cap. A plain error releases it, as before."""
    gate = make_gate({"budget": {"campaign_daily_cap": "100"}}, trust_time=True)

    @guard(gate, "spend", agent="ads-bot")
    def slow(campaign: str, amount: str) -> str:
        raise TimeoutError("the ad network did not answer")

    @guard(gate, "spend", agent="ads-bot")
    def broken(campaign: str, amount: str) -> str:
        raise ValueError("bad campaign")

    with pytest.raises(ValueError):
        broken(campaign="spring", amount="40")
    assert _counter(gate) == 0
    with pytest.raises(TimeoutError):
        slow(campaign="spring", amount="40")
    assert _counter(gate) == 4000
    outcomes = [json.loads(e.payload_json) for e in gate.store.ledger.entries(kind="outcome")]
    assert [o["released"] for o in outcomes] == [True]


def test_a_cancelled_async_tool_keeps_its_reservation(make_gate: Callable[..., Gate]) -> None:
    gate = make_gate({"budget": {"campaign_daily_cap": "100"}}, trust_time=True)
    started = anyio.Event()

    @guard(gate, "spend", agent="ads-bot")
    async def pay(campaign: str, amount: str) -> str:
        started.set()
        await anyio.sleep(10)
        return "paid"

    async def main() -> None:
        async with anyio.create_task_group() as tg:
            tg.start_soon(lambda: pay(campaign="spring", amount="40"))
            await started.wait()
            tg.cancel_scope.cancel()

    anyio.run(main)
    assert _counter(gate) == 4000


def test_a_number_that_is_not_finite_is_refused_anywhere(make_gate: Callable[..., Gate]) -> None:
    """A custom action's schema may only bound a value from below: infinity would pass it."""
    from decimal import Decimal

    gate = make_gate(
        {"custom_actions": {"gift": {"schema": {"type": "object"}, "review": False}}}, trust_time=True
    )
    given: list[Any] = []

    @guard(gate, "custom", agent="crm-bot")
    def gift(name: str, args: dict[str, Any]) -> str:
        given.append(args)
        return "given"

    for value in (Decimal("Infinity"), float("nan"), [float("-inf")]):
        out = gift(name="gift", args={"value": value})
        assert out.startswith("DENIED") and "finite" in out, out
    assert given == []
    assert gift(name="gift", args={"value": 5}) == "given"
