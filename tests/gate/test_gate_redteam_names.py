"""Names with letters that render as nothing — the Hangul fillers, the Braille blank — are one name with the
name without them: "summer\u115f" does not open a second daily cap, "boots\u1160" is no new item without an
opening price. (Found by the held-out red-team set, tests/data/gate_attacks; these are cases of their own.)"""

from __future__ import annotations

from typing import Any

import pytest
from gate_testlib import action

from brandrail.gate.principal import canonical_id

# -- names that render as nothing ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["summer\u115f", "sum\u1160mer", "\u180esummer", "summer\u2800"])
def test_letters_that_render_as_nothing_leave_a_name_unchanged(name: str) -> None:
    assert canonical_id(name) == "summer"


def test_a_filler_letter_does_not_open_a_second_daily_cap(make_gate: Any) -> None:
    gate = make_gate({"budget": {"campaign_daily_cap": "100"}})
    assert gate.decide(action("spend", campaign="summer", amount="80")).outcome == "allow"
    decision = gate.decide(action("spend", campaign="sum\u1160mer", amount="30"))
    assert decision.outcome == "deny" and decision.codes == ["AG102"]


def test_a_filler_letter_does_not_make_an_item_without_an_opening_price(make_gate: Any) -> None:
    gate = make_gate({"price": {"max_change_per_day": 20}})
    assert gate.decide(action("set_price", item="boots", price="100")).outcome == "allow"
    decision = gate.decide(action("set_price", item="boots\u115f", price="150"))
    assert decision.outcome == "deny" and decision.codes == ["AG205"]


@pytest.mark.parametrize("blank", ["\u3164\u3164", " \u200b ", "\u2800", "\u115f"])
@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "spend", "campaign": "{}", "amount": "5"}, "campaign"),
        ({"kind": "set_price", "item": "{}", "price": "50"}, "item"),
        ({"kind": "pause_campaign", "campaign": "{}"}, "campaign"),
        ({"kind": "reply_customer", "conversation": "{}", "content": "Thanks!"}, "conversation"),
        (
            {"kind": "send_message", "channel": "email", "recipient": {"id": "{}"}, "content": "Hi"},
            "recipient.id",
        ),
    ],
)
def test_a_name_that_is_blank_once_invisible_characters_go_is_malformed(
    make_gate: Any, blank: str, fields: dict[str, Any], field: str
) -> None:
    def fill(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: fill(v) for k, v in value.items()}
        return blank if value == "{}" else value

    gate = make_gate({"consent": {"require_opt_in": []}})
    decision = gate.decide(action(fields["kind"], **{k: fill(v) for k, v in fields.items() if k != "kind"}))
    assert decision.outcome == "deny" and decision.codes == ["AG001"]
    assert decision.findings[0].evidence == {"field": field}


def test_an_empty_optional_campaign_is_still_no_campaign(make_gate: Any) -> None:
    gate = make_gate({"consent": {"require_opt_in": []}})
    assert (
        gate.decide(action("target_audience", campaign="", criteria=[], estimated_size=5)).outcome == "allow"
    )
