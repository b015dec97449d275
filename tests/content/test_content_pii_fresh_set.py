"""The fresh international personal-data set (tests/data/privacy_fresh): frozen, well formed, split once."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml
from content_testlib import stratified_split

from brandrail.policy.sections.privacy import PII_KINDS

FOLDER = Path(__file__).resolve().parent.parent / "data" / "privacy_fresh"
#: The seed of the development / held-out split (see README.md there).
SPLIT_SEED = 20261206
#: Pinned when the set and its split were committed, before brandrail was run on any message of it.
MESSAGES_SHA256 = "6553240f0c6c5f9811df63bdd1596a92a57d801aeb582056b02e82c1ebbfcfbe"
HELDOUT_SHA256 = "2dc305cec84f7244b1db89faf584e0af08d4ce20d3e2f0fc616cdb4c7c448522"


def _load(name: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = yaml.safe_load((FOLDER / name).read_text(encoding="utf-8"))
    return items


def split_ids(items: list[dict[str, Any]], seed: int = SPLIT_SEED) -> tuple[list[int], list[int]]:
    """Ids of the development and held-out halves: each (country, with / without personal data) stratum is
    shuffled with ``seed`` and dealt alternately (an odd one out to the smaller half), so both halves hold every
    country and both classes."""
    return stratified_split(items, lambda m: (m["loc"], bool(m["pii"])), seed)


def test_the_set_and_its_held_out_half_are_frozen() -> None:
    assert hashlib.sha256((FOLDER / "messages.yaml").read_bytes()).hexdigest() == MESSAGES_SHA256
    assert hashlib.sha256((FOLDER / "heldout.yaml").read_bytes()).hexdigest() == HELDOUT_SHA256


def test_the_halves_are_the_seeded_split_of_the_set() -> None:
    items = _load("messages.yaml")
    dev, held = split_ids(items)
    assert [m["id"] for m in _load("dev.yaml")] == dev
    assert [m["id"] for m in _load("heldout.yaml")] == held
    by_id = {m["id"]: m for m in items}
    assert [by_id[i] for i in held] == _load("heldout.yaml")
    assert [by_id[i] for i in dev] == _load("dev.yaml")
    assert not set(dev) & set(held)


def test_the_set_is_well_formed() -> None:
    items = _load("messages.yaml")
    assert len(items) >= 200
    assert [m["id"] for m in items] == list(range(1, len(items) + 1))
    with_pii = [m for m in items if m["pii"]]
    assert 0.4 <= len(with_pii) / len(items) <= 0.6
    for m in items:
        for span in m["pii"]:
            assert span["kind"] in PII_KINDS, (m["id"], span)
            assert span["value"] in m["text"], (m["id"], span)
