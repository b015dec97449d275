"""The service's check budget: a request whose content checks run past their CPU budget is stopped in its
worker process and answered with BR999 (never a pass); the gate denies such an action; normal requests are
answered as before, by the replacement process."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from brandrail import check, loads_policy
from brandrail.errors import UsageError
from brandrail.server import ServiceConfig, create_app

POLICY = """\
terms: {banned: [{term: flimsy, replacement: light}, {term: free}]}
channels: {push: {max_length: 20}}
gate: {limits: {max_action_bytes: 1000000, fields: {content: 300000}}}
"""
#: 200,000 characters of leetspeak (a case of bench/bench_content_hostile.py): about 2.3 CPU seconds to check
#: on a quiet machine, over 4 times the budget the tests give.
HOSTILE = "fr33 " * 40_000
#: A budget well below what the hostile text costs, and far above what a short message costs (a few ms).
BUDGET = 0.5


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    config = ServiceConfig(auth="none", gate_store=f"sqlite:///{tmp_path / 'gate.db'}", check_cpu_s=BUDGET)
    return TestClient(create_app(loads_policy(POLICY), config=config))


def _only_br999(result: dict[str, Any]) -> dict[str, Any]:
    assert result["passed"] is False
    assert [f["code"] for f in result["findings"]] == ["BR999"]
    finding: dict[str, Any] = result["findings"][0]
    assert finding["severity"] == "error" and finding["rule"] == "check-over-budget"
    return finding


def test_a_check_past_its_budget_fails_with_br999_and_evidence(client: TestClient) -> None:
    response = client.post("/v1/check", json={"text": HOSTILE, "id": "hostile-1"})
    assert response.status_code == 200
    finding = _only_br999(response.json())
    evidence = finding["evidence"]
    assert evidence["budget_cpu_seconds"] == BUDGET
    assert evidence["budget_wall_seconds"] == BUDGET + 2.0
    # on a quiet machine the CPU budget stops it; on a crowded one the wall backstop may come first
    if evidence["limit"] == "cpu":
        assert evidence["cpu_seconds"] >= BUDGET
    else:
        assert evidence["limit"] == "wall" and evidence["wall_seconds"] >= BUDGET + 2.0
    assert evidence["characters"] == len(HOSTILE)
    assert isinstance(evidence["stage"], str) and evidence["stage"]
    assert finding["path"] == "hostile-1"
    assert (
        "ran out of its 0.5 CPU-second budget" in finding["message"]
        or "2.5-second wall-clock" in finding["message"]
    )


def test_the_next_request_is_checked_as_before(client: TestClient) -> None:
    client.post("/v1/check", json={"text": HOSTILE})
    text = "A flimsy tent for the fells, and more words"
    response = client.post("/v1/check", json={"text": text, "channel": "push"})
    expected = check(text, loads_policy(POLICY), channel="push").to_dict()
    assert response.json()["findings"] == expected["findings"]
    assert response.json()["passed"] is False


def test_bad_input_is_still_a_400(client: TestClient) -> None:
    response = client.post("/v1/check", json={"text": "x", "channel": "pushh"})
    assert response.status_code == 400 and response.json()["hint"] == "did you mean 'push'?"


def test_a_batch_shares_one_budget(client: TestClient) -> None:
    """The reply (checked first, with its conversation) spends the budget; the message after it is not
    started, and says so."""
    turns = [{"role": "customer", "text": "Is it any good?"}]
    body = {
        "messages": [
            {"id": "a", "text": "A light tent."},
            {"id": "b", "text": HOSTILE, "conversation": turns},
        ]
    }
    response = client.post("/v1/check/batch", json=body)
    assert response.status_code == 200
    out = response.json()
    assert out["passed"] is False
    by_id = {r["id"]: r for r in out["results"]}
    assert _only_br999(by_id["b"])["evidence"]["stage"] != "not started"
    assert _only_br999(by_id["a"])["evidence"]["stage"] == "not started"


def test_a_batch_within_budget_matches_the_library(client: TestClient) -> None:
    texts = ["A flimsy tent.", "Nothing to see.", "A free gift."]
    response = client.post("/v1/check/batch", json={"messages": [{"text": t} for t in texts]})
    policy = loads_policy(POLICY)
    assert [r["findings"] for r in response.json()["results"]] == [
        check(t, policy).to_dict()["findings"] for t in texts
    ]


def _send(content: str) -> dict[str, Any]:
    return {
        "kind": "send_message",
        "id": f"msg-{uuid.uuid4().hex}",
        "agent": "crm-bot",
        "time": datetime.now(UTC).isoformat(),
        "channel": "push",
        "recipient": {"id": "c1"},
        "content": content,
    }


def test_the_gate_denies_content_it_could_not_check_in_budget(tmp_path: Path) -> None:
    config = ServiceConfig(auth="none", gate_store=f"sqlite:///{tmp_path / 'gate.db'}", check_cpu_s=0.1)
    client = TestClient(create_app(loads_policy(POLICY), config=config))
    hostile = HOSTILE[:99_000]  # a message's content holds at most 100,000 characters; about 1.1 CPU-s
    response = client.post("/v1/gate/decide", json=_send(hostile))
    assert response.status_code == 200
    decision = response.json()
    assert decision["outcome"] == "deny" and decision["allowed"] is False
    assert "AG601" in decision["codes"] and "BR999" in decision["codes"]
    ag601 = next(f for f in decision["findings"] if f["code"] == "AG601")
    assert ag601["evidence"]["codes"] == ["BR999"]
    br999 = next(f for f in decision["findings"] if f["code"] == "BR999")
    assert br999["evidence"]["characters"] == len(hostile) and br999["evidence"]["place"] == "content"
    # the decision is on record once, and the ledger is whole
    assert client.get("/v1/ledger/verify").json()["ok"] is True
    recorded = client.get("/v1/decisions").json()["decisions"]
    assert [d["decision_id"] for d in recorded] == [decision["decision_id"]]


def test_the_gate_checks_short_content_as_before(client: TestClient) -> None:
    decision = client.post("/v1/gate/decide", json=_send("A flimsy tent.")).json()
    assert "BR999" not in decision["codes"]
    assert "BR101" in decision["codes"] or decision["outcome"] == "modify"


@pytest.mark.parametrize(
    ("field", "value"), [("check_cpu_s", 0), ("check_cpu_s", float("nan")), ("check_wall_s", -1.0)]
)
def test_a_bad_budget_is_refused_naming_the_field(field: str, value: float) -> None:
    with pytest.raises(UsageError, match=rf"ServiceConfig\.{field}"):
        ServiceConfig(**{field: value})


def test_check_processes_must_be_at_least_one() -> None:
    with pytest.raises(UsageError, match=r"ServiceConfig\.check_processes"):
        ServiceConfig(check_processes=0)
