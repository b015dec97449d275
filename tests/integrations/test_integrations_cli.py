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
