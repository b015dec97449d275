"""BR407 too-many-emoji."""

from __future__ import annotations

from collections.abc import Iterator

from brandrail.content.channel import emoji_clusters
from brandrail.content.fastpolicy import channel_of
from brandrail.findings import Edit, Finding, Fix, Severity
from brandrail.policy import Policy
from brandrail.registry import Rule, register
from brandrail.text.document import Document


@register
class TooManyEmoji(Rule):
    """Emoji beyond the channel's limit, or an emoji the channel bans.

    What it flags:
        Each emoji from `banned_emoji`, and when the channel sets `max_emoji` and the message has more, one
        finding for the message (at the first emoji over the limit, with the count and the extra emoji in
        the evidence; `max_emoji: 0` bans them all). A ZWJ sequence, a skin-tone variant or a flag counts as
        one emoji.

    Why it matters:
        Emoji render differently across devices, are read out awkwardly by screen readers, force SMS into
        UCS-2, and some carry meanings the brand does not intend.

    Example:
        With `channels: {email: {max_emoji: 1}}`, "🎉 Sale 🎉 now 🔥" is flagged once, at the second emoji:
        3 emoji, 2 over the limit.

    Use instead:
        Fewer emoji, placed at the end of a sentence; `brandrail fix` removes banned ones and, with
        `max_emoji: 0`, all of them.
    """

    code = "BR407"
    name = "too-many-emoji"
    default_severity = Severity.WARNING

    def check(self, subject: Document, policy: Policy) -> Iterator[Finding]:
        channel = channel_of(policy)
        doc = subject
        if channel is None or (channel.max_emoji is None and not channel.banned_emoji):
            return
        found = emoji_clusters(doc.prose)
        if not found:
            return
        banned = {e.replace("\ufe0f", "") for e in channel.banned_emoji}
        limit = channel.max_emoji
        over: list[tuple[int, int, str]] = []
        for i, (a, b, emoji) in enumerate(found):
            if emoji.replace("\ufe0f", "") in banned:
                start, end = doc.prose_to_original(a, b)
                yield self.finding(
                    f"emoji {emoji!r} is banned on this channel ({len(found)} emoji in the message)",
                    doc=doc,
                    start=start,
                    end=end,
                    fix=Fix(f"remove {emoji!r}", (self._cut(doc, start, end),), True),
                    evidence={"measured": len(found), "limit": limit, "emoji": emoji, "banned": True},
                )
            elif limit is not None and i >= limit:
                over.append((*doc.prose_to_original(a, b), emoji))
        if not over:
            return
        # one finding for the message, at the first emoji over the limit, with the count and every extra one
        start, end, first = over[0]
        extra = [e for _, _, e in over]
        edits = tuple(self._cut(doc, s, e) for s, e, _ in over)
        yield self.finding(
            f"{len(found)} emoji; the channel allows {limit} ({len(over)} over the limit, from {first!r})",
            doc=doc,
            start=start,
            end=end,
            fix=Fix(f"remove the {len(over)} emoji over the limit", edits, limit == 0),
            evidence={
                "measured": len(found),
                "limit": limit,
                "over": len(over),
                "emoji": extra,
                "banned": False,
            },
        )

    @staticmethod
    def _cut(doc: Document, start: int, end: int) -> Edit:
        """Remove an emoji with one neighbouring space, so that no double space is left."""
        if end < len(doc.text) and doc.text[end] == " ":
            return Edit(start, end + 1, "")
        if start > 0 and doc.text[start - 1] == " ":
            return Edit(start - 1, end, "")
        return Edit(start, end, "")
