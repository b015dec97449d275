"""Helpers shared by content rules: channel kinds, phrase sets, per-document memo, sentences, metadata.

Message metadata (what ``doc.meta`` holds, filled in from the content when absent):

* ``subject`` / ``preheader`` of an e-mail: ``doc.meta`` first (the API's ``meta=`` or ``brandrail fix
  --subject``), then Markdown front matter (``subject:`` / ``preheader:`` between ``---`` lines at the top),
  then HTML (``<title>`` for the subject; the text of the first element whose ``class`` or ``id`` contains
  ``preheader``).
* flags such as ``sponsored: true``, ``ai_generated: false`` or ``marketing: false``: ``doc.meta`` first,
  then Markdown front matter.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from brandrail.content.fastpolicy import cache_of, channel_name, channel_of
from brandrail.content.matching import TermMatcher
from brandrail.policy import Policy
from brandrail.text.document import Document

__all__ = [
    "MetaField",
    "PhraseSet",
    "Spans",
    "across_hidden_seam",
    "cache_of",
    "channel_kind",
    "channel_name",
    "channel_of",
    "data_spans",
    "kind_of_channel",
    "memo",
    "message_meta",
    "meta_field",
    "meta_flag",
    "on_channel",
    "prose_offset",
    "register_data_finder",
    "sentence_ends",
    "sentence_range",
]

T = TypeVar("T")

_KINDS = frozenset({"sms", "email", "push", "social", "web", "chat", "ad"})


def channel_kind(doc: Document, policy: Policy) -> str | None:
    """The kind of channel of the document (``sms``, ``email``...), from the channel policy or its name."""
    return kind_of_channel(policy, doc.channel)


def kind_of_channel(policy: Policy, channel: str | None) -> str | None:
    """The kind of ``policy``'s channel (or of ``channel``, by its name, when the policy has none)."""
    settings = channel_of(policy)
    if settings is not None and settings.kind != "other":
        return settings.kind
    name = channel_name(policy) or channel
    if name is None:
        return None
    lowered = name.lower()
    if lowered in _KINDS:
        return lowered
    if lowered in ("e-mail", "mail", "newsletter"):
        return "email"
    if lowered in ("text", "mms"):
        return "sms"
    return None


def on_channel(names: Iterable[str], doc: Document, policy: Policy) -> bool:
    """True when ``names`` (channel names or kinds) is empty or names the document's channel or its kind."""
    wanted = {n.lower() for n in names}
    if not wanted:
        return True
    current = {(channel_name(policy) or doc.channel or "").lower(), (channel_kind(doc, policy) or "")}
    return bool(wanted & current)


def memo(doc: Document, key: str, factory: Callable[[], T]) -> T:
    """Compute ``factory()`` once per document (shared between rules)."""
    store: dict[str, Any] = doc.__dict__.setdefault("_brandrail_memo", {})
    if key in store:
        return store[key]  # type: ignore[no-any-return]
    value = factory()
    store[key] = value
    return value


DataFinder = Callable[[Document, Policy], Iterable[tuple[int, int, str]]]
_DATA_FINDERS: list[DataFinder] = []


def register_data_finder(finder: DataFinder) -> DataFinder:
    """Register a recogniser of data in a message (personal data, identifiers): ``finder(doc, policy)`` yields
    ``(start, end, kind)`` in original offsets. Prose rules skip what these find (see :func:`data_spans`)."""
    _DATA_FINDERS.append(finder)
    return finder


def data_spans(doc: Document, policy: Policy) -> Spans[str]:
    """Original-offset ranges of the message that recognisers identified as data, not prose.

    An IBAN's bank code ("GB82 WEST 1234…") or a licence number is not a word a reader is shouted at with;
    rules that judge the prose (ALL-CAPS words, for one) skip these spans. Memoised per document and policy.
    """
    import brandrail.content.pii  # noqa: F401 - registers the personal-data recognisers

    def build() -> Spans[str]:
        return Spans(span for finder in _DATA_FINDERS for span in finder(doc, policy))

    return memo(doc, f"data_spans:{id(policy)}", build)


class PhraseSet:
    """A set of phrases compiled once per policy; tells whether and where any of them occurs in a document."""

    def __init__(self, phrases: Iterable[str], policy: Policy | None = None) -> None:
        # trailing full stops are optional: "Reply STOP to opt out." matches "reply stop to opt out"
        self.phrases = [p.strip().rstrip(".") for p in phrases if p.strip().rstrip(".")]
        self._matcher: TermMatcher[str] = TermMatcher(policy)
        for phrase in self.phrases:
            self._matcher.add(phrase, phrase)

    @classmethod
    def cached(
        cls, policy: Policy, key: str, phrases: Callable[[], Iterable[str]] | Iterable[str]
    ) -> PhraseSet:
        cache = cache_of(policy)
        found: PhraseSet | None = cache.get(key)
        if found is None:
            found = cls(phrases() if callable(phrases) else phrases, policy)
            cache[key] = found
        return found

    def positions(self, doc: Document) -> list[tuple[int, int, str]]:
        """(norm start, norm end, phrase) of every occurrence."""
        return [(m.norm_start, m.norm_end, m.payload) for m in self._matcher.find(doc, longest=False)]

    def shown(self, doc: Document) -> list[tuple[int, int, str]]:
        """:meth:`positions` written as they read (:meth:`Document.reads_plainly`): what counts as a disclosure,
        a label or a qualifier the reader was given, not one spelt with look-alike or styled letters, nor one
        read across hidden text inside its wording in a seen view of HTML ("unless <span
        style="display:none">you have not </span>cancelled": the words as written say something else)."""
        seams: list[tuple[int, int]] = doc.__dict__.get("_brandrail_seams") or []
        return [
            (m.norm_start, m.norm_end, m.payload)
            for m in self._matcher.find(doc, longest=False)
            if doc.reads_plainly(m.norm_start, m.norm_end, m.form)
            and not (seams and across_hidden_seam(doc, m.norm_start, m.norm_end, seams))
        ]

    def disguised(self, doc: Document) -> list[str]:
        """The occurrences (original text) that :meth:`shown` rejects: written with look-alike or styled
        letters or leetspeak, for a finding to say why the phrase there does not count."""
        out = []
        for m in self._matcher.find(doc, longest=False):
            if not doc.reads_plainly(m.norm_start, m.norm_end, m.form):
                start, end = doc.norm_to_original(m.norm_start, m.norm_end)
                out.append(doc.text[start:end])
        return out

    def present(self, doc: Document) -> bool:
        if not self.phrases:
            return False
        return bool(self.positions(doc))

    def __bool__(self) -> bool:
        return bool(self.phrases)


def across_hidden_seam(doc: Document, norm_start: int, norm_end: int, seams: list[tuple[int, int]]) -> bool:
    """Whether the phrase at ``doc.norm[norm_start:norm_end]`` stands on both sides of a hidden seam (see
    :func:`brandrail.content.disclosures.hidden_seams`: (end of seen text, start of the next), original offsets)."""
    start, end = doc.norm_to_original(norm_start, norm_end)
    return any(start < before and after < end for before, after in seams)


# the same as r"[.!?](?=\s|$)|\n", opening with one character class so the engine skips to it in C
_SENTENCE_END = re.compile(r"[.!?\n](?:(?<=\n)|(?=\s|$))")


def _span_key(span: tuple[int, int, Any]) -> tuple[int, int]:
    return span[0], span[1]


class Spans(Generic[T]):
    """Sorted ``(start, end, item)`` ranges with logarithmic look-ups (no quadratic scans on long text)."""

    def __init__(self, spans: Iterable[tuple[int, int, T]] = ()) -> None:
        ordered = sorted(spans, key=_span_key)
        self.starts: list[int] = [s[0] for s in ordered]
        self.ends: list[int] = [s[1] for s in ordered]
        self.items: list[T] = [s[2] for s in ordered]
        self.longest = (
            max((b - a for a, b in zip(self.starts, self.ends, strict=True)), default=0) if ordered else 0
        )

    def __bool__(self) -> bool:
        return bool(self.starts)

    def add(self, start: int, end: int, item: T) -> None:
        i = bisect_right(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)
        self.items.insert(i, item)
        self.longest = max(self.longest, end - start)

    def overlapping(self, start: int, end: int) -> T | None:
        """An item whose range overlaps ``[start, end)``, or None."""
        i = bisect_left(self.starts, end) - 1
        while i >= 0 and self.starts[i] >= start - self.longest:
            if self.ends[i] > start:
                return self.items[i]
            i -= 1
        return None

    def inside(self, start: int, end: int) -> T | None:
        """The first item whose range lies within ``[start, end)``, or None."""
        i = bisect_left(self.starts, start)
        while i < len(self.starts) and self.starts[i] < end:
            if self.ends[i] <= end:
                return self.items[i]
            i += 1
        return None


def sentence_ends(doc: Document) -> list[int]:
    """Offsets in ``doc.folded`` just after each sentence end ('.', '!', '?' before a space, or a newline)."""
    return memo(doc, "sentence_ends", lambda: [m.end() for m in _SENTENCE_END.finditer(doc.folded)])


def sentence_range(text: str, start: int, end: int, ends: list[int] | None = None) -> tuple[int, int]:
    """The sentence of ``text`` around ``[start, end)``: from after the previous '.', '!', '?' or newline."""
    if ends is None:
        ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    i = bisect_right(ends, start) - 1
    a = ends[i] if i >= 0 else 0
    j = bisect_left(ends, end + 1)
    b = ends[j] if j < len(ends) else len(text)
    return a, b


# -- metadata -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MetaField:
    """A metadata value and, when it stands in the content, its original offsets."""

    value: str
    start: int | None = None
    end: int | None = None


_FRONT_LINE = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)[ \t]*:[ \t]*(?P<value>.*?)[ \t]*$", re.MULTILINE)
_TITLE = re.compile(r"<title\b[^>]*>(?P<value>.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_PREHEADER = re.compile(
    r"<(?P<tag>[a-z][a-z0-9]*)\b[^>]*\b(?:class|id)\s*=\s*[\"'][^\"']*preheader[^\"']*[\"'][^>]*>(?P<value>.*?)</(?P=tag)\s*>",
    re.IGNORECASE | re.DOTALL,
)
_TAGS = re.compile(r"<[^>]*>")


def _front_matter(doc: Document) -> dict[str, MetaField]:
    text = doc.text
    if doc.kind != "markdown" or not text.startswith("---\n"):
        return {}
    close = text.find("\n---", 4)
    if close == -1:
        return {}
    out: dict[str, MetaField] = {}
    for m in _FRONT_LINE.finditer(text, 4, close + 1):
        raw = m.group("value")
        a, b = m.start("value"), m.end("value")
        if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'":
            raw, a, b = raw[1:-1], a + 1, b - 1
        out[m.group("key").lower()] = MetaField(raw, a, b)
    return out


def _html_meta(doc: Document) -> dict[str, MetaField]:
    if doc.kind != "html":
        return {}
    out: dict[str, MetaField] = {}
    for key, regex in (("subject", _TITLE), ("preheader", _PREHEADER)):
        m = regex.search(doc.text)
        if m:
            value = " ".join(html.unescape(_TAGS.sub("", m.group("value"))).split())
            out[key] = MetaField(value, m.start("value"), m.end("value"))
    return out


def message_meta(doc: Document) -> dict[str, MetaField]:
    """Every metadata field of the message: ``doc.meta`` over front matter over HTML elements."""

    def build() -> dict[str, MetaField]:
        merged = {**_html_meta(doc), **_front_matter(doc)}
        for key, value in doc.meta.items():
            merged[key.lower()] = MetaField(value if isinstance(value, str) else str(value).lower())
        return merged

    return memo(doc, "meta", build)


def meta_field(doc: Document, key: str) -> MetaField | None:
    if doc.kind == "text" and not doc.meta:  # plain text carries no metadata of its own
        return None
    return message_meta(doc).get(key)


def meta_flag(doc: Document, key: str) -> bool | None:
    """A yes/no metadata flag: True, False, or None when not given."""
    found = meta_field(doc, key)
    if found is None:
        return None
    return found.value.strip().lower() in ("true", "yes", "1", "on")


def prose_offset(doc: Document, norm_start: int) -> int:
    """How many prose characters precede the normalised offset ``norm_start`` (leading space excluded)."""
    lead = len(doc.prose) - len(doc.prose.lstrip())
    index = doc._norm_index
    p = norm_start if index is None else (index[norm_start] if norm_start < len(index) else len(doc.prose))
    return max(0, p - lead)
