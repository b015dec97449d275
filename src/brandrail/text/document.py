"""The Document: what a content rule sees.

A Document holds the original text, the prose found in it (markup and URLs left out; text formatted as code
kept and marked, see :meth:`Document.without_code`), a normalised
view of that prose for matching (see :mod:`brandrail.text.normalize`) and the maps between them, so a rule
matches on ``doc.folded`` and reports spans in the original with :meth:`Document.norm_span`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

from brandrail.findings import Span
from brandrail.text.extract import Piece, extract
from brandrail.text.normalize import LEET, disguised_char, normalize

__all__ = ["Document", "Kind", "Suppression"]

Kind = Literal["text", "markdown", "html"]

_SUPPRESS_RE = re.compile(
    r"<!--\s*brandrail-(?P<verb>disable-next-line|disable-line|disable|enable)\b(?P<codes>[^>]*?)\s*-->",
    re.IGNORECASE,
)
_CODE_RE = re.compile(r"[A-Z]{2}\d{3}")


@dataclass(frozen=True, slots=True)
class Suppression:
    """Findings of ``codes`` (every code when None) starting in ``[start, end)`` are suppressed."""

    start: int
    end: int
    codes: frozenset[str] | None
    line: int

    def covers(self, code: str, offset: int) -> bool:
        return self.start <= offset < self.end and (self.codes is None or code in self.codes)


class Document:
    """Original text + prose + normalised view + offset maps."""

    __slots__ = (
        "__dict__",
        "_norm_index",
        "_piece_pos",
        "_pieces",
        "channel",
        "kind",
        "meta",
        "norm",
        "path",
        "prose",
        "text",
    )

    def __init__(
        self,
        text: str,
        *,
        path: str | None = None,
        kind: Kind = "text",
        channel: str | None = None,
        meta: dict[str, Any] | None = None,
    ) -> None:
        self.text = text
        self.path = path
        self.kind: Kind = kind
        self.channel = channel
        self.meta: dict[str, Any] = meta or {}
        self._index(extract(text, kind))

    def _index(self, pieces: list[Piece]) -> None:
        parts: list[str] = []
        positions: list[int] = []
        length = 0
        kept: list[Piece] = []
        for piece in pieces:
            if kept and not piece.joined:
                parts.append("\n")
                length += 1
            positions.append(length)
            kept.append(piece)
            parts.append(piece.text)
            length += len(piece.text)
        self._pieces: tuple[Piece, ...] = tuple(kept)
        self._piece_pos = positions
        self.prose = "".join(parts)
        fragments: list[tuple[int, int, int]] = []
        dropped: list[tuple[int, int]] = []
        self.norm, self._norm_index = normalize(self.prose, fragments=fragments, dropped=dropped)
        self.__dict__["_reordered"] = "\u202e" in self.prose
        if fragments:
            # short fragments next to spaced runs ("fl 4 w l 3 s s"), in prose offsets: the term matcher and
            # the claim patterns read them joined where that makes a term (matching.punctuated_readings)
            self.__dict__["_spaced_fragments"] = fragments
        if dropped:
            # emoji dropped from inside a word ("guarant👀ed"): the term matcher reads those that stand for
            # letters (content.readings)
            self.__dict__["_dropped_pictographs"] = dropped

    def with_prose(self, pieces: list[Piece]) -> Document:
        """A Document of the same text, path, kind, channel and metadata whose prose is only ``pieces`` (pieces
        of this one's, or parts of them, in document order). Its offsets are the original's, so a finding made
        on it points at the original text; a rule that must find what a reader sees reads such a view."""
        view = Document.__new__(Document)
        view.text, view.path, view.kind, view.channel, view.meta = (
            self.text,
            self.path,
            self.kind,
            self.channel,
            self.meta,
        )
        view.__dict__["_origin"] = self.origin
        view._index(pieces)
        return view

    @property
    def origin(self) -> Document:
        """The document this one is a view of (:meth:`with_prose`), itself when it is none. A view has the same
        original text, so what depends on that text alone (the personal-data scan) is computed once, on it."""
        origin: Document = self.__dict__.get("_origin", self)
        return origin

    @property
    def pieces(self) -> tuple[Piece, ...]:
        """The prose pieces (where each run of prose stands in the original)."""
        return self._pieces  # a tuple, built once: callers index it in loops

    @property
    def has_code(self) -> bool:
        """Whether some of the prose is formatted as code (a Markdown code span or block, ``<code>``...)."""
        return any(p.code for p in self._pieces)

    @cached_property
    def _code_spans(self) -> tuple[list[int], list[int]]:
        spans = sorted((p.start, p.end) for p in self._pieces if p.code)
        return [a for a, _ in spans], [b for _, b in spans]

    def in_code(self, start: int, end: int) -> bool:
        """Whether original ``[start, end)`` overlaps text formatted as code."""
        starts, ends = self._code_spans  # disjoint, so sorted by start and by end alike
        k = bisect_right(starts, max(end - 1, start)) - 1
        return k >= 0 and ends[k] > start

    def without_code(self) -> Document:
        """This document with the text formatted as code left out (computed once), for the rules a policy
        lets skip it (``code_text.skipped_by``); itself when it has none. Offsets are the original's."""
        view: Document | None = self.__dict__.get("_without_code")
        if view is None:
            view = self.with_prose([p for p in self._pieces if not p.code]) if self.has_code else self
            self.__dict__["_without_code"] = view
        return view

    # -- views ---------------------------------------------------------------------------------------------

    @cached_property
    def folded(self) -> str:
        """``norm`` lower-cased character by character (same length, same offsets)."""
        lowered = self.norm.lower()
        if len(lowered) == len(self.norm):
            return lowered
        return "".join(c.lower() if len(c.lower()) == 1 else c for c in self.norm)

    @cached_property
    def _line_starts(self) -> list[int]:
        starts = [0]
        starts.extend(m.end() for m in re.finditer("\n", self.text))
        return starts

    # -- offset maps ---------------------------------------------------------------------------------------

    def _prose_start(self, p: int) -> int:
        if not self._pieces:
            return 0
        k = bisect_right(self._piece_pos, p) - 1
        if k < 0:
            return self._pieces[0].start
        piece, pos = self._pieces[k], self._piece_pos[k]
        offset = p - pos
        if offset >= len(piece.text):  # a separator: the start of the next piece
            return self._pieces[k + 1].start if k + 1 < len(self._pieces) else piece.end
        if len(piece.text) == piece.end - piece.start:
            return piece.start + offset
        return piece.start

    def _prose_end(self, p_last: int) -> int:
        """Original end offset (exclusive) of the prose character at ``p_last``."""
        if not self._pieces:
            return 0
        k = max(bisect_right(self._piece_pos, p_last) - 1, 0)
        piece, pos = self._pieces[k], self._piece_pos[k]
        offset = p_last - pos
        if offset >= len(piece.text):
            return piece.end
        if len(piece.text) == piece.end - piece.start:
            return piece.start + offset + 1
        return piece.end

    def prose_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a prose range ``[start, end)`` to the original text."""
        if end <= start:
            o = self._prose_start(start)
            return o, o
        return self._prose_start(start), self._prose_end(end - 1)

    def norm_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a range of ``norm``/``folded`` to the original text."""
        if self._norm_index is None:
            return self.prose_to_original(start, end)
        idx = self._norm_index
        if end <= start:
            p = idx[start] if start < len(idx) else len(self.prose)
            return self.prose_to_original(p, p)
        first, last = idx[start], idx[end - 1]
        if self.__dict__.get(
            "_reordered"
        ):  # under a right-to-left override the view is reordered: the extremes
            first, last = min(idx[start:end]), max(idx[start:end])
        return self.prose_to_original(first, last + 1)

    def reads_plainly(self, start: int, end: int, reads: str | None = None) -> bool:
        """Whether ``norm[start:end]`` is written as it reads: no look-alike letter of another script, styled
        (mathematical, enclosed, superscript) letter or leetspeak digit was read as a letter in it. A disclosure
        counts only so (:func:`brandrail.text.normalize.disguised_char`): "Tеrms аpply" with Cyrillic letters,
        "𝐓𝐞𝐫𝐦𝐬 𝐚𝐩𝐩𝐥𝐲" or "T3rms 4pply" look like terms to a sighted reader but are not the words to a screen
        reader, a translation tool or an SMS gateway. ``reads``, the text the range was matched as (same length),
        also catches leetspeak the term matcher undid at a word's edge ("4pply") and fancy-text letters read by
        their shape only (:mod:`brandrail.text.skeleton`: "ŞŦØP", "ᑕᖇᗴᗩTᗴᗪ")."""
        idx = self._norm_index
        prose, norm = self.prose, self.norm
        if reads is not None and len(reads) != end - start:
            reads = None
        for i in range(start, min(end, len(norm))):
            src = prose[i if idx is None else idx[i]]
            seen = norm[i] if reads is None or not reads[i - start].isalpha() else reads[i - start]
            if src == seen:
                continue
            if src in LEET and seen.isalpha():
                return False
            if disguised_char(src):
                return False
            if not src.isascii() and seen.lower() != norm[i].lower():
                return False  # read as a letter by its shape only ("ŞŦØP", syllabics): no plain writing
        return True

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column of an original offset."""
        line = bisect_right(self._line_starts, offset) - 1
        return line + 1, offset - self._line_starts[line] + 1

    def span(self, start: int, end: int) -> Span:
        """A :class:`Span` for original offsets ``[start, end)``."""
        line, col = self.position(start)
        end_line, end_col = self.position(max(end - 1, start))
        return Span(start, end, line, col, end_line, end_col)

    def norm_span(self, start: int, end: int) -> tuple[int, int, Span]:
        """Original offsets and span of a ``norm`` range."""
        a, b = self.norm_to_original(start, end)
        return a, b, self.span(a, b)

    def line_text(self, line: int) -> str:
        """The original text of 1-based ``line`` without its newline."""
        starts = self._line_starts
        if line < 1 or line > len(starts):
            return ""
        a = starts[line - 1]
        b = starts[line] - 1 if line < len(starts) else len(self.text)
        return self.text[a:b].rstrip("\r")

    # -- suppressions --------------------------------------------------------------------------------------

    @cached_property
    def suppressions(self) -> tuple[Suppression, ...]:
        """Ranges where findings are suppressed by ``<!-- brandrail-disable ... -->`` comments."""
        out: list[Suppression] = []
        open_ranges: dict[str | None, tuple[int, int]] = {}
        for m in _SUPPRESS_RE.finditer(self.text):
            verb = m.group("verb").lower()
            found = _CODE_RE.findall(m.group("codes").upper())
            codes: list[str | None] = list(found) if found else [None]
            line, _ = self.position(m.start())
            if verb == "disable-line":
                a = self._line_starts[line - 1]
                b = self._line_starts[line] if line < len(self._line_starts) else len(self.text) + 1
                out.append(Suppression(a, b, frozenset(found) if found else None, line))
            elif verb == "disable-next-line":
                a = self._line_starts[line] if line < len(self._line_starts) else len(self.text)
                b = self._line_starts[line + 1] if line + 1 < len(self._line_starts) else len(self.text) + 1
                out.append(Suppression(a, b, frozenset(found) if found else None, line))
            elif verb == "disable":
                for code in codes:
                    open_ranges.setdefault(code, (m.end(), line))
            else:
                targets = codes if found else list(open_ranges)
                for code in targets:
                    began = open_ranges.pop(code, None)
                    if began is not None:
                        out.append(
                            Suppression(
                                began[0], m.start(), None if code is None else frozenset([code]), began[1]
                            )
                        )
        for code, (start, line) in open_ranges.items():
            out.append(
                Suppression(start, len(self.text) + 1, None if code is None else frozenset([code]), line)
            )
        return tuple(out)

    def is_suppressed(self, code: str, offset: int | None) -> bool:
        if offset is None:
            return False
        return any(s.covers(code, offset) for s in self.suppressions)
