"""BR307 postal-address-missing."""

from __future__ import annotations

import re
from collections.abc import Iterator

from brandrail.content.disclosures import merge_tag_in, reader_contexts, seen_view
from brandrail.content.fastpolicy import cache_of
from brandrail.content.fixes import append_fix
from brandrail.content.rules.disclosures.br306_unsubscribe_missing import is_marketing_email
from brandrail.creative.email import CONTEXT_WORDS
from brandrail.findings import Finding, Severity
from brandrail.policy import Policy
from brandrail.registry import Rule, register
from brandrail.text.document import Document
from brandrail.text.normalize import fold_term

_SPACE = re.compile(r"\s+")


def _squash(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


@register
class PostalAddressMissing(Rule):
    """A marketing e-mail without the sender's postal address.

    What it flags:
        On an `email` channel, a marketing message that does not contain the postal address
        (`disclosures.email.address`, else `brand.postal_address`). The address counts as present when the
        whole address, or at least two of its comma-separated parts (say street and postcode), appear,
        ignoring case and spacing. With `address_all_parts: true`, or with the parts listed in
        `address_parts` (street, town, postcode...), every part must appear and the finding names the
        missing ones. When no address is configured, the finding says so. In HTML only text a reader sees
        counts (an address hidden by CSS, camouflaged or only in alt text does not). An ESP merge tag that the ESP
        replaces with the address (`*|HTML:LIST_ADDRESS_HTML|*`, `{{ organization.address }}`…,
        `creative.email.merge_tags`) counts as the address.

    Why it matters:
        CAN-SPAM (15 U.S.C. 7704(a)(5)(A)(iii)) requires a valid physical postal address in every commercial
        e-mail; the EU E-Commerce Directive (Art. 5) requires the provider's geographic address.

    Example:
        A promotional e-mail whose footer has only an unsubscribe link is flagged.

    Use instead:
        Add the address to the footer; `brandrail fix` appends it.
    """

    code = "BR307"
    name = "postal-address-missing"
    default_severity = Severity.ERROR

    def check(self, subject: Document, policy: Policy) -> Iterator[Finding]:
        settings = policy.disclosures.email
        doc = subject
        if not settings.postal_address or not is_marketing_email(doc, policy):
            return
        contexts = reader_contexts(doc, policy)
        tagged = [c for c in contexts if merge_tag_in(doc, policy, "postal_address", c) is not None]
        if len(tagged) == len(contexts):  # the ESP fills in the address where every reader sees it
            return
        address = settings.address or policy.brand.postal_address
        if not address:
            yield self.finding(
                "marketing e-mail needs a postal address, and the policy sets none (brand.postal_address)",
                doc=doc,
                evidence={"address": None},
            )
            return
        cache = cache_of(policy)
        compiled: tuple[str, list[tuple[str, str]]] | None = cache.get(self.code)
        if compiled is None:
            folded = _squash(fold_term(address))
            given = settings.address_parts or [x for x in address.split(",") if len(_squash(x)) >= 4]
            compiled = (folded, [(part.strip(), _squash(fold_term(part))) for part in given])
            cache[self.code] = compiled
        folded, parts = compiled
        need_all = settings.address_all_parts or bool(settings.address_parts)
        for context in contexts:  # every reader must see it
            if context in tagged:
                continue
            text = " ".join(seen_view(doc, policy, context).folded.split())
            if folded in text and not settings.address_parts:
                continue
            present = [shown for shown, part in parts if part in text]
            missing = [shown for shown, part in parts if part not in text]
            if not ((not missing) if need_all else len(present) >= min(2, len(parts))):
                break
        else:
            return
        message = (
            f"marketing e-mail without the postal address ({address!r})"
            if not present
            else f"marketing e-mail with an incomplete postal address: missing {', '.join(repr(m) for m in missing)}"
        ) + CONTEXT_WORDS.get(context, "")
        yield self.finding(
            message,
            doc=doc,
            fix=append_fix(doc, address) if not present else None,
            evidence={
                "address": address,
                "parts_found": present,
                "parts_missing": missing,
                "all_parts": need_all,
                "context": context,
            },
        )
