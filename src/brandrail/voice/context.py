"""Replies in context: what state the customer is in, read from the conversation before a reply.

Two states are recognised, each from phrase lists (``brandrail.voice.lexicons``) plus the brand's own
``voice.context.<state>.cues``, and, for ``upset``, the sentiment of the customer's words:

* ``upset``: the customer is angry, frustrated or complaining (in one of their last two turns);
* ``loss``: the customer reports a loss (in any of their turns): a death, an illness or injury, fraud or
  theft, lost money, data or belongings.

Phrase lists miss most complaints told in plain words ("I paid for next-day delivery and it came a week
later"). In the ``core`` tier, weighted cues (``lx.COMPLAINT_ATTITUDE``, ``lx.LOSS_REPORT_PATTERNS``: a broken
promise, the time since, a repeat, a fault soon after buying, an illness, a theft…) are added up per turn
and mark the state at ``lx.COMPLAINT_THRESHOLD``, so one weak sign is not enough and two are. In the
``embedding`` tier of the tone model (``voice.tone_model: embedding``) each state is also read
by a small learned model: a logistic regression on the packaged sentence embedding of the customer's words,
fitted on the labelled set in tests/data/voice/customer_states (``bench/fit_context_model.py``, coefficients
in ``data/context_model.json``). A state is found when a phrase matches or the model's probability reaches
its threshold; the evidence gives the probability and the threshold.

The policy sets the tone targets a reply must meet in each state (``voice.context``, per channel); BR501
applies them on top of the usual targets. See docs/voice.md, "Replies in context".
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from brandrail.text.conversation import Conversation, Turn
from brandrail.text.scan import finditer_from
from brandrail.voice import lexicons as lx
from brandrail.voice.tone import _match_patterns, _phrases, profile_text, read_as_meant
from brandrail.voice.tone_model import check_tier

__all__ = [
    "CONTEXT_MODEL_FILE",
    "STATES",
    "THRESHOLDS",
    "UPSET_SENTIMENT",
    "CustomerState",
    "LabelledMessage",
    "customer_state",
    "evaluate_states",
    "state_figures",
    "wilson_interval",
]

#: The learned reading's coefficients (written by ``bench/fit_context_model.py``).
CONTEXT_MODEL_FILE = Path(__file__).with_name("data") / "context_model.json"

#: The states a policy may set targets for, in the order they are reported.
STATES: tuple[str, ...] = ("upset", "loss")
#: A customer turn whose sentiment (the tone profile's, −1 to 1) is at or below this counts as upset.
UPSET_SENTIMENT = -0.3
#: Capital words plus exclamation marks, in a last customer turn that is not positive, that read as shouting.
SHOUTING = 3
#: Upset is read from this many of the customer's most recent turns; a loss from all of them.
RECENT_TURNS = 2
#: A last sentence that asks for information ("what would the late fee be?", "is there a PDF online?"):
#: the negative words in it name the topic (a fee, a loss), not the customer's mood, so sentiment alone
#: does not make the customer upset. "Why", "how come", "how could" and rhetorical questions ("do you
#: understand how…", "are you serious") are complaints and keep the sentiment cue.
_INFO_QUESTION = re.compile(
    r"(?:^|[,;:]\s*|\b(?:so|and|but|also|please|hi|hello)\b[,!]?\s*)"
    r"(?:(?:can|could|would|will)\s+(?:you|i|we|someone)|may\s+i|what|which|when|where|who|"
    r"how\s+(?:much|many|long|soon|often|do|does|can|should|would|will|is|are)|"
    r"is\s+(?:there|it|this|that|my)|are\s+(?:there|they|you\s+able)|do\s+(?:you|i|we)|does|did\s+i|"
    r"should\s+i|am\s+i)\b"
    r"(?![^?]*\b(?:understand|realise|realize|know\s+how|serious|kidding|joking|even\s+care|care\s+at\s+all|"
    r"the\s+point|going\s+to\s+do|supposed\s+to|wrong\s+with|the\s+hell|on\s+earth)\b)"
    r"[^?]*\?+\s*$",
    re.IGNORECASE,
)
#: An internal reading for :func:`evaluate_states`: the embedding tier's phrase lists without its model.
_LISTS_ONLY = "lists"
#: Cues kept as evidence per phrase list and customer turn (the state is decided on every cue before).
CUES_KEPT = 10
#: The learned reading embeds at most this many of the customer's most recent turns (the phrase lists read
#: them all): its cost stays bounded however long the conversation someone sends.
LEARNED_TURNS = 10


@dataclass(frozen=True)
class CustomerState:
    """The states found in the conversation, the phrases behind each, and the customer's last sentiment."""

    states: tuple[str, ...]
    cues: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    sentiment: float = 0.0
    turn: int = -1
    #: The tier that read the states: ``core`` (phrase lists and sentiment) or ``embedding`` (and the model).
    reading: str = "core"

    def to_dict(self) -> dict[str, Any]:
        return {
            "states": list(self.states),
            "cues": {k: [dict(c) for c in v] for k, v in self.cues.items() if v},  # copies: states are shared
            "customer_sentiment": round(self.sentiment, 4),
            "last_customer_turn": self.turn,
            "reading": self.reading,
        }


@lru_cache(maxsize=1)
def _builtin() -> dict[str, Any]:
    return {"upset": _phrases(lx.UPSET_PATTERNS), "loss": _phrases(lx.LOSS_PATTERNS)}


@lru_cache(maxsize=1)
def _core_reader() -> dict[str, Any]:
    """The core tier's weighted cues of a complaint or a loss told in plain words (``lx.COMPLAINT_ATTITUDE``,
    ``lx.LOSS_REPORT_PATTERNS``)."""
    return {"upset": _phrases(lx.COMPLAINT_ATTITUDE), "loss": _phrases(lx.LOSS_REPORT_PATTERNS)}


#: A hypothesis rather than a report: "if my card is stolen", "in case I ever need to complain".
_HYPOTHETICAL = re.compile(
    r"\b(?:if|in case|whether|in the event|what happens|should (?:my|i|we|a|the|your|it))\b", re.IGNORECASE
)
#: The main clause after a condition: "if this isn't fixed by Friday I'm going to the ombudsman".
_CONSEQUENCE = re.compile(r",|\bthen\b|\b(?:i|we)(?:['’]ll|['’]m| will| am| shall)\b", re.IGNORECASE)
#: Asking to cancel or close is a request, not a complaint, unless other cues say so.
_REQUEST_BEFORE = re.compile(
    r"(?:(?:i['’]?d|i would|we['’]?d|we would) like|i want|i wish|i need|can i|could i|may i|how (?:do|can) i|"
    r"wanting|looking|asking|is it possible)\s+to\s+(?:\w+\s+)?$|(?:please|can you|could you)\s+$",
    re.IGNORECASE,
)
#: A first-person report inside a question: "since my husband died", "can you help, I was scammed".
_REPORTED = re.compile(
    r"\b(?:my|our|i|i['’]?ve|i['’]?m|we|we['’]?ve|me|us)\b(?:\W+\w+){0,3}\W*$", re.IGNORECASE
)
#: The opening words of a question asked for information (the start of ``_INFO_QUESTION``).
_QUESTION_OPENER = re.compile(
    r"^(?:(?:so|and|but|also|please|hi|hello|hey|quick question)\b[,!]?\s*)*"
    r"(?:(?:can|could|would|will)\s+(?:you|i|we|someone)|may\s+i|what|which|when|where|who|"
    r"how\s+(?:much|many|long|soon|often|do|does|can|should|would|will|is|are)|"
    r"is\s+(?:there|it|this|that|my)|are\s+(?:there|they|you)|do\s+(?:you|i|we)|does|did\s+i|"
    r"should\s+i|am\s+i)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?\n]")


def _sentence_around(text: str, start: int, end: int) -> tuple[str, str]:
    """The part of the sentence holding ``text[start:end]`` before it, and the rest of that sentence with its
    closing mark (bounded: a sentence is read at most 300 characters either side)."""
    lo = max(start - 300, 0)
    head = text[lo:start]
    cut = max(head.rfind("."), head.rfind("!"), head.rfind("?"), head.rfind("\n"))
    before = head[cut + 1 :] if cut >= 0 else head
    m = _SENTENCE_END.search(text, end, end + 300)
    after = text[end : m.end()] if m else text[end : end + 300]
    return before, after


def _is_topic(state: str, text: str, start: int, end: int) -> bool:
    """Whether a cue names the topic of a plain question or a hypothesis rather than the customer's own
    experience: "Do you have a policy for stolen cards?", "Is my complaint still on file?", "What happens if
    my card is stolen?". A loss told in the first person inside a question still counts ("Can I pause it
    since my husband died?"); "why" and rhetorical questions are not plain questions."""
    before, after = _sentence_around(text, start, end)
    hypothesis = None
    for found in _HYPOTHETICAL.finditer(before):
        hypothesis = found  # the last condition before the cue
    if hypothesis is not None and not _CONSEQUENCE.search(before, hypothesis.end()):
        return True  # inside the if-clause ("if my card is stolen"), not its consequence ("…, I'll complain")
    if not after.rstrip().endswith("?"):
        return False
    opener = _QUESTION_OPENER.match(before.lstrip())
    if opener is None or not _asks_for_information(before.lstrip() + text[start:end] + after):
        return False
    return not (state == "loss" and _REPORTED.search(before[opener.end() :]))


def _turn_cues(
    state: str, index: int, text: str, lowered: str | None, core: bool, spans: set[tuple[int, int]]
) -> list[dict[str, Any]]:
    """The cues of ``state`` in one customer turn. The built-in phrase lists mark the state with any one
    cue; in the core tier the weighted cues of the core reader are added, and the turn is in the state when
    the cues add up to ``lx.COMPLAINT_THRESHOLD``. Cues right after a negation, or naming the topic of a plain
    question or a hypothesis (:func:`_is_topic`), do not count. A cue typed in capitals or said as a sentence
    of its own ("Again.", "AGAIN") counts half as much again."""
    found: list[dict[str, Any]] = []
    readers = [(_builtin()[state], True)]
    if core:
        readers.append((_core_reader()[state], False))
    total = 0.0
    strong = False
    seen: set[tuple[int, int]] = set(spans)
    for phrases, builtin in readers:
        kept = 0
        for a, b, weight in _weighted_matches(text, phrases, lowered):
            if (a, b) in seen or _is_topic(state, text, a, b):
                continue
            seen.add((a, b))
            said = text[a:b]
            if (
                builtin
                and said[:5].lower() in ("cance", "close")
                and _REQUEST_BEFORE.search(text, max(a - 40, 0), a)
            ):
                continue  # "I'd like to cancel my membership": a request
            if not builtin and (
                (said.isupper() and sum(c.isalpha() for c in said) >= 3) or _said_alone(text, a, b)
            ):
                weight *= 1.5
            strong = strong or builtin
            total += weight
            found.append({"turn": index, "text": said, "start": a, "end": b, "weight": round(weight, 2)})
            kept += 1
            if kept >= CUES_KEPT and (strong or total >= lx.COMPLAINT_THRESHOLD):
                break  # the state is read and the evidence is full: a long turn is not read to its end
    if strong or total >= lx.COMPLAINT_THRESHOLD - 1e-9:
        return found
    return []


def _said_alone(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is a sentence of its own ("… a single. Again.")."""
    before, after = _sentence_around(text, start, end)
    return not before.strip() and after.strip() in (".", "!", "?", "!!", "?!", "...", "")


def _weighted_matches(text: str, phrases: Any, lowered: str | None) -> Iterator[tuple[int, int, float]]:
    """Every match of a phrase list in ``text`` with its weight, except those right after a negation."""
    lower_rx, any_case_rx, weights, scanner = phrases[:4]
    if lowered is None:
        matches: Any = any_case_rx.finditer(text)
    elif scanner is None:
        matches = lower_rx.finditer(lowered)
    else:
        matches = finditer_from(lower_rx, lowered, scanner)
    negation = _negation()
    for m in matches:
        a, b = m.span()
        if not negation.search(text, max(a - 40, 0), a):
            yield a, b, weights[m.lastgroup or ""]


@lru_cache(maxsize=64)
def _extra(phrases: tuple[str, ...]) -> Any:
    import re

    return _phrases([(r"\s+".join(re.escape(w) for w in p.lower().split()), 1.0) for p in phrases], first=".")


def customer_state(
    conversation: Conversation,
    *,
    extra_cues: Mapping[str, Sequence[str]] | None = None,
    tone_model: str = "core",
    thresholds: Mapping[str, float] | None = None,
) -> CustomerState:
    """Read the customer's state from ``conversation`` (see the module docstring); ``tone_model`` is the tier
    (``embedding`` adds the learned reading and needs the ``[voice]`` extra), ``thresholds`` the probability
    per state at which the learned reading marks it (default the model's own).

    The last readings are kept: a streamed reply is checked sentence by sentence against the same
    conversation, which is read once (the state is shared; treat it as read-only)."""
    check_tier(tone_model)
    cue_key = tuple(sorted((s, tuple(v)) for s, v in (extra_cues or {}).items()))
    return _read_state(conversation, cue_key, tone_model, tuple(sorted((thresholds or {}).items())))


@lru_cache(maxsize=8)  # few: a conversation may hold megabytes; enough for concurrent streams
def _read_state(
    conversation: Conversation,
    cue_key: tuple[tuple[str, tuple[str, ...]], ...],
    tone_model: str,
    threshold_key: tuple[tuple[str, float], ...],
) -> CustomerState:
    extra_cues = dict(cue_key)
    thresholds = dict(threshold_key)
    turns = conversation.customer_turns()
    recent = {i for i, _ in turns[-RECENT_TURNS:]}
    cues: dict[str, list[dict[str, Any]]] = {s: [] for s in STATES}
    for state in STATES:
        extra = tuple(p for p in extra_cues.get(state, ()) if p.strip())
        for index, turn in turns:
            if state == "upset" and index not in recent:
                continue
            low = turn.text.lower()
            lowered = low if len(low) == len(turn.text) else None
            spans: set[tuple[int, int]] = set()
            if extra:  # the brand's own cues mark the state wherever they stand
                _weight, found = _match_patterns(turn.text, _extra(extra), lowered, negation=_negation())
                cues[state].extend(
                    {"turn": index, "text": d.text, "start": d.start, "end": d.end} for d in found
                )
                spans.update((d.start, d.end) for d in found)
            cues[state].extend(_turn_cues(state, index, turn.text, lowered, tone_model == "core", spans))
    last_index, last = turns[-1]
    profile = profile_text(last.text)
    # the hand-built, sentence-wise sentiment (VADER and news cues): the learned one reads exclamation marks
    # and capitals as the upbeat copy of the tone corpus, which a shouting customer is not
    sentiment = profile.features.get("rule_sentiment", profile.values["sentiment"])
    if sentiment <= UPSET_SENTIMENT and not _asks_for_information(last.text):
        cues["upset"].append(
            {"turn": last_index, "text": "(customer sentiment)", "measured": round(sentiment, 4)}
        )
    shouted = profile.counts["caps_words"] + profile.counts["exclamations"]
    if shouted >= SHOUTING and sentiment < 0.05:
        # capitals and exclamation marks in a message that is not positive: shouting, not delight
        cues["upset"].append({"turn": last_index, "text": "(shouting)", "measured": shouted})
    if tone_model == "embedding":
        _learned_cues(turns[-LEARNED_TURNS:], recent, cues, thresholds)
    states = tuple(s for s in STATES if cues[s])
    return CustomerState(states, cues, sentiment, last_index, tone_model)


def _asks_for_information(text: str) -> bool:
    """Whether the last sentence of ``text`` asks a plain question (see ``_INFO_QUESTION``)."""
    tail = text.rstrip()[-300:]
    cut = max(tail.rfind(". "), tail.rfind("! "), tail.rfind("\n"))
    return _INFO_QUESTION.search(tail[cut + 1 :].strip()) is not None


@lru_cache(maxsize=1)
def _learned() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(CONTEXT_MODEL_FILE.read_text(encoding="utf-8"))
    return data


def _probabilities(texts: Sequence[str]) -> dict[str, list[float]]:
    """The learned reading's probability of each state for each text (one customer turn each)."""
    from brandrail.voice.embed import get_numpy_embedder

    model = _learned()
    rows: list[Any] = list(get_numpy_embedder().embed([read_as_meant(t)[0] for t in texts])) if texts else []
    out: dict[str, list[float]] = {}
    for state in STATES:
        head = model["states"][state]
        weights = head["weights"]
        found = []
        for row in rows:
            # an exactly rounded sum, so the probability does not depend on the other turns or the CPU's BLAS
            z = head["intercept"] + math.fsum(w * float(x) for w, x in zip(weights, row, strict=True))
            found.append(1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z)))
        out[state] = found
    return out


def _learned_cues(
    turns: Sequence[tuple[int, Any]],
    recent: set[int],
    cues: dict[str, list[dict[str, Any]]],
    thresholds: Mapping[str, float],
) -> None:
    """Add the learned reading's cue to each state for the turns it reads (upset: the recent ones; a loss:
    all), when the probability reaches the state's threshold (the policy's, else the model's)."""
    model = _learned()
    probabilities = _probabilities([t.text for _, t in turns])
    for state in STATES:
        threshold = float(thresholds.get(state, model["states"][state]["threshold"]))
        for (index, _turn), p in zip(turns, probabilities[state], strict=True):
            if state == "upset" and index not in recent:
                continue
            if p >= threshold:
                cues[state].append(
                    {
                        "turn": index,
                        "text": "(learned reading)",
                        "measured": round(p, 4),
                        "threshold": threshold,
                        "model": f"context_model {model['version']}",
                    }
                )


@dataclass(frozen=True)
class LabelledMessage:
    """A customer message with the states a person read in it (for :func:`evaluate_states`)."""

    text: str
    upset: bool
    loss: bool

    def has(self, state: str) -> bool:
        return bool(getattr(self, state))


def wilson_interval(k: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """The Wilson score interval of ``k`` successes in ``n`` (95% by default); (0, 1) when ``n`` is 0."""
    if n == 0:
        return 0.0, 1.0
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def state_figures(pred: Sequence[bool], truth: Sequence[bool], ordinary: Sequence[bool]) -> dict[str, Any]:
    """How a reading of one state (``pred``, one flag per message) compares with the labels: found of the
    labelled ``truth``, precision, and how many ``ordinary`` messages (in neither state) it flags, with 95%
    Wilson intervals."""
    hits = sum(p and t for p, t in zip(pred, truth, strict=True))
    positives, flagged, plain = sum(truth), sum(pred), sum(ordinary)
    wrong = sum(p and n for p, n in zip(pred, ordinary, strict=True))
    return {
        "found": hits,
        "of": positives,
        "recall": round(hits / positives, 4) if positives else None,
        "recall_95": [round(x, 4) for x in wilson_interval(hits, positives)],
        "precision": round(hits / flagged, 4) if flagged else None,
        "ordinary_flagged": wrong,
        "ordinary": plain,
        "ordinary_flagged_share": round(wrong / plain, 4) if plain else None,
        "ordinary_flagged_95": [round(x, 4) for x in wilson_interval(wrong, plain)],
    }


#: Thresholds of the learned reading reported by :func:`evaluate_states` (the trade-off a policy moves along).
THRESHOLDS: tuple[float, ...] = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def evaluate_states(
    messages: Sequence[LabelledMessage],
    *,
    tone_model: str = "core",
    extra_cues: Mapping[str, Sequence[str]] | None = None,
    thresholds: Mapping[str, float] | None = None,
) -> dict[str, Any]:
    """How well each state is read from ``messages`` (each the only customer turn of a conversation), as
    :func:`customer_state` reads it: per state the share found (recall) and the share of messages in neither
    state read as in it, with 95% Wilson intervals, and precision. In the embedding tier also the same
    figures at each of :data:`THRESHOLDS`, so a brand can choose ``voice.context.<state>.threshold`` on its
    own messages."""
    check_tier(tone_model)
    cue_key = tuple(sorted((s, tuple(v)) for s, v in (extra_cues or {}).items()))
    # what the tier reads without its learned model: in the embedding tier the phrase lists alone (the core
    # tier's weighted reader is not part of it), so that list-or-model below is what customer_state reads
    lists_tier = "core" if tone_model == "core" else _LISTS_ONLY
    core = [
        _read_state(Conversation((Turn("customer", m.text),)), cue_key, lists_tier, ()).states
        for m in messages
    ]
    probabilities = _probabilities([m.text for m in messages]) if tone_model == "embedding" else {}
    model = _learned() if probabilities else {}
    neither = [not (m.upset or m.loss) for m in messages]
    report: dict[str, Any] = {"messages": len(messages), "tone_model": tone_model, "states": {}}
    if model:
        report["model"] = f"context_model {model['version']}"
    for state in STATES:
        truth = [m.has(state) for m in messages]
        lists = [state in found for found in core]
        threshold = (thresholds or {}).get(state, model["states"][state]["threshold"] if model else None)

        if not probabilities:
            report["states"][state] = state_figures(lists, truth, neither)
            continue
        probs = probabilities[state]
        assert threshold is not None

        def read_at(t: float, lists: list[bool] = lists, probs: list[float] = probs) -> list[bool]:
            """The state as read with the learned reading's threshold at ``t`` (phrase lists or the model)."""
            return [lst or p >= t for lst, p in zip(lists, probs, strict=True)]

        entry = state_figures(read_at(threshold), truth, neither)
        entry["threshold"] = threshold
        entry["by_threshold"] = {f"{t:.1f}": state_figures(read_at(t), truth, neither) for t in THRESHOLDS}
        report["states"][state] = entry
    return report


@lru_cache(maxsize=1)
def _negation() -> Any:
    import re

    # "not angry", "no complaints", "never been happier": a cue right after a negation does not count
    # (and in German, French and Spanish: "nicht verärgert", "pas déçu", "no estoy enfadado")
    return re.compile(
        r"(?:\bnot|\bno|\bnever|\bwithout|\bn't|\bnicht|\bkein\w*|\bpas|\bjamais|\bnunca|\bni)\s+(?:\w+\s+)?$",
        re.IGNORECASE,
    )
