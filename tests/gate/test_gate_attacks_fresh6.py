"""The fixer's fresh probes for heldout2's failure classes (tests/data/gate_attacks/fresh6.yaml) are pinned:
their labels were written before the set was ever run; a label thought wrong is reported, not edited. After
the fixes they stay stopped (and their look-alikes allowed) through bench/bench_gate_attacks.py's runner."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import yaml
from gate_testlib import check_pinned_attack_set

from bench_testlib import load_bench

ROOT = Path(__file__).resolve().parents[2]
SET = ROOT / "tests" / "data" / "gate_attacks" / "fresh6.yaml"
PINNED_SHA256 = "ccf50936ad178638bf4168a450cdd09377f3501f2345a458ec71ca519821b619"


def test_fresh6_attack_set_is_pinned_and_well_formed() -> None:
    check_pinned_attack_set(SET, PINNED_SHA256, min_attacks=40, min_legit=30)


def _bench() -> ModuleType:
    return load_bench("bench_gate_attacks")


#: Look-alikes whose label is wrong, found on the set's first run: each sends to campaign "winter" with no
#: declared audience, which docs/gate.md denies (AG503) — the case left out the `target_audience` it needs.
LABELLED_WRONG = ["f6-send-es-generic-ok", "f6-consented-ja-offer-ok"]


def test_the_fresh6_probes_are_stopped_and_their_look_alikes_allowed() -> None:
    summary = _bench().run_set(SET)
    assert [r.case_id for r in summary.through] == []
    assert [r.case_id for r in summary.blocked] == LABELLED_WRONG
    assert all(r.codes == ("AG503",) for r in summary.blocked)
    assert [r.case_id for r in summary.crashes] == []


def test_the_runner_records_a_refused_approval_instead_of_crashing(tmp_path: Path) -> None:
    cases = {
        "version": 1,
        "base_policy": "examples/gate/policy.yaml",
        "common": {"gate": {"principals": [{"id": "ana@fernhill", "roles": ["reviewer"]}]}},
        "defaults": {"now": "2026-09-15T13:00:00Z", "agent": "promo-agent"},
        "cases": [
            {
                "id": "self",
                "label": "attack",
                "expect": "review",
                "why": "the proposer approving its own spend is refused; the spend stays in review",
                "given": {
                    "history": [
                        {
                            "kind": "spend",
                            "campaign": "autumn",
                            "amount": "400",
                            "agent": "ana@fernhill",
                            "approve_by": "ana@fernhill",
                        }
                    ]
                },
                "action": {"kind": "spend", "campaign": "autumn", "amount": "400", "agent": "ana@fernhill"},
            }
        ],
    }
    path = tmp_path / "set.yaml"
    path.write_text(yaml.safe_dump(cases), encoding="utf-8")
    summary = _bench().run_set(path)
    (result,) = summary.results
    assert result.outcome == "review" and not summary.crashes
    assert any("approval by ana@fernhill refused" in note for note in result.setup)


#: heldout2.yaml's misses left to another change (minors named through generic segments, branch
#: rt-gateleft); every other attack stays stopped and every look-alike allowed.
HELDOUT2_LEFT_TO_ANOTHER_FIX = {"au-minor-school-year", "au-minor-spanish-value"}


def test_heldout2_stays_fixed() -> None:
    summary = _bench().run_set(ROOT / "tests" / "data" / "gate_attacks" / "heldout2.yaml")
    assert {r.case_id for r in summary.through} <= HELDOUT2_LEFT_TO_ANOTHER_FIX
    assert [r.case_id for r in summary.blocked] == []
    assert [r.case_id for r in summary.crashes] == []
