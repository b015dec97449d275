"""Findings and results: the one shape every check, audit and gate decision reports in.

A :class:`Finding` is never a bare string: it has a stable code, the rule's name, a severity, a message,
where it stands (a :class:`Span` into the original text, when there is text), the matched text, the
evidence that made it fire (which term or threshold, the measured value, the target) and, when the
problem can be repaired mechanically, a :class:`Fix`.

A :class:`Result` gathers the findings for one checked item with its scores, pass/fail verdict and the
version of the policy that produced it. The same object is behind the CLI output, HTTP responses and
ledger entries; ``to_dict()`` gives its stable, documented JSON form.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

__all__ = [
    "FAMILIES",
    "SEVERITY_WEIGHTS",
    "Edit",
    "Finding",
    "Fix",
    "Result",
    "Severity",
    "Span",
    "family_of",
    "score_findings",
]


class Severity(StrEnum):
    """How serious a finding is. ``error`` fails a check (exit code 1); the others inform."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """3 for error, 2 for warning, 1 for info: higher is more serious."""
        return _RANK[self]

    @classmethod
    def parse(cls, value: str) -> Severity:
        try:
            return cls(value.lower())
        except ValueError:
            raise ValueError(f"unknown severity {value!r}; use one of error, warning, info") from None


_RANK = {Severity.ERROR: 3, Severity.WARNING: 2, Severity.INFO: 1}

#: Points a finding of each severity takes off a 0-100 score (see docs/scores.md).
SEVERITY_WEIGHTS: Mapping[Severity, float] = {
    Severity.ERROR: 25.0,
    Severity.WARNING: 10.0,
    Severity.INFO: 2.0,
}

#: Rule families by code prefix; the longest matching prefix wins.
FAMILIES: Mapping[str, str] = {
    "BR1": "terms",
    "BR2": "claims",
    "BR3": "disclosures",
    "BR4": "channel",
    "BR5": "voice",
    "BR6": "inclusive",
    "BR7": "creative",
    "BR9": "evasion",
    "PV1": "privacy",
    "PV2": "consent",
    "FA": "fairness",
    "GL": "goals",
    "AG": "gate",
}


def family_of(code: str) -> str:
    """The family a rule code belongs to (``BR101`` → ``terms``); ``other`` when no prefix matches."""
    best = ""
    for prefix in FAMILIES:
        if code.startswith(prefix) and len(prefix) > len(best):
            best = prefix
    return FAMILIES[best] if best else "other"


@dataclass(frozen=True, slots=True)
class Span:
    """Where a finding stands in the original text.

    ``start``/``end`` are character offsets (``end`` exclusive) into the original text; ``line`` and
    ``column`` are 1-based and point at ``start``; ``end_line``/``end_column`` point at the last character.
    """

    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int

    def to_dict(self) -> dict[str, int]:
        return {
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
        }

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``original[start:end]`` with ``replacement`` (an insertion when ``start == end``)."""

    start: int
    end: int
    replacement: str

    def to_dict(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, "replacement": self.replacement}


@dataclass(frozen=True, slots=True)
class Fix:
    """A mechanical repair: one or more non-overlapping edits to the original text.

    ``safe`` fixes are applied by ``brandrail fix``; unsafe ones are only suggested.
    """

    description: str
    edits: tuple[Edit, ...]
    safe: bool = True

    def to_dict(self) -> dict[str, object]:
        return {
            "description": self.description,
            "safe": self.safe,
            "edits": [edit.to_dict() for edit in self.edits],
        }


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing a rule flagged, with the evidence for it."""

    code: str
    rule: str
    severity: Severity
    message: str
    span: Span | None = None
    match: str | None = None
    evidence: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)
    fix: Fix | None = None
    path: str | None = None

    @property
    def family(self) -> str:
        return family_of(self.code)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        start = self.span.start if self.span else -1
        end = self.span.end if self.span else -1
        return (self.path or "", start, end, self.code, self.message)

    def with_severity(self, severity: Severity) -> Finding:
        return replace(self, severity=severity)

    def with_path(self, path: str | None) -> Finding:
        return replace(self, path=path)

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "rule": self.rule,
            "family": self.family,
            "severity": self.severity.value,
            "message": self.message,
            "path": self.path,
            "span": self.span.to_dict() if self.span else None,
            "match": self.match,
            "evidence": _jsonable(self.evidence),
            "fix": self.fix.to_dict() if self.fix else None,
        }


def _jsonable(value: Any) -> Any:
    """Evidence as plain JSON types: tuples become lists, enums their values, unknown objects strings."""
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_jsonable(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, Finding):  # e.g. a result's ``extra["baselined"]``
        return value.to_dict()
    if value is None or isinstance(value, (str, int, float, bool)):
        if isinstance(value, float) and math.isnan(value):  # NaN is not JSON
            return None
        return value
    if hasattr(value, "item"):  # numpy scalars
        return _jsonable(value.item())
    return str(value)


def score_findings(findings: Iterable[Finding], families: Iterable[str] = ()) -> dict[str, float]:
    """Severity-weighted 0-100 scores per family and ``overall``.

    Each family starts at 100 and loses :data:`SEVERITY_WEIGHTS` points per finding, floored at 0.
    ``overall`` is the same sum over every finding, floored at 0. Families named in ``families`` appear
    with 100 when nothing fired for them. See docs/scores.md.
    """
    penalty: dict[str, float] = dict.fromkeys(families, 0.0)
    total = 0.0
    for finding in findings:
        weight = SEVERITY_WEIGHTS[finding.severity]
        penalty[finding.family] = penalty.get(finding.family, 0.0) + weight
        total += weight
    scores = {family: max(0.0, 100.0 - p) for family, p in sorted(penalty.items())}
    scores["overall"] = max(0.0, 100.0 - total)
    return scores


@dataclass(frozen=True, slots=True)
class Result:
    """The outcome of checking one item (a file, a message, an action) against one policy."""

    findings: tuple[Finding, ...]
    policy_version: str
    scores: Mapping[str, float] = field(default_factory=dict, hash=False, compare=False)
    path: str | None = None
    channel: str | None = None
    suppressed: tuple[Finding, ...] = ()
    pass_mark: float | None = None
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)
    #: Findings found but left out of ``findings`` by a cap on findings per code (``brandrail check
    #: --max-per-rule``), by severity value: :meth:`counts` and :attr:`passed` count them, so a cap never
    #: changes the verdict or the totals (``extra["capped"]`` names their codes).
    not_shown: Mapping[str, int] = field(default_factory=dict, hash=False, compare=False)

    @classmethod
    def build(
        cls,
        findings: Sequence[Finding],
        *,
        policy_version: str,
        path: str | None = None,
        channel: str | None = None,
        suppressed: Sequence[Finding] = (),
        families: Iterable[str] = (),
        pass_mark: float | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> Result:
        """A result with findings sorted by position and scores computed from them."""
        ordered = tuple(sorted(findings, key=Finding.sort_key))
        return cls(
            findings=ordered,
            policy_version=policy_version,
            scores=score_findings(ordered, families),
            path=path,
            channel=channel,
            suppressed=tuple(sorted(suppressed, key=Finding.sort_key)),
            pass_mark=pass_mark,
            extra=dict(extra or {}),
        )

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def passed(self) -> bool:
        """No error-severity finding (shown or not), and the overall score reaches the pass mark when one is
        set."""
        if self.errors or self.not_shown.get(Severity.ERROR.value):
            return False
        return self.pass_mark is None or self.scores.get("overall", 100.0) >= self.pass_mark

    def counts(self) -> dict[str, int]:
        counts = {s.value: 0 for s in Severity}
        for finding in self.findings:
            counts[finding.severity.value] += 1
        for severity, n in self.not_shown.items():
            counts[severity] += n
        return counts

    @property
    def truncated(self) -> bool:
        """Whether findings were found but not listed (:attr:`not_shown`)."""
        return any(self.not_shown.values())

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "channel": self.channel,
            "passed": self.passed,
            "policy_version": self.policy_version,
            "scores": {k: round(v, 2) for k, v in self.scores.items()},
            "pass_mark": self.pass_mark,
            "counts": self.counts(),
            "findings": [f.to_dict() for f in self.findings],
            "suppressed": [f.to_dict() for f in self.suppressed],
            **({"extra": _jsonable(self.extra)} if self.extra else {}),
            **({"truncated": True} if self.truncated else {}),
        }
