"""BR302 sponsored-label-missing."""

from __future__ import annotations

import re
from collections.abc import Iterator

from brandrail.content.common import meta_flag
from brandrail.content.disclosures import (
    find_unnegated_phrase,
    reader_contexts,
    seen_view,
    starts_within,
)
from brandrail.content.fixes import prepend_fix
from brandrail.creative.email import CONTEXT_WORDS
from brandrail.findings import Finding, Severity
from brandrail.policy import Policy
from brandrail.registry import Rule, register
from brandrail.text.document import Document
from brandrail.text.normalize import fold_term

#: "Ad | …", "ad · …", "Anzeige – …", "Publicité | …": the word for an advert opening the post, set off by a separator
_LEAD_WORDS = (
    r"ad|advert|advertisement|sponsored|paid\s+partnership|anzeige|werbung|gesponsert|bezahlte\s+partnerschaft"
    r"|pub|publicite|sponsorise|partenariat\s+remunere|publicidad|publi|patrocinado"
)
#: ... or standing alone in brackets: "[AD] …", "(Ad) …", "[Anzeige] …" (not "[ADORE] …")
_LEAD_LABEL = re.compile(
    rf"^[^\w#\[(]{{0,3}}(?:({_LEAD_WORDS})\s*[|·•:/\-–—](?=\s|$)|[\[(]\s*({_LEAD_WORDS})\s*[\])])"
)


def _label(seen: Document, policy: Policy, labels: list[str], key: str) -> tuple[int, int, str] | None:
    """The first label in ``seen`` that no negation denies ("This is not an ad"), or the word for an advert
    opening the post before a separator."""
    found = find_unnegated_phrase(seen, policy, key, labels, shown=True)
    lead = _LEAD_LABEL.match(seen.folded)
    if lead is not None:
        group = 1 if lead.group(1) is not None else 2
        start, end = lead.start(group), lead.end(group)
        if seen.reads_plainly(start, end) and (found is None or start < found[0]):
            return start, end, lead.group(group)
    return found


#: "gifted" of the reader's or a customer's gift: given to someone else ("Gifted a bag to your dad?", "gifted a
#: grinder to a friend"), not to the writer ("gifted to me by …")
_GIFTED_BY_READER = re.compile(r"gifted\s+(?:[\w'’-]+\s+){1,5}?to\s+(?!(?:me|us|myself|ourselves)\b)[\w'’-]")


@register
class SponsoredLabelMissing(Rule):
    """A sponsored or paid post without a clear #ad label near its start.

    What it flags:
        A message that is sponsored (metadata `sponsored: true`, or a trigger phrase such as "sponsored by",
        "gifted", "use my code", "affiliate link" from `disclosures.sponsored.triggers`, unless a negation
        denies it: "not gifted", "Not an ad, not gifted, not sponsored", "not paid, gifted or sponsored by
        anyone") and has none of
        `disclosures.sponsored.labels` ("#ad", "#sponsored", "Paid partnership"...; German, French and
        Spanish ones such as "Anzeige", "Werbung", "Publicité", "Collaboration commerciale", "Publicidad",
        "#publi") starting within the first `within` characters (50 by default). The word for an advert
        opening the post before a separator ("Ad | …", "Sponsored | …", "Werbung | …") or alone in
        brackets ("[AD] …", "(Ad) …", "[Anzeige] …") is a label; one a negation denies
        ("This is not an ad", "not sponsored") is not, and "#adventure" or "Ad-free" never were.

    Why it matters:
        The FTC Endorsement Guides (16 CFR 255.5) require a clear and conspicuous disclosure of a material
        connection; a label buried after "...more" or among hashtags at the end is not conspicuous. The UK
        CAP Code (2.1) and EU UCPD (Annex I, 11) say the same.

    Example:
        "Loving my new Tarn Jacket, gifted by Fernhill! Use my code TARN10 #outdoors #ad" is flagged: the
        label is at the end.

    Use instead:
        "#ad Loving my new Tarn Jacket, gifted by Fernhill! Use my code TARN10"; `brandrail fix` prepends
        `disclosures.sponsored.text`.
    """

    code = "BR302"
    name = "sponsored-label-missing"
    default_severity = Severity.ERROR

    def check(self, subject: Document, policy: Policy) -> Iterator[Finding]:
        settings = policy.disclosures.sponsored
        if not settings.enabled:
            return
        doc = subject
        flag = meta_flag(doc, "sponsored")
        if flag is False:
            return
        trigger = None
        if flag is None:
            # a trigger a negation denies ("not gifted", "neither gifted nor sponsored by anyone") is none
            trigger = find_unnegated_phrase(
                doc, policy, f"{self.code}:triggers", list(settings.triggers), close=True
            )
            if trigger is not None and _GIFTED_BY_READER.match(doc.folded, trigger[0]):
                # "Gifted a grinder to a friend?": the reader's gift, no gifted product; another trigger may count
                others = [t for t in settings.triggers if fold_term(t) != "gifted"]
                trigger = find_unnegated_phrase(
                    doc, policy, f"{self.code}:triggers-but-gifted", others, close=True
                )
            if trigger is None:
                return
        for context in reader_contexts(doc, policy):  # every reader must see it near the start
            seen = seen_view(doc, policy, context)
            label = _label(seen, policy, list(settings.labels), f"{self.code}:labels")
            if label is None or not starts_within(seen, label[0], settings.within):
                break
        else:
            return
        start = end = None
        if label is not None:
            start, end = seen.norm_to_original(label[0], label[1])
        elif trigger is not None:
            start, end = doc.norm_to_original(trigger[0], trigger[1])
        why = "metadata sponsored=true" if trigger is None else f"mentions {trigger[2]!r}"
        state = f"is not within the first {settings.within} characters" if label else "is missing"
        state += CONTEXT_WORDS.get(context, "")
        yield self.finding(
            f"sponsored content ({why}): the {settings.text!r} label {state}",
            doc=doc,
            start=start,
            end=end,
            fix=prepend_fix(doc, settings.text),
            evidence={"trigger": why, "label_found": label[2] if label else None, "within": settings.within},
        )
