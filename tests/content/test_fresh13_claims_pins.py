"""Pin of the thirteenth-round development part written by rt-f9clm before its fixes
(tests/data/claims_fresh8/fresh13.yaml; its header says how it was written).

The file's sha256 was taken when it was written, before brandrail was run on it and before the rules were
changed for it. A changed file fails here: labels are not edited after measuring. These tests only read bytes
and parse YAML; they run no detector.
"""

from __future__ import annotations

from pathlib import Path

from content_testlib import check_pinned_claims_part

PART = Path(__file__).resolve().parent.parent / "data" / "claims_fresh8/fresh13.yaml"
SHA256 = "89c4fa7af467d0221921a9e4649f82c6644b2c008e678fd04b2bdeb175a0f034"


def test_claims_fresh13_is_pinned_and_well_formed() -> None:
    check_pinned_claims_part(PART, SHA256, min_items=50, min_clean=20)
