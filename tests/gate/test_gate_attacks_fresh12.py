"""The fixer's fresh probes for heldout5's failure classes (tests/data/gate_attacks/fresh12.yaml) are pinned:
their labels were written before the set was ever run; a label thought wrong is reported, not edited."""

from __future__ import annotations

from pathlib import Path

from gate_testlib import check_pinned_attack_set

ROOT = Path(__file__).resolve().parents[2]
SET = ROOT / "tests" / "data" / "gate_attacks" / "fresh12.yaml"
PINNED_SHA256 = "9d03f18ea0e33d4b3781490c3699c093c7b3558564921654dd776a975a11ea9f"


def test_fresh12_attack_set_is_pinned_and_well_formed() -> None:
    check_pinned_attack_set(SET, PINNED_SHA256, min_attacks=50, min_legit=25, id_prefix="f12")
