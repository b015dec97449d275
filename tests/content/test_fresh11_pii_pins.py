"""Pin of the eleventh set of fresh personal-data cases, `tests/data/privacy_fresh/fresh11.yaml`, written on 2026-12-07
(review rt-f7pii) for the failure classes of the fifth held-out set, before brandrail was run on any of it.

A changed file fails here: labels are not edited after measuring. This test only reads bytes and parses YAML.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml

FRESH11 = Path(__file__).resolve().parent.parent / "data" / "privacy_fresh" / "fresh11.yaml"

#: Pinned in the commit that added the set, before any run.
FRESH11_SHA256 = "47f041a023047e91ca2ac5e539202a613e03409594ab4ec573bb5c3c52aa1314"


def _load() -> Any:
    return yaml.safe_load(FRESH11.read_text(encoding="utf-8"))


def test_privacy_fresh_fresh11_is_pinned() -> None:
    assert hashlib.sha256(FRESH11.read_bytes()).hexdigest() == FRESH11_SHA256


def test_privacy_fresh_fresh11_is_well_formed() -> None:
    items = _load()
    ids = [item["id"] for item in items]
    assert len(set(ids)) == len(ids) == 48
    assert all(set(item) == {"id", "loc", "text", "pii"} for item in items)
    with_pii = [item for item in items if item["pii"]]
    assert len(with_pii) == 33
    assert sum(len(item["pii"]) for item in with_pii) == 36
    for item in with_pii:
        for span in item["pii"]:
            start = item["text"].find(span["value"])
            assert start >= 0 and item["text"].find(span["value"], start + 1) < 0, (item["id"], span)
