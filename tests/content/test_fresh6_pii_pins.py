"""Pin of the sixth set of fresh personal-data cases, `tests/data/privacy_fresh/fresh6.yaml`, written on 2026-12-07
(review rt-fixpii) for the failure classes of the third held-out set, before brandrail was run on any of it.

A changed file fails here: labels are not edited after measuring. This test only reads bytes and parses YAML.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml

FRESH6 = Path(__file__).resolve().parent.parent / "data" / "privacy_fresh" / "fresh6.yaml"

#: Pinned in the commit that added the set, before any run.
FRESH6_SHA256 = "0e0b2b2b33af4b04779a770b3ea32040ee2d1d5b87452b9c2a022f2090af8ad6"


def _load() -> Any:
    return yaml.safe_load(FRESH6.read_text(encoding="utf-8"))


def test_privacy_fresh_fresh6_is_pinned() -> None:
    assert hashlib.sha256(FRESH6.read_bytes()).hexdigest() == FRESH6_SHA256


def test_privacy_fresh_fresh6_is_well_formed() -> None:
    items = _load()
    ids = [item["id"] for item in items]
    assert len(set(ids)) == len(ids) == 58
    assert all(set(item) == {"id", "loc", "text", "pii"} for item in items)
    with_pii = [item for item in items if item["pii"]]
    assert len(with_pii) == 34
    assert sum(len(item["pii"]) for item in with_pii) == 68
    for item in with_pii:
        for span in item["pii"]:
            start = item["text"].find(span["value"])
            assert start >= 0 and item["text"].find(span["value"], start + 1) < 0, (item["id"], span)
