"""Each gate rule against hand-computed expectations (SQLite store, fixed clock)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from gate_testlib import T0, action, send, spend, tcf_string

from brandrail.findings import Edit, Finding, Fix, Severity
from brandrail.gate.rules import apply_edits, next_allowed


def test_per_action_cap_and_campaign_cap_to_the_cent(make_gate):
    gate = make_gate({"budget": {"max_per_action": "500", "campaign_daily_cap": "100.00"}})
    assert gate.decide(spend("500.01")).codes == ["AG101"]
    assert gate.decide(spend("99.99")).outcome == "allow"
    assert gate.decide(spend("0.01")).outcome == "allow"  # exactly 100.00
    refused = gate.decide(spend("0.01"))
    assert refused.outcome == "deny" and refused.codes == ["AG102"]
    assert refused.findings[0].evidence["reserved"] == "100.00"
    # another campaign has its own cap
    assert gate.decide(spend("60", campaign="autumn")).outcome == "allow"


def test_campaign_specific_cap_and_agent_cap(make_gate):
    gate = make_gate(
        {"budget": {"campaign_caps": {"big": "1000"}, "campaign_daily_cap": "10", "agent_cap": "25"}}
    )
    assert gate.decide(spend("20", campaign="big")).outcome == "allow"
    refused = gate.decide(spend("20", campaign="big"))
    assert refused.codes == ["AG103"]  # campaign has room (40 <= 1000); the agent's cap of 25 does not
    assert gate.decide(spend("5", campaign="big", agent="other-bot")).outcome == "allow"


def test_refused_reservation_leaves_no_partial_counter(make_gate):
    gate = make_gate({"budget": {"campaign_daily_cap": "100", "agent_cap": "10"}})
    day = gate.clock().date().isoformat()
    assert gate.decide(spend("15")).codes == ["AG103"]
    assert gate.store.counter(f"spend:campaign:spring:{day}") == 0  # the campaign reservation was undone


def test_release_on_unexecuted_outcome(make_gate):
    gate = make_gate({"budget": {"campaign_daily_cap": "50"}})
    first = gate.decide(spend("50"))
    assert gate.decide(spend("1")).outcome == "deny"
    gate.report_outcome(first.decision_id, executed=False)
    assert gate.decide(spend("50")).outcome == "allow"
    gate.report_outcome(first.decision_id, executed=False)  # repeat is a no-op
    with pytest.raises(Exception, match="already reported"):
        gate.report_outcome(first.decision_id, executed=True)
    assert gate.store.reconcile() == []


def test_budget_settings(make_gate):
    gate = make_gate(
        {"budget": {"max_budget": "10000"}, "approvals": {"budget_over": "5000", "new_campaign": True}}
    )
    assert gate.decide(action("set_budget", campaign="c", amount="20000")).codes == ["AG104"]
    assert gate.decide(action("set_budget", campaign="c", amount="6000")).outcome == "review"
    assert gate.decide(action("set_budget", campaign="c", amount="4000")).outcome == "allow"
    assert gate.decide(action("launch_campaign", campaign="new")).outcome == "review"
    assert gate.decide(action("pause_campaign", campaign="new")).outcome == "allow"


def test_price_bounds(make_gate):
    gate = make_gate(
        {"price": {"floor": "10", "ceiling": "1000", "min_margin": 0.2, "items": {"tent": {"floor": "100"}}}}
    )
    assert gate.decide(action("set_price", item="tent", price="99.99")).codes == ["AG201"]
    assert gate.decide(action("set_price", item="sock", price="9.99")).codes == ["AG201"]
    assert gate.decide(action("set_price", item="sock", price="1000.01")).codes == ["AG202"]
    # margin (price - cost) / price = (12 - 10) / 12 = 16.7 % < 20 %
    low = gate.decide(action("set_price", item="sock", price="12", cost="10"))
    assert low.codes == ["AG203"] and low.findings[0].evidence["value"] == pytest.approx(2 / 12, abs=1e-4)
    assert gate.decide(action("set_price", item="sock", price="12.50", cost="10")).outcome == "allow"  # 20 %


def test_price_change_per_day_uses_opening_price(make_gate, clock):
    gate = make_gate({"price": {"max_change_per_day": 20}, "approvals": {"price_change_over": 10}})
    assert gate.decide(action("set_price", item="tent", price="100")).outcome == "allow"  # first price seen
    assert gate.decide(action("set_price", item="tent", price="115")).outcome == "review"  # 15 % > 10 %
    assert gate.decide(action("set_price", item="tent", price="105")).outcome == "allow"
    assert gate.decide(action("set_price", item="tent", price="121")).codes == ["AG205"]  # 21 % of 100
    clock.advance(days=1)  # next day: the opening price is 105
    later = clock.now.isoformat()
    assert gate.decide(action("set_price", item="tent", price="115", time=later)).outcome == "allow"  # 9.5 %


def test_discounts(make_gate):
    gate = make_gate(
        {"price": {"max_discount": 30, "min_margin": 0.1}, "approvals": {"discount_change_over": 20}}
    )
    assert gate.decide(action("set_discount", item="tent", discount=40)).codes == ["AG204"]
    assert gate.decide(action("set_discount", item="tent", discount=25)).outcome == "review"
    # 15 % off 100 with cost 80 → 85, margin 5.9 % < 10 %
    assert gate.decide(action("set_discount", item="tent", discount=15, price="100", cost="80")).codes == [
        "AG203"
    ]
    assert (
        gate.decide(action("set_discount", item="tent", discount=10, price="100", cost="80")).outcome
        == "allow"
    )
    protected = gate.decide(action("set_discount", item="tent", discount=5, segment={"Gender": "female"}))
    assert protected.codes == ["AG206"]
    assert (
        gate.decide(
            action("set_price", item="t", price="5", cost="1", segment={"loyalty_tier": "gold"})
        ).outcome
        == "allow"
    )


def test_discount_clamped_when_allowed(make_gate):
    gate = make_gate({"price": {"max_discount": 30}, "fixes": {"clamp_discount": True}})
    decision = gate.decide(action("set_discount", item="tent", discount=45))
    assert decision.outcome == "modify"
    assert decision.modified_action.discount == 30
    assert decision.findings[0].severity is Severity.WARNING


@pytest.mark.parametrize(
    ("segment", "keyed"),
    [
        ({"customerGender": "f"}, True),  # camelCase key
        ({"gen\u200bder": "f"}, True),  # a zero-width space in the key
        ({"group": "women"}, True),  # the value names the attribute
        ({"group": "Seniors"}, True),
        ({"segment": ["students", "Over 65s"]}, True),
        ({"audience": "hispanic"}, True),
        ({"interest": "men's shoes"}, False),  # a product line, not men
        ({"tier": "Ladies night"}, False),
        ({"zip": "10001", "loyalty": "gold"}, False),
    ],
)
def test_prices_keyed_on_a_protected_attribute_by_key_or_value(make_gate, segment, keyed):
    gate = make_gate()
    decision = gate.decide(action("set_discount", item="tent", discount=5, segment=segment))
    assert decision.codes == (["AG206"] if keyed else [])


@pytest.mark.parametrize(
    ("criteria", "codes"),
    [
        ([{"attribute": "health_condition", "value": "diabetes"}], ["AG501"]),
        ([{"attribute": "Religion"}], ["AG501"]),
        ([{"attribute": "sexual-orientation", "op": "exists"}], ["AG501"]),
        ([{"attribute": "trade_union_member", "value": True}], ["AG501"]),
        ([{"attribute": "age", "op": "lt", "value": 16}], ["AG502"]),
        ([{"attribute": "age", "op": "between", "value": [13, 30]}], ["AG502"]),
        ([{"attribute": "age", "op": "ge", "value": 18}], []),
        ([{"attribute": "age", "op": "lt", "value": 18}], ["AG502"]),
        ([{"attribute": "age", "op": "le", "value": 18}], ["AG502"]),  # 18 and under: 17-year-olds too
        ([{"attribute": "age", "op": "lt", "value": 30}], ["AG502"]),  # nothing bounds it from below
        ([{"attribute": "age", "op": "ge", "value": 18}, {"attribute": "age", "op": "lt", "value": 30}], []),
        ([{"attribute": "age", "op": "between", "value": [18, 65]}], []),
        ([{"attribute": "ageRange", "value": "13-17"}], ["AG502"]),
        ([{"attribute": "age_range", "value": "18-24"}], []),
        ([{"attribute": "age", "value": "under 25"}], ["AG502"]),
        ([{"attribute": "age", "value": "18+"}], []),
        ([{"attribute": "birth_year", "op": "gt", "value": 2012}], ["AG502"]),
        ([{"attribute": "dateOfBirth", "op": "ge", "value": "2015-03-01"}], ["AG502"]),
        ([{"attribute": "birth_year", "op": "lt", "value": 1990}], []),
        ([{"attribute": "is_minor", "value": True}], ["AG502"]),
        ([{"attribute": "is_minor", "value": False}], []),
        ([{"attribute": "has_kids", "value": True}], []),  # parents, not children
        ([{"attribute": "interest", "value": "hiking"}, {"attribute": "reunion_guest"}], []),
        # names disguised or written in camelCase
        ([{"attribute": "eth\u200bnicity", "value": "x"}], ["AG501"]),
        ([{"attribute": "ethn\u0131city", "value": "x"}], ["AG501"]),  # dotless i
        ([{"attribute": "sexualOrientation", "value": "x"}], ["AG501"]),
        # values that name a special category through a generic attribute
        ([{"attribute": "interests", "value": "Diabetes"}], ["AG501"]),
        ([{"attribute": "interests", "op": "in", "value": ["running", "pregnancy"]}], ["AG501"]),
        ([{"attribute": "segment", "value": "LGBTQ+"}], ["AG501"]),
        ([{"attribute": "lookalike", "value": "Muslims"}], ["AG501"]),
        ([{"attribute": "interests", "op": "ne", "value": "diabetes"}], []),  # excluding is not selecting
        # words that are mostly something else are not read as a category
        ([{"attribute": "interests", "value": "Christian Dior"}], []),
        ([{"attribute": "colour", "value": "black"}], []),
        ([{"attribute": "interests", "value": "Pride and Prejudice"}], []),
        ([{"attribute": "interests", "value": "trans-atlantic sailing"}], []),
        ([{"attribute": "interests", "value": "hearing aids"}], []),
        ([{"attribute": "fans_of", "value": "AS Roma"}], []),
        ([{"attribute": "delivery", "value": "std delivery"}], []),
    ],
)
def test_sensitive_audiences(make_gate, criteria, codes):
    gate = make_gate()
    decision = gate.decide(action("target_audience", criteria=criteria, estimated_size=1000))
    assert decision.codes == codes
    assert decision.outcome == ("deny" if codes else "allow")


def test_audience_size_threshold(make_gate):
    gate = make_gate({"approvals": {"audience_size_over": 50000}})
    assert gate.decide(action("target_audience", criteria=[], estimated_size=50001)).outcome == "review"
    assert gate.decide(action("target_audience", criteria=[], estimated_size=50000)).outcome == "allow"


def test_next_allowed_closed_form():
    berlin = ZoneInfo("Europe/Berlin")
    # 22:30 UTC = 00:30 Berlin (CEST, UTC+2) on 5 May → 08:00 Berlin the same day = 06:00 UTC
    assert next_allowed(datetime(2026, 5, 4, 22, 30, tzinfo=UTC), "08:00-21:00", berlin) == datetime(
        2026, 5, 5, 6, 0, tzinfo=UTC
    )
    # 19:30 UTC = 21:30 Berlin → next day 08:00
    assert next_allowed(datetime(2026, 5, 4, 19, 30, tzinfo=UTC), "08:00-21:00", berlin) == datetime(
        2026, 5, 5, 6, 0, tzinfo=UTC
    )
    assert next_allowed(datetime(2026, 5, 4, 12, 0, tzinfo=UTC), "08:00-21:00", berlin) is None
    # a window that wraps midnight: 22:00-06:00; 12:00 local → 22:00 local
    assert next_allowed(datetime(2026, 5, 4, 10, 0, tzinfo=UTC), "22:00-06:00", berlin) == datetime(
        2026, 5, 4, 20, 0, tzinfo=UTC
    )
    # winter (CET, UTC+1)
    assert next_allowed(datetime(2026, 1, 10, 5, 0, tzinfo=UTC), "08:00-21:00", berlin) == datetime(
        2026, 1, 10, 7, 0, tzinfo=UTC
    )


def test_quiet_hours_reschedule_and_deny(make_gate, clock):
    night = "2026-05-04T21:30:00+00:00"  # 23:30 in Berlin
    clock.now = datetime.fromisoformat(night)  # the gate's clock decides quiet hours
    gate = make_gate({"consent": {"require_opt_in": []}})
    msg = send(channel="sms", recipient={"id": "c1", "timezone": "Europe/Berlin"}, time=night)
    decision = gate.decide(msg)
    assert decision.outcome == "modify" and decision.codes == ["AG303"]
    assert decision.modified_action.send_at == datetime(2026, 5, 5, 6, 0, tzinfo=UTC)
    strict = make_gate({"consent": {"require_opt_in": []}, "fixes": {"reschedule": False}})
    assert strict.decide({**msg, "id": "other"}).outcome == "deny"
    # e-mail has no quiet hours by default; default time zone UTC: 21:30 UTC is outside 08-21 for SMS
    assert gate.decide(send(channel="email", time=night)).outcome == "allow"
    assert gate.decide(send(channel="sms", recipient={"id": "c9"}, time=night)).codes == ["AG303"]
    bad = gate.decide(send(channel="sms", recipient={"id": "c1", "timezone": "Mars/Olympus"}, time=night))
    assert bad.outcome == "deny" and bad.codes == ["AG303"]


def test_consent_and_suppression(make_gate):
    gate = make_gate()
    assert gate.decide(send("c1")).codes == ["AG401"]
    gate.store.set_consent("c1", "email", True)
    assert gate.decide(send("c1")).outcome == "allow"
    assert gate.decide(send("c1", channel="sms")).codes == ["AG401"]  # consent is per channel
    gate.store.set_consent("c1", "email", False)
    assert gate.decide(send("c1")).codes == ["AG401"]
    assert gate.decide(send("c1", marketing=False)).outcome == "allow"  # transactional
    gate.store.set_consent("c2", "email", True)
    gate.store.suppress("Jo@Example.com", "email", reason="unsubscribed")
    hit = gate.decide(send(recipient={"id": "c2", "email": "jo@example.com"}))
    assert hit.codes == ["AG402"] and "unsubscribed" in hit.findings[0].message
    gate.store.suppress("+1 415 555 0100")
    assert gate.decide(send(recipient={"id": "c2", "phone": "+14155550100"})).codes == ["AG402"]


def test_tcf_and_gpc(make_gate):
    gate = make_gate({"consent": {"require_opt_in": [], "tcf_vendor_id": 5}})
    good = tcf_string({1, 3, 4}, {5})
    assert gate.decide(send(recipient={"id": "c1", "tcf": good}, personalised=True)).outcome == "allow"
    no_4 = gate.decide(send(recipient={"id": "c1", "tcf": tcf_string({1, 3}, {5})}, personalised=True))
    assert no_4.codes == ["AG403"] and no_4.findings[0].evidence["missing_purposes"] == [4]
    no_vendor = gate.decide(
        send(recipient={"id": "c1", "tcf": tcf_string({1, 3, 4}, {6})}, personalised=True)
    )
    assert no_vendor.codes == ["AG403"] and no_vendor.findings[0].evidence["vendor_allowed"] is False
    garbage = gate.decide(send(recipient={"id": "c1", "tcf": "not-a-tc-string"}, personalised=True))
    assert garbage.codes == ["AG403"] and garbage.findings[0].evidence["error"]
    # not personalised: the TC string does not matter
    assert gate.decide(send(recipient={"id": "c1", "tcf": tcf_string(set())})).outcome == "allow"
    assert gate.decide(send(recipient={"id": "c1", "gpc": True}, personalised=True)).codes == ["AG404"]
    assert gate.decide(send(recipient={"id": "c1", "gpc": True})).outcome == "allow"


def test_frequency_cap_rolling_window(make_gate):
    # replay mode (trust_time): the window arithmetic at the sends' own times, some before the clock
    gate = make_gate(
        {"consent": {"require_opt_in": []}, "frequency": [{"channel": "email", "max": 3, "window": "7d"}]},
        trust_time=True,
    )
    days = ["2026-05-01", "2026-05-03", "2026-05-05"]
    for day in days:
        assert gate.decide(send("c1", send_at=f"{day}T12:00:00+00:00")).outcome == "allow"
    fourth = gate.decide(send("c1", send_at="2026-05-07T12:00:00+00:00"))
    assert fourth.codes == ["AG301"]
    # the earliest time the window frees up: 7 days after the first of the 3 → 2026-05-08T12:00
    assert fourth.findings[0].evidence["next_possible"].startswith("2026-05-08T12:00")
    assert gate.decide(send("c2", send_at="2026-05-07T12:00:00+00:00")).outcome == "allow"  # per recipient
    assert gate.decide(send("c1", channel="push", send_at="2026-05-07T12:00:00+00:00")).outcome == "allow"
    assert gate.decide(send("c1", send_at="2026-05-12T12:00:01+00:00")).outcome == "allow"  # 01 fell out


def test_global_send_rate(make_gate):
    gate = make_gate(
        {"consent": {"require_opt_in": []}, "send_rates": [{"channel": "*", "max": 2, "window": "1m"}]}
    )
    assert gate.decide(send("a")).outcome == "allow"
    assert gate.decide(send("b", channel="push")).outcome == "allow"
    assert gate.decide(send("c")).codes == ["AG302"]


def test_content_checks_deny_or_fix(make_gate):
    terms = {"banned": [{"term": "cheap", "replacement": ["affordable"]}, {"term": "crap"}]}
    gate = make_gate({"content_checks": True, "consent": {"require_opt_in": []}}, terms=terms)
    fixed = gate.decide(send(content="Get this cheap tent now"))
    assert fixed.outcome == "modify"
    assert fixed.modified_action.content == "Get this affordable tent now"
    assert "AG601" in fixed.codes and "BR101" in fixed.codes
    unfixable = gate.decide(action("post_social", platform="instagram", content="This crap tent"))
    assert unfixable.outcome == "deny" and {"AG601", "BR101"} <= set(unfixable.codes)
    assert (
        gate.decide(action("reply_customer", conversation="k1", content="Thanks for asking!")).outcome
        == "allow"
    )
    no_fix = make_gate({"content_checks": True, "fixes": {"content": False}}, terms=terms)
    assert no_fix.decide(action("post_social", platform="x", content="cheap tents")).outcome == "deny"


def test_apply_edits_descending_and_overlap():
    def finding(start: int, end: int, text: str) -> Finding:
        return Finding("BR101", "x", Severity.ERROR, "m", fix=Fix("f", (Edit(start, end, text),)))

    assert apply_edits("abc def ghi", [finding(0, 3, "XY"), finding(8, 11, "Z")]) == "XY def Z"
    with pytest.raises(ValueError, match="overlapping"):
        apply_edits("abcdef", [finding(0, 3, "x"), finding(2, 4, "y")])


def test_custom_actions(make_gate):
    gate = make_gate(
        {
            "custom_actions": {
                "issue_coupon": {
                    "schema": {
                        "type": "object",
                        "properties": {"value": {"type": "number", "maximum": 50}},
                        "required": ["value"],
                    }
                },
                "delete_reviews": {"review": True},
            }
        }
    )
    assert gate.decide(action("custom", name="issue_coupon", args={"value": 10})).outcome == "allow"
    bad = gate.decide(action("custom", name="issue_coupon", args={"value": "ten"}))
    assert bad.codes == ["AG802"] and "args.value" in bad.findings[0].message
    assert gate.decide(action("custom", name="issue_coupon", args={"value": 51})).codes == ["AG802"]
    assert gate.decide(action("custom", name="drop_table", args={})).codes == ["AG801"]
    assert gate.decide(action("custom", name="delete_reviews")).outcome == "review"


def test_approval_kinds(make_gate):
    gate = make_gate({"approvals": {"kinds": ["pause_campaign"]}})
    assert gate.decide(action("pause_campaign", campaign="x")).outcome == "review"


def test_decimal_money_is_exact(make_gate):
    gate = make_gate({"budget": {"campaign_daily_cap": "0.30"}})
    for _ in range(3):
        assert gate.decide(spend("0.10")).outcome == "allow"  # 0.1 + 0.1 + 0.1 == 0.30 exactly in cents
    assert gate.decide(spend("0.01")).outcome == "deny"
    assert Decimal("0.30") == Decimal("0.10") * 3


def test_action_time_is_required_to_be_aware(make_gate):
    gate = make_gate()
    decision = gate.decide({**spend("1"), "time": T0.replace("+00:00", "")})
    assert decision.codes == ["AG001"] and "time" in decision.findings[0].message


def test_personal_data_in_content_is_redacted_by_the_privacy_fixes(make_gate):
    gate = make_gate({"content_checks": True})
    decision = gate.decide(
        action("reply_customer", conversation="k9", content="Your code went to jo@example.com today.")
    )
    assert decision.outcome == "modify" and {"AG601", "PV101"} <= set(decision.codes)
    assert "jo@example.com" not in decision.modified_action.content
    assert decision.modified_action.content.startswith("Your code went to ")


def test_cap_use_reads_the_counters_a_spend_would_reserve_from(make_gate) -> None:
    from decimal import Decimal

    import pytest

    from brandrail.errors import GateError

    gate = make_gate({"budget": {"campaign_daily_cap": "100", "agent_cap": "1000", "agent_period": "month"}})
    first = action("spend", campaign="Spring", amount="30")
    assert gate.decide(first).outcome == "allow"
    uses = {use.code: use for use in gate.cap_use(action("spend", campaign="spring", amount="80"))}
    campaign, agent = uses["AG102"], uses["AG103"]
    assert (campaign.cap, campaign.used, campaign.amount) == (Decimal(100), Decimal(30), Decimal(80))
    assert campaign.remaining == Decimal(70) and campaign.after == Decimal(-10)  # the gate would refuse it
    assert gate.decide(action("spend", campaign="spring", amount="80")).codes == ["AG102"]
    assert agent.used == Decimal(30) and agent.key.startswith("spend:agent:")
    assert gate.cap_use(action("pause_campaign", campaign="spring")) == []
    with pytest.raises(GateError, match="malformed action"):
        gate.cap_use({"kind": "spend"})


def test_quiet_hours_believe_the_phone_number_over_a_claimed_time_zone(make_gate, clock):
    """An agent's recipient.timezone is a claim; the number's country is evidence (TCPA practice: when in
    doubt, the area's local time)."""
    evening = "2026-05-04T20:30:00+00:00"  # 21:30 in London, 13:30 in Los Angeles
    clock.now = datetime.fromisoformat(evening)
    gate = make_gate({"consent": {"require_opt_in": []}})
    uk = "+44 7400 123456"

    def sms(**recipient: Any) -> Any:
        return gate.decide(send(channel="sms", recipient={"id": "c1", **recipient}, time=evening))

    # a UK number: 21:30 local, whatever zone the agent claims
    lie = sms(phone=uk, timezone="America/Los_Angeles")
    assert lie.outcome == "modify" and lie.codes == ["AG303"]
    evidence = lie.findings[0].evidence
    assert evidence["timezone"] == "Europe/London" and evidence["claimed_timezone"] == "America/Los_Angeles"
    assert lie.modified_action.send_at == datetime(2026, 5, 5, 7, 0, tzinfo=UTC)  # 08:00 London (BST)
    assert sms(phone=uk).codes == ["AG303"]  # no claim: the number's zone, not the default (UTC, 20:30)
    assert sms(id="+447400123456").codes == ["AG303"]  # the id is the number
    assert sms(phone="+44 7911 123456", timezone="Asia/Tokyo").codes == ["AG303"]  # Guernsey: London's time
    # a claim consistent with the number is believed: a US number claimed in Los Angeles is at 13:30
    assert sms(phone="+1 415 555 2671", timezone="America/Los_Angeles").outcome == "allow"
    # no claim for a US number: every US zone must be inside 08:00-21:00; 16:30 in New York, 10:30 in
    # Honolulu, 12:30 in Anchorage... 20:30 UTC is inside everywhere
    assert sms(phone="+1 415 555 2671").outcome == "allow"
    # no phone number: the claim (or the default zone) stands
    assert sms(timezone="America/Los_Angeles").outcome == "allow"


def test_quiet_hours_in_every_zone_of_a_wide_country(make_gate, clock):
    # 13:00 UTC: 09:00 New York but 03:00 Honolulu: a US number with no zone waits for Hawaii's 08:00
    morning = "2026-05-04T13:00:00+00:00"
    clock.now = datetime.fromisoformat(morning)
    gate = make_gate({"consent": {"require_opt_in": []}})
    decision = gate.decide(
        send(channel="sms", recipient={"id": "c1", "phone": "+1 212 555 0123"}, time=morning)
    )
    assert decision.outcome == "modify" and decision.codes == ["AG303"]
    assert decision.modified_action.send_at == datetime(2026, 5, 4, 18, 0, tzinfo=UTC)  # 08:00 in Honolulu
    assert "time zones of the recipient's phone number" in decision.findings[0].message


def test_no_common_allowed_hours_is_a_deny(make_gate, clock):
    # a two-hour window cannot hold in New York and Honolulu at once
    clock.now = datetime.fromisoformat("2026-05-04T13:00:00+00:00")
    gate = make_gate({"consent": {"require_opt_in": []}, "quiet_hours": {"sms": {"allowed": "09:00-11:00"}}})
    decision = gate.decide(
        send(
            channel="sms",
            recipient={"id": "c1", "phone": "+1 212 555 0123"},
            time="2026-05-04T13:00:00+00:00",
        )
    )
    assert decision.outcome == "deny" and decision.codes == ["AG303"]
    assert "no time is inside 09:00-11:00" in decision.findings[0].message


def test_a_rescheduled_send_counts_in_its_windows_at_the_new_time(make_gate, clock):
    night = "2026-05-04T21:30:00+00:00"  # outside 08:00-21:00 UTC: rescheduled to 08:00 the next day
    clock.now = datetime.fromisoformat(night)
    gate = make_gate(
        {"consent": {"require_opt_in": []}, "frequency": [{"channel": "sms", "max": 1, "window": "2h"}]}
    )
    first = gate.decide(send(channel="sms", recipient={"id": "c1"}, time=night))
    assert first.outcome == "modify" and first.modified_action.send_at == datetime(
        2026, 5, 5, 8, 0, tzinfo=UTC
    )
    morning = "2026-05-05T08:30:00+00:00"  # half an hour after the first one goes out
    clock.now = datetime.fromisoformat(morning)
    second = gate.decide(send(channel="sms", recipient={"id": "c1"}, time=morning))
    assert second.outcome == "deny" and second.codes == ["AG301"]


def test_a_spend_in_another_currency_than_the_accounts_is_denied(make_gate):
    gate = make_gate({"budget": {"currency": "gbp", "campaign_daily_cap": "100"}})
    kwd = gate.decide(spend("60", currency="KWD"))
    assert kwd.codes == ["AG105"] and kwd.findings[0].evidence["threshold"] == "GBP"
    assert gate.decide(spend("60", currency="GBP")).outcome == "allow"  # the policy's case does not matter
    # the action's code is compared exactly: refused, not guessed, and the refusal says how to write it
    for loose in ("gbp", "GBP ", " GBP", "Gbp", "GBP\u00a0"):
        refused = gate.decide(spend("60", currency=loose))
        assert refused.codes == ["AG105"] and "'GBP'" in refused.findings[0].message
    assert gate.decide(spend("60", currency="GBP")).codes == ["AG102"]  # the refused ones reserved nothing
    loose = make_gate({"budget": {"campaign_daily_cap": "1000"}})  # no account currency: not checked
    assert loose.decide(spend("60", currency="KWD")).outcome == "allow"


def test_the_account_currency_must_be_a_currency_code():
    from brandrail.errors import PolicyError
    from brandrail.policy import loads_policy

    with pytest.raises(PolicyError, match="currency"):
        loads_policy("gate:\n  budget:\n    currency: pounds\n", name="p.yaml")


def test_the_account_daily_cap_holds_across_new_campaigns_and_agents(make_gate):
    gate = make_gate({"budget": {"daily_cap": "100", "campaign_daily_cap": "80"}})
    assert gate.decide(spend("60", campaign="spring")).outcome == "allow"
    assert gate.decide(spend("30", campaign="brand-new", agent="other-bot")).outcome == "allow"
    over = gate.decide(spend("20", campaign="another-new", agent="third-bot"))
    assert over.codes == ["AG106"] and over.findings[0].evidence["reserved"] == "90.00"
    assert gate.decide(spend("10", campaign="x")).outcome == "allow"  # exactly 100.00
    uses = {u.code: u for u in gate.cap_use(spend("1", campaign="spring"))}
    assert uses["AG106"].used == Decimal("100.00") and uses["AG106"].cap == Decimal("100")


def test_a_discount_cannot_take_the_price_below_the_floor(make_gate):
    # the tent's cost is in the policy (with min_margin and no cost known, a price goes to review: AG207)
    gate = make_gate(
        {"price": {"floor": "5", "min_margin": 0.15, "items": {"tent": {"floor": "149", "cost": "1"}}}}
    )
    assert gate.decide(action("set_price", item="tent", price="150")).outcome == "allow"
    # the discounted price, with the price given: 150 less 30 % is 105, under the item's floor 149
    given = gate.decide(action("set_discount", item="tent", discount=30, price="150"))
    assert given.codes == ["AG201"] and given.findings[0].evidence["value"] == "105.00"
    # without a price: the one the gate last set
    assert gate.decide(action("set_discount", item="tent", discount=30)).codes == ["AG201"]
    # a claimed price above the one on record does not lift the floor
    claimed = gate.decide(action("set_discount", item="Tent", discount=20, price="1000"))
    assert claimed.codes == ["AG201"] and "on record" in claimed.findings[0].message
    # the margin over a given cost, on the price on record
    margin = gate.decide(action("set_discount", item="tent", discount=0.5, cost="140"))  # 149.25
    assert margin.codes == ["AG203"]
    assert gate.decide(action("set_discount", item="tent", discount=0.5)).outcome == "allow"  # 149.25
    # the global floor for other items: 6 less 40 % is 3.60
    assert gate.decide(action("set_discount", item="mug", discount=40, price="6")).codes == ["AG201"]
    # no price given and none on record: the floor cannot be checked
    unknown = gate.decide(action("set_discount", item="lamp", discount=10))
    assert unknown.codes == ["AG201"] and "unknown" in unknown.findings[0].message


def test_a_discount_s_floor_is_checked_on_every_backend(store_url, clock):
    from brandrail.gate import Gate
    from brandrail.policy import policy_from_dict

    policy = policy_from_dict({"gate": {"content_checks": False, "price": {"floor": "100"}}})
    gate = Gate(policy, store_url, clock=clock)
    assert gate.decide(action("set_price", item="tent", price="120")).outcome == "allow"
    assert gate.decide(action("set_discount", item="tent", discount=10)).outcome == "allow"  # 108
    assert gate.decide(action("set_discount", item="tent", discount=20)).codes == ["AG201"]  # 96


@pytest.mark.parametrize(
    ("bounds", "message"),
    [
        ({"flor": "149"}, "unknown bound 'flor' (did you mean 'floor'?)"),
        ({"ceil": "149"}, "did you mean 'ceiling'?"),
        ({"min_margin": "0.2"}, "unknown bound 'min_margin'"),
        ({"floor": "-1"}, "items.tent.floor: -1 is negative"),
    ],
)
def test_a_misspelt_item_bound_is_a_policy_error(bounds, message):
    from brandrail.errors import PolicyError
    from brandrail.policy import policy_from_dict

    with pytest.raises(PolicyError, match=re.escape(message)):
        policy_from_dict({"gate": {"price": {"items": {"tent": bounds}}}})
