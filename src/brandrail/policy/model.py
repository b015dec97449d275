"""The root policy model."""

from __future__ import annotations

import copy
import hashlib
import json
import threading
from typing import Any, Literal

from pydantic import Field, PrivateAttr, ValidationInfo, field_validator

from brandrail.errors import Location, UsageError
from brandrail.policy.sections.audit import AuditSection
from brandrail.policy.sections.base import Section, default_of, new_dict, new_list
from brandrail.policy.sections.brand import BrandSection
from brandrail.policy.sections.channels import OVERRIDABLE_SECTIONS, ChannelPolicy
from brandrail.policy.sections.claims import ClaimsSection
from brandrail.policy.sections.creative import CreativeSection
from brandrail.policy.sections.disclosures import DisclosuresSection
from brandrail.policy.sections.fairness import FairnessSection
from brandrail.policy.sections.gate import GateSection
from brandrail.policy.sections.goals import GoalsSection
from brandrail.policy.sections.inclusive import InclusiveSection
from brandrail.policy.sections.integrations import IntegrationsSection
from brandrail.policy.sections.privacy import PrivacySection
from brandrail.policy.sections.rules import RuleSetting
from brandrail.policy.sections.terms import TermsSection
from brandrail.policy.sections.voice import VoiceSection
from brandrail.policy.yamlsource import FieldPath, Positions

__all__ = ["SCHEMA_VERSION", "Policy"]

#: The policy file format version this release reads.
SCHEMA_VERSION = 1


class Policy(Section):
    """A validated, merged, immutable brand policy.

    Load one with :func:`brandrail.load_policy`. ``version`` is the sha256 of the canonical merged form and
    is recorded in every result and ledger entry. ``for_channel(name)`` gives the policy as it applies to
    one channel, with that channel's overrides merged in.
    """

    schema_version: Literal[1] = Field(default=1, alias="version")
    extends: list[str] = Field(default_factory=new_list)
    brand: BrandSection = Field(default_factory=default_of(BrandSection))
    terms: TermsSection = Field(default_factory=default_of(TermsSection))
    claims: ClaimsSection = Field(default_factory=default_of(ClaimsSection))
    disclosures: DisclosuresSection = Field(default_factory=default_of(DisclosuresSection))
    channels: dict[str, ChannelPolicy] = Field(default_factory=new_dict)
    #: glob pattern → channel name: which channel a checked file belongs to (docs/policy.md, "files").
    files: dict[str, str] = Field(default_factory=new_dict)
    voice: VoiceSection = Field(default_factory=default_of(VoiceSection))
    creative: CreativeSection = Field(default_factory=default_of(CreativeSection))
    privacy: PrivacySection = Field(default_factory=default_of(PrivacySection))
    inclusive: InclusiveSection = Field(default_factory=default_of(InclusiveSection))
    fairness: FairnessSection = Field(default_factory=default_of(FairnessSection))
    goals: GoalsSection = Field(default_factory=default_of(GoalsSection))
    gate: GateSection = Field(default_factory=default_of(GateSection))
    audit: AuditSection = Field(default_factory=default_of(AuditSection))
    integrations: IntegrationsSection = Field(default_factory=default_of(IntegrationsSection))
    rules: dict[str, RuleSetting] = Field(default_factory=new_dict)

    _raw: dict[str, Any] = PrivateAttr(default_factory=dict)
    _positions: Positions = PrivateAttr(default_factory=Positions)
    _source: str | None = PrivateAttr(default=None)
    _version: str | None = PrivateAttr(default=None)
    _channel: str | None = PrivateAttr(default=None)
    _channel_cache: dict[str, Policy] = PrivateAttr(default_factory=dict)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    _cache: dict[str, Any] = PrivateAttr(default_factory=dict)

    model_config = Section.model_config | {"populate_by_name": True}

    @field_validator("channels")
    @classmethod
    def _channel_names(cls, value: dict[str, ChannelPolicy]) -> dict[str, ChannelPolicy]:
        for name in value:
            if not name or not all(c.isalnum() or c in "-_." for c in name):
                raise ValueError(f"channel name {name!r} may only use letters, digits, '-', '_' and '.'")
        return value

    @field_validator("files")
    @classmethod
    def _file_channels(cls, value: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        channels = info.data.get("channels") or {}
        for pattern, channel in value.items():
            if not pattern.strip():
                raise ValueError("a files: pattern may not be empty")
            if channel not in channels:
                known = ", ".join(sorted(channels)) or "none (add a `channels:` section)"
                raise ValueError(f"pattern {pattern!r} maps to unknown channel {channel!r}; known: {known}")
        return value

    @property
    def _private(self) -> dict[str, Any]:
        """pydantic's store of private attributes, read directly (rules read the cache for every message)."""
        private = self.__pydantic_private__
        assert private is not None
        return private

    # -- identity -----------------------------------------------------------------------------------------

    @property
    def version(self) -> str:
        """sha256 (hex) of the canonical JSON of the merged policy; changes whenever any setting changes."""
        private = self._private
        if private["_version"] is None:
            canonical = json.dumps(
                self.model_dump(mode="json", by_alias=True),
                sort_keys=True,
                separators=(",", ":"),
                ensure_ascii=False,
            )
            private["_version"] = hashlib.sha256(canonical.encode()).hexdigest()
        version: str = private["_version"]
        return version

    @property
    def short_version(self) -> str:
        return self.version[:12]

    @property
    def source(self) -> str | None:
        """The file the policy was loaded from, if any."""
        return self._source

    @property
    def channel(self) -> str | None:
        """The channel this view applies to, or None for the base policy."""
        channel: str | None = self._private["_channel"]
        return channel

    @property
    def channel_policy(self) -> ChannelPolicy | None:
        name = self._private["_channel"]
        return self.channels.get(name) if name else None

    def location_of(self, path: FieldPath, *, key: bool = False) -> Location | None:
        """Where a field path (its value, or with ``key`` its key) stands in the policy files."""
        return self._positions.key(path) if key else self._positions.get(path)

    def cache(self) -> dict[str, Any]:
        """A per-policy scratch dict for compiled data (automata, rule instances); not part of the version."""
        cache: dict[str, Any] = self._private["_cache"]
        return cache

    def raw(self) -> dict[str, Any]:
        """A copy of the merged policy as plain data, before defaults are filled in."""
        return copy.deepcopy(self._raw)

    # -- channels -----------------------------------------------------------------------------------------

    def for_channel(self, name: str | None) -> Policy:
        """The policy as it applies to channel ``name``: its overrides merged onto the base sections."""
        if name is None:
            return self
        if name not in self.channels:
            import difflib

            known = sorted(self.channels)
            close = difflib.get_close_matches(name, known, n=1)
            hint = f"did you mean {close[0]!r}?" if close else None
            known_text = ", ".join(known) if known else "none (add a `channels:` section)"
            raise UsageError(f"unknown channel {name!r}; the policy defines: {known_text}", hint=hint)
        with self._lock:
            cached = self._channel_cache.get(name)
            if cached is not None:
                return cached
            from brandrail.policy.loader import build_channel_view

            view = build_channel_view(self, name)
            self._channel_cache[name] = view
            return view


__all__ += ["OVERRIDABLE_SECTIONS"]
