"""A remembered GPC signal is looked up in the statement that reads a send's consent rows, and a send whose
content could only matter because of such a record has its content read only when one is found — on SQLite
and PostgreSQL. A record changed outside the gate still counts as sent."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from gate_testlib import Clock, action, send

from brandrail.gate import Gate, GateStore, record_gpc
from brandrail.gate import personalisation as pz
from brandrail.gate import pseudonyms as ps
from brandrail.gate.store import tables as t
from brandrail.policy import policy_from_dict

#: greets by name and says "because you viewed": personalised by its content (AG406)
PERSONAL = "Hi Ann, because you viewed the Ridge tent, here it is at 20% off."
PLAIN = "Spring trail season is here: new tents in store."


def _gate(store_url: str, clock: Clock) -> Gate:
    policy = policy_from_dict({"gate": {"content_checks": False, "consent": {"require_opt_in": []}}})
    return Gate(policy, GateStore.from_url(store_url), clock=clock)


def _watch(monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[str | None]]:
    """Each content read (personal_signals) and the GPC channel each contacts statement was asked for."""
    reads: list[str] = []
    statements: list[str | None] = []
    signals, resolve = pz.personal_signals, ps.resolve_contacts

    def reading(policy: Any, recipient: Any, fields: Any, *args: Any, **kwargs: Any) -> Any:
        reads.append(str(dict(fields).get("content")))
        return signals(policy, recipient, fields, *args, **kwargs)

    def resolving(*args: Any, **kwargs: Any) -> Any:
        statements.append(args[3] if kwargs.get("gpc_channel") is None else f"{args[3]}+gpc")
        return resolve(*args, **kwargs)

    monkeypatch.setattr(pz, "personal_signals", reading)
    monkeypatch.setattr(ps, "resolve_contacts", resolving)
    return reads, statements


def _send(gate: Gate, recipient: Any, content: str, clock: Clock, **extra: Any) -> Any:
    return gate.decide(send(recipient, content=content, time=clock.now.isoformat(), **extra))


def test_the_content_is_read_only_when_a_gpc_record_exists(
    store_url: str, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = _gate(store_url, clock)
    record_gpc(gate.store, "ann@example.com")
    reads, statements = _watch(monkeypatch)
    # no record: one statement (consent and GPC together), the content is not read
    assert _send(gate, {"id": "bo", "email": "bo@example.com"}, PERSONAL, clock).outcome == "allow"
    assert reads == [] and statements == ["email+gpc"]
    # a record under one of the identifiers: the content is read, and it is personalised
    denied = _send(gate, {"id": "c1", "email": "Ann@Example.com"}, PERSONAL, clock)
    assert denied.codes == ["AG404", "AG406"]
    assert denied.findings[0].evidence["gpc"] == "on record"
    assert reads == [PERSONAL] and statements == ["email+gpc"] * 2
    # a record, but the content is not personalised: GPC does not bind it
    assert _send(gate, {"id": "c1", "email": "ann@example.com"}, PLAIN, clock).outcome == "allow"
    assert reads == [PERSONAL, PLAIN]
    # declared personalised: nothing to read, the record applies; still one statement
    assert _send(gate, "ann@example.com", PLAIN, clock, personalised=True).codes == ["AG404"]
    assert reads == [PERSONAL, PLAIN] and statements == ["email+gpc"] * 4


@pytest.mark.parametrize("edit", ["lifted", "deleted", "forged_entry"])
def test_a_gpc_record_changed_outside_the_gate_counts_as_sent(
    store_url: str, clock: Clock, monkeypatch: pytest.MonkeyPatch, edit: str
) -> None:
    gate = _gate(store_url, clock)
    record_gpc(gate.store, "c7")
    with gate.store.transaction() as conn:
        gpc_rows = t.consent.c.channel == "gpc"
        if edit == "lifted":  # flipped to "no GPC" without the gate
            conn.execute(t.consent.update().where(gpc_rows).values(granted=True))
        elif edit == "deleted":
            conn.execute(t.consent.delete().where(gpc_rows))
        else:  # its entry's payload says "no GPC", its hash left as it was
            ledger = gate.store.ledger.table
            conn.execute(
                ledger.update()
                .where(ledger.c.kind == "consent")
                .values(payload=sa.func.replace(ledger.c.payload, '"granted":false', '"granted":true'))
            )
            conn.execute(t.consent.update().where(gpc_rows).values(granted=True))
    reads, statements = _watch(monkeypatch)
    denied = _send(gate, "c7", PERSONAL, clock)
    assert denied.codes == ["AG404", "AG406"]
    assert denied.findings[0].evidence["store_problems"]
    assert statements == ["email+gpc"] and reads == [PERSONAL]
    assert _send(gate, "c7", PLAIN, clock).outcome == "allow"  # not personalised: GPC does not apply


def test_a_reply_still_reads_its_content_first(store_url: str, clock: Clock) -> None:
    """A reply has no consent statement: its content is read, and only a personalised one looks GPC up."""
    gate = _gate(store_url, clock)
    record_gpc(gate.store, "c1")
    reply = action(
        "reply_customer",
        conversation="k-1",
        content=PERSONAL,
        recipient={"id": "c1"},
        time=clock.now.isoformat(),
    )
    assert gate.decide(reply).codes == ["AG404", "AG406"]


def test_replay_answers_a_deferred_lookup_as_the_decision_saw_it(store_url: str, clock: Clock) -> None:
    from brandrail.gate.replay import replay

    gate = _gate(store_url, clock)
    record_gpc(gate.store, "c1")
    assert _send(gate, "c1", PERSONAL, clock).codes == ["AG404", "AG406"]
    assert _send(gate, "c2", PERSONAL, clock).outcome == "allow"
    assert _send(gate, "c1", PLAIN, clock).outcome == "allow"
    report = replay(gate.policy, gate.store)
    assert report.replayed >= 3 and report.changes == ()
