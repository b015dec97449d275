"""Commands of the gate pillar: ``gate decide|outcome|replay|reconcile|consent|suppress``, ``approvals …``
and ``brandrail test`` (registered on brandrail.cli._app)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from brandrail.cli._app import app, approvals_app, gate_app, taint_app
from brandrail.cli._common import EXIT_FINDINGS, EXIT_OK, Format, dump_json, fail, text_or_json, user_errors

if TYPE_CHECKING:
    from brandrail.gate.store import GateStore
    from brandrail.policy import Policy

_DEFAULT_DB = "sqlite:///.brandrail/gate.db"

PolicyOpt = Annotated[
    Path | None,
    typer.Option(
        "--policy",
        "-p",
        help="Policy file (default: the nearest brandrail.yaml, else $BRANDRAIL_POLICY).",
        show_default=False,
    ),
]
DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="State store / ledger URL (default: the policy's gate.store_url, else .brandrail/gate.db).",
    ),
]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format: text or json.")]


def _policy(path: Path | None) -> Policy:
    from brandrail.policy import load_policy
    from brandrail.policy.discovery import find_policy

    return load_policy(find_policy(path))


def _store(db: str | None, policy: Policy | None = None, *, existing: bool = False) -> GateStore:
    """The gate's store at ``--db`` (else the policy's, else the default). ``existing``: a command that only
    reads (or repairs) an existing store refuses a SQLite file that is not there instead of creating it."""
    from brandrail.errors import UsageError
    from brandrail.gate.store import GateStore

    url = db or (policy.gate.store_url if policy is not None else _DEFAULT_DB)
    if existing:
        from brandrail.ledger._store import sqlite_file

        path = sqlite_file(url)
        if path is not None and not path.is_file():
            raise UsageError(
                f"no gate database at {path}",
                hint="pass the gate's database with --db URL (this command reads it and never creates one)",
            )
    try:
        store = GateStore.from_url(url)
        if policy is not None:  # pseudonyms under the policy's key (gate.privacy), not the default one
            from brandrail.gate.pseudonyms import PseudonymKeys

            store.keys = PseudonymKeys.load(policy.gate.privacy)
            store.phone_region = policy.gate.privacy.phone_region
        return store
    except UsageError:
        raise
    except Exception as exc:
        from brandrail.errors import GateError

        if isinstance(exc, GateError):
            raise
        from brandrail.ledger._store import without_password

        raise UsageError(
            f"cannot open the gate store {without_password(url)!r}: {without_password(str(exc), url)}",
            hint="check --db",
        ) from None


def _optional_policy(path: Path | None) -> Policy | None:
    """The policy given or found (docs/cli.md), else None (its key settings then default)."""
    from brandrail.policy import load_policy
    from brandrail.policy.discovery import find_optional_policy

    found = find_optional_policy(path)
    return load_policy(found) if found is not None else None


def _existing_store(db: str | None, policy_file: Path | None) -> GateStore:
    """The store a read-only command reads: ``--db``, else the store_url of the policy given or found (never
    its pseudonym key: these commands show what is stored and record nothing)."""
    policy = None if db is not None else _optional_policy(policy_file)
    return _store(db or (str(policy.gate.store_url) if policy is not None else None), existing=True)


def _read_action(path: Path) -> Any:
    from brandrail.errors import InputError
    from brandrail.text.io import decode, read_input

    name, raw = read_input(str(path))  # bounded, regular files or standard input only
    text = decode(raw, name)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"the action file is not valid JSON: {exc.msg}", location=f"{path}:{exc.lineno}:{exc.colno}"
        ) from None


# -- gate -------------------------------------------------------------------------------------------------


@gate_app.command("decide")
@user_errors
def gate_decide(
    action_file: Annotated[Path, typer.Argument(help="The action as JSON ('-' reads stdin).")],
    policy_file: PolicyOpt = None,
    db: DbOpt = None,
    fmt: FormatOpt = Format.text,
    trust_time: Annotated[
        bool,
        typer.Option(
            "--trust-time",
            help="Replay/test mode: take the action's time and send_at at their word instead of the clock.",
        ),
    ] = False,
) -> None:
    """Decide one action: allow, modify, review or deny. Exit 0 for allow/modify, 1 for deny/review."""
    text_or_json(fmt)
    policy = _policy(policy_file)
    raw = _read_action(action_file)
    from brandrail.gate import Gate

    decision = Gate(policy, _store(db, policy), trust_action_time=trust_time).decide(raw)
    if fmt is Format.json:
        sys.stdout.write(dump_json(decision.to_dict()))
    else:
        print(decision.message())
        if decision.modified_action is not None:
            print("modified action:")
            print(json.dumps(decision.modified_action.model_dump(mode="json"), indent=2, ensure_ascii=False))
    raise typer.Exit(EXIT_OK if decision.allowed else EXIT_FINDINGS)


@gate_app.command("outcome")
@user_errors
def gate_outcome(
    decision_id: Annotated[str, typer.Argument(help="The decision id.")],
    executed: Annotated[
        bool, typer.Option("--executed/--not-executed", help="Whether the action was carried out.")
    ] = True,
    policy_file: PolicyOpt = None,
    db: DbOpt = None,
) -> None:
    """Report whether an allowed action was carried out (--not-executed releases its reservations)."""
    from brandrail.gate import Gate
    from brandrail.policy import Policy

    policy = _optional_policy(policy_file) or Policy()
    Gate(policy, _store(db, policy)).report_outcome(decision_id, executed)
    print(f"{decision_id}: {'executed' if executed else 'not executed; reservations released'}")


@gate_app.command("replay")
@user_errors
def gate_replay(
    policy_file: PolicyOpt = None,
    db: DbOpt = None,
    fmt: FormatOpt = Format.text,
) -> None:
    """Run the ledger's past actions through a (new) policy; list every decision that would change.

    Exit 0 when nothing changes, 1 when some decision would change.
    """
    text_or_json(fmt)
    policy = _policy(policy_file)
    from brandrail.gate.replay import replay

    report = replay(policy, _store(db, policy, existing=True))
    if fmt is Format.json:
        sys.stdout.write(dump_json(report.to_dict()))
    else:
        print(
            f"replayed {report.replayed} of {report.decisions} decisions under policy {policy.short_version}"
            + (f" ({report.skipped} without a replayable action)" if report.skipped else "")
        )
        for change in report.changes:
            old = f"{change.old_outcome} [{', '.join(change.old_codes)}]"
            new = f"{change.new_outcome} [{', '.join(change.new_codes)}]"
            print(f"  #{change.seq} {change.kind} {change.action_id}: {old} -> {new}")
        print(f"{len(report.changes)} decision(s) would change")
    raise typer.Exit(EXIT_FINDINGS if report.changes else EXIT_OK)


@gate_app.command("reconcile")
@user_errors
def gate_reconcile(db: DbOpt = None, policy_file: PolicyOpt = None) -> None:
    """Check that the counters and window events equal what the ledger's decisions imply."""
    store = _existing_store(db, policy_file)
    problems = store.reconcile()
    for p in problems:
        print(f"{p.key}: stored {p.stored}, ledger implies {p.from_ledger}")
    print(
        "counters match the ledger" if not problems else f"{len(problems)} counter(s) differ from the ledger"
    )
    raise typer.Exit(EXIT_FINDINGS if problems else EXIT_OK)


@gate_app.command("consent")
@user_errors
def gate_consent(
    recipient: Annotated[str, typer.Argument(help="Recipient id.")],
    channel: Annotated[str, typer.Argument(help="email, sms or push.")],
    granted: Annotated[
        bool, typer.Option("--grant/--withdraw", help="Record a grant or a withdrawal.")
    ] = True,
    source: Annotated[str | None, typer.Option("--source", help="Where the consent came from.")] = None,
    db: DbOpt = None,
    policy_file: PolicyOpt = None,
) -> None:
    """Record a recipient's marketing consent for a channel in the gate store (under its pseudonym)."""
    if channel not in ("email", "sms", "push"):
        fail(f"unknown channel {channel!r}", hint="use email, sms or push")
    _store(db, _optional_policy(policy_file)).set_consent(recipient, channel, granted, source=source)
    print(f"{recipient} {channel}: consent {'granted' if granted else 'withdrawn'}")


@gate_app.command("gpc")
@user_errors
def gate_gpc(
    recipient: Annotated[str, typer.Argument(help="Recipient id, e-mail address or phone number.")],
    seen: Annotated[
        bool,
        typer.Option(
            "--seen/--clear", help="Record that GPC was sent, or lift the record for this identifier."
        ),
    ] = True,
    source: Annotated[str | None, typer.Option("--source", help="Where the signal was seen.")] = None,
    db: DbOpt = None,
    policy_file: PolicyOpt = None,
) -> None:
    """Remember a recipient's Global Privacy Control signal: personalised sends to them are denied (AG404)
    even when an action leaves gpc out."""
    from brandrail.gate.consent import record_gpc

    record_gpc(_store(db, _optional_policy(policy_file)), recipient, seen=seen, source=source)
    print(f"{recipient}: GPC {'on record' if seen else 'record lifted'}")


@gate_app.command("suppress")
@user_errors
def gate_suppress(
    value: Annotated[str, typer.Argument(help="Recipient id, e-mail address or phone number.")],
    channel: Annotated[str, typer.Option("--channel", help="email, sms, push or * for all.")] = "*",
    reason: Annotated[str | None, typer.Option("--reason", help="Why (unsubscribed, bounced, ...).")] = None,
    db: DbOpt = None,
    policy_file: PolicyOpt = None,
) -> None:
    """Add a recipient to the suppression list (as the keyed hash of the normalised identifier)."""
    if channel not in ("email", "sms", "push", "*"):
        fail(f"unknown channel {channel!r}", hint="use email, sms, push or *")
    _store(db, _optional_policy(policy_file)).suppress(value, channel, reason=reason)
    print(f"suppressed {value} on {channel}")


@gate_app.command("schema")
@user_errors
def gate_schema() -> None:
    """Print the JSON Schema of gate actions."""
    from brandrail.gate.actions import action_json_schema

    sys.stdout.write(dump_json(action_json_schema()))


# -- approvals --------------------------------------------------------------------------------------------


def _approval_line(a: Any) -> str:
    """One line for a reviewer's terminal: control, format and bidi characters in the agent's text (its name,
    action id, reasons quoting its content) are written as escapes, so they cannot rewrite what is shown."""
    from brandrail.gate.bindings import printable

    reasons = "; ".join(str(r.get("message", "")) for r in a.reasons)
    who = f" by {a.reviewer}" if a.reviewer else ""
    return printable(f"{a.id}  {a.status}{who}  {a.kind}  agent={a.agent}  action={a.action_id}  {reasons}")


@approvals_app.command("list")
@user_errors
def approvals_list(
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            help="pending, approved, rejected, used, or expired (unanswered or unused past expiry; default: all).",
        ),
    ] = None,
    db: DbOpt = None,
    policy_file: PolicyOpt = None,
    fmt: FormatOpt = Format.text,
) -> None:
    """List approval requests."""
    text_or_json(fmt)
    if status is not None and status not in ("pending", "approved", "rejected", "used", "expired"):
        fail(f"unknown status {status!r}", hint="use pending, approved, rejected, used or expired")
    from brandrail.gate.approvals import list_approvals

    items = list_approvals(_existing_store(db, policy_file), status)
    if fmt is Format.json:
        sys.stdout.write(dump_json({"schema_version": 1, "approvals": [a.to_dict() for a in items]}))
        return
    for a in items:
        print(_approval_line(a))
    print(f"{len(items)} approval request(s)")


@approvals_app.command("show")
@user_errors
def approvals_show(
    approval_id: Annotated[str, typer.Argument(help="The approval request id (apr_…).")],
    db: DbOpt = None,
    policy_file: PolicyOpt = None,
    fmt: FormatOpt = Format.text,
) -> None:
    """Show one approval request: the (masked) action, the reasons, the answer."""
    text_or_json(fmt)
    from brandrail.gate.approvals import get_approval

    a = get_approval(_existing_store(db, policy_file), approval_id)
    if fmt is Format.json:
        sys.stdout.write(dump_json(a.to_dict()))
        return
    print(_approval_line(a))
    print(
        f"created {a.created_at.isoformat()}, expires {a.expires_at.isoformat()}, "
        f"policy {a.policy_version[:12]}"
    )
    from brandrail.gate.bindings import printable

    if a.comment:
        print(printable(f"comment: {a.comment}"))
    print(printable(json.dumps(a.action, indent=2, ensure_ascii=False)))


def _answer(
    approval_id: str, reviewer: str, comment: str, db: str | None, approve: bool, policy_file: Path | None
) -> None:
    from brandrail.gate import approvals

    policy = _policy(policy_file)  # reviewers must be registered under gate.principals
    func = approvals.approve if approve else approvals.reject
    a = func(_store(db, policy), approval_id, reviewer=reviewer, comment=comment, policy=policy)
    print(f"{a.id}: {a.status} by {a.reviewer}" + (f" — {a.comment}" if a.comment else ""))


ReviewerOpt = Annotated[
    str,
    typer.Option(
        "--reviewer",
        "-r",
        help="Who reviews: a principal registered with the reviewer role under gate.principals (never "
        "the proposing agent).",
    ),
]
CommentOpt = Annotated[str, typer.Option("--comment", "-m", help="Why.")]


@approvals_app.command("approve")
@user_errors
def approvals_approve(
    approval_id: Annotated[str, typer.Argument(help="The approval request id.")],
    reviewer: ReviewerOpt,
    comment: CommentOpt = "",
    db: DbOpt = None,
    policy_file: PolicyOpt = None,
) -> None:
    """Approve a pending request; the identical action, resubmitted, is then allowed exactly once."""
    _answer(approval_id, reviewer, comment, db, True, policy_file)


@approvals_app.command("reject")
@user_errors
def approvals_reject(
    approval_id: Annotated[str, typer.Argument(help="The approval request id.")],
    reviewer: ReviewerOpt,
    comment: CommentOpt = "",
    db: DbOpt = None,
    policy_file: PolicyOpt = None,
) -> None:
    """Reject a pending request; resubmitting the identical action is then denied (AG703)."""
    _answer(approval_id, reviewer, comment, db, False, policy_file)


# -- the taint of a flagged tool result (AG909) -----------------------------------------------------------


def _taint_line(row: Any, now: Any) -> str:
    """One line of ``gate taint list``: key, state, until, what caused it, when; the agent's text escaped."""
    from brandrail.gate.bindings import printable

    by = row.by if isinstance(row.by, dict) else {}
    until = row.until.isoformat() if row.until is not None else "-"
    if row.problem is not None:
        cause = f"record {row.problem}"
    else:
        codes = ",".join(str(c) for c in by.get("codes") or []) or "-"
        # by what: a finding of the screen (codes), or where the result came from (integrations.results.taint_on)
        why = by.get("cause") if by.get("cause") in ("finding", "provenance") else "finding"
        found = by.get("untrusted")
        untrusted: dict[str, Any] = found if isinstance(found, dict) else {}
        if why == "provenance" and isinstance(untrusted.get("matched"), str):
            why += f"({untrusted['matched']})"
        elif why == "provenance" and untrusted.get("tool_named") is False:
            why += "(tool unnamed)"
        elif why == "provenance" and untrusted.get("taint_on") == "any":
            why += "(any)"
        cause = f"tool={by.get('tool')} by={why} codes={codes} at={row.at or '-'}"
        lifted = by.get("lifted")
        if isinstance(lifted, dict):
            cause += f" lifted by {lifted.get('reviewer')}: {lifted.get('reason')}"
        covers = by.get("covers")
        if isinstance(covers, list) and covers:
            cause += f" covers={len(covers)}"
    view = f"  view={row.view}" if getattr(row, "view", None) else ""
    return printable(f"{row.key}  {row.state(now)}  until={until}  {cause}{view}")


@taint_app.command("list")
@user_errors
def taint_list(
    state: Annotated[
        str | None,
        typer.Option("--state", help="live, expired or tampered (default: all)."),
    ] = None,
    db: DbOpt = None,
    policy_file: PolicyOpt = None,
    fmt: FormatOpt = Format.text,
) -> None:
    """List the callers' taint rows: key (a keyed digest), state, until, what caused it."""
    text_or_json(fmt)
    if state is not None and state not in ("live", "expired", "tampered"):
        fail(f"unknown state {state!r}", hint="use live, expired or tampered")
    from datetime import UTC, datetime

    from brandrail.gate.taint import list_taints

    now = datetime.now(UTC)
    rows = [r for r in list_taints(_existing_store(db, policy_file)) if state in (None, r.state(now))]
    if fmt is Format.json:
        sys.stdout.write(dump_json({"schema_version": 1, "taints": [r.to_dict(now) for r in rows]}))
        return
    for row in rows:
        print(_taint_line(row, now))
    print(f"{len(rows)} taint row(s)")


@taint_app.command("lift")
@user_errors
def taint_lift(
    key: Annotated[str, typer.Argument(help="The caller key, as `gate taint list` shows it.")],
    reviewer: ReviewerOpt,
    reason: Annotated[str, typer.Option("--reason", "-m", help="Why (recorded in the ledger).")],
    cover_for: Annotated[
        str,
        typer.Option(
            "--cover-for",
            help="How long the flagged results the taint names stop tainting this caller when sent again "
            "(a chat resends its history): 30s, 90m, 24h, 7d, 2w; 0s: not at all.",
        ),
    ] = "24h",
    cover: Annotated[
        list[str] | None,
        typer.Option(
            "--cover",
            help="A result you looked at (its digest, r:…, as `gate taint list --format json` shows it in "
            "by.results); repeat for each. Only these are covered. Default: every result the rows name. "
            "Without --seen, name every result the taint names.",
        ),
    ] = None,
    seen: Annotated[
        str | None,
        typer.Option(
            "--seen",
            help="The view of the taint you reviewed (view=tv:…, as `gate taint list` shows it on the "
            "caller's line): the lift is refused if anything was written since (a result the caller read "
            "after your review).",
        ),
    ] = None,
    db: DbOpt = None,
    policy_file: PolicyOpt = None,
) -> None:
    """End a caller's taint now (every key generation's row), after a review of the flagged result (reviewer
    role); recorded in the ledger with the results it covers."""
    from brandrail.gate.bindings import printable
    from brandrail.gate.taint import lift_taint
    from brandrail.policy.sections.gate import parse_duration

    try:
        cover_time = parse_duration(cover_for)
    except ValueError as exc:
        fail(f"--cover-for: {exc}", hint="for example --cover-for 24h, or --cover-for 0s")
    policy = _policy(policy_file)  # reviewers must be registered under gate.principals
    row = lift_taint(
        _store(db, policy, existing=True),
        key,
        reviewer=reviewer,
        reason=reason,
        policy=policy,
        cover_for=cover_time,
        covers=cover or None,
        seen=seen,
    )
    lifted = row.by["lifted"]
    print(printable(f"{row.key}: lifted by {lifted['reviewer']} — {lifted['reason']}"))
    others = [k for k in lifted.get("keys", []) if k != row.key]
    if others:
        print(printable(f"also lifted (the same caller under another pseudonym key): {', '.join(others)}"))
    covers = lifted.get("covers") or []
    if covers:
        print(f"covers {len(covers)} flagged result(s) until {lifted['covers_until']}")
    chains = lifted.get("chains") or []
    if chains:
        counts = ", ".join(str(c.get("count")) for c in chains if isinstance(c, dict))
        print(
            f"and every result of {len(chains)} chat(s) up to its mark (results: {counts}), sent again in order"
        )


@taint_app.command("prune")
@user_errors
def taint_prune(
    older_than: Annotated[
        str,
        typer.Option(
            "--older-than", help="Delete rows that ended longer ago than this (30s, 90m, 24h, 7d, 2w)."
        ),
    ] = "30d",
    db: DbOpt = None,
    policy_file: PolicyOpt = None,
) -> None:
    """Delete expired taint rows the ledger vouches for; each deletion is recorded in the ledger."""
    from brandrail.gate.taint import prune_taints
    from brandrail.policy.sections.gate import parse_duration

    try:
        age = parse_duration(older_than)
    except ValueError as exc:
        fail(f"--older-than: {exc}", hint="for example --older-than 30d")
    result = prune_taints(_existing_store(db, policy_file), age)
    print(f"pruned {len(result.pruned)} expired taint row(s)")
    if result.skipped:
        from brandrail.gate.bindings import printable

        print(
            printable(
                f"left {len(result.skipped)} row(s) the ledger does not vouch for (they hold; lift them): "
                + ", ".join(result.skipped)
            )
        )


# -- brandrail test ---------------------------------------------------------------------------------------


@app.command("test")
@user_errors
def test_cases(
    cases_file: Annotated[Path, typer.Argument(help="YAML file of gate cases (see docs/gate.md).")],
    policy_file: PolicyOpt = None,
    fmt: FormatOpt = Format.text,
) -> None:
    """Run gate policy tests: given state + action → expected decision and codes. Exit 1 if any case fails."""
    text_or_json(fmt)
    policy = _policy(policy_file)
    from brandrail.gate.casefile import load_cases, run_cases

    report = run_cases(policy, load_cases(cases_file))
    if fmt is Format.json:
        sys.stdout.write(dump_json(report.to_dict()))
    else:
        for r in report.results:
            mark = "PASS" if r.passed else "FAIL"
            got = f"{r.decision} [{', '.join(r.codes)}]"
            print(f"{mark}  {r.name}: {got}" + ("" if r.passed else f" — {'; '.join(r.problems)}"))
        passed = sum(r.passed for r in report.results)
        print(f"{passed}/{len(report.results)} case(s) passed")
        if report.unexercised:
            print(f"gate rules no case exercised: {', '.join(report.unexercised)}")
    raise typer.Exit(EXIT_OK if report.passed else EXIT_FINDINGS)
