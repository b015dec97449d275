"""Interval estimates from sufficient statistics: Welch, Newcombe, CUPED, relative lift, rank correlation.

Every function here works on aggregates (counts, sums, sums of squares), never on per-unit rows, so the
experiment audit can push the heavy part down to the database and bring back only a few numbers per
variant.

References:

* Welch, B. L. (1947). The generalization of "Student's" problem when several different population
  variances are involved. *Biometrika* 34, 28-35.
* Newcombe, R. G. (1998). Interval estimation for the difference between independent proportions:
  comparison of eleven methods. *Statistics in Medicine* 17, 873-890 (method 10, the hybrid score interval).
* Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference. *JASA* 22.
* Deng, A., Xu, Y., Kohavi, R., Walker, T. (2013). Improving the sensitivity of online controlled experiments
  by utilizing pre-experiment data (CUPED). *WSDM '13*.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from scipy import stats as _st

__all__ = [
    "Arm",
    "Interval",
    "Moments",
    "cuped_arms",
    "format_pvalue",
    "json_pvalue",
    "newcombe_interval",
    "relative_interval",
    "spearman",
    "welch_interval",
    "wilson_interval",
]


@dataclass(frozen=True, slots=True)
class Arm:
    """Sufficient statistics of one arm for one metric: units, sum and sum of squares (and a covariate)."""

    n: float
    total: float
    total_sq: float
    x_total: float = 0.0
    x_total_sq: float = 0.0
    xy_total: float = 0.0

    @property
    def mean(self) -> float:
        return self.total / self.n if self.n else float("nan")

    @property
    def var(self) -> float:
        """Sample variance (ddof=1); 0 for fewer than two units."""
        if self.n < 2:
            return 0.0
        return max(0.0, (self.total_sq - self.total * self.total / self.n) / (self.n - 1))

    @property
    def moments(self) -> Moments:
        return Moments(self.mean, self.var, self.n)

    @classmethod
    def from_mean_sd(cls, n: float, mean: float, sd: float) -> Arm:
        return cls(n=n, total=mean * n, total_sq=(n - 1) * sd * sd + n * mean * mean)

    def __add__(self, other: Arm) -> Arm:
        return Arm(
            self.n + other.n,
            self.total + other.total,
            self.total_sq + other.total_sq,
            self.x_total + other.x_total,
            self.x_total_sq + other.x_total_sq,
            self.xy_total + other.xy_total,
        )


class Moments(NamedTuple):
    """Mean, sample variance and count of one arm."""

    mean: float
    var: float
    n: float


@dataclass(frozen=True, slots=True)
class Interval:
    """A difference (treatment minus control) with its two-sided interval and a p-value against zero."""

    estimate: float
    low: float
    high: float
    p_value: float
    se: float
    method: str


def _z(alpha: float) -> float:
    return float(_st.norm.ppf(1 - alpha / 2))


def welch_interval(t: Moments, c: Moments, *, alpha: float) -> Interval:
    """Welch's unequal-variance t interval for ``t.mean - c.mean`` at level ``1 - alpha`` (two-sided)."""
    t_mean, t_var, t_n = t
    c_mean, c_var, c_n = c
    diff = t_mean - c_mean
    vt = t_var / t_n
    vc = c_var / c_n
    se = math.sqrt(vt + vc)
    if se == 0.0:
        return Interval(diff, diff, diff, 1.0 if diff == 0 else 0.0, 0.0, "welch")
    denom = (vt * vt / (t_n - 1) if t_n > 1 else 0.0) + (vc * vc / (c_n - 1) if c_n > 1 else 0.0)
    df = (vt + vc) ** 2 / denom if denom > 0 else float("inf")
    q = float(_st.t.ppf(1 - alpha / 2, df))
    p = float(2 * _st.t.sf(abs(diff) / se, df))
    return Interval(diff, diff - q * se, diff + q * se, p, se, "welch")


def wilson_interval(successes: float, n: float, alpha: float) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion."""
    if n <= 0:
        return (0.0, 1.0)
    z = _z(alpha)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def newcombe_interval(t_succ: float, t_n: float, c_succ: float, c_n: float, *, alpha: float) -> Interval:
    """Newcombe's hybrid score interval (method 10) for the difference of two proportions.

    The p-value is the pooled two-proportion z-test against no difference.
    """
    p1 = t_succ / t_n
    p0 = c_succ / c_n
    diff = p1 - p0
    l1, u1 = wilson_interval(t_succ, t_n, alpha)
    l0, u0 = wilson_interval(c_succ, c_n, alpha)
    low = diff - math.sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2)
    high = diff + math.sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2)
    pooled = (t_succ + c_succ) / (t_n + c_n)
    se0 = math.sqrt(pooled * (1 - pooled) * (1 / t_n + 1 / c_n))
    p_value = float(2 * _st.norm.sf(abs(diff) / se0)) if se0 > 0 else (1.0 if diff == 0 else 0.0)
    se = math.sqrt(p1 * (1 - p1) / t_n + p0 * (1 - p0) / c_n)
    return Interval(diff, low, high, p_value, se, "newcombe")


def relative_interval(t: Moments, c: Moments, *, alpha: float) -> tuple[float, float, float] | None:
    """Relative lift ``t.mean / c.mean - 1`` with a delta-method interval; None when the control mean is 0."""
    t_mean, t_var, t_n = t
    c_mean, c_var, c_n = c
    if c_mean == 0 or not math.isfinite(c_mean):
        return None
    rel = t_mean / c_mean - 1
    var = (t_var / t_n) / c_mean**2 + (t_mean**2) * (c_var / c_n) / c_mean**4
    half = _z(alpha) * math.sqrt(max(var, 0.0))
    return (rel, rel - half, rel + half)


@dataclass(frozen=True, slots=True)
class CupedArms:
    """CUPED-adjusted means and variances of two arms, with the coefficient and the variance reduction."""

    t_mean: float
    t_var: float
    c_mean: float
    c_var: float
    theta: float
    variance_reduction: float


def cuped_arms(t: Arm, c: Arm) -> CupedArms:
    """CUPED: adjust each arm's metric by ``theta * (x - mean(x))`` with theta pooled over both arms.

    ``theta = cov(y, x) / var(x)`` over the pooled units; the adjusted mean of an arm is
    ``mean_y - theta * (mean_x_arm - mean_x_pooled)`` and its variance
    ``var_y + theta^2 var_x - 2 theta cov_xy`` (Deng et al. 2013).
    """
    pooled = t + c
    n = pooled.n
    sxx = pooled.x_total_sq - pooled.x_total**2 / n
    sxy = pooled.xy_total - pooled.x_total * pooled.total / n
    theta = sxy / sxx if sxx > 0 else 0.0
    x_mean = pooled.x_total / n

    def adjust(arm: Arm) -> tuple[float, float, float]:
        m = arm.n
        vy = arm.var
        vx = max(0.0, (arm.x_total_sq - arm.x_total**2 / m) / (m - 1)) if m > 1 else 0.0
        cxy = (arm.xy_total - arm.x_total * arm.total / m) / (m - 1) if m > 1 else 0.0
        mean = arm.mean - theta * (arm.x_total / m - x_mean)
        var = max(0.0, vy + theta * theta * vx - 2 * theta * cxy)
        return mean, var, vy

    tm, tv, tv0 = adjust(t)
    cm, cv, cv0 = adjust(c)
    before = tv0 / t.n + cv0 / c.n
    after = tv / t.n + cv / c.n
    reduction = 1 - after / before if before > 0 else 0.0
    return CupedArms(tm, tv, cm, cv, theta, reduction)


def spearman(x: list[float], y: list[float]) -> float | None:
    """Spearman rank correlation (average ranks for ties); None for fewer than 3 points or constant input."""
    if len(x) < 3:
        return None
    xa = np.asarray(x, dtype=float)
    ya = np.asarray(y, dtype=float)
    ok = np.isfinite(xa) & np.isfinite(ya)
    if ok.sum() < 3:
        return None
    rx = _st.rankdata(xa[ok])
    ry = _st.rankdata(ya[ok])
    if rx.std() == 0 or ry.std() == 0:
        return None
    return float(np.corrcoef(rx, ry)[0, 1])


def json_float(value: float | None, digits: int = 6) -> float | None:
    """``value`` rounded for JSON output; None for None, NaN and infinities."""
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), digits)


def json_pvalue(value: float | None) -> float | None:
    """A p-value for JSON: 6 significant digits, so 3e-12 stays 3e-12 (not 0.0)."""
    if value is None or not math.isfinite(value):
        return None
    return float(f"{float(value):.6g}")


def format_pvalue(value: float | None) -> str:
    """A p-value for people: plain below 3 decimals' reach, scientific notation when tiny."""
    if value is None or not math.isfinite(value):
        return "n/a"
    if value == 0:
        return "< 1e-300"
    if value < 1e-3:
        return f"{value:.2e}"
    return f"{value:.3g}"
