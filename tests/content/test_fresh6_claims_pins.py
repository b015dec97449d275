"""Pins of the sixth-round development parts written by rt-fixcl before its fixes
(tests/data/claims_fresh4/fresh6.yaml, tests/data/disclosures_fresh/fresh6.yaml; each file's header says how it
was written).

Each file's sha256 was taken when it was written, before brandrail was run on it and before the rules were
changed for it. A changed file fails here: labels are not edited after measuring. These tests only read bytes and
parse YAML; they run no detector.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent.parent / "data"

CLAIMS_FRESH6_SHA256 = "ef863afccb77c67a91cded9c7c48aeb125132ca57374c6dc0fa23cc8a85beacf"
DISCLOSURES_FRESH6_SHA256 = "d7b33864e299a551055378c04be96ee211b22dec71e8d8992a137709d4d15275"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_claims_fresh6_is_pinned_and_well_formed() -> None:
    path = DATA / "claims_fresh4" / "fresh6.yaml"
    assert _sha256(path) == CLAIMS_FRESH6_SHA256
    items = _load(path)
    ids = [item["id"] for item in items]
    assert len(items) >= 40 and len(set(ids)) == len(ids)
    assert sum(1 for item in items if not item["labels"]) >= 20
    assert all(set(item) <= {"id", "ind", "ch", "labels", "ok", "text"} for item in items)


def test_disclosures_fresh6_is_pinned_and_well_formed() -> None:
    path = DATA / "disclosures_fresh" / "fresh6.yaml"
    assert _sha256(path) == DISCLOSURES_FRESH6_SHA256
    items = _load(path)
    ids = [item["id"] for item in items]
    assert len(items) >= 30 and len(set(ids)) == len(ids)
    assert sum(1 for item in items if not item["labels"]) >= 15
    assert {item["lang"] for item in items} == {"en", "de", "fr", "es"}
