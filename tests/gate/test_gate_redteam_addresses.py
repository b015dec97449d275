"""A recipient is one address: a ``mailto:`` URI whose header fields add recipients (``?cc=``, ``?bcc=``,
``?to=``, percent-encoded too) is not one, and a reply's recipient is checked as a send's is (AG001).
(Found by the held-out red-team set, tests/data/gate_attacks; these are cases of their own.)"""

from __future__ import annotations

from typing import Any

import pytest
from gate_testlib import action, send

from brandrail.gate.identity import normalise_email

# -- addresses --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "mailto:ann@example.com?bcc=ops@example.net",
        "mailto:ann@example.com?subject=hi&CC=ops@example.net",
        "mailto:ann@example.com?%62cc=ops@example.net",  # percent-encoded "bcc"
        "mailto:ann@example.com?to=ops@example.net",
    ],
)
def test_a_mailto_that_adds_recipients_is_not_one_address(value: str) -> None:
    assert normalise_email(value) is None


def test_a_mailto_with_only_a_subject_is_one_address() -> None:
    assert normalise_email("mailto:ann@example.com?subject=hello&body=hi") == "ann@example.com"


def test_a_send_to_a_mailto_with_a_copy_is_malformed(make_gate: Any) -> None:
    gate = make_gate({"consent": {"require_opt_in": []}})
    decision = gate.decide(send(recipient={"id": "c5", "email": "mailto:jo@example.com?cc=all@example.org"}))
    assert decision.outcome == "deny" and decision.codes == ["AG001"]


@pytest.mark.parametrize(
    ("recipient", "ok"),
    [
        ({"id": "c5", "email": "Jo <jo@example.com>; team@example.org"}, False),
        ({"id": "c5", "phone": "call me maybe"}, False),
        ({"id": "c5", "email": "Jo Marsh <jo@example.com>"}, True),
        ({"id": "c5", "phone": "+44 7911 123456"}, True),
    ],
)
def test_a_replys_recipient_is_checked_like_a_sends(
    make_gate: Any, recipient: dict[str, Any], ok: bool
) -> None:
    reply = action(
        "reply_customer", conversation="c-3", content="Your parcel arrives Friday.", recipient=recipient
    )
    decision = make_gate().decide(reply)
    assert decision.codes == ([] if ok else ["AG001"]), recipient
    if not ok:
        assert decision.findings[0].evidence["field"] in ("recipient.email", "recipient.phone")
