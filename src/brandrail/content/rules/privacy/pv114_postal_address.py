"""PV114 postal-address."""

from __future__ import annotations

from brandrail.content.pii import PiiRule
from brandrail.registry import register


@register
class PostalAddress(PiiRule):
    """A person's postal address in outgoing content.

    What it flags:
        A street address with its house number in the order of its country — "14 Rosewood Avenue, Leeds LS6
        2QT", "12 rue des Lilas, 75019 Paris", "Hauptstraße 12, 10115 Berlin", "Via Roma 25", "ul. Długa
        12/4", "Storgatan 14", "Rua das Flores, 123", "3-12-5 Jingumae, Shibuya-ku" — with its flat or unit,
        town, state and postcode, and post-office boxes ("PO Box 3391", "Postfach 10 04 52", "Apartado de
        Correos 221"); a house name and its street without a number ("Rose Cottage, Mill Lane, Little
        Snoring NR21 0AX"); ordinal streets ("240 West 73rd Street"); the same typed in lower case in a chat
        ("12 baker street london nw1 6xe", "calle mayor 5, 28013 madrid") and split across lines
        ("Ship to:\n14 Rowan Close\nLeeds\nLS6 4AB"); Korean roads ("45 Teheran-ro 12-gil, Gangnam-gu"),
        Colombian grid addresses ("Calle 93 # 11-26"), street words after the name (Turkish "Bağdat Cad. No:
        214", Latvian "Brīvības iela 40", Hungarian "1065 Budapest, Andrássy út 47"), Thai, Vietnamese,
        Indonesian, Romanian and Russian forms, "Villa 21, Street 14" and rural boxes ("RR 3", "RMB 1450",
        "P.O. Box 45231-00100"). The evidence names the form found and the country
        whose postcode shape follows it. A
        postcode alone, a street without a number ("turn left on Elm Street"), the brand's own published
        address (`brand.postal_address`, `disclosures.email.address`, `creative.email.postal_address`,
        `privacy.allow`) and an address introduced as a store, shop, showroom or venue ("our Leeds store at
        22 Briggate") are not flagged.

    Why it matters:
        A home address identifies and locates a person: copy or an agent's message that quotes a customer's
        delivery address leaks it to everyone the message reaches (GDPR Art. 4(1); UK GDPR; CCPA/CPRA
        "personal information" names a postal address).

    Example:
        "We'll send the replacement to 14 Rosewood Avenue, Leeds LS6 2QT" is flagged at the address.

    Use instead:
        Refer to "the address on your account"; `brandrail fix` redacts the address as `privacy.redaction`
        says (the mask hides every letter and digit of it).
    """

    code = "PV114"
    name = "postal-address"
    pii_kind = "postal_address"
