"""``creative:`` section of the policy."""

from __future__ import annotations

from brandrail.policy.sections.base import Section

__all__ = ["CreativeSection"]


class CreativeSection(Section):
    """Settings for the creative checks (filled in by the issue that builds them)."""
