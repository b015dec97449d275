"""The labelled customer-state set (tests/data/voice/customer_states): well formed, and its test part frozen."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data" / "voice" / "customer_states"
#: The frozen test part, pinned when it was written (before any model or phrase list was measured on it).
TEST_SHA256 = "04b36961671e4d64bda20f759c626a5a195bd85178ad3fde4061729cf5dc084c"
#: A second held-out part (American English, another author style), written and pinned before the core
#: tier's complaint reader was written or run on it; measured once (see the README).
HELDOUT_SHA256 = "ab082ef4b8d85ad0f210bc6b9dce304a2d72099286913d0836f09a596cfb062a"


def rows(part: str) -> list[dict[str, str]]:
    with (DATA / f"{part}.tsv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_the_test_part_is_frozen() -> None:
    assert hashlib.sha256((DATA / "test.tsv").read_bytes()).hexdigest() == TEST_SHA256


def test_the_heldout_part_is_frozen() -> None:
    assert hashlib.sha256((DATA / "heldout.tsv").read_bytes()).hexdigest() == HELDOUT_SHA256


@pytest.mark.parametrize("part", ["dev", "test", "heldout"])
def test_parts_are_well_formed(part: str) -> None:
    found = rows(part)
    assert len(found) >= (60 if part == "heldout" else 100)
    assert len({r["id"] for r in found}) == len(found)
    for r in found:
        assert r["upset"] in {"0", "1"} and r["loss"] in {"0", "1"}, r
        assert r["text"].strip() == r["text"] and r["text"], r
    for label in ("upset", "loss"):
        assert sum(r[label] == "1" for r in found) >= (15 if part == "heldout" else 20), (part, label)
    assert sum(r["upset"] == r["loss"] == "0" for r in found) >= 30


def test_no_message_is_in_both_parts() -> None:
    norm = lambda t: " ".join(t.lower().split())  # noqa: E731
    parts = {part: {norm(r["text"]) for r in rows(part)} for part in ("dev", "test", "heldout")}
    assert not parts["dev"] & parts["test"]
    assert not parts["heldout"] & (parts["dev"] | parts["test"])
