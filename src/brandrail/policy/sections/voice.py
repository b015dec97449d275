"""``voice:`` section of the policy."""

from __future__ import annotations

from brandrail.policy.sections.base import Section

__all__ = ["VoiceSection"]


class VoiceSection(Section):
    """Settings for the voice checks (filled in by the issue that builds them)."""
