"""The fresh probes for custom-action const/enum and for political parties named without the word for party
(tests/data/gate_attacks/parties_enums.yaml) are pinned: their labels were written before the set was ever
run; a label thought wrong is reported, not edited."""

from __future__ import annotations

from pathlib import Path

from gate_testlib import check_pinned_attack_set

from bench_testlib import load_bench

ROOT = Path(__file__).resolve().parents[2]
SET = ROOT / "tests" / "data" / "gate_attacks" / "parties_enums.yaml"
PINNED_SHA256 = "8198c4c5e85f77b52f1f4c222a1f7a3100d0c837c4bebaf0c998f1f19c952adb"


def test_parties_enums_set_is_pinned_and_well_formed() -> None:
    check_pinned_attack_set(SET, PINNED_SHA256, min_attacks=50, min_legit=30, id_prefix="pe")


def test_the_parties_enums_probes_are_stopped_and_their_look_alikes_allowed() -> None:
    summary = load_bench("bench_gate_attacks").run_set(SET)
    assert [r.case_id for r in summary.through] == []
    assert [r.case_id for r in summary.blocked] == []
    assert [r.case_id for r in summary.crashes] == []
