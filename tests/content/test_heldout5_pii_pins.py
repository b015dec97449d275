"""Pin of the fifth round's held-out personal-data set, written on 2026-12-07 (review rt-t5pii) by a tester who
had not read the recognisers' code: `tests/data/privacy_fresh/heldout3.yaml`.

Its sha256 was taken when it was committed, before brandrail was run on any of it (see the folder's README.md,
"Third held-out set"). A changed file fails here: labels are not edited after measuring; a labelling mistake is
corrected in a commit of its own, listed in the README, with the pin updated there. This test only reads bytes
and parses YAML; it runs no detector.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent.parent / "data"
HELDOUT3 = DATA / "privacy_fresh" / "heldout3.yaml"

#: Pinned in the commit that added the set, before any run.
HELDOUT3_SHA256 = "acc2f25aa5735393b922ed7f6d14d52ef81baafbe3e668896d42f4a94fc30f5e"

#: brandrail's personal-data kind names as docs/content.md lists them (`privacy.detect` and PV112).
KINDS = {
    "email",
    "phone",
    "card",
    "iban",
    "national_id",
    "ip",
    "passport",
    "driving_licence",
    "bank_account",
    "crypto_wallet",
    "mac_address",
    "date_of_birth",
    "postal_address",
    "person_name",
}


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_privacy_fresh_heldout3_is_pinned() -> None:
    assert hashlib.sha256(HELDOUT3.read_bytes()).hexdigest() == HELDOUT3_SHA256


def test_privacy_fresh_heldout3_is_well_formed() -> None:
    items = _load(HELDOUT3)
    ids = [item["id"] for item in items]
    assert len(set(ids)) == len(ids) == 108
    assert all(set(item) == {"id", "loc", "text", "pii"} for item in items)
    with_pii = [item for item in items if item["pii"]]
    assert len(with_pii) == 77 and len(items) - len(with_pii) == 31
    spans = [span for item in with_pii for span in item["pii"]]
    assert len(spans) == 269
    assert {span["kind"] for span in spans} <= KINDS
    for item in with_pii:
        for span in item["pii"]:
            # each labelled value occurs exactly once, so its offsets are unambiguous
            start = item["text"].find(span["value"])
            assert start >= 0 and item["text"].find(span["value"], start + 1) < 0, (item["id"], span)
            assert item["text"][start : start + len(span["value"])] == span["value"]
    assert len({item["loc"] for item in items}) >= 45
    kinds = Counter(span["kind"] for span in spans)
    assert kinds["phone"] == 63 and kinds["national_id"] == 47 and kinds["postal_address"] == 26
