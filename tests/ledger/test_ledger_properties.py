"""Property tests: any single tampering of a random chain is caught and named exactly (no database)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from brandrail.ledger import GENESIS_HASH, canonical_json
from brandrail.ledger._canonical import entry_hash
from brandrail.ledger._verify import verify_rows

Row = list[object]
FIELDS = {"id": 1, "time": 2, "kind": 3, "payload": 4, "policy_version": 5, "prev_hash": 6, "hash": 7}


def chain(n: int) -> list[Row]:
    rows: list[Row] = []
    prev = GENESIS_HASH
    for seq in range(1, n + 1):
        fields = (
            f"id-{seq}",
            f"2026-01-01T00:00:{seq % 60:02d}.000000Z",
            "decision",
            canonical_json({"i": seq}),
            "p",
            prev,
        )
        digest = entry_hash(seq, fields)
        rows.append([seq, *fields, digest])
        prev = digest
    return rows


def found(rows: list[Row]) -> set[tuple[int, str]]:
    report = verify_rows([tuple(r) for r in sorted(rows, key=lambda r: r[0])])  # type: ignore[arg-type, return-value]
    assert report.ok is (not report.problems)
    return {(p.seq, p.kind) for p in report.problems}


@settings(max_examples=150, deadline=None)
@given(n=st.integers(2, 40), data=st.data())
def test_any_single_field_edit_is_named(n: int, data: st.DataObject) -> None:
    rows = chain(n)
    k = data.draw(st.integers(1, n))
    field = data.draw(st.sampled_from(sorted(FIELDS)))
    index = FIELDS[field]
    new = data.draw(st.text(min_size=1, max_size=70).filter(lambda v: v != rows[k - 1][index]))
    if field == "payload":
        new = canonical_json({"changed": new})
    rows[k - 1][index] = new
    assert found(rows) == {(k, "edited")}


@settings(max_examples=100, deadline=None)
@given(n=st.integers(3, 40), data=st.data())
def test_any_deletion_is_named(n: int, data: st.DataObject) -> None:
    rows = chain(n)
    k = data.draw(st.integers(1, n - 1))  # the last one needs a checkpoint
    width = data.draw(st.integers(1, n - k))
    kept = [r for r in rows if not k <= int(r[0]) < k + width]  # type: ignore[call-overload]
    renumber = data.draw(st.booleans())
    if renumber:
        for r in kept:
            if int(r[0]) >= k + width:  # type: ignore[call-overload]
                r[0] = int(r[0]) - width  # type: ignore[call-overload]
        assert found(kept) == {(k, "deleted"), (k, "reordered")}
    else:
        assert found(kept) == {(k, "deleted")}


@settings(max_examples=100, deadline=None)
@given(n=st.integers(2, 40), data=st.data())
def test_any_adjacent_swap_is_named(n: int, data: st.DataObject) -> None:
    rows = chain(n)
    k = data.draw(st.integers(1, n - 1))
    rows[k - 1][0], rows[k][0] = k + 1, k
    assert found(rows) == {(k, "reordered"), (k + 1, "reordered")}


@settings(max_examples=100, deadline=None)
@given(n=st.integers(1, 40), data=st.data(), valid=st.booleans())
def test_any_insertion_is_named(n: int, data: st.DataObject, valid: bool) -> None:
    rows = chain(n)
    k = data.draw(st.integers(1, n))  # inserted before entry k (an append at the end is not tampering)
    for r in rows:
        if int(r[0]) >= k:  # type: ignore[call-overload]
            r[0] = int(r[0]) + 1  # type: ignore[call-overload]
    prev = str(rows[k - 2][7]) if k > 1 else GENESIS_HASH
    fields = ("fake", "2026-01-01T00:00:00.000000Z", "decision", "{}", "p", prev)
    rows.append([k, *fields, entry_hash(k, fields) if valid else "e" * 64])
    assert found(rows) == {(k, "inserted"), (k + 1, "reordered")}


def test_large_deletion_with_renumbering() -> None:
    rows = chain(1500)
    kept = [r for r in rows if not 100 <= int(r[0]) < 1100]  # type: ignore[call-overload]
    for r in kept:
        if int(r[0]) >= 1100:  # type: ignore[call-overload]
            r[0] = int(r[0]) - 1000  # type: ignore[call-overload]
    report = verify_rows([tuple(r) for r in kept])  # type: ignore[arg-type]
    assert [(p.seq, p.kind, p.detail) for p in report.problems] == [
        (100, "deleted", "entries 100..1099 missing"),
        (100, "reordered", "seq 100..500 hold the entries written as seq 1100..1500"),
    ]


def test_every_entry_edited_stays_fast_and_complete() -> None:
    rows = chain(3000)
    for r in rows:
        r[5] = "other-policy"
    report = verify_rows([tuple(r) for r in rows], max_problems=5000)  # type: ignore[arg-type]
    assert len(report.problems) == 3000 and report.kinds == {"edited"}
