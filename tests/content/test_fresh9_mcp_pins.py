"""Pin of tests/data/mcp_results/fresh9.jsonl, the tool-result regression set written for the change
rt-fix6mcp by the engineer about to change the result detector, before changing it, and pinned before
brandrail was run on any row (README.md of the folder): its sha256 and shape only. No detector runs here;
the set is measured by bench/bench_mcp_results.py (split ``fresh9``)."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent.parent / "data" / "mcp_results"
FRESH9 = DATA / "fresh9.jsonl"

#: Pinned in the commit that added the set, before any run.
FRESH9_SHA256 = "fbc72bc55a3faeb9a998b7fbabf5fd3382bee3874fa487dc9a256fa8d32d5c1b"

KINDS = {"web", "email", "customer", "crm", "feed"}


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_fresh9_is_frozen() -> None:
    assert hashlib.sha256(FRESH9.read_bytes()).hexdigest() == FRESH9_SHA256


def test_fresh9_is_well_formed() -> None:
    rows = _rows(FRESH9)
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        poisoned = r["label"] == "poisoned"
        assert r["label"] in {"poisoned", "benign"}, r["id"]
        assert re.fullmatch(r"f9-[pb]-\d{2}", r["id"]), r["id"]
        assert r["id"][3] == ("p" if poisoned else "b"), r["id"]
        assert r["split"] == "fresh9" and r["kind"] in KINDS, r["id"]
        assert isinstance(r["text"], str) and r["text"].strip(), r["id"]
        assert bool(r.get("style")) == poisoned, r["id"]
    poisoned_rows = [r for r in rows if r["label"] == "poisoned"]
    assert len(poisoned_rows) == 14 and len(rows) - len(poisoned_rows) == 14


def test_fresh9_repeats_no_earlier_row() -> None:
    texts = [r["text"] for r in _rows(FRESH9)]
    earlier = {
        r["text"]
        for name in (
            "poisoned.jsonl",
            "benign.jsonl",
            "heldout2.jsonl",
            "fresh3.jsonl",
            "heldout3.jsonl",
            "fresh6.jsonl",
            "fresh7.jsonl",
            "fresh8.jsonl",
            "heldout4.jsonl",
        )
        for r in _rows(DATA / name)
    }
    assert len(texts) == len(set(texts))
    assert not set(texts) & earlier
