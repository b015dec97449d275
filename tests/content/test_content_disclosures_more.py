"""Disclosures left open by the fresh set (tests/data/disclosures_fresh README, "Left as found"): a dead
unsubscribe link (BR306), a chat agent that says it is a virtual assistant and a mention of "AI-generated"
that labels nothing (BR303), an opt-out link (BR304) and a trigger the sentence says is not offered (BR301).
Wordings are new, not the set's."""

from __future__ import annotations

from typing import Any

import pytest
from content_testlib import content_policy

from brandrail.engine import check_text
from brandrail.policy import Policy

BASE: dict[str, Any] = {
    "brand": {
        "name": "Harrowgate Tea",
        "website": "https://harrowgate.example",
        "postal_address": "Harrowgate Tea Ltd, 3 Mill Lane, Leeds LS2 7AB",
    },
    "disclosures": {
        "ai_label": {"required": True, "channels": ["chat", "social"], "assume_generated": True},
        "required": [
            {
                "id": "finance",
                "text": "Credit subject to status.",
                "accept": ["credit subject to status"],
                "when": {"terms": ["interest-free credit", "prize draw"]},
            }
        ],
    },
    "channels": {
        "sms": {"kind": "sms"},
        "email": {"kind": "email"},
        "social": {"kind": "social"},
        "chat": {"kind": "chat"},
    },
}
POLICY = content_policy(BASE)
ADDRESS = "<p>Harrowgate Tea Ltd, 3 Mill Lane, Leeds LS2 7AB</p>"


def codes(text: str, channel: str, policy: Policy = POLICY, kind: str = "text") -> list[str]:
    return [f.code for f in check_text(text, policy, channel=channel, kind=kind).findings]


# -- BR306: the wording of a link that leads nowhere is no way out -------------------------------------------


@pytest.mark.parametrize("href", ["#", "", "javascript:void(0)", "#footer"])
def test_a_dead_unsubscribe_link_is_no_way_out(href: str) -> None:
    html = f'<p>New oolong in stock.</p><p><a href="{href}">Unsubscribe</a></p>{ADDRESS}'
    assert "BR306" in codes(html, "email", kind="html")


def test_a_live_link_or_the_wording_outside_a_dead_link_still_counts() -> None:
    live = f'<p>New oolong.</p><p><a href="https://harrowgate.example/u?x=1">Unsubscribe</a></p>{ADDRESS}'
    assert "BR306" not in codes(live, "email", kind="html")
    beside = f'<p>New oolong.</p><p>To unsubscribe, reply to this e-mail. <a href="#">Top</a></p>{ADDRESS}'
    assert "BR306" not in codes(beside, "email", kind="html")


# -- BR303: a chat agent saying what it is; a mention that labels nothing ----------------------------------


@pytest.mark.parametrize(
    "reply",
    [
        "I'm a virtual assistant, so a person will confirm your refund.",
        "You're talking to our automated assistant. Your parcel left today.",
        "This is Harrowgate's chatbot: your parcel left today.",
        "AI-generated summary: your parcel left today.",
        "Your parcel left today. (AI-generated and checked by our team.)",
    ],
)
def test_a_chat_agent_that_says_what_it_is_is_labelled(reply: str) -> None:
    assert "BR303" not in codes(reply, "chat")


@pytest.mark.parametrize(
    "reply",
    [
        "We don't sell AI-generated tea blends. Your parcel left today.",
        "Browse our AI-generated tasting notes! Your parcel left today.",
        "I'm not a bot, promise. Your parcel left today.",
        "Our human team, not a virtual assistant, packed your parcel.",
    ],
)
def test_a_mention_or_a_denial_is_no_label(reply: str) -> None:
    assert "BR303" in codes(reply, "chat")


# -- BR304: an opt-out link counts only when the policy accepts links ---------------------------------------

LINK_SMS = [
    "Harrowgate Tea: 2 for 1 on oolong. Opt out of texts at harrowgate.example/sms",
    "Harrowgate Tea: 2 for 1 on oolong. To stop these texts visit https://harrowgate.example/stop",
]


@pytest.mark.parametrize("sms", LINK_SMS)
def test_an_opt_out_link_needs_the_policy_to_accept_links(sms: str) -> None:
    result = check_text(sms, POLICY, channel="sms")
    (finding,) = [f for f in result.findings if f.code == "BR304"]
    assert finding.evidence["link_only"] is True
    assert "opt_out_links" in finding.message
    links = content_policy({**BASE, "disclosures": {**BASE["disclosures"], "sms": {"opt_out_links": True}}})
    assert "BR304" not in codes(sms, "sms", links)


@pytest.mark.parametrize(
    "sms",
    [
        "Harrowgate Tea: opt out any time. New blends: https://harrowgate.example/new",
        "Harrowgate Tea: you cannot opt out at harrowgate.example/sms, reply to us instead",
        "Harrowgate Tea: new blends at harrowgate.example/new",
    ],
)
def test_a_link_that_is_no_opt_out_never_counts(sms: str) -> None:
    links = content_policy({**BASE, "disclosures": {**BASE["disclosures"], "sms": {"opt_out_links": True}}})
    assert "BR304" in codes(sms, "sms", links)


# -- BR301: a trigger the sentence says is not offered -------------------------------------------------------


@pytest.mark.parametrize(
    "post",
    [
        "We don't offer interest-free credit on gift cards.",
        "We no longer run a prize draw at Christmas.",
        "Sorry, no interest-free credit on clearance tea.",
        "Interest-free credit isn't available on samplers.",
    ],
)
def test_a_trigger_that_is_not_offered_needs_no_disclosure(post: str) -> None:
    assert "BR301" not in codes(post, "social")


@pytest.mark.parametrize(
    "post",
    [
        "Don't miss interest-free credit on teapots.",
        "Why not spread the cost with interest-free credit?",
        "We don't offer interest-free credit on gift cards, but teapots come with interest-free credit.",
    ],
)
def test_a_trigger_that_is_offered_still_needs_it(post: str) -> None:
    assert "BR301" in codes(post, "social")
