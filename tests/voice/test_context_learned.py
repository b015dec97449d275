"""The learned reading of a customer's state (``voice.tone_model: embedding``): a complaint or a loss told in
plain words is read, the evidence says how, the score does not depend on the rest of the conversation, and
the packaged coefficients were fitted on the labelled set as it is."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from brandrail import check, loads_policy
from brandrail.text.conversation import parse_conversation
from brandrail.voice.context import CONTEXT_MODEL_FILE, customer_state

pytestmark = [pytest.mark.voice, pytest.mark.xdist_group("voice-model")]

DATA = Path(__file__).resolve().parent.parent / "data" / "voice" / "customer_states"

#: From the development part (the model was fitted on it): complaints in plain words that the phrase lists and
#: the sentiment miss, to test the mechanism. How well the model reads unseen messages is the frozen test
#: part's figure (``test_the_frozen_test_part_keeps_its_figures``).
#: A complaint told without any word the core tier's reader knows (the core tier reads "You told me the
#: refund would take 5 days. It's been 19." now: a broken promise and the time since).
PLAIN_COMPLAINT = "The engineer came, looked at the boiler for five minutes and left. It's freezing in here."
SECOND_COMPLAINT = "I ordered a king size and you sent a single. Again."
ORDINARY = [
    "Could you tell me your opening hours on Saturday?",
    "Thanks, the new card arrived this morning.",
    "Is the large size available in green?",
]


def _state(text: str, tier: str) -> Any:
    return customer_state(parse_conversation([{"role": "customer", "text": text}]), tone_model=tier)


def test_the_packaged_model_was_fitted_on_the_development_part_as_it_is() -> None:
    model = json.loads(CONTEXT_MODEL_FILE.read_text(encoding="utf-8"))
    assert model["data_sha256"] == hashlib.sha256((DATA / "dev.tsv").read_bytes()).hexdigest(), (
        "dev.tsv changed: refit with `python bench/fit_context_model.py --write`"
    )
    assert set(model["states"]) == {"upset", "loss"}
    assert all(len(head["weights"]) == 384 for head in model["states"].values())


def test_a_plain_complaint_is_read_as_upset_by_the_model_only() -> None:
    assert "upset" not in _state(PLAIN_COMPLAINT, "core").states
    learned = _state(PLAIN_COMPLAINT, "embedding")
    assert "upset" in learned.states
    cue = next(c for c in learned.cues["upset"] if c["text"] == "(learned reading)")
    assert cue["measured"] >= cue["threshold"] == 0.5 and cue["model"].startswith("context_model ")
    assert learned.reading == "embedding" and learned.to_dict()["reading"] == "embedding"


def test_the_frozen_test_part_keeps_its_figures() -> None:
    """Regression floors below the figures measured once on the frozen test part (bench/bench_context.py,
    recorded in bench/results/voice.md): recall 0.91 (upset) and 0.90 (loss); ordinary messages flagged 18%
    and 11%."""
    import csv

    with (DATA / "test.tsv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    found = [_state(r["text"], "embedding").states for r in rows]
    neither = [r["upset"] == r["loss"] == "0" for r in rows]
    for state, floor, ceiling in (("upset", 0.85, 0.25), ("loss", 0.85, 0.15)):
        hits = [state in f for f in found]
        positives = [r[state] == "1" for r in rows]
        recall = sum(h and p for h, p in zip(hits, positives, strict=True)) / sum(positives)
        flagged = sum(h and n for h, n in zip(hits, neither, strict=True)) / sum(neither)
        assert recall >= floor, (state, recall)
        assert flagged <= ceiling, (state, flagged)


@pytest.mark.parametrize("text", ORDINARY)
def test_an_ordinary_message_is_in_no_state(text: str) -> None:
    assert _state(text, "embedding").states == ()
    assert _state(text, "core").states == ()


def test_the_core_tier_never_runs_the_model() -> None:
    state = _state(PLAIN_COMPLAINT, "core")
    assert state.reading == "core"
    assert all(c["text"] != "(learned reading)" for cues in state.cues.values() for c in cues)


def test_a_turns_probability_does_not_depend_on_the_other_turns() -> None:
    alone = _state(SECOND_COMPLAINT, "embedding").cues["upset"]
    longer = customer_state(
        parse_conversation(
            [
                {"role": "customer", "text": ORDINARY[0]},
                {"role": "agent", "text": "We open at nine."},
                {"role": "customer", "text": SECOND_COMPLAINT},
            ]
        ),
        tone_model="embedding",
    ).cues["upset"]
    learned = [c for c in longer if c["text"] == "(learned reading)"]
    assert [c["measured"] for c in learned] == [
        c["measured"] for c in alone if c["text"] == "(learned reading)"
    ]
    assert [c["turn"] for c in learned] == [2]


def test_br501_applies_the_upset_targets_when_the_model_reads_upset() -> None:
    base = """
voice:
  tone_model: {tier}
channels:
  support:
    voice:
      context:
        upset: {{targets: {{humour: {{max: 0.2}}}}}}
"""
    conversation = [{"role": "customer", "text": PLAIN_COMPLAINT}]
    reply = "Ha, our couriers clearly took the scenic route! 😂 Tracking is in the app."
    findings = {}
    for tier in ("core", "embedding"):
        result = check(
            reply, loads_policy(base.format(tier=tier)), channel="support", conversation=conversation
        )
        findings[tier] = [f for f in result.findings if f.code == "BR501"]
    assert findings["core"] == []
    (flagged,) = findings["embedding"]
    assert flagged.evidence["dimension"] == "humour"
    assert flagged.evidence["context"]["reading"] == "embedding"


def test_an_unknown_tier_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown tone model"):
        _state("Hello", "large")


def test_a_policy_threshold_moves_the_learned_reading() -> None:
    learned = _state(PLAIN_COMPLAINT, "embedding")
    (cue,) = [c for c in learned.cues["upset"] if c["text"] == "(learned reading)"]
    above = customer_state(
        parse_conversation([{"role": "customer", "text": PLAIN_COMPLAINT}]),
        tone_model="embedding",
        thresholds={"upset": min(cue["measured"] + 0.01, 1.0)},
    )
    assert "upset" not in above.states
    at = customer_state(
        parse_conversation([{"role": "customer", "text": PLAIN_COMPLAINT}]),
        tone_model="embedding",
        thresholds={"upset": cue["measured"] - 0.01},
    )
    (moved,) = [c for c in at.cues["upset"] if c["text"] == "(learned reading)"]
    assert moved["threshold"] == pytest.approx(cue["measured"] - 0.01)


def test_the_policy_threshold_reaches_br501_and_bad_values_are_refused() -> None:
    from brandrail.errors import PolicyError

    base = """
voice:
  tone_model: embedding
channels:
  support:
    voice:
      context:
        upset: {{targets: {{humour: {{max: 0.2}}}}, threshold: {threshold}}}
"""
    reply = "Ha, our couriers clearly took the scenic route! 😂 Tracking is in the app."
    conversation = [{"role": "customer", "text": PLAIN_COMPLAINT}]
    strict = check(
        reply, loads_policy(base.format(threshold=0.99)), channel="support", conversation=conversation
    )
    assert not [f for f in strict.findings if f.code == "BR501"]
    with pytest.raises(PolicyError) as caught:
        loads_policy(base.format(threshold=1.5), name="p.yaml")
    (issue,) = caught.value.issues
    assert issue.path == "channels.support.voice.context.upset.threshold"
    assert str(issue.location).startswith("p.yaml:8:")


def test_the_learned_reading_embeds_only_the_recent_customer_turns(monkeypatch: pytest.MonkeyPatch) -> None:
    """However long the conversation, the learned reading embeds at most LEARNED_TURNS customer turns (the
    phrase lists still read every turn: a loss reported long ago is still found)."""
    from brandrail.voice import context

    seen: list[int] = []
    real = context._probabilities

    def counting(texts: list[str]) -> Any:
        seen.append(len(texts))
        return real(texts)

    monkeypatch.setattr(context, "_probabilities", counting)
    turns = [{"role": "customer", "text": "My father died in March."}]
    turns += [{"role": "customer", "text": f"Question number {i} about my order."} for i in range(150)]
    state = customer_state(parse_conversation(turns), tone_model="embedding")
    assert seen == [context.LEARNED_TURNS]
    assert "loss" in state.states  # from the phrase lists, 150 turns back


@pytest.mark.parametrize("tier", ["core", "embedding"])
def test_evaluate_states_reads_each_message_as_customer_state_does(tier: str) -> None:
    """The evaluation's reading (lists or model) is the tier's own: the core tier's weighted reader is not
    part of the embedding tier's lists, and the embedding tier's model is not part of the core tier."""
    from brandrail.voice.context import LabelledMessage, evaluate_states

    texts = [
        "Why is the invoice still in my old name? You said it was changed.",  # the core reader's weak cues
        "Someone cloned my card and spent £400 in Lisbon.",
        "Could you tell me your opening hours on Saturday?",
        PLAIN_COMPLAINT,
    ]
    for text in texts:
        read = _state(text, tier).states
        for state in ("upset", "loss"):
            report = evaluate_states(
                [LabelledMessage(text, state == "upset", state == "loss")], tone_model=tier
            )
            assert report["states"][state]["found"] == (state in read), (text, state)
