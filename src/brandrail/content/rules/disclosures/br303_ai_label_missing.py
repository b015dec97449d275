"""BR303 ai-label-missing."""

from __future__ import annotations

from collections.abc import Iterator

from brandrail.content.common import meta_flag, on_channel
from brandrail.content.disclosures import find_unnegated_phrase, reader_contexts, seen_view
from brandrail.content.fastpolicy import channel_name
from brandrail.content.fixes import append_fix
from brandrail.findings import Finding, Severity
from brandrail.policy import Policy
from brandrail.registry import Rule, register
from brandrail.text.document import Document


@register
class AiLabelMissing(Rule):
    """AI-generated text published without a label saying so.

    What it flags:
        When `disclosures.ai_label.required` is true, a message on one of `disclosures.ai_label.channels`
        (all when empty) that is AI-generated (metadata `ai_generated: true`, or any message unless it says
        `ai_generated: false` while `assume_generated` is true) and contains none of the `labels`
        ("AI-generated", "generated with AI", "AI assistant"..., and German, French and Spanish ones:
        "KI-generiert", "généré par IA", "generado con IA"). A label a negation denies ("this reply is not
        AI-generated") does not count.

    Why it matters:
        The EU AI Act, Article 50(4), requires deployers that publish AI-generated text to inform the public
        on matters of public interest, and Art. 50(2) requires machine-readable marking; many platforms and
        brand codes require a visible label for all synthetic copy.

    Example:
        With `disclosures: {ai_label: {required: true, channels: [social]}}`, a social post without a label
        is flagged.

    Use instead:
        Add the label; `brandrail fix` appends `disclosures.ai_label.text`.
    """

    code = "BR303"
    name = "ai-label-missing"
    default_severity = Severity.ERROR

    def check(self, subject: Document, policy: Policy) -> Iterator[Finding]:
        settings = policy.disclosures.ai_label
        doc = subject
        if not settings.required or not on_channel(settings.channels, doc, policy):
            return
        flag = meta_flag(doc, "ai_generated")
        if flag is False or (flag is None and not settings.assume_generated):
            return
        labels = list(settings.labels)
        key = f"{self.code}:labels"
        if all(
            find_unnegated_phrase(seen_view(doc, policy, c), policy, key, labels, shown=True) is not None
            for c in reader_contexts(doc, policy)
        ):
            return
        yield self.finding(
            f"AI-generated message without a label such as {settings.text!r}",
            doc=doc,
            fix=append_fix(doc, settings.text),
            evidence={
                "ai_generated": "metadata" if flag else "assumed",
                "labels": list(settings.labels),
                "channel": channel_name(policy) or doc.channel,
            },
        )
