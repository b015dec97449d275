"""The identity of a finding across runs: rule, file, matched text, and which of the equal ones it is.

One function serves both SARIF's ``partialFingerprints`` (code scanning keeps an alert while it stays) and
the baseline (``brandrail check --baseline``): a finding keeps its fingerprint when lines move or other text
changes, and gets a new one when its own text changes. Whitespace and case in the matched text are
normalised; the occurrence index tells apart equal findings in one file (the first "cheap" is 0, the
second 1).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator

from brandrail.findings import Finding

__all__ = ["fingerprint", "match_text", "with_occurrences"]


def match_text(f: Finding) -> str:
    """The finding's matched text (its message when it has no span), whitespace collapsed, lower-cased."""
    return " ".join((f.match or f.message).split()).lower()


def fingerprint(code: str, where: str, text: str, occurrence: int) -> str:
    """32 hex digits of SHA-256 over rule code, file, normalised matched text and occurrence index."""
    key = "\x1f".join((code, where, text, str(occurrence)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def with_occurrences(
    findings: Iterable[Finding], seen: dict[tuple[str, str], int] | None = None
) -> Iterator[tuple[Finding, int]]:
    """Each finding with its occurrence index among the findings of the same code and matched text.

    Pass the same ``seen`` to continue counting over a second list (SARIF counts suppressed findings after
    the reported ones)."""
    counts: dict[tuple[str, str], int] = {} if seen is None else seen
    for f in findings:
        key = (f.code, match_text(f))
        n = counts.get(key, 0)
        counts[key] = n + 1
        yield f, n
