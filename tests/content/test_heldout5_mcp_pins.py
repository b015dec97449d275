"""Pin of the third held-out MCP tool-result set (tests/data/mcp_results/heldout3.jsonl), written on
2026-12-07 (review rt-t5mcp) by a tester who had not read the result detector's code, and pinned before
brandrail was run on any row: the file's sha256 and its shape only. No detector runs here; the set is
measured by bench/ scripts, once (see the folder's README.md)."""

from __future__ import annotations

from content_testlib import check_pinned_results

#: Pinned in the commit that added the set, before any run.
SHA256 = "0940eea7ffe156f7596d77f9d5ec93e1ed481eb87c49afd33b66e169008bc6de"


def test_the_third_mcp_results_set_is_pinned_well_formed_and_new() -> None:
    check_pinned_results(
        "heldout3.jsonl",
        SHA256,
        id_prefix="h3",
        split="held_out",
        poisoned=60,
        benign=55,
        min_styles=50,
        earlier=(
            "poisoned.jsonl",
            "benign.jsonl",
            "heldout2.jsonl",
            "fresh3.jsonl",
        ),
    )
