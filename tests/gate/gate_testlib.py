"""Helpers for the gate tests (a unique module name: the test tree has no __init__ files)."""

from __future__ import annotations

import hashlib
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

T0 = "2026-05-04T10:00:00+00:00"


class Clock:
    """A settable clock for Gate(clock=...)."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now = self.now + timedelta(**delta)


_counter = [0]


def _next_id(prefix: str) -> str:
    _counter[0] += 1
    return f"{prefix}-{_counter[0]}-{uuid.uuid4().hex[:6]}"


def spend(amount: str, campaign: str = "spring", agent: str = "ads-bot", **extra: Any) -> dict[str, Any]:
    return {
        "kind": "spend",
        "id": _next_id("sp"),
        "agent": agent,
        "time": T0,
        "campaign": campaign,
        "amount": amount,
        **extra,
    }


def send(
    recipient: str | dict[str, Any] = "c1",
    channel: str = "email",
    content: str = "Trail season is here.",
    **extra: Any,
) -> dict[str, Any]:
    rec = recipient if isinstance(recipient, dict) else {"id": recipient}
    return {
        "kind": "send_message",
        "id": _next_id("msg"),
        "agent": "crm-bot",
        "time": T0,
        "channel": channel,
        "recipient": rec,
        "content": content,
        **extra,
    }


def action(kind: str, **fields: Any) -> dict[str, Any]:
    return {"kind": kind, "id": _next_id(kind), "agent": fields.pop("agent", "bot"), "time": T0, **fields}


def audience(*criteria: dict[str, Any], campaign: str = "winter") -> dict[str, Any]:
    """A ``target_audience`` action with ``criteria`` (see :func:`crit`) for 500 people."""
    return action("target_audience", campaign=campaign, criteria=list(criteria), estimated_size=500)


def crit(attribute: str, value: Any = None, op: str = "eq") -> dict[str, Any]:
    """One audience criterion."""
    return {"attribute": attribute, "op": op, "value": value}


def tcf_string(
    purposes: set[int],
    vendors: set[int] = frozenset(),  # type: ignore[assignment]
    max_vendor: int = 0,
    restrictions: tuple[tuple[int, int, int], ...] = (),
) -> str:
    """Encode a minimal IAB TCF v2 core string (bit layout of the TCF v2.2 spec) — an independent encoder.

    ``restrictions``: publisher restrictions as (purpose, restriction type, vendor id)."""
    import base64

    bits: list[str] = []

    def put(value: int, width: int) -> None:
        bits.append(format(value, f"0{width}b"))

    deciseconds = 16_000_000_000  # 2020-09-13
    put(2, 6)  # version
    put(deciseconds, 36)  # created
    put(deciseconds, 36)  # last updated
    put(7, 12)  # cmp id
    put(1, 12)  # cmp version
    put(1, 6)  # consent screen
    put(ord("E") - 65, 6)
    put(ord("N") - 65, 6)  # language EN
    put(150, 12)  # vendor list version
    put(4, 6)  # tcf policy version
    put(1, 1)  # service specific
    put(0, 1)  # non-standard stacks
    put(0, 12)  # special features
    bits.append("".join("1" if i in purposes else "0" for i in range(1, 25)))  # purposes consent
    bits.append("0" * 24)  # purposes legitimate interest
    put(0, 1)  # purpose one treatment
    put(ord("D") - 65, 6)
    put(ord("E") - 65, 6)  # publisher cc DE
    top = max([max_vendor, *vendors]) if vendors or max_vendor else 0
    put(top, 16)
    put(0, 1)  # bitfield encoding
    bits.append("".join("1" if i in vendors else "0" for i in range(1, top + 1)))
    put(0, 16)  # max LI vendor
    put(0, 1)
    put(len(restrictions), 12)  # publisher restrictions
    for purpose, kind, vendor in restrictions:
        put(purpose, 6)
        put(kind, 2)
        put(1, 12)  # one entry
        put(0, 1)  # a single vendor id, not a range
        put(vendor, 16)
    text = "".join(bits)
    text += "0" * (-len(text) % 8)
    raw = int(text, 2).to_bytes(len(text) // 8, "big")
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


# -- workers for the multi-process tests (module level so that spawned processes can import them) ---------


def reservation_worker(
    url: str, policy: dict[str, Any], kind: str, amounts: list[list[str]], out_path: str
) -> None:
    """One process: len(amounts) threads, each deciding its list of spends (or sends, or audience
    declarations); results to out_path."""
    import json
    import threading

    from brandrail.gate import Gate, GateStore
    from brandrail.policy import policy_from_dict

    gate = Gate(policy_from_dict(policy), GateStore.from_url(url))
    results: list[tuple[str, str, str]] = []
    lock = threading.Lock()

    def run(items: list[str]) -> None:
        local = []
        for value in items:
            now = datetime.now(UTC).isoformat()  # the gate's clock decides: actions carry the real time
            if kind == "spend":
                decision = gate.decide(spend(value, time=now))
            elif kind == "audience":  # one campaign per declaration: the split that AG505 binds
                fields = {"campaign": f"split-{_next_id('c')}", "criteria": [], "estimated_size": int(value)}
                decision = gate.decide(action("target_audience", **fields, time=now))
            else:
                decision = gate.decide(send(value, channel="email", time=now))
            local.append((decision.decision_id, decision.outcome, value))
        with lock:
            results.extend(local)

    threads = [threading.Thread(target=run, args=(items,)) for items in amounts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with open(out_path, "w", encoding="utf-8") as handle:
        json.dump(results, handle)


def crash_worker(url: str, policy: dict[str, Any], out_path: str, threads: int = 4) -> None:
    """Decide forever from several threads; append every decision received (and outcomes reported) to out_path."""
    import json
    import random
    import threading

    from brandrail.gate import Gate, GateStore
    from brandrail.policy import policy_from_dict

    gate = Gate(policy_from_dict(policy), GateStore.from_url(url))
    handle = open(out_path, "a", encoding="utf-8", buffering=1)  # noqa: SIM115 - lives until SIGKILL
    lock = threading.Lock()

    def run(seed: int) -> None:
        rng = random.Random(seed)
        while True:
            now = datetime.now(UTC).isoformat()
            if rng.random() < 0.5:
                decision = gate.decide(spend(f"{rng.randint(1, 500) / 100:.2f}", time=now))
            else:
                decision = gate.decide(send(f"r{rng.randint(1, 20)}", time=now))
            with lock:
                handle.write(
                    json.dumps({"decision": decision.decision_id, "outcome": decision.outcome}) + "\n"
                )
            if decision.allowed and rng.random() < 0.3:
                gate.report_outcome(decision.decision_id, executed=False)
                with lock:
                    handle.write(json.dumps({"released": decision.decision_id}) + "\n")

    for seed in range(threads):
        threading.Thread(target=run, args=(seed,), daemon=True).start()
    threading.Event().wait()


def bound_gate(url: str, clock: Any, **gate: Any) -> Any:
    """A Gate on the store at ``url`` that needs opt-in consent on email and sms (the binding tests)."""
    from brandrail.gate import Gate, GateStore
    from brandrail.policy import policy_from_dict

    section = {"content_checks": False, "consent": {"require_opt_in": ["email", "sms"]}, **gate}
    return Gate(policy_from_dict({"gate": section}), GateStore.from_url(url), clock=clock)


def write_behind(gate: Any, statement: Any) -> None:
    """Run ``statement`` on the gate's database as a writer outside the gate would."""
    with gate.store.engine.begin() as conn:
        conn.execute(statement)


def side_table_problems(gate: Any) -> list[str]:
    """What ``brandrail ledger verify`` reports of the gate's tables (the problems only)."""
    from brandrail.gate.bindings import check_side_tables

    return [problem for _, problem in check_side_tables(gate.store.ledger, gate.store.engine)]


def contention_worker(url: str, policy: dict[str, Any], count: int, out_path: str, seed: int) -> None:
    """One process, two threads: ``count`` decisions each (spends, and sends to first-contact recipients,
    whose link entries travel with the decision); every decision as received to out_path (JSON)."""
    import json
    import random
    import threading

    from brandrail.gate import Gate, GateStore
    from brandrail.policy import policy_from_dict

    gate = Gate(policy_from_dict(policy), GateStore.from_url(url))
    results: list[dict[str, Any]] = []
    lock = threading.Lock()

    def run(thread: int) -> None:
        rng = random.Random(seed * 100 + thread)
        local = []
        for i in range(count):
            now = datetime.now(UTC).isoformat()
            if rng.random() < 0.5:
                data = spend(str(rng.randint(1, 9)), time=now)
            else:
                data = send(
                    {"id": f"p{seed}-{thread}-{i}", "email": f"p{seed}.{thread}.{i}@example.com"}, time=now
                )
            decision = gate.decide(data)
            local.append(
                {
                    "decision_id": decision.decision_id,
                    "outcome": decision.outcome,
                    "ledger_seq": decision.ledger_seq,
                    "codes": decision.codes,
                    "extra": decision.extra,
                }
            )
        with lock:
            results.extend(local)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with open(out_path, "w", encoding="utf-8") as handle:
        json.dump({"results": results, "stats": gate.write_stats.as_dict()}, handle)


ATTACK_SET_EXPECTS = {"allow", "deny", "review", "not_allow", "not_allow_as_is"}


def pinned_attack_set(path: Path, sha256: str) -> dict[str, Any]:
    """An attack set (tests/data/gate_attacks/*.yaml) read after checking its pinned sha256."""
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    assert digest == sha256, f"{path} changed (sha256 {digest}); its labels are pinned: do not edit it"
    data = yaml.safe_load(raw.decode("utf-8"))
    assert isinstance(data, dict)
    return data


def attack_set_problems(data: dict[str, Any], id_prefix: str | None = None) -> list[str]:
    """What is wrong with an attack set: its version or base policy, duplicate ids, unknown labels, expects or
    profiles, a label that does not agree with its expect, a case with no why, not exactly one of `action` and
    `action_json`; with ``id_prefix`` ("h3"), attack ids not ``h3-a-…`` or legitimate ones not ``h3-l-…``."""
    problems = []
    if data.get("version") != 1 or data.get("base_policy") != "examples/gate/policy.yaml":
        problems.append(f"version {data.get('version')!r}, base_policy {data.get('base_policy')!r}")
    profiles = set(data["profiles"])
    cases = data["cases"]
    problems += [f"duplicate id {i}" for i, n in Counter(case["id"] for case in cases).items() if n > 1]
    for case in cases:
        if case["label"] not in {"attack", "legit"} or case["expect"] not in ATTACK_SET_EXPECTS:
            problems.append(f"{case['id']}: label {case['label']!r}, expect {case['expect']!r}")
        elif (case["label"] == "legit") != (case["expect"] == "allow"):
            problems.append(f"{case['id']}: a {case['label']} case expects {case['expect']}")
        if not (isinstance(case.get("why"), str) and case["why"].strip()):
            problems.append(f"{case['id']}: no why")
        if case.get("profile", "default") not in profiles:
            problems.append(f"{case['id']}: unknown profile {case.get('profile')!r}")
        if ("action" in case) == ("action_json" in case):
            problems.append(f"{case['id']}: not exactly one of action, action_json")
        if id_prefix is not None and not case["id"].startswith(f"{id_prefix}-{case['label'][0]}-"):
            problems.append(f"{case['id']}: ids are {id_prefix}-a-NNN (attack) or {id_prefix}-l-NNN (legit)")
    return problems


def check_pinned_attack_set(
    path: Path, sha256: str, *, min_attacks: int, min_legit: int, id_prefix: str | None = None
) -> None:
    """A pinned gate attack set is unchanged, well formed (:func:`attack_set_problems`) and holds at least
    ``min_attacks`` attacks and ``min_legit`` legitimate look-alikes. Runs no gate."""
    data = pinned_attack_set(path, sha256)
    assert attack_set_problems(data, id_prefix) == []
    labels = Counter(case["label"] for case in data["cases"])
    assert labels["attack"] >= min_attacks and labels["legit"] >= min_legit
