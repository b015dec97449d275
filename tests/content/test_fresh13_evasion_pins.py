"""Pin of the thirteenth fresh evasion set, written on 2026-12-07 by the helper fixing heldout9.yaml's misses (rt-f9eva).

It holds new cases in the classes of heldout9.yaml's misses (a respelt word of a two-word competitor name; CSS
transforms that hide a piece inside a word, on boxes transforms apply to) with other words, respellings,
transform functions and containers than heldout9.yaml, and benign look-alikes (transforms that leave a piece
visible, among them a transform on an inline box, where it does not apply; names next to the competitor's).
Its sha256 was taken when it was committed, before brandrail was run on any of it and before the fixes of that
round (see tests/data/evasion/README.md). A changed file fails here. These tests only read bytes and parse YAML;
they run no detector.
"""

from __future__ import annotations

from collections import Counter

from content_testlib import check_pinned_evasion_set

SHA256 = "61b276fa2e1b57b2db172b9a0241fc5fc66c1b84677469904ade70685434ab5b"


def test_evasion_fresh13_is_pinned_and_well_formed() -> None:
    data = check_pinned_evasion_set(
        "fresh13.yaml",
        SHA256,
        prefixes=("PA", "PB"),
        min_attacks=27,
        min_benign=17,
        min_families=2,
        with_why=True,
    )
    families = Counter(case["family"] for case in data["attacks"])
    assert families == {"respelt-name-word": 12, "css-transform-hide": 15}
