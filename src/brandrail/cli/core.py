"""Core commands: init, policy validate/show/packs, rules, check, demo."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from brandrail.cli._app import app, policy_app
from brandrail.cli._common import (
    EXIT_FINDINGS,
    EXIT_OK,
    Format,
    atomic_write,
    dump_json,
    fail,
    user_errors,
)

DEFAULT_POLICY = "brandrail.yaml"

PolicyOption = Annotated[
    Path | None,
    typer.Option("--policy", "-p", help="Policy file (default: ./brandrail.yaml).", show_default=False),
]


def _version_callback(value: bool) -> None:
    if value:
        from brandrail.report.model import tool_version

        print(f"brandrail {tool_version()}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version_callback, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """brandrail keeps marketing AI on-brand, ethical, on-goal and within bounds — and proves it."""


def resolve_policy(path: Path | None) -> Path:
    if path is not None:
        return path
    default = Path(DEFAULT_POLICY)
    if default.exists():
        return default
    return fail(
        "no policy file given and no ./brandrail.yaml here",
        hint="pass --policy FILE, or run `brandrail init`",
    )


def load(path: Path | None) -> object:
    from brandrail.engine import validate_rule_settings
    from brandrail.policy import load_policy

    policy = load_policy(resolve_policy(path))
    validate_rule_settings(policy)
    return policy


# -- init -------------------------------------------------------------------------------------------------


@app.command()
@user_errors
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the starter policy.")] = Path(DEFAULT_POLICY),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter policy (brandrail.yaml)."""
    from importlib import resources

    if path.exists() and not force:
        fail(f"{path} already exists", hint="use --force to overwrite it, or give another path")
    text = (resources.files("brandrail.policy") / "starter.yaml").read_text(encoding="utf-8")
    atomic_write(path, text)
    print(f"wrote {path} — edit it, then run: brandrail check YOUR_FILES --policy {path}")


# -- policy -----------------------------------------------------------------------------------------------


@policy_app.command("validate")
@user_errors
def policy_validate(files: Annotated[list[Path], typer.Argument(help="Policy files to validate.")]) -> None:
    """Load, merge and validate policy files; print each one's version."""
    from brandrail.policy import Policy

    for file in files:
        policy = load(file)
        assert isinstance(policy, Policy)
        for name in policy.channels:  # every channel's merged view must validate too
            policy.for_channel(name)
        print(
            f"{file}: ok — version {policy.short_version}, {len(policy.terms.banned)} banned terms, "
            f"{len(policy.brand.trademarks)} trademarks, {len(policy.channels)} channels"
            + (f", extends {', '.join(policy.extends)}" if policy.extends else "")
        )


@policy_app.command("show")
@user_errors
def policy_show(
    file: Annotated[Path, typer.Argument(help="Policy file.")],
    channel: Annotated[
        str | None, typer.Option("--channel", "-c", help="Show the policy as it applies to a channel.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="yaml or json.")] = "yaml",
) -> None:
    """Print the merged policy (all extends and, with --channel, that channel's overrides applied)."""
    import yaml

    from brandrail.policy import Policy

    policy = load(file)
    assert isinstance(policy, Policy)
    view = policy.for_channel(channel)
    data = {"policy_version": policy.version, **view.model_dump(mode="json", by_alias=True)}
    if fmt == "json":
        sys.stdout.write(dump_json(data))
    elif fmt == "yaml":
        sys.stdout.write(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100))
    else:
        fail(f"unknown format {fmt!r}", hint="use yaml or json")


@policy_app.command("packs")
@user_errors
def policy_packs() -> None:
    """List the built-in packs usable in `extends:`."""
    from importlib import resources

    from brandrail.policy import builtin_packs

    for name in builtin_packs():
        text = (resources.files("brandrail.policy") / "packs" / f"{name}.yaml").read_text(encoding="utf-8")
        first = next((ln.lstrip("# ").strip() for ln in text.splitlines() if ln.startswith("#")), "")
        print(f"{name:20} {first}")


# -- rules ------------------------------------------------------------------------------------------------


@app.command()
@user_errors
def rules(
    code: Annotated[str | None, typer.Argument(help="Show one rule's documentation.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """List every rule code with its name, severity and status, or show one rule's documentation."""
    from brandrail.registry import all_rules, get_rule

    if code is not None:
        cls = get_rule(code)
        if cls is None:
            from brandrail.registry import suggest_code

            close = suggest_code(code)
            fail(
                f"unknown rule code {code!r}",
                hint=f"did you mean {close}?" if close else "run `brandrail rules`",
            )
        if fmt == "json":
            sys.stdout.write(dump_json(_rule_json(cls)))
            return
        print(f"{cls.code} {cls.name} ({cls.default_severity.value}, {cls.status}, since {cls.since})\n")
        if cls.doc.summary:
            print(cls.doc.summary + "\n")
        for title, body in cls.doc.sections.items():
            print(f"{title}:\n" + "\n".join(f"  {line}" if line else "" for line in body.splitlines()) + "\n")
        return
    listed = all_rules()
    if fmt == "json":
        sys.stdout.write(dump_json({"schema_version": 1, "rules": [_rule_json(r) for r in listed]}))
        return
    for r in listed:
        print(f"{r.code}  {r.name:34} {r.default_severity.value:8} {r.status:10} {r.kind}")


def _rule_json(cls: type) -> dict[str, object]:
    from brandrail.registry import Rule

    assert issubclass(cls, Rule)
    return {
        "code": cls.code,
        "name": cls.name,
        "severity": cls.default_severity.value,
        "status": cls.status,
        "since": cls.since,
        "kind": cls.kind,
        "summary": cls.doc.summary,
        "doc": cls.doc.sections,
    }


# -- check ------------------------------------------------------------------------------------------------


@app.command()
@user_errors
def check(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (recursive) or - for standard input.")],
    policy: PolicyOption = None,
    channel: Annotated[
        str | None, typer.Option("--channel", "-c", help="Channel whose limits and overrides apply.")
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write the report into this folder (html: report.html)."),
    ] = None,
    max_bytes: Annotated[
        int | None, typer.Option("--max-bytes", help="Refuse files larger than this (default 10 MB).", min=1)
    ] = None,
    stdin_kind: Annotated[
        str, typer.Option("--stdin-kind", help="How to read standard input: text, markdown, html.")
    ] = "text",
    no_source: Annotated[
        bool, typer.Option("--no-source", help="Text output: don't print the line and caret.")
    ] = False,
) -> None:
    """Check content against the policy. Exit 0 no errors, 1 error findings, 2 usage/input/policy error."""
    from brandrail.engine import check_paths
    from brandrail.policy import Policy
    from brandrail.report import CheckRun

    if stdin_kind not in ("text", "markdown", "html"):
        fail(f"--stdin-kind must be text, markdown or html, not {stdin_kind!r}")
    pol = load(policy)
    assert isinstance(pol, Policy)
    results = list(check_paths(paths, pol, channel=channel, max_bytes=max_bytes, stdin_kind=stdin_kind))  # type: ignore[arg-type]
    run = CheckRun(results, pol.version, pol.source, channel)
    emit(run, fmt, out, no_source=no_source)
    raise typer.Exit(EXIT_OK if run.passed else EXIT_FINDINGS)


def emit(run: object, fmt: Format, out: Path | None, *, no_source: bool = False) -> None:
    """Render ``run`` in ``fmt`` to standard output, or into the folder ``out``."""
    from brandrail.report import CheckRun

    assert isinstance(run, CheckRun)
    if fmt is Format.html:
        from brandrail.report.html import render_html

        target = (out or Path("brandrail-report")) / "report.html"
        atomic_write(target, render_html(run))
        s = run.summary()
        print(
            f"wrote {target} — {s['files']} files, {s['errors']} errors, {s['warnings']} warnings, {s['info']} info"
        )
        return
    if fmt is Format.json:
        content = dump_json(run.to_dict())
    elif fmt is Format.sarif:
        from brandrail.report.sarif import render_sarif

        content = json.dumps(render_sarif(run), indent=2, ensure_ascii=False) + "\n"
    elif fmt is Format.github:
        from brandrail.report.github import render_github

        content = render_github(run)
    else:
        from brandrail.report.text import render_text

        content = render_text(run, color=out is None and sys.stdout.isatty(), show_source=not no_source)
    if out is not None:
        suffix = {"json": "json", "sarif": "sarif", "github": "txt", "text": "txt"}[fmt.value]
        target = out / f"report.{suffix}"
        atomic_write(target, content)
        print(f"wrote {target}")
    else:
        sys.stdout.write(content)


# -- demo -------------------------------------------------------------------------------------------------


@app.command()
@user_errors
def demo(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the demo report.")] = Path(
        "demo-report"
    ),
) -> None:
    """Run every capability on the bundled fictional brand (Fernhill Outdoor) and write an HTML report."""
    from rich.console import Console
    from rich.table import Table

    from brandrail.demo import run_demo

    console = Console(highlight=False)
    with console.status("running the demo…") as status:
        sections = run_demo(out, progress=lambda name: status.update(f"running the demo: {name}…"))
    table = Table(title="brandrail demo — Fernhill Outdoor", show_lines=False)
    table.add_column("pillar", style="bold")
    table.add_column("what")
    table.add_column("result")
    for s in sections:
        for i, (label, value) in enumerate(s.summary):
            table.add_row(s.title if i == 0 else "", label, value)
        table.add_section()
    console.print(table)
    console.print(f"report: {(out / 'index.html').resolve()}")
