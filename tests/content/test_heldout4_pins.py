"""Pins of the fourth round of held-out sets, written on 2026-12-07 by a tester who had not read the rules' code.

Each file's sha256 was taken when it was committed, before brandrail was run on any of it (see the folders'
README.md files). A changed file fails here: labels are not edited after measuring; a labelling mistake is
corrected in a commit of its own, listed under the README's "Adjudication", with the pin updated there.
These tests only read bytes and parse YAML; they run no detector.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent.parent / "data"

DISCLOSURES_HELDOUT4_SHA256 = "837588b17e9906c1a6046688cbe1e50f2431e4934d2eff3ea90b4d4363beebdd"
EVASION_HELDOUT4_SHA256 = "2639a84b88ba4f699021db36cdbe469683f73d42140a1acf0ee950e99bd7557a"
CLAIMS_FRESH3_HELDOUT_SHA256 = "4bd6489300f1c602f086ae5c6e7a499b23255254959ea8c4d401034654917b12"
CLAIMS_FRESH3_POLICY_SHA256 = "a15e7f8946be443422f2eaa7aad83a46582b2e01d57711d154597a6be46c3d96"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_disclosures_heldout4_is_pinned_and_well_formed() -> None:
    path = DATA / "disclosures_fresh" / "heldout4.yaml"
    assert _sha256(path) == DISCLOSURES_HELDOUT4_SHA256
    items = _load(path)
    ids = [item["id"] for item in items]
    assert len(items) >= 120 and len(set(ids)) == len(ids)
    assert len({item["lang"] for item in items}) >= 4


def test_evasion_heldout4_is_pinned_and_well_formed() -> None:
    path = DATA / "evasion" / "heldout4.yaml"
    assert _sha256(path) == EVASION_HELDOUT4_SHA256
    data = _load(path)
    attacks, benign = data["attacks"], data["benign"]
    ids = [case["id"] for case in attacks + benign]
    assert len(set(ids)) == len(ids)
    assert all(case["id"].startswith("P") for case in attacks)
    assert all(case["id"].startswith("Q") for case in benign)
    assert len(attacks) >= 60 and len(benign) >= 30
    assert len({case["family"] for case in attacks}) >= 15
    assert all(case["where"] in case["text"] for case in attacks if "where" in case)


def test_claims_fresh3_heldout_and_policy_are_pinned() -> None:
    folder = DATA / "claims_fresh3"
    assert _sha256(folder / "heldout.yaml") == CLAIMS_FRESH3_HELDOUT_SHA256
    assert _sha256(folder / "policy.yaml") == CLAIMS_FRESH3_POLICY_SHA256
    items = _load(folder / "heldout.yaml")
    ids = [item["id"] for item in items]
    assert len(items) >= 110 and len(set(ids)) == len(ids)
    clean = sum(1 for item in items if not item["labels"])
    assert 0.3 <= clean / len(items) <= 0.5
