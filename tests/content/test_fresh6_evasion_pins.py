"""Pin of the sixth fresh evasion set, written on 2026-12-07 by the helper fixing heldout5.yaml's misses (rt-fixev).

It holds new cases in the failure classes of heldout5.yaml (other words, letters and containers, and benign
look-alikes in about equal number), and its sha256 was taken when it was committed, before brandrail was run
on any of it and before the fixes of that round (see tests/data/evasion/README.md). A changed file fails here.
These tests only read bytes and parse YAML; they run no detector.
"""

from __future__ import annotations

from content_testlib import check_pinned_evasion_set

SHA256 = "4d05ff006df18b49d713381119564451e4c9b0e2d8cf2a0c4206492dd7fcc722"


def test_evasion_fresh6_is_pinned_and_well_formed() -> None:
    check_pinned_evasion_set(
        "fresh6.yaml", SHA256, prefixes=("V", "W"), min_attacks=40, min_benign=30, min_families=14
    )
