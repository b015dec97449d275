"""The fixer's fresh probes for heldout4's failure classes (tests/data/gate_attacks/fresh11.yaml) are pinned:
their labels were written before the set was ever run; a label thought wrong is reported, not edited."""

from __future__ import annotations

from pathlib import Path

from gate_testlib import check_pinned_attack_set

ROOT = Path(__file__).resolve().parents[2]
SET = ROOT / "tests" / "data" / "gate_attacks" / "fresh11.yaml"
PINNED_SHA256 = "018d9fd4a571ed8e6a78a2064b8c001c831c9a3865ca67fa442d8b0a3df691a9"


def test_fresh11_attack_set_is_pinned_and_well_formed() -> None:
    check_pinned_attack_set(SET, PINNED_SHA256, min_attacks=60, min_legit=25)
