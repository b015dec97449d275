"""Channel measurements: SMS segments (GSM-7 with its extension table, or UCS-2), emoji, ALL-CAPS words.

SMS encoding follows 3GPP TS 23.038: a message is sent in GSM-7 when every character is in the GSM 03.38
basic table or its extension table (extension characters ``^{}\\[~]|€`` and form feed take two septets);
otherwise the whole message is UCS-2 (UTF-16 code units; an emoji outside the BMP takes two). A single
segment holds 160 septets or 70 UCS-2 units; a concatenated message's segments hold 153 septets or 67
units (the rest is the user-data header), and an escape pair or a surrogate pair is never split.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from brandrail.text.document import Document
from brandrail.text.scan import finditer_from

__all__ = ["GSM7_BASIC", "GSM7_EXTENSION", "SmsInfo", "caps_words", "emoji_clusters", "sms_info", "sms_text"]

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿"
    "abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")


@dataclass(frozen=True, slots=True)
class SmsInfo:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets or UTF-16 code units
    segments: int
    per_segment: int  # capacity of one segment for this message (160/153 or 70/67)
    non_gsm: tuple[str, ...]  # characters that forced UCS-2 (first few)


def sms_text(doc: Document) -> str:
    """What an SMS gateway sends: the text as written for plain text (URLs count), the prose otherwise."""
    return (doc.text if doc.kind == "text" else doc.prose).strip()


def sms_info(text: str) -> SmsInfo:
    chars = set(text)
    non_gsm = [c for c in chars if c not in GSM7_BASIC and c not in GSM7_EXTENSION]
    if not non_gsm:
        escapes = sum(text.count(c) for c in chars & GSM7_EXTENSION)
        units = len(text) + escapes
        single, multi, encoding = 160, 153, "GSM-7"
        straddle = escapes > 0
    else:
        wide = sum(1 for c in chars if ord(c) > 0xFFFF)
        units = len(text) + (sum(text.count(c) for c in chars if ord(c) > 0xFFFF) if wide else 0)
        single, multi, encoding = 70, 67, "UCS-2"
        straddle = wide > 0
    if units <= single:
        segments, per = (1 if units else 0), single
    elif not straddle:
        segments, per = -(-units // multi), multi
    else:
        # a two-unit character (escape or surrogate pair) never straddles a segment boundary
        costs = (
            [2 if c in GSM7_EXTENSION else 1 for c in text]
            if encoding == "GSM-7"
            else [2 if ord(c) > 0xFFFF else 1 for c in text]
        )
        segments, used, per = 1, 0, multi
        for cost in costs:
            if used + cost > multi:
                segments += 1
                used = 0
            used += cost
    first = sorted(non_gsm, key=text.index)[:5]
    return SmsInfo(encoding, units, segments, per, tuple(first))


_EMOJI_BASE = (
    "\u00a9\u00ae\u203c\u2049\u2122\u2139\u2194-\u2199\u21a9\u21aa\u231a\u231b\u2328\u23cf\u23e9-\u23f3"
    "\u23f8-\u23fa\u24c2\u25aa\u25ab\u25b6\u25c0\u25fb-\u25fe\u2600-\u27bf\u2934\u2935\u2b05-\u2b07"
    "\u2b1b\u2b1c\u2b50\u2b55\u3030\u303d\u3297\u3299\U0001f000-\U0001f1e5\U0001f200-\U0001faff"
)
# one emoji: a pictograph (©/® and the like only with the emoji selector) with modifiers, ZWJ sequences, or a flag
_EMOJI = re.compile(
    r"(?:[\U0001f1e6-\U0001f1ff]{2})"
    r"|(?:(?:[\u00a9\u00ae\u2122]\ufe0f|["
    + _EMOJI_BASE.replace("\u00a9\u00ae", "").replace("\u2122", "")
    + r"])"
    r"[\ufe0f\U0001f3fb-\U0001f3ff]*"
    r"(?:\u200d(?:[" + _EMOJI_BASE + r"])[\ufe0f\U0001f3fb-\U0001f3ff]*)*)"
    r"|[0-9#*]\ufe0f?\u20e3"
)


#: Every character an emoji of _EMOJI can start with (the engine skips to them in C).
_EMOJI_START = re.compile(
    "[\U0001f1e6-\U0001f1ff\u00a9\u00ae\u2122" + _EMOJI_BASE + "0-9#*](?<![0-9#*](?!\ufe0f?\u20e3))"
)  # a digit, # or * only before a keycap


def emoji_clusters(text: str) -> list[tuple[int, int, str]]:
    """(start, end, emoji) of every emoji in ``text``; a ZWJ sequence, skin tone or flag counts once."""
    if text.isascii():
        return []
    return [(m.start(), m.end(), m.group()) for m in finditer_from(_EMOJI, text, _EMOJI_START)]


_CAPS = re.compile(r"(?<![\w-])[A-Z][A-Z'’-]*[A-Z](?![\w-])")

#: Acronyms and words that are written in capitals anyway.
COMMON_CAPS = frozenset(
    [
        "UK",
        "USA",
        "US",
        "EU",
        "UN",
        "FAQ",
        "SMS",
        "STOP",
        "STOPALL",
        "END",
        "QUIT",
        "UNSUB",
        "HELP",
        "OK",
        "AM",
        "PM",
        "GPS",
        "UV",
        "USB",
        "LED",
        "RSVP",
        "ASAP",
        "DIY",
        "VIP",
        "ID",
        "PIN",
        "ETA",
        "FYI",
        "TV",
        "PDF",
        "URL",
        "CEO",
        "NHS",
        "BBC",
        "CTA",
        "SPF",
        "UPF",
        "RRP",
        "VAT",
        "GBP",
        "USD",
        "EUR",
        "II",
        "III",
        "IV",
        "XL",
        "XXL",
        "XS",
        "AI",
        "HTML",
        "CSS",
        "API",
    ]
)


_UPPER = bytes(ord("A") if 65 <= i <= 90 else ord(".") for i in range(256))


def caps_words(prose: str, min_length: int, allow: frozenset[str]) -> list[tuple[int, int, str]]:
    """ALL-CAPS words of at least ``min_length`` letters in ``prose`` that are not acronyms or allowed."""
    out: list[tuple[int, int, str]] = []
    if b"AA" not in prose.encode("utf-8", "surrogatepass").translate(_UPPER):
        return out
    for m in _CAPS.finditer(prose):
        word = m.group()
        letters = sum(1 for c in word if c.isalpha())
        if letters < min_length or word in COMMON_CAPS or word in allow:
            continue
        out.append((m.start(), m.end(), word))
    return out
