"""Shared logic of the disclosure rules (BR3xx): triggers and where a disclosure stands."""

from __future__ import annotations

import re
from typing import Literal

from brandrail.content.common import PhraseSet, meta_field, on_channel, prose_offset, register_data_finder
from brandrail.content.fastpolicy import cache_of, channel_name
from brandrail.policy import Policy
from brandrail.policy.sections.disclosures import Trigger
from brandrail.text.document import Document

__all__ = ["find_phrase", "merge_tag_in", "opt_out_instruction", "trigger_reason"]


def find_phrase(doc: Document, policy: Policy, key: str, phrases: list[str]) -> tuple[int, int, str] | None:
    """The first occurrence (norm offsets and phrase) of any of ``phrases``, compiled once per policy."""
    found = PhraseSet.cached(policy, key, lambda: phrases).positions(doc)
    return min(found) if found else None


# The CTIA opt-out keywords; in capitals (or quoted) they are an instruction, not the verb "stop"
_KEYWORD_UPPER = re.compile(
    r"(?<![\w'’])(?:STOP|STOPALL|END|CANCEL|QUIT|UNSUBSCRIBE|UNSUB|OPTOUT|OPT-OUT|OPT OUT|STOP2[A-Z]*)(?![\w])"
)
#: wordings that are an instruction on their own: "stop2stop", "txtstop", "STOP txt", "stop sms 0871…"
_SELF_EVIDENT = re.compile(
    r"(?<![\w])(?:stop2(?:stop|end|quit|opt\w*)|(?:txt|text|reply|send|sms)stop)\b"
    r"|(?<![\w])stop\s+(?:txt|text|sms|msg)(?:\s+to)?\s+\d{4,}"
)
_SELF_EVIDENT_UPPER = re.compile(r"(?<![\w])STOP2?\s+(?:txt|text|sms|msg|TXT|TEXT|SMS|MSG)\b")
_KEYWORD_QUOTED = re.compile(r"[\"'“‘](?:stop|end|cancel|quit|unsubscribe|optout)[\"'”’]", re.IGNORECASE)
_KEYWORD_LOWER = re.compile(r"(?<![\w])(?:stop|end|cancel|quit|unsubscribe)(?![\w])")
_QUOTES = ("'", '"', "“", "‘")
_SEND_WORDS = ("reply", "text", "txt", "send", "sms", "respond")
_VERBS = (
    r"reply|replying|text|texting|txt|send|sending|sms|respond|message|msg|type|enter|unsubscribe|unsub|"
    r"opt[- ]?out|cancel|end|stop|quit"
)
#: a sending verb earlier in the keyword's sentence (for a keyword in capitals or quoted)
_VERB_BEFORE = re.compile(rf"\b(?:{_VERBS})\b[^.!?\n]{{0,30}}$", re.IGNORECASE)
#: a sending verb right before a lower-case keyword ("reply stop", "text with stop", "send the word stop")
_VERB_RIGHT_BEFORE = re.compile(
    r"\b(?:reply|text|txt|send|sms|respond)\s+(?:with\s+|the word\s+)?$", re.IGNORECASE
)
_PURPOSE_AFTER = re.compile(
    r"[^.!?\n]{0,25}?(?:\b(?:to|2)\b|=|:)\s*(?:opt[- ]?out|optout|stop|end|cancel|quit|unsubscribe|unsub|leave|"
    r"be removed|remove yourself|no longer receive|\d{4,6}\b)",
    re.IGNORECASE,
)
_PURPOSE_BEFORE = re.compile(r"\b(?:opt[- ]?out|unsubscribe|to stop|to end)\s*[:=-]\s*$", re.IGNORECASE)


def opt_out_instruction(doc: Document) -> tuple[int, int] | None:
    """Norm offsets of an SMS opt-out keyword given as an instruction, or None.

    A keyword (STOP, END, CANCEL, QUIT, UNSUBSCRIBE) counts when it is in capitals or quoted and a sending
    verb stands before it in its sentence ("Reply STOP", "unsubscribe with STOP", "send 'stop' to 81234"),
    or a purpose follows it ("STOP to opt out", "STOP to 81234 to end"), or it follows "Opt out:"; a
    lower-case keyword counts only right after the verb ("reply stop", "text the word stop").
    """
    folded = doc.folded
    has_stop = "stop" in folded
    if not (
        has_stop
        or "end" in folded
        or "cancel" in folded
        or "quit" in folded
        or "unsub" in folded
        or "opt" in folded
    ):
        return None
    text = doc.norm
    if has_stop:
        evident = _SELF_EVIDENT.search(folded) or _SELF_EVIDENT_UPPER.search(text)
        if evident:
            return evident.span()
    candidates = list(_KEYWORD_UPPER.finditer(text))
    if any(q in text for q in _QUOTES):
        candidates += _KEYWORD_QUOTED.finditer(text)
    for m in candidates:
        before = text[max(0, m.start() - 40) : m.start()]
        if _VERB_BEFORE.search(before) or _PURPOSE_BEFORE.search(before):
            return m.span()
        if _PURPOSE_AFTER.match(text, m.end(), m.end() + 60):
            return m.span()
    if any(w in folded for w in _SEND_WORDS):
        for m in _KEYWORD_LOWER.finditer(folded):
            if _VERB_RIGHT_BEFORE.search(folded, max(0, m.start() - 30), m.start()):
                return m.span()
    return None


@register_data_finder
def _opt_out_keyword(doc: Document, policy: Policy) -> list[tuple[int, int, str]]:
    """The opt-out instruction's keyword ("Reply CANCEL") is a command word, not shouting (BR406)."""
    found = opt_out_instruction(doc)
    if found is None:
        return []
    start, end = doc.norm_to_original(*found)
    return [(start, end, "opt_out_keyword")]


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


def merge_tag_in(
    doc: Document, policy: Policy, purpose: Literal["unsubscribe", "postal_address"]
) -> str | None:
    """The ESP merge tag in ``doc``'s source that stands for ``purpose`` (``*|UNSUB|*``, ``{{{unsubscribe}}}``,
    ``*|HTML:LIST_ADDRESS_HTML|*``…), or None. The table and the policy's own tags are
    ``creative.email.merge_tags`` (docs/creative.md): a template is checked before the ESP fills them in."""
    from brandrail.creative.merge_tags import find_merge_tag, merge_tags_for

    settings = policy.creative.email.merge_tags
    extra = list(settings.unsubscribe if purpose == "unsubscribe" else settings.postal_address)
    return find_merge_tag(merge_tags_for(purpose, extra, builtin=settings.builtin), [doc.text])
