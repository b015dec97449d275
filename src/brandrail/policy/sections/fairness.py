"""``fairness:`` section of the policy."""

from __future__ import annotations

from brandrail.policy.sections.base import Section

__all__ = ["FairnessSection"]


class FairnessSection(Section):
    """Settings for the fairness checks (filled in by the issue that builds them)."""
