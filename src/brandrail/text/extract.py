"""Find the prose in plain text, Markdown and HTML, keeping every piece's offsets into the original.

Markup is parsed, not regex-stripped: HTML with the standard library's tokenizer (tags, comments, entities,
``<script>``/``<style>`` skipped), Markdown with markdown-it-py for block structure (fenced and indented code,
HTML blocks, link reference definitions) and a small inline scanner for code spans, link destinations,
autolinks and inline tags. Bare URLs and e-mail-like link targets are never prose.

What a reader can see or hear is prose; what no reader is ever shown is not (docs/content.md, "What is
read"). Text formatted as code (Markdown code spans and blocks, ``<code>``, ``<pre>``, ``<kbd>``, ``<samp>``,
``<tt>``) is prose marked ``code``: the reader sees it like any other text, and a policy may let some rules
skip it (``code_text.skipped_by``). Text a reader gets from an attribute — a tooltip (``title``), a screen
reader's label (``aria-label``), a field's ``placeholder`` or prefilled ``value``, a link preview's
description — and a Markdown link title are prose too, placed after the other pieces (so wrapping a word in
an element with a ``title`` never splits a phrase); front matter keys a reader is shown (``subject``,
``preheader``, ``title``, ``description``...) are read where they stand.

The result is a list of :class:`Piece` — a run of prose and where it came from. Two pieces are joined with
nothing between them when only inline markup separated them (``guar<b>an</b>teed`` is one word), and with a
newline otherwise.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from html.entities import html5 as html5_entities
from html.entities import name2codepoint
from html.parser import HTMLParser

__all__ = [
    "CODE_TAGS",
    "INLINE_TAGS",
    "URL_RE",
    "VOID_TAGS",
    "Piece",
    "extract",
    "extract_html",
    "extract_markdown",
    "extract_plain",
    "is_inline",
]

#: A web address: with its scheme or "www.". A host name with a path and no scheme ("fernhill.example/trade-in")
#: is read as words: required disclosures and their accepted forms name such addresses, and are found by
#: their words (cutting it out of the reading left a policy's "see fernhill.example/trade-in" never found).
URL_RE = re.compile(
    r"\b(?:https?://|ftp://|www\.)[^\s<>\"'`)\]]+[^\s<>\"'`)\].,;:!?]",
    re.IGNORECASE,
)

#: Elements laid out inline by default (HTML's phrasing content): only they join the words on either side
#: (``guar<b>an</b>teed`` is one word). Shared with the creative checks' box model.
INLINE_TAGS = frozenset(
    {
        "a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "data", "dfn", "em", "font", "i", "kbd",
        "label", "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "tt",
        "u", "var", "wbr", "ruby", "rb", "rt", "rp", "del", "ins", "output", "nobr", "acronym", "slot",
    }
)  # fmt: skip


def is_inline(tag: str) -> bool:
    """Whether the element ``tag`` is laid out inline by default: :data:`INLINE_TAGS`, and custom elements
    (a name with a hyphen, "<my-mark>"), which a browser lays out inline until a style says otherwise."""
    return tag in INLINE_TAGS or "-" in tag


#: Elements whose text is formatted as code: prose marked ``code`` (see ``code_text.skipped_by``).
CODE_TAGS = frozenset({"code", "pre", "kbd", "samp", "tt", "xmp", "listing"})
# Not prose: what no reader is shown: scripts, style sheets and an SVG's machine-readable <metadata>. Everything
# else is read, if only by the rules that forbid something: <title> (the browser tab, the e-mail subject),
# <template> (inert until a script shows it), MathML, an SVG's <title> (a tooltip) and <desc> (read by screen
# readers), <noscript> (mail clients run no scripts and show it). Whether a reader sees a text is decided by
# the disclosure rules' seen view (brandrail.content.disclosures.seen_view), not here.
_SKIP_TAGS = frozenset({"script", "style", "metadata"})
#: Ruby annotations (<rt>) and their fallback parentheses (<rp>): shown above the base text, read as an aside.
_ANNOTATION_TAGS = frozenset({"rt", "rp"})
VOID_TAGS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)


#: Tags whose ``alt`` text is prose, and where the value stands in the tag as written.
_ALT_TAGS = frozenset({"img", "area", "input"})
#: Attributes whose value a reader gets on any element: a tooltip, a screen reader's name or description, the
#: hint shown in an empty field.
_SHOWN_ATTRS = ("title", "aria-label", "aria-description", "placeholder")
#: Elements whose ``title`` attribute no reader is shown (a style sheet set's name, a script's).
_NO_TITLE_TAGS = frozenset({"link", "style", "script", "meta", "base", "head", "html"})
#: ``<input type>`` whose ``value`` is shown: a button's label or a field's prefilled text (not a hidden,
#: check box, radio, password or file input).
_VALUE_SHOWN_TYPES = frozenset({"", "text", "search", "email", "tel", "url", "button", "submit", "reset"})
#: ``<meta name|property>`` whose ``content`` a reader is shown: search results and link previews.
_SHOWN_META = frozenset({"description", "og:title", "og:description", "twitter:title", "twitter:description"})
#: Every attribute :func:`_attribute_text` may read (a tag without one is not scanned).
_READ_ATTRS = frozenset({*_SHOWN_ATTRS, "value", "content"})
_TAG_NAME = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)")
_ATTR = re.compile(
    r"""(?P<name>[^\s"'<>/=]+)(?:\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'=<>`]+)))?"""
)


@dataclass(frozen=True, slots=True)
class Piece:
    """Prose ``text`` that stands at ``original[start:end]``; ``joined`` when only inline markup precedes it;
    ``code`` when it is formatted as code; ``aside`` when a reader gets it only on request or through
    assistive technology (an attribute: alt text, a tooltip, an accessible label; a link's title), so it is
    read for what it says but never counts as a disclosure the reader was shown."""

    start: int
    end: int
    text: str
    joined: bool = False
    code: bool = False
    aside: bool = False


def _split_urls(start: int, text: str, joined: bool, code: bool = False) -> list[Piece]:
    """Cut bare URLs out of a run of prose (same length text only)."""
    if "://" not in text and "www." not in text.lower():  # fast path: no URL can be here
        return [Piece(start, start + len(text), text, joined, code)] if text else []
    pieces: list[Piece] = []
    cursor = 0
    for m in URL_RE.finditer(text):
        if m.start() > cursor:
            pieces.append(
                Piece(
                    start + cursor, start + m.start(), text[cursor : m.start()], joined and not pieces, code
                )
            )
        cursor = m.end()
    if cursor < len(text):
        pieces.append(
            Piece(
                start + cursor, start + len(text), text[cursor:], joined and not pieces and cursor == 0, code
            )
        )
    return pieces


_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def extract_plain(text: str) -> list[Piece]:
    """Plain text is prose as written, except that HTML character references (``che&shy;ap``, ``&#8203;``,
    ``&amp;``) are decoded: a model or a template may emit them, and the reader sees the decoded character.
    Only complete references with their ``;`` are decoded ("AT&T", "Q&A" stay as they are)."""
    if not text:
        return []
    if "&" not in text or ";" not in text:
        return _split_urls(0, text, False)
    pieces: list[Piece] = []
    cursor = 0
    for m in _ENTITY.finditer(text):
        ref = m.group()
        if ref[1] != "#" and ref[1:] not in html5_entities:  # not a known reference: leave it as text
            continue
        decoded = html.unescape(ref)
        if m.start() > cursor:
            pieces.extend(_split_urls(cursor, text[cursor : m.start()], bool(pieces)))
        pieces.append(Piece(m.start(), m.end(), decoded, bool(pieces)))
        cursor = m.end()
    if cursor < len(text):
        pieces.extend(_split_urls(cursor, text[cursor:], bool(pieces)))
    return pieces


def _attributes(tag: str) -> tuple[str, dict[str, tuple[int, str]]]:
    """The lower-case name of the start tag ``tag`` (as written) and its attributes: lower-case name → (offset
    of the value in ``tag``, value as written); the first of two attributes of one name counts, as in a
    browser."""
    name = _TAG_NAME.match(tag)
    if name is None:
        return "", {}
    attrs: dict[str, tuple[int, str]] = {}
    end = len(tag) - (2 if tag.endswith("/>") else 1)
    for m in _ATTR.finditer(tag, name.end(), max(end, name.end())):
        key = m.group("name").lower()
        if key in attrs:
            continue
        group = m.lastgroup if m.lastgroup in ("dq", "sq", "bare") else None
        attrs[key] = (m.start(group), m.group(group)) if group else (m.end(), "")
    return name.group(1).lower(), attrs


def _value_pieces(at: int, value: str) -> list[Piece]:
    """Prose of an attribute value (or a link title) standing at offset ``at``, character references decoded
    each in place; ``aside`` (see :class:`Piece`)."""
    return (
        [Piece(at + p.start, at + p.end, p.text, p.joined, aside=True) for p in extract_plain(value)]
        if value.strip()
        else []
    )


def _alt_text(tag: str, at: int) -> list[Piece]:
    """The alt text of the start tag ``tag`` (written at offset ``at``) when it is an image's: prose the reader
    gets (a screen reader reads it, a mail client that blocks images shows it), at the value's place in the
    tag, character references decoded each at its place. Empty for other tags and tags without one."""
    name, attrs = _attributes(tag)
    if name not in _ALT_TAGS or "alt" not in attrs:
        return []
    offset, value = attrs["alt"]
    return _value_pieces(at + offset, value)


def _attribute_text(tag: str, at: int) -> list[Piece]:
    """Prose a reader gets from the attributes of start tag ``tag`` (written at ``at``) besides alt text: a
    tooltip, an accessible name or description, a field's placeholder or prefilled value, a button's label,
    a link preview's text. Each value is a block of its own."""
    name, attrs = _attributes(tag)
    if not attrs:
        return []
    wanted = [k for k in _SHOWN_ATTRS if k in attrs and not (k == "title" and name in _NO_TITLE_TAGS)]
    if name == "input" and "value" in attrs:
        kind = attrs["type"][1].strip().lower() if "type" in attrs else ""
        if kind in _VALUE_SHOWN_TYPES:
            wanted.append("value")
    if name == "meta" and "content" in attrs:
        which = attrs.get("name") or attrs.get("property")
        if which is not None and which[1].strip().lower() in _SHOWN_META:
            wanted.append("content")
    pieces: list[Piece] = []
    for key in wanted:
        offset, value = attrs[key]
        pieces.extend(_value_pieces(at + offset, value))
    return pieces


class _LineIndex:
    def __init__(self, text: str) -> None:
        self.starts = [0]
        for m in re.finditer("\n", text):
            self.starts.append(m.end())

    def offset(self, line: int, col: int) -> int:
        """Offset of 1-based ``line`` and 0-based ``col`` (as HTMLParser.getpos reports)."""
        return self.starts[min(line - 1, len(self.starts) - 1)] + col

    def line_of(self, offset: int) -> int:
        return bisect_right(self.starts, offset) - 1


def _shows_nothing(tag: str, attrs: list[tuple[str, str | None]]) -> bool:
    """Whether the element ``tag`` shows nothing and makes no box, so the words on either side stay joined:
    a hidden form field (``<input type="hidden">``) or an ``<svg>`` of zero width or height (its end tag
    keeps the join when nothing that breaks the line stands inside: "Guaran<svg width="0"></svg>teed")."""
    if tag == "input":
        return any(k == "type" and (v or "").strip().lower() == "hidden" for k, v in attrs)
    if tag == "svg":
        return any(
            k in ("width", "height") and _ZERO_SIZE.fullmatch((v or "").strip().lower()) for k, v in attrs
        )
    return False


_ZERO_SIZE = re.compile(r"(?:0+(?:\.0*)?|\.0+)(?:px|em|rem|%)?")

#: The deepest nesting of open elements followed (deeper ones are read as inline as before).
_MAX_OPEN = 256
_DISPLAY = re.compile(r"(?:^|;)\s*display\s*:\s*(inline-)?(flex|grid)\b", re.IGNORECASE)
_COLUMN_FLOW = re.compile(r"(?:^|;)\s*flex-(?:direction|flow)\s*:\s*column", re.IGNORECASE)
_GRID_ACROSS = re.compile(
    r"(?:^|;)\s*grid-(?:template-columns|template-areas|template|auto-flow)\s*:", re.IGNORECASE
)


def _stacks_items(attrs: list[tuple[str, str | None]]) -> bool:
    """Whether the element's inline style makes it a container that stacks its items one under another: a flex
    column (``flex-direction: column`` or ``column-reverse``) or a grid with no columns or flow set (one
    column). Its children then each stand on a line of their own and make no word together."""
    style = next((v for k, v in attrs if k == "style" and v), None)
    if style is None:
        return False
    shown = _DISPLAY.search(style)
    if shown is None:
        return False
    if shown.group(2).lower() == "flex":
        return _COLUMN_FLOW.search(style) is not None
    return _GRID_ACROSS.search(style) is None


class _HTMLProse(HTMLParser):
    def __init__(self, source: str, base: int) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.base = base
        self.lines = _LineIndex(source)
        self.pieces: list[Piece] = []
        self.deferred: list[Piece] = []  # attribute text: a block of its own, after the flow of the text
        self.skip_depth = 0
        self.skip_stack: list[str] = []
        self.code_stack: list[str] = []
        self.pending_join = False
        self.annotation_depth = 0  # inside <rt>/<rp>: a ruby annotation, shown above the base text
        # the open elements, each with whether it stacks its items (a flex column, a one-column grid)
        self.open: list[tuple[str, bool]] = []

    def _pos(self) -> int:
        line, col = self.getpos()
        return self.lines.offset(line, col)

    def _emit(self, start: int, end: int, text: str) -> None:
        if self.skip_depth or not text:
            return
        joined = self.pending_join and bool(self.pieces)
        code = bool(self.code_stack)
        self.pieces.extend(
            _split_urls(self.base + start, text, joined, code)
            if len(text) == end - start
            else [Piece(self.base + start, self.base + end, text, joined, code)]
        )
        self.pending_join = True

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not is_inline(tag) and not _shows_nothing(tag, attrs):
            self.pending_join = False
        if self.skip_depth:
            return
        if tag in _ALT_TAGS:
            self._alt(attrs)
        if any(k in _READ_ATTRS and v and v.strip() for k, v in attrs):
            raw = self.get_starttag_text()
            if raw is not None:
                at = self.base + self._pos()
                self.deferred.extend(
                    replace(p, start=p.start + at, end=p.end + at) for p in _attribute_text(raw, 0)
                )

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.open and self.open[-1][1]:
            self.pending_join = False  # an item of a stacking container starts a line of its own
        self._tag(tag, attrs)
        if tag in VOID_TAGS:
            return
        if len(self.open) < _MAX_OPEN:
            self.open.append((tag, _stacks_items(attrs)))
        if tag in _SKIP_TAGS:
            self.skip_depth += 1
            self.skip_stack.append(tag)
        if tag in CODE_TAGS:
            self.code_stack.append(tag)
        if tag in _ANNOTATION_TAGS:
            self.annotation_depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs)

    def _alt(self, attrs: list[tuple[str, str | None]]) -> None:
        """The tag's alt text as a block of its own (see :func:`_alt_text`)."""
        raw = self.get_starttag_text()
        if raw is None or not any(k == "alt" and v and v.strip() for k, v in attrs):
            return
        self.pending_join = False
        code, self.code_stack = self.code_stack, []  # alt text is not code, even on an image inside <code>
        for piece in _alt_text(raw, self._pos()):
            self._emit(piece.start, piece.end, piece.text)
        self.code_stack = code
        self.pending_join = False

    def handle_endtag(self, tag: str) -> None:
        if any(t == tag for t, _ in self.open):
            while self.open and self.open.pop()[0] != tag:
                pass
            if self.open and self.open[-1][1]:
                self.pending_join = False  # the item of a stacking container ends its line
        if tag in self.skip_stack:
            while self.skip_stack:
                self.skip_depth -= 1
                if self.skip_stack.pop() == tag:
                    break
        if tag in self.code_stack:
            while self.code_stack and self.code_stack.pop() != tag:
                pass
        if tag in _ANNOTATION_TAGS and self.annotation_depth:
            self.annotation_depth -= 1
        if not is_inline(tag) and not (tag == "svg" and self.pending_join):
            self.pending_join = False

    def handle_data(self, data: str) -> None:
        start = self._pos()
        if self.annotation_depth and not self.skip_depth:
            # a ruby annotation is shown above (or, <rp>, instead of) the base text, not inside its words:
            # "<ruby>flaw<rt>x</rt>less</ruby>" reads "flawless"; the annotation is read as an aside
            if data.strip():
                self.deferred.append(
                    Piece(self.base + start, self.base + start + len(data), data, False, aside=True)
                )
            return
        self._emit(start, start + len(data), data)

    def _ref(self, raw_len_text: str, char: str) -> None:
        start = self._pos()
        # getpos points at '&'; find the reference's full extent in the source
        end = self.source.find(";", start, start + len(raw_len_text) + 2)
        end = end + 1 if end != -1 else start + len(raw_len_text)
        self._emit(start, end, char)

    def handle_entityref(self, name: str) -> None:
        cp = name2codepoint.get(name)
        if cp is not None:
            self._ref("&" + name, chr(cp))
            return
        # HTML5's named references beyond HTML 4's ("&ZeroWidthSpace;", "&NoBreak;", "&InvisibleTimes;"), with
        # their ";" as a browser needs them
        start = self._pos()
        decoded = html5_entities.get(name + ";")
        if decoded is not None and self.source.startswith(";", start + len(name) + 1):
            self._ref("&" + name, decoded)
        else:
            self._ref("&" + name, f"&{name}")

    def handle_charref(self, name: str) -> None:
        try:
            cp = int(name[1:], 16) if name[:1] in ("x", "X") else int(name)
            char = chr(cp) if 0 < cp < 0x110000 else "\ufffd"
        except ValueError:
            char = "\ufffd"
        self._ref("&#" + name, char)

    def handle_comment(self, data: str) -> None:
        pass


def extract_html(text: str, base: int = 0) -> list[Piece]:
    parser = _HTMLProse(text, base)
    parser.feed(text)
    parser.close()
    return parser.pieces + parser.deferred


_MD_INLINE = re.compile(
    r"(?P<code>(?<!`)(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`))"
    r"|(?P<image>!\[(?P<alt>[^\[\]\n]{0,200})\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\))"
    r"|(?P<empty>\[\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\))"
    r"|(?P<dest>\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+(?P<title>\"[^\"]*\"|'[^']*'))?\s*\))"
    r"|(?P<ref>\]\[[^\[\]\n]{0,100}\])"
    r"|(?P<auto><(?:https?|mailto|ftp):[^>\s]+>)"
    r"|(?P<comment><!--.*?-->)"
    r"|(?P<tag></?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>)"
    r"|(?P<entity>&(?:#\d{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)"
    r"|(?P<escape>\\[!-/:-@\[-`{-~])",
    re.MULTILINE,
)


# a link's text and the start of its destination ("[less](")
_NEXT_LINK = re.compile(r"\[[^\[\]\n]{1,200}\]\(")


def _markdown_inline(text: str, start: int, end: int, deferred: list[Piece]) -> list[Piece]:
    """Prose of the inline Markdown ``text[start:end]``; a link's title and an inline tag's attribute text
    go to ``deferred`` (blocks of their own, after the flow of the text)."""
    pieces: list[Piece] = []
    cursor = start
    code_depth = 0  # inside inline HTML <code>, <kbd>...
    segment = text[start:end]
    for m in _MD_INLINE.finditer(segment):
        a, b = start + m.start(), start + m.end()
        if a > cursor:
            pieces.extend(_split_urls(cursor, text[cursor:a], True, code_depth > 0))
        if m.group("entity"):
            decoded = html.unescape(m.group())
            pieces.append(Piece(a, b, decoded, True, code_depth > 0))
        elif m.group("escape"):  # a Markdown backslash escape stands for the character itself
            pieces.append(Piece(a, b, m.group()[1], True, code_depth > 0))
        elif m.group("code"):  # a code span: shown as written, marked as code
            ticks = len(m.group("ticks"))
            pieces.extend(_split_urls(a + ticks, text[a + ticks : b - ticks], True, True))
        elif m.group("image"):  # an image shows no text in the flow: its alt text in place (as <img>'s)
            if m.group("alt").strip():
                pieces.append(
                    Piece(start + m.start("alt"), start + m.end("alt"), m.group("alt"), True, code_depth > 0)
                )
        elif m.group("empty") or m.group("ref"):
            # a link without text shows nothing ("bar[](#)gain" reads "bargain"), nor does a full or collapsed
            # reference link's label ("[Pure][r]va" reads "Pureva")
            pass
        elif m.group("dest"):  # a link's destination is no prose; its title is a tooltip
            if m.group("title"):
                at = start + m.start("title") + 1
                deferred.extend(_value_pieces(at, m.group("title")[1:-1]))
            if b < end and text[b] == "[" and _NEXT_LINK.match(text, b, end):
                # the next link's "[" right after this one shows nothing: "[flaw](a)[less](b)" reads "flawless"
                cursor = b + 1
                continue
        elif m.group("tag"):  # inline HTML: an image's alt text in place, other attribute text deferred
            tag = m.group()
            name = _TAG_NAME.match(tag.replace("</", "<", 1))
            if name is not None and name.group(1).lower() in CODE_TAGS and not tag.endswith("/>"):
                code_depth = max(code_depth - 1, 0) if tag.startswith("</") else code_depth + 1
            if not tag.startswith("</"):
                pieces.extend(_alt_text(tag, a))
                deferred.extend(_attribute_text(tag, a))
        cursor = b
    if cursor < end:
        pieces.extend(_split_urls(cursor, text[cursor:end], True, code_depth > 0))
    return pieces


#: Block tokens that hold other blocks: a line they cover may still be a link reference definition.
_CONTAINERS = frozenset({"blockquote_open", "bullet_list_open", "ordered_list_open", "list_item_open"})
_FENCE_LINE = re.compile(r"[ \t>]*(?:`{3,}|~{3,})[ \t]*\r?\n?")
_REFDEF = re.compile(
    r"""^[ \t>]*\[(?P<label>(?:[^\]\\\n]|\\.)+)\]:[ \t]*\n?[ \t>]*(?P<dest><[^>\n]*>|\S+)"""
    r"""(?:[ \t]*\n?[ \t>]*(?P<title>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\)))?[ \t]*$""",
    re.MULTILINE,
)
#: Front matter keys whose value a reader is shown: an e-mail's subject and preheader, a page's title and
#: description (search results, link previews, the page heading of most site generators).
_SHOWN_FRONT_KEYS = frozenset({"subject", "preheader", "title", "description", "summary", "excerpt"})
_FRONT_LINE = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)[ \t]*:[ \t]*(?P<value>.*?)[ \t]*$", re.MULTILINE)
_TOML_LINE = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)[ \t]*=[ \t]*(?P<value>.*?)[ \t]*$", re.MULTILINE)

_PROSE, _CODE, _SKIP, _HTML, _OTHER = 1, 2, 3, 4, 0


def _front_matter(text: str) -> tuple[int, list[Piece]]:
    """The end of the front matter at the top of ``text`` (0 when there is none) and the prose of the keys a
    reader is shown, ``aside``: read for what it says, but a disclosure must stand in the message itself, and
    where it stands (``position: start``) is counted in the message."""
    fence = text[:4]
    if fence not in ("---\n", "+++\n"):  # YAML, or TOML (Hugo) front matter
        return 0, []
    close = text.find("\n" + fence[:3], 4)
    if close == -1:
        return 0, []
    pieces: list[Piece] = []
    for m in (_FRONT_LINE if fence == "---\n" else _TOML_LINE).finditer(text, 4, close + 1):
        if m.group("key").lower() not in _SHOWN_FRONT_KEYS or not m.group("value"):
            continue
        value, a = m.group("value"), m.start("value")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value, a = value[1:-1], a + 1
        pieces.extend(replace(p, aside=True) for p in _split_urls(a, value, False))
    return close + 1, pieces


def _definitions(text: str, start: int, end: int, deferred: list[Piece]) -> list[Piece]:
    """Prose of lines no leaf block holds: link reference definitions, whose title is a tooltip, and
    footnote definitions (``[^1]: ...``), shown by the renderers that support them. Whatever else stands
    there is read as inline Markdown."""
    pieces: list[Piece] = []
    cursor = start
    for m in _REFDEF.finditer(text, start, end):
        if text[cursor : m.start()].strip():
            pieces.extend(_markdown_inline(text, cursor, m.start(), deferred))
        if m.group("label").startswith("^"):  # a footnote: its text is shown
            run = _markdown_inline(text, m.end("label") + 2, m.end(), deferred)
            if run:
                run[0] = replace(run[0], joined=False)
            pieces.extend(run)
        elif m.group("title"):
            pieces.extend(_value_pieces(m.start("title") + 1, m.group("title")[1:-1]))
        cursor = m.end()
    if text[cursor:end].strip():
        pieces.extend(_markdown_inline(text, cursor, end, deferred))
    return pieces


def extract_markdown(text: str) -> list[Piece]:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")
    tokens = md.parse(text)
    lines = _LineIndex(text)
    n_lines = len(lines.starts)
    state = [_OTHER] * n_lines
    html_ends: dict[int, int] = {}

    def line_text(i: int) -> str:
        return text[lines.starts[i] : lines.starts[i + 1] if i + 1 < n_lines else len(text)]

    for tok in tokens:
        if tok.map is None or tok.type in _CONTAINERS:
            continue
        first, last = tok.map[0], min(tok.map[1], n_lines)
        if tok.type == "fence":  # the fence lines are markup, the lines between them code
            state[first] = _SKIP
            for i in range(first + 1, last):
                state[i] = _CODE
            if last - 1 > first and _FENCE_LINE.fullmatch(line_text(last - 1)):
                state[last - 1] = _SKIP
        elif tok.type == "code_block":
            for i in range(first, last):
                state[i] = _CODE
        elif tok.type == "html_block":
            for i in range(first, last):
                state[i] = _HTML
            html_ends[first] = last
        else:
            for i in range(first, last):
                if state[i] == _OTHER:
                    state[i] = _PROSE
    # front matter (--- ... --- or TOML +++ ... +++) at the very top is metadata; the keys a reader is shown are read
    front_end, front = _front_matter(text)
    if front_end:
        for i in range(lines.line_of(front_end) + 1):
            state[i] = _SKIP
    pieces: list[Piece] = list(front)
    deferred: list[Piece] = []
    i = 0
    while i < n_lines:
        kind = state[i]
        j = html_ends.get(i, i + 1) if kind == _HTML else i + 1
        while kind != _HTML and j < n_lines and state[j] == kind:
            j += 1
        a = lines.starts[i]
        b = lines.starts[j] if j < n_lines else len(text)
        if kind == _PROSE:
            run = _markdown_inline(text, a, b, deferred)
        elif kind == _CODE:
            run = _split_urls(a, text[a:b], False, True)
        elif kind == _HTML:
            run = extract_html(text[a:b], a)
        elif kind == _OTHER:
            run = _definitions(text, a, b, deferred)
        else:
            run = []
        if run:
            run[0] = replace(run[0], joined=False)
        pieces.extend(run)
        i = j
    return pieces + deferred


def extract(text: str, kind: str) -> list[Piece]:
    """Prose pieces of ``text`` for ``kind`` in ``text``, ``markdown`` or ``html``."""
    if kind == "html":
        return extract_html(text)
    if kind == "markdown":
        return extract_markdown(text)
    return extract_plain(text)
