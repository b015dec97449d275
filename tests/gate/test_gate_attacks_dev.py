"""The development attack probes (tests/data/gate_attacks/dev.yaml, written after the held-out set's run) stay
stopped, and their legitimate look-alikes allowed, through bench/bench_gate_attacks.py's runner."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "bench_gate_attacks", ROOT / "bench" / "bench_gate_attacks.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_development_probes_are_stopped_and_their_look_alikes_allowed() -> None:
    summary = _bench().run_set(ROOT / "tests" / "data" / "gate_attacks" / "dev.yaml")
    assert summary.attacks >= 30 and summary.legit >= 5
    assert [r.case_id for r in summary.through] == []
    assert [r.case_id for r in summary.blocked] == []
    assert [r.case_id for r in summary.crashes] == []
