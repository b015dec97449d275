"""Pin of tests/data/mcp_results/fresh13.jsonl, the tool-result regression set written for the change
rt-f9mcp by the engineer about to fix the misses of heldout7.jsonl, after its blind figure and before changing
the detector, and pinned before brandrail was run on any row (README.md of the folder): its sha256 and shape
only. No detector runs here; the set is measured by bench/bench_mcp_results.py (split ``fresh13``)."""

from __future__ import annotations

from content_testlib import check_pinned_results

#: Pinned in the commit that added the set, before any run.
SHA256 = "9252e2ce01c80cfdd08c12b80a87fa25ee341cb9354f60a5c239b9477f3643ab"


def test_fresh13_is_pinned_well_formed_and_new() -> None:
    check_pinned_results(
        "fresh13.jsonl",
        SHA256,
        id_prefix="f13",
        split="fresh13",
        poisoned=27,
        benign=25,
        min_styles=27,
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
            "fresh9.jsonl",
            "heldout5.jsonl",
            "fresh11.jsonl",
            "heldout6.jsonl",
            "fresh12.jsonl",
            "heldout7.jsonl",
        ),
    )
