"""What-if: run the ledger's past actions through a new policy and list every decision that would change.

The actions are replayed in ledger order on a scratch in-memory store, with the clock set to each
entry's time, so counters and windows evolve as they would have under the new policy. Consent and
suppression are answered as the original decision observed them (each decision's ledger entry records
what its lookups returned); for entries without that record, the real store's current consent and
suppression records are used. Reported outcomes are replayed too. An action
that a reviewer approved is treated as approved again if the new policy also sends it to review.
Actions in the ledger are masked (see ``gate.masking``): checks that read masked fields (e-mail, phone,
personal data inside content) may see less than the original gate did.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.engine import Connection

from brandrail.gate.actions import parse_action
from brandrail.gate.approvals import approve
from brandrail.gate.consent import GPC_CHANNEL
from brandrail.gate.decide import Gate
from brandrail.gate.principal import Principal
from brandrail.gate.store import GateStore
from brandrail.gate.store import tables as t
from brandrail.policy import Policy

__all__ = ["Change", "ReplayReport", "replay"]


@dataclass(frozen=True)
class Change:
    seq: int
    decision_id: str
    action_id: str | None
    kind: str | None
    old_outcome: str
    new_outcome: str
    old_codes: tuple[str, ...]
    new_codes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "decision_id": self.decision_id,
            "action_id": self.action_id,
            "kind": self.kind,
            "old": {"outcome": self.old_outcome, "codes": list(self.old_codes)},
            "new": {"outcome": self.new_outcome, "codes": list(self.new_codes)},
        }


@dataclass(frozen=True)
class ReplayReport:
    policy_version: str
    decisions: int
    replayed: int
    skipped: int
    changes: tuple[Change, ...]
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": 1,
            "policy_version": self.policy_version,
            "decisions": self.decisions,
            "replayed": self.replayed,
            "skipped": self.skipped,
            "changed": len(self.changes),
            "changes": [c.to_dict() for c in self.changes],
        }


class _ReplayStore(GateStore):
    """A scratch store whose consent and suppression lookups return what the original decision saw."""

    observed: dict[str, Any] | None = None

    def contacts(
        self,
        conn: Connection,
        identifiers: tuple[str, ...],
        channel: str,
        grants_from: tuple[str, ...] | None = None,
    ) -> tuple[dict[str, str], bool | None, str | None, list[tuple[str, str]]]:
        pseudo, granted, suppressed, _ = super().contacts(conn, identifiers, channel, grants_from)
        seen = self.observed or {}
        if channel == GPC_CHANNEL:
            # a remembered GPC signal, as the original decision saw it (none when it did not look)
            return pseudo, (False if seen.get("gpc_on_record") else None), None, []
        if "consent" in seen:
            granted = None if seen["consent"] is None else bool(seen["consent"])
        if "suppressed" in seen:
            suppressed = str(seen.get("suppression_reason") or "") if seen["suppressed"] else None
        # the scratch store's copied rows have no entries in its ledger: what counts is what was observed
        return pseudo, granted, suppressed, []

    def contacts_with_gpc(
        self,
        conn: Connection,
        identifiers: tuple[str, ...],
        channel: str,
        grants_from: tuple[str, ...] | None = None,
    ) -> tuple[tuple[dict[str, str], bool | None, str | None, list[tuple[str, str]]], tuple[bool, list[str]]]:
        # a remembered GPC signal, as the original decision saw it (none when it did not look)
        return self.contacts(conn, identifiers, channel, grants_from), (
            bool((self.observed or {}).get("gpc_on_record")),
            [],
        )

    def state_problems(self, conn: Connection, found: Any, channel: str) -> list[tuple[str, str]]:
        # the rows were copied from the source store (whose bindings ``ledger verify`` checks) into a
        # scratch store whose ledger holds none of their entries
        return []


def _copy_consent(source: GateStore, target: GateStore) -> None:
    with source.reader() as conn:
        consent = [dict(r) for r in conn.execute(sa.select(t.consent)).mappings()]
        suppression = [dict(r) for r in conn.execute(sa.select(t.suppression)).mappings()]
        subjects = [dict(r) for r in conn.execute(sa.select(t.subjects)).mappings()]
    with target.transaction() as conn:
        if subjects:
            # bound afresh in the scratch store's own ledger (the source's bindings are checked by verify)
            conn.execute(t.subjects.insert(), [{**row, "binding": None} for row in subjects])
            target._adopt_links(conn)
        if consent:
            conn.execute(t.consent.insert(), consent)
        if suppression:
            conn.execute(t.suppression.insert(), suppression)


def replay(policy: Policy, source: GateStore) -> ReplayReport:
    """Replay the decisions of ``source``'s ledger under ``policy``; list those that change."""
    from brandrail.ledger import Ledger

    source.ledger.require()
    scratch = _ReplayStore(Ledger.from_url("sqlite://").engine)
    scratch.migrate()
    scratch.keys = source.keys
    _copy_consent(source, scratch)
    moment: list[datetime] = [datetime.now().astimezone()]
    gate = Gate(policy, scratch, clock=lambda: moment[0])
    mapped: dict[str, str] = {}
    changes: list[Change] = []
    decisions = replayed = skipped = 0
    for entry in source.ledger.entries():
        payload = entry.payload
        if not isinstance(payload, dict):
            continue
        moment[0] = datetime.fromisoformat(entry.time.replace("Z", "+00:00"))
        if entry.kind == "outcome":
            new_id = mapped.get(str(payload.get("decision_id")))
            if new_id is not None:
                gate.report_outcome(new_id, executed=bool(payload.get("executed")))
            continue
        if entry.kind != "decision":
            continue
        decisions += 1
        if payload.get("action") is None:
            skipped += 1
            continue
        try:
            action = parse_action(payload["action"])
        except ValidationError:
            skipped += 1
            continue
        replayed += 1
        observed = payload.get("observed")
        scratch.observed = observed if isinstance(observed, dict) else None
        claimed = payload.get("principal")
        who = (
            Principal(str(claimed["id"]), frozenset({"agent"}), via="replay")
            if isinstance(claimed, dict) and claimed.get("id")
            else None
        )
        new = gate.decide(action, principal=who)
        if (
            new.outcome == "review"
            and payload.get("approval_id")
            and payload.get("outcome") in ("allow", "modify")
        ):
            if new.approval_id:
                approve(
                    scratch,
                    new.approval_id,
                    reviewer=Principal("replay", frozenset({"reviewer"}), via="replay"),
                    comment="approved in the ledger",
                    now=moment[0],
                )
            new = gate.decide(action, principal=who)
        if new.allowed:
            mapped[str(payload.get("decision_id"))] = new.decision_id
        old_codes = tuple(sorted(payload.get("codes") or []))
        if new.outcome != payload.get("outcome") or tuple(new.codes) != old_codes:
            changes.append(
                Change(
                    seq=entry.seq,
                    decision_id=str(payload.get("decision_id")),
                    action_id=payload.get("action_id"),
                    kind=payload["action"].get("kind"),
                    old_outcome=str(payload.get("outcome")),
                    new_outcome=new.outcome,
                    old_codes=old_codes,
                    new_codes=tuple(new.codes),
                )
            )
    scratch.engine.dispose()
    return ReplayReport(policy.version, decisions, replayed, skipped, tuple(changes))
