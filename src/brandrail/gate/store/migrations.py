"""Numbered schema migrations of the gate's tables, recorded in ``gate_schema_migrations``.

Each step runs once, in order, inside the caller's writer transaction (PostgreSQL additionally holds an
advisory lock, so several gate processes starting at once migrate exactly once). Add a step by
appending ``(version, function)`` to :data:`MIGRATIONS`; never edit a released step.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from brandrail.errors import GateError
from brandrail.gate.store import tables as t

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "migrate"]


def _v1_initial(conn: Connection) -> None:
    """The first schema: every table in :mod:`brandrail.gate.store.tables`."""
    t.metadata.create_all(conn, checkfirst=True)


MIGRATIONS: list[tuple[int, Callable[[Connection], None]]] = [(1, _v1_initial)]
SCHEMA_VERSION = MIGRATIONS[-1][0]


def migrate(conn: Connection) -> list[int]:
    """Apply the steps not yet recorded; returns the versions applied."""
    t.migrations.create(conn, checkfirst=True)
    done = {int(v) for v in conn.execute(sa.select(t.migrations.c.version)).scalars()}
    if done and max(done) > SCHEMA_VERSION:
        raise GateError(
            f"the gate store has schema version {max(done)}, newer than this brandrail understands "
            f"({SCHEMA_VERSION})",
            hint="upgrade brandrail",
        )
    applied = []
    for version, step in MIGRATIONS:
        if version in done:
            continue
        step(conn)
        conn.execute(t.migrations.insert().values(version=version, applied_at=t.iso(datetime.now(UTC))))
        applied.append(version)
    return applied
