"""``audit_fairness``: the fairness audit of a decision log, pushed down to the backend through Ibis.

The log is never loaded whole: the backend computes a handful of grouped aggregates (a cube of counts per
protected x control cell, value histograms of continuous outcomes, per-ad delivery counts, feature x
attribute contingency tables) and everything else is derived from those aggregates here.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import ibis
import numpy as np
import pandas as pd

from brandrail.errors import DataError, UsageError
from brandrail.fairness import codes
from brandrail.fairness.metrics import (
    build_conditional,
    build_conditional_outcomes,
    build_grouping,
    combine_moments,
    group_label,
    grouping_name,
    rollup,
)
from brandrail.fairness.proxy import build_proxies, proxy_query
from brandrail.fairness.result import (
    DataSummary,
    FairnessAudit,
    GroupingReport,
    OutcomeGroup,
    OutcomeReport,
)
from brandrail.fairness.skew import build_skew, skew_query
from brandrail.fairness.source import MISSING, check_columns, open_table
from brandrail.fairness.stats import Interval, benjamini_hochberg, poisson_bootstrap_medians, welch_test
from brandrail.findings import Finding, Result
from brandrail.policy import Policy, load_policy
from brandrail.policy.sections.fairness import FairnessSection

__all__ = ["MAX_CUBE_ROWS", "audit_fairness"]

#: Most cells the aggregate cube may have before the audit names the column that explodes it.
MAX_CUBE_ROWS = 1_000_000
#: Most rows any other aggregate (histograms, per-ad counts, contingency tables) may return.
MAX_AGG_ROWS = 5_000_000

Progress = Callable[[str], None]


class _Runner:
    """Executes aggregate expressions, counting queries and reporting progress."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self.queries = 0

    def step(self, message: str) -> None:
        if self.progress is not None:
            self.progress(message)

    def run(self, expr: Any) -> pd.DataFrame:
        self.queries += 1
        frame = expr.execute()
        assert isinstance(frame, pd.DataFrame)
        return frame


def _resolve_policy(
    policy: Policy | FairnessSection | str | Path,
) -> tuple[FairnessSection, Policy | None, str]:
    if isinstance(policy, Policy):
        return policy.fairness, policy, policy.version
    if isinstance(policy, FairnessSection):
        import hashlib

        digest = hashlib.sha256(policy.model_dump_json().encode()).hexdigest()
        return policy, None, digest
    if isinstance(policy, (str, Path)):
        loaded = load_policy(policy)
        return loaded.fairness, loaded, loaded.version
    raise UsageError(f"policy must be a Policy, a FairnessSection or a path, not {type(policy).__name__}")


def _binary(table: Any, name: str) -> Any:
    col = table[name]
    return col.cast("int32") if col.type().is_boolean() else col


def _backend_name(table: Any) -> str:
    try:
        return str(table.get_backend().name)
    except Exception:
        return "unknown"


def audit_fairness(
    table_or_path: Any,
    policy: Policy | FairnessSection | str | Path,
    *,
    table: str | None = None,
    progress: Progress | None = None,
) -> FairnessAudit:
    """Audit the decision log ``table_or_path`` against the policy's ``fairness`` section.

    ``table_or_path`` is a CSV/Parquet path or glob, a DuckDB file, a database URL (with ``table``), an Ibis
    table, or an Ibis connection (with ``table``). ``progress`` is called with a short message before each
    backend query. Raises :class:`~brandrail.errors.DataError` when the data cannot be audited as mapped.
    """
    started = time.perf_counter()
    section, full_policy, version = _resolve_policy(policy)
    runner = _Runner(progress)
    runner.step("opening the decision log")
    t = open_table(table_or_path, table)
    check_columns(t, section)
    protected = list(section.protected)
    controls = list(section.controls)
    has_label = section.label is not None
    keys = {c: t[c].cast("string").fill_null(MISSING) for c in [*protected, *controls]}
    d = _binary(t, section.decision)

    # -- 1. the cube -------------------------------------------------------------------------------
    aggs: dict[str, Any] = {
        "n": t.count(),
        "sel": d.sum().cast("int64"),
        "bad_decision": (d.notnull() & ~d.isin([0, 1])).ifelse(1, 0).sum(),
        "null_decision": d.isnull().ifelse(1, 0).sum(),
    }
    if has_label:
        assert section.label is not None
        lab = _binary(t, section.label)
        aggs.update(
            pos=lab.sum().cast("int64"),
            tp=(d * lab).sum().cast("int64"),
            fp=(d * (1 - lab)).sum().cast("int64"),
            bad_label=(lab.notnull() & ~lab.isin([0, 1])).ifelse(1, 0).sum(),
            null_label=lab.isnull().ifelse(1, 0).sum(),
        )
    for i, o in enumerate(section.outcomes):
        col = t[o].cast("float64")
        aggs.update({f"o{i}_n": col.count(), f"o{i}_mean": col.mean(), f"o{i}_var": col.var(how="pop")})
    runner.step("aggregating the decision cube")
    cube_expr = t.group_by([v.name(k) for k, v in keys.items()]).aggregate(**aggs)
    cube = runner.run(cube_expr.limit(MAX_CUBE_ROWS + 1))
    if len(cube) > MAX_CUBE_ROWS:
        _explain_explosion(t, [*protected, *controls], section, runner)
    for c in [*protected, *controls]:
        cube[c] = cube[c].astype(str)
    for c in ["n", "sel", "bad_decision", "null_decision", "pos", "tp", "fp", "bad_label", "null_label"]:
        if c in cube:
            cube[c] = pd.to_numeric(cube[c]).fillna(0).astype("int64")
    if not has_label:
        for c in ("pos", "tp", "fp"):
            cube[c] = 0
    rows = int(cube["n"].sum())
    if rows == 0:
        raise DataError("the decision log has no rows", hint="check the file, the table name or the query")
    for c in [*protected, *controls]:
        distinct = cube[c].nunique()
        if distinct > section.max_categories:
            _too_many(c, distinct, section)
    _check_binary(t, cube, section.decision, d, role="decision", runner=runner)
    if has_label:
        assert section.label is not None
        _check_binary(t, cube, section.label, _binary(t, section.label), role="label", runner=runner)

    missing = {a: int(cube.loc[cube[a] == MISSING, "n"].sum()) for a in protected}
    excluded = 0
    if section.nulls == "exclude":
        mask = np.zeros(len(cube), dtype=bool)
        for a in protected:
            mask |= (cube[a] == MISSING).to_numpy()
        excluded = int(cube.loc[mask, "n"].sum())
        cube = cube.loc[~mask].reset_index(drop=True)
        if cube.empty or int(cube["n"].sum()) == 0:
            raise DataError(
                f"every row has a missing protected value ({excluded} excluded)",
                hint="use fairness.nulls: group to audit them as their own group",
            )
    live = t
    if section.nulls == "exclude":
        cond = None
        for a in protected:
            c = t[a].notnull()
            cond = c if cond is None else cond & c
        live = t.filter(cond)

    # -- 2. groupings ------------------------------------------------------------------------------
    runner.step("computing group metrics")
    combos: list[list[str]] = [[a] for a in protected]
    if section.intersections is not None:
        combos += [list(c) for c in section.intersections]
    elif len(protected) >= 2:
        combos.append(protected)
    groupings = [build_grouping(cube, combo, section, has_label) for combo in combos]
    conditional = []
    if controls:
        for g in groupings[: len(protected)]:
            report = build_conditional(cube, g.attributes[0], g.reference, section, has_label)
            for i, o in enumerate(section.outcomes):
                report.outcomes += build_conditional_outcomes(
                    cube, i, o, g.attributes[0], g.reference, section
                )
            conditional.append(report)

    # -- 3. continuous outcomes --------------------------------------------------------------------
    outcomes: list[OutcomeReport] = []
    rng = np.random.default_rng(section.seed)
    for i, o in enumerate(section.outcomes):
        runner.step(f"histogram of {o}")
        col = live[o].cast("float64")
        binned = ((col / section.outcome_resolution) + 0.5).floor().cast("int64")
        lkeys = {c: live[c].cast("string").fill_null(MISSING) for c in protected}
        hist_expr = (
            live.mutate(__bin=binned, **lkeys)
            .filter(ibis._["__bin"].notnull())
            .group_by(["__bin", *protected])
            .aggregate(n=ibis._.count())
        )
        hist = runner.run(hist_expr.limit(MAX_AGG_ROWS + 1))
        if len(hist) > MAX_AGG_ROWS:
            raise DataError(
                f"column {o!r} has too many distinct values at resolution {section.outcome_resolution}",
                hint="raise fairness.outcome_resolution",
            )
        for c in protected:
            hist[c] = hist[c].astype(str)
        hist["n"] = pd.to_numeric(hist["n"]).astype("int64")
        for g in groupings:
            outcomes.append(_outcome_report(cube, hist, i, o, g, section, rng))

    # -- 4. delivery skew --------------------------------------------------------------------------
    skew = []
    if section.ad:
        runner.step("measuring delivery skew per ad")
        lkeys = {c: live[c].cast("string").fill_null(MISSING) for c in protected}
        frame = runner.run(
            skew_query(live, lkeys, _binary(live, section.decision), section).limit(MAX_AGG_ROWS + 1)
        )
        if len(frame) > MAX_AGG_ROWS:
            raise DataError(f"too many ads x groups in column {section.ad!r} to measure delivery skew")
        for c in protected:
            frame[c] = frame[c].astype(str)
        skew = build_skew(frame, protected, section)

    # -- 5. proxies --------------------------------------------------------------------------------
    proxies = []
    for f in section.features:
        runner.step(f"testing {f} as a proxy")
        lkeys = {c: live[c].cast("string").fill_null(MISSING) for c in protected}
        cells = max(1, math.prod(max(1, cube[a].nunique()) for a in protected))
        limit = min(MAX_AGG_ROWS, (section.max_categories + 1) * cells + 1)
        frame = runner.run(proxy_query(live, f, lkeys, limit))
        for c in protected:
            frame[c] = frame[c].astype(str)
        frame["n"] = pd.to_numeric(frame["n"]).astype("int64")
        proxies += build_proxies(frame, f, protected, section, limit)

    # -- 6. multiplicity and verdicts --------------------------------------------------------------
    tests: list[Any] = []
    for g in groupings:
        tests += [x for x in g.groups if x.p_value is not None]
        tests += [x for x in (g.selection_test, g.tpr_test, g.fpr_test) if x is not None]
    for cond_report in conditional:
        tests += cond_report.pooled
        tests += [x for x in cond_report.outcomes if x.p_value is not None]
    for rep in outcomes:
        tests += [x for x in rep.groups if x.p_value is not None]
    for x, q in zip(tests, benjamini_hochberg([x.p_value for x in tests]), strict=True):
        x.q_value = q

    audit = FairnessAudit(
        result=Result.build([], policy_version=version),
        data=DataSummary(
            backend=_backend_name(t),
            rows=rows,
            rows_used=rows - excluded,
            excluded=excluded,
            missing=missing,
            queries=runner.queries,
            seconds=round(time.perf_counter() - started, 3),
        ),
        groupings=groupings,
        conditional=conditional,
        outcomes=outcomes,
        skew=skew,
        proxies=proxies,
        settings=section.model_dump(mode="json"),
    )
    findings = _verdicts(audit, section, full_policy)
    audit.result = Result.build(findings, policy_version=version, families=["fairness"])
    return audit


def _too_many(column: str, distinct: int | str, section: FairnessSection) -> None:
    raise DataError(
        f"column {column!r} has {distinct} distinct values, more than fairness.max_categories "
        f"({section.max_categories}); a protected attribute or control must be categorical",
        hint="bin it (age to age bands, income to quintiles) or raise fairness.max_categories",
    )


def _explain_explosion(t: Any, columns: Sequence[str], section: FairnessSection, runner: _Runner) -> None:
    counts = runner.run(t.aggregate(**{c: t[c].nunique() for c in columns}))
    worst = max(columns, key=lambda c: int(counts[c].to_numpy()[0]))
    n = int(counts[worst].to_numpy()[0])
    if n > section.max_categories:
        _too_many(worst, n, section)
    raise DataError(
        f"the protected x control columns form more than {MAX_CUBE_ROWS} cells "
        f"(largest: {worst!r}, {n} values)",
        hint="drop or coarsen a control feature",
    )


def _check_binary(t: Any, cube: pd.DataFrame, column: str, expr: Any, *, role: str, runner: _Runner) -> None:
    bad = int(cube[f"bad_{role}"].sum())
    nulls = int(cube[f"null_{role}"].sum())
    if bad:
        sample = runner.run(
            t.filter(expr.notnull() & ~expr.isin([0, 1])).select(expr.name("v")).distinct().limit(5)
        )
        values = ", ".join(repr(v) for v in sample["v"].tolist())
        raise DataError(
            f"column {column!r} (fairness.{role}) must be binary 0/1 "
            f"but {bad} rows hold other values ({values})",
            hint=f"map the {role} to 0/1 (1 = shown/offered/selected) before the audit",
        )
    if nulls:
        raise DataError(
            f"column {column!r} (fairness.{role}) has {nulls} missing values",
            hint=f"fill or drop rows with no {role} before the audit",
        )


def _quantile(values: np.ndarray[Any, Any], counts: np.ndarray[Any, Any], q: float) -> float:
    cum = np.cumsum(counts)
    total = int(cum[-1])
    h = (total - 1) * q
    lo = math.floor(h)
    x_lo = values[int(np.searchsorted(cum, lo, side="right"))]
    x_hi = values[int(np.searchsorted(cum, min(lo + 1, total - 1), side="right"))]
    return float(x_lo + (h - lo) * (x_hi - x_lo))


def _outcome_report(
    cube: pd.DataFrame,
    hist: pd.DataFrame,
    i: int,
    outcome: str,
    grouping: GroupingReport,
    section: FairnessSection,
    rng: np.random.Generator,
) -> OutcomeReport:
    attrs = grouping.attributes
    moments = {group_label(k): m for k, m in combine_moments(cube, attrs, i).items()}
    h = rollup(hist, [*attrs, "__bin"], ["n"])
    boot: dict[str, np.ndarray[Any, Any]] = {}
    groups: list[OutcomeGroup] = []
    for key, rows in h.groupby(attrs, sort=True):
        key_t = key if isinstance(key, tuple) else (key,)
        label = group_label(key_t)
        rows = rows.sort_values("__bin")
        values = rows["__bin"].to_numpy(dtype=float) * section.outcome_resolution
        counts = rows["n"].to_numpy(dtype=float)
        n_obs, g_mean, g_var = moments.get(label, (0, None, None))
        suppressed = n_obs < section.min_cell
        median = quartiles = None
        if not suppressed and counts.sum() > 0:
            reps = poisson_bootstrap_medians(values, counts, section.bootstrap, rng)
            boot[label] = reps
            alpha = 1 - section.confidence
            med = _quantile(values, counts, 0.5)
            lo_hi = (
                np.nanquantile(reps, [alpha / 2, 1 - alpha / 2]).tolist()
                if section.bootstrap > 0
                else [None, None]
            )
            median = Interval(med, lo_hi[0], lo_hi[1])
            quartiles = [_quantile(values, counts, q) for q in (0.0, 0.25, 0.5, 0.75, 1.0)]
        groups.append(
            OutcomeGroup(
                group=label,
                n=n_obs,
                suppressed=suppressed,
                mean=None if suppressed else g_mean,
                std=None if suppressed or g_var is None else math.sqrt(g_var),
                median=median,
                quartiles=quartiles,
            )
        )
    ref_label = grouping.reference
    ref = next((g for g in groups if g.group == ref_label and not g.suppressed), None)
    if ref is not None and ref.mean is not None:
        _, _, ref_var = moments[ref.group]
        for g in groups:
            if g is ref or g.suppressed or g.mean is None:
                continue
            _, _, var = moments[g.group]
            if var is not None and ref_var is not None:
                g.mean_difference, g.mean_ratio, g.p_value = welch_test(
                    g.mean, var, g.n, ref.mean, ref_var, ref.n, section.confidence
                )
            if g.group in boot and ref.group in boot and g.median and ref.median and ref.median.value:
                with np.errstate(divide="ignore", invalid="ignore"):
                    ratios = boot[g.group] / boot[ref.group]
                ratios = ratios[np.isfinite(ratios)]
                assert g.median.value is not None
                alpha = 1 - section.confidence
                lo, hi = (
                    np.quantile(ratios, [alpha / 2, 1 - alpha / 2]).tolist() if len(ratios) else (None, None)
                )
                g.median_ratio = Interval(g.median.value / ref.median.value, lo, hi)
    return OutcomeReport(outcome=outcome, grouping=grouping_name(attrs), reference=ref_label, groups=groups)


def _significant(q: float | None, section: FairnessSection) -> bool:
    if not section.require_significance:
        return True
    return q is not None and q < section.alpha


def _verdicts(audit: FairnessAudit, section: FairnessSection, policy: Policy | None) -> list[Finding]:
    def sev(rule: type[codes._Verdict]) -> Any:
        return rule.severity_for(policy) if policy is not None else rule.default_severity

    out: list[Finding] = []
    th = section
    for name, count in audit.data.missing.items():
        if count:
            action = "excluded" if section.nulls == "exclude" else f"audited as group {MISSING!r}"
            out.append(
                codes.MissingProtectedValues.finding(
                    f"{count} rows ({count / audit.data.rows:.1%}) have no {name!r}; {action}",
                    evidence={
                        "attribute": name,
                        "rows": count,
                        "share": count / audit.data.rows,
                        "nulls": section.nulls,
                    },
                    severity=sev(codes.MissingProtectedValues),
                )
            )
    for g in audit.groupings:
        if g.suppressed:
            out.append(
                codes.SuppressedGroups.finding(
                    f"{len(g.suppressed)} group(s) of {g.name!r} have fewer than {th.min_cell} rows "
                    "and are suppressed",
                    evidence={"grouping": g.name, "groups": g.suppressed, "min_cell": th.min_cell},
                    severity=sev(codes.SuppressedGroups),
                )
            )
        for x in g.groups:
            ratio = x.rate_ratio.value if x.rate_ratio else None
            if ratio is not None and ratio < th.four_fifths and _significant(x.q_value, th):
                out.append(
                    codes.DisparateImpact.finding(
                        f"{g.name}={x.group!r} is selected at {ratio:.2f}x the rate of reference "
                        f"{g.reference!r} (below {th.four_fifths})",
                        evidence={
                            "grouping": g.name,
                            "group": x.group,
                            "reference": g.reference,
                            "measured": ratio,
                            "threshold": th.four_fifths,
                            "ci": x.rate_ratio.to_dict() if x.rate_ratio else None,
                            "q_value": x.q_value,
                        },
                        severity=sev(codes.DisparateImpact),
                    )
                )
        st = g.selection_test
        if (
            st is not None
            and g.demographic_parity_difference is not None
            and g.demographic_parity_difference > th.max_dp_difference
            and _significant(st.q_value, th)
        ):
            out.append(
                codes.DemographicParityGap.finding(
                    f"selection rates across {g.name!r} differ by {g.demographic_parity_difference:.3f} "
                    f"({st.high_group!r} vs {st.low_group!r}; limit {th.max_dp_difference})",
                    evidence={
                        "grouping": g.name,
                        "measured": g.demographic_parity_difference,
                        "threshold": th.max_dp_difference,
                        "high_group": st.high_group,
                        "low_group": st.low_group,
                        "ci": st.difference.to_dict(),
                        "q_value": st.q_value,
                    },
                    severity=sev(codes.DemographicParityGap),
                )
            )
        tt, ft = g.tpr_test, g.fpr_test
        if (
            tt is not None
            and g.equal_opportunity_difference is not None
            and g.equal_opportunity_difference > th.max_eo_difference
            and _significant(tt.q_value, th)
        ):
            out.append(
                codes.EqualOpportunityGap.finding(
                    f"true-positive rates across {g.name!r} differ by {g.equal_opportunity_difference:.3f} "
                    f"({tt.high_group!r} vs {tt.low_group!r}; limit {th.max_eo_difference})",
                    evidence={
                        "grouping": g.name,
                        "measured": g.equal_opportunity_difference,
                        "threshold": th.max_eo_difference,
                        "ci": tt.difference.to_dict(),
                        "q_value": tt.q_value,
                    },
                    severity=sev(codes.EqualOpportunityGap),
                )
            )
        if g.equalized_odds_difference is not None and g.equalized_odds_difference > th.max_eo_difference:
            worst = max(
                [t for t in (tt, ft) if t is not None and t.difference.value is not None],
                key=lambda t: abs(t.difference.value or 0.0),
            )
            if _significant(worst.q_value, th):
                out.append(
                    codes.EqualizedOddsGap.finding(
                        f"equalized-odds difference across {g.name!r} is {g.equalized_odds_difference:.3f} "
                        f"(worst: {worst.metric}, {worst.high_group!r} vs {worst.low_group!r}; "
                        f"limit {th.max_eo_difference})",
                        evidence={
                            "grouping": g.name,
                            "measured": g.equalized_odds_difference,
                            "threshold": th.max_eo_difference,
                            "component": worst.metric,
                            "ci": worst.difference.to_dict(),
                            "q_value": worst.q_value,
                        },
                        severity=sev(codes.EqualizedOddsGap),
                    )
                )
    for c in audit.conditional:
        for p in c.pooled:
            rr = p.rate_ratio.value
            if rr is not None and rr < th.four_fifths and _significant(p.q_value, th):
                out.append(
                    codes.ConditionalDisparity.finding(
                        f"within strata of {', '.join(c.controls)}, {c.attribute}={p.group!r} is selected at "
                        f"{rr:.2f}x the rate of {c.reference!r} (Mantel-Haenszel; below {th.four_fifths})",
                        evidence={
                            "attribute": c.attribute,
                            "group": p.group,
                            "reference": c.reference,
                            "measured": rr,
                            "threshold": th.four_fifths,
                            "ci": p.rate_ratio.to_dict(),
                            "strata": p.strata_used,
                            "q_value": p.q_value,
                        },
                        severity=sev(codes.ConditionalDisparity),
                    )
                )
        for po in c.outcomes:
            ratio = po.standardized_ratio.value
            if ratio is not None and abs(ratio - 1) > th.outcome_tolerance and _significant(po.q_value, th):
                out.append(
                    codes.ConditionalDisparity.finding(
                        f"within strata of {', '.join(c.controls)}, mean {po.outcome} for {c.attribute}="
                        f"{po.group!r} is {ratio:.3f}x that of {c.reference!r} (standardised; "
                        f"tolerance ±{th.outcome_tolerance:.0%})",
                        evidence={
                            "attribute": c.attribute,
                            "outcome": po.outcome,
                            "group": po.group,
                            "reference": c.reference,
                            "measured": ratio,
                            "threshold": th.outcome_tolerance,
                            "ci": po.standardized_ratio.to_dict(),
                            "pooled_difference": po.pooled_difference.to_dict(),
                            "strata": po.strata_used,
                            "q_value": po.q_value,
                        },
                        severity=sev(codes.ConditionalDisparity),
                    )
                )
        absent = sorted({(g, s_i) for s_i, s in enumerate(c.strata) for g in s.absent})
        if absent:
            groups = sorted({g for g, _ in absent})
            out.append(
                codes.AbsentFromStratum.finding(
                    f"{len(groups)} group(s) of {c.attribute!r} are absent from some strata of "
                    f"{', '.join(c.controls)}: {', '.join(groups)}",
                    evidence={
                        "attribute": c.attribute,
                        "absent": {g: [c.strata[i].stratum for gg, i in absent if gg == g] for g in groups},
                    },
                    severity=sev(codes.AbsentFromStratum),
                )
            )
    for rep in audit.outcomes:
        for og in rep.groups:
            r = og.mean_ratio.value if og.mean_ratio else None
            if r is not None and abs(r - 1) > th.outcome_tolerance and _significant(og.q_value, th):
                out.append(
                    codes.OutcomeDisparity.finding(
                        f"mean {rep.outcome} for {rep.grouping}={og.group!r} is {r:.3f}x that of "
                        f"{rep.reference!r} (tolerance ±{th.outcome_tolerance:.0%})",
                        evidence={
                            "outcome": rep.outcome,
                            "grouping": rep.grouping,
                            "group": og.group,
                            "reference": rep.reference,
                            "measured": r,
                            "threshold": th.outcome_tolerance,
                            "mean": og.mean,
                            "ci": og.mean_ratio.to_dict() if og.mean_ratio else None,
                            "median_ratio": og.median_ratio.to_dict() if og.median_ratio else None,
                            "q_value": og.q_value,
                        },
                        severity=sev(codes.OutcomeDisparity),
                    )
                )
    for s in audit.skew:
        if s.share_within is not None and s.share_within < th.min_share_within:
            out.append(
                codes.DeliverySkew.finding(
                    f"only {s.share_within:.0%} of {s.measured} ads reach their eligible audience within "
                    f"a TVD of {s.tolerance} for {s.attribute!r} (required {th.min_share_within:.0%})",
                    evidence={
                        "attribute": s.attribute,
                        "measured": s.share_within,
                        "threshold": th.min_share_within,
                        "tolerance": s.tolerance,
                        "ads": s.measured,
                        "median_tvd": s.median_tvd,
                    },
                    severity=sev(codes.DeliverySkew),
                )
            )
    for px in audit.proxies:
        if px.flagged:
            metric = "Cramér's V" if th.proxy_metric == "cramers_v" else "normalised mutual information"
            value = px.cramers_v if th.proxy_metric == "cramers_v" else px.nmi
            out.append(
                codes.ProxyFeature.finding(
                    f"feature {px.feature!r} stands in for {px.attribute!r}: {metric} {value:.2f} "
                    f"(threshold {th.proxy_threshold})",
                    evidence={
                        "feature": px.feature,
                        "attribute": px.attribute,
                        "metric": th.proxy_metric,
                        "measured": value,
                        "threshold": th.proxy_threshold,
                        "cramers_v": px.cramers_v,
                        "nmi": px.nmi,
                    },
                    severity=sev(codes.ProxyFeature),
                )
            )
    return out
