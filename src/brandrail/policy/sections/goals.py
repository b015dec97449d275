"""``goals:`` section of the policy."""

from __future__ import annotations

from brandrail.policy.sections.base import Section

__all__ = ["GoalsSection"]


class GoalsSection(Section):
    """Settings for the goals checks (filled in by the issue that builds them)."""
