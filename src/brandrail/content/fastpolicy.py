"""Access to the policy's cache and channel for rules (every rule reads them for every message).

These used to bypass pydantic's private-attribute machinery; ``Policy`` now reads its private store
directly, so they simply delegate.
"""

from __future__ import annotations

from typing import Any

from brandrail.policy import Policy
from brandrail.policy.sections.channels import ChannelPolicy

__all__ = ["cache_of", "channel_name", "channel_of"]


def cache_of(policy: Policy) -> dict[str, Any]:
    """``policy.cache()``."""
    return policy.cache()


def channel_name(policy: Policy) -> str | None:
    """``policy.channel``."""
    return policy.channel


def channel_of(policy: Policy) -> ChannelPolicy | None:
    """``policy.channel_policy``."""
    return policy.channel_policy
