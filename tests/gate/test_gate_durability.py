"""gate.durability: strict | fast reaches the database settings; the hot-path statements keep their meaning."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from brandrail.errors import GateError, PolicyError
from brandrail.gate import Gate, GateStore
from brandrail.gate.masking import TextMasker, mask_text
from brandrail.policy import policy_from_dict
from brandrail.policy.sections.gate import MaskingPolicy
from pg_testlib import drop_pg_schema, new_pg_url, pg_available

SPEND = {"kind": "spend", "agent": "bot", "time": "2026-05-04T10:00:00Z", "campaign": "c", "amount": "1.00"}


def _policy(durability: str | None = None) -> object:
    gate: dict[str, object] = {"content_checks": False, "budget": {"campaign_daily_cap": "10"}}
    if durability is not None:
        gate["durability"] = durability
    return policy_from_dict({"gate": gate})


def test_default_is_strict_and_unknown_value_is_a_policy_error() -> None:
    assert _policy().gate.durability == "strict"  # type: ignore[attr-defined]
    with pytest.raises(PolicyError, match="durability"):
        _policy("sometimes")
    with pytest.raises(GateError, match="unknown durability"):
        GateStore.from_url("sqlite://", durability="sometimes")


@pytest.mark.parametrize(("durability", "pragma"), [("strict", 2), ("fast", 1)])
def test_sqlite_synchronous_follows_the_policy(sqlite_url: str, durability: str, pragma: int) -> None:
    store = GateStore.from_url(sqlite_url)
    gate = Gate(_policy(durability), store, trust_action_time=True)  # type: ignore[arg-type]
    assert store.durability == durability
    assert store.ledger.sqlite_synchronous == ("FULL" if durability == "strict" else "NORMAL")
    with store.transaction() as conn:  # PRAGMA synchronous: 2 = FULL, 1 = NORMAL
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == pragma
    assert gate.decide({**SPEND, "id": "a1"}).outcome == "allow"
    assert store.ledger.verify().ok


@pytest.mark.postgres
@pytest.mark.parametrize(("durability", "setting"), [("strict", "on"), ("fast", "off")])
def test_postgres_synchronous_commit_follows_the_policy(durability: str, setting: str) -> None:
    if not pg_available():
        pytest.skip("PostgreSQL not reachable at 127.0.0.1:5432")
    url, schema = new_pg_url()
    try:
        _check_synchronous_commit(url, durability, setting)
    finally:
        drop_pg_schema(schema)


def _check_synchronous_commit(url: str, durability: str, setting: str) -> None:
    store = GateStore.from_url(url)
    Gate(_policy(durability), store)  # type: ignore[arg-type]
    with store.transaction() as conn:
        store.ledger.append(conn, kind="probe", payload={}, policy_version="p")
        assert conn.execute(sa.text("SHOW synchronous_commit")).scalar_one() == setting
        conn.rollback()
    with store.reader() as conn:  # SET LOCAL only: the pooled connection keeps the server default
        assert conn.execute(sa.text("SHOW synchronous_commit")).scalar_one() == "on"
    store.engine.dispose()


def test_fast_gate_enforces_caps_and_windows_like_strict(store_url: str, clock) -> None:
    """Same decisions under both settings: caps, refusals with the current total, the window's free time."""
    results = {}
    for durability in ("strict", "fast"):
        store = GateStore.from_url(store_url)
        policy = policy_from_dict(
            {
                "gate": {
                    "durability": durability,
                    "content_checks": False,
                    "consent": {"require_opt_in": []},
                    "budget": {"campaign_daily_cap": "2.50"},
                    "frequency": [{"channel": "email", "max": 2, "window": "1d"}],
                }
            }
        )
        gate = Gate(policy, store, clock=clock, trust_action_time=True)  # sends at their own times
        out = []
        for i in range(4):
            d = gate.decide({**SPEND, "id": f"{durability}-s{i}", "campaign": durability})
            out.append((d.outcome, d.codes))
        for i in range(3):
            d = gate.decide(
                {
                    "kind": "send_message",
                    "id": f"{durability}-m{i}",
                    "agent": "bot",
                    "time": (clock() + timedelta(hours=i)).isoformat(),
                    "channel": "email",
                    "recipient": {"id": f"r-{durability}"},
                    "content": "Trail news",
                }
            )
            out.append((d.outcome, d.codes))
            if d.outcome == "deny":
                evidence = d.findings[0].evidence
                assert evidence["value"] == 2 and evidence["threshold"] == 2
                assert evidence["next_possible"] == (clock() + timedelta(days=1)).isoformat()
        results[durability] = out
        assert store.reconcile() == []
        assert store.ledger.verify().ok
        store.engine.dispose()
    expected = [("allow", [])] * 2 + [("deny", ["AG102"])] * 2 + [("allow", [])] * 2 + [("deny", ["AG301"])]
    assert results["strict"] == expected
    assert results["fast"] == expected


def test_text_masker_equals_mask_text_and_stays_bounded() -> None:
    policy = MaskingPolicy()
    masker = TextMasker(policy, size=3)
    texts = ["call +44 20 7946 0958", "mail ana@example.com", "nothing here", "again ana@example.com"]
    for text in texts * 2:
        assert masker(text) == mask_text(text, policy)
    assert masker("mail ana@example.com") == "mail [email]"
    assert len(masker._memo) <= 3


def test_a_later_window_refusing_undoes_the_earlier_windows_events(store_url: str, clock) -> None:
    """Frequency cap passes, send rate refuses: the frequency event inserted first is removed again (all
    windows are taken in one call on PostgreSQL, one by one on SQLite)."""
    store = GateStore.from_url(store_url)
    policy = policy_from_dict(
        {
            "gate": {
                "content_checks": False,
                "consent": {"require_opt_in": []},
                "frequency": [{"channel": "email", "max": 5, "window": "7d"}],
                "send_rates": [{"channel": "email", "max": 2, "window": "1m"}],
            }
        }
    )
    gate = Gate(policy, store, clock=clock)

    def send(i: int) -> object:
        return gate.decide(
            {
                "kind": "send_message",
                "id": f"w{i}",
                "agent": "bot",
                "time": clock().isoformat(),
                "channel": "email",
                "recipient": {"id": f"r{i}"},
                "content": "Trail news",
            }
        )

    assert [send(i).outcome for i in range(2)] == ["allow", "allow"]  # type: ignore[attr-defined]
    refused = send(2)
    assert refused.codes == ["AG302"]  # type: ignore[attr-defined]
    evidence = refused.findings[0].evidence  # type: ignore[attr-defined]
    assert evidence["value"] == 2 and evidence["threshold"] == 2
    assert evidence["next_possible"] == (clock() + timedelta(minutes=1)).isoformat()
    with store.reader() as conn:
        keys = [row[0] for row in conn.execute(sa.text("SELECT key FROM gate_events ORDER BY key"))]
    assert len(keys) == 4 and not any("r2" in key for key in keys)  # 2 frequency + 2 rate events
    assert store.reconcile() == []
    assert store.ledger.verify().ok
    store.engine.dispose()


def test_mask_text_masks_disguised_personal_data() -> None:
    """A zero-width character inside a number or an address does not slip it past the recognisers."""
    full = policy_from_dict({"privacy": {"phone_regions": ["GB"]}})
    text = "Call Sam on 07911\u200b123456 or sam\u200b@example.com"
    masked = mask_text(text, MaskingPolicy(), full)  # as the gate calls it: with the policy's recognisers
    assert "07911" not in masked and "example.com" not in masked
