"""Pin of the tenth fresh evasion set, written on 2026-12-07 by the helper reading CSS reordering (rt-evacss).

It holds new cases in the reordering class of heldout6.yaml's misses (text put in order only by CSS layout:
right floats, grid placement and ``order``, right-to-left flex and grid rows, flex/grid settings and bidi
overrides from style-sheet rules), with other words, layouts and selectors than heldout6.yaml, and benign
look-alikes where the layout makes harmless text. Its sha256 was taken when it was committed, before brandrail
was run on any of it and before the fixes of that round (see tests/data/evasion/README.md). A changed file
fails here. These tests only read bytes and parse YAML; they run no detector.
"""

from __future__ import annotations

from content_testlib import check_pinned_evasion_set

SHA256 = "688b119ae81a78f286652046b4b7745bf7b8d7d503305311101bf059f78a0f57"


def test_evasion_fresh10_is_pinned_and_well_formed() -> None:
    data = check_pinned_evasion_set(
        "fresh10.yaml",
        SHA256,
        prefixes=("C", "D"),
        min_attacks=20,
        min_benign=12,
        min_families=5,
        with_why=True,
    )
    assert all(case["kind"] == "html" for case in data["attacks"] + data["benign"])
