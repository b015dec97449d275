"""The reviewer console: server-rendered pages over the same approvals API (``/console``).

Sign in with a reviewer (or auditor, read-only) API key; the key is kept in an HttpOnly, SameSite=Strict
cookie and verified on every request exactly like the ``Authorization`` header. Every form carries a CSRF token
derived from the key. Pages: the queue of pending approvals, one approval (the action, what the gate found with
the matched text highlighted, caps and remaining budget, the content as the customer would see it — HTML in a
sandboxed iframe), approve / reject with a required reason, the history with filters, and the ledger status.
No JavaScript is needed; nothing is fetched from elsewhere.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from markupsafe import Markup, escape

from brandrail.errors import BrandrailError
from brandrail.gate.principal import Principal
from brandrail.service.problems import ProblemError
from brandrail.text.conversation import Conversation, parse_conversation

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["install"]

COOKIE = "brandrail_key"


def _csrf(key: str) -> str:
    return hmac.new(key.encode(), b"brandrail-console-csrf", hashlib.sha256).hexdigest()[:32]


def _highlight(text: str, spans: list[tuple[int, int]], needles: list[str]) -> Markup:
    """``text`` escaped, with each span (character offsets) and each occurrence of a matched string marked."""
    marks = [(a, b) for a, b in spans if 0 <= a < b <= len(text)]
    lowered = text.lower()
    for needle in {n for n in needles if n and len(n) < 500}:
        start = 0
        low = needle.lower()
        while (found := lowered.find(low, start)) >= 0:
            marks.append((found, found + len(needle)))
            start = found + len(needle)
    marks.sort()
    out: list[Markup] = []
    pos = 0
    for start, end in marks:
        if start < pos:
            continue
        out.append(escape(text[pos:start]))
        out.append(Markup("<mark>") + escape(text[start:end]) + Markup("</mark>"))
        pos = end
    out.append(escape(text[pos:]))
    return Markup("").join(out)


_HTML_TAG = re.compile(
    r"<(?:!doctype\s+html|/?(?:html|head|body|p|div|span|table|thead|tbody|tr|td|th|br|hr|a|img|h[1-6]|ul|ol|li"
    r"|b|i|u|em|strong|small|sup|sub|font|center|style|section|article|header|footer|nav|main|button|blockquote"
    r"|pre|code|picture|source|figure|figcaption))(?=[\s/>])",
    re.IGNORECASE,
)


def _looks_html(content: str) -> bool:
    """Whether a message is HTML (rendered in the preview) rather than text: it has an HTML element's tag."""
    return _HTML_TAG.search(content) is not None


def _turns(action: dict[str, Any]) -> Conversation | None:
    """The conversation a reply answers (its ``turns``), when the action carries a valid one."""
    turns = action.get("turns")
    if not isinstance(turns, list):
        return None
    try:
        return parse_conversation(turns, source="turns")
    except BrandrailError:
        return None


def _content_findings(
    content: str, subject: str, action: dict[str, Any], policy: Any, conversation: Conversation | None = None
) -> list[dict[str, Any]]:
    """What brandrail's content checks say about the message (warnings included, which the gate lets through).

    Each finding carries the field it is in (``content`` or ``subject``) and its span in that field's text; a
    reply's content is checked with ``conversation`` (the turns it answers) in view.
    """
    from brandrail.engine import check_text

    channel = action.get("channel")
    channel = channel if isinstance(channel, str) and channel in (policy.channels or {}) else None
    out: list[dict[str, Any]] = []
    for field, text, kind in (
        ("subject", subject, "text"),
        ("content", content, "html" if _looks_html(content) else "text"),
    ):
        if not text:
            continue
        try:
            result = check_text(
                text,
                policy,
                channel=channel,
                kind=kind,  # type: ignore[arg-type]
                conversation=conversation if field == "content" else None,
            )
        except BrandrailError:
            continue
        for f in result.findings:
            span = f.span
            out.append(
                {
                    "code": f.code,
                    "severity": str(getattr(f.severity, "value", f.severity)),
                    "message": f.message,
                    "match": f.match,
                    "field": field,
                    "span": (span.start, span.end) if span is not None else None,
                }
            )
    return out


def _budget(gate: Any, action: dict[str, Any], policy: Any, agent: str = "") -> list[dict[str, str]]:
    """For a spend: its caps (the campaign's daily cap, the agent's cap for its period, the account's daily
    cap), what is already reserved against each, and what would remain after it. ``agent`` is the principal
    that proposed it."""
    from decimal import Decimal, InvalidOperation

    from brandrail.gate.identity import canonical_name

    if action.get("kind") != "spend" or not isinstance(action.get("campaign"), str):
        return []
    budget = policy.gate.budget
    campaign = canonical_name(action["campaign"])
    caps = {canonical_name(k): v for k, v in budget.campaign_caps.items()}
    cap = caps.get(campaign, budget.campaign_daily_cap)
    rows: list[dict[str, str]] = []
    try:
        amount = Decimal(str(action.get("amount")))
        when = datetime.fromisoformat(str(action.get("time")))
    except (InvalidOperation, ValueError):
        return rows
    spend_over = policy.gate.approvals.spend_over
    if spend_over is not None:
        rows.append({"cap": "approvals.spend_over", "limit": str(spend_over), "amount": str(amount)})
    if budget.max_per_action is not None:
        rows.append(
            {"cap": "budget.max_per_action", "limit": str(budget.max_per_action), "amount": str(amount)}
        )
    utc = when.astimezone(UTC) if when.tzinfo else when
    day = utc.date().isoformat()

    # the gate's own counters for this action (Gate.cap_use: AG102 the campaign's cap, AG103 the agent's,
    # AG106 the account's)
    try:
        uses = {use.code: use for use in gate.cap_use(action, principal=agent or None, at=when)}
    except BrandrailError:
        return rows

    def counter_row(label: str, code: str) -> None:
        use = uses.get(code)
        if use is None:
            return
        rows.append(
            {
                "cap": label,
                "limit": str(limit_of[code]),
                "used": f"{use.used:.2f}",
                "remaining": f"{use.remaining:.2f}",
                "after this": f"{use.after:.2f}",
            }
        )

    limit_of: dict[str, Decimal] = {}
    if cap is not None:
        limit_of["AG102"] = cap
        counter_row(f"campaign {campaign} daily cap ({day})", "AG102")
    if budget.agent_cap is not None and agent:
        if budget.agent_period == "day":
            bucket = day
        elif budget.agent_period == "week":
            iso = utc.isocalendar()
            bucket = f"{iso.year}-W{iso.week:02d}"
        else:
            bucket = utc.strftime("%Y-%m")
        limit_of["AG103"] = budget.agent_cap
        counter_row(f"agent {agent} {budget.agent_period} cap ({bucket})", "AG103")
    if budget.daily_cap is not None:
        limit_of["AG106"] = budget.daily_cap
        counter_row(f"account daily cap ({day})", "AG106")
    return rows


def install(app: FastAPI, *, gate: Any, holder: Any, authenticator: Any, key_store: Any) -> None:
    """Add the console's routes to ``app``."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    from brandrail.gate.approvals import approve, get_approval, ledger_problem, list_approvals, reject
    from brandrail.gate.principal import canonical_id

    env = Environment(
        loader=PackageLoader("brandrail.service", "templates"), autoescape=select_autoescape(["j2", "html"])
    )

    def render(name: str, request: Request, status: int = 200, **ctx: Any) -> HTMLResponse:
        html = env.get_template(name).render(request=request, policy=holder.policy, **ctx)
        response = HTMLResponse(html, status_code=status)
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-src 'self'; form-action 'self'; "
            "base-uri 'none'; frame-ancestors 'none'"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    def who(request: Request) -> tuple[Principal, str] | None:
        key = request.cookies.get(COOKIE)
        if not key:
            return None
        if authenticator.keys is None and not authenticator.disabled:
            authenticator.keys = key_store()
        try:
            principal = authenticator.authenticate(None, key)
        except ProblemError:
            return None
        if not (principal.has("reviewer") or principal.has("auditor")):
            return None
        return principal, key

    def signed_in(request: Request) -> tuple[Principal, str] | RedirectResponse:
        found = who(request)
        if found is None:
            return RedirectResponse(f"/console/login?next={quote(request.url.path)}", status_code=303)
        return found

    @app.get("/console/login", include_in_schema=False)
    def login_page(request: Request, next: str = "/console") -> HTMLResponse:
        return render(
            "console/login.html.j2", request, next=next if next.startswith("/console") else "/console"
        )

    @app.post("/console/login", include_in_schema=False)
    def login(request: Request, key: str = Form(...), next: str = Form("/console")) -> Any:
        if authenticator.keys is None and not authenticator.disabled:
            authenticator.keys = key_store()
        try:
            principal = authenticator.authenticate(None, key.strip())
        except ProblemError:
            return render(
                "console/login.html.j2",
                request,
                status=401,
                error="That key is not valid (unknown, revoked or expired).",
                next=next,
            )
        if not (principal.has("reviewer") or principal.has("auditor")):
            return render(
                "console/login.html.j2",
                request,
                status=403,
                error=f"{principal.id} is neither a reviewer nor an auditor.",
                next=next,
            )
        response = RedirectResponse(next if next.startswith("/console") else "/console", status_code=303)
        response.set_cookie(
            COOKIE,
            key.strip(),
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            path="/console",
        )
        return response

    @app.post("/console/logout", include_in_schema=False)
    def logout() -> Any:
        response = RedirectResponse("/console/login", status_code=303)
        response.delete_cookie(COOKIE, path="/console")
        return response

    @app.get("/console", include_in_schema=False)
    def queue(request: Request) -> Any:
        found = signed_in(request)
        if isinstance(found, RedirectResponse):
            return found
        principal, key = found
        now = datetime.now(UTC)
        requests = list_approvals(gate().store, "pending", now=now)
        # a request past its expiry can no longer be answered: it is counted, not queued
        pending = [a for a in requests if a.expires_at > now]
        return render(
            "console/queue.html.j2",
            request,
            me=principal,
            csrf=_csrf(key),
            pending=pending,
            expired=len(requests) - len(pending),
        )

    @app.get("/console/approvals/{approval_id}", include_in_schema=False)
    def detail(request: Request, approval_id: str, error: str | None = None, done: str | None = None) -> Any:
        found = signed_in(request)
        if isinstance(found, RedirectResponse):
            return found
        principal, key = found
        try:
            item = get_approval(gate().store, approval_id)
        except BrandrailError as exc:
            return render("console/error.html.j2", request, status=404, me=principal, message=exc.message)
        # an edited row shows what the agent did not propose: say so, and offer no answer
        tampered = ledger_problem(gate().store, approval_id)
        action = item.action
        policy = holder.current()
        content = str(action.get("content") or "")
        subject = str(action.get("subject") or "")
        conversation = _turns(action)
        checks = _content_findings(content, subject, action, policy, conversation)
        reasons = [dict(r) for r in item.reasons]
        seen = {(r.get("code"), r.get("match")) for r in reasons}
        extra = [c for c in checks if (c["code"], c["match"]) not in seen]

        def spans(field: str) -> list[tuple[int, int]]:
            found = [c["span"] for c in checks if c["field"] == field and c["span"]]
            for r in reasons:
                sp = r.get("span")
                if r.get("path") == field and isinstance(sp, dict):
                    found.append((int(sp.get("start", -1)), int(sp.get("end", -1))))
            return found

        needles = [str(r.get("match")) for r in reasons if r.get("match") and not r.get("span")]
        is_html = _looks_html(content)
        caps = [
            {
                "code": r.get("code"),
                **{
                    k: v
                    for k, v in (r.get("evidence") or {}).items()
                    if k
                    in ("cap", "used", "remaining", "amount", "key", "window", "limit", "value", "threshold")
                },
            }
            for r in reasons
            if isinstance(r.get("evidence"), dict)
        ]
        try:
            budget = _budget(gate(), action, policy, item.agent)
        except Exception:  # the figures are a help to the reviewer; never fail the page over them
            budget = []
        return render(
            "console/approval.html.j2",
            request,
            me=principal,
            csrf=_csrf(key),
            item=item,
            action_json=json.dumps(action, indent=2, ensure_ascii=False),
            reasons=reasons,
            checks=extra,
            content_marked=_highlight(content, spans("content"), needles) if content else None,
            subject_marked=_highlight(subject, spans("subject"), needles) if subject else None,
            turns=conversation.turns if conversation is not None else (),
            html_preview=is_html,
            caps=[c for c in caps if len(c) > 1],
            budget=budget,
            own=principal.id in (canonical_id(item.agent), canonical_id(str(action.get("agent") or ""))),
            can_answer=principal.has("reviewer") and item.status == "pending" and tampered is None,
            tampered=tampered,
            error=error,
            done=done if done in ("approved", "rejected") else None,
        )

    @app.get("/console/approvals/{approval_id}/preview", include_in_schema=False)
    def preview(request: Request, approval_id: str) -> Any:
        """The message's HTML alone, for the sandboxed iframe: its own styles, no scripts, nothing fetched."""
        found = signed_in(request)
        if isinstance(found, RedirectResponse):
            return found
        try:
            item = get_approval(gate().store, approval_id)
        except BrandrailError as exc:
            raise ProblemError(404, exc.message) from None
        response = HTMLResponse(str(item.action.get("content") or ""))
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox; frame-ancestors 'self'"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    def answer(request: Request, approval_id: str, reason: str, csrf: str, verb: str) -> Any:
        found = signed_in(request)
        if isinstance(found, RedirectResponse):
            return found
        principal, key = found
        target = f"/console/approvals/{quote(approval_id)}"
        if not hmac.compare_digest(csrf.encode("utf-8", "surrogatepass"), _csrf(key).encode()):
            return RedirectResponse(
                f"{target}?error={quote('The form expired; reload the page and try again.')}", status_code=303
            )
        if not principal.has("reviewer"):
            return RedirectResponse(
                f"{target}?error={quote('Only reviewers can answer approval requests.')}", status_code=303
            )
        reason = reason.strip()
        if len(reason) < 3:
            return RedirectResponse(
                f"{target}?error={quote('Give a reason (at least 3 characters): it is recorded in the ledger.')}",
                status_code=303,
            )
        fn = approve if verb == "approve" else reject
        try:
            fn(gate().store, approval_id, reviewer=principal, comment=reason, policy=holder.current())
        except BrandrailError as exc:
            return RedirectResponse(f"{target}?error={quote(exc.message)}", status_code=303)
        state = app.state.brandrail
        state["metrics"].approvals.labels("approved" if verb == "approve" else "rejected").inc()
        done = "approved" if verb == "approve" else "rejected"
        return RedirectResponse(f"{target}?done={done}", status_code=303)

    @app.post("/console/approvals/{approval_id}/approve", include_in_schema=False)
    def approve_form(request: Request, approval_id: str, reason: str = Form(""), csrf: str = Form("")) -> Any:
        return answer(request, approval_id, reason, csrf, "approve")

    @app.post("/console/approvals/{approval_id}/reject", include_in_schema=False)
    def reject_form(request: Request, approval_id: str, reason: str = Form(""), csrf: str = Form("")) -> Any:
        return answer(request, approval_id, reason, csrf, "reject")

    @app.get("/console/history", include_in_schema=False)
    def history(
        request: Request, status: str = "", agent: str = "", kind: str = "", reviewer: str = ""
    ) -> Any:
        found = signed_in(request)
        if isinstance(found, RedirectResponse):
            return found
        principal, _key = found
        items = [a for a in list_approvals(gate().store) if a.status != "pending"]
        if status:
            items = [a for a in items if a.status == status]
        if agent:
            items = [a for a in items if agent.lower() in a.agent.lower()]
        if kind:
            items = [a for a in items if a.kind == kind]
        if reviewer:
            items = [a for a in items if a.reviewer and reviewer.lower() in a.reviewer.lower()]
        items.sort(key=lambda a: a.decided_at or a.created_at, reverse=True)
        filters = {"status": status, "agent": agent, "kind": kind, "reviewer": reviewer}
        return render("console/history.html.j2", request, me=principal, items=items[:500], filters=filters)

    @app.get("/console/ledger", include_in_schema=False)
    def ledger(request: Request) -> Any:
        found = signed_in(request)
        if isinstance(found, RedirectResponse):
            return found
        principal, _key = found
        from brandrail.gate.bindings import check_side_tables
        from brandrail.service.keys import check_key_rows

        store = gate().store
        report = store.ledger.verify()
        side = check_side_tables(store.ledger, store.engine) + check_key_rows(store.ledger)
        return render(
            "console/ledger.html.j2",
            request,
            me=principal,
            ok=bool(report) and not side,
            report=report,
            side=side[:50],
        )
