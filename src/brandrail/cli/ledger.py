"""Ledger commands (on brandrail.cli._app.ledger_app): verify, export, checkpoint, keygen."""

from __future__ import annotations

import math
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from brandrail.cli._app import ledger_app
from brandrail.cli._common import EXIT_FINDINGS, EXIT_OK, atomic_write, dump_json, fail, user_errors

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from brandrail.ledger import Checkpoint, Ledger, VerifyReport

__all__ = ["checkpoint", "export", "keygen", "upgrade_lock_key", "verify"]

DEFAULT_DB = "sqlite:///.brandrail/gate.db"

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database URL: sqlite:///PATH or postgresql://USER@HOST/DB (default: the policy's gate.store_url, "
        f"else {DEFAULT_DB}).",
        show_default=False,
    ),
]
PolicyOption = Annotated[
    Path | None,
    typer.Option(
        "--policy",
        "-p",
        help="Policy whose gate.store_url holds the ledger when --db is not given (default: the nearest "
        "brandrail.yaml, else $BRANDRAIL_POLICY).",
        show_default=False,
    ),
]
TableOption = Annotated[str, typer.Option("--table", help="Name of the ledger table.")]
#: Default of ``--statement-timeout`` (seconds) for the reading commands on PostgreSQL.
DEFAULT_STATEMENT_TIMEOUT = 300.0
StatementTimeoutOption = Annotated[
    float,
    typer.Option(
        "--statement-timeout",
        help="PostgreSQL: seconds any one statement (a batch of 10,000 entries) or lock wait may take, and "
        "the longest wait to connect; past it the command fails (exit 2). 0: no bound. The whole command is "
        "not bounded: it reads the whole ledger.",
    ),
]


def _database(db: str | None, policy_file: Path | None) -> str:
    """The ledger's database: ``--db``, else the ``gate.store_url`` of the policy given or found, else the
    default — the store the gate commands use, so a policy that moved its store is verified where it is."""
    if db is not None:
        return db
    from brandrail.cli.gate import _optional_policy

    policy = _optional_policy(policy_file)
    return str(policy.gate.store_url) if policy is not None else DEFAULT_DB


def _check_timeout(seconds: float) -> float:
    if not seconds >= 0 or seconds == float("inf"):
        fail(
            f"invalid --statement-timeout {seconds!r}", hint="give seconds, a number of 0 (no bound) or more"
        )
    return seconds


def _open(db: str, table: str, statement_timeout: float = DEFAULT_STATEMENT_TIMEOUT) -> Ledger:
    """Open an existing ledger read-only; never create or change a database as a side effect of reading.

    SQLite files are opened with ``mode=ro`` (so a read-only file, folder or mount works, and nothing is
    written, not even a journal); PostgreSQL sessions are set to read-only transactions.
    """
    from urllib.parse import quote, unquote

    from brandrail.errors import LedgerError
    from brandrail.ledger._store import normalise_url, sqlite_file

    url = normalise_url(db)
    path = sqlite_file(url)
    if path is not None:
        if not path.is_file():
            raise LedgerError(
                f"no database file at {path}", location=db, hint="pass the gate's database with --db URL"
            )
        url = f"sqlite:///file:{quote(str(path.resolve()))}?mode=ro&uri=true"
    try:
        return _open_read_only(url, db, table, statement_timeout)
    except LedgerError:
        if "mode=ro" not in url or os.access(
            Path(unquote(url.split("file:", 1)[1].split("?")[0])).parent, os.W_OK
        ):
            raise
        # a WAL database in a folder we cannot write: SQLite cannot make its -shm file, so read the file
        # as it stands (nobody can be writing to it there either)
        return _open_read_only(url + "&immutable=1", db, table, statement_timeout)


def _open_read_only(url: str, db: str, table: str, statement_timeout: float) -> Ledger:
    from brandrail.errors import LedgerError
    from brandrail.ledger import Ledger

    ledger = Ledger.from_url(url, table=table, sqlite_synchronous=None)
    if ledger.dialect == "postgresql":
        import sqlalchemy as sa

        bound = f"{max(1, round(statement_timeout * 1000))}ms" if statement_timeout > 0 else None

        @sa.event.listens_for(ledger.engine, "do_connect")
        def _connect_bound(dialect: Any, record: Any, cargs: Any, cparams: dict[str, Any]) -> None:
            if bound is not None:  # libpq: whole seconds, at least 2
                cparams.setdefault("connect_timeout", str(max(2, math.ceil(statement_timeout))))

        @sa.event.listens_for(ledger.engine, "connect")
        def _read_only(dbapi_connection: Any, record: Any) -> None:
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
                if bound is not None:
                    cursor.execute("SELECT set_config('statement_timeout', %(b)s, false)", {"b": bound})
                    cursor.execute("SELECT set_config('lock_timeout', %(b)s, false)", {"b": bound})
            dbapi_connection.commit()

    try:
        ledger.require()
    except LedgerError:
        raise
    except Exception as exc:  # a file that is not a database, a server that does not answer
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise LedgerError(
            f"cannot read the ledger database: {reason}",
            location=db,
            hint="check --db: sqlite:///PATH to the gate's database, or postgresql://USER@HOST/DB",
        ) from None
    return ledger


def _print_report(report: VerifyReport) -> None:
    if report.ok:
        typer.echo(
            f"ledger OK: {report.count:,} entries, head seq {report.head_seq} (hash {report.head_hash[:16]}…)"
        )
    else:
        more = " (list truncated)" if report.problems_truncated else ""
        n = len(report.problems)
        typer.echo(f"ledger TAMPERED: {n} problem{'s' if n != 1 else ''} in {report.count:,} entries{more}")
        for problem in report.problems:
            typer.echo(f"  seq {problem.seq}: {problem.kind}: {problem.detail}")
    if report.checkpoint is not None:
        cp = report.checkpoint
        state = "valid" if report.signature_ok else "INVALID"
        typer.echo(
            f"checkpoint: signature {state} (key {cp.key_id}), signed {cp.time} at seq {cp.seq} "
            f"({cp.count:,} entries)"
        )


@ledger_app.command("verify")
@user_errors
def verify(
    db: DbOption = None,
    checkpoint: Annotated[
        Path | None, typer.Option("--checkpoint", help="Signed checkpoint JSON to check the ledger against.")
    ] = None,
    public_key: Annotated[
        Path | None, typer.Option("--public-key", help="Ed25519 public key (PEM) that signed the checkpoint.")
    ] = None,
    output_format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    table: TableOption = "brandrail_ledger",
    jsonl: Annotated[
        Path | None,
        typer.Option("--jsonl", help="Verify a file written by `ledger export` instead of the database."),
    ] = None,
    policy: PolicyOption = None,
    statement_timeout: StatementTimeoutOption = DEFAULT_STATEMENT_TIMEOUT,
) -> None:
    """Walk the hash chain and name every edited, deleted, inserted or reordered entry.

    Exit 0 when the ledger verifies, 1 when it was tampered with (the problems are listed), 2 on bad
    input. With --checkpoint and --public-key, also detects removed trailing entries and a rewritten chain.
    """
    if output_format not in {"text", "json"}:
        fail(f"unknown --format {output_format!r}", hint="use text or json")
    _check_timeout(statement_timeout)
    if (checkpoint is None) != (public_key is None):
        fail("--checkpoint and --public-key go together", hint="pass both, or neither")
    from brandrail.ledger import Checkpoint, load_public_key
    from brandrail.ledger._checkpoint import check_signature

    key = load_public_key(public_key) if public_key is not None else None
    cp = Checkpoint.load(checkpoint) if checkpoint is not None else None
    if jsonl is not None:
        report = _verify_jsonl(jsonl, cp, key)
    else:
        ledger = _open(_database(db, policy), table, statement_timeout)
        report = _verify_with_gate_tables(ledger, cp)
        if cp is not None and key is not None:
            report = check_signature(report, cp, key)
    if output_format == "json":
        sys.stdout.write(dump_json(report.to_dict()))
    else:
        _print_report(report)
    raise typer.Exit(EXIT_OK if report.ok else EXIT_FINDINGS)


def _verify_with_gate_tables(ledger: Ledger, checkpoint: Checkpoint | None) -> VerifyReport:
    """Walk the chain and, on a gate database, check the gate's side tables (one walk of the ledger for
    both) and the service's API keys against their entries."""
    import sqlalchemy as sa

    from brandrail.ledger import Problem

    found: list[tuple[str, str]] = []
    if sa.inspect(ledger.engine).has_table("gate_decisions"):
        from brandrail.gate.bindings import verify_gate_ledger

        report, found = verify_gate_ledger(ledger, ledger.engine, checkpoint=checkpoint)
    else:
        report = ledger.verify(checkpoint=checkpoint)
    if sa.inspect(ledger.engine).has_table("api_keys"):
        from brandrail.service.keys import check_key_rows

        found += check_key_rows(ledger)
    for row_id, detail in found:
        report.problems.append(Problem(0, "side_table", f"{row_id}: {detail}"))
        report.ok = False
    return report


def _verify_jsonl(path: Path, cp: Checkpoint | None, key: Ed25519PublicKey | None) -> VerifyReport:
    from brandrail.errors import LedgerError
    from brandrail.ledger import verify_jsonl
    from brandrail.ledger._checkpoint import check_signature

    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise LedgerError(f"cannot read ledger export: {exc.strerror}", location=str(path)) from None
    with handle:
        try:
            report = verify_jsonl(handle, checkpoint=cp, name=str(path))
        except UnicodeDecodeError:
            raise LedgerError("ledger export is not UTF-8 text", location=str(path)) from None
    if cp is not None and key is not None:
        check_signature(report, cp, key)
    return report


@ledger_app.command("export")
@user_errors
def export(
    db: DbOption = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write JSON lines here (default: stdout).")
    ] = None,
    start: Annotated[int | None, typer.Option("--start", help="First sequence number (inclusive).")] = None,
    end: Annotated[int | None, typer.Option("--end", help="Last sequence number (inclusive).")] = None,
    table: TableOption = "brandrail_ledger",
    policy: PolicyOption = None,
    statement_timeout: StatementTimeoutOption = DEFAULT_STATEMENT_TIMEOUT,
) -> None:
    """Write the ledger as JSON lines, one entry per line, in chain order."""
    ledger = _open(_database(db, policy), table, _check_timeout(statement_timeout))
    if out is None:
        ledger.export_jsonl(sys.stdout, start=start, end=end)
        sys.stdout.flush()
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            n = ledger.export_jsonl(handle, start=start, end=end)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).chmod(0o644)
        Path(tmp).replace(out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    typer.echo(f"wrote {n:,} entries to {out}", err=True)


@ledger_app.command("checkpoint")
@user_errors
def checkpoint(
    key: Annotated[Path, typer.Option("--key", help="Ed25519 private key (PEM) to sign with.")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the signed checkpoint (JSON).")],
    db: DbOption = None,
    table: TableOption = "brandrail_ledger",
    policy: PolicyOption = None,
    statement_timeout: StatementTimeoutOption = DEFAULT_STATEMENT_TIMEOUT,
) -> None:
    """Verify the ledger, then sign its head (seq, head hash, count, time) with an Ed25519 key.

    Exit 1 without writing anything when the ledger does not verify.
    """
    from brandrail.ledger import load_private_key

    private = load_private_key(key)
    ledger = _open(_database(db, policy), table, _check_timeout(statement_timeout))
    report = ledger.verify()
    if not report.ok:
        _print_report(report)
        typer.echo("refusing to sign a checkpoint over a tampered ledger", err=True)
        raise typer.Exit(EXIT_FINDINGS)
    cp = ledger.checkpoint(private, verify=False)
    if cp.seq != report.head_seq:  # entries appended since the check: verify those too
        cp = ledger.checkpoint(private, verify=True)
    atomic_write(out, cp.to_json())
    typer.echo(f"signed checkpoint at seq {cp.seq} ({cp.count:,} entries, key {cp.key_id}) -> {out}")


@ledger_app.command("upgrade-lock-key")
@user_errors
def upgrade_lock_key(
    db: DbOption = None,
    table: TableOption = "brandrail_ledger",
    policy: PolicyOption = None,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout", help="Seconds to wait for the ledger's writers' locks and the upgrade itself."
        ),
    ] = 30.0,
) -> None:
    """PostgreSQL: move a ledger made by an earlier release (schema version 1) to the lock key of its
    schema-qualified table (version 2), and a gate store on the same database to advisory locks keyed by
    its schema (store schema 10). Run it once every process that writes to the ledger runs this
    release, as the table's owner; earlier releases then refuse to open the ledger. See docs/ledger.md,
    "Upgrading". Exit 0 (upgraded, or already), 2 on bad input or when it cannot (the error says why)."""
    import time

    import sqlalchemy as sa

    from brandrail.ledger import Ledger, write_deadline

    if not timeout > 0 or timeout == float("inf"):
        fail(f"invalid --timeout {timeout!r}", hint="give the seconds to wait, a number above 0")
    ledger = Ledger.from_url(_database(db, policy), table=table)
    ledger.require()
    gate = False
    with write_deadline(time.monotonic() + timeout):
        if sa.inspect(ledger.engine).has_table("gate_decisions"):
            from brandrail.gate import GateStore

            gate = True
            done = GateStore(ledger.engine, ledger=ledger).upgrade_lock_key()
        else:
            done = ledger.upgrade_lock_key()
    ledger.engine.dispose()
    store = " and gate store (schema-keyed advisory locks, store schema 10)" if gate else ""
    typer.echo(
        f"ledger {table}{store}: lock key upgraded (ledger schema version 2)"
        if done
        else f"ledger {table}{store}: at the current lock keys already, nothing to do"
    )


@ledger_app.command("keygen")
@user_errors
def keygen(
    out: Annotated[Path, typer.Option("--out", help="Directory for the key pair.")],
    name: Annotated[str, typer.Option("--name", help="File name stem.")] = "ledger_ed25519",
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing key files.")] = False,
) -> None:
    """Make an Ed25519 key pair: NAME.pem (private, mode 600) and NAME.pub.pem (public) in OUT."""
    from brandrail.ledger import generate_keypair

    if out.exists() and not out.is_dir():
        fail(f"{out} exists and is not a directory", hint="pass a directory to --out")
    private_path, public_path = out / f"{name}.pem", out / f"{name}.pub.pem"
    existing = [str(p) for p in (private_path, public_path) if p.exists()]
    if existing and not force:
        fail(f"refusing to overwrite {', '.join(existing)}", hint="pass --force, or another --out/--name")
    private_pem, public_pem = generate_keypair()
    out.mkdir(parents=True, exist_ok=True)
    _write_secret(private_path, private_pem)
    atomic_write(public_path, public_pem)
    typer.echo(f"wrote {private_path} (keep it secret) and {public_path} (give it to verifiers)")


def _write_secret(path: Path, content: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
