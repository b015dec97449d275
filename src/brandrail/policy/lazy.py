"""Policy sections built on demand: the pillars a content check never reads.

Building a section's pydantic models costs about a millisecond per model; the six sections below hold about
half of the policy's models, and a `brandrail check` of one message needs none of them (~40 ms of a ~250 ms
cold start: bench/results/install.md). A policy builds one of them when its file has that section (so every
error in it is reported at load time, with its position) or when code first reads it.

The policy's version hashes every section, defaults included. For a section the file leaves out, the hash
takes its default dump from ``lazy_defaults.json`` instead of building the models; a test checks that file
against the models, and ``python -m brandrail.policy.lazy`` rewrites it after a default changes.
"""

from __future__ import annotations

import importlib
import json
import sys
from functools import cache
from pathlib import Path
from typing import Any

from brandrail.policy.sections.base import Section

__all__ = ["LAZY_SECTIONS", "default_dump", "render_defaults", "section_class"]

#: section name → (module, class), in the order the policy lists them.
LAZY_SECTIONS: dict[str, tuple[str, str]] = {
    "creative": ("brandrail.policy.sections.creative", "CreativeSection"),
    "fairness": ("brandrail.policy.sections.fairness", "FairnessSection"),
    "goals": ("brandrail.policy.sections.goals", "GoalsSection"),
    "gate": ("brandrail.policy.sections.gate", "GateSection"),
    "audit": ("brandrail.policy.sections.audit", "AuditSection"),
    "integrations": ("brandrail.policy.sections.integrations", "IntegrationsSection"),
}

_DEFAULTS_FILE = Path(__file__).with_name("lazy_defaults.json")


def section_class(name: str) -> type[Section]:
    """The model class of lazy section ``name`` (imported, and so built, on first use)."""
    module, cls = LAZY_SECTIONS[name]
    found: type[Section] = getattr(importlib.import_module(module), cls)
    return found


@cache
def _defaults() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(_DEFAULTS_FILE.read_text(encoding="utf-8"))
    return loaded


def default_dump(name: str) -> Any:
    """``model_dump(mode="json", by_alias=True)`` of section ``name`` with every default, without building it."""
    return _defaults()[name]


def render_defaults() -> str:
    """The text of ``lazy_defaults.json``, from the models themselves."""
    dumps = {name: section_class(name)().model_dump(mode="json", by_alias=True) for name in LAZY_SECTIONS}
    return json.dumps(dumps, indent=1, ensure_ascii=False) + "\n"  # in field order, as model_dump gives it


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    _DEFAULTS_FILE.write_text(render_defaults(), encoding="utf-8")
    sys.stdout.write(f"wrote {_DEFAULTS_FILE}\n")
