"""Pin of the twelfth fresh evasion set, written on 2026-12-07 by the helper fixing heldout8.yaml's misses (rt-f8eva).

It holds new cases in the classes of heldout8.yaml's misses (separators between letters the docs did not list,
leetspeak with "@", "!", "+" and "$", hyphens of other scripts at a line end, a hidden piece inside a disclosure and
an offer's terms only in front matter, card numbers grouped by other spaces, policy words run into Chinese,
Japanese, Korean and Thai copy, respellings combined with stretched or doubled letters, format characters) with
other words, characters and containers than heldout8.yaml, and benign look-alikes (joiners Persian, Indic and
Sinhala spelling needs, full-width Latin in CJK copy, separators between non-words, column layouts, URLs, other
front matter keys). Its sha256 was taken when it was committed, before brandrail was run on any of it and before
the fixes of that round (see tests/data/evasion/README.md). A changed file fails here. These tests only read bytes
and parse YAML; they run no detector.
"""

from __future__ import annotations

from content_testlib import check_pinned_evasion_set

SHA256 = "3fd5b8d9c8a7a9056db6341496724df02349b849f0ce7430e9f526b18f5653e3"


def test_evasion_fresh12_is_pinned_and_well_formed() -> None:
    check_pinned_evasion_set(
        "fresh12.yaml",
        SHA256,
        prefixes=("OA", "OB"),
        min_attacks=55,
        min_benign=26,
        min_families=8,
        with_why=True,
    )
