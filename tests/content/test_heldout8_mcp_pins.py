"""Pin of the sixth held-out MCP tool-result set (tests/data/mcp_results/heldout6.jsonl), written on
2026-12-07 (review rt-t8mcp, eighth round) by a tester who had not read the result detector's code, and
pinned before brandrail was run on any row: the file's sha256 and its shape only. No detector runs here; the
set is measured by bench/ scripts, once (see the folder's README.md)."""

from __future__ import annotations

from content_testlib import check_pinned_results

#: Pinned in the commit that added the set, before any run.
SHA256 = "57a2bb0f5e42435936213d671a4038c70834159ddaa79ce123a58dbaa2ffccc7"


def test_the_sixth_mcp_results_set_is_pinned_well_formed_and_new() -> None:
    check_pinned_results(
        "heldout6.jsonl",
        SHA256,
        id_prefix="h6",
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
            "fresh3.jsonl",
            "fresh6.jsonl",
            "fresh7.jsonl",
            "fresh8.jsonl",
            "fresh9.jsonl",
            "fresh11.jsonl",
        ),
    )
