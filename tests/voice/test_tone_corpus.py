"""The labelled tone corpus: its frozen test part and its shape (see tests/data/voice/tone_corpus/README.md)."""

from __future__ import annotations

import csv
import hashlib
from collections import Counter
from pathlib import Path

import pytest

CORPUS = Path(__file__).parents[1] / "data" / "voice" / "tone_corpus"
RATED = ("formality", "urgency", "warmth", "excitement", "sentiment", "humour")

#: sha256 of test.tsv, committed before any tone measure was tuned; the test part must never change.
TEST_SHA256 = "ca09af9b69f53da0f71e0402ab1388619746dad0741de0bbb83e1901a51ef4b8"
#: sha256 of dev3.tsv, committed before any measure or model was computed on it (tone_corpus/dev3.md).
DEV3_SHA256 = "cadfe38ac92b6f9ca5a03b5f10f14ba6edd572e7950fb55359c6b611fdb654b6"


#: sha256 of the second rater's blind ratings of test.tsv and dev3.tsv (tone_corpus/rater2.md), committed before
#: the first ratings were read; they must not change either.
RATER2_SHA256 = {
    "test": "4c94d91b65ce51823b08b82f9eb674412fdb12c9f614212f1d140ddeed24e697",
    "dev3": "fa3b890c45543c155b6d3fabf5efa2d194cfcd70294593e3f13e564928f90c0a",
}


def load(part: str) -> list[dict[str, str]]:
    with (CORPUS / f"{part}.tsv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def test_test_part_is_frozen() -> None:
    assert hashlib.sha256((CORPUS / "test.tsv").read_bytes()).hexdigest() == TEST_SHA256


def test_dev2_shape() -> None:
    dev2 = load("dev2")
    assert len(dev2) >= 300
    assert len({r["brand"] for r in dev2}) >= 10
    assert len({r["channel"] for r in dev2}) >= 6
    texts = {r["text"] for r in load("dev") + load("test")}
    assert not texts & {r["text"] for r in dev2}
    assert len({r["text"] for r in dev2}) == len(dev2)
    for r in dev2:
        assert all(r[k] in {"1", "2", "3", "4", "5"} for k in RATED), r["id"]


def test_dev3_shape_and_pinned_content() -> None:
    assert hashlib.sha256((CORPUS / "dev3.tsv").read_bytes()).hexdigest() == DEV3_SHA256
    dev3 = load("dev3")
    assert len(dev3) >= 200
    assert len({r["brand"] for r in dev3}) >= 10
    assert len({r["channel"] for r in dev3}) >= 6
    texts = {r["text"] for r in load("dev") + load("dev2") + load("test")}
    assert not texts & {r["text"] for r in dev3}
    assert len({r["text"] for r in dev3}) == len(dev3)
    assert len({r["id"] for r in dev3}) == len(dev3)
    for r in dev3:
        assert all(r[k] in {"1", "2", "3", "4", "5"} for k in RATED), r["id"]


@pytest.mark.parametrize("part", sorted(RATER2_SHA256))
def test_second_rater_is_pinned_and_rates_the_same_messages(part: str) -> None:
    assert hashlib.sha256((CORPUS / f"{part}.rater2.tsv").read_bytes()).hexdigest() == RATER2_SHA256[part]
    first, second = load(part), load(f"{part}.rater2")
    assert list(second[0]) == list(first[0])
    assert [(r["id"], r["brand"], r["channel"], r["text"]) for r in second] == [
        (r["id"], r["brand"], r["channel"], r["text"]) for r in first
    ]
    for r in second:
        assert all(r[k] in {"1", "2", "3", "4", "5"} for k in RATED), r["id"]


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


#: Spearman floors on the frozen test part: the figures measured for the learned tone model's core tier
#: (docs/voice.md, bench/results/voice.md; model fitted on dev + dev2 + dev3: 0.793, 0.732, 0.786, 0.799,
#: 0.665, 0.666) less about 0.03, so a change that makes a dimension worse fails here. The issue's target is
#: 0.80 on every dimension; no dimension meets it in this tier (formality 0.793, excitement 0.799 are close).
FLOORS = {
    "formality": 0.76,
    "urgency": 0.70,
    "warmth": 0.76,
    "excitement": 0.77,
    "sentiment": 0.63,
    "humour": 0.64,
}

#: The same for the embedding tier (measured 0.846, 0.735, 0.830, 0.835, 0.753, 0.741): formality, warmth and
#: excitement meet the 0.80 target, urgency, sentiment and humour do not.
EMBEDDING_FLOORS = {
    "formality": 0.82,
    "urgency": 0.70,
    "warmth": 0.80,
    "excitement": 0.80,
    "sentiment": 0.72,
    "humour": 0.71,
}


def _clean(row: dict[str, str]) -> bool:
    r = {k: int(row[k]) for k in RATED}
    return r["formality"] <= 3 and r["urgency"] <= 2 and r["excitement"] <= 3 and r["warmth"] >= 2


def test_agreement_on_the_frozen_test_part() -> None:
    from scipy.stats import spearmanr

    from brandrail.voice.tone import profile_text

    rows = load("test")
    profiles = [profile_text(r["text"]) for r in rows]
    for dim, floor in FLOORS.items():
        rho = spearmanr([p.values[dim] for p in profiles], [int(r[dim]) for r in rows]).statistic
        assert rho >= floor, (dim, rho)


@pytest.mark.voice
@pytest.mark.extras
def test_agreement_of_the_embedding_tier_on_the_frozen_test_part() -> None:
    from scipy.stats import spearmanr

    from brandrail.voice.tone import profile_text

    rows = load("test")
    profiles = [profile_text(r["text"], tone_model="embedding") for r in rows]
    for dim, floor in EMBEDDING_FLOORS.items():
        rho = spearmanr([p.values[dim] for p in profiles], [int(r[dim]) for r in rows]).statistic
        assert rho >= floor, (dim, rho)


def test_plain_voice_defaults_rarely_flag_clean_messages() -> None:
    from brandrail.voice.tone import PLAIN_TARGETS, profile_text

    def flagged(text: str) -> bool:
        p = profile_text(text)
        for dim, (lo, hi) in PLAIN_TARGETS.items():
            v = p.values[dim]
            if p.reliable(dim) and ((lo is not None and v < lo) or (hi is not None and v > hi)):
                return True
        return False

    # the target is 3% on the test part: not met by the core tier (4 of 104 = 3.8%; the embedding tier
    # flags 2 of 104); the ceiling keeps it from worsening
    # (the development parts pooled: 8 of 460 = 1.7%, in-sample; dev.tsv alone 5 of 147)
    for parts, ceiling in ((("dev", "dev2", "dev3"), 0.025), (("test",), 0.04)):
        clean = [r for part in parts for r in load(part) if _clean(r)]
        share = sum(flagged(r["text"]) for r in clean) / len(clean)
        assert share <= ceiling, (parts, share)
    # and they do flag what they are for: most pushy messages (rated urgency 4-5) break a target
    pushy = [r for r in load("test") if int(r["urgency"]) >= 4]
    assert sum(flagged(r["text"]) for r in pushy) / len(pushy) >= 0.8
