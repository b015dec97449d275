"""Find the prose in plain text, Markdown and HTML, keeping every piece's offsets into the original.

Markup is parsed, not regex-stripped: HTML with the standard library's tokenizer (tags, comments, entities,
``<script>``/``<style>`` skipped), Markdown with markdown-it-py for block structure (fenced and indented code,
HTML blocks) and a small inline scanner for code spans, link destinations, autolinks and inline tags.
Bare URLs and e-mail-like link targets are never prose.

The result is a list of :class:`Piece` — a run of prose and where it came from. Two pieces are joined with
nothing between them when only inline markup separated them (``guar<b>an</b>teed`` is one word), and with a
newline otherwise.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from dataclasses import dataclass
from html.entities import html5 as html5_entities
from html.entities import name2codepoint
from html.parser import HTMLParser

__all__ = [
    "INLINE_TAGS",
    "URL_RE",
    "VOID_TAGS",
    "Piece",
    "extract",
    "extract_html",
    "extract_markdown",
    "extract_plain",
]

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
        "u", "var", "wbr",
    }
)  # fmt: skip
# Not prose: what a reader never sees as text, and code (as in Markdown). <noscript> content (mail clients run
# no scripts) and an inline SVG's <text> are shown, so a banned word there is read; an SVG's <title>, <desc>
# and <metadata> are not shown.
_SKIP_TAGS = frozenset(
    {"script", "style", "head", "template", "math", "code", "pre", "title", "desc", "metadata"}
)
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
_TAG_NAME = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)")
_ALT_ATTR = re.compile(
    r"""\salt\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'=<>`]+))""", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Piece:
    """Prose ``text`` that stands at ``original[start:end]``; ``joined`` when only inline markup precedes it."""

    start: int
    end: int
    text: str
    joined: bool = False


def _split_urls(start: int, text: str, joined: bool) -> list[Piece]:
    """Cut bare URLs out of a run of prose (same length text only)."""
    if "://" not in text and "www." not in text.lower():  # fast path: no URL can be here
        return [Piece(start, start + len(text), text, joined)] if text else []
    pieces: list[Piece] = []
    cursor = 0
    for m in URL_RE.finditer(text):
        if m.start() > cursor:
            pieces.append(
                Piece(start + cursor, start + m.start(), text[cursor : m.start()], joined and not pieces)
            )
        cursor = m.end()
    if cursor < len(text):
        pieces.append(
            Piece(start + cursor, start + len(text), text[cursor:], joined and not pieces and cursor == 0)
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


def _alt_text(tag: str, at: int) -> list[Piece]:
    """The alt text of the start tag ``tag`` (written at offset ``at``) when it is an image's: prose the reader
    gets (a screen reader reads it, a mail client that blocks images shows it), at the value's place in the
    tag, character references decoded each at its place. Empty for other tags and tags without one."""
    name = _TAG_NAME.match(tag)
    alt = _ALT_ATTR.search(tag) if name is not None and name.group(1).lower() in _ALT_TAGS else None
    if alt is None or alt.lastgroup is None:
        return []
    start = at + alt.start(alt.lastgroup)
    return [Piece(start + p.start, start + p.end, p.text) for p in extract_plain(alt.group(alt.lastgroup))]


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


class _HTMLProse(HTMLParser):
    def __init__(self, source: str, base: int) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.base = base
        self.lines = _LineIndex(source)
        self.pieces: list[Piece] = []
        self.skip_depth = 0
        self.skip_stack: list[str] = []
        self.pending_join = False

    def _pos(self) -> int:
        line, col = self.getpos()
        return self.lines.offset(line, col)

    def _emit(self, start: int, end: int, text: str) -> None:
        if self.skip_depth or not text:
            return
        joined = self.pending_join and bool(self.pieces)
        self.pieces.extend(
            _split_urls(self.base + start, text, joined)
            if len(text) == end - start
            else [Piece(self.base + start, self.base + end, text, joined)]
        )
        self.pending_join = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS and tag not in VOID_TAGS:
            self.skip_depth += 1
            self.skip_stack.append(tag)
        if tag not in INLINE_TAGS:
            self.pending_join = False
        if tag in _ALT_TAGS:
            self._alt(attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in INLINE_TAGS:
            self.pending_join = False
        if tag in _ALT_TAGS:
            self._alt(attrs)

    def _alt(self, attrs: list[tuple[str, str | None]]) -> None:
        """The tag's alt text as a block of its own (see :func:`_alt_text`)."""
        raw = self.get_starttag_text()
        if raw is None or not any(k == "alt" and v and v.strip() for k, v in attrs):
            return
        self.pending_join = False
        for piece in _alt_text(raw, self._pos()):
            self._emit(piece.start, piece.end, piece.text)
        self.pending_join = False

    def handle_endtag(self, tag: str) -> None:
        if tag in self.skip_stack:
            while self.skip_stack:
                self.skip_depth -= 1
                if self.skip_stack.pop() == tag:
                    break
        if tag not in INLINE_TAGS:
            self.pending_join = False

    def handle_data(self, data: str) -> None:
        start = self._pos()
        self._emit(start, start + len(data), data)

    def _ref(self, raw_len_text: str, char: str) -> None:
        start = self._pos()
        # getpos points at '&'; find the reference's full extent in the source
        end = self.source.find(";", start, start + len(raw_len_text) + 2)
        end = end + 1 if end != -1 else start + len(raw_len_text)
        self._emit(start, end, char)

    def handle_entityref(self, name: str) -> None:
        cp = name2codepoint.get(name)
        self._ref("&" + name, chr(cp) if cp is not None else f"&{name}")

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
    return parser.pieces


_MD_INLINE = re.compile(
    r"(?P<code>(?<!`)(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`))"
    r"|(?P<dest>\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"]*\")?\))"
    r"|(?P<refdef>^\s{0,3}\[[^\]]+\]:\s+\S+.*$)"
    r"|(?P<auto><(?:https?|mailto|ftp):[^>\s]+>)"
    r"|(?P<comment><!--.*?-->)"
    r"|(?P<tag></?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>)"
    r"|(?P<entity>&(?:#\d{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)"
    r"|(?P<escape>\\[!-/:-@\[-`{-~])",
    re.MULTILINE,
)


def _markdown_inline(text: str, start: int, end: int) -> list[Piece]:
    pieces: list[Piece] = []
    cursor = start
    segment = text[start:end]
    for m in _MD_INLINE.finditer(segment):
        a, b = start + m.start(), start + m.end()
        if a > cursor:
            pieces.extend(_split_urls(cursor, text[cursor:a], True))
        if m.group("entity"):
            decoded = html.unescape(m.group())
            pieces.append(Piece(a, b, decoded, True))
        elif m.group("escape"):  # a Markdown backslash escape stands for the character itself
            pieces.append(Piece(a, b, m.group()[1], True))
        elif m.group("tag"):  # inline HTML: an image's alt text is prose
            pieces.extend(_alt_text(m.group(), a))
        cursor = b
    if cursor < end:
        pieces.extend(_split_urls(cursor, text[cursor:end], True))
    return pieces


def extract_markdown(text: str) -> list[Piece]:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")
    tokens = md.parse(text)
    lines = _LineIndex(text)
    n_lines = len(lines.starts)
    excluded = [False] * n_lines
    html_blocks: list[tuple[int, int]] = []
    for tok in tokens:
        if tok.map is None:
            continue
        first, last = tok.map
        if tok.type in ("fence", "code_block"):
            for i in range(first, min(last, n_lines)):
                excluded[i] = True
        elif tok.type == "html_block":
            for i in range(first, min(last, n_lines)):
                excluded[i] = True
            html_blocks.append((first, last))
    # front matter (--- ... ---) at the very top is metadata, not prose
    if text.startswith("---\n"):
        close = text.find("\n---", 4)
        if close != -1:
            for i in range(lines.line_of(close + 1) + 1):
                excluded[i] = True
    pieces: list[Piece] = []
    i = 0
    while i < n_lines:
        if excluded[i]:
            block = next((b for b in html_blocks if b[0] == i), None)
            if block is not None:
                a = lines.starts[block[0]]
                b = lines.starts[block[1]] if block[1] < n_lines else len(text)
                sub = extract_html(text[a:b], a)
                if sub:
                    sub[0] = Piece(sub[0].start, sub[0].end, sub[0].text, False)
                pieces.extend(sub)
                i = block[1]
                continue
            i += 1
            continue
        j = i
        while j < n_lines and not excluded[j]:
            j += 1
        a = lines.starts[i]
        b = lines.starts[j] if j < n_lines else len(text)
        run = _markdown_inline(text, a, b)
        if run:
            run[0] = Piece(run[0].start, run[0].end, run[0].text, False)
        pieces.extend(run)
        i = j
    return pieces


def extract(text: str, kind: str) -> list[Piece]:
    """Prose pieces of ``text`` for ``kind`` in ``text``, ``markdown`` or ``html``."""
    if kind == "html":
        return extract_html(text)
    if kind == "markdown":
        return extract_markdown(text)
    return extract_plain(text)
