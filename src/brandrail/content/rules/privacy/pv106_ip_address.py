"""PV106 ip-address."""

from __future__ import annotations

from brandrail.content.pii import PiiRule
from brandrail.registry import register


@register
class IpAddress(PiiRule):
    """An IP address in outgoing content.

    What it flags:
        A valid IPv4 or IPv6 address (checked with `ipaddress`), also at the end of a sentence ("… from
        81.2.69.160."). Four dotted numbers right after a version or section word ("firmware 2.1.0.5",
        "v1.2.0.3", "section 4.2.1.3", "§ 4.2.1.3") are a version, not an address. Four dotted numbers that
        are all below 100 ("see 4.3.1.5", "under 2.1.4.3") read as an outline number unless they stand in a
        network context: a port or prefix length after them ("10.0.0.5:8080", "10.20.0.0/16") or a network
        word within 80 characters ("IP", "server", "host", "ping", "router", "DNS", "session", "logged in",
        "connected", "device", "origin"…), or "address" right before them ("address: 10.0.0.5"; an
        "address" further off is as often a postal one: "see 4.3.1.5; my address is 22 Harbour Street").
        A part of three digits ("81.2.69.160") is enough alone.

    Why it matters:
        IP addresses are personal data under GDPR (CJEU C-582/14 Breyer) and reveal infrastructure when they
        belong to the brand.

    Example:
        "We saw a login from 203.0.113.7" is flagged.

    Use instead:
        A placeholder or the brand's own contact channel; `brandrail fix` redacts the value as
        `privacy.redaction` says: `mask` (all but the last 4 characters), `placeholder` ("[email]") or `hash`
        (a salted SHA-256 prefix; salt from the environment variable `privacy.salt_env`).
    """

    code = "PV106"
    name = "ip-address"
    pii_kind = "ip"
