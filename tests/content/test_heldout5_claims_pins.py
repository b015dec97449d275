"""Pins of the fifth round's claims and disclosures held-out sets, written on 2026-12-07 by a tester who had
not read the rules' code.

Each file's sha256 was taken when it was committed, before brandrail was run on any of it (see the folders'
README.md files). A changed file fails here: labels are not edited after measuring; a labelling mistake is
corrected in a commit of its own, listed under the README's "Adjudication", with the pin updated there.
These tests only read bytes and parse YAML; they run no detector.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent.parent / "data"

CLAIMS_FRESH4_HELDOUT_SHA256 = "92c1b66d6a77e6af6eb45dee4f9d584fe08169b8ec6c7bde86b8e0cd3ec67935"
CLAIMS_FRESH4_POLICY_SHA256 = "6feb5dc96862fa4f478034a7fd295d86ba8cc5cab08179417482be2727b37d16"
DISCLOSURES_HELDOUT5_SHA256 = "ab348f0bf72b4b002e238bfd103f2ac66ed198c0296b612bb402e8d35476e851"

CLAIM_CODES = {"BR101", "BR105", "BR201", "BR202", "BR203", "BR204", "BR205", "BR206"}
DISCLOSURE_CODES = {f"BR30{n}" for n in range(1, 9)} | {"BR601", "BR602"}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_claims_fresh4_heldout_and_policy_are_pinned_and_well_formed() -> None:
    folder = DATA / "claims_fresh4"
    assert _sha256(folder / "heldout.yaml") == CLAIMS_FRESH4_HELDOUT_SHA256
    assert _sha256(folder / "policy.yaml") == CLAIMS_FRESH4_POLICY_SHA256
    items = _load(folder / "heldout.yaml")
    ids = [item["id"] for item in items]
    assert len(items) >= 120 and len(set(ids)) == len(ids)
    assert all(set(item) <= {"id", "ind", "ch", "labels", "ok", "text"} for item in items)
    assert all(set(item["labels"]) <= CLAIM_CODES for item in items)
    assert all(not set(item.get("ok", [])) & set(item["labels"]) for item in items)
    violating = sum(1 for item in items if item["labels"])
    assert violating >= 50 and len(items) - violating >= 50
    assert len({item["ch"] for item in items}) >= 5
    policy = _load(folder / "policy.yaml")
    assert policy["version"] == 1 and policy["terms"]["competitors"]


def test_disclosures_heldout5_is_pinned_and_well_formed() -> None:
    path = DATA / "disclosures_fresh" / "heldout5.yaml"
    assert _sha256(path) == DISCLOSURES_HELDOUT5_SHA256
    items = _load(path)
    ids = [item["id"] for item in items]
    assert len(items) >= 120 and len(set(ids)) == len(ids)
    assert all(set(item["labels"]) <= DISCLOSURE_CODES for item in items)
    langs = Counter(item["lang"] for item in items)
    assert len(langs) >= 4 and min(langs.values()) >= 25
    assert all(item.get("scope") in (None, "notice") for item in items)
    assert all("BR308" in item["labels"] for item in items if item.get("scope") == "notice")
