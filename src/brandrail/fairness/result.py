"""Typed results of the fairness audit; ``to_dict()`` gives the documented JSON form (docs/fairness.md)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

from brandrail.fairness.stats import Interval
from brandrail.findings import Finding, Result

__all__ = [
    "SCHEMA_VERSION",
    "AdSkew",
    "ConditionalReport",
    "DataSummary",
    "FairnessAudit",
    "GroupStats",
    "GroupingReport",
    "OutcomeGroup",
    "OutcomeReport",
    "PairTest",
    "PooledComparison",
    "PooledOutcome",
    "ProxyReport",
    "SkewReport",
    "StratumReport",
]

SCHEMA_VERSION = 1


def _plain(value: Any) -> Any:
    if isinstance(value, Interval):
        return value.to_dict()
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value) if not f.name.startswith("_")}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "item"):
        return _plain(value.item())
    return value


@dataclass
class GroupStats:
    """One group's counts and rates (``None`` rates when suppressed) and its comparison to the reference."""

    group: str
    values: dict[str, str]
    n: int
    selected: int
    suppressed: bool
    selection_rate: Interval | None
    positives: int | None = None
    negatives: int | None = None
    true_positives: int | None = None
    false_positives: int | None = None
    tpr: Interval | None = None
    fpr: Interval | None = None
    precision: Interval | None = None
    rate_difference: Interval | None = None
    rate_ratio: Interval | None = None
    #: ratio of the rates of the favourable outcome, group / reference (the four-fifths rule's ratio):
    #: equal to ``rate_ratio`` for favourable decisions, the ratio of *not* being selected for adverse ones
    impact_ratio: Interval | None = None
    p_value: float | None = None
    q_value: float | None = None


@dataclass
class PairTest:
    """The largest and the smallest group rate: difference (Newcombe CI), ratio low/high (Katz CI), z-test."""

    metric: str
    high_group: str
    low_group: str
    difference: Interval
    ratio: Interval
    p_value: float | None
    q_value: float | None = None


@dataclass
class GroupingReport:
    """Metrics over the groups of one attribute or one intersection of attributes."""

    name: str
    attributes: list[str]
    reference: str | None
    groups: list[GroupStats]
    suppressed: list[str]
    demographic_parity_difference: float | None
    demographic_parity_ratio: float | None
    selection_test: PairTest | None
    equal_opportunity_difference: float | None = None
    equal_opportunity_ratio: float | None = None
    equalized_odds_difference: float | None = None
    equalized_odds_ratio: float | None = None
    tpr_test: PairTest | None = None
    fpr_test: PairTest | None = None
    #: largest minus smallest false-positive rate (the equal-opportunity measure of adverse decisions)
    fpr_difference: float | None = None


@dataclass
class StratumReport:
    """One stratum of the control features: its groups and parity metrics."""

    stratum: dict[str, str]
    n: int
    groups: list[GroupStats]
    absent: list[str]
    demographic_parity_difference: float | None
    demographic_parity_ratio: float | None
    equal_opportunity_difference: float | None = None
    equal_opportunity_ratio: float | None = None
    equalized_odds_difference: float | None = None
    equalized_odds_ratio: float | None = None


@dataclass
class PooledComparison:
    """A group vs the reference across strata: Mantel-Haenszel pooled ratio of favourable-outcome rates
    (selection rates, or for adverse decisions the rates of not being selected)."""

    group: str
    rate_ratio: Interval
    strata_used: int
    p_value: float | None
    q_value: float | None = None
    _cells: list[tuple[float, float, float, float]] = field(default_factory=list, repr=False)


@dataclass
class ConditionalReport:
    """Conditional parity of one attribute within strata of the control features."""

    attribute: str
    controls: list[str]
    reference: str | None
    strata: list[StratumReport]
    pooled: list[PooledComparison]
    weighted_dp_difference: float | None
    max_dp_difference: float | None
    outcomes: list[PooledOutcome] = field(default_factory=list)


@dataclass
class PooledOutcome:
    """A continuous outcome for a group vs the reference within strata of the controls.

    ``pooled_difference`` is the inverse-variance weighted mean of the per-stratum mean differences;
    ``standardized_ratio`` is sum_s N_s * mean_group_s / sum_s N_s * mean_reference_s (direct
    standardisation to the strata sizes), with a delta-method log interval.
    """

    outcome: str
    group: str
    strata_used: int
    pooled_difference: Interval
    standardized_ratio: Interval
    p_value: float | None
    q_value: float | None = None
    #: the standardised means, sum_s N_s * mean_s / sum_s N_s over the strata used
    group_mean: float | None = None
    reference_mean: float | None = None


@dataclass
class OutcomeGroup:
    """A continuous outcome for one group: mean and median with intervals, compared with the reference."""

    group: str
    n: int
    suppressed: bool
    mean: float | None
    std: float | None
    median: Interval | None
    quartiles: list[float] | None
    mean_difference: Interval | None = None
    mean_ratio: Interval | None = None
    median_ratio: Interval | None = None
    p_value: float | None = None
    q_value: float | None = None


@dataclass
class OutcomeReport:
    """One continuous outcome over the groups of one attribute or intersection."""

    outcome: str
    grouping: str
    reference: str | None
    groups: list[OutcomeGroup]


@dataclass
class AdSkew:
    """One ad: impressions, eligible audience, TVD, and the group worse off: the one whose share of
    impressions falls furthest below its share of the eligible audience (or, for adverse decisions,
    ``favourable: false``, rises furthest above it; the ``under_shown*`` fields then name that group)."""

    ad: str
    shown: int
    eligible: int
    tvd: float | None
    under_shown: str | None = None
    under_shown_share: float | None = None
    under_shown_eligible_share: float | None = None


@dataclass
class SkewReport:
    """Delivery skew for one attribute: TVD of who saw each ad vs its eligible audience."""

    attribute: str
    ads: int
    measured: int
    within: int
    share_within: float | None
    tolerance: float
    median_tvd: float | None
    per_ad: list[AdSkew]


@dataclass
class ProxyReport:
    """Association between a targeting feature and a protected attribute."""

    feature: str
    attribute: str
    categories: int
    cramers_v: float
    nmi: float
    flagged: bool


@dataclass
class DataSummary:
    backend: str
    rows: int
    rows_used: int
    excluded: int
    missing: dict[str, int]
    queries: int
    seconds: float
    #: per outcome column, rows with no value (left out of that outcome's means, medians and tests)
    outcome_nulls: dict[str, int] = field(default_factory=dict)


@dataclass
class FairnessAudit:
    """The result of :func:`brandrail.audit_fairness`: findings (FA codes), metrics and the data summary."""

    result: Result
    data: DataSummary
    groupings: list[GroupingReport]
    conditional: list[ConditionalReport] = field(default_factory=list)
    outcomes: list[OutcomeReport] = field(default_factory=list)
    skew: list[SkewReport] = field(default_factory=list)
    proxies: list[ProxyReport] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    verdict_levels: dict[str, Any] = field(default_factory=dict)

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.result.findings

    @property
    def passed(self) -> bool:
        return self.result.passed

    @property
    def policy_version(self) -> str:
        return self.result.policy_version

    def grouping(self, name: str) -> GroupingReport:
        """The report of one attribute or intersection (``"sex"``, ``"sex & age"``)."""
        for g in self.groupings:
            if g.name == name:
                return g
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        result = self.result.to_dict()
        return {
            "schema_version": SCHEMA_VERSION,
            "kind": "fairness-audit",
            "policy_version": self.result.policy_version,
            "passed": self.result.passed,
            "counts": result["counts"],
            "scores": result["scores"],
            "findings": result["findings"],
            "data": _plain(self.data),
            "settings": _plain(self.settings),
            "verdict_levels": _plain(self.verdict_levels),
            "groupings": _plain(self.groupings),
            "conditional": _plain(self.conditional),
            "outcomes": _plain(self.outcomes),
            "skew": _plain(self.skew),
            "proxies": _plain(self.proxies),
        }
