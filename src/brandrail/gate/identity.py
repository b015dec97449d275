"""Canonical names and recipient identifiers: the forms caps, consent and pseudonyms key on.

Rules (documented in docs/gate.md, "Names and identifiers"):

* **names** (campaigns, price items, agents, reviewers): :func:`~brandrail.gate.principal.canonical_id` —
  Unicode compatibility forms, confusable letters mapped to Latin, format characters (zero-width, bidi) and
  combining marks (accents) removed, dashes folded to ``-``, whitespace runs collapsed and trimmed,
  case-folded. "Summer", "summer ", "ＳＵＭＭＥＲ", "sum\\u200bmer", "Sümmer" and "SUMMER" with a Turkish
  dotted "İ" are one campaign.
* **e-mail addresses**: NFKC, format characters removed, trimmed, case-folded (``Ann@X.com `` →
  ``ann@x.com``). Sub-addresses (``+tag``) and dots are kept: providers differ on them.
* **phone numbers**: E.164 through ``phonenumbers`` (``(415) 555-2671`` with region US → ``+14155552671``).
* **recipient ids**: an id that is an e-mail address or a phone number is normalised as one (so an id
  variant of an address is that address); any other id is a canonical name.

Each normalised identifier is prefixed with its type (``email:``, ``tel:``, ``id:``).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import phonenumbers

from brandrail.gate.principal import canonical_id

__all__ = [
    "canonical_name",
    "country_time_zones",
    "normalise_email",
    "normalise_identifier",
    "normalise_phone",
    "phone_time_zones",
    "recipient_identifiers",
]


@lru_cache(maxsize=8192)
def canonical_name(name: str) -> str:
    """The canonical form of a campaign, item or other name (see the module docstring)."""
    return canonical_id(name)


def normalise_email(value: str) -> str | None:
    """``value`` as a normalised e-mail address, or None when it is not one."""
    text = unicodedata.normalize("NFKC", value)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf").strip().casefold()
    local, at, domain = text.rpartition("@")
    if not at or not local or "." not in domain or any(ch.isspace() for ch in text):
        return None
    return text


@lru_cache(maxsize=4096)
def normalise_phone(value: str, region: str = "US") -> str | None:
    """``value`` in E.164 form, or None when it is not a possible phone number."""
    text = unicodedata.normalize("NFKC", value)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf").strip()
    digits = sum(ch.isdigit() for ch in text)
    if digits < 7 or any(ch.isalpha() for ch in text.replace("ext", "")):
        return None
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@lru_cache(maxsize=8192)
def normalise_identifier(value: str, region: str = "US") -> str:
    """A typed, normalised identifier: ``email:…``, ``tel:+…`` or ``id:…``."""
    email = normalise_email(value) if "@" in value or "\uff20" in value else None
    if email is not None:
        return "email:" + email
    phone = normalise_phone(value, region)
    if phone is not None:
        return "tel:" + phone
    return "id:" + canonical_id(value)


def recipient_identifiers(
    rec_id: str, email: str | None, phone: str | None, region: str = "US"
) -> tuple[str, ...]:
    """Every distinct normalised identifier of a recipient, the id's first."""
    out: list[str] = []
    for value in (rec_id, email, phone):
        if value and value.strip():
            ident = normalise_identifier(value, region)
            if ident not in out:
                out.append(ident)
    return tuple(out)


@lru_cache(maxsize=1)
def _zones_by_country() -> dict[str, tuple[str, ...]]:
    """ISO country code → its IANA time zones, from the ``zone.tab`` of the tzdata package (a dependency),
    else the system's."""
    from importlib.resources import files
    from pathlib import Path

    out: dict[str, list[str]] = {}
    try:
        text = files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    except (ModuleNotFoundError, OSError):
        text = Path("/usr/share/zoneinfo/zone.tab").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) >= 3:
            out.setdefault(parts[0].upper(), []).append(parts[2])
    return {k: tuple(sorted(v)) for k, v in out.items()}


def country_time_zones(country: str) -> tuple[str, ...]:
    """The IANA time zones of an ISO 3166 country (``GB`` → ``Europe/London``); empty when unknown."""
    return _zones_by_country().get(country.upper(), ())


def phone_time_zones(tel: str) -> tuple[str, ...]:
    """The time zones of the country a phone number (E.164, as :func:`normalise_phone` gives it) belongs to;
    empty for a non-geographic number or one that does not parse."""
    try:
        number = phonenumbers.parse(tel, None)
    except phonenumbers.NumberParseException:
        return ()
    # the number's own region, or (for a number outside the known ranges) its country code's main one
    region = phonenumbers.region_code_for_number(number)
    if not region and number.country_code:
        region = phonenumbers.region_code_for_country_code(number.country_code)
    return country_time_zones(region) if region and region not in ("001", "ZZ") else ()
