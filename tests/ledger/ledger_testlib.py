"""Helpers shared by the ledger tests (a module name no other test directory uses)."""

from __future__ import annotations

import sqlalchemy as sa

from brandrail.ledger import Ledger


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
