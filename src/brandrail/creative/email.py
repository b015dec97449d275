"""A parsed HTML e-mail: element tree with computed inline styles, text runs, links, images and preheader.

The markup is tokenised with the standard library's :class:`html.parser.HTMLParser`; every element, text
run, link and image keeps its offset into the original HTML, so findings point at the tag or text.

Styles come from inline ``style`` attributes, the presentational attributes e-mails still use
(``bgcolor``, ``<font color size>``) and the simple-selector rules of ``<style>`` blocks (see
:mod:`brandrail.creative.css`); inline styles win.
Computed per element, as a browser would:

* ``color`` is inherited; a link without its own colour gets the user-agent default ``#0000ee``;
* the background is the nearest ancestor's ``background-color`` / ``background`` colour / ``bgcolor``;
  semi-transparent colours are composited over what is behind them; when the nearest background is an image
  or a gradient (``url()``, ``*-gradient()``, the ``background`` attribute) the colour behind the text is
  unknown and ``background_image`` is set;
* ``font-size`` in px, pt, em, rem, % or keywords (``<h1>``-``<h6>``, ``<small>``, ``<big>`` default sizes);
  bold from ``font-weight`` ≥ 700 / ``bold`` or ``<b>``, ``<strong>``, ``<th>``, headings;
* hidden (inherited): ``display:none``, ``visibility:hidden``, ``mso-hide:all``, ``opacity:0``,
  ``max-height:0`` with ``overflow:hidden``, the ``hidden`` attribute; text is also invisible where its own font
  size is under 2 px (``font-size:0`` on a cell whose children set their own size hides only the gaps).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from brandrail.creative.colour import RGB, composite, hex_to_rgb, parse_css_colour
from brandrail.creative.css import StyleSheet, matching_declarations
from brandrail.text.extract import VOID_TAGS

__all__ = ["Element", "Email", "Image", "Link", "TextRun", "parse_email"]

_VOID = VOID_TAGS
_SKIP = frozenset({"script", "style", "head", "title", "template", "noscript"})
_AUTO_CLOSE = {
    "p": {"p"},
    "li": {"li"},
    "td": {"td", "th"},
    "th": {"td", "th"},
    "tr": {"tr"},
    "option": {"option"},
}
#: An implied end tag never reaches past these (``<td>`` does not close a cell of an outer table).
_SCOPE = {
    "td": frozenset({"table", "tr"}),
    "th": frozenset({"table", "tr"}),
    "tr": frozenset({"table"}),
    "li": frozenset({"ul", "ol", "table", "td", "th"}),
    "option": frozenset({"select", "table"}),
}
_BLOCKS = frozenset({"body", "div", "table", "td", "th", "li", "blockquote", "section", "article", "center"})
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
_LENGTH = re.compile(r"^(-?\d*\.?\d+)\s*(px|pt|em|rem|%)?$")
#: Characters e-mail builders pad preheaders with; not counted in its length.
PREHEADER_FILLERS = "\u200c\u200b\u200d\u034f\u00ad\u2007\ufeff"
LINK_DEFAULT = (0, 0, 238)
#: Elements nest at most this deep (WebKit's HTML parser caps DOM depth at 512 too); bounds every ancestor walk.
MAX_DEPTH = 512


def parse_style(value: str) -> dict[str, str]:
    """``'color: #333; font-size:14px'`` → {'color': '#333', 'font-size': '14px'} (last one wins)."""
    out: dict[str, str] = {}
    for decl in value.split(";"):
        if ":" not in decl:
            continue
        prop, _, val = decl.partition(":")
        prop = prop.strip().lower()
        val = val.replace("!important", "").strip()
        if prop and val:
            out[prop] = val
    return out


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
    if unit == "px":
        return number
    if unit == "pt":
        return number * 4 / 3
    if unit == "em":
        return number * parent_px
    if unit == "rem":
        return number * root_px
    return number / 100 * parent_px


def _background_colour(value: str) -> tuple[RGB, float] | None:
    """The colour in a ``background`` shorthand (``url(...) no-repeat #fff`` → #fff)."""
    whole = parse_css_colour(value)
    if whole is not None:
        return whole
    stripped = re.sub(r"url\([^)]*\)", " ", value)
    for token in re.findall(r"(?:rgba?|hsla?)\([^)]*\)|#[0-9a-fA-F]{3,8}\b|[A-Za-z]+", stripped):
        parsed = parse_css_colour(token)
        if parsed is not None:
            return parsed
    return None


@dataclass(frozen=True)
class _Probe:
    """An element about to be created, for selector matching."""

    tag: str
    attrs: dict[str, str]
    parent: Element | None


@dataclass
class Element:
    """One element with its computed style; ``start``/``end`` are the offsets of its start tag."""

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
    close: int = -1  # offset where the element ends (its end tag or what closed it); -1 while open
    background_image: bool = (
        False  # the nearest background is an image or gradient: colour behind text unknown
    )
    text: list[str] = field(default_factory=list, repr=False)

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").lower().split()

    @property
    def invisible(self) -> bool:
        """Text here is not seen: the element is hidden or its font size is under 2 px."""
        return self.hidden or self.font_px < 2

    @property
    def large_text(self) -> bool:
        """WCAG large text: at least 18 pt (24 px), or 14 pt (18.66 px) and bold."""
        return self.font_px >= 24 - 1e-6 or (self.bold and self.font_px >= 18.66)

    @property
    def foreground(self) -> RGB:
        """The text colour as seen, with a semi-transparent colour composited over the background."""
        if self.color_alpha >= 1:
            return self.color
        return composite(self.color, self.color_alpha, self.background)


@dataclass(frozen=True)
class TextRun:
    """Visible or hidden text at ``[start, end)`` of the HTML, inside ``element``."""

    text: str
    start: int
    end: int
    element: Element


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


@dataclass(frozen=True)
class Image:
    """An ``<img>`` tag: its attributes and offsets, and the link around it if any."""

    attrs: dict[str, str]
    start: int
    end: int
    link: Link | None

    @property
    def is_tracking_pixel(self) -> bool:
        return self.attrs.get("width", "").strip() in {"0", "1"} and self.attrs.get("height", "").strip() in {
            "0",
            "1",
        }


@dataclass
class Email:
    """Everything the HTML e-mail rules need, parsed once per document."""

    html: str
    elements: list[Element]
    runs: list[TextRun]
    links: list[Link]
    images: list[Image]
    cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def visible_runs(self) -> list[TextRun]:
        return [r for r in self.runs if not r.element.invisible and _clean_preheader(r.text)]

    @property
    def visible_text(self) -> str:
        return "\n".join(r.text for r in self.visible_runs)

    def _subtree_runs(self, el: Element) -> list[TextRun]:
        """Text runs inside ``el``: those between its start tag and where it closed (runs are in order)."""
        lo = bisect_left(self._run_starts, el.end)
        hi = bisect_left(self._run_starts, el.close if el.close >= 0 else len(self.html) + 1)
        return self.runs[lo:hi]

    @property
    def _run_starts(self) -> list[int]:
        starts: list[int] | None = self.cache.get("_run_starts")
        if starts is None:
            starts = [r.start for r in self.runs]
            self.cache["_run_starts"] = starts
        return starts

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
            group = self._subtree_runs(el)
            return _clean_preheader(" ".join(r.text for r in group)), group[0].start, group[-1].end
        return None


def _clean_preheader(text: str) -> str:
    text = text.translate({ord(c): None for c in PREHEADER_FILLERS})
    return " ".join(text.replace("\u00a0", " ").split())


class _Parser(HTMLParser):
    def __init__(self, html: str, default_color: RGB, default_background: RGB) -> None:
        super().__init__(convert_charrefs=True)
        self.html = html
        self.line_starts = [0, *(m.end() for m in re.finditer("\n", html))]
        self.root = Element(
            "#root", {}, 0, 0, None, default_color, 1.0, default_background, False, 16.0, False, False
        )
        self.stack: list[Element] = [self.root]
        self.elements: list[Element] = []
        self.runs: list[TextRun] = []
        self.links: list[Link] = []
        self.link_stack: list[Link] = []
        self.images: list[Image] = []
        self.skip_depth = 0
        self.in_style = False
        self.css_text: list[str] = []
        self.css = StyleSheet()
        self.pending: tuple[str, int, Element] | None = None

    def _pos(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def _flush(self, end: int) -> None:
        if self.pending is not None:
            text, start, el = self.pending
            self.pending = None
            self.runs.append(TextRun(text, start, max(start, end), el))
            el.text.append(text)
            for link in self.link_stack:
                link.text = (link.text + " " + text.strip()).strip() if text.strip() else link.text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self._pos()
        self._flush(start)
        raw = self.get_starttag_text() or ""
        end = start + len(raw)
        attr = {k.lower(): (v or "") for k, v in attrs}
        if tag == "body":  # a body start closes an unclosed <head>
            self.skip_depth = 0
            self.in_style = False
        if tag in _SKIP:
            if tag not in _VOID:
                self.skip_depth += 1
            self.in_style = tag == "style"
            return
        if self.skip_depth:
            return
        closes = _AUTO_CLOSE.get(tag)
        if closes:
            scope = _SCOPE.get(tag, _BLOCKS)
            for i in range(len(self.stack) - 1, 0, -1):
                if self.stack[i].tag in closes:
                    self._pop_to(i)
                    break
                if self.stack[i].tag in scope:
                    break
        parent = self.stack[-1]
        el = self._compute(tag, attr, start, end, parent)
        self.elements.append(el)
        if tag == "a" and "href" in attr:
            link = Link(attr["href"].strip(), start, end, el)
            self.links.append(link)
            self.link_stack.append(link)
            el.in_link = el
        if tag == "img":
            around = self.link_stack[-1] if self.link_stack else None
            self.images.append(Image(attr, start, end, around))
            if around is not None and attr.get("alt", "").strip():
                around.image_alts.append(attr["alt"].strip())
        if tag not in _VOID and not raw.rstrip().endswith("/>"):
            if len(self.stack) < MAX_DEPTH:  # deeper elements become leaves, as browsers cap nesting
                self.stack.append(el)
            else:
                el.close = end
        else:
            el.close = end

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)  # ``<x/>``: never pushed, so nothing to close

    def _pop_to(self, index: int, at: int | None = None) -> None:
        where = self._pos() if at is None else at
        for el in self.stack[index:]:
            el.close = where
            if el.tag == "a" and self.link_stack and self.link_stack[-1].element is el:
                self.link_stack.pop()
        del self.stack[index:]

    def handle_endtag(self, tag: str) -> None:
        self._flush(self._pos())
        if tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
            if tag == "style" and self.in_style:
                self.in_style = False
                self.css.add("".join(self.css_text))
                self.css_text.clear()
            return
        if self.skip_depth:
            return
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                self._pop_to(i)
                return

    def handle_data(self, data: str) -> None:
        if self.in_style:
            self.css_text.append(data)
            return
        if self.skip_depth:
            return
        start = self._pos()
        if self.pending is not None:  # the parser may split a run (e.g. around entities)
            text, pstart, el = self.pending
            if el is self.stack[-1]:
                self.pending = (text + data, pstart, el)
                return
            self._flush(start)
        self.pending = (data, start, self.stack[-1])

    def handle_comment(self, data: str) -> None:
        self._flush(self._pos())

    def close(self) -> None:
        super().close()
        self._flush(len(self.html))
        for el in self.elements:
            if el.close < 0:
                el.close = len(self.html)

    def _compute(self, tag: str, attr: dict[str, str], start: int, end: int, parent: Element) -> Element:
        style = parse_style(attr.get("style", ""))
        if self.css:
            style = {**matching_declarations(self.css, _Probe(tag, attr, parent)), **style}
        # colour
        color, alpha = parent.color, parent.color_alpha
        own = None
        if "color" in style:
            own = parse_css_colour(style["color"])
        elif tag == "font" and "color" in attr:
            own = parse_css_colour(attr["color"])
        if own is not None:
            color, alpha = own
        elif tag == "a" and "href" in attr:
            color, alpha = LINK_DEFAULT, 1.0
        # background
        background, background_set = parent.background, parent.background_set
        bg = None
        if "background-color" in style:
            bg = parse_css_colour(style["background-color"])
        elif "background" in style:
            bg = _background_colour(style["background"])
        elif "bgcolor" in attr:
            bg = parse_css_colour(attr["bgcolor"])
            if bg is None and re.fullmatch(r"[0-9a-fA-F]{6}", attr["bgcolor"].strip()):
                bg = (hex_to_rgb(attr["bgcolor"].strip()), 1.0)
        if bg is not None:
            rgb, a = bg
            background = rgb if a >= 1 else composite(rgb, a, parent.background)
            background_set = True
        layers = style.get("background-image", "") + " " + style.get("background", "")
        if "url(" in layers or "gradient(" in layers or attr.get("background", "").strip():
            background_image = True
        elif bg is not None:
            background_image = False
        else:
            background_image = parent.background_image
        # font size
        font_px = parent.font_px
        if "font-size" in style:
            size = _length_px(style["font-size"], parent.font_px)
            if size is not None:
                font_px = size
        elif tag in _HEADING_EM:
            font_px = parent.font_px * _HEADING_EM[tag]
        elif tag == "small":
            font_px = parent.font_px / 1.2
        elif tag == "big":
            font_px = parent.font_px * 1.2
        elif tag == "font" and attr.get("size", "").strip().lstrip("+-").isdigit():
            raw = attr["size"].strip()
            n = int(raw) if raw[0].isdigit() else 3 + int(raw)
            font_px = _FONT_SIZE_ATTR[min(7, max(1, n))]
        # weight
        bold = parent.bold or tag in _BOLD_TAGS
        weight = style.get("font-weight", "").lower()
        if weight in {"bold", "bolder"} or (weight.isdigit() and int(weight) >= 700):
            bold = True
        elif weight in {"normal", "lighter"} or (weight.isdigit() and int(weight) < 700):
            bold = False
        # hidden
        hidden = parent.hidden
        display = style.get("display", "").lower()
        if (
            display == "none"
            or style.get("visibility", "").lower() == "hidden"
            or style.get("mso-hide", "").lower() == "all"
            or style.get("opacity", "").strip() in {"0", "0.0", "0%"}
            or (
                (_length_px(style.get("max-height", "1"), 16) or 1) <= 0
                and style.get("overflow", "").lower() == "hidden"
            )
            or "hidden" in attr
        ):
            hidden = True
        el = Element(
            tag, attr, start, end, parent, color, alpha, background, background_set, font_px, bold, hidden
        )
        el.in_link = parent.in_link
        el.background_image = background_image
        return el


def parse_email(html: str, *, default_color: str = "#000000", default_background: str = "#ffffff") -> Email:
    """Parse an HTML e-mail (never raises on malformed markup; unknown end tags are ignored)."""
    parser = _Parser(html, hex_to_rgb(default_color), hex_to_rgb(default_background))
    parser.feed(html)
    parser.close()
    return Email(html, parser.elements, parser.runs, parser.links, parser.images)
