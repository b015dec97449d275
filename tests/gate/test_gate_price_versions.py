"""Price rows are versioned (store schema 7): an earlier genuine row put back, a deleted row, a deleted
tombstone and a forged undo are seen when the gate decides, not only by ``ledger verify``.

Each attack is a writer with access to the gate's tables (not the ledger's chain) between two decisions.
"""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from gate_testlib import action, bound_gate, side_table_problems, write_behind

from brandrail.errors import GateError
from brandrail.gate import GateStore
from brandrail.gate.store import migrations
from brandrail.gate.store import tables as t
from brandrail.gate.store.migrations import SCHEMA_VERSION


def _price(clock: Any, item: str, price: str) -> dict[str, Any]:
    return {**action("set_price", item=item, price=price), "time": clock.now.isoformat()}


def _row(gate: Any, item: str = "tent") -> dict[str, Any] | None:
    with gate.store.engine.connect() as conn:
        row = conn.execute(sa.select(t.prices).where(t.prices.c.item == item)).mappings().first()
    return dict(row) if row is not None else None


def _store_problems(decision: Any) -> list[str]:
    return [str(f.evidence.get("store_problem")) for f in decision.findings if f.code == "AG205"]


def _falling_prices(gate: Any, clock: Any) -> dict[str, Any]:
    """200.00 on day 1, 170.00 on day 2, 145.00 on day 3 (each within 20 %); returns day 1's row."""
    assert gate.decide(_price(clock, "tent", "200")).outcome == "allow"
    first = _row(gate)
    assert first is not None
    for price in ("170", "145"):
        clock.advance(days=1)
        assert gate.decide(_price(clock, "tent", price)).outcome == "allow"
    return first


def test_an_earlier_price_put_back_is_not_an_opening_price(store_url, clock):
    gate = bound_gate(store_url, clock, price={"max_change_per_day": 20})
    first = _falling_prices(gate, clock)
    assert "AG205" in gate.decide(_price(clock, "tent", "230")).codes  # 35 % over yesterday's 170
    assert side_table_problems(gate) == []
    # day 1's genuine row (its entry is intact) put back: 230 would be 15 % over its 200
    write_behind(gate, t.prices.update().values(**{k: v for k, v in first.items() if k != "item"}))
    decision = gate.decide(_price(clock, "tent", "230"))
    assert decision.outcome == "deny"
    assert _store_problems(decision) == ["is an older state (the ledger records a later change)"]
    assert "changed outside the gate" in decision.findings[0].message
    assert any("price row is an older state" in p for p in side_table_problems(gate))


def test_a_deleted_price_row_is_not_a_first_price(store_url, clock):
    gate = bound_gate(store_url, clock, price={"max_change_per_day": 20})
    assert gate.decide(_price(clock, "tent", "100")).outcome == "allow"
    write_behind(gate, t.prices.delete())
    decision = gate.decide(_price(clock, "tent", "500"))
    assert decision.outcome == "deny"
    assert _store_problems(decision) == ["was deleted (the ledger records it)"]
    assert any("price row was deleted" in p for p in side_table_problems(gate))


def test_a_discount_is_not_measured_from_an_earlier_price_put_back(store_url, clock):
    gate = bound_gate(store_url, clock, price={"floor": "50"})
    assert gate.decide(_price(clock, "tent", "100")).outcome == "allow"
    higher = _row(gate)
    assert gate.decide(_price(clock, "tent", "60")).outcome == "allow"
    # 30 % off the current 60.00 is 42.00, under the floor
    assert "AG201" in gate.decide(action("set_discount", item="tent", discount=30)).codes
    write_behind(gate, t.prices.update().values(**{k: v for k, v in (higher or {}).items() if k != "item"}))
    # 30 % off the 100.00 put back would be 70.00: the row is not believed, the price is unknown
    decision = gate.decide(action("set_discount", item="tent", discount=30))
    assert decision.outcome == "deny" and "AG201" in decision.codes
    assert "is an older state" in str(decision.findings[0].evidence.get("store_problem"))


def test_a_released_first_price_leaves_a_tombstone_whose_deletion_is_seen(store_url, clock):
    gate = bound_gate(store_url, clock, price={"max_change_per_day": 20})
    first = gate.decide(_price(clock, "tent", "100"))
    gate.report_outcome(first.decision_id, executed=False)
    row = _row(gate)
    assert row is not None and not row["present"] and row["seq"] == 2
    assert side_table_problems(gate) == []
    # no price on record: the next one is a first price again (honestly)
    again = gate.decide(_price(clock, "tent", "300"))
    assert again.outcome == "allow"
    gate.report_outcome(again.decision_id, executed=False)
    write_behind(gate, t.prices.delete())  # the tombstone gone
    decision = gate.decide(_price(clock, "tent", "900"))
    assert decision.outcome == "deny"
    assert _store_problems(decision) == ["was deleted (the ledger records it)"]
    assert any("price row was deleted" in p for p in side_table_problems(gate))


@pytest.mark.parametrize("forged", ["null", '{"seq": 0}', '{"seq": 1}', '{"as_found": null}'])
def test_a_forged_undo_restores_the_price_the_ledger_records(store_url, clock, forged):
    gate = bound_gate(store_url, clock, price={"max_change_per_day": 20})
    _falling_prices(gate, clock)
    with gate.store.engine.connect() as conn:
        last = conn.execute(sa.select(t.prices.c.set_by)).scalar_one()
    write_behind(
        gate, t.reservations.update().where(t.reservations.c.decision_id == last).values(undo=forged)
    )
    gate.report_outcome(last, executed=False)
    row = _row(gate)
    assert row is not None and (row["day"], row["open_cents"], row["price_cents"]) == (
        "2026-05-05",
        20000,
        17000,
    )
    assert side_table_problems(gate) == []
    # measured from day 2's 170.00 again, not from no price or day 1's 200.00
    assert "AG205" in gate.decide(_price(clock, "tent", "230")).codes


def test_a_release_whose_version_is_not_in_the_ledger_is_refused(store_url, clock):
    gate = bound_gate(store_url, clock)
    first = gate.decide(_price(clock, "tent", "100"))
    # the decision's version entry names another decision: nothing is restored
    with gate.store.engine.begin() as conn:
        conn.execute(
            gate.store.ledger.table.update()
            .where(gate.store.ledger.table.c.kind == "price")
            .values(payload=sa.func.replace(gate.store.ledger.table.c.payload, first.decision_id, "d-other"))
        )
    with pytest.raises(GateError, match="does not match the ledger"):
        gate.report_outcome(first.decision_id, executed=False)


def test_a_row_not_believed_is_still_not_believed_after_a_release(store_url, clock):
    gate = bound_gate(store_url, clock, price={"floor": "50"})
    assert gate.decide(_price(clock, "tent", "60")).outcome == "allow"
    write_behind(gate, t.prices.update().values(price_cents=90000, open_cents=90000))
    over = gate.decide(_price(clock, "tent", "65"))  # no daily limit: allowed, a new version
    assert over.outcome == "allow"
    assert gate.decide(action("set_discount", item="tent", discount=20)).outcome == "allow"  # 52.00
    gate.report_outcome(over.decision_id, executed=False)
    decision = gate.decide(action("set_discount", item="tent", discount=20))
    assert decision.outcome == "deny" and "AG201" in decision.codes  # 900.00 is not believed


# -- migration -------------------------------------------------------------------------------------------


def _to_schema_6(store: GateStore) -> None:
    with store.engine.begin() as conn:
        for column in ("seq", "present"):
            conn.exec_driver_sql(f"ALTER TABLE gate_prices DROP COLUMN {column}")
        conn.execute(t.migrations.delete().where(t.migrations.c.version == 7))


def test_a_schema_6_store_versions_its_bound_price_rows_and_not_the_others(store_url, clock):
    store = GateStore.from_url(store_url)
    _to_schema_6(store)
    with store.engine.begin() as conn:  # as a schema-6 store holds them: bound by ``set_by`` (or not)
        record = {"kind": "price", "key": "tent", "amount": 10000, "day": "2026-05-04", "open": 10000}
        tent = store.ledger.append(
            conn, kind="price", payload={"schema_version": 1, "price": record}, policy_version=""
        )
        conn.exec_driver_sql(
            "INSERT INTO gate_prices (item, day, open_cents, price_cents, set_by) VALUES "
            f"('tent', '2026-05-04', 10000, 10000, '{tent.id}'), ('stove', '2026-05-04', 5000, 5000, NULL)"
        )
    store.engine.dispose()
    gate = bound_gate(store_url, clock, price={"max_change_per_day": 20})
    with gate.store.engine.connect() as conn:
        assert set(conn.execute(sa.select(t.migrations.c.version)).scalars()) >= {7}
        seqs = dict(conn.execute(sa.select(t.prices.c.item, t.prices.c.seq)).all())
    assert seqs == {"tent": 1, "stove": None}
    assert "AG205" in gate.decide(_price(clock, "tent", "150")).codes  # from the adopted opening
    assert gate.decide(_price(clock, "tent", "110")).outcome == "allow"
    unbound = gate.decide(_price(clock, "stove", "51"))
    assert unbound.outcome == "deny" and _store_problems(unbound) == [
        "was not written by the gate (it has no ledger entry)"
    ]
    assert side_table_problems(gate) == ["the price row was not written by the gate (it has no ledger entry)"]
    # reopening adopts nothing again
    again = GateStore.from_url(store_url)
    assert len([e for e in again.ledger.entries() if e.payload.get("adopted")]) == 1


def test_a_brandrail_of_schema_6_refuses_a_store_of_schema_7(store_url, monkeypatch):
    GateStore.from_url(store_url).engine.dispose()
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", 6)
    with pytest.raises(
        GateError, match=f"schema version {SCHEMA_VERSION}, newer than this brandrail understands"
    ):
        GateStore.from_url(store_url)


def test_concurrent_price_changes_and_releases_keep_the_versions_whole(store_url, clock):
    import threading

    gate = bound_gate(store_url, clock)
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for i in range(8):
                decision = gate.decide(_price(clock, "tent", f"{100 + n * 10 + i}"))
                assert decision.outcome == "allow", decision.to_dict()
                gate.report_outcome(decision.decision_id, executed=i % 2 == 0)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    row = _row(gate)
    assert row is not None and row["seq"] == 32 + 16  # a version per price set and per release
    assert side_table_problems(gate) == []


def test_an_undo_from_before_schema_6_restores_only_what_its_entry_records(tmp_path):
    from brandrail.gate.bindings import price_entry_id, price_record

    store = GateStore.from_url(f"sqlite:///{tmp_path / 'gate.db'}")
    with store.transaction() as conn:
        old = store.ledger.append(
            conn,
            kind="price",
            payload={"schema_version": 1, "price": price_record("tent", "2026-05-03", 9000, 9500)},
            policy_version="",
        )
    undo = {"day": "2026-05-03", "open_cents": 9000, "price_cents": 9500, "set_by": old.id}
    with pytest.raises(GateError, match="does not match the ledger"), store.transaction() as conn:
        store.restore_price(conn, "tent", {**undo, "price_cents": 5000}, decision_id="d-1")
    with store.transaction() as conn:
        store.restore_price(conn, "tent", undo, decision_id="d-1")
        state = store.price_row(conn, "tent")
    assert state.problem is None and state.price == ("2026-05-03", 9000, 9500)
    assert store.ledger.get(price_entry_id("tent", 1)) is not None
    assert len(price_entry_id("é" * 200, 99_999_999)) <= 64  # any item name fits the id column
