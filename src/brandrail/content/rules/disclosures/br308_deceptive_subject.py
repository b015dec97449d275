"""BR308 deceptive-subject."""

from __future__ import annotations

from collections.abc import Iterator

from brandrail.content.common import channel_kind, meta_field
from brandrail.findings import Edit, Finding, Fix, Severity
from brandrail.policy import Policy
from brandrail.registry import Rule, register
from brandrail.text.document import Document


@register
class DeceptiveSubject(Rule):
    """An e-mail subject that pretends to be a reply or forward.

    What it flags:
        On an `email` channel, a subject line (see docs/content.md for where it is read from) that starts
        with one of `disclosures.email.deceptive_subject_prefixes` ("RE:", "FW:", "Fwd:").

    Why it matters:
        CAN-SPAM (15 U.S.C. 7704(a)(2)) prohibits subject lines likely to mislead a recipient about the
        content or subject matter of the message; a fake "RE:" implies an existing conversation.

    Example:
        Subject "RE: your order" on a promotional e-mail is flagged.

    Use instead:
        An honest subject ("Your spring kit list"); `brandrail fix` removes the prefix when the subject
        stands in the file (front matter or `<title>`).
    """

    code = "BR308"
    name = "deceptive-subject"
    default_severity = Severity.ERROR

    def check(self, subject: Document, policy: Policy) -> Iterator[Finding]:
        doc = subject
        if channel_kind(doc, policy) != "email":
            return
        field = meta_field(doc, "subject")
        if field is None:
            return
        value = field.value.lstrip()
        lowered = value.lower()
        prefix = next(
            (p for p in policy.disclosures.email.deceptive_subject_prefixes if lowered.startswith(p.lower())),
            None,
        )
        if prefix is None:
            return
        start = end = None
        fix = None
        if field.start is not None and field.end is not None:
            lead = len(field.value) - len(value)
            start = field.start + lead
            rest = value[len(prefix) :]
            end = start + len(prefix) + (len(rest) - len(rest.lstrip()))
            fix = Fix(f"remove {prefix!r}", (Edit(start, end, ""),))
        yield self.finding(
            f"subject {field.value!r} fakes a conversation with {prefix!r}",
            doc=doc,
            start=start,
            end=end,
            fix=fix,
            evidence={"subject": field.value, "prefix": prefix},
        )
