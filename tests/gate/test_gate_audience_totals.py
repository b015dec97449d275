"""AG505: the audience a principal (and the account) declares in any 24 hours, summed over campaigns, is
bound, so splitting one audience into many small campaigns — each under ``approvals.audience_size_over`` —
reaches a human all the same; so does declaring the bound just before midnight UTC and again just after."""

from __future__ import annotations

import json
import multiprocessing
import random
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from gate_testlib import action, reservation_worker

from brandrail.errors import PolicyError
from brandrail.gate import Gate, GateStore
from brandrail.gate import approvals as ap
from brandrail.gate.bindings import verify_gate_ledger
from brandrail.gate.principal import Principal
from brandrail.gate.store import tables as t
from brandrail.policy import loads_policy, policy_from_dict

DAY = "2026-05-04"
WINDOW = timedelta(hours=24)


def _declare(gate: Gate, size: int, campaign: str | None, who: Principal | None = None) -> Any:
    fields: dict[str, Any] = {"criteria": [], "estimated_size": size, "time": gate.clock().isoformat()}
    if campaign is not None:
        fields["campaign"] = campaign
    return gate.decide(action("target_audience", **fields), principal=who)


def _counter(gate: Gate, key: str) -> int:
    return gate.store.counter(key)


def _declared(gate: Gate, key: str) -> int:
    """What the window events on ``key`` hold within 24 hours of the gate's clock."""
    with gate.store.reader() as conn:
        return sum(n for _, n in gate.store.window_amounts(conn, key, gate.clock(), WINDOW))


def _agent_key(gate: Gate) -> str:
    return f"audience:agent:{gate._name_key(gate.principal.id)}"


ACCOUNT = "audience:total"


# -- the split attack -------------------------------------------------------------------------------------


def test_the_split_attack_is_held_by_the_default_bound(make_gate):
    """audience_size_over 50 and no total set: `auto` bounds a principal's day at 500. 100 campaigns of 10
    people, each far under the threshold: the first 50 pass, every later one goes to a human."""
    gate = make_gate({"approvals": {"audience_size_over": 50}})
    decisions = [_declare(gate, 10, f"split-{i}") for i in range(100)]
    outcomes = [d.outcome for d in decisions]
    assert outcomes == ["allow"] * 50 + ["review"] * 50
    held = decisions[50]
    assert held.codes == ["AG505"]
    evidence = held.findings[0].evidence
    assert evidence["scope"] == "agent"
    assert evidence["declared_before"] == 500
    assert evidence["value"] == 510
    assert evidence["threshold"] == 500
    assert evidence["setting"] == "audience.declared_per_agent_per_day"
    assert held.approval_id is not None
    assert evidence["window_seconds"] == 24 * 3600
    assert evidence["since"] == "2026-05-03T10:00:00+00:00"
    # every declaration was at the same moment: the window frees up 24 hours after it
    assert evidence["next_possible"] == "2026-05-05T10:00:00+00:00"
    # nothing held was counted: the window's total is what was allowed
    assert _declared(gate, _agent_key(gate)) == 500
    assert _counter(gate, f"{_agent_key(gate)}:{DAY}") == 0  # no day counter any more


def test_without_the_bound_the_split_passes(make_gate):
    """The attack as it was: with the bound off, every small declaration passes (the hole this closes)."""
    gate = make_gate(
        {"approvals": {"audience_size_over": 50}, "audience": {"declared_per_agent_per_day": "off"}}
    )
    assert {_declare(gate, 10, f"split-{i}").outcome for i in range(60)} == {"allow"}


def test_declarations_within_the_totals_pass_and_free_up_24_hours_later(make_gate, clock):
    gate = make_gate({"audience": {"declared_per_agent_per_day": 100}})
    assert [_declare(gate, 40, c).outcome for c in ("a", "b")] == ["allow", "allow"]
    assert _declare(gate, 20, "c").outcome == "allow"  # exactly at the bound: within it
    assert _declare(gate, 1, "d").codes == ["AG505"]
    clock.advance(hours=23, minutes=59)
    assert _declare(gate, 1, "d2").codes == ["AG505"]  # another UTC day, the same 24 hours
    clock.advance(minutes=1)
    assert _declare(gate, 100, "d3").outcome == "allow"  # 24 hours on: the window is free again
    assert _declare(gate, 1, "e").outcome == "review"


@pytest.mark.parametrize("scope", ["agent", "account"])
def test_midnight_does_not_double_the_bound(make_gate, clock, scope):
    """The attack on a per-day counter: the whole bound at 23:59 UTC and again at 00:01. The window is any
    24 hours, so the second declaration is held until 24 hours after the first."""
    key = "declared_per_agent_per_day" if scope == "agent" else "declared_per_day"
    other = "declared_per_day" if scope == "agent" else "declared_per_agent_per_day"
    gate = make_gate({"audience": {key: 1000, other: "off"}})
    clock.now = datetime.fromisoformat("2026-05-04T23:59:00+00:00")
    assert _declare(gate, 1000, "late").outcome == "allow"
    clock.advance(minutes=2)  # 00:01 on the next UTC day
    held = _declare(gate, 1000, "early")
    assert held.outcome == "review" and held.codes == ["AG505"]
    evidence = held.findings[0].evidence
    assert evidence["scope"] == scope
    assert evidence["declared_before"] == 1000 and evidence["value"] == 2000
    assert evidence["next_possible"] == "2026-05-05T23:59:00+00:00"
    # smaller pieces are held just the same
    assert _declare(gate, 1, "early-1").codes == ["AG505"]
    clock.now = datetime.fromisoformat("2026-05-05T23:58:59+00:00")
    assert _declare(gate, 1, "almost").codes == ["AG505"]
    clock.now = datetime.fromisoformat("2026-05-05T23:59:00+00:00")
    assert _declare(gate, 1000, "next").outcome == "allow"
    assert _declared(gate, _agent_key(gate) if scope == "agent" else ACCOUNT) == 1000


def test_a_window_event_changed_outside_the_gate_is_reported(make_gate):
    gate = make_gate({"audience": {"declared_per_agent_per_day": 100}})
    assert _declare(gate, 60, "a").outcome == "allow"
    with gate.store.engine.begin() as conn:
        conn.execute(t.events.update().values(amount=1))  # shrink the declaration to make room
    assert [m.key for m in gate.store.reconcile()] == [f"events:{_agent_key(gate)}"]
    mismatch = gate.store.reconcile()[0]
    assert (mismatch.stored, mismatch.from_ledger) == (1, 60)


def test_a_declaration_without_a_campaign_counts_too(make_gate):
    gate = make_gate({"audience": {"declared_per_agent_per_day": 30}})
    assert _declare(gate, 20, None).outcome == "allow"
    held = _declare(gate, 20, "spring")
    assert held.codes == ["AG505"]
    assert held.findings[0].evidence["declared_before"] == 20


def test_each_principal_has_its_own_total_and_the_account_one_total(make_gate):
    gate = make_gate({"audience": {"declared_per_agent_per_day": 100, "declared_per_day": 150}})
    one = Principal("bot-one", frozenset({"agent"}), via="api-key")
    two = Principal("bot-two", frozenset({"agent"}), via="api-key")
    assert _declare(gate, 100, "a", one).outcome == "allow"
    assert _declare(gate, 1, "b", one).codes == ["AG505"]  # its own bound
    assert _declare(gate, 50, "c", two).outcome == "allow"  # another principal: 50 of its 100
    held = _declare(gate, 10, "d", two)  # 60 of its 100, but 160 of the account's 150
    assert held.outcome == "review"
    assert [f.evidence["scope"] for f in held.findings] == ["account"]
    assert held.findings[0].evidence["principal"] is None
    assert held.findings[0].evidence["setting"] == "audience.declared_per_day"


def test_an_approved_declaration_is_counted_and_the_total_stays_bound(make_gate):
    gate = make_gate({"audience": {"declared_per_agent_per_day": 100}})
    assert _declare(gate, 90, "a").outcome == "allow"
    big = action("target_audience", campaign="b", criteria=[], estimated_size=50)
    first = gate.decide(big)
    assert first.outcome == "review"
    ap.approve(gate.store, first.approval_id, reviewer="ana", now=gate.clock(), policy=gate.policy)
    again = gate.decide({**big, "id": "b-again"})
    assert again.outcome == "allow"
    assert _declared(gate, _agent_key(gate)) == 140  # past the bound, by a human's decision
    assert _declare(gate, 1, "c").codes == ["AG505"]


def test_a_released_declaration_gives_its_place_back(make_gate):
    gate = make_gate({"audience": {"declared_per_agent_per_day": 100, "declared_per_day": 100}})
    first = _declare(gate, 80, "a")
    assert first.outcome == "allow"
    assert _declare(gate, 30, "b").outcome == "review"
    gate.report_outcome(first.decision_id, executed=False)
    assert _declared(gate, _agent_key(gate)) == 0
    assert _declared(gate, ACCOUNT) == 0
    assert _declare(gate, 30, "b2").outcome == "allow"
    assert gate.store.reconcile() == []


def test_bound_settings(make_gate):
    # `auto` without audience_size_over bounds nothing (no threshold to split under)
    plain = make_gate()
    assert {_declare(plain, 10**6, f"x{i}").outcome for i in range(3)} == {"allow"}
    # a number bounds on its own; `auto` follows the threshold; 0 sends every declaration to a human
    policy = policy_from_dict({"gate": {"approvals": {"audience_size_over": 7}}})
    assert policy.gate.audience.declared_totals(policy.gate.approvals.audience_size_over) == (70, None)
    policy = policy_from_dict(
        {"gate": {"audience": {"declared_per_day": "auto", "declared_per_agent_per_day": 0}}}
    )
    assert policy.gate.audience.declared_totals(None) == (0, None)
    assert policy.gate.audience.declared_totals(3) == (0, 30)
    zero = make_gate({"audience": {"declared_per_agent_per_day": 0}})
    assert _declare(zero, 1, "z").codes == ["AG505"]


@pytest.mark.parametrize(
    ("value", "column"),
    [("lots", 33), ("-5", 33), ("true", 33), ("1.5", 33)],
)
def test_a_bad_bound_is_a_policy_error_with_its_position(value, column):
    text = f"gate:\n  audience:\n    declared_per_agent_per_day: {value}\n"
    with pytest.raises(PolicyError) as info:
        loads_policy(text, name="p.yaml")
    issues = info.value.issues
    assert len(issues) == 1  # one message, not one per kind of value the key takes
    assert issues[0].path == "gate.audience.declared_per_agent_per_day"
    assert str(issues[0].location) == f"p.yaml:3:{column}"
    assert "auto or off" in issues[0].message


def test_a_bare_off_in_yaml_is_off() -> None:
    """YAML reads a bare ``off`` as false: the documented spelling must still mean off."""
    text = "gate:\n  approvals: {audience_size_over: 5}\n  audience: {declared_per_agent_per_day: off, declared_per_day: 'off'}\n"
    policy = loads_policy(text, name="p.yaml")
    assert policy.gate.audience.declared_totals(5) == (None, None)


# -- every backend: the ledger accounts for the counters -------------------------------------------------


def test_totals_on_every_backend_and_reconcile_counts_them(store_url, clock):
    policy = policy_from_dict(
        {
            "gate": {
                "content_checks": False,
                "audience": {"declared_per_agent_per_day": 25, "declared_per_day": 40},
            }
        }
    )
    store = GateStore.from_url(store_url)
    gate = Gate(policy, store, clock=clock)
    allowed = [_declare(gate, 10, f"c{i}") for i in range(2)]
    assert [d.outcome for d in allowed] == ["allow", "allow"]
    assert _declare(gate, 10, "c2").codes == ["AG505"]
    gate.report_outcome(allowed[0].decision_id, executed=False)
    assert _declare(gate, 10, "c3").outcome == "allow"
    assert _declared(gate, _agent_key(gate)) == 20
    assert _declared(gate, ACCOUNT) == 20
    assert store.reconcile() == []
    # a window event changed outside the gate is reported, as every other counter
    with store.engine.begin() as conn:
        conn.execute(t.events.delete().where(t.events.c.key == _agent_key(gate)))
    assert [m.key for m in store.reconcile()] == [f"events:{_agent_key(gate)}"]
    report, problems = verify_gate_ledger(store.ledger, store.engine)  # what `brandrail ledger verify` runs
    assert report.ok
    assert [key for key, _ in problems] == [f"events:{_agent_key(gate)}"]
    assert "add up to 20" in problems[0][1]


def test_day_counters_of_an_older_gate_still_count_and_are_given_back(store_url, clock, monkeypatch):
    """Before store schema 9 a declaration reserved a counter of its UTC day. Such a counter still counts
    against the 24-hour window for every day the window touches; a release gives it back; reconcile and
    verify account for it as the ledger recorded it."""
    from brandrail.gate import decide
    from brandrail.gate.rules import CounterPlan

    policy = policy_from_dict(
        {"gate": {"content_checks": False, "audience": {"declared_per_agent_per_day": 100}}}
    )
    store = GateStore.from_url(store_url)
    gate = Gate(policy, store, clock=clock)

    def old_totals(self: Gate, ev: Any, values: Any, windows: Any) -> list[Any]:
        # what the gate of store schema 8 reserved: a counter of the UTC day, capped at the bound
        for plan in ev.audience_totals:
            day = plan.at.date().isoformat()
            ev.counters.append(
                CounterPlan(
                    f"{plan.key}:{day}", plan.size, plan.threshold, decide.c.AudienceTotalOverDay, "old"
                )
            )
        return []

    with monkeypatch.context() as patch:
        patch.setattr(decide.Gate, "_audience_totals", old_totals)
        old = _declare(gate, 70, "old")
    assert old.outcome == "allow"
    assert _counter(gate, f"{_agent_key(gate)}:{DAY}") == 70
    assert store.reconcile() == []
    held = _declare(gate, 40, "new")
    assert held.codes == ["AG505"] and held.findings[0].evidence["declared_before"] == 70
    assert held.findings[0].evidence["next_possible"] is None  # an old counter's times are unknown
    assert _declare(gate, 30, "fits").outcome == "allow"
    clock.advance(hours=20)  # the next UTC day: yesterday's counter may lie within the window
    assert _declare(gate, 1, "still").codes == ["AG505"]
    gate.report_outcome(old.decision_id, executed=False)
    assert _counter(gate, f"{_agent_key(gate)}:{DAY}") == 0
    assert _declare(gate, 70, "room").outcome == "allow"  # 30 + 70
    assert store.reconcile() == []
    report, problems = verify_gate_ledger(store.ledger, store.engine)
    assert report.ok and problems == []


# -- concurrency: many writers never take a total past its bound unreviewed ------------------------------


PROCESSES = 2
THREADS = 4
DECLARATIONS = 240


def test_concurrent_declarations_never_pass_the_bound(store_url, tmp_path: Path):
    GateStore.from_url(store_url)  # migrate once before the workers start
    rng = random.Random(11)
    sizes = [str(rng.randint(1, 20)) for _ in range(DECLARATIONS)]
    bound = sum(int(s) for s in sizes) // 2  # reached midway
    policy = {"gate": {"content_checks": False, "audience": {"declared_per_agent_per_day": bound}}}
    per_thread = [sizes[i :: PROCESSES * THREADS] for i in range(PROCESSES * THREADS)]
    ctx = multiprocessing.get_context("spawn")
    procs, outs = [], []
    for p in range(PROCESSES):
        out = tmp_path / f"out{p}.json"
        outs.append(out)
        chunk = per_thread[p * THREADS : (p + 1) * THREADS]
        proc = ctx.Process(target=reservation_worker, args=(store_url, policy, "audience", chunk, str(out)))
        proc.start()
        procs.append(proc)
    deadline = time.monotonic() + 240
    for proc in procs:
        proc.join(timeout=max(1, deadline - time.monotonic()))
    for proc in procs:
        if proc.is_alive():  # never leave workers writing while the schema is dropped
            proc.kill()
            proc.join()
    assert [proc.exitcode for proc in procs] == [0] * PROCESSES
    results = [r for out in outs for r in json.loads(out.read_text())]
    assert len(results) == DECLARATIONS
    outcomes = {outcome for _, outcome, _ in results}
    # held for a human, never denied: the total is read under its lock, so no writer reads a stale one
    assert outcomes == {"allow", "review"}
    allowed = sum(int(v) for _, outcome, v in results if outcome == "allow")
    assert allowed <= bound  # not by one person
    assert allowed > bound - 20  # and the bound was used up (no reservation lost)
    store = GateStore.from_url(store_url)
    with store.reader() as conn:
        rows = conn.execute(
            sa.select(t.events.c.key, sa.func.sum(t.events.c.amount)).group_by(t.events.c.key)
        ).all()
        counters = conn.execute(sa.select(t.counters.c.key)).scalars().all()
    totals = [int(v) for k, v in rows if str(k).startswith("audience:agent:")]
    assert totals == [allowed]
    assert not [k for k in counters if str(k).startswith("audience:agent:")]  # no day counter
    assert store.ledger.verify().ok
    assert store.reconcile() == []
