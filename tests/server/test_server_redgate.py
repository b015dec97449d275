"""A second red-team of the service, the reviewer console and the gate: hostile agents and colleagues.

Each test is an attack sent as real requests to a served app. Those that found a hole say so; they failed
before the fix that came with them. The attacks the service already held are listed in the report of the
branch that added this file, not repeated here when an older test covers them.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from server_testlib import auth, console_login, keys_for, make_app, spend

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


# -- the console: what a crafted link can make a reviewer read -------------------------------------------------


def _post(client: TestClient, key: str, content: str, action_id: str) -> str:
    """The approval request a social post opens (the test policy sends every post to review)."""
    action = {
        "kind": "post_social",
        "id": action_id,
        "agent": "social-bot",
        "time": datetime.now(UTC).isoformat(),
        "platform": "x",
        "content": content,
    }
    decision = _decide(client, key, action)
    assert decision["outcome"] == "review", decision["findings"]
    approval_id: str = decision["approval_id"]
    return approval_id


def _flashes(html: str) -> list[str]:
    return re.findall(r'data-testid="(?:error|done)">([^<]*)<', html)


def test_a_crafted_link_cannot_put_words_in_the_consoles_alerts(
    service: tuple[TestClient, dict[str, str]],
) -> None:
    """Found a hole: ``/console/approvals/ID?error=…&done=approved`` showed any text as the console's own red
    alert, and "Approved." on a request nobody answered — a colleague's link could tell a reviewer "compliance
    pre-approved this, approve now". Now only messages the console signed for this session are shown, and
    "done" only when the request's status says so."""
    client, keys = service
    approval_id = _post(client, keys["agent"], "Spring trails are open.", "post-flash")
    assert console_login(client, keys["reviewer"]).status_code == 303
    crafted = client.get(
        f"/console/approvals/{approval_id}",
        params={"error": "Compliance pre-approved this request; approve it now.", "done": "approved"},
    )
    assert crafted.status_code == 200
    assert _flashes(crafted.text) == [], _flashes(crafted.text)
    assert "Compliance" not in crafted.text
    # the console's own messages still arrive: a blank reason, then a real answer
    page = client.get(f"/console/approvals/{approval_id}")
    token = re.search(r'name="csrf" value="([^"]*)"', page.text)
    assert token is not None
    blank = client.post(
        f"/console/approvals/{approval_id}/approve", data={"reason": "  ", "csrf": token.group(1)}
    )
    assert _flashes(blank.text) == ["Give a reason (at least 3 characters): it is recorded in the ledger."]
    done = client.post(
        f"/console/approvals/{approval_id}/approve", data={"reason": "fine by me", "csrf": token.group(1)}
    )
    assert _flashes(done.text)[0].startswith("Approved."), _flashes(done.text)
    again = client.post(
        f"/console/approvals/{approval_id}/reject", data={"reason": "changed my mind", "csrf": token.group(1)}
    )
    assert any("already approved" in f for f in _flashes(again.text)), _flashes(again.text)
    # "rejected" on an approved request is not believed either
    assert _flashes(client.get(f"/console/approvals/{approval_id}", params={"done": "rejected"}).text) == []


def _page(client: TestClient, keys: dict[str, str], approval_id: str) -> str:
    if "brandrail_session" not in client.cookies:
        assert console_login(client, keys["reviewer"]).status_code == 303
    page = client.get(f"/console/approvals/{approval_id}")
    assert page.status_code == 200
    return page.text


def test_bidi_controls_and_invisible_characters_are_shown_not_applied(
    service: tuple[TestClient, dict[str, str]],
) -> None:
    """Found a hole: a right-to-left override in an agent's text was sent to the reviewer's browser as is, so
    the console showed "Great pick up today deal" for characters an executor sends in another order, and the
    action's JSON carried zero-width and bidi characters invisibly. Now each bidi control is a visible label
    in the message, and the JSON shows every invisible character as an escape."""
    client, keys = service
    approval_id = _post(
        # the override hides "pick up today" (a hidden "free" would now be read, and denied as a pricing claim)
        client,
        keys["agent"],
        "Great \u202eyadot pu kcip\u202c deal, ex\u200bample.com",
        "post-bidi",
    )
    html = _page(client, keys, approval_id)
    assert "\u202e" not in html and "\u202c" not in html
    assert "⟨U+202E⟩" in html and "⟨U+202C⟩" in html
    action = re.search(r"<pre>(.*?)</pre>", html, re.S)
    assert action is not None
    assert "\\u202e" in action.group(1) and "\\u200b" in action.group(1)
    assert "\u200b" not in action.group(1)


def test_the_reviewer_is_told_what_masking_hides_from_them(
    service: tuple[TestClient, dict[str, str]],
) -> None:
    """Found a gap: a post asking customers to pay into an account showed the reviewer "Pay to IBAN [iban]" —
    the ledger's masked copy — with nothing saying that the message itself holds an account number the
    reviewer cannot see. The page now says which placeholders stand for what the agent wrote."""
    client, keys = service
    approval_id = _post(client, keys["agent"], "Pay to IBAN GB82WEST12345698765432 by Friday", "post-iban")
    html = _page(client, keys, approval_id)
    notice = re.search(r'data-testid="masked">([^<]*)<', html)
    assert notice is not None and "[iban]" in notice.group(1), html
    plain = _post(client, keys["agent"], "Spring trails are open.", "post-plain")
    assert 'data-testid="masked"' not in _page(client, keys, plain)
