"""Pin of the fourth held-out MCP tool-result set (tests/data/mcp_results/heldout4.jsonl), written on
2026-12-07 (review rt-t6mcp) by a tester who had not read the result detector's code, and pinned before
brandrail was run on any row: the file's sha256 and its shape only. No detector runs here; the set is
measured by bench/ scripts, once (see the folder's README.md)."""

from __future__ import annotations

from content_testlib import check_pinned_results

#: Pinned in the commit that added the set, before any run.
SHA256 = "7b35b75c1b56c1ef313ba71a484fbe65c241ee65d93743810f6164473bb416e6"


def test_the_fourth_mcp_results_set_is_pinned_well_formed_and_new() -> None:
    check_pinned_results(
        "heldout4.jsonl",
        SHA256,
        id_prefix="h4",
        split="held_out",
        poisoned=60,
        benign=55,
        min_styles=50,
        earlier=(
            "poisoned.jsonl",
            "benign.jsonl",
            "heldout2.jsonl",
            "heldout3.jsonl",
            "fresh3.jsonl",
            "fresh6.jsonl",
            "fresh7.jsonl",
            "fresh8.jsonl",
        ),
    )
