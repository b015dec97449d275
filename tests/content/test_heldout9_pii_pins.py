"""Pin of the ninth round's held-out personal-data set, written on 2026-12-07 (review rt-t9pii) by a tester who
had not read the recognisers' code, the benchmark or other tests: `tests/data/privacy_fresh/heldout7.yaml`.

Its sha256 was taken when it was committed, before brandrail was run on any of it (see the folder's README.md,
"Seventh held-out set"). A changed file fails here: labels are not edited after measuring; a labelling mistake is
corrected in a commit of its own, listed in the README, with the pin updated there. This test only reads bytes
and parses YAML; it runs no detector.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

# the kind names docs/content.md lists, and the YAML reader, as the fifth round's pin test states them
from test_heldout5_pii_pins import KINDS, _load

DATA = Path(__file__).resolve().parent.parent / "data"
HELDOUT7 = DATA / "privacy_fresh" / "heldout7.yaml"

#: Pinned in the commit that added the set, before any run.
HELDOUT7_SHA256 = "13810ed28e07f9247bdeba6d5fc088656a59f73bb2d946ec8143614944a39c86"


def test_privacy_fresh_heldout7_is_pinned() -> None:
    assert hashlib.sha256(HELDOUT7.read_bytes()).hexdigest() == HELDOUT7_SHA256


def test_privacy_fresh_heldout7_is_well_formed() -> None:
    items = _load(HELDOUT7)
    ids = [item["id"] for item in items]
    assert ids == list(range(1, len(items) + 1)) and len(items) == 171
    assert all(set(item) == {"id", "loc", "text", "pii"} for item in items)
    assert all(isinstance(item["loc"], str) and isinstance(item["text"], str) for item in items)
    with_pii = [item for item in items if item["pii"]]
    assert len(with_pii) == 126 and len(items) - len(with_pii) == 45
    # the messages with personal data come first (ids 1-126), the look-alikes after them
    assert [item["id"] for item in with_pii] == list(range(1, 127))
    spans = [span for item in with_pii for span in item["pii"]]
    assert len(spans) == 292
    assert {span["kind"] for span in spans} <= KINDS
    for item in with_pii:
        for span in item["pii"]:
            # each labelled value occurs exactly once, so its offsets are unambiguous
            start = item["text"].find(span["value"])
            assert start >= 0 and item["text"].find(span["value"], start + 1) < 0, (item["id"], span)
    assert len({item["loc"] for item in items}) == 75
    kinds = Counter(span["kind"] for span in spans)
    assert kinds == {
        "person_name": 82,
        "phone": 72,
        "national_id": 56,
        "postal_address": 42,
        "date_of_birth": 11,
        "iban": 10,
        "card": 5,
        "bank_account": 4,
        "email": 3,
        "ip": 2,
        "passport": 2,
        "driving_licence": 1,
        "mac_address": 1,
        "crypto_wallet": 1,
    }
