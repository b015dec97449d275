"""Fast access to the policy's cache and channel (every rule reads them for every message).

``Policy.cache()``, ``Policy.channel`` and ``Policy.channel_policy`` go through pydantic's attribute
machinery for private attributes, which costs microseconds per call; these read the same values directly.
"""

from __future__ import annotations

from typing import Any

from brandrail.policy import Policy
from brandrail.policy.sections.channels import ChannelPolicy

__all__ = ["cache_of", "channel_name", "channel_of"]


_MISSING = object()


def _attribute(policy: Policy, name: str) -> Any:
    """What ``getattr(policy, name)`` gives for a private attribute, read the way Python and pydantic do:
    the instance dictionary first (``object.__setattr__`` puts it there), then pydantic's private store."""
    found = policy.__dict__.get(name, _MISSING)
    if found is _MISSING:
        private = getattr(policy, "__pydantic_private__", None) or {}
        found = private.get(name, _MISSING)
    return found


def cache_of(policy: Policy) -> dict[str, Any]:
    """``policy.cache()`` without pydantic's attribute machinery (every rule reads it for every message)."""
    found = _attribute(policy, "_cache")
    return found if isinstance(found, dict) else policy.cache()


def channel_name(policy: Policy) -> str | None:
    """``policy.channel``, fast."""
    found = _attribute(policy, "_channel")
    if found is _MISSING or not (found is None or isinstance(found, str)):
        return policy.channel
    return found


def channel_of(policy: Policy) -> ChannelPolicy | None:
    """``policy.channel_policy``, fast."""
    name = channel_name(policy)
    return policy.channels.get(name) if name else None
