"""The tamper-evident decision ledger: an append-only, hash-chained log in SQLite or PostgreSQL.

Every entry holds ``seq`` (1, 2, 3, ...), ``id`` (a UUID), ``time`` (UTC ISO-8601), ``kind``, ``payload``
(canonical JSON), ``policy_version``, ``prev_hash`` (the previous entry's hash; 64 zeros for the first) and
``hash`` = sha256 of the canonical JSON of all the other fields. :meth:`Ledger.verify` walks the chain
and names every edited, deleted, inserted or reordered entry; Ed25519-signed :class:`Checkpoint` s let
someone holding only the public key detect a removed tail or a rewritten chain.

    from brandrail.ledger import Ledger

    ledger = Ledger.from_url("sqlite:///.brandrail/gate.db")
    ledger.create_schema()
    with ledger.begin() as conn:          # BEGIN IMMEDIATE on SQLite; advisory lock on PostgreSQL
        ledger.append(conn, kind="decision", payload={"decision": "allow"}, policy_version="ab12...")
    assert ledger.verify().ok

Personal data must be masked before it reaches :meth:`Ledger.append` (the gate does this per policy):
the ledger cannot forget what it was given without breaking its own chain.
"""

from __future__ import annotations

from brandrail._extras import require as _require

_require("gate", "sqlalchemy", "cryptography")

from brandrail.ledger._canonical import GENESIS_HASH, canonical_json
from brandrail.ledger._checkpoint import (
    Checkpoint,
    generate_keypair,
    load_private_key,
    load_public_key,
    verify_checkpoint,
)
from brandrail.ledger._entry import PROBLEM_KINDS, LedgerEntry, Problem, VerifyReport
from brandrail.ledger._store import (
    DEFAULT_DB_URL,
    SCHEMA_VERSION,
    Ledger,
    PreparedEntry,
    deadline_error,
    transient_error,
    verify_jsonl,
    write_deadline,
)

__all__ = [
    "DEFAULT_DB_URL",
    "GENESIS_HASH",
    "PROBLEM_KINDS",
    "SCHEMA_VERSION",
    "Checkpoint",
    "Ledger",
    "LedgerEntry",
    "PreparedEntry",
    "Problem",
    "VerifyReport",
    "canonical_json",
    "deadline_error",
    "generate_keypair",
    "load_private_key",
    "load_public_key",
    "transient_error",
    "verify_checkpoint",
    "verify_jsonl",
    "write_deadline",
]
