"""``claims:`` — marketing claims that need substantiation, a qualifier or terms (BR2xx)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, ValidationInfo, field_validator

from brandrail.policy.sections.base import NonEmptyStr, RegexList, Section, StrList, default_of, new_list

__all__ = [
    "CLAIM_CATEGORIES",
    "EMPTY_PRICING_REQUIRED",
    "EMPTY_SUBSTANTIATION",
    "ClaimCategory",
    "ClaimsSection",
    "PricingClaims",
    "Substantiation",
]

#: Error messages of the claims section (asserted exactly by the tests).
EMPTY_PRICING_REQUIRED = (
    "must list at least one phrase that points to an offer's terms (e.g. 'terms apply'); to stop checking "
    "pricing claims set claims.pricing.enabled: false or rules: {BR206: off}"
)
EMPTY_SUBSTANTIATION = "must list at least one claim phrase this evidence covers (e.g. [lightest])"

CLAIM_CATEGORIES = ("superlative", "guarantee", "health", "financial", "environmental", "pricing")


class ClaimCategory(Section):
    """One kind of claim: the built-in phrases plus the brand's own, and what makes a claim acceptable."""

    enabled: bool = True
    builtin: bool = Field(default=True, description="Use brandrail's built-in phrase list for this kind.")
    terms: StrList = Field(default_factory=new_list, description="More phrases of this kind to flag.")
    patterns: RegexList = Field(
        default_factory=new_list,
        description="The brand's own regular expressions for claims of this kind, over the normalised, "
        r"lower-cased text, e.g. `'\$\d+ off'` or `'save \d+%'` for pricing.",
    )
    allow: StrList = Field(
        default_factory=new_list, description="Phrases never flagged (removes built-in ones)."
    )
    qualifiers: StrList = Field(
        default_factory=new_list,
        description="Text that, in the same sentence (see `qualifier_scope`), makes a claim acceptable.",
    )


class PricingClaims(ClaimCategory):
    """Pricing claims ("free", "50% off", "was/now") need the offer's terms in the message (BR206)."""

    required: StrList = Field(
        default_factory=lambda: [
            "terms apply",
            "t&cs apply",
            "t&c apply",
            "conditions apply",
            "see terms",
            "terms and conditions",
            # the other ways UK and US copy points to its terms
            "ts&cs apply",
            "t & cs apply",
            "ts & cs apply",
            "t&c's apply",
            "see t&cs",
            "full t&cs",
            "full terms",
            # the UK's regulated pointer for credit offers
            "credit subject to status",
        ],
        description="Any one of these in the message satisfies a pricing claim.",
    )

    @field_validator("required")
    @classmethod
    def _some_required(cls, value: list[str], info: ValidationInfo) -> list[str]:
        # with no phrase nothing could satisfy a pricing claim, and BR206 used to pass every message instead
        if not value and info.data.get("enabled", True):
            raise ValueError(EMPTY_PRICING_REQUIRED)
        return value


class Substantiation(Section):
    """A claim the brand can back: the phrases it covers and where the evidence is filed."""

    id: NonEmptyStr = Field(description="Claim id, e.g. CLM-2025-004.")
    claim: StrList = Field(description="Phrases this substantiation covers, e.g. 'carbon neutral'.")
    evidence: NonEmptyStr = Field(description="Reference to the evidence: a report, certificate or test id.")
    expires: dt.date | None = Field(
        default=None, description="After this date the claim is unsubstantiated again."
    )
    channels: StrList = Field(default_factory=new_list, description="Channels it covers; all when empty.")

    @field_validator("claim")
    @classmethod
    def _some_claim(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError(EMPTY_SUBSTANTIATION)
        return value


class ClaimsSection(Section):
    superlative: ClaimCategory = Field(default_factory=default_of(ClaimCategory))
    guarantee: ClaimCategory = Field(default_factory=default_of(ClaimCategory))
    health: ClaimCategory = Field(default_factory=default_of(ClaimCategory))
    financial: ClaimCategory = Field(default_factory=default_of(ClaimCategory))
    environmental: ClaimCategory = Field(default_factory=default_of(ClaimCategory))
    pricing: PricingClaims = Field(default_factory=default_of(PricingClaims))
    substantiated: list[Substantiation] = Field(default_factory=new_list)
    qualifier_scope: Literal["sentence", "message"] = "sentence"
