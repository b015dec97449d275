"""BR403 subject-too-long."""

from __future__ import annotations

from collections.abc import Iterator

from brandrail.content.common import meta_field
from brandrail.content.fastpolicy import channel_name, channel_of
from brandrail.findings import Finding, Severity
from brandrail.policy import Policy
from brandrail.registry import Rule, register
from brandrail.text.document import Document


@register
class SubjectTooLong(Rule):
    """An e-mail subject line longer than the channel allows.

    What it flags:
        When the channel sets `subject_max`, a subject longer than that many characters. The subject comes
        from the message metadata (`meta={"subject": ...}` in the API, `--subject` on the command line),
        Markdown front matter (`subject:`), or the HTML `<title>`.

    Why it matters:
        Mail clients cut subjects at roughly 40 (mobile) to 60-70 (desktop) characters; the cut part, often
        the offer or its condition, is never seen.

    Example:
        With `channels: {email: {kind: email, subject_max: 50}}`, a 72-character subject is flagged.

    Use instead:
        A subject within the limit; move detail to the preheader or body.
    """

    code = "BR403"
    name = "subject-too-long"
    default_severity = Severity.WARNING
    meta_key = "subject"

    def limit(self, policy: Policy) -> int | None:
        channel = channel_of(policy)
        return channel.subject_max if channel is not None else None

    def check(self, subject: Document, policy: Policy) -> Iterator[Finding]:
        limit = self.limit(policy)
        doc = subject
        if limit is None:
            return
        field = meta_field(doc, self.meta_key)
        if field is None:
            return
        length = len(field.value.strip())
        if length <= limit:
            return
        start = end = None
        if field.start is not None and field.end is not None:
            start, end = field.start, field.end
        yield self.finding(
            f"{self.meta_key} is {length} characters; channel {channel_name(policy)!r} allows {limit}",
            doc=doc,
            start=start,
            end=end,
            evidence={"measured": length, "limit": limit, self.meta_key: field.value, "unit": "characters"},
        )
