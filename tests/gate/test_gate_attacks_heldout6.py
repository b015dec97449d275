"""The ninth-round held-out gate attack set is pinned: its labels were written before it was ever run.

tests/data/gate_attacks/heldout6.yaml was written from the documentation only. Changing it would silently
change what the figures measured on it mean; a label thought wrong is reported, not edited. This test runs
no gate: it checks the file's sha256 and that it is well formed.
"""

from __future__ import annotations

from pathlib import Path

from gate_testlib import check_pinned_attack_set

SET = Path(__file__).resolve().parents[1] / "data" / "gate_attacks" / "heldout6.yaml"
PINNED_SHA256 = "b31573d18ed15d52916b8e2b29e1a722dab18f21aade0525a6ea987b481f76ea"


def test_heldout6_attack_set_is_pinned_and_well_formed() -> None:
    check_pinned_attack_set(SET, PINNED_SHA256, min_attacks=250, min_legit=80, id_prefix="h6")
