"""The result and definition detectors give the findings recorded from main's code before the speed work.

tests/data/mcp_recorded/detector_output.json was written by the detectors as they stood on main (commit
cb7cddd) over both labelled sets and both splits: per result, each finding's code, family and span, and a
hash of what :func:`screen_text` hands the agent; per definition, each finding's code, family and place. A
change that makes screening faster must leave every one of them as it was.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from brandrail.gate.tooldefs import inspect_definition
from brandrail.gate.toolresults import inspect_result, screen_text

DATA = Path(__file__).resolve().parents[1] / "data"
RECORDED = json.loads((DATA / "mcp_recorded" / "detector_output.json").read_text(encoding="utf-8"))


def _rows(name: str) -> list[dict[str, Any]]:
    return [
        json.loads(line)
        for label in ("benign", "poisoned")
        for line in (DATA / name / f"{label}.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


RESULTS = _rows("mcp_results")
TOOLS = _rows("mcp_tools")


def test_the_record_covers_every_row() -> None:
    assert sorted(RECORDED["mcp_results"]) == sorted(r["id"] for r in RESULTS)
    assert sorted(RECORDED["mcp_tools"]) == sorted(r["id"] for r in TOOLS)


@pytest.mark.parametrize("row", RESULTS, ids=[r["id"] for r in RESULTS])
def test_result_findings_as_recorded(row: dict[str, Any]) -> None:
    found = inspect_result(row["text"])
    got = [
        [
            f.code,
            f.evidence.get("family", "hidden"),
            f.span.start if f.span else None,
            f.span.end if f.span else None,
        ]
        for f in found
    ]
    want = RECORDED["mcp_results"][row["id"]]
    assert got == want["findings"]
    screened = screen_text(row["text"]).text
    assert hashlib.sha256(screened.encode()).hexdigest()[:16] == want["screened_sha"]


@pytest.mark.parametrize("row", TOOLS, ids=[r["id"] for r in TOOLS])
def test_definition_findings_as_recorded(row: dict[str, Any]) -> None:
    found = inspect_definition(row["tool"])
    got = [[f.code, f.evidence.get("family", "hidden"), f.evidence.get("place")] for f in found]
    assert got == RECORDED["mcp_tools"][row["id"]]
