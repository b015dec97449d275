"""PV111 mac-address."""

from __future__ import annotations

from brandrail.content.pii import PiiRule
from brandrail.registry import register


@register
class MacAddress(PiiRule):
    """A device MAC address in outgoing content.

    What it flags:
        Six pairs of hex digits with one consistent separator (`:` or `-`), or three dotted groups of four
        (`0a1b.2c3d.4e5f`), also at the end of a sentence; the all-zero and broadcast addresses are not
        flagged. Six pairs of decimal digits only ("04-11-23-35-42-49", a list of numbers as often as an
        address) need a device word in the sentence before ("MAC", "device", "router", "Bluetooth", "Wi-Fi").

    Why it matters:
        Copy written by a model from customer records or conversations can leak one customer's data to many
        recipients: a personal-data breach under GDPR Art. 33-34 and UK GDPR, and a CCPA/CPRA exposure.

    Example:
        "Your router 3C:22:FB:91:0A:7E was reset" is flagged at the address.

    Use instead:
        A placeholder or the brand's own contact channel; `brandrail fix` redacts the value as
        `privacy.redaction` says (`mask`, `placeholder` or `hash`).
    """

    code = "PV111"
    name = "mac-address"
    pii_kind = "mac_address"
