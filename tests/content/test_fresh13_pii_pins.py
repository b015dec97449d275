"""Pin of the thirteenth set of fresh personal-data cases, `tests/data/privacy_fresh/fresh13.yaml`, written on 2026-12-07
(review rt-f9pii) for the failure classes of the seventh held-out set, before brandrail was run on any of it.

A changed file fails here: labels are not edited after measuring. This test only reads bytes and parses YAML.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml

FRESH13 = Path(__file__).resolve().parent.parent / "data" / "privacy_fresh" / "fresh13.yaml"

#: Pinned in the commit that added the set, before any run.
FRESH13_SHA256 = "1e1d7a3d5615835360aa60b5a9ad1b37f030c860f3afb640d148a8fefb684b53"


def _load() -> Any:
    return yaml.safe_load(FRESH13.read_text(encoding="utf-8"))


def test_privacy_fresh_fresh13_is_pinned() -> None:
    assert hashlib.sha256(FRESH13.read_bytes()).hexdigest() == FRESH13_SHA256


def test_privacy_fresh_fresh13_is_well_formed() -> None:
    items = _load()
    ids = [item["id"] for item in items]
    assert ids == list(range(1, len(items) + 1)) and len(items) == 59
    assert all(set(item) == {"id", "loc", "text", "pii"} for item in items)
    with_pii = [item for item in items if item["pii"]]
    assert [item["id"] for item in with_pii] == list(range(1, 44))
    assert sum(len(item["pii"]) for item in with_pii) == 45
    for item in with_pii:
        for span in item["pii"]:
            start = item["text"].find(span["value"])
            assert start >= 0 and item["text"].find(span["value"], start + 1) < 0, (item["id"], span)
