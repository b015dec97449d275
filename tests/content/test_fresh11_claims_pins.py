"""Pin of the eleventh-round development part written by rt-f7claims before its fixes
(tests/data/claims_fresh6/fresh11.yaml; its header says how it was written).

The file's sha256 was taken when it was written, before brandrail was run on it and before the rules were
changed for it. A changed file fails here: labels are not edited after measuring. These tests only read bytes
and parse YAML; they run no detector.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent.parent / "data"

CLAIMS_FRESH11_SHA256 = "e4a0a241058e53a2fdf49a0e757e864976b8718d7b037048464c430afcd7508b"
CODES = {"BR101", "BR105", "BR201", "BR202", "BR203", "BR204", "BR205", "BR206", "BR301"}


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_claims_fresh11_is_pinned_and_well_formed() -> None:
    path = DATA / "claims_fresh6" / "fresh11.yaml"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == CLAIMS_FRESH11_SHA256
    items = _load(path)
    ids = [item["id"] for item in items]
    assert len(items) >= 40 and len(set(ids)) == len(ids)
    assert sum(1 for item in items if not item["labels"]) >= 15
    assert all(set(item) <= {"id", "ind", "ch", "labels", "ok", "why", "text"} for item in items)
    assert all(set(item["labels"]) | set(item.get("ok", [])) <= CODES for item in items)
    assert all(not set(item["labels"]) & set(item.get("ok", [])) for item in items)
