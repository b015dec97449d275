"""BR408 too-many-ctas."""

from __future__ import annotations

from collections.abc import Iterator

from brandrail.content.common import PhraseSet
from brandrail.content.fastpolicy import channel_name, channel_of
from brandrail.content.lexicons import CTA_PHRASES
from brandrail.findings import Finding, Severity
from brandrail.policy import Policy
from brandrail.registry import Rule, register
from brandrail.text.document import Document


@register
class TooManyCtas(Rule):
    """More calls to action than the channel allows.

    What it flags:
        When the channel sets `max_ctas`, each call to action beyond that number ("Shop now", "Learn more",
        "Sign up", "Book now"... plus the channel's `cta_phrases`), matched on the normalised text.

    Why it matters:
        One clear action converts better than several competing ones; a push notification or SMS with three
        asks reads as spam.

    Example:
        With `channels: {push: {max_ctas: 1}}`, "Shop now or learn more, then sign up!" is flagged at "learn
        more" and "sign up".

    Use instead:
        One call to action per message, the one that serves the goal of the message.
    """

    code = "BR408"
    name = "too-many-ctas"
    default_severity = Severity.WARNING

    def check(self, subject: Document, policy: Policy) -> Iterator[Finding]:
        channel = channel_of(policy)
        doc = subject
        if channel is None or channel.max_ctas is None:
            return
        phrases = PhraseSet.cached(policy, self.code, lambda: [*CTA_PHRASES, *channel.cta_phrases])
        hits: list[tuple[int, int, str]] = []
        for a, b, phrase in sorted(phrases.positions(doc)):
            if hits and a < hits[-1][1]:
                continue
            hits.append((a, b, phrase))
        if len(hits) <= channel.max_ctas:
            return
        for a, b, phrase in hits[channel.max_ctas :]:
            start, end = doc.norm_to_original(a, b)
            yield self.finding(
                f"call to action {doc.text[start:end]!r}: {len(hits)} in the message; channel "
                f"{channel_name(policy)!r} allows {channel.max_ctas}",
                doc=doc,
                start=start,
                end=end,
                evidence={"measured": len(hits), "limit": channel.max_ctas, "cta": phrase},
            )
