"""Pin of tests/data/mcp_results/fresh9.jsonl, the tool-result regression set written for the change
rt-fix6mcp by the engineer about to change the result detector, before changing it, and pinned before
brandrail was run on any row (README.md of the folder): its sha256 and shape only. No detector runs here;
the set is measured by bench/bench_mcp_results.py (split ``fresh9``)."""

from __future__ import annotations

from content_testlib import check_pinned_results

#: Pinned in the commit that added the set, before any run.
SHA256 = "fbc72bc55a3faeb9a998b7fbabf5fd3382bee3874fa487dc9a256fa8d32d5c1b"


def test_fresh9_is_pinned_well_formed_and_new() -> None:
    check_pinned_results(
        "fresh9.jsonl",
        SHA256,
        id_prefix="f9",
        split="fresh9",
        poisoned=14,
        benign=14,
        earlier=(
            "poisoned.jsonl",
            "benign.jsonl",
            "heldout2.jsonl",
            "fresh3.jsonl",
            "heldout3.jsonl",
            "fresh6.jsonl",
            "fresh7.jsonl",
            "fresh8.jsonl",
            "heldout4.jsonl",
        ),
    )
