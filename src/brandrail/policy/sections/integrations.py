"""``integrations:`` — how the guard proxy, the MCP gateway and the client wrappers apply the policy in the loop.

Routes map a chat request (by explicit route name, or by model name) to a channel and say what happens to a
reply that breaks an error-level rule (``on_violation``); ``tools`` map a tool call (an MCP tool, or a
function call in a model's reply) to a typed gate action. See docs/integrations.md.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from brandrail.policy.sections.base import NonEmptyStr, Section, StrList, default_of, new_dict, new_list
from brandrail.policy.sections.gate import _check_duration

__all__ = [
    "DEFAULT_FALLBACK",
    "TOOL_ACTION_FIELDS",
    "IntegrationsSection",
    "PrincipalConfig",
    "ResultsConfig",
    "RouteConfig",
    "ToolMapping",
    "UpstreamConfig",
]

DEFAULT_FALLBACK = "Sorry, I can't help with that here. A member of our team will follow up with you shortly."

#: Fields of each gate action kind a tool mapping may set (``id``, ``agent`` and ``time`` are set by the
#: integration). Kept here, in the policy layer, so a mapping is validated when the policy loads; a test
#: checks it against the action models of the gate.
TOOL_ACTION_FIELDS: dict[str, tuple[str, ...]] = {
    "send_message": (
        "channel",
        "recipient",
        "content",
        "subject",
        "send_at",
        "campaign",
        "personalised",
        "marketing",
    ),
    "launch_campaign": ("campaign", "name", "budget", "channels"),
    "pause_campaign": ("campaign",),
    "set_budget": ("campaign", "amount", "period"),
    "spend": ("campaign", "amount", "currency", "description"),
    "set_price": ("item", "price", "cost", "segment"),
    "set_discount": ("item", "discount", "price", "cost", "segment"),
    "target_audience": ("campaign", "criteria", "estimated_size"),
    "post_social": ("platform", "content", "images"),
    "reply_customer": ("conversation", "content", "recipient", "channel", "turns"),
    "custom": ("name", "args"),
}

_PATH = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$")
_ROUTE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class UpstreamConfig(Section):
    """The OpenAI-compatible server the proxy forwards to. The key is read from ``api_key_env``, never stored."""

    base_url: str = Field(default="https://api.openai.com/v1", description="Base URL, up to and with /v1.")
    api_key_env: str | None = Field(
        default="OPENAI_API_KEY",
        description="Environment variable holding the upstream key; null for servers without one.",
    )
    timeout: float = Field(default=60.0, gt=0, description="Seconds to wait for the upstream.")

    @field_validator("base_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"{value!r} must be an http:// or https:// URL")
        return value.rstrip("/")


class RouteConfig(Section):
    """One route: which requests it takes, the channel its replies are checked for, what a violation does."""

    channel: str | None = Field(default=None, description="Channel the replies are checked for.")
    brand: str | None = Field(default=None, description="A label for the brand, recorded with each exchange.")
    models: StrList = Field(
        default_factory=new_list,
        description="Model names (shell-style patterns such as gpt-4o*) routed here.",
    )
    on_violation: Literal["pass", "fix", "reask", "fallback"] = Field(
        default="reask",
        description=(
            "pass: deliver with the findings attached; fix: apply safe fixes (fallback if errors remain); "
            "reask: ask the model again with the findings as feedback (fallback after max_attempts); "
            "fallback: answer with the fallback message."
        ),
    )
    max_attempts: int = Field(default=3, ge=1, le=10, description="Upstream calls per request (re-ask).")
    fallback: NonEmptyStr = Field(default=DEFAULT_FALLBACK, description="What the customer gets instead.")
    block_on: Literal["error", "warning"] = Field(
        default="error", description="The lowest severity that counts as a violation."
    )
    stream: Literal["sentence", "buffer"] = Field(
        default="sentence",
        description=(
            "sentence: release streamed text sentence by sentence once it passes; buffer: wait for the "
            "whole reply (re-ask possible, whole-message rules enforced) and then stream it."
        ),
    )


class PrincipalConfig(Section):
    """The identity the proxy and the gateway act as towards the gate."""

    id: NonEmptyStr = "brandrail-integration"
    roles: list[Literal["agent", "executor", "reviewer", "auditor", "admin"]] = Field(
        default_factory=lambda: ["agent"]  # type: ignore[arg-type]
    )


class ToolMapping(Section):
    """Map a tool call to a gate action: ``action`` kind, ``args`` (action field → argument path), ``set``."""

    action: Literal[
        "send_message",
        "launch_campaign",
        "pause_campaign",
        "set_budget",
        "spend",
        "set_price",
        "set_discount",
        "target_audience",
        "post_social",
        "reply_customer",
        "custom",
        "none",
    ] = Field(description="Gate action kind; none forwards the call ungated (it is still recorded).")
    args: dict[str, str] = Field(
        default_factory=new_dict,
        description="Action field (dotted, e.g. args.amount for custom) → dotted path in the tool arguments.",
    )
    set: dict[str, Any] = Field(default_factory=new_dict, description="Action fields set to fixed values.")
    check_result: bool = Field(
        default=False,
        description="Content-check all the text of the tool's result (text blocks, text resources, structured "
        "content, error results); withhold it on errors.",
    )
    check_args: StrList = Field(
        default_factory=new_list,
        description="Argument paths whose text (a string, or every string in a list or object there) is "
        "content-checked before the call.",
    )
    turns_from_chat: bool = Field(
        default=False,
        description="reply_customer only: the chat the proxy saw (its user and assistant turns) is the "
        "customer's conversation, and the gate gets it as `turns` (in place of any mapped turns).",
    )
    pass_args: StrList = Field(
        default_factory=new_list,
        description="Arguments passed to the tool without the gate seeing them (formatting, priority...). "
        "A call with a top-level argument that is neither mapped (args), content-checked (check_args) nor "
        "listed here is denied, unless other_args is allow: a `bcc` the gate never saw would reach people "
        "it never checked.",
    )
    other_args: Literal["deny", "allow"] = Field(
        default="deny",
        description="What happens to a call with an argument the mapping does not name (args, check_args, "
        "pass_args), at the top level or inside an object a mapped path runs through: deny (default) or allow. "
        "An argument whose name reads like a named one (Amount, a full-width or zero-width variant) is denied "
        "either way.",
    )

    @model_validator(mode="after")
    def _fields(self) -> ToolMapping:
        if self.turns_from_chat and self.action != "reply_customer":
            raise ValueError("turns_from_chat applies to reply_customer mappings only")
        if self.action == "none":
            if self.args or self.set:
                raise ValueError("action: none takes no args or set")
            return self
        allowed = TOOL_ACTION_FIELDS[self.action]
        for target in [*self.args, *self.set]:
            head = target.split(".", 1)[0]
            if head not in allowed:
                raise ValueError(
                    f"{target!r} is not a field of a {self.action} action; its fields are {', '.join(allowed)}"
                )
            if "." in target and self.action != "custom" and head not in ("recipient", "segment"):
                raise ValueError(f"{target!r}: only nested fields (recipient.x, args.x) may be dotted")
        for source in [*self.args.values(), *self.check_args, *self.pass_args]:
            if not _PATH.match(source):
                raise ValueError(f"argument path {source!r} must be dotted names such as order.total")
        if self.action == "custom" and "name" not in self.set and "name" not in self.args:
            raise ValueError("a custom action needs its name: add set: {name: ...}")
        return self


class ResultsConfig(Section):
    """How the MCP gateway, the proxy and the client wrapper screen what tools send back (hidden text AG907,
    planted instructions AG908) and hold what the agent does next (AG909): after a flagged result, or — by
    provenance (``taint_on``) — after any result of an untrusted tool. Provenance is set here, as lists with
    patterns, not per tool mapping: reading tools are often unmapped (``action: none``), and a pattern covers
    a server's family of tools and the ones it adds later. See docs/integrations.md, "Tool results"."""

    screen: bool = Field(
        default=True,
        description="Screen the text of every tool result the gateway forwards and every tool message the "
        "proxy or the client wrapper sends the model.",
    )
    hidden: Literal["strip", "withhold", "annotate"] = Field(
        default="strip",
        description="AG907 hidden characters: strip them, withhold the whole result, or annotate (record only).",
    )
    injection: Literal["redact", "fence", "withhold", "annotate"] = Field(
        default="redact",
        description="AG908 instructions and lures: replace the sentence with a marker (redact), quote it as data "
        "(fence), withhold the whole result, or annotate (record only).",
    )
    taint: Literal["review", "deny", "off"] = Field(
        default="review",
        description="AG909: a consequential call after a result that taints (taint_on) is sent to human review, "
        "denied, or not held (off).",
    )
    taint_for: NonEmptyStr = Field(
        default="1h",
        description="How long after a result that taints (taint_on) the caller's consequential calls are held "
        "(a duration: 30m, 1h, 1d).",
    )

    taint_on: Literal["flagged", "untrusted", "any"] = Field(
        default="flagged",
        description="What taints the caller (AG909): flagged: a result the screen flags (AG907, AG908); "
        "untrusted: that, and every result of a tool untrusted_tools names, flagged or not; any: that, and "
        "every result of a tool trusted_tools does not name (a tool whose name cannot be told counts as "
        "untrusted).",
    )
    untrusted_tools: StrList = Field(
        default_factory=new_list,
        description="taint_on: untrusted only: the tools whose results are untrusted (they read the web, an "
        "inbox, a ticket queue...): names or shell-style patterns such as web_* (matched with case, look-alike "
        "letters and separators folded, so Web-Fetch is web_fetch).",
    )
    trusted_tools: StrList = Field(
        default_factory=new_list,
        description="taint_on: any only: the tools whose results do not taint unless flagged (your own "
        "database, a calculator): names or shell-style patterns such as crm_* (matched exactly as written).",
    )

    _v = field_validator("taint_for")(_check_duration)

    @field_validator("taint_on")
    @classmethod
    def _taint_on(cls, value: str, info: ValidationInfo) -> str:
        if value != "flagged" and info.data.get("taint") == "off":
            raise ValueError(
                f"taint_on: {value} taints callers, but taint is off, so nothing would be held; set taint to "
                "review or deny, or taint_on to flagged"
            )
        return value

    @field_validator("untrusted_tools")
    @classmethod
    def _untrusted(cls, value: list[str], info: ValidationInfo) -> list[str]:
        mode = info.data.get("taint_on")
        if mode == "untrusted" and not value:
            raise ValueError(
                "taint_on: untrusted needs the tools whose results are untrusted: list them in untrusted_tools "
                "(names or patterns such as fetch_url, web_*, gmail_*), or use taint_on: any"
            )
        if value and mode is not None and mode != "untrusted":
            raise ValueError(
                f"untrusted_tools applies with taint_on: untrusted only (taint_on is {mode}): set taint_on: "
                "untrusted, or remove untrusted_tools"
                + (" (under any every tool is untrusted but trusted_tools)" if mode == "any" else "")
            )
        return _check_patterns(value, "untrusted_tools")

    @field_validator("trusted_tools")
    @classmethod
    def _trusted(cls, value: list[str], info: ValidationInfo) -> list[str]:
        mode = info.data.get("taint_on")
        if value and mode is not None and mode != "any":
            raise ValueError(
                f"trusted_tools applies with taint_on: any only (taint_on is {mode}): set taint_on: any, or "
                "remove trusted_tools"
            )
        for pattern in value:
            if pattern.strip("*") == "":
                raise ValueError(
                    f"{pattern!r} trusts every tool, so no result would taint by where it came from: use "
                    "taint_on: flagged instead, or name the trusted tools"
                )
        return _check_patterns(value, "trusted_tools")

    @field_validator("taint", mode="before")
    @classmethod
    def _off(cls, value: Any) -> Any:
        return "off" if value is False else value  # YAML reads an unquoted off as false


#: A tool name pattern: printable, no spaces (MCP tool names are letters, digits, ``_ - . /``).
_TOOL_PATTERN = re.compile(r"^[^\s\x00-\x1f\x7f]{1,200}$")


def _check_patterns(value: list[str], key: str) -> list[str]:
    """``value`` (tool names or shell-style patterns) when each is a plausible pattern listed once."""
    seen: set[str] = set()
    for pattern in value:
        if not _TOOL_PATTERN.match(pattern):
            raise ValueError(
                f"{pattern[:80]!r} in {key} is not a tool name or pattern: write a name such as fetch_url or a "
                "pattern such as web_* (no spaces or control characters, at most 200 characters)"
            )
        if pattern.count("[") != pattern.count("]"):
            raise ValueError(
                f"{pattern!r} in {key} has an unclosed [ ]: close it, or write the name without it"
            )
        if pattern in seen:
            raise ValueError(f"{pattern!r} is listed twice in {key}: remove one")
        seen.add(pattern)
    return value


class IntegrationsSection(Section):
    """Settings of ``brandrail proxy``, ``brandrail mcp`` and ``brandrail.guard_openai`` (docs/integrations.md)."""

    upstream: UpstreamConfig = Field(default_factory=default_of(UpstreamConfig))
    routes: dict[str, RouteConfig] = Field(default_factory=new_dict)
    default_route: str | None = Field(
        default=None, description="Route for requests no route claims; unset means such requests are refused."
    )
    client_routes: bool = Field(
        default=True,
        description=(
            "Whether a request may name its route (X-Brandrail-Route header, /routes/NAME/ path); false: "
            "routes by model only, so clients cannot pick a laxer route."
        ),
    )
    principal: PrincipalConfig = Field(default_factory=default_of(PrincipalConfig))
    tools: dict[str, ToolMapping] = Field(default_factory=new_dict)
    results: ResultsConfig = Field(default_factory=default_of(ResultsConfig))
    unmapped_tools: Literal["allow", "deny"] = Field(
        default="deny",
        description="What happens to a tool call no mapping names (allowed ones are recorded).",
    )

    @field_validator("routes")
    @classmethod
    def _route_names(cls, value: dict[str, RouteConfig]) -> dict[str, RouteConfig]:
        for name in value:
            if not _ROUTE.match(name):
                raise ValueError(f"route name {name!r} may only use letters, digits, '-', '_' and '.'")
        return value

    @model_validator(mode="after")
    def _default(self) -> IntegrationsSection:
        if self.default_route is not None and self.default_route not in self.routes:
            known = ", ".join(sorted(self.routes)) or "none"
            raise ValueError(f"default_route {self.default_route!r} is not a route; routes: {known}")
        return self
