"""The :class:`Gate`: decide agent actions against the policy and the shared state, and record every decision.

``decide()`` is a function of (policy, state, action): the stateless rules run first (outside any lock),
then one writer transaction checks idempotency, consent, suppression, prices and approvals, takes the
atomic reservations, records the decision and appends the masked ledger entry — all of which commit
together or not at all. Any error while deciding is a ``deny`` with the reason (fail closed).
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import uuid4

import sqlalchemy as sa
from pydantic import BaseModel, ValidationError
from sqlalchemy.engine import Connection

from brandrail.errors import GateError
from brandrail.findings import Finding, Severity
from brandrail.gate import actions as a
from brandrail.gate import approvals as ap
from brandrail.gate import codes as c
from brandrail.gate.actions import (
    Action,
    action_digest,
    legacy_action_digest,
    parse_action,
    validation_message,
)
from brandrail.gate.arguments import field_kind, values_problems
from brandrail.gate.bindings import decision_problem, price_record, response_digest
from brandrail.gate.budgets import (
    BudgetRead,
    budget_finding,
    read_budget_state,
    restore_budget,
    set_campaign_budget,
    spend_budget,
)
from brandrail.gate.consent import GPC_CHANNEL
from brandrail.gate.decision import CapUse, Decision, Outcome
from brandrail.gate.identity import normalise_identifier
from brandrail.gate.limits import check_input
from brandrail.gate.masking import TextMasker, mask_action, mask_strings, maybe_personal
from brandrail.gate.principal import Principal, canonical_id, library_principal
from brandrail.gate.pseudonyms import PseudonymKeys, resolve_pseudonyms
from brandrail.gate.rules import (
    SUBJECT,
    UNCAPPED,
    CounterPlan,
    Evaluation,
    EventPlan,
    discount_findings,
    evaluate,
    undeclared_audience,
)
from brandrail.gate.store import GateStore, PriceState
from brandrail.gate.store import tables as t
from brandrail.ledger import deadline_error, transient_error, write_deadline
from brandrail.policy import Policy
from brandrail.policy.sections.gate import parse_duration

if TYPE_CHECKING:
    from brandrail.ledger import LedgerEntry

__all__ = ["Gate", "QueueTimeoutError", "WriteStats"]

_T = TypeVar("_T")

_log = logging.getLogger("brandrail.gate")

#: Retries of a decision's transaction that lost to another writer: the first pause (seconds), the
#: longest, and the most attempts (the deadline, ``gate.store_timeout``, usually ends them first).
_RETRY_FIRST = 0.005
_RETRY_LONGEST = 0.25
_RETRY_ATTEMPTS = 12
#: :func:`~brandrail.ledger.transient_error`'s reasons in words
_FAILURE_WORDS = {
    "busy": "locked by another writer",
    "serialization_failure": "in conflict with another writer (serialisation failure)",
    "deadlock": "in a deadlock with another writer",
    "lock_not_available": "locked by another writer",
    "queued": "busy with this process's other decisions (queued)",
    # :func:`~brandrail.ledger.deadline_error`'s: the deadline itself ended the wait or the statement
    "pool_timeout": "without a free database connection (pool exhausted)",
    "statement_timeout": "too slow to answer (a statement ran past gate.store_timeout)",
}


class QueueTimeoutError(Exception):
    """The lock this process's deciding threads queue on (:meth:`Gate.decide`'s ``queue``) was not free
    before ``gate.store_timeout``."""


@contextmanager
def _queued(queue: threading.Lock | None, deadline: float) -> Iterator[None]:
    """Hold ``queue`` (when given), waiting for it no later than ``deadline`` (``time.monotonic()``);
    raises :class:`QueueTimeoutError` when it stays taken."""
    if queue is None:
        yield
        return
    if not queue.acquire(timeout=max(0.0, deadline - time.monotonic())):
        raise QueueTimeoutError(
            "this process's other decisions held the store's queue past gate.store_timeout"
        )
    try:
        yield
    finally:
        queue.release()


@dataclass
class WriteStats:
    """What a :class:`Gate`'s writes met since it was made (:attr:`Gate.write_stats`; thread-safe counts):
    ``retries`` — transactions run again after losing to another writer, by reason (``busy``,
    ``serialization_failure``, ``deadlock``, ``lock_not_available``); ``store_denied`` — decisions denied
    (AG000) because their transaction kept losing to other writers until ``gate.store_timeout``, whose deny
    was recorded; ``unrecorded`` — denies, whatever their error, that could not be recorded at all (AG006)."""

    retries: dict[str, int] = field(default_factory=dict)
    store_denied: int = 0
    unrecorded: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def count(self, what: str, reason: str | None = None) -> None:
        with self._lock:
            if what == "retry" and reason is not None:
                self.retries[reason] = self.retries.get(reason, 0) + 1
            elif what == "store_denied":
                self.store_denied += 1
            elif what == "unrecorded":
                self.unrecorded += 1

    def as_dict(self) -> dict[str, Any]:
        with self._lock:
            return {
                "retries": dict(self.retries),
                "store_denied": self.store_denied,
                "unrecorded": self.unrecorded,
            }


#: How many campaigns' budget reads a gate keeps for its one-statement spends (then it starts afresh).
_BUDGETS_KEPT = 4096

#: Top-level action fields that are never personal data (formats, enums, amounts): not run through masking.
_NOT_TEXT = frozenset({"kind", "time", "send_at", "channel", "period", "amount", "price", "cost", "budget"})

_ACTION_TYPES: tuple[type[BaseModel], ...] = (
    a.SendMessage,
    a.LaunchCampaign,
    a.PauseCampaign,
    a.SetBudget,
    a.Spend,
    a.SetPrice,
    a.SetDiscount,
    a.TargetAudience,
    a.PostSocial,
    a.ReplyCustomer,
    a.Custom,
)


_ONE_READING = {
    "number": "must be a JSON number, or text of plain ASCII digits with at most two decimals (parsers read "
    "exponents, separators, spaces, signs, non-ASCII digits and three decimals differently)",
    "bool": "must be true or false (tools read text and numbers as flags differently)",
    "time": "must be ISO 8601 text such as 2026-05-04T10:00:00+00:00 (a Unix number is seconds to one parser "
    "and milliseconds to another)",
}


def _ambiguous_fields(kind: str, data: Mapping[str, Any]) -> str:
    """``field: what it must be`` for each value of ``data`` that parsers read differently (empty: none). The
    value itself is never quoted: it may be personal data put in the wrong field."""
    lines = []
    for problem in values_problems(kind, data)[:10]:
        path = problem.split(": ", 1)[0]
        what = field_kind(kind, path)
        lines.append(f"{path}: {_ONE_READING[what] if what is not None else 'has no single reading'}")
    return "; ".join(lines)


def _is_action(value: Any) -> bool:
    return isinstance(value, _ACTION_TYPES)


class Gate:
    """Decide agent actions: ``Gate(policy, store=...)``, then :meth:`decide` and :meth:`report_outcome`.

    ``store`` is a :class:`GateStore`, a database URL, or None for the policy's ``gate.store_url``
    (default ``sqlite:///.brandrail/gate.db``). ``clock`` returns the current time (tests and replay): the
    gate's clock, not the action's ``time``, decides caps, windows and quiet hours. ``trust_action_time``
    (replay and tests only) takes each action's ``time``/``send_at`` at its word, as before 0.x.
    ``principal`` is the library's verified identity, used when :meth:`decide` gets none (default: the
    policy's ``gate.identity``). ``pseudonym_keys``: the HMAC keys for customer pseudonyms (default:
    ``BRANDRAIL_PSEUDONYM_KEY`` or ``gate.privacy.key_file``).

    Every decision is recorded, or says it is not: a transaction that loses to another writer (SQLite's
    lock held past the busy timeout, a PostgreSQL serialisation failure or deadlock) runs again after a
    jittered pause until ``gate.store_timeout``; a decision whose transaction still fails is denied (AG000)
    and that deny, with the error's class and reason, is recorded in a second short transaction (as long
    again); when even that fails, the deny carries AG006 (not recorded), ``extra["recorded"] = False``, an
    error log line, and :attr:`write_stats` counts it.
    """

    def __init__(
        self,
        policy: Policy,
        store: GateStore | str | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
        principal: Principal | None = None,
        trust_action_time: bool = False,
        pseudonym_keys: PseudonymKeys | None = None,
    ) -> None:
        self.policy = policy
        if store is None:
            store = GateStore.from_url(policy.gate.store_url, durability=policy.gate.durability)
        elif isinstance(store, str):
            store = GateStore.from_url(store, durability=policy.gate.durability)
        else:
            store.set_durability(policy.gate.durability)
            store.migrate()
        self.store = store
        #: seconds a decision may spend on the store's lock and retries (``gate.store_timeout``)
        self.store_timeout = parse_duration(policy.gate.store_timeout).total_seconds()
        #: retries, store-failure denies and unrecorded denies so far (see :class:`WriteStats`)
        self.write_stats = WriteStats()
        self.clock = clock or (lambda: datetime.now(UTC))
        self.trust_action_time = trust_action_time
        self.principal = principal if principal is not None else library_principal(policy.gate)
        if pseudonym_keys is None:
            pseudonym_keys = store._keys or PseudonymKeys.load(policy.gate.privacy)
        self.keys = pseudonym_keys
        #: the last budget read of each campaign a spend met (PostgreSQL's one-statement path; see
        #: :meth:`_commit_fast`): a spend is decided on it when the store still holds exactly that
        self._budgets: dict[str, BudgetRead] = {}
        store.keys = pseudonym_keys
        store.phone_region = policy.gate.privacy.phone_region
        self._mask_text = TextMasker(policy.gate.masking, policy)
        self._names: dict[str, str] = {}
        self._last_tag: tuple[str, str] | None = None

    # -- deciding ---------------------------------------------------------------------------------------

    def decide(
        self,
        action: Action | Mapping[str, Any] | str | bytes,
        *,
        principal: Principal | None = None,
        hold: Sequence[Finding] = (),
        queue: threading.Lock | None = None,
    ) -> Decision:
        """Decide one action (a model, a mapping or JSON text). Never raises for a bad action: it denies.

        ``principal`` is the caller as the integration verified it (an API key in the service); None means
        the gate's configured identity (:attr:`principal`). Agent caps key on it, not on the action's
        ``agent`` field, and it needs the ``agent`` role. ``hold``: reasons the caller (an integration that saw
        what the agent read, AG909) adds for human review; an action the rules deny stays denied.
        ``queue``: a lock this process's deciding threads take one at a time (the HTTP service's, on
        SQLite): the wait for it counts against ``gate.store_timeout`` like the wait for the store's own
        lock; a decision that does not get it in time is denied (AG000, ``store_failure: queued``), that
        deny recorded without the queue (or AG006 when it cannot be).
        """
        now = self.clock()
        decision_id = uuid4().hex
        who = principal if principal is not None else self.principal
        parsed: Action | None = None
        deadline = time.monotonic() + self.store_timeout
        tries = [0]
        parsed_out: list[Action] = []
        try:
            with write_deadline(deadline), _queued(queue, deadline):
                return self._decide(action, decision_id, now, who, hold, deadline, tries, parsed_out)
        except Exception as exc:  # fail closed: any error is a deny with the reason
            parsed = parsed_out[0] if parsed_out else None
            return self._fail_closed(decision_id, parsed, exc, now, who, attempts=max(tries[0], 1))

    def _decide(
        self,
        action: Action | Mapping[str, Any] | str | bytes,
        decision_id: str,
        now: datetime,
        who: Principal,
        hold: Sequence[Finding],
        deadline: float,
        tries: list[int],
        parsed_out: list[Action],
    ) -> Decision:
        """:meth:`decide` up to its error handling; every write runs in :meth:`_retrying`."""
        parsed: Action | None = None
        if not who.has("agent"):
            finding = c.PrincipalNotAllowed.finding(
                f"principal {who.id!r} does not hold the agent role and cannot propose actions",
                evidence={"principal": who.id, "roles": sorted(who.roles), "required": "agent"},
            )
            return self._retrying(
                deadline, tries, lambda: self._refused(decision_id, action, finding, now, who)
            )
        data, problem = check_input(action, self.policy.gate.limits)
        if problem is not None:
            code = c.ActionTooLarge if problem.kind == "size" else c.MalformedAction
            finding = code.finding(
                problem.message if problem.kind == "size" else f"malformed action: {problem.message}",
                evidence={
                    "path": problem.path,
                    "value": problem.value,
                    "threshold": problem.threshold,
                },
            )
            too_big = finding
            return self._retrying(
                deadline, tries, lambda: self._refused(decision_id, action, too_big, now, who)
            )
        if _is_action(action):
            parsed = action  # type: ignore[assignment]
        else:
            # a number, flag or time that the gate's model and an executor's parser read differently
            # ("10.000", "1e2", "false", a Unix number): the executor carries out the action as written,
            # so the gate judges no such value — the shells' rule (gate/arguments.py), here for every caller
            if isinstance(data, Mapping) and isinstance(data.get("kind"), str):
                ambiguous = _ambiguous_fields(data["kind"], data)
                if ambiguous:
                    return self._retrying(
                        deadline, tries, lambda: self._malformed(decision_id, data, ambiguous, now, who)
                    )
            problem_text: str | None = None
            try:
                parsed = parse_action(data)
            except ValidationError as exc:
                problem_text = validation_message(exc)
            except (ValueError, TypeError) as exc:
                problem_text = str(exc)
            if problem_text is not None:
                text = problem_text
                return self._retrying(
                    deadline, tries, lambda: self._malformed(decision_id, data, text, now, who)
                )
        assert parsed is not None
        parsed_out.append(parsed)
        checked = parsed

        def commit() -> Decision:
            # evaluated afresh for each attempt: a commit fills the evaluation in (pseudonyms, budgets)
            evaluation = evaluate(
                self.policy,
                checked,
                now,
                principal_id=who.id,
                name_key=self._name_key,
                trust_time=self.trust_action_time,
            )
            evaluation.review.extend(hold)
            return self._commit(decision_id, checked, evaluation, now, who)

        return self._retrying(deadline, tries, commit)

    def _retrying(self, deadline: float, tries: list[int], attempt: Callable[[], _T]) -> _T:
        """``attempt()``, run again after a jittered, growing pause while it fails with an error of a
        transaction that lost to another writer (:func:`~brandrail.ledger.transient_error`) and the pause
        ends before ``deadline`` (``time.monotonic()``); any other error, or the last, is raised.
        ``tries[0]`` counts the attempts."""
        while True:
            tries[0] += 1
            try:
                return attempt()
            except Exception as exc:
                reason = transient_error(exc)
                if reason is None or tries[0] >= _RETRY_ATTEMPTS:
                    raise
                pause = min(_RETRY_LONGEST, _RETRY_FIRST * 2 ** (tries[0] - 1)) * random.uniform(0.5, 1.0)
                if time.monotonic() + pause >= deadline:
                    raise
                self.write_stats.count("retry", reason)
                _log.info("gate store %s; attempt %d again in %.3fs", reason, tries[0] + 1, pause)
                time.sleep(pause)

    def cap_use(
        self,
        action: Action | Mapping[str, Any] | str | bytes,
        *,
        principal: Principal | str | None = None,
        at: datetime | None = None,
    ) -> list[CapUse]:
        """The budget caps ``action`` would spend from: each cap, what is in use now, what would remain.

        ``principal`` is the agent that proposes it (a :class:`Principal` or its id; agent caps key on it;
        default: the gate's identity); ``at`` the moment whose day (or week, month) counts (default: the
        gate's clock). Empty for an action that spends from no cap. Reads the counters as committed; it
        reserves nothing. Raises :class:`~brandrail.errors.GateError` for an action that does not parse.
        """
        if _is_action(action):
            parsed: Action = action  # type: ignore[assignment]
        else:
            try:
                data = json.loads(action) if isinstance(action, (str, bytes)) else action
                parsed = parse_action(data)
            except (ValidationError, ValueError, TypeError) as exc:
                message = validation_message(exc) if isinstance(exc, ValidationError) else str(exc)
                raise GateError(f"malformed action: {message}", hint="see docs/gate.md, Actions") from None
        if principal is None:
            who = self.principal.id
        else:
            who = principal.id if isinstance(principal, Principal) else principal
        ev = evaluate(
            self.policy,
            parsed,
            at if at is not None else self.clock(),
            principal_id=who,
            name_key=self._name_key,
            trust_time=True,
        )
        with self.store.reader() as conn:
            self._spend_budget(conn, ev)
            if not ev.counters:
                return []
            keys = [plan.key for plan in ev.counters]
            query = sa.select(t.counters.c.key, t.counters.c.value).where(t.counters.c.key.in_(keys))
            used = {str(key): int(value) for key, value in conn.execute(query)}
        return [
            CapUse(
                code=plan.code.code,
                label=plan.label,
                key=plan.key,
                cap=Decimal(plan.cap) / 100,
                used=Decimal(used.get(plan.key, 0)) / 100,
                amount=Decimal(plan.amount) / 100,
            )
            for plan in ev.counters
        ]

    def _name_key(self, name: str) -> str:
        """The form of a canonical name stored in state keys: itself, or a keyed tag if it holds personal data."""
        found = self._names.get(name)
        if found is None:
            found = self.keys.tag(name) if maybe_personal(name) else name
            if len(self._names) > 4096:
                self._names.clear()
            self._names[name] = found
        return found

    def _refused(
        self, decision_id: str, raw: Any, finding: Finding, now: datetime, who: Principal
    ) -> Decision:
        """Record a deny decided before parsing (principal, size, numbers): only the kind is kept."""
        kind = raw.get("kind") if isinstance(raw, Mapping) else None
        return self._record_simple(
            decision_id,
            action_id=None,
            action=None,
            findings=[finding],
            now=now,
            payload_extra={"refused_input": True, "kind": _known_kind(kind)},
            who=who,
        )

    def _malformed(self, decision_id: str, raw: Any, problem: str, now: datetime, who: Principal) -> Decision:
        finding = c.MalformedAction.finding(f"malformed action: {problem}", evidence={"errors": problem})
        text = raw if isinstance(raw, (str, bytes)) else json.dumps(raw, sort_keys=True, default=str)
        raw_digest = hashlib.sha256(text.encode() if isinstance(text, str) else text).hexdigest()
        payload_extra = {
            "malformed": True,
            "raw_sha256": raw_digest,
            "kind": _known_kind(raw.get("kind") if isinstance(raw, Mapping) else None),
        }
        return self._record_simple(
            decision_id,
            action_id=None,
            action=None,
            findings=[finding],
            now=now,
            payload_extra=payload_extra,
            who=who,
        )

    def _fail_closed(
        self,
        decision_id: str,
        action: Action | None,
        exc: Exception,
        now: datetime,
        who: Principal,
        *,
        attempts: int = 1,
    ) -> Decision:
        """The deny of a decision that failed with ``exc`` (after ``attempts`` tries), recorded in a
        transaction of its own (retried like any, for as long as ``gate.store_timeout`` again); when that
        fails too, the deny says it is not recorded (AG006)."""
        # the agent sees the error's kind and a reference, never its text: driver messages carry host,
        # port, URL and SQL. The detail goes to the log under the decision id.
        store_failure = (
            transient_error(exc)
            or deadline_error(exc)
            or ("queued" if isinstance(exc, QueueTimeoutError) else None)
        )
        _log.error(
            "gate error while deciding %s (attempt %d): %s: %s",
            decision_id,
            attempts,
            type(exc).__name__,
            exc,
        )
        evidence: dict[str, Any] = {"error": _error_kind(exc), "reference": decision_id}
        # what the ledger keeps of the error: its class and, for a write that lost to others, why and how
        # often it was tried — never its text (which may quote SQL and the values in it)
        extra: dict[str, Any] = {"error": True, "error_class": type(exc).__name__}
        if store_failure is not None:
            evidence["store_failure"] = store_failure
            evidence["attempts"] = attempts
            extra["store_failure"] = store_failure
            extra["attempts"] = attempts
        finding = c.GateErrorDenied.finding(
            f"the gate could not decide ({_error_kind(exc)}"
            + (
                f": the store stayed {_FAILURE_WORDS[store_failure]} after {attempts} attempts"
                if store_failure
                else ""
            )
            + f"); denied. Reference: decision {decision_id}",
            evidence=evidence,
        )
        deadline = time.monotonic() + self.store_timeout
        tries = [0]

        def record(with_action: bool) -> Decision:
            return self._record_simple(
                decision_id,
                action_id=action.id if action else None,
                action=action if with_action else None,
                findings=[finding],
                now=now,
                payload_extra=extra if with_action or action is None else {**extra, "kind": action.kind},
                who=who,
            )

        try:
            with write_deadline(deadline):
                try:
                    recorded = self._retrying(deadline, tries, lambda: record(True))
                except Exception as third:
                    if action is None or (transient_error(third) or deadline_error(third)) is not None:
                        raise
                    # the action itself cannot be recorded (its recipient's link does not match the
                    # ledger, say): record the deny with the action's kind and id only
                    _log.error("gate: recording %s without its action: %s", decision_id, type(third).__name__)
                    recorded = replace(self._retrying(deadline, tries, lambda: record(False)), action=action)
        except Exception as second:  # the store itself is broken: deny, and say it is not on record
            self.write_stats.count("unrecorded")
            _log.error(
                "gate decision %s NOT RECORDED in the ledger (deny; %d attempts): %s: %s",
                decision_id,
                tries[0],
                type(second).__name__,
                second,
            )
            second_failure = transient_error(second) or deadline_error(second)
            not_recorded = c.DecisionNotRecorded.finding(
                f"this deny is not recorded in the ledger: the store failed again ({_error_kind(second)}"
                + (f": {_FAILURE_WORDS[second_failure]}" if second_failure else "")
                + f"). Reference: decision {decision_id}",
                evidence={
                    "recorded": False,
                    "error": _error_kind(second),
                    "store_failure": second_failure,
                    "reference": decision_id,
                },
            )
            return Decision(
                decision_id=decision_id,
                outcome="deny",
                findings=(finding, not_recorded),
                policy_version=self.policy.version,
                time=now,
                action_id=action.id if action else None,
                action=action,
                extra={"ledger_error": _error_kind(second), "recorded": False},
            )
        if store_failure is not None:
            self.write_stats.count("store_denied")
        return recorded

    def _record_simple(
        self,
        decision_id: str,
        *,
        action_id: str | None,
        action: Action | None,
        findings: list[Finding],
        now: datetime,
        payload_extra: dict[str, Any],
        who: Principal,
    ) -> Decision:
        """Record a deny that touched no state (malformed action, gate error)."""
        with self.store.transaction() as conn:
            pseudo = self._pseudonyms(conn, action) if action is not None else {}
            decision = Decision(
                decision_id=decision_id,
                outcome="deny",
                findings=tuple(findings),
                policy_version=self.policy.version,
                time=now,
                action_id=action_id,
                action=action,
                digest=action_digest(action) if action is not None else None,
            )
            return self._write(conn, decision, [], payload_extra, who=who, pseudo=pseudo)

    def _commit(
        self, decision_id: str, action: Action, ev: Evaluation, now: datetime, who: Principal
    ) -> Decision:
        store = self.store
        policy = self.policy
        digest = action_digest(action)
        stored_id = self._stored_id(action.id)
        if store.fast_path and _fast_eligible(action, ev):
            done = self._commit_fast(decision_id, action, ev, now, who, digest, stored_id)
            if done is not None:
                return done
        with store.transaction() as conn:
            # idempotency: the action id is claimed for one set of arguments
            claimed = store.claim(conn, stored_id, digest)
            if not claimed:
                store.lock(conn, f"action:{stored_id}")
                row = conn.execute(
                    sa.select(t.actions.c.digest, t.actions.c.decision_id, t.actions.c.outcome).where(
                        t.actions.c.action_id == stored_id
                    )
                ).one()
                # an id claimed by an earlier release, under the digest of the arguments as written
                if row.digest != digest and row.digest != legacy_action_digest(action):
                    finding = c.IdempotencyKeyReused.finding(
                        "this action id was already decided for different arguments",
                        evidence={"digest": digest, "previous_digest": row.digest},
                    )
                    decision = Decision(
                        decision_id, "deny", (finding,), policy.version, now, action.id, action, None, digest
                    )
                    return self._write(
                        conn, decision, [], {"idempotency_conflict": True}, index=False, who=who, pseudo={}
                    )
                if row.outcome in ("allow", "modify", "deny") and row.decision_id:
                    stored = store.decision_row(conn, row.decision_id)
                    # a released allow is decided afresh: its reservations are gone
                    if stored is not None and stored["status"] != "released":
                        return self._repeat(conn, stored, action, ev)

            observed: dict[str, Any] = {}
            contact_findings: list[Finding] = []
            gpc: tuple[bool, list[str]] | None = None
            if ev.consent is not None and ev.gpc_contacts == ev.consent.contacts:
                # a remembered GPC is a consent row too: read in the same statement
                (pseudo, granted, hit, problems), gpc = store.contacts_with_gpc(
                    conn, ev.consent.contacts, ev.consent.channel, ev.consent.grants_from
                )
                contact_findings = self._consent(ev, observed, granted, hit, problems)
            elif ev.consent is not None:
                pseudo, granted, hit, problems = store.contacts(
                    conn, ev.consent.contacts, ev.consent.channel, ev.consent.grants_from
                )
                contact_findings = self._consent(ev, observed, granted, hit, problems)
            else:
                pseudo = self._pseudonyms(conn, action)
            if ev.gpc_contacts:
                contact_findings += self._remembered_gpc(conn, ev, observed, gpc)
            for i, plan in enumerate(ev.events):
                if plan.subject is not None:
                    ev.events[i] = replace(
                        plan, key=plan.key.replace(SUBJECT, pseudo[plan.subject]), subject=None
                    )
            findings = list(ev.findings)
            previous_price: tuple[int, PriceState | None] = (0, None)
            reservations: list[dict[str, Any]] = []
            rows: list[dict[str, Any]] = []  # reservation rows, written with the decision row
            approval_id: str | None = None
            outcome: Outcome | None = "deny" if ev.denied else None
            review = list(ev.review)
            findings += contact_findings

            if outcome is None:
                findings += self._spend_budget(conn, ev)
                price_findings, price_review, previous_price = self._price_state(conn, ev, now)
                findings += price_findings + self._discount_state(conn, ev)
                review += price_review + self._audience_state(conn, ev, findings)
                if any(f.severity is Severity.ERROR for f in findings):
                    outcome = "deny"

            pending_use: ap.Approval | None = None
            used_approval: str | None = None
            request: dict[str, str] | None = None
            if outcome is None and review:
                state = ap.resolve(
                    store, conn, digest, policy.version, now, who.id, legacy=legacy_action_digest(action)
                )
                if state is not None and state[0] == "approved":
                    pending_use = state[1]
                elif state is not None and state[0] == "rejected":
                    a = state[1]
                    findings.append(
                        c.ApprovalRejected.finding(
                            f"reviewer {a.reviewer} rejected this action ({a.id})"
                            + (f": {a.comment}" if a.comment else ""),
                            evidence={"approval_id": a.id, "reviewer": a.reviewer, "comment": a.comment},
                        )
                    )
                    outcome = "deny"
                elif state is not None and state[0] == "expired":
                    a = state[1]
                    findings.append(
                        c.ApprovalExpired.finding(
                            f"the approval {a.id} for this action expired at {a.expires_at.isoformat()}",
                            evidence={"approval_id": a.id, "expires_at": a.expires_at.isoformat()},
                        )
                    )
                    outcome = "deny"
                else:
                    findings += review
                    outcome = "review"
                    if state is not None:
                        approval_id = state[1].id
                    else:
                        approval_id, request = ap.create_request(
                            conn,
                            decision_id=decision_id,
                            action_id=stored_id,
                            digest=digest,
                            policy_version=policy.version,
                            agent=who.id,
                            kind=action.kind,
                            masked_action=self._mask(action, pseudo),
                            reasons=[self._mask_finding(f) for f in review],
                            now=now,
                            ttl=parse_duration(policy.gate.approvals.expires_after),
                            claimed_agent=self.keys.claim_ref(canonical_id(action.agent))
                            if canonical_id(action.agent)
                            else None,
                        )

            if outcome is None:
                refused = self._reserve(conn, ev, decision_id, reservations, rows)
                if refused is not None:
                    findings.append(refused)
                    outcome = "deny"
                else:
                    if ev.price is not None:
                        day = now.astimezone(UTC).date().isoformat()
                        before = previous_price[1]
                        if before is None:  # pragma: no cover - defensive: read by _price_state above
                            raise GateError(f"the price row of {ev.price.item} was not read")
                        store.write_price(
                            conn,
                            ev.price.item,
                            before.next_seq,
                            (day, previous_price[0], ev.price.price),
                            decision_id,
                        )
                        undo = before.undo()
                        rows.append(
                            {
                                "d": decision_id,
                                "kind": "price",
                                "k": ev.price.item,
                                "n": ev.price.price,
                                "undo": json.dumps(undo),
                            }
                        )
                        # the entry records the price, the day, its opening price, the version written and
                        # whether the one before it was believed (what a release may restore)
                        reservations.append(
                            {
                                **price_record(ev.price.item, day, previous_price[0], ev.price.price),
                                "seq": before.next_seq,
                                "prior_believed": before.problem is None,
                            }
                        )
                    if ev.budget is not None:
                        budget_row, budget_seq = set_campaign_budget(store, conn, ev.budget, decision_id)
                        rows.append(budget_row)
                        # the version written: a release restores the one before it, as the ledger has it
                        reservations.append(
                            {
                                "kind": "budget",
                                "key": ev.budget.key,
                                "amount": ev.budget.amount,
                                "seq": budget_seq,
                            }
                        )
                    if pending_use is not None:
                        used_approval = pending_use.id
                        if not ap.consume(conn, pending_use.id, decision_id):
                            raise GateError(f"approval {pending_use.id} was used concurrently")
                        approval_id = pending_use.id
                        findings.append(
                            c.ApprovalRequired.finding(
                                f"approved by {pending_use.reviewer} ({pending_use.id}); approval now used",
                                evidence={
                                    "approval_id": pending_use.id,
                                    "reviewer": pending_use.reviewer,
                                    "thresholds": [f.message for f in review],
                                },
                                severity=Severity.INFO,
                            )
                        )
                    outcome = "modify" if ev.modified is not None else "allow"

            decision = Decision(
                decision_id=decision_id,
                outcome=outcome,
                findings=tuple(findings),
                policy_version=policy.version,
                time=now,
                action_id=action.id,
                action=action,
                modified_action=ev.modified if outcome == "modify" else None,
                digest=digest,
                approval_id=approval_id,
            )
            extra: dict[str, Any] = {"observed": observed} if observed else {}
            if used_approval is not None:
                extra["approval_used"] = used_approval
            if request is not None:
                extra["approval_request"] = request
            return self._write(conn, decision, reservations, extra, rows=rows, who=who, pseudo=pseudo)

    def _commit_fast(
        self,
        decision_id: str,
        action: Action,
        ev: Evaluation,
        now: datetime,
        who: Principal,
        digest: str,
        stored_id: str,
    ) -> Decision | None:
        """PostgreSQL: decide a counters-only action in one statement (:meth:`_decide_fast`). A spend's
        campaign budget is checked as it was last read by this gate (:func:`read_budget_state`, which
        checks the row against the ledger), and the statement confirms under the ledger's lock that the
        store still holds exactly that read; when it does not (status 4) the budget is read and checked
        again and the statement retried once. None: decide it in a transaction (which reads the budget
        itself)."""
        lookup = ev.budget_lookup
        if lookup is None or ev.denied:
            simple = self._decide_fast(decision_id, action, ev, now, who, digest, stored_id)
            return simple if isinstance(simple, Decision) else None
        store = self.store
        findings, counters = len(ev.findings), len(ev.counters)
        for attempt in range(2):
            read = self._budgets.get(lookup.key) if attempt == 0 else None
            if read is None:
                with store.single_read() as reader:  # the budget row and its entries: one statement
                    read = read_budget_state(store, reader, lookup.key)
                if len(self._budgets) >= _BUDGETS_KEPT:
                    self._budgets.clear()
                self._budgets[lookup.key] = read
            ev.budget_lookup = None
            found = budget_finding(lookup, read.budget)
            if isinstance(found, CounterPlan):
                ev.counters.append(found)
            elif found is not None:
                ev.findings.append(found)
            done: Decision | int | None = None
            if _fast_eligible(action, ev):
                done = self._decide_fast(decision_id, action, ev, now, who, digest, stored_id, read)
                if isinstance(done, Decision):
                    return done
            # not decided here: the transaction reads the budget itself, in its own snapshot
            del ev.findings[findings:], ev.counters[counters:]
            ev.budget_lookup = lookup
            if done != 4:
                return None
            self._budgets.pop(lookup.key, None)  # changed since it was read: read it again
        return None

    def _decide_fast(
        self,
        decision_id: str,
        action: Action,
        ev: Evaluation,
        now: datetime,
        who: Principal,
        digest: str,
        stored_id: str,
        budget: BudgetRead | None = None,
    ) -> Decision | int:
        """PostgreSQL, a decision whose only state is budget counters: build its decision row and ledger
        entry as if every counter takes the reservation, then let :meth:`GateStore.decide_fast` claim,
        reserve, record and append in one statement (no lock held across a round trip). ``budget``: the
        spend's campaign budget this decision was built on (the statement confirms the store still holds
        it). The status (:class:`~brandrail.gate.store.FastResult`) when that wrote nothing — the action
        id was seen before, a cap refused, a counter row was busy in another writer's transaction or does
        not exist yet, the budget changed — and the decision is made in a transaction instead (which finds
        the repeat, words the refusal with the counter's value, waits for the row or reads the budget)."""
        store = self.store
        counters = [] if ev.denied else sorted(ev.counters, key=lambda p: p.key)
        outcome: Outcome = "deny" if ev.denied else ("modify" if ev.modified is not None else "allow")
        decision = Decision(
            decision_id=decision_id,
            outcome=outcome,
            findings=tuple(ev.findings),
            policy_version=self.policy.version,
            time=now,
            action_id=action.id,
            action=action,
            modified_action=ev.modified if outcome == "modify" else None,
            digest=digest,
        )
        reservations = [{"kind": "counter", "key": p.key, "amount": p.amount} for p in counters]
        _, response_text, payload = self._record_parts(decision, reservations, {}, who=who, pseudo={})
        entry = store.ledger.prepare(
            kind="decision",
            payload=payload,
            policy_version=decision.policy_version,
            at=now,
            entry_id=decision_id,
        )
        row = {
            "d": decision_id,
            "o": outcome,
            "s": "pending" if decision.allowed else "final",
            "t": t.iso(now),
            "r": response_text,
        }
        result = store.decide_fast(
            stored_id, digest, [(p.key, p.amount, p.cap) for p in counters], row, entry, budget
        )
        if result.entry is None:
            return result.status
        return replace(decision, ledger_seq=result.entry.seq)

    def _repeat(self, conn: Connection, stored: dict[str, Any], action: Action, ev: Evaluation) -> Decision:
        """The earlier decision of an identical action, after checking its row against the ledger."""
        entry = self.store.ledger.get(str(stored["decision_id"]), conn=conn)
        problem = decision_problem(stored, entry)
        if problem is not None:
            raise GateError(f"the gate's stored decision does not match the ledger: {problem}")
        data = json.loads(stored["response"])
        data["action"] = data["modified_action"] = None
        earlier = Decision.from_dict(data, repeated=True)
        return replace(
            earlier,
            action_id=action.id,
            action=action,
            modified_action=ev.modified if earlier.outcome == "modify" else None,
        )

    # -- stateful checks --------------------------------------------------------------------------------

    def _pseudonyms(
        self, conn: Connection, action: Action | None, ev: Evaluation | None = None
    ) -> dict[str, str]:
        """Normalised identifier → pseudonym for the action's recipient (created when new)."""
        if ev is not None and ev.consent is not None:
            identifiers: tuple[str, ...] = ev.consent.contacts
        else:
            recipient = getattr(action, "recipient", None)
            if recipient is None:
                return {}
            region = self.policy.gate.privacy.phone_region
            identifiers = tuple(
                dict.fromkeys(
                    normalise_identifier(v, region)
                    for v in (recipient.id, recipient.email, recipient.phone)
                    if v and v.strip()
                )
            )
        return resolve_pseudonyms(conn, self.keys, identifiers, ledger=self.store.ledger, defer=True)

    def _stored_id(self, action_id: str) -> str:
        """The action id as stored (idempotency index, decision rows, ledger): itself, or a keyed tag when
        it could hold personal data (an ``@``, a ``:`` or 4+ digits) — no costly scan of ids that are
        unique per action."""
        last = self._last_tag
        if last is not None and last[0] == action_id:
            return last[1]
        tagged = self.keys.tag(action_id) if maybe_personal(action_id) else action_id
        self._last_tag = (action_id, tagged)
        return tagged

    def _consent(
        self,
        ev: Evaluation,
        observed: dict[str, Any],
        granted: bool | None,
        hit: str | None,
        problems: list[tuple[str, str]] = (),  # type: ignore[assignment]
    ) -> list[Finding]:
        """Suppression and consent findings from the lookups; what was seen is recorded in ``observed``
        (for replay). A withdrawal or suppression under any identifier of the recipient wins, and so does a
        record that does not match the ledger (``problems``, from :meth:`GateStore.contacts`)."""
        plan = ev.consent
        if plan is None:
            return []
        out: list[Finding] = []
        observed["suppressed"] = hit is not None
        observed["suppression_reason"] = hit if hit else None
        observed["consent"] = granted
        # a link that does not match the ledger leaves the recipient unknown: no consent, and suppressed
        tampered = {
            kind: [text for k, text in problems if k in (kind, "link")] for kind in ("consent", "suppression")
        }
        if problems:
            observed["store_problems"] = [text for _, text in problems]
        if hit is not None:
            evidence: dict[str, Any] = {"channel": plan.channel, "reason": hit or None}
            message = f"the recipient is on the suppression list for {plan.channel}" + (
                f" ({hit})" if hit else ""
            )
            if tampered["suppression"]:
                evidence["store_problems"] = tampered["suppression"]
                message = (
                    f"the recipient's suppression records for {plan.channel} were changed outside the gate "
                    f"({'; '.join(tampered['suppression'])}): treated as suppressed"
                )
            out.append(c.RecipientSuppressed.finding(message, evidence=evidence))
        if plan.needs_opt_in and granted is not True:
            evidence = {"channel": plan.channel, "consent": granted}
            message = f"no granted {plan.channel} consent on record for the recipient"
            if tampered["consent"]:
                evidence["store_problems"] = tampered["consent"]
                message = (
                    f"the recipient's {plan.channel} consent records were changed outside the gate "
                    f"({'; '.join(tampered['consent'])}): treated as withdrawn"
                )
            out.append(c.ConsentMissing.finding(message, evidence=evidence))
        return out

    def _remembered_gpc(
        self,
        conn: Connection,
        ev: Evaluation,
        observed: dict[str, Any],
        gpc: tuple[bool, list[str]] | None = None,
    ) -> list[Finding]:
        """AG404 for a personalised send or reply to a recipient with a GPC signal on record
        (:func:`record_gpc` under any of its identifiers, ``ev.gpc_contacts``), which the action did not
        state; a record that does not match the ledger counts as one (fail closed). ``gpc``: the lookup as
        the send's consent statement already made it (:meth:`GateStore.contacts_with_gpc`); else it is read
        here. A send whose content was left unread (``ev.gpc_content``: only a remembered GPC could make
        its content matter) is read now, when a record is found."""
        if gpc is None:
            _, granted, _, problems = self.store.contacts(conn, ev.gpc_contacts, GPC_CHANNEL)
            on_record, tampered = granted is False, [text for kind, text in problems if kind == "consent"]
        else:
            on_record, tampered = gpc
        if ev.gpc_content is not None:
            if not on_record:
                return []  # nothing on record: whether the content is personalised does not matter
            observed["gpc_on_record"] = True
            ev.gpc_personal, ev.gpc_content = ev.gpc_content(), None
            if ev.gpc_personal is None:
                return []  # the content is not personalised: GPC does not apply
        observed["gpc_on_record"] = on_record
        if not on_record:
            return []
        recipient = getattr(ev.action, "recipient", None)
        evidence: dict[str, Any] = {"gpc": "on record", "stated": getattr(recipient, "gpc", None)}
        if tampered:
            evidence["store_problems"] = tampered
        found = c.GpcOptOut.finding(
            "personalised message to a person whose Global Privacy Control signal is on record"
            + (" (the record was changed outside the gate: treated as sent)" if tampered else "")
            + ", whatever the action states",
            evidence=evidence,
        )
        return [found] if ev.gpc_personal is None else [found, ev.gpc_personal]

    def _spend_budget(self, conn: Connection, ev: Evaluation) -> list[Finding]:
        """A spend's campaign budget (:mod:`brandrail.gate.budgets`), looked up once: its counter joins the
        spend's caps, or the deny is returned."""
        lookup = ev.budget_lookup
        if lookup is None:
            return []
        ev.budget_lookup = None
        found = spend_budget(self.store, conn, lookup)
        if isinstance(found, CounterPlan):
            ev.counters.append(found)
            return []
        return [] if found is None else [found]

    def _price_state(
        self, conn: Connection, ev: Evaluation, now: datetime
    ) -> tuple[list[Finding], list[Finding], tuple[int, PriceState | None]]:
        """AG205 and the price-change approval threshold; returns the day's opening price and the item's
        price row as read (its next version and the undo)."""
        plan = ev.price
        if plan is None:
            return [], [], (0, None)
        bounds = self.policy.gate
        today = now.astimezone(UTC).date().isoformat()
        state = self.store.price_row(conn, plan.item)
        problem = state.problem
        if problem is not None:
            # the stored price is not the latest the ledger recorded: today's opening price is not known
            checked = (
                bounds.price.max_change_per_day is not None or bounds.approvals.price_change_over is not None
            )
            found = c.PriceChangeTooLarge.finding(
                f"the stored price of {plan.item} was changed outside the gate (it {problem}): today's "
                "opening price is not known, so the change cannot be checked",
                evidence={"new_price": f"{plan.price / 100:.2f}", "store_problem": problem},
            )
            return ([found] if checked else []), [], (plan.price, state)
        if state.price is None:
            return [], [], (plan.price, state)  # the item's first price (or its first was released)
        day, open_cents, price_cents = state.price
        opening = open_cents if day == today else price_cents
        if opening <= 0:
            return [], [], (opening, state)
        change = abs(plan.price - opening) / opening * 100
        findings: list[Finding] = []
        review: list[Finding] = []
        limit = bounds.price.max_change_per_day
        evidence = {
            "value": round(change, 2),
            "opening_price": f"{opening / 100:.2f}",
            "new_price": f"{plan.price / 100:.2f}",
        }
        if limit is not None and change > limit:
            findings.append(
                c.PriceChangeTooLarge.finding(
                    f"price of {plan.item} moves {change:.1f}% from today's opening {opening / 100:.2f}; "
                    f"the limit is {limit}%",
                    evidence={**evidence, "threshold": limit},
                )
            )
        threshold = bounds.approvals.price_change_over
        if threshold is not None and change > threshold:
            review.append(
                c.ApprovalRequired.finding(
                    f"price change of {change:.1f}% is over the approval threshold {threshold}%",
                    evidence={**evidence, "threshold": "approvals.price_change_over"},
                )
            )
        return findings, review, (opening, state)

    def _audience_state(self, conn: Connection, ev: Evaluation, findings: list[Finding]) -> list[Finding]:
        """A campaign's declared audience (one read of its counters): a declaration's review when the
        campaign's total passes ``approvals.audience_size_over``; a marketing send's AG503 when nothing was
        declared, and AG504 (and its counter, capped so concurrent sends cannot pass it) past the declared
        size and tolerance. Deny findings go to ``findings``; the review findings are returned."""
        declared_plan, send_plan = ev.audience, ev.audience_send
        keys = [p.key for p in (declared_plan,) if p is not None]
        if send_plan is not None:
            keys += [send_plan.declared, send_plan.sent]
        windows: dict[str, list[tuple[datetime, int]]] = {}
        if ev.audience_totals:
            # the day counters of stores before schema 9, for the days the window touches
            keys += [k for p in ev.audience_totals for k in p.legacy]
            # the 24-hour windows are read and reserved under their keys' locks (PostgreSQL; SQLite's writers
            # are already one at a time), so two declarations cannot both read a total below its bound. Taken
            # before the ledger's lock and never after it, and only by declarations: no lock cycle
            self.store.lock_all(conn, sorted({p.key for p in ev.audience_totals}))
            for p in ev.audience_totals:
                windows[p.key] = self.store.window_amounts(conn, p.key, p.at, p.window)
        if not keys:
            return []
        values: dict[str, int] = {
            str(k): int(v)
            for k, v in conn.execute(
                sa.select(t.counters.c.key, t.counters.c.value).where(t.counters.c.key.in_(keys))
            )
        }
        review: list[Finding] = self._audience_totals(ev, values, windows)
        if declared_plan is not None and declared_plan.threshold is not None:
            before = max(values.get(declared_plan.key, 0), 0)
            total = before + declared_plan.size
            if total > declared_plan.threshold:
                review.append(
                    c.ApprovalRequired.finding(
                        f"audience of {declared_plan.size} for campaign {declared_plan.campaign!r} makes its "
                        f"declared audience {total}"
                        + (f" ({before} declared before)" if before else "")
                        + f", over the approval threshold {declared_plan.threshold}",
                        evidence={
                            "threshold": "approvals.audience_size_over",
                            "value": total,
                            "estimated_size": declared_plan.size,
                            "declared_before": before,
                            "campaign": declared_plan.campaign,
                        },
                    )
                )
        if send_plan is None:
            return review
        declared = values.get(send_plan.declared)
        if declared is None:
            holder = Evaluation(action=ev.action)
            undeclared_audience(self.policy, send_plan.campaign, holder)
            findings += holder.findings
            return review + holder.review
        sent = values.get(send_plan.sent, 0)
        cap = int(max(declared, 0) * (1 + send_plan.tolerance) + 1e-9)
        deny = send_plan.over_declared == "deny"
        if sent + 1 > cap:
            found = c.SendsBeyondDeclaredAudience.finding(
                f"campaign {send_plan.campaign!r} was declared for an audience of {declared} and has "
                f"{sent} marketing sends; with the tolerance of {send_plan.tolerance:.0%} at most {cap}: "
                "declare the larger audience (target_audience) first",
                evidence={
                    "campaign": send_plan.campaign,
                    "declared": declared,
                    "sent": sent,
                    "tolerance": send_plan.tolerance,
                    "threshold": cap,
                    "policy": send_plan.over_declared,
                },
            )
            if deny:
                findings.append(found)
                return review
            review.append(found.with_severity(Severity.WARNING))
        ev.counters.append(
            CounterPlan(
                send_plan.sent,
                1,
                cap if deny else UNCAPPED,
                c.SendsBeyondDeclaredAudience,
                f"campaign {send_plan.campaign!r} sends for its declared audience of {declared}",
                money=False,
            )
        )
        return review

    def _audience_totals(
        self, ev: Evaluation, values: Mapping[str, int], windows: Mapping[str, list[tuple[datetime, int]]]
    ) -> list[Finding]:
        """AG505 for a declaration that takes the audience its principal (or the account) declared in the
        last 24 hours past its bound (``gate.audience.declared_per_agent_per_day``, ``declared_per_day``:
        "day" is any 24 hours, a rolling window), and the window events it reserves: capped at the bound when
        the total stays within it (so nothing passes it unreviewed, whatever runs concurrently), uncapped
        when a human is asked (taken only once approved). ``windows``: each key's events within the window;
        ``values``: the day counters of stores before schema 9 (:func:`~brandrail.gate.rules.
        legacy_audience_keys`), counted as declared within it."""
        review: list[Finding] = []
        for plan in ev.audience_totals:
            events = windows.get(plan.key, [])
            legacy = sum(max(values.get(k, 0), 0) for k in plan.legacy)
            before = sum(n for _, n in events) + legacy
            total = before + plan.size
            over = total > plan.threshold
            whose = f"principal {plan.principal!r}" if plan.scope == "agent" else "the account"
            since = plan.at - plan.window
            hours = plan.window.total_seconds() / 3600
            if over:
                free = _window_frees(events, legacy, plan.size, plan.threshold, plan.window)
                review.append(
                    c.AudienceTotalOverDay.finding(
                        f"audience of {plan.size} makes the audience {whose} declared in the {hours:g} hours "
                        f"since {since.isoformat()} {total} over every campaign"
                        + (f" ({before} declared before)" if before else "")
                        + f", over the bound {plan.threshold} ({plan.setting}, any {hours:g} hours)"
                        + (f"; within the bound again after {free.isoformat()}" if free else ""),
                        evidence={
                            "scope": plan.scope,
                            "principal": plan.principal if plan.scope == "agent" else None,
                            "since": since.isoformat(),
                            "window_seconds": plan.window.total_seconds(),
                            "estimated_size": plan.size,
                            "declared_before": before,
                            "value": total,
                            "threshold": plan.threshold,
                            "setting": plan.setting,
                            "next_possible": free.isoformat() if free else None,
                        },
                    )
                )
            ev.weighted.append(
                EventPlan(
                    plan.key,
                    plan.at,
                    plan.window,
                    UNCAPPED if over else plan.threshold - legacy,
                    c.AudienceTotalOverDay,
                    f"audience {whose} declared in any {hours:g} hours",
                    amount=plan.size,
                    evidence={
                        "scope": plan.scope,
                        "setting": plan.setting,
                        "bound": plan.threshold,
                        "declared_on_old_day_counters": legacy,
                    },
                )
            )
        return review

    def _discount_state(self, conn: Connection, ev: Evaluation) -> list[Finding]:
        """A discount against the item's price as the gate last set it: the floor and margin checks again
        when that price is lower than the one the action claims (or it claims none), and a deny when
        neither is known but a floor or margin must be checked."""
        plan = ev.discount
        if plan is None:
            return []
        state = self.store.price_row(conn, plan.item)
        problem = state.problem
        if state.price is None:  # none, or one the ledger does not vouch for: not believed
            if plan.claimed is not None:
                return []  # checked against the claimed price; the gate has none of its own
            evidence: dict[str, Any] = {
                "threshold": str(plan.floor) if plan.floor is not None else plan.min_margin,
                "value": None,
                "discount": str(plan.discount),
            }
            why = "no set_price on record and the action gives none"
            if problem is not None:
                evidence["store_problem"] = problem
                why = (
                    f"the stored price was changed outside the gate (it {problem}) and the action gives none"
                )
            what = (c.PriceBelowFloor if plan.floor is not None else c.MarginBelowMinimum).finding(
                f"the price of {plan.name} is unknown ({why}): "
                f"the discounted price cannot be checked against the "
                + ("floor" if plan.floor is not None else "minimum margin")
                + "; give the price",
                evidence=evidence,
            )
            return [what]
        current = Decimal(state.price[2]) / 100
        if plan.claimed is not None and current >= plan.claimed:
            return []  # the claimed price is the lower one: already checked
        source = " the price on record" + (
            f", not the claimed {plan.claimed}" if plan.claimed is not None else ""
        )
        return discount_findings(
            current, plan.discount, plan.cost, plan.floor, plan.min_margin, plan.name, f";{source}"
        )

    def _reserve(
        self,
        conn: Connection,
        ev: Evaluation,
        decision_id: str,
        reservations: list[dict[str, Any]],
        rows: list[dict[str, Any]],
    ) -> Finding | None:
        """Take every reservation or none; returns the finding of the first cap that refused.

        The reservation rows to write with the decision are appended to ``rows``. Lock order, the same for
        every writer of the gate: rolling-window keys, then (PostgreSQL) the ledger's lock, then the counter
        rows. A transaction thus never holds a counter row while it waits for the ledger, which the
        one-statement path (``gate_decide_fast``: the ledger's lock, then counters) relies on: a spend
        decided here does not make the fast statements of other processes give up on its counter row.
        """
        store = self.store
        events = sorted(ev.events, key=lambda p: p.key)
        # every window key's lock (in key order), then each window's count and insert: all or none
        refused_at, count, free = store.add_events(
            conn, [(e.key, e.at, e.window, e.cap) for e in events], decision_id
        )
        if refused_at >= 0:
            event = events[refused_at]
            return event.code.finding(
                f"{event.label}: {count} already within the window"
                + (f"; next possible after {free.isoformat()}" if free else ""),
                evidence={
                    "key": event.key,
                    "value": count,
                    "threshold": event.cap,
                    "window_seconds": event.window.total_seconds(),
                    "next_possible": free.isoformat() if free else None,
                },
            )
        weighted = sorted(ev.weighted, key=lambda p: p.key)
        for i, window_plan in enumerate(weighted):
            # each key's lock is held already (taken when its window was read, by _audience_state): the sum
            # and the insert in one statement all the same
            ok, total = store.add_amount(
                conn,
                window_plan.key,
                at=window_plan.at,
                window=window_plan.window,
                amount=window_plan.amount,
                cap=window_plan.cap,
                decision_id=decision_id,
            )
            if not ok:
                if events or i:
                    conn.execute(t.events.delete().where(t.events.c.decision_id == decision_id))
                return window_plan.code.finding(
                    f"{window_plan.label}: {total} already within the window; {window_plan.amount} more would exceed "
                    f"{window_plan.cap}",
                    severity=Severity.ERROR,  # a refused reservation denies, whatever the code's default
                    evidence={
                        "key": window_plan.key,
                        "reserved": total,
                        "value": window_plan.amount,
                        "threshold": window_plan.cap,
                        "window_seconds": window_plan.window.total_seconds(),
                        **(window_plan.evidence or {}),
                    },
                )
        taken: list[tuple[str, int]] = []
        if ev.counters:
            store.ledger.lock(conn)
        for plan in sorted(ev.counters, key=lambda p: p.key):
            ok, value = store.reserve(conn, plan.key, plan.amount, plan.cap)
            if not ok:
                for key, amount in taken:
                    store.release(conn, key, amount)
                if events or weighted:
                    conn.execute(t.events.delete().where(t.events.c.decision_id == decision_id))

                def shown(n: int, money: bool = plan.money) -> str:
                    return f"{n / 100:.2f}" if money else str(n)

                refused: Finding = plan.code.finding(
                    f"{plan.label}: {shown(value)} of {shown(plan.cap)} already reserved; "
                    f"{shown(plan.amount)} more would exceed it",
                    severity=Severity.ERROR,  # a refused reservation denies, whatever the code's default
                    evidence={
                        "key": plan.key,
                        "reserved": shown(value),
                        "threshold": shown(plan.cap),
                        "value": shown(plan.amount),
                        **(plan.evidence or {}),
                    },
                )
                return refused
            taken.append((plan.key, plan.amount))
        rows += [{"d": decision_id, "kind": "counter", "k": k, "n": a, "undo": None} for k, a in taken]
        windowed = [*ev.events, *weighted]
        rows += [
            {"d": decision_id, "kind": "event", "k": e.key, "n": e.amount, "undo": None} for e in windowed
        ]
        reservations.extend({"kind": "counter", "key": k, "amount": a} for k, a in taken)
        reservations.extend(
            {"kind": "event", "key": e.key, "amount": e.amount, "at": t.iso(e.at)} for e in windowed
        )
        return None

    # -- recording --------------------------------------------------------------------------------------

    def _mask(self, action: Action, pseudo: dict[str, str]) -> dict[str, Any]:
        """The action as stored: recipient identifiers replaced by pseudonyms, every other string masked."""
        data = action.model_dump(mode="json")
        masking = self.policy.gate.masking
        if masking.mode == "none":
            return data
        mask_action(data, masking, self.policy, text_masker=self._mask_text, in_place=True)
        recipient = data.get("recipient")
        source = getattr(action, "recipient", None)
        if isinstance(recipient, dict) and source is not None:
            region = self.policy.gate.privacy.phone_region
            for name in ("id", "email", "phone"):
                value = getattr(source, name)
                if isinstance(value, str) and value.strip():
                    ident = normalise_identifier(value, region)
                    recipient[name] = pseudo.get(ident) or self.keys.tag(ident)
            if recipient.get("name"):
                recipient["name"] = "[name]"
            if recipient.get("tcf"):
                recipient["tcf"] = "sha256:" + hashlib.sha256(str(recipient["tcf"]).encode()).hexdigest()[:16]
        data["id"] = self._stored_id(action.id)
        for key, value in list(data.items()):
            if key in _NOT_TEXT or key in ("id", "recipient"):
                continue
            data[key] = mask_strings(value, self._mask_text)
        if isinstance(recipient, dict) and isinstance(recipient.get("timezone"), str):
            recipient["timezone"] = self._mask_text(recipient["timezone"])
        return data

    def _mask_finding(self, finding: Finding) -> dict[str, Any]:
        data: dict[str, Any] = finding.to_dict()
        if self.policy.gate.masking.mode != "none":
            # the free parts: message, matched text, evidence values (and keys), the path
            masker = self._mask_text
            data["message"] = masker(data["message"])
            for name in ("match", "path"):
                if isinstance(data.get(name), str):
                    data[name] = masker(data[name])
            if data.get("evidence"):
                data["evidence"] = mask_strings(data["evidence"], masker)
            data["fix"] = None
        return data

    def _record_parts(
        self,
        decision: Decision,
        reservations: list[dict[str, Any]],
        payload_extra: dict[str, Any],
        *,
        who: Principal,
        pseudo: dict[str, str],
    ) -> tuple[str | None, str, dict[str, Any]]:
        """What a decision writes, computed without the database: the stored action id, the response
        text of its decision row (what a repeat returns) and its ledger payload."""
        action_id = self._stored_id(decision.action_id) if decision.action_id is not None else None
        findings = [self._mask_finding(f) for f in decision.findings]
        masked_action = self._mask(decision.action, pseudo) if decision.action is not None else None
        masked_modified = (
            self._mask(decision.modified_action, pseudo) if decision.modified_action is not None else None
        )
        # the decision row holds the masked response (what a repeat of the same action returns)
        # the response as Decision.to_dict() gives it, with the masked parts (and no second dump)
        response: dict[str, Any] = {
            "schema_version": 1,
            "decision_id": decision.decision_id,
            "outcome": decision.outcome,
            "allowed": decision.allowed,
            "action_id": action_id,
            "policy_version": decision.policy_version,
            "time": decision.time.isoformat(),
            "digest": decision.digest,
            "approval_id": decision.approval_id,
            "ledger_seq": None,
            "repeated": False,
            "codes": decision.codes,
            "findings": findings,
            "action": masked_action,
            "modified_action": masked_modified,
        }
        if decision.extra:
            response["extra"] = decision.extra
        response_text = json.dumps(response)
        payload: dict[str, Any] = {
            "schema_version": 1,
            "decision_id": decision.decision_id,
            "action_id": action_id,
            "outcome": decision.outcome,
            "digest": decision.digest,
            "codes": decision.codes,
            "findings": findings,
            "action": masked_action,
            "modified_action": masked_modified,
            "approval_id": decision.approval_id,
            "reservations": reservations,
            "principal": who.as_dict(),
            "response_sha256": response_digest(response_text),
            **payload_extra,
        }
        return action_id, response_text, payload

    def _write(
        self,
        conn: Connection,
        decision: Decision,
        reservations: list[dict[str, Any]],
        payload_extra: dict[str, Any],
        *,
        index: bool = True,
        rows: list[dict[str, Any]] | None = None,
        who: Principal,
        pseudo: dict[str, str],
    ) -> Decision:
        action_id, response_text, payload = self._record_parts(
            decision, reservations, payload_extra, who=who, pseudo=pseudo
        )
        # state rows first, the ledger entry last: the ledger's global lock is then held only for the
        # append itself and the commit
        store = self.store
        before, before_params, after, preceding = store.record(
            conn,
            {
                "d": decision.decision_id,
                "a": action_id,
                "o": decision.outcome,
                "s": "pending" if decision.allowed else "final",
                "t": t.iso(decision.time),
                "r": response_text,
            },
            {"d": decision.decision_id, "o": decision.outcome, "a": action_id}
            if index and action_id is not None and decision.action is not None
            else None,
            rows or [],
        )
        entry = self.store.ledger.append(
            conn,
            kind="decision",
            payload=payload,
            policy_version=decision.policy_version,
            at=decision.time,
            entry_id=decision.decision_id,
            before=before,
            before_params=before_params,
            after=after,
            preceding=preceding,
        )
        return Decision(
            decision_id=decision.decision_id,
            outcome=decision.outcome,
            findings=decision.findings,
            policy_version=decision.policy_version,
            time=decision.time,
            action_id=decision.action_id,
            action=decision.action,
            modified_action=decision.modified_action,
            digest=decision.digest,
            approval_id=decision.approval_id,
            ledger_seq=entry.seq,
            extra=decision.extra,
        )

    # -- outcomes ---------------------------------------------------------------------------------------

    def report_outcome(self, decision_id: str, executed: bool, *, principal: Principal | None = None) -> None:
        """Tell the gate whether an allowed action was carried out; ``executed=False`` releases reservations.

        Only a principal with the ``executor`` role may report (default: the gate's configured identity),
        once per decision: reporting the same outcome again is a no-op, contradicting it raises
        :class:`~brandrail.errors.GateError`. The release is a ledger entry naming the reporter.
        """
        who = principal if principal is not None else self.principal
        if not who.has("executor"):
            raise GateError(
                f"principal {who.id!r} does not hold the executor role and cannot report outcomes",
                hint="report outcomes from the executor's identity (see docs/gate.md, What the gate trusts)",
            )
        deadline = time.monotonic() + self.store_timeout
        tries = [0]

        def attempt() -> None:
            self._report_outcome(decision_id, executed, who)

        try:
            with write_deadline(deadline):
                self._retrying(deadline, tries, attempt)
        except Exception as exc:
            reason = transient_error(exc) or deadline_error(exc)
            if reason is None:
                raise
            _log.error(
                "gate outcome of %s NOT RECORDED (%d attempts): %s: %s",
                decision_id,
                tries[0],
                type(exc).__name__,
                exc,
            )
            raise GateError(
                f"the outcome of decision {decision_id} was not recorded: the store stayed "
                f"{_FAILURE_WORDS[reason]} after {tries[0]} attempts (gate.store_timeout)",
                hint="report the outcome again; nothing of it was written",
            ) from exc

    def _report_outcome(self, decision_id: str, executed: bool, who: Principal) -> None:
        """:meth:`report_outcome` in one writer transaction (run again by :meth:`_retrying`)."""
        store = self.store
        with store.transaction() as conn:
            store.lock(conn, f"decision:{decision_id}")
            row = store.decision_row(conn, decision_id)
            if row is None:
                raise GateError(
                    f"no decision {decision_id!r} in the gate store", hint="check the decision id"
                )
            entry = store.ledger.get(decision_id, conn=conn)
            problem = decision_problem(row, entry)
            if problem is not None:
                raise GateError(
                    f"decision {decision_id} does not match the ledger and is refused: {problem}",
                    hint="run `brandrail ledger verify` on the gate database",
                )
            if row["outcome"] not in ("allow", "modify"):
                raise GateError(
                    f"decision {decision_id} was {row['outcome']}; only allowed actions have outcomes"
                )
            wanted = "executed" if executed else "released"
            if row["status"] == wanted:
                return
            if row["status"] != "pending":
                raise GateError(f"decision {decision_id} was already reported as {row['status']}")
            released: list[dict[str, Any]] = []
            if not executed:
                held = conn.execute(
                    sa.select(t.reservations).where(t.reservations.c.decision_id == decision_id)
                ).all()
                for item in sorted({str(res.key) for res in held if res.kind == "price"}):
                    store.lock(conn, f"price:{item}")  # an item's price before the ledger, as a decision
                if any(res.kind == "counter" for res in held):
                    store.ledger.lock(conn)  # the ledger before counter rows, as every writer
                for res in held:
                    if res.kind == "counter":
                        store.release(conn, res.key, int(res.amount))
                    elif res.kind == "price":
                        store.restore_price(
                            conn,
                            res.key,
                            json.loads(res.undo) if res.undo else None,
                            decision_id=decision_id,
                            recorded=_reservation(entry, "price", res.key),
                        )
                    elif res.kind == "budget":
                        restore_budget(
                            store, conn, res.key, decision_id, _reservation(entry, "budget", res.key)
                        )
                    released.append({"kind": res.kind, "key": res.key, "amount": int(res.amount)})
                conn.execute(t.events.delete().where(t.events.c.decision_id == decision_id))
            conn.execute(
                t.decisions.update().where(t.decisions.c.decision_id == decision_id).values(status=wanted)
            )
            response = json.loads(row["response"])
            store.ledger.append(
                conn,
                kind="outcome",
                payload={
                    "schema_version": 1,
                    "decision_id": decision_id,
                    "action_id": row["action_id"],
                    "executed": executed,
                    "released": not executed,
                    "reservations": released,
                    "reporter": who.as_dict(),
                },
                policy_version=response["policy_version"],
                at=self.clock(),
            )


_KINDS = frozenset(
    {
        "send_message",
        "launch_campaign",
        "pause_campaign",
        "set_budget",
        "spend",
        "set_price",
        "set_discount",
        "target_audience",
        "post_social",
        "reply_customer",
        "custom",
    }
)


def _fast_eligible(action: Action, ev: Evaluation) -> bool:
    """Whether a decision's only state is its budget counters (so the database can decide it in one
    statement, see :meth:`Gate._decide_fast`): no recipient (pseudonyms, consent, suppression), no rolling
    window, no price, no approval to look up, no counter asked for more than its whole cap and no counter
    twice."""
    return (
        not ev.events
        and ev.consent is None
        and ev.price is None
        and ev.audience is None
        and ev.audience_send is None
        and not ev.audience_totals
        and (ev.denied or ev.budget is None)
        and (ev.denied or ev.discount is None)
        and (ev.denied or not ev.review)
        and getattr(action, "recipient", None) is None
        and all(p.amount <= p.cap for p in ev.counters)
        and len({p.key for p in ev.counters}) == len(ev.counters)
    )


def _window_frees(
    events: list[tuple[datetime, int]], legacy: int, size: int, threshold: int, window: timedelta
) -> datetime | None:
    """When ``size`` more fits under ``threshold`` again as the window's oldest ``events`` leave it; None
    when it never does on its own (``size`` alone passes it, or old day counters count, whose times are not
    known)."""
    if legacy or size > threshold:
        return None
    remaining = sum(n for _, n in events)
    for when, amount in events:
        remaining -= amount
        if remaining + size <= threshold:
            return when + window
    return None


def _known_kind(kind: Any) -> str | None:
    """An action kind fit to store: a known kind, ``other`` for anything else, None when absent."""
    if kind is None:
        return None
    return kind if isinstance(kind, str) and kind in _KINDS else "other"


def _error_kind(exc: BaseException) -> str:
    """What to tell the agent about an error: its class, or ``database error`` for any driver error."""
    if isinstance(exc, sa.exc.SQLAlchemyError) or type(exc).__module__.split(".")[0] in (
        "sqlite3",
        "psycopg",
        "psycopg2",
    ):
        return "database error"
    if isinstance(exc, OSError):
        return "system error"
    return type(exc).__name__


def _reservation(entry: LedgerEntry | None, kind: str, key: str) -> dict[str, Any] | None:
    """The ``kind`` reservation of ``key`` that a decision's (intact, already checked) entry records."""
    payload = entry.payload if entry is not None else None
    for res in (payload.get("reservations") or []) if isinstance(payload, dict) else []:
        if isinstance(res, dict) and res.get("kind") == kind and res.get("key") == key:
            return res
    return None
