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
        Each emoji from `banned_emoji`, and when the channel sets `max_emoji` each emoji beyond that count
        (`max_emoji: 0` bans them all). A ZWJ sequence, a skin-tone variant or a flag counts as one emoji.

    Why it matters:
        Emoji render differently across devices, are read out awkwardly by screen readers, force SMS into
        UCS-2, and some carry meanings the brand does not intend.

    Example:
        With `channels: {email: {max_emoji: 1}}`, "🎉 Sale 🎉 now 🔥" is flagged at the second and third.

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
        for i, (a, b, emoji) in enumerate(found):
            is_banned = emoji.replace("\ufe0f", "") in banned
            over = limit is not None and i >= limit
            if not (is_banned or over):
                continue
            start, end = doc.prose_to_original(a, b)
            # take one neighbouring space with it so that no double space is left
            if end < len(doc.text) and doc.text[end] == " ":
                cut_start, cut_end = start, end + 1
            elif start > 0 and doc.text[start - 1] == " ":
                cut_start, cut_end = start - 1, end
            else:
                cut_start, cut_end = start, end
            safe = is_banned or limit == 0
            reason = "is banned on this channel" if is_banned else f"is over the limit of {limit}"
            yield self.finding(
                f"emoji {emoji!r} {reason} ({len(found)} emoji in the message)",
                doc=doc,
                start=start,
                end=end,
                fix=Fix(f"remove {emoji!r}", (Edit(cut_start, cut_end, ""),), safe),
                evidence={"measured": len(found), "limit": limit, "emoji": emoji, "banned": is_banned},
            )
