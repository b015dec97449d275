"""A parsed HTML e-mail: element tree with computed styles, text runs, links, images and preheader.

**Parsing.** The markup is parsed by html5lib, which implements the HTML5 tree-construction algorithm, so the
tree is the one a browser builds: a missing ``</head>`` or ``<body>``, implied end tags, misnested formatting
tags and content misplaced in tables all end up where a browser puts them. Every element and text run keeps
its offset into the original HTML (the tokenizer is wrapped to record where each token starts and ends), so
findings point at the tag or text.

**Cascade.** Styles are computed as a browser does (see :mod:`brandrail.creative.css` for how style sheets
are read): presentational attributes (``bgcolor``, ``<font color size>``, ``<body text link>``) under author
rules from ``<style>`` blocks anywhere in the document, ordered by specificity then source order, under the
``style`` attribute, with ``!important`` declarations on top in the reverse order. Then per element:

* ``color`` is inherited; ``inherit``, ``currentColor``, ``unset`` and CSS custom properties (``var(--x,
  fallback)``, inherited) are resolved; an unvisited link gets the user-agent link colour unless a rule sets
  its own colour (``a:link`` rules match, ``a:visited``/``:hover`` never do);
* the background is the nearest ancestor's ``background-color`` (or the colour of the ``background``
  shorthand, or ``bgcolor``); semi-transparent colours are composited over what is behind them; when the
  nearest background is an image or gradient the colour behind the text is unknown (``background_image``);
* ``font-size`` (px, pt, em, rem, %, keywords, the ``font`` shorthand, ``<font size>``, heading defaults) and
  bold (``font-weight`` or ``font``; ``b``, ``strong``, ``th``, headings);
* hidden: ``display:none``, ``opacity:0``, the ``hidden`` attribute, a closed ``<dialog>``, ``scale: 0`` and
  ``content-visibility: hidden`` (on a box that is not inline), and a zero-size box that clips its
  content (``height``/``max-height``/``width``/``max-width`` 0 with ``overflow:hidden``) hide the subtree;
  ``visibility:hidden`` is inherited but a descendant may set ``visible``; text is also invisible where its
  own font size is under 2 px or its colour is fully transparent. ``mso-hide:all`` hides only in desktop
  Outlook, so such elements stay visible (and checked) for every other client;
* ``-webkit-text-fill-color`` paints the letters instead of ``color`` (transparent: not seen), and
  ``filter: opacity(…)`` fades as ``opacity`` does;
* group ``opacity`` below 1 fades the element's text and background over what lies behind it
  (:attr:`Element.foreground`, :attr:`Element.seen_background`).

**Colour schemes.** When the style sheets have rules for one scheme only (``@media (prefers-color-scheme:
dark)``), the cascade is run a second time for the dark scheme: :attr:`Email.dark` maps each element to its
dark-scheme computed style. With ``<meta name="color-scheme" content="light dark">`` (or ``color-scheme`` on
the root) the dark scheme's default colours are the browser's dark ones (white text on #121212).
"""

from __future__ import annotations

import functools
import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree

from brandrail.creative.colour import RGB, composite, contrast_ratio, hex_to_rgb, parse_css_colour
from brandrail.text.extract import is_inline

if TYPE_CHECKING:
    from brandrail.creative._html5 import _Node, _Text
    from brandrail.creative.css import Decl, RuleDecls, StyleSheet
    from brandrail.text.document import Document

__all__ = [
    "CONTEXT_WORDS",
    "Element",
    "Email",
    "Image",
    "Link",
    "TextRun",
    "email_of_document",
    "parse_email",
]

#: Not rendered: their text is never seen.
_SKIP = frozenset({"head", "script", "style", "title", "template", "noscript", "meta", "link", "base"})
_HEADING_EM = {"h1": 2.0, "h2": 1.5, "h3": 1.17, "h4": 1.0, "h5": 0.83, "h6": 0.67}
_BOLD_TAGS = frozenset({"b", "strong", "th", "h1", "h2", "h3", "h4", "h5", "h6"})
_KEYWORD_PX = {
    "xx-small": 9.0,
    "x-small": 10.0,
    "small": 13.0,
    "medium": 16.0,
    "large": 18.0,
    "x-large": 24.0,
    "xx-large": 32.0,
    "xxx-large": 48.0,
}
_FONT_SIZE_ATTR = {1: 10.0, 2: 13.0, 3: 16.0, 4: 18.0, 5: 24.0, 6: 32.0, 7: 48.0}
_LENGTH = re.compile(r"^(-?\d*\.?\d+)\s*(px|pt|em|rem|%|pc|in|cm|mm|q|ex|ch|vw|vh)?$")
_UNIT_PX = {"px": 1.0, "pt": 4 / 3, "pc": 16.0, "in": 96.0, "cm": 96 / 2.54, "mm": 96 / 25.4, "q": 96 / 101.6}
#: Characters e-mail builders pad preheaders with; not counted in its length.
PREHEADER_FILLERS = "\u200c\u200b\u200d\u034f\u00ad\u2007\ufeff"
#: The user-agent colour of unvisited links (Chromium, light and dark colour schemes).
LINK_DEFAULT = (0, 0, 238)
LINK_DEFAULT_DARK = (158, 158, 255)
#: Chromium's dark-scheme canvas and text colours (used when the e-mail opts into dark with color-scheme).
DARK_CANVAS = (18, 18, 18)
DARK_TEXT = (255, 255, 255)
#: Elements nest at most this deep (WebKit's HTML parser caps DOM depth at 512 too); deeper start tags
#: become siblings at the deepest level, which bounds every ancestor walk.
MAX_DEPTH = 512  # the same as brandrail.creative._html5.MAX_DEPTH (not imported here: html5lib is lazy)
_INHERIT_KEYWORDS = frozenset({"inherit", "unset", "revert", "revert-layer"})
#: How a finding names a context (see :attr:`Email.contexts`) in which a reader does not see something.
CONTEXT_WORDS = {"light": "", "dark": " in dark mode", "mobile": " on a phone"}
#: Text whose contrast with what is behind it is under this ratio is camouflaged: a reader does not see it
#: (white on #f2f2f2 is 1.1:1; light grey #cccccc on white, faint but legible, is 1.6:1).
SEEN_CONTRAST = 1.5


def parse_style(value: str) -> dict[str, str]:
    """``'color: #333; font-size:14px'`` → {'color': '#333', 'font-size': '14px'} (last one wins)."""
    from brandrail.creative.css import declarations

    return {d.name: d.value for d in declarations(value)}


def _length_px(value: str, parent_px: float, root_px: float = 16.0) -> float | None:
    text = value.strip().lower()
    if text in _KEYWORD_PX:
        return _KEYWORD_PX[text]
    if text == "smaller":
        return parent_px / 1.2
    if text == "larger":
        return parent_px * 1.2
    m = _LENGTH.match(text)
    if not m:
        return None
    number = float(m.group(1))
    unit = m.group(2) or "px"
    if unit in _UNIT_PX:
        return number * _UNIT_PX[unit]
    if unit == "em":
        return number * parent_px
    if unit == "rem":
        return number * root_px
    if unit in ("ex", "ch"):
        return number * parent_px / 2
    if unit == "%":
        return number / 100 * parent_px
    return None  # vw / vh: not resolved


def _is_zero(value: str | None) -> bool:
    if value is None:
        return False
    m = _LENGTH.match(value.strip().lower())
    return m is not None and float(m.group(1)) == 0


#: A box moved this far (CSS px) out of its place leaves an e-mail's 600-800 px wide view: it is not seen.
OFF_SCREEN_PX = 600.0


def _px_of(value: str | None, font_px: float) -> float | None:
    """A length in CSS px (em relative to ``font_px``); None when unset, a percentage or not a length."""
    if value is None:
        return None
    text = value.strip().lower()
    if text.endswith("%"):
        return 0.0 if _is_zero(text) else None
    return _length_px(text, font_px)


def _tiny(value: str | None, font_px: float, *, unitless: bool = False) -> bool:
    """A box dimension under 2 px (``line-height`` may be a plain number: a multiple of the font size)."""
    if value is None:
        return False
    text = value.strip().lower()
    if unitless and re.fullmatch(r"\d*\.?\d+", text):
        return float(text) * font_px < 2
    px = _px_of(text, font_px)
    return px is not None and px < 2


def _tall(style: dict[str, str], font_px: float) -> bool:
    """The box has an explicit height of 2 px or more (so a zero line height does not collapse it)."""
    for name in ("height", "min-height"):
        px = _px_of(style.get(name), font_px)
        if px is not None and px >= 2:
            return True
    return False


def _box_sides(value: str | None, font_px: float) -> list[float | None]:
    """The top, right, bottom and left of a ``margin``-style shorthand, in px."""
    if value is None:
        return [None] * 4
    parts = [_px_of(p, font_px) for p in value.split()][:4]
    return _sides(parts) if parts else [None] * 4


def _sides(parts: list[Any]) -> list[Any]:
    """1-4 values of a box shorthand → [top, right, bottom, left]."""
    if len(parts) == 1:
        return parts * 4
    if len(parts) == 2:
        return [parts[0], parts[1], parts[0], parts[1]]
    if len(parts) == 3:
        return [parts[0], parts[1], parts[2], parts[1]]
    return parts[:4]


_TRANSFORM = re.compile(r"([a-z0-9]+)\(([^()]*)\)")


_TABLE_TAGS = frozenset({"table", "tbody", "thead", "tfoot", "tr", "td", "th"})
_BLOCK_DISPLAYS = frozenset(
    {"block", "inline-block", "flex", "inline-flex", "grid", "inline-grid", "list-item", "flow-root"}
)


def _box_kind(tag: str, display: str, style: dict[str, str]) -> str:
    """How the element's box is laid out, as far as hiding goes: ``block`` (its height, width and overflow
    apply), ``inline`` (they do not; nor do a transform or ``text-indent``) or ``table`` (a table, row or
    cell grows to fit its content whatever its height)."""
    position = style.get("position", "").strip().lower()
    if display in _BLOCK_DISPLAYS or position in ("absolute", "fixed"):
        return "block"
    if style.get("float", "").strip().lower() in ("left", "right"):
        return "block"
    if display:
        return (
            "table" if display.startswith("table") else "inline" if display.startswith("inline") else "block"
        )
    return "inline" if is_inline(tag) else "table" if tag in _TABLE_TAGS else "block"


def _shift_px(value: str, font_px: float) -> float | None:
    """A translation in CSS px; a shift by the whole viewport or more ("-100vw", "100vh") counts as
    :data:`OFF_SCREEN_PX`, since a box on screen then leaves it."""
    m = _LENGTH.match(value.strip().lower())
    if m is not None and m.group(2) in ("vw", "vh"):
        number = float(m.group(1))
        return OFF_SCREEN_PX * (1 if number > 0 else -1) if abs(number) >= 100 else None
    return _px_of(value, font_px)


def _moved_out(style: dict[str, str], font_px: float, kind: str) -> bool:
    """The box is moved out of view: offsets of a positioned box, negative margins, ``text-indent`` or a
    ``translate`` transform of at least :data:`OFF_SCREEN_PX` (up or sideways; down only scrolls)."""

    def far(px: float | None, *, positive: bool = False) -> bool:
        return px is not None and (px <= -OFF_SCREEN_PX or (positive and px >= OFF_SCREEN_PX))

    position = style.get("position", "").strip().lower()
    if position in ("absolute", "fixed", "relative", "sticky"):
        px = {k: _px_of(style.get(k), font_px) for k in ("left", "right", "top", "bottom")}
        if far(px["left"], positive=True) or far(px["right"], positive=True) or far(px["top"]):
            return True
        if px["bottom"] is not None and px["bottom"] >= OFF_SCREEN_PX:
            return True
    if kind != "table":  # a table cell has no margins
        top, right, _bottom, left = _box_sides(style.get("margin"), font_px)
        sides = {"margin-top": top if kind == "block" else None, "margin-right": right, "margin-left": left}
        for name in sides:
            if name in style and (kind == "block" or name != "margin-top"):
                sides[name] = _px_of(style[name], font_px)
        if any(far(v) for v in sides.values()):
            return True
    if kind == "inline":
        return False  # text-indent and transforms do not apply to an inline box
    if far(_px_of(style.get("text-indent"), font_px)):
        return True
    moves = _TRANSFORM.findall(style.get("transform", "").lower())
    if style.get("translate", "").strip():
        moves.insert(0, ("translate", style["translate"].strip().lower()))  # the individual property
    for name, args in moves:
        values = [_shift_px(a, font_px) for a in re.split(r"[\s,]+", args.strip()) if a]
        if name in ("translate", "translate3d") and values:
            if far(values[0], positive=True) or (len(values) > 1 and far(values[1])):
                return True
        elif (name == "translatex" and values and far(values[0], positive=True)) or (
            name == "translatey" and values and far(values[0])
        ):
            return True
    return False


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


_ANGLE = re.compile(r"^(-?(?:\d+\.?\d*|\.\d+))(deg|rad|grad|turn)?$")
_ANGLE_UNIT = {"deg": math.pi / 180, "rad": 1.0, "grad": math.pi / 200, "turn": 2 * math.pi}
#: A transform's linear part closer to singular than this leaves the box no area: it is not seen.
_FLAT = 1e-9
_Matrix = tuple[tuple[float, float, float], tuple[float, float, float], tuple[float, float, float]]
_IDENTITY: _Matrix = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))


def _angle(text: str) -> float | None:
    """A CSS angle in radians ("90deg", "0.25turn", "1.57rad", "100grad", a bare 0), or None."""
    m = _ANGLE.match(text.strip())
    if m is None or (m.group(2) is None and float(m.group(1)) != 0):
        return None
    return float(m.group(1)) * _ANGLE_UNIT.get(m.group(2) or "rad", 1.0)


def _factor(text: str) -> float | None:
    """A scale factor: a number or a percentage ("0", "50%")."""
    text = text.strip()
    if text.endswith("%"):
        pct = _number(text[:-1])
        return None if pct is None else pct / 100
    return _number(text)


def _rotation(x: float, y: float, z: float, a: float) -> _Matrix | None:
    """The rotation by ``a`` radians about the axis (x, y, z) (Rodrigues' formula), or None for no axis."""
    n = math.sqrt(x * x + y * y + z * z)
    if n == 0:
        return None
    x, y, z = x / n, y / n, z / n
    c, s, t = math.cos(a), math.sin(a), 1 - math.cos(a)
    return (
        (t * x * x + c, t * x * y - s * z, t * x * z + s * y),
        (t * x * y + s * z, t * y * y + c, t * y * z - s * x),
        (t * x * z - s * y, t * y * z + s * x, t * z * z + c),
    )


def _linear(name: str, args: list[str]) -> _Matrix | None:
    """The 3×3 linear part of one transform function (translations and perspective have none: the identity),
    or None when it is not understood."""
    if name in ("translate", "translatex", "translatey", "translatez", "translate3d", "perspective"):
        return _IDENTITY
    if name in ("scale", "scalex", "scaley", "scalez", "scale3d"):
        f = [_factor(a) for a in args]
        if not f or None in f:
            return None
        v = [float(x or 0.0) for x in f]
        sx, sy, sz = {
            "scale": (v[0], v[1] if len(v) > 1 else v[0], 1.0),
            "scalex": (v[0], 1.0, 1.0),
            "scaley": (1.0, v[0], 1.0),
            "scalez": (1.0, 1.0, v[0]),
            "scale3d": (v[0], v[1] if len(v) > 1 else 1.0, v[2] if len(v) > 2 else 1.0),
        }[name]
        return ((sx, 0.0, 0.0), (0.0, sy, 0.0), (0.0, 0.0, sz))
    if name in ("rotate", "rotatez", "rotatex", "rotatey"):
        a = _angle(args[0]) if len(args) == 1 else None
        if a is None:
            return None
        axis = {"rotatex": (1.0, 0.0, 0.0), "rotatey": (0.0, 1.0, 0.0)}.get(name, (0.0, 0.0, 1.0))
        return _rotation(*axis, a)
    if name == "rotate3d":
        a = _angle(args[3]) if len(args) == 4 else None
        xyz = [_number(v) for v in args[:3]]
        if a is None or None in xyz:
            return None
        return _rotation(float(xyz[0] or 0.0), float(xyz[1] or 0.0), float(xyz[2] or 0.0), a)
    if name in ("skew", "skewx", "skewy"):
        angles = [_angle(v) for v in args]
        if not angles or None in angles or len(angles) > (2 if name == "skew" else 1):
            return None
        first = float(angles[0] or 0.0)
        second = float(angles[1] or 0.0) if len(angles) > 1 else 0.0
        ax, ay = (0.0, first) if name == "skewy" else (first, second)
        if abs(math.cos(ax)) < _FLAT or abs(math.cos(ay)) < _FLAT:
            return None
        return ((1.0, math.tan(ax), 0.0), (math.tan(ay), 1.0, 0.0), (0.0, 0.0, 1.0))
    values = [_number(v) for v in args]
    if None in values:
        return None
    m = [float(v or 0.0) for v in values]
    if name == "matrix" and len(m) == 6:
        return ((m[0], m[2], 0.0), (m[1], m[3], 0.0), (0.0, 0.0, 1.0))
    if name == "matrix3d" and len(m) == 16:  # column-major
        return tuple(tuple(m[col * 4 + row] for col in range(3)) for row in range(3))  # type: ignore[return-value]
    return None


def _product(a: _Matrix, b: _Matrix) -> _Matrix:
    return tuple(  # type: ignore[return-value]
        tuple(sum(a[i][k] * b[k][j] for k in range(3)) for j in range(3)) for i in range(3)
    )


_ROTATE_AXES = {"x": (1.0, 0.0, 0.0), "y": (0.0, 1.0, 0.0), "z": (0.0, 0.0, 1.0)}


def _individual_rotate(value: str) -> _Matrix | None:
    """The ``rotate`` property ("90deg", "y 90deg", "0 1 0 90deg", "none") as a matrix, or None."""
    parts = value.strip().lower().split()
    if not parts or parts == ["none"]:
        return _IDENTITY
    a = _angle(parts[-1])
    if a is None:
        return None
    if len(parts) == 1:
        return _rotation(0.0, 0.0, 1.0, a)
    if len(parts) == 2 and parts[0] in _ROTATE_AXES:
        return _rotation(*_ROTATE_AXES[parts[0]], a)
    xyz = [_number(v) for v in parts[:-1]]
    if len(xyz) != 3 or None in xyz:
        return None
    return _rotation(float(xyz[0] or 0.0), float(xyz[1] or 0.0), float(xyz[2] or 0.0), a)


def _flattened(style: dict[str, str]) -> bool:
    """The box's transform (after the individual ``rotate`` and ``scale`` properties, which apply first) maps
    its plane to a line or a point on screen — the 2×2 part that maps the box's x and y to the screen's is
    singular ("scale(0)", "scaleX(0%)", "rotateY(90deg)", "rotate3d(1, 0, 0, 0.25turn)", "skew(45deg, 45deg)",
    a singular matrix) — or, with ``backface-visibility: hidden``, shows its back ("rotateY(180deg)": the
    inverse's m33 is negative). A function that is not understood leaves the box as seen."""
    if "transform" not in style and "rotate" not in style and "scale" not in style:
        return False
    matrix = _IDENTITY
    rotate = style.get("rotate")
    if rotate:
        r = _individual_rotate(rotate)
        if r is None:
            return False
        matrix = r
    scale = style.get("scale", "").strip().lower()
    if scale and scale != "none":
        f = [_factor(v) for v in scale.split()[:3]]
        if None in f:
            return False
        v = [float(x or 0.0) for x in f]
        sx, sy = v[0], v[1] if len(v) > 1 else v[0]
        matrix = _product(matrix, ((sx, 0.0, 0.0), (0.0, sy, 0.0), (0.0, 0.0, v[2] if len(v) > 2 else 1.0)))
    for name, args in _TRANSFORM.findall(style.get("transform", "").lower()):
        step = _linear(name, [a for a in re.split(r"[\s,]+", args.strip()) if a])
        if step is None:  # not understood: only a scale to nothing of its own still tells
            return any(
                fn.startswith("scale")
                and any(_factor(x) == 0 for x in re.split(r"[\s,]+", given.strip())[:2])
                for fn, given in _TRANSFORM.findall(style.get("transform", "").lower())
            )
        matrix = _product(matrix, step)
    (m11, m12, m13), (m21, m22, m23), (m31, m32, m33) = matrix
    area = m11 * m22 - m12 * m21
    if abs(area) < _FLAT:
        return True
    if style.get("backface-visibility", "").strip().lower() == "hidden":
        det = m11 * (m22 * m33 - m23 * m32) - m12 * (m21 * m33 - m23 * m31) + m13 * (m21 * m32 - m22 * m31)
        # the inverse's m33 (cofactor over determinant) is negative: the back faces the reader
        if abs(det) >= _FLAT and area / det < 0:
            return True
    return False


def _clipped_away(style: dict[str, str], kind: str) -> bool:
    """Nothing of the box is painted: a ``clip`` rectangle or a ``clip-path`` without area, or a ``transform``
    that scales it to nothing (not on an inline box, where transforms do not apply)."""
    position = style.get("position", "").strip().lower()
    clip = re.fullmatch(r"rect\(([^()]*)\)", style.get("clip", "").strip().lower())
    if clip and position in ("absolute", "fixed"):
        edges = [_px_of(e, 16.0) for e in re.split(r"[\s,]+", clip.group(1).strip()) if e]
        if len(edges) == 4:
            top, right, bottom, left = edges
            if (top is not None and bottom is not None and bottom <= top) or (
                left is not None and right is not None and right <= left
            ):
                return True
    path = style.get("clip-path", "").strip().lower()
    shape = re.fullmatch(r"(inset|circle|ellipse|polygon)\(([^()]*)\).*", path)
    if shape:
        kind, args = shape.group(1), shape.group(2).split(" at ")[0]
        sizes = [a for a in re.split(r"[\s,]+", args.strip()) if a]
        if kind == "inset":
            offsets = sizes[: sizes.index("round")] if "round" in sizes else sizes
            pct = [
                float(v[:-1]) if v.endswith("%") and _number(v[:-1]) is not None else None for v in offsets
            ]
            if 1 <= len(pct) <= 4 and None not in pct:
                top, right, bottom, left = _sides([p or 0.0 for p in pct])
                if top + bottom >= 100 or left + right >= 100:
                    return True
        elif kind in ("circle", "ellipse", "polygon") and sizes and all(_is_zero(s) for s in sizes):
            return True  # no radius, or every point at the origin
    if kind != "inline":
        # transforms (and the individual ``rotate`` and ``scale`` properties) that leave the box no area on
        # screen ("scale(0)", "rotateY(90deg)", a singular matrix) or turn its back to the reader when
        # ``backface-visibility: hidden``; ``content-visibility: hidden`` skips painting the box's contents
        # (none of them applies to an inline box)
        if _flattened(style):
            return True
        if style.get("content-visibility", "").strip().lower() == "hidden":
            return True
    return False


_GRADIENT = re.compile(r"(?:repeating-)?(?:linear|radial|conic)-gradient\(((?:[^()]|\([^()]*\))*)\)")


def _gradient_colours(value: str, under: RGB) -> tuple[RGB, ...]:
    """The colours of a ``background-image`` made of gradients only (each composited over ``under``), or ()
    when it has an image or a colour that cannot be read: then what is behind the text is unknown."""
    if "url(" in value or "image-set(" in value or "element(" in value:
        return ()
    out: list[RGB] = []
    for m in _GRADIENT.finditer(value):
        for token in re.findall(r"(?:rgba?|hsla?)\([^)]*\)|#[0-9a-fA-F]{3,8}\b|[A-Za-z-]+", m.group(1)):
            low = token.lower()
            if low == "transparent":
                out.append(under)
                continue
            parsed = parse_css_colour(token)
            if parsed is not None:
                rgb, alpha = parsed
                out.append(rgb if alpha >= 1 else composite(rgb, alpha, under))
            elif low.startswith(("var", "currentcolor")):
                return ()
    return tuple(out)


def _background_colour(value: str) -> tuple[RGB, float] | None:
    """The colour in a ``background`` shorthand (``url(...) no-repeat #fff`` → #fff)."""
    whole = parse_css_colour(value)
    if whole is not None:
        return whole
    stripped = re.sub(r"url\([^)]*\)", " ", value)
    stripped = re.sub(r"[a-z-]*gradient\((?:[^()]|\([^()]*\))*\)", " ", stripped)
    for token in re.findall(r"(?:rgba?|hsla?)\([^)]*\)|#[0-9a-fA-F]{3,8}\b|[A-Za-z]+", stripped):
        parsed = parse_css_colour(token)
        if parsed is not None:
            return parsed
    return None


_FONT_STYLE_WORDS = frozenset(
    {"normal", "italic", "oblique", "small-caps", "bold", "bolder", "lighter"}
    | {"ultra-condensed", "extra-condensed", "condensed", "semi-condensed", "semi-expanded", "expanded"}
    | {"extra-expanded", "ultra-expanded"}
)


def _font_shorthand(value: str) -> dict[str, str] | None:
    """``font: italic bold 14px/20px Arial`` → {'font-size': '14px', 'font-weight': 'bold', ...} or None."""
    text = value.strip()
    low = text.lower()
    if low in _INHERIT_KEYWORDS or low == "initial":
        return {"font-size": low, "font-weight": low}
    weight = "normal"
    words = text.replace("/", " / ").split()
    for i, word in enumerate(words):
        w = word.lower()
        if w in ("bold", "bolder", "lighter") or re.fullmatch(r"[1-9]00", w):
            weight = w
        elif w in _FONT_STYLE_WORDS:
            continue
        elif _length_px(w, 16.0) is not None:
            rest = words[i + 1 :]
            if rest[:1] == ["/"]:
                rest = rest[2:]  # line height
            return {"font-size": w, "font-weight": weight} if rest else None  # a family must follow
        else:
            return None  # no size before the family: invalid
    return None


# -- the parsed e-mail --------------------------------------------------------------------------------------


@dataclass
class Element:
    """One element with its computed style; ``start``/``end`` are the offsets of its start tag (both 0 for an
    element the parser implied, such as a missing ``<body>``).
    """

    tag: str
    attrs: dict[str, str]
    start: int
    end: int
    parent: Element | None
    color: RGB
    color_alpha: float
    background: RGB
    background_set: bool
    font_px: float
    bold: bool
    hidden: bool
    in_link: Element | None = None
    background_image: bool = (
        False  # the nearest background is an image or gradient: colour behind text unknown
    )
    gradient: tuple[RGB, ...] = ()  # the colours of a background gradient (empty: none, or an image)
    opacity: float = 1.0  # product of the ancestors' (and own) CSS opacity: the element is seen faded
    backdrop: RGB = (255, 255, 255)  # what the outermost translucent group is composited onto
    #: ``display:none`` (or the ``hidden`` attribute): the element makes no box at all, so a block element
    #: hidden so does not start a line (a hidden ``visibility``, ``opacity`` or size keeps the box)
    boxless: bool = False
    #: laid out inline (see ``_box_kind``): on the line of the text around it
    inline: bool = False
    runs_from: int = 0  # index range of the text runs inside this element (in Email.runs)
    runs_to: int = 0
    index: int = 0  # position in Email.elements
    text: list[str] = field(default_factory=list, repr=False)

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").lower().split()

    @property
    def invisible(self) -> bool:
        """Text here is not seen: the element is hidden, its font size is under 2 px or its colour is
        fully transparent."""
        return self.hidden or self.font_px < 2 or self.color_alpha <= 0

    @property
    def large_text(self) -> bool:
        """WCAG large text: at least 18 pt (24 px), or 14 pt (18.66 px) and bold."""
        return self.font_px >= 24 - 1e-6 or (self.bold and self.font_px >= 18.66)

    @property
    def foreground(self) -> RGB:
        """The text colour as seen: a semi-transparent colour composited over the background, and the result
        faded by ``opacity`` over the backdrop."""
        colour = (
            self.color if self.color_alpha >= 1 else composite(self.color, self.color_alpha, self.background)
        )
        return colour if self.opacity >= 1 else composite(colour, self.opacity, self.backdrop)

    @property
    def camouflaged(self) -> bool:
        """The text colour is (nearly) the colour behind it: a contrast under :data:`SEEN_CONTRAST` with the
        background, or with every colour of a background gradient. Over a background image the colour behind
        the text is unknown, and the text is taken to be seen."""
        if not self.background_image:
            return _low_contrast(self.foreground, self.seen_background)
        if not self.gradient:
            return False
        for stop in self.gradient:
            fg = self.color if self.color_alpha >= 1 else composite(self.color, self.color_alpha, stop)
            if self.opacity < 1:
                fg, stop = (
                    composite(fg, self.opacity, self.backdrop),
                    composite(stop, self.opacity, self.backdrop),
                )
            if not _low_contrast(fg, stop):
                return False
        return True

    @property
    def seen_background(self) -> RGB:
        """The background as seen: faded by ``opacity`` over the backdrop."""
        return (
            self.background if self.opacity >= 1 else composite(self.background, self.opacity, self.backdrop)
        )


@dataclass(frozen=True)
class Generated:
    """Text a style sheet adds to ``element`` with ``::before`` or ``::after`` ``{content: "…"}``
    (``where``), shown at offset ``at`` of the HTML: the end of the element's start tag, or the end of its
    last text. ``hidden`` when the pseudo-element's own style hides it (``display:none``, ``visibility:hidden``,
    ``opacity:0``, a font size under 2 px)."""

    text: str
    at: int
    element: Element
    where: str
    hidden: bool = False
    #: the contexts (:data:`brandrail.creative.css.CONTEXTS`) whose rules generate this text: a ``content``
    #: rule inside ``@media (prefers-color-scheme: dark)`` generates it in the dark scheme only
    contexts: frozenset[str] = frozenset(("light", "dark", "mobile"))


@dataclass(frozen=True)
class TextRun:
    """Visible or hidden text at ``[start, end)`` of the HTML, inside ``element``."""

    text: str
    start: int
    end: int
    element: Element


_DEAD_SCHEME = re.compile(r"(?:javascript|data|about|vbscript):", re.IGNORECASE)


@dataclass
class Link:
    """An ``<a href>``: its URL, the offsets of its start tag, its text and the alt text of images inside."""

    href: str
    start: int
    end: int
    element: Element
    text: str = ""
    image_alts: list[str] = field(default_factory=list)

    @property
    def accessible_name(self) -> str:
        return " ".join([self.text, *self.image_alts]).strip()

    @property
    def dead(self) -> bool:
        """The link takes the reader nowhere: no address, only a ``#fragment`` of this message, or a
        ``javascript:``, ``data:``, ``about:`` or ``vbscript:`` URL (which mail clients block)."""
        href = re.sub(r"[\t\n\r]", "", self.href.strip("".join(chr(i) for i in range(0x21))))
        return not href or href.startswith("#") or bool(_DEAD_SCHEME.match(href))


@dataclass(frozen=True)
class Image:
    """An ``<img>`` tag: its attributes and offsets, and the link around it if any."""

    attrs: dict[str, str]
    start: int
    end: int
    link: Link | None
    element: Element | None = None

    @property
    def is_tracking_pixel(self) -> bool:
        return self.attrs.get("width", "").strip() in {"0", "1"} and self.attrs.get("height", "").strip() in {
            "0",
            "1",
        }


@dataclass
class Email:
    """Everything the HTML e-mail rules need, parsed once per document.

    ``dark`` holds the dark-scheme computed style of each element (same order as ``elements``) when the
    e-mail's style sheets have rules for one colour scheme only; else it is None (the schemes look alike).
    """

    html: str
    elements: list[Element]
    runs: list[TextRun]
    links: list[Link]
    images: list[Image]
    dark: list[Element] | None = None
    cache: dict[str, Any] = field(default_factory=dict, repr=False)
    #: text the style sheets add with ``::before``/``::after`` ``content``, in document order
    generated: list[Generated] = field(default_factory=list)
    mobile_build: Callable[[], list[Element]] | None = field(default=None, repr=False)

    @property
    def mobile(self) -> list[Element] | None:
        """The computed style of each element on a phone (same order as ``elements``) when the e-mail's style
        sheets have rules for one screen size only (``@media (max-width: 600px)``); else None. Computed on
        first use."""
        if self.mobile_build is None:
            return None
        built: list[Element] | None = self.cache.get("_mobile")
        if built is None:
            built = self.cache["_mobile"] = self.mobile_build()
        return built

    @property
    def contexts(self) -> list[str]:
        """Where a reader may see the e-mail: ``light`` (a desktop screen), ``dark`` when the e-mail styles the
        dark colour scheme differently, ``mobile`` (a phone) when its rules differ by screen size."""
        out = ["light"]
        if self.dark is not None:
            out.append("dark")
        if self.mobile_build is not None:
            out.append("mobile")
        return out

    @property
    def visible_runs(self) -> list[TextRun]:
        return [r for r in self.runs if not r.element.invisible and _clean_preheader(r.text)]

    @property
    def visible_text(self) -> str:
        return "\n".join(r.text for r in self.visible_runs)

    def in_scheme(self, el: Element, scheme: str) -> Element:
        """``el``'s computed style in colour scheme ``scheme`` (``light`` or ``dark``), or on a phone
        (``mobile``)."""
        if scheme == "dark" and self.dark is not None:
            return self.dark[el.index]
        if scheme == "mobile":
            mobile = self.mobile
            if mobile is not None:
                return mobile[el.index]
        return el

    def seen(self, el: Element, context: str = "light") -> bool:
        """Text in ``el`` is seen by a reader in ``context`` (see :attr:`contexts`): not hidden, not under 2 px,
        not transparent and not camouflaged (:attr:`Element.camouflaged`)."""
        flags: dict[tuple[str, int], bool] = self.cache.setdefault("_seen", {})
        key = (context, el.index)
        flag = flags.get(key)
        if flag is None:
            styled = self.in_scheme(el, context)
            flag = flags[key] = not (styled.invisible or styled.camouflaged)
        return flag

    def shown(self, el: Element, context: str = "light") -> bool:
        """``el``'s box is shown (not hidden) in ``context``: an image in it is seen."""
        return not self.in_scheme(el, context).hidden

    def seen_runs(self, context: str = "light") -> list[TextRun]:
        """The text runs a reader sees in ``context`` (see :meth:`seen`), blank ones left out."""
        key = f"_seen_runs:{context}"
        runs: list[TextRun] | None = self.cache.get(key)
        if runs is None:
            runs = self.cache[key] = [
                r for r in self.runs if _clean_preheader(r.text) and self.seen(r.element, context)
            ]
        return runs

    def seen_generated(self, context: str = "light") -> list[Generated]:
        """The generated text (:attr:`generated`) a reader in ``context`` sees: a rule of that context generates
        it (:attr:`Generated.contexts`), its element's text is seen (:meth:`seen`) and the pseudo-element does
        not hide it; blank text left out."""
        return [
            g
            for g in self.generated
            if context in g.contexts and g.text.strip() and not g.hidden and self.seen(g.element, context)
        ]

    def same_line(
        self, before: int, after: int, context: str = "light", *, owner: Element | None = None
    ) -> bool:
        """Whether the seen text ending at offset ``before`` and the seen text starting at ``after`` stand on
        one line of one block, with only elements that make no box between them (``display:none``: a hidden
        ``<div>`` inside a word starts no line, "fla<div style="display:none">q</div>wless" reads "flawless"),
        inline elements or none. A block that keeps its box (``visibility:hidden``, ``opacity:0``, a zero
        height) starts a line, as does a ``<br>``, and text of two blocks is on two lines.

        With ``owner``, the text before is generated text of that element (``::before``/``::after``
        ``content``, see :attr:`generated`) shown at ``before``, and inline elements alone between suffice."""
        placed = self._placed()
        if owner is None and not self.cache["_any_boxless"]:
            return False
        first = owner if owner is not None else getattr(self._run_at(before - 1), "element", None)
        second = self._run_at(after)
        if first is None or second is None:
            return False
        if self._block_of(first, context) is not self._block_of(second.element, context):
            return False
        boxless: list[Element] = []
        crossed = owner is not None
        starts: list[int] = self.cache["_element_starts"]
        for k in range(bisect_left(starts, before), len(placed)):
            el = placed[k]
            if el.start >= after:
                break
            if any(_inside(el, b) for b in boxless):
                continue
            styled = self.in_scheme(el, context)
            if styled.boxless:
                boxless.append(el)
                crossed = True
            elif not styled.inline or el.tag == "br":
                return False
        return crossed

    def _placed(self) -> list[Element]:
        """The elements with a start tag, by its offset (an element the parser implied has none; the tree
        builder may move an element away from where its tag stands, so this is not tree order)."""
        placed: list[Element] | None = self.cache.get("_elements_placed")
        if placed is None:
            placed = sorted((el for el in self.elements if el.start != el.end), key=lambda el: el.start)
            self.cache["_elements_placed"] = placed
            self.cache["_element_starts"] = [el.start for el in placed]
            self.cache["_any_boxless"] = any(
                self.in_scheme(el, c).boxless for c in self.contexts for el in self.elements
            )
        return placed

    def _run_at(self, offset: int) -> TextRun | None:
        starts: list[int] | None = self.cache.get("_run_starts")
        if starts is None:
            starts = self.cache["_run_starts"] = [r.start for r in self.runs]
        k = bisect_right(starts, offset) - 1
        if k < 0 or not (self.runs[k].start <= offset < max(self.runs[k].end, self.runs[k].start + 1)):
            return None
        return self.runs[k]

    def _block_of(self, el: Element, context: str) -> Element | None:
        """The nearest element around ``el`` (or ``el``) laid out as a block, None for the root."""
        at: Element | None = el
        while at is not None and self.in_scheme(at, context).inline:
            at = at.parent
        return at

    def seen_tags(self, names: set[str], context: str = "light") -> set[str]:
        """Those of the element ``names`` that stand in the e-mail with text a reader in ``context`` sees
        (Campaign Monitor's ``<unsubscribe>`` element is a link the ESP fills in)."""
        if not names:
            return set()
        return {el.tag for el in self.elements if el.tag in names and self.seen(el, context)}

    def seen_text(self, context: str = "light") -> str:
        """The text a reader sees in ``context``, run by run on lines of their own."""
        return "\n".join(r.text for r in self.seen_runs(context))

    def seen_name(self, link: Link, context: str = "light") -> str:
        """What a reader sees of ``link`` in ``context``: its seen text and the alt text of its shown images;
        empty when the link itself is hidden."""
        if not self.shown(link.element, context):
            return ""
        parts = [r.text.strip() for r in self._subtree_runs(link.element) if self.seen(r.element, context)]
        by_link: dict[int, list[Image]] | None = self.cache.get("_images_by_link")
        if by_link is None:
            by_link = self.cache["_images_by_link"] = {}
            for img in self.images:
                if img.link is not None:
                    by_link.setdefault(id(img.link), []).append(img)
        for img in by_link.get(id(link), []):
            if not img.is_tracking_pixel and img.element and self.shown(img.element, context):
                parts.append(img.attrs.get("alt", "").strip() or "\ufffc")  # seen, even without alt text
        return " ".join(p for p in parts if p)

    def _subtree_runs(self, el: Element) -> list[TextRun]:
        return self.runs[el.runs_from : el.runs_to]

    def preheader(self) -> tuple[str, int, int] | None:
        """(text, start, end) of the preheader: an element whose class or id names a preheader or preview
        text, else the first hidden text before any visible text. Filler characters are removed.
        """
        for el in self.elements:
            ident = " ".join([*el.classes, el.attrs.get("id", "").lower()])
            if re.search(r"pre-?header|preview", ident):
                runs = self._subtree_runs(el)
                if runs:
                    return _clean_preheader(" ".join(r.text for r in runs)), runs[0].start, runs[-1].end
                return "", el.start, el.end
        for run in self.runs:
            if not _clean_preheader(run.text):
                continue
            if not run.element.invisible:
                return None
            el = run.element
            while el.parent is not None and el.parent.invisible:
                el = el.parent
            group = self._subtree_runs(el) or [run]
            return _clean_preheader(" ".join(r.text for r in group)), group[0].start, group[-1].end
        return None


def _inside(el: Element, ancestor: Element) -> bool:
    at = el.parent
    while at is not None:
        if at is ancestor:
            return True
        at = at.parent
    return False


@functools.lru_cache(maxsize=4096)
def _low_contrast(fg: RGB, bg: RGB) -> bool:
    """Under :data:`SEEN_CONTRAST` (cached: an e-mail has few colour pairs)."""
    return contrast_ratio(fg, bg) < SEEN_CONTRAST


def _clean_preheader(text: str) -> str:
    text = text.translate({ord(c): None for c in PREHEADER_FILLERS})
    return " ".join(text.replace("\u00a0", " ").split())


# -- cascade ------------------------------------------------------------------------------------------------


_VAR = re.compile(r"var\(\s*(--[\w-]+)\s*(?:,\s*)?", re.IGNORECASE)


#: A value longer than this after ``var()`` substitution is invalid at computed-value time (CSS Variables:
#: UAs must guard against exponential growth, ``--b: var(--a) var(--a)`` doubling at every step).
MAX_VAR_LENGTH = 16_384


def _substitute(value: str, custom: dict[str, str], depth: int = 0) -> str | None:
    """``value`` with every ``var(--x, fallback)`` replaced; None when a variable is missing without fallback
    or the result is longer than :data:`MAX_VAR_LENGTH` (the declaration is then invalid at computed-value
    time)."""
    if "var(" not in value.lower():
        return value
    if depth > 16:
        return None
    out: list[str] = []
    i = size = 0
    while True:
        m = _VAR.search(value, i)
        if m is None:
            out.append(value[i:])
            break
        out.append(value[i : m.start()])
        # find the closing parenthesis of var(
        level, j = 1, m.end()
        while j < len(value) and level:
            if value[j] == "(":
                level += 1
            elif value[j] == ")":
                level -= 1
            j += 1
        fallback = value[m.end() : j - 1] if level == 0 else value[m.end() :]
        has_fallback = value[m.start() : m.end()].rstrip().endswith(",")
        name = m.group(1)
        if name in custom:
            replaced = _substitute(custom[name], custom, depth + 1)
        elif has_fallback:
            replaced = _substitute(fallback.strip(), custom, depth + 1)
        else:
            replaced = None
        if replaced is None:
            return None
        out.append(replaced)
        size += len(replaced) + m.start() - i
        if size > MAX_VAR_LENGTH:
            return None
        i = j
    return "".join(out)


@dataclass
class _Context:
    default_color: RGB
    default_background: RGB
    link_color: RGB
    sheet: StyleSheet
    scheme: str
    quirks: bool = False  # no doctype: tables do not inherit font size and weight (browsers' quirks mode)
    root_px: float = 16.0  # font size of the root element, for rem
    matches: dict[int, Any] = field(default_factory=dict)  # selector matches per element, shared by schemes


def _presentational(node: _Node, attrs: dict[str, str], link_attr: str | None, quirks: bool) -> list[Decl]:
    """User-agent quirks and presentational hints (HTML's mapping of attributes to CSS), under every author
    rule."""
    from brandrail.creative.css import Decl

    out: list[Decl] = []
    tag = node.name
    if quirks and tag == "table":
        out += [Decl("font-size", "medium", False), Decl("font-weight", "normal", False)]
    bgcolor = attrs.get("bgcolor", "").strip()
    if bgcolor:
        if parse_css_colour(bgcolor) is None and re.fullmatch(r"[0-9a-fA-F]{6}", bgcolor):
            bgcolor = "#" + bgcolor
        out.append(Decl("background-color", bgcolor, False))
    if attrs.get("background", "").strip() and tag in ("body", "table", "td", "th", "tr"):
        out.append(Decl("background-image", "url(" + attrs["background"].strip() + ")", False))
    if tag == "font" and attrs.get("color", "").strip():
        out.append(Decl("color", attrs["color"].strip(), False))
    if tag == "body" and attrs.get("text", "").strip():
        out.append(Decl("color", attrs["text"].strip(), False))
    if tag == "font" and attrs.get("size", "").strip().lstrip("+-").isdigit():
        raw = attrs["size"].strip()
        n = int(raw) if raw[0].isdigit() else 3 + int(raw)
        out.append(Decl("font-size", f"{_FONT_SIZE_ATTR[min(7, max(1, n))]}px", False))
    if tag == "a" and link_attr and "href" in attrs:
        out.append(Decl("color", link_attr, False))
    if "hidden" in attrs:
        out.append(Decl("display", "none", False))
    return out


def _cascade(
    node: _Node, attrs: dict[str, str], wrapper: Any, ctx: _Context, link_attr: str | None
) -> list[Decl]:
    """The declarations that apply to ``node``, lowest priority first (the last of each property wins)."""
    ranked: list[tuple[tuple[int, int, tuple[int, int, int], int], Decl]] = []
    for i, decl in enumerate(_presentational(node, attrs, link_attr, ctx.quirks)):
        ranked.append(((0, -1, (0, 0, 0), i), decl))
    if ctx.sheet and wrapper is not None:
        matched = ctx.matches.get(id(node))
        if matched is None:
            matched = ctx.matches[id(node)] = ctx.sheet.match(wrapper)
        for specificity, order, payload in matched:
            rule: RuleDecls = payload
            if ctx.scheme not in rule.schemes:
                continue
            for k, decl in enumerate(rule.decls):
                ranked.append(((int(decl.important), 0, specificity, order * 1000 + k), decl))
    style = attrs.get("style")
    if style:
        for k, decl in enumerate(_inline_declarations(style)):
            ranked.append(((int(decl.important), 1, (0, 0, 0), k), decl))
    ranked.sort(key=lambda item: item[0])
    return [decl for _, decl in ranked]


@functools.lru_cache(maxsize=4096)
def _inline_declarations(style: str) -> tuple[Decl, ...]:
    """The declarations of a ``style`` attribute (cached: e-mails repeat the same inline styles)."""
    from brandrail.creative.css import declarations

    return tuple(declarations(style))


def _valid(name: str, value: str) -> bool:
    """Parse-time validity of the properties brandrail reads (an invalid declaration is dropped)."""
    low = value.strip().lower()
    if "var(" in low:
        return True  # checked after substitution
    if low in _INHERIT_KEYWORDS or low == "initial":
        return True
    if name == "color":
        return low in ("currentcolor", "transparent") or parse_css_colour(value) is not None
    if name == "background-color":
        return low in ("currentcolor", "transparent") or parse_css_colour(value) is not None
    if name == "font-size":
        return _length_px(low, 16.0) is not None
    if name == "font":
        return _font_shorthand(value) is not None
    return True


def _compute(
    node: _Node,
    attrs: dict[str, str],
    wrapper: Any,
    parent: Element,
    parent_state: dict[str, Any],
    ctx: _Context,
    link_attr: str | None,
) -> tuple[Element, dict[str, Any]]:
    tag = node.name
    decls = _cascade(node, attrs, wrapper, ctx, link_attr)
    # custom properties first (inherited), then the rest with var() substituted
    custom: dict[str, str] = parent_state["custom"]
    own_custom = [d for d in decls if d.name.startswith("--")]
    if own_custom:
        custom = dict(custom)
        for d in own_custom:
            value = _substitute(d.value, custom)
            if value is None:
                custom.pop(d.name, None)
            else:
                custom[d.name] = value
    style: dict[str, str] = {}
    for d in decls:
        if d.name.startswith("--") or not _valid(d.name, d.value):
            continue
        value = _substitute(d.value, custom)
        if value is None or not _valid(d.name, value):
            value = "unset"  # invalid at computed-value time
        if d.name == "font":
            expanded = _font_shorthand(value) or {"font-size": "unset", "font-weight": "unset"}
            style.update(expanded)
        elif d.name == "background":
            low = value.strip().lower()
            if low in _INHERIT_KEYWORDS or low == "initial":
                style["background-color"] = low
                style["background-image"] = low
            else:
                colour = _background_colour(value)
                if "currentcolor" in low:
                    style["background-color"] = "currentcolor"
                elif colour is not None:
                    style["background-color"] = _colour_text(colour)
                else:
                    style["background-color"] = "transparent"
                style["background-image"] = value if ("url(" in low or "gradient(" in low) else "none"
        else:
            style[d.name] = value

    # colour
    color, alpha = parent.color, parent.color_alpha
    own = style.get("color")
    if own is not None:
        low = own.strip().lower()
        if low in _INHERIT_KEYWORDS or low == "currentcolor":
            pass
        elif low == "initial":
            color, alpha = ctx.default_color, 1.0
        elif low == "transparent":
            alpha = 0.0
        else:
            parsed = parse_css_colour(own)
            if parsed is not None:
                color, alpha = parsed
    elif tag == "a" and "href" in attrs:
        color, alpha = ctx.link_color, 1.0
    # -webkit-text-fill-color paints the letters instead of `color` (every current browser reads it)
    fill = style.get("-webkit-text-fill-color")
    if fill is not None:
        low = fill.strip().lower()
        if low == "transparent":
            alpha = 0.0
        elif low not in _INHERIT_KEYWORDS and low not in ("currentcolor", "initial"):
            parsed = parse_css_colour(fill)
            if parsed is not None:
                color, alpha = parsed
    # background
    background, background_set = parent.background, parent.background_set
    own_bg: tuple[RGB, float] | None = None
    bg_value = style.get("background-color")
    if bg_value is not None:
        low = bg_value.strip().lower()
        if low == "currentcolor":
            own_bg = (color, alpha)
        elif low == "inherit":
            own_bg = parent_state["own_bg"]
        else:
            own_bg = parse_css_colour(bg_value)
    if own_bg is not None and own_bg[1] > 0:
        rgb, a = own_bg
        background = rgb if a >= 1 else composite(rgb, a, parent.background)
        background_set = True
    image_value = style.get("background-image", "").lower()
    gradient = parent.gradient
    if "url(" in image_value or "gradient(" in image_value:
        background_image = True
        gradient = _gradient_colours(image_value, background)
    elif own_bg is not None and own_bg[1] > 0:
        background_image, gradient = False, ()
    else:
        background_image = parent.background_image
    # font size
    font_px = parent.font_px
    size_value = style.get("font-size")
    if size_value is not None and size_value.strip().lower() not in _INHERIT_KEYWORDS:
        low = size_value.strip().lower()
        size = 16.0 if low == "initial" else _length_px(low, parent.font_px, ctx.root_px)
        if size is not None:
            font_px = size
    elif size_value is None:
        if tag in _HEADING_EM:
            font_px = parent.font_px * _HEADING_EM[tag]
        elif tag == "small":
            font_px = parent.font_px / 1.2
        elif tag == "big":
            font_px = parent.font_px * 1.2
    # weight
    bold = parent.bold or tag in _BOLD_TAGS
    weight = style.get("font-weight", "").strip().lower()
    if weight in {"bold", "bolder"} or (weight.isdigit() and int(weight) >= 700):
        bold = True
    elif weight in {"normal", "lighter", "initial"} or (weight.isdigit() and int(weight) < 700):
        bold = False
    # hidden
    hidden = bool(parent_state["box_hidden"])
    display = style.get("display", "").strip().lower()
    overflow = (
        style.get("overflow", "") + " " + style.get("overflow-x", "") + " " + style.get("overflow-y", "")
    )
    clips = "hidden" in overflow.lower() or "clip" in overflow.lower()
    kind = _box_kind(tag, display, style)
    tiny_box = (
        clips
        and kind == "block"
        and any(_tiny(style.get(p), font_px) for p in ("height", "max-height", "width", "max-width"))
    )
    # lines under 2 px high in a clipping block without a height of its own: the box collapses and clips
    # its text, unless a descendant's own line height (or height) gives it room
    lh_value = style.get("line-height", "").strip().lower()
    if not lh_value or lh_value in _INHERIT_KEYWORDS:
        line_tiny = bool(parent_state.get("line_tiny"))
    else:
        line_tiny = _tiny(lh_value, font_px, unitless=True)
    collapsing = bool(parent_state.get("collapsing")) and not _tall(style, font_px)
    if clips and kind == "block" and line_tiny and not _tall(style, font_px):
        collapsing = True
    opacity = style.get("opacity", "").strip()
    if "filter" in style and "opacity" in style["filter"]:  # filter: opacity(0) fades as opacity does
        filtered = _filter_opacity(style["filter"])
        if filtered < 1:
            opacity = str(_opacity(opacity or "1") * filtered)
    if (
        display == "none"
        or (opacity and _opacity(opacity) <= 0)
        or tiny_box
        or _moved_out(style, font_px, kind)
        or _clipped_away(style, kind)
        or (_closed_details(parent) and tag != "summary")
        or (tag == "dialog" and "open" not in attrs)  # a closed dialog: display:none by the user agent
    ):
        hidden = True
    visibility = parent_state["visibility"]
    vis_value = style.get("visibility", "").strip().lower()
    if vis_value in ("hidden", "collapse"):
        visibility = "hidden"
    elif vis_value == "visible":
        visibility = "visible"
    el = Element(
        tag,
        attrs,
        node.span[0] if node.span else 0,
        node.span[1] if node.span else 0,
        parent if parent.tag != "#root" else None,
        color,
        alpha,
        background,
        background_set,
        font_px,
        bold,
        hidden or visibility == "hidden" or (collapsing and line_tiny and tag != "img"),
    )
    el.boxless = display == "none"
    el.inline = kind == "inline" and display != "none"
    el.in_link = el if (tag == "a" and "href" in attrs) else parent.in_link
    el.background_image = background_image
    el.gradient = gradient
    el.opacity, el.backdrop = parent.opacity, parent.backdrop
    own_opacity = _opacity(opacity)
    if own_opacity < 1:
        if parent.opacity >= 1:
            el.backdrop = parent.seen_background  # the group is painted onto what is behind it
        el.opacity = parent.opacity * own_opacity
    state = {
        "custom": custom,
        "own_bg": own_bg,
        "visibility": visibility,
        "box_hidden": hidden,
        "line_tiny": line_tiny,
        "collapsing": collapsing,
    }
    return el, state


def _closed_details(el: Element) -> bool:
    """``el`` is a closed ``<details>``: only its summary is shown."""
    return el.tag == "details" and "open" not in el.attrs


_FILTER_OPACITY = re.compile(r"opacity\(\s*([-+]?[\d.]+%?)\s*\)")


def _filter_opacity(value: str) -> float:
    """The product of the ``opacity()`` functions of a CSS ``filter`` value, in [0, 1]."""
    product = 1.0
    for m in _FILTER_OPACITY.finditer(value.lower()):
        product *= _opacity(m.group(1))
    return product


def _opacity(value: str) -> float:
    """A CSS ``opacity`` value (number or percentage) clamped to [0, 1]; 1 when unset or invalid."""
    text = value.strip()
    try:
        number = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        return 1.0
    return min(1.0, max(0.0, number))


def _colour_text(colour: tuple[RGB, float]) -> str:
    (r, g, b), a = colour
    return f"rgba({r}, {g}, {b}, {a})"


def _attrs(node: _Node) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in node.attributes.items():
        name = key if isinstance(key, str) else key[1]
        out[str(name).lower()] = value or ""
    return out


def _etree(root: _Node) -> tuple[ElementTree.Element, list[_Node]]:
    """A parallel xml.etree tree for cssselect2, and the elements in document order (pre-order, the order of
    ``ElementTree.iter()`` and cssselect2's ``iter_subtree()``)."""
    html_node = next((c for c in root.childNodes if getattr(c, "kind", "") == "element"), None)
    if html_node is None:
        return ElementTree.Element("html"), []
    top = ElementTree.Element(html_node.name, _attrs(html_node))
    order: list[_Node] = []
    todo: list[tuple[_Node, ElementTree.Element]] = [(html_node, top)]
    while todo:
        node, et = todo.pop()
        order.append(node)
        made = []
        for child in node.childNodes:
            if getattr(child, "kind", "") == "element":
                sub = ElementTree.SubElement(et, child.name, _attrs(child))
                if any(getattr(t, "kind", "") == "text" and t.data.strip() for t in child.childNodes):
                    sub.text = "x"  # so that :empty does not match
                made.append((child, sub))
        todo.extend(reversed(made))
    return top, order


def _in_template(node: _Node) -> bool:
    """Inside a ``<template>``: inert content, whose style sheets do not apply."""
    parent = node.parent
    while parent is not None:
        if parent.name == "template":
            return True
        parent = parent.parent
    return False


def _meta_dark(order: list[_Node]) -> bool:
    """The e-mail opts into a dark colour scheme with ``<meta name="color-scheme">`` (or Apple's older
    ``supported-color-schemes``)."""
    for node in order:
        attrs = _attrs(node)
        named = attrs.get("name", "").lower() in ("color-scheme", "supported-color-schemes")
        if node.name == "meta" and named and "dark" in attrs.get("content", "").lower():
            return True
    return False


def _root_dark(order: list[_Node], wrappers: dict[int, Any], ctx: _Context) -> bool:
    """The root element's ``color-scheme`` (from the cascade: style sheets or its style attribute) allows dark."""
    if not order:
        return False
    root = order[0]
    scheme = ""
    for decl in _cascade(root, _attrs(root), wrappers.get(id(root)), ctx, None):
        if decl.name == "color-scheme":
            scheme = decl.value.lower()
    return "dark" in scheme


def _build(
    root: _Node,
    html: str,
    order: list[_Node],
    wrappers: dict[int, Any],
    ctx: _Context,
    collect: bool,
) -> _Built:
    """Compute the style of every rendered element (pre-order) and, when ``collect``, the text runs, links,
    images and the text style sheets generate."""
    origin = Element(
        "#root", {}, 0, 0, None, ctx.default_color, 1.0, ctx.default_background, False, 16.0, False, False
    )
    elements: list[Element] = []
    runs: list[TextRun] = []
    links: list[Link] = []
    images: list[Image] = []
    generated: list[Generated] = []
    body = next((n for n in order if n.name == "body"), None)
    link_attr = _attrs(body).get("link", "").strip() or None if body is not None else None
    state0: dict[str, Any] = {"custom": {}, "own_bg": None, "visibility": "visible", "box_hidden": False}
    # iterative pre-order walk; ("exit", element) markers close an element's run range and link
    html_node = order[0] if order else None
    if html_node is None:
        return _Built(elements, runs, links, images, generated)
    todo: list[tuple[str, Any, Element, dict[str, Any]]] = [("node", html_node, origin, state0)]
    link_stack: list[Link] = []
    while todo:
        kind, item, parent, pstate = todo.pop()
        if kind == "exit":
            el: Element = item
            el.runs_from, el.runs_to = pstate["runs_from"], len(runs)
            after = pstate.get("after")
            if after:
                at = runs[-1].end if el.runs_to > el.runs_from else el.end
                for text_after, hidden_after, where_after in after:
                    generated.append(Generated(text_after, at, el, "after", hidden_after, where_after))
            if link_stack and link_stack[-1].element is el:
                link_stack.pop()
            continue
        if kind == "text":
            text: _Text = item
            if collect and not _closed_details(parent):
                runs.append(TextRun(text.data, text.start, max(text.start, min(text.end, len(html))), parent))
                parent.text.append(text.data)
                if text.data.strip():
                    for link in link_stack:
                        link.text = (link.text + " " + text.data.strip()).strip()
            continue
        node: _Node = item
        if node.name in _SKIP or node.namespace not in (None, "http://www.w3.org/1999/xhtml"):
            continue
        attrs = _attrs(node)
        el, state = _compute(node, attrs, wrappers.get(id(node)), parent, pstate, ctx, link_attr)
        el.index = len(elements)
        if not elements:
            ctx.root_px = el.font_px  # rem is relative to the root element's font size
        elements.append(el)
        if collect:
            if node.name in ("a", "area") and "href" in attrs:  # an image map's area is a link too
                link = Link(attrs["href"].strip(), el.start, el.end, el)
                links.append(link)
                link_stack.append(link)
            if node.name == "img":
                around = link_stack[-1] if link_stack else None
                images.append(Image(attrs, el.start, el.end, around, el))
                if around is not None and attrs.get("alt", "").strip():
                    around.image_alts.append(attrs["alt"].strip())
        state = {**state, "runs_from": len(runs)}
        if collect and ctx.sheet.generates and wrappers.get(id(node)) is not None:
            made = _pseudo_contents(ctx.sheet, wrappers[id(node)], attrs)
            for text_before, hidden_before, where_before in [
                *made.get("marker", ()),
                *made.get("before", ()),
            ]:
                generated.append(Generated(text_before, el.end, el, "before", hidden_before, where_before))
            state["after"] = made.get("after")
        if collect and node.name == "q":
            quotes = _quotes(_cascade(node, attrs, wrappers.get(id(node)), ctx, None))
            if quotes is not None:
                from brandrail.creative.css import CONTEXTS

                everywhere = frozenset(CONTEXTS)
                if quotes[0]:
                    generated.append(Generated(quotes[0], el.end, el, "before", False, everywhere))
                if quotes[1]:
                    state["after"] = [*(state.get("after") or ()), (quotes[1], False, everywhere)]
        if collect and node.name == "li":
            marker = _list_style_string(attrs, parent)
            if marker:
                from brandrail.creative.css import CONTEXTS

                generated.append(Generated(marker, el.end, el, "before", False, frozenset(CONTEXTS)))
        todo.append(("exit", el, parent, state))
        for child in reversed(node.childNodes):
            if child.kind == "text":
                todo.append(("text", child, el, state))
            elif child.kind == "element":
                todo.append(("node", child, el, state))
    return _Built(elements, runs, links, images, generated)


_QUOTE_STRING = re.compile(r"\"([^\"]{0,200})\"|'([^']{0,200})'")


def _quotes(decls: list[Decl]) -> tuple[str, str] | None:
    """The opening and closing marks a ``<q>`` shows (its ``::before``/``::after`` are ``open-quote`` and
    ``close-quote`` by default) when its own ``quotes`` declaration sets them: ``quotes: "Flaw" "less"``
    shows "Flaw" and "less" around the quotation. None without one (the browser's own quote marks; a
    ``quotes`` inherited from an ancestor is not read)."""
    value = next((d.value for d in reversed(decls) if d.name == "quotes"), None)
    if value is None:
        return None
    marks = [m.group(1) if m.group(1) is not None else m.group(2) for m in _QUOTE_STRING.finditer(value)]
    return (marks[0], marks[1]) if len(marks) >= 2 else None


_LIST_STYLE_STRING = re.compile(
    r"(?i)(?:^|;)\s*list-style(?:-type)?\s*:[^;]*?(?P<q>[\"'])(?P<text>[^\"']{1,200})(?P=q)"
)


def _list_style_string(attrs: dict[str, str], parent: Element | None) -> str:
    """The marker text a string ``list-style-type`` (or ``list-style``) shows before a list item
    (``<ul style="list-style-type:'Guaranteed: '">``): from the item's own ``style`` or its list's."""
    for style in (attrs.get("style", ""), parent.attrs.get("style", "") if parent is not None else ""):
        m = _LIST_STYLE_STRING.search(style) if "list-style" in style.lower() else None
        if m is not None:
            return m.group("text")
    return ""


@dataclass
class _Built:
    """What :func:`_build` computes: elements, and when collecting, text runs, links, images, generated text."""

    elements: list[Element]
    runs: list[TextRun]
    links: list[Link]
    images: list[Image]
    generated: list[Generated]


def _pseudo_contents(
    sheet: StyleSheet, wrapper: Any, attrs: dict[str, str]
) -> dict[str, list[tuple[str, bool, frozenset[str]]]]:
    """The text the ``::before`` and ``::after`` rules of the style sheets give an element in each context
    (:data:`brandrail.creative.css.CONTEXTS`; see :func:`_pseudo_content`), one entry per distinct text and
    hiding with the contexts it is shown in: a rule inside ``@media (prefers-color-scheme: dark)`` (or a
    phone-only query) generates text in that context only. The selectors are matched once."""
    from brandrail.creative.css import CONTEXTS

    matched = sheet.match_pseudo(wrapper)
    if not matched:
        return {}
    # the contexts that can differ: one reading when every matching rule applies everywhere
    everywhere = frozenset(CONTEXTS)
    if all(payload.schemes == everywhere for _, _, _, payload in matched):
        return {
            pseudo: [(text, hidden, everywhere)]
            for pseudo, (text, hidden) in _pseudo_content(matched, "light", attrs).items()
        }
    by_reading: dict[str, dict[tuple[str, bool], set[str]]] = {}
    for context in CONTEXTS:
        for pseudo, reading in _pseudo_content(matched, context, attrs).items():
            by_reading.setdefault(pseudo, {}).setdefault(reading, set()).add(context)
    return {
        pseudo: [(text, hidden, frozenset(where)) for (text, hidden), where in readings.items()]
        for pseudo, readings in by_reading.items()
    }


def _pseudo_content(
    matched: list[tuple[str, tuple[int, int, int], int, RuleDecls]], scheme: str, attrs: dict[str, str]
) -> dict[str, tuple[str, bool]]:
    """The text the ``::before`` and ``::after`` rules ``matched`` (an element's, from
    :meth:`StyleSheet.match_pseudo`) give it in context ``scheme`` (see
    :func:`brandrail.creative.css.generated_text`), and whether the pseudo-element's own style hides it."""
    from brandrail.creative.css import generated_text

    ranked: dict[str, list[tuple[tuple[int, tuple[int, int, int], int], Decl]]] = {}
    for pseudo, specificity, order, payload in matched:
        rule: RuleDecls = payload
        if scheme not in rule.schemes:
            continue
        for k, decl in enumerate(rule.decls):
            ranked.setdefault(pseudo, []).append(((int(decl.important), specificity, order * 1000 + k), decl))
    out: dict[str, tuple[str, bool]] = {}
    for pseudo, decls in ranked.items():
        decls.sort(key=lambda item: item[0])
        style = {d.name: d.value.strip().lower() for _, d in decls}
        raw = {d.name: d.value for _, d in decls}
        if "content" not in raw:
            continue
        text = generated_text(raw["content"], attrs)
        if not text:
            continue
        size = _length_px(style["font-size"], 16.0) if "font-size" in style else None
        hidden = (
            style.get("display") == "none"
            or style.get("visibility") in ("hidden", "collapse")
            or ("opacity" in style and _opacity(style["opacity"]) <= 0)
            or (size is not None and size < 2)
            or style.get("color") == "transparent"
        )
        out[pseudo] = (text, hidden)
    return out


def _normalise_newlines(html: str) -> tuple[str, list[int] | None]:
    """HTML with CR LF / CR as LF (as the HTML tokenizer sees it) and, when that changed anything, the map from
    offsets in the normalised text back to the original."""
    if "\r" not in html:
        return html, None
    mapping: list[int] = []
    out: list[str] = []
    i = 0
    while i < len(html):
        ch = html[i]
        mapping.append(i)
        if ch == "\r":
            out.append("\n")
            i += 2 if html.startswith("\r\n", i) else 1
        else:
            out.append(ch)
            i += 1
    mapping.append(len(html))
    return "".join(out), mapping


def email_of_document(doc: Document, default_color: str, default_background: str) -> Email:
    """The parsed e-mail of ``doc.text`` (parsed once per document and default colours, and shared by every
    rule that reads it)."""
    key = (default_color, default_background)
    cache: dict[tuple[str, str], Email] = doc.__dict__.setdefault("_brandrail_email", {})
    email = cache.get(key)
    if email is None:
        email = cache[key] = parse_email(doc.text, default_color=default_color, default_background=key[1])
    return email


def parse_email(html: str, *, default_color: str = "#000000", default_background: str = "#ffffff") -> Email:
    """Parse an HTML e-mail as a browser does (never raises on malformed markup)."""
    text, mapping = _normalise_newlines(html)
    import cssselect2  # type: ignore[import-untyped]

    from brandrail.creative._html5 import HTML5Parser
    from brandrail.creative.css import StyleSheet

    parser = HTML5Parser()
    parser.parse(text)
    root: _Node = parser.tree.getDocument()
    et_root, order = _etree(root)
    # style sheets: every <style> element, wherever it stands (browsers apply them all)
    sheet = StyleSheet()
    for node in order:
        if node.name == "style" and not _in_template(node):
            media = _attrs(node).get("media", "")
            css = "".join(t.data for t in node.childNodes if t.kind == "text")
            if media.strip():
                css = f"@media {media} {{ {css} }}"
            sheet.add(css)
    wrappers: dict[int, Any] = {}
    if sheet and order:
        wrapper_root = cssselect2.ElementWrapper.from_html_root(et_root)
        for node, wrapper in zip(order, wrapper_root.iter_subtree(), strict=False):
            wrappers[id(node)] = wrapper
    quirks = parser.compatMode == "quirks"
    light = _Context(
        hex_to_rgb(default_color), hex_to_rgb(default_background), LINK_DEFAULT, sheet, "light", quirks
    )
    built = _build(root, text, order, wrappers, light, True)
    elements, runs, links, images, generated = (
        built.elements,
        built.runs,
        built.links,
        built.images,
        built.generated,
    )
    dark_elements: list[Element] | None = None
    opts_in = _meta_dark(order) or _root_dark(order, wrappers, light)
    if sheet.scheme_specific or opts_in:
        dark = _Context(
            DARK_TEXT if opts_in else light.default_color,
            DARK_CANVAS if opts_in else light.default_background,
            LINK_DEFAULT_DARK if opts_in else LINK_DEFAULT,
            sheet,
            "dark",
            quirks,
            matches=light.matches,
        )
        dark_elements = _build(root, text, order, wrappers, dark, False).elements
    mobile_build = None
    if sheet.viewport_specific:
        phone = _Context(light.default_color, light.default_background, LINK_DEFAULT, sheet, "mobile", quirks)
        phone.matches = light.matches

        def mobile_build() -> list[Element]:
            return _build(root, text, order, wrappers, phone, False).elements

    if mapping is not None:
        runs = [TextRun(r.text, mapping[r.start], mapping[r.end], r.element) for r in runs]
        for el in elements:
            el.start, el.end = mapping[el.start], mapping[el.end]
        for link in links:
            link.start, link.end = link.element.start, link.element.end
        images = [Image(i.attrs, mapping[i.start], mapping[i.end], i.link, i.element) for i in images]
        generated = [replace(g, at=mapping[g.at]) for g in generated]
    return Email(
        html, elements, runs, links, images, dark_elements, generated=generated, mobile_build=mobile_build
    )
