"""API keys are bound to their ledger entries (brandrail.service.keys): someone who can write the
``api_keys`` table, but not rewrite the ledger, can neither mint a key nor widen, extend or un-revoke one."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from server_testlib import auth, make_app
from typer.testing import CliRunner

from brandrail.cli import app as cli
from brandrail.service.keys import KeyStore, api_keys

pytestmark = pytest.mark.extras


def _forged_row(key_id: str, secret: str, **values: Any) -> dict[str, Any]:
    return {
        "key_id": key_id,
        "principal": "mallory",
        "roles": "admin,agent,reviewer",
        "secret_sha256": hashlib.sha256(secret.encode()).hexdigest(),
        "created_at": datetime.now(UTC),
        "expires_at": None,
        "revoked_at": None,
        "note": "",
        **values,
    }


def _edit(store: KeyStore, key_id: str, **values: Any) -> None:
    with store.engine.begin() as conn:
        conn.execute(api_keys.update().where(api_keys.c.key_id == key_id).values(**values))


def test_a_key_row_written_outside_brandrail_is_refused(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    app, _, store_url = make_app(tmp_path)
    store = KeyStore(store_url)
    admin, _ = store.create("root", ["admin"])
    client = TestClient(app)
    assert client.get("/v1/admin/keys", headers=auth(admin)).status_code == 200
    with store.engine.begin() as conn:
        conn.execute(api_keys.insert().values(**_forged_row("0123456789ab", "s" * 43)))
    forged = client.get("/v1/admin/keys", headers=auth("brk_0123456789ab_" + "s" * 43))
    assert forged.status_code == 401


@pytest.mark.parametrize(
    "values",
    [
        {"roles": "admin,agent"},  # widen
        {"principal": "ana"},  # become a reviewer
        {"expires_at": datetime(2099, 1, 1, tzinfo=UTC)},  # extend an expired key
        {"secret_sha256": hashlib.sha256(b"known").hexdigest()},  # swap in a secret one knows
    ],
    ids=lambda values: next(iter(values)),
)
def test_an_edited_key_row_stops_working(tmp_path: Path, values: dict[str, Any]) -> None:
    from fastapi.testclient import TestClient

    app, _, store_url = make_app(tmp_path)
    store = KeyStore(store_url)
    expiry = {"expires_in": timedelta(hours=1), "now": datetime.now(UTC) - timedelta(hours=2)}
    key, record = store.create("bot", ["agent"], **(expiry if "expires_at" in values else {}))
    client = TestClient(app)
    if "expires_at" not in values:
        assert client.post("/v1/check", json={"text": "hi"}, headers=auth(key)).status_code == 200
    _edit(store, record.key_id, **values)
    presented = f"brk_{record.key_id}_known" if "secret_sha256" in values else key
    assert client.post("/v1/check", json={"text": "hi"}, headers=auth(presented)).status_code == 401
    assert client.get("/v1/admin/keys", headers=auth(presented)).status_code == 401


def test_a_revocation_cannot_be_taken_back_in_the_table(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    app, _, store_url = make_app(tmp_path)
    store = KeyStore(store_url)
    key, record = store.create("bot", ["agent"])
    client = TestClient(app)
    store.revoke(record.key_id)
    _edit(store, record.key_id, revoked_at=None)
    assert client.post("/v1/check", json={"text": "hi"}, headers=auth(key)).status_code == 401
    store.revoke(record.key_id)  # revoking again is fine
    verify = CliRunner().invoke(cli, ["ledger", "verify", "--db", store_url])
    assert verify.exit_code == 0, verify.output  # keys and revocations are ordinary, intact entries


def test_keys_made_before_keys_were_recorded_are_adopted_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'gate.db'}"
    engine = sa.create_engine(url)
    api_keys.metadata.create_all(engine)
    with engine.begin() as conn:  # a key as an older brandrail stored it: no ledger at all
        conn.execute(api_keys.insert().values(**_forged_row("aaaaaaaaaaaa", "old-secret", roles="agent")))
    engine.dispose()
    store = KeyStore(url)
    assert store.verify("brk_aaaaaaaaaaaa_old-secret") is not None
    assert KeyStore(url).verify("brk_aaaaaaaaaaaa_old-secret") is not None  # adopted once, still valid
    with store.engine.begin() as conn:  # a row added after the adoption is not
        conn.execute(api_keys.insert().values(**_forged_row("bbbbbbbbbbbb", "new-secret")))
    assert KeyStore(url).verify("brk_bbbbbbbbbbbb_new-secret") is None
    assert store.ledger.verify().ok


@pytest.mark.postgres
def test_key_binding_on_postgresql() -> None:
    from pg_testlib import drop_pg_schema, new_pg_url, pg_available

    if not pg_available():
        pytest.skip("PostgreSQL not reachable at 127.0.0.1:5432")
    url, schema = new_pg_url()
    try:
        store = KeyStore(url)
        key, record = store.create("bot", ["agent"], expires_in=timedelta(days=1))
        assert store.verify(key) is not None
        assert KeyStore(url).verify(key) is not None  # another instance: same ledger, same answer
        _edit(store, record.key_id, roles="admin,agent")
        assert KeyStore(url).verify(key) is None
        _edit(store, record.key_id, roles="agent")
        assert KeyStore(url).verify(key) is not None
        store.revoke(record.key_id)
        _edit(store, record.key_id, revoked_at=None)
        assert KeyStore(url).verify(key) is None
        assert store.ledger.verify().ok
        store.engine.dispose()
    finally:
        drop_pg_schema(schema)


def test_ledger_verify_names_an_edited_key_row(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    app, _, store_url = make_app(tmp_path)
    store = KeyStore(store_url)
    auditor, _ = store.create("audit", ["auditor"])
    _, record = store.create("bot", ["agent"])
    assert CliRunner().invoke(cli, ["ledger", "verify", "--db", store_url]).exit_code == 0
    _edit(store, record.key_id, roles="admin,agent")
    verify = CliRunner().invoke(cli, ["ledger", "verify", "--db", store_url])
    assert verify.exit_code == 1
    assert f"side_table: {record.key_id}: API key {record.key_id}: the 'roles' of its row" in verify.stdout
    over_http = TestClient(app).get("/v1/ledger/verify", headers=auth(auditor)).json()
    assert not over_http["ok"] and over_http["side_table_problems"][0]["row"] == record.key_id
