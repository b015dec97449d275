"""``disclosures:`` section of the policy."""

from __future__ import annotations

from brandrail.policy.sections.base import Section

__all__ = ["DisclosuresSection"]


class DisclosuresSection(Section):
    """Settings for the disclosures checks (filled in by the issue that builds them)."""
