"""Issue 15: the gate believes nothing an agent merely asserts — one regression test per row of the table.

Each test replays the attack that worked before the fix (a hostile agent controls every field of its
actions) and checks the outcome against an independent count (a plain Python tally of what the cap allows).
"""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from gate_testlib import action, send, spend
from typer.testing import CliRunner

from brandrail.cli import app
from brandrail.errors import ApprovalError, GateError
from brandrail.gate import Gate, GateStore, approve, list_approvals
from brandrail.gate.actions import action_json_schema
from brandrail.gate.principal import Principal
from brandrail.gate.store import tables as t
from brandrail.policy import policy_from_dict

NOW = "2026-05-04T10:00:00+00:00"


def _allowed(decisions: list[Any]) -> int:
    return sum(d.allowed for d in decisions)


# -- row 1: the gate's clock decides ------------------------------------------------------------------------


def test_backdated_time_cannot_escape_a_frequency_cap(make_gate, clock):
    gate = make_gate(
        {"consent": {"require_opt_in": []}, "frequency": [{"channel": "email", "max": 3, "window": "7d"}]}
    )
    start = clock.now
    out = [gate.decide(send("c1", time=(start - timedelta(days=15 * i)).isoformat())) for i in range(10)]
    assert _allowed(out) == 1  # only the one stamped now; the back-dated nine are refused
    assert all(d.codes == ["AG003"] for d in out[1:])
    assert out[1].findings[0].evidence["threshold"] == "5m"
    # honest times, the clock moving on by 2 days each: the cap (3 in any 7 days) holds
    honest = []
    for _ in range(6):
        clock.advance(days=2)
        honest.append(gate.decide(send("c1", time=clock.now.isoformat())))
    # independent tally: sends at day 0 (above), 2, 4, 6, 8, 10, 12 with 3 per 7 days
    days = [0]
    expected = []
    for day in (2, 4, 6, 8, 10, 12):
        ok = sum(1 for d in days if abs(day - d) < 7) < 3
        expected.append(ok)
        if ok:
            days.append(day)
    assert [d.allowed for d in honest] == expected


def test_past_send_at_is_sent_now_or_refused(make_gate, clock):
    cap = {"consent": {"require_opt_in": []}, "frequency": [{"channel": "email", "max": 3, "window": "7d"}]}
    gate = make_gate(cap)
    out = [
        gate.decide(send("c2", send_at=(clock.now - timedelta(days=15 * i)).isoformat(), time=NOW))
        for i in range(1, 11)
    ]
    assert _allowed(out) == 3  # every send lands now: 3 of 10 under 3 per 7 days
    assert out[0].outcome == "modify" and out[0].modified_action.send_at == clock.now
    assert "AG304" in out[0].codes and all(d.codes == ["AG301", "AG304"] for d in out[3:])
    strict = make_gate({**cap, "time": {"past_send_at": "refuse"}})
    refused = strict.decide(send("c3", send_at="2026-04-01T12:00:00+00:00"))
    assert refused.outcome == "deny" and refused.codes == ["AG304"]


@pytest.mark.parametrize("trust", [False, True])
def test_send_at_far_ahead_is_denied_not_an_error(make_gate, clock, trust):
    # the year 9999 overflowed the frequency window's arithmetic (AG000); far ahead is a clear AG305
    cap = {"consent": {"require_opt_in": []}, "frequency": [{"channel": "email", "max": 3, "window": "7d"}]}
    gate = make_gate(cap, trust_time=trust)
    now = clock.now
    for send_at in ("9999-12-31T23:59:00+00:00", (now + timedelta(days=367)).isoformat()):
        decision = gate.decide(send("c4", send_at=send_at, time=now.isoformat()))
        assert decision.outcome == "deny" and decision.codes == ["AG305"], decision.message()
        assert decision.findings[0].evidence["threshold"] == "366d"
    near = gate.decide(send("c4", send_at=(now + timedelta(days=365)).isoformat(), time=now.isoformat()))
    assert near.outcome == "allow", near.message()
    tight = make_gate({**cap, "time": {"max_send_ahead": "2d"}}, trust_time=trust)
    later = tight.decide(send("c5", send_at=(now + timedelta(days=3)).isoformat(), time=now.isoformat()))
    assert later.codes == ["AG305"]


def test_a_duration_beyond_ten_years_is_a_policy_error() -> None:
    from brandrail.errors import PolicyError

    with pytest.raises(PolicyError, match="longer than 3653 days"):
        policy_from_dict({"gate": {"time": {"max_skew": "99999999999999d"}}})


def test_quiet_hours_use_the_gate_clock_not_the_claimed_time(make_gate, clock):
    clock.now = datetime.fromisoformat("2026-05-04T01:00:00+00:00")  # 03:00 in Berlin
    gate = make_gate({"consent": {"require_opt_in": []}, "fixes": {"reschedule": False}})
    lie = send(
        channel="sms", recipient={"id": "c1", "timezone": "Europe/Berlin"}, time="2026-05-04T10:00:00Z"
    )
    assert gate.decide(lie).codes == ["AG003"]  # noon claimed at 03:00
    honest = send(
        channel="sms", recipient={"id": "c1", "timezone": "Europe/Berlin"}, time=clock.now.isoformat()
    )
    assert gate.decide(honest).codes == ["AG303"]


def test_a_time_in_1999_is_refused(make_gate):
    gate = make_gate()
    denied = gate.decide(spend("1", time="1999-01-01T00:00:00+00:00"))
    assert denied.outcome == "deny" and denied.codes == ["AG003"]


# -- row 2: identities, campaign names, recipients ----------------------------------------------------------


def test_agent_names_share_the_principals_cap(make_gate):
    gate = make_gate({"budget": {"agent_cap": "300"}})
    out = [gate.decide(spend("100", agent=f"agent-{i}")) for i in range(6)]
    assert _allowed(out) == 3 and out[3].codes == ["AG103"]  # 300 of 600: the cap is the caller's
    other = Principal("ops-bot", frozenset({"agent"}), via="api-key")
    assert gate.decide(spend("100", agent="agent-0"), principal=other).allowed  # another caller, own cap
    auditor = Principal("audit", frozenset({"auditor"}), via="api-key")
    assert gate.decide(spend("1"), principal=auditor).codes == ["AG005"]


@pytest.mark.parametrize(
    "variants",
    [
        ["summer", "Summer", "summer ", "SUMMER"],
        ["summer", "ｓｕｍｍｅｒ", "sum\u200bmer", "\u0455ummer"],  # fullwidth, zero-width, Cyrillic dze
        # accents, a combining mark, the Turkish dotted capital I (folds to "i" plus a combining dot)
        ["spring", "spríng", "spring\u0301", "SPR\u0130NG", "SPRI\u0307NG"],
    ],
)
def test_campaign_name_variants_share_one_cap(make_gate, variants):
    gate = make_gate(
        {"budget": {"campaign_daily_cap": "100", "campaign_caps": {"SUMMER": "100", "Spring": "100"}}}
    )
    out = [gate.decide(spend("100", campaign=name)) for name in variants]
    assert _allowed(out) == 1 and all(d.codes == ["AG102"] for d in out[1:])


def test_recipient_id_variants_of_one_address_share_a_cap(make_gate):
    gate = make_gate(
        {"consent": {"require_opt_in": []}, "frequency": [{"channel": "email", "max": 3, "window": "7d"}]}
    )
    ids = ["Ann@Example.com", "ann@example.com ", "ANN@EXAMPLE.COM"]
    out = [gate.decide(send(rid)) for rid in ids for _ in range(3)]
    assert _allowed(out) == 3
    # distinct ids, one e-mail address: the address's cap holds too
    more = [gate.decide(send({"id": f"cust-{i}", "email": "bob@example.com"})) for i in range(5)]
    assert _allowed(more) == 3
    # one phone number written three ways
    phones = ["+1 415 555 2671", "(415) 555-2671", "+14155552671", "415.555.2671"]
    sms = [gate.decide(send({"id": p}, channel="email")) for p in phones]
    assert _allowed(sms) == 3


# -- row 3: marketing judged from content --------------------------------------------------------------------

MESSAGES = [  # (content, is an offer) — labelled by hand
    ("Your order 1042 has shipped and arrives Thursday.", False),
    ("Your password was changed. If this wasn't you, contact support.", False),
    ("Your receipt: 2 tents, total $240.00.", False),
    ("Your order shipped. Shop now: 30% off everything this weekend!", True),
    ("Free delivery on every order until Sunday.", True),
    ("Use promo code TRAIL10 at checkout.", True),
    ("Your booking is confirmed. Buy now and get a second night half price.", True),
]


@pytest.mark.parametrize(("content", "offer"), MESSAGES)
def test_a_declared_transactional_message_with_an_offer_is_marketing(make_gate, content, offer):
    gate = make_gate()  # e-mail needs opt-in; no consent on record for c1
    decision = gate.decide(send("c1", content=content, marketing=False))
    if offer:
        assert decision.outcome == "deny" and set(decision.codes) == {"AG401", "AG405"}
        why = next(f for f in decision.findings if f.code == "AG405")
        assert "treated as marketing" in why.message and why.evidence["reason"]
    else:
        assert decision.outcome == "allow" and decision.codes == []


# -- row 4: outcomes only from the executor ------------------------------------------------------------------


def test_only_an_executor_reports_outcomes_once(make_gate):
    gate = make_gate({"budget": {"campaign_daily_cap": "100"}})
    agent = Principal("ads-bot", frozenset({"agent"}), via="api-key")
    executor = Principal("runner", frozenset({"executor"}), via="api-key")
    first = gate.decide(spend("100"), principal=agent)
    assert first.allowed
    for _ in range(4):  # the attack: report executed=false and spend again
        with pytest.raises(GateError, match="executor role"):
            gate.report_outcome(first.decision_id, executed=False, principal=agent)
        assert gate.decide(spend("100"), principal=agent).codes == ["AG102"]
    gate.report_outcome(first.decision_id, executed=False, principal=executor)
    gate.report_outcome(first.decision_id, executed=False, principal=executor)  # once: a repeat is a no-op
    with pytest.raises(GateError, match="already reported"):
        gate.report_outcome(first.decision_id, executed=True, principal=executor)
    outcomes = [e for e in gate.store.ledger.entries() if e.kind == "outcome"]
    assert len(outcomes) == 1 and outcomes[0].payload["reporter"]["id"] == "runner"


# -- row 5: finite numbers, size limits ----------------------------------------------------------------------

CUSTOM = {
    "gift": {
        "schema": {
            "type": "object",
            "properties": {"value": {"type": "number", "minimum": 5, "maximum": 100}},
        }
    }
}


_NAN_TEXT = (
    '{"kind": "custom", "id": "n1", "agent": "a", "time": "TIME", "name": "gift", "args": {"value": NaN}}'
)


@pytest.mark.parametrize(
    "raw",
    [
        _NAN_TEXT.replace("TIME", NOW),
        _NAN_TEXT.replace("TIME", NOW).replace("NaN", "Infinity").replace("n1", "n2"),
        {
            "kind": "custom",
            "id": "n3",
            "agent": "a",
            "time": NOW,
            "name": "gift",
            "args": {"value": math.nan},
        },
        {"kind": "custom", "id": "n4", "agent": "a", "time": NOW, "name": "gift", "args": {"v": [-math.inf]}},
        {"kind": "spend", "id": "n5", "agent": "a", "time": NOW, "campaign": "c", "amount": Decimal("NaN")},
        {"kind": "set_discount", "id": "n6", "agent": "a", "time": NOW, "item": "t", "discount": math.nan},
        {
            "kind": "target_audience",
            "id": "n7",
            "agent": "a",
            "time": NOW,
            "estimated_size": 1,
            "criteria": [{"attribute": "age", "op": "lt", "value": math.nan}],
        },
    ],
)
def test_nan_and_infinity_are_malformed_everywhere(make_gate, raw):
    gate = make_gate({"custom_actions": CUSTOM})
    decision = gate.decide(raw)
    assert decision.outcome == "deny" and decision.codes == ["AG001"], decision.message()
    assert "nan" in decision.findings[0].message.lower() or "inf" in decision.findings[0].message.lower()


def test_size_limits_are_checked_before_anything_costly(make_gate, monkeypatch):
    gate = make_gate({"consent": {"require_opt_in": ["email"]}})
    import brandrail.gate.rules as rules

    def boom(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a costly rule ran on an oversized action")

    monkeypatch.setattr(rules, "evaluate", boom)
    monkeypatch.setattr("brandrail.gate.decide.evaluate", boom)
    huge = json.dumps(spend("1", description="x" * 60_000_000))
    big = gate.decide(huge)
    assert big.codes == ["AG004"] and big.findings[0].evidence["threshold"] == 262_144
    digits = gate.decide(send("c1", subject="7" * 400 * 1024))
    assert digits.codes == ["AG004"] and digits.findings[0].evidence["path"] == "subject"
    assert gate.decide(spend("1", description="y" * 5000)).findings[0].evidence["path"] == "description"
    deep: dict[str, Any] = {}
    node = deep
    for _ in range(30):
        node["a"] = {}
        node = node["a"]
    assert gate.decide(action("custom", name="gift", args=deep)).codes == ["AG004"]
    assert gate.decide(action("post_social", platform="x", content="hi", images=["i"] * 2000)).codes == [
        "AG004"
    ]
    for entry in gate.store.ledger.entries():
        assert len(entry.payload_json) < 4000  # nothing oversized was stored
    monkeypatch.undo()
    custom = make_gate({"limits": {"fields": {"description": 10}}})
    assert custom.decide(spend("1", description="12345678901")).codes == ["AG004"]


# -- row 6: masking everywhere, pseudonyms, erasure ----------------------------------------------------------

EMAIL = "Planted.Person@Example.org"
PHONE = "+1 (212) 555-0147"
NEEDLES = ["planted.person@example.org", "212) 555-0147", "2125550147", "555-0147"]


def _string_paths(schema: dict[str, Any], node: dict[str, Any], prefix: tuple[str, ...] = ()) -> list[tuple]:
    """Every string field of an action kind's JSON schema (following $refs and anyOf)."""
    out: list[tuple] = []
    if "$ref" in node:
        node = schema["$defs"][node["$ref"].split("/")[-1]]
    options = node.get("anyOf") or [node]
    numeric = any(o.get("type") == "number" for o in options)  # a Decimal: number or numeric string
    for option in options:
        if "$ref" in option:
            out += _string_paths(schema, option, prefix)
        elif (
            option.get("type") == "string" and not numeric and not {"format", "enum", "pattern"} & set(option)
        ):
            if prefix and prefix[-1] not in ("kind",) and "const" not in option:
                out.append(prefix)
        elif option.get("type") == "object" and "properties" in option:
            for name, sub in option["properties"].items():
                out += _string_paths(schema, sub, (*prefix, name))
        elif option.get("type") == "array" and isinstance(option.get("items"), dict):
            out += _string_paths(schema, option["items"], (*prefix, 0))
    return out


def _base(kind: str) -> dict[str, Any]:
    common = {"id": "pii-1", "agent": "bot", "time": NOW}
    return (
        {
            "send_message": {"channel": "email", "recipient": {"id": "c1"}, "content": "hello"},
            "launch_campaign": {"campaign": "c"},
            "pause_campaign": {"campaign": "c"},
            "set_budget": {"campaign": "c", "amount": "10"},
            "spend": {"campaign": "c", "amount": "1"},
            "set_price": {"item": "tent", "price": "10"},
            "set_discount": {"item": "tent", "discount": 5},
            "target_audience": {"estimated_size": 5, "criteria": [{"attribute": "city", "value": "x"}]},
            "post_social": {"platform": "x", "content": "hello", "images": ["a.png"]},
            "reply_customer": {
                "conversation": "conv",
                "content": "hello",
                "recipient": {"id": "c1"},
                "turns": [{"role": "customer", "text": "hi"}],
            },
            "custom": {"name": "note", "args": {"text": "hello", "list": ["x"]}},
        }[kind]
        | common
        | {"kind": kind}
    )


def _plant(data: dict[str, Any], path: tuple, value: str) -> None:
    """Set the field at ``path`` (ints: the first list item, created if needed) to ``value``."""
    node: Any = data
    for i, part in enumerate(path):
        last = i == len(path) - 1
        if isinstance(part, int):
            if not node:
                node.append({} if not last else value)
            if last:
                node[0] = value
            else:
                node = node[0]
            continue
        if last:
            node[part] = value
            return
        want_list = isinstance(path[i + 1], int)
        if not isinstance(node.get(part), list if want_list else dict):
            node[part] = [] if want_list else {}
        node = node[part]


def _everything_stored(store: GateStore) -> str:
    with store.engine.connect() as conn:
        texts = []
        for table in [*t.metadata.sorted_tables, store.ledger.table]:
            for row in conn.execute(sa.select(table)).all():
                texts.append(json.dumps([str(v) for v in row]))
    return "\n".join(texts).lower()


def test_planted_personal_data_reaches_no_table(sqlite_url: str, clock):
    schema = action_json_schema()
    policy = policy_from_dict(
        {
            "gate": {
                "content_checks": False,
                "consent": {"require_opt_in": []},
                "approvals": {"kinds": ["launch_campaign", "post_social"]},
                "custom_actions": {"note": {}},
                "frequency": [{"channel": "email", "max": 5, "window": "7d"}],
                "budget": {"campaign_daily_cap": "1000"},
            }
        }
    )
    store = GateStore.from_url(sqlite_url)
    gate = Gate(policy, store, clock=clock)
    planted = 0
    for kind_ref in schema["oneOf"] if "oneOf" in schema else schema["discriminator"]["mapping"].values():
        ref = kind_ref["$ref"] if isinstance(kind_ref, dict) else kind_ref
        name = ref.split("/")[-1]
        kind_schema = schema["$defs"][name]
        kind = kind_schema["properties"]["kind"]["const"]
        for path in _string_paths(schema, kind_schema):
            if path in (("time",), ("send_at",), ("channel",), ("period",)):
                continue
            for value in (EMAIL, f"call {PHONE} now", f"{EMAIL.upper()} / {PHONE}"):
                data = _base(kind)
                _plant(data, path, value)
                data["id"] = f"pii-{planted}" if path != ("id",) else value
                decision = gate.decide(data)
                planted += 1
                # parsed and recorded whole (masked); a recipient e-mail or phone field that is not an
                # address is refused by the rules, after parsing, with the action recorded
                contact_field = path in (("recipient", "email"), ("recipient", "phone")) and all(
                    f.evidence.get("field") == ".".join(path) for f in decision.findings if f.code == "AG001"
                )
                assert decision.outcome != "deny" or "AG001" not in decision.codes or contact_field, (
                    path,
                    decision.message(),
                )
                assert decision.action is not None, path
    assert planted > 80
    # also a consent record, a suppression and an approval request
    store.set_consent(EMAIL, "email", True)
    store.suppress(PHONE)
    stored = _everything_stored(store)
    for needle in NEEDLES:
        assert needle not in stored, needle
    assert list_approvals(store, "pending")  # approval requests were opened and are masked too


def test_erasure_unlinks_the_customer_and_the_chain_still_verifies(tmp_path: Path, clock):
    db = f"sqlite:///{tmp_path / 'gate.db'}"
    policy = policy_from_dict({"gate": {"content_checks": False, "consent": {"require_opt_in": ["email"]}}})
    store = GateStore.from_url(db)
    gate = Gate(policy, store, clock=clock)
    store.set_consent("ann@example.com", "email", True)
    first = gate.decide(send({"id": "c-ann", "email": "Ann@Example.com"}))
    assert first.allowed
    entry = store.ledger.get(first.decision_id)
    pseudonym = entry.payload["action"]["recipient"]["email"]
    assert pseudonym.startswith("p_")
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(t.subjects)).scalar_one() == 2
    store.engine.dispose()
    result = CliRunner().invoke(app, ["privacy", "erase", "ANN@example.com ", "--db", db, "-f", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["links_deleted"] == 1 and report["consent_records_deleted"] == 1
    with store.engine.connect() as conn:
        left = [r.pseudonym for r in conn.execute(sa.select(t.subjects)).all()]
    assert pseudonym not in left  # nothing ties the pseudonym to her any more
    verify = CliRunner().invoke(app, ["ledger", "verify", "--db", db])
    assert verify.exit_code == 0, verify.output
    # consent went with the link: a new message to her needs consent again, under a new pseudonym
    again = gate.decide(send({"id": "c-new", "email": "ann@example.com"}))
    assert again.codes == ["AG401"]
    assert store.ledger.get(again.decision_id).payload["action"]["recipient"]["email"] != pseudonym
    bad = CliRunner().invoke(app, ["privacy", "erase", "x", "--db", f"sqlite:///{tmp_path / 'none.db'}"])
    assert bad.exit_code == 2 and "no gate database" in bad.stderr


# -- row 7: reviewers are principals -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "variant", ["ADS-BOT", "ads-bot\u200b", "ａｄｓ-ｂｏｔ", "ads\u2011bot", " ads-bot ", "\u0430ds-bot"]
)
def test_the_proposer_cannot_approve_under_any_spelling(make_gate, variant):
    gate = make_gate({"approvals": {"spend_over": "10"}})
    request = gate.decide(spend("50"))  # claimed agent: ads-bot
    with pytest.raises(ApprovalError, match="cannot approve"):
        approve(gate.store, request.approval_id, reviewer=variant, policy=gate.policy, now=gate.clock())
    proposer = Principal("ana", frozenset({"agent", "reviewer"}), via="api-key")
    mine = gate.decide(spend("60"), principal=proposer)
    with pytest.raises(ApprovalError, match="cannot approve"):
        approve(gate.store, mine.approval_id, reviewer="ANA", policy=gate.policy, now=gate.clock())


def test_unknown_reviewers_are_refused(make_gate):
    gate = make_gate({"approvals": {"spend_over": "10"}})
    request = gate.decide(spend("50"))
    for who in ("eve", "anna", "ana2"):
        with pytest.raises(ApprovalError, match="not a registered principal"):
            approve(gate.store, request.approval_id, reviewer=who, policy=gate.policy, now=gate.clock())
    with pytest.raises(ApprovalError, match="not a registered principal"):
        approve(gate.store, request.approval_id, reviewer="ana", now=gate.clock())  # no registry given
    no_role = Principal("carol", frozenset({"auditor"}), via="api-key")
    with pytest.raises(ApprovalError, match="reviewer role"):
        approve(gate.store, request.approval_id, reviewer=no_role, now=gate.clock())
    approved = approve(
        gate.store, request.approval_id, reviewer="\uff21na", policy=gate.policy, now=gate.clock()
    )
    assert approved.reviewer == "ana"


# -- row 8: side tables bound to the ledger ------------------------------------------------------------------


def _review_gate(sqlite_url: str, clock) -> Gate:
    policy = policy_from_dict(
        {
            "gate": {
                "content_checks": False,
                "approvals": {"spend_over": "10"},
                "principals": [{"id": "ana", "roles": ["reviewer"]}],
            }
        }
    )
    return Gate(policy, GateStore.from_url(sqlite_url), clock=clock)


def test_a_pending_approval_flipped_in_the_database_is_refused(sqlite_url: str, clock, tmp_path):
    gate = _review_gate(sqlite_url, clock)
    big = spend("50")
    request = gate.decide(big)
    with gate.store.engine.begin() as conn:
        conn.execute(t.approvals.update().values(status="approved", reviewer="ana"))
    assert gate.decide({**big, "id": "retry"}).outcome == "review"
    verify = CliRunner().invoke(app, ["ledger", "verify", "--db", sqlite_url])
    assert verify.exit_code == 1 and "side_table" in verify.stdout and request.approval_id in verify.stdout


def test_an_inserted_approval_with_the_right_digest_is_refused(sqlite_url: str, clock):
    gate = _review_gate(sqlite_url, clock)
    big = spend("50")
    request = gate.decide(big)
    with gate.store.engine.begin() as conn:
        row = dict(conn.execute(sa.select(t.approvals)).mappings().one())
        row.update(id="apr_forged", status="approved", reviewer="ana", ledger_entry=None, ledger_hash=None)
        conn.execute(t.approvals.insert().values(**row))
    assert gate.decide({**big, "id": "retry"}).outcome == "review"
    # the genuine approval still works, exactly once
    approve(gate.store, request.approval_id, reviewer="ana", policy=gate.policy, now=clock())
    assert gate.decide({**big, "id": "retry2"}).outcome == "allow"
    # flipping the used approval back to approved does not buy a second use
    with gate.store.engine.begin() as conn:
        entry = gate.store.ledger.find_payload("approval", request.approval_id, conn=conn)
        conn.execute(
            t.approvals.update()
            .where(t.approvals.c.id == request.approval_id)
            .values(status="approved", ledger_entry=entry.id, ledger_hash=entry.hash)
        )
    assert gate.decide({**big, "id": "retry3"}).outcome == "review"


def test_an_edited_decision_row_is_refused_and_reported(sqlite_url: str, clock):
    policy = policy_from_dict({"gate": {"content_checks": False, "budget": {"campaign_daily_cap": "10"}}})
    gate = Gate(policy, GateStore.from_url(sqlite_url), clock=clock)
    denied_action = spend("50")
    denied = gate.decide(denied_action)
    assert denied.codes == ["AG102"]
    with gate.store.engine.begin() as conn:
        row = conn.execute(sa.select(t.decisions)).mappings().one()
        response = json.loads(row["response"])
        response.update(outcome="allow", allowed=True, findings=[], codes=[])
        conn.execute(t.decisions.update().values(response=json.dumps(response), outcome="allow"))
        conn.execute(t.actions.update().values(outcome="allow"))
    repeat = gate.decide(denied_action)
    assert repeat.outcome == "deny" and repeat.codes == ["AG000"]
    with pytest.raises(GateError, match="does not match the ledger"):
        gate.report_outcome(denied.decision_id, executed=True)
    verify = CliRunner().invoke(app, ["ledger", "verify", "--db", sqlite_url, "--format", "json"])
    assert verify.exit_code == 1
    problems = json.loads(verify.stdout)["problems"]
    assert [p["kind"] for p in problems] == ["side_table"] and denied.decision_id in problems[0]["detail"]


# -- row 9: no connection details in deny reasons ------------------------------------------------------------


def test_deny_reasons_never_show_connection_details(make_gate, monkeypatch):
    gate = make_gate({"budget": {"campaign_daily_cap": "100"}})
    detail = 'connection to server at "db.internal" (10.1.2.3), port 5432 failed: postgresql://app:pw@db/x'

    def broken(*args: Any, **kwargs: Any) -> None:
        raise sa.exc.OperationalError("SELECT 1", {}, Exception(detail))

    monkeypatch.setattr(gate.store, "reserve", broken)
    decision = gate.decide(spend("5"))
    assert decision.codes == ["AG000"] and "database error" in decision.findings[0].message
    shown = json.dumps(decision.to_dict()) + decision.message()
    for secret in ("db.internal", "10.1.2.3", "5432", "postgresql", "SELECT"):
        assert secret not in shown


def test_key_rotation_keeps_links_and_erasure_cuts_them(sqlite_url: str, clock):
    from brandrail.gate.pseudonyms import PseudonymKeys, erase_customer

    policy = policy_from_dict({"gate": {"content_checks": False}})
    old = PseudonymKeys.parse("k1:" + "11" * 32, "test")
    store = GateStore.from_url(sqlite_url)
    Gate(policy, store, clock=clock, pseudonym_keys=old)
    store.set_consent("zoe@example.com", "email", True)
    rotated = PseudonymKeys.parse("k2:" + "22" * 32 + "\nk1:" + "11" * 32, "test")
    gate = Gate(policy, store, clock=clock, pseudonym_keys=rotated)
    # found under the old key (and re-linked under k2): the address's consent counts for id "z"
    assert gate.decide(send({"id": "z", "email": "Zoe@example.com"})).allowed
    assert gate.decide(send("zoe@example.com")).allowed
    only_new = PseudonymKeys.parse("k2:" + "22" * 32, "test")
    newest = Gate(policy, store, clock=clock, pseudonym_keys=only_new)
    assert newest.decide(send("ZOE@example.com")).allowed  # the re-made link survives the old key
    erased = erase_customer(store, "zoe@example.com")
    assert erased.links == 2 and erased.consent_records == 1  # the link under each key
    assert newest.decide(send("zoe@example.com")).codes == ["AG401"]
    with pytest.raises(GateError, match="shorter than 16 bytes"):
        PseudonymKeys.parse("k1:abcd", "test")


def test_decision_rows_carry_their_entrys_hash(store_url: str, clock):
    policy = policy_from_dict({"gate": {"content_checks": False, "budget": {"campaign_daily_cap": "100"}}})
    gate = Gate(policy, GateStore.from_url(store_url), clock=clock)
    first, second = gate.decide(spend("10")), gate.decide(spend("20"))
    with gate.store.engine.begin() as conn:
        rows = {r.decision_id: r.ledger_hash for r in conn.execute(sa.select(t.decisions)).all()}
    for decision in (first, second):
        assert rows[decision.decision_id] == gate.store.ledger.get(decision.decision_id).hash
    with gate.store.engine.begin() as conn:  # a row pointed at another entry's hash
        conn.execute(
            t.decisions.update()
            .where(t.decisions.c.decision_id == first.decision_id)
            .values(ledger_hash=rows[second.decision_id])
        )
    with pytest.raises(GateError, match="hash of its ledger entry"):
        gate.report_outcome(first.decision_id, executed=True)
    gate.report_outcome(second.decision_id, executed=True)
    gate.store.engine.dispose()


def test_decision_rows_carry_the_hash_without_the_append_function(store_url: str, clock, monkeypatch):
    """PostgreSQL without the ledger's append function (an older schema) writes the row after the entry."""
    policy = policy_from_dict({"gate": {"content_checks": False, "budget": {"campaign_daily_cap": "100"}}})
    gate = Gate(policy, GateStore.from_url(store_url), clock=clock)
    monkeypatch.setattr(gate.store.ledger, "_function_ready", lambda raw: False)
    decision = gate.decide(spend("10"))
    assert decision.allowed
    with gate.store.engine.begin() as conn:
        row = conn.execute(sa.select(t.decisions)).one()
    assert row.ledger_hash == gate.store.ledger.get(decision.decision_id).hash
    gate.report_outcome(decision.decision_id, executed=False)
    assert gate.store.ledger.verify().ok and gate.store.reconcile() == []
    gate.store.engine.dispose()
