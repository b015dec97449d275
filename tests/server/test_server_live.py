"""The service as deployed: a real Uvicorn server (in a thread, or ``brandrail serve`` in a subprocess).

Body read timeout and client disconnects on raw sockets, ``--workers 2`` on PostgreSQL, SIGHUP reload of the
policy file, and the ``brandrail keys`` commands against a running service.
"""

from __future__ import annotations

import json
import logging
import signal
import socket
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from server_testlib import (
    POLICY,
    LiveServer,
    ServeProcess,
    auth,
    keys_for,
    make_app,
)
from typer.testing import CliRunner

from brandrail.cli import app as cli
from brandrail.service.limits import Limits
from pg_testlib import pg_schema

pytestmark = [pytest.mark.extras, pytest.mark.slow]


def _raw(port: int, head: bytes, body: bytes) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(head + body)
    return sock


def _read_response(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
        if b"\r\n\r\n" in data:
            head, _, rest = data.partition(b"\r\n\r\n")
            headers = dict(line.decode().split(": ", 1) for line in head.split(b"\r\n")[1:] if b": " in line)
            length = int({k.lower(): v for k, v in headers.items()}.get("content-length", "0"))
            if len(rest) >= length:
                break
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    headers = {k.lower(): v for k, v in (ln.decode().split(": ", 1) for ln in lines[1:] if b": " in ln)}
    return status, headers, body


def _request_head(path: str, key: str, length: int) -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {key}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {length}\r\n\r\n"
    ).encode()


@pytest.fixture
def live(tmp_path: Path) -> Iterator[tuple[LiveServer, dict[str, str]]]:
    app, _, _ = make_app(tmp_path, limits=Limits(body_timeout_s=0.5))
    keys = keys_for(app)
    with LiveServer(app) as server:
        yield server, keys


def test_a_stalled_body_gets_408_problem_json(live: tuple[LiveServer, dict[str, str]]) -> None:
    server, keys = live
    body = json.dumps({"text": "a tent for the fells"}).encode()
    sock = _raw(server.port, _request_head("/v1/check", keys["agent"], len(body)), body[:8])  # then stall
    try:
        status, headers, payload = _read_response(sock)
    finally:
        sock.close()
    assert status == 408
    assert headers["content-type"] == "application/problem+json"
    problem = json.loads(payload)
    assert problem["status"] == 408 and "0.5 s" in problem["detail"] and problem["type"].endswith("timeout")
    # the server still answers the next request
    ok = httpx.post(f"{server.url}/v1/check", json={"text": "hi"}, headers=auth(keys["agent"]))
    assert ok.status_code == 200


def test_a_trickled_body_gets_408_however_often_it_sends(live: tuple[LiveServer, dict[str, str]]) -> None:
    """The body timeout is for the whole body: a client sending a byte now and then cannot hold the request
    (and its connection) open for as long as it likes."""
    server, keys = live
    body = json.dumps({"text": "a tent for the fells " * 4}).encode()
    sock = _raw(server.port, _request_head("/v1/check", keys["agent"], len(body)), body[:1])
    try:
        for byte in body[1:]:  # one byte every 0.1 s: each piece is in time, the body (8+ s) is not
            time.sleep(0.1)
            try:
                sock.sendall(bytes([byte]))
            except OSError:  # the server answered and closed the connection
                break
        status, _, payload = _read_response(sock)
    finally:
        sock.close()
    assert status == 408 and json.loads(payload)["type"].endswith("timeout")


def test_a_stalled_decide_is_408_and_decides_nothing(live: tuple[LiveServer, dict[str, str]]) -> None:
    server, keys = live
    sock = _raw(server.port, _request_head("/v1/gate/decide", keys["agent"], 400), b'{"kind": "spend"')
    try:
        status, _, _ = _read_response(sock)
    finally:
        sock.close()
    assert status == 408
    decisions = httpx.get(f"{server.url}/v1/decisions", headers=auth(keys["auditor"])).json()
    assert decisions["decisions"] == []


def test_client_disconnect_mid_body_logs_no_traceback(
    live: tuple[LiveServer, dict[str, str]], caplog: pytest.LogCaptureFixture
) -> None:
    server, keys = live
    caplog.set_level(logging.DEBUG)
    for path in ("/v1/check", "/v1/gate/decide", "/v1/check/batch"):
        sock = _raw(server.port, _request_head(path, keys["agent"], 5000), b'{"text": "half a bo')
        time.sleep(0.05)
        sock.close()  # gone before the body is complete
    time.sleep(0.3)
    ok = httpx.post(f"{server.url}/v1/check", json={"text": "still here"}, headers=auth(keys["agent"]))
    assert ok.status_code == 200
    tracebacks = [r for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]
    assert tracebacks == [], [r.getMessage() for r in tracebacks]
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], [r.getMessage() for r in errors]


# -- brandrail serve in a subprocess -------------------------------------------------------------------------


def _keys_create(db: str, name: str, *roles: str) -> str:
    args = ["keys", "create", name, "--db", db, "--format", "json"]
    for r in roles:
        args += ["--role", r]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    key: str = json.loads(result.stdout)["key"]
    return key


def test_workers_2_needs_postgresql(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(POLICY, encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        ["serve", "-p", str(tmp_path / "p.yaml"), "--db", f"sqlite:///{tmp_path}/g.db", "--workers", "2"],
    )
    assert result.exit_code == 2, result.output
    assert "PostgreSQL" in result.output and "sqlite" in result.output


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        (["--no-auth", "--host", "0.0.0.0"], "loopback"),
        (["--jwks", "jwks.json"], "--jwt-issuer"),
        (["--log-format", "xml"], "json or text"),
        (["--workers", "0"], "--workers"),
        (["--console-idle", "soon"], "--console-idle 'soon' is not a duration"),
        (["--console-session", "0h"], "--console-session '0h' is not a duration"),
        (["--console-login-failures", "-1"], "--console-login-failures"),
    ],
)
def test_serve_refuses_unsafe_or_bad_options_with_exit_2(tmp_path: Path, extra: list[str], says: str) -> None:
    (tmp_path / "p.yaml").write_text(POLICY, encoding="utf-8")
    (tmp_path / "jwks.json").write_text('{"keys": []}', encoding="utf-8")
    args = ["serve", "-p", str(tmp_path / "p.yaml"), "--db", f"sqlite:///{tmp_path}/g.db"]
    args += [str(tmp_path / a) if a == "jwks.json" else a for a in extra]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert says in result.output


def test_serve_with_an_invalid_policy_file_exits_2_naming_it(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nterms: {banned: [{term: 42, nonsense: true}]}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["serve", "-p", str(bad), "--db", f"sqlite:///{tmp_path}/g.db"])
    assert result.exit_code == 2, result.output
    assert "bad.yaml" in result.output


@pytest.fixture
def pg() -> Iterator[str]:
    with pg_schema("sv") as url:
        yield url


@pytest.mark.postgres
def test_two_workers_on_postgresql_both_serve_authenticated_requests(tmp_path: Path, pg: str) -> None:
    policy = tmp_path / "brandrail.yaml"
    policy.write_text(POLICY, encoding="utf-8")
    agent = _keys_create(pg, "ads-bot", "agent")
    auditor = _keys_create(pg, "audit", "auditor")
    args = ["-p", str(policy), "--db", pg, "--workers", "2", "--rate", "0"]
    with ServeProcess(args, tmp_path / "serve.log") as served:

        def one(i: int) -> tuple[int, str]:
            body = {
                "kind": "spend",
                "id": f"w-{i}",
                "agent": "ads-bot",
                "time": datetime.now(UTC).isoformat(),
                "campaign": "spring",
                "amount": "1",
            }
            with httpx.Client() as c:  # a new connection each time: the kernel spreads them over workers
                r = c.post(f"{served.url}/v1/gate/decide", json=body, headers=auth(agent))
                return r.status_code, r.json().get("outcome", "")

        seen_pids: set[int] = set()
        sent = 0
        with ThreadPoolExecutor(8) as pool:
            while len(seen_pids) < 2 and sent < 400:
                results = list(pool.map(one, range(sent, sent + 40)))
                sent += 40
                assert {s for s, _ in results} == {200}, results
                assert {o for _, o in results} == {"allow"}
                seen_pids = {
                    int(r["pid"])
                    for r in served.log_records()
                    if r.get("event") == "request" and r.get("path") == "/v1/gate/decide"
                }
        assert len(seen_pids) == 2, f"requests reached only workers {seen_pids} after {sent}"
        # nothing decided that is not in the ledger; no key → 401 from either worker
        verify = httpx.get(f"{served.url}/v1/ledger/verify", headers=auth(auditor)).json()
        assert verify["ok"] and verify["entries"] >= sent
        assert httpx.post(f"{served.url}/v1/gate/decide", json={}).status_code == 401


def test_sighup_reloads_a_changed_policy_and_keeps_it_when_invalid(tmp_path: Path) -> None:
    policy = tmp_path / "brandrail.yaml"
    policy.write_text(POLICY, encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'gate.db'}"
    agent = _keys_create(db, "bot", "agent")
    args = ["-p", str(policy), "--db", db, "--watch-policy", "0"]
    with ServeProcess(args, tmp_path / "serve.log") as served:

        def version() -> str:
            v: str = httpx.get(f"{served.url}/healthz").json()["policy_version"]
            return v

        def codes(text: str) -> set[str]:
            r = httpx.post(f"{served.url}/v1/check", json={"text": text}, headers=auth(agent))
            return {f["code"] for f in r.json()["findings"]}

        before = version()
        assert "BR101" not in codes("a cheap tent")
        policy.write_text(POLICY.replace("terms:\n  banned:\n", "terms:\n  banned:\n    - {term: cheap}\n"))
        time.sleep(0.3)
        assert version() == before  # --watch-policy 0: no reload until told
        served.proc.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 10
        while version() == before and time.monotonic() < deadline:
            time.sleep(0.1)
        after = version()
        assert after != before
        assert "BR101" in codes("a cheap tent")

        policy.write_text("version: 1\nterms: {banned: [{term: 42, nonsense: true}]}\n")
        served.proc.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 10
        while "refused" not in served.logs() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert version() == after  # the invalid file was refused; the running policy kept
        assert "BR101" in codes("a cheap tent")
        refused = [r for r in served.log_records() if "refused" in str(r.get("message", ""))]
        assert refused and refused[0]["level"] == "error" and str(policy) in refused[0]["message"]


def test_keys_cli_create_list_revoke_against_a_running_service(tmp_path: Path) -> None:
    app, _, store = make_app(tmp_path)
    runner = CliRunner()
    created = runner.invoke(cli, ["keys", "create", "support-bot", "--role", "agent", "--db", store])
    assert created.exit_code == 0, created.output
    key = created.stdout.strip()
    assert key.startswith("brk_") and "\n" not in key
    assert "shown once" in created.stderr
    key_id, secret = key.removeprefix("brk_").split("_", 1)

    with LiveServer(app) as server:
        check = {"text": "hello"}
        assert httpx.post(f"{server.url}/v1/check", json=check, headers=auth(key)).status_code == 200

        for fmt in ("text", "json"):
            listed = runner.invoke(cli, ["keys", "list", "--db", store, "--format", fmt])
            assert listed.exit_code == 0, listed.output
            assert key_id in listed.stdout and "support-bot" in listed.stdout
            assert secret not in listed.output and key not in listed.output

        revoked = runner.invoke(cli, ["keys", "revoke", key_id, "--db", store])
        assert revoked.exit_code == 0, revoked.output
        r = httpx.post(f"{server.url}/v1/check", json=check, headers=auth(key))
        assert r.status_code == 401 and r.headers["content-type"] == "application/problem+json"
        listed = json.loads(runner.invoke(cli, ["keys", "list", "--db", store, "-f", "json"]).stdout)
        assert [k["status"] for k in listed["keys"] if k["key_id"] == key_id] == ["revoked"]

    unknown = runner.invoke(cli, ["keys", "revoke", "000000000000", "--db", store])
    assert unknown.exit_code == 2 and "no API key" in unknown.output
    bad_role = runner.invoke(cli, ["keys", "create", "x", "--role", "emperor", "--db", store])
    assert bad_role.exit_code == 2 and "emperor" in bad_role.output


def test_stalled_headers_get_408_and_the_connection_closes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from brandrail.service.protocol import ENV, HeaderTimeoutProtocol

    monkeypatch.setenv(ENV, "0.5")
    app, _, _ = make_app(tmp_path)
    keys = keys_for(app)
    with LiveServer(app, http=HeaderTimeoutProtocol, timeout_keep_alive=30) as server:
        # a slowloris: part of the headers, then nothing
        sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        sock.sendall(b"POST /v1/check HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        try:
            status, headers, payload = _read_response(sock)
            assert sock.recv(10) == b""  # closed
        finally:
            sock.close()
        assert status == 408 and headers["content-type"] == "application/problem+json"
        assert "headers did not arrive" in json.loads(payload)["detail"]
        # the same on a kept-alive connection after a first request is answered
        sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        body = b'{"text": "hi"}'
        sock.sendall(_request_head("/v1/check", keys["agent"], len(body)) + body)
        try:
            first, _, _ = _read_response(sock)
            sock.sendall(b"GET /healthz HTTP/1.1\r\n")
            second, _, _ = _read_response(sock)
        finally:
            sock.close()
        assert (first, second) == (200, 408)
        # a prompt client is unaffected: many requests on one connection
        with httpx.Client() as client:
            for _ in range(5):
                assert client.get(f"{server.url}/healthz").status_code == 200
