"""Pin of the ninth set of fresh personal-data cases, `tests/data/privacy_fresh/fresh9.yaml`, written on 2026-12-07
(review rt-fix6pii) for the failure classes of the fourth held-out set, before brandrail was run on any of it.

A changed file fails here: labels are not edited after measuring. This test only reads bytes and parses YAML.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml

FRESH9 = Path(__file__).resolve().parent.parent / "data" / "privacy_fresh" / "fresh9.yaml"

#: Pinned in the commit that added the set, before any run.
FRESH9_SHA256 = "c74b41b5d841d5486d5faea6cf081b5a016eef599399e90219dfa4f46d59dd64"


def _load() -> Any:
    return yaml.safe_load(FRESH9.read_text(encoding="utf-8"))


def test_privacy_fresh_fresh9_is_pinned() -> None:
    assert hashlib.sha256(FRESH9.read_bytes()).hexdigest() == FRESH9_SHA256


def test_privacy_fresh_fresh9_is_well_formed() -> None:
    items = _load()
    ids = [item["id"] for item in items]
    assert len(set(ids)) == len(ids) == 49
    assert all(set(item) == {"id", "loc", "text", "pii"} for item in items)
    with_pii = [item for item in items if item["pii"]]
    assert len(with_pii) == 31
    assert sum(len(item["pii"]) for item in with_pii) == 32
    for item in with_pii:
        for span in item["pii"]:
            start = item["text"].find(span["value"])
            assert start >= 0 and item["text"].find(span["value"], start + 1) < 0, (item["id"], span)
