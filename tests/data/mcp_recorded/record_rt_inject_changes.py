"""Write rt_inject_changes.json: each labelled result and composite (tests/gate/test_gate_toolresults_recorded.py)
whose findings the rt-inject families changed, with its findings and screened-text hash as the detector now
gives them. Run from the repository root after a deliberate change to those families:

    PYTHONPATH=src python tests/data/mcp_recorded/record_rt_inject_changes.py

The test then checks that every record only adds findings of the added families to main's, on poisoned rows.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "gate"))

from brandrail.gate.toolresults import inspect_result, screen_text  # noqa: E402


def main() -> None:
    out_path = HERE / "rt_inject_changes.json"
    if not out_path.exists():
        out_path.write_text('{"mcp_results": {}, "composites": {}}\n', encoding="utf-8")
    import test_gate_toolresults_recorded as recorded

    def findings(text: str) -> list[list[Any]]:
        return [
            [
                f.code,
                f.evidence.get("family", "hidden"),
                f.span.start if f.span else None,
                f.span.end if f.span else None,
            ]
            for f in inspect_result(text)
        ]

    def screened(text: str) -> str:
        return hashlib.sha256(screen_text(text).text.encode()).hexdigest()[:16]

    out: dict[str, dict[str, Any]] = {"mcp_results": {}, "composites": {}}
    for row in recorded.RESULTS:
        got = findings(row["text"])
        if got != recorded.RECORDED["mcp_results"][row["id"]]["findings"]:
            out["mcp_results"][row["id"]] = {"findings": got, "screened_sha": screened(row["text"])}
    for n, text in enumerate(recorded.composites()):
        got = findings(text)
        if got != recorded.COMPOSITES[n]["findings"]:
            out["composites"][str(n)] = {"findings": got, "screened_sha": screened(text)}
    out_path.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(out['mcp_results'])} results and {len(out['composites'])} composites changed")


if __name__ == "__main__":
    main()
