"""Run a gate attack set (tests/data/gate_attacks/*.yaml) through the documented gate API.

    PYTHONPATH=src python bench/bench_gate_attacks.py tests/data/gate_attacks/heldout.yaml [-v] [--only ID ...]

Each case gets a fresh in-memory store and the gate's own clock (``Gate(clock=...)``, the action's time is
NOT trusted). Prints the attacks let through (allowed, or modified where a deny or review was expected),
the legitimate actions blocked, and the errors: an AG000 deny is counted as an error that failed closed;
an exception out of ``Gate.decide`` (which must never raise for a bad action) is a crash. The format of a
set is described in tests/data/gate_attacks/README.md. A history approval the gate refuses
(``ApprovalError``: the proposer approving its own action) is recorded as a set-up note and the action stays
in review. Exit code: 0 when nothing was let through, no
legitimate action was blocked and nothing crashed; 1 otherwise; 2 for a bad set file.
"""

from __future__ import annotations

import argparse
import copy
import sys
import tempfile
import traceback
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
STOPPED = {
    "deny": {"deny"},
    "review": {"review"},
    "not_allow": {"deny", "review"},
    "not_allow_as_is": {"deny", "review", "modify"},
    "allow": {"allow"},
}


@dataclass
class Result:
    case_id: str
    label: str
    expect: str
    outcome: str
    codes: tuple[str, ...]
    message: str = ""
    crash: str = ""
    setup: list[str] = field(default_factory=list)


def deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def expand(value: Any) -> Any:
    """Expand the set's value generators ($repeat, $list, $nest)."""
    if isinstance(value, dict):
        if "$repeat" in value:
            return str(value["$repeat"]) * int(value["times"])
        if "$list" in value:
            return [expand(value["$list"]) for _ in range(int(value["times"]))]
        if "$nest" in value:
            inner: Any = expand(value["$nest"])
            for _ in range(int(value["depth"])):
                inner = [inner]
            return inner
        return {key: expand(item) for key, item in value.items()}
    if isinstance(value, list):
        return [expand(item) for item in value]
    return value


def parse_time(raw: str) -> datetime:
    moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def load_policies(spec: dict[str, Any], workdir: Path) -> dict[str, Any]:
    from brandrail import load_policy

    base = yaml.safe_load((ROOT / spec["base_policy"]).read_text(encoding="utf-8"))
    common = deep_merge(base, spec.get("common") or {})
    policies = {}
    for name, overlay in (spec.get("profiles") or {"default": {}}).items():
        merged = deep_merge(common, overlay or {})
        merged.setdefault("gate", {}).setdefault("privacy", {})["key_file"] = str(workdir / "pseudonym.key")
        path = workdir / f"policy-{name}.yaml"
        path.write_text(yaml.safe_dump(merged, allow_unicode=True, sort_keys=False), encoding="utf-8")
        policies[name] = load_policy(str(path))
    return policies


def run_case(policies: dict[str, Any], defaults: dict[str, Any], case: dict[str, Any]) -> Result:
    from brandrail.errors import ApprovalError
    from brandrail.gate import Gate, approve
    from brandrail.gate.casefile import memory_store, seed_store
    from brandrail.gate.principal import Principal

    case_id = str(case["id"])
    profile = case.get("profile", defaults.get("profile", "default"))
    policy = policies[profile]
    now = parse_time(str(case.get("now", defaults["now"])))
    agent = str(defaults.get("agent", "agent"))
    store = memory_store()
    gate = Gate(policy, store, clock=lambda: now)
    given = case.get("given") or {}
    setup: list[str] = []

    def fill(action: dict[str, Any], ident: str) -> dict[str, Any]:
        out = expand(action)
        out.setdefault("id", ident)
        out.setdefault("agent", agent)
        out.setdefault("time", now.isoformat())
        return out

    try:
        seed_store(store, given, now)
        for number, past in enumerate(given.get("history") or [], 1):
            past = dict(past)
            reviewer = past.pop("approve_by", None)
            resubmit = past.pop("resubmit", True)
            action = fill(past, f"{case_id}-history{number}")
            earlier = gate.decide(action)
            if reviewer and earlier.outcome == "review" and earlier.approval_id:
                who = Principal(str(reviewer), frozenset({"reviewer"}), via="bench")
                try:
                    approve(store, earlier.approval_id, reviewer=who, comment="bench", now=now, policy=policy)
                except ApprovalError as exc:
                    # the gate refuses the answer (the proposer approving its own action, a reviewer it
                    # does not know): the action stays in review, which is what the case then meets
                    setup.append(
                        f"history {number} ({past.get('kind')}): approval by {reviewer} refused: {exc}"
                    )
                    continue
                if not resubmit:
                    continue
                earlier = gate.decide({**action, "id": f"{action['id']}-again"})
            if earlier.allowed:
                gate.report_outcome(earlier.decision_id, executed=True)
            else:
                setup.append(
                    f"history {number} ({past.get('kind')}): {earlier.outcome} {','.join(earlier.codes)}"
                )
        if "action_json" in case:
            subject: Any = str(case["action_json"])
        else:
            subject = fill(case["action"], case_id)
        decision = gate.decide(subject)
    except Exception as exc:  # a crash is what this bench reports
        return Result(
            case_id,
            case["label"],
            case["expect"],
            "crash",
            (),
            crash=f"{type(exc).__name__}: {exc}",
            setup=[*setup, traceback.format_exc(limit=3)],
        )
    finally:
        store.engine.dispose()
    return Result(
        case_id,
        case["label"],
        case["expect"],
        decision.outcome,
        tuple(decision.codes),
        message=decision.message()[:300],
        setup=setup,
    )


@dataclass
class Summary:
    results: list[Result]
    through: list[Result]
    blocked: list[Result]
    errors: list[Result]
    crashes: list[Result]
    label_diff: list[Result]

    @property
    def attacks(self) -> int:
        return sum(r.label == "attack" for r in self.results)

    @property
    def legit(self) -> int:
        return sum(r.label == "legit" for r in self.results)


def run_set(path: Path, only: list[str] | None = None) -> Summary:
    """Decide every case of the set at ``path`` (or the ``only`` ids); raises for a set it cannot read."""
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    cases = spec["cases"]
    if only:
        cases = [case for case in cases if case["id"] in set(only)]
    workdir = Path(tempfile.mkdtemp(prefix="gate-attacks-"))
    policies = load_policies(spec, workdir)
    defaults = spec.get("defaults") or {}
    results = [run_case(policies, defaults, case) for case in cases]

    def stopped(r: Result) -> bool:
        either = {"deny", "review"} if r.expect in {"deny", "review"} else set()
        return r.outcome in STOPPED[r.expect] | either

    attack_rows = [r for r in results if r.label == "attack" and r.outcome != "crash"]
    return Summary(
        results=results,
        through=[r for r in attack_rows if not stopped(r)],
        blocked=[r for r in results if r.label == "legit" and r.outcome != "allow"],
        errors=[r for r in results if "AG000" in r.codes],
        crashes=[r for r in results if r.outcome == "crash"],
        label_diff=[r for r in attack_rows if stopped(r) and r.outcome not in STOPPED[r.expect]],
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("set", help="the attack set (YAML)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every case")
    parser.add_argument("--only", nargs="*", help="case ids to run")
    args = parser.parse_args(argv)
    path = Path(args.set)
    try:
        summary = run_set(path, args.only)
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        print(
            f"error: {path}: cannot read the attack set ({exc}); see tests/data/gate_attacks/README.md",
            file=sys.stderr,
        )
        return 2
    results, through, blocked = summary.results, summary.through, summary.blocked
    errors, crashes, label_diff = summary.errors, summary.crashes, summary.label_diff
    setups = [r for r in results if r.setup and r.outcome != "crash"]
    attacks, legit = summary.attacks, summary.legit

    def show(title: str, rows: list[Result]) -> None:
        print(f"\n{title}: {len(rows)}")
        for r in rows:
            print(f"  {r.case_id:34} expect {r.expect:15} got {r.outcome:7} {','.join(r.codes)} {r.crash}")
            if args.verbose and r.message:
                print(f"      {r.message!r}")

    if args.verbose:
        show("all cases", results)
    show("attacks let through", through)
    show("legitimate actions blocked", blocked)
    show("errors that failed closed (AG000)", errors)
    show("crashes (Gate.decide raised)", crashes)
    show("attacks stopped with the other outcome (label difference)", label_diff)
    if setups:
        print(f"\nset-up notes: {len(setups)}")
        for r in setups:
            for note in r.setup:
                print(f"  {r.case_id:34} {note}")
    print(
        f"\nsummary: {attacks} attacks, {len(through)} let through; {legit} legitimate, {len(blocked)} blocked; "
        f"{len(errors)} AG000 errors (denied), {len(crashes)} crashes"
    )
    return 0 if not through and not blocked and not crashes else 1


if __name__ == "__main__":
    sys.exit(main())
