"""``gate:`` section of the policy."""

from __future__ import annotations

from brandrail.policy.sections.base import Section

__all__ = ["GateSection"]


class GateSection(Section):
    """Settings for the gate checks (filled in by the issue that builds them)."""
