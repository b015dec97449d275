"""Pin of the seventh-round development part written by rt-claims2 before its fixes
(tests/data/claims_fresh4/fresh7.yaml; its header says how it was written).

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

CLAIMS_FRESH7_SHA256 = "71d443b4c7b6b7ae53ca4c05236d13d21e41eea3b3fbc9012bf26fd7e0d53a29"


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_claims_fresh7_is_pinned_and_well_formed() -> None:
    path = DATA / "claims_fresh4" / "fresh7.yaml"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == CLAIMS_FRESH7_SHA256
    items = _load(path)
    ids = [item["id"] for item in items]
    assert len(items) >= 40 and len(set(ids)) == len(ids)
    assert sum(1 for item in items if not item["labels"]) >= 20
    assert all(set(item) <= {"id", "ind", "ch", "labels", "ok", "text"} for item in items)
