"""Commands of the goals pillar: ``brandrail audit goals`` and ``brandrail audit policy-value``."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from typer.exceptions import TyperException

from brandrail.cli._app import audit_app
from brandrail.cli._common import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    Format,
    atomic_write,
    dump_json,
    fail,
    user_errors,
)
from brandrail.errors import BrandrailError, UsageError

__all__ = ["audit_goals_command", "audit_policy_value_command", "internal_errors"]

P = ParamSpec("P")
R = TypeVar("R")


def internal_errors(func: Callable[P, R]) -> Callable[P, R]:
    """An unexpected exception is a bug of ours: one line naming it, exit 2 (never 1, which CI reads as
    "violations found"). ``BRANDRAIL_DEBUG=1`` shows the traceback."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except (
            BrandrailError,
            typer.Exit,
            typer.Abort,
            TyperException,  # typer's own (vendored) click errors: usage errors print themselves
        ):
            raise
        except Exception as exc:
            if os.environ.get("BRANDRAIL_DEBUG", "") not in ("", "0"):
                raise
            text = (str(exc).strip().splitlines() or [""])[0][:300]
            print(
                f"error: internal error: {type(exc).__name__}: {text} "
                "(please report it; set BRANDRAIL_DEBUG=1 for the traceback)",
                file=sys.stderr,
            )
            raise typer.Exit(EXIT_USAGE) from None

    return wrapper


PolicyOption = Annotated[Path, typer.Option("--policy", "-p", help="Policy file with a `goals:` section.")]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format: text, json or html.")]
OutOption = Annotated[
    Path | None,
    typer.Option("--out", help="Directory to write the JSON and HTML reports into.", show_default=False),
]
TableOption = Annotated[
    str | None,
    typer.Option("--table", help="Table name when the data is a database URL.", show_default=False),
]


def _check_format(fmt: Format) -> None:
    if fmt not in (Format.text, Format.json, Format.html):
        fail(f"--format {fmt.value} is not available for goal audits", hint="use text, json or html")


def _emit(fmt: Format, obj: Any, *, text: str, html_text: str, out: Path | None, stem: str) -> None:
    json_text = dump_json(obj.to_dict())
    if out is not None:
        from brandrail.fairness.report import write_plotly_js

        write_plotly_js(out)  # one plotly.js per report folder, shared by every report in it
        atomic_write(out / f"{stem}.json", json_text)
        atomic_write(out / f"{stem}.html", html_text)
    if fmt is Format.json:
        typer.echo(json_text, nl=False)
    elif fmt is Format.html:
        if out is None:
            typer.echo(html_text, nl=False)
        else:
            typer.echo(f"wrote {out / (stem + '.html')}")
    else:
        typer.echo(text, nl=False)
        if out is not None:
            typer.echo(f"wrote {out / (stem + '.json')} and {out / (stem + '.html')}")


@audit_app.command("goals")
@user_errors
@internal_errors
def audit_goals_command(
    data: Annotated[
        str, typer.Argument(help="Per-unit or per-variant data: CSV, Parquet, or a database URL.")
    ],
    policy: PolicyOption,
    *,
    output_format: FormatOption = Format.text,
    out: OutOption = None,
    table: TableOption = None,
    aggregated: Annotated[
        bool | None,
        typer.Option(
            "--aggregated/--per-unit", help="Force reading the data as per-variant aggregates or rows."
        ),
    ] = None,
    segment: Annotated[
        list[str] | None, typer.Option("--segment", help="Segment column (repeatable); overrides the policy.")
    ] = None,
) -> None:
    """Verdict per variant (ship / do-not-ship / needs-more-data) and Goodhart findings from experiments."""
    _check_format(output_format)
    from brandrail.goals.experiments import audit_goals
    from brandrail.goals.report import goals_html, goals_text
    from brandrail.policy import load_policy

    pol = load_policy(policy)
    result = audit_goals(data, pol, table=table, aggregated=aggregated, segments=segment or None, source=data)
    html_text = (
        goals_html(result, plotlyjs="directory" if out is not None else "inline")
        if (out is not None or output_format is Format.html)
        else ""
    )
    _emit(output_format, result, text=goals_text(result), html_text=html_text, out=out, stem="goals")
    raise typer.Exit(EXIT_OK if result.passed else EXIT_FINDINGS)


def _candidate(spec: str) -> tuple[Any, str]:
    """Parse --candidate: ``column:NAME``, ``table:PATH`` or ``python:MODULE:FUNCTION``."""
    kind, _, rest = spec.partition(":")
    if kind == "column" and rest:
        return rest, f"column {rest}"
    if kind == "table" and rest:
        import pandas as pd

        path = Path(rest)
        if not path.is_file():
            fail(
                f"candidate table {path} not found",
                hint="give a CSV or Parquet file of per-row action probabilities",
            )
        parquet = path.suffix.lower() in (".parquet", ".pq")
        try:
            frame = pd.read_parquet(path) if parquet else pd.read_csv(path)
        except Exception as exc:
            text = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
            fail(
                f"cannot read candidate table {path}: {text}",
                hint="give a CSV or Parquet file with one column of probabilities per action",
            )
        if frame.empty:
            fail(
                f"candidate table {path} has no rows",
                hint="give one row of action probabilities per logged round",
            )
        return frame, f"table {path}"
    if kind == "python" and rest.count(":") == 1:
        import importlib

        module_name, func_name = rest.split(":")
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            fail(
                f"cannot import {module_name!r} for --candidate: {exc}",
                hint="check PYTHONPATH and the module name",
            )
        func = getattr(module, func_name, None)
        if not callable(func):
            fail(f"{module_name} has no function {func_name!r}", hint="--candidate python:MODULE:FUNCTION")
        return func, f"function {rest}"
    raise UsageError(
        f"cannot read --candidate {spec!r}",
        hint="use column:NAME (a column, or a per-action column prefix, of the log), table:PATH or "
        "python:MODULE:FUNCTION",
    )


@audit_app.command("policy-value")
@user_errors
@internal_errors
def audit_policy_value_command(
    log: Annotated[str, typer.Argument(help="Logged decisions: CSV, Parquet, or a database URL.")],
    candidate: Annotated[
        str, typer.Option("--candidate", "-c", help="column:NAME, table:PATH or python:MODULE:FUNCTION.")
    ],
    policy: PolicyOption,
    *,
    output_format: FormatOption = Format.text,
    out: OutOption = None,
    table: TableOption = None,
    bootstrap: Annotated[
        int | None, typer.Option("--bootstrap", help="Bootstrap resamples (default from the policy).")
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Random seed (default from the policy).")] = None,
    action: Annotated[
        list[str] | None, typer.Option("--action", help="Every action label, in order (repeatable).")
    ] = None,
    candidate_prefix: Annotated[
        str | None,
        typer.Option(
            "--candidate-prefix",
            help="With table:PATH: strip this prefix from the table's columns to get action labels "
            "(p0, p1... -> actions 0, 1...).",
            show_default=False,
        ),
    ] = None,
    candidate_map: Annotated[
        list[str] | None,
        typer.Option(
            "--candidate-map",
            help="With table:PATH: COLUMN=ACTION, the action a candidate-table column stands for "
            "(repeatable).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Off-policy value of a candidate policy on the proxy and the goal (IPS, SNIPS, DM, DR), diagnostics."""
    _check_format(output_format)
    if bootstrap is not None and bootstrap < 0:
        fail("--bootstrap must be 0 or more")
    from brandrail.goals.ope import evaluate_policy
    from brandrail.goals.report import policy_value_html, policy_value_text
    from brandrail.policy import load_policy

    if candidate_prefix is not None and candidate_map:
        fail("give --candidate-prefix or --candidate-map, not both")
    mapping: str | dict[str, str] | None = candidate_prefix
    if candidate_map:
        mapping = {}
        for item in candidate_map:
            column, sep, label = item.partition("=")
            if not sep or not column or not label:
                fail(f"--candidate-map {item!r} is not COLUMN=ACTION", hint="e.g. --candidate-map p0=0")
            mapping[column] = label
    pol = load_policy(policy)
    cand, _ = _candidate(candidate)
    if mapping is not None and not hasattr(cand, "columns"):
        fail("--candidate-prefix and --candidate-map apply to --candidate table:PATH")
    report = evaluate_policy(
        log,
        cand,
        pol,
        actions=action or None,
        bootstrap=bootstrap,
        seed=seed,
        table=table,
        source=log,
        candidate_columns=mapping,
    )
    html_text = (
        policy_value_html(report, plotlyjs="directory" if out is not None else "inline")
        if (out is not None or output_format is Format.html)
        else ""
    )
    _emit(
        output_format,
        report,
        text=policy_value_text(report),
        html_text=html_text,
        out=out,
        stem="policy-value",
    )
    raise typer.Exit(EXIT_OK if report.passed else EXIT_FINDINGS)
