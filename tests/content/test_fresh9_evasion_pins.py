"""Pin of the ninth fresh evasion set, written on 2026-12-07 by the helper fixing heldout6.yaml's misses (rt-fix6eva).

It holds new cases in the failure classes of heldout6.yaml (letter-like punctuation inside a word, words
written without vowels, derivations of a banned word, vertical letters, new CSS and markup hiding inside a
word), with other words, characters and containers than heldout6.yaml, and benign look-alikes. Its sha256 was
taken when it was committed, before brandrail was run on any of it and before the fixes of that round (see
tests/data/evasion/README.md). A changed file fails here. These tests only read bytes and parse YAML; they run
no detector.
"""

from __future__ import annotations

from content_testlib import check_pinned_evasion_set

SHA256 = "137c970f1ee06ba13dbcdfe0ff6197d5d3788f8ceaa4afb2acd83475c1048761"


def test_evasion_fresh9_is_pinned_and_well_formed() -> None:
    check_pinned_evasion_set(
        "fresh9.yaml", SHA256, prefixes=("F", "G"), min_attacks=25, min_benign=20, with_why=True
    )
