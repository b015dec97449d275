"""Operating the tool-result taint (AG909): list it, lift it on review (reviewer role, recorded in the ledger,
seen by every process at once), keep it across a pseudonym key rotation, prune expired rows without their
deletion reading as tampering. SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from test_integrations_taint_store import (
    BY,
    Clock,
    gate_on,
    lift_seen,
    store_url,  # noqa: F401 - the fixture
    taint_entries,
    verify_problems,
    write_behind,
)

from brandrail.errors import ApprovalError, UsageError
from brandrail.gate import Gate
from brandrail.gate.principal import Principal
from brandrail.gate.pseudonyms import PseudonymKeys
from brandrail.gate.taint import list_taints, prune_taints, read_taints
from brandrail.integrations.common import ResultTaint
from brandrail.policy import Policy, policy_from_dict

ANA = Principal("ana", frozenset({"reviewer"}), via="key")
OLD = PseudonymKeys.parse("k1:" + "11" * 32, "test")
NEW = PseudonymKeys.parse("k2:" + "22" * 32 + "\nk1:" + "11" * 32, "test")
ONLY_NEW = PseudonymKeys.parse("k2:" + "22" * 32, "test")


@pytest.fixture
def gates(policy: Policy, store_url: str) -> Iterator[list[Gate]]:  # noqa: F811
    made: list[Gate] = []
    yield made
    for gate in made:
        gate.store.engine.dispose()


def shell(gate: Gate, clock: Clock, keys: PseudonymKeys | None = None) -> ResultTaint:
    return ResultTaint(gate.policy.integrations.results, clock, gate.store, keys or gate.keys)


def held(taint: ResultTaint, policy: Policy, credential: str | None) -> Any:
    return taint.hold(policy, taint.caller(credential=credential), "issue_refund")


# -- lift ----------------------------------------------------------------------------------------------


def test_a_reviewer_lifts_a_taint_and_every_process_sees_it_at_once(
    policy: Policy,
    store_url: str,  # noqa: F811
    gates: list[Gate],
) -> None:
    clock = Clock()
    gate = gate_on(gates, policy, store_url)
    gateway = shell(gate, clock)  # a running gateway that has read the taint already
    caller = gateway.caller(credential="key-a")
    gateway.mark(caller, BY)
    assert held(gateway, policy, "key-a") is not None
    [row] = list_taints(gate.store)
    assert row.key == caller.principal and row.state(clock.now) == "live" and row.at is not None
    assert row.by["tool"] == "lookup_order" and row.by["codes"] == ["AG908"]

    clock.advance(minutes=5)
    lifted = lift_seen(
        gate.store, row.key, reviewer=ANA, reason="result reviewed: a false alarm", now=clock.now
    )
    assert lifted.until == clock.now and lifted.seq == 2
    assert held(gateway, policy, "key-a") is None  # the running gateway reads the store, not its memory
    [entry] = [e for e in taint_entries(gate) if e["seq"] == 2]
    assert entry["by"]["lifted"]["reviewer"] == "ana" and entry["by"]["lifted"]["reason"].startswith("result")
    assert entry["by"]["lifted"]["until_was"] == (
        clock.now - timedelta(minutes=5) + timedelta(hours=1)
    ).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")
    assert entry["by"]["tool"] == "lookup_order"  # what caused it stays on record
    [row] = list_taints(gate.store)
    assert row.state(clock.now) == "expired" and verify_problems(gate) == []
    with pytest.raises(ApprovalError, match="no live taint"):  # nothing left to lift
        lift_seen(gate.store, row.key, reviewer=ANA, reason="again", now=clock.now)
    # a new flagged result taints again at once, however soon after the lift
    clock.advance(seconds=10)
    gateway.mark(caller, BY)
    assert held(gateway, policy, "key-a") is not None


def test_only_a_registered_reviewer_lifts_with_a_reason(
    policy: Policy,
    store_url: str,  # noqa: F811
    gates: list[Gate],
) -> None:
    clock = Clock()
    gate = gate_on(gates, policy, store_url)
    taint = shell(gate, clock)
    taint.mark(taint.caller(credential="key-a"), BY)
    key = taint.caller(credential="key-a").principal or ""
    registered = policy_from_dict(
        {"gate": {"principals": [{"id": "ana", "roles": ["reviewer"]}, {"id": "bot", "roles": ["agent"]}]}}
    )
    for who, pol, match in (
        ("mallory", registered, "not a registered principal"),
        ("bot", registered, "does not hold the reviewer role"),
        ("ana", None, "not a registered principal"),
        (Principal("bot", frozenset({"agent"})), None, "does not hold the reviewer role"),
    ):
        with pytest.raises(ApprovalError, match=match):
            lift_seen(gate.store, key, reviewer=who, reason="looked at it", policy=pol, now=clock.now)
    with pytest.raises(ApprovalError, match="reason"):
        lift_seen(gate.store, key, reviewer="ana", reason="  ", policy=registered, now=clock.now)
    with pytest.raises(UsageError, match="not a caller key"):
        lift_seen(
            gate.store, "key-a", reviewer="ana", reason="looked at it", policy=registered, now=clock.now
        )
    assert held(taint, policy, "key-a") is not None and len(taint_entries(gate)) == 1  # nothing written
    lift_seen(gate.store, key, reviewer="ANA", reason="looked at it", policy=registered, now=clock.now)
    assert held(taint, policy, "key-a") is None


def test_a_tampered_row_is_listed_and_lifting_binds_it_again(
    policy: Policy,
    store_url: str,  # noqa: F811
    gates: list[Gate],
) -> None:
    clock = Clock()
    gate = gate_on(gates, policy, store_url)
    taint = shell(gate, clock)
    taint.mark(taint.caller(credential="key-a"), BY)
    taint.mark(taint.caller(credential="key-b"), BY)
    a, b = (taint.caller(credential=k).principal for k in ("key-a", "key-b"))
    write_behind(gate, f"DELETE FROM gate_taint WHERE key = '{a}'")
    write_behind(gate, f"UPDATE gate_taint SET until = '2026-05-04T10:00:01.000000+00:00' WHERE key = '{b}'")
    states = {r.key: (r.state(clock.now), r.problem) for r in list_taints(gate.store)}
    assert states == {
        a: ("tampered", "was deleted (the ledger records it)"),
        b: ("tampered", "differs from its ledger entry"),
    }
    for key in (a, b):
        assert key is not None
        row = lift_seen(gate.store, key, reviewer=ANA, reason="reviewed the agent's context", now=clock.now)
        assert (
            row.by["lifted"]["problem"] and row.by["tool"] is None
        )  # the untrusted cause is not carried over
    assert verify_problems(gate) == []
    assert [r.state(clock.now) for r in list_taints(gate.store)] == ["expired", "expired"]
    assert held(taint, policy, "key-a") is None and held(taint, policy, "key-b") is None


# -- key rotation -------------------------------------------------------------------------------------


def test_a_taint_outlives_a_key_rotation_but_not_the_removal_of_the_old_key(
    policy: Policy,
    store_url: str,  # noqa: F811
    gates: list[Gate],
) -> None:
    clock = Clock()
    gate = gate_on(gates, policy, store_url)
    before = shell(gate, clock, OLD)
    before.mark(before.caller(credential="key-a"), BY)
    old_key = before.caller(credential="key-a").principal

    rotated = shell(gate, clock, NEW)  # a new key first, the old one kept after it
    caller = rotated.caller(credential="key-a")
    assert caller.principal != old_key and caller.taint_keys() == (caller.principal, old_key)
    found = held(rotated, policy, "key-a")
    assert found is not None and found.evidence["tool"] == "lookup_order"
    assert held(rotated, policy, "key-b") is None
    # a new taint is written under the current key only
    clock.advance(minutes=10)
    rotated.mark(caller, BY)
    assert {e["key"] for e in taint_entries(gate)} == {old_key, caller.principal}
    assert [e["seq"] for e in taint_entries(gate) if e["key"] == caller.principal] == [1]

    # the old key removed: the taint written under it is no longer found (docs/integrations.md)
    clock.advance(minutes=55)  # the taint written under the new key has 15 minutes left
    assert held(shell(gate, clock, ONLY_NEW), policy, "key-a") is not None
    before.mark(before.caller(credential="key-c"), BY)
    assert held(shell(gate, clock, NEW), policy, "key-c") is not None
    assert held(shell(gate, clock, ONLY_NEW), policy, "key-c") is None


# -- prune --------------------------------------------------------------------------------------------


def test_prune_deletes_expired_rows_and_records_it_so_nothing_reads_as_tampering(
    policy: Policy,
    store_url: str,  # noqa: F811
    gates: list[Gate],
) -> None:
    clock = Clock()
    gate = gate_on(gates, policy, store_url)
    taint = shell(gate, clock)
    for n in range(3):  # key-0 renewed twice: three versions
        taint.mark(taint.caller(credential="key-0"), {**BY, "request_id": f"r-{n}"})
        clock.advance(minutes=2)
    taint.mark(taint.caller(credential="key-1"), BY)
    clock.advance(days=2)
    taint.mark(taint.caller(credential="key-2"), BY)  # live
    tampered = shell(gate, Clock()).caller(credential="key-3").principal
    shell(gate, Clock()).mark(shell(gate, Clock()).caller(credential="key-3"), BY)
    write_behind(gate, f"UPDATE gate_taint SET by = '{{}}' WHERE key = '{tampered}'")

    result = prune_taints(gate.store, timedelta(days=1), now=clock.now)
    keys = {k: shell(gate, clock).caller(credential=k).principal for k in ("key-0", "key-1", "key-2")}
    assert sorted(result.pruned) == sorted([keys["key-0"], keys["key-1"]]) and result.skipped == (tampered,)
    with gate.store.reader() as conn:
        left = {str(k) for (k,) in conn.exec_driver_sql("SELECT key FROM gate_taint").all()}
    assert left == {keys["key-2"], tampered}
    assert verify_problems(gate) == [(f"taint of {tampered}", "the taint row differs from its ledger entry")]
    assert held(taint, policy, "key-0") is None and held(taint, policy, "key-1") is None
    assert {r.key for r in list_taints(gate.store)} == {keys["key-2"], tampered}
    [prune] = [e for e in taint_entries(gate) if e["key"] == keys["key-0"] and e.get("pruned")]
    assert prune["seq"] == 4
    with gate.store.reader() as conn:
        [row] = read_taints(gate.store, conn, [keys["key-0"] or ""])
    assert row.pruned and row.problem is None and row.seq == 4

    # a pruned caller tainted again: the next version, and verify stays clean
    taint.mark(taint.caller(credential="key-0"), BY)
    assert held(taint, policy, "key-0") is not None
    assert [e["seq"] for e in taint_entries(gate) if e["key"] == keys["key-0"]] == [1, 2, 3, 4, 5]
    # a pruned row put back by hand is an older version: it holds and verify names it
    [v1] = [e for e in taint_entries(gate) if e["key"] == keys["key-1"] and e["seq"] == 1]
    by = json.dumps(v1["by"], sort_keys=True).replace("'", "''")
    write_behind(
        gate,
        f"INSERT INTO gate_taint (key, until, by, seq) VALUES ('{keys['key-1']}', '{v1['until']}', '{by}', 1)",
    )
    assert "older version" in str(held(taint, policy, "key-1").evidence.get("store_problem"))
    # a deleted row whose last entry is not a prune is still a deletion
    write_behind(gate, f"DELETE FROM gate_taint WHERE key = '{keys['key-2']}'")
    assert "was deleted" in str(held(taint, policy, "key-2").evidence.get("store_problem"))
    assert prune_taints(gate.store, timedelta(days=1), now=clock.now).pruned == ()


# -- the command line ---------------------------------------------------------------------------------


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    from typer.testing import CliRunner

    from brandrail.cli import app

    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def test_the_taint_commands(tmp_path: Path, policy: Policy) -> None:
    gates: list[Gate] = []
    url = f"sqlite:///{tmp_path / 'gate.db'}"
    gate = gate_on(gates, policy, url)
    now = datetime.now(UTC)
    clock = Clock()
    clock.now = now
    taint = shell(gate, clock)
    taint.mark(taint.caller(credential="key-a"), BY)
    clock.now = now - timedelta(days=40)
    shell(gate, clock).mark(shell(gate, clock).caller(credential="key-b"), BY)
    a, b = (taint.caller(credential=k).principal or "" for k in ("key-a", "key-b"))
    pol = tmp_path / "brandrail.yaml"
    pol.write_text("gate:\n  principals:\n    - {id: ana, roles: [reviewer]}\n", encoding="utf-8")
    env = {"BRANDRAIL_PSEUDONYM_KEY": os.environ.get("BRANDRAIL_PSEUDONYM_KEY") or "t:" + "ab" * 32}

    code, out, _ = run("gate", "taint", "list", "--db", url, "--format", "json")
    assert code == 0
    listed = {t["key"]: t["state"] for t in json.loads(out)["taints"]}
    assert listed == {a: "live", b: "expired"}
    code, out, _ = run("gate", "taint", "list", "--db", url, "--state", "live")
    assert code == 0 and a in out and b not in out and "1 taint row(s)" in out
    code, _, err = run(
        "gate",
        "taint",
        "lift",
        a,
        "--reviewer",
        "eve",
        "--reason",
        "ok",
        "--db",
        url,
        "-p",
        str(pol),
        env=env,
    )
    assert code == 2 and "eve" in err
    lift = (
        "gate",
        "taint",
        "lift",
        a,
        "--reviewer",
        "ana",
        "--reason",
        "reviewed",
        "--db",
        url,
        "-p",
        str(pol),
    )
    # a lift that does not say what the reviewer saw: refused, with the fix, nothing written
    code, _, err = run(*lift, env=env)
    assert code == 2 and "--seen" in err and "nothing was lifted" in err
    code, out, _ = run("gate", "taint", "list", "--db", url, "--format", "json")
    [seen] = [t["view"] for t in json.loads(out)["taints"] if t["key"] == a]
    code, text, _ = run("gate", "taint", "list", "--db", url, "--state", "live")
    assert f"view={seen}" in text  # the text listing shows it too
    code, out, _ = run(*lift, "--seen", seen, env=env)
    assert code == 0 and "lifted by ana" in out
    clock.now = datetime.now(UTC)  # the lift ends the taint at the lifting process's "now"
    assert held(taint, policy, "key-a") is None
    code, _, err = run("gate", "taint", "prune", "--older-than", "soon", "--db", url)
    assert code == 2 and "--older-than" in err
    code, out, _ = run("gate", "taint", "prune", "--older-than", "30d", "--db", url)
    assert code == 0 and "pruned 1 " in out
    code, out, _ = run("ledger", "verify", "--db", url)
    assert code == 0, out
    gate.store.engine.dispose()
