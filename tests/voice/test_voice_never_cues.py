"""BR502's never-rule cues: kinds of "never" rule a brand forbids, and the surface cues that count against a
message only when the brand forbids their kind."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from brandrail.voice import model as vm
from brandrail.voice.never_cues import FAMILIES, VERSION, active_families, cue_hits

NAMES = {family.name for family in FAMILIES}


def _names(rules: list[tuple[str, list[str]]]) -> set[str]:
    return {family.name for family in active_families(rules)}


def test_a_rule_sentence_names_its_kind() -> None:
    assert _names([("Make sexual or suggestive jokes.", [])]) == {"suggestive"}
    assert _names([("Blame the customer for a high bill.", [])]) == {"blame"}
    assert _names([("Use fear of loss to sell a product.", [])]) == {"fear"}
    assert _names([("Guilt-trip supporters into giving.", [])]) == {"guilt"}
    assert _names([("Mock beginners or their kit.", [])]) == {"mockery"}


def test_a_word_names_a_kind_only_in_its_sense() -> None:
    """The word expense is mockery only as "at someone's expense", not as a cost."""
    assert _names([("Joke at a person's expense.", [])]) == {"mockery"}
    assert _names([("Hide an expense in small print.", [])]) == {"hidden_cost"}


def test_a_rule_of_no_known_kind_activates_nothing() -> None:
    assert _names([("Use the word 'cheap'.", ["Cheap tents!", "Cheapest boots in town."])]) == set()
    assert active_families([]) == ()


def test_a_rule_can_be_keyed_by_its_examples_when_its_sentence_names_no_kind() -> None:
    """Half or more of a rule's examples showing a kind's cues make the rule of that kind."""
    rules = [("Keep it clean.", ["Naughty night in? 😏", "Feeling frisky tonight?", "Pizza for two."])]
    assert _names(rules) == {"suggestive"}
    assert _names([("Keep it clean.", ["Naughty night in? 😏", "Pizza for two.", "Pasta for one."])]) == set()


def test_only_the_forbidden_kinds_count() -> None:
    message = "Feeling naughty? Our new hot sauce 😏"
    suggestive = active_families([("Make sexual or suggestive jokes.", [])])
    pressure = active_families([("Rush people with countdowns or scarcity.", [])])
    assert cue_hits(message, suggestive) == 1
    assert cue_hits(message, pressure) == 0


def test_a_message_counts_each_kind_once() -> None:
    every = active_families([(f"never {name}", []) for name in NAMES]) + tuple(FAMILIES)
    forbidden = tuple(dict.fromkeys(every))
    assert cue_hits("Hurry, last chance, only 3 left, act now!", forbidden) == 1
    assert cue_hits("Your fault, lol. Hurry, last chance.", forbidden) == 3  # blame, mockery, pressure


@pytest.mark.parametrize(
    "text",
    [
        "Your order arrives on Tuesday between 9am and 1pm.",
        "We're sorry your delivery was late. A full refund is on its way.",
        "Our winter sale ends on Sunday.",
        "New on the menu: a smoky bean burrito. Napkins recommended.",
        "If anything looks wrong on your bill, reply and we'll check it with you.",
        "Doors open at 7pm. Bring a friend.",
        "Thanks for telling us about the bug. We've fixed it in version 2.3.",
    ],
)
def test_plain_copy_shows_no_cue_of_any_kind(text: str) -> None:
    assert cue_hits(text, FAMILIES) == 0


def _model(rules: tuple[vm.NeverRule, ...]) -> vm.VoiceModel:
    """A voice model on made-up embeddings (no encoder): 8 on-brand and 8 off-brand examples."""
    on = tuple(f"On-brand example {i}." for i in range(8))
    off = tuple(f"Off-brand example {i}." for i in range(8))
    examples = vm.Examples(on, off, rules)
    n = len(on) + len(off) + sum(len(r.examples) for r in rules) + len(rules)
    rng = np.random.default_rng(0)
    emb = rng.normal(size=(n, 384)).astype(np.float32)
    emb[: len(on), 0] += 3.0  # on-brand examples lean one way
    return vm.VoiceModel(examples, embeddings=emb / np.linalg.norm(emb, axis=1, keepdims=True))


def _logit(p: np.ndarray) -> np.ndarray:
    return np.asarray(np.log(p / (1 - p)))


def test_a_forbidden_cue_lowers_the_logit_by_the_penalty_and_nothing_else_does() -> None:
    suggestive = vm.NeverRule("suggestive", "Make sexual or suggestive jokes.", ("Come get stuffed.",))
    model = _model((suggestive,))
    assert [f.name for f in model.families] == ["suggestive"]
    texts = ["Feeling naughty tonight? 😏", "Feeling hungry tonight?", "Hurry, only 2 left!"]
    emb = np.random.default_rng(1).normal(size=(3, 384)).astype(np.float32)
    with_cues = model.probabilities(texts, emb)
    without = model.probabilities(texts, emb, never_cues=False)
    drop = _logit(without) - _logit(with_cues)
    assert drop[0] == pytest.approx(vm._NEVER_CUE_PENALTY, abs=1e-3)
    assert with_cues[1:].tolist() == without[1:].tolist()  # pressure is not forbidden by this brand
    assert model._cues(texts[0]) == (("suggestive", "naughty"),)
    scored = model.score(texts, emb, never_cues=False)
    assert [s.probability for s in scored] == without.tolist()
    assert scored[0].never_cues == (("suggestive", "naughty"),)  # still reported, at no cost
    assert [s.probability for s in model.score(texts, emb)] == with_cues.tolist()


def test_a_brand_without_rules_of_a_known_kind_is_scored_as_before() -> None:
    plain = vm.NeverRule("cheap", "Use the word 'cheap'.", ("Cheap tents!",))
    model = _model((plain,))
    assert model.families == ()
    emb = np.random.default_rng(2).normal(size=(2, 384)).astype(np.float32)
    texts = ["Feeling naughty tonight? 😏", "Your fault, lol."]
    with_cues = model.probabilities(texts, emb)
    assert np.array_equal(model.probabilities(texts, emb, never_cues=False), with_cues)


def test_cues_are_read_through_disguises() -> None:
    """Cues are matched on the text as a reader takes it in: spaced or look-alike letters do not hide them."""
    model = _model((vm.NeverRule("blame", "Blame the customer.", ("Should have read the terms.",)),))
    assert model._cues("It's y o u r  f a u l t.") == model._cues("It's your fault.") != ()


def test_a_message_scores_the_same_alone_and_in_a_batch() -> None:
    model = _model((vm.NeverRule("pressure", "Push with fake deadlines or scarcity.", ("Only 2 left!",)),))
    texts = ["Last chance: only 3 left!", "See you on Friday.", "Hurry!"]
    emb = np.random.default_rng(3).normal(size=(3, 384)).astype(np.float32)
    batch = model.probabilities(texts, emb)
    alone = np.concatenate([model.probabilities([t], emb[i : i + 1]) for i, t in enumerate(texts)])
    assert np.array_equal(batch, alone)


@pytest.mark.voice
@pytest.mark.slow
@pytest.mark.xdist_group("voice-model")
def test_the_finding_names_the_cue_and_the_evidence_holds_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from brandrail.engine import check_text
    from brandrail.policy import policy_from_dict

    monkeypatch.setenv("BRANDRAIL_CACHE_DIR", str(tmp_path))
    on = [
        "Our new blood-orange soda is here: fizzy, sharp and very orange.",
        "Sorry your crate arrived dented. A replacement ships today, on us.",
        "Summer tastes like this. Six flavours, no added sugar.",
        "Your order is on its way. Keep it cold; it tastes better that way.",
    ]
    off = [
        "Dear Customer, your order has been processed in accordance with our terms.",
        "Complaining about the dent? Should have read the delivery terms, lol.",
    ]
    policy = policy_from_dict(
        {
            "voice": {
                "examples": {"on_brand": on, "off_brand": off},
                "never": [
                    {
                        "id": "blame",
                        "rule": "Blame the customer for a problem.",
                        "examples": ["Your own fault."],
                    }
                ],
            }
        }
    )
    message = "Dented can? That's your fault for ordering in a heatwave. Should have read the terms, lol."
    findings = [f for f in check_text(message, policy).findings if f.code == "BR502"]
    assert findings, "a blaming reply with its cues is flagged"
    [finding] = findings
    assert finding.evidence["never_cues"] == [{"kind": "blame", "cue": "your fault"}]
    assert finding.evidence["contributions"]["never_cues"] == -vm._NEVER_CUE_PENALTY
    assert finding.evidence["model"]["never_cues"] == VERSION and len(VERSION) == 12
    assert "shows cues of what the never rules forbid: blame ('your fault')" in finding.message


_EVERY_KIND = tuple(FAMILIES)


@pytest.mark.parametrize(
    ("innocent", "breach"),
    [
        # blame: comfort and a fault report are not blame; putting it on the customer is
        (
            "I'm so sorry this happened. Being scammed is awful and it isn't your fault.",
            "Being scammed is your own fault, to be honest.",
        ),
        ("We tried to reach you about your fault report. Call us back whenever suits.", "That's your fault."),
        # fear: sympathy for a bad moment is not dread; asking the reader to brace for it is
        (
            "I know the outage hit during your month-end close, which is the worst possible time.",
            "Without cover, expect the worst.",
        ),
        # promise: a warranty and a plain fact are not promises of an outcome
        (
            "All our coats come with a two-year guarantee.",
            "Guaranteed results in two weeks.",
        ),
        (
            "You will be charged £5 on Friday. You will get an e-mail when it's done.",
            "Play today and you will win.",
        ),
        # hidden cost: telling the reader there is no charge is the opposite of hiding one
        (
            "Your transfer arrived this morning, and no charges apply. There's no admin fee either.",
            "From £9.99. Charges apply. Plus an admin fee at checkout.",
        ),
    ],
)
def test_a_cue_word_counts_only_in_its_breaching_sense(innocent: str, breach: str) -> None:
    assert cue_hits(innocent, _EVERY_KIND) == 0
    assert cue_hits(breach, _EVERY_KIND) >= 1
