"""Pins of the sixth round's claims and disclosures held-out set (tests/data/claims_fresh5), written on
2026-12-07 by a tester who had not read the rules' code.

Each file's sha256 was taken when it was committed, before brandrail was run on any of it (see the folder's
README.md). A changed file fails here: labels are not edited after measuring; a labelling mistake is corrected
in a commit of its own, listed under the README's "Adjudication", with the pin updated there.
These tests only read bytes and parse YAML; they run no detector.
"""

from __future__ import annotations

from content_testlib import check_pinned_claims_brand

HELDOUT_SHA256 = "76edc6f64a5243ca13b1cf0ae4f4f8a7f055e9a23a6fd2f6e2e7589537d22abb"
POLICY_SHA256 = "1dd0a6762169c0ed310278407933ea6082d30fc62a2287e00b09a6fc72f080c2"


def test_claims_fresh5_is_pinned_and_well_formed() -> None:
    check_pinned_claims_brand("claims_fresh5", HELDOUT_SHA256, POLICY_SHA256, min_items=150)
