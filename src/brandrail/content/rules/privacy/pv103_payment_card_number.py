"""PV103 payment-card-number."""

from __future__ import annotations

from brandrail.content.pii import PiiRule
from brandrail.registry import register


@register
class PaymentCardNumber(PiiRule):
    """A payment card number in outgoing content.

    What it flags:
        13-19 digits (spaces or dashes allowed) that start with a card-network prefix and pass the Luhn check;
        random order numbers almost never do.

    Why it matters:
        Exposing a primary account number breaks PCI DSS (requirement 3.4, render PAN unreadable) and enables
        fraud; it is also personal data.

    Example:
        "Card 4111 1111 1111 1111 was charged" is flagged.

    Use instead:
        A placeholder or the brand's own contact channel; `brandrail fix` redacts the value as
        `privacy.redaction` says: `mask` (all but the last 4 characters), `placeholder` ("[email]") or `hash`
        (a salted SHA-256 prefix; salt from the environment variable `privacy.salt_env`).
    """

    code = "PV103"
    name = "payment-card-number"
    pii_kind = "card"
