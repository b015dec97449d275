"""Pin of the sixth fresh evasion set, written on 2026-12-07 by the helper fixing heldout5.yaml's misses (rt-fixev).

It holds new cases in the failure classes of heldout5.yaml (other words, letters and containers, and benign
look-alikes in about equal number), and its sha256 was taken when it was committed, before brandrail was run
on any of it and before the fixes of that round (see tests/data/evasion/README.md). A changed file fails here.
These tests only read bytes and parse YAML; they run no detector.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml

FOLDER = Path(__file__).resolve().parent.parent / "data" / "evasion"

EVASION_FRESH6_SHA256 = "4d05ff006df18b49d713381119564451e4c9b0e2d8cf2a0c4206492dd7fcc722"

CODES = {
    "BR101", "BR103", "BR105", "BR201", "BR202", "BR203", "BR206", "BR301", "BR303", "BR304",
    "BR601", "BR602", "BR901", "BR902", "PV101", "PV102", "PV103",
}  # fmt: skip


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_evasion_fresh6_is_pinned() -> None:
    path = FOLDER / "fresh6.yaml"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == EVASION_FRESH6_SHA256


def test_evasion_fresh6_is_well_formed() -> None:
    data = _load(FOLDER / "fresh6.yaml")
    assert data["policy"] == "policy2.yaml" and (FOLDER / data["policy"]).is_file()
    attacks, benign = data["attacks"], data["benign"]
    ids = [case["id"] for case in attacks + benign]
    assert len(set(ids)) == len(ids)
    assert all(case["id"].startswith("V") for case in attacks)
    assert all(case["id"].startswith("W") for case in benign)
    assert len(attacks) >= 40 and len(benign) >= 30
    assert len({case["family"] for case in attacks}) >= 14
    assert set(data["benign_forbid_default"]) <= CODES
    for case in attacks:
        assert case["kind"] in {"text", "markdown", "html"} and case["text"]
        assert case["expect"] and set(case["expect"]) <= CODES
        assert ("where" in case) == (case["attacks"] != "disclosure-faked"), case["id"]
        assert "where" not in case or case["where"] in case["text"], case["id"]
    for case in benign:
        assert case["kind"] in {"text", "markdown", "html"} and case["text"]
        assert set(case.get("forbid", [])) <= CODES
