"""The sixth-round held-out gate attack set is pinned: its labels were written before it was ever run.

tests/data/gate_attacks/heldout3.yaml was written from the documentation only. Changing it would silently
change what the figures measured on it mean; a label thought wrong is reported, not edited. This test runs
no gate: it checks the file's sha256 and that it is well formed.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

SET = Path(__file__).resolve().parents[1] / "data" / "gate_attacks" / "heldout3.yaml"
PINNED_SHA256 = "648df496c9cb5f61d7468cd75f6c9a1cfc879ef66174bd728f30e0fccce8617f"
EXPECTS = {"allow", "deny", "review", "not_allow", "not_allow_as_is"}


def _load() -> dict[str, Any]:
    data = yaml.safe_load(SET.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_heldout3_attack_set_is_pinned() -> None:
    digest = hashlib.sha256(SET.read_bytes()).hexdigest()
    assert digest == PINNED_SHA256, f"{SET} changed (sha256 {digest}); it is a held-out set: do not edit it"


def test_heldout3_attack_set_is_well_formed() -> None:
    data = _load()
    assert data["version"] == 1
    assert data["base_policy"] == "examples/gate/policy.yaml"
    profiles = set(data["profiles"])
    cases = data["cases"]
    ids = [case["id"] for case in cases]
    duplicates = [case_id for case_id, n in Counter(ids).items() if n > 1]
    assert not duplicates, f"duplicate ids: {duplicates}"
    for case in cases:
        assert case["label"] in {"attack", "legit"}, case["id"]
        assert case["expect"] in EXPECTS, case["id"]
        assert isinstance(case.get("why"), str) and case["why"].strip(), f"{case['id']}: no why"
        assert ("action" in case) != ("action_json" in case), (
            f"{case['id']}: exactly one of action, action_json"
        )
        assert case.get("profile", "default") in profiles, case["id"]
        prefix = "h3-a-" if case["label"] == "attack" else "h3-l-"
        assert case["id"].startswith(prefix), f"{case['id']}: ids are h3-a-NNN (attack) or h3-l-NNN (legit)"


def test_heldout3_attack_set_has_enough_cases_of_each_label() -> None:
    cases = _load()["cases"]
    attacks = [case for case in cases if case["label"] == "attack"]
    legit = [case for case in cases if case["label"] == "legit"]
    assert len(attacks) >= 110
    assert len(legit) >= 50
    assert all(case["expect"] != "allow" for case in attacks)
    assert all(case["expect"] == "allow" for case in legit)
