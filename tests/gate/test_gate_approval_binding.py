"""An approval request's row is bound to the decision entry that opened it (brandrail.gate.bindings).

Someone who can write the gate's tables but not rewrite the ledger edits a pending request: to show the
reviewer a smaller spend, to name another proposer (so the agent approves its own action), to push the
expiry years out, or to hide the reasons. Each edit must make the request unusable (refused when answered,
never honoured by the gate) and be named by ``brandrail ledger verify``.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from gate_testlib import spend
from typer.testing import CliRunner

from brandrail.cli import app
from brandrail.errors import ApprovalError
from brandrail.gate import Gate, GateStore, approve, reject
from brandrail.gate import approvals as ap
from brandrail.gate.bindings import check_side_tables
from brandrail.gate.store import tables as t
from brandrail.policy import policy_from_dict


def _gate(url: str, clock: Any) -> Gate:
    policy = policy_from_dict(
        {
            "gate": {
                "content_checks": False,
                "approvals": {"spend_over": "10", "expires_after": "24h"},
                "principals": [
                    {"id": "ana", "roles": ["reviewer"]},
                    {"id": "ads-bot", "roles": ["agent", "reviewer"]},
                ],
            }
        }
    )
    return Gate(policy, GateStore.from_url(url), clock=clock)


def _edit(gate: Gate, approval_id: str, **values: Any) -> None:
    with gate.store.engine.begin() as conn:
        conn.execute(t.approvals.update().where(t.approvals.c.id == approval_id).values(**values))


def _row(gate: Gate, approval_id: str) -> dict[str, Any]:
    with gate.store.engine.begin() as conn:
        return dict(
            conn.execute(sa.select(t.approvals).where(t.approvals.c.id == approval_id)).mappings().one()
        )


def _smaller(row: dict[str, Any]) -> dict[str, Any]:
    action = json.loads(row["action"])
    return {"action": json.dumps({**action, "amount": "15"}, sort_keys=True)}


def _other_proposer(row: dict[str, Any]) -> dict[str, Any]:
    action = json.loads(row["action"])
    return {
        "agent": "someone-else",
        "action": json.dumps({**action, "agent": "someone-else"}, sort_keys=True),
    }


EDITS = {
    "action": _smaller,
    "proposer": _other_proposer,
    "agent column": lambda row: {"agent": "someone-else"},
    "kind": lambda row: {"kind": "launch_campaign"},
    "action id": lambda row: {"action_id": "another-action"},
    "expiry": lambda row: {"expires_at": "2099-01-01T00:00:00.000000+00:00"},
    "reasons": lambda row: {"reasons": "[]"},
    "created_at": lambda row: {"created_at": "2026-05-01T00:00:00.000000+00:00"},
    "decision id": lambda row: {"decision_id": "dec_other"},
    "action not json": lambda row: {"action": "{"},
}


@pytest.mark.parametrize("edit", EDITS)
def test_an_edited_pending_request_cannot_be_answered(edit: str, store_url: str, clock):
    gate = _gate(store_url, clock)
    request = gate.decide(spend("5000"))
    assert request.outcome == "review"
    _edit(gate, request.approval_id, **EDITS[edit](_row(gate, request.approval_id)))
    for answer in (approve, reject):
        with pytest.raises(ApprovalError, match="does not match the ledger"):
            answer(gate.store, request.approval_id, reviewer="ana", policy=gate.policy, now=clock())
    problems = check_side_tables(gate.store.ledger, gate.store.engine)
    assert [row for row, _ in problems] == [request.approval_id]
    assert _row(gate, request.approval_id)["status"] == "pending"
    gate.store.engine.dispose()


def test_the_proposer_cannot_approve_its_own_action_by_renaming_it(sqlite_url: str, clock):
    gate = _gate(sqlite_url, clock)
    big = spend("5000")  # proposed by ads-bot, which is also a reviewer
    request = gate.decide(big)
    _edit(gate, request.approval_id, **_other_proposer(_row(gate, request.approval_id)))
    with pytest.raises(ApprovalError, match="does not match the ledger"):
        approve(gate.store, request.approval_id, reviewer="ads-bot", policy=gate.policy, now=clock())
    clock.advance(hours=1)
    assert gate.decide({**big, "id": "retry", "time": clock().isoformat()}).outcome == "review"


def test_an_extended_expiry_buys_nothing(sqlite_url: str, clock):
    gate = _gate(sqlite_url, clock)
    big = spend("5000")
    request = gate.decide(big)
    _edit(gate, request.approval_id, expires_at="2099-01-01T00:00:00.000000+00:00")
    with pytest.raises(ApprovalError, match="expiry differs"):
        approve(gate.store, request.approval_id, reviewer="ana", policy=gate.policy, now=clock())
    clock.advance(days=300)
    later = gate.decide({**big, "id": "later", "time": clock().isoformat()})
    assert not later.allowed
    verify = CliRunner().invoke(app, ["ledger", "verify", "--db", sqlite_url])
    assert verify.exit_code == 1 and "expiry differs" in verify.stdout


@pytest.mark.parametrize(
    "values",
    [
        {"comment": "looks fine"},
        {"agent": "someone-else"},
        {"expires_at": "2099-01-01T00:00:00.000000+00:00"},
        {"decided_at": "2026-05-01T00:00:00.000000+00:00"},
        {"reasons": "[]"},
    ],
    ids=lambda values: next(iter(values)),
)
def test_an_edited_answer_is_refused_and_reported(values: dict[str, Any], sqlite_url: str, clock):
    gate = _gate(sqlite_url, clock)
    big = spend("5000")
    request = gate.decide(big)
    approve(
        gate.store,
        request.approval_id,
        reviewer="ana",
        comment="ok for spring",
        policy=gate.policy,
        now=clock(),
    )
    assert check_side_tables(gate.store.ledger, gate.store.engine) == []
    _edit(gate, request.approval_id, **values)
    assert [row for row, _ in check_side_tables(gate.store.ledger, gate.store.engine)] == [
        request.approval_id
    ]
    assert gate.decide({**big, "id": "retry"}).outcome == "review"  # the edited approval is not used


def test_an_untouched_request_verifies_through_its_life(sqlite_url: str, clock):
    gate = _gate(sqlite_url, clock)
    big = spend("5000")
    request = gate.decide(big)
    entry = gate.store.ledger.get(request.decision_id)
    assert entry is not None
    recorded = entry.payload["approval_request"]
    assert datetime.fromisoformat(recorded["expires_at"]) == clock() + timedelta(hours=24)
    assert check_side_tables(gate.store.ledger, gate.store.engine) == []
    assert gate.decide({**big, "id": "again"}).approval_id == request.approval_id  # still pending: same one
    approve(gate.store, request.approval_id, reviewer="ana", policy=gate.policy, now=clock())
    assert check_side_tables(gate.store.ledger, gate.store.engine) == []
    assert gate.decide({**big, "id": "retry"}).allowed
    assert check_side_tables(gate.store.ledger, gate.store.engine) == []
    verify = CliRunner().invoke(app, ["ledger", "verify", "--db", sqlite_url])
    assert verify.exit_code == 0, verify.output


def test_a_request_opened_before_expiries_were_recorded_still_works(sqlite_url: str, clock, monkeypatch):
    """Decision entries written by an older brandrail carry no ``approval_request``: what they do carry is
    still checked, and the request can be answered."""
    create = ap.create_request

    def older(*args: Any, **kwargs: Any) -> tuple[str, None]:
        return create(*args, **kwargs)[0], None

    monkeypatch.setattr(ap, "create_request", older)
    gate = _gate(sqlite_url, clock)
    big = spend("5000")
    request = gate.decide(big)
    assert "approval_request" not in gate.store.ledger.get(request.decision_id).payload
    assert check_side_tables(gate.store.ledger, gate.store.engine) == []
    _edit(gate, request.approval_id, **_smaller(_row(gate, request.approval_id)))
    with pytest.raises(ApprovalError, match="action differs"):
        approve(gate.store, request.approval_id, reviewer="ana", policy=gate.policy, now=clock())
    _edit(
        gate, request.approval_id, action=_row(gate, request.approval_id)["action"].replace('"15"', '"5000"')
    )
    approve(gate.store, request.approval_id, reviewer="ana", policy=gate.policy, now=clock())
    assert gate.decide({**big, "id": "retry"}).allowed


@pytest.mark.parametrize("table", ["gate_approvals", "gate_decisions"])
def test_a_row_that_is_not_utf8_is_reported_not_a_crash(table: str, sqlite_url: str, clock):
    gate = _gate(sqlite_url, clock)
    gate.decide(spend("5000"))
    column = "action" if table == "gate_approvals" else "response"
    with gate.store.engine.begin() as conn:
        conn.execute(sa.text(f"UPDATE {table} SET {column} = CAST(X'7b2261223aff7d' AS TEXT)"))
    verify = CliRunner().invoke(app, ["ledger", "verify", "--db", sqlite_url])
    assert verify.exit_code == 1, verify.output
    assert "side_table" in verify.stdout and "internal error" not in verify.output


def test_expired_requests_are_listed_as_expired(sqlite_url: str, clock):
    from brandrail.gate import list_approvals

    gate = _gate(sqlite_url, clock)
    old = gate.decide(spend("5000"))
    approved = gate.decide(spend("6000"))
    approve(gate.store, approved.approval_id, reviewer="ana", policy=gate.policy, now=clock())
    clock.advance(hours=25)
    fresh = gate.decide({**spend("7000"), "time": clock().isoformat()})
    expired = [a.id for a in list_approvals(gate.store, "expired", now=clock())]
    assert expired == [old.approval_id, approved.approval_id]
    assert fresh.approval_id not in expired
    assert list_approvals(gate.store, "expired", now=clock() - timedelta(hours=26)) == []
    listed = CliRunner().invoke(app, ["approvals", "list", "--status", "expired", "--db", sqlite_url])
    assert listed.exit_code == 0 and old.approval_id in listed.stdout  # the command's clock is today's


@pytest.mark.parametrize(
    ("new_id", "shown"),
    [
        ("apr_x\x1b[1A\x1b[2Kledger OK", "apr_x\\x1b[1A\\x1b[2Kledger OK"),  # repaint the terminal
        ("apr_\u202eko", "apr_\\u202eko"),  # a bidi override
    ],
)
def test_a_row_id_reaches_the_verifier_as_escapes(new_id: str, shown: str, sqlite_url: str, clock):
    gate = _gate(sqlite_url, clock)
    request = gate.decide(spend("5000"))
    _edit(gate, request.approval_id, id=new_id)
    problems = check_side_tables(gate.store.ledger, gate.store.engine)
    assert [row for row, _ in problems] == [shown]
    verify = CliRunner().invoke(app, ["ledger", "verify", "--db", sqlite_url])
    assert verify.exit_code == 1 and f"side_table: {shown}: approval row {shown}" in verify.stdout
    assert new_id not in verify.stdout


def test_an_approval_serves_only_the_principal_that_proposed_the_action(store_url: str, clock):
    """Approvals key on principals (gate/principal.py): an identical action from another key does not use
    the approval, nor wait on the request, that another principal's action received."""
    from brandrail.gate.principal import Principal

    gate = _gate(store_url, clock)
    trusted = Principal("trusted-bot", frozenset({"agent"}), via="api-key")
    rogue = Principal("Rogue-Bot", frozenset({"agent"}), via="api-key")
    big = spend("5000")
    request = gate.decide(big, principal=trusted)
    other_request = gate.decide({**big, "id": "rogue-0"}, principal=rogue)
    assert other_request.outcome == "review" and other_request.approval_id != request.approval_id
    approve(gate.store, request.approval_id, reviewer="ana", policy=gate.policy, now=clock())
    stolen = gate.decide({**big, "id": "rogue-1"}, principal=rogue)
    assert stolen.outcome == "review" and stolen.approval_id == other_request.approval_id
    used = gate.decide({**big, "id": "trusted-1"}, principal=Principal("TRUSTED-BOT", frozenset({"agent"})))
    assert used.allowed  # the proposer, under any spelling, uses it — once
    assert gate.decide({**big, "id": "trusted-2"}, principal=trusted).outcome == "review"
    # a rejection only tightens: it denies the identical action whoever submits it
    reject(gate.store, other_request.approval_id, reviewer="ana", policy=gate.policy, now=clock())
    assert gate.decide({**big, "id": "trusted-3"}, principal=trusted).codes == ["AG703"]
    gate.store.engine.dispose()


@pytest.mark.parametrize(
    "values",
    [{"used_by": "dec_other"}, {"ledger_entry": None}, {"agent": "someone-else"}, {"action": "{}"}],
    ids=lambda values: next(iter(values)),
)
def test_an_edited_used_approval_is_reported(values: dict[str, Any], sqlite_url: str, clock):
    gate = _gate(sqlite_url, clock)
    big = spend("5000")
    request = gate.decide(big)
    approve(gate.store, request.approval_id, reviewer="ana", policy=gate.policy, now=clock())
    assert gate.decide({**big, "id": "use"}).allowed
    assert _row(gate, request.approval_id)["status"] == "used"
    assert check_side_tables(gate.store.ledger, gate.store.engine) == []
    _edit(gate, request.approval_id, **values)
    assert [row for row, _ in check_side_tables(gate.store.ledger, gate.store.engine)] == [
        request.approval_id
    ]
    assert gate.decide({**big, "id": "again"}).outcome == "review"


def test_the_agent_an_action_names_cannot_approve_it_when_its_name_is_stored_masked(sqlite_url: str, clock):
    """An action naming a person's e-mail address as its agent is stored with ``"agent": "[email]"``; the
    reviewer it names is still refused, by the keyed reference the decision entry records."""
    policy = policy_from_dict(
        {
            "gate": {
                "content_checks": False,
                "approvals": {"spend_over": "10", "expires_after": "24h"},
                "principals": [
                    {"id": "ana@fernhill.com", "roles": ["reviewer"]},
                    {"id": "ben@fernhill.com", "roles": ["reviewer"]},
                    {"id": "ads-bot", "roles": ["agent"]},
                ],
            }
        }
    )
    gate = Gate(policy, GateStore.from_url(sqlite_url), clock=clock)
    request = gate.decide(spend("5000", agent="Ana@Fernhill.com"))
    assert request.outcome == "review"
    row = _row(gate, request.approval_id)
    assert "fernhill" not in row["action"].lower()  # the name is masked where it is stored
    entry = gate.store.ledger.get(request.decision_id)
    assert entry is not None and "fernhill" not in json.dumps(entry.payload).lower()
    with pytest.raises(ApprovalError, match="proposed this action and cannot approve it"):
        approve(gate.store, request.approval_id, reviewer="ana@fernhill.com", policy=policy, now=clock())
    # under another pseudonym key the reference cannot be checked: refused, not waved through
    from brandrail.gate.pseudonyms import PseudonymKeys

    saved = gate.store.keys
    gate.store.keys = PseudonymKeys((("k9", b"another-key-0123456789"),))
    with pytest.raises(ApprovalError, match="not loaded"):
        approve(gate.store, request.approval_id, reviewer="ben@fernhill.com", policy=policy, now=clock())
    gate.store.keys = saved
    done = approve(gate.store, request.approval_id, reviewer="ben@fernhill.com", policy=policy, now=clock())
    assert done.status == "approved"
    gate.store.engine.dispose()
