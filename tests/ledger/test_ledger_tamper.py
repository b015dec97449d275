"""Every kind of tampering with the ledger table is caught, located and named (SQLite and PostgreSQL)."""

from __future__ import annotations

import sqlalchemy as sa
from ledger_testlib import fill, run_sql

from brandrail.ledger import GENESIS_HASH, Ledger, canonical_json, generate_keypair, verify_checkpoint
from brandrail.ledger._canonical import entry_hash

N = 10


def problems(ledger: Ledger) -> set[tuple[int, str]]:
    report = ledger.verify()
    assert report.count == ledger.count()
    assert report.ok is (not report.problems)
    return {(p.seq, p.kind) for p in report.problems}


def row(ledger: Ledger, seq: int) -> dict[str, object]:
    with ledger.engine.connect() as conn:
        found = conn.execute(sa.select(ledger.table).where(ledger.table.c.seq == seq)).mappings().one()
    return dict(found)


def shift(ledger: Ledger, from_seq: int, by: int) -> None:
    """Renumber entries seq >= from_seq by `by` (via negative numbers, so no key clash on any backend)."""
    run_sql(
        ledger,
        "UPDATE {t} SET seq = -(seq + :by) WHERE seq >= :s",
        "UPDATE {t} SET seq = -seq WHERE seq < 0",
        by=by,
        s=from_seq,
    )


def test_untouched_ledger_verifies(ledger: Ledger) -> None:
    fill(ledger, N)
    report = ledger.verify()
    assert report.ok and report.count == N and report.head_seq == N and not report.problems
    assert bool(report) is True


def test_empty_ledger_verifies(ledger: Ledger) -> None:
    report = ledger.verify()
    assert report.ok and report.count == 0 and report.head_hash == GENESIS_HASH


def test_edited_payload(ledger: Ledger) -> None:
    fill(ledger, N)
    run_sql(ledger, "UPDATE {t} SET payload = :p WHERE seq = 5", p='{"decision":"deny","i":5}')
    assert problems(ledger) == {(5, "edited")}


def test_edited_policy_version(ledger: Ledger) -> None:
    fill(ledger, N)
    run_sql(ledger, "UPDATE {t} SET policy_version = :pv WHERE seq = 7", pv="b" * 64)
    assert problems(ledger) == {(7, "edited")}


def test_edited_time_and_kind(ledger: Ledger) -> None:
    fill(ledger, N)
    run_sql(ledger, "UPDATE {t} SET time = '2020-01-01T00:00:00.000000Z' WHERE seq = 2")
    run_sql(ledger, "UPDATE {t} SET kind = 'approval' WHERE seq = 9")
    assert problems(ledger) == {(2, "edited"), (9, "edited")}


def test_edited_hash_field_only(ledger: Ledger) -> None:
    fill(ledger, N)
    run_sql(ledger, "UPDATE {t} SET hash = :h WHERE seq = 5", h="f" * 64)
    report = ledger.verify()
    assert {(p.seq, p.kind) for p in report.problems} == {(5, "edited")}
    assert "stored hash was changed" in report.problems[0].detail


def test_edited_and_hash_recomputed(ledger: Ledger) -> None:
    fill(ledger, N)
    old = row(ledger, 5)
    payload = canonical_json({"decision": "deny", "i": 5})
    new_hash = entry_hash(
        5, (old["id"], old["time"], old["kind"], payload, old["policy_version"], old["prev_hash"])
    )
    run_sql(ledger, "UPDATE {t} SET payload = :p, hash = :h WHERE seq = 5", p=payload, h=new_hash)
    report = ledger.verify()
    assert {(p.seq, p.kind) for p in report.problems} == {(5, "edited")}
    assert "hash recomputed" in report.problems[0].detail


def test_deleted_middle(ledger: Ledger) -> None:
    fill(ledger, N)
    run_sql(ledger, "DELETE FROM {t} WHERE seq = 5")
    assert problems(ledger) == {(5, "deleted")}


def test_deleted_range_and_first(ledger: Ledger) -> None:
    fill(ledger, N)
    run_sql(ledger, "DELETE FROM {t} WHERE seq IN (1, 4, 5, 6)")
    report = ledger.verify()
    assert {(p.seq, p.kind) for p in report.problems} == {(1, "deleted"), (4, "deleted")}
    assert "entries 4..6 missing" in report.problems[1].detail


def test_deleted_and_renumbered(ledger: Ledger) -> None:
    fill(ledger, N)
    run_sql(ledger, "DELETE FROM {t} WHERE seq = 4")
    shift(ledger, 5, -1)
    report = ledger.verify()
    assert {(p.seq, p.kind) for p in report.problems} == {(4, "deleted"), (4, "reordered")}
    moved = next(p for p in report.problems if p.kind == "reordered")
    assert moved.detail == "seq 4..9 hold the entries written as seq 5..10"


def _fake(ledger: Ledger, seq: int, prev_hash: str, *, valid_hash: bool) -> None:
    payload = canonical_json({"decision": "allow", "i": 999})
    time = "2026-01-01T00:00:00.000000Z"
    digest = (
        entry_hash(seq, ("fake-id", time, "decision", payload, "a" * 64, prev_hash))
        if valid_hash
        else "e" * 64
    )
    run_sql(
        ledger,
        "INSERT INTO {t} (seq, id, time, kind, payload, policy_version, prev_hash, hash) "
        "VALUES (:seq, 'fake-id', :time, 'decision', :payload, :pv, :prev, :hash)",
        seq=seq,
        time=time,
        payload=payload,
        pv="a" * 64,
        prev=prev_hash,
        hash=digest,
    )


def test_inserted_with_valid_hash_and_renumbering(ledger: Ledger) -> None:
    fill(ledger, N)
    prev = str(row(ledger, 4)["hash"])
    shift(ledger, 5, 1)
    _fake(ledger, 5, prev, valid_hash=True)
    report = ledger.verify()
    assert {(p.seq, p.kind) for p in report.problems} == {(5, "inserted"), (6, "reordered")}
    assert report.count == N + 1


def test_inserted_garbage(ledger: Ledger) -> None:
    fill(ledger, N)
    shift(ledger, 3, 1)
    _fake(ledger, 3, "d" * 64, valid_hash=False)
    assert problems(ledger) == {(3, "inserted"), (4, "reordered")}


def test_inserted_at_front(ledger: Ledger) -> None:
    fill(ledger, N)
    shift(ledger, 1, 1)
    _fake(ledger, 1, GENESIS_HASH, valid_hash=True)
    assert problems(ledger) == {(1, "inserted"), (2, "reordered")}


def test_swapped(ledger: Ledger) -> None:
    fill(ledger, N)
    run_sql(
        ledger,
        "UPDATE {t} SET seq = -1 WHERE seq = 4",
        "UPDATE {t} SET seq = 4 WHERE seq = 5",
        "UPDATE {t} SET seq = 5 WHERE seq = -1",
    )
    report = ledger.verify()
    assert {(p.seq, p.kind) for p in report.problems} == {(4, "reordered"), (5, "reordered")}
    assert [p.detail for p in report.problems] == [
        "seq 4 holds the entry written as seq 5",
        "seq 5 holds the entry written as seq 4",
    ]


def test_moved_far(ledger: Ledger) -> None:
    fill(ledger, N)
    run_sql(ledger, "UPDATE {t} SET seq = 20 WHERE seq = 3")
    report = ledger.verify()
    # entry 3 is not lost: it stands at seq 20, and the report says so
    assert [(p.seq, p.kind, p.detail) for p in report.problems] == [
        (20, "reordered", "seq 20 holds the entry written as seq 3")
    ]


def test_several_tampers_at_once(ledger: Ledger) -> None:
    fill(ledger, 30)
    run_sql(ledger, "UPDATE {t} SET policy_version = 'x' WHERE seq = 3")
    run_sql(ledger, "DELETE FROM {t} WHERE seq = 12")
    run_sql(ledger, "UPDATE {t} SET seq = -1 WHERE seq = 20", "UPDATE {t} SET seq = 20 WHERE seq = 21")
    run_sql(ledger, "UPDATE {t} SET seq = 21 WHERE seq = -1")
    assert problems(ledger) == {(3, "edited"), (12, "deleted"), (20, "reordered"), (21, "reordered")}


def test_truncated_tail_needs_checkpoint(ledger: Ledger) -> None:
    fill(ledger, N)
    private, public = generate_keypair()
    checkpoint = ledger.checkpoint(private)
    run_sql(ledger, "DELETE FROM {t} WHERE seq > 8")
    # Without the checkpoint a removed tail is indistinguishable from a shorter ledger ...
    assert ledger.verify().ok
    # ... with it, the removal is caught and the removed entries named.
    report = verify_checkpoint(checkpoint, public, ledger)
    assert not report.ok and report.signature_ok
    assert [(p.seq, p.kind) for p in report.problems] == [(9, "truncated")]
    assert "entries 9..10 removed" in report.problems[0].detail


def test_rewritten_chain_caught_by_checkpoint(ledger: Ledger) -> None:
    fill(ledger, 6)
    private, public = generate_keypair()
    checkpoint = ledger.checkpoint(private)
    # An attacker with database access rewrites entry 2 and recomputes every hash after it.
    with ledger.engine.begin() as conn:
        rows = conn.execute(sa.select(ledger.table).order_by(ledger.table.c.seq)).mappings().all()
        prev = GENESIS_HASH
        for r in rows:
            payload = canonical_json({"decision": "deny", "i": 2}) if r["seq"] == 2 else r["payload"]
            h = entry_hash(r["seq"], (r["id"], r["time"], r["kind"], payload, r["policy_version"], prev))
            conn.execute(
                ledger.table.update()
                .where(ledger.table.c.seq == r["seq"])
                .values(payload=payload, prev_hash=prev, hash=h)
            )
            prev = h
    assert ledger.verify().ok  # internally consistent again
    report = verify_checkpoint(checkpoint, public, ledger)
    assert [(p.seq, p.kind) for p in report.problems] == [(6, "rewritten")]


def test_checkpoint_then_more_appends_still_verifies(ledger: Ledger) -> None:
    fill(ledger, 4)
    private, public = generate_keypair()
    checkpoint = ledger.checkpoint(private)
    fill(ledger, 3)
    report = verify_checkpoint(checkpoint, public, ledger)
    assert report.ok and report.count == 7 and report.signature_ok


def test_problem_list_is_capped(ledger: Ledger) -> None:
    fill(ledger, 20)
    run_sql(ledger, "UPDATE {t} SET policy_version = 'x'")
    report = ledger.verify(max_problems=5)
    assert not report.ok and report.problems_truncated and len(report.problems) == 5


def test_small_batches_give_same_result(ledger: Ledger) -> None:
    fill(ledger, 25)
    run_sql(ledger, "DELETE FROM {t} WHERE seq = 10")
    run_sql(ledger, "UPDATE {t} SET policy_version = 'x' WHERE seq = 21")
    small = ledger.verify(batch_size=3)
    assert small.problems == ledger.verify().problems
    assert {(p.seq, p.kind) for p in small.problems} == {(10, "deleted"), (21, "edited")}
