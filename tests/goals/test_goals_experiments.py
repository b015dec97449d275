"""Experiment verdicts on synthetic campaigns with injected effects."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from brandrail.errors import DataError, PolicyError
from brandrail.goals import audit_goals
from brandrail.goals.synthetic import VariantTruth, campaign
from brandrail.policy import loads_policy

CONTROL = VariantTruth(0.20, 0.03, 0.02, 80, 0.003)
CLICKBAIT = VariantTruth(0.28, 0.04, 0.016, 80, 0.008, segment_conversion=(0.7, 1.1))
BENEFIT = VariantTruth(0.21, 0.035, 0.025, 80, 0.003)


@pytest.fixture(scope="module")
def frame():
    return campaign({"control": CONTROL, "clickbait": CLICKBAIT, "benefit": BENEFIT}, 30000, seed=7)


def codes(res):
    return sorted(f.code for f in res.findings)


def test_clickbait_wins_opens_loses_revenue(frame, goals_policy):
    res = audit_goals(frame, goals_policy)
    cb = res.verdict("clickbait")
    assert cb.decision == "do-not-ship"
    assert cb.effect("opened").direction == "better"
    assert cb.objective.direction == "worse"
    assert cb.effect("unsubscribed").guardrail == "breached"
    assert res.verdict("benefit").decision == "ship"
    assert "GL001" in codes(res)
    assert "GL003" in codes(res)
    gl001 = [f for f in res.findings if f.code == "GL001"]
    assert {f.evidence["proxy"]["metric"] for f in gl001} == {"opened", "clicked"}
    assert not res.passed
    # the true differences lie inside the intervals
    opened = cb.effect("opened")
    assert opened.ci_low <= 0.08 <= opened.ci_high
    true_rev = CLICKBAIT.revenue_mean() - CONTROL.revenue_mean()
    assert cb.objective.ci_low <= true_rev <= cb.objective.ci_high
    assert cb.objective.method == "cuped-welch"


def test_results_match_scipy_on_raw_rows(frame):
    pol = loads_policy("goals: {objective: {name: net_revenue}, correction: none}")
    res = audit_goals(frame, pol)
    e = res.verdict("clickbait").objective
    a = frame.loc[frame.variant == "clickbait", "net_revenue"]
    b = frame.loc[frame.variant == "control", "net_revenue"]
    ref = stats.ttest_ind(a, b, equal_var=False)
    assert e.method == "welch"
    assert e.p_value == pytest.approx(ref.pvalue, rel=1e-6)
    ci = ref.confidence_interval(0.95)
    assert (e.ci_low, e.ci_high) == pytest.approx((ci.low, ci.high), rel=1e-6)


def test_bonferroni_level(frame, goals_policy):
    res = audit_goals(frame, goals_policy)
    assert res.alpha_adjusted == pytest.approx(0.025)
    e = res.verdict("benefit")
    assert e.objective.level == pytest.approx(0.975)
    assert e.effect("unsubscribed").level == pytest.approx(0.95)


def test_segment_breakdown_shows_harm(goals_policy):
    # overall flat-ish, but new customers lose: GL006
    treat = VariantTruth(0.2, 0.03, 0.02, 80, 0.003, segment_conversion=(0.55, 1.45))
    df = campaign({"control": CONTROL, "discount": treat}, 40000, seed=3)
    res = audit_goals(df, goals_policy)
    segs = {v.segment[1]: v for v in res.segment_verdicts if v.variant == "discount"}
    assert segs["new"].objective.direction == "worse"
    assert segs["returning"].objective.direction == "better"
    assert "GL006" in codes(res)


def test_aggregated_input_gives_same_verdicts(frame):
    pol = loads_policy(
        "goals: {objective: {name: net_revenue}, proxies: [{name: opened, kind: proportion}],"
        " guardrails: [{name: unsubscribed, kind: proportion, higher_is_better: false, margin: 0.002}]}"
    )
    agg = (
        frame.groupby("variant")
        .agg(
            n=("net_revenue", "size"),
            net_revenue_mean=("net_revenue", "mean"),
            net_revenue_sd=("net_revenue", "std"),
            opened_mean=("opened", "mean"),
            unsubscribed_sum=("unsubscribed", "sum"),
        )
        .reset_index()
    )
    a = audit_goals(frame, pol)
    b = audit_goals(agg, pol)
    for v in ("benefit", "clickbait"):
        for m in ("net_revenue", "opened", "unsubscribed"):
            ea, eb = a.verdict(v).effect(m), b.verdict(v).effect(m)
            assert (ea.ci_low, ea.ci_high) == pytest.approx((eb.ci_low, eb.ci_high), rel=1e-6)
        assert a.verdict(v).decision == b.verdict(v).decision


def test_parquet_and_csv_through_duckdb(frame, goals_policy, tmp_path):
    small = frame.sample(6000, random_state=1)
    small.to_parquet(tmp_path / "c.parquet")
    small.to_csv(tmp_path / "c.csv", index=False)
    r1 = audit_goals(str(tmp_path / "c.parquet"), goals_policy)
    r2 = audit_goals(str(tmp_path / "c.csv"), goals_policy)
    r3 = audit_goals(small, goals_policy)
    for v in ("benefit", "clickbait"):
        assert r1.verdict(v).objective.diff == pytest.approx(r3.verdict(v).objective.diff)
        assert r2.verdict(v).objective.diff == pytest.approx(r3.verdict(v).objective.diff)


def test_guardrail_inconclusive_with_few_units(goals_policy):
    df = campaign({"control": CONTROL, "benefit": BENEFIT}, 800, seed=2)
    res = audit_goals(df, goals_policy)
    v = res.verdict("benefit")
    assert v.effect("unsubscribed").guardrail == "inconclusive"
    assert v.decision == "needs-more-data"
    assert "GL004" in codes(res)


def test_low_rank_correlation_flagged(frame, goals_policy):
    res = audit_goals(frame, goals_policy)
    assert res.rank_correlations["opened"] is not None
    assert res.rank_correlations["opened"] < 0.3
    assert "GL005" in codes(res)


def test_to_dict_is_versioned(frame, goals_policy):
    d = audit_goals(frame, goals_policy).to_dict()
    assert d["schema_version"] == 1
    assert d["policy_version"] == goals_policy.version
    assert {v["decision"] for v in d["verdicts"]} == {"ship", "do-not-ship"}


# -- bad input -------------------------------------------------------------------------------------------


def test_goal_metric_not_in_data(frame):
    pol = loads_policy("goals: {objective: {name: revenue}}")
    with pytest.raises(
        DataError, match=r"'revenue' \(objective revenue\), did you mean 'pre_revenue'|net_revenue"
    ):
        audit_goals(frame, pol)


def test_missing_objective_is_policy_error(frame):
    with pytest.raises(PolicyError, match="no `objective`"):
        audit_goals(frame, loads_policy("goals: {}"))


def test_variant_with_no_units(frame):
    pol = loads_policy("goals: {objective: {name: net_revenue}, experiment: {variants: [control, ghost]}}")
    with pytest.raises(DataError, match="variant\\(s\\) with no units: ghost"):
        audit_goals(frame, pol)
    agg = pd.DataFrame(
        {
            "variant": ["control", "b"],
            "n": [100, 0],
            "net_revenue_mean": [1.0, 0.0],
            "net_revenue_sd": [1.0, 0.0],
        }
    )
    with pytest.raises(DataError, match="no units: b"):
        audit_goals(agg, loads_policy("goals: {objective: {name: net_revenue}}"))


def test_missing_control(frame):
    pol = loads_policy("goals: {objective: {name: net_revenue}, experiment: {control: baseline}}")
    with pytest.raises(DataError, match="control variant 'baseline' not found"):
        audit_goals(frame, pol)


def test_all_zero_objective(frame):
    df = frame.assign(net_revenue=0.0)
    with pytest.raises(DataError, match="zero for every unit"):
        audit_goals(df, loads_policy("goals: {objective: {name: net_revenue}}"))


def test_proportion_out_of_range(frame):
    pol = loads_policy(
        "goals: {objective: {name: net_revenue}, proxies: [{name: pre_revenue, kind: proportion}]}"
    )
    with pytest.raises(DataError, match="outside \\[0, 1\\]"):
        audit_goals(frame, pol)


def test_missing_file(goals_policy, tmp_path):
    from brandrail.errors import InputError

    with pytest.raises(InputError, match="no such file"):
        audit_goals(str(tmp_path / "nope.csv"), goals_policy)


def test_policy_rejects_duplicate_metric_names():
    with pytest.raises(PolicyError, match="used twice"):
        loads_policy("goals: {objective: {name: a}, proxies: [{name: a}]}")


def test_clean_experiment_passes():
    df = campaign({"control": CONTROL, "b": VariantTruth(0.2, 0.03, 0.026, 80, 0.003)}, 30000, seed=5)
    pol = loads_policy(
        "goals: {objective: {name: net_revenue, pre_column: pre_revenue},"
        " guardrails: [{name: unsubscribed, kind: proportion, higher_is_better: false, margin: 0.003}]}"
    )
    res = audit_goals(df, pol)
    assert res.verdict("b").decision == "ship"
    assert res.passed
    assert np.isfinite(res.verdict("b").objective.cuped_variance_reduction)


def test_overall_from_segment_scan_equals_direct_scan(frame, goals_policy):
    with_segments = audit_goals(frame, goals_policy)
    without = audit_goals(frame, goals_policy, segments=[])
    assert without.segment_verdicts == ()
    for v in ("benefit", "clickbait"):
        for e1, e2 in zip(with_segments.verdict(v).effects, without.verdict(v).effects, strict=True):
            assert (e1.diff, e1.ci_low, e1.ci_high) == pytest.approx(
                (e2.diff, e2.ci_low, e2.ci_high), rel=1e-9
            )
