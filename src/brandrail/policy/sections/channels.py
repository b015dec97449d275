"""``channels:`` — limits per channel and overrides of any other section for that channel."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from brandrail.policy.sections.base import RegexList, Section, StrList, new_list

__all__ = ["OVERRIDABLE_SECTIONS", "ChannelPolicy"]

#: Top-level sections a channel may override; the override merges onto the base section.
OVERRIDABLE_SECTIONS = (
    "brand",
    "terms",
    "claims",
    "disclosures",
    "voice",
    "privacy",
    "inclusive",
    "code_text",
    "creative",
    "rules",
)


class ChannelPolicy(Section):
    """Limits for one channel plus overrides of other sections (merged onto the base policy)."""

    kind: Literal["sms", "email", "push", "social", "web", "chat", "ad", "other"] = "other"
    max_length: int | None = Field(
        default=None, gt=0, description="Maximum characters of the message (BR401)."
    )
    pass_mark: float | None = Field(default=None, ge=0, le=100, description="Minimum overall score to pass.")

    # Limits (BR402-BR408); None means unchecked.
    max_segments: int | None = Field(
        default=None, gt=0, description="Maximum SMS segments (GSM-7 153/UCS-2 67 per part) (BR402)."
    )
    subject_max: int | None = Field(
        default=None, gt=0, description="Maximum characters of an e-mail subject (BR403)."
    )
    preheader_max: int | None = Field(
        default=None, gt=0, description="Maximum characters of an e-mail preheader (BR404)."
    )
    max_exclamations: int | None = Field(
        default=None, ge=0, description="Maximum '!' in the message (BR405)."
    )
    max_caps_words: int | None = Field(default=None, ge=0, description="Maximum ALL-CAPS words (BR406).")
    caps_min_length: int = Field(default=3, ge=2, description="Shorter all-caps words are not counted.")
    caps_allow: StrList = Field(
        default_factory=new_list, description="All-caps words that are fine (acronyms, marks)."
    )
    caps_allow_patterns: RegexList = Field(
        default_factory=new_list,
        description="Regular expressions over the original text; all-caps words inside a match are fine "
        r"(e.g. `'\b[A-Z]{2,}-\d+\b'` for codes).",
    )
    caps_allow_lines: RegexList = Field(
        default_factory=new_list,
        description="Regular expressions; all-caps words on a line that one of them matches are fine "
        "(e.g. `'^P\\.S\\.'` or `'^TERMS:'`).",
    )
    max_emoji: int | None = Field(default=None, ge=0, description="Maximum emoji; 0 bans them (BR407).")
    banned_emoji: StrList = Field(
        default_factory=new_list, description="Emoji never allowed on this channel (BR407)."
    )
    max_ctas: int | None = Field(default=None, ge=0, description="Maximum calls to action (BR408).")
    cta_phrases: StrList = Field(
        default_factory=new_list, description="More call-to-action phrases to count."
    )

    # Overrides, kept raw here and validated by the section models when merged (see Policy.for_channel).
    brand: dict[str, Any] | None = None
    terms: dict[str, Any] | None = None
    claims: dict[str, Any] | None = None
    disclosures: dict[str, Any] | None = None
    voice: dict[str, Any] | None = None
    privacy: dict[str, Any] | None = None
    inclusive: dict[str, Any] | None = None
    code_text: dict[str, Any] | None = None
    creative: dict[str, Any] | None = None
    rules: dict[str, Any] | None = None
