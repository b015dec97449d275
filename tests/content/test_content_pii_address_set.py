"""The postal-address personal-data set (tests/data/privacy_addresses): frozen, well formed, split once."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml
from content_testlib import stratified_split

from brandrail.policy.sections.privacy import PII_KINDS

FOLDER = Path(__file__).resolve().parent.parent / "data" / "privacy_addresses"
#: The seed of the development / held-out split (see README.md there).
SPLIT_SEED = 2026120602
#: Pinned when the set and its split were committed, before brandrail was run on any message of it.
MESSAGES_SHA256 = "d2b1821d3dcfde8cda9c2ad2d8fc979296db645182215c47e4cf55373632bd72"
HELDOUT_SHA256 = "cb8982566b4099a628bac974ba90430e185cb1b51e560c632d391e19def8ac45"
#: The second held-out set (README.md: "Second held-out set"), pinned when it was committed, before any run.
HELDOUT2_SHA256 = "d1329dd3d864a857c0e1c3e3a82095f8ff90a10068d843063414a3194a005abc"
#: The second set of benign look-alikes (README.md: "Benign look-alikes, second set"), pinned when it was
#: committed, before brandrail was run on it.
BENIGN2_SHA256 = "ee3db7f108037bc6b14cca3aed006d67a2ef6a0628eb73cd7c2145a74f2ba7bf"
#: The third held-out set (README.md: "Third held-out set"), written by a tester who had not read PV114's code
#: and pinned when it was committed, before brandrail was run on it.
HELDOUT3_SHA256 = "ac14f5949943f133db57839c8273ab0e65177d5e218db8fa89a856f4b45416c2"
#: Kinds a label may use: brandrail's, and the postal address this set was written to measure.
LABEL_KINDS = {*PII_KINDS, "postal_address"}


def _load(name: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = yaml.safe_load((FOLDER / name).read_text(encoding="utf-8"))
    return items


def split_ids(items: list[dict[str, Any]], seed: int = SPLIT_SEED) -> tuple[list[int], list[int]]:
    """Ids of the development and held-out halves: each (country, with / without personal data) stratum is
    shuffled with ``seed`` and dealt alternately (an odd one out to the smaller half)."""
    return stratified_split(items, lambda m: (m["loc"], bool(m["pii"])), seed)


def test_the_set_and_its_held_out_half_are_frozen() -> None:
    assert hashlib.sha256((FOLDER / "messages.yaml").read_bytes()).hexdigest() == MESSAGES_SHA256
    assert hashlib.sha256((FOLDER / "heldout.yaml").read_bytes()).hexdigest() == HELDOUT_SHA256


def test_the_halves_are_the_seeded_split_of_the_set() -> None:
    items = _load("messages.yaml")
    dev, held = split_ids(items)
    by_id = {m["id"]: m for m in items}
    assert _load("heldout.yaml") == [by_id[i] for i in held]
    assert _load("dev.yaml") == [by_id[i] for i in dev]
    assert not set(dev) & set(held)
    assert sorted(dev + held) == sorted(by_id)


def test_the_set_is_well_formed() -> None:
    items = _load("messages.yaml")
    assert len(items) >= 200
    assert [m["id"] for m in items] == list(range(1, len(items) + 1))
    with_address = [m for m in items if any(s["kind"] == "postal_address" for s in m["pii"])]
    assert 0.4 <= len(with_address) / len(items) <= 0.6
    for m in items:
        for span in m["pii"]:
            assert span["kind"] in LABEL_KINDS, (m["id"], span)
            assert span["value"] in m["text"], (m["id"], span)


def test_the_second_held_out_set_is_frozen_and_well_formed() -> None:
    assert hashlib.sha256((FOLDER / "heldout2.yaml").read_bytes()).hexdigest() == HELDOUT2_SHA256
    items = _load("heldout2.yaml")
    assert len(items) >= 80
    assert [m["id"] for m in items] == list(range(1, len(items) + 1))
    with_address = [m for m in items if any(s["kind"] == "postal_address" for s in m["pii"])]
    without = [m for m in items if not m["pii"]]
    assert len(with_address) >= 50 and len(without) >= 30
    assert len({m["loc"] for m in with_address}) >= 6
    for m in items:
        for span in m["pii"]:
            assert span["kind"] in LABEL_KINDS, (m["id"], span)
            assert span["value"] in m["text"], (m["id"], span)


def test_the_second_benign_set_is_frozen_and_holds_no_personal_data() -> None:
    assert hashlib.sha256((FOLDER / "benign2.yaml").read_bytes()).hexdigest() == BENIGN2_SHA256
    items = _load("benign2.yaml")
    assert len(items) >= 30
    assert [m["id"] for m in items] == list(range(1, len(items) + 1))
    assert all(m["pii"] == [] for m in items)


def test_the_third_held_out_set_is_frozen_and_well_formed() -> None:
    assert hashlib.sha256((FOLDER / "heldout3.yaml").read_bytes()).hexdigest() == HELDOUT3_SHA256
    items = _load("heldout3.yaml")
    assert [m["id"] for m in items] == list(range(1, len(items) + 1))
    with_address = [m for m in items if any(s["kind"] == "postal_address" for s in m["pii"])]
    without = [m for m in items if not m["pii"]]
    assert len(with_address) >= 60 and len(without) >= 30
    assert len({m["loc"] for m in with_address}) >= 12
    earlier = {m["text"] for name in ("messages.yaml", "heldout2.yaml", "benign2.yaml") for m in _load(name)}
    assert not {m["text"] for m in items} & earlier
    for m in items:
        for span in m["pii"]:
            assert span["kind"] in LABEL_KINDS, (m["id"], span)
            assert span["value"] in m["text"], (m["id"], span)
