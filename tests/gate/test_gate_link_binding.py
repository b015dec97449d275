"""Identifier links (``gate_subjects``) against their ``link`` ledger entries (brandrail.gate.bindings).

Someone who can write the gate's tables but not the ledger relinks an address to another person's
pseudonym (that person's consent would count, their frequency history would be the one counted), inserts a
link of their own, copies another link's binding, or deletes a link (a fresh pseudonym: no withdrawal, no
history). A relinked or inserted link must leave the send a deny that says the store was changed and be
named by ``brandrail ledger verify``; a deleted one is found by verify (counted: an erasure names no one).
Honest links keep allowing, and an erasure is not a deletion.
"""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from gate_testlib import bound_gate, send, side_table_problems, write_behind

from brandrail.errors import GateError
from brandrail.gate import Gate
from brandrail.gate.pseudonyms import erase_customer
from brandrail.gate.store import tables as t

ANN = "ann@example.com"
BOB = "bob@example.com"


def _links(gate: Gate) -> dict[str, tuple[str, str]]:
    with gate.store.engine.connect() as conn:
        rows = conn.execute(sa.select(t.subjects.c.lookup, t.subjects.c.pseudonym, t.subjects.c.binding))
        return {str(lookup): (str(p), str(b)) for lookup, p, b in rows}


def _lookup(gate: Gate, address: str) -> str:
    return gate.store.keys.lookups("email:" + address)[0]


def _bob() -> dict[str, Any]:
    return send({"id": "c-bob", "email": BOB})


def _relink_bob_to_ann(gate: Gate, *, binding: bool = False) -> None:
    """Point every link of bob's identifiers at ann's pseudonym (with ann's binding too when asked)."""
    links = _links(gate)
    ann, ann_binding = links[_lookup(gate, ANN)]
    values: dict[str, Any] = {"pseudonym": ann}
    if binding:
        values["binding"] = ann_binding
    bob = [lookup for lookup, (p, _) in links.items() if p != ann]
    write_behind(gate, t.subjects.update().where(t.subjects.c.lookup.in_(bob)).values(**values))


def test_honest_links_allow_verify_and_name_no_one_in_the_ledger(store_url, clock):
    gate = bound_gate(store_url, clock)
    gate.store.set_consent(ANN, "email", True)
    assert gate.decide(send({"id": "c-ann", "email": ANN})).outcome == "allow"
    assert gate.decide(_bob()).outcome == "deny"  # no consent of bob's own
    links = _links(gate)
    assert links and all(binding != "None" for _, binding in links.values())
    entries = [e for e in gate.store.ledger.entries() if e.kind == "link"]
    assert entries
    for entry in entries:  # neither the keyed hash nor the pseudonym: digests only
        for lookup, (pseudonym, binding) in links.items():
            assert lookup not in entry.payload_json and pseudonym not in entry.payload_json
            assert binding[24:] not in entry.payload_json
    assert side_table_problems(gate) == []


def test_an_address_relinked_to_a_consenting_pseudonym_is_denied(store_url, clock):
    gate = bound_gate(store_url, clock)
    gate.store.set_consent(ANN, "email", True)
    assert gate.decide(_bob()).outcome == "deny"  # bob's identifiers linked; bob never consented
    _relink_bob_to_ann(gate)
    decision = gate.decide(_bob())
    assert decision.outcome == "deny" and "AG401" in decision.codes
    finding = next(f for f in decision.findings if f.code == "AG401")
    assert "changed outside the gate" in finding.message
    assert any("relinked" in p for p in finding.evidence["store_problems"])
    assert any("identifier link differs from its ledger entry" in p for p in side_table_problems(gate))
    # ann herself is unaffected
    assert gate.decide(send({"id": "c-ann", "email": ANN})).outcome == "allow"


def test_a_relink_that_copies_the_other_link_s_binding_is_denied(store_url, clock):
    gate = bound_gate(store_url, clock)
    gate.store.set_consent(ANN, "email", True)
    gate.decide(_bob())
    _relink_bob_to_ann(gate, binding=True)
    decision = gate.decide(_bob())
    assert decision.outcome == "deny" and "AG401" in decision.codes
    assert any("relinked" in p for p in side_table_problems(gate))


def test_a_link_inserted_outside_the_gate_is_denied(store_url, clock):
    gate = bound_gate(store_url, clock)
    gate.store.set_consent(ANN, "email", True)
    ann, binding = _links(gate)[_lookup(gate, ANN)]
    for value in (None, binding):
        write_behind(gate, t.subjects.delete().where(t.subjects.c.lookup == _lookup(gate, BOB)))
        write_behind(
            gate,
            t.subjects.insert().values(
                lookup=_lookup(gate, BOB), pseudonym=ann, created_at="2026-05-01", binding=value
            ),
        )
        decision = gate.decide(send({"id": "c-new", "email": BOB}))
        assert decision.outcome == "deny" and "AG401" in decision.codes, value
        if value is None:
            assert any("identifier link was not written by the gate" in p for p in side_table_problems(gate))
    assert any("identifier link differs from its ledger entry" in p for p in side_table_problems(gate))


def test_a_relinked_address_is_suppressed_where_consent_is_not_required(store_url, clock):
    # no opt-in on email: a relink would swap whose frequency history counts; the recipient is unknown
    gate = bound_gate(
        store_url,
        clock,
        consent={"require_opt_in": []},
        frequency=[{"channel": "email", "max": 1, "window": "7d"}],
    )
    assert gate.decide(_bob()).outcome == "allow"
    assert gate.decide(_bob()).outcome == "deny"  # the frequency cap
    write_behind(gate, t.subjects.update().values(pseudonym="p_" + "0" * 24))  # a pseudonym with no history
    decision = gate.decide(_bob())
    assert decision.outcome == "deny" and "AG402" in decision.codes
    finding = next(f for f in decision.findings if f.code == "AG402")
    assert any("relinked" in p for p in finding.evidence["store_problems"])


def test_consent_is_not_recorded_through_a_relinked_address(store_url, clock):
    gate = bound_gate(store_url, clock)
    gate.store.set_consent(ANN, "email", False)
    gate.decide(_bob())
    _relink_bob_to_ann(gate)
    with pytest.raises(GateError, match="relinked"):
        gate.store.set_consent(BOB, "email", True)  # would grant ann's pseudonym
    with gate.store.engine.connect() as conn:
        assert set(conn.execute(sa.select(t.consent.c.granted)).scalars()) == {False}


def test_a_deleted_link_is_counted_by_verify_and_an_erasure_is_not(store_url, clock):
    gate = bound_gate(store_url, clock)
    gate.store.set_consent(ANN, "email", True)
    gate.decide(_bob())
    assert side_table_problems(gate) == []
    erase_customer(gate.store, ANN)
    assert side_table_problems(gate) == []
    write_behind(gate, t.subjects.delete().where(t.subjects.c.lookup == _lookup(gate, BOB)))
    assert any(p.startswith("1 link(s)") for p in side_table_problems(gate))


def test_ledger_verify_reports_a_relinked_address(store_url, clock, tmp_path):
    from typer.testing import CliRunner

    from brandrail.cli import app

    gate = bound_gate(store_url, clock)
    gate.store.set_consent(ANN, "email", True)
    gate.decide(_bob())
    result = CliRunner().invoke(app, ["ledger", "verify", "--db", store_url])
    assert result.exit_code == 0, result.output
    _relink_bob_to_ann(gate)
    result = CliRunner().invoke(app, ["ledger", "verify", "--db", store_url])
    assert result.exit_code == 1 and "relinked" in result.output


def test_first_contacts_in_parallel_under_a_shared_window_all_go_through(store_url, clock):
    # each send links new identifiers and takes the global send-rate window's lock: recording the links
    # must not take the ledger's lock before that window lock (two decisions would wait on each other)
    from concurrent.futures import ThreadPoolExecutor

    gate = bound_gate(
        store_url,
        clock,
        consent={"require_opt_in": []},
        send_rates=[{"channel": "*", "max": 1000, "window": "1h"}],
    )
    sends = [send({"id": f"c-{t}-{i}", "email": f"u{t}x{i}@example.com"}) for t in range(4) for i in range(8)]
    with ThreadPoolExecutor(4) as pool:
        decisions = list(pool.map(gate.decide, sends))
    assert [d.outcome for d in decisions] == ["allow"] * len(sends), [d.codes for d in decisions]
    assert side_table_problems(gate) == []
    assert gate.store.ledger.verify().ok
