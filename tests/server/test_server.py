"""The HTTP service: same findings as the library, clear errors, gate fails closed, concurrent requests."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from brandrail import check, loads_policy
from brandrail.server import ServiceConfig, create_app

POLICY = "terms: {banned: [{term: flimsy, replacement: light}]}\nchannels: {push: {max_length: 20}}\n"


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    policy = loads_policy(POLICY)
    config = ServiceConfig(auth="none", gate_store=f"sqlite:///{tmp_path / 'gate.db'}")
    return TestClient(create_app(policy, config=config))


def test_health_reports_policy_version(client: TestClient) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["policy_version"] == loads_policy(POLICY).version


def test_check_matches_the_library(client: TestClient) -> None:
    text = "A flimsy tent for the fells, and more words"
    response = client.post("/v1/check", json={"text": text, "channel": "push"})
    assert response.status_code == 200
    body = response.json()
    expected = check(text, loads_policy(POLICY), channel="push").to_dict()
    assert body["schema_version"] == 1
    assert body["findings"] == expected["findings"]
    assert {f["code"] for f in body["findings"]} >= {"BR101", "BR401"}


def test_unknown_channel_is_a_400_with_hint(client: TestClient) -> None:
    response = client.post("/v1/check", json={"text": "x", "channel": "pushh"})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert (
        problem["status"] == 400 and problem["code"] == "USAGE" and problem["hint"] == "did you mean 'push'?"
    )


def test_malformed_request_names_the_field(client: TestClient) -> None:
    response = client.post("/v1/check", json={"txt": "x"})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    fields = [e["field"] for e in response.json()["errors"]]
    assert "text" in fields and "txt" in fields


def test_oversized_text_is_refused(client: TestClient) -> None:
    response = client.post("/v1/check", json={"text": "x" * 1_000_001})
    assert response.status_code == 413  # oversized is 413 (issue 11), malformed 422
    assert response.json()["errors"][0]["field"] == "text"


def test_batch_keeps_order_and_ids(client: TestClient) -> None:
    response = client.post(
        "/v1/check/batch",
        json={
            "messages": [
                {"id": "a", "text": "flimsy"},
                {"id": "b", "text": "fine"},
                {"id": "c", "text": "x" * 30, "channel": "push"},
            ]
        },
    )
    body = response.json()
    assert [r["id"] for r in body["results"]] == ["a", "b", "c"]
    assert [r["passed"] for r in body["results"]] == [False, True, False]
    assert body["passed"] is False


def test_gate_denies_malformed_actions(client: TestClient) -> None:
    response = client.post("/v1/gate/decide", content=b"{not json")
    assert response.status_code == 200
    body = response.json()
    assert body["outcome"] == "deny"
    assert body["findings"] and body["codes"], "a deny carries its reason"


def test_concurrent_checks_agree(client: TestClient) -> None:
    texts = [f"message {i} is {'flimsy' if i % 2 else 'sturdy'}" for i in range(60)]

    def one(text: str) -> list[str]:
        return [f["code"] for f in client.post("/v1/check", json={"text": text}).json()["findings"]]

    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(one, texts))
    assert codes == [["BR101"] if i % 2 else [] for i in range(60)]
