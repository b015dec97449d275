"""Pin of the seventh held-out MCP tool-result set (tests/data/mcp_results/heldout7.jsonl), written on
2026-12-07 (review rt-t9mcp, ninth round) by a tester who had not read the result detector's code, and
pinned before brandrail was run on any row: the file's sha256 and its shape only. No detector runs here; the
set is measured by bench/ scripts, once (see the folder's README.md)."""

from __future__ import annotations

from content_testlib import check_pinned_results

#: Pinned in the commit that added the set, before any run.
SHA256 = "4f7fc9e45f2c97d5b75762184361fbfe33dcdb4537f74dc9060fb352b2b5cb01"


def test_the_seventh_mcp_results_set_is_pinned_well_formed_and_new() -> None:
    check_pinned_results(
        "heldout7.jsonl",
        SHA256,
        id_prefix="h7",
        split="held_out",
        poisoned=60,
        benign=55,
        min_styles=60,
        earlier=(
            "poisoned.jsonl",
            "benign.jsonl",
            "heldout2.jsonl",
            "heldout3.jsonl",
            "heldout4.jsonl",
            "heldout5.jsonl",
            "heldout6.jsonl",
            "fresh3.jsonl",
            "fresh6.jsonl",
            "fresh7.jsonl",
            "fresh8.jsonl",
            "fresh9.jsonl",
            "fresh11.jsonl",
            "fresh12.jsonl",
        ),
    )
