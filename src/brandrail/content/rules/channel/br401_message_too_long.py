"""BR401 message-too-long."""

from __future__ import annotations

from collections.abc import Iterator

from brandrail.content.fastpolicy import channel_name, channel_of
from brandrail.findings import Finding
from brandrail.policy import Policy
from brandrail.registry import Rule, register
from brandrail.text.document import Document


@register
class MessageTooLong(Rule):
    """A message longer than its channel allows.

    What it flags:
        A message longer than the channel's `max_length` in characters (Unicode code points), leading and
        trailing space trimmed. Plain text counts as written, URLs and invisible characters included: the
        channel sends them. Markdown and HTML count their prose (markup, code and link addresses excluded).
        The span starts at the first character past the limit. Checked only when a channel with `max_length`
        is selected (`--channel`).

    Why it matters:
        Channels truncate: a push notification, an ad headline or a store listing cut mid-sentence loses the
        offer, the disclosure or the call to action, and may mislead.

    Example:
        With `channels: {push: {max_length: 60}}`, a 75-character push text is flagged from character 61.

    Use instead:
        Shorten the copy to the limit; put detail behind the link.
    """

    code = "BR401"
    name = "message-too-long"

    def check(self, subject: Document, policy: Policy) -> Iterator[Finding]:
        channel = channel_of(policy)
        if channel is None or channel.max_length is None:
            return
        doc = subject
        sent = doc.text if doc.kind == "text" else doc.prose  # a bare URL is no prose, but it is sent
        length = len(sent.strip())
        limit = channel.max_length
        if length <= limit:
            return
        lead = len(sent) - len(sent.lstrip())
        if doc.kind == "text":
            start, end = lead + limit, lead + length
        else:
            start, _ = doc.prose_to_original(lead + limit, lead + limit + 1)
            _, end = doc.prose_to_original(lead + length - 1, lead + length)
        yield self.finding(
            f"message is {length} characters; channel {channel_name(policy)!r} allows {limit}",
            doc=doc,
            start=start,
            end=end,
            evidence={
                "measured": length,
                "limit": limit,
                "channel": channel_name(policy),
                "unit": "characters",
            },
        )
