"""The root policy model."""

from __future__ import annotations

import copy
import hashlib
import json
import threading
from typing import TYPE_CHECKING, Any, Literal, cast

from pydantic import (
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError, to_json

from brandrail.errors import Location, UsageError
from brandrail.policy.lazy import LAZY_SECTIONS, default_dump, section_class
from brandrail.policy.sections.base import Section, default_of, new_dict, new_list
from brandrail.policy.sections.brand import BrandSection
from brandrail.policy.sections.channels import OVERRIDABLE_SECTIONS, ChannelPolicy
from brandrail.policy.sections.claims import ClaimsSection
from brandrail.policy.sections.code_text import CodeTextSection
from brandrail.policy.sections.disclosures import DisclosuresSection
from brandrail.policy.sections.inclusive import InclusiveSection
from brandrail.policy.sections.privacy import PrivacySection
from brandrail.policy.sections.rules import RuleCode, RuleSetting
from brandrail.policy.sections.terms import TermsSection
from brandrail.policy.sections.voice import VoiceSection
from brandrail.policy.yamlsource import FieldPath, Positions

if TYPE_CHECKING:
    from brandrail.policy.sections.audit import AuditSection
    from brandrail.policy.sections.creative import CreativeSection
    from brandrail.policy.sections.fairness import FairnessSection
    from brandrail.policy.sections.gate import GateSection
    from brandrail.policy.sections.goals import GoalsSection
    from brandrail.policy.sections.integrations import IntegrationsSection

__all__ = ["SCHEMA_VERSION", "SECTION_ORDER", "Policy", "section_model"]

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
    privacy: PrivacySection = Field(default_factory=default_of(PrivacySection))
    inclusive: InclusiveSection = Field(default_factory=default_of(InclusiveSection))
    #: which rules skip text formatted as code (docs/content.md, "Code and other text").
    code_text: CodeTextSection = Field(default_factory=default_of(CodeTextSection))
    rules: dict[RuleCode, RuleSetting] = Field(default_factory=new_dict)
    # creative, fairness, goals, gate, audit and integrations are sections too, built on demand (see
    # brandrail.policy.lazy and the properties below): they are validated with the rest when the data has
    # them, and are in the dump and the version either way.

    _raw: dict[str, Any] = PrivateAttr(default_factory=dict)
    _positions: Positions = PrivateAttr(default_factory=Positions)
    _source: str | None = PrivateAttr(default=None)
    _version: str | None = PrivateAttr(default=None)
    _channel: str | None = PrivateAttr(default=None)
    _channel_cache: dict[str, Policy] = PrivateAttr(default_factory=dict)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    _cache: dict[str, Any] = PrivateAttr(default_factory=dict)
    _pillars: dict[str, Section] = PrivateAttr(default_factory=dict)
    _given: frozenset[str] = PrivateAttr(default_factory=frozenset)

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

    @model_validator(mode="wrap")
    @classmethod
    def _lazy_sections(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        """Validate the lazy sections the data has beside the others, every error reported at once."""
        if not isinstance(data, dict) or not any(name in data for name in LAZY_SECTIONS):
            return handler(data)
        own = {k: v for k, v in data.items() if k not in LAZY_SECTIONS}
        errors: list[InitErrorDetails] = []
        policy = None
        try:
            policy = handler(own)
        except ValidationError as exc:
            errors.extend(_details(exc, ()))
        built: dict[str, Section] = {}
        for name in LAZY_SECTIONS:
            if name in data:
                try:
                    built[name] = section_class(name).model_validate(data[name])
                except ValidationError as exc:
                    errors.extend(_details(exc, (name,)))
        if errors:
            errors.sort(key=lambda e: _ORDER.get(str(e["loc"][0]) if e["loc"] else "", 0))
            raise ValidationError.from_exception_data(cls.__name__, errors)
        assert isinstance(policy, Policy)
        private = policy.__pydantic_private__
        assert private is not None
        private["_pillars"].update(built)
        private["_given"] = frozenset(built)
        return policy

    def _pillar(self, name: str) -> Section:
        pillars: dict[str, Section] = self._private["_pillars"]
        section = pillars.get(name)
        if section is None:  # two threads may both build it: the same value, and the first one stays
            section = pillars.setdefault(name, section_class(name)())
        return section

    @property
    def creative(self) -> CreativeSection:
        """``creative:`` — palette, images, contrast and HTML e-mail structure (docs/creative.md)."""
        return cast("CreativeSection", self._pillar("creative"))

    @property
    def fairness(self) -> FairnessSection:
        """``fairness:`` — protected groups and thresholds of the fairness audit (docs/fairness.md)."""
        return cast("FairnessSection", self._pillar("fairness"))

    @property
    def goals(self) -> GoalsSection:
        """``goals:`` — the real goal, its proxies and guardrails (docs/goals.md)."""
        return cast("GoalsSection", self._pillar("goals"))

    @property
    def gate(self) -> GateSection:
        """``gate:`` — what an agent may do, how often, how much, and when a human decides (docs/gate.md)."""
        return cast("GateSection", self._pillar("gate"))

    @property
    def audit(self) -> AuditSection:
        """``audit:`` — the bulk audit of stored messages (docs/audit.md)."""
        return cast("AuditSection", self._pillar("audit"))

    @property
    def integrations(self) -> IntegrationsSection:
        """``integrations:`` — the proxy and the agent integrations (docs/integrations.md)."""
        return cast("IntegrationsSection", self._pillar("integrations"))

    def model_dump(self, **kwargs: Any) -> dict[str, Any]:
        """The merged policy as data, the lazy sections included (in the order ``policy show`` lists them).

        ``include``/``exclude`` name top-level sections only."""
        include = kwargs.pop("include", None)
        exclude = kwargs.pop("exclude", None)
        out = super().model_dump(**kwargs)
        private = self._private
        for name in LAZY_SECTIONS:
            section = private["_pillars"].get(name)
            if kwargs.get("exclude_unset") and name not in private["_given"]:
                continue  # as pydantic leaves out a field the data did not set
            if kwargs.get("exclude_defaults") and (section is None or section == section_class(name)()):
                continue
            if section is None and kwargs == {"mode": "json", "by_alias": True}:
                out[name] = copy.deepcopy(default_dump(name))  # what building it would dump: not built
            else:
                out[name] = self._pillar(name).model_dump(**kwargs)
        return {
            k: v
            for k, v in sorted(out.items(), key=lambda kv: _ORDER.get(kv[0], len(_ORDER)))
            if (include is None or k in include) and (exclude is None or k not in exclude)
        }

    def model_dump_json(self, *, indent: int | None = None, **kwargs: Any) -> str:
        """:meth:`model_dump` in JSON mode, as text."""
        return to_json(self.model_dump(mode="json", **kwargs), indent=indent).decode()

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
                self.model_dump(mode="json", by_alias=True),  # builds no lazy section (see model_dump)
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


#: Every top-level key of a policy, in the order of the file format (docs/policy.md).
SECTION_ORDER = (
    "version",
    "schema_version",
    "extends",
    "brand",
    "terms",
    "claims",
    "disclosures",
    "channels",
    "files",
    "voice",
    "creative",
    "privacy",
    "inclusive",
    "code_text",
    "fairness",
    "goals",
    "gate",
    "audit",
    "integrations",
    "rules",
)
_ORDER = {name: i for i, name in enumerate(SECTION_ORDER)}


def section_model(name: str) -> type[Section]:
    """The model class of top-level section ``name`` (``brand``, ``gate``…)."""
    if name in LAZY_SECTIONS:
        return section_class(name)
    annotation = Policy.model_fields[name].annotation
    assert isinstance(annotation, type) and issubclass(annotation, Section), name
    return annotation


def _details(exc: ValidationError, prefix: tuple[str, ...]) -> list[InitErrorDetails]:
    """``exc``'s errors under ``prefix``, as they can be raised again (type, message and input kept)."""
    return [
        {
            "type": PydanticCustomError(err["type"], err["msg"]),
            "loc": (*prefix, *err["loc"]),
            "input": err["input"],
        }
        for err in exc.errors(include_url=False)
    ]


__all__ += ["OVERRIDABLE_SECTIONS"]
