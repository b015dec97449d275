"""``terms:`` — words the brand bans, prefers, keeps consistent, and competitors it does not name."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator, model_validator

from brandrail.findings import Severity
from brandrail.policy.sections.base import NonEmptyStr, RegexList, Section, SeverityField, StrList, new_list

__all__ = ["BannedTerm", "Competitor", "ConsistencyGroup", "PreferredTerm", "TermsSection"]


class BannedTerm(Section):
    """A word or phrase that must not appear (BR101)."""

    term: NonEmptyStr
    replacement: StrList = Field(default_factory=new_list, description="Suggested words to use instead.")
    message: str | None = None
    severity: SeverityField = Severity.ERROR
    inflections: bool = Field(default=False, description="Also match plurals and -er/-est/-ed/-ing forms.")
    case_sensitive: bool = Field(
        default=False, description="Match only with this capitalisation (compared on the normalised text)."
    )
    allow: StrList = Field(
        default_factory=new_list,
        description="Phrases in which the term is fine, e.g. a place name: `{term: bloody, allow: [Bloody Foreland]}`.",
    )
    unless: RegexList = Field(
        default_factory=new_list,
        description="Regular expressions over the normalised, lower-cased sentence around the term; when one "
        "matches, the use is fine (context exceptions).",
    )
    max_edits: int = Field(
        default=0,
        ge=0,
        le=2,
        description="Also match misspellings up to this many letter edits (opt-in; 1 for terms of 5+ letters, "
        "2 for 8+). Costs precision: see docs/content.md.",
    )


class PreferredTerm(Section):
    """The brand's word ``term`` and the words it replaces (BR102): ``{term: sign in, instead_of: [login]}``."""

    term: NonEmptyStr = Field(description="The preferred word or phrase.")
    instead_of: StrList = Field(default_factory=new_list, description="Words to replace with `term`.")
    inflections: bool = False
    message: str | None = None
    severity: SeverityField = Severity.WARNING


class Competitor(Section):
    """A competitor the brand does not name in its copy (BR105)."""

    name: NonEmptyStr
    variants: StrList = Field(default_factory=new_list, description="Other spellings and product names.")
    message: str | None = None
    severity: SeverityField = Severity.WARNING


class ConsistencyGroup(Section):
    """Spellings of one word of which a document uses only one (BR106), e.g. ``[email, e-mail]``."""

    forms: StrList = Field(description="Two or more spellings of the same word.")
    prefer: str | None = Field(
        default=None, description="The spelling to settle on; the first one used when unset."
    )

    @model_validator(mode="before")
    @classmethod
    def _list_shorthand(cls, value: Any) -> Any:
        return {"forms": value} if isinstance(value, list) else value

    @field_validator("forms")
    @classmethod
    def _two_or_more(cls, value: list[str]) -> list[str]:
        if len(value) < 2:
            raise ValueError("a consistency group needs at least two forms")
        return value


class TermsSection(Section):
    banned: list[BannedTerm] = Field(default_factory=new_list)
    preferred: list[PreferredTerm] = Field(default_factory=new_list)
    competitors: list[Competitor] = Field(default_factory=new_list)
    consistency: list[ConsistencyGroup] = Field(default_factory=new_list)
    trademark_symbols: bool = Field(
        default=True, description="Check `brand.trademarks[].symbol` on first (or every) use (BR104)."
    )
