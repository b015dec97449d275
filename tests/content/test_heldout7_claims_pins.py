"""Pins of the seventh round's claims and disclosures held-out set (tests/data/claims_fresh6), written on
2026-12-07 by a tester who had not read the rules' code.

Each file's sha256 was taken when it was committed, before brandrail was run on any of it (see the folder's
README.md). A changed file fails here: labels are not edited after measuring; a labelling mistake is corrected
in a commit of its own, listed under the README's "Adjudication", with the pin updated there.
These tests only read bytes and parse YAML; they run no detector.
"""

from __future__ import annotations

from content_testlib import check_pinned_claims_brand

HELDOUT_SHA256 = "cfde11d9e532873d6dcf642ddd5a4b0fd7989e954c23087f2f8d135193cff129"
POLICY_SHA256 = "e600f2c182175fa62f2c7325953f3e27ae824963e8e8bdc296899ec36876a380"


def test_claims_fresh6_is_pinned_and_well_formed() -> None:
    check_pinned_claims_brand("claims_fresh6", HELDOUT_SHA256, POLICY_SHA256, min_items=160)
