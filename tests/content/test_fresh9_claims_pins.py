"""Pin of the ninth-round development part written by rt-fix6claims before its fixes
(tests/data/claims_fresh5/fresh9.yaml; its header says how it was written).

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

CLAIMS_FRESH9_SHA256 = "566ed5e8b9b120a6f4b7aeb4fc2ef1d9dd24995e97d9bfd12ea372b7eb5ea0b9"
CODES = {"BR101", "BR105", "BR201", "BR202", "BR203", "BR204", "BR205", "BR206", "BR301"}


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_claims_fresh9_is_pinned_and_well_formed() -> None:
    path = DATA / "claims_fresh5" / "fresh9.yaml"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == CLAIMS_FRESH9_SHA256
    items = _load(path)
    ids = [item["id"] for item in items]
    assert len(items) >= 40 and len(set(ids)) == len(ids)
    assert sum(1 for item in items if not item["labels"]) >= 15
    assert all(set(item) <= {"id", "ind", "ch", "labels", "ok", "why", "text"} for item in items)
    assert all(set(item["labels"]) | set(item.get("ok", [])) <= CODES for item in items)
    assert all(not set(item["labels"]) & set(item.get("ok", [])) for item in items)
