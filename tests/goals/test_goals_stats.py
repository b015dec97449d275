"""Interval formulas against published values and independent implementations (SciPy, OLS)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from brandrail.goals.stats import (
    Arm,
    Moments,
    cuped_arms,
    newcombe_interval,
    relative_interval,
    spearman,
    welch_interval,
    wilson_interval,
)


@pytest.mark.parametrize(
    ("t", "tn", "c", "cn", "low", "high"),
    [
        # Newcombe (1998), Statistics in Medicine 17:873-890, Table II, method 10
        (56, 70, 48, 80, 0.0524, 0.3339),
        (9, 10, 3, 10, 0.1705, 0.8090),
        (5, 56, 0, 29, -0.0381, 0.1926),
    ],
)
def test_newcombe_matches_published_values(t, tn, c, cn, low, high):
    iv = newcombe_interval(t, tn, c, cn, alpha=0.05)
    assert iv.low == pytest.approx(low, abs=6e-5)
    assert iv.high == pytest.approx(high, abs=6e-5)


def test_wilson_zero_successes():
    lo, hi = wilson_interval(0, 10, 0.05)
    assert lo == 0.0
    assert hi == pytest.approx(0.2775, abs=1e-4)


def test_welch_matches_scipy():
    rng = np.random.default_rng(4)
    a = rng.normal(1.0, 3.0, 40)
    b = rng.normal(0.2, 1.0, 90)
    iv = welch_interval(Moments(a.mean(), a.var(ddof=1), 40), Moments(b.mean(), b.var(ddof=1), 90), alpha=0.1)
    ref = stats.ttest_ind(a, b, equal_var=False)
    ci = ref.confidence_interval(confidence_level=0.9)
    assert iv.p_value == pytest.approx(ref.pvalue, rel=1e-9)
    assert iv.low == pytest.approx(ci.low, rel=1e-9)
    assert iv.high == pytest.approx(ci.high, rel=1e-9)


def test_arm_from_sums_and_from_mean_sd_agree():
    x = np.array([1.0, 4.0, 2.5, 7.0])
    a = Arm(4, x.sum(), (x * x).sum())
    b = Arm.from_mean_sd(4, x.mean(), x.std(ddof=1))
    assert a.mean == pytest.approx(b.mean)
    assert a.var == pytest.approx(b.var)
    assert a.var == pytest.approx(x.var(ddof=1))


def test_cuped_matches_ancova_and_reduces_variance():
    rng = np.random.default_rng(11)
    n = 4000
    x = rng.normal(10, 3, 2 * n)
    treat = np.r_[np.ones(n), np.zeros(n)]
    y = 2.0 + 0.8 * x + 0.5 * treat + rng.normal(0, 1.5, 2 * n)

    def arm(mask):
        return Arm(
            mask.sum(),
            y[mask].sum(),
            (y[mask] ** 2).sum(),
            x[mask].sum(),
            (x[mask] ** 2).sum(),
            (x[mask] * y[mask]).sum(),
        )

    adj = cuped_arms(arm(treat == 1), arm(treat == 0))
    # ANCOVA: OLS of y on [1, treat, x]
    design = np.column_stack([np.ones(2 * n), treat, x])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    assert adj.t_mean - adj.c_mean == pytest.approx(coef[1], abs=0.02)
    rho = np.corrcoef(x, y)[0, 1]
    assert adj.variance_reduction == pytest.approx(rho**2, abs=0.03)
    assert adj.variance_reduction > 0.5


def test_relative_interval_contains_truth_and_none_for_zero_control():
    rel = relative_interval(Moments(1.1, 1.0, 1e6), Moments(1.0, 1.0, 1e6), alpha=0.05)
    assert rel is not None
    assert rel[1] < 0.1 < rel[2]
    assert relative_interval(Moments(1.0, 1.0, 10), Moments(0.0, 1.0, 10), alpha=0.05) is None


def test_spearman_matches_scipy():
    x = [0.1, 0.5, 0.3, 0.9, 0.2, 0.2]
    y = [1.0, -2.0, 0.5, -1.0, 3.0, 2.0]
    assert spearman(x, y) == pytest.approx(stats.spearmanr(x, y).statistic)
    assert spearman([1, 2], [2, 1]) is None


def test_interval_coverage_near_nominal():
    """Welch and Newcombe 95% intervals cover the true difference about 95% of the time."""
    rng = np.random.default_rng(2024)
    reps = 2000
    hits_w = hits_n = 0
    for _ in range(reps):
        a = rng.exponential(2.0, 60)  # skewed, mean 2
        b = rng.exponential(1.5, 80)  # mean 1.5
        iv = welch_interval(
            Moments(a.mean(), a.var(ddof=1), 60), Moments(b.mean(), b.var(ddof=1), 80), alpha=0.05
        )
        hits_w += iv.low <= 0.5 <= iv.high
        s1 = rng.binomial(200, 0.12)
        s0 = rng.binomial(250, 0.08)
        nv = newcombe_interval(s1, 200, s0, 250, alpha=0.05)
        hits_n += nv.low <= 0.04 <= nv.high
    assert 0.925 <= hits_w / reps <= 0.97
    assert 0.93 <= hits_n / reps <= 0.97


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 500),
    st.integers(0, 500),
    st.integers(1, 500),
    st.integers(0, 500),
    st.sampled_from([0.01, 0.05, 0.2]),
)
def test_newcombe_properties(tn, ts, cn, cs, alpha):
    ts, cs = min(ts, tn), min(cs, cn)
    iv = newcombe_interval(ts, tn, cs, cn, alpha=alpha)
    assert -1 - 1e-12 <= iv.low <= iv.estimate <= iv.high <= 1 + 1e-12
    # swapping the arms mirrors the interval
    sw = newcombe_interval(cs, cn, ts, tn, alpha=alpha)
    assert sw.low == pytest.approx(-iv.high, abs=1e-12)
    assert sw.high == pytest.approx(-iv.low, abs=1e-12)
    # a wider level gives a wider interval
    wide = newcombe_interval(ts, tn, cs, cn, alpha=alpha / 2)
    assert wide.low <= iv.low + 1e-12 and wide.high >= iv.high - 1e-12


@settings(max_examples=200, deadline=None)
@given(
    st.floats(-100, 100),
    st.floats(0.01, 100),
    st.integers(2, 10_000),
    st.floats(-100, 100),
    st.floats(0.01, 100),
    st.integers(2, 10_000),
)
def test_welch_properties(tm, tv, tn, cm, cv, cn):
    iv = welch_interval(Moments(tm, tv, tn), Moments(cm, cv, cn), alpha=0.05)
    assert iv.low <= iv.estimate <= iv.high
    assert iv.estimate - iv.low == pytest.approx(iv.high - iv.estimate, rel=1e-9, abs=1e-12)
    assert 0.0 <= iv.p_value <= 1.0
    # p < alpha exactly when the interval excludes zero
    if abs(iv.low) > 1e-9 and abs(iv.high) > 1e-9:
        assert (iv.p_value < 0.05) == (iv.low > 0 or iv.high < 0)
