"""Pin of the fifth held-out evasion set, written on 2026-12-07 by a tester who had not read the rules' code.

The file's sha256 was taken when it was committed, before brandrail was run on any of it (see
tests/data/evasion/README.md). A changed file fails here: labels are not edited after measuring; a labelling
mistake is corrected in a commit of its own, listed in the README, with the pin updated there.
These tests only read bytes and parse YAML; they run no detector.
"""

from __future__ import annotations

from content_testlib import check_pinned_evasion_set

SHA256 = "5c02c33d64d886a49fecc10a268f59826a2f9abbafa987c9490520d53ee39c52"


def test_evasion_heldout5_is_pinned_and_well_formed() -> None:
    check_pinned_evasion_set(
        "heldout5.yaml", SHA256, prefixes=("T", "U"), min_attacks=70, min_benign=40, min_families=15
    )
