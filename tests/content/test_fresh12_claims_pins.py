"""Pin of the twelfth-round development part written by rt-f8clm before its fixes
(tests/data/claims_fresh7/fresh12.yaml; its header says how it was written).

The file's sha256 was taken when it was written, before brandrail was run on it and before the rules were
changed for it. A changed file fails here: labels are not edited after measuring. These tests only read bytes
and parse YAML; they run no detector.
"""

from __future__ import annotations

from pathlib import Path

from content_testlib import check_pinned_claims_part

PART = Path(__file__).resolve().parent.parent / "data" / "claims_fresh7/fresh12.yaml"
SHA256 = "444b4d9f416618adae0f671a69194bce1f4714dd00d95eead1339b09f45c38f7"


def test_claims_fresh12_is_pinned_and_well_formed() -> None:
    check_pinned_claims_part(PART, SHA256, min_items=50, min_clean=20)
