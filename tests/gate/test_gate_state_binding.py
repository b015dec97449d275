"""Consent, suppression, price and counter rows against the ledger (brandrail.gate.bindings).

Someone who can write the gate's tables but not rewrite the ledger tries to turn a deny into an allow: insert
a consent grant, flip a withdrawal, put an older grant back, delete a withdrawal or a suppression, lower the
day's opening price, reset a budget counter. Each must leave the decision a deny (with a reason that says
the store was changed) or, where a decision cannot see it (counters, a price put back or deleted), be named
by ``brandrail ledger verify``. Honest rows keep allowing, and a store of the previous schema upgrades with
its rows adopted.
"""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from gate_testlib import action, bound_gate, send, side_table_problems, spend, write_behind
from typer.testing import CliRunner

from brandrail.cli import app
from brandrail.gate import Gate, GateStore
from brandrail.gate.bindings import check_side_tables
from brandrail.gate.pseudonyms import erase_customer
from brandrail.gate.store import tables as t
from brandrail.gate.store.migrations import MIGRATIONS, ON_UPGRADE, SCHEMA_VERSION

ANN = "ann@example.com"


def _consent_rows(gate: Gate) -> list[dict[str, Any]]:
    with gate.store.engine.connect() as conn:
        return [
            dict(r) for r in conn.execute(sa.select(t.consent).order_by(t.consent.c.recipient)).mappings()
        ]


def _ann(**extra: Any) -> dict[str, Any]:
    return send({"id": "c-ann", "email": ANN}, **extra)


# -- consent ---------------------------------------------------------------------------------------------


def test_honest_consent_and_suppression_rows_allow_and_verify(store_url, clock):
    gate = bound_gate(store_url, clock)
    gate.store.set_consent(ANN, "email", True, source="signup")
    gate.store.suppress("bob@example.com")
    gate.store.set_consent("c-cat", "email", True)
    gate.store.set_consent("c-cat", "email", False)
    gate.store.set_consent("c-cat", "email", True)  # a third version of the same row
    assert gate.decide(_ann()).outcome == "allow"
    assert gate.decide(send({"id": "c-cat"})).outcome == "allow"
    bob = gate.decide(send({"id": "c-bob", "email": "bob@example.com"}))
    assert bob.outcome == "deny" and "AG402" in bob.codes
    assert side_table_problems(gate) == []


def test_an_inserted_consent_grant_is_not_consent(store_url, clock):
    gate = bound_gate(store_url, clock)
    first = gate.decide(_ann())  # links ann's identifiers to pseudonyms; no consent on record
    assert first.outcome == "deny" and "AG401" in first.codes
    with gate.store.engine.connect() as conn:
        pseudonyms = [str(p) for p in conn.execute(sa.select(t.subjects.c.pseudonym)).scalars()]
    assert pseudonyms
    for pseudonym in pseudonyms:
        write_behind(
            gate,
            t.consent.insert().values(
                recipient=pseudonym,
                channel="email",
                granted=True,
                updated_at="2026-05-01T00:00:00.000000+00:00",
            ),
        )
    decision = gate.decide(_ann())
    assert decision.outcome == "deny" and "AG401" in decision.codes
    finding = next(f for f in decision.findings if f.code == "AG401")
    assert "changed outside the gate" in finding.message
    assert any("not written by the gate" in p for p in finding.evidence["store_problems"])
    assert any("consent row was not written by the gate" in p for p in side_table_problems(gate))


def test_a_grant_given_another_rows_binding_is_not_consent(store_url, clock):
    # the writer copies the seq of a genuine grant (someone else's) onto an inserted row
    gate = bound_gate(store_url, clock)
    gate.store.set_consent("c-zoe", "email", True)
    gate.decide(_ann())
    with gate.store.engine.connect() as conn:
        zoe, seq = conn.execute(sa.select(t.consent.c.recipient, t.consent.c.seq)).one()
        pseudonyms = [str(p) for p in conn.execute(sa.select(t.subjects.c.pseudonym)).scalars() if p != zoe]
    for pseudonym in pseudonyms:
        write_behind(
            gate,
            t.consent.insert().values(
                recipient=pseudonym, channel="email", granted=True, updated_at="2026-05-01", seq=seq
            ),
        )
    assert gate.decide(_ann()).outcome == "deny"
    assert any("consent row was not written by the gate" in p for p in side_table_problems(gate))


def test_a_withdrawal_flipped_to_a_grant_is_a_withdrawal(store_url, clock):
    gate = bound_gate(store_url, clock)
    gate.store.set_consent(ANN, "email", False)
    write_behind(gate, t.consent.update().values(granted=True))
    decision = gate.decide(_ann())
    assert decision.outcome == "deny" and "AG401" in decision.codes
    assert decision.findings[0].evidence["consent"] is False
    assert any("consent row differs from its ledger entry" in p for p in side_table_problems(gate))


def test_an_older_grant_put_back_is_a_withdrawal(store_url, clock):
    gate = bound_gate(store_url, clock)
    gate.store.set_consent(ANN, "email", True)
    granted = _consent_rows(gate)
    gate.store.set_consent(ANN, "email", False)
    assert gate.decide(_ann()).outcome == "deny"
    for row in granted:  # the rows exactly as they were when granted (their binding was genuine then)
        write_behind(
            gate,
            t.consent.update()
            .where(t.consent.c.recipient == row["recipient"], t.consent.c.channel == "email")
            .values(granted=True, seq=row["seq"]),
        )
    decision = gate.decide(_ann())
    assert decision.outcome == "deny" and "AG401" in decision.codes
    assert any("older state" in p for p in decision.findings[0].evidence["store_problems"])
    assert any("consent row is an older state" in p for p in side_table_problems(gate))


def test_a_deleted_withdrawal_does_not_let_another_identifier_s_grant_count(store_url, clock):
    # consent is looked up under every identifier (grant_on: any): the id granted, the address withdrew
    gate = bound_gate(store_url, clock)
    gate.store.set_consent("c-ann", "email", True)
    gate.store.set_consent(ANN, "email", False)
    assert gate.decide(_ann()).outcome == "deny"
    with gate.store.engine.connect() as conn:
        withdrawn = list(conn.execute(sa.select(t.consent.c.recipient).where(~t.consent.c.granted)).scalars())
    assert withdrawn
    write_behind(gate, t.consent.delete().where(t.consent.c.recipient.in_(withdrawn)))
    decision = gate.decide(_ann())
    assert decision.outcome == "deny" and "AG401" in decision.codes
    assert any("was deleted" in p for p in decision.findings[0].evidence["store_problems"])
    assert any("consent row was deleted" in p for p in side_table_problems(gate))


def test_an_erased_customer_s_consent_rows_are_not_reported_as_deleted(store_url, clock):
    gate = bound_gate(store_url, clock)
    gate.store.set_consent(ANN, "email", True)
    assert gate.decide(_ann()).outcome == "allow"
    erase_customer(gate.store, ANN)
    erase_customer(gate.store, "c-ann")
    assert side_table_problems(gate) == []
    assert gate.decide(_ann()).outcome == "deny"  # the erased consent is gone: a new grant is needed


# -- suppression -----------------------------------------------------------------------------------------


def test_a_deleted_suppression_still_suppresses(store_url, clock):
    gate = bound_gate(store_url, clock, consent={"require_opt_in": []})
    gate.store.suppress(ANN, reason="unsubscribed")
    assert "AG402" in gate.decide(_ann()).codes
    write_behind(gate, t.suppression.delete())
    decision = gate.decide(_ann())
    assert decision.outcome == "deny" and "AG402" in decision.codes
    finding = next(f for f in decision.findings if f.code == "AG402")
    assert "changed outside the gate" in finding.message and "treated as suppressed" in finding.message
    assert any("was deleted" in p for p in side_table_problems(gate))


def test_a_suppression_lifted_in_the_row_still_suppresses(store_url, clock):
    gate = bound_gate(store_url, clock, consent={"require_opt_in": []})
    gate.store.suppress(ANN, "email")
    write_behind(gate, t.suppression.update().values(suppressed=False))
    assert "AG402" in gate.decide(_ann()).codes
    write_behind(
        gate, t.suppression.update().values(suppressed=True, channel="sms")
    )  # moved to another channel
    assert "AG402" in gate.decide(_ann()).codes
    assert any("suppression row" in p for p in side_table_problems(gate))


def test_a_forgotten_suppression_is_lifted_and_verifies(store_url, clock):
    gate = bound_gate(store_url, clock, consent={"require_opt_in": []})
    gate.store.suppress(ANN)
    erased = erase_customer(gate.store, ANN, forget_suppression=True)
    assert erased.suppression_records >= 1
    assert gate.decide(_ann()).outcome == "allow"
    assert side_table_problems(gate) == []
    gate.store.suppress(ANN)  # suppressed again later: a new version of the same row
    assert "AG402" in gate.decide(_ann()).codes
    assert side_table_problems(gate) == []


# -- prices ----------------------------------------------------------------------------------------------


def _price(item: str, price: str) -> dict[str, Any]:
    return action("set_price", item=item, price=price)


def test_a_lowered_opening_price_does_not_pass_the_daily_change_limit(store_url, clock):
    gate = bound_gate(store_url, clock, price={"max_change_per_day": 20})
    assert gate.decide(_price("tent", "100")).outcome == "allow"
    assert "AG205" in gate.decide(_price("tent", "150")).codes  # 50% over today's opening
    write_behind(gate, t.prices.update().values(open_cents=14000, price_cents=14000))
    decision = gate.decide(_price("tent", "150"))
    assert decision.outcome == "deny" and "AG205" in decision.codes
    assert "changed outside the gate" in decision.findings[0].message
    assert any("price row differs from its ledger entry" in p for p in side_table_problems(gate))


def test_an_inserted_price_is_not_the_price_on_record(store_url, clock):
    gate = bound_gate(store_url, clock, price={"floor": "50"})
    write_behind(
        gate,
        t.prices.insert().values(item="tent", day="2026-05-04", open_cents=90000, price_cents=90000),
    )
    # a 40% discount off the forged 900.00 stays above the floor; the gate does not believe the row
    decision = gate.decide(action("set_discount", item="tent", discount=40))
    assert decision.outcome == "deny" and "AG201" in decision.codes
    assert "changed outside the gate" in decision.findings[0].message
    assert any("price row was not written by the gate" in p for p in side_table_problems(gate))


def test_a_price_put_back_or_deleted_is_found_by_verify(store_url, clock):
    gate = bound_gate(store_url, clock, price={"max_change_per_day": 50})
    gate.decide(_price("tent", "100"))
    with gate.store.engine.connect() as conn:
        first = dict(conn.execute(sa.select(t.prices)).mappings().one())
    clock.advance(days=1)
    assert gate.decide({**_price("tent", "140"), "time": clock.now.isoformat()}).outcome == "allow"
    assert side_table_problems(gate) == []
    write_behind(gate, t.prices.update().values(**{k: v for k, v in first.items() if k != "item"}))
    assert any("price row is an older state" in p for p in side_table_problems(gate))
    write_behind(gate, t.prices.delete())
    assert any("price row was deleted" in p for p in side_table_problems(gate))


def test_a_released_price_decision_restores_a_bound_row(store_url, clock):
    gate = bound_gate(store_url, clock)
    gate.decide(_price("tent", "100"))
    second = gate.decide(_price("tent", "110"))
    gate.report_outcome(second.decision_id, executed=False)
    with gate.store.engine.connect() as conn:
        assert conn.execute(sa.select(t.prices.c.price_cents)).scalar_one() == 10000
    assert side_table_problems(gate) == []


# -- counters --------------------------------------------------------------------------------------------


def test_a_reset_counter_is_found_by_verify(store_url, clock, tmp_path):
    gate = bound_gate(store_url, clock, budget={"campaign_daily_cap": "100"})
    assert gate.decide(spend("80")).outcome == "allow"
    assert gate.decide(spend("30")).outcome == "deny"
    assert side_table_problems(gate) == []
    write_behind(gate, t.counters.update().values(value=0))
    problems = side_table_problems(gate)
    assert any("stored 0, but the ledger's decisions and outcomes add up to 8000" in p for p in problems)
    result = CliRunner().invoke(app, ["ledger", "verify", "--db", store_url])
    assert result.exit_code == 1 and "side_table" in result.output


def test_deleted_window_events_are_found_by_verify(store_url, clock):
    gate = bound_gate(
        store_url,
        clock,
        consent={"require_opt_in": []},
        frequency=[{"channel": "email", "max": 1, "window": "7d"}],
    )
    assert gate.decide(_ann()).outcome == "allow"
    write_behind(gate, t.events.delete())
    assert any("stored 0" in p for p in side_table_problems(gate))


def test_ledger_verify_names_a_forged_consent_row(store_url, clock):
    gate = bound_gate(store_url, clock)
    gate.store.set_consent(ANN, "email", False)
    assert CliRunner().invoke(app, ["ledger", "verify", "--db", store_url]).exit_code == 0
    write_behind(gate, t.consent.update().values(granted=True))
    result = CliRunner().invoke(app, ["ledger", "verify", "--db", store_url])
    assert result.exit_code == 1 and "consent row differs from its ledger entry" in result.output


# -- migration -------------------------------------------------------------------------------------------


#: the columns each step added, by the step that added them
_ADDED = {
    4: (
        ("gate_consent", "seq"),
        ("gate_suppression", "seq"),
        ("gate_suppression", "suppressed"),
        ("gate_prices", "set_by"),
    ),
    5: (("gate_subjects", "binding"),),
    6: (),
    7: (("gate_prices", "seq"), ("gate_prices", "present")),
    8: (),
    9: (("gate_events", "amount"),),
    10: (),  # schema-keyed advisory locks: no column (PostgreSQL records it on upgrade-lock-key)
}
#: The tables each later schema step creates.
_CREATED: dict[int, tuple[str, ...]] = {6: ("gate_budgets",), 8: ("gate_taint",)}


def _to_schema(store: GateStore, version: int) -> None:
    """Put a store back to schema ``version``: the later steps' columns gone, the steps unrecorded."""
    assert max(_ADDED) == SCHEMA_VERSION
    with store.engine.begin() as conn:
        for step in range(version + 1, SCHEMA_VERSION + 1):
            for table, column in _ADDED[step]:
                conn.exec_driver_sql(f"ALTER TABLE {table} DROP COLUMN {column}")
            for table in _CREATED.get(step, ()):
                conn.exec_driver_sql(f"DROP TABLE {table}")
            conn.execute(t.migrations.delete().where(t.migrations.c.version == step))


def _old_link(conn: Any, store: GateStore, identifier: str) -> str:
    """Link ``identifier`` to a pseudonym as a gate before schema 5 did (no binding); returns it."""
    pseudonym = "p_" + identifier.encode().hex()[:24]
    lookup = store.keys.lookups(identifier)[0]
    conn.exec_driver_sql(
        "INSERT INTO gate_subjects (lookup, pseudonym, created_at) "
        f"VALUES ('{lookup}', '{pseudonym}', '2026-05-01T00:00:00.000000+00:00')"
    )
    return pseudonym


def test_a_store_of_the_previous_schema_upgrades_with_its_rows_adopted(store_url, clock):
    assert SCHEMA_VERSION >= 4
    old = GateStore.from_url(store_url)
    _to_schema(old, 3)
    now = "2026-05-01T00:00:00.000000+00:00"
    with old.transaction() as conn:
        pseudonym = _old_link(conn, old, "email:" + ANN)
        lookup = old.keys.lookups("email:bob@example.com")[0]
        conn.exec_driver_sql(
            "INSERT INTO gate_consent (recipient, channel, granted, source, updated_at) "
            f"VALUES ('{pseudonym}', 'email', TRUE, NULL, '{now}')"
        )
        conn.exec_driver_sql(
            f"INSERT INTO gate_suppression (value, channel, reason, added_at) VALUES ('{lookup}', '*', NULL, '{now}')"
        )
        conn.exec_driver_sql(
            "INSERT INTO gate_prices (item, day, open_cents, price_cents) VALUES ('tent', '2026-05-04', 10000, 10000)"
        )
    old.engine.dispose()
    gate = bound_gate(store_url, clock, price={"max_change_per_day": 20})
    with gate.store.engine.connect() as conn:
        versions = set(conn.execute(sa.select(t.migrations.c.version)).scalars())
        assert conn.execute(sa.select(t.consent.c.seq)).scalar_one() == 1
        assert conn.execute(sa.select(t.suppression.c.seq, t.suppression.c.suppressed)).one() == (1, True)
        assert conn.execute(sa.select(t.prices.c.set_by)).scalar_one() is not None
        assert conn.execute(sa.select(t.subjects.c.binding)).scalar_one() is not None
    # PostgreSQL: the schema-keyed locks wait for `brandrail ledger upgrade-lock-key` (test_gate_lock_keys.py)
    held = ON_UPGRADE if store_url.startswith("postgresql") else set()
    assert versions == {v for v, _ in MIGRATIONS} - held
    adopted = [
        e for e in gate.store.ledger.entries() if e.kind in ("consent", "suppression", "price", "link")
    ]
    # the price: bound at step 4 (an entry naming it), versioned at step 7 (its version 1)
    assert sorted(e.kind for e in adopted) == ["consent", "link", "price", "price", "suppression"]
    assert all(e.payload.get("adopted") for e in adopted)
    assert gate.decide(send({"id": "c-new", "email": ANN})).outcome == "allow"
    assert "AG402" in gate.decide(send({"id": "c-bob", "email": "bob@example.com"})).codes
    assert gate.decide(_price("tent", "110")).outcome == "allow"
    assert "AG205" in gate.decide(_price("tent", "150")).codes  # against the adopted opening price
    assert side_table_problems(gate) == []
    # reopening the upgraded store adopts nothing again
    again = GateStore.from_url(store_url)
    assert len([e for e in again.ledger.entries() if e.payload.get("adopted")]) == 5


def test_a_schema_4_store_adopts_its_links_and_a_relink_after_it_is_caught(store_url, clock):
    old = GateStore.from_url(store_url)
    _to_schema(old, 4)
    with old.transaction() as conn:
        ann = _old_link(conn, old, "email:" + ANN)
        _old_link(conn, old, "email:bob@example.com")
    old.engine.dispose()
    gate = bound_gate(store_url, clock)
    gate.store.set_consent(ANN, "email", True)  # under the adopted link's pseudonym
    with gate.store.engine.connect() as conn:
        assert set(conn.execute(sa.select(t.consent.c.recipient)).scalars()) >= {ann}
    assert gate.decide(_ann()).outcome == "allow"
    assert gate.decide(send({"id": "c-bob", "email": "bob@example.com"})).outcome == "deny"
    assert side_table_problems(gate) == []
    write_behind(gate, t.subjects.update().where(t.subjects.c.pseudonym != ann).values(pseudonym=ann))
    relinked = gate.decide(send({"id": "c-bob", "email": "bob@example.com"}))
    assert relinked.outcome == "deny" and "relinked" in str(relinked.to_dict())
    assert any("relinked" in p for p in side_table_problems(gate))


@pytest.mark.parametrize("granted", [True, False])
def test_a_policy_test_s_given_consent_and_prices_are_bound(granted, tmp_path):
    from brandrail.gate.casefile import memory_store

    store = memory_store()
    store.set_consent("c1", "email", granted)
    with store.transaction() as conn:
        store.record_price(conn, "tent", "2026-05-04", 10000, 10000)
        row = store.price_row(conn, "tent")
    assert row.problem is None and row.price == ("2026-05-04", 10000, 10000)
    assert check_side_tables(store.ledger, store.engine) == []


def test_entry_ids_fit_the_ledger_s_id_column_and_the_sql_builds_the_same_text(tmp_path):
    from brandrail.gate.bindings import state_entry_id, state_entry_sql
    from brandrail.ledger import Ledger

    pseudonym, lookup, channel = "p_" + "a" * 24, "f" * 48, "c" * 20  # the longest the gate writes
    for kind, key in (("consent", pseudonym), ("suppression", lookup)):
        assert len(state_entry_id(kind, key, channel, 99_999_999)) <= 64
    engine = Ledger.from_url(f"sqlite:///{tmp_path / 'ids.db'}").engine
    with engine.connect() as conn:
        for kind, key in (("consent", pseudonym), ("suppression", lookup)):
            for ch, seq in ((channel, 1), ("*", 12)):
                built = conn.exec_driver_sql(
                    f"SELECT {state_entry_sql(kind, '?', '?', '?')}", (key, ch, seq)
                ).scalar_one()
                assert built == state_entry_id(kind, key, ch, seq)


def test_verify_walks_the_ledger_once_and_finds_what_the_separate_reads_find(store_url, clock):
    from brandrail.gate.bindings import verify_gate_ledger

    gate = bound_gate(
        store_url, clock, price={"max_change_per_day": 20}, budget={"campaign_daily_cap": "100"}
    )
    gate.store.set_consent(ANN, "email", True)
    gate.store.suppress("bob@example.com")
    assert gate.decide(_ann()).outcome == "allow"
    assert gate.decide(spend("40")).outcome == "allow"
    assert gate.decide(_price("tent", "100")).outcome == "allow"
    write_behind(gate, t.counters.update().values(value=0))
    write_behind(gate, t.suppression.delete())
    write_behind(gate, t.prices.delete())
    separate = check_side_tables(gate.store.ledger, gate.store.engine)
    assert len(separate) >= 3
    ledger = gate.store.ledger
    walks: list[int] = []
    rows, entries = ledger._rows, ledger.entries

    def counted_rows(*args: Any, **kwargs: Any) -> Any:
        walks.append(1)
        return rows(*args, **kwargs)

    def no_entries(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the history is read again")

    ledger._rows = counted_rows  # type: ignore[method-assign]
    ledger.entries = no_entries  # type: ignore[method-assign]
    try:
        report, side = verify_gate_ledger(ledger, gate.store.engine)
    finally:
        ledger._rows, ledger.entries = rows, entries  # type: ignore[method-assign]
    assert report.ok and walks == [1]
    assert side == separate
