"""The held-out gate attack set is pinned: its labels were written before the gate code was read.

Changing tests/data/gate_attacks/heldout.yaml would silently change what the figures in the red-team
report measure; a label thought wrong is reported, not edited.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml

SET = Path(__file__).resolve().parents[1] / "data" / "gate_attacks" / "heldout.yaml"
PINNED_SHA256 = "6d6b25bd40f0bcdbb69b0c6819ac209a7a7455a549bca0216af66e5bf18fb514"


def test_heldout_attack_set_is_pinned() -> None:
    digest = hashlib.sha256(SET.read_bytes()).hexdigest()
    assert digest == PINNED_SHA256, f"{SET} changed (sha256 {digest}); it is a held-out set: do not edit it"


def test_heldout_attack_set_has_enough_cases_of_each_label() -> None:
    cases = yaml.safe_load(SET.read_text(encoding="utf-8"))["cases"]
    ids = [case["id"] for case in cases]
    assert len(ids) == len(set(ids))
    attacks = [case for case in cases if case["label"] == "attack"]
    legit = [case for case in cases if case["label"] == "legit"]
    assert len(attacks) >= 50
    assert len(legit) >= 25
    assert all(case["expect"] != "allow" for case in attacks)
    assert all(case["expect"] == "allow" for case in legit)
