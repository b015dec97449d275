"""BR404 preheader-too-long."""

from __future__ import annotations

from brandrail.content.fastpolicy import channel_of
from brandrail.content.rules.channel.br403_subject_too_long import SubjectTooLong
from brandrail.findings import Severity
from brandrail.policy import Policy
from brandrail.registry import register


@register
class PreheaderTooLong(SubjectTooLong):
    """An e-mail preheader longer than the channel allows.

    What it flags:
        When the channel sets `preheader_max`, a preheader (the preview text after the subject) longer than
        that. It comes from the metadata (`preheader`), Markdown front matter (`preheader:`), or the text
        of the first HTML element whose `class` or `id` contains "preheader".

    Why it matters:
        Inboxes show about 40-130 characters of preheader; beyond that the text is cut, and a long hidden
        preheader pads the preview with body text.

    Example:
        With `channels: {email: {kind: email, preheader_max: 90}}`, a 140-character preheader is flagged.

    Use instead:
        A preheader within the limit that complements the subject.
    """

    code = "BR404"
    name = "preheader-too-long"
    default_severity = Severity.WARNING
    meta_key = "preheader"

    def limit(self, policy: Policy) -> int | None:
        channel = channel_of(policy)
        return channel.preheader_max if channel is not None else None
