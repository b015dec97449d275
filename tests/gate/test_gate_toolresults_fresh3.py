"""Pin of tests/data/mcp_results/fresh3.jsonl, the tool-result regression set written before the rt-inject
change to the detector (README.md there): its sha256 and shape only. No detector runs here; the set is
measured by bench/bench_mcp_results.py (split ``fresh3``)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

FRESH3 = Path(__file__).resolve().parent.parent / "data" / "mcp_results" / "fresh3.jsonl"

#: Pinned in the commit that added the set, before any run.
FRESH3_SHA256 = "fd5aebe28fca25ca1b9cb2686431105c4d094ba721b64f8967d25d3ca90f3c1d"


def test_fresh3_is_frozen_and_well_formed() -> None:
    assert hashlib.sha256(FRESH3.read_bytes()).hexdigest() == FRESH3_SHA256
    rows = [json.loads(line) for line in FRESH3.read_text(encoding="utf-8").splitlines() if line.strip()]
    poisoned = [r for r in rows if r["label"] == "poisoned"]
    benign = [r for r in rows if r["label"] == "benign"]
    assert len(poisoned) >= 20 and len(benign) >= 20
    assert len(poisoned) + len(benign) == len(rows)
    assert all(r["split"] == "fresh3" and r["text"] for r in rows)
    assert all(r["style"] for r in poisoned)
    assert len({r["id"] for r in rows}) == len(rows)
    earlier = {
        json.loads(line)["text"]
        for name in ("poisoned.jsonl", "benign.jsonl", "heldout2.jsonl")
        for line in (FRESH3.parent / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    assert not earlier & {r["text"] for r in rows}
