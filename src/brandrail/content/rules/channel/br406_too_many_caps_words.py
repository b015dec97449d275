"""BR406 too-many-caps-words."""

from __future__ import annotations

import re
from collections.abc import Iterator

from brandrail.content.channel import caps_words
from brandrail.content.common import data_spans
from brandrail.content.fastpolicy import cache_of, channel_name, channel_of
from brandrail.findings import Finding, Severity
from brandrail.policy import Policy
from brandrail.registry import Rule, register
from brandrail.text.document import Document


@register
class TooManyCapsWords(Rule):
    """More ALL-CAPS words than the channel allows.

    What it flags:
        When the channel sets `max_caps_words`, each ALL-CAPS word (at least `caps_min_length` letters)
        beyond that number. Common acronyms (UK, FAQ, SMS, STOP...), the channel's `caps_allow` and the
        brand's trademarks (e.g. "GORE-TEX") are not counted, nor are letters inside data another rule
        recognised (an IBAN's bank code, a licence or passport number: see `data_spans`), words inside a
        match of the channel's `caps_allow_patterns`, and words on a line matching one of `caps_allow_lines`.

    Why it matters:
        Capitals read as shouting, are harder to read, and are a classic spam-filter signal.

    Example:
        With `max_caps_words: 0`, "HUGE savings this weekend" is flagged at "HUGE".

    Use instead:
        Sentence case ("Huge savings this weekend"); the suggested fix is not applied automatically.
    """

    code = "BR406"
    name = "too-many-caps-words"
    default_severity = Severity.WARNING

    def check(self, subject: Document, policy: Policy) -> Iterator[Finding]:
        channel = channel_of(policy)
        doc = subject
        if channel is None or channel.max_caps_words is None:
            return
        cache = cache_of(policy)
        allow: frozenset[str] | None = cache.get(self.code)
        if allow is None:
            marks = {t.term for t in policy.brand.trademarks} | set(channel.caps_allow)
            allow = frozenset(marks | {p for m in marks for p in m.replace("-", " ").split()})
            cache[self.code] = allow
        words = caps_words(doc.prose, channel.caps_min_length, allow)
        if len(words) <= channel.max_caps_words:
            return
        # letters inside data (an IBAN's bank code, a licence number) are not shouted prose
        data = data_spans(doc, policy)
        placed = [(*doc.prose_to_original(a, b), word) for a, b, word in words]
        if data:
            placed = [(s, e, w) for s, e, w in placed if data.overlapping(s, e) is None]
        if channel.caps_allow_patterns or channel.caps_allow_lines:
            placed = self._allowed_by_pattern(doc, policy, placed)
        if len(placed) <= channel.max_caps_words:
            return
        words = placed
        for start, end, word in words[channel.max_caps_words :]:
            yield self.finding(
                f"ALL-CAPS {word!r}: {len(words)} such words; channel {channel_name(policy)!r} allows "
                f"{channel.max_caps_words}",
                doc=doc,
                start=start,
                end=end,
                fix=self.replace_fix(
                    f"write {word.capitalize()!r}", start, end, word.capitalize(), safe=False
                ),
                evidence={"measured": len(words), "limit": channel.max_caps_words, "word": word},
            )

    def _allowed_by_pattern(
        self, doc: Document, policy: Policy, placed: list[tuple[int, int, str]]
    ) -> list[tuple[int, int, str]]:
        """``placed`` without the words inside a `caps_allow_patterns` match or on a `caps_allow_lines` line."""
        channel = channel_of(policy)
        assert channel is not None
        cache = cache_of(policy)
        key = f"{self.code}:patterns"
        compiled: tuple[list[re.Pattern[str]], list[re.Pattern[str]]] | None = cache.get(key)
        if compiled is None:
            compiled = (
                [re.compile(p) for p in channel.caps_allow_patterns],
                [re.compile(p) for p in channel.caps_allow_lines],
            )
            cache[key] = compiled
        patterns, lines = compiled
        spans = [m.span() for pattern in patterns for m in pattern.finditer(doc.text)]
        kept = []
        for start, end, word in placed:
            if any(a <= start and end <= b for a, b in spans):
                continue
            if lines:
                line = doc.line_text(doc.position(start)[0])
                if any(p.search(line) for p in lines):
                    continue
            kept.append((start, end, word))
        return kept
