"""BR308 deceptive-subject."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from brandrail.content.common import channel_kind, meta_field
from brandrail.content.fastpolicy import cache_of
from brandrail.content.rules.disclosures.br306_unsubscribe_missing import is_marketing_email
from brandrail.findings import Edit, Finding, Fix, Severity
from brandrail.policy import Policy
from brandrail.registry import Rule, register
from brandrail.text.document import Document
from brandrail.text.normalize import fold_term, normalize


@register
class DeceptiveSubject(Rule):
    """An e-mail subject that pretends to be a reply, a forward or a transactional notice.

    What it flags:
        On an `email` channel, a subject line (see docs/content.md for where it is read from) that starts
        with one of `disclosures.email.deceptive_subject_prefixes` ("RE:", "FW:", "Fwd:", and the German,
        French, Dutch, Nordic, Italian and Portuguese ones: "AW:", "WG:", "TR:", "SV:", "Antw:"...), read
        as a person sees it: full-width letters, hidden characters, a space before the colon ("RE :"), a
        look-alike colon ("Re∶", "Re꞉") and a reply counter ("Re[2]:", "RE(3):", "Re^2:") do not hide it. On a
        marketing e-mail (metadata `marketing: false` exempts service mail), also a subject that poses as a
        transactional notice: one matching `disclosures.email.deceptive_subject_notices` ("Your order has
        shipped", "Invoice #4821 attached", "Payment failed", "Action required: …", "your account will be
        closed", "Your password was reset", "Overdue balance on your account", "Your membership will be
        cancelled"; in German, French and Spanish too: "Ihre Bestellung wurde versandt", "Rechnung Nr.
        4821", "Ihr Abo wird gekündigt", "Votre commande a été expédiée", "Facture n° 4821", "Votre
        abonnement sera résilié", "Su pedido ha sido enviado", "Restablecer contraseña"), read with accents
        removed.

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
        found = _fake_prefix(field.value, policy.disclosures.email.deceptive_subject_prefixes)
        if found is None:
            notice = _fake_notice(field.value, policy) if is_marketing_email(doc, policy) else None
            if notice is not None:
                yield self.finding(
                    f"subject {field.value!r} poses as a transactional notice on a marketing e-mail",
                    doc=doc,
                    evidence={"subject": field.value, "notice": notice},
                )
            return
        prefix, cut = found  # cut: where the subject proper starts in field.value
        start = end = None
        fix = None
        if field.start is not None and field.end is not None:
            lead = len(field.value) - len(field.value.lstrip())
            start = field.start + lead
            end = field.start + cut
            fix = Fix(f"remove {prefix!r}", (Edit(start, end, ""),))
        yield self.finding(
            f"subject {field.value!r} fakes a conversation with {prefix!r}",
            doc=doc,
            start=start,
            end=end,
            fix=fix,
            evidence={"subject": field.value, "prefix": prefix},
        )


#: Characters that look like a colon (Unicode confusables.txt for ':' and a few more): "Re∶" reads "Re:".
_COLONS = str.maketrans(
    dict.fromkeys(
        "\u02d0\u02f8\u0589\u05c3\u0703\u0704\u0903\u0a83\u16ec\u1803\u1809\u205a\u2236\ua4fd"
        "\ua789\ufe30\ufe13\ufe55\uff1a\u1361\u0f14",
        ":",
    )
)


#: A reply or forward counter some mail clients put between the prefix and its colon: "Re[2]:", "RE(3):",
#: "Re^2:", "AW[2]:"
_COUNTER = r"(?:(?:\[\s*\d{1,3}\s*\]|\(\s*\d{1,3}\s*\)|[\^*]\s*\d{1,3})\s*)?"


def _fake_prefix(subject: str, prefixes: list[str]) -> tuple[str, int] | None:
    """The prefix ``subject`` opens with (read as a person sees it: "Ｒｅ:", "R\u200bE:", "RE :", "Re∶") and where the
    rest of the subject starts, after the prefix and the space behind it; None when it opens with none."""
    seen, index = normalize(subject)
    low = seen.lower().translate(_COLONS)
    for prefix in prefixes:
        word = fold_term(prefix.strip().rstrip(":").strip())
        if not word:
            continue
        m = re.match(
            rf"\s*{re.escape(word)}\s*{_COUNTER}:\s*"
            if prefix.strip().endswith(":")
            else rf"\s*{re.escape(word)}\s*",
            low,
        )
        if m is None:
            continue
        end = m.end()
        cut = len(subject) if end >= len(seen) else (index[end] if index is not None else end)
        return prefix, cut
    return None


def _fake_notice(subject: str, policy: Policy) -> str | None:
    """The text of ``subject`` (read as a person sees it) that makes it pose as a transactional notice, by
    ``disclosures.email.deceptive_subject_notices``, or None."""
    patterns = policy.disclosures.email.deceptive_subject_notices
    if not patterns:
        return None
    cache = cache_of(policy)
    compiled: list[re.Pattern[str]] | None = cache.get("BR308:notices")
    if compiled is None:
        compiled = cache["BR308:notices"] = [re.compile(p) for p in patterns]
    seen = " ".join(normalize(subject)[0].lower().translate(_COLONS).split())
    # a pattern the policy writes with accents ("expédiée") is tried on the subject as written, too
    accented = " ".join(unicodedata.normalize("NFC", subject).lower().translate(_COLONS).split())
    for pattern in compiled:
        m = pattern.search(seen)
        if m is None and accented != seen:
            m = pattern.search(accented)
        if m:
            return m.group(0)
    return None
