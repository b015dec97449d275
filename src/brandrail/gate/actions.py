"""Typed agent actions: what an agent may propose to the gate.

Every action has ``kind`` (the discriminator), ``id`` (the idempotency key), ``agent`` (who proposes it) and
``time`` (when, timezone-aware). :func:`parse_action` validates a mapping or JSON text into one of the
models; :func:`action_digest` is the sha256 of the canonical arguments (everything but ``id`` and ``time``)
that approvals are bound to. :func:`action_json_schema` is published as docs/gate-actions.schema.json.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from decimal import Decimal
from json.encoder import encode_basestring as _encode_basestring
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    field_validator,
)

from brandrail._json import ExactFloat, exact_decimal

__all__ = [
    "Action",
    "AudienceCriterion",
    "ChatTurn",
    "Custom",
    "LaunchCampaign",
    "PauseCampaign",
    "PostSocial",
    "Recipient",
    "ReplyCustomer",
    "SendMessage",
    "SetBudget",
    "SetDiscount",
    "SetPrice",
    "Spend",
    "TargetAudience",
    "action_digest",
    "action_json_schema",
    "canonical_json",
    "legacy_action_digest",
    "parse_action",
    "validation_message",
]

_encode_string = _encode_basestring

Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]


def _no_control_characters(value: str) -> str:
    """A name with a control character (C0 such as NUL or ESC, DEL, C1) is refused: "autumn\\0" would be
    another campaign to a counter and the same one to a C-based system downstream (or the reverse)."""
    for index, ch in enumerate(value):
        code = ord(ch)
        if code < 0x20 or 0x7F <= code <= 0x9F:
            raise ValueError(
                f"contains the control character U+{code:04X} at position {index}; names, ids and campaigns "
                "may not hold control characters: remove it"
            )
    return value


#: An id or a name (campaign, item, agent, conversation): 1 to 200 characters, no control characters.
Id = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_no_control_characters)]
#: A name that may be left out (a send's or an audience's campaign): no control characters either.
Name = Annotated[str, AfterValidator(_no_control_characters)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Base(_Model):
    id: Id = Field(description="Idempotency key: the same id must always carry the same action.")
    agent: Id = Field(description="Identity of the agent proposing the action.")
    time: AwareDatetime = Field(description="When the agent proposes the action (timezone-aware).")


class Recipient(_Model):
    """Who a message goes to. ``id`` keys consent, suppression and frequency records."""

    id: Id
    email: str | None = None
    phone: str | None = None
    name: str | None = None
    timezone: str | None = Field(default=None, description="IANA zone, e.g. Europe/Berlin.")
    tcf: str | None = Field(
        default=None,
        description="IAB TCF v2 consent string; an empty string states that none was given, null (or "
        "leaving it out) that the agent does not say.",
    )
    gpc: bool | None = Field(
        default=None,
        description="Global Privacy Control: true when the person's browser sent it, false when it did not, "
        "null (or leaving it out) when the agent does not say (gate.consent.require_signals can require it).",
    )


class SendMessage(_Base):
    kind: Literal["send_message"] = "send_message"
    channel: Literal["email", "sms", "push"]
    recipient: Recipient
    content: str = Field(max_length=100_000)
    subject: str | None = None
    send_at: AwareDatetime | None = Field(
        default=None, description="Delivery time; default: the action time."
    )
    campaign: Name | None = None
    personalised: bool = False
    marketing: bool = Field(default=True, description="False for transactional messages (no opt-in needed).")


class LaunchCampaign(_Base):
    kind: Literal["launch_campaign"] = "launch_campaign"
    campaign: Id
    name: str | None = None
    budget: Money | None = None
    channels: list[str] = Field(default_factory=list)


class PauseCampaign(_Base):
    kind: Literal["pause_campaign"] = "pause_campaign"
    campaign: Id


class SetBudget(_Base):
    kind: Literal["set_budget"] = "set_budget"
    campaign: Id
    amount: Money
    period: Literal["day", "week", "month", "total"] = "day"


class Spend(_Base):
    kind: Literal["spend"] = "spend"
    campaign: Id
    amount: Money
    currency: str = Field(
        "USD",
        description="ISO 4217 code in capitals; compared exactly with budget.currency ('usd' is refused)",
    )
    description: str | None = None


class SetPrice(_Base):
    kind: Literal["set_price"] = "set_price"
    item: Id
    price: Money
    cost: Money | None = None
    segment: dict[str, Any] = Field(
        default_factory=dict, description="Who the price applies to; {} = everyone."
    )


class SetDiscount(_Base):
    kind: Literal["set_discount"] = "set_discount"
    item: Id
    discount: float = Field(ge=0, le=100, description="Percent off.")
    price: Money | None = None
    cost: Money | None = None
    segment: dict[str, Any] = Field(default_factory=dict)


#: Other spellings of the comparison operators, read as the canonical one ("gte" as in MongoDB, Elasticsearch
#: and Django lookups, ">=" as written in SQL).
OP_ALIASES: dict[str, str] = {
    "gte": "ge", "lte": "le", ">=": "ge", "<=": "le", ">": "gt", "<": "lt", "=": "eq", "==": "eq",
    "!=": "ne", "<>": "ne", "neq": "ne", "nin": "not_in",
}  # fmt: skip


class AudienceCriterion(_Model):
    attribute: str
    op: Literal["eq", "ne", "in", "not_in", "lt", "le", "gt", "ge", "between", "exists"] = Field(
        default="eq",
        description="The comparison; gte, lte, >=, <=, >, <, =, ==, !=, <>, neq and nin are read as ge, le, "
        "ge, le, gt, lt, eq, eq, ne, ne, ne and not_in.",
    )
    value: Any = None

    @field_validator("op", mode="before")
    @classmethod
    def _canonical_op(cls, value: Any) -> Any:
        """Another spelling of an operator is read as the canonical one (exactly as written: case counts)."""
        return OP_ALIASES.get(value, value) if isinstance(value, str) else value


class TargetAudience(_Base):
    kind: Literal["target_audience"] = "target_audience"
    campaign: Name | None = None
    criteria: list[AudienceCriterion] = Field(default_factory=list)
    estimated_size: int = Field(ge=0)


class PostSocial(_Base):
    kind: Literal["post_social"] = "post_social"
    platform: str
    content: str = Field(max_length=100_000)
    images: list[str] = Field(default_factory=list)


class ChatTurn(_Model):
    """One earlier turn of the conversation a reply answers: who spoke and what they said."""

    role: Literal["customer", "user", "agent", "assistant", "brand", "bot"]
    text: str = Field(max_length=100_000)


class ReplyCustomer(_Base):
    kind: Literal["reply_customer"] = "reply_customer"
    conversation: Id = Field(description="The conversation's id in the caller's system.")
    content: str = Field(max_length=100_000)
    recipient: Recipient | None = None
    channel: Id | None = Field(
        default=None,
        description="The policy channel the reply goes out on (for example support); its limits and "
        "voice targets apply. It must be a channel the policy defines.",
    )
    turns: list[ChatTurn] | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="The conversation before this reply, oldest first, with at least one customer turn. "
        "When given, the reply is judged with it in view (voice.context targets for an upset customer or "
        "one who reports a loss); those targets only ever tighten the checks.",
    )

    @field_validator("turns")
    @classmethod
    def _is_a_conversation(cls, value: list[ChatTurn] | None) -> list[ChatTurn] | None:
        """The rules every conversation follows (at least one customer turn), from the one place that
        holds them."""
        if value is not None:
            from brandrail.text.conversation import model_check

            model_check([t.model_dump() for t in value], source="turns")
        return value


class Custom(_Base):
    kind: Literal["custom"] = "custom"
    name: Id
    args: dict[str, Any] = Field(default_factory=dict)


Action = Annotated[
    SendMessage
    | LaunchCampaign
    | PauseCampaign
    | SetBudget
    | Spend
    | SetPrice
    | SetDiscount
    | TargetAudience
    | PostSocial
    | ReplyCustomer
    | Custom,
    Field(discriminator="kind"),
]

_ADAPTER: TypeAdapter[Action] = TypeAdapter(Action)


def parse_action(data: Any) -> Action:
    """Validate a mapping (or JSON text) into an action; raises pydantic ``ValidationError``."""
    if isinstance(data, (str, bytes)):
        return _ADAPTER.validate_json(data)
    if isinstance(data, BaseModel):
        data = data.model_dump(mode="json")
    return _ADAPTER.validate_python(data)


def validation_message(exc: ValidationError) -> str:
    """One line per problem: ``field.path: message``."""
    lines = []
    for err in exc.errors()[:10]:
        loc = ".".join(str(p) for p in err.get("loc", ())) or "(action)"
        message = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        lines.append(f"{loc}: {message}")
    return "; ".join(lines)


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def canonical_json(data: Any) -> str:
    """Sorted keys, no spaces, UTF-8: the form digests are taken of."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default)


def _number_text(value: Decimal) -> str:
    """One text per numeric value: ``400``, ``400.00``, ``4e2`` and ``4E+2`` all read ``4e2``; digits are
    kept exactly (no rounding to a context's precision), so different values never share a text."""
    if not value.is_finite():
        return str(value)
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    end = len(digits)
    while end > 1 and digits[end - 1] == 0:
        end -= 1
    exponent += len(digits) - end
    if end == 1 and digits[0] == 0:
        return "0"
    text = ("-" if sign else "") + "".join(map(str, digits[:end]))
    return f"{text}e{exponent}" if exponent else text


def _canonical(value: Any, out: list[str]) -> None:
    """``value`` as canonical JSON text, appended to ``out``: sorted keys, no spaces, UTF-8, every number
    (int, float, Decimal, an :class:`~brandrail._json.ExactFloat` by its text) in the one form of
    :func:`_number_text`, and times in UTC."""
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        out.append(_encode_string(value))
    elif isinstance(value, dict):
        out.append("{")
        items = sorted((k if isinstance(k, str) else canonical_json(k), v) for k, v in value.items())
        for i, (key, item) in enumerate(items):
            if i:
                out.append(",")
            out.append(_encode_string(key))
            out.append(":")
            _canonical(item, out)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _canonical(item, out)
        out.append("]")
    elif isinstance(value, datetime):
        moment = value.astimezone(UTC) if value.tzinfo is not None else value
        out.append(_encode_string(moment.isoformat()))
    else:
        number = exact_decimal(value)
        if number is None:
            raise TypeError(f"not JSON serialisable: {type(value).__name__}")
        out.append(_number_text(number))


def action_digest(action: Action) -> str:
    """sha256 of the canonical arguments: every field except ``id`` and ``time``, numbers by their value
    (an amount of ``"400.00"``, ``400``, ``"4e2"`` or ``400.0`` has one digest; different amounts never
    share one), times in UTC. Approvals and the idempotency index are bound to it."""
    out: list[str] = []
    _canonical(action.model_dump(mode="python", exclude={"id", "time"}), out)
    return hashlib.sha256("".join(out).encode("utf-8", "surrogatepass")).hexdigest()


def _inexact_legacy(value: Any, depth: int = 0) -> bool:
    """Whether the legacy digest reads a number of ``value`` differently from its value as written: a
    number whose float rounds its text, or a Decimal where the legacy digest wrote it as a string (any but
    a top-level money field), which a string could then stand for."""
    if isinstance(value, ExactFloat):
        return True
    if isinstance(value, Decimal):
        return depth > 1  # the action's own fields are at depth 1
    if isinstance(value, dict):
        return any(_inexact_legacy(v, depth + 1) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_inexact_legacy(v, depth + 1) for v in value)
    return False


def legacy_action_digest(action: Action) -> str | None:
    """The digest of releases before numbers were canonicalised (sha256 of the arguments' JSON as written:
    ``"400.00"`` and ``400`` differed). Approvals and idempotency claims recorded under it are still
    honoured for the identical action; None when this action holds a number that digest would read
    differently from its value (so an old approval never matches a different action)."""
    data = action.model_dump(mode="python", exclude={"id", "time"})
    if _inexact_legacy(data):
        return None
    data = action.model_dump(mode="json", exclude={"id", "time"})
    return hashlib.sha256(canonical_json(data).encode()).hexdigest()


def action_json_schema() -> dict[str, Any]:
    """The JSON Schema of every action kind (a ``oneOf`` keyed on ``kind``)."""
    schema = _ADAPTER.json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://brandrail.dev/schemas/gate-actions.schema.json"
    schema["title"] = "brandrail gate action"
    return schema
