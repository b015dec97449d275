"""Core commands: init, policy validate/show/packs, rules, check, demo."""

from __future__ import annotations

import math
import sys
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer

from brandrail.cli._app import app, policy_app, set_debug
from brandrail.cli._common import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    Format,
    atomic_write,
    counted,
    dump_json,
    fail,
    prepare_out_dir,
    read_conversation,
    stderr,
    stdout,
    user_errors,
)

DEFAULT_POLICY = "brandrail.yaml"


class ShowFormat(StrEnum):
    yaml = "yaml"
    json = "json"


class ListFormat(StrEnum):
    text = "text"
    json = "json"


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    sarif = "sarif"
    github = "github"
    html = "html"


class FailOn(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"


class StdinKind(StrEnum):
    text = "text"
    markdown = "markdown"
    html = "html"


_SUFFIX = {"text": "txt", "json": "json", "jsonl": "jsonl", "sarif": "sarif", "github": "txt", "html": "html"}

PolicyOption = Annotated[
    Path | None,
    typer.Option(
        "--policy",
        "-p",
        help="Policy file (default: the nearest brandrail.yaml at or above the checked path, "
        "else $BRANDRAIL_POLICY).",
        show_default=False,
        metavar="FILE",
    ),
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
    debug: Annotated[
        bool,
        typer.Option(
            "--debug", help="Show the traceback of an error (also: BRANDRAIL_DEBUG=1).", envvar=None
        ),
    ] = False,
) -> None:
    """brandrail keeps marketing AI on-brand, ethical, on-goal and within bounds — and proves it."""
    set_debug(debug)


def resolve_policy(path: Path | None, paths: Iterable[str] = ()) -> Path:
    """``--policy``, else the nearest brandrail.yaml at or above the first checked path, else BRANDRAIL_POLICY."""
    from brandrail.policy.discovery import find_policy

    return find_policy(path, paths)


def load(path: Path | None, paths: Iterable[str] = ()) -> object:
    from brandrail.engine import validate_rule_settings
    from brandrail.policy import load_policy

    policy = load_policy(resolve_policy(path, paths))
    validate_rule_settings(policy)
    return policy


# -- init -------------------------------------------------------------------------------------------------


@app.command()
@user_errors
def init(
    path: Annotated[
        Path,
        typer.Argument(
            help="Where to write the starter policy (a file, or a folder for FOLDER/brandrail.yaml).",
            metavar="PATH",
        ),
    ] = Path(DEFAULT_POLICY),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter policy (brandrail.yaml)."""
    from importlib import resources

    if path.is_dir():
        path = path / DEFAULT_POLICY
    if path.exists() and not force:
        fail(f"{path} already exists", hint="use --force to overwrite it, or give another path")
    if path.exists() and not path.is_file():
        fail(f"{path} is not a regular file", hint="give a file path")
    text = (resources.files("brandrail.policy") / "starter.yaml").read_text(encoding="utf-8")
    atomic_write(path, text, force=force)
    print(f"wrote {path} — edit it, then run: brandrail check YOUR_FILES --policy {path}")


# -- policy -----------------------------------------------------------------------------------------------


@policy_app.command("validate")
@user_errors
def policy_validate(
    files: Annotated[list[Path], typer.Argument(help="Policy files to validate.", metavar="FILE...")],
) -> None:
    """Load, merge and validate policy files; print each one's version."""
    from brandrail.errors import BrandrailError
    from brandrail.policy import Policy

    failed = 0
    for file in files:
        try:
            policy = load(file)
            assert isinstance(policy, Policy)
            for name in policy.channels:  # every channel's merged view must validate too
                policy.for_channel(name)
        except BrandrailError as exc:
            failed += 1
            print(f"error: {exc}", file=sys.stderr)
            continue
        print(
            f"{file}: ok — version {policy.short_version}, {counted(len(policy.terms.banned), 'banned term')}, "
            f"{counted(len(policy.brand.trademarks), 'trademark')}, {counted(len(policy.channels), 'channel')}"
            + (f", extends {', '.join(policy.extends)}" if policy.extends else "")
        )
    if failed:
        print(f"{failed} of {len(files)} policy files invalid", file=sys.stderr)
        raise typer.Exit(EXIT_USAGE)


@policy_app.command("show")
@user_errors
def policy_show(
    file: Annotated[Path, typer.Argument(help="Policy file.")],
    channel: Annotated[
        str | None, typer.Option("--channel", "-c", help="Show the policy as it applies to a channel.")
    ] = None,
    fmt: Annotated[ShowFormat, typer.Option("--format", "-f", help="Output format.")] = ShowFormat.yaml,
) -> None:
    """Print the merged policy (all extends and, with --channel, that channel's overrides applied)."""
    import yaml

    from brandrail.policy import Policy

    policy = load(file)
    assert isinstance(policy, Policy)
    view = policy.for_channel(channel)
    data = {"policy_version": policy.version, **view.model_dump(mode="json", by_alias=True)}
    if fmt is ShowFormat.json:
        sys.stdout.write(dump_json(data))
    else:
        sys.stdout.write(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100))


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
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")] = ListFormat.text,
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
        if fmt is ListFormat.json:
            sys.stdout.write(dump_json(_rule_json(cls)))
            return
        print(f"{cls.code} {cls.name} ({cls.default_severity.value}, {cls.status}, since {cls.since})\n")
        if cls.doc.summary:
            print(cls.doc.summary + "\n")
        for title, body in cls.doc.sections.items():
            print(f"{title}:\n" + "\n".join(f"  {line}" if line else "" for line in body.splitlines()) + "\n")
        return
    listed = all_rules()
    if fmt is ListFormat.json:
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
    paths: Annotated[
        list[str],
        typer.Argument(help="Files, folders (recursive) or - for standard input.", metavar="PATH..."),
    ],
    policy: PolicyOption = None,
    channel: Annotated[
        str | None,
        typer.Option(
            "--channel",
            "-c",
            help="Channel whose limits and overrides apply to every file (default: the file's front matter "
            "`channel:`, else the policy's `files:` mapping).",
            metavar="NAME",
        ),
    ] = None,
    fmt: Annotated[CheckFormat, typer.Option("--format", "-f", help="Output format.")] = CheckFormat.text,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Write the report into this folder as report.EXT (default: standard output).",
            metavar="FOLDER",
        ),
    ] = None,
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select",
            help="Report only these codes, code prefixes (BR2) or families (claims).",
            metavar="CODES",
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option(
            "--ignore", help="Don't report these codes, code prefixes or families.", metavar="CODES"
        ),
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option(
            "--exclude",
            help="Skip files and folders matching this glob while walking folders.",
            metavar="GLOB",
        ),
    ] = None,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="Lowest severity that makes the run fail (exit 1).")
    ] = FailOn.error,
    exit_zero: Annotated[
        bool,
        typer.Option("--exit-zero", help="Exit 0 even when findings fail the run (2 still means an error)."),
    ] = False,
    max_per_rule: Annotated[
        int,
        typer.Option(
            "--max-per-rule",
            help="Show at most this many findings of one code per file (0: all).",
            min=0,
            metavar="N",
        ),
    ] = 100,
    max_bytes: Annotated[
        int | None,
        typer.Option(
            "--max-bytes", help="Refuse files larger than this (default 10 MB).", min=1, metavar="BYTES"
        ),
    ] = None,
    stdin_kind: Annotated[
        StdinKind, typer.Option("--stdin-kind", help="How to read standard input.")
    ] = StdinKind.text,
    no_source: Annotated[
        bool, typer.Option("--no-source", help="Text output: don't print the line and caret.")
    ] = False,
    conversation: Annotated[
        Path | None,
        typer.Option(
            "--conversation",
            help='JSON file of the turns a reply answers: [{"role": "customer", "text": "..."}, ...]. Every '
            "file is judged as a reply to it (the policy's voice.context targets).",
            metavar="FILE",
            show_default=False,
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            help="Worker processes (default: the free CPUs this process may use; 1: no workers). Runs of "
            "fewer than 1,000 files are checked without workers.",
            min=1,
            metavar="N",
            show_default=False,
        ),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(
            "--baseline",
            help="Report and fail only on findings not in this baseline file; list its entries that no "
            "longer occur.",
            metavar="FILE",
            show_default=False,
        ),
    ] = None,
    write_baseline: Annotated[
        Path | None,
        typer.Option(
            "--write-baseline",
            help="Record this run's findings in FILE (atomically) and accept them: the run passes unless a "
            "file could not be checked.",
            metavar="FILE",
            show_default=False,
        ),
    ] = None,
    budget: Annotated[
        float | None,
        typer.Option(
            "--budget",
            "--timeout",
            help="CPU seconds the checks of one file may use (and 4 × that in wall seconds). A file past it "
            "is stopped and reported as BR999, not checked: exit 2. Files are then checked one at a time "
            "in a separate process.",
            metavar="SECONDS",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Check content against the policy. Exit 0 passed, 1 findings fail the run, 2 usage/input/policy error."""
    from brandrail.check_budget import CODE as BUDGET_CODE
    from brandrail.cli._check import FILE_CODES, CodeFilter, check_files, refine
    from brandrail.cli._parallel import SEQUENTIAL_BELOW, check_files_parallel, default_jobs
    from brandrail.policy import Policy
    from brandrail.registry import all_rules
    from brandrail.report.baseline import Baseline, BaselineRecorder
    from brandrail.report.baseline import write_baseline as save_baseline
    from brandrail.report.stream import RunTally, TextWriter
    from brandrail.text.io import discover

    pol = load(policy, paths)
    assert isinstance(pol, Policy)
    if channel is not None:
        pol.for_channel(channel)  # an unknown channel fails before any work
    convo = read_conversation(conversation) if conversation is not None else None
    codes = CodeFilter()
    if select or ignore:  # content rule codes only: verdict modules (audits) are not imported by check
        known = {r.code for kind in ("text", "html", "image") for r in all_rules(kind)}
        codes = CodeFilter.parse(select or [], ignore or [], known)
    if out is not None:
        prepare_out_dir(out)
    if paths.count("-") > 1:
        fail("standard input ('-') can be checked only once per run")
    base = Baseline.load(baseline) if baseline is not None else None
    if write_baseline is not None and write_baseline.is_dir():
        fail(
            f"--write-baseline {write_baseline} is a folder",
            hint="give a file, e.g. .brandrail-baseline.json",
        )
    if write_baseline is not None:  # checked up front, as --out: no work for a file that cannot be written
        prepare_out_dir(write_baseline.absolute().parent)
    recorder = BaselineRecorder(str(write_baseline)) if write_baseline is not None else None
    errors_walking: list[tuple[str, OSError]] = []
    items = list(discover(paths, exclude=exclude or (), on_error=lambda p, e: errors_walking.append((p, e))))
    err = stderr()
    empties: list[str] = []
    tally = RunTally(pol.version, pol.source, channel)
    file_errors = 0
    unread: list[str] = []
    if base is not None and base.policy_version and base.policy_version != pol.version:
        err.print(
            f"note: {baseline} was written under policy {base.policy_version[:12]}, this run uses "
            f"{pol.version[:12]}; findings still match by rule, file and text"
        )
    n_jobs = jobs if jobs is not None else default_jobs()
    parallel = n_jobs > 1 and len(items) >= SEQUENTIAL_BELOW and all(p != "-" for p, _ in items)
    options: dict[str, Any] = {
        "channel": channel,
        "max_bytes": max_bytes,
        "stdin_kind": stdin_kind.value,
        "codes": codes,
        "conversation": convo,
    }
    pool = _check_pool(budget)
    if pool is not None:  # one file at a time, each in the check process within the budget
        parallel = False
        options["pool"] = pool
    if parallel:
        keep = "always" if fmt is CheckFormat.html else "findings" if fmt is CheckFormat.text else "never"
        if fmt is CheckFormat.text and no_source:
            keep = "never"
        checked = check_files_parallel(
            items, pol, jobs=n_jobs, keep_text=keep, on_empty=empties.append, **options
        )
    else:
        checked = check_files(items, pol, on_empty=empties.append, **options)
    with _ReportStream(out, fmt) as stream:
        writer = _writer(
            fmt,
            stream,
            tally,
            color=out is None,
            show_source=not no_source,
            baseline=base is not None or recorder is not None,
        )
        for path, exc in errors_walking:
            from brandrail.cli._check import file_error

            result = file_error(path, f"cannot read folder: {exc.strerror}", policy_version=pol.version)
            tally.add(result)
            file_errors += 1
            writer.add(result, None)
        for result, doc in checked:
            if any(
                f.code == BUDGET_CODE for f in result.findings
            ):  # not checked: never filtered or baselined
                unread.append(result.path or "-")
                file_errors += 1
                tally.add(result)
                writer.add(result, doc)
                continue
            if codes.active:  # baselines hold the selected findings only
                result = refine(result, codes, 0)
            if base is not None:
                result = base.apply(result)
            if recorder is not None:
                result = recorder.apply(result)
            result = refine(result, codes, max_per_rule)
            file_errors += any(f.code in FILE_CODES for f in result.findings)
            tally.add(result)
            writer.add(result, doc)
        if recorder is not None:
            tally.baseline = {"file": str(write_baseline), "policy_version": pol.version}
            tally.baseline["baselined"] = recorder.baselined
        elif base is not None:
            tally.baseline = {"file": str(baseline), "policy_version": base.policy_version}
            tally.baseline["baselined"] = base.baselined
        if tally.baseline is not None:
            fixed = base.absent(codes) if base is not None else []
            tally.baseline["fixed"] = [
                {**e.to_dict(), "path": base.path_of(e)} for e in fixed if base is not None
            ]
        verdict_code = _exit_code(tally, fail_on, exit_zero=False, file_errors=file_errors)
        exit_code = EXIT_OK if exit_zero and verdict_code == EXIT_FINDINGS else verdict_code
        if isinstance(writer, TextWriter):
            writer.verdict = "passed" if verdict_code == EXIT_OK else "failed"
        writer.finish(tally)
    if recorder is not None:
        assert write_baseline is not None
        n = save_baseline(write_baseline, recorder.entries, policy_version=pol.version)
        err.print(f"wrote baseline {write_baseline} — {n} finding{'s' if n != 1 else ''}")
    for name in empties:
        err.print(f"warning: {name}: empty, nothing to check")
    if pool is not None:
        pool.close()
    for name in unread:
        err.print(
            f"error: {name}: its checks ran out of the --budget of {budget:g} CPU seconds and were stopped; "
            "the file was not fully checked (BR999)"
        )
    if file_errors:
        err.print(
            f"error: {file_errors} file{'s' if file_errors != 1 else ''} could not be checked "
            f"(see the {'IO and BR999' if unread else 'IO'} findings)"
        )
    if out is not None:
        s = tally.summary()
        print(
            f"wrote {out / ('report.' + _SUFFIX[fmt.value])} — {s['files']} file{'s' if s['files'] != 1 else ''}, "
            f"{s['errors']} errors, {s['warnings']} warnings, {s['info']} info"
        )
    raise typer.Exit(exit_code)


def _check_pool(budget: float | None) -> Any:
    """The check process for ``--budget`` (None without it); a budget that is not a positive number of
    seconds is a usage error."""
    if budget is None:
        return None
    if not (math.isfinite(budget) and 0 < budget <= 3600):
        fail(
            f"--budget {budget:g} is not a number of CPU seconds above 0 and at most 3600",
            hint="e.g. --budget 5",
        )
    from brandrail.check_budget import CheckPool

    return CheckPool(cpu_seconds=budget, processes=1)


def _exit_code(tally: Any, fail_on: FailOn, *, exit_zero: bool, file_errors: int) -> int:
    if file_errors:
        return EXIT_USAGE
    if fail_on is FailOn.error:
        failing = not tally.passed
    elif fail_on is FailOn.warning:
        failing = not tally.passed or tally.counts["warning"] > 0
    else:
        failing = not tally.passed or tally.counts["warning"] > 0 or tally.counts["info"] > 0
    if exit_zero:
        return EXIT_OK
    return EXIT_FINDINGS if failing else EXIT_OK


class _ReportStream:
    """Standard output, or a temporary file in ``out`` renamed to report.EXT when the run completes."""

    def __init__(self, out: Path | None, fmt: CheckFormat) -> None:
        self._out = out
        self._fmt = fmt
        self._tmp: Path | None = None
        self._handle: TextIO | None = None

    def __enter__(self) -> TextIO:
        if self._out is None:
            return sys.stdout
        import tempfile

        self._out.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self._out, prefix=".report.", suffix=".tmp")
        self._tmp = Path(tmp)
        import os

        self._handle = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        return self._handle

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if self._handle is None or self._tmp is None or self._out is None:
            return
        try:
            self._handle.close()
            if exc_type is None:
                self._tmp.chmod(0o644)
                self._tmp.replace(self._out / f"report.{_SUFFIX[self._fmt.value]}")
        finally:
            self._tmp.unlink(missing_ok=True)


def _writer(
    fmt: CheckFormat, stream: TextIO, tally: Any, *, color: bool, show_source: bool, baseline: bool = False
) -> Any:
    from brandrail.report import stream as writers

    if fmt is CheckFormat.text:
        console = stdout() if stream is sys.stdout and color else None
        if console is not None and not (console.is_terminal or console.color_system):
            console = None  # not a terminal and no FORCE_COLOR: plain text, written directly
        return writers.TextWriter(console, stream=stream, show_source=show_source)
    if fmt is CheckFormat.sarif:
        return writers.SarifStreamWriter(stream, tally, baseline=baseline)
    cls = {
        CheckFormat.json: writers.JsonWriter,
        CheckFormat.jsonl: writers.JsonLinesWriter,
        CheckFormat.sarif: writers.SarifStreamWriter,
        CheckFormat.html: writers.HtmlWriter,
    }.get(fmt)
    if cls is None:
        return writers.GithubWriter(stream)
    return cls(stream, tally)


def emit(run: object, fmt: Format, out: Path | None, *, no_source: bool = False) -> None:
    """Render a whole :class:`~brandrail.report.CheckRun` in ``fmt`` to standard output or into ``out``."""
    from brandrail.report import CheckRun
    from brandrail.report.stream import RunTally

    assert isinstance(run, CheckRun)
    tally = RunTally(run.policy_version, run.policy_source, run.channel)
    check_fmt = CheckFormat(fmt.value)
    with _ReportStream(out, check_fmt) as stream:
        writer = _writer(check_fmt, stream, tally, color=out is None, show_source=not no_source)
        for result, doc in run.results:
            tally.add(result)
            writer.add(result, doc)
        writer.finish(tally)


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


# -- lsp --------------------------------------------------------------------------------------------------


@app.command()
@user_errors
def lsp() -> None:
    """Run the Language Server (stdio): diagnostics and quick fixes in your editor — docs/ci.md."""
    try:
        from brandrail.lsp import serve as serve_lsp
    except ImportError as exc:
        fail(
            f"brandrail lsp needs the 'lsp' extra ({exc.name or 'pygls'} is not installed)",
            hint="pip install 'brandrail[lsp]'",
        )
    serve_lsp()
