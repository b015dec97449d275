"""The demo step: a scripted support chat through the proxy; a re-ask fixes the off-brand reply."""

from __future__ import annotations

from pathlib import Path

from brandrail.demo.integrations import run, section


def test_demo_reask_fixes_off_brand_reply(tmp_path: Path) -> None:
    rows = run(tmp_path)
    ledger = rows.pop()
    assert (
        ledger["ledger_ok"] and ledger["ledger_count"] == 7
    )  # 4 exchanges, 2 gate decisions, 1 outcome report
    off_brand = rows[1]
    assert off_brand["verdict"] == "reasked" and off_brand["attempts"] == 2
    assert "cheap" not in off_brand["reply"] and "unbreakable" not in off_brand["reply"]
    # "cheap" is a banned term; "unbreakable" is also an absolute claim (BR201)
    assert off_brand["codes"][0] == ["BR101", "BR201"]
    assert rows[2]["tool_calls"] == ["issue_refund"]
    assert rows[3]["tool_calls"] == [] and rows[3]["tools"][0]["outcome"] == "deny"


def test_demo_section_writes_report(tmp_path: Path) -> None:
    result = section(tmp_path)
    rows = dict(result.summary)
    assert rows["ledger"].startswith("verified")
    assert "re-asked" in rows["re-ask"]
    page = (tmp_path / "integrations-report.html").read_text()
    assert page.count("<tr>") == 5
