"""The eighth-round held-out gate attack set is pinned: its labels were written before it was ever run.

tests/data/gate_attacks/heldout5.yaml was written from the documentation only. Changing it would silently
change what the figures measured on it mean; a label thought wrong is reported, not edited. This test runs
no gate: it checks the file's sha256 and that it is well formed.
"""

from __future__ import annotations

from pathlib import Path

from gate_testlib import check_pinned_attack_set

SET = Path(__file__).resolve().parents[1] / "data" / "gate_attacks" / "heldout5.yaml"
PINNED_SHA256 = "a7d6768102438efa3be04f46896585e4a96064571234c29c796bfd05a6ea11e7"


def test_heldout5_attack_set_is_pinned_and_well_formed() -> None:
    check_pinned_attack_set(SET, PINNED_SHA256, min_attacks=200, min_legit=70, id_prefix="h5")
