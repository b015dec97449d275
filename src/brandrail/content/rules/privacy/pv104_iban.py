"""PV104 iban."""

from __future__ import annotations

from brandrail.content.pii import PiiRule
from brandrail.registry import register


@register
class Iban(PiiRule):
    """An IBAN (bank account number) in outgoing content.

    What it flags:
        A string shaped like an IBAN that `stdnum.iban` validates (country length and mod-97 check digits).

    Why it matters:
        Copy written by a model from customer records or conversations can leak one customer's data to many
        recipients: a personal-data breach under GDPR Art. 33-34 and UK GDPR, and a CCPA/CPRA exposure.

    Example:
        "Refund sent to GB82 WEST 1234 5698 7654 32" is flagged.

    Use instead:
        A placeholder or the brand's own contact channel; `brandrail fix` redacts the value as
        `privacy.redaction` says: `mask` (all but the last 4 characters), `placeholder` ("[email]") or `hash`
        (a salted SHA-256 prefix; salt from the environment variable `privacy.salt_env`).
    """

    code = "PV104"
    name = "iban"
    pii_kind = "iban"
