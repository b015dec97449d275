"""Every metric Fairlearn also computes, compared with Fairlearn 0.15 on the same rows, to 1e-9."""

from __future__ import annotations

import warnings

import pytest
from fairlearn.metrics import (
    MetricFrame,
    demographic_parity_difference,
    demographic_parity_ratio,
    equal_opportunity_difference,
    equal_opportunity_ratio,
    equalized_odds_difference,
    equalized_odds_ratio,
    false_positive_rate,
    selection_rate,
    true_positive_rate,
)
from fairness_helpers import duck_table, policy, small_log

from brandrail.fairness import audit_fairness

TOL = 1e-9
METRICS = {"selection_rate": selection_rate, "tpr": true_positive_rate, "fpr": false_positive_rate}


@pytest.fixture(scope="module")
def audited():
    df = small_log()
    pol = policy(min_cell=0, reference="majority", features=[], ad=None, outcomes=[])
    return df, audit_fairness(duck_table(df), pol)


def _label(key) -> str:
    return " & ".join(str(k) for k in key) if isinstance(key, tuple) else str(key)


@pytest.mark.parametrize("attrs", [["sex"], ["age_band"], ["ethnicity"], ["sex", "age_band", "ethnicity"]])
def test_group_rates_and_parity_match_fairlearn(audited, attrs):
    df, audit = audited
    y, p = df["converted"], df["shown"]
    sf = df[attrs] if len(attrs) > 1 else df[attrs[0]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = MetricFrame(metrics=METRICS, y_true=y, y_pred=p, sensitive_features=sf)
    report = audit.grouping(" & ".join(attrs))
    by_group = frame.by_group.dropna(how="all")
    ours = {g.group: g for g in report.groups}
    assert set(ours) == {_label(k) for k in by_group.index}
    for key, row in by_group.iterrows():
        g = ours[_label(key)]
        assert g.selection_rate.value == pytest.approx(row["selection_rate"], abs=TOL)
        if g.tpr is not None:
            assert g.tpr.value == pytest.approx(row["tpr"], abs=TOL)
        if g.fpr is not None:
            assert g.fpr.value == pytest.approx(row["fpr"], abs=TOL)
    kw = {"y_true": y, "y_pred": p, "sensitive_features": sf}
    assert report.demographic_parity_difference == pytest.approx(demographic_parity_difference(**kw), abs=TOL)
    assert report.demographic_parity_ratio == pytest.approx(demographic_parity_ratio(**kw), abs=TOL)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert report.equal_opportunity_difference == pytest.approx(
            equal_opportunity_difference(**kw), abs=TOL
        )
        assert report.equal_opportunity_ratio == pytest.approx(equal_opportunity_ratio(**kw), abs=TOL)
        assert report.equalized_odds_difference == pytest.approx(equalized_odds_difference(**kw), abs=TOL)
        assert report.equalized_odds_ratio == pytest.approx(equalized_odds_ratio(**kw), abs=TOL)


@pytest.mark.parametrize("attr", ["sex", "age_band"])
def test_conditional_parity_matches_fairlearn_control_features(audited, attr):
    df, audit = audited
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = MetricFrame(
            metrics=METRICS,
            y_true=df["converted"],
            y_pred=df["shown"],
            sensitive_features=df[attr],
            control_features=df["region"],
        )
        diff = frame.difference()
        ratio = frame.ratio()
        by_group = frame.by_group
    report = next(c for c in audit.conditional if c.attribute == attr)
    assert len(report.strata) == len(diff)
    for stratum in report.strata:
        region = stratum.stratum["region"]
        assert stratum.demographic_parity_difference == pytest.approx(
            diff.loc[region, "selection_rate"], abs=TOL
        )
        assert stratum.demographic_parity_ratio == pytest.approx(ratio.loc[region, "selection_rate"], abs=TOL)
        assert stratum.equal_opportunity_difference == pytest.approx(diff.loc[region, "tpr"], abs=TOL)
        assert stratum.equal_opportunity_ratio == pytest.approx(ratio.loc[region, "tpr"], abs=TOL)
        eo_diff = max(diff.loc[region, "tpr"], diff.loc[region, "fpr"])
        eo_ratio = min(ratio.loc[region, "tpr"], ratio.loc[region, "fpr"])
        assert stratum.equalized_odds_difference == pytest.approx(eo_diff, abs=TOL)
        assert stratum.equalized_odds_ratio == pytest.approx(eo_ratio, abs=TOL)
        for g in stratum.groups:
            assert g.selection_rate.value == pytest.approx(
                by_group.loc[(region, g.group), "selection_rate"], abs=TOL
            )
