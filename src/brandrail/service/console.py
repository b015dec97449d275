"""The reviewer console: server-rendered pages over the same approvals and taint code as the API (``/console``).

Sign in with a reviewer (or auditor, read-only) API key. The key is checked once and never kept by the
browser: signing in opens a server-side session (``service/sessions.py``) whose random id is the only thing in
the HttpOnly, SameSite=Strict cookie, and the key behind it is checked again on every request (revoked, expired
or no longer a reviewer or auditor: the session ends). Every form — sign-in, sign-out, approve, reject, lift —
carries a token the server signs (the session's CSRF token, or before sign-in one bound to a nonce cookie);
a missing or wrong one is a 403 page. Failed sign-ins are limited per client address and per key id, counted
in the gate database (service/attempts.py) so every worker and instance shares the limit. Pages: the queue of
pending approvals, one approval (the action, what the gate found with the matched text highlighted, caps and
remaining budget, the content as the customer would see it — HTML in a sandboxed iframe), approve / reject with
a required reason, the history with filters, the ledger status, and the callers held by a tool-result taint
(AG909) — each with the flagged results and what was recorded of them, and a lift bound to the view shown,
through the API's own listing and lift. No JavaScript is needed; nothing is fetched from elsewhere.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote

import sqlalchemy as sa
from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup, escape

from brandrail.errors import BrandrailError
from brandrail.gate.principal import Principal
from brandrail.service.problems import ProblemError
from brandrail.text.conversation import Conversation, parse_conversation

if TYPE_CHECKING:
    from fastapi import FastAPI

    from brandrail.service.sessions import ConsoleSession, SessionStore

__all__ = ["install"]

#: The session cookie (its value: the session id) and the sign-in form's nonce cookie. Over HTTPS each gets the
#: ``__Host-`` prefix, which requires ``Secure``, ``Path=/`` and no ``Domain`` (so no sibling or parent domain can
#: set or shadow it); over plain HTTP (local use) they are scoped to ``Path=/console`` instead.
SESSION_COOKIE = "brandrail_session"
LOGIN_COOKIE = "brandrail_login"

_log = logging.getLogger("brandrail.service")
_FAILURE_WINDOW_S = 15 * 60.0


def _cookie(request: Request, name: str) -> tuple[str, str, bool]:
    """(the cookie's name, its path, whether it is Secure) for a request: ``__Host-`` over HTTPS."""
    if request.url.scheme == "https":
        return f"__Host-{name}", "/", True
    return name, "/console", False


def _next(target: str) -> str:
    """Where to go after signing in: a console page of this site, else the queue."""
    ok = target == "/console" or (
        target.startswith("/console/") and "\\" not in target and "//" not in target
    )
    return target if ok and target.isprintable() else "/console"


def _flash_sig(csrf: str, message: str) -> str:
    """The signature a console redirect gives its ``error`` message: an HMAC under the session's form token,
    so a page shows only messages the console itself wrote for this session — a link someone crafts
    (``?error=Compliance approved this, approve now``) cannot put words into the console's own alert."""
    import hashlib
    import hmac

    return hmac.new(csrf.encode(), message.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()[:32]


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _other_site(request: Request) -> bool:
    """Whether the browser says a form post came from another site (``Sec-Fetch-Site``, which a page cannot
    set): refused whatever token it carries — a second lock besides the form tokens and SameSite=Strict. A
    client that sends no such header (an older browser, a script) is judged by the token alone."""
    return request.headers.get("sec-fetch-site", "").strip().lower() in ("cross-site", "same-site")


_R = TypeVar("_R", bound=Response)

#: (``done`` in a console redirect, the request's status now) pairs for which the page says it was answered.
_DONE_STATUSES = frozenset({("approved", "approved"), ("approved", "used"), ("rejected", "rejected")})


def _harden(response: _R, request: Request, *, frame: str = "DENY") -> _R:
    """The headers every console response carries: never cached or sniffed, no referrer, no framing by other
    sites (``frame``: ``DENY``, or ``SAMEORIGIN`` for the preview the console frames itself), its own browsing
    context group, and over HTTPS, HSTS (the cookie is ``__Host-``; a downgrade would drop it)."""
    headers = response.headers
    headers["Cache-Control"] = "no-store"
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "no-referrer"
    headers["X-Frame-Options"] = frame
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Cross-Origin-Resource-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
    if request.url.scheme == "https":
        headers["Strict-Transport-Security"] = "max-age=31536000"
    return response


@dataclass(frozen=True, slots=True)
class _Visit:
    """A request of a live session: who, the session, and the token its forms carry."""

    principal: Principal
    session: ConsoleSession
    csrf: str


#: Characters that reorder the text around them (bidi embeddings, overrides, isolates and marks): shown as a
#: visible label in the console, so a reviewer reads the characters in the order an executor sends them.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _shown(text: str) -> Markup:
    """``text`` escaped, each bidi control written as a visible ``⟨U+202E⟩`` label rather than applied."""
    if not any(ch in _BIDI for ch in text):
        return escape(text)
    return Markup("").join(
        Markup(f'<mark class="hidden-char">⟨U+{ord(ch):04X}⟩</mark>') if ch in _BIDI else escape(ch)
        for ch in text
    )


def _visible_json(value: Any) -> str:
    """``value`` as indented JSON whose invisible characters (format characters — zero-width, bidi controls —,
    line and paragraph separators, unassigned and private-use code points) are ``\\u`` escapes: the console's
    view of an action shows every character it holds, in the order it holds them."""
    import unicodedata

    text = json.dumps(value, indent=2, ensure_ascii=False)
    return "".join(
        json.dumps(ch)[1:-1] if unicodedata.category(ch) in ("Cf", "Zl", "Zp", "Co", "Cs", "Cn") else ch
        for ch in text
    )


#: What masking leaves in a stored text in place of personal data (``[iban]``, ``[phone]``, ``hash:1a2b…``).
_MASKED = re.compile(r"\[[a-z][a-z_]{1,30}\]|hash:[0-9a-f]{16}")


def _masked_places(policy: Any, *texts: str) -> list[str]:
    """The placeholders masking left in ``texts`` (sorted, once each): the reviewer sees them, the executor
    sends the values the agent wrote. Empty when the policy keeps content unmasked."""
    masking = policy.gate.masking
    if masking.mode == "none" or not masking.content:
        return []
    return sorted({m.group(0) for text in texts for m in _MASKED.finditer(text)})


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
        out.append(_shown(text[pos:start]))
        out.append(Markup("<mark>") + _shown(text[start:end]) + Markup("</mark>"))
        pos = end
    out.append(_shown(text[pos:]))
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
    from brandrail.check_budget import check_text

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


#: The states the taints page filters by: ``held`` (live or tampered: the caller is held either way), one
#: state, or "" (any).
_TAINT_STATES = ("held", "live", "tampered", "expired", "")
#: Finding fields a recorded screening shows (as the shells masked them).
_FINDING_FIELDS = ("code", "severity", "message", "match", "evidence")


def _taint_view_model(row: Any, now: datetime) -> dict[str, Any]:
    """A taint row (:class:`brandrail.gate.taint.TaintRow`) as the taint pages show it: its state, times, what
    caused it (the tool, the codes, the flagged results), its lift, and what is wrong with it."""
    from brandrail.gate.taint import row_results

    by = row.by if isinstance(row.by, dict) else {}
    codes = by.get("codes")
    lifted = by.get("lifted")
    return {
        "key": row.key,
        "state": row.state(now),
        "until": row.until,
        "at": row.at,
        "seq": row.seq,
        "view": row.view,
        "problem": row.problem,
        "tool": by.get("tool") if isinstance(by.get("tool"), str) else None,
        "request_id": by.get("request_id") if isinstance(by.get("request_id"), str) else None,
        "codes": [c for c in codes if isinstance(c, str)] if isinstance(codes, list) else [],
        "cause": _cause_view(by),
        "results": [_result_view(r) for r in row_results(by)],
        "lifted": {k: str(lifted.get(k) or "") for k in ("reviewer", "reason", "at")}
        if isinstance(lifted, dict)
        else None,
    }


def _cause_view(by: dict[str, Any]) -> str:
    """What caused a taint row, in words: a finding of the screen, or where the result came from
    (``integrations.results.taint_on``: the untrusted_tools pattern matched, any, or a tool not named)."""
    if by.get("cause") != "provenance":
        return "finding"
    found = by.get("untrusted")
    untrusted: dict[str, Any] = found if isinstance(found, dict) else {}
    if isinstance(untrusted.get("matched"), str):
        return f"provenance: untrusted_tools {untrusted['matched']}"
    if untrusted.get("tool_named") is False:
        return "provenance: the tool could not be named"
    return "provenance: taint_on any"


def _result_view(result: dict[str, Any]) -> dict[str, Any]:
    """A result a row names (``by.results``: digest, tool, codes, cause) with only text in it: a row edited
    behind the gate is shown too, whatever it holds."""
    codes = result.get("codes")
    return {
        "digest": str(result["digest"]),
        "tool": str(result.get("tool")),
        "codes": [c for c in codes if isinstance(c, str)] if isinstance(codes, list) else [],
        "cause": "provenance" if result.get("cause") == "provenance" else "finding",
    }


def _finding_view(finding: dict[str, Any]) -> dict[str, Any]:
    """A recorded finding of a flagged tool result, its evidence as visible JSON (every character shown)."""
    out = {k: finding.get(k) for k in _FINDING_FIELDS}
    evidence = out.pop("evidence")
    out["evidence"] = _visible_json(evidence) if evidence not in (None, {}, []) else None
    return {k: (v if isinstance(v, str) or v is None else str(v)) for k, v in out.items()}


def install(
    app: FastAPI,
    *,
    gate: Any,
    holder: Any,
    authenticator: Any,
    key_store: Any,
    idle_s: float = 30 * 60.0,
    session_s: float = 12 * 3600.0,
    login_failures: int = 10,
) -> None:
    """Add the console's routes to ``app``. Sessions end after ``idle_s`` seconds unused and ``session_s``
    after sign-in; ``login_failures`` failed sign-ins per client address, and per key id, in any 15 minutes,
    counted in the gate database (0: no limit)."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    from brandrail.gate.approvals import approve, get_approval, ledger_problem, list_approvals, reject
    from brandrail.gate.principal import canonical_id
    from brandrail.gate.taint import (
        MAX_CHAINS,
        MAX_COVERS,
        MAX_RESULTS,
        TaintViewChangedError,
        caller_keys,
        check_key,
        lift_taint,
        list_taints,
        result_screenings,
        row_chains,
        row_results,
    )
    from brandrail.gate.taint import latest_by_digest as latest_results
    from brandrail.policy.sections.gate import parse_duration
    from brandrail.service.attempts import Locked, SignInLimiter
    from brandrail.service.auth import LOCAL_PRINCIPAL
    from brandrail.service.keys import key_id_of
    from brandrail.service.sessions import LOGIN_TOKEN_TTL, SessionStore, hash_session_id, well_formed

    env = Environment(
        loader=PackageLoader("brandrail.service", "templates"),
        autoescape=select_autoescape(["j2", "html"]),
        # every text a page shows (agent names, findings' matches, turns, comments): bidi controls as labels
        finalize=lambda value: _shown(value) if type(value) is str else value,
    )
    idle, absolute = timedelta(seconds=idle_s), timedelta(seconds=session_s)
    if idle <= timedelta(0) or absolute <= timedelta(0):
        from brandrail.errors import UsageError

        raise UsageError(
            f"console session lifetimes must be positive (idle {idle_s:g} s, absolute {session_s:g} s)"
        )
    if login_failures < 0:
        from brandrail.errors import UsageError

        raise UsageError(f"the console's sign-in failure limit must be 0 or more (got {login_failures})")
    lock = threading.Lock()
    state = app.state.brandrail

    def sessions() -> SessionStore:
        """The session store, on the gate's database (made on first use, like the gate)."""
        with lock:
            store: SessionStore | None = state.get("console_sessions")
            if store is None:
                store = SessionStore(gate().store.engine, idle=idle, absolute=absolute)
                state["console_sessions"] = store
        return store

    def attempts() -> SignInLimiter:
        """Failed sign-ins, counted in the gate's database: one limit for every worker and instance."""
        with lock:
            limiter: SignInLimiter | None = state.get("console_sign_in_attempts")
            if limiter is None:
                limiter = SignInLimiter(
                    gate().store.engine, limit=login_failures, window=timedelta(seconds=_FAILURE_WINDOW_S)
                )
                state["console_sign_in_attempts"] = limiter
        return limiter

    def audit(event: str, request: Request, *, level: int = logging.INFO, **fields: Any) -> None:
        """A log line for a sign-in, sign-out or session end (never a key, session id or token)."""
        _log.log(level, event.replace("_", " "), extra={"event": event, "client": _client(request), **fields})

    def sign_in_result(result: str) -> None:
        state["metrics"].console_sign_ins.labels(result).inc()

    def render(
        name: str, request: Request, status: int = 200, visit: _Visit | None = None, **ctx: Any
    ) -> HTMLResponse:
        if visit is not None:
            ctx.update(me=visit.principal, csrf=visit.csrf)
        html = env.get_template(name).render(request=request, policy=holder.policy, **ctx)
        response = HTMLResponse(html, status_code=status)
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-src 'self'; form-action 'self'; "
            "base-uri 'none'; frame-ancestors 'none'"
        )
        return _harden(response, request, frame="DENY")

    def forbidden(request: Request, message: str, visit: _Visit | None = None) -> HTMLResponse:
        back = ("/console", "← Queue") if visit is not None else ("/console/login", "← Sign in")
        return render("console/error.html.j2", request, status=403, visit=visit, message=message, back=back)

    def key_principal(session: ConsoleSession, store: SessionStore) -> Principal | None:
        """The principal of the key behind a session, checked now (None: the key no longer signs anyone in)."""
        if authenticator.disabled:
            return LOCAL_PRINCIPAL if session.key_id is None else None
        if session.key_id is None:
            return None
        if authenticator.keys is None:
            authenticator.keys = key_store()
        found: Principal | None = authenticator.keys.principal_of(session.key_id, now=store.now())
        return found

    def who(request: Request) -> _Visit | None:
        store = sessions()
        name, _, _ = _cookie(request, SESSION_COOKIE)
        session, ended = store.find(request.cookies.get(name))
        if session is None:
            return None
        if ended is not None:
            audit("console_session_ended", request, principal=session.principal, key_id=session.key_id,
                  session=session.id_sha256[:12], reason=ended)  # fmt: skip
            return None
        principal = key_principal(session, store)
        if (
            principal is None
            or principal.id != session.principal
            or not (principal.has("reviewer") or principal.has("auditor"))
        ):
            store.end(session)
            reason = "key no longer valid" if principal is None else "key no longer a reviewer or auditor"
            audit("console_session_ended", request, level=logging.WARNING, principal=session.principal,
                  key_id=session.key_id, session=session.id_sha256[:12], reason=reason)  # fmt: skip
            return None
        request.state.principal = principal  # the request's log line names who made it
        return _Visit(principal, session, store.csrf(session))

    def signed_in(request: Request) -> _Visit | RedirectResponse:
        found = who(request)
        if found is None:
            response = RedirectResponse(f"/console/login?next={quote(request.url.path)}", status_code=303)
            _harden(response, request)
            name, path, secure = _cookie(request, SESSION_COOKIE)
            if name in request.cookies:
                response.delete_cookie(name, path=path, secure=secure, httponly=True, samesite="strict")
            return response
        return found

    def login_form(
        request: Request, next: str, *, status: int = 200, error: str | None = None
    ) -> HTMLResponse:
        """The sign-in page, its form bound to the nonce in the browser's pre-session cookie (set here)."""
        store = sessions()
        name, path, secure = _cookie(request, LOGIN_COOKIE)
        nonce = request.cookies.get(name)
        if not well_formed(nonce):
            nonce = secrets.token_urlsafe(32)
        response = render(
            "console/login.html.j2",
            request,
            status=status,
            error=error,
            next=_next(next),
            login_token=store.login_token(str(nonce)),
        )
        response.set_cookie(
            name,
            str(nonce),
            max_age=int(LOGIN_TOKEN_TTL.total_seconds()),
            httponly=True,
            samesite="strict",
            secure=secure,
            path=path,
        )
        return response

    @app.get("/console/login", include_in_schema=False)
    def login_page(request: Request, next: str = "/console") -> HTMLResponse:
        return login_form(request, next)

    @app.post("/console/login", include_in_schema=False)
    def login(
        request: Request, key: str = Form(""), next: str = Form("/console"), login_token: str = Form("")
    ) -> Any:
        store = sessions()
        login_name, login_path, secure = _cookie(request, LOGIN_COOKIE)
        if _other_site(request) or not store.login_token_ok(request.cookies.get(login_name), login_token):
            sign_in_result("csrf")
            audit(
                "console_sign_in_failed", request, level=logging.WARNING, reason="form token missing or wrong"
            )
            return forbidden(
                request,
                "This sign-in form is not one this console served you, or it expired (its security token is "
                "missing or wrong). Open the sign-in page again.",
            )
        client = _client(request)
        token = key.strip()
        key_id = key_id_of(token)
        try:  # counted before the key is checked, so racing attempts cannot all slip under the limit
            attempt = attempts().attempt([("client", client)] + ([("key", key_id)] if key_id else []))
        except sa.exc.SQLAlchemyError:  # fail closed: no count, no key check
            _log.exception("console sign-in refused: the attempt could not be counted")
            sign_in_result("error")
            return login_form(
                request,
                next,
                status=503,
                error="Sign-in is unavailable right now (the database did not "
                "answer); nothing was checked. Try again shortly.",
            )
        if isinstance(attempt, Locked):
            sign_in_result("limited")
            audit("console_sign_in_failed", request, level=logging.WARNING, reason="too many failed sign-ins",
                  limited_by=attempt.scope, key_id=key_id)  # fmt: skip
            whose = "from your address" if attempt.scope == "client" else f"for key {attempt.subject}"
            response = login_form(
                request,
                next,
                status=429,
                error=f"Too many failed sign-ins {whose}; try again in {attempt.retry_after} s.",
            )
            response.headers["Retry-After"] = str(attempt.retry_after)
            return response
        principal: Principal | None = None
        if token or authenticator.disabled:
            if authenticator.keys is None and not authenticator.disabled:
                authenticator.keys = key_store()
            try:
                principal = authenticator.authenticate(None, token or "local")
            except ProblemError:
                principal = None
        if principal is not None and not (principal.via == "api-key" and key_id is None):
            attempts().forgive(attempt)  # valid credentials are no guess: only failures count
        if principal is not None and principal.via == "jwt":
            sign_in_result("invalid")
            audit("console_sign_in_failed", request, level=logging.WARNING, principal=principal.id,
                  reason="a JWT, not an API key")  # fmt: skip
            return login_form(
                request,
                next,
                status=401,
                error="The console signs in with an API key (brk_…); JWT bearer tokens are for the API.",
            )
        if principal is None or (principal.via == "api-key" and key_id is None):
            sign_in_result("invalid")
            audit(
                "console_sign_in_failed", request, level=logging.WARNING, key_id=key_id, reason="invalid key"
            )
            return login_form(
                request, next, status=401, error="That key is not valid (unknown, revoked or expired)."
            )
        if not (principal.has("reviewer") or principal.has("auditor")):
            sign_in_result("forbidden")
            audit("console_sign_in_failed", request, level=logging.WARNING, principal=principal.id,
                  key_id=key_id, reason="neither a reviewer nor an auditor")  # fmt: skip
            return login_form(
                request, next, status=403, error=f"{principal.id} is neither a reviewer nor an auditor."
            )
        name, path, _ = _cookie(request, SESSION_COOKIE)
        session_id, session = store.create(
            key_id=None if authenticator.disabled else key_id,
            principal=principal.id,
            replacing=request.cookies.get(name),  # the browser's old session ends: ids never carry over
        )
        sign_in_result("ok")
        audit("console_sign_in", request, principal=principal.id, key_id=session.key_id,
              session=hash_session_id(session_id)[:12])  # fmt: skip
        request.state.principal = principal
        done = _harden(RedirectResponse(_next(next), status_code=303), request)
        done.set_cookie(name, session_id, httponly=True, samesite="strict", secure=secure, path=path)
        done.delete_cookie(login_name, path=login_path, secure=secure, httponly=True, samesite="strict")
        return done

    def sign_out(request: Request, csrf: str, *, everywhere: bool) -> Any:
        """End this browser's session, or (``everywhere``) every session of its principal, on every instance;
        the latter is recorded in the ledger."""
        found = who(request)
        if found is not None:
            store = sessions()
            if _other_site(request) or not store.csrf_ok(found.session, csrf):
                return forbidden(
                    request,
                    "The sign-out form's security token is missing or wrong; you are still signed in. "
                    "Sign out from a console page.",
                    found,
                )
            if everywhere:
                ended = store.end_all(
                    gate().store.ledger,
                    by=found.principal.id,
                    principal=found.session.principal,
                    reason="signed out everywhere from the console",
                )
                audit("console_sign_out", request, principal=found.principal.id, key_id=found.session.key_id,
                      session=found.session.id_sha256[:12], everywhere=True, ended=ended)  # fmt: skip
            else:
                store.end(found.session)
                audit("console_sign_out", request, principal=found.principal.id, key_id=found.session.key_id,
                      session=found.session.id_sha256[:12])  # fmt: skip
        response = _harden(RedirectResponse("/console/login", status_code=303), request)
        name, path, secure = _cookie(request, SESSION_COOKIE)
        response.delete_cookie(name, path=path, secure=secure, httponly=True, samesite="strict")
        return response

    @app.post("/console/logout", include_in_schema=False)
    def logout(request: Request, csrf: str = Form("")) -> Any:
        return sign_out(request, csrf, everywhere=False)

    @app.post("/console/logout-everywhere", include_in_schema=False)
    def logout_everywhere(request: Request, csrf: str = Form("")) -> Any:
        return sign_out(request, csrf, everywhere=True)

    @app.get("/console", include_in_schema=False)
    def queue(request: Request) -> Any:
        found = signed_in(request)
        if isinstance(found, RedirectResponse):
            return found
        now = datetime.now(UTC)
        requests = list_approvals(gate().store, "pending", now=now)
        # a request past its expiry can no longer be answered: it is counted, not queued
        pending = [a for a in requests if a.expires_at > now]
        return render(
            "console/queue.html.j2",
            request,
            visit=found,
            pending=pending,
            expired=len(requests) - len(pending),
        )

    @app.get("/console/approvals/{approval_id}", include_in_schema=False)
    def detail(
        request: Request,
        approval_id: str,
        error: str | None = None,
        sig: str | None = None,
        done: str | None = None,
    ) -> Any:
        found = signed_in(request)
        if isinstance(found, RedirectResponse):
            return found
        principal = found.principal
        try:
            item = get_approval(gate().store, approval_id)
        except BrandrailError as exc:
            return render("console/error.html.j2", request, status=404, visit=found, message=exc.message)
        # an edited row shows what the agent did not propose: say so, and offer no answer
        tampered = ledger_problem(gate().store, approval_id)
        action = item.action
        policy = holder.current()
        content = str(action.get("content") or "")
        subject = str(action.get("subject") or "")
        conversation = _turns(action)
        from brandrail.check_budget import checks_within

        with checks_within(request.app.state.brandrail.get("check_pool")):  # BR999 past the check budget
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
            visit=found,
            item=item,
            action_json=_visible_json(action),
            reasons=reasons,
            checks=extra,
            content_marked=_highlight(content, spans("content"), needles) if content else None,
            subject_marked=_highlight(subject, spans("subject"), needles) if subject else None,
            turns=conversation.turns if conversation is not None else (),
            html_preview=is_html,
            masked=_masked_places(policy, content, subject),
            caps=[c for c in caps if len(c) > 1],
            budget=budget,
            own=principal.id in (canonical_id(item.agent), canonical_id(str(action.get("agent") or ""))),
            can_answer=principal.has("reviewer") and item.status == "pending" and tampered is None,
            tampered=tampered,
            # only messages this console wrote for this session (signed), and "done" only when it is true
            error=error
            if error and sig and secrets.compare_digest(sig, _flash_sig(found.csrf, error))
            else None,
            done=done if (done, item.status) in _DONE_STATUSES else None,
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
        return _harden(response, request, frame="SAMEORIGIN")

    def reviewer_form(
        request: Request, csrf: str, target: str, *, undone: str, page: str, refused: str
    ) -> Any | tuple[_Visit, Callable[[str], RedirectResponse]]:
        """The checks every reviewer form runs first: a session (else the sign-in redirect), its CSRF token
        from a same-site page (else the 403 page: nothing was ``undone``; reload ``page``) and the reviewer
        role (else ``refused`` flashed on ``target``). The visit and a ``failed(message)`` that flashes an
        error on ``target``; or the response to return."""
        found = signed_in(request)
        if isinstance(found, RedirectResponse):
            return found

        def failed(message: str) -> RedirectResponse:
            signed = f"error={quote(message)}&sig={_flash_sig(found.csrf, message)}"
            return RedirectResponse(f"{target}?{signed}", status_code=303)

        if _other_site(request) or not sessions().csrf_ok(found.session, csrf):
            return forbidden(
                request,
                "This form's security token is missing or wrong (it did not come from your session's page); "
                f"nothing was {undone}. Reload {page} and try again.",
                found,
            )
        if not found.principal.has("reviewer"):
            return failed(refused)
        return found, failed

    def answer(request: Request, approval_id: str, reason: str, csrf: str, verb: str) -> Any:
        target = f"/console/approvals/{quote(approval_id, safe='')}"
        checked = reviewer_form(
            request,
            csrf,
            target,
            undone="answered",
            page="the request's page",
            refused="Only reviewers can answer approval requests.",
        )
        if not isinstance(checked, tuple):
            return checked
        found, failed = checked
        principal = found.principal
        reason = reason.strip()
        if len(reason) < 3:
            return failed("Give a reason (at least 3 characters): it is recorded in the ledger.")
        fn = approve if verb == "approve" else reject
        try:
            fn(gate().store, approval_id, reviewer=principal, comment=reason, policy=holder.current())
        except BrandrailError as exc:
            return failed(exc.message)
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
        return render("console/history.html.j2", request, visit=found, items=items[:500], filters=filters)

    @app.get("/console/ledger", include_in_schema=False)
    def ledger(request: Request) -> Any:
        found = signed_in(request)
        if isinstance(found, RedirectResponse):
            return found
        from brandrail.gate.bindings import verify_gate_ledger
        from brandrail.service.keys import check_key_rows

        store = gate().store
        report, side = verify_gate_ledger(store.ledger, store.engine)
        side += check_key_rows(store.ledger)
        return render(
            "console/ledger.html.j2",
            request,
            visit=found,
            ok=bool(report) and not side,
            report=report,
            side=side[:50],
        )

    # -- taints (AG909): the callers held after reading a flagged tool result, and the reviewer's lift -------

    @app.get("/console/taints", include_in_schema=False)
    def taints(request: Request, state: str = "held") -> Any:
        found = signed_in(request)
        if isinstance(found, RedirectResponse):
            return found
        if state not in _TAINT_STATES:
            return render(
                "console/error.html.j2",
                request,
                status=400,
                visit=found,
                message=f"state must be one of {', '.join(s or 'any' for s in _TAINT_STATES)} (got {state!r}).",
                back=("/console/taints", "← Taints"),
            )
        now = datetime.now(UTC)
        # the listing the API serves (GET /v1/gate/taints): every row checked against the ledger
        wanted = {"live", "tampered"} if state == "held" else {state}
        rows = [r for r in list_taints(gate().store) if not state or r.state(now) in wanted]
        return render(
            "console/taints.html.j2",
            request,
            visit=found,
            rows=[_taint_view_model(r, now) for r in rows],
            state=state,
            states=_TAINT_STATES,
        )

    def taint_page(
        request: Request,
        visit: _Visit,
        key: str,
        *,
        status: int = 200,
        error: str | None = None,
        done: bool = False,
        reason: str = "",
    ) -> HTMLResponse:
        """One caller's taint as it is now: its rows (every key generation a lift ends), the flagged results
        they name with what the shells recorded of each, and — for a reviewer, while one is live — the lift
        form bound to the view shown here."""
        store = gate().store
        try:
            check_key(key)
        except BrandrailError as exc:
            return render("console/error.html.j2", request, status=404, visit=visit, message=exc.message,
                          back=("/console/taints", "← Taints"))  # fmt: skip
        now = datetime.now(UTC)
        listed = list_taints(store)  # the same listing (and views) as GET /v1/gate/taints
        mine = next((r for r in listed if r.key == key), None)
        if mine is None:
            return render("console/error.html.j2", request, status=404, visit=visit,
                          message=f"no taint row of {key}", back=("/console/taints", "← Taints"))  # fmt: skip
        linked = set(caller_keys(store, key))  # the rows a lift of this key ends (lift_taint's own lookup)
        rows = [r for r in listed if r.key in linked]
        live = [r for r in rows if r.state(now) != "expired"]
        results = latest_results(
            [res for r in live if r.problem is None for res in row_results(r.by)], MAX_RESULTS
        )
        # each chat's mark: a lift that covers it covers every result of the chat up to it, past the 32 above
        chains = latest_results([c for r in live if r.problem is None for c in row_chains(r.by)], MAX_CHAINS)
        try:
            screenings = result_screenings(store, [res["digest"] for res in results])
        except sa.exc.SQLAlchemyError:  # a help to the reviewer: the page still shows what the rows name
            _log.exception("console: the result_screened entries could not be read")
            screenings = {}
        lifted = mine.by.get("lifted") if isinstance(mine.by.get("lifted"), dict) else None
        return render(
            "console/taint.html.j2",
            request,
            status=status,
            visit=visit,
            key=key,
            view=mine.view,
            rows=[_taint_view_model(r, now) for r in rows],
            results=[
                {
                    **_result_view(res),
                    "screenings": [
                        {**s, "findings": [_finding_view(f) for f in s["findings"][:20]]}
                        for s in screenings.get(res["digest"], [])
                    ],
                }
                for res in results
            ],
            chains=[{"digest": str(c["digest"]), "count": int(c["count"])} for c in chains],
            live=bool(live),
            unnamed=any(r.problem is not None or not row_results(r.by) for r in live),
            can_lift=visit.principal.has("reviewer") and bool(live),
            error=error,
            # "lifted" only when it is true: the row is over and the ledger vouches for its lift
            done=lifted if done and lifted is not None and mine.state(now) == "expired" else None,
            reason=reason,
        )

    @app.get("/console/taints/{key}", include_in_schema=False)
    def taint_detail(
        request: Request, key: str, error: str | None = None, sig: str | None = None, done: str | None = None
    ) -> Any:
        found = signed_in(request)
        if isinstance(found, RedirectResponse):
            return found
        signed = bool(error and sig and secrets.compare_digest(sig, _flash_sig(found.csrf, error)))
        return taint_page(request, found, key, error=error if signed else None, done=done == "lifted")

    @app.post("/console/taints/{key}/lift", include_in_schema=False)
    def lift_form(
        request: Request,
        key: str,
        reason: str = Form(""),
        csrf: str = Form(""),
        seen: str = Form(""),
        cover_for: str = Form("24h"),
        covers: list[str] | None = Form(None),
    ) -> Any:
        target = f"/console/taints/{quote(key, safe='')}"
        checked = reviewer_form(
            request,
            csrf,
            target,
            undone="lifted",
            page="the taint's page",
            refused="Only reviewers can lift a taint.",
        )
        if not isinstance(checked, tuple):
            return checked
        found, failed = checked
        principal = found.principal
        reason = reason.strip()
        if not 3 <= len(reason) <= 2000:
            return failed("Give a reason (3 to 2000 characters): it is recorded in the ledger.")
        if not seen:
            return failed("The form did not say which view of the taint you saw; nothing was lifted.")
        if len(covers or ()) > MAX_COVERS:
            return failed(f"A lift covers at most {MAX_COVERS} results; nothing was lifted.")
        try:
            cover = parse_duration(cover_for.strip()[:20])
        except ValueError as exc:
            return failed(f"Cover for: {exc}; nothing was lifted.")
        try:
            # the API's lift (POST /v1/gate/taints/{key}/lift): bound to the view shown, recorded in the ledger
            lift_taint(
                gate().store,
                key,
                reviewer=principal,
                reason=reason,
                policy=holder.current(),
                cover_for=cover,
                covers=covers or [],  # the boxes left ticked: none ticked covers none
                seen=seen,
            )
        except TaintViewChangedError as exc:  # written since the page was shown: show it as it is now
            message = (
                f"Nothing was lifted: {exc.message}. The page now shows the taint as it is; look at it again "
                "and lift again if it is safe."
            )
            return taint_page(request, found, key, status=409, error=message, reason=reason)
        except BrandrailError as exc:
            return failed(exc.message)
        return RedirectResponse(f"{target}?done=lifted", status_code=303)
