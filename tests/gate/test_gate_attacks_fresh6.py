"""The fixer's fresh probes for heldout2's failure classes (tests/data/gate_attacks/fresh6.yaml) are pinned:
their labels were written before the set was ever run. A label thought wrong is reported, not edited."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

SET = Path(__file__).resolve().parents[1] / "data" / "gate_attacks" / "fresh6.yaml"
PINNED_SHA256 = "ccf50936ad178638bf4168a450cdd09377f3501f2345a458ec71ca519821b619"
EXPECTS = {"allow", "deny", "review", "not_allow", "not_allow_as_is"}


def _load() -> dict[str, Any]:
    data = yaml.safe_load(SET.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_fresh6_attack_set_is_pinned() -> None:
    digest = hashlib.sha256(SET.read_bytes()).hexdigest()
    assert digest == PINNED_SHA256, f"{SET} changed (sha256 {digest}); its labels are pinned: do not edit it"


def test_fresh6_attack_set_is_well_formed() -> None:
    data = _load()
    profiles = set(data["profiles"])
    cases = data["cases"]
    duplicates = [i for i, n in Counter(case["id"] for case in cases).items() if n > 1]
    assert not duplicates, f"duplicate ids: {duplicates}"
    for case in cases:
        assert case["label"] in {"attack", "legit"}, case["id"]
        assert case["expect"] in EXPECTS, case["id"]
        assert (case["label"] == "legit") == (case["expect"] == "allow"), case["id"]
        assert isinstance(case.get("why"), str) and case["why"].strip(), case["id"]
        assert case.get("profile", "default") in profiles, case["id"]
    assert sum(case["label"] == "attack" for case in cases) >= 40
    assert sum(case["label"] == "legit" for case in cases) >= 30
