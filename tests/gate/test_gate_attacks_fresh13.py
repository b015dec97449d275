"""The fixer's fresh probes for heldout6's failure classes (tests/data/gate_attacks/fresh13.yaml) are pinned:
their labels were written before the set was ever run; a label thought wrong is reported, not edited."""

from __future__ import annotations

from pathlib import Path

from gate_testlib import check_pinned_attack_set

from bench_testlib import load_bench

ROOT = Path(__file__).resolve().parents[2]
SET = ROOT / "tests" / "data" / "gate_attacks" / "fresh13.yaml"
PINNED_SHA256 = "ea64d039316d3bfd06891c6e7644dc3b01122fd6eca68e2832f5d77f15d9601e"

#: A fault of the set, not of the gate: its four profiling look-alikes are marketing sends for the campaign
#: "dock-fair", for which the set declares no audience, so AG503 (with approvals.audience_size_over set in
#: examples/gate/policy.yaml) denies them before their content is read; for the same reason its fourteen
#: profiling attacks (f13-a-047..060) are stopped by AG503 and measure nothing about profiling. The class is
#: tested end to end in test_gate_f9gate_classes.py instead.
FRESH13_BLOCKED_BY_THE_SETS_OWN_FIXTURE = ["f13-l-016", "f13-l-017", "f13-l-018", "f13-l-019"]


def test_fresh13_attack_set_is_pinned_and_well_formed() -> None:
    check_pinned_attack_set(SET, PINNED_SHA256, min_attacks=100, min_legit=30, id_prefix="f13")


def test_the_fresh13_probes_are_stopped_and_their_look_alikes_allowed() -> None:
    summary = load_bench("bench_gate_attacks").run_set(SET)
    assert [r.case_id for r in summary.through] == []
    assert [r.case_id for r in summary.blocked] == FRESH13_BLOCKED_BY_THE_SETS_OWN_FIXTURE
    assert all(r.codes == ("AG503",) for r in summary.blocked)
    assert [r.case_id for r in summary.crashes] == []


def test_heldout6_stays_fixed() -> None:
    summary = load_bench("bench_gate_attacks").run_set(
        ROOT / "tests" / "data" / "gate_attacks" / "heldout6.yaml"
    )
    assert [r.case_id for r in summary.through] == []
    assert [r.case_id for r in summary.blocked] == []
    assert [r.case_id for r in summary.crashes] == []
