"""Canonical names and recipient identifiers: the forms caps, consent and pseudonyms key on.

Rules (documented in docs/gate.md, "Names and identifiers"):

* **names** (campaigns, price items, agents, reviewers): :func:`~brandrail.gate.principal.canonical_id` —
  Unicode compatibility forms, confusable letters mapped to Latin, format characters (zero-width, bidi) and
  combining marks (accents) removed, dashes folded to ``-``, whitespace runs collapsed and trimmed,
  case-folded. "Summer", "summer ", "ＳＵＭＭＥＲ", "sum\\u200bmer", "Sümmer" and "SUMMER" with a Turkish
  dotted "İ" are one campaign. The separators between a name's words (spaces, ``_``, ``.``, ``/``, ``\\``,
  dashes, and runs of them) fold to one ``-``, and are dropped at either end: "autumn_boots",
  "Autumn.Boots" and "autumn boots" are the campaign "autumn-boots" (recipient ids keep their separators).
* **e-mail addresses**: NFKC, format characters removed, trimmed, case-folded (``Ann@X.com `` →
  ``ann@x.com``); the address is taken out of the forms a mail system delivers to as well —
  ``mailto:``, ``<…>``, ``Name <…>``, a quoted plain local part, a domain's trailing dot, a punycode
  domain (read as Unicode). Sub-addresses (``+tag``) and dots are kept in the identifier (providers
  differ on them), and the address's **mailbox** (:func:`mailbox_identifier`: the ``+tag`` dropped, and
  for Gmail the dots and ``googlemail.com``) is a second identifier of the same recipient, so that
  suppression, withdrawals and frequency caps reach every tag of one mailbox.
* **phone numbers**: E.164 through ``phonenumbers`` (``(415) 555-2671`` with region US → ``+14155552671``),
  also from a ``tel:`` URI, with an extension (``x9``, ``ext. 9``, ``;ext=9``) dropped, and with ``00``
  read as the international prefix where the region's own prefix is another.
* **recipient ids**: an id that is an e-mail address or a phone number is normalised as one (so an id
  variant of an address is that address); any other id is a canonical name.

Each normalised identifier is prefixed with its type (``email:``, ``tel:``, ``id:``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import unquote

import phonenumbers

from brandrail.gate.principal import canonical_id

__all__ = [
    "canonical_name",
    "country_time_zones",
    "identifier_forms",
    "mailbox_identifier",
    "normalise_email",
    "normalise_identifier",
    "normalise_phone",
    "phone_time_zones",
    "recipient_identifiers",
]


#: Separators a name's words are written with: "autumn-boots", "autumn_boots", "autumn.boots", "autumn/boots"
#: and "autumn boots" are one campaign to a reader (a run of them, or one at either end, is one or none).
_NAME_SEPARATORS = re.compile(r"[\s_./\\-]+")


@lru_cache(maxsize=8192)
def canonical_name(name: str) -> str:
    """The canonical form of a campaign, item or other name (see the module docstring): that of
    :func:`~brandrail.gate.principal.canonical_id`, with the separators between its words (spaces, ``_``,
    ``.``, ``/``, ``\\`` and dashes, a run of them) folded to one ``-`` and dropped at either end."""
    return _NAME_SEPARATORS.sub("-", canonical_id(name)).strip("-")


#: What may stand in a plain (unquoted) local part besides letters and digits (RFC 5322 atext and dots).
_ATEXT = frozenset("!#$%&'*+-/=?^_`{|}~.")
#: ``Name <address>`` and ``<address>``: the address a mail system delivers to.
_ANGLE = re.compile(r'(?:[^<>"]*|"[^"]*")\s*<([^<>]+)>')
#: An extension at the end of a phone number: ``x9``, ``ext 9``, ``ext. 9``, ``extension 9``, ``;ext=9``.
_EXTENSION = re.compile(r"(?:;\s*ext=|\s*(?:ext(?:ension|n)?\.?|x|#)\s*)\d{1,7}$", re.IGNORECASE)
#: The header fields of a ``mailto:`` URI (RFC 6068) that add recipients (``?subject=`` and ``?body=`` do not).
_MAILTO_RECIPIENTS = re.compile(r"(?:^|&)\s*(?:to|cc|bcc)\s*=", re.IGNORECASE)
#: Mailboxes whose provider ignores dots in the local part (and treats the two domains as one).
_GMAIL = frozenset(("gmail.com", "googlemail.com"))


def _clean(value: str) -> str:
    text = unicodedata.normalize("NFKC", value)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf").strip()


def _domain(domain: str) -> str | None:
    """A domain as compared: a trailing dot dropped, punycode labels read as Unicode."""
    if domain.endswith("."):
        domain = domain[:-1]
    labels = domain.split(".")
    if len(labels) < 2 or not all(labels):
        return None
    out = []
    for label in labels:
        if label.startswith("xn--"):
            try:
                label = unicodedata.normalize("NFKC", label.encode("ascii").decode("idna")).casefold()
            except (UnicodeError, ValueError):
                return None
        out.append(label)
    return ".".join(out)


def normalise_email(value: str) -> str | None:
    """``value`` as a normalised e-mail address, or None when it is not exactly one address."""
    text = _clean(value).casefold()
    if text.startswith("mailto:"):
        text, _, query = text[len("mailto:") :].partition("?")
        text = text.strip()
        if _MAILTO_RECIPIENTS.search(unquote(query)):
            return None  # "mailto:ann@x.com?cc=bob@y.com" reaches bob as well: not exactly one address
    match = _ANGLE.fullmatch(text)
    if match is not None:
        text = match.group(1).strip()
    local, at, domain = text.rpartition("@")
    if (
        len(local) > 2
        and local[0] == local[-1] == '"'
        and all(ch.isalnum() or ch in _ATEXT for ch in local[1:-1])
    ):
        local = local[1:-1]  # "ann.lee"@x.com is ann.lee@x.com
    if not at or not local or local.startswith(".") or local.endswith(".") or ".." in local:
        return None
    if not all(ch.isalnum() or ch in _ATEXT for ch in local):
        return None  # whitespace, commas, a second @, quotes: not one plain address
    domain_text = _domain(domain)
    if domain_text is None or not all(ch.isalnum() or ch in "-." for ch in domain_text):
        return None
    return f"{local}@{domain_text}"


def mailbox_identifier(identifier: str) -> str | None:
    """The mailbox an ``email:`` identifier delivers to, when it differs: the ``+tag`` dropped, and for
    Gmail the dots of the local part and the ``googlemail.com`` domain. None for other identifiers."""
    if not identifier.startswith("email:"):
        return None
    local, _, domain = identifier[len("email:") :].rpartition("@")
    base = local.split("+", 1)[0] or local
    if domain in _GMAIL:
        base, domain = base.replace(".", "") or base, "gmail.com"
    found = f"email:{base}@{domain}"
    return found if found != identifier else None


def identifier_forms(identifier: str) -> tuple[str, ...]:
    """The identifier and, for an e-mail address, its mailbox when that differs."""
    mailbox = mailbox_identifier(identifier)
    return (identifier,) if mailbox is None else (identifier, mailbox)


@lru_cache(maxsize=4096)
def normalise_phone(value: str, region: str = "US") -> str | None:
    """``value`` in E.164 form, or None when it is not a possible phone number."""
    text = _clean(value)
    lowered = text.casefold()
    for scheme in ("tel:", "sms:"):
        if lowered.startswith(scheme):
            text = text[len(scheme) :].strip()
            break
    text = _EXTENSION.sub("", text).strip()
    digits = sum(ch.isdigit() for ch in text)
    if digits < 7 or any(ch.isalpha() for ch in text):
        return None
    number = _parse_phone(text, region)
    if number is None and text.startswith("00"):  # 00 as the international prefix (region US dials 011)
        number = _parse_phone("+" + text[2:], region)
    if number is None:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _parse_phone(text: str, region: str) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_possible_number(number) else None


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
    """Every distinct normalised identifier of a recipient, the id's first, then the mailboxes of its
    e-mail addresses (:func:`mailbox_identifier`) where they differ."""
    out: list[str] = []
    for value in (rec_id, email, phone):
        if value and value.strip():
            ident = normalise_identifier(value, region)
            if ident not in out:
                out.append(ident)
    for ident in list(out):
        mailbox = mailbox_identifier(ident)
        if mailbox is not None and mailbox not in out:
            out.append(mailbox)
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
