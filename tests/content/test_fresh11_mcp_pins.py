"""Pin of tests/data/mcp_results/fresh11.jsonl, the tool-result regression set written for the change
rt-f7mcp by the engineer about to fix the misses of heldout5.jsonl, after its blind figure and before changing
the detector, and pinned before brandrail was run on any row (README.md of the folder): its sha256 and shape
only. No detector runs here; the set is measured by bench/bench_mcp_results.py (split ``fresh11``)."""

from __future__ import annotations

from content_testlib import check_pinned_results

#: Pinned in the commit that added the set, before any run.
SHA256 = "b8ec25bfea20171799985a0a7da04400fdeb8b95a87034666f867c7116b45b38"


def test_fresh11_is_pinned_well_formed_and_new() -> None:
    check_pinned_results(
        "fresh11.jsonl",
        SHA256,
        id_prefix="f11",
        split="fresh11",
        poisoned=26,
        benign=28,
        min_styles=26,
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
        ),
    )
