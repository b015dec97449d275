"""Colour science: sRGB ↔ CIELAB (D65), CIEDE2000 and WCAG 2.x contrast.

Plain Python, so HTML checks stay light; :func:`ciede2000` is the one vectorised implementation in
:mod:`brandrail.creative.palette` applied to a single pair (it imports NumPy when first called).

References:

* IEC 61966-2-1 (sRGB transfer function and primaries), CIE 15:2004 (CIELAB, D65 white 0.95047/1/1.08883).
* G. Sharma, W. Wu, E. N. Dalal (2005), "The CIEDE2000 color-difference formula: implementation notes,
  supplementary test data, and mathematical observations", Color Research & Application 30(1), 21-30.
* W3C WCAG 2.2, definitions of *relative luminance* and *contrast ratio* (success criteria 1.4.3 / 1.4.6).
"""

from __future__ import annotations

import functools
import re

__all__ = [
    "RGB",
    "ciede2000",
    "composite",
    "contrast_ratio",
    "hex_to_rgb",
    "lab_to_srgb",
    "parse_css_colour",
    "relative_luminance",
    "rgb_to_hex",
    "srgb_to_lab",
]

RGB = tuple[int, int, int]
Lab = tuple[float, float, float]

#: D65 reference white (CIE 1931 2° observer), Y normalised to 1.
WHITE_D65 = (0.95047, 1.0, 1.08883)

_EPS = 216 / 24389
_KAPPA = 24389 / 27


def hex_to_rgb(value: str) -> RGB:
    """``'#1f5c3a'`` or ``'#fff'`` → (31, 92, 58)."""
    digits = value.strip().lstrip("#")
    if len(digits) in (3, 4):
        digits = "".join(c * 2 for c in digits[:3])
    elif len(digits) in (6, 8):
        digits = digits[:6]
    else:
        raise ValueError(f"{value!r} is not a hex colour")
    return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))


def rgb_to_hex(rgb: tuple[float, float, float]) -> str:
    """(31, 92, 58) → ``'#1f5c3a'`` (components rounded and clipped to 0-255)."""
    return "#" + "".join(f"{min(255, max(0, round(c))):02x}" for c in rgb)


def _linear(c8: float) -> float:
    c = c8 / 255.0
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _gamma(c: float) -> float:
    c = min(1.0, max(0.0, c))
    return 255.0 * (12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055)


def srgb_to_lab(rgb: tuple[float, float, float]) -> Lab:
    """8-bit sRGB → CIELAB under D65."""
    r, g, b = (_linear(c) for c in rgb)
    x = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = 0.0193339 * r + 0.1191920 * g + 0.9503041 * b

    def f(t: float) -> float:
        return t ** (1 / 3) if t > _EPS else (_KAPPA * t + 16) / 116

    fx, fy, fz = f(x / WHITE_D65[0]), f(y / WHITE_D65[1]), f(z / WHITE_D65[2])
    return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))


def lab_to_srgb(lab: Lab) -> tuple[float, float, float]:
    """CIELAB (D65) → 8-bit sRGB as floats (clipped to the gamut)."""
    L, a, b = lab  # noqa: N806  (CIE notation)
    fy = (L + 16) / 116
    fx = fy + a / 500
    fz = fy - b / 200

    def finv(t: float) -> float:
        return t**3 if t**3 > _EPS else (116 * t - 16) / _KAPPA

    x, y, z = finv(fx) * WHITE_D65[0], finv(fy) * WHITE_D65[1], finv(fz) * WHITE_D65[2]
    r = 3.2404542 * x - 1.5371385 * y - 0.4985314 * z
    g = -0.9692660 * x + 1.8760108 * y + 0.0415560 * z
    bb = 0.0556434 * x - 0.2040259 * y + 1.0572252 * z
    return (_gamma(r), _gamma(g), _gamma(bb))


def ciede2000(lab1: Lab, lab2: Lab) -> float:
    """CIEDE2000 colour difference ΔE00 between two CIELAB colours (Sharma, Wu & Dalal 2005).

    One implementation serves both callers: this is :func:`brandrail.creative.palette.ciede2000_matrix` on a
    1×1 grid (NumPy is imported on first use).
    """
    import numpy as np

    from brandrail.creative.palette import ciede2000_matrix

    value = ciede2000_matrix(np.array([lab1], dtype=np.float64), np.array([lab2], dtype=np.float64))
    return float(value[0, 0])


def relative_luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG 2.x relative luminance of an 8-bit sRGB colour (0 for black, 1 for white).

    WCAG writes the linearisation threshold as 0.03928 (from an old sRGB draft); IEC 61966-2-1 says 0.04045.
    No 8-bit value lies between the two, so the results are identical.
    """
    r, g, b = (_linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


ColourLike = tuple[float, float, float] | str


def _rgb(value: ColourLike) -> tuple[float, float, float]:
    if isinstance(value, str):
        parsed = parse_css_colour(value)
        if parsed is None:
            raise ValueError(f"{value!r} is not a CSS colour")
        return parsed[0]
    return value


def contrast_ratio(fg: ColourLike, bg: ColourLike) -> float:
    """WCAG 2.x contrast ratio (L1 + 0.05) / (L2 + 0.05), from 1 to 21, whatever the order.

    Colours are 8-bit sRGB tuples or CSS colour strings (``"#777"``, ``"rgb(0 0 0)"``, ``"navy"``); the
    alpha of a string colour is ignored.
    """
    l1, l2 = relative_luminance(_rgb(fg)), relative_luminance(_rgb(bg))
    hi, lo = max(l1, l2), min(l1, l2)
    return (hi + 0.05) / (lo + 0.05)


def composite(fg: tuple[float, float, float], alpha: float, bg: tuple[float, float, float]) -> RGB:
    """``fg`` at opacity ``alpha`` over an opaque ``bg`` (simple alpha blending in sRGB, as browsers do)."""
    return tuple(round(alpha * f + (1 - alpha) * b) for f, b in zip(fg, bg, strict=True))  # type: ignore[return-value]


_FUNC = re.compile(r"^(rgba?|hsla?)\((.*)\)$")


def _alpha(text: str) -> float:
    text = text.strip()
    value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    return min(1.0, max(0.0, value))


@functools.lru_cache(maxsize=4096)
def parse_css_colour(value: str) -> tuple[RGB, float] | None:
    """A CSS colour value → ((r, g, b), alpha), or None when it is not a colour (``transparent``, ``inherit``,
    a gradient, a variable …). Hex (3, 4, 6, 8 digits), ``rgb()``/``rgba()``, ``hsl()``/``hsla()`` and the
    148 CSS named colours are understood.
    """
    text = value.strip().lower().replace("!important", "").strip()
    if not text or text in {"transparent", "inherit", "initial", "unset", "currentcolor", "none", "revert"}:
        return None
    if text.startswith("#"):
        digits = text[1:]
        if not re.fullmatch(r"[0-9a-f]{3,8}", digits) or len(digits) not in (3, 4, 6, 8):
            return None
        alpha = 1.0
        if len(digits) == 4:
            alpha = int(digits[3] * 2, 16) / 255
        elif len(digits) == 8:
            alpha = int(digits[6:8], 16) / 255
        return hex_to_rgb(digits), alpha
    m = _FUNC.match(text)
    if m:
        kind, args = m.group(1), m.group(2)
        parts = [p for p in re.split(r"[\s,/]+", args.strip()) if p]
        if len(parts) not in (3, 4):
            return None
        alpha = 1.0
        try:
            if len(parts) == 4:
                alpha = _alpha(parts[3])
            if kind.startswith("rgb"):
                rgb = tuple(
                    min(255, max(0, round(float(p[:-1]) * 2.55 if p.endswith("%") else float(p))))
                    for p in parts[:3]
                )
                return (rgb[0], rgb[1], rgb[2]), alpha
            from PIL import ImageColor

            hsl = ImageColor.getrgb(f"hsl({parts[0].removesuffix('deg')}, {parts[1]}, {parts[2]})")
            return (hsl[0], hsl[1], hsl[2]), alpha
        except ValueError:
            return None
    if re.fullmatch(r"[a-z]+", text):
        from PIL import ImageColor

        hexval = ImageColor.colormap.get(text)
        if isinstance(hexval, str):
            return hex_to_rgb(hexval), 1.0
    return None
