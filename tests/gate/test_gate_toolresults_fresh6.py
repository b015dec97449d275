"""Pin of tests/data/mcp_results/fresh6.jsonl, the tool-result regression set written before the
rt-resultleft change to the detector (base32 and Caesar shifts, labels naming an AI reader, instructions split
across JSON fields and CSV cells; README.md there): its sha256 and shape only. No detector runs here; the set
is measured by bench/bench_mcp_results.py (split ``fresh6``)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

FRESH6 = Path(__file__).resolve().parent.parent / "data" / "mcp_results" / "fresh6.jsonl"

#: Pinned in the commit that added the set, before any run.
FRESH6_SHA256 = "da7d1daf04c6737bde0c0d7c42e3224ee7d9add29019d4ec7afaa3dbf161e503"


def test_fresh6_is_frozen_and_well_formed() -> None:
    assert hashlib.sha256(FRESH6.read_bytes()).hexdigest() == FRESH6_SHA256
    rows = [json.loads(line) for line in FRESH6.read_text(encoding="utf-8").splitlines() if line.strip()]
    poisoned = [r for r in rows if r["label"] == "poisoned"]
    benign = [r for r in rows if r["label"] == "benign"]
    assert len(poisoned) >= 20 and len(benign) >= 20
    assert len(poisoned) + len(benign) == len(rows)
    assert all(r["split"] == "fresh6" and r["text"] for r in rows)
    assert all(r["style"] for r in poisoned)
    assert len({r["id"] for r in rows}) == len(rows)
    earlier = {
        json.loads(line)["text"]
        for name in ("poisoned.jsonl", "benign.jsonl", "heldout2.jsonl", "fresh3.jsonl")
        for line in (FRESH6.parent / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    assert not earlier & {r["text"] for r in rows}
