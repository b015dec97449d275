"""Consent signals the gate reads from an action: IAB TCF v2 strings (decoded with ``iab-tcf``) and GPC.

The decoder reads past the end of a short string without complaint, and a bit read from nothing is
``True``: a truncated string ("CO") decodes as consent to every purpose. :func:`check_tcf` therefore
checks the string's form first (base64url segments separated by dots, nothing else) and then that the
decoder never read past the end of the core segment; anything else is not consent.

Stored consent and suppression records live in the state store (:mod:`brandrail.gate.store`). A GPC
signal seen for a person is remembered there too (:func:`record_gpc`): a withdrawal on the :data:`GPC_CHANNEL`
pseudo-channel, bound to the ledger like every consent row, so that it applies to later personalised sends
even when the agent leaves it out — and, like any withdrawal, under whichever identifier of the recipient
it was recorded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from brandrail.gate.store import GateStore

__all__ = ["GPC_CHANNEL", "TcfCheck", "check_tcf", "record_gpc"]

#: The consent channel a remembered Global Privacy Control signal is stored on: a withdrawal there means
#: "this person's browser sent GPC" (and a withdrawal under any identifier wins, as for every channel).
GPC_CHANNEL = "gpc"


def record_gpc(store: GateStore, recipient: str, *, seen: bool = True, source: str | None = None) -> None:
    """Remember that ``recipient`` (an id, e-mail address or phone number) sent Global Privacy Control
    (``seen``), or that a later visit came without it (``seen=False``, which lifts the record under this
    identifier only). Personalised sends to the recipient are then denied (AG404) whatever the action
    states, while ``gate.consent.honour_gpc`` is on."""
    store.set_consent(recipient, GPC_CHANNEL, not seen, source=source)


#: One segment of a TC string: base64url without padding (the spec's encoding).
_SEGMENT = re.compile(r"[A-Za-z0-9_-]+")
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


@dataclass(frozen=True, slots=True)
class TcfCheck:
    """The outcome of checking a TC string: ``ok`` when every needed purpose (and vendor) is granted."""

    ok: bool
    missing_purposes: tuple[int, ...] = ()
    vendor_allowed: bool | None = None
    error: str | None = None


def _form_problem(text: str) -> str | None:
    """Why ``text`` is not in the form of a TC string, or None."""
    if not text:
        return "the TC string is empty (no consent was given)"
    for n, segment in enumerate(text.split("."), 1):
        if not _SEGMENT.fullmatch(segment):
            return (
                f"segment {n} is not base64url text (only A-Z, a-z, 0-9, '-' and '_', segments joined by '.')"
            )
    return None


def _core_bytes(segment: str) -> bytes:
    """The core segment's bits as bytes: each character is 6 bits (the spec's encoding, so none is lost to
    base64's byte grouping), zero-padded to a whole byte."""
    value = 0
    for ch in segment:
        value = (value << 6) | _B64.index(ch)
    bits = len(segment) * 6
    pad = -bits % 8
    return (value << pad).to_bytes((bits + pad) // 8, "big")


#: Bits of the core segment's fixed fields, from the version to the publisher's country code; the purposes
#: are among them.
_FIXED_BITS = 213


def _vendor_section_end(consent: Any) -> int:
    """Where the vendor consent section ends (in bits), from what the decoder read of it."""
    start = _FIXED_BITS + 17  # MaxVendorId (16) and IsRangeEncoding (1)
    if consent.is_consent_range_encoding:
        ranges = consent.consented_vendors_range
        return start + 12 + sum(33 if a != b else 17 for a, b in ranges)
    return start + int(consent.max_consent_vendor_id)


def _read_to(consent: Any) -> int | None:
    """How far the decoder read (in bits); None when its reader cannot be inspected."""
    pointer = getattr(getattr(consent, "_reader", None), "_pointer", None)
    return pointer if isinstance(pointer, int) else None


def _restricted(consent: Any, purposes: list[int], vendor_id: int) -> tuple[int, ...]:
    """The needed purposes a publisher restriction takes from ``vendor_id`` on the consent basis: "not
    allowed" (type 0) or "legitimate interest only" (type 2)."""
    out: list[int] = []
    for entry in getattr(consent, "pub_restriction_entries", None) or []:
        if entry.purpose_id in purposes and entry.is_in_range(vendor_id) and entry.restriction_type in (0, 2):
            out.append(int(entry.purpose_id))
    return tuple(sorted(set(out)))


def check_tcf(tc_string: str, purposes: list[int], vendor_id: int | None = None) -> TcfCheck:
    """Decode ``tc_string`` and check that each of ``purposes`` has consent (and ``vendor_id`` when given).

    A string that is not TCF v2, is not in the TC string form, is cut short or cannot be decoded is never
    consent (``ok=False`` with ``error``). With ``vendor_id``, a publisher restriction that makes a needed
    purpose not allowed, or legitimate-interest only, for that vendor counts as a missing purpose.
    """
    from iab_tcf import ConsentV2

    text = tc_string.strip()
    problem = _form_problem(text)
    if problem is not None:
        return TcfCheck(ok=False, error=f"cannot decode the TC string: {problem}")
    core = text.split(".")[0]
    bits = len(core) * 6
    version = _B64.index(core[0])  # the first 6 bits
    if version != 2:
        return TcfCheck(ok=False, error=f"TC string version {version} is not 2")
    try:
        consent = ConsentV2(_core_bytes(core))
        consent.read_non_core_segments(text.split("."))
    except Exception as exc:  # the decoder raises bare Exception and IndexError on bad input
        return TcfCheck(ok=False, error=f"cannot decode the TC string: {exc or type(exc).__name__}")
    cut = "cannot decode the TC string: it is cut short (the core segment ends too early)"
    if bits < _FIXED_BITS:
        return TcfCheck(ok=False, error=cut)
    missing = {p for p in purposes if not consent.is_purpose_allowed(p)}
    vendor_ok: bool | None = None
    if vendor_id is not None:
        # the vendor section and the publisher restrictions after it must be read from the string's own
        # bits: a bit read past the end is True to the decoder
        read_to = _read_to(consent)
        try:
            if _vendor_section_end(consent) > bits or read_to is None or read_to > bits:
                return TcfCheck(
                    ok=False, missing_purposes=tuple(sorted(missing)), vendor_allowed=False, error=cut
                )
            vendor_ok = bool(consent.is_vendor_allowed(vendor_id))
            missing.update(_restricted(consent, purposes, vendor_id))
        except Exception:  # malformed vendor section
            vendor_ok = False
    return TcfCheck(
        ok=not missing and vendor_ok is not False,
        missing_purposes=tuple(sorted(missing)),
        vendor_allowed=vendor_ok,
    )
