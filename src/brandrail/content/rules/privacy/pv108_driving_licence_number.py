"""PV108 driving-licence-number."""

from __future__ import annotations

from brandrail.content.pii import PiiRule
from brandrail.registry import register


@register
class DrivingLicenceNumber(PiiRule):
    """A driving-licence number in outgoing content.

    What it flags:
        A UK DVLA licence number (16 characters whose date-of-birth part is a real month and day) anywhere, and
        other licence shapes (a letter and 6-12 digits, 7-12 digits) after "driving licence", "driver's license",
        "licence no." or "DL#" in the same sentence.

    Why it matters:
        Copy written by a model from customer records or conversations can leak one customer's data to many
        recipients: a personal-data breach under GDPR Art. 33-34 and UK GDPR, and a CCPA/CPRA exposure.

    Example:
        "Licence MORGA753116SM9IJ on file" is flagged at the number.

    Use instead:
        A placeholder or the brand's own contact channel; `brandrail fix` redacts the value as
        `privacy.redaction` says (`mask`, `placeholder` or `hash`).
    """

    code = "PV108"
    name = "driving-licence-number"
    pii_kind = "driving_licence"
