"""Pin of tests/data/mcp_results/fresh12.jsonl, the tool-result regression set written for the change
rt-f8mcp by the engineer about to fix the misses of heldout6.jsonl, after its blind figure and before changing
the detector, and pinned before brandrail was run on any row (README.md of the folder): its sha256 and shape
only. No detector runs here; the set is measured by bench/bench_mcp_results.py (split ``fresh12``)."""

from __future__ import annotations

from content_testlib import check_pinned_results

#: Pinned in the commit that added the set, before any run.
SHA256 = "9ca6649fb3f83083df66d2a2053f0692e56bfcf09cb2fbb43d2e2b9bdf3479e6"


def test_fresh12_is_pinned_well_formed_and_new() -> None:
    check_pinned_results(
        "fresh12.jsonl",
        SHA256,
        id_prefix="f12",
        split="fresh12",
        poisoned=22,
        benign=24,
        min_styles=22,
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
        ),
    )
