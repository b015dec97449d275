"""The tool-guard decorator, property tests (random actions never crash the gate; malformed ones are denied
with a reason), the published JSON Schema and the store's migrations."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import jsonschema
import pytest
import sqlalchemy as sa
from gate_testlib import action, send, spend
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brandrail.gate import guard
from brandrail.gate.store import GateStore
from brandrail.gate.store import tables as t
from brandrail.gate.store.migrations import MIGRATIONS, migrate

ROOT = Path(__file__).resolve().parents[2]


def test_guard_runs_allowed_calls_and_returns_a_message_otherwise(make_gate):
    # the guard stamps actions with the wall clock; the test gate's clock is fixed: replay mode
    gate = make_gate({"budget": {"campaign_daily_cap": "100"}}, trust_time=True)
    calls: list[tuple[str, str]] = []

    @guard(gate, "spend", agent="ads-bot")
    def buy_ads(campaign: str, amount: str) -> str:
        calls.append((campaign, amount))
        return "bought"

    assert buy_ads(campaign="spring", amount="80") == "bought"
    refused = buy_ads(campaign="spring", amount="30")
    assert refused.startswith("DENIED") and "AG102" in refused and "do not carry it out" in refused
    assert calls == [("spring", "80")]


def test_guard_applies_modifications_and_releases_on_failure(make_gate):
    gate = make_gate(
        {"consent": {"require_opt_in": []}, "budget": {"campaign_daily_cap": "100"}}, trust_time=True
    )
    sent: list[object] = []

    @guard(gate, "send_message", agent="crm-bot")
    def send_sms(channel: str, recipient: dict, content: str, send_at=None) -> str:
        sent.append(send_at)
        return "queued"

    assert send_sms(channel="sms", recipient={"id": "c1"}, content="Hi", time="2026-05-04T23:00:00+00:00")
    assert sent[0] is not None and sent[0].hour == 8  # rescheduled to 08:00 UTC (default zone)

    @guard(gate, "spend", agent="ads-bot")
    def flaky(campaign: str, amount: str) -> str:
        raise ConnectionError("ad network down")

    with pytest.raises(ConnectionError):
        flaky(campaign="spring", amount="100")
    day = gate.clock().date().isoformat()
    assert gate.store.counter(f"spend:campaign:spring:{day}") == 0  # released because the tool failed


def test_guard_does_not_run_a_call_whose_change_the_tool_cannot_take(make_gate):
    """The gate reschedules a night-time SMS; a tool that sends at once (no send_at) must not send it now."""
    gate = make_gate({"consent": {"require_opt_in": []}}, trust_time=True)
    sent: list[str] = []

    @guard(gate, "send_message", agent="crm-bot")
    def send_now(channel: str, recipient: dict, content: str) -> str:
        sent.append(content)
        return "sent"

    refused = send_now(channel="sms", recipient={"id": "c1"}, content="Hi", time="2026-05-04T23:00:00+00:00")
    assert refused.startswith("NOT CARRIED OUT") and "send_at" in refused and "AG303" in refused
    assert sent == []
    outcomes = [json.loads(e.payload_json) for e in gate.store.ledger.entries(kind="outcome")]
    assert [o["released"] for o in outcomes] == [True]

    @guard(gate, "send_message", agent="crm-bot")
    def send_any(**fields: object) -> str:  # takes any argument: it gets the change
        sent.append(str(fields.get("send_at")))
        return "queued"

    assert send_any(channel="sms", recipient={"id": "c1"}, content="Hi", time="2026-05-04T23:00:00+00:00")
    assert sent and sent[0].startswith("2026-05-05 08:00")


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
_kinds = st.sampled_from(
    [
        "send_message",
        "spend",
        "set_price",
        "set_discount",
        "target_audience",
        "post_social",
        "reply_customer",
        "custom",
        "launch_campaign",
        "set_budget",
        "pause_campaign",
        "bogus",
    ]
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(
    kind=_kinds,
    fields=st.dictionaries(
        st.sampled_from(
            [
                "id",
                "agent",
                "time",
                "amount",
                "campaign",
                "channel",
                "recipient",
                "content",
                "item",
                "price",
                "discount",
                "criteria",
                "estimated_size",
                "name",
                "args",
                "send_at",
                "segment",
            ]
        ),
        _json,
        max_size=8,
    ),
)
def test_random_actions_never_crash_the_gate(make_gate, kind, fields):
    gate = make_gate({"budget": {"campaign_daily_cap": "100"}, "frequency": [{"max": 2, "window": "1d"}]})
    decision = gate.decide({"kind": kind, **fields})
    assert decision.outcome in ("allow", "deny", "review", "modify")
    if decision.outcome == "deny":
        assert decision.findings and all(f.message for f in decision.findings)
    assert "AG000" not in decision.codes  # no internal error: every random input is decided on its merits


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(
    base=st.sampled_from([spend("5"), send("c1"), action("set_price", item="x", price="10")]),
    drop=st.sampled_from(["id", "agent", "time", "kind"]),
    junk=st.none() | st.lists(_json, max_size=3) | st.dictionaries(st.text(max_size=5), _json, max_size=3),
)
def test_malformed_actions_are_denied_with_a_reason(make_gate, base, drop, junk):
    gate = make_gate()
    broken = {k: v for k, v in base.items() if k != drop}
    decision = gate.decide(broken)
    assert decision.outcome == "deny" and decision.codes == ["AG001"]
    assert drop in decision.findings[0].message
    retyped = {**base, "id": f"x-{abs(hash(json.dumps(junk, sort_keys=True)))}", "time": junk}
    assert gate.decide(retyped).codes == ["AG001"]


def test_examples_validate_against_the_published_schema():
    schema = json.loads((ROOT / "docs" / "gate-actions.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    for data in (spend("5"), send("c1"), action("target_audience", criteria=[], estimated_size=3)):
        validator.validate(data)
    assert list(validator.iter_errors({"kind": "spend", "amount": "1"}))


def test_migrations_are_recorded_once(sqlite_url):
    store = GateStore.from_url(sqlite_url)
    GateStore.from_url(sqlite_url)  # a second process opening the store
    with store.transaction() as conn:
        assert migrate(conn) == []
        versions = conn.execute(sa.select(t.migrations.c.version)).scalars().all()
    assert sorted(versions) == [v for v, _ in MIGRATIONS]


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(
    ops=st.lists(
        st.one_of(
            st.tuples(st.just("spend"), st.integers(min_value=1, max_value=6000)),
            st.tuples(st.just("release"), st.integers(min_value=0, max_value=50)),
        ),
        max_size=30,
    ),
    cap=st.integers(min_value=0, max_value=20000),
)
def test_budget_counter_matches_a_sequential_reference_model(make_gate, ops, cap):
    """Random spends and releases decide exactly as a plain sequential counter says (amounts in cents)."""
    gate = make_gate({"budget": {"campaign_daily_cap": f"{cap / 100:.2f}"}})
    total = 0
    held: list[tuple[str, int]] = []
    # the store outlives one example: a fresh counter each time (letters only: a name with many digits could
    # look like a phone number and be stored under a keyed tag)
    campaign = "prop-" + "".join(chr(97 + int(ch, 16)) for ch in uuid.uuid4().hex)
    for op, value in ops:
        if op == "spend":
            decision = gate.decide(spend(f"{value / 100:.2f}", campaign=campaign))
            expected = "allow" if total + value <= cap else "deny"
            assert decision.outcome == expected
            if expected == "allow":
                total += value
                held.append((decision.decision_id, value))
        elif held:
            decision_id, value = held.pop(value % len(held))
            gate.report_outcome(decision_id, executed=False)
            total -= value
    day = gate.clock().date().isoformat()
    assert gate.store.counter(f"spend:campaign:{campaign}:{day}") == total
