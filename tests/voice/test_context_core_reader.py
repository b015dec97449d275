"""The core tier's reader of a complaint or a loss told in plain words (issue 16, item 4): weighted cues, two
weak signs make a complaint, one does not; negation, plain questions and hypotheses are not read as the
customer's state; the cue words and their weights are the evidence; the cost is linear in the length."""

from __future__ import annotations

import time

import pytest

from brandrail.text.conversation import parse_conversation
from brandrail.voice import context
from brandrail.voice import lexicons as lx
from brandrail.voice.context import customer_state


def _state(text: str) -> object:
    return customer_state(parse_conversation([{"role": "customer", "text": text}]))


def _states(text: str) -> tuple[str, ...]:
    return _state(text).states  # type: ignore[attr-defined, no-any-return]


@pytest.mark.parametrize(
    "text",
    [
        "You promised me a callback on Monday. That was two weeks ago.",
        "The kettle stopped working after a week and nobody answers the phone.",
        "Why does it take a month to refund a deposit? I sent the form in June.",
        "I've rung you three times and I'm still waiting for the engineer.",
        "This is the last time I book with you.",
        "The toaster you sent is broken AGAIN.",
        "Honestly you're going round in circles and I'm at the end of my tether.",
        "If the bill isn't corrected by Friday I'm going to the ombudsman.",
    ],
)
def test_plain_complaints_are_read_as_upset(text: str) -> None:
    assert "upset" in _states(text)


@pytest.mark.parametrize(
    "text",
    [
        "Can you send the receipt again, please?",  # one weak sign
        "Could you tell me what the late fee would be?",
        "Is my complaint from March still on file?",  # the topic of a plain question
        "I'd like to cancel my membership from next month, please.",  # a request
        "I'm not disappointed at all, the new sofa is lovely.",  # negation
        "Why is the sky blue? Only joking, when do you open on Sunday?",
        "Every time I visit the staff are lovely.",
    ],
)
def test_ordinary_messages_are_not_read_as_upset(text: str) -> None:
    assert "upset" not in _states(text)


@pytest.mark.parametrize(
    "text",
    [
        "My mother-in-law passed last week and the contract is in her name.",
        "Someone cloned my card and spent £400 in Lisbon.",
        "I was made redundant on Friday and can't make the payment.",
        "Our kitchen flooded overnight and everything in it is ruined.",
        "Can I pause the plan since my husband died?",  # a loss told in the first person inside a question
        "I had a stroke in March, so my son handles my post now.",
    ],
)
def test_losses_told_in_plain_words_are_read(text: str) -> None:
    assert "loss" in _states(text)


@pytest.mark.parametrize(
    "text",
    [
        "Do you have a policy for stolen cards?",
        "What happens if my card is stolen abroad?",
        "Could you give me a breakdown of my bill?",
        "Could I put down a deposit on the oak table?",
        "Is the GP surgery near you open on Saturdays?",
    ],
)
def test_a_loss_named_as_a_topic_is_not_a_loss(text: str) -> None:
    assert "loss" not in _states(text)


def test_one_weak_sign_is_not_enough_and_two_are_with_weights_in_evidence() -> None:
    assert _states("Why is my bill higher this month?") == ()
    state = _state("Why is my bill higher this month? You told me it would go down.")
    assert state.states == ("upset",)  # type: ignore[attr-defined]
    cues = state.cues["upset"]  # type: ignore[attr-defined]
    assert {c["text"] for c in cues} == {"Why is", "You told"}
    assert sum(c["weight"] for c in cues) >= lx.COMPLAINT_THRESHOLD
    assert all(c["start"] < c["end"] for c in cues)


def test_a_cue_in_capitals_counts_more() -> None:
    assert _states("You sent me the blue one again.") == ()  # "again": one weak sign
    weak = lx.COMPLAINT_ATTITUDE[2][1]
    for said, weight in (("again", weak), ("AGAIN", 1.5 * weak)):
        cues = _state(f"You said red. Blue came {said}.").cues["upset"]  # type: ignore[attr-defined]
        assert [c["weight"] for c in cues if c["text"] == said] == [weight]


def test_cost_is_linear_in_the_length_of_a_turn() -> None:
    unit = "Why is the parcel late again? You said Monday. The kettle is broken and I want a refund. "

    def cpu(times: int) -> float:
        text = unit * times
        start = time.process_time()
        customer_state(parse_conversation([{"role": "customer", "text": text + str(times)}]))
        return time.process_time() - start

    cpu(50)
    small, large = min(cpu(250) for _ in range(2)), min(cpu(1000) for _ in range(2))
    assert large < 8 * max(small, 0.01)  # 4x the text: about 4x the time, far from 16x


@pytest.mark.parametrize(
    ("text", "state"),
    [
        ("Das ist schon das dritte Mal, dass die Lieferung nicht kommt.", "upset"),
        ("Je suis furieux : toujours pas de remboursement.", "upset"),
        ("Es la tercera vez que llamo y sigo esperando.", "upset"),
        ("Mein Vater ist letzte Woche verstorben.", "loss"),
        ("Mon mari est décédé le mois dernier.", "loss"),
        ("Me robaron la cartera ayer.", "loss"),
    ],
)
def test_german_french_and_spanish_plain_signs(text: str, state: str) -> None:
    assert state in _states(text)
    # in the phrase lists, so the embedding tier (whose model reads English only) reads them too
    lists = context._read_state(
        parse_conversation([{"role": "customer", "text": text}]), (), context._LISTS_ONLY, ()
    )
    assert state in lists.states


@pytest.mark.parametrize(
    "text",
    [
        "Ich bin nicht verärgert, nur eine Frage zur Rechnung.",
        "Je ne suis pas déçu, merci beaucoup !",
        "No estoy enfadado, solo quería saber el horario.",
    ],
)
def test_negation_in_german_french_and_spanish(text: str) -> None:
    assert _states(text) == ()
