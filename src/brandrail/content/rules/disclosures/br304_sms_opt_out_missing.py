"""BR304 sms-opt-out-missing."""

from __future__ import annotations

import re
from collections.abc import Iterator

from brandrail.content.common import channel_kind, meta_flag
from brandrail.content.disclosures import (
    find_unnegated_phrase,
    negated_at,
    opt_out_instruction,
    reader_contexts,
    seen_view,
)
from brandrail.content.fixes import append_fix
from brandrail.findings import Finding, Severity
from brandrail.policy import Policy
from brandrail.registry import Rule, register
from brandrail.text.document import Document


def _clause_start(folded: str, at: int) -> int:
    """Where the instruction holding the keyword at ``at`` starts: its sending verb ("no need to *reply* STOP")
    when one stands right before it, else the keyword."""
    m = _VERB_RIGHT_BEFORE.search(folded, max(0, at - 40), at)
    return m.start() if m else at


_VERB_RIGHT_BEFORE = re.compile(
    r"\b(?:reply|text|txt|send|sms|respond|antworte|antworten|sende|senden|repondez|reponds|envoyez|envoie|"
    r"responde|envia|contesta)\s+(?:with\s+|the word\s+)?$"
)


#: an opt-out given as a link: "opt out of texts at kestrelmoor.example/sms", "to stop texts visit https://…",
#: "Abmelden: kestrelmoor.example/sms": the wording, then a URL, www. address or domain with a path in its
#: sentence (a full stop ends it only before a space: "kestrelmoor.example" goes on)
_LINK_WORDING = re.compile(
    r"\b(?:opt[- ]?out|unsubscribe|stop\s+(?:(?:these|our|all|the|receiving|getting)\s+)?(?:texts|messages|sms|"
    r"alerts|offers)|abmelden|abbestellen|desabonner|desinscrire|darte\s+de\s+baja|darse\s+de\s+baja)\b"
)
_LINK_AFTER = re.compile(
    r"(?:[^\n.!?]|[.!?](?=\S)){0,40}?(?:https?://|www\.|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,24}/)",
    re.IGNORECASE,
)


def link_opt_out(doc: Document) -> tuple[int, int] | None:
    """Norm offsets of an opt-out wording followed on its line by a link (in the text as written: a URL is
    not prose), not denied by a negation, or None."""
    for m in _LINK_WORDING.finditer(doc.folded):
        if negated_at(doc, m.start()) or not doc.reads_plainly(m.start(), m.end()):
            continue
        end = doc.norm_to_original(m.start(), m.end())[1]
        if _LINK_AFTER.match(doc.text, end):
            return m.span()
    return None


@register
class SmsOptOutMissing(Rule):
    """A marketing SMS without opt-out instructions.

    What it flags:
        On an `sms` channel, a message (unless its metadata says `marketing: false`) that contains none of
        `disclosures.sms.opt_out_accept` ("Reply STOP", "Text STOP", "STOP to opt out"...) and, unless
        `opt_out_patterns: false`, no opt-out instruction in another wording: an opt-out keyword (STOP, END,
        CANCEL, QUIT, UNSUBSCRIBE, in capitals or quoted) after a sending verb ("unsubscribe with STOP",
        "to opt out, send 'stop' to 81234") or before its purpose ("STOP to stop", "END to 81234 to quit"),
        with German, French and Spanish keywords, verbs and purposes too ("Abmelden: STOPP an 81234",
        "Antworte STOP zum Abmelden", "STOP au 36180", "Stop SMS : 36180", "Responde BAJA para salir").
        An instruction a negation denies ("no need to reply STOP") does not count. An opt-out link ("opt out of
        texts at example.com/sms", "to stop texts visit https://…") counts only with `opt_out_links: true`:
        CTIA practice, and what carriers expect, is a reply keyword, so by default the finding says the link
        is there but no keyword is (`evidence.link_only`).

    Why it matters:
        Under the TCPA rules (47 CFR 64.1200(a)(3), 64.1200(d)) and CTIA guidelines, recurring marketing texts
        must tell recipients how to opt out; carriers filter traffic that does not.

    Example:
        "Fernhill: 20% off boots this weekend." is flagged on the sms channel.

    Use instead:
        "Fernhill: 20% off boots this weekend. Reply STOP to opt out."; `brandrail fix` appends
        `disclosures.sms.opt_out_text`.
    """

    code = "BR304"
    name = "sms-opt-out-missing"
    default_severity = Severity.ERROR

    def check(self, subject: Document, policy: Policy) -> Iterator[Finding]:
        settings = policy.disclosures.sms
        doc = subject
        if not settings.opt_out or channel_kind(doc, policy) != "sms" or meta_flag(doc, "marketing") is False:
            return
        views = [seen_view(doc, policy, c) for c in reader_contexts(doc, policy)]
        if all(self._has_opt_out(view, policy) for view in views):
            return
        linked = all(link_opt_out(view) is not None for view in views)
        if linked and settings.opt_out_links:
            return
        yield self.finding(
            (
                f"SMS gives an opt-out link but no reply keyword such as {settings.opt_out_text!r} "
                "(disclosures.sms.opt_out_links)"
                if linked
                else f"SMS without opt-out instructions such as {settings.opt_out_text!r}"
            ),
            doc=doc,
            fix=append_fix(doc, settings.opt_out_text),
            evidence={"accepted": list(settings.opt_out_accept), "link_only": linked},
        )

    def _has_opt_out(self, seen: Document, policy: Policy) -> bool:
        settings = policy.disclosures.sms
        if (
            find_unnegated_phrase(seen, policy, self.code, list(settings.opt_out_accept), shown=True)
            is not None
        ):
            return True
        if not settings.opt_out_patterns:
            return False
        found = opt_out_instruction(seen)
        # the keyword must be written as it reads: an SMS gateway does not take "ЅТОР" (Cyrillic) for STOP
        return (
            found is not None
            and seen.reads_plainly(*found)
            and not negated_at(seen, _clause_start(seen.folded, found[0]))
        )
