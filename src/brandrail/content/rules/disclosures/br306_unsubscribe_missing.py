"""BR306 unsubscribe-missing."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from brandrail.content.common import channel_kind, meta_flag
from brandrail.content.disclosures import (
    dead_link_spans,
    find_unnegated_phrase,
    merge_tag_in,
    reader_contexts,
    seen_links,
    seen_text,
    seen_view,
)
from brandrail.content.fixes import append_fix
from brandrail.creative.email import CONTEXT_WORDS
from brandrail.findings import Finding, Severity
from brandrail.policy import Policy
from brandrail.registry import Rule, register
from brandrail.text.document import Document

_HREF = re.compile(r"""href\s*=\s*["'][^"']*(?:unsubscribe|optout|opt-out|preferences)""", re.IGNORECASE)
_UNSUB_HREF = re.compile(r"unsubscribe|optout|opt-out|preferences", re.IGNORECASE)


# a link in plain text: a URL, a mailto: address, or a bare domain with a path ("fernhill.example/unsubscribe")
_LINK = re.compile(
    r"(?:https?://|www\.|mailto:)\S+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,24}/\S*", re.IGNORECASE
)
_UNSUB_URL = re.compile(
    r"(?:https?://|www\.|\b[a-z0-9-]+\.[a-z]{2,24}/)\S*(?:unsub|opt-?out|preferences)\S*", re.IGNORECASE
)


def _plain_link(doc: Document, norm_start: int, norm_end: int) -> bool:
    """Whether a link stands on the line of the unsubscribe wording at ``norm`` offsets, or anywhere a link's
    address itself says unsubscribe / opt-out / preferences."""
    if _UNSUB_URL.search(doc.text):
        return True
    start, end = doc.norm_to_original(norm_start, norm_end)
    line_start = doc.text.rfind("\n", 0, start) + 1
    line_end = doc.text.find("\n", end)
    line = doc.text[line_start : line_end if line_end != -1 else len(doc.text)]
    return bool(_LINK.search(line))


def _html_link(doc: Document, policy: Policy, accept: list[str], context: str) -> bool:
    """An unsubscribe link a reader of the HTML sees: a seen link whose address mentions unsubscribe, opt-out
    or preferences or whose seen text (or the alt text of its image) is an accepted wording, or such an
    address written out in seen text. A link that is hidden, or only in a comment, does not count."""
    links = seen_links(doc, policy, context)
    if any(_UNSUB_HREF.search(href) for href, _ in links):
        return True
    if _UNSUB_URL.search(seen_text(doc, policy, context)):
        return True
    wordings = [" ".join(a.casefold().split()) for a in accept if a.strip()]
    return any(w in " ".join(name.casefold().split()) for _, name in links for w in wordings)


def is_marketing_email(doc: Document, policy: Policy) -> bool:
    if channel_kind(doc, policy) != "email":
        return False
    flag = meta_flag(doc, "marketing")
    return flag if flag is not None else policy.disclosures.email.marketing_by_default


@register
class UnsubscribeMissing(Rule):
    """A marketing e-mail without a way to unsubscribe.

    What it flags:
        On an `email` channel, a marketing message (metadata `marketing: false` exempts transactional mail)
        whose text has none of `disclosures.email.unsubscribe_accept` ("unsubscribe", "opt out", "manage
        preferences", "email settings"..., and German, French and Spanish ones: "Abmelden", "abbestellen",
        "Se désabonner", "Darse de baja") and, in HTML, no link whose address mentions unsubscribe, opt-out or
        preferences. A wording a negation denies ("you can't unsubscribe from order notices") does not
        count.
        In HTML only what a reader sees counts: a hidden link, a link in a comment or hidden words do not, nor
        a link that leads nowhere (`#`, `javascript:`, no address), and the wording that is such a link's text
        (`<a href="#">Unsubscribe</a>`) does not count as the wording either.
        With `unsubscribe_link: true` the wording alone is not enough in plain text: a URL, `mailto:` or
        domain/path must stand on the unsubscribe line, or a link's address must say unsubscribe, opt-out or
        preferences. An ESP merge tag that the ESP replaces with the unsubscribe link (`*|UNSUB|*`,
        `{{{unsubscribe}}}`, `{% unsubscribe %}`…, `creative.email.merge_tags`) counts as the link.

    Why it matters:
        CAN-SPAM (15 U.S.C. 7704(a)(3), (a)(5)(A)(ii)) requires a clear opt-out mechanism in every commercial
        e-mail; GDPR/PECR and Gmail/Yahoo bulk-sender rules require an easy unsubscribe.

    Example:
        A newsletter that ends "See you on the trail!" with no footer is flagged.

    Use instead:
        Add a footer link ("Unsubscribe: https://fernhill.example/unsubscribe"); `brandrail fix` appends
        `disclosures.email.unsubscribe_text` when `brand.website` is set.
    """

    code = "BR306"
    name = "unsubscribe-missing"
    default_severity = Severity.ERROR

    def check(self, subject: Document, policy: Policy) -> Iterator[Finding]:
        settings = policy.disclosures.email
        doc = subject
        if not settings.unsubscribe or not is_marketing_email(doc, policy):
            return
        worded = True
        context = "light"
        for context in reader_contexts(doc, policy):  # every reader must see a way out
            found, worded = self._way_out(doc, policy, context)
            if not found:
                break
        else:
            return
        website = (policy.brand.website or "").rstrip("/")
        fix = None
        if website or "{website}" not in settings.unsubscribe_text:
            text = settings.unsubscribe_text.replace("{website}", website)
            markup = None
            if website:
                url = html.escape(f"{website}/unsubscribe")
                markup = f'<p><a href="{url}">{html.escape(text, quote=False)}</a></p>'
            fix = append_fix(doc, text, markup=markup)
        yield self.finding(
            (
                "marketing e-mail says how to unsubscribe but gives no link (disclosures.email.unsubscribe_link)"
                if worded
                else "marketing e-mail without an unsubscribe link"
            )
            + CONTEXT_WORDS.get(context, ""),
            doc=doc,
            fix=fix,
            evidence={
                "accepted": list(settings.unsubscribe_accept),
                "link_required": settings.unsubscribe_link,
                "wording_found": worded,
                "context": context,
            },
        )

    def _way_out(self, doc: Document, policy: Policy, context: str) -> tuple[bool, bool]:
        """(a reader in ``context`` is shown a way to unsubscribe, the unsubscribe wording is there)."""
        settings = policy.disclosures.email
        accept = list(settings.unsubscribe_accept)
        # the wording of a link that leads nowhere ('<a href="#">Unsubscribe</a>') is no way out
        phrase = find_unnegated_phrase(
            seen_view(doc, policy, context),
            policy,
            self.code,
            accept,
            shown=True,
            outside=dead_link_spans(doc, policy),
        )
        worded = phrase is not None
        if doc.kind == "html":
            if _html_link(doc, policy, accept, context):
                return True, worded
        elif doc.kind != "text" and _HREF.search(doc.text):
            return True, worded
        if merge_tag_in(doc, policy, "unsubscribe", context) is not None:  # the ESP fills in the link
            return True, worded
        if phrase is None:
            linked = doc.kind != "html" and settings.unsubscribe_link and bool(_UNSUB_URL.search(doc.text))
            return linked, worded
        if not settings.unsubscribe_link or doc.kind == "markdown":
            return True, worded
        return doc.kind == "text" and _plain_link(doc, phrase[0], phrase[1]), worded
