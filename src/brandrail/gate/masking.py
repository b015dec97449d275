"""Mask personal data in an action before it is written to the ledger (``gate.masking`` in the policy).

Whole fields named in ``masking.fields`` (dotted paths such as ``recipient.email``) are replaced; e-mail
addresses and phone numbers inside free text (``content``, ``subject``) are found with a regex and the
``phonenumbers`` matcher. ``mode: redact`` writes ``[email]``/``[phone]``/``[redacted]``; ``mode: hash``
writes a salted sha256 pseudonym (``hash:1a2b…``), so equal values stay linkable; ``mode: none`` keeps all.
Recipient ids are kept: they are the pseudonymous keys that consent and frequency records use.
"""

from __future__ import annotations

import copy
import hashlib
import re
from typing import Any

from brandrail.policy.sections.gate import MaskingPolicy

__all__ = ["mask_action", "mask_text"]

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_TEXT_FIELDS = ("content", "subject")


def _token(value: str, label: str, policy: MaskingPolicy) -> str:
    if policy.mode == "hash":
        digest = hashlib.sha256((policy.salt + value).encode()).hexdigest()[:16]
        return f"hash:{digest}"
    return f"[{label}]"


def mask_text(text: str, policy: MaskingPolicy) -> str:
    """``text`` with e-mail addresses and phone numbers masked."""
    if policy.mode == "none" or not text:
        return text
    out = _EMAIL.sub(lambda m: _token(m.group(0), "email", policy), text)
    if any(ch.isdigit() for ch in out):
        import phonenumbers

        spans = []
        for match in phonenumbers.PhoneNumberMatcher(out, "US", leniency=phonenumbers.Leniency.POSSIBLE):
            spans.append((match.start, match.end, match.raw_string))
        for start, end, raw in sorted(spans, reverse=True):
            out = out[:start] + _token(raw, "phone", policy) + out[end:]
    return out


def mask_action(data: dict[str, Any], policy: MaskingPolicy) -> dict[str, Any]:
    """A masked deep copy of an action's JSON form."""
    if policy.mode == "none":
        return data
    out = copy.deepcopy(data)
    for path in policy.fields:
        parts = path.split(".")
        node: Any = out
        for part in parts[:-1]:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict) and node.get(parts[-1]) not in (None, ""):
            label = parts[-1] if parts[-1] in ("email", "phone", "name") else "redacted"
            node[parts[-1]] = _token(str(node[parts[-1]]), label, policy)
    if policy.content:
        for name in _TEXT_FIELDS:
            if isinstance(out.get(name), str):
                out[name] = mask_text(out[name], policy)
    return out
