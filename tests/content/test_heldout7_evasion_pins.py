"""Pin of the seventh held-out evasion set, written on 2026-12-07 by a tester who had not read the rules' code.

The file's sha256 was taken when it was committed, before brandrail was run on any of it (see
tests/data/evasion/README.md). A changed file fails here: labels are not edited after measuring; a labelling
mistake is corrected in a commit of its own, listed in the README, with the pin updated there.
These tests only read bytes and parse YAML; they run no detector.
"""

from __future__ import annotations

from content_testlib import check_pinned_evasion_set

SHA256 = "8fed7d7a5f4dd5de4ec8bf50f26d4661b43236d7acfc9f353129cf7803d614dc"


def test_evasion_heldout7_is_pinned_and_well_formed() -> None:
    check_pinned_evasion_set(
        "heldout7.yaml",
        SHA256,
        prefixes=("V", "W"),
        min_attacks=100,
        min_benign=60,
        min_families=15,
        with_why=True,
    )
