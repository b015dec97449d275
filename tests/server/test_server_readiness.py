"""/readyz sees what deciding needs: the gate tables at this brandrail's schema version, and the ledger."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from server_testlib import POLICY

from brandrail.gate.store.migrations import SCHEMA_VERSION
from brandrail.ledger import SCHEMA_VERSION as LEDGER_SCHEMA_VERSION
from brandrail.policy import load_policy
from brandrail.server import ServiceConfig, create_app


def _app(tmp_path: Path, store_url: str) -> Any:
    policy_file = tmp_path / "brandrail.yaml"
    policy_file.write_text(POLICY, encoding="utf-8")
    config = ServiceConfig(policy_path=str(policy_file), gate_store=store_url)
    return create_app(load_policy(policy_file), config=config)


BREAKS: dict[str, tuple[str, str, str]] = {
    # name: (SQL that breaks it, the check, what it says)
    "ledger table dropped": ("DROP TABLE brandrail_ledger", "ledger", "missing or unreadable"),
    "ledger meta dropped": ("DROP TABLE brandrail_ledger_meta", "ledger", "missing or unreadable"),
    "ledger from a newer brandrail": (
        "UPDATE brandrail_ledger_meta SET value = '99' WHERE key = 'schema_version'",
        "ledger",
        f"schema version 99, this brandrail needs {LEDGER_SCHEMA_VERSION}",
    ),
    "gate table dropped": (
        "DROP TABLE gate_decisions",
        "gate_store",
        "table gate_decisions missing or unreadable",
    ),
    # the last two steps unrecorded (the last alone, the schema-keyed locks, is what a PostgreSQL store of an
    # earlier release lacks until `brandrail ledger upgrade-lock-key`: ready; tests/gate/test_gate_lock_keys.py)
    "gate schema behind": (
        f"DELETE FROM gate_schema_migrations WHERE version >= {SCHEMA_VERSION - 1}",
        "gate_store",
        f"schema version {SCHEMA_VERSION - 2}, this brandrail needs {SCHEMA_VERSION}",
    ),
}


def _check(tmp_path: Path, url: str, breaker: Callable[[str], None], name: str) -> None:
    client = TestClient(_app(tmp_path, url))
    ready = client.get("/readyz")
    assert ready.status_code == 200, ready.text
    assert ready.json()["checks"] == {
        "policy": "ok",
        "content_checks": "ok",
        "database": "ok",
        "gate_store": "ok",
        "ledger": "ok",
    }
    sql, check, says = BREAKS[name]
    breaker(sql)
    broken = client.get("/readyz")
    assert broken.status_code == 503
    body = broken.json()
    assert body["status"] == "not ready"
    assert body["checks"][check] == says
    assert all(v == "ok" for k, v in body["checks"].items() if k != check)
    assert "sqlite" not in broken.text.lower() and "postgres" not in broken.text.lower()  # no URL, no driver


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_readiness_on_sqlite(tmp_path: Path, name: str) -> None:
    url = f"sqlite:///{tmp_path / 'gate.db'}"

    def run(sql: str) -> None:
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            conn.exec_driver_sql(sql)
        engine.dispose()

    _check(tmp_path, url, run, name)


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_readiness_on_postgresql(tmp_path: Path, name: str) -> None:
    from pg_testlib import pg_schema

    with pg_schema("ready") as url:

        def run(sql: str) -> None:
            engine = sa.create_engine(url)
            with engine.begin() as conn:
                conn.exec_driver_sql(
                    sql.replace("DROP TABLE", "DROP TABLE IF EXISTS")
                    + (" CASCADE" if sql.startswith("DROP") else "")
                )
            engine.dispose()

        _check(tmp_path, url, run, name)


def test_a_database_that_does_not_answer_is_not_ready(tmp_path: Path) -> None:
    app = _app(tmp_path, f"sqlite:///{tmp_path / 'gate.db'}")
    client = TestClient(app)
    assert client.get("/readyz").status_code == 200  # opens the gate store
    store = app.state.brandrail["gate"].store
    store.engine.dispose()
    store.engine = sa.create_engine(f"sqlite:///{tmp_path / 'no' / 'such' / 'dir.db'}")
    broken = client.get("/readyz")
    assert broken.status_code == 503
    assert broken.json()["checks"]["database"] == "unavailable"
