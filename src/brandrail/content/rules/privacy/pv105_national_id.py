"""PV105 national-id."""

from __future__ import annotations

from brandrail.content.pii import PiiRule
from brandrail.registry import register


@register
class NationalId(PiiRule):
    """A national identifier (SSN, BSN, NIR, DNI...) in outgoing content.

    What it flags:
        A candidate matching the pattern of one of `privacy.national_ids` (python-stdnum module names such as
        `us.ssn`, `nl.bsn`, `es.dni`, `es.nie`, `in.aadhaar`, `in.pan`, `au.tfn`, `de.idnr`, `br.cpf`,
        `mx.curp`, `mx.rfc`, `ca.sin`, `pl.pesel`, `za.idnr`, `ch.ssn`, `jp.in_`, plus `gb.nino`, `sg.nric`
        and `ng.nin`, checked by brandrail; all of them by default) that its validator accepts; identifiers
        that are bare runs of digits (BSN, NHS number, Aadhaar, TFN, Steuer-ID, SIN, PESEL, My Number, NIN,
        a CPF or an AHV number written without its dots) and the PAN also need a context word ("BSN", "NHS
        number", "Aadhaar", "TFN", "CPF", "PESEL"...) in the same sentence.

    Why it matters:
        National identifiers enable identity theft and are special-risk data in most privacy laws (GDPR
        Art. 87; US state SSN-protection laws).

    Example:
        "Your SSN 123-45-6789 is on file" is flagged.

    Use instead:
        A placeholder or the brand's own contact channel; `brandrail fix` redacts the value as
        `privacy.redaction` says: `mask` (all but the last 4 characters), `placeholder` ("[email]") or `hash`
        (a salted SHA-256 prefix; salt from the environment variable `privacy.salt_env`).
    """

    code = "PV105"
    name = "national-id"
    pii_kind = "national_id"
