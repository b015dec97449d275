"""PV110 crypto-wallet-address."""

from __future__ import annotations

from brandrail.content.pii import PiiRule
from brandrail.registry import register


@register
class CryptoWalletAddress(PiiRule):
    """A cryptocurrency wallet address in outgoing content.

    What it flags:
        A Bitcoin address whose Base58Check or Bech32 checksum is valid (`stdnum.bitcoin`) or, for taproot
        (`bc1p...`) addresses, the Bech32m checksum (BIP-350), or an Ethereum
        address (`0x` and 40 hex digits) whose EIP-55 mixed-case checksum is valid; an all-lower-case or
        all-upper-case address has no checksum and is flagged on its shape.

    Why it matters:
        Copy written by a model from customer records or conversations can leak one customer's data to many
        recipients: a personal-data breach under GDPR Art. 33-34 and UK GDPR, and a CCPA/CPRA exposure.

    Example:
        "Send it to bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq" is flagged at the address.

    Use instead:
        A placeholder or the brand's own contact channel; `brandrail fix` redacts the value as
        `privacy.redaction` says (`mask`, `placeholder` or `hash`).
    """

    code = "PV110"
    name = "crypto-wallet-address"
    pii_kind = "crypto_wallet"
