"""Fixtures for the gate tests: a gate on a fresh SQLite file or a fresh PostgreSQL schema, with a clock."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from gate_testlib import Clock

from brandrail.gate import Gate, GateStore
from brandrail.policy import policy_from_dict
from pg_testlib import drop_pg_schema, new_pg_url, pg_available

# the pseudonym key (normally a file outside the database); subprocesses inherit it
os.environ.setdefault("BRANDRAIL_PSEUDONYM_KEY", "test:" + "ab" * 32)

#: reviewers registered in the test policies ("ads-bot" also proposes actions: it must never review them)
REVIEWERS = [
    {"id": "ana", "roles": ["reviewer"]},
    {"id": "bob", "roles": ["reviewer"]},
    {"id": "ads-bot", "roles": ["agent", "reviewer"]},
]

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store_url(backend: str, tmp_path: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'gate.db'}"
        return
    if not pg_available():
        pytest.skip("PostgreSQL not reachable at 127.0.0.1:5432")
    url, schema = new_pg_url()
    yield url
    drop_pg_schema(schema)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'gate.db'}"


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime.fromisoformat("2026-05-04T10:00:00+00:00"))


@pytest.fixture
def make_gate(sqlite_url: str, clock: Clock) -> Callable[..., Gate]:
    """make_gate({...gate section...}, **other sections) → a Gate on one shared SQLite store."""
    stores: dict[str, GateStore] = {}

    def make(gate: dict[str, Any] | None = None, *, trust_time: bool = False, **sections: Any) -> Gate:
        data = {"gate": {"content_checks": False, "principals": REVIEWERS, **(gate or {})}, **sections}
        if "store" not in stores:
            stores["store"] = GateStore.from_url(sqlite_url)
        return Gate(policy_from_dict(data), stores["store"], clock=clock, trust_action_time=trust_time)

    return make
