"""Fixtures for the ledger tests: a fresh ledger on SQLite and on the local PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from ledger_testlib import PG_URL, pg_engine

from brandrail.ledger import Ledger

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def ledger_url(backend: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(database URL, unique table name) for a fresh ledger; PostgreSQL tables are dropped afterwards."""
    table = f"ledger_{uuid.uuid4().hex[:12]}"
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.db'}", table
        return
    pg_engine()
    yield PG_URL, table
    with pg_engine().begin() as conn:
        conn.execute(sa.text(f'DROP FUNCTION IF EXISTS "{table}_append"'))
        conn.execute(sa.text(f'DROP TABLE IF EXISTS "{table}"'))
        conn.execute(sa.text(f'DROP TABLE IF EXISTS "{table}_meta"'))


@pytest.fixture
def make_ledger(ledger_url: tuple[str, str]) -> Callable[[], Ledger]:
    """Make a Ledger on the fresh table (several calls give several handles on the same table)."""
    url, table = ledger_url
    made: list[Ledger] = []

    def make() -> Ledger:
        ledger = Ledger(pg_engine(), table=table) if url == PG_URL else Ledger.from_url(url, table=table)
        ledger.create_schema()
        made.append(ledger)
        return ledger

    return make


@pytest.fixture
def ledger(make_ledger: Callable[[], Ledger]) -> Ledger:
    return make_ledger()
