"""Precision and recall per rule family on the labelled quality set (tests/data/content, see its README)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from content_testlib import only_content

from brandrail.engine import check_document
from brandrail.findings import family_of
from brandrail.policy import policy_from_dict
from brandrail.text.document import Document

DATA = Path(__file__).parents[1] / "data" / "content"
FAMILIES = ("terms", "claims", "disclosures", "channel", "privacy", "inclusive", "evasion")

#: Floors the set must keep; the measured figures are in bench/results/content.md.
MIN_PRECISION = 0.85
MIN_RECALL = 0.70


def evaluate() -> tuple[dict[str, dict[str, float]], list[dict[str, Any]]]:
    policy = policy_from_dict(
        only_content(yaml.safe_load((DATA / "policy.yaml").read_text(encoding="utf-8")))
    )
    messages = yaml.safe_load((DATA / "messages.yaml").read_text(encoding="utf-8"))
    counts = {f: {"tp": 0, "fp": 0, "fn": 0} for f in FAMILIES}
    errors = []
    for message in messages:
        channel = message.get("ch")
        doc = Document(message["text"], channel=channel, meta=message.get("meta") or {})
        result = check_document(doc, policy.for_channel(channel))
        predicted = {family_of(f.code) for f in result.findings} & set(FAMILIES)
        expected = set(message["labels"])
        for family in FAMILIES:
            if family in predicted and family in expected:
                counts[family]["tp"] += 1
            elif family in predicted:
                counts[family]["fp"] += 1
            elif family in expected:
                counts[family]["fn"] += 1
        if predicted != expected:
            errors.append({"id": message["id"], "expected": sorted(expected), "predicted": sorted(predicted)})
    table = {}
    for family, c in counts.items():
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        table[family] = {**c, "precision": precision, "recall": recall}
    return table, errors


def test_quality_set_is_big_enough_and_well_formed() -> None:
    messages = yaml.safe_load((DATA / "messages.yaml").read_text(encoding="utf-8"))
    assert len(messages) >= 200
    assert len({m["id"] for m in messages}) == len(messages)
    for m in messages:
        assert set(m["labels"]) <= set(FAMILIES), m["id"]
    for family in FAMILIES:
        assert sum(family in m["labels"] for m in messages) >= 10, family


def test_precision_and_recall_per_family() -> None:
    table, errors = evaluate()
    low = {
        f: (round(r["precision"], 2), round(r["recall"], 2))
        for f, r in table.items()
        if r["precision"] < MIN_PRECISION or r["recall"] < MIN_RECALL
    }
    assert not low, f"below the floors: {low}; disagreements: {errors}"
