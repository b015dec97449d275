"""``audit:`` section of the policy: how a table of sent messages maps onto what ``brandrail audit content`` checks.

Example::

    audit:
      content:
        text: body              # the message text (required)
        id: message_id          # a unique message id (recommended: findings name it; resuming needs order)
        channel: channel        # a channel of this policy, per message
        sent_at: sent_at        # a timestamp or date (enables weekly trends and period comparisons)
        model: model            # which model wrote it
        campaign: campaign
        kind: text              # text, markdown or html
        metadata:               # message metadata columns -> the metadata key rules read
          is_sponsored: sponsored
          ai: ai_generated
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from brandrail.policy.sections.base import NonEmptyStr, Section, default_of, new_dict

__all__ = ["AuditSection", "ContentAuditColumns"]


class ContentAuditColumns(Section):
    """Column mapping of a content audit; flags of ``brandrail audit content`` override each key."""

    text: NonEmptyStr = Field(default="text", description="Column holding the message text.")
    id: str | None = Field(default=None, description="Column holding a unique message id.")
    channel: str | None = Field(default=None, description="Column naming each message's channel.")
    sent_at: str | None = Field(default=None, description="Timestamp or date the message was sent.")
    model: str | None = Field(default=None, description="Column naming the model that wrote the message.")
    campaign: str | None = Field(default=None, description="Column naming the campaign.")
    kind: Literal["text", "markdown", "html"] = Field(
        default="text", description="How the text column is parsed: text, markdown or html."
    )
    metadata: dict[str, NonEmptyStr] = Field(
        default_factory=new_dict,
        description="Columns carrying message metadata, mapped to the metadata key the rules read.",
    )


class AuditSection(Section):
    """Settings of the audits over tables of what was already sent."""

    content: ContentAuditColumns = Field(default_factory=default_of(ContentAuditColumns))
