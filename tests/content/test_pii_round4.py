"""Fourth round of the personal-data recognisers (rt-addr4): the pin of its fresh cases
(tests/data/privacy_addresses/fresh5.yaml, written before the recognisers were changed) and a test per form
and per look-alike class that round added."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent.parent / "data"
FRESH5 = DATA / "privacy_addresses" / "fresh5.yaml"

#: Pinned in the commit that added the file, before any recogniser was changed for it.
FRESH5_SHA256 = "685d602b7d339b71156461340088cda3c47650d78c7851514a070e96e653be1a"


def test_fresh5_is_pinned_and_well_formed() -> None:
    assert hashlib.sha256(FRESH5.read_bytes()).hexdigest() == FRESH5_SHA256
    items: list[dict[str, Any]] = yaml.safe_load(FRESH5.read_text(encoding="utf-8"))
    assert [m["id"] for m in items] == list(range(1, len(items) + 1))
    for m in items:
        for span in m["pii"]:
            assert span["value"] in m["text"], m["id"]
    addresses = [m for m in items if any(s["kind"] == "postal_address" for s in m["pii"])]
    others = [m for m in items if m["pii"] and m not in addresses]
    clean = [m for m in items if not m["pii"] or all(s["kind"] == "person_name" for s in m["pii"])]
    assert len(addresses) >= 25 and len(others) >= 15 and len(clean) >= 35
