"""Shared logic of the disclosure rules (BR3xx): triggers and where a disclosure stands."""

from __future__ import annotations

import re

from brandrail.content.common import PhraseSet, meta_field, on_channel, prose_offset
from brandrail.content.fastpolicy import cache_of, channel_name
from brandrail.policy import Policy
from brandrail.policy.sections.disclosures import Trigger
from brandrail.text.document import Document

__all__ = ["find_phrase", "trigger_reason"]


def find_phrase(doc: Document, policy: Policy, key: str, phrases: list[str]) -> tuple[int, int, str] | None:
    """The first occurrence (norm offsets and phrase) of any of ``phrases``, compiled once per policy."""
    found = PhraseSet.cached(policy, key, lambda: phrases).positions(doc)
    return min(found) if found else None


def trigger_reason(doc: Document, policy: Policy, key: str, when: Trigger) -> str | None:
    """Why ``when`` holds for ``doc`` (a short text for the evidence), or None when it does not."""
    if when.always:
        return "always"
    if when.channels and on_channel(when.channels, doc, policy) and (channel_name(policy) or doc.channel):
        return f"channel {(channel_name(policy) or doc.channel)!r}"
    for name, expected in when.meta.items():
        got = meta_field(doc, name)
        want = str(expected).lower() if not isinstance(expected, str) else expected.lower()
        if got is not None and got.value.strip().lower() == want:
            return f"metadata {name}={expected}"
    if when.terms:
        hit = find_phrase(doc, policy, f"{key}:terms", list(when.terms))
        if hit is not None:
            return f"mentions {hit[2]!r}"
    if when.patterns:
        cache = cache_of(policy)
        compiled: list[re.Pattern[str]] | None = cache.get(f"{key}:patterns")
        if compiled is None:
            compiled = [re.compile(p) for p in when.patterns]
            cache[f"{key}:patterns"] = compiled
        for pattern in compiled:
            m = pattern.search(doc.folded)
            if m:
                return f"matches {pattern.pattern!r}"
    return None


def starts_within(doc: Document, norm_start: int, within: int) -> bool:
    return prose_offset(doc, norm_start) <= within


def ends_within(doc: Document, norm_end: int, within: int) -> bool:
    visible_end = len(doc.prose.rstrip())
    index = doc._norm_index
    p = norm_end if index is None else (index[norm_end - 1] + 1 if norm_end > 0 else 0)
    return visible_end - p <= within
