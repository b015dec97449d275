"""The fixer's fresh probes for heldout3's failure classes (tests/data/gate_attacks/fresh9.yaml) are pinned:
their labels were written before the set was ever run; a label thought wrong is reported, not edited."""

from __future__ import annotations

from pathlib import Path

from gate_testlib import attack_set_problems, check_pinned_attack_set, pinned_attack_set

from bench_testlib import load_bench

ROOT = Path(__file__).resolve().parents[2]
SET = ROOT / "tests" / "data" / "gate_attacks" / "fresh9.yaml"
PINNED_SHA256 = "41e0f9e4f3d42a0b97afc9e78eacee108882d92703c8b504e1438f5e378baa25"


def test_fresh9_attack_set_is_pinned_and_well_formed() -> None:
    check_pinned_attack_set(SET, PINNED_SHA256, min_attacks=60, min_legit=25)


def test_the_fresh9_probes_are_stopped_and_their_look_alikes_allowed() -> None:
    summary = load_bench("bench_gate_attacks").run_set(SET)
    assert [r.case_id for r in summary.through] == []
    assert [r.case_id for r in summary.blocked] == []
    assert [r.case_id for r in summary.crashes] == []


#: heldout3.yaml's one label the documented behaviour does not support: a discount sent as the text "30"
#: is plain digits, which docs/gate.md reads as the number 30 ("a JSON number, or text of plain ASCII digits
#: with at most two decimals"), so the action is not malformed; it is over discount_change_over (25) and
#: goes to a human (review), not the deny the label expects. It is stopped either way.
HELDOUT3_LABELLED_WRONG = ["h3-a-055"]


def test_heldout3_stays_fixed() -> None:
    summary = load_bench("bench_gate_attacks").run_set(
        ROOT / "tests" / "data" / "gate_attacks" / "heldout3.yaml"
    )
    assert [r.case_id for r in summary.through] == []
    assert [r.case_id for r in summary.blocked] == []
    assert [r.case_id for r in summary.crashes] == []
    assert [r.case_id for r in summary.label_diff] == HELDOUT3_LABELLED_WRONG


def test_the_well_formed_check_finds_a_bad_case() -> None:
    data = pinned_attack_set(SET, PINNED_SHA256)
    bad = {**data, "cases": [*data["cases"], {**data["cases"][0], "label": "legit", "why": " "}]}
    problems = attack_set_problems(bad)
    assert any("duplicate id" in p for p in problems) and any("no why" in p for p in problems)
    assert any("a legit case expects deny" in p for p in problems)
