"""Pin of tests/data/mcp_results/fresh8.jsonl, the tool-result regression set written for the change
rt-result2 by the engineer about to change the result detector, before changing it (Caesar shifts after an
English preamble, instructions split across table rows, base64 after ``=``, ciphers in other languages,
``AI note:`` labels; README.md of the folder): its sha256 and shape only. No detector runs here; the set is
measured by bench/bench_mcp_results.py (split ``fresh8``)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent.parent / "data" / "mcp_results"
FRESH8 = DATA / "fresh8.jsonl"

#: Pinned in the commit that added the set, before any run.
FRESH8_SHA256 = "a8ff2a328397af44987869f47e594d75f0553e64104750ca6519a649b0dbfded"


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_fresh8_is_frozen() -> None:
    assert hashlib.sha256(FRESH8.read_bytes()).hexdigest() == FRESH8_SHA256


def test_fresh8_is_well_formed() -> None:
    rows = _rows(FRESH8)
    poisoned = [r for r in rows if r["label"] == "poisoned"]
    benign = [r for r in rows if r["label"] == "benign"]
    assert len(poisoned) >= 15 and len(benign) >= 15
    assert len(poisoned) + len(benign) == len(rows)
    assert all(r["split"] == "fresh8" and r["text"] and r["kind"] for r in rows)
    assert all(r["style"] for r in poisoned)
    assert len({r["id"] for r in rows}) == len(rows)


def test_fresh8_repeats_no_earlier_row() -> None:
    earlier = {
        r["text"] for path in sorted(DATA.glob("*.jsonl")) if path.name != FRESH8.name for r in _rows(path)
    }
    assert not earlier & {r["text"] for r in _rows(FRESH8)}
