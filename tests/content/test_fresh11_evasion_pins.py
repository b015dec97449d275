"""Pin of the eleventh fresh evasion set, written on 2026-12-07 by the helper fixing heldout7.yaml's misses (rt-f7eva).

It holds new cases in the classes of heldout7.yaml's misses (markup and CSS hiding inside a word, layout from named
grid areas and descendant selectors, the ``quotes`` property, Markdown tricks inside a word, new separators and
look-alikes, trademark, claim and competitor forms, disguised personal data, a short "ph" respelling, faked
disclosures, words split over lines), with other words, characters and containers than heldout7.yaml, and benign
look-alikes. Its sha256 was taken when it was committed, before brandrail was run on any of it and before the fixes
of that round (see tests/data/evasion/README.md). A changed file fails here. These tests only read bytes and parse
YAML; they run no detector.
"""

from __future__ import annotations

from content_testlib import check_pinned_evasion_set

SHA256 = "469bedbb821018639f318fc5e1b2f18f6566d004747d17bfcf3fb593dd640078"


def test_evasion_fresh11_is_pinned_and_well_formed() -> None:
    check_pinned_evasion_set(
        "fresh11.yaml",
        SHA256,
        prefixes=("J", "Z"),
        min_attacks=50,
        min_benign=25,
        min_families=14,
        with_why=True,
    )
