"""The reviewer console shows a reply's conversation (its ``turns``), masked as the ledger stores it, and judges
the reply with it in view."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from server_testlib import auth, console_login, keys_for, make_app

pytestmark = pytest.mark.extras

POLICY = """\
version: 1
voice:
  context:
    upset: {targets: {humour: {max: 0.2}}}
gate:
  approvals: {reply_without_turns: true, kinds: [reply_customer]}
"""


def test_a_reply_under_review_shows_the_conversation_and_its_context_finding(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    app, _, _ = make_app(tmp_path, policy_text=POLICY)
    keys = keys_for(app)
    reply = {
        "kind": "reply_customer",
        "id": f"r-{uuid.uuid4().hex[:8]}",
        "agent": "agent-principal",
        "time": datetime.now(UTC).isoformat(),
        "conversation": "c-7",
        "content": "Ha, parcels, eh? 😂 Even our couriers get lost sometimes.",
        "turns": [
            {"role": "customer", "text": "Third time I've asked!!! Write to me at jo@example.com"},
            {"role": "agent", "text": "Let me check."},
            {"role": "customer", "text": "<script>alert('x')</script> still waiting"},
        ],
    }
    with TestClient(app) as client:
        decided = client.post("/v1/gate/decide", json=reply, headers=auth(keys["agent"]))
        assert decided.status_code == 200, decided.text
        body = decided.json()
        assert body["outcome"] == "review"
        console_login(client, keys["ana"])
        page = client.get(f"/console/approvals/{body['approval_id']}")
        assert page.status_code == 200
        html = page.text
    turns = re.search(r'<ol class="turns" data-testid="turns">(.*?)</ol>', html, re.S)
    assert turns is not None
    assert "Third time I&#39;ve asked!!!" in turns.group(1) and "Let me check." in turns.group(1)
    assert "jo@example.com" not in html  # stored masked, shown masked
    assert "<script>alert" not in html and "&lt;script&gt;alert" in turns.group(1)  # escaped, never run
    # the console's own check of the reply reads the conversation: the upset customer's humour target
    assert "reply to a customer who is upset" in html
