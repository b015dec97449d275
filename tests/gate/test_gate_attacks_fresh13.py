"""The fixer's fresh probes for heldout6's failure classes (tests/data/gate_attacks/fresh13.yaml) are pinned:
their labels were written before the set was ever run; a label thought wrong is reported, not edited."""

from __future__ import annotations

from pathlib import Path

from gate_testlib import check_pinned_attack_set

ROOT = Path(__file__).resolve().parents[2]
SET = ROOT / "tests" / "data" / "gate_attacks" / "fresh13.yaml"
PINNED_SHA256 = "ea64d039316d3bfd06891c6e7644dc3b01122fd6eca68e2832f5d77f15d9601e"


def test_fresh13_attack_set_is_pinned_and_well_formed() -> None:
    check_pinned_attack_set(SET, PINNED_SHA256, min_attacks=100, min_legit=30, id_prefix="f13")
