"""The fixer's fresh probes for heldout4's failure classes (tests/data/gate_attacks/fresh11.yaml) are pinned:
their labels were written before the set was ever run; a label thought wrong is reported, not edited."""

from __future__ import annotations

from pathlib import Path

from gate_testlib import check_pinned_attack_set

from bench_testlib import load_bench

ROOT = Path(__file__).resolve().parents[2]
SET = ROOT / "tests" / "data" / "gate_attacks" / "fresh11.yaml"
PINNED_SHA256 = "018d9fd4a571ed8e6a78a2064b8c001c831c9a3865ca67fa442d8b0a3df691a9"

#: The one probe still let through: "आयु" (age in Hindi) loses its vowel sign in canonical form and becomes
#: "आय" (income), so it is not read as age (reading it would refuse income bands as ages).
FRESH11_STILL_THROUGH: list[str] = []  # "आयु" (age) is read as written since 2026-12-07


def test_fresh11_attack_set_is_pinned_and_well_formed() -> None:
    check_pinned_attack_set(SET, PINNED_SHA256, min_attacks=60, min_legit=25)


def test_the_fresh11_probes_are_stopped_and_their_look_alikes_allowed() -> None:
    summary = load_bench("bench_gate_attacks").run_set(SET)
    assert [r.case_id for r in summary.through] == FRESH11_STILL_THROUGH
    assert [r.case_id for r in summary.blocked] == []
    assert [r.case_id for r in summary.crashes] == []


def test_heldout4_stays_fixed() -> None:
    summary = load_bench("bench_gate_attacks").run_set(
        ROOT / "tests" / "data" / "gate_attacks" / "heldout4.yaml"
    )
    assert [r.case_id for r in summary.through] == []
    assert [r.case_id for r in summary.blocked] == []
    assert [r.case_id for r in summary.crashes] == []
    assert [r.case_id for r in summary.label_diff] == []
