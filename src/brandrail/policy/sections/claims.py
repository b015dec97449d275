"""``claims:`` section of the policy."""

from __future__ import annotations

from brandrail.policy.sections.base import Section

__all__ = ["ClaimsSection"]


class ClaimsSection(Section):
    """Settings for the claims checks (filled in by the issue that builds them)."""
