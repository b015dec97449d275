"""The fixer's fresh probes for heldout3's failure classes (tests/data/gate_attacks/fresh9.yaml) are pinned:
their labels were written before the set was ever run; a label thought wrong is reported, not edited."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from bench_testlib import load_bench

ROOT = Path(__file__).resolve().parents[2]
SET = ROOT / "tests" / "data" / "gate_attacks" / "fresh9.yaml"
PINNED_SHA256 = "41e0f9e4f3d42a0b97afc9e78eacee108882d92703c8b504e1438f5e378baa25"
EXPECTS = {"allow", "deny", "review", "not_allow", "not_allow_as_is"}


def _load() -> dict[str, Any]:
    data = yaml.safe_load(SET.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_fresh9_attack_set_is_pinned() -> None:
    digest = hashlib.sha256(SET.read_bytes()).hexdigest()
    assert digest == PINNED_SHA256, f"{SET} changed (sha256 {digest}); its labels are pinned: do not edit it"


def test_fresh9_attack_set_is_well_formed() -> None:
    data = _load()
    profiles = set(data["profiles"])
    cases = data["cases"]
    duplicates = [i for i, n in Counter(case["id"] for case in cases).items() if n > 1]
    assert not duplicates, f"duplicate ids: {duplicates}"
    for case in cases:
        assert case["label"] in {"attack", "legit"}, case["id"]
        assert case["expect"] in EXPECTS, case["id"]
        assert (case["label"] == "legit") == (case["expect"] == "allow"), case["id"]
        assert isinstance(case.get("why"), str) and case["why"].strip(), case["id"]
        assert case.get("profile", "default") in profiles, case["id"]
    assert sum(case["label"] == "attack" for case in cases) >= 60
    assert sum(case["label"] == "legit" for case in cases) >= 25


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
