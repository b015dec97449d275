"""PV101 email-address."""

from __future__ import annotations

from brandrail.content.pii import PiiRule
from brandrail.registry import register


@register
class EmailAddress(PiiRule):
    """An e-mail address in outgoing content.

    What it flags:
        An e-mail address anywhere in the message (prose or link target), except addresses at the brand's own
        website domain, `privacy.allow_domains` and `privacy.allow`.

    Why it matters:
        Copy written by a model from customer records or conversations can leak one customer's data to many
        recipients: a personal-data breach under GDPR Art. 33-34 and UK GDPR, and a CCPA/CPRA exposure.

    Example:
        "Thanks, jane.doe@gmail.com, your order shipped" is flagged at the address.

    Use instead:
        A placeholder or the brand's own contact channel; `brandrail fix` redacts the value as
        `privacy.redaction` says: `mask` (all but the last 4 characters), `placeholder` ("[email]") or `hash`
        (a salted SHA-256 prefix; salt from the environment variable `privacy.salt_env`).
    """

    code = "PV101"
    name = "email-address"
    pii_kind = "email"
