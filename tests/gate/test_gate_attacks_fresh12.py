"""The fixer's fresh probes for heldout5's failure classes (tests/data/gate_attacks/fresh12.yaml) are pinned:
their labels were written before the set was ever run; a label thought wrong is reported, not edited."""

from __future__ import annotations

from pathlib import Path

from gate_testlib import check_pinned_attack_set

from bench_testlib import load_bench

ROOT = Path(__file__).resolve().parents[2]
SET = ROOT / "tests" / "data" / "gate_attacks" / "fresh12.yaml"
PINNED_SHA256 = "9d03f18ea0e33d4b3781490c3699c093c7b3558564921654dd776a975a11ea9f"

#: heldout5's one attack still let through: "favourite_sport: netball" on a jobs campaign, read by its tester
#: as a gender proxy; a sport is no protected attribute (a policy can list it in audience.proxy_attributes).
HELDOUT5_STILL_THROUGH = ["h5-a-288"]


def test_fresh12_attack_set_is_pinned_and_well_formed() -> None:
    check_pinned_attack_set(SET, PINNED_SHA256, min_attacks=50, min_legit=25, id_prefix="f12")


def test_the_fresh12_probes_are_stopped_and_their_look_alikes_allowed() -> None:
    summary = load_bench("bench_gate_attacks").run_set(SET)
    assert [r.case_id for r in summary.through] == []
    assert [r.case_id for r in summary.blocked] == []
    assert [r.case_id for r in summary.crashes] == []


def test_heldout5_stays_fixed() -> None:
    summary = load_bench("bench_gate_attacks").run_set(
        ROOT / "tests" / "data" / "gate_attacks" / "heldout5.yaml"
    )
    assert [r.case_id for r in summary.through] == HELDOUT5_STILL_THROUGH
    assert [r.case_id for r in summary.blocked] == []
    assert [r.case_id for r in summary.crashes] == []
