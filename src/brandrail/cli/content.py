"""Commands of the content pillar: ``brandrail fix`` (registered on brandrail.cli._app.app)."""

from __future__ import annotations

import difflib
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from brandrail.cli._app import app
from brandrail.cli._common import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, atomic_write, dump_json, user_errors
from brandrail.cli.core import PolicyOption, StdinKind, load


class FixFormat(StrEnum):
    text = "text"
    json = "json"


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
    force: Annotated[
        bool, typer.Option("--force", help="With --write: also replace read-only files (keeping their mode).")
    ] = False,
    subject: Annotated[str | None, typer.Option("--subject", help="E-mail subject line (metadata).")] = None,
    preheader: Annotated[str | None, typer.Option("--preheader", help="E-mail preheader (metadata).")] = None,
    output_format: Annotated[
        FixFormat, typer.Option("--format", "-f", help="text (unified diff) or json.")
    ] = FixFormat.text,
    stdin_kind: Annotated[
        StdinKind, typer.Option("--stdin-kind", help="How to read standard input ('-').")
    ] = StdinKind.text,
    max_bytes: Annotated[
        int | None,
        typer.Option(
            "--max-bytes", help="Refuse files larger than this (default 10 MB).", min=1, metavar="BYTES"
        ),
    ] = None,
) -> None:
    """Apply every safe fix (replacements, trademark casing, disclosures, redactions) and show the diff.

    Nothing is written without --write. Fixes never overlap and keep Markdown and HTML valid; running fix
    twice changes nothing the second time. --write replaces each file atomically, through symlinks, keeping
    its mode, owner and group, and refuses read-only files unless --force. Exit code 1 when error findings
    remain after fixing; 2 when a file could not be read or written (the other files are still fixed).
    """
    from brandrail.content.fix import fix_text
    from brandrail.errors import BrandrailError
    from brandrail.policy import Policy
    from brandrail.policy.discovery import channel_for, front_matter_channel
    from brandrail.text.io import decode, discover, read_input

    policy = load(policy_file, paths)
    assert isinstance(policy, Policy)
    view = policy.for_channel(channel)
    meta = {k: v for k, v in (("subject", subject), ("preheader", preheader)) if v is not None}
    items = [(p, k) for p, k in discover(paths) if k != "image"]
    reports = []
    remaining_errors = 0
    file_errors: list[str] = []
    for path, kind in items:
        try:
            name, raw = read_input(path, max_bytes)
            text = decode(raw, name)
        except BrandrailError as exc:
            file_errors.append(f"error: {exc}")
            continue
        doc_kind = stdin_kind.value if kind == "stdin" else kind
        file_channel = channel
        if file_channel is None:  # the same channel choice as `brandrail check` (docs/cli.md)
            declared = front_matter_channel(text) if doc_kind == "markdown" else None
            file_channel = declared or channel_for(path, policy.files, policy.source)
        try:
            file_view = view if file_channel == channel else policy.for_channel(file_channel)
        except BrandrailError as exc:
            file_errors.append(f"error: {name}: front matter: {exc}")
            continue
        outcome = fix_text(text, file_view, kind=doc_kind, channel=file_channel, path=name, meta=meta)  # type: ignore[arg-type]
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
                try:
                    atomic_write(Path(path), outcome.text, force=force)
                except BrandrailError as exc:
                    file_errors.append(f"error: {exc}")
                except OSError as exc:
                    file_errors.append(f"error: {path}: cannot write: {exc.strerror}")
        reports.append((name, outcome, diff))
    if output_format is FixFormat.json:
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
        from brandrail.report.text import printable

        def shown(text: str, stream: Any) -> str:
            """On a terminal, the file's control characters as symbols (a diff piped on stays byte-exact)."""
            if not stream.isatty():
                return text
            return printable(text, keep_lines=True)

        for name, outcome, diff in reports:
            if not (write and name == "<stdin>"):
                sys.stdout.write(shown(diff, sys.stdout))
            left = len(outcome.remaining.findings) if outcome.remaining else 0
            verb = "fixed" if write else "would fix"
            print(f"{printable(name)}: {verb} {len(outcome.applied)}, {left} left", file=sys.stderr)
    for message in file_errors:
        print(message, file=sys.stderr)
    if file_errors:
        raise typer.Exit(EXIT_USAGE)
    raise typer.Exit(EXIT_FINDINGS if remaining_errors else EXIT_OK)
