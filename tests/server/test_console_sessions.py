"""Reviewer console sessions: server-side, bound to the key, CSRF on every form, expiring, shared on PostgreSQL.

Each test plays the attacker's part where there is one: a copied cookie, a forged or replayed form, a revoked
key, a browser left alone, a guessed key after another.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from server_testlib import (
    auth,
    console_login,
    form_value,
    keys_for,
    make_app,
    make_jwt_app,
    pending_approval,
)

pytestmark = pytest.mark.extras

COOKIE = "brandrail_session"


def _client(app: Any, **options: Any) -> Any:
    from fastapi.testclient import TestClient

    return TestClient(app, raise_server_exceptions=False, **options)


def _signed_in(client: Any, key: str) -> str:
    """Sign in; the session cookie's value."""
    response = console_login(client, key)
    assert response.status_code == 303, response.text
    value: str = client.cookies.get(COOKIE)
    assert value
    return value


def _status(client: Any, keys: dict[str, str], approval_id: str) -> str:
    status: str = client.get(f"/v1/approvals/{approval_id}", headers=auth(keys["ana"])).json()["status"]
    return status


def _set_cookies(response: Any) -> list[str]:
    return [v for k, v in response.headers.multi_items() if k.lower() == "set-cookie"]


def _plant(client: Any, value: str, name: str = COOKIE) -> None:
    """Put a cookie in a client's jar as if the server had set it (the domain TestClient's cookies get)."""
    client.cookies.set(name, value, domain="testserver.local", path="/console")


def _rows(app: Any) -> list[Any]:
    store = app.state.brandrail["console_sessions"]
    with store.engine.connect() as conn:
        return list(conn.execute(sa.text("SELECT * FROM console_sessions")).mappings())


class _Clock:
    """The session store's clock, moved by hand."""

    def __init__(self, app: Any) -> None:
        self.now = datetime.now(UTC)
        app.state.brandrail["console_sessions"].clock = lambda: self.now

    def move(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def test_the_cookie_holds_a_random_session_id_never_the_key(tmp_path: Path) -> None:
    app, _, _ = make_app(tmp_path)
    keys = keys_for(app)
    client = _client(app)
    approval_id = pending_approval(client, keys["agent"])
    secret = keys["ana"].rsplit("_", 1)[1]
    page = client.get("/console/login")
    signed = console_login(client, keys["ana"])
    assert signed.status_code == 303
    cookie = client.cookies.get(COOKIE)
    assert cookie and len(cookie) >= 43 and keys["ana"] not in cookie and secret not in cookie
    header = next(h for h in _set_cookies(signed) if h.startswith(f"{COOKIE}="))
    attributes = {a.strip().split("=")[0].lower(): a.strip() for a in header.split(";")[1:]}
    assert "httponly" in attributes and attributes["samesite"].lower() == "samesite=strict"
    assert attributes["path"] == "Path=/console" and "secure" not in attributes  # plain HTTP: local use
    # the store keeps the id's hash, never the id, and names the key that opened it
    (row,) = _rows(app)
    assert row["id_sha256"] == hashlib.sha256(cookie.encode()).hexdigest()
    assert cookie not in str(dict(row)) and row["principal"] == "ana"
    assert keys["ana"].startswith(f"brk_{row['key_id']}_")
    # nothing the console sends back carries the key or its secret: not a page, not a header, not a cookie
    responses = [page, signed]
    responses += [client.get(p) for p in ("/console", "/console/history", "/console/ledger")]
    responses.append(client.get(f"/console/approvals/{approval_id}"))
    responses.append(console_login(client, keys["ana"] + "x"))  # a failed sign-in re-shows the form
    for response in responses:
        everything = response.text + " ".join(f"{k}: {v}" for k, v in response.headers.multi_items())
        assert keys["ana"] not in everything and secret not in everything, response.url


def test_over_https_the_cookie_is_host_prefixed_secure_and_the_plain_one_is_ignored(tmp_path: Path) -> None:
    app, _, _ = make_app(tmp_path)
    keys = keys_for(app)
    client = _client(app, base_url="https://testserver")
    signed = console_login(client, keys["ana"])
    header = next(h for h in _set_cookies(signed) if h.startswith(f"__Host-{COOKIE}="))
    attributes = [a.strip().lower() for a in header.split(";")[1:]]
    assert (
        "secure" in attributes
        and "path=/" in attributes
        and not any(a.startswith("domain") for a in attributes)
    )
    assert client.get("/console", follow_redirects=False).status_code == 200
    # a cookie without the prefix (which any sibling domain could have set) does not sign anyone in over HTTPS
    session_id = client.cookies.get(f"__Host-{COOKIE}")
    other = _client(app, base_url="https://testserver")
    _plant(other, session_id)
    assert other.get("/console", follow_redirects=False).status_code == 303


def test_a_cookie_stolen_before_sign_out_is_refused_after_it(tmp_path: Path) -> None:
    app, _, _ = make_app(tmp_path)
    keys = keys_for(app)
    victim = _client(app)
    stolen = _signed_in(victim, keys["ana"])
    thief = _client(app)
    _plant(thief, stolen)
    assert (
        thief.get("/console", follow_redirects=False).status_code == 200
    )  # it works while the session lives
    csrf = form_value(victim.get("/console").text, "csrf")
    out = victim.post("/console/logout", data={"csrf": csrf}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/console/login"
    assert _rows(app) == []  # ended server-side, not just forgotten by the browser
    refused = thief.get("/console", follow_redirects=False)
    assert refused.status_code == 303 and refused.headers["location"].startswith("/console/login")
    assert (
        thief.get(
            f"/console/approvals/{pending_approval(victim, keys['agent'])}", follow_redirects=False
        ).status_code
        == 303
    )


def test_sign_out_needs_the_sessions_token(tmp_path: Path) -> None:
    """A cross-site form cannot sign a reviewer out (nor learn anything by trying)."""
    app, _, _ = make_app(tmp_path)
    keys = keys_for(app)
    client = _client(app)
    _signed_in(client, keys["ana"])
    for data in ({}, {"csrf": ""}, {"csrf": "0" * 43}):
        refused = client.post("/console/logout", data=data, follow_redirects=False)
        assert refused.status_code == 403 and "still signed in" in refused.text
    assert len(_rows(app)) == 1 and client.get("/console", follow_redirects=False).status_code == 200


def test_a_revoked_key_ends_its_sessions_at_once(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from brandrail.service.keys import KeyStore

    app, _, _ = make_app(tmp_path)
    keys = keys_for(app)
    client = _client(app)
    _signed_in(client, keys["ana"])
    other = _client(app)
    _signed_in(other, keys["auditor"])
    assert client.get("/console", follow_redirects=False).status_code == 200
    key_id = keys["ana"].split("_")[1]
    KeyStore(app.state.brandrail["store_url"]).revoke(key_id)
    with caplog.at_level(logging.INFO, logger="brandrail.service"):
        refused = client.get("/console", follow_redirects=False)
    assert refused.status_code == 303 and refused.headers["location"].startswith("/console/login")
    assert [r["key_id"] for r in _rows(app)] == [keys["auditor"].split("_")[1]]  # only ana's session ended
    ended = [r for r in caplog.records if getattr(r, "event", None) == "console_session_ended"]
    assert [(r.principal, r.reason) for r in ended] == [("ana", "key no longer valid")]  # type: ignore[attr-defined]
    assert other.get("/console", follow_redirects=False).status_code == 200


def test_a_key_past_its_expiry_or_edited_in_the_table_ends_its_session(tmp_path: Path) -> None:
    from brandrail.service.keys import KeyStore, api_keys

    app, _, _ = make_app(tmp_path, console_idle_s=6 * 3600)
    store = KeyStore(app.state.brandrail["store_url"])
    expiring, _ = store.create("maria", ["reviewer"], expires_in=timedelta(hours=1))
    client = _client(app)
    _signed_in(client, expiring)
    clock = _Clock(app)
    clock.move(minutes=50)
    assert client.get("/console", follow_redirects=False).status_code == 200
    clock.move(minutes=20)  # the key expired; the session itself had hours left
    assert client.get("/console", follow_redirects=False).status_code == 303

    # roles are the key's as they stand: a row edited to drop the reviewer role (or widen it) stops the session
    widened, record = store.create("jo", ["reviewer"])
    client = _client(app)
    _signed_in(client, widened)
    with store.engine.begin() as conn:
        conn.execute(api_keys.update().where(api_keys.c.key_id == record.key_id).values(roles="agent"))
    assert client.get("/console", follow_redirects=False).status_code == 303
    assert console_login(_client(app), widened).status_code == 401


def test_a_session_whose_key_lost_the_reviewer_and_auditor_roles_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever the key store answers now decides: a principal that is no longer a reviewer or auditor is out."""
    from brandrail.gate.principal import Principal
    from brandrail.service.keys import KeyStore

    app, _, _ = make_app(tmp_path)
    keys = keys_for(app)
    client = _client(app)
    _signed_in(client, keys["ana"])
    monkeypatch.setattr(
        KeyStore, "principal_of", lambda self, key_id, now=None: Principal("ana", frozenset({"agent"}))
    )
    assert client.get("/console", follow_redirects=False).status_code == 303
    assert _rows(app) == []


@pytest.mark.parametrize("verb", ["approve", "reject"])
@pytest.mark.parametrize("token", [None, "", "wrong", "other-session"])
def test_answer_forms_without_the_sessions_token_are_403(
    tmp_path: Path, verb: str, token: str | None
) -> None:
    app, _, _ = make_app(tmp_path)
    keys = keys_for(app)
    client = _client(app)
    approval_id = pending_approval(client, keys["agent"])
    _signed_in(client, keys["ana"])
    data = {"reason": "looks fine to me"}
    if token == "other-session":  # a real token, of another reviewer's session
        other = _client(app)
        _signed_in(other, keys["reviewer"])
        data["csrf"] = form_value(other.get(f"/console/approvals/{approval_id}").text, "csrf")
    elif token is not None:
        data["csrf"] = token
    answered = client.post(f"/console/approvals/{approval_id}/{verb}", data=data, follow_redirects=False)
    assert answered.status_code == 403 and "nothing was answered" in answered.text
    assert answered.headers["content-type"].startswith("text/html")
    assert _status(client, keys, approval_id) == "pending"
    # the page's own token answers
    data["csrf"] = form_value(client.get(f"/console/approvals/{approval_id}").text, "csrf")
    done = client.post(f"/console/approvals/{approval_id}/{verb}", data=data, follow_redirects=False)
    assert done.status_code == 303 and "done=" in done.headers["location"]
    assert _status(client, keys, approval_id) == ("approved" if verb == "approve" else "rejected")


def test_every_form_of_a_page_carries_the_sessions_token(tmp_path: Path) -> None:
    app, _, _ = make_app(tmp_path)
    keys = keys_for(app)
    client = _client(app)
    approval_id = pending_approval(client, keys["agent"])
    _signed_in(client, keys["ana"])
    html = client.get(f"/console/approvals/{approval_id}").text
    posts = html.count('method="post"')
    assert posts == 4  # approve, reject, sign out, sign out everywhere
    token = form_value(html, "csrf")
    assert html.count(f'name="csrf" value="{token}"') == posts
    assert token not in client.cookies.get(COOKIE)


@pytest.mark.parametrize("case", ["no token", "no cookie", "another nonce", "forged", "expired"])
def test_sign_in_without_the_forms_token_is_403(tmp_path: Path, case: str) -> None:
    """Login CSRF: a cross-site form cannot sign the victim in as the attacker."""
    app, _, _ = make_app(tmp_path)
    keys = keys_for(app)
    client = _client(app)
    token = form_value(client.get("/console/login").text, "login_token")
    data = {"key": keys["ana"], "next": "/console", "login_token": token}
    if case == "no token":
        del data["login_token"]
    elif case == "no cookie":
        client.cookies.clear()
    elif case == "another nonce":
        other = _client(app)
        data["login_token"] = form_value(other.get("/console/login").text, "login_token")
    elif case == "forged":
        issued = token.split(".")[0]
        data["login_token"] = (
            f"{issued}.{hashlib.sha256(client.cookies.get('brandrail_login').encode()).hexdigest()}"
        )
    else:
        _Clock(app).move(hours=2)
    refused = client.post("/console/login", data=data, follow_redirects=False)
    assert refused.status_code == 403 and "security token is missing or wrong" in refused.text
    assert COOKIE not in client.cookies and _rows(app) == []


def test_sign_in_rotates_the_session_id(tmp_path: Path) -> None:
    """No fixation: an id the browser brings (planted, or its previous session) is never the one signed in."""
    app, _, _ = make_app(tmp_path)
    keys = keys_for(app)
    client = _client(app)
    planted = "A" * 43
    _plant(client, planted)
    first = _signed_in(client, keys["ana"])
    assert first != planted
    second = _signed_in(client, keys["reviewer"])
    assert second != first
    assert [r["principal"] for r in _rows(app)] == ["reviewer-principal"]  # the replaced session is gone
    old = _client(app)
    _plant(old, first)
    assert old.get("/console", follow_redirects=False).status_code == 303


def test_idle_and_absolute_expiry(tmp_path: Path) -> None:
    app, _, _ = make_app(tmp_path, console_idle_s=30 * 60, console_session_s=2 * 3600)
    keys = keys_for(app)
    client = _client(app)
    _signed_in(client, keys["ana"])
    clock = _Clock(app)
    # in use every 20 minutes: alive well past the idle timeout…
    for _ in range(5):
        clock.move(minutes=20)
        assert client.get("/console", follow_redirects=False).status_code == 200
    clock.move(minutes=19)  # 1 h 59 min after sign-in
    assert client.get("/console", follow_redirects=False).status_code == 200
    clock.move(minutes=2)  # …but never past the absolute lifetime
    assert client.get("/console", follow_redirects=False).status_code == 303
    assert _rows(app) == []

    _signed_in(client, keys["ana"])
    clock.move(minutes=29)
    assert client.get("/console", follow_redirects=False).status_code == 200
    clock.move(minutes=31)  # 31 minutes unused
    assert client.get("/console", follow_redirects=False).status_code == 303


def test_failed_sign_ins_are_limited_per_client_and_recorded(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app, _, _ = make_app(tmp_path, console_login_failures=3)
    keys = keys_for(app)
    attacker = _client(app, client=("203.0.113.9", 40000))
    with caplog.at_level(logging.INFO, logger="brandrail.service"):
        for guess in ("brk_000000000000_guess", "not a key", keys["ana"][:-1]):
            assert console_login(attacker, guess).status_code == 401
        limited = console_login(attacker, keys["ana"])  # even the right key waits: no more guesses
        assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
        assert "Too many failed sign-ins" in limited.text and COOKIE not in attacker.cookies
        reviewer = _client(app, client=("198.51.100.7", 40000))  # another address is not held up
        assert console_login(reviewer, keys["ana"]).status_code == 303
        csrf = form_value(reviewer.get("/console").text, "csrf")
        reviewer.post("/console/logout", data={"csrf": csrf})
    console = [r for r in caplog.records if str(getattr(r, "event", "")).startswith("console_")]
    signs = [(vars(r)["event"], getattr(r, "reason", None), vars(r)["client"]) for r in console]
    assert signs == [
        ("console_sign_in_failed", "invalid key", "203.0.113.9"),
        ("console_sign_in_failed", "invalid key", "203.0.113.9"),
        ("console_sign_in_failed", "invalid key", "203.0.113.9"),
        ("console_sign_in_failed", "too many failed sign-ins", "203.0.113.9"),
        ("console_sign_in", None, "198.51.100.7"),
        ("console_sign_out", None, "198.51.100.7"),
    ]
    logged = " ".join(str(vars(r)) for r in caplog.records)
    assert keys["ana"] not in logged and keys["ana"][:-1] not in logged
    metrics = reviewer.get("/metrics", headers=auth(keys["auditor"])).text
    assert 'brandrail_console_sign_ins_total{result="invalid"} 3.0' in metrics
    assert 'brandrail_console_sign_ins_total{result="limited"} 1.0' in metrics


def test_a_jwt_does_not_sign_in_to_the_console(tmp_path: Path) -> None:
    """A session is re-checked through its key on every request; a bearer token cannot be, so it is refused."""
    import time

    import jwt

    app, private = make_jwt_app(tmp_path)
    claims = {"sub": "maria", "iss": "https://idp.example", "aud": "brandrail", "exp": int(time.time()) + 60}
    token = jwt.encode({**claims, "roles": ["reviewer"]}, private, algorithm="RS256", headers={"kid": "k1"})
    client = _client(app)
    refused = console_login(client, token)
    assert refused.status_code == 401 and "signs in with an API key" in refused.text
    assert COOKIE not in client.cookies


@pytest.mark.postgres
def test_sessions_are_shared_by_instances_on_postgresql(tmp_path: Path) -> None:
    from brandrail import load_policy
    from brandrail.server import ServiceConfig, create_app
    from brandrail.service.keys import KeyStore
    from pg_testlib import drop_pg_schema, new_pg_url, pg_available

    if not pg_available():
        pytest.skip("PostgreSQL not reachable at 127.0.0.1:5432")
    url, schema = new_pg_url("cs")
    policy_file = tmp_path / "brandrail.yaml"
    _, policy_file, _ = make_app(tmp_path)  # writes the policy file
    try:
        config = ServiceConfig(policy_path=str(policy_file), gate_store=url)
        one = create_app(load_policy(policy_file), config=config)
        two = create_app(load_policy(policy_file), config=config)
        store = KeyStore(url)
        ana = store.create("ana", ["reviewer"])[0]
        agent = store.create("ads-bot", ["agent"])[0]
        a, b = _client(one), _client(two)
        approval_id = pending_approval(a, agent)
        # the sign-in form served by one instance is accepted by the other (one secret, in the database)
        token = form_value(a.get("/console/login").text, "login_token")
        _plant(b, a.cookies.get("brandrail_login"), "brandrail_login")
        signed = b.post("/console/login", data={"key": ana, "login_token": token}, follow_redirects=False)
        assert signed.status_code == 303
        _plant(a, b.cookies.get(COOKIE))
        # the session opened on two answers on one, with the same form token
        page = a.get(f"/console/approvals/{approval_id}")
        assert page.status_code == 200 and "signed in as" in page.text
        csrf = form_value(page.text, "csrf")
        assert csrf == form_value(b.get(f"/console/approvals/{approval_id}").text, "csrf")
        answered = a.post(
            f"/console/approvals/{approval_id}/approve",
            data={"reason": "fine", "csrf": csrf},
            follow_redirects=False,
        )
        assert answered.status_code == 303 and "done=approved" in answered.headers["location"]
        # signing out on one ends it on two
        assert b.post("/console/logout", data={"csrf": csrf}, follow_redirects=False).status_code == 303
        assert a.get("/console", follow_redirects=False).status_code == 303
        # a revocation made through one instance ends a session on the other
        a.cookies.clear()
        _signed_in(a, ana)
        b.cookies.clear()
        _plant(b, a.cookies.get(COOKIE))
        assert b.get("/console", follow_redirects=False).status_code == 200
        admin = store.create("root", ["admin"])[0]
        assert a.delete(f"/v1/admin/keys/{ana.split('_')[1]}", headers=auth(admin)).status_code == 200
        assert b.get("/console", follow_redirects=False).status_code == 303
        for app in (one, two):
            app.state.brandrail["gate"].store.engine.dispose()
        store.engine.dispose()
    finally:
        drop_pg_schema(schema)


def test_without_authentication_the_session_is_the_local_principals(tmp_path: Path) -> None:
    """``--no-auth`` (loopback only): any sign-in is the local principal, still through a session and tokens."""
    app, _, _ = make_app(tmp_path, auth="none")
    client = _client(app)
    assert client.post("/console/login", data={"key": "x"}, follow_redirects=False).status_code == 403
    assert console_login(client, "anything").status_code == 303
    assert [(r["key_id"], r["principal"]) for r in _rows(app)] == [(None, "local")]
    assert "signed in as" in client.get("/console").text
