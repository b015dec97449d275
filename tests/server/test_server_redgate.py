"""A second red-team of the service, the reviewer console and the gate: hostile agents and colleagues.

Each test is an attack sent as real requests to a served app. Those that found a hole say so; they failed
before the fix that came with them. The attacks the service already held are listed in the report of the
branch that added this file, not repeated here when an older test covers them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from server_testlib import auth, keys_for, make_app, spend

pytestmark = pytest.mark.extras

POLICY = """\
version: 1
gate:
  budget:
    max_per_action: "500"
    campaign_daily_cap: "1000"
  approvals:
    spend_over: "250"
    expires_after: 24h
    kinds: [post_social]
  principals:
    - {id: ana, roles: [reviewer]}
"""


@pytest.fixture
def service(tmp_path: Path) -> tuple[TestClient, dict[str, str]]:
    app, _, _ = make_app(tmp_path, policy_text=POLICY)
    return TestClient(app), keys_for(app)


def _decide(client: TestClient, key: str, action: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/v1/gate/decide", json=action, headers=auth(key))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


# -- values the gate and the executor read differently (a hole: the HTTP gate believed them) -------------------

#: (field, value): each is one number or time to the gate and another to some executor's parser.
AMBIGUOUS_VALUES = [
    ("amount", "10.000"),  # ten to the gate, ten thousand to a German-locale parser
    ("amount", "1e2"),  # a hundred to Decimal, one to parseInt
    ("amount", "1_0"),  # ten to Python, one to parseFloat
    ("amount", " 10"),
    ("amount", "+10"),
    ("amount", "１０"),  # full-width digits
    ("amount", "١٠"),  # Arabic-Indic digits
    ("time", 1_700_000_000_000),  # a Unix number: seconds to one parser, milliseconds to another
]


@pytest.mark.parametrize(("field", "value"), AMBIGUOUS_VALUES)
def test_a_value_two_parsers_read_differently_is_denied_at_the_gate(
    service: tuple[TestClient, dict[str, str]], field: str, value: Any
) -> None:
    """Found a hole: ``POST /v1/gate/decide`` allowed ``"amount": "10.000"`` (judged as 10.00) and the other
    forms the MCP gateway, the proxy and ``guard`` refuse — the executor carries out the action as the agent
    wrote it, so the gate must judge only values every parser reads alike."""
    client, keys = service
    action = {**spend("10"), field: value}
    decision = _decide(client, keys["agent"], action)
    assert decision["outcome"] == "deny", decision
    assert decision["codes"] == ["AG001"]
    assert field in decision["findings"][0]["message"]


def test_plain_amounts_and_iso_times_are_still_allowed(service: tuple[TestClient, dict[str, str]]) -> None:
    client, keys = service
    for amount in ("10", "10.5", "10.50", 10, 10.5, "0"):
        decision = _decide(client, keys["agent"], spend(amount))  # type: ignore[arg-type]
        assert decision["outcome"] == "allow", (amount, decision)


def test_a_flag_as_text_is_denied_at_the_gate(service: tuple[TestClient, dict[str, str]]) -> None:
    """``"marketing": "false"`` is False to the gate's model and true to an executor's ``if marketing``."""
    client, keys = service
    action = {
        "kind": "send_message",
        "id": "flag-1",
        "agent": "bot",
        "time": datetime.now(UTC).isoformat(),
        "channel": "email",
        "recipient": {"id": "c1", "gpc": "false"},
        "content": "Your order has shipped.",
        "marketing": "false",
    }
    decision = _decide(client, keys["agent"], action)
    assert decision["outcome"] == "deny" and decision["codes"] == ["AG001"], decision
    message = decision["findings"][0]["message"]
    assert "marketing" in message and "recipient.gpc" in message
