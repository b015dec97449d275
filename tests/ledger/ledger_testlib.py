"""Helpers shared by the ledger tests (a module name no other test directory uses)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from brandrail.ledger import Ledger

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

_PG: dict[str, sa.Engine] = {}


def pg_engine() -> sa.Engine:
    """One pooled engine per test process; skips the test when the server is not reachable."""
    if "engine" not in _PG:
        engine = sa.create_engine(PG_URL, pool_size=12, max_overflow=4)
        try:
            with engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
        except sa.exc.OperationalError as exc:  # pragma: no cover - depends on the machine
            pytest.skip(f"PostgreSQL not reachable at {PG_URL}: {exc}")
        _PG["engine"] = engine
    return _PG["engine"]


def fill(ledger: Ledger, n: int, *, kind: str = "decision", policy_version: str = "a" * 64) -> None:
    """Append n entries with payload {"i": i} (i = 1..n for a fresh ledger)."""
    with ledger.begin() as conn:
        for i in range(1, n + 1):
            ledger.append(
                conn, kind=kind, payload={"i": i, "decision": "allow"}, policy_version=policy_version
            )


def run_sql(ledger: Ledger, *statements: str, **params: object) -> None:
    """Tamper with the table directly, as someone with database access would ({t} is the table)."""
    with ledger.engine.begin() as conn:
        for statement in statements:
            conn.execute(sa.text(statement.format(t=f'"{ledger.table_name}"')), params)
