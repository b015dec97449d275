"""Consent signals the gate reads from an action: IAB TCF v2 strings (decoded with ``iab-tcf``) and GPC.

Stored consent and suppression records live in the state store (:mod:`brandrail.gate.store`).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["TcfCheck", "check_tcf"]


@dataclass(frozen=True, slots=True)
class TcfCheck:
    """The outcome of checking a TC string: ``ok`` when every needed purpose (and vendor) is granted."""

    ok: bool
    missing_purposes: tuple[int, ...] = ()
    vendor_allowed: bool | None = None
    error: str | None = None


def check_tcf(tc_string: str, purposes: list[int], vendor_id: int | None = None) -> TcfCheck:
    """Decode ``tc_string`` and check that each of ``purposes`` has consent (and ``vendor_id`` when given).

    A string that is not TCF v2, or cannot be decoded, is never consent (``ok=False`` with ``error``).
    """
    import iab_tcf

    try:
        consent = iab_tcf.decode(tc_string)
    except Exception as exc:  # the decoder raises bare Exception and IndexError on bad input
        return TcfCheck(ok=False, error=f"cannot decode the TC string: {exc or type(exc).__name__}")
    if getattr(consent, "version", None) != 2:
        return TcfCheck(ok=False, error=f"TC string version {getattr(consent, 'version', '?')} is not 2")
    missing = tuple(p for p in purposes if not consent.is_purpose_allowed(p))
    vendor_ok: bool | None = None
    if vendor_id is not None:
        try:
            vendor_ok = bool(consent.is_vendor_allowed(vendor_id))
        except Exception:  # malformed vendor section
            vendor_ok = False
    return TcfCheck(
        ok=not missing and vendor_ok is not False, missing_purposes=missing, vendor_allowed=vendor_ok
    )
