"""The labelled tone corpus: its frozen test part and its shape (see tests/data/voice/tone_corpus/README.md)."""

from __future__ import annotations

import csv
import hashlib
from collections import Counter
from pathlib import Path

CORPUS = Path(__file__).parents[1] / "data" / "voice" / "tone_corpus"
RATED = ("formality", "urgency", "warmth", "excitement", "sentiment", "humour")

#: sha256 of test.tsv, committed before any tone measure was tuned; the test part must never change.
TEST_SHA256 = "ca09af9b69f53da0f71e0402ab1388619746dad0741de0bbb83e1901a51ef4b8"


def load(part: str) -> list[dict[str, str]]:
    with (CORPUS / f"{part}.tsv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def test_test_part_is_frozen() -> None:
    assert hashlib.sha256((CORPUS / "test.tsv").read_bytes()).hexdigest() == TEST_SHA256


def test_corpus_shape() -> None:
    dev, test = load("dev"), load("test")
    rows = dev + test
    assert len(rows) >= 400
    assert len({r["brand"] for r in rows}) >= 4
    channels = Counter(r["channel"] for r in rows)
    assert len(channels) >= 6 and channels["sms"] > 20 and channels["subject"] > 20
    assert len({r["text"] for r in rows}) == len(rows)
    assert not {r["id"] for r in dev} & {r["id"] for r in test}
    for r in rows:
        assert all(r[k] in {"1", "2", "3", "4", "5"} for k in RATED), r["id"]
    # every dimension uses the whole scale somewhere, or ranks would be meaningless
    for k in RATED:
        assert len({r[k] for r in rows}) >= 4, k
