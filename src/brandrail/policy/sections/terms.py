"""``terms:`` — words the brand bans, prefers or never spells another way."""

from __future__ import annotations

from pydantic import Field

from brandrail.findings import Severity
from brandrail.policy.sections.base import NonEmptyStr, Section, SeverityField, StrList

__all__ = ["BannedTerm", "TermsSection"]


class BannedTerm(Section):
    """A word or phrase that must not appear (BR101)."""

    term: NonEmptyStr
    replacement: StrList = Field(default_factory=list, description="Suggested words to use instead.")
    message: str | None = None
    severity: SeverityField = Severity.ERROR
    inflections: bool = Field(default=False, description="Also match plurals and -er/-est/-ed/-ing forms.")
    case_sensitive: bool = False


class TermsSection(Section):
    banned: list[BannedTerm] = Field(default_factory=list)
