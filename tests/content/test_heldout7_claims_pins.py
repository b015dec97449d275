"""Pins of the seventh round's claims and disclosures held-out set (tests/data/claims_fresh6), written on
2026-12-07 by a tester who had not read the rules' code.

Each file's sha256 was taken when it was committed, before brandrail was run on any of it (see the folder's
README.md). A changed file fails here: labels are not edited after measuring; a labelling mistake is corrected
in a commit of its own, listed under the README's "Adjudication", with the pin updated there.
These tests only read bytes and parse YAML; they run no detector.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

FOLDER = Path(__file__).resolve().parent.parent / "data" / "claims_fresh6"

CLAIMS_FRESH6_HELDOUT_SHA256 = "cfde11d9e532873d6dcf642ddd5a4b0fd7989e954c23087f2f8d135193cff129"
CLAIMS_FRESH6_POLICY_SHA256 = "e600f2c182175fa62f2c7325953f3e27ae824963e8e8bdc296899ec36876a380"

CODES = {"BR101", "BR105", "BR201", "BR202", "BR203", "BR204", "BR205", "BR206", "BR301"}
KEYS = {"id", "ind", "ch", "labels", "ok", "why", "text"}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_claims_fresh6_files_are_pinned() -> None:
    assert _sha256(FOLDER / "heldout.yaml") == CLAIMS_FRESH6_HELDOUT_SHA256
    assert _sha256(FOLDER / "policy.yaml") == CLAIMS_FRESH6_POLICY_SHA256


def test_claims_fresh6_heldout_is_well_formed() -> None:
    items = _load(FOLDER / "heldout.yaml")
    ids = [item["id"] for item in items]
    assert len(items) >= 160 and len(set(ids)) == len(ids)
    assert all(
        set(item) <= KEYS and {"id", "ind", "ch", "labels", "why", "text"} <= set(item) for item in items
    )
    assert all(set(item["labels"]) | set(item.get("ok", [])) <= CODES for item in items)
    assert all(not set(item.get("ok", [])) & set(item["labels"]) for item in items)
    assert all(item["text"].strip() and item["why"].strip() for item in items)
    clean = sum(1 for item in items if not item["labels"])
    assert 0.40 <= clean / len(items) <= 0.50
    per_code = Counter(code for item in items for code in item["labels"])
    assert set(per_code) == CODES and per_code["BR301"] >= 20
    assert len({item["ch"] for item in items}) >= 5


def test_claims_fresh6_policy_has_what_the_set_relies_on() -> None:
    policy = _load(FOLDER / "policy.yaml")
    assert policy["version"] == 1 and len(policy["terms"]["competitors"]) == 5
    substantiated = policy["claims"]["substantiated"]
    assert sum(1 for entry in substantiated if "expires" in entry) == 1
    required = policy["disclosures"]["required"]
    assert 3 <= len(required) <= 5 and all(entry["when"]["terms"] for entry in required)
    assert any(entry.get("verbatim") for entry in required)
    assert any(entry.get("position") == "end" for entry in required)
