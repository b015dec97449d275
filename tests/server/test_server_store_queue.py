"""The service's queue for SQLite decisions counts against ``gate.store_timeout``.

On SQLite the service queues its deciding threads on one in-process lock. A request waits for that lock no
longer than the store timeout: one that does not get it in time is denied (AG000, ``store_failure:
queued``), and that deny is recorded without the queue — or, when the store itself is locked too, says it is
not recorded (AG006). The queue is held here by the test itself, for as long as the request takes: before
the wait counted, such a request never returned.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from fastapi.testclient import TestClient
from server_testlib import POLICY, auth, keys_for, make_app, spend

from brandrail.gate import GateStore
from brandrail.ledger._store import sqlite_file

_POLICY = POLICY + "  store_timeout: 0.3s\n"


def _queue(app: object) -> threading.Lock:
    queue = app.state.sqlite_writer  # type: ignore[attr-defined]
    assert isinstance(queue, type(threading.Lock()))
    return queue


def test_a_request_queued_past_the_store_timeout_is_a_recorded_deny(tmp_path: Path) -> None:
    app, _, store_url = make_app(tmp_path, policy_text=_POLICY)
    keys = keys_for(app)
    with TestClient(app) as client:
        queue = _queue(app)
        assert queue.acquire(timeout=10)
        try:  # another decision of this process holds the queue for longer than the store timeout
            response = client.post("/v1/gate/decide", json=spend("5"), headers=auth(keys["agent"]))
        finally:
            queue.release()
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["outcome"] == "deny" and body["codes"] == ["AG000"], body
        evidence = body["findings"][0]["evidence"]
        assert evidence["store_failure"] == "queued"
        assert "queued" in body["findings"][0]["message"]
        assert body["ledger_seq"] is not None  # recorded
        # the queue is free again: the next request is decided as usual
        after = client.post("/v1/gate/decide", json=spend("5"), headers=auth(keys["agent"]))
        assert after.json()["outcome"] == "allow"
    store = GateStore.from_url(store_url)
    entry = store.ledger.get(body["decision_id"])
    assert entry is not None and entry.payload["outcome"] == "deny"
    assert entry.payload["store_failure"] == "queued" and entry.payload["error_class"] == "QueueTimeoutError"
    assert store.ledger.verify().ok and store.reconcile() == []


def test_a_queued_request_whose_deny_cannot_be_recorded_says_so(tmp_path: Path) -> None:
    app, _, store_url = make_app(tmp_path, policy_text=_POLICY)
    keys = keys_for(app)
    with TestClient(app) as client:
        client.post("/v1/gate/decide", json=spend("5"), headers=auth(keys["agent"]))  # the store exists
        queue = _queue(app)
        path = sqlite_file(store_url)
        assert path is not None
        holder = sqlite3.connect(path, timeout=60, isolation_level=None, check_same_thread=False)
        assert queue.acquire(timeout=10)
        holder.execute("BEGIN IMMEDIATE")  # and a second connection holds the store's write lock
        try:
            response = client.post("/v1/gate/decide", json=spend("5"), headers=auth(keys["agent"]))
        finally:
            holder.execute("COMMIT")
            holder.close()
            queue.release()
        body = response.json()
        assert body["outcome"] == "deny" and body["codes"] == ["AG000", "AG006"], body
        assert body["ledger_seq"] is None and body["extra"]["recorded"] is False
    store = GateStore.from_url(store_url)
    assert store.ledger.get(body["decision_id"]) is None  # said not recorded, and it is not
    assert store.ledger.verify().ok
