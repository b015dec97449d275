"""Pin of the sixth held-out evasion set, written on 2026-12-07 by a tester who had not read the rules' code.

The file's sha256 was taken when it was committed, before brandrail was run on any of it (see
tests/data/evasion/README.md). A changed file fails here: labels are not edited after measuring; a labelling
mistake is corrected in a commit of its own, listed in the README, with the pin updated there.
These tests only read bytes and parse YAML; they run no detector.
"""

from __future__ import annotations

from content_testlib import check_pinned_evasion_set

SHA256 = "8761baf414bdfc358dcaf547b61ac0a4629044818f32aa51176746e6be99f8a2"


def test_evasion_heldout6_is_pinned_and_well_formed() -> None:
    check_pinned_evasion_set(
        "heldout6.yaml",
        SHA256,
        prefixes=("X", "Y"),
        min_attacks=90,
        min_benign=55,
        min_families=15,
        with_why=True,
    )


def test_evasion_heldout6_disclosure_cases_name_their_channel() -> None:
    data = check_pinned_evasion_set(
        "heldout6.yaml", SHA256, prefixes=("X", "Y"), min_attacks=90, min_benign=55
    )
    for case in data["attacks"] + data["benign"]:
        codes = set(case.get("expect", [])) | set(case.get("forbid", []))
        if codes == {"BR304"}:
            assert case.get("channel") == "sms", case["id"]
        if codes == {"BR303"}:
            assert case.get("channel") == "social", case["id"]
