"""Pin of the ninth fresh evasion set, written on 2026-12-07 by the helper fixing heldout6.yaml's misses (rt-fix6eva).

It holds new cases in the failure classes of heldout6.yaml (letter-like punctuation inside a word, words
written without vowels, derivations of a banned word, vertical letters, new CSS and markup hiding inside a
word), with other words, characters and containers than heldout6.yaml, and benign look-alikes. Its sha256 was
taken when it was committed, before brandrail was run on any of it and before the fixes of that round (see
tests/data/evasion/README.md). A changed file fails here. These tests only read bytes and parse YAML; they run
no detector.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml

FOLDER = Path(__file__).resolve().parent.parent / "data" / "evasion"

EVASION_FRESH9_SHA256 = "137c970f1ee06ba13dbcdfe0ff6197d5d3788f8ceaa4afb2acd83475c1048761"

CODES = {
    "BR101", "BR103", "BR105", "BR201", "BR202", "BR203", "BR206", "BR301", "BR303", "BR304",
    "BR601", "BR602", "BR901", "BR902", "PV101", "PV102", "PV103",
}  # fmt: skip


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_evasion_fresh9_is_pinned() -> None:
    path = FOLDER / "fresh9.yaml"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == EVASION_FRESH9_SHA256


def test_evasion_fresh9_is_well_formed() -> None:
    data = _load(FOLDER / "fresh9.yaml")
    assert data["policy"] == "policy2.yaml" and (FOLDER / data["policy"]).is_file()
    attacks, benign = data["attacks"], data["benign"]
    ids = [case["id"] for case in attacks + benign]
    assert len(set(ids)) == len(ids)
    assert all(case["id"].startswith("F") for case in attacks)
    assert all(case["id"].startswith("G") for case in benign)
    assert len(attacks) >= 25 and len(benign) >= 20
    assert set(data["benign_forbid_default"]) <= CODES
    for case in attacks:
        assert case["kind"] in {"text", "markdown", "html"} and case["text"], case["id"]
        assert case["expect"] and set(case["expect"]) <= CODES, case["id"]
        assert case["where"] in case["text"], case["id"]
        assert case["why"], case["id"]
    for case in benign:
        assert case["kind"] in {"text", "markdown", "html"} and case["text"], case["id"]
        assert set(case.get("forbid", [])) <= CODES, case["id"]
        assert case["why"], case["id"]
