"""The records the ledger hands out: entries, problems and verification reports."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from brandrail.ledger._canonical import entry_hash

if TYPE_CHECKING:
    from brandrail.ledger._checkpoint import Checkpoint

__all__ = ["PROBLEM_KINDS", "LedgerEntry", "Problem", "VerifyReport"]

#: Every kind of problem :meth:`Ledger.verify` reports, with what it means.
PROBLEM_KINDS: dict[str, str] = {
    "edited": "the entry's fields no longer match its hash, or its hash was recomputed after an edit",
    "deleted": "entries are missing from the chain",
    "inserted": "an entry that the chain does not commit to was added",
    "reordered": "entries stand at a different sequence number than the one they were written with",
    "truncated": "entries at the end that a signed checkpoint covers were removed",
    "rewritten": "the chain up to a signed checkpoint no longer ends in the signed head hash",
    "broken_link": "an entry's prev_hash does not name the entry before it",
    "bad_signature": "the checkpoint's signature does not verify with the given public key",
    "side_table": "a gate row (decision, approval, consent, suppression, price, counter) does not match the ledger",
}


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One ledger entry.

    ``payload_json`` is the canonical JSON text that was hashed; ``payload`` is the same, parsed.
    ``hash`` is sha256 of the canonical JSON of every other field (with ``payload`` as an object).
    """

    seq: int
    id: str
    time: str
    kind: str
    payload_json: str
    policy_version: str
    prev_hash: str
    hash: str

    @property
    def payload(self) -> Any:
        """The payload, parsed from its canonical JSON."""
        return json.loads(self.payload_json)

    def computed_hash(self) -> str:
        """The hash these fields should have; differs from ``hash`` when the entry was edited (``""`` when a
        field holds something other than text, which the ledger never writes)."""
        fields = (self.id, self.time, self.kind, self.payload_json, self.policy_version, self.prev_hash)
        if not all(type(value) is str for value in fields):
            return ""
        return entry_hash(
            self.seq, (self.id, self.time, self.kind, self.payload_json, self.policy_version, self.prev_hash)
        )

    def to_dict(self) -> dict[str, Any]:
        """The entry as one JSON object (the form ``export_jsonl`` writes)."""
        return {
            "seq": self.seq,
            "id": self.id,
            "time": self.time,
            "kind": self.kind,
            "payload": self.payload,
            "policy_version": self.policy_version,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


class Problem(NamedTuple):
    """One thing wrong with the ledger: the sequence number where it shows, its kind and a description."""

    seq: int
    kind: str
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "kind": self.kind, "detail": self.detail}


@dataclass(slots=True)
class VerifyReport:
    """What :meth:`Ledger.verify` found. Truthy when the ledger verifies."""

    ok: bool
    count: int
    problems: list[Problem] = field(default_factory=list)
    head_seq: int = 0
    head_hash: str = ""
    head_policy_version: str | None = None
    checkpoint: Checkpoint | None = None
    signature_ok: bool | None = None
    problems_truncated: bool = False

    def __bool__(self) -> bool:
        return self.ok

    @property
    def kinds(self) -> set[str]:
        """The kinds of problem found."""
        return {problem.kind for problem in self.problems}

    def to_dict(self) -> dict[str, Any]:
        """Stable JSON form (``schema_version`` 1) that ``brandrail ledger verify --format json`` prints."""
        return {
            "schema_version": 1,
            "policy_version": self.head_policy_version,
            "ok": self.ok,
            "count": self.count,
            "head": {"seq": self.head_seq, "hash": self.head_hash},
            "problems": [problem.to_dict() for problem in self.problems],
            "problems_truncated": self.problems_truncated,
            "checkpoint": None
            if self.checkpoint is None
            else {**self.checkpoint.to_dict(), "signature_ok": self.signature_ok},
        }
