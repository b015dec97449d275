"""``inclusive:`` — non-inclusive and offensive language (BR6xx)."""

from __future__ import annotations

from pydantic import Field

from brandrail.findings import Severity
from brandrail.policy.sections.base import NonEmptyStr, Section, SeverityField, StrList, default_of, new_list

__all__ = ["ContextException", "InclusiveEntry", "InclusiveSection", "ProfanityEntry", "ProfanitySettings"]


class InclusiveEntry(Section):
    """A term to avoid, with alternatives (BR601)."""

    term: NonEmptyStr
    alternatives: StrList = Field(default_factory=new_list)
    category: str = "general"
    note: str | None = None
    inflections: bool = False
    severity: SeverityField = Severity.WARNING


class ContextException(Section):
    """``term`` is fine inside one of the ``context`` phrases (on the listed channels, or all when empty)."""

    term: NonEmptyStr
    context: StrList = Field(description="Phrases in which the term is acceptable, e.g. 'disabled account'.")
    channels: StrList = Field(default_factory=new_list)


class ProfanityEntry(Section):
    term: NonEmptyStr
    sureness: float = Field(
        default=1.0, ge=0, le=1, description="How surely the word is profane (1 = always)."
    )


class ProfanitySettings(Section):
    """Profanity (BR602): built-in words with a sureness level; flagged at or above `min_sureness`."""

    enabled: bool = True
    builtin: bool = True
    min_sureness: float = Field(default=0.6, ge=0, le=1)
    add: list[ProfanityEntry] = Field(default_factory=new_list)
    remove: StrList = Field(default_factory=new_list)


class InclusiveSection(Section):
    enabled: bool = True
    builtin: bool = Field(default=True, description="Use brandrail's curated list.")
    add: list[InclusiveEntry] = Field(default_factory=new_list)
    remove: StrList = Field(default_factory=new_list, description="Terms to drop from the built-in list.")
    exceptions: list[ContextException] = Field(default_factory=new_list)
    profanity: ProfanitySettings = Field(default_factory=default_of(ProfanitySettings))
