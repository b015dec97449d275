"""Pin of the sixth held-out evasion set, written on 2026-12-07 by a tester who had not read the rules' code.

The file's sha256 was taken when it was committed, before brandrail was run on any of it (see
tests/data/evasion/README.md). A changed file fails here: labels are not edited after measuring; a labelling
mistake is corrected in a commit of its own, listed in the README, with the pin updated there.
These tests only read bytes and parse YAML; they run no detector.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml

FOLDER = Path(__file__).resolve().parent.parent / "data" / "evasion"

EVASION_HELDOUT6_SHA256 = "8761baf414bdfc358dcaf547b61ac0a4629044818f32aa51176746e6be99f8a2"

CODES = {
    "BR101", "BR103", "BR105", "BR201", "BR202", "BR203", "BR206", "BR301", "BR303", "BR304",
    "BR601", "BR602", "BR901", "BR902", "PV101", "PV102", "PV103",
}  # fmt: skip

ATTACKED = {
    "banned-term", "trademark", "competitor", "claim", "profanity", "inclusive", "personal-data",
    "disclosure-faked",
}  # fmt: skip


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_evasion_heldout6_is_pinned() -> None:
    path = FOLDER / "heldout6.yaml"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == EVASION_HELDOUT6_SHA256


def test_evasion_heldout6_is_well_formed() -> None:
    data = _load(FOLDER / "heldout6.yaml")
    assert data["policy"] == "policy2.yaml" and (FOLDER / data["policy"]).is_file()
    attacks, benign = data["attacks"], data["benign"]
    ids = [case["id"] for case in attacks + benign]
    assert len(set(ids)) == len(ids)
    assert all(case["id"].startswith("X") for case in attacks)
    assert all(case["id"].startswith("Y") for case in benign)
    assert len(attacks) >= 90 and len(benign) >= 55
    assert len({case["family"] for case in attacks}) >= 15
    assert set(data["benign_forbid_default"]) <= CODES
    for case in attacks:
        assert case["kind"] in {"text", "markdown", "html"} and case["text"], case["id"]
        assert case["attacks"] in ATTACKED, case["id"]
        assert case["expect"] and set(case["expect"]) <= CODES, case["id"]
        assert ("where" in case) == (case["attacks"] != "disclosure-faked"), case["id"]
        assert "where" not in case or case["where"] in case["text"], case["id"]
        assert case["why"], case["id"]
    for case in benign:
        assert case["kind"] in {"text", "markdown", "html"} and case["text"], case["id"]
        assert set(case.get("forbid", [])) <= CODES, case["id"]
        assert case["why"], case["id"]


def test_evasion_heldout6_disclosure_cases_name_their_channel() -> None:
    data = _load(FOLDER / "heldout6.yaml")
    for case in data["attacks"] + data["benign"]:
        codes = set(case.get("expect", [])) | set(case.get("forbid", []))
        if codes == {"BR304"}:
            assert case.get("channel") == "sms", case["id"]
        if codes == {"BR303"}:
            assert case.get("channel") == "social", case["id"]
