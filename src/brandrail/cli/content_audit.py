"""``brandrail audit content``: audit a table of sent messages (registered on brandrail.cli._app)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from brandrail.cli._app import audit_app
from brandrail.cli._common import EXIT_FINDINGS, EXIT_OK, Format, dump_json, fail, user_errors

__all__ = ["audit_content_command"]

_HELP = """Check every message of a table of sent messages against the policy.

Reads Parquet, CSV or JSON Lines files (or a glob), a DuckDB file (--table/--query) or PostgreSQL
(--db URL with --table/--query), in batches over every core. Writes one row per finding
(OUT/findings/*.parquet), one row per message (OUT/messages/*.parquet), OUT/summary.json and
OUT/report.html. Run the same command again after an interruption and it resumes.

Exit code 0 when no message has an error-level finding, 1 when some do, 2 for unusable input.
"""


@audit_app.command("content", help=_HELP)
@user_errors
def audit_content_command(
    data: Annotated[
        str | None,
        typer.Argument(
            help="Parquet/CSV/JSON Lines file or glob, or a DuckDB file. Omit with --db.", show_default=False
        ),
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for findings, summary and report.")] = Path(
        "brandrail-audit"
    ),
    policy: Annotated[
        Path | None,
        typer.Option(
            "--policy",
            "-p",
            help="Policy file (default: the nearest brandrail.yaml, else $BRANDRAIL_POLICY).",
            show_default=False,
        ),
    ] = None,
    db: Annotated[
        str | None,
        typer.Option("--db", help="PostgreSQL URL, e.g. postgresql://user@host/db.", show_default=False),
    ] = None,
    table: Annotated[
        str | None, typer.Option("--table", help="Table to audit (DuckDB file or --db).")
    ] = None,
    query: Annotated[str | None, typer.Option("--query", help="SQL query whose rows are audited.")] = None,
    text: Annotated[
        str | None, typer.Option("--text", help="Text column (policy: audit.content.text).")
    ] = None,
    id_col: Annotated[str | None, typer.Option("--id", help="Message id column.")] = None,
    channel: Annotated[str | None, typer.Option("--channel-col", help="Channel column.")] = None,
    sent_at: Annotated[str | None, typer.Option("--sent-at", help="Sent timestamp column.")] = None,
    model: Annotated[str | None, typer.Option("--model-col", help="Model column.")] = None,
    campaign: Annotated[str | None, typer.Option("--campaign-col", help="Campaign column.")] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", help="How text is parsed: text, markdown or html.")
    ] = None,
    meta: Annotated[
        list[str] | None,
        typer.Option(
            "--meta",
            help="COLUMN=KEY: a metadata column (repeatable), e.g. is_ad=sponsored.",
            metavar="COL=KEY",
        ),
    ] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", "-j", help="Worker processes (default: every core).")
    ] = None,
    batch_size: Annotated[int, typer.Option("--batch-size", help="Messages per batch.")] = 5000,
    engine: Annotated[str, typer.Option("--engine", help="local (process pool) or spark.")] = "local",
    fresh: Annotated[
        bool, typer.Option("--fresh", help="Start over in an --out folder of another audit.")
    ] = False,
    compare: Annotated[
        str | None,
        typer.Option(
            "--compare",
            help="DIM=A,B: compare two models, campaigns, channels or periods.",
            metavar="DIM=A,B",
        ),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option("--baseline", help="An earlier audit's --out folder: what the new policy changes."),
    ] = None,
    findings_table: Annotated[
        str | None,
        typer.Option(
            "--findings-table", help="Also write the findings into this table of the source database."
        ),
    ] = None,
    output_format: Annotated[Format, typer.Option("--format", "-f", help="text or json.")] = Format.text,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="Exit 0 even when messages fail.")] = False,
) -> None:
    from brandrail.policy import load_policy

    if output_format not in (Format.text, Format.json):
        fail(
            f"--format {output_format.value} is not available for the content audit", hint="use text or json"
        )
    if engine not in ("local", "spark"):
        fail(f"--engine {engine!r} is not local or spark")
    if kind is not None and kind not in ("text", "markdown", "html"):
        fail(f"--kind {kind!r} is not text, markdown or html")
    metadata: dict[str, str] | None = None
    if meta:
        metadata = {}
        for item in meta:
            column, sep, key = item.partition("=")
            if not sep or not column.strip() or not key.strip():
                fail(f"--meta {item!r} is not COLUMN=KEY", hint="e.g. --meta is_ad=sponsored")
            metadata[column.strip()] = key.strip()
    from brandrail.policy.discovery import find_policy

    # as `check` finds it: the nearest brandrail.yaml from the data's folder or this one, else BRANDRAIL_POLICY
    loaded = load_policy(find_policy(policy, [data] if data is not None else []))
    columns: dict[str, Any] = {
        "text": text,
        "id": id_col,
        "channel": channel,
        "sent_at": sent_at,
        "model": model,
        "campaign": campaign,
        "kind": kind,
        "metadata": metadata,
    }
    if engine == "spark":
        from brandrail.spark import audit_to_folder

        if db is not None or table is not None or query is not None or data is None:
            fail(
                "--engine spark reads Parquet, CSV or JSON Lines files",
                hint="give DATA; --db/--table/--query are for the local engine",
            )

        audit = audit_to_folder(
            data, loaded, out, columns=columns, fresh=fresh, compare=compare, baseline=baseline
        )
    else:
        from brandrail.audit import audit_content

        with _progress_bar() as progress:
            audit = audit_content(
                data,
                loaded,
                out=out,
                db=db,
                table=table,
                query=query,
                columns=columns,
                workers=workers,
                batch_size=batch_size,
                fresh=fresh,
                compare=compare,
                baseline=baseline,
                findings_table=findings_table,
                progress=progress,
            )
    if output_format is Format.json:
        sys.stdout.write(dump_json(audit.to_dict()))
    else:
        from brandrail.audit.report import render_text

        sys.stdout.write(render_text(audit))
        print(
            f"wrote {out / 'summary.json'}, {out / 'report.html'} and the findings in {out / 'findings'}",
            file=sys.stderr,
        )
    raise typer.Exit(EXIT_OK if audit.passed or exit_zero else EXIT_FINDINGS)


class _progress_bar:  # noqa: N801 - used as a context manager
    """A Rich progress bar on stderr with rows/s and ETA (silent when stderr is not a terminal)."""

    def __enter__(self) -> Any:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TaskProgressColumn,
            TextColumn,
            TimeRemainingColumn,
        )

        console = Console(stderr=True)
        self._bar = Progress(
            TextColumn("auditing"),
            BarColumn(),
            TaskProgressColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeRemainingColumn(),
            console=console,
            transient=True,
            disable=not console.is_terminal,
        )
        self._bar.__enter__()
        self._task = self._bar.add_task("audit", total=None, rate="")

        def progress(done: int, total: int) -> None:
            task = self._bar.tasks[0]
            speed = task.speed
            self._bar.update(
                self._task, completed=done, total=total, rate=f"{speed:,.0f} rows/s" if speed else ""
            )

        return progress

    def __exit__(self, *exc: object) -> None:
        self._bar.__exit__(None, None, None)
