"""Pin of tests/data/mcp_results/fresh7.jsonl, the tool-result regression set written for the change
rt-fixmcp by the engineer about to change the result detector, before changing it, and pinned before
brandrail was run on any row (README.md of the folder): its sha256 and shape only. No detector runs here;
the set is measured by bench/bench_mcp_results.py (split ``fresh7``)."""

from __future__ import annotations

from content_testlib import check_pinned_results

#: Pinned in the commit that added the set, before any run.
SHA256 = "846e73ae470bb37adff492bbed6f726e8b78506cd2b7fb0ed7925e38f5e565e6"


def test_fresh7_is_pinned_well_formed_and_new() -> None:
    check_pinned_results(
        "fresh7.jsonl",
        SHA256,
        id_prefix="f7",
        split="fresh7",
        poisoned=27,
        benign=27,
        earlier=(
            "poisoned.jsonl",
            "benign.jsonl",
            "heldout2.jsonl",
            "fresh3.jsonl",
            "heldout3.jsonl",
        ),
    )
