"""``brandrail serve`` and ``brandrail keys create|list|revoke`` (registered on brandrail.cli._app)."""

from __future__ import annotations

import json
import logging
import math
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from brandrail.cli._app import app
from brandrail.cli._common import Format, dump_json, fail, text_or_json, user_errors

__all__ = ["keys_app", "sessions_app"]

keys_app = typer.Typer(
    help="Create, list and revoke the service's API keys (stored hashed in the gate database).",
    no_args_is_help=True,
)
app.add_typer(keys_app, name="keys")
sessions_app = typer.Typer(
    help="List and end the reviewer console's sessions (kept in the gate database).", no_args_is_help=True
)
app.add_typer(sessions_app, name="sessions")

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
        "--db", help="Gate database URL (default: the policy's gate.store_url).", show_default=False
    ),
]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="text or json.")]


def _policy(path: Path | None) -> Any:
    from brandrail.policy import load_policy
    from brandrail.policy.discovery import find_policy

    return load_policy(find_policy(path))


def _store_url(db: str | None, policy: Path | None) -> str:
    """``--db``, else the policy's gate store; a policy given with ``--policy`` is always read and checked."""
    from brandrail.policy.discovery import find_optional_policy

    loaded = _policy(policy) if policy is not None else None
    if db:
        return db
    found = find_optional_policy(policy)
    if loaded is None and found is None:
        return "sqlite:///.brandrail/gate.db"
    return str((loaded or _policy(found)).gate.store_url)


class _JsonFormatter(logging.Formatter):
    """One JSON object per log line: time, level, logger, message and the record's structured fields."""

    # uvicorn's `color_message` is its message again with ANSI colour codes, for its own terminal formatter
    _SKIP = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {
        "message",
        "asctime",
        "color_message",
    }

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,
        }
        data.update({k: v for k, v in record.__dict__.items() if k not in self._SKIP})
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, default=str)


def _log_config(fmt: str) -> dict[str, Any]:
    formatter = (
        {"()": _JsonFormatter}
        if fmt == "json"
        else {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "default", "stream": "ext://sys.stderr"}
        },
        "loggers": {
            "brandrail": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            "uvicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        },
    }


_SERVE_HELP = """Serve the HTTP API, the reviewer console (/console) and the offline API docs (/docs).

Every endpoint but /healthz and /readyz needs an API key (brandrail keys create) or a JWT verified against
--jwks. More than one worker needs the gate on PostgreSQL. Send SIGHUP (or POST /v1/admin/reload) to reload the
policy file; an invalid file is refused and the running policy kept.
"""


@app.command("serve", help=_SERVE_HELP)
@user_errors
def serve(
    policy: PolicyOpt = None,
    host: Annotated[str, typer.Option(help="Interface to bind (default: loopback only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.", min=1, max=65535)] = 8080,
    db: DbOpt = None,
    workers: Annotated[
        int, typer.Option(help="Worker processes (more than 1 needs PostgreSQL).", min=1, max=64)
    ] = 1,
    no_auth: Annotated[
        bool,
        typer.Option(
            "--no-auth", help="No authentication: every caller has every role (loopback only, for local use)."
        ),
    ] = False,
    jwks: Annotated[
        Path | None, typer.Option(help="JWKS file: also accept JWT bearer tokens signed by its keys.")
    ] = None,
    jwt_issuer: Annotated[str | None, typer.Option(help="Required 'iss' of JWTs (with --jwks).")] = None,
    jwt_audience: Annotated[str | None, typer.Option(help="Required 'aud' of JWTs (with --jwks).")] = None,
    max_body: Annotated[int, typer.Option(help="Largest request body in bytes (413 above).", min=1024)] = 2
    * 1024
    * 1024,
    body_timeout: Annotated[
        float, typer.Option(help="Seconds a request body may take to arrive (408 after).", min=0.1)
    ] = 15.0,
    header_timeout: Annotated[
        float,
        typer.Option(help="Seconds a request's line and headers may take to arrive (408 after).", min=0.1),
    ] = 10.0,
    rate: Annotated[
        float, typer.Option(help="Requests per second per principal and worker (429 above; 0: off).", min=0)
    ] = 200.0,
    log_format: Annotated[str, typer.Option(help="Log lines as json or text.")] = "json",
    watch_policy: Annotated[
        float,
        typer.Option(
            help="Seconds between checks of the policy file for changes (0: reload only on SIGHUP or "
            "POST /v1/admin/reload).",
            min=0,
        ),
    ] = 1.0,
    no_console: Annotated[
        bool, typer.Option("--no-console", help="Do not serve the reviewer console.")
    ] = False,
    console_idle: Annotated[
        str, typer.Option(help="A console session unused this long ends (e.g. 30m, 1h).")
    ] = "30m",
    console_session: Annotated[
        str, typer.Option(help="A console session ends this long after sign-in, used or not (e.g. 12h).")
    ] = "12h",
    console_login_failures: Annotated[
        int,
        typer.Option(
            help="Failed console sign-ins allowed per client address, and per key id, in any 15 minutes; "
            "shared by every worker and instance on the database (0: no limit).",
            min=0,
        ),
    ] = 10,
    check_budget: Annotated[
        float,
        typer.Option(
            help="CPU seconds the content checks of one request may use (/v1/check, a batch, an action's "
            "content); past it the check is stopped and answers BR999, never a pass.",
        ),
    ] = 5.0,
    check_wall: Annotated[
        float | None,
        typer.Option(
            help="Wall seconds the content checks of one request may take (default: 4 × --check-budget).",
            show_default=False,
        ),
    ] = None,
    check_processes: Annotated[
        int,
        typer.Option(
            help="Processes per worker that run content checks: at most this many checks at once per "
            "worker, and at most --workers × this many CPUs busy with checks.",
            min=1,
            max=256,
        ),
    ] = 2,
    trusted_proxy: Annotated[
        list[str] | None,
        typer.Option(
            "--trusted-proxy",
            help="A reverse proxy's IP address or network whose X-Forwarded-For and X-Forwarded-Proto are "
            "believed (repeatable). Without it, no forwarded header is believed.",
            show_default=False,
        ),
    ] = None,
) -> None:
    import uvicorn

    from brandrail.server import ServiceConfig, create_app
    from brandrail.service.limits import Limits
    from brandrail.service.protocol import uvicorn_options

    if log_format not in ("json", "text"):
        fail(f"--log-format {log_format!r} is not json or text")
    for flag, value in (
        ("--body-timeout", body_timeout),
        ("--header-timeout", header_timeout),
        ("--rate", rate),
        ("--watch-policy", watch_policy),
    ):
        if not math.isfinite(value) or value > 86_400:
            fail(f"{flag} {value} is not a finite number of at most 86400", hint=f"e.g. {flag} 15")
    for flag, seconds in (("--check-budget", check_budget), ("--check-wall", check_wall)):
        if seconds is not None and not (math.isfinite(seconds) and 0 < seconds <= 3600):
            fail(
                f"{flag} {seconds:g} is not a number of seconds above 0 and at most 3600",
                hint=f"e.g. {flag} 5",
            )
    from brandrail.errors import UsageError
    from brandrail.service.keys import parse_duration

    lifetimes: list[float] = []
    for flag, text in (("--console-idle", console_idle), ("--console-session", console_session)):
        try:
            lifetimes.append(parse_duration(text).total_seconds())
        except UsageError:
            fail(
                f"{flag} {text!r} is not a duration", hint=f"e.g. {flag} {'30m' if 'idle' in flag else '12h'}"
            )
    idle_s, session_s = lifetimes
    from brandrail.service.proxies import parse_trusted_proxies

    proxies = parse_trusted_proxies(trusted_proxy or ())
    from brandrail.policy.discovery import find_policy

    policy_path = find_policy(policy)
    loaded = _policy(policy_path)
    store = db or str(loaded.gate.store_url)
    if workers > 1 and not store.startswith(("postgresql", "postgres")):
        fail(
            f"--workers {workers} needs the gate on PostgreSQL (the store is {store.split('://')[0]})",
            hint="pass --db postgresql://user@host/db, or run one worker",
        )
    if no_auth and host not in ("127.0.0.1", "localhost", "::1"):
        fail("--no-auth is only allowed on a loopback interface", hint="drop --no-auth and create API keys")
    if jwks is not None and not (jwt_issuer and jwt_audience):
        fail("--jwks needs --jwt-issuer and --jwt-audience")
    config = ServiceConfig(
        policy_path=str(policy_path.resolve()),
        gate_store=store,
        auth="none" if no_auth else "keys",
        jwks=str(jwks.resolve()) if jwks else None,
        jwt_issuer=jwt_issuer,
        jwt_audience=jwt_audience,
        limits=Limits(
            max_body_bytes=max_body, body_timeout_s=body_timeout, rate_per_s=rate, burst=max(1, int(rate * 2))
        ),
        console=not no_console,
        reload_check_s=watch_policy,
        console_idle_s=idle_s,
        console_session_s=session_s,
        console_login_failures=console_login_failures,
        trusted_proxies=proxies,
        check_cpu_s=check_budget,
        check_wall_s=check_wall,
        check_processes=check_processes,
    )
    print(
        f"brandrail serving policy {loaded.short_version} on http://{host}:{port} "
        f"({workers} worker{'s' if workers > 1 else ''}; console at /console, docs at /docs)",
        file=sys.stderr,
    )
    common: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_config": _log_config(log_format),
        "timeout_keep_alive": 5,
        "h11_max_incomplete_event_size": 64 * 1024,  # request line and headers
        "server_header": False,
        "proxy_headers": False,  # brandrail believes forwarded headers only from --trusted-proxy addresses
        **uvicorn_options(header_timeout),
    }
    if workers > 1:
        os.environ["BRANDRAIL_SERVE_CONFIG"] = config.to_env()
        uvicorn.run("brandrail.server:app_from_env", factory=True, workers=workers, **common)
    else:
        uvicorn.run(create_app(loaded, config=config), **common)


@keys_app.command("create")
@user_errors
def keys_create(
    principal: Annotated[
        str, typer.Argument(help="Who the key is for: the agent, executor or person's name.")
    ],
    role: Annotated[
        list[str],
        typer.Option("--role", "-r", help="agent, executor, reviewer, auditor or admin (repeatable)."),
    ],
    expires: Annotated[str | None, typer.Option(help="Expiry, e.g. 90d, 12h, 2w (default: never).")] = None,
    note: Annotated[str, typer.Option(help="A note kept with the key.")] = "",
    policy: PolicyOpt = None,
    db: DbOpt = None,
    output_format: FormatOpt = Format.text,
) -> None:
    """Create an API key. The key is printed once and never stored: keep it in your secret manager."""
    text_or_json(output_format)
    from brandrail.service.keys import KeyStore, parse_duration

    key, record = KeyStore(_store_url(db, policy)).create(
        principal, role, expires_in=parse_duration(expires) if expires else None, note=note
    )
    if output_format is Format.json:
        sys.stdout.write(dump_json({"schema_version": 1, "key": key, **record.to_dict()}))
        return
    print(key)
    print(
        f"key {record.key_id} for {record.principal} ({', '.join(record.roles)})"
        + (f", expires {record.expires_at:%Y-%m-%d %H:%M} UTC" if record.expires_at else ", no expiry")
        + " — shown once, store it now",
        file=sys.stderr,
    )


@keys_app.command("list")
@user_errors
def keys_list(
    policy: PolicyOpt = None,
    db: DbOpt = None,
    output_format: FormatOpt = Format.text,
) -> None:
    """List API keys (never their secrets)."""
    text_or_json(output_format)
    from brandrail.service.keys import KeyStore

    keys = KeyStore(_store_url(db, policy)).list()
    if output_format is Format.json:
        sys.stdout.write(dump_json({"schema_version": 1, "keys": [k.to_dict() for k in keys]}))
        return
    if not keys:
        print("no API keys", file=sys.stderr)
    for k in keys:
        d = k.to_dict()
        print(
            f"{k.key_id}  {d['status']:<8} {k.principal:<24} {','.join(k.roles):<28} created {k.created_at:%Y-%m-%d}"
        )


@keys_app.command("revoke")
@user_errors
def keys_revoke(
    key_id: Annotated[str, typer.Argument(help="The key id (the 12 characters after brk_).")],
    policy: PolicyOpt = None,
    db: DbOpt = None,
) -> None:
    """Revoke an API key; every service sharing the database refuses it from the next request."""
    from brandrail.service.keys import KeyStore

    record = KeyStore(_store_url(db, policy)).revoke(key_id)
    print(f"revoked {record.key_id} ({record.principal})", file=sys.stderr)


@sessions_app.command("list")
@user_errors
def sessions_list(
    policy: PolicyOpt = None,
    db: DbOpt = None,
    output_format: FormatOpt = Format.text,
) -> None:
    """List the console's live sessions (never their ids: the first 12 characters of each one's hash)."""
    text_or_json(output_format)
    from brandrail.service.keys import KeyStore
    from brandrail.service.sessions import SessionStore

    live = SessionStore(KeyStore(_store_url(db, policy)).engine).live()
    if output_format is Format.json:
        sys.stdout.write(dump_json({"schema_version": 1, "sessions": [s.to_dict() for s in live]}))
        return
    if not live:
        print("no live console sessions", file=sys.stderr)
    for s in live:
        print(
            f"{s.id_sha256[:12]}  {s.principal:<24} key {s.key_id or '-':<12} "
            f"signed in {s.created_at:%Y-%m-%d %H:%M} UTC, ends by {s.expires_at:%Y-%m-%d %H:%M} UTC"
        )


@sessions_app.command("end")
@user_errors
def sessions_end(
    all_sessions: Annotated[bool, typer.Option("--all", help="End every console session.")] = False,
    key: Annotated[
        str | None,
        typer.Option("--key", help="End the sessions opened with this key id.", show_default=False),
    ] = None,
    principal: Annotated[
        str | None,
        typer.Option("--principal", help="End every session of this principal.", show_default=False),
    ] = None,
    reason: Annotated[str, typer.Option(help="Why (recorded in the ledger).")] = "",
    policy: PolicyOpt = None,
    db: DbOpt = None,
) -> None:
    """End console sessions at once — every one, or a key's or a principal's — on every service sharing the
    database, and record it in the ledger (a console_sessions_ended entry).
    """
    import getpass

    from brandrail.service.keys import KeyStore
    from brandrail.service.sessions import SessionStore

    if all_sessions == (key is not None or principal is not None):
        fail(
            "say which sessions to end: --all, or --key KEY_ID and/or --principal ID",
            hint="e.g. brandrail sessions end --principal ana@fernhill",
        )
    if key is not None and not (key.isascii() and key.isalnum() and 0 < len(key) <= 24):
        fail(
            f"--key {key!r} is not a key id",
            hint="the 12 characters after brk_, as `brandrail keys list` shows",
        )
    if len(reason) > 500:
        fail("--reason is longer than 500 characters")
    try:
        by = f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no user name for this uid (a container)
        by = "cli"
    store = KeyStore(_store_url(db, policy))
    ended = SessionStore(store.engine).end_all(
        store.ledger, by=by, key_id=key, principal=principal, reason=reason
    )
    print(
        f"ended {ended} console session{'' if ended == 1 else 's'} (recorded in the ledger)", file=sys.stderr
    )
