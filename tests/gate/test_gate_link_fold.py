"""A first-contact send's ``link`` entry travels in the decision's own append (one statement on PostgreSQL,
one lock and head read on SQLite): the link entry sits right before the decision's entry, both commit or
neither, and ``ledger verify``, the side-table checks, export and reconcile stay clean."""

from __future__ import annotations

import io
import json
from typing import Any

import sqlalchemy as sa
from gate_testlib import bound_gate, send, side_table_problems

from brandrail.gate.store import tables as t
from brandrail.ledger import verify_jsonl


def _kinds(gate: Any) -> list[tuple[int, str, str]]:
    return [(e.seq, e.kind, e.id) for e in gate.store.ledger.entries()]


def test_first_contact_link_entry_is_appended_with_the_decision(store_url, clock):
    gate = bound_gate(store_url, clock)
    ledger = gate.store.ledger
    calls: list[int] = []
    if ledger.dialect == "postgresql":
        original = ledger._append_pg_many

        def spy(*args: Any, **kwargs: Any) -> Any:
            calls.append(len(args[-1]))
            return original(*args, **kwargs)

        ledger._append_pg_many = spy  # type: ignore[method-assign]
    before = ledger.count()
    first = gate.decide(send({"id": "c-new", "email": "new@example.com"}))
    assert first.ledger_seq is not None
    entries = _kinds(gate)[before:]
    assert [kind for _, kind, _ in entries] == ["link", "decision"]
    assert entries[1][0] == first.ledger_seq == entries[0][0] + 1 and entries[1][2] == first.decision_id
    if ledger.dialect == "postgresql":
        assert calls == [1]  # one statement: the link entry before the decision's
    # a second send to the same person links nothing new: no link entry
    second = gate.decide(send({"id": "c-new", "email": "new@example.com"}))
    assert [kind for _, kind, _ in _kinds(gate)[before + 2 :]] == ["decision"]
    assert second.ledger_seq == first.ledger_seq + 1
    assert ledger.verify().ok and side_table_problems(gate) == [] and gate.store.reconcile() == []
    out = io.StringIO()
    ledger.export_jsonl(out)
    assert verify_jsonl(io.StringIO(out.getvalue())).ok
    links = [json.loads(line) for line in out.getvalue().splitlines() if '"kind":"link"' in line]
    assert len(links) == 1 and len(links[0]["payload"]["links"]) == 2  # the id and the address


def test_link_entry_and_links_roll_back_with_a_failed_decision(store_url, clock):
    gate = bound_gate(store_url, clock)
    store = gate.store
    original = store.record
    failed: list[bool] = []

    def failing(*args: Any, **kwargs: Any) -> Any:
        before, params, after, preceding = original(*args, **kwargs)
        if not failed:
            failed.append(True)
            assert preceding, "a first contact's link entry travels with the decision"
            after = (*after, "INSERT INTO no_such_table_here (x) SELECT o_seq FROM entry")
        return before, params, after, preceding

    store.record = failing  # type: ignore[method-assign]
    decision = gate.decide(send({"id": "c-new", "email": "new@example.com"}))
    assert decision.outcome == "deny" and decision.codes == ["AG000"] and decision.ledger_seq is not None
    # the failed attempt left nothing: one link entry (the recorded deny's), links bound to it
    entries = _kinds(gate)
    assert [kind for _, kind, _ in entries] == ["link", "decision"]
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(t.subjects)).scalar_one() == 2
    assert store.ledger.verify().ok and side_table_problems(gate) == []


def test_without_the_many_entry_function_the_link_entry_is_one_more_call(store_url, clock):
    gate = bound_gate(store_url, clock)
    ledger = gate.store.ledger
    if ledger.dialect != "postgresql":
        return  # SQLite has no functions: the batch is always one lock and one head read
    with gate.store.engine.begin() as conn:
        conn.exec_driver_sql(f"DROP FUNCTION {ledger._many_signature}")
    ledger._has_many = None
    decision = gate.decide(send({"id": "c-new", "email": "new@example.com"}))
    assert [kind for _, kind, _ in _kinds(gate)] == ["link", "decision"]
    assert decision.ledger_seq == 2 and ledger.verify().ok and side_table_problems(gate) == []
    ledger.create_schema()  # puts it back
    raw = gate.store.engine.raw_connection()
    try:
        assert ledger._many_ready(raw.driver_connection)
    finally:
        raw.close()
