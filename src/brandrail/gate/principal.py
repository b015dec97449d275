"""Principals: the verified identity of whoever calls the gate, and the roles it may hold.

An agent's ``agent`` field is a claim; a :class:`Principal` is what an integration *verified* (an API key in
the service, a configured identity in the library). Caps, approvals and outcome reports key on principals.

Identities are compared in canonical form (:func:`canonical_id`): Unicode compatibility forms, confusable
letters mapped to Latin, format characters (zero-width, bidi), combining marks (accents) and surrounding
whitespace removed (and the letters that render as nothing: Hangul fillers, the Braille blank), inner whitespace runs and dash-like characters folded, then case-folded. So "Alice",
"ａｌｉｃｅ", "alice\u200b", "Álice" and "ALICE " are one principal.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from brandrail.text.normalize import CONFUSABLES

if TYPE_CHECKING:
    from brandrail.policy.sections.gate import GateSection

__all__ = ["ROLES", "Principal", "Role", "canonical_id", "library_principal", "registered_principal"]

Role = Literal["agent", "executor", "reviewer", "auditor", "admin"]

#: Every role, in the order the docs list them.
ROLES: tuple[Role, ...] = ("agent", "executor", "reviewer", "auditor", "admin")

_DASHES = re.compile(r"[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
_SPACES = re.compile(r"\s+")
#: Characters that render as nothing (or a blank) but are letters or symbols, not format characters: the
#: Hangul fillers, the Braille blank and the Mongolian vowel separator. Left in, "spring\u3164" would be a
#: campaign of its own with caps of its own while a reviewer reads "spring".
_INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e")


def canonical_id(name: str) -> str:
    """The canonical form of an identity string (see the module docstring); empty if nothing is left."""
    text = _DASHES.sub("-", _letters(name))
    text = _SPACES.sub(" ", text).strip()
    # case folding can bring a mark back ("İ" folds to "i" and a combining dot): drop it as well
    return _letters(text.casefold())


def _letters(text: str) -> str:
    """``text`` in compatibility form without format characters and combining marks, look-alikes as Latin."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(
        CONFUSABLES.get(ch, ch)
        for ch in decomposed
        if unicodedata.category(ch) not in ("Cf", "Mn", "Me") and ch not in _INVISIBLE
    )
    return unicodedata.normalize("NFC", kept)


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


def registered_principal(gate: GateSection, name: str) -> Principal | None:
    """The principal registered in ``gate.principals`` under ``name`` (compared canonically), or None."""
    wanted = canonical_id(name)
    if not wanted:
        return None
    for entry in gate.principals:
        if canonical_id(entry.id) == wanted:
            return Principal(entry.id, frozenset(entry.roles), via="policy", display=entry.display)
    return None


def library_principal(gate: GateSection) -> Principal:
    """The library's configured identity (``gate.identity``): its registered roles, else agent + executor."""
    found = registered_principal(gate, gate.identity)
    if found is not None:
        return Principal(found.id, found.roles, via="config", display=found.display)
    return Principal(gate.identity, frozenset({"agent", "executor"}), via="config")
