"""Mask personal data in an action before it is written to the ledger (``gate.masking`` in the policy).

Whole fields named in ``masking.fields`` (dotted paths such as ``recipient.email``) are replaced; personal
data inside free text (``content``, ``subject``) is found with the content pillar's recognisers
(:func:`brandrail.content.pii.find_pii` with ``every_kind``: every kind and every supported national id,
whatever ``privacy.detect`` says — that list decides what a content check reports, not what may be stored)
when a policy is given, and in any case with an e-mail regex and the ``phonenumbers`` matcher. ``mode: redact`` writes ``[email]``/``[phone]``/``[redacted]``; ``mode: hash``
writes a salted sha256 pseudonym (``hash:1a2b…``) of the value's canonical form (e-mail addresses
lower-cased, phone numbers in E.164), so equal values stay linkable however they are written; ``mode: none`` keeps all.
Recipient ids are kept: they are the pseudonymous keys that consent and frequency records use.
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from brandrail.gate.identity import normalise_email, normalise_phone
from brandrail.policy.sections.gate import MaskingPolicy

if TYPE_CHECKING:
    from brandrail.policy import Policy

__all__ = ["TextMasker", "mask_action", "mask_strings", "mask_text", "maybe_personal"]

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_TEXT_FIELDS = ("content", "subject")


def _token(value: str, label: str, policy: MaskingPolicy) -> str:
    if policy.mode == "hash":
        # "surrogatepass": a lone surrogate (JSON's "\ud800") is hashed, not a crash
        digest = hashlib.sha256((policy.salt + value).encode("utf-8", "surrogatepass")).hexdigest()[:16]
        return f"hash:{digest}"
    return f"[{label}]"


def _recognised(text: str, policy: MaskingPolicy, full: Policy) -> str:
    try:
        from brandrail.content.pii import canonical_value, find_pii
        from brandrail.text.document import Document
    except ImportError:  # the content pillar is optional here: the regexes below still run
        return text
    hits = find_pii(Document(text), full, every_kind=True)
    regions = (full.gate.privacy.phone_region, *full.privacy.phone_regions)
    for hit in sorted(hits, key=lambda h: h.start, reverse=True):
        # hashed in canonical form (e-mail lower-cased, phone in E.164…): one value written two ways stays linkable
        value = canonical_value(hit, regions) if policy.mode == "hash" else hit.value
        text = text[: hit.start] + _token(value, hit.kind, policy) + text[hit.end :]
    return text


def _field_value(value: str, label: str, full: Policy | None) -> str:
    """A whole field's value as hashed: an e-mail address or phone number in the form the gate compares
    (lower-cased address, E.164 number), so the ledger links one recipient written two ways."""
    if label == "email":
        return normalise_email(value) or value
    if label == "phone":
        return normalise_phone(value, full.gate.privacy.phone_region if full is not None else "US") or value
    return value


def mask_text(text: str, policy: MaskingPolicy, full: Policy | None = None) -> str:
    """``text`` with personal data masked (``full``: the policy whose privacy settings the recognisers use)."""
    if policy.mode == "none" or not text:
        return text
    if full is not None:
        text = _recognised(text, policy, full)
    out = _EMAIL.sub(lambda m: _token(_field_value(m.group(0), "email", full), "email", policy), text)
    if any(ch.isdigit() for ch in out):
        import phonenumbers

        spans = []
        for match in phonenumbers.PhoneNumberMatcher(out, "US", leniency=phonenumbers.Leniency.POSSIBLE):
            e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
            spans.append((match.start, match.end, e164))
        for start, end, number in sorted(spans, reverse=True):
            out = out[:start] + _token(number, "phone", policy) + out[end:]
    return out


def mask_action(
    data: dict[str, Any],
    policy: MaskingPolicy,
    full: Policy | None = None,
    *,
    text_masker: Callable[[str], str] | None = None,
    in_place: bool = False,
) -> dict[str, Any]:
    """A masked deep copy of an action's JSON form (``text_masker``: a memoised :func:`mask_text`;
    ``in_place``: mask ``data`` itself, for a caller that made it fresh, e.g. with ``model_dump``)."""
    if policy.mode == "none":
        return data
    out = data if in_place else copy.deepcopy(data)
    for path in policy.fields:
        parts = path.split(".")
        node: Any = out
        for part in parts[:-1]:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict) and node.get(parts[-1]) not in (None, ""):
            label = parts[-1] if parts[-1] in ("email", "phone", "name") else "redacted"
            node[parts[-1]] = _token(_field_value(str(node[parts[-1]]), label, full), label, policy)
    if policy.content:
        for name in _TEXT_FIELDS:
            if isinstance(out.get(name), str):
                text = out[name]
                out[name] = text_masker(text) if text_masker else mask_text(text, policy, full)
    return out


def mask_strings(value: Any, masker: Callable[[str], str]) -> Any:
    """``value`` with every string in it (values and object keys, at any depth) run through ``masker``."""
    if isinstance(value, str):
        return masker(value)
    if isinstance(value, dict):
        return {masker(k) if isinstance(k, str) else k: mask_strings(v, masker) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [mask_strings(v, masker) for v in value]
    return value


_FOUR_DIGITS = re.compile(r"\d(?:\D*\d){3}")
_MONEY = re.compile(r"-?\d{1,15}\.\d{2}")


def maybe_personal(text: str) -> bool:
    """Whether ``text`` can hold what the recognisers find: an ``@`` (e-mail), a ``:`` (IPv6) or four or
    more digits — except a plain amount of money (``1250.00``), which no recogniser matches."""
    if "@" in text or ":" in text or "\uff20" in text:
        return True
    return _FOUR_DIGITS.search(text) is not None and _MONEY.fullmatch(text) is None


def _worth_masking(text: str) -> bool:
    """Whether ``text`` can hold personal data that :func:`mask_text` finds with a policy: what
    :func:`maybe_personal` says, a dodged "at", a name or an address. (:func:`maybe_personal` itself stays narrower: it
    decides which state keys are tagged, and a wider test would change stored keys.) The content recognisers'
    own quick test (:func:`~brandrail.content.pii.may_hold_wordy_pii`) covers what holds fewer digits: an "at"
    written as a word, a name after a title, a kanji name, a postal address ("14 Birch Court")."""
    if maybe_personal(text):
        return True
    from brandrail.content.pii import may_hold_wordy_pii

    return may_hold_wordy_pii(text)


class TextMasker:
    """:func:`mask_text` for one policy, memoised: gate messages and templated content repeat, and the
    phone-number matcher is the costly part of masking. Bounded (cleared when ``size`` texts are held)."""

    def __init__(self, policy: MaskingPolicy, full: Policy | None = None, size: int = 4096) -> None:
        self.policy = policy
        self.full = full
        self.size = size
        self._memo: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        hit = self._memo.get(text)
        if hit is None:
            # the quick test is memoised too: with a policy it runs the postal-address finder on every text
            # with a digit, and gate messages and evidence repeat
            worth = maybe_personal(text) if self.full is None else _worth_masking(text)
            hit = mask_text(text, self.policy, self.full) if worth else text
            if len(self._memo) >= self.size:
                self._memo.clear()
            self._memo[text] = hit
        return hit
