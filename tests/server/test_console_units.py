"""Console helpers: telling HTML from text, and marking spans."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.extras

console = pytest.importorskip("brandrail.service.console")


@pytest.mark.parametrize(
    ("content", "html"),
    [
        ("<b>Spring sale</b> this week", True),
        ("<p>Hi</p>", True),
        ("<!DOCTYPE html><html><body>x</body></html>", True),
        ("<table><tr><td>x</td></tr></table>", True),
        ("Line one<br/>line two", True),
        ("<IMG SRC='x.png'>", True),
        ("if a < b > c then", False),
        ("Save <20%> today", False),
        ("<3 from the team", False),
        ("Reply to <sales@example.com>", False),
        ("plain text", False),
        ("<bold>not a tag we know</bold>", False),
    ],
)
def test_looks_html(content: str, html: bool) -> None:
    assert console._looks_html(content) is html


def test_highlight_marks_spans_and_matches_and_escapes() -> None:
    text = "Our <flimsy> tent & a flimsy bag"
    out = str(console._highlight(text, [(4, 12)], ["bag"]))
    assert out == "Our <mark>&lt;flimsy&gt;</mark> tent &amp; a flimsy <mark>bag</mark>"
    # overlapping and out-of-range spans are ignored rather than garbling the text
    assert str(console._highlight("abcdef", [(0, 3), (2, 5), (4, 99)], [])) == "<mark>abc</mark>def"


def test_budget_rows_come_from_the_gates_counters(tmp_path) -> None:
    """The spend caps shown to a reviewer are the gate's own counters (Gate.cap_use), as committed."""
    from datetime import UTC, datetime

    from brandrail.gate import Gate
    from brandrail.gate.principal import Principal
    from brandrail.policy import policy_from_dict

    policy = policy_from_dict(
        {
            "gate": {
                "content_checks": False,
                "budget": {"campaign_daily_cap": "1000", "agent_cap": "5000", "agent_period": "day"},
            }
        }
    )
    gate = Gate(policy, f"sqlite:///{tmp_path / 'g.db'}")
    now = datetime.now(UTC).isoformat()
    who = Principal("mailer", frozenset({"agent"}), via="api-key")
    spend = {
        "kind": "spend",
        "id": "s1",
        "agent": "mailer",
        "time": now,
        "campaign": "Spring",
        "amount": "100",
    }
    assert gate.decide(spend, principal=who).outcome == "allow"
    rows = console._budget(gate, dict(spend, id="s2", amount="300"), policy, "mailer")
    day = now[:10]
    by_cap = {row["cap"]: row for row in rows}
    assert by_cap[f"campaign spring daily cap ({day})"] == {
        "cap": f"campaign spring daily cap ({day})",
        "limit": "1000",
        "used": "100.00",
        "remaining": "900.00",
        "after this": "600.00",
    }
    assert by_cap[f"agent mailer day cap ({day})"]["remaining"] == "4900.00"
    # another agent has spent nothing from its own cap; the campaign's is shared
    other = {row["cap"]: row for row in console._budget(gate, dict(spend, id="s3"), policy, "other")}
    assert other[f"agent other day cap ({day})"]["used"] == "0.00"
    assert other[f"campaign spring daily cap ({day})"]["used"] == "100.00"
