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
