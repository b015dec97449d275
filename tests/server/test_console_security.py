"""What a security reviewer asks of the console: one sign-in limit for every worker (raced for real on
PostgreSQL), ending sessions everywhere (CLI, admin API, the console's own button — each in the ledger),
client addresses only from trusted proxies, and the headers of every console response."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from server_testlib import auth, console_login, form_value, keys_for, make_app
from typer.testing import CliRunner

from brandrail.cli import app as cli
from brandrail.ledger import Ledger
from brandrail.service.attempts import Attempt, Locked, SignInLimiter
from pg_testlib import pg_schema

pytestmark = pytest.mark.extras

COOKIE = "brandrail_session"


def _client(app: Any, **options: Any) -> Any:
    from fastapi.testclient import TestClient

    return TestClient(app, raise_server_exceptions=False, **options)


def _signed_in(app: Any, key: str, address: str = "192.0.2.10") -> Any:
    client = _client(app, client=(address, 40000))
    response = console_login(client, key)
    assert response.status_code == 303, response.text
    return client


def _ended_entries(url_or_engine: Any) -> list[dict[str, Any]]:
    ledger = Ledger(url_or_engine) if isinstance(url_or_engine, sa.Engine) else Ledger.from_url(url_or_engine)
    return [e.payload for e in ledger.entries() if e.kind == "console_sessions_ended"]


class _Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


# -- the shared sign-in limit ----------------------------------------------------------------------------------


def test_the_limit_counts_failures_in_a_sliding_window_and_says_when_one_more_is_counted(
    tmp_path: Path,
) -> None:
    clock = _Clock()
    limiter = SignInLimiter(
        sa.create_engine(f"sqlite:///{tmp_path / 'a.db'}"), limit=3, window=timedelta(minutes=15), clock=clock
    )
    for minute in (0, 4, 8):
        clock.now = datetime(2026, 3, 1, 9, minute, tzinfo=UTC)
        assert isinstance(limiter.attempt([("client", "203.0.113.9")]), Attempt)
    clock.now = datetime(2026, 3, 1, 9, 10, tzinfo=UTC)
    refused = limiter.attempt([("client", "203.0.113.9")])
    # the failure of 9:00 leaves the window at 9:15: five minutes from now
    assert refused == Locked("client", "203.0.113.9", 300)
    assert limiter.counted("client", "203.0.113.9") == 3  # a refusal is not counted
    assert isinstance(limiter.attempt([("client", "198.51.100.7")]), Attempt)  # another subject is free
    clock.now = datetime(2026, 3, 1, 9, 15, 1, tzinfo=UTC)
    assert isinstance(limiter.attempt([("client", "203.0.113.9")]), Attempt)
    again = limiter.attempt([("client", "203.0.113.9")])
    assert isinstance(again, Locked) and again.retry_after == 239  # 9:04 leaves at 9:19:00


def test_a_forgiven_attempt_is_not_counted_and_a_lock_on_one_subject_uncounts_the_others(
    tmp_path: Path,
) -> None:
    limiter = SignInLimiter(sa.create_engine(f"sqlite:///{tmp_path / 'a.db'}"), limit=2)
    ok = limiter.attempt([("client", "a"), ("key", "k1")])
    assert isinstance(ok, Attempt) and len(ok.ids) == 2
    limiter.forgive(ok)
    assert limiter.counted("client", "a") == limiter.counted("key", "k1") == 0
    for address in ("b", "c"):
        assert isinstance(limiter.attempt([("client", address), ("key", "k1")]), Attempt)
    locked = limiter.attempt([("client", "d"), ("key", "k1")])
    assert isinstance(locked, Locked) and locked.scope == "key" and locked.subject == "k1"
    assert limiter.counted("client", "d") == 0  # refused before its key was checked: nothing stays


@pytest.fixture
def pg_url() -> Iterator[str]:
    with pg_schema("cl") as url:
        yield url


def test_racing_attempts_from_two_instances_on_postgresql_get_at_most_the_limit(pg_url: str) -> None:
    """16 threads over two engines (two instances) race one subject; at most 5 may get their key checked.
    (16, not more: each thread holds a connection, and the server's are shared with the rest of the run.)"""
    engines = [sa.create_engine(pg_url, pool_size=8, max_overflow=0) for _ in range(2)]
    limiters = [SignInLimiter(engine, limit=5) for engine in engines]
    start = threading.Barrier(16)
    results: list[Attempt | Locked] = []
    guard = threading.Lock()

    def attempt(i: int) -> None:
        start.wait()
        found = limiters[i % 2].attempt([("client", "203.0.113.9")])
        with guard:
            results.append(found)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    granted = [r for r in results if isinstance(r, Attempt)]
    assert len(results) == 16
    # never more than the limit; when every attempt writes its row before any counts, all may be refused
    # (the limiter errs towards refusing), so no lower bound holds
    assert len(granted) <= 5
    assert limiters[0].counted("client", "203.0.113.9") == len(granted)  # refused ones left nothing
    assert all(r.retry_after > 0 for r in results if isinstance(r, Locked))
    for engine in engines:
        engine.dispose()


def test_the_sign_in_limit_is_shared_by_two_instances_on_postgresql(tmp_path: Path, pg_url: str) -> None:
    from brandrail import load_policy
    from brandrail.server import ServiceConfig, create_app
    from brandrail.service.keys import KeyStore

    _, policy_file, _ = make_app(tmp_path)
    config = ServiceConfig(policy_path=str(policy_file), gate_store=pg_url, console_login_failures=4)
    apps = [create_app(load_policy(policy_file), config=config) for _ in range(2)]
    store = KeyStore(pg_url)
    ana = store.create("ana", ["reviewer"])[0]
    clients = [_client(app, client=("203.0.113.9", 40000)) for app in apps]
    statuses = [console_login(clients[i % 2], f"brk_{i:012d}_guess").status_code for i in range(10)]
    assert statuses == [401] * 4 + [429] * 6  # per worker, it would have been 4 on each
    limited = console_login(clients[1], ana)  # even the right key waits
    assert limited.status_code == 429 and 0 < int(limited.headers["Retry-After"]) <= 900
    assert "Too many failed sign-ins from your address" in limited.text
    for app in apps:
        app.state.brandrail["gate"].store.engine.dispose()
    store.engine.dispose()


def test_guesses_at_one_key_from_many_addresses_are_limited_per_key(tmp_path: Path) -> None:
    app, _, _ = make_app(tmp_path, console_login_failures=3)
    keys = keys_for(app)
    ana = keys["ana"]
    key_id = ana.split("_")[1]
    for i in range(3):
        guesser = _client(app, client=(f"203.0.113.{i + 1}", 40000))
        assert console_login(guesser, f"brk_{key_id}_wrong{i}").status_code == 401
    fresh = _client(app, client=("203.0.113.99", 40000))
    limited = console_login(fresh, ana)
    assert limited.status_code == 429 and f"for key {key_id}" in limited.text
    # another key from the same fresh address is not held up: the refusal counted nothing against it
    assert console_login(fresh, keys["reviewer"]).status_code == 303


def test_a_database_error_while_counting_refuses_the_sign_in(tmp_path: Path) -> None:
    app, _, _ = make_app(tmp_path)
    keys = keys_for(app)
    client = _client(app)
    assert console_login(client, keys["ana"]).status_code == 303  # the limiter exists now
    client.cookies.clear()
    limiter = app.state.brandrail["console_sign_in_attempts"]
    with limiter.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE console_sign_in_attempts"))
    refused = console_login(client, keys["ana"])
    assert refused.status_code == 503 and COOKIE not in client.cookies
    assert "nothing was checked" in refused.text


# -- ending sessions -------------------------------------------------------------------------------------------


def test_the_cli_ends_a_principals_or_a_keys_or_every_session_and_records_it(tmp_path: Path) -> None:
    app, _, store = make_app(tmp_path)
    keys = keys_for(app)
    ana, other = _signed_in(app, keys["ana"]), _signed_in(app, keys["reviewer"])
    ana2 = _signed_in(app, keys["ana"])
    for browser in (ana, other, ana2):
        assert browser.get("/console", follow_redirects=False).status_code == 200

    ended = CliRunner().invoke(
        cli, ["sessions", "end", "--principal", "ANA", "--reason", "laptop stolen", "--db", store]
    )
    assert ended.exit_code == 0, ended.output
    assert "ended 2 console sessions" in ended.output
    assert ana.get("/console", follow_redirects=False).status_code == 303
    assert ana2.get("/console", follow_redirects=False).status_code == 303
    assert other.get("/console", follow_redirects=False).status_code == 200

    listed = CliRunner().invoke(cli, ["sessions", "list", "--db", store, "--format", "json"])
    assert listed.exit_code == 0 and '"principal": "reviewer-principal"' in listed.output
    key_id = keys["reviewer"].split("_")[1]
    assert CliRunner().invoke(cli, ["sessions", "end", "--key", key_id, "--db", store]).exit_code == 0
    assert other.get("/console", follow_redirects=False).status_code == 303

    again = _signed_in(app, keys["ana"])
    assert CliRunner().invoke(cli, ["sessions", "end", "--all", "--db", store]).exit_code == 0
    assert again.get("/console", follow_redirects=False).status_code == 303

    recorded = _ended_entries(store)
    assert [(e["scope"], e["principal"], e["key_id"], e["ended"]) for e in recorded] == [
        ("matching", "ana", None, 2),
        ("matching", None, key_id, 1),
        ("all", None, None, 1),
    ]
    assert recorded[0]["reason"] == "laptop stolen" and recorded[0]["by"].startswith("cli")
    assert Ledger.from_url(store).verify()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        ([], "say which sessions to end"),
        (["--all", "--principal", "ana"], "say which sessions to end"),
        (["--key", "not a key id"], "is not a key id"),
    ],
)
def test_the_cli_refuses_an_unclear_end_with_exit_2(tmp_path: Path, args: list[str], says: str) -> None:
    store = f"sqlite:///{tmp_path / 'gate.db'}"
    result = CliRunner().invoke(cli, ["sessions", "end", *args, "--db", store])
    assert result.exit_code == 2, result.output
    assert says in result.output


def test_an_admin_ends_sessions_over_the_api_and_it_is_in_the_ledger(tmp_path: Path) -> None:
    app, _, store = make_app(tmp_path)
    keys = keys_for(app)
    ana = _signed_in(app, keys["ana"])
    api = _client(app)
    assert (
        api.post("/v1/admin/sessions/end", json={"all": True}, headers=auth(keys["reviewer"])).status_code
        == 403
    )
    assert api.post("/v1/admin/sessions/end", json={}, headers=auth(keys["admin"])).status_code == 422
    listed = api.get("/v1/admin/sessions", headers=auth(keys["admin"])).json()["sessions"]
    assert [s["principal"] for s in listed] == ["ana"]
    assert ana.cookies.get(COOKIE) not in str(listed)  # never a session id
    done = api.post(
        "/v1/admin/sessions/end", json={"principal": "ana", "reason": "left"}, headers=auth(keys["admin"])
    )
    assert done.status_code == 200 and done.json()["ended"] == 1
    assert ana.get("/console", follow_redirects=False).status_code == 303
    (entry,) = _ended_entries(store)
    assert entry["by"] == "admin-principal" and entry["principal"] == "ana" and entry["reason"] == "left"


def test_sign_out_everywhere_ends_every_session_of_the_signed_in_principal_only(tmp_path: Path) -> None:
    app, _, store = make_app(tmp_path)
    keys = keys_for(app)
    here, there = _signed_in(app, keys["ana"]), _signed_in(app, keys["ana"], "198.51.100.7")
    bystander = _signed_in(app, keys["reviewer"])
    forged = here.post("/console/logout-everywhere", data={"csrf": "x" * 43}, follow_redirects=False)
    assert forged.status_code == 403
    assert there.get("/console", follow_redirects=False).status_code == 200
    csrf = form_value(here.get("/console").text, "csrf")
    out = here.post("/console/logout-everywhere", data={"csrf": csrf}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/console/login"
    for browser in (here, there):
        assert browser.get("/console", follow_redirects=False).status_code == 303
    assert bystander.get("/console", follow_redirects=False).status_code == 200
    (entry,) = _ended_entries(store)
    assert (entry["principal"], entry["by"], entry["ended"]) == ("ana", "ana", 2)


# -- client addresses behind proxies ---------------------------------------------------------------------------


def _fail_twice_then_status(app: Any, via: tuple[str, int], forwarded: str | None) -> int:
    client = _client(app, client=via)
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    client.headers.update(headers)
    for _ in range(2):  # not key-shaped: counted against the address only
        assert console_login(client, "not a key").status_code in (401, 429)
    return int(console_login(client, "not a key").status_code)


def test_only_a_trusted_proxy_sets_the_client_address(tmp_path: Path) -> None:
    app, _, _ = make_app(tmp_path, console_login_failures=2, trusted_proxies=("10.0.0.0/8",))
    proxy = ("10.1.2.3", 40000)
    # two clients behind the proxy are two addresses: each has its own limit
    assert _fail_twice_then_status(app, proxy, "203.0.113.1") == 429
    assert _fail_twice_then_status(app, proxy, "203.0.113.2") == 429
    limiter = app.state.brandrail["console_sign_in_attempts"]
    assert limiter.counted("client", "203.0.113.1") == limiter.counted("client", "203.0.113.2") == 2
    assert limiter.counted("client", "10.1.2.3") == 0
    # a client's own X-Forwarded-For entries are left of the proxy's: the rightmost untrusted one counts
    assert _fail_twice_then_status(app, proxy, "198.51.100.50, 203.0.113.3, 10.9.9.9") == 429
    assert limiter.counted("client", "203.0.113.3") == 2 and limiter.counted("client", "198.51.100.50") == 0
    # junk nearest the proxy: the proxy's own address stands, never the junk
    _fail_twice_then_status(app, proxy, "203.0.113.4, not-an-ip")
    assert limiter.counted("client", "10.1.2.3") == 2
    # from anyone else the header is ignored: a new spoofed address per try gets no new limit
    direct = _client(app, client=("192.0.2.77", 40000))
    statuses = []
    for i in range(4):
        direct.headers["X-Forwarded-For"] = f"203.0.113.{100 + i}"
        statuses.append(console_login(direct, "not a key").status_code)
    assert statuses == [401, 401, 429, 429]
    assert limiter.counted("client", "192.0.2.77") == 2


def test_the_scheme_comes_from_a_trusted_proxy_only(tmp_path: Path) -> None:
    app, _, _ = make_app(tmp_path, trusted_proxies=("10.0.0.5",))
    keys = keys_for(app)
    via_proxy = _client(app, client=("10.0.0.5", 40000), headers={"X-Forwarded-Proto": "https"})
    page = via_proxy.get("/console/login")
    assert "__Host-brandrail_login" in page.headers["set-cookie"]
    assert page.headers["Strict-Transport-Security"].startswith("max-age=")
    spoofer = _client(app, client=("192.0.2.8", 40000), headers={"X-Forwarded-Proto": "https"})
    plain = spoofer.get("/console/login")
    assert "__Host-" not in plain.headers["set-cookie"] and "Strict-Transport-Security" not in plain.headers
    assert console_login(spoofer, keys["ana"]).status_code == 303


@pytest.mark.parametrize("bad", ["*", "proxy.internal", "0.0.0.0/0", "10.0.0.300"])
def test_serve_refuses_a_trusted_proxy_that_is_not_an_address_with_exit_2(tmp_path: Path, bad: str) -> None:
    (tmp_path / "p.yaml").write_text("version: 1\n", encoding="utf-8")
    args = [
        "serve",
        "-p",
        str(tmp_path / "p.yaml"),
        "--db",
        f"sqlite:///{tmp_path}/g.db",
        "--trusted-proxy",
        bad,
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert "--trusted-proxy" in result.output and repr(bad) in result.output


# -- response headers ------------------------------------------------------------------------------------------


def test_every_console_response_forbids_framing_caching_and_sniffing(tmp_path: Path) -> None:
    app, _, _ = make_app(tmp_path)
    keys = keys_for(app)
    anonymous = _client(app)
    browser = _signed_in(app, keys["ana"])
    responses = {
        "login page": anonymous.get("/console/login"),
        "redirect to sign in": anonymous.get("/console", follow_redirects=False),
        "queue": browser.get("/console"),
        "history": browser.get("/console/history"),
    }
    for what, response in responses.items():
        headers = response.headers
        assert headers["X-Frame-Options"] == "DENY", what
        assert headers["Cache-Control"] == "no-store", what
        assert headers["X-Content-Type-Options"] == "nosniff", what
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin", what
        assert "Strict-Transport-Security" not in headers, what  # plain HTTP: HSTS would mean nothing
    assert "frame-ancestors 'none'" in responses["queue"].headers["Content-Security-Policy"]
    counts = Counter(r.status_code for r in responses.values())
    assert counts == {200: 3, 303: 1}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("extra", "seen"), [([], "127.0.0.1"), (["--trusted-proxy", "127.0.0.1"], "203.0.113.77")]
)
def test_brandrail_serve_believes_forwarded_headers_only_from_a_trusted_proxy(
    tmp_path: Path, extra: list[str], seen: str
) -> None:
    """The real ``brandrail serve``: Uvicorn alone would trust X-Forwarded-For from 127.0.0.1 by default."""
    import httpx
    from server_testlib import POLICY, ServeProcess

    (tmp_path / "p.yaml").write_text(POLICY, encoding="utf-8")
    args = ["-p", str(tmp_path / "p.yaml"), "--db", f"sqlite:///{tmp_path}/g.db", *extra]
    with ServeProcess(args, tmp_path / "serve.log") as served:
        response = httpx.get(f"{served.url}/v1/rules", headers={"X-Forwarded-For": "203.0.113.77"})
        assert response.status_code == 401
    clients = [r.get("client") for r in served.log_records() if r.get("path") == "/v1/rules"]
    assert clients == [seen]


def test_the_trusted_proxies_reach_every_worker() -> None:
    from brandrail.server import ServiceConfig

    config = ServiceConfig(trusted_proxies=("10.0.0.0/8", "192.0.2.1/32"))
    assert ServiceConfig.from_env(config.to_env()) == config


@pytest.mark.parametrize("site", ["cross-site", "same-site"])
def test_a_form_the_browser_says_came_from_another_site_is_refused_even_with_its_token(
    tmp_path: Path, site: str
) -> None:
    from server_testlib import pending_approval

    app, _, _ = make_app(tmp_path)
    keys = keys_for(app)
    page_client = _client(app)
    token = form_value(page_client.get("/console/login").text, "login_token")
    signed = page_client.post(
        "/console/login",
        data={"key": keys["ana"], "login_token": token},
        headers={"Sec-Fetch-Site": site},
        follow_redirects=False,
    )
    assert signed.status_code == 403 and COOKIE not in page_client.cookies
    browser = _signed_in(app, keys["ana"])
    approval_id = pending_approval(browser, keys["agent"])
    csrf = form_value(browser.get(f"/console/approvals/{approval_id}").text, "csrf")
    answered = browser.post(
        f"/console/approvals/{approval_id}/approve",
        data={"reason": "looks fine", "csrf": csrf},
        headers={"Sec-Fetch-Site": site},
        follow_redirects=False,
    )
    assert answered.status_code == 403
    status = browser.get(f"/v1/approvals/{approval_id}", headers=auth(keys["ana"])).json()["status"]
    assert status == "pending"
    out = browser.post("/console/logout", data={"csrf": csrf}, headers={"Sec-Fetch-Site": site})
    assert out.status_code == 403 and browser.get("/console", follow_redirects=False).status_code == 200
    # the same forms from the console itself go through
    same = browser.post(
        f"/console/approvals/{approval_id}/approve",
        data={"reason": "looks fine", "csrf": csrf},
        headers={"Sec-Fetch-Site": "same-origin"},
        follow_redirects=False,
    )
    assert same.status_code == 303 and "done=approved" in same.headers["location"]


def test_ending_sessions_on_postgresql_is_one_transaction_with_its_ledger_entry(pg_url: str) -> None:
    from brandrail.service.keys import KeyStore
    from brandrail.service.sessions import SessionStore

    keys = KeyStore(pg_url)
    sessions = SessionStore(keys.engine)
    for who in ("ana", "ana", "bo"):
        sessions.create(key_id=None, principal=who)
    assert sessions.end_all(keys.ledger, by="root", principal="ana", reason="rotation") == 2
    assert [s.principal for s in sessions.live()] == ["bo"]
    (entry,) = _ended_entries(keys.engine)
    assert (entry["ended"], entry["by"], entry["reason"]) == (2, "root", "rotation")
    assert keys.ledger.verify()
    keys.engine.dispose()
