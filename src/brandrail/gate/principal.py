"""Principals: the verified identity of whoever calls the gate, and the roles it may hold.

An agent's ``agent`` field is a claim; a :class:`Principal` is what an integration *verified* (an API key in
the service, a configured identity in the library). Caps, approvals and outcome reports key on principals.

Identities are compared in canonical form (:func:`canonical_id`): Unicode NFKC, confusable letters mapped to
Latin, format characters (zero-width, bidi) and surrounding whitespace removed, inner whitespace runs and
dash-like characters folded, then case-folded. So "Alice", "ａｌｉｃｅ", "alice\u200b" and "ALICE " are one
principal.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

from brandrail.text.normalize import CONFUSABLES

__all__ = ["ROLES", "Principal", "Role", "canonical_id"]

Role = Literal["agent", "executor", "reviewer", "auditor", "admin"]

#: Every role, in the order the docs list them.
ROLES: tuple[Role, ...] = ("agent", "executor", "reviewer", "auditor", "admin")

_DASHES = re.compile(r"[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
_SPACES = re.compile(r"\s+")


def canonical_id(name: str) -> str:
    """The canonical form of an identity string (see the module docstring); empty if nothing is left."""
    text = unicodedata.normalize("NFKC", name)
    text = "".join(CONFUSABLES.get(ch, ch) for ch in text if unicodedata.category(ch) != "Cf")
    text = _DASHES.sub("-", text)
    text = _SPACES.sub(" ", text).strip()
    return text.casefold()


@dataclass(frozen=True, slots=True)
class Principal:
    """A verified caller: ``id`` (its canonical identity), the ``roles`` it holds, and how it was verified."""

    id: str
    roles: frozenset[Role] = field(default_factory=lambda: frozenset({"agent"}))
    #: How the identity was established: ``"api-key"``, ``"jwt"``, ``"config"`` (library), ``"local"`` (CLI).
    via: str = "config"
    #: A human-readable name for display only; never compared.
    display: str | None = None

    def __post_init__(self) -> None:
        canon = canonical_id(self.id)
        if not canon:
            raise ValueError("a principal needs a non-empty id")
        object.__setattr__(self, "id", canon)
        unknown = set(self.roles) - set(ROLES)
        if unknown:
            raise ValueError(f"unknown role(s) {sorted(unknown)}; roles are {', '.join(ROLES)}")

    def has(self, role: Role) -> bool:
        """Whether this principal holds ``role`` (``admin`` holds none implicitly)."""
        return role in self.roles

    def as_dict(self) -> dict[str, object]:
        """The form recorded in ledger entries."""
        return {"id": self.id, "roles": sorted(self.roles), "via": self.via}
