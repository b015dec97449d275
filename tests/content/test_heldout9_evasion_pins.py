"""Pin of the ninth held-out evasion set, written on 2026-12-07 by a tester who had not read the rules' code.

The file's sha256 was taken when it was committed, before brandrail was run on any of it (see
tests/data/evasion/README.md). A changed file fails here: labels are not edited after measuring; a labelling
mistake is corrected in a commit of its own, listed in the README, with the pin updated there.
These tests only read bytes and parse YAML; they run no detector.
"""

from __future__ import annotations

from collections import Counter

from content_testlib import check_pinned_evasion_set

SHA256 = "7b182097c1a64ae4b21bd50d28c069344747f3e3aa9d6a7e7ff2fac83469d2e6"


def test_evasion_heldout9_is_pinned_and_well_formed() -> None:
    data = check_pinned_evasion_set(
        "heldout9.yaml",
        SHA256,
        prefixes=("NA", "NB"),
        min_attacks=180,
        min_benign=78,
        min_families=20,
        with_why=True,
    )
    assert (len(data["attacks"]), len(data["benign"])) == (180, 78)
    families = Counter(case["family"] for case in data["attacks"])
    assert len(families) == 24 and max(families.values()) == 14
