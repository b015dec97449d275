"""The gate's demo section: 50 scripted actions, every outcome present, the ledger verified."""

from __future__ import annotations

from brandrail.demo.gate import script, section


def test_demo_section(tmp_path):
    actions = script()
    assert len(actions) == 50 and len({a["id"] for a in actions}) == 50
    result = section(tmp_path)
    rows = dict(result.summary)
    counts = [int(rows[k]) for k in ("allowed", "modified", "sent to review", "denied")]
    assert sum(counts) == 50 and all(counts)
    assert rows["ledger"].startswith("verified") and rows["counters vs ledger"] == "equal"
    assert rows["approval"].endswith("resubmitted: allow")
    page = (tmp_path / "gate-report.html").read_text()
    assert page.count("<tr>") == 52  # header + 50 + the resubmission
    from brandrail.ledger import Ledger

    ledger = Ledger.from_url(f"sqlite:///{tmp_path / 'gate.db'}")
    payloads = [e.payload_json for e in ledger.entries()]
    assert payloads and not any("@example.com" in p or "Sam Walker" in p for p in payloads)  # masked
    ledger.engine.dispose()
