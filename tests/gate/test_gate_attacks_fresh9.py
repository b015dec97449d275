"""The fixer's fresh probes for heldout3's failure classes (tests/data/gate_attacks/fresh9.yaml) are pinned:
their labels were written before the set was ever run; a label thought wrong is reported, not edited."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
SET = ROOT / "tests" / "data" / "gate_attacks" / "fresh9.yaml"
PINNED_SHA256 = "41e0f9e4f3d42a0b97afc9e78eacee108882d92703c8b504e1438f5e378baa25"
EXPECTS = {"allow", "deny", "review", "not_allow", "not_allow_as_is"}


def _load() -> dict[str, Any]:
    data = yaml.safe_load(SET.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_fresh9_attack_set_is_pinned() -> None:
    digest = hashlib.sha256(SET.read_bytes()).hexdigest()
    assert digest == PINNED_SHA256, f"{SET} changed (sha256 {digest}); its labels are pinned: do not edit it"


def test_fresh9_attack_set_is_well_formed() -> None:
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
    assert sum(case["label"] == "attack" for case in cases) >= 60
    assert sum(case["label"] == "legit" for case in cases) >= 25
