"""BR305 sms-sender-missing."""

from __future__ import annotations

from collections.abc import Iterator

from brandrail.content.common import channel_kind, meta_field
from brandrail.content.disclosures import find_phrase, reader_contexts, seen_view
from brandrail.content.fixes import prepend_fix
from brandrail.findings import Finding, Severity
from brandrail.policy import Policy
from brandrail.registry import Rule, register
from brandrail.text.document import Document


@register
class SmsSenderMissing(Rule):
    """An SMS that does not say who sent it.

    What it flags:
        On an `sms` channel, a message that names none of `disclosures.sms.sender_names` (by default the
        `brand.name` or its first word; with an "s" of possession, apostrophe or not: "Kestrelmoors
        Angebot"), unless the message metadata's `sender` (the sender id the
        recipient sees) contains one of them. Nothing is checked when neither is set.

    Why it matters:
        The TCPA rules require the sender of a telemarketing message to identify itself (47 CFR
        64.1200(b)(1)); an unidentified text looks like phishing and is often reported as spam.

    Example:
        With `brand: {name: Fernhill}`, "Your boots are 20% off today." is flagged on the sms channel.

    Use instead:
        "Fernhill: your boots are 20% off today."; `brandrail fix` prepends the first sender name.
    """

    code = "BR305"
    name = "sms-sender-missing"
    default_severity = Severity.WARNING

    def check(self, subject: Document, policy: Policy) -> Iterator[Finding]:
        settings = policy.disclosures.sms
        doc = subject
        if not settings.sender or channel_kind(doc, policy) != "sms":
            return
        brand = policy.brand.name.strip()
        names = list(settings.sender_names) or ([brand, brand.split()[0]] if brand else [])
        # the name with an "s" of possession and no apostrophe names it too: "Kestrelmoors Wochenangebot"
        forms = names + [n + "s" for n in names if n[-1:].isalpha() and not n.endswith(("s", "S"))]
        if not names or all(
            find_phrase(seen_view(doc, policy, c), policy, self.code, forms, shown=True) is not None
            for c in reader_contexts(doc, policy)
        ):
            return
        sender = meta_field(doc, "sender")
        if sender is not None and any(n.lower() in sender.value.lower() for n in names):
            return  # the sender id the recipient sees names the brand
        yield self.finding(
            f"SMS does not identify the sender ({' or '.join(repr(n) for n in names)})",
            doc=doc,
            fix=prepend_fix(doc, f"{names[0]}:"),
            evidence={"sender_names": names},
        )
