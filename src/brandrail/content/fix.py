"""Apply safe fixes: non-overlapping edits, markup kept valid, idempotent.

:func:`apply_fixes` applies the safe fixes of one set of findings to the text they were found in. Edits of
different fixes never overlap: when two fixes touch the same characters, the one that starts first (then the
one of the lower code) wins and the other is skipped for this pass. :func:`fix_text` checks, applies and
checks again until nothing changes (at most ``max_passes`` passes), so that fixes that were skipped because
of an overlap get their turn and running it on its own output changes nothing.

Every fix a rule builds is markup-safe by construction: replacements are only offered as safe for spans
without markup (``content.fixes.is_plain``), appended disclosures become a new paragraph (a ``<p>`` before
``</body>`` in HTML, an escaped paragraph in Markdown), and deletions remove whole characters or entities.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from brandrail.findings import Edit, Finding, Result
from brandrail.policy import Policy
from brandrail.text.document import Document, Kind

__all__ = ["FixOutcome", "apply_fixes", "fix_text"]


def _conflicts(a: Edit, b: Edit) -> bool:
    """Two edits conflict when their ranges overlap, or one inserts strictly inside the other's range."""
    if a.start == a.end and b.start == b.end:
        return False
    if a.start == a.end:
        return b.start < a.start < b.end
    if b.start == b.end:
        return a.start < b.start < a.end
    return a.start < b.end and b.start < a.end


def apply_fixes(text: str, findings: Iterable[Finding]) -> tuple[str, list[Finding], list[Finding]]:
    """Apply every safe, non-overlapping fix of ``findings`` to ``text``.

    Returns the new text, the findings whose fixes were applied and those skipped (no fix, an unsafe fix,
    an edit out of range, or an overlap with a fix applied before it).
    """
    candidates = sorted(
        (f for f in findings),
        key=lambda f: (
            min((e.start for e in f.fix.edits), default=-1) if f.fix else -1,
            f.code,
            f.sort_key(),
        ),
    )
    chosen: list[Edit] = []
    seen: set[tuple[int, int, str]] = set()
    applied: list[Finding] = []
    skipped: list[Finding] = []
    for finding in candidates:
        fix = finding.fix
        if fix is None or not fix.safe or not fix.edits:
            skipped.append(finding)
            continue
        edits = [e for e in fix.edits if (e.start, e.end, e.replacement) not in seen]
        if any(e.start < 0 or e.end > len(text) or e.end < e.start for e in fix.edits):
            skipped.append(finding)
            continue
        if any(_conflicts(e, c) for e in edits for c in chosen):
            skipped.append(finding)
            continue
        for e in edits:
            seen.add((e.start, e.end, e.replacement))
            chosen.append(e)
        applied.append(finding)
    order = sorted(range(len(chosen)), key=lambda i: (chosen[i].start, chosen[i].end, i))
    parts: list[str] = []
    cursor = 0
    for i in order:
        edit = chosen[i]
        parts.append(text[cursor : edit.start])
        parts.append(edit.replacement)
        cursor = max(cursor, edit.end)
    parts.append(text[cursor:])
    return "".join(parts), applied, skipped


@dataclass
class FixOutcome:
    """The result of :func:`fix_text`: the fixed text, what was applied and what remains."""

    original: str
    text: str
    applied: list[Finding] = field(default_factory=list)
    remaining: Result | None = None
    passes: int = 0

    @property
    def changed(self) -> bool:
        return self.text != self.original

    def unapplied(self) -> list[Finding]:
        """Remaining findings (after the last pass) that have a fix that was not applied."""
        if self.remaining is None:
            return []
        return [f for f in self.remaining.findings if f.fix is not None]


def fix_text(
    text: str,
    policy: Policy,
    *,
    kind: Kind = "text",
    channel: str | None = None,
    path: str | None = None,
    meta: dict[str, Any] | None = None,
    max_passes: int = 4,
) -> FixOutcome:
    """Check ``text``, apply the safe fixes, and repeat until nothing changes (at most ``max_passes``)."""
    from brandrail.engine import check_document

    outcome = FixOutcome(original=text, text=text)
    current = text
    for _ in range(max_passes):
        doc = Document(current, path=path, kind=kind, channel=channel, meta=dict(meta or {}))
        result = check_document(doc, policy)
        outcome.remaining = result
        new, applied, _ = apply_fixes(current, result.findings)
        if not applied or new == current:
            break
        outcome.passes += 1
        outcome.applied.extend(applied)
        current = new
    else:
        doc = Document(current, path=path, kind=kind, channel=channel, meta=dict(meta or {}))
        outcome.remaining = check_document(doc, policy)
    outcome.text = current
    return outcome
