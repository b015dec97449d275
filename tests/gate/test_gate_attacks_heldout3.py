"""The sixth-round held-out gate attack set is pinned: its labels were written before it was ever run.

tests/data/gate_attacks/heldout3.yaml was written from the documentation only. Changing it would silently
change what the figures measured on it mean; a label thought wrong is reported, not edited. This test runs
no gate: it checks the file's sha256 and that it is well formed.
"""

from __future__ import annotations

from pathlib import Path

from gate_testlib import check_pinned_attack_set

SET = Path(__file__).resolve().parents[1] / "data" / "gate_attacks" / "heldout3.yaml"
PINNED_SHA256 = "648df496c9cb5f61d7468cd75f6c9a1cfc879ef66174bd728f30e0fccce8617f"


def test_heldout3_attack_set_is_pinned_and_well_formed() -> None:
    check_pinned_attack_set(SET, PINNED_SHA256, min_attacks=110, min_legit=50, id_prefix="h3")
