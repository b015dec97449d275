"""`brandrail proxy` and `brandrail mcp`: bad input is exit 2 with a clear message, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from integ_testlib import POLICY
from typer.testing import CliRunner

from brandrail.cli import app


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(
        text.replace("content_checks: true", f"content_checks: true\n  store_url: sqlite:///{tmp_path}/g.db")
    )
    return path


def test_proxy_route_with_unknown_channel_exits_2(tmp_path: Path) -> None:
    path = write(
        tmp_path, POLICY.replace("    strict:\n      channel: chat\n", "    strict:\n      channel: fax\n")
    )
    result = CliRunner().invoke(app, ["proxy", "--policy", str(path)])
    assert result.exit_code == 2
    line = path.read_text().splitlines().index("      channel: fax") + 1
    assert f"{path}:{line}:16" in result.output
    assert "channel 'fax'" in result.output and "channels defined: chat" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "  default_route: support\n",
            "  default_route: nowhere\n",
            "default_route 'nowhere' is not a route",
        ),
        ("      on_violation: reask\n", "      on_violation: retry\n", "on_violation"),
        ("      max_attempts: 3\n", "      max_attempts: 0\n", "max_attempts"),
        ("      action: spend\n", "      action: refund\n", "action"),
        (
            "        amount: amount\n",
            "        amount: amount\n        colour: order\n",
            "'colour' is not a field of a spend action",
        ),
    ],
)
def test_bad_integrations_section_exits_2(tmp_path: Path, old: str, new: str, expected: str) -> None:
    path = write(tmp_path, POLICY.replace(old, new, 1))
    result = CliRunner().invoke(app, ["proxy", "--policy", str(path)])
    assert result.exit_code == 2
    assert expected in result.output and f"{path}:" in result.output


def test_proxy_bad_upstream_url_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["proxy", "--policy", str(write(tmp_path, POLICY)), "--upstream", "ftp://x"]
    )
    assert result.exit_code == 2 and "--upstream" in result.output


def test_mcp_bad_transport_and_unreachable_gateway_exit_2(tmp_path: Path) -> None:
    path = str(write(tmp_path, POLICY))
    result = CliRunner().invoke(app, ["mcp", "--policy", path, "--transport", "carrier-pigeon"])
    assert result.exit_code == 2 and "--transport" in result.output
    result = CliRunner().invoke(app, ["mcp", "--policy", path, "--gateway", "/nonexistent/server --flag"])
    assert result.exit_code == 2 and "cannot list the tools" in result.output


def test_an_unreachable_gateway_url_is_printed_without_its_token(tmp_path: Path) -> None:
    from integ_testlib import free_port

    url = f"http://agent:s3cret-pw@127.0.0.1:{free_port()}/mcp?token=tok-s3cret&team=shop"
    result = CliRunner().invoke(app, ["mcp", "--policy", str(write(tmp_path, POLICY)), "--gateway", url])
    assert result.exit_code == 2 and "cannot list the tools" in result.output
    assert "s3cret" not in result.output
    assert "127.0.0.1" in result.output and "token=***" in result.output


def test_proxy_command_serves_end_to_end(tmp_path: Path) -> None:
    """`brandrail proxy` as a process in front of the fake upstream (both on 127.0.0.1, ephemeral ports)."""
    import os
    import subprocess
    import sys
    import time

    import httpx
    from integ_testlib import chat_body, free_port, serve

    from brandrail.integrations.fakeupstream import FakeUpstream

    upstream = FakeUpstream(["Our cheap tents are great.", "Our tents are good value."])
    root = Path(__file__).resolve().parents[2]
    port = free_port()
    with serve(upstream.app) as up_url:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from brandrail.cli import main; main()",
                "proxy",
                "--policy",
                str(write(tmp_path, POLICY)),
                "--upstream",
                up_url + "/v1",
                "--port",
                str(port),
            ],
            env={**os.environ, "PYTHONPATH": str(root / "src"), "BRANDRAIL_TEST_UPSTREAM_KEY": "sk-env-key"},
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(base + "/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert proc.poll() is None and time.monotonic() < deadline, "the proxy did not start"
                time.sleep(0.2)
            r = httpx.post(base + "/v1/chat/completions", json=chat_body(), timeout=30)
        finally:
            proc.terminate()
            _, err = proc.communicate(timeout=20)
    assert r.json()["choices"][0]["message"]["content"] == "Our tents are good value."
    assert r.json()["brandrail"]["verdict"] == "reasked"
    assert upstream.requests[0]["headers"]["authorization"] == "Bearer sk-env-key"
    assert "sk-env-key" not in err
