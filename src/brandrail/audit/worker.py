"""Check one batch of messages: the unit of work of every audit engine (local process pool and Spark).

A batch comes in as columns (lists of equal length) and goes out as two column sets: one row per finding and
one row per message. Both engines call :func:`check_batch`, so they give the same rows for the same input.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from brandrail.engine import check_document
from brandrail.findings import Finding, Severity, _jsonable
from brandrail.policy import Policy
from brandrail.text.document import Document, Kind

__all__ = [
    "FINDING_COLUMNS",
    "MESSAGE_COLUMNS",
    "BatchOutput",
    "Mapping_",
    "check_batch",
    "naive_utc",
    "policy_from_spec",
    "policy_spec",
]

#: Columns of a findings row, in order (the Parquet schema is in brandrail.audit.schema).
FINDING_COLUMNS = (
    "message_id",
    "code",
    "rule",
    "family",
    "severity",
    "message",
    "span_start",
    "span_end",
    "line",
    "col",
    "match",
    "context",
    "evidence",
    "channel",
    "model",
    "campaign",
    "sent_at",
    "week",
    "policy_version",
)
#: Columns of a message row, in order.
MESSAGE_COLUMNS = (
    "message_id",
    "channel",
    "model",
    "campaign",
    "sent_at",
    "week",
    "status",
    "errors",
    "warnings",
    "infos",
    "score",
    "policy_version",
)

_CONTEXT = 60  # characters of text kept on each side of a finding's span


@dataclass(frozen=True, slots=True)
class Mapping_:  # noqa: N801 - "Mapping" is taken by collections.abc
    """Which input column holds what; None where the input has no such column."""

    text: str
    id: str | None = None
    channel: str | None = None
    sent_at: str | None = None
    model: str | None = None
    campaign: str | None = None
    kind: Kind = "text"
    metadata: tuple[tuple[str, str], ...] = ()  # (column, metadata key)

    def columns(self) -> list[str]:
        """Every input column the audit reads, once each, in a fixed order."""
        names = [self.text, self.id, self.channel, self.sent_at, self.model, self.campaign]
        names += [col for col, _key in self.metadata]
        seen: list[str] = []
        for name in names:
            if name is not None and name not in seen:
                seen.append(name)
        return seen


@dataclass(slots=True)
class BatchOutput:
    """The rows one batch produced, as columns; and what it skipped, by reason."""

    findings: dict[str, list[Any]]
    messages: dict[str, list[Any]]
    skipped: dict[str, int]


def policy_spec(policy: Policy) -> dict[str, Any]:
    """What a worker process needs to load the same policy: its file, else its merged data."""
    if policy.source and Path(policy.source).is_file():
        return {"path": policy.source, "version": policy.version}
    return {"data": policy.raw(), "version": policy.version}


_POLICIES: dict[str, Policy] = {}


def policy_from_spec(spec: Mapping[str, Any]) -> Policy:
    """Load (once per process) the policy a :func:`policy_spec` describes; its version must match."""
    version = str(spec["version"])
    cached = _POLICIES.get(version)
    if cached is not None:
        return cached
    from brandrail.errors import PolicyError
    from brandrail.policy import load_policy, policy_from_dict

    policy = load_policy(spec["path"]) if "path" in spec else policy_from_dict(dict(spec["data"]))
    if policy.version != version:
        raise PolicyError(
            f"the policy changed while the audit ran (version {policy.version[:12]}, expected {version[:12]})",
            hint="re-run the audit; do not edit the policy file during a run",
        )
    _POLICIES[version] = policy
    return policy


def naive_utc(value: Any) -> datetime | None:
    """A timestamp as naive UTC (what the Parquet schema stores); dates become midnight; others None."""
    if isinstance(value, datetime):
        stamp: datetime = value
        if stamp.tzinfo is not None:
            stamp = stamp.astimezone(UTC).replace(tzinfo=None)
        return stamp
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, str) and value.strip():
        try:
            return naive_utc(datetime.fromisoformat(value.strip()))
        except ValueError:
            return None
    return None


def _week(value: datetime | None) -> date | None:
    """The Monday of ``value``'s ISO week."""
    if value is None:
        return None
    day = value.date()
    return day - timedelta(days=day.weekday())


def _context(text: str, finding: Finding) -> str | None:
    if finding.span is None:
        return None
    start, end = finding.span.start, finding.span.end
    left = max(0, start - _CONTEXT)
    right = min(len(text), end + _CONTEXT)
    return (
        ("…" if left else "")
        + text[left:start]
        + "[["
        + text[start:end]
        + "]]"
        + text[end:right]
        + ("…" if right < len(text) else "")
    )


def _as_id(value: Any, row: int, offset: int) -> str:
    if value is None:
        return f"#{offset + row}"
    return str(value)


def _column(batch: Mapping[str, Sequence[Any]], name: str | None, size: int) -> Sequence[Any]:
    if name is None:
        return [None] * size
    return batch[name]


def check_batch(
    batch: Mapping[str, Sequence[Any]], mapping: Mapping_, policy: Policy, *, offset: int = 0
) -> BatchOutput:
    """Check every message of ``batch`` (columns by input name). ``offset`` numbers rows without an id.

    A null text is skipped and counted (reason ``null_text``); so is text that is not valid UTF-8
    (``invalid_utf8``: bytes that do not decode). Every other message gets a message row, and one findings
    row per finding.
    """
    texts = batch[mapping.text]
    size = len(texts)
    ids = _column(batch, mapping.id, size)
    channels = _column(batch, mapping.channel, size)
    sent = _column(batch, mapping.sent_at, size)
    models = _column(batch, mapping.model, size)
    campaigns = _column(batch, mapping.campaign, size)
    meta_cols = [(key, batch[col]) for col, key in mapping.metadata]
    version = policy.version
    out_f: dict[str, list[Any]] = {name: [] for name in FINDING_COLUMNS}
    out_m: dict[str, list[Any]] = {name: [] for name in MESSAGE_COLUMNS}
    skipped: dict[str, int] = {}
    for i in range(size):
        raw = texts[i]
        if raw is None:
            skipped["null_text"] = skipped.get("null_text", 0) + 1
            continue
        if isinstance(raw, bytes | bytearray | memoryview):
            try:
                raw = bytes(raw).decode("utf-8")
            except UnicodeDecodeError:
                skipped["invalid_utf8"] = skipped.get("invalid_utf8", 0) + 1
                continue
        text = str(raw)
        channel = channels[i]
        channel = str(channel) if channel is not None else None
        meta = {key: col[i] for key, col in meta_cols if col[i] is not None}
        doc = Document(text, kind=mapping.kind, channel=channel, meta=meta)
        result = check_document(doc, policy)
        message_id = _as_id(ids[i], i, offset)
        when = naive_utc(sent[i])
        week = _week(when)
        model = None if models[i] is None else str(models[i])
        campaign = None if campaigns[i] is None else str(campaigns[i])
        counts = {Severity.ERROR: 0, Severity.WARNING: 0, Severity.INFO: 0}
        for finding in result.findings:
            counts[finding.severity] += 1
            span = finding.span
            out_f["message_id"].append(message_id)
            out_f["code"].append(finding.code)
            out_f["rule"].append(finding.rule)
            out_f["family"].append(finding.family)  # computed once per finding
            out_f["severity"].append(finding.severity.value)
            out_f["message"].append(finding.message)
            out_f["span_start"].append(span.start if span else None)
            out_f["span_end"].append(span.end if span else None)
            out_f["line"].append(span.line if span else None)
            out_f["col"].append(span.column if span else None)
            out_f["match"].append(finding.match)
            out_f["context"].append(_context(text, finding))
            out_f["evidence"].append(
                json.dumps(_jsonable(finding.evidence), sort_keys=True, ensure_ascii=False)
            )
            out_f["channel"].append(channel)
            out_f["model"].append(model)
            out_f["campaign"].append(campaign)
            out_f["sent_at"].append(when)
            out_f["week"].append(week)
            out_f["policy_version"].append(version)
        out_m["message_id"].append(message_id)
        out_m["channel"].append(channel)
        out_m["model"].append(model)
        out_m["campaign"].append(campaign)
        out_m["sent_at"].append(when)
        out_m["week"].append(week)
        out_m["status"].append("passed" if result.passed else "failed")
        out_m["errors"].append(counts[Severity.ERROR])
        out_m["warnings"].append(counts[Severity.WARNING])
        out_m["infos"].append(counts[Severity.INFO])
        out_m["score"].append(float(result.scores.get("overall", 100.0)))
        out_m["policy_version"].append(version)
    return BatchOutput(out_f, out_m, skipped)
