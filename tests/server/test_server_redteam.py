"""The service's API against hostile clients: every attack here is a request a real client could send.

Those that found a fault (fixed with them) and those the service already held are both kept, so a change
that reopens one fails here: hostile bodies, roles and ids, credentials, replays, errors that leak, limits.
"""

from __future__ import annotations

import json
import time
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from server_testlib import auth, keys_for, make_app, make_jwt_app, pending_approval, spend

pytestmark = pytest.mark.extras


@pytest.fixture
def service(tmp_path: Path) -> tuple[TestClient, dict[str, str]]:
    app, _, _ = make_app(tmp_path)
    return TestClient(app), keys_for(app)


def _problem(response: Any, status: int, slug: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["detail"]
    if slug is not None:
        assert body["type"].endswith("#" + slug), body
    return body


def _json_post(client: TestClient, path: str, raw: bytes, key: str, ctype: str = "application/json") -> Any:
    return client.post(path, content=raw, headers={**auth(key), "Content-Type": ctype})


# -- hostile bodies --------------------------------------------------------------------------------------------

AMBIGUOUS_BODIES = {
    # a key named twice: Python keeps the last value, other readers the first
    "duplicate key": (b'{"text": "a flimsy tent", "text": "a tent"}', "appears twice"),
    "duplicate nested key": (
        b'{"text": "hi", "metadata": {"sponsored": true, "sponsored": false}}',
        "appears twice",
    ),
    "NaN": (b'{"text": "hi", "metadata": {"subject": NaN}}', "NaN"),
    "Infinity": (b'{"text": "hi", "metadata": {"subject": -Infinity}}', "Infinity"),
    "overflowing number": (b'{"text": "hi", "metadata": {"subject": 1e999}}', "infinite"),
    "very long number": (b'{"text": "hi", "id": ' + b"9" * 5000 + b"}", "5000 digits"),
    "not UTF-8": (b'{"text": "caf\xe9"}', "not UTF-8"),
    "UTF-16": ('{"text": "hi"}'.encode("utf-16"), "not UTF-8"),
    "deep nesting": (b'{"text": "hi", "metadata": ' + b"[" * 200_000 + b"]" * 200_000 + b"}", "nested"),
    "truncated": (b'{"text": "hi",\n  "channel": ', "line 2"),
}


@pytest.mark.parametrize("name", list(AMBIGUOUS_BODIES))
def test_a_body_readers_could_read_differently_is_refused_saying_why(
    service: tuple[TestClient, dict[str, str]], name: str
) -> None:
    client, keys = service
    raw, says = AMBIGUOUS_BODIES[name]
    for path in ("/v1/check", "/v1/check/batch"):
        body = raw if path == "/v1/check" else b'{"messages": [' + raw + b"]}"
        problem = _problem(_json_post(client, path, body, keys["agent"]), 422, "invalid-json")
        assert says in problem["detail"], problem
        assert problem["location"].startswith("body")


def test_a_duplicated_key_in_an_action_is_a_malformed_deny(
    service: tuple[TestClient, dict[str, str]],
) -> None:
    """The gate denies an action naming a key twice, whichever value would pass: no reader picks one."""
    client, keys = service
    action = spend("10")
    head = json.dumps(action)[:-1].encode()
    for raw in (
        head + b', "amount": "9999"}',
        head.replace(b'"amount": "10"', b'"amount": "9999"') + b', "amount": "10"}',
    ):
        decision = _json_post(client, "/v1/gate/decide", raw, keys["agent"]).json()
        assert decision["outcome"] == "deny" and decision["codes"] == ["AG001"], decision
        assert "appears twice" in decision["findings"][0]["message"]
        assert decision["ledger_seq"] is not None  # decided, and on record


@pytest.mark.parametrize(
    "raw",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"kind": "spend", "amount": NaN}',
        b'{"kind": "\xff"}',
        b'{"a": 1e999}',
    ],
)
def test_hostile_action_bodies_are_denied_on_record(
    service: tuple[TestClient, dict[str, str]], raw: bytes
) -> None:
    client, keys = service
    decision = _json_post(client, "/v1/gate/decide", raw, keys["agent"]).json()
    assert decision["outcome"] == "deny" and not decision["allowed"]
    assert decision["codes"][0] in ("AG001", "AG004") and decision["ledger_seq"] is not None


@pytest.mark.parametrize(
    "ctype", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]
)
def test_a_body_that_is_not_json_by_its_content_type_is_415(
    service: tuple[TestClient, dict[str, str]], ctype: str
) -> None:
    client, keys = service
    for path, body in (("/v1/check", {"text": "hi"}), ("/v1/gate/decide", spend("10"))):
        problem = _problem(
            _json_post(client, path, json.dumps(body).encode(), keys["agent"], ctype),
            415,
            "unsupported-media-type",
        )
        assert ctype.split(";", maxsplit=1)[0] in problem["detail"] and "application/json" in problem["hint"]
    assert client.get("/v1/decisions", headers=auth(keys["auditor"])).json()["decisions"] == []


def test_json_content_types_are_accepted(service: tuple[TestClient, dict[str, str]]) -> None:
    client, keys = service
    for ctype in (
        "application/json",
        "application/json; charset=utf-8",
        "application/merge+json",
        "APPLICATION/JSON",
    ):
        response = _json_post(client, "/v1/check", b'{"text": "a flimsy tent"}', keys["agent"], ctype)
        assert response.status_code == 200 and not response.json()["passed"], (ctype, response.text)
    # the gate's own endpoint also takes a body sent without a Content-Type (older clients)
    response = client.post(
        "/v1/gate/decide", content=json.dumps(spend("10")).encode(), headers=auth(keys["agent"])
    )
    assert response.json()["outcome"] == "allow"
    _problem(client.post("/v1/check", content=b'{"text": "hi"}', headers=auth(keys["agent"])), 415)


# -- errors that leak --------------------------------------------------------------------------------------------


def _break_the_ledger(tmp_path: Path) -> None:
    import sqlite3

    with sqlite3.connect(tmp_path / "gate.db") as db:
        db.execute("ALTER TABLE brandrail_ledger RENAME TO ledger_moved")


def test_a_failing_database_is_a_503_that_shows_nothing_of_it(tmp_path: Path, caplog: Any) -> None:
    """With the ledger table gone, endpoints that read or write it answer 503 with a request id only —
    never the database URL, the table, SQL or the driver's text (those go to the log)."""
    app, private = make_jwt_app(tmp_path)  # JWTs: credentials that need no database
    client = TestClient(app, raise_server_exceptions=False)

    def token(*roles: str) -> str:
        import jwt

        claims = {
            "sub": "maria",
            "iss": "https://idp.example",
            "aud": "brandrail",
            "exp": int(time.time()) + 600,
        }
        return jwt.encode({**claims, "roles": list(roles)}, private, algorithm="RS256", headers={"kid": "k1"})

    approval_id = pending_approval(client, token("agent"))
    _break_the_ledger(tmp_path)
    calls = [
        ("GET", "/v1/ledger/verify", "auditor", None),
        ("POST", "/v1/admin/keys", "admin", {"principal": "x", "roles": ["agent"]}),
        ("POST", f"/v1/approvals/{approval_id}/approve", "reviewer", {"reason": "looks fine"}),
        ("GET", "/metrics", "auditor", None),
    ]
    for method, path, role, body in calls:
        with caplog.at_level("ERROR", logger="brandrail.service"):
            response = client.request(method, path, json=body, headers=auth(token(role)))
        problem = _problem(response, 503, "database-unavailable")
        text = response.text.lower()
        for secret in (
            "brandrail_ledger",
            "sqlite",
            str(tmp_path).lower(),
            "select",
            "insert",
            "no such table",
        ):
            assert secret not in text, (path, response.text)
        assert problem["request_id"] in caplog.text  # the operator finds the details by the id
    decision = client.post("/v1/gate/decide", json=spend("10"), headers=auth(token("agent"))).json()
    assert decision["outcome"] == "deny" and decision["codes"] == ["AG000", "AG006"]  # the gate fails closed
    assert (
        decision["ledger_seq"] is None and decision["extra"]["recorded"] is False
    )  # and says: not on record
    assert "sqlite" not in json.dumps(decision).lower()


def test_errors_carry_no_traceback_and_values_are_not_echoed_into_headers(
    service: tuple[TestClient, dict[str, str]],
) -> None:
    client, keys = service
    nasty = "x%0d%0aSet-Cookie:%20pwned=1"
    for method, path, key in (
        ("GET", f"/v1/approvals/{nasty}", "reviewer"),
        ("DELETE", f"/v1/admin/keys/{nasty}", "admin"),
        ("POST", f"/v1/approvals/{nasty}/approve", "reviewer"),
    ):
        response = client.request(method, path, json={"reason": "fine by me"}, headers=auth(keys[key]))
        _problem(response, 404, "not-found")
        assert "set-cookie" not in response.headers and "pwned" not in "".join(response.headers.values())
        assert "Traceback" not in response.text
    response = client.post(
        "/v1/gate/outcome",
        json={"decision_id": "1' OR '1'='1", "executed": True},
        headers=auth(keys["executor"]),
    )
    assert response.status_code == 400 and "SELECT" not in response.text  # bound parameters: just unknown


# -- roles, ids and replays ---------------------------------------------------------------------------------------


def test_an_agent_cannot_do_a_reviewers_or_an_admins_work(service: tuple[TestClient, dict[str, str]]) -> None:
    client, keys = service
    approval_id = pending_approval(client, keys["agent"])
    agent = auth(keys["agent"])
    for method, path, body in (
        ("POST", f"/v1/approvals/{approval_id}/approve", {"reason": "approving myself"}),
        ("POST", f"/v1/approvals/{approval_id}/reject", {"reason": "nope nope"}),
        ("GET", "/v1/approvals", None),
        ("POST", "/v1/admin/keys", {"principal": "agent-principal", "roles": ["reviewer"]}),
        ("POST", "/v1/gate/outcome", {"decision_id": "x", "executed": True}),
        ("GET", "/v1/decisions", None),
    ):
        _problem(client.request(method, path, json=body, headers=agent), 403, "forbidden")
    answer = client.get(f"/v1/approvals/{approval_id}", headers=auth(keys["reviewer"])).json()
    assert answer["status"] == "pending"


def test_a_reviewer_cannot_answer_its_own_principals_request_by_any_spelling_or_key(tmp_path: Path) -> None:
    """The agent's principal holds a second key with the reviewer role, spelled differently: still refused,
    by id (no IDOR through a second key or a case change)."""
    from brandrail.service.keys import KeyStore

    app, _, _ = make_app(tmp_path)
    client = TestClient(app)
    store = KeyStore(app.state.brandrail["store_url"])
    agent = store.create("Ads-Bot", ["agent"])[0]
    reviewer_twin = store.create("ＡＤＳ-BOT ", ["reviewer"])[0]
    other = store.create("ana", ["reviewer"])[0]
    approval_id = pending_approval(client, agent)
    for verb in ("approve", "reject"):
        problem = _problem(
            client.post(
                f"/v1/approvals/{approval_id}/{verb}",
                json={"reason": "all good"},
                headers=auth(reviewer_twin),
            ),
            400,
        )
        assert "cannot" in problem["detail"]
    done = client.post(
        f"/v1/approvals/{approval_id}/approve", json={"reason": "all good"}, headers=auth(other)
    )
    assert done.json()["status"] == "approved" and done.json()["reviewer"] == "ana"


def test_an_approved_action_replayed_with_changed_fields_is_not_approved(
    service: tuple[TestClient, dict[str, str]],
) -> None:
    client, keys = service
    action = spend("300", campaign="replay")
    first = client.post("/v1/gate/decide", json=action, headers=auth(keys["agent"])).json()
    assert first["outcome"] == "review"
    answered = client.post(
        f"/v1/approvals/{first['approval_id']}/approve",
        json={"reason": "ok for 300"},
        headers=auth(keys["ana"]),
    )
    assert answered.json()["status"] == "approved"
    for changed in ({"amount": "499"}, {"campaign": "other"}, {"description": "and more"}):
        replay = client.post(
            "/v1/gate/decide", json={**action, **changed}, headers=auth(keys["agent"])
        ).json()
        assert not replay["allowed"], (changed, replay)
    # another principal submitting the identical action does not use the approval either
    other = client.post("/v1/gate/decide", json=action, headers=auth(keys["both"])).json()
    assert not other["allowed"]
    # the approval is bound to the arguments, not the id (a retry may carry a new one) — and is used once
    used = client.post(
        "/v1/gate/decide", json={**action, "id": action["id"] + "-retry"}, headers=auth(keys["agent"])
    ).json()
    assert used["allowed"], used
    again = client.post(
        "/v1/gate/decide", json={**action, "id": action["id"] + "-2"}, headers=auth(keys["agent"])
    ).json()
    assert not again["allowed"]  # single use


def _answer_concurrently(client_for: Any, approval_id: str, keys: dict[str, str], n: int) -> list[Any]:
    import threading

    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def run(i: int) -> None:
        client = client_for()
        verb = "approve" if i % 2 == 0 else "reject"
        key = keys["ana"] if i % 2 == 0 else keys["reviewer"]
        barrier.wait()
        results[i] = client.post(
            f"/v1/approvals/{approval_id}/{verb}", json={"reason": f"answer {i}"}, headers=auth(key)
        )

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_concurrent_answers_to_one_approval_exactly_one_wins_on_postgresql(tmp_path: Path) -> None:
    from brandrail import load_policy
    from brandrail.server import ServiceConfig, create_app
    from pg_testlib import pg_schema

    with pg_schema("rt") as url:
        _, policy_file, _ = make_app(tmp_path)
        config = ServiceConfig(policy_path=str(policy_file), gate_store=url)
        apps = [create_app(load_policy(policy_file), config=config) for _ in range(2)]  # two instances
        try:
            keys = keys_for(apps[0])
            clients = [TestClient(app) for app in apps]
            for round_no in range(3):
                action = spend("400", campaign=f"race-{round_no}")
                decided = clients[0].post("/v1/gate/decide", json=action, headers=auth(keys["agent"]))
                approval_id = decided.json()["approval_id"]
                assert decided.json()["outcome"] == "review" and approval_id
                results = _answer_concurrently(partial(TestClient, apps[round_no % 2]), approval_id, keys, 8)
                winners = [r for r in results if r.status_code == 200]
                assert len(winners) == 1, [(r.status_code, r.text[-200:]) for r in results]
                losers = [r for r in results if r.status_code != 200]
                assert all(r.status_code == 400 and "already" in r.json()["detail"] for r in losers)
                final = clients[1].get(f"/v1/approvals/{approval_id}", headers=auth(keys["auditor"])).json()
                assert final["status"] == winners[0].json()["status"]
                assert final["comment"] == winners[0].json()["comment"]
            verify = clients[0].get("/v1/ledger/verify", headers=auth(keys["auditor"])).json()
            assert verify["ok"], verify
            entries = [e for e in _ledger_kinds(apps[0]) if e == "approval"]
            assert len(entries) == 3  # one answer per request on record, not one per attempt
        finally:
            for app in apps:
                gate = app.state.brandrail.get("gate")
                if gate is not None:
                    gate.store.engine.dispose()


def _ledger_kinds(app: Any) -> list[str]:
    ledger = app.state.brandrail["gate"].store.ledger
    return [entry.kind for entry in ledger.entries()]


# -- credentials ------------------------------------------------------------------------------------------------


def test_hostile_jwts_are_refused(tmp_path: Path) -> None:
    import base64

    import jwt

    app, private = make_jwt_app(tmp_path)
    client = TestClient(app)
    now = int(time.time())
    good = {
        "sub": "maria",
        "iss": "https://idp.example",
        "aud": "brandrail",
        "exp": now + 60,
        "roles": ["admin"],
    }

    def signed(headers: dict[str, Any] | None = None, **claims: Any) -> str:
        body = {k: v for k, v in {**good, **claims}.items() if v is not None}
        return jwt.encode(
            body, private, algorithm="RS256", headers=headers if headers is not None else {"kid": "k1"}
        )

    def b64(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    assert client.get("/v1/admin/keys", headers=auth(signed())).status_code == 200
    unsigned = f"{b64({'alg': 'none', 'typ': 'JWT', 'kid': 'k1'})}.{b64(good)}."
    stolen_signature = signed().rsplit(".", 1)[1]
    widened = f"{b64({'alg': 'RS256', 'kid': 'k1'})}.{b64({**good, 'sub': 'root'})}.{stolen_signature}"
    for token in (
        unsigned,
        widened,
        signed(iss="https://evil.example"),
        signed(iss=""),
        signed(aud="other"),
        signed(aud=["other", "more"]),
        signed(exp=now - 1),
        signed(exp=None),
        signed(sub=None),
        signed(nbf=now + 3600),
        signed(headers={"kid": "unknown"}),
    ):
        _problem(client.get("/v1/admin/keys", headers=auth(token)), 401, "unauthorized")
    # no kid: every key of the set is tried, so the signature still decides
    assert client.get("/v1/admin/keys", headers=auth(signed(headers={}))).status_code == 200


def test_jwt_verification_without_issuer_or_audience_is_refused_at_start(tmp_path: Path) -> None:
    from brandrail.errors import UsageError

    make_jwt_app(tmp_path)  # writes jwks.json
    for issuer, audience in (("", "brandrail"), ("https://idp.example", ""), ("  ", " ")):
        with pytest.raises(UsageError, match="issuer and the audience"):
            make_app(tmp_path, jwks=str(tmp_path / "jwks.json"), jwt_issuer=issuer, jwt_audience=audience)


def test_expired_and_revoked_keys_stay_refused_on_every_endpoint(
    service: tuple[TestClient, dict[str, str]],
) -> None:
    from datetime import UTC, datetime, timedelta

    from brandrail.service.keys import KeyStore

    client, keys = service
    store = KeyStore(client.app.state.brandrail["store_url"])  # type: ignore[attr-defined]
    expired = store.create(
        "old-admin", ["admin"], expires_in=timedelta(minutes=1), now=datetime.now(UTC) - timedelta(hours=1)
    )[0]
    revoked = keys["admin"]
    key_id = revoked.split("_")[1]
    assert client.delete(f"/v1/admin/keys/{key_id}", headers=auth(keys["admin"])).status_code == 200
    for key in (expired, revoked, revoked.upper(), revoked + "x", revoked[:-1]):
        for header in (auth(key), {"X-API-Key": key}):
            _problem(client.get("/v1/admin/keys", headers=header), 401, "unauthorized")


# -- limits -----------------------------------------------------------------------------------------------------


def test_the_rate_limit_is_per_principal_whatever_key_or_spelling(tmp_path: Path) -> None:
    from brandrail.service.keys import KeyStore
    from brandrail.service.limits import Limits

    app, _, _ = make_app(tmp_path, limits=Limits(rate_per_s=0.001, burst=4))
    client = TestClient(app)
    store = KeyStore(app.state.brandrail["store_url"])
    rotated = [store.create(name, ["agent"])[0] for name in ("bot", "BOT", "b\u200bot", "ｂｏｔ", "Bot ")]
    statuses = [client.get("/v1/rules", headers=auth(key)).status_code for key in rotated]
    assert statuses == [200] * 4 + [429], statuses


def test_open_endpoints_leak_nothing_but_versions(service: tuple[TestClient, dict[str, str]]) -> None:
    client, keys = service
    pending_approval(client, keys["agent"])
    for path in ("/healthz", "/readyz"):
        body = client.get(path).json()
        assert set(body) <= {"status", "policy_version", "version", "checks"}, body
    for path in ("/metrics", "/v1/decisions", "/v1/approvals", "/v1/ledger/verify", "/v1/admin/sessions"):
        _problem(client.get(path), 401, "unauthorized")
    for path in (
        "/static/../server.py",
        "/static/%2e%2e/server.py",
        "/static/..%2f..%2fserver.py",
        "/static/swagger/../../server.py",
    ):
        response = client.get(path)
        assert response.status_code == 404 and "create_app" not in response.text, path


def test_a_malformed_action_is_not_echoed_with_its_personal_data(
    service: tuple[TestClient, dict[str, str]], tmp_path: Path
) -> None:
    """The deny names the field and what it should be, never the value: an e-mail or phone number put in a
    wrong field reaches neither the answer, the decisions an auditor reads, nor the ledger."""
    import sqlite3

    client, keys = service
    for extra in (
        {"amount": "jane.doe@example.com"},
        {"campaign": {"email": "jane.doe@example.com"}},
        {"time": "jane.doe@example.com +44 20 7946 0958"},
    ):
        decision = client.post("/v1/gate/decide", json={**spend("10"), **extra}, headers=auth(keys["agent"]))
        assert decision.json()["codes"] == ["AG001"]
        assert "jane" not in decision.text and "7946" not in decision.text
    listed = client.get("/v1/decisions", headers=auth(keys["auditor"])).text
    assert "jane" not in listed and "7946" not in listed
    with sqlite3.connect(tmp_path / "gate.db") as db:
        rows = [str(row) for row in db.execute("SELECT * FROM brandrail_ledger")]
    assert rows and not any("jane" in row or "7946" in row for row in rows)


def test_an_error_quotes_the_start_of_what_was_sent_not_all_of_it(
    service: tuple[TestClient, dict[str, str]],
) -> None:
    """An unknown channel or metadata key is named in the problem — its start, not a megabyte echoed back."""
    client, keys = service
    too_long = _problem(
        client.post("/v1/check", json={"text": "hi", "channel": "x" * 100_000}, headers=auth(keys["agent"])),
        413,
    )
    assert too_long["errors"][0]["field"] == "channel"
    huge_key = "k" * 1_000_000
    response = client.post(
        "/v1/check", json={"text": "hi", "metadata": {huge_key: 1}}, headers=auth(keys["agent"])
    )
    problem = _problem(response, 400)
    assert len(response.content) < 5_000
    assert problem["detail"].startswith("unknown metadata field 'kkk") and "1,000,0" in problem["detail"]
    unknown = _problem(
        client.post("/v1/check", json={"text": "hi", "channel": "y" * 200}, headers=auth(keys["agent"])), 400
    )
    assert "y" * 200 in unknown["detail"]  # a short value is quoted whole
