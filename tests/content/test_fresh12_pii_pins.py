"""Pin of the twelfth set of fresh personal-data cases, `tests/data/privacy_fresh/fresh12.yaml`, written on 2026-12-07
(review rt-f8pii) for the failure classes of the sixth held-out set, before brandrail was run on any of it.

A changed file fails here: labels are not edited after measuring. This test only reads bytes and parses YAML.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml

FRESH12 = Path(__file__).resolve().parent.parent / "data" / "privacy_fresh" / "fresh12.yaml"

#: Pinned in the commit that added the set, before any run.
FRESH12_SHA256 = "3729b2463fb9c566f91ffdb5718efb9eaa954238cffdc45ead43bc2a2142c2a4"


def _load() -> Any:
    return yaml.safe_load(FRESH12.read_text(encoding="utf-8"))


def test_privacy_fresh_fresh12_is_pinned() -> None:
    assert hashlib.sha256(FRESH12.read_bytes()).hexdigest() == FRESH12_SHA256


def test_privacy_fresh_fresh12_is_well_formed() -> None:
    items = _load()
    ids = [item["id"] for item in items]
    assert ids == list(range(1, len(items) + 1)) and len(items) == 56
    assert all(set(item) == {"id", "loc", "text", "pii"} for item in items)
    with_pii = [item for item in items if item["pii"]]
    assert [item["id"] for item in with_pii] == list(range(1, 40))
    assert sum(len(item["pii"]) for item in with_pii) == 44
    for item in with_pii:
        for span in item["pii"]:
            start = item["text"].find(span["value"])
            assert start >= 0 and item["text"].find(span["value"], start + 1) < 0, (item["id"], span)
