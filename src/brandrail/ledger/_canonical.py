"""Canonical JSON and the entry hash.

Canonical JSON here is: object keys sorted, no insignificant whitespace (``,`` and ``:`` separators),
UTF-8 text with non-ASCII characters written as themselves, NaN and infinities rejected. For the values
a ledger payload holds (objects, arrays, strings, integers, booleans, null and finite floats) this is
the serialisation of RFC 8785 (JCS) except for float formatting, where Python's shortest round-trip
``repr`` is used.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import enum
import hashlib
import json
import uuid
from typing import Any

from brandrail.errors import LedgerError

__all__ = ["GENESIS_HASH", "canonical_json", "entry_hash", "format_time"]

#: ``prev_hash`` of the first entry: 64 zeros.
GENESIS_HASH = "0" * 64

_dumps_scalar = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode


def _default(value: Any) -> Any:
    """Turn the few non-JSON types a caller commonly passes into JSON values."""
    if isinstance(value, dt.datetime):
        return format_time(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, set | frozenset):
        return sorted(value, key=repr)
    if isinstance(value, tuple):
        return list(value)
    model_dump = getattr(value, "model_dump", None)
    if callable(model_dump):  # pydantic models
        return model_dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    raise TypeError(f"object of type {type(value).__name__} is not JSON serialisable")


def canonical_json(value: Any) -> str:
    """Serialise ``value`` as canonical JSON (sorted keys, no whitespace, NaN rejected).

    Datetimes become UTC ISO-8601 strings, ``Decimal`` and ``UUID`` strings, enums their value,
    pydantic models their JSON dump. Anything else that JSON cannot hold raises :class:`LedgerError`.
    """
    try:
        text = json.dumps(
            value,
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
            allow_nan=False,
            default=_default,
        )
        text.encode("utf-8")
    except (TypeError, ValueError) as exc:
        raise LedgerError(
            f"ledger payload cannot be written as canonical JSON: {exc}",
            hint="pass only JSON values (dict, list, str, int, finite float, bool, None)",
        ) from None
    return text


def format_time(value: dt.datetime) -> str:
    """UTC ISO-8601 with microseconds and a ``Z`` suffix; a naive datetime is taken to be UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


#: The fields of an entry that are hashed besides ``seq``, in this order.
FIELD_ORDER = ("id", "time", "kind", "payload", "policy_version", "prev_hash")


def hash_input(seq: int, fields: tuple[str, str, str, str, str, str]) -> str:
    """The canonical JSON of an entry without its ``hash`` field.

    ``fields`` is ``(id, time, kind, payload_json, policy_version, prev_hash)``. Built by template for
    speed; it equals ``canonical_json`` of the dict with the keys ``id``, ``kind``, ``payload`` (the payload
    object), ``policy_version``, ``prev_hash``, ``seq`` and ``time`` whenever ``payload_json`` is itself
    canonical (a test checks this).
    """
    prefix, suffix = hash_input_parts(fields)
    return f"{prefix}{int(seq)}{suffix}"


def hash_input_parts(fields: tuple[str, str, str, str, str, str]) -> tuple[str, str]:
    """The text before and after the ``seq`` number in :func:`hash_input` (``seq`` sorts between them)."""
    entry_id, time, kind, payload_json, policy_version, prev_hash = fields
    d = _dumps_scalar
    return (
        f'{{"id":{d(entry_id)},"kind":{d(kind)},"payload":{payload_json},'
        f'"policy_version":{d(policy_version)},"prev_hash":{d(prev_hash)},"seq":',
        f',"time":{d(time)}}}',
    )


def entry_hash(seq: int, fields: tuple[str, str, str, str, str, str]) -> str:
    """sha256 (hex) of :func:`hash_input`."""
    return hashlib.sha256(hash_input(seq, fields).encode("utf-8", "surrogatepass")).hexdigest()
