"""Pin of the fifth held-out MCP tool-result set (tests/data/mcp_results/heldout5.jsonl), written on
2026-12-07 (review rt-t7mcp, seventh round) by a tester who had not read the result detector's code, and
pinned before brandrail was run on any row: the file's sha256 and its shape only. No detector runs here; the
set is measured by bench/ scripts, once (see the folder's README.md)."""

from __future__ import annotations

from content_testlib import check_pinned_results

#: Pinned in the commit that added the set, before any run.
SHA256 = "9ec2ceb7de127c9746ab48ae6c3d755e8fc6b1e52ea65ee66b20fedcaa33765d"


def test_the_fifth_mcp_results_set_is_pinned_well_formed_and_new() -> None:
    check_pinned_results(
        "heldout5.jsonl",
        SHA256,
        id_prefix="h5",
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
            "fresh3.jsonl",
            "fresh6.jsonl",
            "fresh7.jsonl",
            "fresh8.jsonl",
            "fresh9.jsonl",
        ),
    )
