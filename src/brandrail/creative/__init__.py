"""Visual identity checks: images against the brand palette and channel specs, WCAG contrast and the
structure of HTML e-mails (rule codes BR7xx).

Importing this package is cheap: Pillow and NumPy are imported only when an image is opened or analysed.

* :func:`open_image` — open PNG/JPEG/WebP/GIF bytes as an :class:`~brandrail.creative.image.ImageSubject` for the
  image rules (BR701-BR705);
* :func:`ciede2000`, :func:`contrast_ratio`, :func:`srgb_to_lab` — the colour maths;
* :func:`analyse_image` — palette analysis (dominant and off-palette colours) of an image under a policy;
* :func:`parse_email` — the HTML e-mail as a browser parses and styles it, as the e-mail rules see it
  (BR710-BR727);
* :func:`check_colour_pairs` — BR711 findings for the colour pairs in the policy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from brandrail.creative.colour import (
    ciede2000,
    contrast_ratio,
    parse_css_colour,
    relative_luminance,
    srgb_to_lab,
)

if TYPE_CHECKING:
    from brandrail.creative.email import Email
    from brandrail.creative.image import ImageSubject
    from brandrail.creative.palette import PaletteAnalysis
    from brandrail.findings import Finding
    from brandrail.policy import Policy

__all__ = [
    "analyse_image",
    "check_colour_pairs",
    "ciede2000",
    "contrast_ratio",
    "open_image",
    "parse_css_colour",
    "parse_email",
    "relative_luminance",
    "srgb_to_lab",
]


def open_image(name: str, data: bytes) -> ImageSubject:
    """Open image ``data`` (file ``name``) for the image rules (see :mod:`brandrail.creative.image`)."""
    from brandrail.creative.image import open_image as _open_image

    return _open_image(name, data)


def analyse_image(name: str, data: bytes, policy: Policy) -> PaletteAnalysis:
    """Dominant and off-palette colours of an image under ``policy.creative`` (what BR701 measures)."""
    from brandrail.creative.rules import palette_analysis

    return palette_analysis(open_image(name, data), policy)


def parse_email(html: str, *, default_color: str = "#000000", default_background: str = "#ffffff") -> Email:
    """Parse an HTML e-mail as a browser does: elements with computed styles (both colour schemes when it has
    dark-mode rules), text runs, links and images."""
    from brandrail.creative.email import parse_email as _parse

    return _parse(html, default_color=default_color, default_background=default_background)


def check_colour_pairs(policy: Policy) -> list[Finding]:
    """BR711 findings for the ``creative.contrast.pairs`` of ``policy`` below the contrast minimum."""
    from brandrail.creative.rules import check_colour_pairs as _check

    return _check(policy)
