"""PV109 bank-account-number."""

from __future__ import annotations

from brandrail.content.pii import PiiRule
from brandrail.registry import register


@register
class BankAccountNumber(PiiRule):
    """A bank account number in outgoing content.

    What it flags:
        A UK sort code with its 8-digit account number ("20-00-00 55779911"); a US ABA routing number whose
        check digit is valid (`stdnum.us.rtn`) after "routing"; or 8-17 digits after "account number", "acct"
        or "a/c" in the same sentence. IBANs are PV104.

    Why it matters:
        Copy written by a model from customer records or conversations can leak one customer's data to many
        recipients: a personal-data breach under GDPR Art. 33-34 and UK GDPR, and a CCPA/CPRA exposure.

    Example:
        "Paid into sort code 20-00-00, account 55779911" is flagged.

    Use instead:
        A placeholder or the brand's own contact channel; `brandrail fix` redacts the value as
        `privacy.redaction` says (`mask`, `placeholder` or `hash`).
    """

    code = "PV109"
    name = "bank-account-number"
    pii_kind = "bank_account"
