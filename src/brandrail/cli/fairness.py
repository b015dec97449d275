"""Commands of the fairness pillar (registered on brandrail.cli._app): ``brandrail audit fairness``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from brandrail.cli._app import audit_app
from brandrail.cli._common import EXIT_FINDINGS, EXIT_OK, Format, atomic_write, dump_json, fail, user_errors
from brandrail.cli.goals import internal_errors

__all__ = ["audit_fairness_command"]

_FORMATS = (Format.text, Format.json, Format.html)


@audit_app.command("fairness")
@user_errors
@internal_errors
def audit_fairness_command(
    data: Annotated[
        str | None,
        typer.Argument(
            help="Decision log: CSV/Parquet file or glob, or a DuckDB file. Omit with --db.",
            show_default=False,
        ),
    ] = None,
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
        typer.Option(
            "--db", help="Database URL Ibis connects to, e.g. postgres://user@host/db.", show_default=False
        ),
    ] = None,
    table: Annotated[
        str | None, typer.Option("--table", help="Table to audit (with --db or a DuckDB file).")
    ] = None,
    output_format: Annotated[
        Format, typer.Option("--format", "-f", help="text, json or html.")
    ] = Format.text,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Directory for fairness.{txt,json} and the HTML report fairness.html."
        ),
    ] = None,
) -> None:
    """Audit targeting, delivery and pricing decisions for disparities across protected groups.

    Exit code 0 when no error-severity finding, 1 when there is one, 2 when the data or policy is unusable.
    """
    from brandrail.fairness import audit_fairness
    from brandrail.fairness.report import render_html, render_text, write_plotly_js
    from brandrail.policy import load_policy

    if output_format not in _FORMATS:
        fail(
            f"--format {output_format.value} is not available for the fairness audit",
            hint="use text, json or html",
        )
    if (data is None) == (db is None):
        fail(
            "give either a DATA path or --db URL (not both)",
            hint="brandrail audit fairness log.parquet -p policy.yaml",
        )
    if db is not None and not table:
        fail("--db needs --table NAME")
    from brandrail.policy.discovery import find_policy

    loaded = load_policy(find_policy(policy, [str(data)] if data is not None else []))
    source: Any = db if db is not None else data
    audit = _run_with_progress(
        lambda progress: audit_fairness(source, loaded, table=table, progress=progress)
    )

    if output_format is Format.json:
        rendered = dump_json(audit.to_dict())
    elif output_format is Format.html:
        rendered = render_html(audit, title=f"Fairness audit — {data or table}")
    else:
        rendered = render_text(audit)
    if out is not None:
        ext = {Format.text: "txt", Format.json: "json", Format.html: "html"}[output_format]
        title = f"Fairness audit — {data or table}"
        # in a folder, reports share one plotly.min.js instead of embedding 4.8 MB each
        write_plotly_js(out)
        if output_format is Format.html:
            rendered = render_html(audit, title=title, plotlyjs="directory")
        atomic_write(out / f"fairness.{ext}", rendered)
        if output_format is not Format.html:
            atomic_write(out / "fairness.html", render_html(audit, title=title, plotlyjs="directory"))
        if output_format is Format.text:
            sys.stdout.write(rendered)
        print(
            f"wrote {out / f'fairness.{ext}'}" + ("" if ext == "html" else f" and {out / 'fairness.html'}"),
            file=sys.stderr,
        )
    else:
        sys.stdout.write(rendered)
    raise typer.Exit(EXIT_OK if audit.passed else EXIT_FINDINGS)


def _run_with_progress(work: Any) -> Any:
    """Run ``work(progress)`` under a Rich spinner on stderr (silent when stderr is not a terminal)."""
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    with Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        TextColumn("step {task.completed:.0f}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as bar:
        task = bar.add_task("fairness audit", total=None)

        def progress(message: str) -> None:
            bar.update(task, description=message, advance=1)

        return work(progress)
