"""Pin of the ninth-round development part written by rt-fix6claims before its fixes
(tests/data/claims_fresh5/fresh9.yaml; its header says how it was written).

The file's sha256 was taken when it was written, before brandrail was run on it and before the rules were
changed for it. A changed file fails here: labels are not edited after measuring. These tests only read bytes
and parse YAML; they run no detector.
"""

from __future__ import annotations

from pathlib import Path

from content_testlib import check_pinned_claims_part

PART = Path(__file__).resolve().parent.parent / "data" / "claims_fresh5/fresh9.yaml"
SHA256 = "566ed5e8b9b120a6f4b7aeb4fc2ef1d9dd24995e97d9bfd12ea372b7eb5ea0b9"


def test_claims_fresh9_is_pinned_and_well_formed() -> None:
    check_pinned_claims_part(PART, SHA256, min_items=40, min_clean=15)
