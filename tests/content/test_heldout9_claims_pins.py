"""Pins of the ninth round's claims and disclosures held-out set (tests/data/claims_fresh8, a mattress and
bedding maker), written on 2026-12-07 by a tester who had not read the rules' code.

Each file's sha256 was taken when it was committed, before brandrail was run on any of it (see the folder's
README.md). A changed file fails here: labels are not edited after measuring; a labelling mistake is corrected
in a commit of its own, listed under the README's "Adjudication", with the pin updated there.
These tests only read bytes and parse YAML; they run no detector.
"""

from __future__ import annotations

from content_testlib import check_pinned_claims_brand

HELDOUT_SHA256 = "9d717711c7667ac504d7da71a60326ffbcb50ac242b775fb2ae60f27784e3d33"
POLICY_SHA256 = "8255adbf52107246f5054383010d6d5304e0b389c679216202950717333c2b6e"


def test_claims_fresh8_is_pinned_and_well_formed() -> None:
    check_pinned_claims_brand("claims_fresh8", HELDOUT_SHA256, POLICY_SHA256, min_items=250)
