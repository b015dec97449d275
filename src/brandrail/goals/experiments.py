"""Experiment and campaign verdicts: effects with intervals, guardrails, a decision per variant, GL findings.

:func:`audit_goals` reads per-unit results (a row per recipient) or per-variant aggregates through Ibis,
pushes the aggregation down to the backend (DuckDB for files) so that only sums per variant and segment come
back, and compares every treatment variant with control on every metric of the policy's ``goals`` section.

Decision rule (per variant, and per variant within each segment):

* **do-not-ship** when the objective is significantly worse than control, or a guardrail is *breached* (its
  whole interval of harm lies beyond the margin);
* **ship** when the objective is significantly better and every guardrail is shown *non-inferior* (its
  interval of harm stays below the margin);
* **needs-more-data** otherwise, with the reason.

Multiple testing: with ``correction: bonferroni`` (the default) the objective and proxy intervals are at level
``1 - alpha / (k - 1)`` for ``k - 1`` treatment variants. Guardrail non-inferiority tests are not corrected:
shipping requires *every* guardrail to pass (an intersection-union test, Berger 1982), which keeps the error
rate at ``alpha / 2`` one-sided without correction. Segment verdicts use the same levels and are exploratory.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from brandrail.errors import DataError, PolicyError
from brandrail.findings import Finding, Result, Severity
from brandrail.goals import codes
from brandrail.goals.data import first_line, open_table, require_columns
from brandrail.goals.stats import (
    Arm,
    Interval,
    Moments,
    cuped_arms,
    json_float,
    json_pvalue,
    newcombe_interval,
    relative_interval,
    spearman,
    welch_interval,
)
from brandrail.policy import Policy
from brandrail.policy.sections.goals import GoalMetric, GoalsSection
from brandrail.registry import Rule
from brandrail.text.normalize import describe_spellings, same_label_spellings

__all__ = ["Decision", "GoalsAudit", "MetricEffect", "VariantVerdict", "audit_goals"]

Decision = Literal["ship", "do-not-ship", "needs-more-data"]
Role = Literal["objective", "proxy", "guardrail"]
Direction = Literal["better", "worse", "flat"]
GuardrailStatus = Literal["non-inferior", "inconclusive", "breached"]

SCHEMA_VERSION = 1
_r = json_float


@dataclass(frozen=True, slots=True)
class MetricEffect:
    """A treatment-vs-control comparison on one metric."""

    metric: str
    role: Role
    kind: str
    higher_is_better: bool
    n_control: int
    n_treatment: int
    control_mean: float
    treatment_mean: float
    diff: float
    ci_low: float
    ci_high: float
    rel: float | None
    rel_low: float | None
    rel_high: float | None
    p_value: float
    method: str
    level: float
    direction: Direction
    cuped_variance_reduction: float | None = None
    margin: float | None = None
    guardrail: GuardrailStatus | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "metric": self.metric,
            "role": self.role,
            "kind": self.kind,
            "higher_is_better": self.higher_is_better,
            "n_control": self.n_control,
            "n_treatment": self.n_treatment,
            "control_mean": _r(self.control_mean),
            "treatment_mean": _r(self.treatment_mean),
            "diff": _r(self.diff),
            "ci": [_r(self.ci_low), _r(self.ci_high)],
            "relative_lift": _r(self.rel),
            "relative_ci": [_r(self.rel_low), _r(self.rel_high)],
            "p_value": json_pvalue(self.p_value),
            "method": self.method,
            "level": _r(self.level),
            "direction": self.direction,
            "cuped_variance_reduction": _r(self.cuped_variance_reduction),
            "margin": _r(self.margin),
            "guardrail": self.guardrail,
        }


@dataclass(frozen=True, slots=True)
class VariantVerdict:
    """The decision for one treatment variant (overall, or within one segment)."""

    variant: str
    decision: Decision
    reason: str
    effects: tuple[MetricEffect, ...]
    n_control: int
    n_treatment: int
    segment: tuple[str, str] | None = None

    def effect(self, metric: str) -> MetricEffect:
        for e in self.effects:
            if e.metric == metric:
                return e
        raise KeyError(metric)

    @property
    def objective(self) -> MetricEffect:
        return next(e for e in self.effects if e.role == "objective")

    def to_dict(self) -> dict[str, Any]:
        return {
            "variant": self.variant,
            "segment": {"column": self.segment[0], "value": self.segment[1]} if self.segment else None,
            "decision": self.decision,
            "reason": self.reason,
            "n_control": self.n_control,
            "n_treatment": self.n_treatment,
            "effects": [e.to_dict() for e in self.effects],
        }


@dataclass(frozen=True)
class GoalsAudit:
    """The outcome of :func:`audit_goals`: verdicts per variant and segment, rank correlations, findings."""

    verdicts: tuple[VariantVerdict, ...]
    segment_verdicts: tuple[VariantVerdict, ...]
    rank_correlations: dict[str, float | None]
    findings: tuple[Finding, ...]
    policy_version: str
    control: str
    units: dict[str, int]
    alpha: float
    alpha_adjusted: float
    correction: str
    skipped_segments: tuple[str, ...] = ()
    source: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    #: treatment variants left out of the verdicts (fewer than 2 or ``goals.min_units`` units)
    skipped_variants: tuple[str, ...] = ()
    #: per metric, the per-unit rows left out because the value was null, NaN or infinite
    dropped_rows: dict[str, int] = field(default_factory=dict)

    @property
    def result(self) -> Result:
        return Result.build(
            list(self.findings), policy_version=self.policy_version, path=self.source, families=["goals"]
        )

    @property
    def passed(self) -> bool:
        return self.result.passed

    def verdict(self, variant: str) -> VariantVerdict:
        for v in self.verdicts:
            if v.variant == variant:
                return v
        raise KeyError(variant)

    def to_dict(self) -> dict[str, Any]:
        result = self.result
        return {
            "schema_version": SCHEMA_VERSION,
            "kind": "goals-audit",
            "policy_version": self.policy_version,
            "source": self.source,
            "passed": result.passed,
            "control": self.control,
            "units": self.units,
            "alpha": self.alpha,
            "alpha_adjusted": _r(self.alpha_adjusted, 8),
            "correction": self.correction,
            "verdicts": [v.to_dict() for v in self.verdicts],
            "segment_verdicts": [v.to_dict() for v in self.segment_verdicts],
            "skipped_variants": list(self.skipped_variants),
            "skipped_segments": list(self.skipped_segments),
            "dropped_rows": dict(self.dropped_rows),
            "rank_correlations": {k: _r(v) for k, v in self.rank_correlations.items()},
            "scores": {k: round(v, 2) for k, v in result.scores.items()},
            "counts": result.counts(),
            "findings": [f.to_dict() for f in result.findings],
        }


# -- aggregation -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Spec:
    metric: GoalMetric
    role: Role


def _specs(goals: GoalsSection) -> list[_Spec]:
    if goals.objective is None:
        raise PolicyError(
            "the policy's goals section has no `objective`",
            location="goals.objective",
            hint="name the true objective, e.g. `goals: {objective: {name: net_revenue}}`",
        )
    out = [_Spec(goals.objective, "objective")]
    out += [_Spec(m, "proxy") for m in goals.proxies]
    out += [_Spec(m, "guardrail") for m in goals.guardrails]
    return out


Key = tuple[str, ...]
Stats = dict[Key, dict[str, tuple[Arm, Arm | None]]]


def _finite(column: Any) -> Any:
    """The column with NaN and +-inf read as missing (x - x is NaN exactly for those)."""
    import ibis

    return ibis.cases((((column - column) != 0).fill_null(False), ibis.null("float64")), else_=column)


def _aggregate(
    table: Any,
    keys: list[str],
    specs: list[_Spec],
    aggregated: bool,
    count_column: str,
    dropped: dict[str, int] | None = None,
) -> Stats:
    """Sums per group, computed by the backend; returns {group key: {metric: (arm, cuped arm)}}.

    Per-unit values that are null, NaN or infinite are left out of a metric; their count per metric is
    added to ``dropped``.
    """

    group = [table[k].cast("string").name(f"__k{i}") for i, k in enumerate(keys)]
    aggs: dict[str, Any] = {}
    columns = set(table.columns)
    for i, spec in enumerate(specs):
        m = spec.metric
        src = m.source
        if aggregated:
            n = table[count_column].cast("float64")
            if f"{src}_sum" in columns:
                s = table[f"{src}_sum"].cast("float64")
                ss = table[f"{src}_sumsq"].cast("float64") if m.kind == "mean" else s
            else:
                mean = table[f"{src}_mean"].cast("float64")
                s = mean * n
                if m.kind == "mean":
                    sd = table[f"{src}_sd"].cast("float64")
                    ss = (n - 1) * sd * sd + n * mean * mean
                else:
                    ss = s
            aggs[f"m{i}_n"] = n.sum()
            aggs[f"m{i}_s"] = s.sum()
            aggs[f"m{i}_ss"] = ss.sum()
            continue
        y = _finite(table[src].cast("float64"))
        aggs[f"m{i}_drop"] = y.isnull().ifelse(1, 0).sum()
        aggs[f"m{i}_n"] = y.count()
        aggs[f"m{i}_s"] = y.sum()
        aggs[f"m{i}_ss"] = (y * y).sum()
        aggs[f"m{i}_min"] = y.min()
        aggs[f"m{i}_max"] = y.max()
        if m.pre_column:
            x = _finite(table[m.pre_column].cast("float64"))
            both = y.notnull() & x.notnull()
            aggs[f"m{i}_cn"] = y.count(where=both)
            aggs[f"m{i}_cs"] = y.sum(where=both)
            aggs[f"m{i}_css"] = (y * y).sum(where=both)
            aggs[f"m{i}_cx"] = x.sum(where=both)
            aggs[f"m{i}_cxx"] = (x * x).sum(where=both)
            aggs[f"m{i}_cxy"] = (x * y).sum(where=both)
    expr = table.group_by(group).aggregate(**aggs)
    try:
        rows = expr.to_pyarrow().to_pylist()
    except Exception as exc:
        raise DataError(
            f"cannot aggregate the data: {first_line(exc)}",
            hint="check that the file is valid and the mapped metric columns hold numbers",
        ) from None
    out: Stats = {}
    if dropped is not None:
        for i, spec in enumerate(specs):
            if not aggregated:
                count = sum(int(row[f"m{i}_drop"] or 0) for row in rows)
                dropped[spec.metric.name] = dropped.get(spec.metric.name, 0) + count
    for row in rows:
        key = tuple("(null)" if row[f"__k{i}"] is None else str(row[f"__k{i}"]) for i in range(len(keys)))
        metrics: dict[str, tuple[Arm, Arm | None]] = {}
        for i, spec in enumerate(specs):
            m = spec.metric
            if not aggregated and m.kind == "proportion":
                lo, hi = row[f"m{i}_min"], row[f"m{i}_max"]
                if lo is not None and (lo < 0 or hi > 1):
                    raise DataError(
                        f"column {m.source!r} of proportion metric {m.name!r} has values outside [0, 1] "
                        f"(min {lo}, max {hi})",
                        location=f"column {m.source}",
                        hint="use 0/1 outcomes, or set `kind: mean` for this metric",
                    )
            arm = Arm(float(row[f"m{i}_n"] or 0), float(row[f"m{i}_s"] or 0), float(row[f"m{i}_ss"] or 0))
            if not all(math.isfinite(v) for v in (arm.n, arm.total, arm.total_sq)):
                raise DataError(
                    f"metric {m.name!r} has NaN or infinite per-variant aggregates in group "
                    f"{', '.join(str(row[f'__k{j}']) for j in range(len(keys)))}",
                    location=f"column {m.source}",
                    hint="fill or drop the rows with missing aggregates before the audit",
                )
            cuped = None
            if not aggregated and m.pre_column:
                cuped = Arm(
                    float(row[f"m{i}_cn"] or 0),
                    float(row[f"m{i}_cs"] or 0),
                    float(row[f"m{i}_css"] or 0),
                    float(row[f"m{i}_cx"] or 0),
                    float(row[f"m{i}_cxx"] or 0),
                    float(row[f"m{i}_cxy"] or 0),
                )
            metrics[m.name] = (arm, cuped)
        out[key] = metrics
    return out


def _marginal(stats: Stats) -> dict[str, dict[str, tuple[Arm, Arm | None]]]:
    """Sum (variant, segment) groups over segments: per-variant sufficient statistics."""
    out: dict[str, dict[str, tuple[Arm, Arm | None]]] = {}
    for key, metrics in stats.items():
        acc = out.setdefault(key[0], {})
        for name, (arm, cuped) in metrics.items():
            if name not in acc:
                acc[name] = (arm, cuped)
                continue
            a0, c0 = acc[name]
            acc[name] = (a0 + arm, c0 + cuped if c0 is not None and cuped is not None else None)
    return out


# -- comparisons -----------------------------------------------------------------------------------------


def _compare(
    spec: _Spec, t: tuple[Arm, Arm | None], c: tuple[Arm, Arm | None], level_alpha: float
) -> MetricEffect:
    m = spec.metric
    ta, tc = t
    ca, cc = c
    reduction: float | None = None
    interval: Interval
    if tc is not None and cc is not None and tc.n >= 2 and cc.n >= 2:
        adj = cuped_arms(tc, cc)
        interval = welch_interval(
            Moments(adj.t_mean, adj.t_var, tc.n), Moments(adj.c_mean, adj.c_var, cc.n), alpha=level_alpha
        )
        interval = Interval(
            interval.estimate, interval.low, interval.high, interval.p_value, interval.se, "cuped-welch"
        )
        rel = relative_interval(
            Moments(adj.t_mean, adj.t_var, tc.n), Moments(adj.c_mean, adj.c_var, cc.n), alpha=level_alpha
        )
        reduction = adj.variance_reduction
        t_mean, c_mean = adj.t_mean, adj.c_mean
    elif m.kind == "proportion":
        interval = newcombe_interval(ta.total, ta.n, ca.total, ca.n, alpha=level_alpha)
        rel = relative_interval(ta.moments, ca.moments, alpha=level_alpha)
        t_mean, c_mean = ta.mean, ca.mean
    else:
        interval = welch_interval(ta.moments, ca.moments, alpha=level_alpha)
        rel = relative_interval(ta.moments, ca.moments, alpha=level_alpha)
        t_mean, c_mean = ta.mean, ca.mean
    good_lo, good_hi = (
        (interval.low, interval.high) if m.higher_is_better else (-interval.high, -interval.low)
    )
    direction: Direction = "better" if good_lo > 0 else "worse" if good_hi < 0 else "flat"
    margin = None
    status: GuardrailStatus | None = None
    if spec.role == "guardrail":
        margin = m.margin * abs(ca.mean) if m.relative_margin else m.margin
        harm_lo, harm_hi = -good_hi, -good_lo
        status = "non-inferior" if harm_hi < margin else "breached" if harm_lo > margin else "inconclusive"
    return MetricEffect(
        metric=m.name,
        role=spec.role,
        kind=m.kind,
        higher_is_better=m.higher_is_better,
        n_control=int(ca.n),
        n_treatment=int(ta.n),
        control_mean=c_mean,
        treatment_mean=t_mean,
        diff=interval.estimate,
        ci_low=interval.low,
        ci_high=interval.high,
        rel=rel[0] if rel else None,
        rel_low=rel[1] if rel else None,
        rel_high=rel[2] if rel else None,
        p_value=interval.p_value,
        method=interval.method,
        level=1 - level_alpha,
        direction=direction,
        cuped_variance_reduction=reduction,
        margin=margin,
        guardrail=status,
    )


def _decide(effects: list[MetricEffect], unmeasured: list[str] | None = None) -> tuple[Decision, str]:
    obj = next(e for e in effects if e.role == "objective")
    guards = [e for e in effects if e.role == "guardrail"]
    breached = [g.metric for g in guards if g.guardrail == "breached"]
    # a guardrail with fewer than 2 usable units on either side is not shown non-inferior
    unclear = [g.metric for g in guards if g.guardrail == "inconclusive"] + [
        m for m in unmeasured or [] if m != obj.metric
    ]
    if obj.direction == "worse" or breached:
        parts = []
        if obj.direction == "worse":
            parts.append(f"objective {obj.metric} is significantly worse")
        if breached:
            parts.append(f"guardrail(s) breached: {', '.join(breached)}")
        return "do-not-ship", "; ".join(parts)
    if obj.direction == "better" and not unclear:
        return "ship", f"objective {obj.metric} is significantly better and every guardrail is non-inferior"
    parts = []
    if obj.direction != "better":
        parts.append(f"objective {obj.metric} shows no significant change")
    if unclear:
        parts.append(f"guardrail(s) not shown non-inferior: {', '.join(unclear)}")
    return "needs-more-data", "; ".join(parts)


def _verdicts(
    stats: dict[str, dict[str, tuple[Arm, Arm | None]]],
    specs: list[_Spec],
    *,
    control: str,
    alpha_main: float,
    alpha_guard: float,
    segment: tuple[str, str] | None,
    min_units: int,
) -> tuple[list[VariantVerdict], list[str]]:
    skipped: list[str] = []
    if control not in stats:
        return [], skipped
    c_stats = stats[control]
    obj_name = specs[0].metric.name
    out = []
    for variant in sorted(stats):
        if variant == control:
            continue
        t_stats = stats[variant]
        nt = int(t_stats[obj_name][0].n)
        nc = int(c_stats[obj_name][0].n)
        if min(nt, nc) < max(2, min_units):
            skipped.append(f"{variant}" + (f" in {segment[0]}={segment[1]}" if segment else ""))
            continue
        effects = []
        unmeasured = []
        for spec in specs:
            a = alpha_guard if spec.role == "guardrail" else alpha_main
            t_arm, c_arm = t_stats[spec.metric.name], c_stats[spec.metric.name]
            if t_arm[0].n < 2 or c_arm[0].n < 2:
                unmeasured.append(spec.metric.name)
                continue
            effects.append(_compare(spec, t_arm, c_arm, a))
        decision, reason = _decide(effects, unmeasured)
        out.append(VariantVerdict(variant, decision, reason, tuple(effects), nc, nt, segment))
    return out, skipped


# -- findings --------------------------------------------------------------------------------------------


def _sev(rule: type[Rule], policy: Policy) -> Severity:
    return policy.goals.severity or rule.severity_for(policy)


def _pct(e: MetricEffect) -> str:
    if e.rel is not None:
        return f"{e.rel:+.1%} (interval {e.rel_low:+.1%} to {e.rel_high:+.1%})"
    return f"{e.diff:+.4g} (interval {e.ci_low:+.4g} to {e.ci_high:+.4g})"


def _evidence(e: MetricEffect) -> dict[str, Any]:
    return {
        "metric": e.metric,
        "diff": _r(e.diff),
        "ci": [_r(e.ci_low), _r(e.ci_high)],
        "relative_lift": _r(e.rel),
        "p_value": json_pvalue(e.p_value),
        "level": _r(e.level),
    }


def _findings(
    policy: Policy, verdicts: list[VariantVerdict], segs: list[VariantVerdict]
) -> tuple[list[Finding], dict[str, float | None]]:
    goals = policy.goals
    findings: list[Finding] = []
    for v in verdicts:
        obj = v.objective
        for e in v.effects:
            if e.role == "proxy" and e.direction == "better":
                if obj.direction == "worse":
                    findings.append(
                        codes.ProxyWinGoalLoss.finding(
                            f"variant {v.variant!r} wins on proxy {e.metric} {_pct(e)} while objective "
                            f"{obj.metric} falls {_pct(obj)}",
                            evidence={
                                "variant": v.variant,
                                "proxy": _evidence(e),
                                "objective": _evidence(obj),
                            },
                            severity=_sev(codes.ProxyWinGoalLoss, policy),
                        )
                    )
                elif obj.direction == "flat":
                    findings.append(
                        codes.ProxyWinGoalFlat.finding(
                            f"variant {v.variant!r} wins on proxy {e.metric} {_pct(e)} but objective "
                            f"{obj.metric} shows no significant gain {_pct(obj)}",
                            evidence={
                                "variant": v.variant,
                                "proxy": _evidence(e),
                                "objective": _evidence(obj),
                            },
                            severity=_sev(codes.ProxyWinGoalFlat, policy),
                        )
                    )
            if e.role == "guardrail" and e.guardrail in ("breached", "inconclusive"):
                rule: type[Rule] = (
                    codes.GuardrailBreached if e.guardrail == "breached" else codes.GuardrailInconclusive
                )
                harm = -e.diff if e.higher_is_better else e.diff
                harm_ci = sorted([-e.ci_low, -e.ci_high] if e.higher_is_better else [e.ci_low, e.ci_high])
                what = "is breached" if e.guardrail == "breached" else "is not shown non-inferior"
                findings.append(
                    rule.finding(
                        f"variant {v.variant!r}: guardrail {e.metric} {what}: harm {harm:+.4g} "
                        f"(interval {harm_ci[0]:+.4g} to {harm_ci[1]:+.4g}) vs margin {e.margin:.4g}",
                        evidence={
                            "variant": v.variant,
                            **_evidence(e),
                            "harm": _r(harm),
                            "harm_ci": [_r(harm_ci[0]), _r(harm_ci[1])],
                            "margin": _r(e.margin),
                            "control_mean": _r(e.control_mean),
                            "treatment_mean": _r(e.treatment_mean),
                        },
                        severity=_sev(rule, policy),
                    )
                )
    # rank correlation of proxy lift vs objective lift across variants and segments
    correlations: dict[str, float | None] = {}
    points = verdicts + segs
    for proxy in goals.proxies:
        xs, ys = [], []
        for v in points:
            try:
                p = v.effect(proxy.name)
                o = v.objective
            except (KeyError, StopIteration):
                continue
            use_rel = p.rel is not None and o.rel is not None
            xs.append((p.rel if use_rel else p.diff) * (1 if p.higher_is_better else -1))  # type: ignore[operator]
            ys.append((o.rel if use_rel else o.diff) * (1 if o.higher_is_better else -1))  # type: ignore[operator]
        rho = spearman(xs, ys)
        correlations[proxy.name] = rho
        if rho is not None and rho < goals.min_rank_correlation:
            findings.append(
                codes.LowProxyGoalRankCorrelation.finding(
                    f"proxy {proxy.name} ranks variants/segments unlike the objective: "
                    f"Spearman rho {rho:+.2f} "
                    f"over {len(xs)} comparisons (minimum {goals.min_rank_correlation:+.2f})",
                    evidence={
                        "proxy": proxy.name,
                        "rho": _r(rho),
                        "threshold": goals.min_rank_correlation,
                        "points": len(xs),
                    },
                    severity=_sev(codes.LowProxyGoalRankCorrelation, policy),
                )
            )
    overall = {v.variant: v for v in verdicts}
    for s in segs:
        o = s.objective
        base = overall.get(s.variant)
        if o.direction == "worse" and base is not None and base.objective.direction != "worse":
            assert s.segment is not None
            findings.append(
                codes.SegmentHarm.finding(
                    f"variant {s.variant!r} lowers objective {o.metric} in segment "
                    f"{s.segment[0]}={s.segment[1]} "
                    f"{_pct(o)} while overall it is {base.objective.direction} {_pct(base.objective)}",
                    evidence={
                        "variant": s.variant,
                        "segment": {"column": s.segment[0], "value": s.segment[1]},
                        "segment_objective": _evidence(o),
                        "overall_objective": _evidence(base.objective),
                    },
                    severity=_sev(codes.SegmentHarm, policy),
                )
            )
    return findings, correlations


# -- entry point -----------------------------------------------------------------------------------------


def _check_spellings(units: Mapping[str, int], column: str, role: str, where: str) -> None:
    """Refuse a variant or segment column that spells one label in several ways (case, spaces, width,
    invisible or look-alike letters): each spelling would be compared on its own, with a fraction of the
    units (and, for variants, a stricter correction), so a variant that loses the goal could pass as flat."""
    worst = same_label_spellings(label for label in units if label != "(null)")
    if not worst:
        return
    listed = describe_spellings(worst, units, "units")
    raise DataError(
        f"column {column!r} ({role}) spells {len(worst)} label(s) in several ways that differ only in case, "
        f"spacing, width or look-alike letters: {listed}; each spelling would be compared on its own",
        location=f"{where}: column {column}",
        hint=f"give each {role} one spelling before the audit (for example lower(trim({column})) in a view "
        "or query)",
    )


def audit_goals(
    data: Any,
    policy: Policy,
    *,
    table: str | None = None,
    aggregated: bool | None = None,
    segments: list[str] | None = None,
    source: str | None = None,
) -> GoalsAudit:
    """Compare every variant with control on the policy's objective, proxies and guardrails.

    ``data`` is a path (CSV/Parquet), a database URL (with ``table``), a pandas DataFrame or an Ibis table,
    holding a row per unit, or per-variant aggregates (``aggregated=True``, or detected when the count column
    of ``goals.experiment.count_column`` is present and the metric columns are not: then each metric comes as
    ``<column>_mean`` (+ ``<column>_sd`` for means) or ``<column>_sum`` (+ ``<column>_sumsq``)).
    Only aggregates leave the backend. Raises :class:`~brandrail.errors.DataError` on unusable data.
    """
    goals = policy.goals
    specs = _specs(goals)
    exp = goals.experiment
    tbl = open_table(data, table=table or exp.table)
    columns = list(tbl.columns)
    where = source or (str(data) if isinstance(data, (str, bytes)) or hasattr(data, "__fspath__") else "data")
    seg_cols = list(exp.segments if segments is None else segments)
    if aggregated is None:
        aggregated = exp.count_column in columns and specs[0].metric.source not in columns
    wanted: dict[str, str] = {exp.variant_column: "variant"}
    for s in seg_cols:
        wanted[s] = "segment"
    for spec in specs:
        m = spec.metric
        label = f"{spec.role} {m.name}"
        if aggregated:
            wanted[exp.count_column] = "units per row"
            if f"{m.source}_sum" in columns:
                if m.kind == "mean":
                    wanted[f"{m.source}_sumsq"] = f"{label}: sum of squares"
            else:
                wanted[f"{m.source}_mean"] = f"{label}: mean (or {m.source}_sum)"
                if m.kind == "mean":
                    wanted[f"{m.source}_sd"] = f"{label}: standard deviation"
        else:
            wanted[m.source] = label
            if m.pre_column:
                wanted[m.pre_column] = f"pre-period covariate of {m.name}"
    require_columns(columns, wanted, where=where)

    seg_cache: dict[str, Stats] = {}
    dropped: dict[str, int] = {}
    if seg_cols:
        # one scan serves both: overall sums are the sums over the first segment column's groups
        seg_cache[seg_cols[0]] = _aggregate(
            tbl, [exp.variant_column, seg_cols[0]], specs, aggregated, exp.count_column, dropped
        )
        by_variant = _marginal(seg_cache[seg_cols[0]])
    else:
        stats = _aggregate(tbl, [exp.variant_column], specs, aggregated, exp.count_column, dropped)
        by_variant = {k[0]: v for k, v in stats.items()}
    obj = specs[0].metric
    units = {k: int(v[obj.name][0].n) for k, v in sorted(by_variant.items())}
    _check_spellings(units, exp.variant_column, "variant", where)
    empty = [k for k, n in units.items() if n == 0]
    if empty and dropped.get(obj.name):
        raise DataError(
            f"objective {obj.name!r} cannot be computed for variant(s) {', '.join(sorted(empty))}: every "
            f"value is missing, NaN or infinite ({dropped[obj.name]} such rows in all)",
            location=f"{where}: column {obj.source}",
            hint="fill the objective (0 for no revenue) or drop those units before the audit",
        )
    missing = [v for v in exp.variants if v not in by_variant]
    if empty or missing:
        names = sorted(set(empty) | set(missing))
        raise DataError(
            f"variant(s) with no units: {', '.join(names)}",
            location=f"{where}: column {exp.variant_column}",
            hint="remove the variant from goals.experiment.variants, or check the data export",
        )
    if exp.control not in by_variant:
        raise DataError(
            f"control variant {exp.control!r} not found in column {exp.variant_column!r}; "
            f"variants are: {', '.join(sorted(by_variant))}",
            location=f"{where}: column {exp.variant_column}",
            hint="set goals.experiment.control to the control's label",
        )
    if len(by_variant) < 2:
        raise DataError(
            f"only the control variant {exp.control!r} is present; nothing to compare",
            location=f"{where}: column {exp.variant_column}",
            hint="include the treatment variants' units",
        )
    total = [a for v in by_variant.values() for a in [v[obj.name][0]]]
    if all(a.total == 0 and a.total_sq == 0 for a in total):
        raise DataError(
            f"objective {obj.name!r} (column {obj.source!r}) is zero for every unit",
            location=f"{where}: column {obj.source}",
            hint="map the objective to the column that holds the outcome (e.g. net revenue per recipient)",
        )
    # only variants that can be compared count towards the correction (a one-unit variant is skipped)
    smallest = max(2, goals.min_units)
    compared = [v for v in by_variant if v != exp.control and min(units[v], units[exp.control]) >= smallest]
    if not compared:
        raise DataError(
            f"no treatment variant can be compared with control {exp.control!r}: each side needs at "
            f"least {smallest} units with a value of objective {obj.name!r} (units: "
            + ", ".join(f"{k}={n}" for k, n in units.items())
            + ")",
            location=f"{where}: column {exp.variant_column}",
            hint="collect more units, or lower goals.min_units",
        )
    k = len(compared)
    alpha = goals.alpha
    alpha_main = alpha / k if goals.correction == "bonferroni" else alpha
    verdicts, skipped_variants = _verdicts(
        by_variant,
        specs,
        control=exp.control,
        alpha_main=alpha_main,
        alpha_guard=alpha,
        segment=None,
        min_units=goals.min_units,
    )
    skipped: list[str] = []
    seg_verdicts: list[VariantVerdict] = []
    for seg in seg_cols:
        seg_stats = seg_cache.get(seg) or _aggregate(
            tbl, [exp.variant_column, seg], specs, aggregated, exp.count_column
        )
        values = sorted({key[1] for key in seg_stats})
        seg_units: dict[str, int] = {}
        for key, st in seg_stats.items():
            seg_units[key[1]] = seg_units.get(key[1], 0) + int(st[obj.name][0].n)
        _check_spellings(seg_units, seg, "segment", where)
        for value in values:
            sub = {key[0]: st for key, st in seg_stats.items() if key[1] == value}
            vs, sk = _verdicts(
                sub,
                specs,
                control=exp.control,
                alpha_main=alpha_main,
                alpha_guard=alpha,
                segment=(seg, value),
                min_units=goals.min_units,
            )
            seg_verdicts += vs
            skipped += sk
    findings, correlations = _findings(policy, verdicts, seg_verdicts)
    findings = [f.with_path(source) if source else f for f in findings]
    return GoalsAudit(
        verdicts=tuple(verdicts),
        segment_verdicts=tuple(seg_verdicts),
        rank_correlations=correlations,
        findings=tuple(findings),
        policy_version=policy.version,
        control=exp.control,
        units=units,
        alpha=alpha,
        alpha_adjusted=alpha_main,
        correction=goals.correction,
        skipped_segments=tuple(skipped),
        source=source,
        skipped_variants=tuple(skipped_variants),
        dropped_rows=dict(dropped),
    )
