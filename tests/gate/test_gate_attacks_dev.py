"""The development attack probes (tests/data/gate_attacks/dev.yaml, written after the held-out set's run) stay
stopped, and their legitimate look-alikes allowed, through bench/bench_gate_attacks.py's runner."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from bench_testlib import load_bench

ROOT = Path(__file__).resolve().parents[2]


def _bench() -> ModuleType:
    return load_bench("bench_gate_attacks")


def test_the_development_probes_are_stopped_and_their_look_alikes_allowed() -> None:
    summary = _bench().run_set(ROOT / "tests" / "data" / "gate_attacks" / "dev.yaml")
    assert summary.attacks >= 30 and summary.legit >= 5
    assert [r.case_id for r in summary.through] == []
    assert [r.case_id for r in summary.blocked] == []
    assert [r.case_id for r in summary.crashes] == []
