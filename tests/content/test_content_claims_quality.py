"""Precision and recall per code on the claims/terms/inclusive labelled set (tests/data/claims)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml
from content_testlib import only_content

from brandrail.engine import check_document
from brandrail.policy import policy_from_dict
from brandrail.text.document import Document

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


SCORED_PREFIXES = ("BR1", "BR2", "BR6")


def evaluate() -> tuple[dict[str, dict[str, float]], list[dict[str, Any]]]:
    """Per-code counts and precision/recall; the disagreements, one per message that differs."""
    policy = policy_from_dict(
        only_content(yaml.safe_load((DATA / "policy.yaml").read_text(encoding="utf-8")))
    )
    messages = yaml.safe_load((DATA / "messages.yaml").read_text(encoding="utf-8"))
    counts: dict[str, dict[str, int]] = {}
    errors = []
    for message in messages:
        result = check_document(Document(message["text"]), policy)
        predicted = {f.code for f in result.findings if f.code.startswith(SCORED_PREFIXES)}
        expected = set(message["labels"])
        tolerated = set(message.get("ok") or [])
        for code in predicted | expected:
            c = counts.setdefault(code, {"tp": 0, "fp": 0, "fn": 0})
            if code in predicted and code in expected:
                c["tp"] += 1
            elif code in predicted and code not in tolerated:
                c["fp"] += 1
            elif code in expected:
                c["fn"] += 1
        missed = sorted(expected - predicted)
        extra = sorted(predicted - expected - tolerated)
        if missed or extra:
            errors.append({"id": message["id"], "missed": missed, "extra": extra, "text": message["text"]})
    table: dict[str, dict[str, float]] = {}
    for code in sorted(counts):
        c = counts[code]
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        table[code] = {**c, "precision": precision, "recall": recall}
    return table, errors


#: Floors per code the set must keep; the measured figures are in bench/results/claims.md.
MIN_PRECISION = 0.85
MIN_RECALL = 0.80


def test_precision_and_recall_per_code() -> None:
    table, errors = evaluate()
    low = {
        code: (round(r["precision"], 2), round(r["recall"], 2))
        for code, r in table.items()
        if r["precision"] < MIN_PRECISION or r["recall"] < MIN_RECALL
    }
    assert not low, f"below the floors: {low}; disagreements: {errors}"
