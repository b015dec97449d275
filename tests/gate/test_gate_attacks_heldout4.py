"""The seventh-round held-out gate attack set is pinned: its labels were written before it was ever run.

tests/data/gate_attacks/heldout4.yaml was written from the documentation only. Changing it would silently
change what the figures measured on it mean; a label thought wrong is reported, not edited. This test runs
no gate: it checks the file's sha256 and that it is well formed.
"""

from __future__ import annotations

from pathlib import Path

from gate_testlib import check_pinned_attack_set

SET = Path(__file__).resolve().parents[1] / "data" / "gate_attacks" / "heldout4.yaml"
PINNED_SHA256 = "c95a5dcbe159ca107fd2889a0b3a158bd61b552a834fb0d122ffda51345d420c"


def test_heldout4_attack_set_is_pinned_and_well_formed() -> None:
    check_pinned_attack_set(SET, PINNED_SHA256, min_attacks=150, min_legit=60, id_prefix="h4")
