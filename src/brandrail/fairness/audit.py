"""``audit_fairness``: the fairness audit of a decision log, pushed down to the backend through Ibis.

The log is never loaded whole: the backend computes a handful of grouped aggregates (a cube of counts per
protected x control cell, value histograms of continuous outcomes, per-ad delivery counts, feature x
attribute contingency tables) and everything else is derived from those aggregates here.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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
    favourable_count,
    group_label,
    grouping_name,
    rollup,
)
from brandrail.fairness.proxy import build_proxies, proxy_query
from brandrail.fairness.result import (
    DataSummary,
    FairnessAudit,
    GroupingReport,
    GroupStats,
    OutcomeGroup,
    OutcomeReport,
    PairTest,
)
from brandrail.fairness.skew import build_skew, skew_query
from brandrail.fairness.source import MISSING, check_columns, first_line, open_table
from brandrail.fairness.stats import (
    Interval,
    benjamini_hochberg,
    katz_ratio,
    newcombe_difference,
    poisson_bootstrap_medians,
    welch_test,
    z_value,
)
from brandrail.findings import Finding, Result
from brandrail.policy import Policy, load_policy
from brandrail.policy.sections.fairness import FairnessSection
from brandrail.text.normalize import describe_spellings, same_label_spellings

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
        try:
            frame = expr.execute()
        except Exception as exc:
            raise DataError(
                f"the database could not compute the audit's aggregates: {first_line(exc)}",
                hint="check the column types of the mapped columns (numbers for the decision, label and "
                "outcomes)",
            ) from None
        assert isinstance(frame, pd.DataFrame)
        return frame


def _row_count(t: Any) -> int | None:
    try:
        return int(t.count().execute())
    except Exception:
        return None


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
    try:
        check_columns(t, section)
    except DataError:
        # a header-only file has no rows to infer column types from: say that, not "wrong type"
        if _row_count(t) == 0:
            raise DataError(
                "the decision log has no rows", hint="check the file, the table name or the query"
            ) from None
        raise
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
        raw = t[o].cast("float64")
        # x - x is 0 for every finite x and NaN for NaN and +-inf (DuckDB's isnan misses some NaN bit
        # patterns that Parquet writers produce; NaN compares unequal to 0 in DuckDB and PostgreSQL)
        nonfinite = ((raw - raw) != 0).fill_null(False)
        col = ibis.cases((nonfinite, ibis.null("float64")), else_=raw)
        aggs.update(
            {
                f"o{i}_n": col.count(),
                f"o{i}_mean": col.mean(),
                f"o{i}_var": col.var(how="pop"),
                f"o{i}_nonfinite": nonfinite.ifelse(1, 0).sum(),
                f"o{i}_null": raw.isnull().ifelse(1, 0).sum(),
            }
        )
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
    for c in [*protected, *controls]:
        _check_spellings(cube, c, "protected" if c in protected else "controls")
    for i, o in enumerate(section.outcomes):
        bad_values = int(pd.to_numeric(cube[f"o{i}_nonfinite"]).fillna(0).sum())
        if bad_values:
            raise DataError(
                f"column {o!r} (fairness.outcomes) has {bad_values} of {rows} rows with NaN or infinite "
                "values",
                hint=f"fill or drop those rows, or remove {o!r} from fairness.outcomes",
            )
    _check_binary(t, cube, section.decision, d, role="decision", runner=runner)
    if has_label:
        assert section.label is not None
        _check_binary(t, cube, section.label, _binary(t, section.label), role="label", runner=runner)

    missing = {a: int(cube.loc[cube[a] == MISSING, "n"].sum()) for a in protected}
    for a in protected:
        if missing[a] == rows:
            raise DataError(
                f"protected attribute {a!r} is empty (null) in all {rows} rows: the audit would audit "
                "nothing",
                hint=f"map fairness.protected to a column that holds the groups, or fill {a!r}",
            )
        present = sorted(set(cube.loc[cube["n"] > 0, a]) - {MISSING})
        if len(present) < 2 and not (len(present) == 1 and missing[a] and section.nulls == "group"):
            raise DataError(
                f"protected attribute {a!r} has a single group ({present[0]!r}) in all {rows} rows: "
                "there is nothing to compare",
                hint="audit a log that holds more than one group, or remove the attribute from "
                "fairness.protected",
            )
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
    significant = sum(1 for x in tests if x.q_value is not None and x.q_value < section.alpha)
    lv = _Levels(
        alpha=section.alpha,
        fcr_alpha=section.alpha * max(significant, 1) / max(len(tests), 1),
        require=section.require_significance,
        base=section.confidence,
        tests=len(tests),
        significant=significant,
    )

    audit = FairnessAudit(
        result=Result.build([], policy_version=version),
        data=DataSummary(
            backend=_backend_name(t),
            rows=rows,
            rows_used=rows - excluded,
            excluded=excluded,
            missing=missing,
            outcome_nulls={
                o: int(pd.to_numeric(cube[f"o{i}_null"]).fillna(0).sum())
                for i, o in enumerate(section.outcomes)
            },
            queries=runner.queries,
            seconds=round(time.perf_counter() - started, 3),
        ),
        groupings=groupings,
        conditional=conditional,
        outcomes=outcomes,
        skew=skew,
        proxies=proxies,
        settings=section.model_dump(mode="json"),
        verdict_levels=lv.to_dict(),
    )
    findings = _verdicts(audit, section, full_policy, lv)
    audit.result = Result.build(findings, policy_version=version, families=["fairness"])
    return audit


def _too_many(column: str, distinct: int | str, section: FairnessSection) -> None:
    raise DataError(
        f"column {column!r} has {distinct} distinct values, more than fairness.max_categories "
        f"({section.max_categories}); a protected attribute or control must be categorical",
        hint="bin it (age to age bands, income to quintiles) or raise fairness.max_categories",
    )


def _check_spellings(cube: pd.DataFrame, column: str, key: str) -> None:
    """Refuse a column that spells one group in several ways.

    "female", "Female ", "ｆｅｍａｌｅ" and "fеmale" (Cyrillic е) would be audited as four groups: each smaller
    than the group it belongs to, so less often significant, and below ``min_cell`` suppressed altogether. A
    careless export halves the power of the audit; a log written to pass it can hide a group entirely.
    """
    rows = cube.groupby(column, sort=True)["n"].sum()
    worst = same_label_spellings(str(v) for v in rows.index if v != MISSING)
    if not worst:
        return
    listed = describe_spellings(worst, {str(v): int(n) for v, n in rows.items()}, "rows")
    raise DataError(
        f"column {column!r} (fairness.{key}) spells {len(worst)} group(s) in several ways that differ only in "
        f"case, spacing, width or look-alike letters: {listed}; the audit would compare them as separate "
        "groups",
        hint=f"give each group one spelling before the audit (for example lower(trim({column})) in a view "
        "or query, and look-alike letters replaced)",
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


# -- verdict helpers ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Levels:
    """Confidence levels of the verdict intervals.

    Intervals of the comparisons that the Benjamini-Hochberg step selected are widened to the
    false-coverage-rate level 1 - R * alpha / m (Benjamini & Yekutieli 2005; R selected of m tests), so a
    verdict that rests on an interval keeps its error rate after the selection. The largest-vs-smallest
    group comparisons (parity differences) also divide by the number of group pairs they were picked from.
    """

    alpha: float
    fcr_alpha: float
    require: bool
    base: float
    tests: int
    significant: int

    @property
    def confidence(self) -> float:
        return 1 - self.fcr_alpha if self.require else self.base

    def pair_confidence(self, pairs: int) -> float:
        return 1 - self.fcr_alpha / max(pairs, 1) if self.require else self.base

    def to_dict(self) -> dict[str, Any]:
        return {
            "rests_on": "interval" if self.require else "point estimate",
            "tests": self.tests,
            "significant": self.significant,
            "alpha": self.alpha,
            "confidence": self.confidence,
        }


def _value(iv: Interval | None) -> float | None:
    return None if iv is None else iv.value


def _num(value: float | None) -> str:
    """A plain number for a message: 4 significant digits, scientific notation for tiny values."""
    if value is None:
        return "n/a"
    v = float(value)
    if not math.isfinite(v):
        return str(v)
    if v != 0 and abs(v) < 1e-4:
        return f"{v:.2e}"
    return f"{v:.4g}"


def _widen_log(iv: Interval, conf_from: float, conf_to: float) -> Interval:
    """A ratio interval symmetric on the log scale, recomputed at another confidence level."""
    if iv.value is None or iv.low is None or iv.high is None or iv.low <= 0 or iv.high <= 0:
        return Interval(iv.value, iv.low, iv.high)
    lo, hi = math.log(iv.low), math.log(iv.high)
    se = (hi - lo) / (2 * z_value(conf_from))
    centre = (hi + lo) / 2
    z = z_value(conf_to)
    return Interval(iv.value, math.exp(centre - z * se), math.exp(centre + z * se))


def _verdict_bounds(iv: Interval, q: float | None, th: FairnessSection) -> tuple[float, float, float] | None:
    """(low, high, value): the bounds a verdict compares with its threshold — the interval when significance is
    required (None unless the test is significant at ``alpha`` and both bounds exist), else the point estimate
    twice — and the point estimate itself."""
    if iv.value is None:
        return None
    if th.require_significance:
        if q is None or q >= th.alpha or iv.low is None or iv.high is None:
            return None
        return iv.low, iv.high, iv.value
    return iv.value, iv.value, iv.value


def _ratio_verdict(
    iv: Interval, threshold: float, q: float | None, th: FairnessSection
) -> tuple[str, float, Interval] | None:
    """Whether a favourable-rate ratio (group / reference) is beyond the four-fifths threshold either way.

    Returns (worse-off side, ratio worse-off / better-off, its interval) or None.
    """
    bounds = _verdict_bounds(iv, q, th)
    if bounds is None:
        return None
    lo, hi, value = bounds
    if hi < threshold:
        return "group", value, iv
    if lo > 1 / threshold and value > 0:
        inv = Interval(
            1 / value,
            1 / iv.high if iv.high else None,
            1 / iv.low if iv.low else None,
        )
        return "reference", 1 / value, inv
    return None


def _impact_verdict(
    x: GroupStats, ref: GroupStats, lv: _Levels, th: FairnessSection
) -> tuple[str, float, Interval] | None:
    """FA001 for one group against the reference, from the counts at the verdict level.

    The Katz interval is computed for the ratio whose denominator is not zero: group / reference, or,
    when the reference never gets the favourable outcome, reference / group (then inverted), so a
    reference that is shut out entirely is still found worse off.
    """
    fx, fr = favourable_count(x.selected, x.n, th), favourable_count(ref.selected, ref.n, th)
    if fr > 0:
        iv = katz_ratio(fx, x.n, fr, ref.n, lv.confidence)
        return _ratio_verdict(iv, th.four_fifths, x.q_value, th)
    if fx == 0:
        return None
    inv = katz_ratio(fr, ref.n, fx, x.n, lv.confidence)  # reference / group, value 0
    if inv.value is None:
        return None
    unsure = x.q_value is None or x.q_value >= th.alpha or inv.high is None or inv.high >= th.four_fifths
    if th.require_significance and unsure:
        return None
    return "reference", inv.value, inv


def _pairs(g: GroupingReport) -> int:
    k = sum(1 for x in g.groups if not x.suppressed)
    return max(1, k * (k - 1) // 2)


def _pair_verdict(
    g: GroupingReport,
    test: PairTest,
    num: str,
    den: str,
    limit: float,
    pairs: int,
    lv: _Levels,
    th: FairnessSection,
) -> tuple[str, Interval, str, str] | None:
    """Whether two groups' rates differ by more than ``limit``.

    With intervals: every pair of reported groups gets a Newcombe interval at the simultaneous level
    (Bonferroni over the pairs), and the pair whose lower bound is largest decides, so a tiny group at
    an extreme cannot hide a well-measured gap between two large ones. Returns (worse-off group,
    interval, higher-rate group, lower-rate group) or None.
    """
    if th.require_significance:
        if test.q_value is None or test.q_value >= th.alpha:
            return None
        live = [x for x in g.groups if not x.suppressed and int(getattr(x, den) or 0) > 0]
        if len(live) > 60:
            # bounded work with many groups: the largest groups and those at either extreme of the rate
            # (the Bonferroni level still counts every pair, so this can only miss, never add, a verdict)
            by_rate = sorted(live, key=lambda x: int(getattr(x, num) or 0) / int(getattr(x, den)))
            keep = {id(x) for x in sorted(live, key=lambda x: -x.n)[:30]}
            keep |= {id(x) for x in by_rate[:15] + by_rate[-15:]}
            live = [x for x in live if id(x) in keep]
        best: tuple[Interval, GroupStats, GroupStats] | None = None
        confidence = lv.pair_confidence(pairs)
        for i, a in enumerate(live):
            for b in live[i + 1 :]:
                ra = int(getattr(a, num) or 0) / int(getattr(a, den))
                rb = int(getattr(b, num) or 0) / int(getattr(b, den))
                hi_g, lo_g = (a, b) if ra >= rb else (b, a)
                ci = newcombe_difference(
                    int(getattr(hi_g, num) or 0),
                    int(getattr(hi_g, den)),
                    int(getattr(lo_g, num) or 0),
                    int(getattr(lo_g, den)),
                    confidence,
                )
                if ci.low is not None and (best is None or ci.low > (best[0].low or 0.0)):
                    best = (ci, hi_g, lo_g)
        if best is None or best[0].low is None or best[0].low <= limit:
            return None
        ci, hi_x, lo_x = best
        high, low = hi_x.group, lo_x.group
    else:
        ci = test.difference
        if ci.value is None or ci.value <= limit:
            return None
        high, low = test.high_group, test.low_group
    return (low if th.favourable else high), ci, high, low


def _harm(worse: str, th: FairnessSection) -> str:
    if th.favourable:
        return f"{worse!r} is worse off (it gets the favourable decision {th.decision!r} less often)"
    return f"{worse!r} is worse off (it gets the adverse decision {th.decision!r} more often)"


def _impact_message(
    name: str,
    worse: GroupStats,
    better: GroupStats,
    reference: str | None,
    measured: float,
    ci: Interval,
    lv: _Levels,
    th: FairnessSection,
) -> str:
    sw, sb = _value(worse.selection_rate) or 0.0, _value(better.selection_rate) or 0.0
    times = f"at {sw / sb:.2f}x the rate of" if sb > 0 else "while never given to"
    interval = (
        f"interval {_num(ci.low)} to {_num(ci.high)} at {lv.confidence:.2%}, below {th.four_fifths}"
        if th.require_significance
        else f"below {th.four_fifths}"
    )
    ref = f"reference {reference!r}"
    if th.favourable:
        return (
            f"{name}={worse.group!r} is selected {times} {better.group!r} ({sw:.1%} vs "
            f"{sb:.1%}; {ref}): impact ratio {measured:.2f} ({interval}); {_harm(worse.group, th)}"
        )
    return (
        f"{name}={worse.group!r} gets the adverse decision {th.decision!r} {times} "
        f"{better.group!r} ({sw:.1%} vs {sb:.1%}; {ref}): its rate of being spared it is {measured:.2f}x "
        f"({interval}); {_harm(worse.group, th)}"
    )


def _outcome_interval(og: OutcomeGroup, ref: OutcomeGroup, confidence: float) -> Interval:
    if og.mean is None or ref.mean is None or og.std is None or ref.std is None:
        return og.mean_ratio or Interval(None, None, None)
    _, ratio, _ = welch_test(og.mean, og.std**2, og.n, ref.mean, ref.std**2, ref.n, confidence)
    return ratio


def _outcome_difference(og: OutcomeGroup, ref: OutcomeGroup, confidence: float) -> Interval:
    if og.mean is None or ref.mean is None or og.std is None or ref.std is None:
        return og.mean_difference or Interval(None, None, None)
    difference, _, _ = welch_test(og.mean, og.std**2, og.n, ref.mean, ref.std**2, ref.n, confidence)
    return difference


def _relative_gap(difference: Interval, mean: float, reference_mean: float) -> Interval:
    """A difference of means on the ratio scale: ``1 + d / |reference mean|`` (the ratio itself when both
    means are positive), so that a higher mean is above 1 whatever the signs. With a reference mean of zero
    the group mean's magnitude is the scale; with both zero there is no gap."""
    scale = abs(reference_mean) or abs(mean)
    if scale == 0 or difference.value is None:
        return Interval(None, None, None)

    def rel(x: float | None) -> float | None:
        return None if x is None else 1 + x / scale

    return Interval(rel(difference.value), rel(difference.low), rel(difference.high))


def _scale_words(reference_mean: float) -> str:
    """How :func:`_relative_gap` scaled a difference, for a message."""
    if reference_mean:
        return "on the ratio scale, 1 + difference / |reference mean|"
    return "on the ratio scale, 1 + difference / |group mean|, the reference mean being 0"


def _widen_linear(iv: Interval, conf_from: float, conf_to: float) -> Interval:
    """A symmetric interval recomputed at another confidence level."""
    if iv.value is None or iv.low is None or iv.high is None:
        return iv
    half = (iv.high - iv.low) / 2 * z_value(conf_to) / z_value(conf_from)
    return Interval(iv.value, iv.value - half, iv.value + half)


def _outcome_side(iv: Interval, outcome: str, q: float | None, th: FairnessSection) -> str | None:
    """Which side a mean-outcome ratio (group / reference) leaves worse off, if beyond the tolerance."""
    bounds = _verdict_bounds(iv, q, th)
    if bounds is None:
        return None
    lo, hi, _ = bounds
    tol = th.outcome_tolerance
    higher, lower = lo > 1 + tol, hi < 1 - tol
    if not (higher or lower):
        return None
    if th.better_outcome.get(outcome, "lower") == "lower":
        return "group" if higher else "reference"
    return "group" if lower else "reference"


def _outcome_direction(outcome: str, th: FairnessSection) -> str:
    return f"{th.better_outcome.get(outcome, 'lower')} {outcome} is better"


def _verdicts(
    audit: FairnessAudit, section: FairnessSection, policy: Policy | None, lv: _Levels
) -> list[Finding]:
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
        groups_by_name = {x.group: x for x in g.groups}
        ref_worse: list[tuple[GroupStats, float, Interval, float | None]] = []
        for x in g.groups:
            if x.suppressed or x.group == g.reference or x.p_value is None:
                continue
            ref_stats = groups_by_name.get(g.reference or "")
            assert ref_stats is not None
            verdict = _impact_verdict(x, ref_stats, lv, th)
            if verdict is None:
                continue
            side, measured, ci = verdict
            if side == "reference":
                ref_worse.append((x, measured, ci, x.q_value))
                continue
            out.append(
                codes.DisparateImpact.finding(
                    _impact_message(g.name, x, ref_stats, g.reference, measured, ci, lv, th),
                    evidence={
                        "grouping": g.name,
                        "group": x.group,
                        "reference": g.reference,
                        "worse_off": x.group,
                        "decision": th.decision,
                        "favourable": th.favourable,
                        "selection_rate": _value(x.selection_rate),
                        "selection_rate_compared": _value(ref_stats.selection_rate),
                        "measured": measured,
                        "threshold": th.four_fifths,
                        "ci": ci.to_dict(),
                        "ci_level": lv.confidence,
                        "q_value": x.q_value,
                    },
                    severity=sev(codes.DisparateImpact),
                )
            )
        if ref_worse:
            # the reference itself is worse off than one or more groups: one finding, the starkest first
            ref_worse.sort(key=lambda t: (t[1], t[0].group))
            ref_stats = groups_by_name[g.reference or ""]
            best, measured, ci, q = ref_worse[0]
            others = ", ".join(f"{t[0].group!r} ({t[1]:.2f})" for t in ref_worse[1:6]) + (
                f" and {len(ref_worse) - 6} more" if len(ref_worse) > 6 else ""
            )
            message = _impact_message(g.name, ref_stats, best, g.reference, measured, ci, lv, th)
            if others:
                message += f"; also against {others}"
            out.append(
                codes.DisparateImpact.finding(
                    message,
                    evidence={
                        "grouping": g.name,
                        "group": best.group,
                        "reference": g.reference,
                        "worse_off": ref_stats.group,
                        "decision": th.decision,
                        "favourable": th.favourable,
                        "selection_rate": _value(ref_stats.selection_rate),
                        "selection_rate_compared": _value(best.selection_rate),
                        "measured": measured,
                        "threshold": th.four_fifths,
                        "ci": ci.to_dict(),
                        "ci_level": lv.confidence,
                        "q_value": q,
                        "better_off": [
                            {"group": t[0].group, "measured": t[1], "ci": t[2].to_dict(), "q_value": t[3]}
                            for t in ref_worse
                        ],
                    },
                    severity=sev(codes.DisparateImpact),
                )
            )
        pairs = _pairs(g)
        st = g.selection_test
        if st is not None and g.demographic_parity_difference is not None:
            dp = _pair_verdict(g, st, "selected", "n", th.max_dp_difference, pairs, lv, th)
            if dp is not None:
                worse_name, ci, high, low = dp
                out.append(
                    codes.DemographicParityGap.finding(
                        f"selection rates across {g.name!r} differ by up to "
                        f"{g.demographic_parity_difference:.3f}; {high!r} vs {low!r}: "
                        f"{_num(ci.value)} (interval {_num(ci.low)} to "
                        f"{_num(ci.high)} at {lv.pair_confidence(pairs):.2%}, above the limit "
                        f"{th.max_dp_difference}); {_harm(worse_name, th)}",
                        evidence={
                            "grouping": g.name,
                            "measured": g.demographic_parity_difference,
                            "threshold": th.max_dp_difference,
                            "high_group": high,
                            "low_group": low,
                            "difference": ci.value,
                            "worse_off": worse_name,
                            "favourable": th.favourable,
                            "ci": ci.to_dict(),
                            "ci_level": lv.pair_confidence(pairs),
                            "q_value": st.q_value,
                        },
                        severity=sev(codes.DemographicParityGap),
                    )
                )
        tt, ft = g.tpr_test, g.fpr_test
        # equal opportunity: the error that harms. A favourable decision withheld from people who would
        # qualify (true-positive rate); an adverse decision imposed on people who did nothing to earn it
        # (false-positive rate).
        eo_test, eo_diff, eo_what = (
            (tt, g.equal_opportunity_difference, "true-positive")
            if th.favourable
            else (ft, g.fpr_difference, "false-positive")
        )
        if eo_test is not None and eo_diff is not None:
            num, den = ("true_positives", "positives") if th.favourable else ("false_positives", "negatives")
            eo = _pair_verdict(g, eo_test, num, den, th.max_eo_difference, pairs, lv, th)
            if eo is not None:
                worse_name, ci, high, low = eo
                out.append(
                    codes.EqualOpportunityGap.finding(
                        f"{eo_what} rates across {g.name!r} differ by up to {eo_diff:.3f}; "
                        f"{high!r} vs {low!r}: {_num(ci.value)} (interval {_num(ci.low)} to "
                        f"{_num(ci.high)} at {lv.pair_confidence(pairs):.2%}, above the limit "
                        f"{th.max_eo_difference}); {_harm(worse_name, th)}",
                        evidence={
                            "grouping": g.name,
                            "metric": "tpr" if th.favourable else "fpr",
                            "measured": eo_diff,
                            "threshold": th.max_eo_difference,
                            "high_group": high,
                            "low_group": low,
                            "difference": ci.value,
                            "worse_off": worse_name,
                            "favourable": th.favourable,
                            "ci": ci.to_dict(),
                            "ci_level": lv.pair_confidence(pairs),
                            "q_value": eo_test.q_value,
                        },
                        severity=sev(codes.EqualOpportunityGap),
                    )
                )
        if g.equalized_odds_difference is not None:
            found: list[tuple[PairTest, tuple[str, Interval, str, str]]] = []
            for test, num, den in ((tt, "true_positives", "positives"), (ft, "false_positives", "negatives")):
                if test is None:
                    continue
                res = _pair_verdict(g, test, num, den, th.max_eo_difference, pairs, lv, th)
                if res is not None:
                    found.append((test, res))
            if found:
                worst, (worse_name, ci, high, low) = max(found, key=lambda t: t[1][1].low or 0.0)
                out.append(
                    codes.EqualizedOddsGap.finding(
                        f"equalized-odds difference across {g.name!r} is {g.equalized_odds_difference:.3f} "
                        f"(worst: {worst.metric}, {high!r} vs {low!r}: {_num(ci.value)}, interval "
                        f"{_num(ci.low)} to {_num(ci.high)} at {lv.pair_confidence(pairs):.2%}, above the "
                        f"limit {th.max_eo_difference}); {_harm(worse_name, th)}",
                        evidence={
                            "grouping": g.name,
                            "measured": g.equalized_odds_difference,
                            "threshold": th.max_eo_difference,
                            "component": worst.metric,
                            "high_group": high,
                            "low_group": low,
                            "difference": ci.value,
                            "worse_off": worse_name,
                            "favourable": th.favourable,
                            "ci": ci.to_dict(),
                            "ci_level": lv.pair_confidence(pairs),
                            "q_value": worst.q_value,
                        },
                        severity=sev(codes.EqualizedOddsGap),
                    )
                )
    for c in audit.conditional:
        for p in c.pooled:
            if p.rate_ratio.value is None:
                continue
            wide = _widen_log(p.rate_ratio, th.confidence, lv.confidence)
            verdict = _ratio_verdict(wide, th.four_fifths, p.q_value, th)
            if verdict is None:
                continue
            side, measured, ci = verdict
            worse_name = p.group if side == "group" else str(c.reference)
            other = str(c.reference) if side == "group" else p.group
            rate_word = "selected" if th.favourable else f"spared {th.decision!r}"
            out.append(
                codes.ConditionalDisparity.finding(
                    f"within strata of {', '.join(c.controls)}, {c.attribute}={worse_name!r} is {rate_word} at "
                    f"{measured:.2f}x the rate of {other!r} (Mantel-Haenszel; interval {_num(ci.low)} to "
                    f"{_num(ci.high)} at {lv.confidence:.2%}, below {th.four_fifths}); "
                    f"{_harm(worse_name, th)}",
                    evidence={
                        "attribute": c.attribute,
                        "group": p.group,
                        "reference": c.reference,
                        "worse_off": worse_name,
                        "favourable": th.favourable,
                        "measured": measured,
                        "threshold": th.four_fifths,
                        "ci": ci.to_dict(),
                        "ci_level": lv.confidence,
                        "strata": p.strata_used,
                        "q_value": p.q_value,
                    },
                    severity=sev(codes.ConditionalDisparity),
                )
            )
        for po in c.outcomes:
            if po.group_mean is None or po.reference_mean is None:
                continue
            on_ratio = po.group_mean > 0 and po.reference_mean > 0
            if on_ratio:
                if po.standardized_ratio.value is None:
                    continue
                wide = _widen_log(po.standardized_ratio, th.confidence, lv.confidence)
            else:
                # a standardised mean at or below zero: the pooled difference decides, relative to the
                # reference's magnitude (a ratio of means says nothing then; see the outcomes below)
                wide = _relative_gap(
                    _widen_linear(po.pooled_difference, th.confidence, lv.confidence),
                    po.group_mean,
                    po.reference_mean,
                )
            side_o = _outcome_side(wide, po.outcome, po.q_value, th)
            if side_o is None or wide.value is None:
                continue
            worse_name = po.group if side_o == "group" else str(c.reference)
            ratio = wide.value
            if on_ratio:
                gap = f"is {ratio:.3f}x that of {c.reference!r} (standardised"
            else:
                d = po.pooled_difference
                gap = (
                    f"is {_num(po.group_mean)} vs {_num(po.reference_mean)} for {c.reference!r} (standardised; "
                    f"pooled difference {_num(d.value)}; {_scale_words(po.reference_mean)}"
                )
            out.append(
                codes.ConditionalDisparity.finding(
                    f"within strata of {', '.join(c.controls)}, mean {po.outcome} for {c.attribute}="
                    f"{po.group!r} {gap}; interval "
                    f"{_num(wide.low)} to {_num(wide.high)} at {lv.confidence:.2%}; tolerance "
                    f"±{th.outcome_tolerance:.0%}); {worse_name!r} is worse off "
                    f"({_outcome_direction(po.outcome, th)})",
                    evidence={
                        "attribute": c.attribute,
                        "outcome": po.outcome,
                        "group": po.group,
                        "reference": c.reference,
                        "worse_off": worse_name,
                        "better_outcome": th.better_outcome.get(po.outcome, "lower"),
                        "measured": ratio,
                        "measure": "ratio" if on_ratio else "relative difference",
                        "threshold": th.outcome_tolerance,
                        "ci": wide.to_dict(),
                        "ci_level": lv.confidence,
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
        ref_og = next((o for o in rep.groups if o.group == rep.reference), None)
        for og in rep.groups:
            if ref_og is None or og is ref_og or og.mean is None or ref_og.mean is None:
                continue
            on_ratio = og.mean > 0 and ref_og.mean > 0
            difference: Interval | None = None
            if on_ratio:
                if og.mean_ratio is None or og.mean_ratio.value is None:
                    continue
                wide = (
                    _outcome_interval(og, ref_og, lv.confidence) if th.require_significance else og.mean_ratio
                )
            else:
                # a mean at or below zero: a ratio of means says nothing (-20 / -10 = 2 for the lower mean),
                # so the difference decides, relative to the reference mean's magnitude
                if og.mean_difference is None or og.mean_difference.value is None:
                    continue
                difference = (
                    _outcome_difference(og, ref_og, lv.confidence)
                    if th.require_significance
                    else og.mean_difference
                )
                wide = _relative_gap(difference, og.mean, ref_og.mean)
            side_o = _outcome_side(wide, rep.outcome, og.q_value, th)
            if side_o is None:
                continue
            worse_name = og.group if side_o == "group" else str(rep.reference)
            if difference is None:
                assert og.mean_ratio is not None and og.mean_ratio.value is not None
                r = og.mean_ratio.value
                gap = (
                    f"is {r:.3f}x that of reference {rep.reference!r} ({_num(og.mean)} vs {_num(ref_og.mean)}"
                )
            else:
                r = wide.value or 0.0
                gap = (
                    f"is {_num(og.mean)} vs {_num(ref_og.mean)} for reference {rep.reference!r} (difference "
                    f"{_num(difference.value)}, {_num(difference.low)} to {_num(difference.high)}; "
                    f"{_scale_words(ref_og.mean)}"
                )
            out.append(
                codes.OutcomeDisparity.finding(
                    f"mean {rep.outcome} for {rep.grouping}={og.group!r} {gap}; interval {_num(wide.low)} to "
                    f"{_num(wide.high)} at {lv.confidence:.2%}; tolerance ±{th.outcome_tolerance:.0%}); "
                    f"{worse_name!r} is worse off ({_outcome_direction(rep.outcome, th)})",
                    evidence={
                        "outcome": rep.outcome,
                        "grouping": rep.grouping,
                        "group": og.group,
                        "reference": rep.reference,
                        "worse_off": worse_name,
                        "better_outcome": th.better_outcome.get(rep.outcome, "lower"),
                        "measured": r,
                        "measure": "ratio" if difference is None else "relative difference",
                        "threshold": th.outcome_tolerance,
                        "mean": og.mean,
                        "reference_mean": ref_og.mean,
                        "difference": None if difference is None else difference.to_dict(),
                        "ci": wide.to_dict(),
                        "ci_level": lv.confidence,
                        "median_ratio": og.median_ratio.to_dict() if og.median_ratio else None,
                        "q_value": og.q_value,
                    },
                    severity=sev(codes.OutcomeDisparity),
                )
            )
    for s in audit.skew:
        if s.share_within is not None and s.share_within < th.min_share_within:
            off = sorted(
                (a for a in s.per_ad if a.tvd is not None and a.tvd > s.tolerance + 1e-12),
                key=lambda a: (-(a.tvd or 0.0), a.ad),
            )
            how = "under-shown" if th.favourable else "over-shown"
            listed = "; ".join(
                f"{a.ad} (TVD {a.tvd:.3f}, {a.under_shown!r} {how}: {a.under_shown_share:.0%} of "
                f"impressions vs {a.under_shown_eligible_share:.0%} of the eligible)"
                for a in off[:5]
            ) + (f"; and {len(off) - 5} more" if len(off) > 5 else "")
            out.append(
                codes.DeliverySkew.finding(
                    f"only {s.share_within:.0%} of {s.measured} ads reach their eligible audience within "
                    f"a TVD of {s.tolerance} for {s.attribute!r} (required {th.min_share_within:.0%}); "
                    f"out of tolerance: {listed}",
                    evidence={
                        "attribute": s.attribute,
                        "measured": s.share_within,
                        "threshold": th.min_share_within,
                        "tolerance": s.tolerance,
                        "ads": s.measured,
                        "median_tvd": s.median_tvd,
                        "out_of_tolerance": [
                            {
                                "ad": a.ad,
                                "tvd": a.tvd,
                                "worse_off": a.under_shown,
                                "under_shown" if th.favourable else "over_shown": a.under_shown,
                                "shown_share": a.under_shown_share,
                                "eligible_share": a.under_shown_eligible_share,
                            }
                            for a in off
                        ],
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
