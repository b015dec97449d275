"""Message metadata: what is known about a message besides its text, as a typed, validated parameter.

``brandrail.check(text, policy, channel="email", metadata={"subject": "Spring sale", "sponsored": False})``,
``check_many(..., metadata=...)`` and ``POST /v1/check`` (``"metadata": {...}``) all take it. The fields:

=================  =====  ==========================================================================
field              type   used by
=================  =====  ==========================================================================
``subject``        str    BR403 subject length, BR308 deceptive subject (e-mail)
``preheader``      str    BR404 preheader length (e-mail)
``sender``         str    BR305: an SMS whose sender (the alphanumeric sender id) is one of the
                          brand's sender names identifies the sender
``sponsored``      bool   BR302: a sponsored post needs its #ad label (``false``: it is not sponsored)
``ai_generated``   bool   BR303: an AI-generated message needs the AI label (``false``: written by a person)
``has_offer``      bool   BR206: a message carrying an offer needs the offer's terms even without a
                          recognised price phrase; ``false``: price words in it are no offer
``marketing``      bool   BR304/BR306/BR307: ``false`` for service messages (no opt-out or footer needed)
=================  =====  ==========================================================================

A policy's conditional disclosures may name more keys (``disclosures.required[].when.meta``); those are
accepted too, with any scalar value. Any other key is an error that names it (and the closest known key),
so a typo ("sponsered") never silently switches a check off. Markdown front matter and HTML ``<title>`` /
preheader elements still fill in fields the metadata does not give.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypedDict

from brandrail.errors import InputError

__all__ = ["META_FIELDS", "MessageMeta", "validate_meta"]


class MessageMeta(TypedDict, total=False):
    """The typed form of message metadata (every field optional)."""

    subject: str
    preheader: str
    sender: str
    sponsored: bool
    ai_generated: bool
    has_offer: bool
    marketing: bool


#: field → its type
META_FIELDS: dict[str, type] = {
    "subject": str,
    "preheader": str,
    "sender": str,
    "sponsored": bool,
    "ai_generated": bool,
    "has_offer": bool,
    "marketing": bool,
}

_SCALARS = (str, bool, int, float)


def validate_meta(
    metadata: Mapping[str, Any] | None, *, extra_keys: Iterable[str] = (), where: str = "metadata"
) -> dict[str, Any]:
    """Check ``metadata`` and return it as a plain dict; raise :class:`InputError` naming the bad field.

    ``extra_keys`` are further keys the policy uses (conditional disclosures); ``where`` prefixes the field
    path in messages (``messages[3].metadata``).
    """
    if metadata is None:
        return {}
    if not isinstance(metadata, Mapping):
        raise InputError(
            f"{where} must be a mapping of field to value, got {type(metadata).__name__}",
            location=where,
            hint=f"pass e.g. {{'subject': 'Spring sale', 'sponsored': False}}; fields: {', '.join(META_FIELDS)}",
        )
    extra = set(extra_keys)
    out: dict[str, Any] = {}
    for key, value in metadata.items():
        if not isinstance(key, str):
            raise InputError(f"{where} keys must be strings, got {key!r}", location=where)
        field = f"{where}.{key}"
        wanted = META_FIELDS.get(key)
        if wanted is None:
            if key in extra:
                if value is not None and not isinstance(value, _SCALARS):
                    raise InputError(
                        f"{field} must be a string, number or true/false, got {type(value).__name__}",
                        location=field,
                    )
                out[key] = value
                continue
            import difflib  # only on an error: keeps it out of start-up

            close = difflib.get_close_matches(key, [*META_FIELDS, *sorted(extra)], n=1, cutoff=0.6)
            raise InputError(
                f"unknown metadata field {key!r}",
                location=field,
                hint=(f"did you mean {close[0]!r}? " if close else "")
                + f"known fields: {', '.join(META_FIELDS)}"
                + (f"; this policy's disclosures also use: {', '.join(sorted(extra))}" if extra else ""),
            )
        if value is None:
            continue
        if wanted is bool and not isinstance(value, bool):
            raise InputError(
                f"{field} must be true or false, got {value!r}",
                location=field,
                hint=f"write {key}: true or {key}: false",
            )
        if wanted is str and not isinstance(value, str):
            raise InputError(f"{field} must be a string, got {type(value).__name__}", location=field)
        out[key] = value
    return out
