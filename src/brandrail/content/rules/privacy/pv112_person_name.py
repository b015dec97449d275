"""PV112 person-name."""

from __future__ import annotations

from brandrail.content.pii import PiiRule
from brandrail.registry import register


@register
class PersonName(PiiRule):
    """A person's full name in outgoing content (opt-in).

    What it flags:
        Only when `privacy.detect` lists `person_name`: a given name from the packaged list (plus
        `privacy.person_names`), capitalised, followed by a capitalised surname ("Priya Shah", "Zoë García"),
        or a title and a name ("Ms Shah"; "Frau", "Herr", "Mme", "Mlle", "Sra", "Señor", "Dhr", "Mevr",
        "Signora" too, and titles of more languages and scripts: "Eng.", "Atty.", "Ing.", "paní", "pan",
        "gospodine", "Dna.", "Hr.", "Κυρία", "Пані", "Г-н", "Sayın", "Chị", "Bapak", "Encik", "Puan", "Khun",
        "Janab"), up to four name parts with particles ("bin", "van der", "Ó"); a Chinese or Korean name
        before an honorific ("李静女士", "김민지 님", the name without it), a Thai name after "คุณ". The list is
        looked up without accents ("Seán", "João"). A first name alone ("Hi Sam,") is not flagged; names that
        are also everyday words (May, Grace, Mark) are not in the list; a name right after a place word
        ("Aeropuerto Jorge Chávez", "Piazza …") or inside a postal address is a place. Precision on text without personal data is in
        bench/results/content.md.

    Why it matters:
        Copy written by a model from customer records or conversations can leak one customer's data to many
        recipients: a personal-data breach under GDPR Art. 33-34 and UK GDPR, and a CCPA/CPRA exposure.

    Example:
        With `privacy: {detect: [person_name]}`, "Priya Shah asked about her order" is flagged at "Priya Shah".

    Use instead:
        A placeholder or the brand's own contact channel; `brandrail fix` redacts the value as
        `privacy.redaction` says (`mask`, `placeholder` or `hash`).
    """

    code = "PV112"
    name = "person-name"
    pii_kind = "person_name"
    status = "preview"
