"""The hand-labelled personal-data set (tests/data/privacy): frozen and well formed."""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml

from brandrail.policy.sections.privacy import PII_KINDS

DATA = Path(__file__).resolve().parent.parent / "data" / "privacy" / "messages.yaml"
#: Pinned when the set was committed, before any recogniser was measured on it or changed.
MESSAGES_SHA256 = "a6d04ea64b512d22941dd03837e42942fb2df9158f13a8c4027d094e0f9bfe2e"


def test_the_set_is_frozen() -> None:
    assert hashlib.sha256(DATA.read_bytes()).hexdigest() == MESSAGES_SHA256


def test_the_set_is_well_formed() -> None:
    items = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    assert len(items) >= 150
    assert [m["id"] for m in items] == list(range(1, len(items) + 1))
    with_pii = [m for m in items if m["pii"]]
    assert 0.4 <= len(with_pii) / len(items) <= 0.6
    for m in items:
        for span in m["pii"]:
            assert span["kind"] in PII_KINDS, (m["id"], span)
            assert span["value"] in m["text"], (m["id"], span)
