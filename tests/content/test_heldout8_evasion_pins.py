"""Pin of the eighth held-out evasion set, written on 2026-12-07 by a tester who had not read the rules' code.

The file's sha256 was taken when it was committed, before brandrail was run on any of it (see
tests/data/evasion/README.md). A changed file fails here: labels are not edited after measuring; a labelling
mistake is corrected in a commit of its own, listed in the README, with the pin updated there.
These tests only read bytes and parse YAML; they run no detector.
"""

from __future__ import annotations

from content_testlib import check_pinned_evasion_set

SHA256 = "6780656a33763740b7086d196927386522cf4f40379fe3d94b837237044f068b"


def test_evasion_heldout8_is_pinned_and_well_formed() -> None:
    check_pinned_evasion_set(
        "heldout8.yaml",
        SHA256,
        prefixes=("E", "I"),
        min_attacks=120,
        min_benign=65,
        min_families=16,
        with_why=True,
    )
