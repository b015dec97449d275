"""The reviewer console never lets a reviewer answer a request whose row no longer matches the ledger: an
edited row would show something other than what the agent proposed (brandrail.gate.bindings)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from server_testlib import auth, console_login, keys_for, make_app, pending_approval

pytestmark = pytest.mark.extras


def test_an_edited_request_is_flagged_and_cannot_be_answered(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from brandrail.gate.store import tables as t

    app, _, store = make_app(tmp_path)
    keys = keys_for(app)
    with TestClient(app) as client:
        approval_id = pending_approval(client, keys["agent"])
        console_login(client, keys["ana"])
        honest = client.get(f"/console/approvals/{approval_id}").text
        assert 'data-testid="tampered"' not in honest and "/approve" in honest
        engine = sa.create_engine(store)
        with engine.begin() as conn:
            row = conn.execute(sa.select(t.approvals)).mappings().one()
            shown = {**json.loads(row["action"]), "amount": "40"}
            conn.execute(t.approvals.update().values(action=json.dumps(shown, sort_keys=True)))
        engine.dispose()
        page = client.get(f"/console/approvals/{approval_id}").text
        assert 'data-testid="tampered"' in page and "action differs" in page
        assert f'action="/console/approvals/{approval_id}/approve"' not in page
        csrf = honest.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        answered = client.post(
            f"/console/approvals/{approval_id}/approve",
            data={"reason": "small spend", "csrf": csrf},
            follow_redirects=False,
        )
        assert (
            answered.status_code == 303
            and "does%20not%20match%20the%20ledger" in answered.headers["location"]
        )
        api = client.post(
            f"/v1/approvals/{approval_id}/approve", json={"reason": "small spend"}, headers=auth(keys["ana"])
        )
        assert api.status_code == 400 and "does not match the ledger" in api.json()["detail"]
        status = client.get(f"/v1/approvals/{approval_id}", headers=auth(keys["ana"])).json()["status"]
        assert status == "pending"
