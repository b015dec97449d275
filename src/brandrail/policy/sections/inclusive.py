"""``inclusive:`` section of the policy."""

from __future__ import annotations

from brandrail.policy.sections.base import Section

__all__ = ["InclusiveSection"]


class InclusiveSection(Section):
    """Settings for the inclusive checks (filled in by the issue that builds them)."""
