"""Shared logic of the disclosure rules (BR3xx): triggers and where a disclosure stands."""

from __future__ import annotations

import re

from brandrail.content.common import PhraseSet, meta_field, on_channel, prose_offset
from brandrail.content.fastpolicy import cache_of, channel_name
from brandrail.policy import Policy
from brandrail.policy.sections.disclosures import Trigger
from brandrail.text.document import Document

__all__ = ["find_phrase", "opt_out_instruction", "trigger_reason"]


def find_phrase(doc: Document, policy: Policy, key: str, phrases: list[str]) -> tuple[int, int, str] | None:
    """The first occurrence (norm offsets and phrase) of any of ``phrases``, compiled once per policy."""
    found = PhraseSet.cached(policy, key, lambda: phrases).positions(doc)
    return min(found) if found else None


# The CTIA opt-out keywords; in capitals (or quoted) they are an instruction, not the verb "stop"
_KEYWORD = r"(?:STOP|STOPALL|END|CANCEL|QUIT|UNSUBSCRIBE|UNSUB|OPTOUT|OPT-OUT|OPT OUT|STOP2END|STOP2QUIT)"
_QUOTED = r"[\"'“‘](?i:stop|end|cancel|quit|unsubscribe|optout)[\"'”’]"
_VERB = (
    r"(?i:reply|replying|text|texting|txt|send|sending|sms|respond|message|msg|type|enter|"
    r"unsubscribe|unsub|opt[- ]?out|cancel|end|stop|quit)"
)
_PURPOSE = (
    r"(?i:opt[- ]?out|optout|stop|end|cancel|quit|unsubscribe|unsub|leave|be removed|remove yourself|"
    r"no longer receive|stop receiving|stop messages|stop texts|end messages|end texts)"
)
_OPT_OUT = re.compile(
    # "Reply STOP", "unsubscribe with STOP", "send 'stop' to 81234", "to opt out, reply STOP"
    rf"\b{_VERB}\b[^.!?\n]{{0,30}}?(?<![\w]){_KEYWORD}(?![\w])"
    rf"|\b{_VERB}\b[^.!?\n]{{0,30}}?{_QUOTED}"
    # "STOP to opt out", "STOP to 81234 to end", "STOP=stop"
    rf"|(?<![\w]){_KEYWORD}(?![\w])[^.!?\n]{{0,25}}?(?:\b(?:to|2)\b|=|:)\s*{_PURPOSE}\b"
    rf"|{_QUOTED}[^.!?\n]{{0,25}}?(?:\b(?:to|2)\b|=|:)\s*{_PURPOSE}\b"
    # "Opt out: STOP", "Unsubscribe: STOP"
    rf"|\b{_PURPOSE}\s*[:=-]\s*(?:{_KEYWORD}|{_QUOTED})"
)


def opt_out_instruction(doc: Document) -> tuple[int, int] | None:
    """Norm offsets of an SMS opt-out instruction: an opt-out keyword (STOP, END, CANCEL, QUIT, UNSUBSCRIBE,
    in capitals or quoted) with a sending verb before it ("Reply STOP", "unsubscribe with STOP", "send 'stop'
    to 81234") or a purpose after it ("STOP to opt out", "STOP to 81234 to end"); None when there is none."""
    m = _OPT_OUT.search(doc.norm)
    return m.span() if m else None


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
