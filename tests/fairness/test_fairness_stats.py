"""Interval estimates and tests against independent references (SciPy, scikit-learn, NumPy, papers)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binomtest, false_discovery_control, ttest_ind
from scipy.stats.contingency import association, relative_risk
from sklearn.metrics import normalized_mutual_info_score

from brandrail.fairness.stats import (
    benjamini_hochberg,
    cramers_v,
    histogram_median,
    katz_ratio,
    mantel_haenszel_rr,
    newcombe_difference,
    normalized_mutual_info,
    poisson_bootstrap_medians,
    welch_test,
    wilson,
)


@given(st.integers(1, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
@settings(max_examples=60, deadline=None)
def test_wilson_matches_scipy(xn):
    x, n = xn
    ci = binomtest(x, n).proportion_ci(method="wilson")
    ours = wilson(x, n)
    assert ours.low == pytest.approx(ci.low, abs=1e-12)
    assert ours.high == pytest.approx(ci.high, abs=1e-12)


def test_newcombe_matches_published_example():
    # Newcombe (1998), Statistics in Medicine 17:873, table II example (b): 56/70 - 48/80 -> 0.0524 to 0.3339
    ci = newcombe_difference(56, 70, 48, 80)
    assert ci.value == pytest.approx(0.2)
    assert ci.low == pytest.approx(0.0524, abs=5e-5)
    assert ci.high == pytest.approx(0.3339, abs=5e-5)


@pytest.mark.parametrize(("x1", "n1", "x2", "n2"), [(10, 40, 20, 50), (3, 100, 9, 120), (50, 60, 40, 70)])
def test_katz_ratio_matches_scipy_relative_risk(x1, n1, x2, n2):
    ref = relative_risk(x1, n1, x2, n2)
    ci = ref.confidence_interval(0.95)
    ours = katz_ratio(x1, n1, x2, n2)
    assert ours.value == pytest.approx(ref.relative_risk, rel=1e-12)
    assert ours.low == pytest.approx(ci.low, rel=1e-9)
    assert ours.high == pytest.approx(ci.high, rel=1e-9)


def test_benjamini_hochberg_matches_scipy():
    rng = np.random.default_rng(1)
    p = rng.random(40) ** 3
    ours = benjamini_hochberg(list(p))
    np.testing.assert_allclose(ours, false_discovery_control(p, method="bh"), rtol=1e-12)
    assert benjamini_hochberg([0.01, None, 0.5])[1] is None


def test_welch_matches_scipy():
    rng = np.random.default_rng(2)
    a, b = rng.normal(10, 2, 300), rng.normal(10.6, 3, 200)
    diff, ratio, p = welch_test(a.mean(), a.var(ddof=1), len(a), b.mean(), b.var(ddof=1), len(b))
    ref = ttest_ind(a, b, equal_var=False)
    assert p == pytest.approx(ref.pvalue, rel=1e-9)
    ci = ref.confidence_interval(0.95)
    assert diff.low == pytest.approx(ci.low, rel=1e-9)
    assert diff.high == pytest.approx(ci.high, rel=1e-9)
    assert ratio.value == pytest.approx(a.mean() / b.mean())


def test_cramers_v_and_nmi_match_references():
    rng = np.random.default_rng(3)
    x = rng.integers(0, 6, 3000)
    y = np.where(rng.random(3000) < 0.6, x % 3, rng.integers(0, 3, 3000))
    table = np.zeros((6, 3))
    np.add.at(table, (x, y), 1)
    assert cramers_v(table) == pytest.approx(association(table.astype(int), method="cramer"), rel=1e-12)
    assert normalized_mutual_info(table) == pytest.approx(normalized_mutual_info_score(x, y), rel=1e-9)


@given(st.lists(st.integers(0, 30), min_size=1, max_size=40))
@settings(max_examples=60, deadline=None)
def test_histogram_median_is_numpy_median(sample):
    values, counts = np.unique(np.array(sample, dtype=float), return_counts=True)
    assert histogram_median(values, counts.astype(float)) == np.median(sample)


def test_poisson_bootstrap_interval_covers_and_is_seeded():
    values = np.arange(100, dtype=float)
    counts = np.full(100, 20.0)
    a = poisson_bootstrap_medians(values, counts, 200, np.random.default_rng(5))
    b = poisson_bootstrap_medians(values, counts, 200, np.random.default_rng(5))
    np.testing.assert_array_equal(a, b)
    lo, hi = np.quantile(a, [0.025, 0.975])
    assert lo <= 49.5 <= hi
    assert hi - lo < 15


def test_mantel_haenszel_equals_crude_ratio_for_one_stratum_and_homogeneous_strata():
    rr, _ = mantel_haenszel_rr([(30, 100, 60, 100)])
    assert rr.value == pytest.approx(0.5)
    # two strata with the same ratio 0.5 but different base rates: pooled ratio is exactly 0.5
    rr2, p2 = mantel_haenszel_rr([(10, 100, 20, 100), (40, 200, 80, 200)])
    assert rr2.value == pytest.approx(0.5)
    assert rr2.low < 0.5 < rr2.high
    assert p2 < 0.001


def test_windowed_poisson_bootstrap_has_the_full_bootstrap_distribution():
    from scipy.stats import ks_2samp

    from brandrail.fairness.stats import _medians_full

    rng = np.random.default_rng(8)
    values, counts = np.unique(np.round(rng.normal(50, 10, 20_000), 0), return_counts=True)
    fast = poisson_bootstrap_medians(values, counts.astype(float), 3000, np.random.default_rng(1))
    full = _medians_full(values, counts.astype(float), 3000, np.random.default_rng(2))
    assert ks_2samp(fast, full).pvalue > 0.001
    assert abs(np.std(fast) - np.std(full)) < 0.1 * np.std(full) + 1e-9
