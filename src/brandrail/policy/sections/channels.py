"""``channels:`` — limits per channel and overrides of any other section for that channel."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from brandrail.policy.sections.base import Section

__all__ = ["OVERRIDABLE_SECTIONS", "ChannelPolicy"]

#: Top-level sections a channel may override; the override merges onto the base section.
OVERRIDABLE_SECTIONS = ("brand", "terms", "claims", "disclosures", "voice", "privacy", "inclusive", "creative", "rules")


class ChannelPolicy(Section):
    """Limits for one channel plus overrides of other sections (merged onto the base policy)."""

    kind: Literal["sms", "email", "push", "social", "web", "chat", "ad", "other"] = "other"
    max_length: int | None = Field(default=None, gt=0, description="Maximum characters of the message (BR401).")
    pass_mark: float | None = Field(default=None, ge=0, le=100, description="Minimum overall score to pass.")

    # Overrides, kept raw here and validated by the section models when merged (see Policy.for_channel).
    brand: dict[str, Any] | None = None
    terms: dict[str, Any] | None = None
    claims: dict[str, Any] | None = None
    disclosures: dict[str, Any] | None = None
    voice: dict[str, Any] | None = None
    privacy: dict[str, Any] | None = None
    inclusive: dict[str, Any] | None = None
    creative: dict[str, Any] | None = None
    rules: dict[str, Any] | None = None
