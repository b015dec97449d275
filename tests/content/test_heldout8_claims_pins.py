"""Pins of the eighth round's claims and disclosures held-out set (tests/data/claims_fresh7, a language-learning
app), written on 2026-12-07 by a tester who had not read the rules' code.

Each file's sha256 was taken when it was committed, before brandrail was run on any of it (see the folder's
README.md). A changed file fails here: labels are not edited after measuring; a labelling mistake is corrected
in a commit of its own, listed under the README's "Adjudication", with the pin updated there.
These tests only read bytes and parse YAML; they run no detector.
"""

from __future__ import annotations

from content_testlib import check_pinned_claims_brand

HELDOUT_SHA256 = "63815df176aa4cf9292aea981f1660caf290750f614003ff64081268bc4f201c"
POLICY_SHA256 = "b0c7d0097e813af6c2f4efac634e7877ac31260e33696834621522dc9dc630a7"


def test_claims_fresh7_is_pinned_and_well_formed() -> None:
    check_pinned_claims_brand("claims_fresh7", HELDOUT_SHA256, POLICY_SHA256, min_items=170)
