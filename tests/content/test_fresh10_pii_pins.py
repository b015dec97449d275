"""Pin of the tenth set of fresh personal-data cases, `tests/data/privacy_fresh/fresh10.yaml`, written on 2026-12-07
(review rt-piiids) for the national identifiers and names the fourth held-out set left unread, before brandrail was run on any of it.

A changed file fails here: labels are not edited after measuring. This test only reads bytes and parses YAML.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml

FRESH10 = Path(__file__).resolve().parent.parent / "data" / "privacy_fresh" / "fresh10.yaml"

#: Pinned in the commit that added the set, before any run.
FRESH10_SHA256 = "9e57b4a87b4396cc38f5a3277dd4faaacb8f99622d542e91b62a72befcc4f293"


def _load() -> Any:
    return yaml.safe_load(FRESH10.read_text(encoding="utf-8"))


def test_privacy_fresh_fresh10_is_pinned() -> None:
    assert hashlib.sha256(FRESH10.read_bytes()).hexdigest() == FRESH10_SHA256


def test_privacy_fresh_fresh10_is_well_formed() -> None:
    items = _load()
    ids = [item["id"] for item in items]
    assert len(set(ids)) == len(ids) == 45
    assert all(set(item) == {"id", "loc", "text", "pii"} for item in items)
    with_pii = [item for item in items if item["pii"]]
    assert len(with_pii) == 29
    assert sum(len(item["pii"]) for item in with_pii) == 30
    for item in with_pii:
        for span in item["pii"]:
            start = item["text"].find(span["value"])
            assert start >= 0 and item["text"].find(span["value"], start + 1) < 0, (item["id"], span)
