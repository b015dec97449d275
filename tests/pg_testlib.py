"""PostgreSQL for tests: is the server there, and a fresh schema per test so parallel runs never share tables."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

PG_BASE = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def pg_available() -> bool:
    try:
        engine = sa.create_engine(PG_BASE)
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:
        return False


def new_pg_url(prefix: str = "gt") -> tuple[str, str]:
    """A fresh schema and a URL whose connections use it (search_path), so tests never share tables."""
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(PG_BASE)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    return f"{PG_BASE}?options=-csearch_path%3D{schema}", schema


def drop_pg_schema(schema: str) -> None:
    engine = sa.create_engine(PG_BASE)
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


@contextmanager
def pg_schema(prefix: str = "gt") -> Iterator[str]:
    """A fresh schema's URL for the ``with`` block (dropped after it); skips the test without PostgreSQL."""
    import pytest

    if not pg_available():
        pytest.skip("PostgreSQL at 127.0.0.1:5432 is not reachable")
    url, schema = new_pg_url(prefix)
    try:
        yield url
    finally:
        drop_pg_schema(schema)


class AdvisoryLockHolder:
    """A second PostgreSQL session that holds an advisory lock (session-level, such as a ledger's
    ``lock_key``) until :meth:`release`. Taking it waits, within ``wait`` s, for a session that holds it
    for a moment. (Before ledger schema version 2 the key was the table's name alone, so a parallel test's
    ledger in another schema could hold it; now each schema's table has its own key.)"""

    def __init__(self, url: str, key: int, wait: float = 30.0) -> None:
        import time

        import sqlalchemy as sa

        self.engine = sa.create_engine(url)
        self.conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        deadline = time.monotonic() + wait
        while not self.conn.execute(sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar_one():
            assert time.monotonic() < deadline, f"another session held the advisory lock for {wait:.0f} s"
            time.sleep(0.05)
        self.key = key

    def release(self) -> None:
        import sqlalchemy as sa

        if not self.conn.closed:
            self.conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": self.key})
            self.conn.close()
            self.engine.dispose()
