"""BR405 too-many-exclamations."""

from __future__ import annotations

from collections.abc import Iterator

from brandrail.content.fastpolicy import channel_name, channel_of
from brandrail.findings import Finding, Severity
from brandrail.policy import Policy
from brandrail.registry import Rule, register
from brandrail.text.document import Document


@register
class TooManyExclamations(Rule):
    """More exclamation marks than the channel allows.

    What it flags:
        When the channel sets `max_exclamations`, a message whose prose has more '!' (and '！', '‼') than
        that; the span is the first mark over the limit.

    Why it matters:
        Exclamation marks read as shouting and hype, trip spam filters, and rarely fit a calm, expert voice.

    Example:
        With `max_exclamations: 1`, "New boots! Lighter! Tougher!" is flagged at the second '!'.

    Use instead:
        At most one, at the end of the strongest sentence; let the words carry the energy.
    """

    code = "BR405"
    name = "too-many-exclamations"
    default_severity = Severity.WARNING

    def check(self, subject: Document, policy: Policy) -> Iterator[Finding]:
        channel = channel_of(policy)
        doc = subject
        if channel is None or channel.max_exclamations is None:
            return
        prose = doc.prose
        if (
            prose.count("!") + (0 if prose.isascii() else prose.count("！") + prose.count("‼"))
            <= channel.max_exclamations
        ):
            return
        marks = [i for i, c in enumerate(prose) if c in "!！‼"]
        first = marks[channel.max_exclamations]
        start, end = doc.prose_to_original(first, first + 1)
        yield self.finding(
            f"{len(marks)} exclamation marks; channel {channel_name(policy)!r} allows {channel.max_exclamations}",
            doc=doc,
            start=start,
            end=end,
            evidence={"measured": len(marks), "limit": channel.max_exclamations},
        )
