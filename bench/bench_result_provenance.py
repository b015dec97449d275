"""How many labelled tool results hold the agent's next consequential call (AG909), per ``taint_on`` setting.

    PYTHONPATH=src .venv/bin/python bench/bench_result_provenance.py [--set heldout2|fresh3|heldout3|fresh6|all]

Each result of tests/data/mcp_results (``--set``: heldout2 — the second held-out set, written by an outsider
who had not read the detector, read since to fix the detector —, fresh3 — written before that fix and not
tuned on —, heldout3 — the third held-out set, by another outsider —, fresh6 — written before the
rt-resultleft change —, or all) is sent as the answer to a tool call in a chat, through the chat
shells' own code (:func:`brandrail.integrations.common.screen_chat_results`), by a caller of its own; the
figure is whether the reply's ``issue_refund`` call would be held. The tool's name comes from the row's
``kind``: web → web_fetch, email → gmail_read, feed → product_feed, customer → support_inbox, crm → crm_note.
Under ``flagged`` only the screen decides (what the detector catches); under ``untrusted`` and ``any`` a
result of an untrusted tool holds by construction, flagged or not — the table shows what each setting
costs in benign results held, not a detector's accuracy.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "mcp_results"
TOOLS = {
    "web": "web_fetch",
    "email": "gmail_read",
    "feed": "product_feed",
    "customer": "support_inbox",
    "crm": "crm_note",
}
SETTINGS = {
    "flagged (default)": "taint_on: flagged",
    "untrusted [web_*, gmail_*]": "taint_on: untrusted\n    untrusted_tools: [web_*, gmail_*]",
    "untrusted [web_*, gmail_*, support_*]": "taint_on: untrusted\n    untrusted_tools: [web_*, gmail_*, support_*]",
    "any, trusted [crm_*]": "taint_on: any\n    trusted_tools: [crm_*]",
}
POLICY = """\
version: 1
brand: {name: Bench}
integrations:
  tools:
    issue_refund: {action: spend, args: {campaign: order, amount: amount}, set: {description: refund}}
  results:
    """


def rows(which: str) -> list[dict[str, Any]]:
    every = [
        "benign.jsonl",
        "poisoned.jsonl",
        "heldout2.jsonl",
        "fresh3.jsonl",
        "heldout3.jsonl",
        "fresh6.jsonl",
    ]
    files = every if which == "all" else [f"{which}.jsonl"]
    return [
        json.loads(line)
        for name in files
        for line in (DATA / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def held(setting: str, data: list[dict[str, Any]], tmp: Path) -> dict[str, tuple[int, int]]:
    from brandrail.gate import Gate
    from brandrail.integrations.common import ReplyGuard, ResultTaint, screen_chat_results
    from brandrail.policy import loads_policy

    policy = loads_policy(POLICY + setting + "\n", name="bench.yaml")
    gate = Gate(policy, store=f"sqlite:///{tmp / (str(abs(hash(setting))) + '.db')}")
    guard = ReplyGuard(policy, gate, surface="openai")
    taint = ResultTaint.for_gate(policy.integrations.results, gate)
    out: dict[str, list[int]] = {}
    for n, row in enumerate(data):
        tool = TOOLS[row["kind"]]
        call = {"id": "c1", "type": "function", "function": {"name": tool, "arguments": "{}"}}
        messages = [
            {"role": "user", "content": "Please handle my order."},
            {"role": "assistant", "content": None, "tool_calls": [call]},
            {"role": "tool", "tool_call_id": "c1", "content": row["text"]},
        ]
        caller = taint.caller(credential=f"bench-{n}")
        _, hold = screen_chat_results(guard, taint, caller, messages, f"req-{n}")
        count = out.setdefault(row["label"], [0, 0])
        count[0] += hold("issue_refund") is not None
        count[1] += 1
    gate.store.engine.dispose()
    return {label: (c[0], c[1]) for label, c in out.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--set", choices=["heldout2", "fresh3", "heldout3", "fresh6", "all"], default="heldout2"
    )
    args = parser.parse_args(argv)
    data = rows(args.set)
    print(f"{len(data)} results ({args.set}); the refund after each is held (AG909):")
    print("| taint_on | poisoned held | benign held |\n|---|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for name, setting in SETTINGS.items():
            found = held(setting, data, Path(tmp))
            p, b = found.get("poisoned", (0, 0)), found.get("benign", (0, 0))
            print(f"| {name} | {p[0]}/{p[1]} | {b[0]}/{b[1]} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
