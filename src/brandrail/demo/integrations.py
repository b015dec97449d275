"""Demo section: a scripted support conversation through the guard proxy, against the bundled fake upstream.

A customer chats with Fernhill's support bot. The bot's model (a scripted fake: no network, no model) first
answers off-brand ("cheap", "unbreakable"); the proxy re-asks it with the findings and the customer gets the
fixed reply. A refund the model asks for is gated (within budget: allowed; over the per-action cap: denied,
re-asked, and the customer is answered without it). Every exchange is in the gate's ledger, verified at the
end. Everything runs in process (httpx's ASGI transport), no server is started.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from brandrail.demo import DemoSection, data_path

__all__ = ["conversation", "section"]


def conversation() -> list[tuple[str, list[Any]]]:
    """The customer's messages, each with what the fake model answers (one entry per upstream call)."""
    from brandrail.integrations.fakeupstream import FakeReply, tool_call

    return [
        (
            "Hi! Is the Ridgeline Tent any good in heavy rain?",
            [
                "Yes: the Ridgeline Tent has taped seams and a 3000 mm flysheet, so it stays dry in heavy rain."
            ],
        ),
        (
            "It's a bit over my budget. Do you have anything cheaper?",
            [
                "Sure, our cheap tents are unbreakable too!",
                "Yes: the Trailhead 2 is good value and built to last, with the same taped seams.",
            ],
        ),
        (
            "My order 1042 arrived with a torn pole sleeve. Can I get my £40 back?",
            [FakeReply("", tool_calls=[tool_call("issue_refund", {"order": "1042", "amount": "40.00"})])],
        ),
        (
            "Actually, refund the whole £400 order please.",
            [
                FakeReply("", tool_calls=[tool_call("issue_refund", {"order": "1042", "amount": "400.00"})]),
                "I'm sorry, I can't refund the full order here. A colleague will look at it with you today.",
            ],
        ),
    ]


def run(out_dir: Path) -> list[dict[str, Any]]:
    """Play the conversation through the proxy; one row per customer message."""
    import anyio
    import httpx

    from brandrail.gate.decide import Gate
    from brandrail.integrations.fakeupstream import FakeUpstream
    from brandrail.integrations.proxy import create_proxy_app
    from brandrail.policy import load_policy

    policy = load_policy(data_path("integrations", "support.yaml"))
    db = out_dir / "support-gate.db"
    if db.exists():
        db.unlink()
    gate = Gate(policy, store=f"sqlite:///{db}")
    upstream = FakeUpstream(model="fernhill-support-model")
    app = create_proxy_app(policy, gate=gate, transport=httpx.ASGITransport(app=upstream.app))
    rows: list[dict[str, Any]] = []

    async def play() -> None:
        history: list[dict[str, Any]] = []
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://proxy.local") as client:
            for customer, replies in conversation():
                upstream.script(replies)
                history.append({"role": "user", "content": customer})
                body = {"model": "fernhill-support-model", "messages": history}
                data = (await client.post("/v1/chat/completions", json=body)).json()
                message = data["choices"][0]["message"]
                info = data["brandrail"]
                history.append({"role": "assistant", "content": message.get("content") or ""})
                rows.append(
                    {
                        "customer": customer,
                        "drafts": [
                            (r if isinstance(r, str) else (r.content or _calls(r.tool_calls)))
                            for r in replies
                        ],
                        "reply": message.get("content") or "",
                        "tool_calls": [c["function"]["name"] for c in message.get("tool_calls") or []],
                        "verdict": info["verdict"],
                        "attempts": info["attempts"],
                        "codes": info["attempt_codes"],
                        "tools": info["tools"],
                    }
                )

    anyio.run(play)
    report = gate.store.ledger.verify()
    rows.append({"ledger_ok": report.ok, "ledger_count": report.count})
    gate.store.engine.dispose()
    return rows


def _calls(calls: list[dict[str, Any]]) -> str:
    return "; ".join(f"{c['function']['name']}({c['function']['arguments']})" for c in calls)


def section(out_dir: Path) -> DemoSection:
    rows = run(out_dir)
    ledger = rows.pop()
    reasked = [r for r in rows if r["verdict"] == "reasked"]
    summary = [
        (
            "conversation",
            f"{len(rows)} customer messages through the guard proxy (fake upstream, no network)",
        ),
        (
            "re-ask",
            f"{len(reasked)} repl{'y' if len(reasked) == 1 else 'ies'} re-asked and then passed"
            f" (off-brand: {', '.join(sorted({c for r in reasked for c in r['codes'][0]})) or 'none'};"
            f" tool calls denied: {', '.join(sorted({c for r in rows for t in r['tools'] if not t['allowed'] for c in t['codes']})) or 'none'})",
        ),
        (
            "tool calls",
            ", ".join(f"{t['tool']} {t['outcome']}" for r in rows for t in r["tools"]) or "none",
        ),
        (
            "ledger",
            f"verified, {ledger['ledger_count']} entries" if ledger["ledger_ok"] else "VERIFICATION FAILED",
        ),
    ]
    page = out_dir / "integrations-report.html"
    page.write_text(_html(rows), encoding="utf-8")
    fragment = (
        "<p>A scripted support chat through <code>brandrail proxy</code>: off-brand drafts are re-asked "
        "with the findings as feedback; tool calls are gated.</p>"
    )
    return DemoSection("In the loop: support chat through the guard proxy", summary, fragment, [page])


def _html(rows: list[dict[str, Any]]) -> str:
    body = []
    for r in rows:
        drafts = "".join(f"<li><code>{html.escape(str(d))}</code></li>" for d in r["drafts"])
        body.append(
            "<tr>"
            f"<td>{html.escape(r['customer'])}</td>"
            f"<td><ol>{drafts}</ol></td>"
            f"<td>{html.escape(r['reply'])}"
            + (
                f"<br><small>tool calls: {html.escape(', '.join(r['tool_calls']))}</small>"
                if r["tool_calls"]
                else ""
            )
            + "</td>"
            f"<td>{html.escape(r['verdict'])} ({r['attempts']} attempt{'s' if r['attempts'] != 1 else ''})"
            f"<br><small>{html.escape(json.dumps(r['codes']))}</small></td>"
            "</tr>"
        )
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Fernhill — support chat in the loop"
        "</title><style>body{font-family:system-ui;margin:2em}td,th{border:1px solid #ccc;padding:.4em;"
        "vertical-align:top}table{border-collapse:collapse}</style></head><body>"
        "<h1>Support chat through the guard proxy</h1><table><tr><th>customer</th><th>model drafts "
        "(scripted)</th><th>what the customer got</th><th>verdict</th></tr>"
        + "".join(body)
        + "</table></body></html>\n"
    )
