"""Policy tests for the gate: cases of (given state, action) → expected decision and codes.

A cases file is YAML::

    cases:
      - name: fourth e-mail in a week is denied
        now: "2026-05-04T10:00:00Z"          # optional; default: the action's time
        given:
          consent: [{recipient: c1, channel: email}]          # granted: true by default
          suppression: [{value: c2@example.com, channel: "*"}]
          prices: [{item: tent-2p, price: "199.00"}]           # the item's current price
          history: [ {kind: send_message, ...}, ... ]          # decided (and executed) first
          approved_by: ana                                     # approve the action's review first
          rejected_by: bob                                     # or reject it, then decide it again
        action: {kind: send_message, channel: email, recipient: {id: c1}, content: "..."}
        expect: {decision: deny, codes: [AG301]}               # codes: must all be present

``id``, ``agent`` and ``time`` may be left out of actions (filled with a case id, ``agent`` and ``now``).
Every case runs on a fresh in-memory store. :func:`run_cases` returns the results and the AG codes that
no case exercised.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from brandrail.errors import ApprovalError, InputError, UsageError
from brandrail.gate.codes import ALL_CODES
from brandrail.gate.decide import Gate
from brandrail.gate.decision import Decision
from brandrail.gate.principal import canonical_id
from brandrail.gate.store import GateStore
from brandrail.policy import Policy

__all__ = ["CaseResult", "CasesReport", "load_cases", "memory_store", "run_cases"]

_OUTCOMES = ("allow", "deny", "review", "modify")
_CASE_KEYS = {"name", "now", "given", "action", "expect"}
_GIVEN_KEYS = {"consent", "suppression", "gpc", "prices", "history", "approved_by", "rejected_by"}


@dataclass(frozen=True)
class CaseResult:
    name: str
    passed: bool
    expected_decision: str
    expected_codes: tuple[str, ...]
    decision: str
    codes: tuple[str, ...]
    problems: tuple[str, ...] = ()
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "passed": self.passed,
            "expected": {"decision": self.expected_decision, "codes": list(self.expected_codes)},
            "got": {"decision": self.decision, "codes": list(self.codes)},
            "problems": list(self.problems),
        }


@dataclass(frozen=True)
class CasesReport:
    results: tuple[CaseResult, ...]
    exercised: tuple[str, ...]
    unexercised: tuple[str, ...]
    policy_version: str
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": 1,
            "policy_version": self.policy_version,
            "passed": self.passed,
            "counts": {
                "cases": len(self.results),
                "passed": sum(r.passed for r in self.results),
                "failed": sum(not r.passed for r in self.results),
            },
            "cases": [r.to_dict() for r in self.results],
            "exercised_codes": list(self.exercised),
            "unexercised_codes": list(self.unexercised),
        }


def memory_store() -> GateStore:
    """A fresh in-memory SQLite gate store (with its ledger)."""
    from brandrail.ledger import Ledger

    store = GateStore(Ledger.from_url("sqlite://").engine)
    store.migrate()
    return store


def load_cases(path: Path) -> list[dict[str, Any]]:
    """Read and shape-check a cases file; errors name the case and the key."""
    import yaml

    from brandrail.text.io import decode, read_input

    name, raw = read_input(str(path))  # bounded, regular files only: a device or a pipe is refused
    text = decode(raw, name)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark is not None else str(path)
        raise InputError(
            f"the cases file is not valid YAML: {getattr(exc, 'problem', exc)}", location=where
        ) from None
    cases = data.get("cases") if isinstance(data, dict) else None
    if not isinstance(cases, list) or not cases:
        raise UsageError("a cases file needs a non-empty list under `cases:`", location=str(path))
    for index, case in enumerate(cases, 1):
        where = f"{path}: case {index}"
        if not isinstance(case, dict):
            raise UsageError("each case must be a mapping", location=where)
        unknown = set(case) - _CASE_KEYS
        if unknown:
            raise UsageError(
                f"unknown key(s) {', '.join(sorted(unknown))}",
                location=where,
                hint=f"use {sorted(_CASE_KEYS)}",
            )
        if not isinstance(case.get("action"), dict):
            raise UsageError("`action:` (a mapping) is required", location=where)
        expect = case.get("expect")
        if not isinstance(expect, dict) or expect.get("decision") not in _OUTCOMES:
            raise UsageError(
                f"`expect: {{decision: ...}}` must be one of {', '.join(_OUTCOMES)}", location=where
            )
        given = case.get("given") or {}
        if not isinstance(given, dict) or set(given) - _GIVEN_KEYS:
            raise UsageError(f"`given:` may hold {', '.join(sorted(_GIVEN_KEYS))}", location=where)
        reviewers = [key for key in ("approved_by", "rejected_by") if given.get(key) is not None]
        if len(reviewers) > 1:
            raise UsageError("`given:` holds approved_by or rejected_by, not both", location=where)
        for key in reviewers:
            name = given[key]
            if isinstance(name, bool) or not isinstance(name, str | int) or not canonical_id(str(name)):
                raise UsageError(
                    f"`given: {{{key}: ...}}` must name a reviewer",
                    location=where,
                    hint="e.g. approved_by: ana",
                )
    return cases


def _fill(action: dict[str, Any], ident: str, now: datetime) -> dict[str, Any]:
    out = dict(action)
    out.setdefault("id", ident)
    out.setdefault("agent", "agent")
    out.setdefault("time", now.isoformat())
    return out


def _parse_now(value: Any, action: dict[str, Any]) -> datetime:
    raw = value if value is not None else action.get("time")
    if isinstance(raw, datetime):
        return raw if raw.tzinfo else raw.replace(tzinfo=UTC)
    if isinstance(raw, str):
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return datetime.now(UTC)


def seed_store(store: GateStore, given: dict[str, Any], now: datetime) -> None:
    """Put a case's ``given`` state into ``store``: consent records, GPC signals, suppressions and prices
    (recorded as the price on ``now``'s day); the format of docs/gate.md, "Policy tests"."""
    from decimal import Decimal

    from brandrail.gate.consent import record_gpc
    from brandrail.gate.rules import cents

    for record in given.get("consent") or []:
        store.set_consent(str(record["recipient"]), str(record["channel"]), bool(record.get("granted", True)))
    for recipient in given.get("gpc") or []:
        record_gpc(store, str(recipient))
    for record in given.get("suppression") or []:
        store.suppress(str(record["value"]), str(record.get("channel", "*")), reason=record.get("reason"))
    for record in given.get("prices") or []:
        price = cents(Decimal(str(record["price"])))
        with store.transaction() as conn:
            store.record_price(
                conn, str(record["item"]), now.astimezone(UTC).date().isoformat(), price, price
            )


def run_case(policy: Policy, case: dict[str, Any], index: int, seen: set[str]) -> CaseResult:

    from brandrail.gate.approvals import approve, reject
    from brandrail.gate.principal import Principal

    name = str(case.get("name") or f"case {index}")
    given = case.get("given") or {}
    now = _parse_now(case.get("now"), case["action"])
    clock: Callable[[], datetime] = lambda: now  # noqa: E731
    store = memory_store()
    # a test case is mocked input: its actions' times are taken at their word (trust_action_time)
    gate = Gate(policy, store, clock=clock, trust_action_time=True)
    seed_store(store, given, now)
    for number, past in enumerate(given.get("history") or [], 1):
        moment = _parse_now(None, past) if "time" in past else now
        earlier = gate.decide(_fill(past, f"case{index}-history{number}", moment))
        seen.update(earlier.codes)
        if earlier.allowed:
            gate.report_outcome(earlier.decision_id, executed=True)
    action = _fill(case["action"], f"case{index}-action", now)
    decision: Decision = gate.decide(action)
    reviewer = given.get("approved_by") or given.get("rejected_by")
    refused = ""
    if reviewer and decision.outcome == "review" and decision.approval_id:
        seen.update(decision.codes)
        answer = approve if given.get("approved_by") else reject
        who = Principal(str(reviewer), frozenset({"reviewer"}), via="test")
        try:
            answer(store, decision.approval_id, reviewer=who, comment="case", now=now)
        except ApprovalError as exc:  # e.g. the proposer answering its own request: the gate refuses it
            refused = f" (the answer was refused: {exc.message})"
        else:
            decision = gate.decide(action)
    seen.update(decision.codes)
    expect = case["expect"]
    want_codes = tuple(str(code) for code in expect.get("codes") or [])
    problems = []
    if decision.outcome != expect["decision"]:
        problems.append(f"decision {decision.outcome}, expected {expect['decision']}{refused}")
    missing = [code for code in want_codes if code not in decision.codes]
    if missing:
        problems.append(f"missing code(s) {', '.join(missing)}")
    store.engine.dispose()
    return CaseResult(
        name=name,
        passed=not problems,
        expected_decision=str(expect["decision"]),
        expected_codes=want_codes,
        decision=decision.outcome,
        codes=tuple(decision.codes),
        problems=tuple(problems),
        message=decision.message(),
    )


def run_cases(policy: Policy, cases: list[dict[str, Any]]) -> CasesReport:
    """Run every case; report results and the AG codes no case exercised."""
    seen: set[str] = set()
    results = tuple(run_case(policy, case, index, seen) for index, case in enumerate(cases, 1))
    gate_codes = sorted(ALL_CODES)
    exercised = tuple(code for code in gate_codes if code in seen)
    unexercised = tuple(code for code in gate_codes if code not in seen)
    return CasesReport(results, exercised, unexercised, policy.version)
