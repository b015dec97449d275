"""The fifth-round held-out gate attack set is pinned: its labels were written before it was ever run.

tests/data/gate_attacks/heldout2.yaml was written from the documentation only. Changing it would silently
change what the figures measured on it mean; a label thought wrong is reported, not edited. This test runs
no gate: it checks the file's sha256 and that it is well formed.
"""

from __future__ import annotations

from pathlib import Path

from gate_testlib import check_pinned_attack_set

SET = Path(__file__).resolve().parents[1] / "data" / "gate_attacks" / "heldout2.yaml"
PINNED_SHA256 = "66e449bf242004fce2d22855dcb9397ce17118c183f4a89d363ac35d0eeb4ce2"


def test_heldout2_attack_set_is_pinned_and_well_formed() -> None:
    check_pinned_attack_set(SET, PINNED_SHA256, min_attacks=90, min_legit=40)
