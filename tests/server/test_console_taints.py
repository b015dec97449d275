"""The console's taint pages (``/console/taints``): the live taints, one caller's flagged results with what the
shells recorded of each, and the lift form — through the API's own listing and lift (``list_taints``,
``lift_taint``): roles, CSRF, a stale view (the 409 path shows the taint as it is now, never a silent lift),
and agent-written text (tool names, findings) escaped."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from server_testlib import auth, console_login, form_value, keys_for, make_app
from server_testlib import taint_caller as taint

from brandrail.gate import GateStore
from brandrail.gate.taint import list_taints, result_screenings

pytestmark = pytest.mark.extras

KEY = "key:" + "1a" * 16
R1, R2, R3 = "r:" + "a1" * 16, "r:" + "b2" * 16, "r:" + "c3" * 16


@pytest.fixture
def setup(tmp_path: Path) -> Any:
    app, _, store_url = make_app(tmp_path)
    store = GateStore.from_url(store_url)
    client = TestClient(app, raise_server_exceptions=False)
    yield client, keys_for(app), store
    store.engine.dispose()


def api_view(client: TestClient, keys: dict[str, str], key: str) -> str | None:
    """The view of ``key``'s taint as the JSON API lists it (independent of the console's page)."""
    rows = client.get("/v1/gate/taints", headers=auth(keys["auditor"])).json()["taints"]
    return next((r["view"] for r in rows if r["key"] == key), None)


def live_keys(client: TestClient, keys: dict[str, str]) -> list[str]:
    rows = client.get("/v1/gate/taints?state=live", headers=auth(keys["auditor"])).json()["taints"]
    return [r["key"] for r in rows]


def lift(client: TestClient, page: str, **fields: Any) -> Any:
    data = {"csrf": form_value(page, "csrf"), "seen": form_value(page, "seen"), "cover_for": "24h"}
    data.update(fields)
    return client.post(f"/console/taints/{KEY}/lift", data=data, follow_redirects=False)


def test_a_reviewer_lifts_a_taint_through_the_form(setup: Any) -> None:
    client, keys, store = setup
    taint(store, KEY, (R1, "lookup_order"), (R2, "fetch_page"))
    assert client.get("/console/taints", follow_redirects=False).status_code == 303  # not signed in
    console_login(client, keys["ana"])
    listing = client.get("/console/taints")
    assert listing.status_code == 200 and KEY in listing.text and "lookup_order" in listing.text
    page = client.get(f"/console/taints/{KEY}").text
    # the form is bound to the view the API lists, and ticks every result the rows name
    assert form_value(page, "seen") == api_view(client, keys, KEY)
    ticked = re.findall(r'name="covers" value="(r:[0-9a-f]{32})" checked', page)
    assert sorted(ticked) == sorted([R1, R2])
    assert "instructions addressed to the model in the result of lookup_order" in page  # the recorded finding
    # the reviewer covers only the first result, for 90 minutes
    done = lift(client, page, reason="Looked at both; the order tool was fine.", covers=[R1], cover_for="90m")
    assert done.status_code == 303 and done.headers["location"].endswith("?done=lifted")
    after = client.get(done.headers["location"]).text
    assert 'data-testid="done"' in after and "Lifted by ana" in after
    assert live_keys(client, keys) == []
    [row] = [r for r in list_taints(store) if r.key == KEY]
    lifted = row.by["lifted"]
    assert lifted["reviewer"] == "ana" and lifted["reason"] == "Looked at both; the order tool was fine."
    assert [c["digest"] for c in lifted["covers"]] == [R1]
    until = datetime.fromisoformat(lifted["covers_until"]) - datetime.now(UTC)
    assert timedelta(minutes=89) < until <= timedelta(minutes=90)
    # the lift is a ledger entry, as the API's is (its taint entry of the row's new version)
    [entry] = [e for e in store.ledger.entries(kind="taint") if e.payload["seq"] == row.seq]
    assert entry.payload["by"]["lifted"]["id"] == lifted["id"]
    # nothing is live any more: no form, and the filter finds the lifted row among the expired ones
    assert 'data-testid="lift-form"' not in after
    assert KEY not in client.get("/console/taints").text
    assert KEY in client.get("/console/taints?state=expired").text
    assert client.get("/console/taints?state=bogus").status_code == 400


def test_no_box_ticked_lifts_and_covers_nothing(setup: Any) -> None:
    client, keys, store = setup
    taint(store, KEY, (R1, "lookup_order"))
    console_login(client, keys["ana"])
    done = lift(client, client.get(f"/console/taints/{KEY}").text, reason="reviewed, cover nothing")
    assert done.status_code == 303, done.text
    [row] = [r for r in list_taints(store) if r.key == KEY]
    assert row.by["lifted"]["covers"] == [] and "covers" not in row.by


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"reason": "  "}, "Give a reason"),
        ({"reason": "fine", "cover_for": "soon"}, "must look like 30s, 90m, 24h"),
        ({"reason": "fine", "covers": [R3]}, "names no result"),
        ({"reason": "fine", "seen": ""}, "which view"),
        ({"reason": "fine", "seen": "tv:nothex"}, "is not a taint view"),
    ],
)
def test_a_bad_form_lifts_nothing_and_says_why(setup: Any, fields: dict[str, Any], message: str) -> None:
    client, keys, store = setup
    taint(store, KEY, (R1, "lookup_order"))
    console_login(client, keys["ana"])
    refused = lift(client, client.get(f"/console/taints/{KEY}").text, **fields)
    assert refused.status_code == 303 and "error=" in refused.headers["location"]
    shown = client.get(refused.headers["location"]).text
    assert message in html.unescape(shown), shown
    assert live_keys(client, keys) == [KEY]


def test_an_auditor_sees_but_cannot_lift(setup: Any) -> None:
    client, keys, store = setup
    taint(store, KEY, (R1, "lookup_order"))
    console_login(client, keys["auditor"])
    page = client.get(f"/console/taints/{KEY}").text
    assert "lookup_order" in page and R1 in page
    assert 'data-testid="lift-form"' not in page and "Only reviewers can lift" in page
    # a crafted post with the auditor's own valid token is refused too
    data = {"csrf": form_value(page, "csrf"), "seen": api_view(client, keys, KEY), "reason": "I looked"}
    refused = client.post(f"/console/taints/{KEY}/lift", data=data, follow_redirects=False)
    assert refused.status_code == 303
    assert "Only reviewers can lift a taint." in html.unescape(client.get(refused.headers["location"]).text)
    assert live_keys(client, keys) == [KEY]


@pytest.mark.parametrize("token", ["", "0" * 32, "é" * 8, "x" * 5000])
def test_a_wrong_csrf_token_lifts_nothing(setup: Any, token: str) -> None:
    client, keys, store = setup
    taint(store, KEY, (R1, "lookup_order"))
    console_login(client, keys["ana"])
    page = client.get(f"/console/taints/{KEY}").text
    refused = lift(client, page, reason="reviewed it", csrf=token)
    assert refused.status_code == 403 and "nothing was lifted" in refused.text
    # the right token from another site (the browser says so) is refused as well
    other = client.post(
        f"/console/taints/{KEY}/lift",
        data={"csrf": form_value(page, "csrf"), "seen": form_value(page, "seen"), "reason": "reviewed it"},
        headers={"Sec-Fetch-Site": "cross-site"},
        follow_redirects=False,
    )
    assert other.status_code == 403
    assert live_keys(client, keys) == [KEY]


def test_a_stale_view_lifts_nothing_and_shows_the_taint_as_it_is_now(setup: Any) -> None:
    client, keys, store = setup
    taint(store, KEY, (R1, "lookup_order"))
    console_login(client, keys["ana"])
    page = client.get(f"/console/taints/{KEY}").text
    seen = form_value(page, "seen")
    assert R3 not in page
    # the caller reads another flagged result while the reviewer looks at the first
    taint(store, KEY, (R3, "read_mail"), hours=2)
    stale = lift(client, page, reason="the order tool was fine", covers=[R1])
    assert stale.status_code == 409
    text = html.unescape(stale.text)
    assert "Nothing was lifted" in text and "changed since you looked" in text
    assert R3 in stale.text and "read_mail" in stale.text  # the fresh state, the new result in view
    fresh = form_value(stale.text, "seen")
    assert fresh != seen and fresh == api_view(client, keys, KEY)
    assert "the order tool was fine" in stale.text  # the reason is kept for the second look
    assert live_keys(client, keys) == [KEY]
    # after the second look, the lift bound to the view shown now goes through
    done = lift(client, stale.text, reason="looked at both", covers=[R1, R3])
    assert done.status_code == 303 and live_keys(client, keys) == []


def test_agent_written_text_is_escaped(setup: Any) -> None:
    client, keys, store = setup
    evil_tool = '<script>alert("tool")</script>\u202eevil'
    taint(store, KEY, (R1, evil_tool))
    console_login(client, keys["ana"])
    for path in ("/console/taints", f"/console/taints/{KEY}"):
        page = client.get(path).text
        assert "<script>alert" not in page and "<img src=x" not in page, path
        assert "&lt;script&gt;alert(" in page
        assert "\u202e" not in page and "⟨U+202E⟩" in page  # a bidi control shown as a label
    detail = client.get(f"/console/taints/{KEY}").text
    assert "&lt;img src=x onerror=alert(1)&gt;" in detail  # the recorded match
    assert "&lt;script&gt;alert(&#39;ev&#39;)&lt;/script&gt;" in detail  # the evidence, as JSON, escaped


@pytest.mark.parametrize("db", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_result_screenings_believes_only_intact_entries(tmp_path: Path, db: str) -> None:
    from contextlib import ExitStack

    from pg_testlib import pg_schema

    with ExitStack() as stack:
        url = f"sqlite:///{tmp_path / 'g.db'}" if db == "sqlite" else stack.enter_context(pg_schema("ct"))
        store = GateStore.from_url(url)
        stack.callback(store.engine.dispose)
        taint(store, KEY, (R1, "lookup_order"), (R2, "fetch_page"))
        found = result_screenings(store, [R1, R2, "not-a-digest"])
        assert sorted(found) == [R1, R2]
        assert [s["tool"] for s in found[R1]] == ["lookup_order"]
        assert found[R1][0]["findings"][0]["code"] == "AG907"
        # an entry edited behind the gate (its hash no longer recomputes) is not shown as what was screened
        table = store._ledger_table
        with store.engine.begin() as conn:
            conn.execute(
                sa.text(
                    f"UPDATE {table} SET payload = replace(payload, 'lookup_order', 'harmless') "
                    "WHERE kind = 'exchange' AND payload LIKE :pattern"
                ),
                {"pattern": f"%{R1}%"},
            )
        assert result_screenings(store, [R1])[R1] == []
        assert len(result_screenings(store, [R2])[R2]) == 1


def test_a_row_edited_behind_the_gate_is_listed_as_held_and_can_be_lifted(setup: Any) -> None:
    client, keys, store = setup
    taint(store, KEY, (R1, "lookup_order"))
    with store.engine.begin() as conn:  # shortened in the database: the ledger no longer vouches for it
        conn.exec_driver_sql("UPDATE gate_taint SET until = '2000-01-01T00:00:00+00:00'")
    console_login(client, keys["ana"])
    listing = client.get("/console/taints").text  # the default filter: every held caller
    assert KEY in listing and "does not vouch" in listing
    assert KEY not in client.get("/console/taints?state=live").text
    assert KEY in client.get("/console/taints?state=tampered").text
    page = client.get(f"/console/taints/{KEY}").text
    assert 'data-testid="tampered"' in page and 'data-testid="lift-form"' in page
    assert 'name="covers"' not in page  # what a tampered row names is not believed: nothing to cover
    done = lift(client, page, reason="rebound after the incident review")
    assert done.status_code == 303 and "done=lifted" in done.headers["location"], done.headers
    assert KEY not in client.get("/console/taints").text
    assert [r.state(datetime.now(UTC)) for r in list_taints(store) if r.key == KEY] == ["expired"]


def test_a_row_edited_to_hold_anything_still_renders(setup: Any) -> None:
    """A row edited behind the gate can hold any JSON in what it names: the pages show it as text, never a 500."""
    import json

    client, keys, store = setup
    taint(store, KEY, (R1, "lookup_order"))
    odd = {"results": [{"digest": R1, "tool": 7, "codes": 5}], "codes": "AG907", "tool": ["x"], "lifted": 3}
    with store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE gate_taint SET by = :by"), {"by": json.dumps(odd)})
    console_login(client, keys["auditor"])
    for path in ("/console/taints", f"/console/taints/{KEY}", "/console/taints?state="):
        page = client.get(path)
        assert page.status_code == 200 and KEY in page.text and "does not vouch" in page.text, path


def test_a_provenance_taint_is_told_from_a_finding_and_lifted_the_same_way(setup: Any) -> None:
    """A caller tainted because it read a result of an untrusted tool (``taint_on: untrusted``), not because
    the screen flagged one: the listing and the caller's page say so, and the lift form works as for a
    finding."""
    from brandrail.gate.taint import write_taint
    from brandrail.integrations.common import flagged_by

    client, keys, store = setup
    other = "key:" + "2b" * 16
    taint(store, other, (R3, "lookup_order"))  # a finding
    untrusted = {"taint_on": "untrusted", "matched": "web_*"}
    flags = [{"tool": "web_fetch", "codes": [], "result": R1, "untrusted": untrusted}]
    by = {**(flagged_by(flags) or {}), "request_id": "req-2", "keys": [KEY]}
    with store.transaction() as conn:
        write_taint(store, conn, KEY, datetime.now(UTC) + timedelta(hours=1), by)
    console_login(client, keys["ana"])
    listing = client.get("/console/taints").text
    causes = re.findall(r'data-testid="taint-cause">([^<]*)<', listing)
    assert sorted(causes) == ["finding", "provenance: untrusted_tools web_*"]
    page = client.get(f"/console/taints/{KEY}").text
    assert 'data-testid="result-cause"' in page and "web_fetch" in page
    assert "provenance: untrusted_tools web_*" in page
    done = lift(client, page, reason="Read the page: plain opening hours.", covers=[R1])
    assert done.status_code == 303 and done.headers["location"].endswith("?done=lifted")
    assert live_keys(client, keys) == [other]
    [row] = [r for r in list_taints(store) if r.key == KEY]
    assert row.by["cause"] == "provenance" and [c["digest"] for c in row.by["lifted"]["covers"]] == [R1]


def test_the_form_ticks_the_chats_mark_and_the_lift_covers_it(setup: Any) -> None:
    """A long chat's mark (``by.chains``, rt-resultleft) is a box of its own, ticked: the lift covers every
    result of the chat up to it, past the 32 the row names."""
    from brandrail.gate.taint import write_taint

    client, keys, store = setup
    mark = "c:" + "d4" * 16
    taint(store, KEY, (R1, "web_fetch"))
    with store.transaction() as conn:  # the shells' next write: the same result, the chat's mark up to it
        by = {"tool": "web_fetch", "codes": [], "chains": [{"digest": mark, "count": 40}], "keys": [KEY]}
        write_taint(store, conn, KEY, datetime.now(UTC) + timedelta(hours=1), by)
    console_login(client, keys["ana"])
    page = client.get(f"/console/taints/{KEY}").text
    assert re.findall(r'name="covers" value="(c:[0-9a-f]{32})" data-testid="chain" checked', page) == [mark]
    assert "the whole chat up to its result 40" in page
    done = lift(client, page, reason="Read the whole chat.", covers=[R1, mark])
    assert done.status_code == 303
    [row] = [r for r in list_taints(store) if r.key == KEY]
    assert row.by["lifted"]["chains"] == [{"digest": mark, "count": 40}]
    assert sorted(c["digest"] for c in row.by["covers"]) == sorted([R1, mark])
