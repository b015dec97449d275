"""Pin of the eleventh-round development part written by rt-f7claims before its fixes
(tests/data/claims_fresh6/fresh11.yaml; its header says how it was written).

The file's sha256 was taken when it was written, before brandrail was run on it and before the rules were
changed for it. A changed file fails here: labels are not edited after measuring. These tests only read bytes
and parse YAML; they run no detector.
"""

from __future__ import annotations

from pathlib import Path

from content_testlib import check_pinned_claims_part

PART = Path(__file__).resolve().parent.parent / "data" / "claims_fresh6/fresh11.yaml"
SHA256 = "e4a0a241058e53a2fdf49a0e757e864976b8718d7b037048464c430afcd7508b"


def test_claims_fresh11_is_pinned_and_well_formed() -> None:
    check_pinned_claims_part(PART, SHA256, min_items=40, min_clean=15)
