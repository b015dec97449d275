"""Demo section: a scripted Fernhill marketing agent proposes 50 actions to the gate.

The agent buys ads, e-mails and texts customers, changes prices, builds audiences and posts on social
media; the gate allows, modifies, sends to review or denies each one. A reviewer approves one request and
the agent resubmits it; every decision is in the ledger, which is verified at the end, and the counters
are reconciled against it.
"""

from __future__ import annotations

import html
import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from brandrail.demo import DemoSection, data_path

__all__ = ["script", "section"]

T0 = datetime(2026, 5, 4, 11, 40, tzinfo=UTC)
CUSTOMERS = [f"c{n:02d}" for n in range(1, 13)]
ZONES = ["Europe/London", "Europe/Berlin", "America/New_York", "Asia/Tokyo"]


def script(seed: int = 7) -> list[dict[str, Any]]:
    """The 50 actions the scripted agent proposes, in order (deterministic)."""
    rng = random.Random(seed)
    actions: list[dict[str, Any]] = []

    def add(kind: str, **fields: Any) -> None:
        n = len(actions) + 1
        moment = T0 + timedelta(minutes=7 * n)
        actions.append(
            {
                "kind": kind,
                "id": f"fh-{n:03d}",
                "agent": "fernhill-agent",
                "time": moment.isoformat(),
                **fields,
            }
        )

    audiences = [
        ([{"attribute": "interest", "value": "hiking"}], 40_000),
        ([{"attribute": "interest", "value": "camping"}], 250_000),
        ([{"attribute": "health_condition", "value": "asthma"}], 3_000),
        ([{"attribute": "age", "op": "lt", "value": 16}], 8_000),
        ([{"attribute": "religion", "value": "any"}], 9_000),
    ]
    # the campaign's audience is declared first: its marketing sends are counted against it (AG503, AG504)
    for criteria, size in audiences:
        add("target_audience", campaign="spring", criteria=criteria, estimated_size=size)
    lines = [
        "Spring trail season is here: new tents in store.",
        "Cheap tents for the weekend!",
        "Your Fernhill order has shipped.",
        "Crap weather? Our jackets keep you dry.",
        "Members get early access to the summer sale.",
    ]
    for i in range(16):
        customer = CUSTOMERS[i % len(CUSTOMERS)]
        channel = "sms" if i % 4 == 3 else "email"
        add(
            "send_message",
            channel=channel,
            recipient={
                "id": customer,
                "email": f"{customer}@example.com",
                "phone": "+44 7700 900123",
                "name": "Sam Walker",
                "timezone": ZONES[i % len(ZONES)],
            },
            content=lines[i % len(lines)],
            personalised=i % 5 == 4,
            campaign="spring",
        )
    for amount in ("120.00", "180.00", "240.00", "90.00", "300.00", "750.00", "230.00", "200.00", "150.00"):
        add("spend", campaign="spring", amount=amount)
    for item, price, cost in (
        ("tent-2p", "189.00", "110.00"),
        ("tent-2p", "129.00", "110.00"),
        ("socks", "11.00", "9.80"),
        ("jacket", "240.00", "120.00"),
        ("jacket", "300.00", "120.00"),
    ):
        add("set_price", item=item, price=price, cost=cost)
    for discount, segment in (
        (15, {}),
        (35, {}),
        (45, {}),
        (10, {"age_band": "65+"}),
        (20, {"loyalty_tier": "gold"}),
    ):
        add("set_discount", item="jacket", discount=discount, price="240.00", cost="120.00", segment=segment)
    for text in (
        "Sunrise over Fernhill ridge. #trailready",
        "Cheap gear, big adventures",
        "This crap tent survived",
    ):
        add("post_social", platform="instagram", content=text)
    add("reply_customer", conversation="conv-88", content="Sorry about the delay: your tent ships tomorrow.")
    add("launch_campaign", campaign="summer", budget="5000")
    add("set_budget", campaign="spring", amount="25000")
    add("custom", name="issue_gift_card", args={"value": 25, "currency": "GBP"})
    add("custom", name="issue_gift_card", args={"value": 500, "currency": "GBP"})
    add("custom", name="delete_all_reviews", args={})
    add("pause_campaign", campaign=rng.choice(["winter-clearance", "ski-2025"]))
    return actions


def section(out_dir: Path) -> DemoSection:
    from brandrail.gate import Gate, GateStore, approve
    from brandrail.gate.principal import Principal
    from brandrail.policy import load_policy

    policy = load_policy(data_path("gate", "policy.yaml"))
    db = out_dir / "gate.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    store = GateStore.from_url(f"sqlite:///{db}")
    now = [T0]
    gate = Gate(policy, store, clock=lambda: now[0])
    for customer in CUSTOMERS[:10]:
        store.set_consent(customer, "email", True, source="signup form")
        store.set_consent(customer, "sms", True, source="checkout")
    store.suppress("c03@example.com", "email", reason="unsubscribed")

    rows: list[tuple[str, str, str, str]] = []
    counts: Counter[str] = Counter()
    launch_review = None
    for data in script():
        now[0] = datetime.fromisoformat(data["time"])
        decision = gate.decide(data)
        counts[decision.outcome] += 1
        if decision.outcome == "review" and data["kind"] == "launch_campaign":
            launch_review = (data, decision)
        if decision.allowed:
            gate.report_outcome(decision.decision_id, executed=True)
        reasons = "; ".join(f"{f.code} {f.message}" for f in decision.findings if f.code.startswith("AG"))
        rows.append((data["id"], data["kind"], decision.outcome, reasons))
    resubmitted = ""
    if launch_review is not None:
        data, decision = launch_review
        approve(
            store,
            str(decision.approval_id),
            reviewer=Principal("ana@fernhill", frozenset({"reviewer"}), via="config"),
            comment="ok for launch week",
            now=now[0],
        )
        again = gate.decide({**data, "time": now[0].isoformat()})  # resubmitted now, by the gate's clock
        resubmitted = f"{data['id']} approved by ana@fernhill, resubmitted: {again.outcome}"
        rows.append((data["id"] + " (resubmitted)", data["kind"], again.outcome, "approved by ana@fernhill"))
    report = store.ledger.verify()
    mismatches = store.reconcile()
    page = out_dir / "gate-report.html"
    page.write_text(_html(rows, counts, report.ok, report.count, len(mismatches)), encoding="utf-8")
    summary = [
        ("actions proposed", "50"),
        ("allowed", str(counts["allow"])),
        ("modified", str(counts["modify"])),
        ("sent to review", str(counts["review"])),
        ("denied", str(counts["deny"])),
        ("approval", resubmitted or "none"),
        ("ledger", f"{'verified' if report.ok else 'TAMPERED'} ({report.count} entries)"),
        ("counters vs ledger", "equal" if not mismatches else f"{len(mismatches)} differ"),
    ]
    fragment = (
        f"<p>A scripted agent proposed 50 actions: {counts['allow']} allowed, {counts['modify']} modified, "
        f"{counts['review']} sent to review, {counts['deny']} denied. "
        f"<a href='{page.name}'>Every decision</a>.</p>"
    )
    store.engine.dispose()
    return DemoSection("Agent action gate", summary, fragment, [page])


def _html(
    rows: list[tuple[str, str, str, str]], counts: Counter[str], ok: bool, entries: int, bad: int
) -> str:
    colour = {"allow": "#1a7f37", "modify": "#9a6700", "review": "#0969da", "deny": "#cf222e"}
    body = "".join(
        f"<tr><td>{html.escape(i)}</td><td>{html.escape(k)}</td>"
        f"<td style='color:{colour.get(o, '#000')};font-weight:600'>{o}</td><td>{html.escape(r)}</td></tr>"
        for i, k, o, r in rows
    )
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Fernhill — agent action gate</title>"
        "<style>body{font:14px/1.5 system-ui,sans-serif;max-width:1100px;margin:2rem auto;padding:0 1rem}"
        "table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left}"
        "</style></head><body><h1>Agent action gate — Fernhill Outdoor</h1>"
        f"<p>allowed {counts['allow']} · modified {counts['modify']} · review {counts['review']} · "
        f"denied {counts['deny']}</p><p>Ledger: {'verified' if ok else 'TAMPERED'}, {entries} entries; "
        f"counters {'equal the ledger' if not bad else f'{bad} differ from the ledger'}.</p>"
        "<table><tr><th>action</th><th>kind</th><th>decision</th><th>gate reasons</th></tr>"
        f"{body}</table></body></html>\n"
    )
