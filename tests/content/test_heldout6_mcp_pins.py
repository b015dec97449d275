"""Pin of the fourth held-out MCP tool-result set (tests/data/mcp_results/heldout4.jsonl), written on
2026-12-07 (review rt-t6mcp) by a tester who had not read the result detector's code, and pinned before
brandrail was run on any row: the file's sha256 and its shape only. No detector runs here; the set is
measured by bench/ scripts, once (see the folder's README.md)."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent.parent / "data" / "mcp_results"
MCP = DATA / "heldout4.jsonl"

#: Pinned in the commit that added the set, before any run (README.md of the folder).
MCP_SHA256 = "7b35b75c1b56c1ef313ba71a484fbe65c241ee65d93743810f6164473bb416e6"

KINDS = {"web", "email", "customer", "crm", "feed"}
FIELDS = {"id", "label", "kind", "split", "text"}
EARLIER = (
    "poisoned.jsonl",
    "benign.jsonl",
    "heldout2.jsonl",
    "heldout3.jsonl",
    "fresh3.jsonl",
    "fresh6.jsonl",
    "fresh7.jsonl",
    "fresh8.jsonl",
)


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_the_fourth_mcp_results_set_is_frozen() -> None:
    assert hashlib.sha256(MCP.read_bytes()).hexdigest() == MCP_SHA256


def test_the_fourth_mcp_results_set_is_well_formed() -> None:
    rows = _rows(MCP)
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    for r in rows:
        poisoned = r["label"] == "poisoned"
        assert r["label"] in {"poisoned", "benign"}, r["id"]
        assert re.fullmatch(r"h4-[pb]-\d{2}", r["id"]), r["id"]
        assert r["id"][3] == ("p" if poisoned else "b"), r["id"]
        assert set(r) == FIELDS | ({"style"} if poisoned else set()), r["id"]
        assert r["split"] == "held_out", r["id"]
        assert r["kind"] in KINDS, r["id"]
        assert isinstance(r["text"], str) and r["text"].strip(), r["id"]
        if poisoned:
            assert isinstance(r["style"], str) and r["style"], r["id"]
    poisoned_rows = [r for r in rows if r["label"] == "poisoned"]
    assert len(poisoned_rows) == 60
    assert len(rows) - len(poisoned_rows) == 55
    assert len({r["style"] for r in poisoned_rows}) >= 50


def test_the_fourth_mcp_results_set_repeats_no_earlier_row() -> None:
    rows = _rows(MCP)
    earlier = {r["text"] for name in EARLIER for r in _rows(DATA / name)}
    texts = [r["text"] for r in rows]
    assert len(texts) == len(set(texts))
    assert not set(texts) & earlier
