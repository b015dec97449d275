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


# -- one recipient under variants of an address ------------------------------------------------------------

ADDRESS_VARIANTS = [
    "ann.lee@gmail.com",
    " ANN.LEE@GMAIL.COM ",
    "ann.lee+promo@gmail.com",  # a sub-address: delivered to the same mailbox
    "Ann.Lee+x+y@GMail.com",
    "annlee@gmail.com",  # Gmail ignores dots
    "a.n.n.l.e.e@googlemail.com",
    "ann.lee@gmail.com.",  # the domain's trailing dot
    "mailto:ann.lee@gmail.com",
    "mailto:ann.lee@gmail.com?subject=hi",
    "<ann.lee@gmail.com>",
    "Ann Lee <ann.lee@gmail.com>",
    '"Lee, Ann" <ann.lee+news@gmail.com>',
    '"ann.lee"@gmail.com',
    "ann.lee\uff20gmail.com",
    "ann.lee@gmail.com\u00a0",
    "ann.\u200blee@gmail.com",
]

PHONE_VARIANTS = [
    "+14155552671",
    "(415) 555-2671",
    "415.555.2671",
    "001 415 555 2671",  # 00 as the international prefix
    "011 1 415 555 2671",
    "tel:+1-415-555-2671",
    "TEL:+1-415-555-2671;ext=2",
    "+1 415 555 2671 ext. 9",
    "+1 4155552671 x9",
    "\uff0b\uff11\uff14\uff11\uff15\uff15\uff15\uff15\uff12\uff16\uff17\uff11",
]


@pytest.mark.parametrize("address", ADDRESS_VARIANTS)
def test_a_suppressed_address_is_found_under_its_variants(make_gate, address):
    gate = make_gate({"consent": {"require_opt_in": []}, "quiet_hours": {}})
    gate.store.suppress("Ann.Lee@Gmail.com", reason="unsubscribed")
    decision = gate.decide(send(recipient={"id": "someone", "email": address}))
    assert decision.codes == ["AG402"], address
    # and the other way round: a suppressed variant suppresses the plain address
    gate.store.suppress(address, reason="complaint")
    assert gate.decide(send(recipient={"id": "x", "email": "annlee@gmail.com"})).codes == ["AG402"]


@pytest.mark.parametrize("phone", PHONE_VARIANTS)
def test_a_suppressed_number_is_found_under_its_formats(make_gate, phone):
    gate = make_gate({"consent": {"require_opt_in": []}, "quiet_hours": {}})
    gate.store.suppress("+1 415 555 2671", reason="STOP")
    decision = gate.decide(send(recipient={"id": "someone", "phone": phone}, channel="sms", content="Hi"))
    assert decision.codes == ["AG402"], phone


def test_sub_addresses_share_the_mailbox_s_frequency_cap(make_gate):
    gate = make_gate(
        {"consent": {"require_opt_in": []}, "frequency": [{"channel": "email", "max": 2, "window": "7d"}]}
    )
    first = gate.decide(send(recipient={"id": "a", "email": "ann+1@example.com"}))
    second = gate.decide(send(recipient={"id": "b", "email": "ann+2@example.com"}))
    third = gate.decide(send(recipient={"id": "c", "email": "Ann+3@Example.com"}))
    fourth = gate.decide(send(recipient={"id": "d", "email": "ann@example.com"}))
    assert [first.outcome, second.outcome] == ["allow", "allow"]
    assert third.codes == ["AG301"] and fourth.codes == ["AG301"]
    # another mailbox at the same domain has its own cap
    assert gate.decide(send(recipient={"id": "e", "email": "bob+1@example.com"})).outcome == "allow"


def test_a_withdrawal_under_a_sub_address_reaches_the_mailbox(make_gate):
    gate = make_gate({"quiet_hours": {}})
    gate.store.set_consent("ann@example.com", "email", True)
    assert gate.decide(send(recipient={"id": "ann@example.com"})).outcome == "allow"
    gate.store.set_consent("ann+news@example.com", "email", False)
    denied = gate.decide(send(recipient={"id": "ann@example.com"}))
    assert denied.codes == ["AG401"]
    # granted again under the plain address: the mailbox's record is the latest word
    gate.store.set_consent("ann@example.com", "email", True)
    assert gate.decide(send(recipient={"id": "ann@example.com"})).outcome == "allow"
    # the tagged address itself stays withdrawn
    assert gate.decide(send(recipient={"id": "ann+news@example.com"})).codes == ["AG401"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "ann@example.com, bob@example.com"),
        ("email", "ann@example.com; bob@example.com"),
        ("email", "ann at example dot com"),
        ("email", "ann@example.com bob"),
        ("email", "ann@@example.com"),
        ("email", "ann@localhost"),
        ("email", "ann..lee@example.com"),
        ("email", "4155552671"),
        ("phone", "+1 (415) 555-2671 mobile"),
        ("phone", "call me"),
        ("phone", "ann@example.com"),
        ("phone", "12345"),
    ],
)
def test_a_contact_field_that_is_not_an_address_is_malformed(make_gate, field, value):
    gate = make_gate({"consent": {"require_opt_in": []}, "quiet_hours": {}})
    channel = "email" if field == "email" else "sms"
    decision = gate.decide(send(recipient={"id": "c1", field: value}, channel=channel, content="Hi"))
    assert decision.outcome == "deny" and "AG001" in decision.codes
    finding = next(f for f in decision.findings if f.code == "AG001")
    assert finding.evidence["field"] == f"recipient.{field}"
    assert value not in finding.message  # the value may be personal data the masker does not know


def test_erasure_forgets_the_mailbox_s_suppression_too(make_gate):
    from brandrail.gate.pseudonyms import erase_customer

    gate = make_gate({"consent": {"require_opt_in": []}, "quiet_hours": {}})
    gate.store.suppress("ann+x@example.com")
    assert gate.decide(send(recipient={"id": "ann@example.com"})).codes == ["AG402"]
    erased = erase_customer(gate.store, "ann+x@example.com", forget_suppression=True)
    assert erased.suppression_records == 2
    assert gate.decide(send(recipient={"id": "ann@example.com"})).outcome == "allow"


def test_identifier_forms():
    from brandrail.gate.identity import mailbox_identifier, normalise_email, normalise_phone

    assert normalise_email("ann@xn--bcher-kva.de") == normalise_email("Ann@BÜCHER.de") == "ann@bücher.de"
    assert mailbox_identifier("email:a.b+c@googlemail.com") == "email:ab@gmail.com"
    assert mailbox_identifier("email:a.b+c@example.com") == "email:a.b@example.com"
    assert mailbox_identifier("email:a.b@example.com") is None
    assert mailbox_identifier("tel:+14155552671") is None
    assert normalise_phone("0044 7911 123456", "US") == "+447911123456"
    assert normalise_phone("cust-4155552671", "US") is None  # an id with digits is not a number


def test_variants_on_every_backend(store_url, clock):
    from brandrail.gate import Gate
    from brandrail.policy import policy_from_dict

    policy = policy_from_dict(
        {
            "gate": {
                "content_checks": False,
                "consent": {"require_opt_in": []},
                "quiet_hours": {},
                "frequency": [{"channel": "email", "max": 1, "window": "7d"}],
            }
        }
    )
    gate = Gate(policy, store_url, clock=clock)
    gate.store.suppress("Ann.Lee+old@Gmail.com")
    assert gate.decide(send(recipient={"id": "x", "email": "Ann Lee <annlee@googlemail.com>"})).codes == [
        "AG402"
    ]
    assert gate.decide(send(recipient={"id": "y", "email": "bo+1@example.com"})).outcome == "allow"
    assert gate.decide(send(recipient={"id": "z", "email": "bo+2@example.com"})).codes == ["AG301"]


@pytest.mark.parametrize("grant_on", ["any", "address"])
def test_a_consenting_id_does_not_lend_its_grant_to_another_address(store_url, clock, grant_on):
    """With ``grant_on: address`` only the address the message is delivered to may carry the grant."""
    from brandrail.gate import Gate
    from brandrail.policy import policy_from_dict

    policy = policy_from_dict(
        {"gate": {"content_checks": False, "quiet_hours": {}, "consent": {"grant_on": grant_on}}}
    )
    gate = Gate(policy, store_url, clock=clock)
    gate.store.set_consent("cust-1", "email", True)
    gate.store.set_consent("cust-1", "sms", True)
    paired = gate.decide(send(recipient={"id": "cust-1", "email": "stranger@example.com"}))
    texted = gate.decide(
        send(recipient={"id": "cust-1", "phone": "+1 415 555 2671"}, channel="sms", content="Hi")
    )
    if grant_on == "any":  # the documented default: the id's grant counts for any address paired with it
        assert paired.outcome == "allow" and texted.outcome == "allow"
    else:
        assert paired.codes == ["AG401"] and texted.codes == ["AG401"]
    # the address's own grant counts in both modes, and so does a tagged address's mailbox
    gate.store.set_consent("ann@example.com", "email", True)
    assert gate.decide(send(recipient={"id": "cust-2", "email": "ann+news@example.com"})).outcome == "allow"
    # an id alone (the executor resolves the address): its grant counts in both modes
    assert gate.decide(send(recipient={"id": "cust-1"})).outcome == "allow"
    # a withdrawal under the id wins over the address's grant in both modes
    gate.store.set_consent("cust-3", "email", False)
    withdrawn = gate.decide(send(recipient={"id": "cust-3", "email": "ann@example.com"}))
    assert withdrawn.codes == ["AG401"]
