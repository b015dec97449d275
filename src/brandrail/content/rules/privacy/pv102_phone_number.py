"""PV102 phone-number."""

from __future__ import annotations

from brandrail.content.pii import PiiRule
from brandrail.registry import register


@register
class PhoneNumber(PiiRule):
    """A phone number in outgoing content.

    What it flags:
        A valid phone number found by the `phonenumbers` matcher for each region in `privacy.phone_regions`
        (numbers with a + country code are found whatever the region); order numbers and dates are not
        valid numbers. Freephone, shared-cost and universal access numbers (0800, 1-800, 1800, 13 xx xx,
        0300) reach a business, not a person, and are not flagged; premium-rate numbers are.
        A number right after a record's label ("Order #", "Invoice no.", "Company no.", "Pedido nº",
        "Bestellnummer") is that record's identifier, not a phone number (the gate's ledger masks it all the
        same). `privacy.allow` exempts the brand's own numbers. Validation is budgeted: once a text
        has spent 10,000 candidates on sequences that are not valid numbers (a table of numbers, or input
        built to cost CPU), each remaining number sequence is flagged as "not validated" instead of being
        checked, so the check fails closed rather than passing or taking minutes.

    Why it matters:
        Copy written by a model from customer records or conversations can leak one customer's data to many
        recipients: a personal-data breach under GDPR Art. 33-34 and UK GDPR, and a CCPA/CPRA exposure.

    Example:
        "Call Sam back on 07911 123456" (region GB) is flagged at the number.

    Use instead:
        A placeholder or the brand's own contact channel; `brandrail fix` redacts the value as
        `privacy.redaction` says: `mask` (all but the last 4 characters), `placeholder` ("[email]") or `hash`
        (a salted SHA-256 prefix; salt from the environment variable `privacy.salt_env`).
    """

    code = "PV102"
    name = "phone-number"
    pii_kind = "phone"
