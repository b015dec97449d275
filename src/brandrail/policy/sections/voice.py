"""``voice:`` section of the policy: tone targets, jargon, on-/off-brand examples, voice similarity.

Example::

    voice:
      targets:                      # a range per tone dimension (see docs/voice.md for each one's scale)
        urgency: {max: 0.3}
        warmth: {min: 0.2}
        reading_grade: {max: 9}
      subject_targets:              # the same, for an e-mail's subject line
        urgency: {max: 0.3}
      jargon: [synergy, omnichannel]  # added to the built-in jargon list
      words:                        # the brand's own phrases, added to the built-in tone word lists
        urgency: ["before the bell rings"]            # a list: phrases that raise the dimension
        formality: {raise: ["we write to"], lower: ["no worries"]}
      context:                      # judging a reply with the customer's message in view (conversation=)
        upset: {targets: {warmth: {min: 0.5}, humour: {max: 0.2}}}
        loss: {targets: {warmth: {min: 0.6}, humour: {max: 0.1}, excitement: {max: 0.3}}}
      examples:
        on_brand: ["Your tent's on its way — we hope it sees some good hills."]
        off_brand: ["ACT NOW! Only 3 left — don't miss out!!!"]
        dir: voice/                 # optional: on_brand/ and off_brand/ folders of .txt/.md files,
                                    # relative to the policy file that sets it
      never:                        # the guideline's rules: what the brand never does, with short examples
        - id: cure                  # optional; a short name shown in findings (default: never-1, never-2, ...)
          rule: "Promise a cure, a guaranteed result or a fixed recovery time."
          examples: ["This treatment will cure your arthritis.", "Guaranteed relief in two weeks."]
      similarity: {min_probability: 0.5}
      tone_model: core              # or `embedding`: the tone model with the packaged sentence embedding

Channel overrides merge onto this section (``channels: {email: {voice: {targets: {urgency: {max: 0.2}}}}}``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, field_validator, model_validator

from brandrail.policy.sections.base import (
    NonEmptyStr,
    Section,
    SeverityField,
    StrList,
    default_of,
    new_dict,
    new_list,
)

__all__ = [
    "TONE_DIMENSIONS",
    "ReplyContext",
    "ReplyContextRule",
    "ToneRange",
    "ToneWordLists",
    "ToneWords",
    "VoiceExamples",
    "VoiceNever",
    "VoiceSection",
    "VoiceSimilarity",
]

#: Every tone dimension a target may name (the keys of a tone profile's ``values``).
TONE_DIMENSIONS: tuple[str, ...] = (
    "formality",
    "sentiment",
    "warmth",
    "urgency",
    "excitement",
    "humour",
    "reading_grade",
    "flesch_kincaid_grade",
    "gunning_fog",
    "smog",
    "coleman_liau",
    "automated_readability",
    "person_we",
    "person_you",
    "person_i",
    "person_they",
    "sentence_length",
    "passive",
    "jargon",
)


class ToneRange(Section):
    """An allowed range of one tone dimension: ``min`` and/or ``max`` (inclusive)."""

    min: float | None = Field(default=None, description="Lowest allowed value (inclusive).")
    max: float | None = Field(default=None, description="Highest allowed value (inclusive).")
    severity: SeverityField | None = Field(default=None, description="Severity of a finding for this target.")

    @model_validator(mode="after")
    def _bounds(self) -> ToneRange:
        if self.min is None and self.max is None:
            raise ValueError("a target needs `min`, `max` or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min ({self.min}) is greater than max ({self.max})")
        return self

    def contains(self, value: float) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)

    def describe(self) -> str:
        if self.min is not None and self.max is not None:
            return f"{self.min:g}–{self.max:g}"
        if self.min is not None:
            return f"≥ {self.min:g}"
        return f"≤ {self.max:g}"


class VoiceExamples(Section):
    """On-brand and off-brand example messages, inline and/or from a folder."""

    # an empty list written out is a mistake (a template not filled in), not "no examples": the key is left
    # out for that
    on_brand: StrList = Field(default_factory=new_list, min_length=1, validate_default=False)
    off_brand: StrList = Field(default_factory=new_list, min_length=1, validate_default=False)
    dir: NonEmptyStr | None = Field(
        default=None,
        description="Folder with on_brand/ and off_brand/ subfolders of .txt/.md files (one message each), "
        "relative to the policy file that sets it.",
    )


class VoiceNever(Section):
    """One of the guideline's rules: something the brand never does, with short example messages that do it.

    The voice model (BR502) measures how close a message comes to each rule's examples and names the closest
    rule in its evidence; the examples also count as off-brand examples.
    """

    id: NonEmptyStr | None = Field(
        default=None, description="Short name shown in findings (default: never-<position>)."
    )
    rule: NonEmptyStr = Field(description="What the brand never does, in the guideline's words.")
    examples: list[NonEmptyStr] = Field(
        min_length=1, description="Short messages that break the rule (at least one; two or three is better)."
    )


class VoiceSimilarity(Section):
    """Settings of the voice-similarity check (BR502)."""

    enabled: bool = True
    min_probability: float = Field(default=0.5, ge=0.0, le=1.0, description="Flag below this P(on-brand).")
    neighbours: int = Field(
        default=2, ge=1, le=10, description="Nearest examples of each kind shown as evidence."
    )
    int8: bool = Field(
        default=False,
        description="Embed with int8-quantised linear layers: about 1.4x faster, slightly less accurate.",
    )


def _check_dimensions(value: dict[str, ToneRange]) -> dict[str, ToneRange]:
    for name in value:
        if name not in TONE_DIMENSIONS:
            import difflib  # only on an error: keeps it out of start-up

            close = difflib.get_close_matches(name, TONE_DIMENSIONS, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(TONE_DIMENSIONS)}"
            raise ValueError(f"unknown tone dimension {name!r}; {hint}")
    return value


def _words_shorthand(value: object) -> object:
    """``urgency: [a, b]`` is short for ``urgency: {raise: [a, b]}``."""
    if isinstance(value, (str, list)):
        return {"raise": value}
    return value


class ToneWords(Section):
    """A brand's own phrases for one tone dimension (matched case-insensitively, as whole words)."""

    raise_: StrList = Field(
        default_factory=new_list, alias="raise", description="Phrases that raise the value."
    )
    lower: StrList = Field(default_factory=new_list, description="Phrases that lower the value.")


_WordsField = Annotated[ToneWords, BeforeValidator(_words_shorthand)]


class ToneWordLists(Section):
    """The brand's phrases per dimension, added to the built-in lists (see docs/voice.md)."""

    formality: _WordsField = Field(
        default_factory=default_of(ToneWords), description="Stiff (raise) or casual (lower)."
    )
    urgency: _WordsField = Field(default_factory=default_of(ToneWords), description="Pushy phrases (raise).")
    warmth: _WordsField = Field(
        default_factory=default_of(ToneWords), description="Warm (raise) or cold (lower)."
    )
    excitement: _WordsField = Field(default_factory=default_of(ToneWords), description="Hype (raise).")
    humour: _WordsField = Field(default_factory=default_of(ToneWords), description="Playful phrases (raise).")

    def as_mapping(self) -> dict[str, tuple[list[str], list[str]]]:
        """Dimension → (raising phrases, lowering phrases), only the dimensions the policy extends."""
        out: dict[str, tuple[list[str], list[str]]] = {}
        for name in ("formality", "urgency", "warmth", "excitement", "humour"):
            words: ToneWords = getattr(self, name)
            if words.raise_ or words.lower:
                out[name] = (list(words.raise_), list(words.lower))
        return out


class ReplyContextRule(Section):
    """Targets that apply to a reply when the customer's message shows a state (upset, a loss)."""

    targets: dict[str, ToneRange] = Field(default_factory=new_dict)
    cues: StrList = Field(
        default_factory=new_list,
        min_length=1,
        validate_default=False,  # written out empty is a mistake; left out is "no extra phrases"
        description="Extra phrases that mark a customer message as in this state.",
    )
    threshold: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="Probability at which the learned reading (voice.tone_model: embedding) marks this state; "
        "default the model's own (0.5). Higher reads fewer ordinary messages as in the state, and misses more.",
    )

    @field_validator("targets")
    @classmethod
    def _known_dimensions(cls, value: dict[str, ToneRange]) -> dict[str, ToneRange]:
        return _check_dimensions(value)


class ReplyContext(Section):
    """How to judge a reply given the conversation before it (``conversation=`` on check)."""

    upset: ReplyContextRule | None = Field(
        default=None, description="When the customer is angry, frustrated or complaining."
    )
    loss: ReplyContextRule | None = Field(
        default=None,
        description="When the customer reports a loss: a death, an illness, fraud or theft, lost money or data.",
    )


class VoiceSection(Section):
    """Settings for the voice and tone checks (BR5xx)."""

    targets: dict[str, ToneRange] = Field(default_factory=new_dict)
    subject_targets: dict[str, ToneRange] = Field(
        default_factory=new_dict,
        description="Ranges for the e-mail subject line (from meta, front matter `subject:` or the HTML <title>).",
    )
    jargon: StrList = Field(default_factory=new_list)
    words: ToneWordLists = Field(default_factory=default_of(ToneWordLists))
    context: ReplyContext = Field(default_factory=default_of(ReplyContext))
    examples: VoiceExamples = Field(default_factory=default_of(VoiceExamples))
    never: list[VoiceNever] = Field(
        default_factory=new_list,
        description="The guideline's rules: what the brand never does, with examples.",
    )
    similarity: VoiceSimilarity = Field(default_factory=default_of(VoiceSimilarity))
    tone_model: Literal["core", "embedding"] = Field(
        default="core",
        description="The learned tone model behind the six rated dimensions: `core` (pure Python) or "
        "`embedding` (adds the packaged sentence embedding; needs the [voice] extra).",
    )

    @field_validator("targets", "subject_targets")
    @classmethod
    def _known_dimensions(cls, value: dict[str, ToneRange]) -> dict[str, ToneRange]:
        return _check_dimensions(value)

    @field_validator("never")
    @classmethod
    def _unique_never_ids(cls, value: list[VoiceNever]) -> list[VoiceNever]:
        seen: set[str] = set()
        for position, item in enumerate(value, start=1):
            name = item.id or f"never-{position}"
            if name in seen:
                raise ValueError(f"two `never` rules share the id {name!r}; give each rule its own id")
            seen.add(name)
        return value

    def never_ids(self) -> list[str]:
        """The id of each ``never`` rule, in order (``never-<position>`` when the policy gives none)."""
        return [item.id or f"never-{k}" for k, item in enumerate(self.never, start=1)]
