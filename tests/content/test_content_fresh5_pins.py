"""Pins of the fifth-round development parts written by rt-cl4 before its fixes (tests/data/disclosures_fresh/
fresh5.yaml, tests/data/claims_fresh3/fresh5.yaml; the folders' README.md say how they were written).

Each file's sha256 was taken when it was written, before the rules were changed for it. A changed file fails
here: labels are not edited after measuring. These tests only read bytes and parse YAML; they run no detector.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent.parent / "data"

DISCLOSURES_FRESH5_SHA256 = "17663c9bf89980595470e6d5bed632f3da613c11c319093de950a647fbb60ccf"
CLAIMS_FRESH5_SHA256 = "2b96ef0f8cdfff8b1a262ac6a8fcaf221cabdb7fa6cbe52731bc3520ced42c3b"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_disclosures_fresh5_is_pinned_and_well_formed() -> None:
    path = DATA / "disclosures_fresh" / "fresh5.yaml"
    assert _sha256(path) == DISCLOSURES_FRESH5_SHA256
    items = _load(path)
    ids = [item["id"] for item in items]
    assert len(items) >= 30 and len(set(ids)) == len(ids)
    assert sum(1 for item in items if not item["labels"]) >= 12
    assert {item["lang"] for item in items} == {"en", "de", "fr", "es"}


def test_claims_fresh5_is_pinned_and_well_formed() -> None:
    path = DATA / "claims_fresh3" / "fresh5.yaml"
    assert _sha256(path) == CLAIMS_FRESH5_SHA256
    items = _load(path)
    ids = [item["id"] for item in items]
    assert len(items) >= 30 and len(set(ids)) == len(ids)
    assert sum(1 for item in items if not item["labels"]) >= 12
    assert all(set(item) <= {"id", "ind", "ch", "labels", "ok", "text"} for item in items)


def test_disclosures_fresh5_every_label_fires_and_nothing_else() -> None:
    """The fifth disclosures part (development data): each labelled code fires on its message and no scored
    code fires on a clean look-alike (runs the detector; the pins above only read bytes)."""
    import sys

    sys.path.insert(0, str(DATA.parent.parent / "bench"))
    from bench_content_disclosures import fired, load

    items = load("fresh5")
    got = fired(items, "heldout2.policy.yaml")
    wrong = {
        m["id"]: (sorted(m["labels"]), sorted(got[m["id"]]))
        for m in items
        if set(m["labels"]) != got[m["id"]]
    }
    assert not wrong, wrong


def test_claims_fresh5_every_label_fires_and_nothing_else() -> None:
    """The fifth claims part (development data): no disagreement with its labels."""
    from test_content_claims_quality import evaluate

    _, errors = evaluate(DATA / "claims_fresh3" / "fresh5.yaml")
    assert not errors, errors
