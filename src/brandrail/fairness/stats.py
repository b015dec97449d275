"""Interval estimates and tests used by the fairness audit, all computed from counts and sums.

* Wilson score interval for a proportion (Wilson 1927).
* Newcombe's hybrid score interval for a difference of proportions (Newcombe 1998, method 10).
* Katz log interval for a ratio of proportions (Katz et al. 1978).
* Two-proportion z-test (pooled), Welch's t-test from means and variances.
* Benjamini-Hochberg step-up adjustment (Benjamini & Hochberg 1995).
* Mantel-Haenszel pooled risk ratio with the Greenland-Robins variance (1985).
* Cramér's V and normalised mutual information of a contingency table.
* Medians and Poisson-bootstrap intervals from a value histogram (Hanley & MacGibbon 2006): the sum of
  c independent Poisson(1) weights is Poisson(c), so resampling a histogram bin by bin is exact.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
from numpy.typing import NDArray
from scipy import stats as _st

__all__ = [
    "Interval",
    "benjamini_hochberg",
    "cramers_v",
    "histogram_median",
    "katz_ratio",
    "mantel_haenszel_rr",
    "newcombe_difference",
    "normalized_mutual_info",
    "poisson_bootstrap_medians",
    "two_proportion_test",
    "welch_test",
    "wilson",
    "z_value",
]


@dataclass(frozen=True, slots=True)
class Interval:
    """An estimate with its confidence interval (``None`` where undefined)."""

    value: float | None
    low: float | None
    high: float | None

    def to_dict(self) -> dict[str, float | None]:
        return {"value": self.value, "low": self.low, "high": self.high}


@cache
def z_value(confidence: float) -> float:
    """Two-sided normal quantile for ``confidence`` (0.95 → 1.95996…)."""
    return float(_st.norm.ppf(0.5 + confidence / 2))


def wilson(x: float, n: float, confidence: float = 0.95) -> Interval:
    """Wilson score interval for ``x`` successes out of ``n``."""
    if n <= 0:
        return Interval(None, None, None)
    z = z_value(confidence)
    p = x / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return Interval(p, max(0.0, centre - half), min(1.0, centre + half))


def newcombe_difference(x1: float, n1: float, x2: float, n2: float, confidence: float = 0.95) -> Interval:
    """Newcombe's hybrid score interval for p1 - p2."""
    if n1 <= 0 or n2 <= 0:
        return Interval(None, None, None)
    a, b = wilson(x1, n1, confidence), wilson(x2, n2, confidence)
    assert a.value is not None and a.low is not None and a.high is not None
    assert b.value is not None and b.low is not None and b.high is not None
    d = a.value - b.value
    low = d - math.sqrt((a.value - a.low) ** 2 + (b.high - b.value) ** 2)
    high = d + math.sqrt((a.high - a.value) ** 2 + (b.value - b.low) ** 2)
    return Interval(d, low, high)


def katz_ratio(x1: float, n1: float, x2: float, n2: float, confidence: float = 0.95) -> Interval:
    """Ratio p1 / p2 with the Katz log interval (0.5 added to zero counts for the interval only)."""
    if n1 <= 0 or n2 <= 0 or x2 <= 0:
        return Interval(None, None, None)
    r = (x1 / n1) / (x2 / n2)
    a, c = (x1, x2) if x1 > 0 else (x1 + 0.5, x2 + 0.5)
    n1c, n2c = (n1, n2) if x1 > 0 else (n1 + 0.5, n2 + 0.5)
    if a >= n1c or c >= n2c:
        se = math.sqrt(max(1 / a - 1 / n1c + 1 / c - 1 / n2c, 0.0))
    else:
        se = math.sqrt(1 / a - 1 / n1c + 1 / c - 1 / n2c)
    z = z_value(confidence)
    centre = math.log((a / n1c) / (c / n2c))
    return Interval(r, math.exp(centre - z * se), math.exp(centre + z * se))


def two_proportion_test(x1: float, n1: float, x2: float, n2: float) -> float | None:
    """Two-sided p-value of the pooled two-proportion z-test (None when undefined)."""
    if n1 <= 0 or n2 <= 0:
        return None
    p = (x1 + x2) / (n1 + n2)
    var = p * (1 - p) * (1 / n1 + 1 / n2)
    if var <= 0:
        return 1.0
    z = (x1 / n1 - x2 / n2) / math.sqrt(var)
    return float(2 * _st.norm.sf(abs(z)))


def welch_test(
    m1: float, v1: float, n1: float, m2: float, v2: float, n2: float, confidence: float = 0.95
) -> tuple[Interval, Interval, float | None]:
    """Welch's t-test of two means from (mean, sample variance, n).

    Returns (difference m1 - m2 with CI, ratio m1 / m2 with a delta-method log CI, two-sided p).
    """
    if n1 < 2 or n2 < 2:
        return Interval(m1 - m2, None, None), Interval(m1 / m2 if m2 else None, None, None), None
    s1, s2 = v1 / n1, v2 / n2
    se = math.sqrt(s1 + s2)
    diff = m1 - m2
    ratio = m1 / m2 if m2 else None
    if se == 0:
        p = 1.0 if diff == 0 else 0.0
        return Interval(diff, diff, diff), Interval(ratio, ratio, ratio), p
    df = (s1 + s2) ** 2 / (s1 * s1 / (n1 - 1) + s2 * s2 / (n2 - 1))
    t = diff / se
    p = float(2 * _st.t.sf(abs(t), df))
    q = float(_st.t.ppf(0.5 + confidence / 2, df))
    diff_ci = Interval(diff, diff - q * se, diff + q * se)
    if ratio is not None and ratio > 0 and m1 > 0 and m2 > 0:
        se_log = math.sqrt(s1 / (m1 * m1) + s2 / (m2 * m2))
        ratio_ci = Interval(ratio, ratio * math.exp(-q * se_log), ratio * math.exp(q * se_log))
    else:
        ratio_ci = Interval(ratio, None, None)
    return diff_ci, ratio_ci, p


def benjamini_hochberg(pvalues: Sequence[float | None]) -> list[float | None]:
    """Benjamini-Hochberg adjusted p-values (q-values), same order; ``None`` entries stay ``None``."""
    idx = [i for i, p in enumerate(pvalues) if p is not None]
    out: list[float | None] = [None] * len(pvalues)
    if not idx:
        return out
    p = np.array([pvalues[i] for i in idx], dtype=float)
    m = len(p)
    order = np.argsort(p)
    ranked = p[order] * m / np.arange(1, m + 1)
    adjusted = np.minimum.accumulate(ranked[::-1])[::-1]
    adjusted = np.minimum(adjusted, 1.0)
    result = np.empty(m)
    result[order] = adjusted
    for j, i in enumerate(idx):
        out[i] = float(result[j])
    return out


def mantel_haenszel_rr(
    strata: Sequence[tuple[float, float, float, float]], confidence: float = 0.95
) -> tuple[Interval, float | None]:
    """Pooled risk ratio over strata of (x1, n1, x0, n0), with the Greenland-Robins log CI and a p-value."""
    num = den = var_num = 0.0
    for x1, n1, x0, n0 in strata:
        total = n1 + n0
        if n1 <= 0 or n0 <= 0:
            continue
        num += x1 * n0 / total
        den += x0 * n1 / total
        var_num += (n1 * n0 * (x1 + x0) - x1 * x0 * total) / (total * total)
    if num <= 0 or den <= 0:
        return Interval(None if den <= 0 else 0.0, None, None), None
    rr = num / den
    se = math.sqrt(var_num / (num * den))
    if se == 0:
        return Interval(rr, rr, rr), 1.0 if rr == 1 else 0.0
    z = z_value(confidence)
    p = float(2 * _st.norm.sf(abs(math.log(rr)) / se))
    return Interval(rr, rr * math.exp(-z * se), rr * math.exp(z * se)), p


def cramers_v(table: NDArray[np.float64]) -> float:
    """Cramér's V of a contingency table (no bias correction; rows/columns that are all zero dropped)."""
    t = np.asarray(table, dtype=float)
    t = t[t.sum(axis=1) > 0][:, t.sum(axis=0) > 0]
    n = t.sum()
    k = min(t.shape) - 1
    if n <= 0 or k <= 0:
        return 0.0
    expected = np.outer(t.sum(axis=1), t.sum(axis=0)) / n
    chi2 = float(((t - expected) ** 2 / expected).sum())
    return math.sqrt(chi2 / (n * k))


def normalized_mutual_info(table: NDArray[np.float64]) -> float:
    """Mutual information normalised by the arithmetic mean of the two entropies (sklearn's default)."""
    t = np.asarray(table, dtype=float)
    n = t.sum()
    if n <= 0:
        return 0.0
    pxy = t / n
    px = pxy.sum(axis=1)
    py = pxy.sum(axis=0)

    def entropy(p: NDArray[np.float64]) -> float:
        p = p[p > 0]
        return float(-(p * np.log(p)).sum())

    hx, hy = entropy(px), entropy(py)
    if hx == 0 or hy == 0:
        return 1.0 if hx == hy else 0.0
    nz = pxy > 0
    mi = float((pxy[nz] * np.log(pxy[nz] / np.outer(px, py)[nz])).sum())
    return max(0.0, mi / ((hx + hy) / 2))


def histogram_median(values: NDArray[np.float64], counts: NDArray[np.float64]) -> float | None:
    """Median of a sample given as sorted distinct ``values`` with integer ``counts`` (numpy's definition)."""
    total = round(float(counts.sum()))
    if total <= 0:
        return None
    cum = np.cumsum(counts)
    lo = int(np.searchsorted(cum, (total - 1) // 2, side="right"))
    hi = int(np.searchsorted(cum, total // 2, side="right"))
    return float((values[lo] + values[hi]) / 2)


def _medians_full(
    values: NDArray[np.float64], counts: NDArray[np.float64], replicates: int, rng: np.random.Generator
) -> NDArray[np.float64]:
    out = np.full(replicates, np.nan)
    chunk = max(1, 2_000_000 // max(1, len(values)))
    for start in range(0, replicates, chunk):
        b = min(chunk, replicates - start)
        w = rng.poisson(np.asarray(counts, dtype=float), size=(b, len(values)))
        cum = np.cumsum(w, axis=1)
        total = cum[:, -1]
        lo = np.minimum((cum <= ((total - 1) // 2)[:, None]).sum(axis=1), len(values) - 1)
        hi = np.minimum((cum <= (total // 2)[:, None]).sum(axis=1), len(values) - 1)
        med = (values[lo] + values[hi]) / 2
        med[total <= 0] = np.nan
        out[start : start + b] = med
    return out


def poisson_bootstrap_medians(
    values: NDArray[np.float64], counts: NDArray[np.float64], replicates: int, rng: np.random.Generator
) -> NDArray[np.float64]:
    """Medians of ``replicates`` Poisson-bootstrap resamples of a histogram (NaN for an empty resample).

    Only bins near the median can hold a resample's median, so bins far below and far above are drawn as
    two single Poisson totals (a sum of independent Poisson counts is Poisson): the same distribution as
    redrawing every bin, at a fraction of the cost. Should a resample's median fall outside the window
    (a > 8-sigma event), every replicate is redrawn bin by bin.
    """
    if replicates <= 0 or len(values) == 0:
        return np.full(max(replicates, 0), np.nan)
    counts = np.asarray(counts, dtype=float)
    n = float(counts.sum())
    cum = np.cumsum(counts)
    half = 8 * math.sqrt(n) / 2 + 10
    start = max(int(np.searchsorted(cum, n / 2 - half, side="left")) - 1, 0)
    end = min(int(np.searchsorted(cum, n / 2 + half, side="right")) + 2, len(values))
    if end - start >= len(values) // 2:
        return _medians_full(values, counts, replicates, rng)
    below = float(counts[:start].sum())
    above = float(counts[end:].sum())
    w_below = rng.poisson(below, size=replicates)
    w_window = rng.poisson(counts[start:end], size=(replicates, end - start))
    w_above = rng.poisson(above, size=replicates)
    cum_w = w_below[:, None] + np.cumsum(w_window, axis=1)
    total = cum_w[:, -1] + w_above
    k_lo, k_hi = (total - 1) // 2, total // 2
    lo = (cum_w <= k_lo[:, None]).sum(axis=1)
    hi = (cum_w <= k_hi[:, None]).sum(axis=1)
    width = end - start
    if (k_lo < w_below).any() or (hi >= width).any() or (lo >= width).any() or (total <= 0).any():
        return _medians_full(values, counts, replicates, rng)
    window_values = values[start:end]
    return np.asarray((window_values[lo] + window_values[hi]) / 2, dtype=float)
