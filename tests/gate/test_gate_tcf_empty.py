"""A TC string stated empty, blank or malformed on a personalised message is no consent (AG403), whether or
not ``gate.consent.require_signals`` names tcf; a message that is not personalised is not affected."""

from __future__ import annotations

import pytest
from gate_testlib import send, tcf_string

from brandrail.gate.consent import check_tcf


@pytest.mark.parametrize("tcf", ["", "   ", "\n", "not-a-tc-string", "CO", "CPx!!"])
@pytest.mark.parametrize("require", [[], ["tcf"], ["gpc"]])
def test_an_empty_or_malformed_tc_string_is_not_consent_for_personalised_ads(make_gate, tcf, require):
    gate = make_gate({"consent": {"require_opt_in": [], "require_signals": require}})
    found = gate.decide(send(recipient={"id": "c1", "tcf": tcf, "gpc": False}, personalised=True))
    assert found.outcome == "deny"
    assert "AG403" in {f.code for f in found.findings}


def test_an_empty_tc_string_on_a_message_that_is_not_personalised_is_fine(make_gate):
    gate = make_gate({"consent": {"require_opt_in": []}})
    assert gate.decide(send(recipient={"id": "c1", "tcf": ""})).outcome == "allow"


def test_a_valid_tc_string_still_allows(make_gate):
    gate = make_gate({"consent": {"require_opt_in": []}})
    good = tcf_string({1, 3, 4}, {5})
    assert gate.decide(send(recipient={"id": "c1", "tcf": good}, personalised=True)).outcome == "allow"


def test_content_that_shows_personalisation_is_read_when_the_tc_string_is_stated_empty(make_gate):
    # "" states that no consent was given: a message marked personalised: false whose content is
    # personalised is treated as personalised (AG406), and the empty string is then no consent (AG403)
    gate = make_gate({"consent": {"require_opt_in": []}})
    found = gate.decide(
        send(
            recipient={"id": "c1", "tcf": ""},
            content="Because you viewed the Trail Runner 3 yesterday, here is 10% off it.",
            personalised=False,
        )
    )
    codes = {f.code for f in found.findings}
    assert found.outcome == "deny" and {"AG406", "AG403"} <= codes, codes


def test_check_tcf_says_an_empty_string_is_no_consent():
    found = check_tcf("", [1, 3, 4])
    assert not found.ok and "empty" in (found.error or "")
