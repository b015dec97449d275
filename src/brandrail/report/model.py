"""The input every renderer takes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from brandrail.findings import Result, Severity
from brandrail.text.document import Document

__all__ = ["JSON_SCHEMA_VERSION", "CheckRun", "tool_version"]

#: Version of the JSON output format (docs/json-output.md). Bumped only on breaking changes.
JSON_SCHEMA_VERSION = 1


def tool_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("brandrail")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0.0.0"


@dataclass
class CheckRun:
    """The results of one ``check`` run, with the documents they came from and the policy used."""

    results: list[tuple[Result, Document | None]]
    policy_version: str
    policy_source: str | None = None
    channel: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        counts = {s.value: 0 for s in Severity}
        for result, _ in self.results:
            for key, n in result.counts().items():
                counts[key] += n
        counts["suppressed"] = sum(len(r.suppressed) for r, _ in self.results)
        return counts

    @property
    def passed(self) -> bool:
        return all(r.passed for r, _ in self.results)

    def summary(self) -> dict[str, Any]:
        """The run's ``summary`` object, as the streamed reports total it (:class:`RunTally`)."""
        from brandrail.report.stream import RunTally

        tally = RunTally(self.policy_version, self.policy_source, self.channel)
        for result, _ in self.results:
            tally.add(result)
        return tally.summary()

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON form (docs/json-output.md)."""
        return {
            "schema_version": JSON_SCHEMA_VERSION,
            "tool": {"name": "brandrail", "version": tool_version()},
            "policy": {"source": self.policy_source, "version": self.policy_version, "channel": self.channel},
            "passed": self.passed,
            "summary": self.summary(),
            "results": [r.to_dict() for r, _ in self.results],
        }
