"""``privacy:`` section of the policy."""

from __future__ import annotations

from brandrail.policy.sections.base import Section

__all__ = ["PrivacySection"]


class PrivacySection(Section):
    """Settings for the privacy checks (filled in by the issue that builds them)."""
