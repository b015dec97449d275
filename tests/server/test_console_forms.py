"""The console's answer forms refuse a wrong CSRF token (a 403 page), whatever text it holds, never a 500."""

from __future__ import annotations

from pathlib import Path

import pytest
from server_testlib import auth, console_login, keys_for, make_app, pending_approval

pytestmark = pytest.mark.extras


@pytest.mark.parametrize("token", ["", "0" * 32, "é" * 32, "\U0001f600", "x" * 5000])
def test_a_wrong_csrf_token_is_refused_not_a_500(tmp_path: Path, token: str) -> None:
    from fastapi.testclient import TestClient

    app, _, _ = make_app(tmp_path)
    keys = keys_for(app)
    with TestClient(app, raise_server_exceptions=False) as client:
        approval_id = pending_approval(client, keys["agent"])
        console_login(client, keys["ana"])
        answered = client.post(
            f"/console/approvals/{approval_id}/approve",
            data={"reason": "fine by me", "csrf": token},
            follow_redirects=False,
        )
        assert answered.status_code == 403 and "security token is missing or wrong" in answered.text
        status = client.get(f"/v1/approvals/{approval_id}", headers=auth(keys["ana"])).json()["status"]
        assert status == "pending"


def test_the_queue_counts_expired_requests_instead_of_listing_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A request past its expiry can no longer be answered: the queue shows it as a count, not a row."""
    from datetime import datetime, timedelta

    from fastapi.testclient import TestClient

    import brandrail.service.console as console

    app, _, _ = make_app(tmp_path)
    keys = keys_for(app)
    with TestClient(app, raise_server_exceptions=False) as client:
        approval_id = pending_approval(client, keys["agent"])
        console_login(client, keys["ana"])
        now_page = client.get("/console").text
        assert approval_id[:12] in now_page and 'data-testid="expired-count"' not in now_page

        class TwoDaysOn(datetime):
            @classmethod
            def now(cls, tz=None):  # type: ignore[no-untyped-def,override]
                return datetime.now(tz) + timedelta(days=2)

        monkeypatch.setattr(console, "datetime", TwoDaysOn)
        later = client.get("/console").text
        assert approval_id[:12] not in later
        assert 'data-testid="expired-count">1 request(s) expired unanswered' in later
