"""Group metrics rolled up from the backend's aggregate cube (one row per cell of protected x control values).

Counts are exact integers, so every rate here is the same number a row-level tool computes: Fairlearn's
``selection_rate``, ``true_positive_rate``, ``false_positive_rate``, ``demographic_parity_difference`` and
the rest are reproduced to floating-point rounding.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd
from scipy import stats as _st

from brandrail.fairness.result import (
    ConditionalReport,
    GroupingReport,
    GroupStats,
    PairTest,
    PooledComparison,
    PooledOutcome,
    StratumReport,
)
from brandrail.fairness.source import MISSING
from brandrail.fairness.stats import (
    Interval,
    katz_ratio,
    mantel_haenszel_rr,
    newcombe_difference,
    two_proportion_test,
    wilson,
    z_value,
)
from brandrail.policy.sections.fairness import FairnessSection

__all__ = [
    "COUNT_COLUMNS",
    "build_conditional",
    "build_conditional_outcomes",
    "build_grouping",
    "combine_moments",
    "favourable_count",
    "group_label",
    "grouping_name",
    "largest_group",
    "rollup",
]

COUNT_COLUMNS = ["n", "sel", "pos", "tp", "fp"]
JOIN = " & "


def grouping_name(attributes: Sequence[str]) -> str:
    return JOIN.join(attributes)


def group_label(values: Sequence[Any]) -> str:
    return JOIN.join(str(v) for v in values)


def rollup(cube: pd.DataFrame, keys: Sequence[str], columns: Sequence[str] = COUNT_COLUMNS) -> pd.DataFrame:
    """Sum the cube's count columns over every key not in ``keys`` (sorted by key)."""
    return cube.groupby(list(keys), sort=True, dropna=False)[list(columns)].sum().reset_index()


def _rates(row: Any, section: FairnessSection, has_label: bool, suppressed: bool) -> dict[str, Any]:
    conf = section.confidence
    n, sel = int(row["n"]), int(row["sel"])
    out: dict[str, Any] = {"n": n, "selected": sel, "suppressed": suppressed}
    out["selection_rate"] = None if suppressed else wilson(sel, n, conf)
    if has_label:
        pos, tp, fp = int(row["pos"]), int(row["tp"]), int(row["fp"])
        neg = n - pos
        out.update(positives=pos, negatives=neg, true_positives=tp, false_positives=fp)
        if not suppressed:
            out["tpr"] = wilson(tp, pos, conf) if pos > 0 else None
            out["fpr"] = wilson(fp, neg, conf) if neg > 0 else None
            out["precision"] = wilson(tp, sel, conf) if sel > 0 else None
    return out


def _groups(
    counts: pd.DataFrame, attrs: Sequence[str], section: FairnessSection, has_label: bool
) -> list[GroupStats]:
    groups = []
    for _, row in counts.iterrows():
        values = {a: str(row[a]) for a in attrs}
        suppressed = int(row["n"]) < section.min_cell
        groups.append(
            GroupStats(
                group=group_label(list(values.values())),
                values=values,
                **_rates(row, section, has_label, suppressed),
            )
        )
    return groups


def _value(iv: Interval | None) -> float | None:
    return None if iv is None else iv.value


def _pick_reference(groups: list[GroupStats], name: str, section: FairnessSection) -> GroupStats | None:
    live = [g for g in groups if not g.suppressed]
    if not live:
        return None
    ref = section.reference
    if isinstance(ref, dict):
        wanted = ref.get(name)
        if wanted is not None:
            for g in live:
                if g.group == wanted:
                    return g
            from brandrail.errors import DataError

            known = ", ".join(g.group for g in groups)
            raise DataError(
                f"reference group {wanted!r} for {name!r} is not among the reported groups ({known})",
                hint="check fairness.reference, or lower fairness.min_cell if the group is suppressed",
            )
    if ref == "most-favoured":
        sign = 1.0 if section.favourable else -1.0
        return max(live, key=lambda g: (sign * (_value(g.selection_rate) or 0.0), g.n))
    return largest_group(live)


def largest_group(groups: Sequence[GroupStats]) -> GroupStats:
    """The group with the most rows (ties: the first name in sort order): a stable reference. Groups made
    of missing protected values are not chosen while another group is reported."""
    known = [g for g in groups if MISSING not in g.values.values()] or list(groups)
    return min(known, key=lambda g: (-g.n, g.group))


def favourable_count(selected: int, n: int, section: FairnessSection) -> int:
    """How many of ``n`` rows got the favourable outcome: selected ones, or for adverse decisions the rest."""
    return selected if section.favourable else n - selected


def _spread(
    groups: list[GroupStats], metric: str, num: str, den: str, section: FairnessSection
) -> tuple[float | None, float | None, PairTest | None]:
    """Max - min and min / max of a rate over reported groups, with the test of the extreme pair."""
    live = [(g, getattr(g, metric)) for g in groups if not g.suppressed and getattr(g, metric) is not None]
    if len(live) < 2:
        return None, None, None
    hi_g, hi = max(live, key=lambda t: (t[1].value, t[0].group))
    lo_g, lo = min(live, key=lambda t: (t[1].value, t[0].group))
    diff = hi.value - lo.value
    ratio = lo.value / hi.value if hi.value > 0 else None
    x1, n1 = _count(hi_g, num), _count(hi_g, den)
    x2, n2 = _count(lo_g, num), _count(lo_g, den)
    test = PairTest(
        metric=metric,
        high_group=hi_g.group,
        low_group=lo_g.group,
        difference=newcombe_difference(x1, n1, x2, n2, section.confidence),
        ratio=katz_ratio(x2, n2, x1, n1, section.confidence),
        p_value=two_proportion_test(x1, n1, x2, n2),
    )
    return diff, ratio, test


def _count(g: GroupStats, what: str) -> int:
    return int(getattr(g, what) or 0)


def _parity(groups: list[GroupStats], section: FairnessSection, has_label: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    dp_d, dp_r, sel_test = _spread(groups, "selection_rate", "selected", "n", section)
    out.update(demographic_parity_difference=dp_d, demographic_parity_ratio=dp_r, selection_test=sel_test)
    if has_label:
        tpr_d, tpr_r, tpr_test = _spread(groups, "tpr", "true_positives", "positives", section)
        fpr_d, fpr_r, fpr_test = _spread(groups, "fpr", "false_positives", "negatives", section)
        diffs = [d for d in (tpr_d, fpr_d) if d is not None]
        ratios = [r for r in (tpr_r, fpr_r) if r is not None]
        out.update(
            fpr_difference=fpr_d,
            equal_opportunity_difference=tpr_d,
            equal_opportunity_ratio=tpr_r,
            equalized_odds_difference=max(diffs) if len(diffs) == 2 else None,
            equalized_odds_ratio=min(ratios) if len(ratios) == 2 else None,
            tpr_test=tpr_test,
            fpr_test=fpr_test,
        )
    return out


def build_grouping(
    cube: pd.DataFrame, attrs: Sequence[str], section: FairnessSection, has_label: bool
) -> GroupingReport:
    """Per-group rates, comparisons with the reference group and parity metrics for ``attrs``."""
    counts = rollup(cube, attrs)
    counts = counts[counts["n"] > 0]
    name = grouping_name(attrs)
    groups = _groups(counts, attrs, section, has_label)
    ref = _pick_reference(groups, name, section)
    if ref is not None:
        for g in groups:
            if g.suppressed or g is ref:
                continue
            g.rate_difference = newcombe_difference(g.selected, g.n, ref.selected, ref.n, section.confidence)
            g.rate_ratio = katz_ratio(g.selected, g.n, ref.selected, ref.n, section.confidence)
            g.impact_ratio = katz_ratio(
                favourable_count(g.selected, g.n, section),
                g.n,
                favourable_count(ref.selected, ref.n, section),
                ref.n,
                section.confidence,
            )
            g.p_value = two_proportion_test(g.selected, g.n, ref.selected, ref.n)
    return GroupingReport(
        name=name,
        attributes=list(attrs),
        reference=ref.group if ref else None,
        groups=groups,
        suppressed=[g.group for g in groups if g.suppressed],
        **_parity(groups, section, has_label),
    )


def build_conditional(
    cube: pd.DataFrame,
    attr: str,
    reference: str | None,
    section: FairnessSection,
    has_label: bool,
) -> ConditionalReport:
    """Parity of ``attr`` within each stratum of the controls, and Mantel-Haenszel pooled ratios."""
    controls = list(section.controls)
    counts = rollup(cube, [*controls, attr])
    all_groups = sorted(str(v) for v in counts.loc[counts["n"] > 0, attr].unique())
    strata: list[StratumReport] = []
    pooled_cells: dict[str, list[tuple[float, float, float, float]]] = {}
    weighted = 0.0
    total = 0
    worst: float | None = None
    for key, part in counts.groupby(controls, sort=True):
        key_t = key if isinstance(key, tuple) else (key,)
        part = part[part["n"] > 0]
        groups = _groups(part, [attr], section, has_label)
        present = {g.group for g in groups}
        parity = _parity(groups, section, has_label)
        parity.pop("selection_test", None)
        parity.pop("tpr_test", None)
        parity.pop("fpr_test", None)
        parity.pop("fpr_difference", None)
        n = int(part["n"].sum())
        stratum = StratumReport(
            stratum={c: str(v) for c, v in zip(controls, key_t, strict=True)},
            n=n,
            groups=groups,
            absent=[g for g in all_groups if g not in present],
            **parity,
        )
        strata.append(stratum)
        if stratum.demographic_parity_difference is not None:
            weighted += n * stratum.demographic_parity_difference
            total += n
            worst = max(worst or 0.0, stratum.demographic_parity_difference)
        ref = next((g for g in groups if g.group == reference and not g.suppressed), None)
        if ref is None:
            continue
        for g in groups:
            if g is ref or g.suppressed:
                continue
            pooled_cells.setdefault(g.group, []).append(
                (
                    favourable_count(g.selected, g.n, section),
                    g.n,
                    favourable_count(ref.selected, ref.n, section),
                    ref.n,
                )
            )
    pooled = []
    for group in sorted(pooled_cells):
        rr, p = mantel_haenszel_rr(pooled_cells[group], section.confidence)
        comparison = PooledComparison(
            group=group, rate_ratio=rr, strata_used=len(pooled_cells[group]), p_value=p
        )
        comparison._cells = list(pooled_cells[group])
        pooled.append(comparison)
    return ConditionalReport(
        attribute=attr,
        controls=controls,
        reference=reference,
        strata=strata,
        pooled=pooled,
        weighted_dp_difference=weighted / total if total else None,
        max_dp_difference=worst,
    )


Moments = tuple[int, float | None, float | None]


def combine_moments(cube: pd.DataFrame, keys: Sequence[str], i: int) -> dict[tuple[str, ...], Moments]:
    """Count, mean and sample variance of outcome ``i`` per combination of ``keys``, from per-cell
    (count, mean, population variance) by the parallel formula of Chan, Golub & LeVeque (1979)."""
    cols = [f"o{i}_n", f"o{i}_mean", f"o{i}_var"]
    part = cube[[*keys, *cols]].copy()
    part[cols] = part[cols].apply(pd.to_numeric).fillna(0.0)
    part["s"] = part[cols[0]] * part[cols[1]]
    out: dict[tuple[str, ...], Moments] = {}
    for key, rows in part.groupby(list(keys), sort=True):
        key_t = tuple(str(k) for k in (key if isinstance(key, tuple) else (key,)))
        n = float(rows[cols[0]].sum())
        if n <= 0:
            out[key_t] = (0, None, None)
            continue
        mean = float(rows["s"].sum() / n)
        m2 = float((rows[cols[0]] * (rows[cols[2]] + (rows[cols[1]] - mean) ** 2)).sum())
        out[key_t] = (int(n), mean, m2 / (n - 1) if n > 1 else None)
    return out


def build_conditional_outcomes(
    cube: pd.DataFrame, i: int, outcome: str, attr: str, reference: str | None, section: FairnessSection
) -> list[PooledOutcome]:
    """Each group's outcome vs the reference within strata of the controls, pooled over strata."""
    if reference is None:
        return []
    controls = list(section.controls)
    moments = combine_moments(cube, [*controls, attr], i)
    strata: dict[tuple[str, ...], dict[str, Moments]] = {}
    for key, m in moments.items():
        strata.setdefault(key[:-1], {})[key[-1]] = m
    groups = sorted({k[-1] for k in moments} - {reference})
    z = z_value(section.confidence)
    result = []
    for group in groups:
        w_sum = wd_sum = 0.0
        a = b = var_a = var_b = total_n = 0.0
        used = 0
        for cells in strata.values():
            g, r = cells.get(group), cells.get(reference)
            if g is None or r is None:
                continue
            (ng, mg, vg), (nr, mr, vr) = g, r
            if ng < max(section.min_cell, 2) or nr < max(section.min_cell, 2) or mg is None or mr is None:
                continue
            if vg is None or vr is None:
                continue
            used += 1
            big_n = ng + nr
            total_n += big_n
            a += big_n * mg
            b += big_n * mr
            var_a += big_n * big_n * vg / ng
            var_b += big_n * big_n * vr / nr
            se2 = vg / ng + vr / nr
            if se2 > 0:
                w_sum += 1 / se2
                wd_sum += (mg - mr) / se2
        if used == 0:
            continue
        if w_sum > 0:
            d = wd_sum / w_sum
            se = 1 / math.sqrt(w_sum)
            diff = Interval(d, d - z * se, d + z * se)
            p: float | None = float(2 * _st.norm.sf(abs(d) / se))
        else:
            diff, p = Interval(None, None, None), None
        if a > 0 and b > 0:
            ratio = a / b
            se_log = math.sqrt(var_a / (a * a) + var_b / (b * b))
            std_ratio = Interval(ratio, ratio * math.exp(-z * se_log), ratio * math.exp(z * se_log))
        else:
            std_ratio = Interval(a / b if b else None, None, None)
        result.append(
            PooledOutcome(
                outcome=outcome,
                group=group,
                strata_used=used,
                pooled_difference=diff,
                standardized_ratio=std_ratio,
                p_value=p,
                group_mean=a / total_n,
                reference_mean=b / total_n,
            )
        )
    return result
