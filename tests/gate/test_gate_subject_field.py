"""A send's subject line is judged for its words, in the context of its body — not as a message of its own."""

from __future__ import annotations

from typing import Any

from gate_testlib import action

from brandrail.engine import check_field, check_text
from brandrail.policy import policy_from_dict

ADDRESS = "Fernhill Outdoor Ltd, 12 Quarry Lane, Kendal LA9 4XY, United Kingdom"
BODY = (
    "Our spring sale is on: every walking boot is reduced. Terms apply.\n\n"
    f"Unsubscribe: https://example.com/u\n{ADDRESS}"
)
SECTIONS: dict[str, Any] = {
    "extends": ["can-spam"],
    "brand": {"name": "Fernhill", "postal_address": ADDRESS},
    "channels": {"email": {}},
    "terms": {"banned": [{"term": "bloody"}]},
}


def _send(make_gate: Any, subject: str, content: str = BODY) -> Any:
    gate = make_gate({"content_checks": True, "consent": {"require_opt_in": []}}, **SECTIONS)
    return gate.decide(
        action(
            "send_message",
            channel="email",
            recipient={"id": "c1", "email": "jo@example.com"},
            subject=subject,
            content=content,
        )
    )


def test_a_subject_is_not_a_message_missing_its_unsubscribe_link(make_gate: Any) -> None:
    """Checked as a whole e-mail, every subject lacked an unsubscribe link and a postal address (BR306,
    BR307) under CAN-SPAM, so every marketing e-mail with a subject was denied."""
    decision = _send(make_gate, "Spring sale: 20% off walking boots")
    assert decision.outcome == "allow", [(f.code, f.message) for f in decision.findings]


def test_the_words_of_a_subject_are_still_judged(make_gate: Any) -> None:
    decision = _send(make_gate, "This bloody cream cures eczema")
    assert decision.outcome == "deny"
    codes = {f.code for f in decision.findings}
    assert {"AG601", "BR101", "BR203"} <= codes
    ag601 = next(f for f in decision.findings if f.code == "AG601" and f.evidence.get("field") == "subject")
    assert set(ag601.evidence["codes"]) >= {"BR101", "BR203"}


def test_a_price_claim_in_the_subject_needs_its_terms_in_the_subject_or_the_body(make_gate: Any) -> None:
    no_terms = BODY.replace(" Terms apply.", "")
    decision = _send(make_gate, "20% off walking boots", content=no_terms)
    assert decision.outcome == "deny"
    assert any(f.code == "BR206" for f in decision.findings)


def test_check_text_judges_the_subject_and_preheader_words() -> None:
    policy = policy_from_dict(SECTIONS)
    result = check_text(
        "Hello there, our spring range is in.",
        policy,
        metadata={"subject": "Our bloody best boots", "preheader": "Guaranteed to cure blisters"},
    )
    by_field = {(f.evidence.get("field"), f.code) for f in result.findings}
    assert ("subject", "BR101") in by_field and ("preheader", "BR203") in by_field
    banned = next(f for f in result.findings if f.code == "BR101")
    # no span in the body's text: the offsets are the subject's, in the evidence
    assert banned.span is None and banned.evidence["field_span"] == [4, 10]
    assert banned.message.startswith("subject: ") and banned.fix is None
    assert not result.passed


def test_a_field_is_judged_for_words_only() -> None:
    policy = policy_from_dict(SECTIONS)
    clean = check_field("Spring sale: 20% off walking boots", policy, field="subject", body=BODY)
    assert clean == []
    codes = {f.code for f in check_field("Spring sale: 20% off walking boots", policy, field="subject")}
    assert codes == {"BR206"}  # the terms are nowhere; no disclosure or length rule reads a field
