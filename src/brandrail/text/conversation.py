"""A conversation before the message being checked: the customer's turns and the brand's earlier replies.

``check(reply, policy, conversation=[{"role": "customer", "text": "..."}, ...])`` judges ``reply`` with the
conversation in view (see docs/voice.md, "Replies in context"). The turns are validated here, once, for
every shell: a bad conversation is an :class:`~brandrail.errors.InputError` that names the turn and field
(``conversation[1].role``), or, when the conversation came from a file, its file:line:col.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from brandrail.errors import InputError, Location

__all__ = [
    "BRAND_ROLES",
    "CUSTOMER_ROLES",
    "Conversation",
    "ConversationLike",
    "Turn",
    "attach_conversation",
    "conversation_of",
    "model_check",
    "parse_conversation",
]

#: Roles of the customer's turns, and of the brand's (agent, bot) turns.
CUSTOMER_ROLES = frozenset({"customer", "user"})
BRAND_ROLES = frozenset({"agent", "assistant", "brand", "bot"})
#: Longest text of one turn (characters); the whole conversation is bounded by the number of turns.
MAX_TURN_CHARS = 100_000
MAX_TURNS = 200

_SLOT = "_brandrail_conversation"


@dataclass(frozen=True, slots=True)
class Turn:
    """One turn: ``role`` is ``customer`` or ``agent`` (normalised), ``text`` what was said."""

    role: str
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"role": self.role, "text": self.text}


@dataclass(frozen=True, slots=True)
class Conversation:
    """The turns before the checked message, oldest first; at least one is the customer's."""

    turns: tuple[Turn, ...]

    def customer_turns(self) -> list[tuple[int, Turn]]:
        """The customer's turns with their index in the conversation, oldest first."""
        return [(i, t) for i, t in enumerate(self.turns) if t.role == "customer"]

    def to_list(self) -> list[dict[str, str]]:
        return [t.to_dict() for t in self.turns]


#: What the API accepts as a conversation: a parsed one, or a list of ``{"role", "text"}`` mappings.
ConversationLike = Conversation | Sequence[Mapping[str, Any]]

Locate = Callable[[tuple[str | int, ...]], Location | None]


def parse_conversation(
    value: Any, *, source: str = "conversation", locate: Locate | None = None
) -> Conversation:
    """Validate ``value`` (a list of ``{"role", "text"}`` mappings, or a Conversation) into a Conversation.

    Errors name the field path under ``source`` (``conversation[2].text``); ``locate`` maps a path inside
    the value (``(2, "text")``) to a file position when the conversation was read from a file.
    """
    if isinstance(value, Conversation):
        return value

    def fail(path: tuple[str | int, ...], message: str, hint: str) -> InputError:
        where = source + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
        location = locate(path) if locate is not None else None
        return InputError(f"{where}: {message}", location=location, hint=hint)

    shape = 'a list of turns like [{"role": "customer", "text": "My parcel never came."}]'
    if isinstance(value, Mapping) and set(value) == {"conversation"}:
        value = value["conversation"]
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise fail((), f"must be a list of turns, not {type(value).__name__}", shape)
    if not value:
        raise fail((), "is empty", "give at least the customer's message: " + shape)
    if len(value) > MAX_TURNS:
        raise fail((), f"has {len(value)} turns; at most {MAX_TURNS} are accepted", "keep the recent turns")
    turns: list[Turn] = []
    for i, item in enumerate(value):
        if not isinstance(item, Mapping):
            raise fail((i,), f"must be a mapping with role and text, not {type(item).__name__}", shape)
        unknown = sorted(str(k) for k in item if k not in ("role", "text"))
        if unknown:
            raise fail((i, unknown[0]), f"unknown key {unknown[0]!r}", "a turn has only `role` and `text`")
        role = item.get("role")
        roles = ", ".join(sorted(CUSTOMER_ROLES | BRAND_ROLES))
        if not isinstance(role, str) or role.strip().lower() not in CUSTOMER_ROLES | BRAND_ROLES:
            given = "missing" if role is None else repr(role)
            from difflib import get_close_matches  # only on an error: keeps it out of start-up

            close = (
                get_close_matches(role.lower(), sorted(CUSTOMER_ROLES | BRAND_ROLES), n=1)
                if isinstance(role, str)
                else []
            )
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise fail((i, "role"), f"role is {given}", f"{hint}use one of: {roles}")
        text = item.get("text")
        if not isinstance(text, str):
            given = "missing" if text is None else f"a {type(text).__name__}"
            raise fail((i, "text"), f"text is {given}", "give the turn's text as a string")
        if len(text) > MAX_TURN_CHARS:
            raise fail(
                (i, "text"), f"text has {len(text)} characters; at most {MAX_TURN_CHARS}", "shorten it"
            )
        normal = "customer" if role.strip().lower() in CUSTOMER_ROLES else "agent"
        turns.append(Turn(normal, text))
    if not any(t.role == "customer" for t in turns):
        raise fail(
            (), "has no customer turn", 'add the customer\'s message as {"role": "customer", "text": ...}'
        )
    return Conversation(tuple(turns))


def model_check(value: Any, *, source: str = "conversation") -> None:
    """:func:`parse_conversation` for a pydantic field validator: raises ValueError with the problem (at its
    path under ``source``) and how to fix it."""
    try:
        parse_conversation(value, source=source)
    except InputError as exc:
        raise ValueError(exc.message + (f" ({exc.hint})" if exc.hint else "")) from None


def attach_conversation(doc: Any, conversation: Conversation | None) -> None:
    """Attach ``conversation`` to a Document (rules read it with :func:`conversation_of`)."""
    if conversation is not None:
        doc.__dict__[_SLOT] = conversation


def conversation_of(doc: Any) -> Conversation | None:
    """The conversation attached to ``doc``, if any."""
    found = getattr(doc, "__dict__", {}).get(_SLOT)
    return found if isinstance(found, Conversation) else None
