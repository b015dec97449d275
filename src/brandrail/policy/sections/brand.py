"""``brand:`` — who the brand is: name, products and trademarks."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from brandrail.policy.sections.base import NonEmptyStr, Section, StrList, new_list

__all__ = ["BrandSection", "Trademark"]


class Trademark(Section):
    """A name that must be spelled and cased exactly as ``term`` (BR103)."""

    term: NonEmptyStr = Field(description="The one correct spelling, e.g. 'GORE-TEX' or 'iPhone'.")
    variants: StrList = Field(default_factory=new_list, description="Other misspellings to catch.")
    symbol: Literal["®", "™", "℠"] | None = Field(default=None, description="Mark required by `symbol_on`.")
    symbol_on: Literal["first", "every", "none"] = "first"


class BrandSection(Section):
    name: str = ""
    products: StrList = Field(default_factory=new_list)
    trademarks: list[Trademark] = Field(default_factory=new_list)
    website: str | None = None
    postal_address: str | None = None
