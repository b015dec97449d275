"""The reviewer console end to end in a real headless Chromium (Playwright driving Debian's ``chromium``).

A real Uvicorn server on an ephemeral loopback port, a temporary SQLite gate store, API keys per principal.
Set ``BRANDRAIL_SCREENSHOTS=docs/img`` to save a screenshot of each page (docs/server.md shows them).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from console_pages import LoginPage
from server_testlib import LiveServer, auth, make_app, spend, taint_caller

pytestmark = [pytest.mark.extras, pytest.mark.slow]

POLICY = """\
version: 1
terms:
  banned:
    - {term: flimsy, replacement: light}
rules:
  BR101: warning
gate:
  budget:
    max_per_action: "500"
    campaign_daily_cap: "1000"
    agent_cap: "5000"
    agent_period: day
  consent: {require_opt_in: []}
  fixes: {content: false}
  approvals:
    spend_over: "250"
    kinds: [send_message]
    expires_after: 24h
"""

HTML = (
    "<html><body style='font-family:sans-serif'><h1>Spring sale</h1>"
    "<p>Our <b>flimsy</b>-free tents are 20% off this week. Terms apply.</p>"
    "<script>document.title='pwned'</script></body></html>"
)


def _chromium() -> str | None:
    for candidate in (os.environ.get("BRANDRAIL_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if candidate and Path(candidate).exists():
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


CHROMIUM = _chromium()
if CHROMIUM is None:  # pragma: no cover - depends on the machine
    pytest.skip(
        "no Chromium found (/usr/bin/chromium, chromium-browser, $BRANDRAIL_CHROMIUM): "
        "install Debian's chromium package to run the console browser tests",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


def message(agent: str = "mailer") -> dict[str, Any]:
    return {
        "kind": "send_message",
        "id": f"m-{uuid.uuid4().hex[:10]}",
        "agent": agent,
        "time": datetime.now(UTC).isoformat(),
        "channel": "email",
        "recipient": {"id": "cust-1", "email": "cust@example.com"},
        "subject": "A flimsy-free spring",
        "content": HTML,
        "campaign": "spring",
    }


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from brandrail.service.keys import KeyStore

    app, _, store_url = make_app(tmp_path_factory.mktemp("console"), policy_text=POLICY)
    store = KeyStore(app.state.brandrail["store_url"])
    keys = {
        "ana": store.create("ana", ["reviewer"])[0],
        "agent": store.create("mailer", ["agent"])[0],
        "both": store.create("self-reviewer", ["agent", "reviewer"])[0],
        "executor": store.create("runner", ["executor"])[0],
        "auditor": store.create("audit", ["auditor"])[0],
    }
    with LiveServer(app) as server:
        yield {"url": server.url, "keys": keys, "store": store_url}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on(
        "console",
        lambda m: errors.append(f"{m.text} @ {m.location.get('url')}") if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.console_errors = errors
    yield page
    context.close()


def decide(base: str, key: str, action: dict[str, Any]) -> dict[str, Any]:
    response = httpx.post(f"{base}/v1/gate/decide", json=action, headers=auth(key), timeout=30)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def test_review_approve_resubmit_and_self_approval_refused(live: dict[str, Any], page: Any) -> None:
    base, keys = live["url"], live["keys"]
    msg = message()
    first = decide(base, keys["agent"], msg)
    assert first["outcome"] == "review", first
    assert decide(base, keys["agent"], spend("100", agent="mailer", campaign="spring"))["outcome"] == "allow"
    big = spend("300", agent="mailer", campaign="spring")
    spend_review = decide(base, keys["agent"], big)
    assert spend_review["outcome"] == "review"
    own = decide(base, keys["both"], spend("400", agent="self-reviewer", campaign="autumn"))
    assert own["outcome"] == "review"

    # sign in: a wrong key is refused with a message, a reviewer key opens the queue
    login = LoginPage.open(page, base)
    login.shot("login")
    login.submit("brk_000000000000_not-a-real-key")
    assert "not valid" in login.error
    queue = login.sign_in(keys["ana"])
    assert queue.signed_in_as == "ana"
    assert queue.pending_count == 3
    assert set(queue.approval_ids()) == {
        first["approval_id"],
        spend_review["approval_id"],
        own["approval_id"],
    }
    queue.shot("queue")

    # the spend request shows the threshold it crossed and the campaign's budget
    spend_page = queue.open(spend_review["approval_id"])
    caps = spend_page.caps_rows()
    assert caps["approvals.spend_over"] == "limit: 250 · amount: 300"
    assert caps["budget.max_per_action"] == "limit: 500 · amount: 300"
    day = datetime.now(UTC).date().isoformat()
    # 100 already spent today by this agent on this campaign; this request would add 300
    campaign = caps[f"campaign spring daily cap ({day})"]
    assert campaign == "limit: 1000 · used: 100.00 · remaining: 900.00 · after this: 600.00"
    agent = caps[f"agent mailer day cap ({day})"]
    assert agent == "limit: 5000 · used: 100.00 · remaining: 4900.00 · after this: 4600.00"
    queue = spend_page.go_queue()

    # the message request: findings, highlighted spans, the HTML rendered in a sandboxed iframe
    detail = queue.open(first["approval_id"])
    assert detail.status == "pending"
    codes = detail.finding_codes()
    assert "AG701" in codes and "BR101" in codes, codes
    assert "flimsy" in [m.lower() for m in detail.highlighted()]
    frame = detail.preview
    assert frame.get_attribute("sandbox") == ""
    assert "Spring sale" in detail.preview_text() and "20% off" in detail.preview_text()
    detail.shot("approval")

    # the reason is required: an empty reason does not submit
    detail.page.get_by_role("button", name="Approve").click()
    assert detail.status == "pending"
    detail.approve("Launch week; copy checked with legal.")
    assert "Approved" in detail.done
    assert detail.status == "approved"
    detail.shot("approved")

    # the agent resubmits the identical action (a new id and time): allowed, once
    again = dict(msg, id=f"m-{uuid.uuid4().hex[:10]}", time=datetime.now(UTC).isoformat())
    allowed = decide(base, keys["agent"], again)
    assert allowed["outcome"] == "allow", allowed
    third = decide(base, keys["agent"], dict(msg, id="m-third", time=datetime.now(UTC).isoformat()))
    assert third["outcome"] != "allow"

    # a principal with agent and reviewer roles cannot approve its own agent's action
    login = detail.sign_out()
    queue = login.sign_in(keys["both"])
    mine = queue.open(own["approval_id"])
    assert "your own principal" in mine.page.inner_text("main")
    mine.approve("I am sure this is fine.")
    assert mine.status == "pending"
    assert "self-reviewer" in mine.error and "cannot approve" in mine.error, mine.error
    mine.shot("self-approval-refused")

    # history filters
    history = mine.go_history()
    rows = history.rows()
    assert [r["status"] for r in rows] == ["used"] or [r["status"] for r in rows] == ["approved"], rows
    assert rows[0]["reviewer"] == "ana" and "Launch week" in rows[0]["reason"]
    assert history.filter(reviewer="nobody").rows() == []
    assert len(history.filter(reviewer="", kind="send_message").rows()) == 1
    assert history.filter(kind="", status="rejected").rows() == []
    history.filter(status="")
    history.shot("history")

    # the ledger page verifies the chain
    ledger = history.go_ledger()
    assert ledger.status == "intact"
    ledger.shot("ledger")
    # no page broke its Content Security Policy, missed a resource or raised an error; the only messages
    # allowed: the browser blocked the preview's script (the iframe is sandboxed), and the wrong key's 401
    expected = ("because the document's frame is sandboxed", "status of 401 (Unauthorized) @ " + base)
    unexpected = [e for e in page.console_errors if not any(x in e for x in expected)]
    assert unexpected == [], "\n".join(page.console_errors)


def test_sign_in_needs_a_reviewer_or_auditor_and_auditors_cannot_answer(
    live: dict[str, Any], page: Any
) -> None:
    base, keys = live["url"], live["keys"]
    pending_action = message()
    pending_action["subject"] = "Another spring note"  # not the action approved in the other test
    pending = decide(base, keys["agent"], pending_action)
    assert pending["outcome"] == "review"

    login = LoginPage.open(page, base)
    login.submit(keys["executor"])
    assert "neither a reviewer nor an auditor" in login.error
    queue = login.sign_in(keys["auditor"])
    assert queue.signed_in_as == "audit"
    detail = queue.open(pending["approval_id"])
    assert detail.status == "pending"
    assert detail.page.get_by_role("button", name="Approve").count() == 0
    # a hand-made form post from an auditor's session answers nothing
    response = detail.page.request.post(
        f"{base}/console/approvals/{pending['approval_id']}/approve",
        form={"reason": "auditor tries", "csrf": "x" * 32},
    )
    assert response.status == 403  # a forged form: refused before anything else
    assert detail.page.goto(f"{base}/console/approvals/{pending['approval_id']}") is not None
    assert detail.status == "pending"

    # signing out forgets the key: the console asks for it again
    login = detail.sign_out()
    page.goto(f"{base}/console")
    page.wait_for_url("**/console/login**")

    # a reviewer rejects it with a reason; the agent's resubmission is denied with that reason
    queue = LoginPage(page, base).sign_in(keys["ana"])
    detail = queue.open(pending["approval_id"])
    detail.page.get_by_label("reason for rejecting").fill("Not before the legal review.")
    detail.page.get_by_role("button", name="Reject").click()
    detail.page.wait_for_load_state()
    assert detail.status == "rejected" and "Rejected" in detail.done
    action = dict(pending_action, id=f"m-{uuid.uuid4().hex[:10]}", time=datetime.now(UTC).isoformat())
    denied = decide(base, keys["agent"], action)
    assert denied["outcome"] == "deny"
    assert "AG703" in {f["code"] for f in denied["findings"]}
    rows = detail.go_history().filter(status="rejected").rows()
    assert [(r["status"], r["reviewer"], r["reason"]) for r in rows] == [
        ("rejected", "ana", "Not before the legal review.")
    ]


def test_sign_out_everywhere_ends_the_other_browsers_session(live: dict[str, Any], browser: Any) -> None:
    base, keys = live["url"], live["keys"]
    contexts = [browser.new_context() for _ in range(2)]
    try:
        here, there = (LoginPage.open(c.new_page(), base).sign_in(keys["ana"]) for c in contexts)
        assert there.signed_in_as == "ana"
        here.sign_out_everywhere()
        there.page.goto(f"{base}/console")
        there.page.wait_for_url("**/console/login**")  # the other browser's session ended too
    finally:
        for context in contexts:
            context.close()


def test_a_reviewer_lifts_a_taint_through_the_form(live: dict[str, Any], page: Any) -> None:
    """An auditor sees a tainted caller but has no lift; a reviewer's lift bound to a view the caller has
    since changed lifts nothing and shows the new flagged result; the second lift, with one box unticked,
    ends the taint and covers only the ticked results."""
    from brandrail.gate import GateStore

    base, keys = live["url"], live["keys"]
    store = GateStore.from_url(live["store"])
    key = "key:" + uuid.uuid4().hex
    r1, r2, r3 = ("r:" + uuid.uuid4().hex for _ in range(3))
    try:
        taint_caller(store, key, (r1, "lookup_order"), (r2, "<b>fetch_page</b>"))

        # an auditor sees the taint and its results, and has no lift
        taints = LoginPage.open(page, base).sign_in(keys["auditor"]).go_taints()
        assert key in taints.callers()
        seen = taints.open(key)
        assert seen.status == "live" and "<b>fetch_page</b>" in seen.result_tools()
        assert seen.page.get_by_role("button", name="Lift").count() == 0
        login = seen.sign_out()

        taints = login.sign_in(keys["ana"]).go_taints()
        taints.shot("taints")
        detail = taints.open(key)
        assert sorted(detail.result_tools()) == sorted(["lookup_order", "<b>fetch_page</b>"])
        assert detail.covers() == {r1: True, r2: True}  # every result shown is ticked

        # the caller reads another flagged result while the page is open: the lift is refused, the page
        # shows the taint as it is now (the new result, ticked) and keeps the reason
        taint_caller(store, key, (r3, "read_mail"), hours=2)
        detail.lift("Checked the order lookup.")
        assert "changed since you looked" in detail.error and "Nothing was lifted" in detail.error
        assert "read_mail" in detail.result_tools() and detail.covers()[r3] is True
        assert detail.page.get_by_label("reason for lifting").input_value() == "Checked the order lookup."
        listed = httpx.get(f"{base}/v1/gate/taints?state=live", headers=auth(keys["auditor"])).json()
        assert key in [t["key"] for t in listed["taints"]]
        detail.shot("taint-changed")

        # the second look: the page fetch is not covered (unticked), the others are, for two hours
        detail.untick(r2)
        detail.lift("Checked the order lookup and the mail.", cover_for="2h")
        assert "Lifted by ana" in detail.done and detail.status == "over"
        rows = httpx.get(f"{base}/v1/gate/taints", headers=auth(keys["auditor"])).json()["taints"]
        [row] = [t for t in rows if t["key"] == key]
        assert row["state"] == "expired"
        assert sorted(c["digest"] for c in row["by"]["lifted"]["covers"]) == sorted([r1, r3])
        assert row["by"]["lifted"]["reason"] == "Checked the order lookup and the mail."
        assert key in detail.go_taints().filter("expired").callers()
        # the only message allowed: the refused lift's 409
        unexpected = [e for e in page.console_errors if "status of 409 (Conflict)" not in e]
        assert unexpected == [], "\n".join(page.console_errors)
    finally:
        store.engine.dispose()


def test_api_docs_render_offline(live: dict[str, Any], page: Any) -> None:
    """/docs renders Swagger UI from bundled files: every request the page makes stays on this server."""
    base = live["url"]
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(f"{base}/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=30_000)  # operations rendered from /openapi.json
    assert page.locator(".opblock-summary-path", has_text="/v1/gate/decide").count() >= 1
    assert requested and all(u.startswith(base) or u.startswith("data:") for u in requested), requested
    assert f"{base}/openapi.json" in requested
