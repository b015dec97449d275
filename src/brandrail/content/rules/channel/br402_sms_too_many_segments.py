"""BR402 sms-too-many-segments."""

from __future__ import annotations

from collections.abc import Iterator

from brandrail.content.channel import sms_info, sms_text
from brandrail.content.common import channel_kind
from brandrail.content.fastpolicy import channel_name, channel_of
from brandrail.findings import Finding, Severity
from brandrail.policy import Policy
from brandrail.registry import Rule, register
from brandrail.text.document import Document


@register
class SmsTooManySegments(Rule):
    """An SMS that splits into more segments than the channel allows.

    What it flags:
        On an `sms` channel with `max_segments`, a message whose segment count exceeds it. Segments are
        counted as carriers bill them: GSM-7 (with the extension table `^{}[]~|€` at two septets each) when
        every character fits, otherwise UCS-2; 160 septets / 70 units in one segment, 153 / 67 per segment
        of a longer message. The evidence names the characters that forced UCS-2.

    Why it matters:
        Each segment is billed; one curly quote or emoji halves the capacity (UCS-2), silently doubling
        the cost of a campaign, and long texts arrive out of order on some handsets.

    Example:
        With `channels: {sms: {kind: sms, max_segments: 1}}`, a 90-character text with one emoji (UCS-2,
        2 segments) is flagged.

    Use instead:
        Shorten the text, or replace the characters that force UCS-2 (curly quotes, emoji, "ł") with GSM-7
        ones.
    """

    code = "BR402"
    name = "sms-too-many-segments"
    default_severity = Severity.WARNING

    def check(self, subject: Document, policy: Policy) -> Iterator[Finding]:
        channel = channel_of(policy)
        doc = subject
        if channel is None or channel.max_segments is None or channel_kind(doc, policy) != "sms":
            return
        info = sms_info(sms_text(doc))
        if info.segments <= channel.max_segments:
            return
        forced = f"; UCS-2 because of {', '.join(repr(c) for c in info.non_gsm)}" if info.non_gsm else ""
        yield self.finding(
            f"SMS needs {info.segments} segments ({info.units} {info.encoding} units){forced}; "
            f"channel {channel_name(policy)!r} allows {channel.max_segments}",
            doc=doc,
            evidence={
                "measured": info.segments,
                "limit": channel.max_segments,
                "encoding": info.encoding,
                "units": info.units,
                "per_segment": info.per_segment,
                "non_gsm_characters": list(info.non_gsm),
            },
        )
