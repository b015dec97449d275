"""The baseline of ``brandrail check``: today's findings, recorded so that only new ones are reported.

A team adopting brandrail on content that already has thousands of findings writes a baseline once
(``--write-baseline FILE``); later runs with ``--baseline FILE`` report and fail only on findings that are
not in it, count the ones that are, and list the entries no finding matches any more (fixed: prune them by
writing the baseline again).

A finding is matched by its fingerprint (:mod:`brandrail.report.fingerprint`, the one SARIF uses): rule code,
file, normalised matched text, occurrence index among equal findings. It survives lines moving and edits
elsewhere in the file; a finding whose own text changed is new.

The file (docs/ci.md, "Adopting brandrail on existing content") is JSON with a version, one entry per line,
sorted, without timestamps; file paths in it are relative to the folder that holds the baseline file, in
``/`` form, so a run from any working directory, on any machine, matches the same entries. The matched text
itself is not stored (it may be personal data): only its hash inside the fingerprint.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from brandrail.errors import InputError, Location
from brandrail.findings import Finding, Result, score_findings
from brandrail.report.fingerprint import fingerprint, match_text, with_occurrences

__all__ = ["BASELINE_VERSION", "Baseline", "BaselineEntry", "BaselineRecorder", "write_baseline"]

#: Version of the baseline file format. A file with another version is refused (exit 2).
BASELINE_VERSION = 1
_VERSION_KEY = "brandrail_baseline"
#: Findings that say a file could not be checked are errors of the run, never baselined.
_NEVER = frozenset({"IO001", "IO002"})


@dataclass(frozen=True, order=True, slots=True)
class BaselineEntry:
    """One recorded finding: the file (relative to the baseline's folder), its code, rule name, fingerprint."""

    path: str
    code: str
    rule: str
    fingerprint: str

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "code": self.code, "rule": self.rule, "fingerprint": self.fingerprint}


def _relative(path: str | None, root: Path) -> str:
    """``path`` relative to ``root`` in ``/`` form (``-`` for standard input)."""
    if not path or path in ("-", "<stdin>"):
        return "-"
    return os.path.relpath(Path(path).absolute(), root).replace(os.sep, "/")


def _entries(
    result: Result, findings: Iterable[Finding], root: Path
) -> Iterator[tuple[Finding, BaselineEntry]]:
    rel = _relative(result.path, root)
    for f, n in with_occurrences(findings):
        yield f, BaselineEntry(rel, f.code, f.rule, fingerprint(f.code, rel, match_text(f), n))


def _location_of(data: bytes, offset: int, file: str) -> Location:
    before = data[:offset]
    line = before.count(b"\n") + 1
    column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
    return Location(file, line, column)


@dataclass
class Baseline:
    """A loaded baseline: match each result's findings against it, then list what no longer occurs."""

    file: str
    root: Path
    policy_version: str | None
    entries: dict[str, BaselineEntry]
    matched: set[str] = field(default_factory=set)
    checked_paths: set[str] = field(default_factory=set)
    baselined: int = 0

    @classmethod
    def load(cls, file: str | Path) -> Baseline:
        """Read and validate a baseline file; any problem is an :class:`InputError` with file:line:col."""
        name = str(file)
        hint = f"write it with `brandrail check PATH... --write-baseline {name}`"
        try:
            data = Path(file).read_bytes()
        except FileNotFoundError:
            raise InputError("baseline file not found", location=Location(name), hint=hint) from None
        except IsADirectoryError:
            raise InputError("baseline is a folder, not a file", location=Location(name), hint=hint) from None
        except OSError as exc:
            raise InputError(
                f"cannot read baseline file: {exc.strerror}", location=Location(name), hint=hint
            ) from None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"baseline file is not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
                location=_location_of(data, exc.start, name),
                hint="a baseline is UTF-8 JSON written by --write-baseline; write it again",
            ) from None
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"baseline file is not valid JSON: {exc.msg}",
                location=Location(name, exc.lineno, exc.colno),
                hint="resolve merge conflicts in it, or write it again with --write-baseline",
            ) from None

        def where(key: str) -> Location:
            at = text.find(f'"{key}"')
            return (
                _location_of(data, len(text[:at].encode("utf-8")), name) if at >= 0 else Location(name, 1, 1)
            )

        if not isinstance(raw, dict) or _VERSION_KEY not in raw:
            raise InputError(
                f"not a brandrail baseline (no {_VERSION_KEY!r} key)",
                location=Location(name, 1, 1),
                hint=f"give the file written by --write-baseline; {hint}",
            )
        version = raw[_VERSION_KEY]
        if version != BASELINE_VERSION:
            raise InputError(
                f"baseline format version {version!r} is not supported (this brandrail reads version "
                f"{BASELINE_VERSION})",
                location=where(_VERSION_KEY),
                hint=f"write it again with this brandrail: {hint}",
            )
        items = raw.get("findings")
        if not isinstance(items, list):
            raise InputError(
                "baseline 'findings' must be a list", location=where("findings"), hint="write it again"
            )
        entries: dict[str, BaselineEntry] = {}
        for i, item in enumerate(items):
            fields = ("path", "code", "rule", "fingerprint")
            if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in fields):
                raise InputError(
                    f"baseline findings[{i}] must be an object with string fields {', '.join(fields)}",
                    location=Location(name, _entry_line(text, i)),
                    hint="write it again with --write-baseline",
                )
            entry = BaselineEntry(*(item[k] for k in fields))
            entries[entry.fingerprint] = entry
        policy = raw.get("policy_version")
        root = Path(name).absolute().parent
        return cls(name, root, policy if isinstance(policy, str) else None, entries)

    def apply(self, result: Result) -> Result:
        """``result`` with the findings in the baseline moved to ``extra["baselined"]`` (not reported, not
        counted, not failing the run); scores are computed from the findings left."""
        self.checked_paths.add(_relative(result.path, self.root))
        if not self.entries or not result.findings:
            return result
        kept: list[Finding] = []
        old: list[Finding] = []
        for f, entry in _entries(result, result.findings, self.root):
            if f.code not in _NEVER and entry.fingerprint in self.entries:
                self.matched.add(entry.fingerprint)
                old.append(f)
            else:
                kept.append(f)
        if not old:
            return result
        self.baselined += len(old)
        return _without(result, kept, old)

    def absent(self, keeps: object = None) -> list[BaselineEntry]:
        """Entries no finding matched, of files this run checked (or that no longer exist), sorted.

        ``keeps`` (a :class:`~brandrail.cli._check.CodeFilter`) leaves out entries of codes the run did not
        select: they were not looked for."""
        out = []
        for fp, entry in self.entries.items():
            if fp in self.matched:
                continue
            if keeps is not None and not keeps.keeps(entry.code):  # type: ignore[attr-defined]
                continue
            if entry.path in self.checked_paths or not (self.root / entry.path).exists():
                out.append(entry)
        return sorted(out)

    def path_of(self, entry: BaselineEntry) -> str:
        """The entry's file as a path from the current folder (what reports show)."""
        return os.path.relpath(self.root / entry.path).replace(os.sep, "/")


def _entry_line(text: str, index: int) -> int:
    """The line of the ``index``-th entry when the file is laid out one entry per line (as written)."""
    start = text.find('"findings"')
    if start < 0:
        return 1
    return text.count("\n", 0, start) + 2 + index


@dataclass
class BaselineRecorder:
    """Collects the entries of a run for ``--write-baseline`` (every finding is then accepted)."""

    file: str
    root: Path = field(init=False)
    entries: list[BaselineEntry] = field(default_factory=list)
    baselined: int = 0

    def __post_init__(self) -> None:
        self.root = Path(self.file).absolute().parent

    def apply(self, result: Result) -> Result:
        """Record ``result``'s findings and report them as baselined (what the new baseline will do)."""
        if not result.findings:
            return result
        kept: list[Finding] = []
        old: list[Finding] = []
        for f, entry in _entries(result, result.findings, self.root):
            if f.code in _NEVER:
                kept.append(f)
            else:
                self.entries.append(entry)
                old.append(f)
        if not old:
            return result
        self.baselined += len(old)
        return _without(result, kept, old)


def _without(result: Result, kept: list[Finding], old: list[Finding]) -> Result:
    """``result`` with only the findings ``kept`` (scored again); the baselined ones (``old``) in
    ``extra["baselined"]``."""
    families = [k for k in result.scores if k != "overall"]
    return Result(
        findings=tuple(kept),
        policy_version=result.policy_version,
        scores=score_findings(kept, families),
        path=result.path,
        channel=result.channel,
        suppressed=result.suppressed,
        pass_mark=result.pass_mark,
        extra={**result.extra, "baselined": tuple(old)},
    )


def write_baseline(file: str | Path, entries: Iterable[BaselineEntry], *, policy_version: str) -> int:
    """Write the baseline atomically: versioned, sorted, one entry per line; returns the number of entries."""
    from brandrail.cli._common import atomic_write

    ordered = sorted(set(entries))
    lines = [
        "{",
        f'  "{_VERSION_KEY}": {BASELINE_VERSION},',
        '  "paths": "relative to the folder of this file",',
        f'  "policy_version": {json.dumps(policy_version)},',
        '  "findings": [',
    ]
    body = [json.dumps(e.to_dict(), ensure_ascii=False) for e in ordered]
    lines.extend("    " + item + ("," if i < len(body) - 1 else "") for i, item in enumerate(body))
    lines += ["  ]", "}"]
    atomic_write(Path(file), "\n".join(lines) + "\n")
    return len(ordered)
