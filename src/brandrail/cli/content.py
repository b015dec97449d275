"""Commands of the content pillar: ``brandrail fix`` (registered on brandrail.cli._app.app)."""

from __future__ import annotations

import difflib
import sys
from pathlib import Path
from typing import Annotated

import typer

from brandrail.cli._app import app
from brandrail.cli._common import EXIT_FINDINGS, EXIT_OK, atomic_write, dump_json, user_errors
from brandrail.cli.core import PolicyOption, load
from brandrail.errors import UsageError

__all__ = ["fix"]


@app.command("fix")
@user_errors
def fix(
    paths: Annotated[list[str], typer.Argument(help="Files or folders to fix ('-' reads standard input).")],
    policy_file: PolicyOption = None,
    channel: Annotated[
        str | None, typer.Option("--channel", "-c", help="Apply this channel's rules.")
    ] = None,
    write: Annotated[bool, typer.Option("--write", "-w", help="Write the fixed files (atomically).")] = False,
    subject: Annotated[str | None, typer.Option("--subject", help="E-mail subject line (metadata).")] = None,
    preheader: Annotated[str | None, typer.Option("--preheader", help="E-mail preheader (metadata).")] = None,
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="text (unified diff) or json.")
    ] = "text",
    stdin_kind: Annotated[str, typer.Option("--stdin-kind", help="text, markdown or html for '-'.")] = "text",
    max_bytes: Annotated[
        int | None, typer.Option("--max-bytes", help="Refuse files larger than this (default 10 MB).", min=1)
    ] = None,
) -> None:
    """Apply every safe fix (replacements, trademark casing, disclosures, redactions) and show the diff.

    Nothing is written without --write. Fixes never overlap and keep Markdown and HTML valid; running fix
    twice changes nothing the second time. Exit code 1 when error findings remain after fixing.
    """
    from brandrail.content.fix import fix_text
    from brandrail.policy import Policy
    from brandrail.text.io import decode, discover, read_input

    if output_format not in ("text", "json"):
        raise UsageError(f"unknown --format {output_format!r}", hint="use text or json")
    if stdin_kind not in ("text", "markdown", "html"):
        raise UsageError(f"unknown --stdin-kind {stdin_kind!r}", hint="use text, markdown or html")
    policy = load(policy_file)
    assert isinstance(policy, Policy)
    view = policy.for_channel(channel)
    meta = {k: v for k, v in (("subject", subject), ("preheader", preheader)) if v is not None}
    items = [(p, k) for p, k in discover(paths) if k != "image"]
    reports = []
    remaining_errors = 0
    for path, kind in items:
        name, raw = read_input(path, max_bytes)
        text = decode(raw, name)
        doc_kind = stdin_kind if kind == "stdin" else kind
        outcome = fix_text(text, view, kind=doc_kind, channel=channel, path=name, meta=meta)  # type: ignore[arg-type]
        errors = outcome.remaining.errors if outcome.remaining else ()
        remaining_errors += len(errors)
        diff = "".join(
            difflib.unified_diff(
                text.splitlines(keepends=True),
                outcome.text.splitlines(keepends=True),
                fromfile=f"a/{name.lstrip('/')}",
                tofile=f"b/{name.lstrip('/')}",
            )
        )
        if diff and not diff.endswith("\n"):
            diff += "\n\\ No newline at end of file\n"
        if write and outcome.changed:
            if name == "<stdin>":
                sys.stdout.write(outcome.text)
            else:
                atomic_write(Path(path), outcome.text)
        reports.append((name, outcome, diff))
    if output_format == "json":
        payload = {
            "schema_version": 1,
            "policy_version": policy.version,
            "written": write,
            "files": [
                {
                    "path": name,
                    "changed": outcome.changed,
                    "passes": outcome.passes,
                    "applied": [
                        {
                            "code": f.code,
                            "description": f.fix.description if f.fix else "",
                            "span": f.span.to_dict() if f.span else None,
                        }
                        for f in outcome.applied
                    ],
                    "remaining": [
                        f.to_dict() for f in (outcome.remaining.findings if outcome.remaining else ())
                    ],
                    "diff": diff,
                }
                for name, outcome, diff in reports
            ],
        }
        sys.stdout.write(dump_json(payload))
    else:
        for name, outcome, diff in reports:
            if not (write and name == "<stdin>"):
                sys.stdout.write(diff)
            left = len(outcome.remaining.findings) if outcome.remaining else 0
            verb = "fixed" if write else "would fix"
            print(f"{name}: {verb} {len(outcome.applied)}, {left} left", file=sys.stderr)
    raise typer.Exit(EXIT_FINDINGS if remaining_errors else EXIT_OK)
