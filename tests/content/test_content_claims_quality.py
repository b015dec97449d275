"""Precision and recall per code on the claims/terms/inclusive labelled set (tests/data/claims)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml

DATA = Path(__file__).parents[1] / "data" / "claims"

#: The labelled set is frozen: labels are never edited to fit the rules (README.md, "Adjudication").
MESSAGES_SHA256 = "4eb1ddd7aac44f9debd2daec0fb0e12d06d556301285e2105f598504ba2f5e83"


def test_labelled_set_is_pinned() -> None:
    digest = hashlib.sha256((DATA / "messages.yaml").read_bytes()).hexdigest()
    assert digest == MESSAGES_SHA256, "tests/data/claims/messages.yaml changed; see its README"


def test_labelled_set_is_well_formed() -> None:
    messages = yaml.safe_load((DATA / "messages.yaml").read_text(encoding="utf-8"))
    assert len(messages) >= 150
    assert len({m["id"] for m in messages}) == len(messages)
    clean = sum(1 for m in messages if not m["labels"])
    assert 0.35 <= clean / len(messages) <= 0.65
    for m in messages:
        codes = set(m["labels"]) | set(m.get("ok") or [])
        assert all(c[:3] in ("BR1", "BR2", "BR6") for c in codes), m["id"]
        assert not set(m["labels"]) & set(m.get("ok") or []), m["id"]
