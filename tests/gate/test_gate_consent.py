"""Consent signals read from an action: IAB TCF v2 strings that are cut short, malformed or restricted."""

from __future__ import annotations

import pytest
from gate_testlib import send, tcf_string

from brandrail.gate.consent import check_tcf


def test_a_tc_string_cut_short_is_never_consent():
    # the decoder reads a missing bit as True: "CO" decoded as consent to every purpose
    good = tcf_string({1, 3, 4}, {5})
    assert check_tcf(good, [1, 3, 4], 5).ok
    for n in range(1, 36):  # 36 characters carry the 213 bits of the fixed fields
        cut = check_tcf(good[:n], [1, 3, 4])
        assert not cut.ok and cut.error, good[:n]
    assert "cut short" in (check_tcf("CO", [1, 3, 4]).error or "")


def test_a_vendor_section_cut_short_is_not_the_vendor_s_consent():
    good = tcf_string({1, 3, 4}, {5, 300})
    assert check_tcf(good, [1, 3, 4], 300).ok
    # the purposes are whole, the vendor bitfield is not
    cut = good[:45]
    assert check_tcf(cut, [1, 3, 4]).ok  # no vendor asked for: the purposes are read from real bits
    found = check_tcf(cut, [1, 3, 4], 300)
    assert not found.ok and found.vendor_allowed is False and "cut short" in (found.error or "")


@pytest.mark.parametrize(
    "text",
    [
        "{good}!!!",  # characters outside base64url, which the base64 decoder skips
        "{good}====",
        "{good}.",  # an empty segment
        "{good}..{good}",
        "{good}~1~",
        "{good} {good}",
        "{good}+/",  # standard base64, not base64url
        "   ",
    ],
)
def test_a_tc_string_not_in_the_spec_s_form_is_never_consent(text):
    good = tcf_string({1, 3, 4}, {5})
    found = check_tcf(text.format(good=good), [1, 3, 4])
    assert not found.ok and found.error


def test_surrounding_whitespace_is_not_a_reason_to_refuse():
    good = tcf_string({1, 3, 4}, {5})
    assert check_tcf(f"  {good}\n", [1, 3, 4], 5).ok


def test_a_publisher_restriction_takes_a_purpose_from_our_vendor():
    flat = tcf_string({1, 3, 4}, {5}, restrictions=((4, 0, 5),))  # purpose 4 not allowed for vendor 5
    found = check_tcf(flat, [1, 3, 4], 5)
    assert not found.ok and found.missing_purposes == (4,)
    li_only = tcf_string({1, 3, 4}, {5}, restrictions=((3, 2, 5),))  # purpose 3 on legitimate interest only
    assert check_tcf(li_only, [1, 3, 4], 5).missing_purposes == (3,)
    consent_required = tcf_string({1, 3, 4}, {5}, restrictions=((3, 1, 5),))
    assert check_tcf(consent_required, [1, 3, 4], 5).ok
    other_vendor = tcf_string({1, 3, 4}, {5}, restrictions=((4, 0, 6),))
    assert check_tcf(other_vendor, [1, 3, 4], 5).ok


def test_the_gate_denies_a_personalised_send_with_a_truncated_tc_string(make_gate):
    gate = make_gate({"consent": {"require_opt_in": []}})
    for tcf in ("CO", tcf_string({1, 3, 4})[:20]):
        decision = gate.decide(send(recipient={"id": "c1", "tcf": tcf}, personalised=True))
        assert decision.outcome == "deny" and decision.codes == ["AG403"], tcf
        assert "cut short" in decision.findings[0].evidence["error"]
