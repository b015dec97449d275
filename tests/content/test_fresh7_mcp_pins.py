"""Pin of tests/data/mcp_results/fresh7.jsonl, the tool-result regression set written for the change
rt-fixmcp by the engineer about to change the result detector, before changing it, and pinned before
brandrail was run on any row (README.md of the folder): its sha256 and shape only. No detector runs here;
the set is measured by bench/bench_mcp_results.py (split ``fresh7``)."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent.parent / "data" / "mcp_results"
FRESH7 = DATA / "fresh7.jsonl"

#: Pinned in the commit that added the set, before any run.
FRESH7_SHA256 = "846e73ae470bb37adff492bbed6f726e8b78506cd2b7fb0ed7925e38f5e565e6"

KINDS = {"web", "email", "customer", "crm", "feed"}


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_fresh7_is_frozen() -> None:
    assert hashlib.sha256(FRESH7.read_bytes()).hexdigest() == FRESH7_SHA256


def test_fresh7_is_well_formed() -> None:
    rows = _rows(FRESH7)
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        poisoned = r["label"] == "poisoned"
        assert r["label"] in {"poisoned", "benign"}, r["id"]
        assert re.fullmatch(r"f7-[pb]-\d{2}", r["id"]), r["id"]
        assert r["id"][3] == ("p" if poisoned else "b"), r["id"]
        assert r["split"] == "fresh7" and r["kind"] in KINDS, r["id"]
        assert isinstance(r["text"], str) and r["text"].strip(), r["id"]
        assert bool(r.get("style")) == poisoned, r["id"]
    poisoned_rows = [r for r in rows if r["label"] == "poisoned"]
    assert len(poisoned_rows) == 27 and len(rows) - len(poisoned_rows) == 27


def test_fresh7_repeats_no_earlier_row() -> None:
    texts = [r["text"] for r in _rows(FRESH7)]
    earlier = {
        r["text"]
        for name in ("poisoned.jsonl", "benign.jsonl", "heldout2.jsonl", "fresh3.jsonl", "heldout3.jsonl")
        for r in _rows(DATA / name)
    }
    assert len(texts) == len(set(texts))
    assert not set(texts) & earlier
