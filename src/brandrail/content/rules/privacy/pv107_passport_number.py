"""PV107 passport-number."""

from __future__ import annotations

from brandrail.content.pii import PiiRule
from brandrail.registry import register


@register
class PassportNumber(PiiRule):
    """A passport number in outgoing content.

    What it flags:
        A run of 6-9 capital letters and digits (at least 5 digits) that follows the word "passport" ("passport
        no.", "passport number"; "Reisepass", "Passnummer", "passeport", "pasaporte", "paspoort",
        "passaporto") in the same sentence. Passport numbers carry no public check digit outside the
        machine-readable zone, so the context word is required.

    Why it matters:
        Copy written by a model from customer records or conversations can leak one customer's data to many
        recipients: a personal-data breach under GDPR Art. 33-34 and UK GDPR, and a CCPA/CPRA exposure.

    Example:
        "Your passport number 533380006 is on file" is flagged at the number.

    Use instead:
        A placeholder or the brand's own contact channel; `brandrail fix` redacts the value as
        `privacy.redaction` says (`mask`, `placeholder` or `hash`).
    """

    code = "PV107"
    name = "passport-number"
    pii_kind = "passport"
