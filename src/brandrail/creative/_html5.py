"""html5lib wrapped to keep source offsets: the tokenizer records where each token starts and ends, and a
tree builder makes a small node tree whose elements and text nodes carry those spans.

Imported only when an e-mail is parsed (html5lib takes tens of milliseconds to import).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from typing import Any

from html5lib import html5parser  # type: ignore[import-untyped]
from html5lib._inputstream import HTMLUnicodeInputStream  # type: ignore[import-untyped]
from html5lib._tokenizer import HTMLTokenizer  # type: ignore[import-untyped]
from html5lib.constants import EOF, namespaces, tokenTypes  # type: ignore[import-untyped]
from html5lib.treebuilders import base as tb  # type: ignore[import-untyped]

__all__ = ["MAX_DEPTH", "HTML5Parser"]

#: Elements nest at most this deep (WebKit's HTML parser caps DOM depth at 512 too); deeper start tags
#: become siblings at the deepest level, which bounds every ancestor walk.
MAX_DEPTH = 512

_PARSE_ERROR = tokenTypes["ParseError"]
_CHARACTER_TOKENS = frozenset({tokenTypes["Characters"], tokenTypes["SpaceCharacters"]})
_ASCII_LOWER = {ord(c): ord(c.lower()) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
_ATTR_NAME_END = frozenset("=>/\t\n\x0c ")
_ATTR_NAME_STOP = frozenset("=>/\t\n\x0c \u0000")

# -- html5lib with source offsets -------------------------------------------------------------------------


class _Stream(HTMLUnicodeInputStream):  # type: ignore[misc]
    """html5lib's input stream, counting the absolute offset of the next character."""

    def reset(self) -> None:
        super().reset()
        self.consumed = 0

    def readChunk(self, chunkSize: int | None = None) -> bool:  # noqa: N802, N803 (html5lib API)
        self.consumed += self.chunkSize
        result: bool = super().readChunk(chunkSize)
        return result

    def unget(self, char: Any) -> None:
        if char is not EOF and self.chunkOffset == 0:
            self.consumed -= 1  # the character is put back in front of the current chunk
        super().unget(char)

    @property
    def offset(self) -> int:
        return int(self.consumed + self.chunkOffset)


class _Tokenizer(HTMLTokenizer):  # type: ignore[misc]
    """html5lib's tokenizer; each token is yielded with ``self.span``, its [start, end) in the source."""

    def __init__(self, text: str, parser: Any) -> None:
        super().__init__(text, parser=parser)
        self.stream = _Stream(text)
        self.span: tuple[int, int] = (0, 0)
        self.current: dict[str, Any] | None = None
        # character tokens since the last other token, and the run before it: html5lib buffers text met
        # inside a table and inserts it while processing the next tag
        self.chars: list[tuple[str, int, int]] = []
        self.previous_chars: list[tuple[str, int, int]] = []
        self._data_states = {
            self.dataState.__func__,
            self.rcdataState.__func__,
            self.rawtextState.__func__,
            self.scriptDataState.__func__,
            self.plaintextState.__func__,
        }

    def attributeNameState(self) -> bool:  # noqa: N802 (html5lib API)
        """html5lib's state without its scan for duplicate names (quadratic in the attribute count; it only
        reports a parse error — duplicates are dropped when the tag is emitted, keeping the first)."""
        data = self.stream.char()
        current = self.currentToken["data"][-1]
        if data in _ATTR_NAME_END:
            current[0] = current[0].translate(_ASCII_LOWER)
            if data == "=":
                self.state = self.beforeAttributeValueState
            elif data == ">":
                self.emitCurrentToken()
            elif data == "/":
                self.state = self.selfClosingStartTagState
            else:
                self.state = self.afterAttributeNameState
        elif data is EOF:
            current[0] = current[0].translate(_ASCII_LOWER)
            self.state = self.dataState
        elif data == "\u0000":
            current[0] += "\ufffd"
        else:
            current[0] += data + self.stream.charsUntil(_ATTR_NAME_STOP)
        return True

    def __iter__(self) -> Iterator[dict[str, Any]]:
        self.tokenQueue: deque[dict[str, Any]] = deque()
        stream = self.stream
        mark = 0
        data_states = self._data_states
        while True:
            if self.state.__func__ in data_states:
                mark = stream.offset
            if not self.state():
                break
            if stream.errors:
                stream.errors.clear()
            while self.tokenQueue:
                token = self.tokenQueue.popleft()
                if token["type"] == _PARSE_ERROR:  # not needed
                    continue
                self.span = (mark, stream.offset)
                self.current = token
                if token["type"] in _CHARACTER_TOKENS:
                    self.chars.append((token["data"], mark, stream.offset))
                elif self.chars:
                    self.previous_chars, self.chars = self.chars, []
                yield token
                if self.state.__func__ in data_states:
                    mark = stream.offset


class _Text:
    __slots__ = ("data", "end", "parent", "start")
    kind = "text"

    def __init__(self, data: str, start: int, end: int) -> None:
        self.data = data
        self.start = start
        self.end = end
        self.parent: _Node | None = None


class _Node(tb.Node):  # type: ignore[misc]
    """A tree node (element, document, comment or doctype) with the span of its start tag."""

    def __init__(self, name: str, namespace: str | None = None) -> None:
        super().__init__(name)
        self.namespace = namespace
        self.span: tuple[int, int] | None = None
        self.kind = "element"
        self.builder: _Builder | None = None

    @property
    def nameTuple(self) -> tuple[str, str]:  # noqa: N802 (html5lib API)
        return (self.namespace or namespaces["html"], self.name)

    def appendChild(self, node: Any) -> None:  # noqa: N802
        if isinstance(node, _Text):
            self._add_text(node, None)
            return
        node.parent = self
        self.childNodes.append(node)

    def _add_text(self, text: _Text, before: Any) -> None:
        index = len(self.childNodes) if before is None else self.childNodes.index(before)
        prev = self.childNodes[index - 1] if index > 0 else None
        if isinstance(prev, _Text):  # adjacent text merges into one node, as in the DOM
            prev.data += text.data
            prev.start, prev.end = min(prev.start, text.start), max(prev.end, text.end)
            return
        text.parent = self
        self.childNodes.insert(index, text)

    def insertText(self, data: str, insertBefore: Any = None) -> None:  # noqa: N802, N803
        assert self.builder is not None
        start, end = self.builder.text_span(data)
        self._add_text(_Text(data, start, end), insertBefore)

    def insertBefore(self, node: Any, refNode: Any) -> None:  # noqa: N802, N803
        if isinstance(node, _Text):
            self._add_text(node, refNode)
            return
        node.parent = self
        self.childNodes.insert(self.childNodes.index(refNode), node)

    def removeChild(self, node: Any) -> None:  # noqa: N802
        self.childNodes.remove(node)
        node.parent = None

    def reparentChildren(self, newParent: Any) -> None:  # noqa: N802, N803
        children: list[Any] = self.childNodes
        for child in children:
            child.parent = newParent
            newParent.childNodes.append(child)
        children.clear()

    def cloneNode(self) -> _Node:  # noqa: N802
        node = _Node(self.name, self.namespace)
        node.attributes = dict(self.attributes)
        node.span = self.span
        node.builder = self.builder
        return node

    def hasContent(self) -> bool:  # noqa: N802
        return bool(self.childNodes)


class _Builder(tb.TreeBuilder):  # type: ignore[misc]
    """An html5lib tree builder making :class:`_Node` trees whose elements and texts carry source spans."""

    def __init__(self, namespaceHTMLElements: bool = False) -> None:  # noqa: N803
        self.tokenizer: _Tokenizer | None = None
        self.depth_capped = False
        super().__init__(namespaceHTMLElements)

    def documentClass(self) -> _Node:  # noqa: N802
        node = _Node("#document")
        node.kind = "document"
        node.builder = self
        return node

    def elementClass(self, name: str, namespace: str | None = None) -> _Node:  # noqa: N802
        node = _Node(name, namespace)
        node.builder = self
        return node

    def commentClass(self, data: str) -> _Node:  # noqa: N802
        node = _Node("#comment")
        node.kind = "comment"
        node.builder = self
        return node

    def doctypeClass(self, name: str, publicId: str | None = None, systemId: str | None = None) -> _Node:  # noqa: N802, N803
        node = _Node("#doctype")
        node.kind = "doctype"
        node.builder = self
        return node

    def fragmentClass(self) -> _Node:  # noqa: N802
        return self.documentClass()

    def _spanned(self, node: _Node, token: dict[str, Any]) -> _Node:
        tok = self.tokenizer
        if tok is not None and token is tok.current:
            node.span = tok.span
        return node

    def createElement(self, token: dict[str, Any]) -> _Node:  # noqa: N802
        return self._spanned(super().createElement(token), token)

    def insertElementNormal(self, token: dict[str, Any]) -> _Node:  # noqa: N802
        if len(self.openElements) >= MAX_DEPTH:
            # as WebKit: past the depth limit, the new element becomes a sibling at the deepest level
            self.depth_capped = True
            node = self.elementClass(token["name"], token.get("namespace", self.defaultNamespace))
            node.attributes = token["data"]
            self.openElements[-1].parent.appendChild(node)
            self.openElements[-1] = node
            return self._spanned(node, token)
        return self._spanned(super().insertElementNormal(token), token)

    def insertElementTable(self, token: dict[str, Any]) -> _Node:  # noqa: N802
        return self._spanned(super().insertElementTable(token), token)

    def text_span(self, data: str) -> tuple[int, int]:
        """Where ``data`` (being inserted) came from: the current Characters token, or the part of it inserted."""
        tok = self.tokenizer
        if tok is None or tok.current is None:
            return (0, 0)
        if tok.current["type"] not in _CHARACTER_TOKENS:
            run = tok.previous_chars  # text buffered in a table, inserted at the next tag
            joined = "".join(d for d, _, _ in run)
            if run and joined.endswith(data):
                # the last tokens that make up ``data``
                need, i = len(data), len(run)
                while need > 0 and i > 0:
                    i -= 1
                    need -= len(run[i][0])
                return (run[i][1], run[-1][2])
            return tok.span
        start, end = tok.span
        whole = tok.current.get("data")
        if isinstance(whole, str) and whole != data and end - start == len(whole):
            if whole.endswith(data):
                return (end - len(data), end)
            if whole.startswith(data):
                return (start, start + len(data))
        return (start, end)

    def getDocument(self) -> _Node:  # noqa: N802
        doc: _Node = self.document
        return doc

    def testSerializer(self, node: Any) -> str:  # noqa: N802
        return ""


class HTML5Parser(html5parser.HTMLParser):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__(tree=_Builder, namespaceHTMLElements=False)

    def _parse(
        self,
        stream: Any,
        innerHTML: bool = False,  # noqa: N803 (html5lib API)
        container: str = "div",
        scripting: bool = False,
        **kwargs: Any,
    ) -> None:
        self.innerHTMLMode = innerHTML
        self.container = container
        self.scripting = scripting
        self.tokenizer = _Tokenizer(stream, parser=self)
        self.tree.tokenizer = self.tokenizer
        self.reset()
        self.mainLoop()
