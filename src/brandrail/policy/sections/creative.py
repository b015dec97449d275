"""``creative:`` section of the policy: brand palette, image specs, contrast minimums and e-mail structure.

Every field has a default, so an empty (or missing) section validates. Colours are written as CSS hex
(``#1f5c3a`` or ``#fff``); they are normalised to lower-case 6-digit hex on load.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from brandrail.policy.sections.base import NonEmptyStr, Section, StrList, default_of, new_dict, new_list

__all__ = [
    "BrandColour",
    "ColourPair",
    "ContrastSettings",
    "CreativeSection",
    "EmailSettings",
    "HexColour",
    "ImageSpec",
    "MergeTagSettings",
    "PaletteSettings",
    "UtmSettings",
]

_HEX = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_RATIO = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[:/x]\s*(\d+(?:\.\d+)?)\s*$")


def _hex(value: str) -> str:
    m = _HEX.match(value.strip())
    if not m:
        raise ValueError(f"{value!r} is not a hex colour; write it like '#1f5c3a' or '#fff'")
    digits = m.group(1).lower()
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return "#" + digits


#: A colour in CSS hex notation, normalised to ``#rrggbb``.
HexColour = Annotated[str, AfterValidator(_hex)]


def _ratio(value: str) -> str:
    m = _RATIO.match(value)
    if not m or float(m.group(2)) == 0 or float(m.group(1)) == 0:
        raise ValueError(f"{value!r} is not an aspect ratio; write it like '1:1', '16:9' or '1.91:1'")
    return value.strip()


AspectRatio = Annotated[str, AfterValidator(_ratio)]


def ratio_value(text: str) -> float:
    """``'16:9'`` → 1.777…"""
    m = _RATIO.match(text)
    assert m is not None
    return float(m.group(1)) / float(m.group(2))


class BrandColour(Section):
    """A named brand colour."""

    name: NonEmptyStr = Field(description="What the brand calls it, e.g. 'Fern green'.")
    hex: HexColour = Field(description="The colour in sRGB hex, e.g. '#2f6b3b'.")


class PaletteSettings(Section):
    """How images are compared with the brand palette (BR701)."""

    max_delta_e: float = Field(
        default=12.0,
        gt=0,
        description="A pixel farther than this CIEDE2000 ΔE from every brand colour is off-palette.",
    )
    max_off_palette_share: float = Field(
        default=0.25,
        ge=0,
        le=1,
        description="BR701 fires when more than this share of counted pixels is off-palette.",
    )
    ignore_near_white_black: bool = Field(
        default=True,
        description="Leave near-white and near-black pixels (backgrounds, text) out of the count.",
    )
    near_white_l: float = Field(
        default=93.0, ge=0, le=100, description="L* at or above which a low-chroma pixel is near-white."
    )
    near_black_l: float = Field(
        default=7.0, ge=0, le=100, description="L* at or below which a low-chroma pixel is near-black."
    )
    near_neutral_chroma: float = Field(
        default=10.0, ge=0, description="Chroma C*ab at or below which a pixel counts as neutral."
    )
    clusters: int = Field(default=6, ge=1, le=16, description="Number of dominant colours found by k-means.")
    sample_pixels: int = Field(
        default=4_096,
        ge=256,
        le=1_000_000,
        description="Pixels sampled from the image (nearest-neighbour grid); 4,096 keeps the share within about 1.5 %.",
    )
    min_swatch_share: float = Field(
        default=0.01,
        ge=0,
        le=1,
        description="Off-palette colour groups smaller than this share are left out of evidence.",
    )


class ImageSpec(Section):
    """What images for one channel must look like (BR702-BR705). Unset limits are not checked."""

    min_width: int | None = Field(default=None, gt=0)
    max_width: int | None = Field(default=None, gt=0)
    min_height: int | None = Field(default=None, gt=0)
    max_height: int | None = Field(default=None, gt=0)
    aspect_ratios: list[AspectRatio] = Field(
        default_factory=new_list,
        description="Allowed aspect ratios ('1:1', '4:5', '1.91:1'); empty allows any.",
    )
    aspect_tolerance: float = Field(
        default=0.01, ge=0, le=0.5, description="Relative tolerance on the aspect ratio."
    )
    max_bytes: int | None = Field(default=None, gt=0, description="Largest allowed file size in bytes.")
    formats: list[NonEmptyStr] = Field(
        default_factory=new_list,
        description="Allowed formats (PNG, JPEG, WEBP, GIF); empty allows any of them.",
    )

    @model_validator(mode="after")
    def _bounds(self) -> ImageSpec:
        if self.min_width and self.max_width and self.min_width > self.max_width:
            raise ValueError("min_width is larger than max_width")
        if self.min_height and self.max_height and self.min_height > self.max_height:
            raise ValueError("min_height is larger than max_height")
        allowed = {"PNG", "JPEG", "WEBP", "GIF"}
        for fmt in self.formats:
            if fmt.upper() not in allowed:
                raise ValueError(f"unknown image format {fmt!r}; use PNG, JPEG, WEBP or GIF")
        return self


class ColourPair(Section):
    """A text/background combination the brand uses, checked for contrast (BR711)."""

    name: NonEmptyStr
    foreground: HexColour
    background: HexColour
    large_text: bool = Field(
        default=False, description="Used only for large text (≥ 24 px, or ≥ 18.66 px bold)."
    )


class ContrastSettings(Section):
    """WCAG 2.x contrast minimums (BR710, BR711)."""

    min_ratio: float = Field(
        default=4.5, ge=1, le=21, description="Minimum contrast for normal text (WCAG 1.4.3 AA)."
    )
    min_ratio_large: float = Field(default=3.0, ge=1, le=21, description="Minimum contrast for large text.")
    default_color: HexColour = Field(default="#000000", description="Text colour when the e-mail sets none.")
    default_background: HexColour = Field(
        default="#ffffff", description="Background when the e-mail sets none."
    )
    pairs: list[ColourPair] = Field(
        default_factory=new_list, description="Brand colour pairs to check (BR711)."
    )


class UtmSettings(Section):
    """UTM tagging of links to the brand's own domains (BR724, BR725)."""

    required: StrList = Field(
        default_factory=lambda: ["utm_source", "utm_medium", "utm_campaign"],
        description="Parameters every tracked link must carry; empty turns BR724 off.",
    )
    values: dict[str, str] = Field(
        default_factory=new_dict, description="Required values, e.g. {utm_medium: email}."
    )
    consistent: StrList = Field(
        default_factory=lambda: ["utm_source", "utm_medium", "utm_campaign"],
        description="Parameters that must have one value across the e-mail.",
    )
    domains: StrList = Field(
        default_factory=new_list,
        description="Domains whose links must be tagged; empty means the allow-list plus the brand website.",
    )


class MergeTagSettings(Section):
    """ESP merge tags that stand for the unsubscribe link and the postal address (BR721, BR722, BR724)."""

    builtin: bool = Field(
        default=True,
        description=(
            "Use the built-in table of common ESP merge tags (Mailchimp, SendGrid, Klaviyo, HubSpot, Campaign "
            "Monitor, Braze, Iterable, Salesforce, ActiveCampaign, Mailjet, Brevo; see docs/creative.md)."
        ),
    )
    unsubscribe: StrList = Field(
        default_factory=new_list,
        description="More tags that count as an unsubscribe link, e.g. '{{ my_unsub_url }}' (case and spaces ignored).",
    )
    postal_address: StrList = Field(
        default_factory=new_list,
        description="More tags that print the postal address, e.g. '{{ footer.address }}'.",
    )


class EmailSettings(Section):
    """Structure of HTML e-mails (BR720-BR727)."""

    allowed_link_domains: StrList = Field(
        default_factory=new_list,
        description=(
            "Link domains allowed (subdomains included); the brand website is always allowed. "
            "Empty turns BR723 off."
        ),
    )
    require_unsubscribe: bool = True
    unsubscribe_patterns: StrList = Field(
        default_factory=lambda: [
            "unsubscribe",
            "opt out",
            "opt-out",
            "manage preferences",
            "email preferences",
        ],
        description="Link text or URL fragments that count as an unsubscribe link (case-insensitive).",
    )
    require_postal_address: bool = True
    postal_address: str | None = Field(
        default=None, description="Address to look for; defaults to brand.postal_address, else a heuristic."
    )
    require_preheader: bool = True
    preheader_min: int = Field(default=40, ge=0)
    preheader_max: int = Field(default=130, ge=1)
    max_bytes: int = Field(
        default=102_000, gt=0, description="Largest HTML size; Gmail clips messages above about 102 KB."
    )
    utm: UtmSettings = Field(default_factory=default_of(UtmSettings))
    merge_tags: MergeTagSettings = Field(default_factory=default_of(MergeTagSettings))

    @model_validator(mode="after")
    def _preheader(self) -> EmailSettings:
        if self.preheader_min > self.preheader_max:
            raise ValueError("preheader_min is larger than preheader_max")
        return self


class CreativeSection(Section):
    """Settings for the creative checks: palette, images, contrast and HTML e-mail structure."""

    palette: list[BrandColour] = Field(
        default_factory=new_list, description="The brand colours; empty turns BR701 off."
    )
    palette_check: PaletteSettings = Field(default_factory=default_of(PaletteSettings))
    images: dict[str, ImageSpec] = Field(
        default_factory=new_dict,
        description="Image specs by channel name; 'default' applies when the channel has none.",
    )
    contrast: ContrastSettings = Field(default_factory=default_of(ContrastSettings))
    email: EmailSettings = Field(default_factory=default_of(EmailSettings))

    def image_spec(self, channel: str | None) -> ImageSpec | None:
        """The spec for ``channel``, else the ``default`` spec, else None."""
        if channel is not None and channel in self.images:
            return self.images[channel]
        return self.images.get("default")
