"""Off-policy estimators on bandits whose policy values are known in closed form."""

import numpy as np
import pandas as pd
import pytest
from sklearn.dummy import DummyRegressor

from brandrail.errors import DataError
from brandrail.goals import evaluate_policy
from brandrail.goals.synthetic import BanditEnv, demo_env, random_env
from brandrail.policy import policy_from_dict


def policy(bootstrap=0, **ope):
    return policy_from_dict(
        {
            "goals": {
                "objective": {"name": "goal"},
                "proxies": [{"name": "proxy", "kind": "proportion"}],
                "ope": {"features": ["x1", "x2", "segment"], "bootstrap": bootstrap, "folds": 2, **ope},
            }
        }
    )


ENV = random_env(5, seed=3, noise=1.0)
LOGGING = np.array([[0.4, 0.3, 0.1, 0.1, 0.1], [0.1, 0.1, 0.2, 0.3, 0.3]])
TARGET = np.array([[0.05, 0.05, 0.5, 0.2, 0.2], [0.6, 0.1, 0.1, 0.1, 0.1]])


def draw(n, seed, env=ENV, logging=LOGGING, target=TARGET):
    d = env.sample(n, logging, seed=seed)
    frame = pd.DataFrame(d)
    frame["action"] = np.array(env.labels)[d["action"]]
    pi = BanditEnv.rows(target, d["segment"])
    return frame, pi


def test_closed_form_truth_is_right():
    """Monte Carlo check of the closed-form value itself, with the true policy sampled."""
    frame, _ = draw(400_000, 1, logging=TARGET)
    assert frame.goal.mean() == pytest.approx(ENV.goal_value(TARGET), abs=0.01)
    assert frame.proxy.mean() == pytest.approx(ENV.proxy_value(TARGET), abs=0.003)


@pytest.mark.parametrize("estimator", ["ips", "snips", "dm", "dr"])
def test_error_shrinks_with_n(estimator):
    truth = ENV.goal_value(TARGET)
    rmse = {}
    for n in (1000, 25_000):
        errs = []
        for seed in range(6):
            frame, pi = draw(n, 100 + seed)
            rep = evaluate_policy(frame, pi, policy(), actions=list(ENV.labels))
            errs.append(rep.goal.estimates[estimator].value - truth)
        rmse[n] = float(np.sqrt(np.mean(np.square(errs))))
    # 25x the data: error should fall roughly 5x; require at least 2.5x
    assert rmse[25_000] < rmse[1000] / 2.5, rmse


def test_dr_unbiased_with_wrong_propensities_and_right_model():
    truth = ENV.goal_value(TARGET)
    dr, ips = [], []
    for seed in range(8):
        frame, pi = draw(20_000, 200 + seed)
        frame["propensity"] = 0.2  # wrong: the logger was not uniform
        rep = evaluate_policy(frame, pi, policy(), actions=list(ENV.labels))  # linear model is correct here
        dr.append(rep.goal.estimates["dr"].value)
        ips.append(rep.goal.estimates["ips"].value)
    assert abs(np.mean(dr) - truth) < 0.02
    assert abs(np.mean(ips) - truth) > 0.1  # IPS is biased by the wrong propensities


def test_dr_unbiased_with_wrong_model_and_right_propensities():
    truth = ENV.goal_value(TARGET)
    dr, dm = [], []
    for seed in range(8):
        frame, pi = draw(20_000, 300 + seed)
        rep = evaluate_policy(frame, pi, policy(), actions=list(ENV.labels), reward_model=DummyRegressor())
        dr.append(rep.goal.estimates["dr"].value)
        dm.append(rep.goal.estimates["dm"].value)
    assert abs(np.mean(dr) - truth) < 0.03
    assert abs(np.mean(dm) - truth) > 0.04  # context-free model: DM is biased (about 0.07 here)


def test_interval_coverage_near_nominal():
    truth_goal = ENV.goal_value(TARGET)
    reps = 120
    hits = {"dr": 0, "snips": 0, "dr_boot": 0, "ips_boot": 0}
    for seed in range(reps):
        frame, pi = draw(3000, 1000 + seed)
        rep = evaluate_policy(frame, pi, policy(bootstrap=200), actions=list(ENV.labels), seed=seed)
        e = rep.goal.estimates
        hits["dr"] += e["dr"].ci[0] <= truth_goal <= e["dr"].ci[1]
        hits["snips"] += e["snips"].ci[0] <= truth_goal <= e["snips"].ci[1]
        hits["dr_boot"] += e["dr"].boot_ci[0] <= truth_goal <= e["dr"].boot_ci[1]
        hits["ips_boot"] += e["ips"].boot_ci[0] <= truth_goal <= e["ips"].boot_ci[1]
    for key, h in hits.items():
        assert 0.88 <= h / reps <= 0.995, (key, h / reps)


def test_candidate_forms_agree():
    frame, pi = draw(5000, 5)
    labels = list(ENV.labels)
    base = evaluate_policy(frame, pi, policy(), actions=labels)
    # per-action prefix columns
    wide = frame.copy()
    for j, lab in enumerate(labels):
        wide[f"cand_{lab}"] = pi[:, j]
    by_prefix = evaluate_policy(wide, "cand_", policy())
    # DataFrame table
    table = pd.DataFrame(pi, columns=labels)
    by_table = evaluate_policy(frame, table, policy())
    # scoring function
    by_func = evaluate_policy(
        frame, lambda x: BanditEnv.rows(TARGET, x["segment"].to_numpy()), policy(), actions=labels
    )
    # column of the logged action's probability (IPS/SNIPS only)
    col = frame.assign(cand=pi[np.arange(len(frame)), [labels.index(a) for a in frame.action]])
    by_col = evaluate_policy(col, "cand", policy())
    for rep in (by_prefix, by_table, by_func):
        assert rep.goal.estimates["dr"].value == pytest.approx(base.goal.estimates["dr"].value)
    assert by_col.goal.estimates["ips"].value == pytest.approx(base.goal.estimates["ips"].value)
    assert "dr" not in by_col.goal.estimates
    assert by_col.goal.primary == "snips"


def test_proxy_up_goal_down_on_demo_candidate():
    env, logging, cand = demo_env()
    frame, pi = draw(30_000, 9, env=env, logging=logging, target=cand)
    rep = evaluate_policy(frame, pi, policy(bootstrap=200), actions=list(env.labels))
    assert rep.proxy is not None
    assert rep.proxy.main.lift_boot_ci[0] > 0
    assert rep.goal.main.lift_boot_ci[1] < 0
    true_lift = env.goal_value(cand) - env.goal_value(logging)
    lo, hi = rep.goal.main.lift_boot_ci
    assert lo <= true_lift <= hi
    assert [f.code for f in rep.findings] == ["GL010"]
    d = rep.to_dict()
    assert d["schema_version"] == 1 and d["goal"]["primary"] == "dr"


def test_goal_uncertain_flagged():
    env, logging, cand = demo_env()
    frame, pi = draw(30_000, 9, env=env, logging=logging, target=cand)
    frame["goal"] = np.random.default_rng(0).normal(0, 50, len(frame))  # pure noise goal
    rep = evaluate_policy(frame, pi, policy(bootstrap=100), actions=list(env.labels))
    assert "GL011" in [f.code for f in rep.findings]
    assert "GL010" not in [f.code for f in rep.findings]


def test_goal_noise_never_reads_as_a_goal_loss():
    """A goal of pure noise (true lift 0) under a candidate that surely raises the proxy: half the draws have
    a negative goal estimate, and each used to be a GL010 error; now every draw is GL011 (too wide to tell)."""
    env, logging, cand = demo_env()
    seen = []
    for seed in range(12):
        frame, pi = draw(5000, 40 + seed, env=env, logging=logging, target=cand)
        frame["goal"] = np.random.default_rng(seed).normal(0, 50, len(frame))
        rep = evaluate_policy(frame, pi, policy(), actions=list(env.labels))
        codes = [f.code for f in rep.findings]
        assert "GL010" not in codes, rep.goal.main.best_lift_ci
        assert "GL011" in codes
        seen.append(rep.goal.main.lift < 0)
    assert any(seen)  # some draws did put the goal estimate below zero


def test_diagnostics_support_ess_near_zero():
    frame, _ = draw(4000, 8)
    labels = [*ENV.labels, "new-offer"]
    pi = np.zeros((len(frame), len(labels)))
    pi[:, -1] = 0.5
    pi[:, 2] = 0.5
    frame.loc[:10, "propensity"] = 0.001
    rep = evaluate_policy(frame, pi, policy(), actions=labels)
    d = rep.diagnostics
    assert d.unsupported_actions == ("new-offer",)
    assert d.unsupported_mass == pytest.approx(0.5)
    assert d.near_zero_count == 11
    w = pi[np.arange(len(frame)), [labels.index(a) for a in frame.action]] / frame.propensity.to_numpy()
    assert d.ess == pytest.approx(w.sum() ** 2 / (w**2).sum())
    assert d.max_weight == pytest.approx(w.max())
    found = {f.code for f in rep.findings}
    assert {"GL012", "GL013", "GL014"} <= found


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda f: f.assign(propensity=f.propensity * 0 + 1.5), "outside \\(0, 1\\]"),
        (lambda f: f.assign(propensity=0.0), "outside \\(0, 1\\]"),
        (lambda f: f.drop(columns=["propensity"]), "'propensity' \\(logging propensity\\)"),
        (lambda f: f.drop(columns=["goal"]), "'goal' \\(goal reward\\)"),
        (lambda f: f.assign(goal=0.0), "zero for every logged round"),
        (lambda f: f.assign(proxy=0.0), "zero for every logged round"),
    ],
)
def test_bad_log_input(mutate, message):
    frame, pi = draw(500, 1)
    with pytest.raises(DataError, match=message):
        evaluate_policy(mutate(frame), pi, policy(), actions=list(ENV.labels))


def test_bad_candidate_input():
    frame, pi = draw(500, 1)
    with pytest.raises(DataError, match="sum to 1"):
        evaluate_policy(frame, pi * 0.5, policy(), actions=list(ENV.labels))
    with pytest.raises(DataError, match="shape"):
        evaluate_policy(frame, pi[:, :3], policy(), actions=list(ENV.labels))
    with pytest.raises(DataError, match="candidate probabilities"):
        evaluate_policy(frame, "nosuch", policy())


def test_log_from_parquet(tmp_path):
    frame, pi = draw(3000, 2)
    frame.to_parquet(tmp_path / "log.parquet")
    a = evaluate_policy(str(tmp_path / "log.parquet"), pi, policy(), actions=list(ENV.labels))
    b = evaluate_policy(frame, pi, policy(), actions=list(ENV.labels))
    assert a.goal.estimates["dr"].value == pytest.approx(b.goal.estimates["dr"].value)


def test_dr_clip_equals_dr_without_clipping_and_shrinks_large_weights():
    frame, pi = draw(5000, 12)
    no_clip = evaluate_policy(frame, pi, policy(max_weight=1e6), actions=list(ENV.labels))
    e = no_clip.goal.estimates
    assert e["dr-clip"].value == pytest.approx(e["dr"].value)
    assert e["switch-dr"].value == pytest.approx(e["dr"].value)
    tiny = evaluate_policy(frame, pi, policy(max_weight=1e-6), actions=list(ENV.labels)).goal.estimates
    assert tiny["switch-dr"].value == pytest.approx(
        tiny["dm"].value
    )  # every weight above tau: the model alone
    clipped = evaluate_policy(frame, pi, policy(max_weight=1.0), actions=list(ENV.labels))
    assert clipped.diagnostics.clipped_fraction > 0
    assert clipped.goal.estimates["dr-clip"].value != pytest.approx(clipped.goal.estimates["dr"].value)


def test_candidate_table_joined_on_id_column():
    frame, pi = draw(2000, 13)
    frame["decision_id"] = np.arange(len(frame)) * 7 + 3
    table = pd.DataFrame(pi, columns=list(ENV.labels))
    table["decision_id"] = frame["decision_id"]
    shuffled = table.sample(frac=1.0, random_state=0)
    pol = policy(id_column="decision_id")
    joined = evaluate_policy(frame, shuffled, pol)
    aligned = evaluate_policy(frame, pi, pol, actions=list(ENV.labels))
    assert joined.goal.estimates["dr"].value == pytest.approx(aligned.goal.estimates["dr"].value)
    with pytest.raises(DataError, match="no row for 1 logged rounds"):
        evaluate_policy(frame, shuffled.iloc[1:], pol)


# -- GL015: the weights must average to one (support and propensities) ------------------------------------

ENV3 = random_env(3, seed=3)


def draw3(n, seed, logging, target):
    return draw(n, seed, env=ENV3, logging=logging, target=target)


def codes_of(rep):
    return [f.code for f in rep.findings]


def test_deterministic_logger_is_flagged_not_estimated_confidently():
    """Propensity 1 everywhere (the logger never explored): the candidate's other choices have no data."""
    logging = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    target = np.array([[0.3, 0.7, 0.0], [0.2, 0.0, 0.8]])
    frame, pi = draw3(6000, 21, logging, target)
    rep = evaluate_policy(frame, pi, policy(), actions=list(ENV3.labels))
    d = rep.diagnostics
    assert d.deterministic_rows == len(frame)
    expected_gap = float(np.mean(1 - pi[np.arange(len(frame)), frame.action.map(ENV3.labels.index)]))
    assert d.deterministic_gap == pytest.approx(expected_gap)
    assert d.mean_weight == pytest.approx(1 - expected_gap)
    [f] = [f for f in rep.findings if f.code == "GL015"]
    assert f.severity.value == "error" and not rep.passed
    assert f.evidence["direction"] == "below" and f.evidence["deterministic_rows"] == len(frame)
    assert "propensity 1 (no exploration)" in f.message
    # why it must be flagged: the intervals are narrow and miss the truth
    truth = ENV3.goal_value(target)
    for name in ("ips", "snips"):
        lo, hi = rep.goal.estimates[name].ci
        assert not lo <= truth <= hi, name
    # the same with only the logged action's probability (a column candidate): IPS/SNIPS, same verdict
    col = frame.assign(cand=pi[np.arange(len(frame)), frame.action.map(ENV3.labels.index)])
    by_col = evaluate_policy(col, "cand", policy())
    assert "GL015" in codes_of(by_col) and by_col.diagnostics.deterministic_gap is None


def test_support_missing_in_one_context_only():
    """The logger explores in one segment and is deterministic in the other; the gap is what the candidate
    does differently there."""
    logging = np.array([[1.0, 0.0, 0.0], [0.3, 0.3, 0.4]])
    agrees = np.array([[1.0, 0.0, 0.0], [0.2, 0.4, 0.4]])
    departs = np.array([[0.6, 0.4, 0.0], [0.2, 0.4, 0.4]])  # 40% off-support in half the contexts: 0.2
    frame, pi_ok = draw3(5000, 22, logging, agrees)
    assert "GL015" not in codes_of(evaluate_policy(frame, pi_ok, policy(), actions=list(ENV3.labels)))
    pi_bad = BanditEnv.rows(departs, frame["segment"].to_numpy())
    rep = evaluate_policy(frame, pi_bad, policy(), actions=list(ENV3.labels))
    [f] = [f for f in rep.findings if f.code == "GL015"]
    assert f.evidence["ci"][0] <= 0.8 <= f.evidence["ci"][1]
    assert rep.diagnostics.deterministic_gap == pytest.approx(0.4)


def test_understated_propensities_are_flagged_above():
    frame, pi = draw(4000, 23)
    rep = evaluate_policy(
        frame.assign(propensity=frame.propensity / 2), pi, policy(), actions=list(ENV.labels)
    )
    [f] = [f for f in rep.findings if f.code == "GL015"]
    assert f.evidence["direction"] == "above" and "too low" in f.message


def test_never_logged_actions_are_gl013_not_gl015():
    """The mass on never-logged actions is known exactly; only what is left over is GL015's business."""
    frame, pi = draw(4000, 24)
    labels = [*ENV.labels, "new-offer"]
    wide = np.column_stack([pi * 0.7, np.full(len(frame), 0.3)])
    rep = evaluate_policy(frame, wide, policy(), actions=labels)
    assert rep.diagnostics.expected_mean_weight == pytest.approx(0.7)
    assert "GL013" in codes_of(rep) and "GL015" not in codes_of(rep)


@pytest.mark.parametrize("n", [300, 3000])
def test_true_propensities_are_not_flagged(n):
    """With the logger's true propensities and full support, GL015 stays silent, also with uneven weights."""
    uneven = (
        np.array([[0.92, 0.02, 0.02, 0.02, 0.02], [0.02, 0.02, 0.02, 0.02, 0.92]]),
        np.array([[0.5, 0.5, 0, 0, 0], [0, 0, 0, 0.5, 0.5]]),
    )
    flagged = 0
    for seed in range(15):
        for logging, target in ((LOGGING, TARGET), uneven):
            frame, pi = draw(n, 500 + seed, logging=logging, target=target)
            rep = evaluate_policy(frame, pi, policy(), actions=list(ENV.labels))
            flagged += "GL015" in codes_of(rep)
    assert flagged == 0


def test_prefix_column_of_a_never_logged_action_is_named_with_the_fix():
    """`column:p_` captures only logged actions; a candidate column for a never-logged action was dropped and
    the rows then 'did not sum to 1' with no word on why."""
    logging = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    target = np.array([[0.5, 0.5, 0.0], [0.2, 0.0, 0.8]])
    frame, pi = draw3(2000, 25, logging, target)
    for j, label in enumerate(ENV3.labels):
        frame[f"p_{label}"] = pi[:, j]
    with pytest.raises(DataError) as err:
        evaluate_policy(frame, "p_", policy())
    assert "left out column(s) p_a1, whose names do not end in a logged action" in str(err.value)
    assert "--action a1" in err.value.hint
    rep = evaluate_policy(frame, "p_", policy(), actions=list(ENV3.labels))
    assert {"GL013", "GL015"} <= set(codes_of(rep))


def test_an_action_spelled_several_ways_is_refused():
    frame, pi = draw(1000, 26)
    frame.loc[frame.index[:20], "action"] = frame.loc[frame.index[:20], "action"].str.upper()
    with pytest.raises(
        DataError, match=r"column 'action' \(action taken\) spells \d action\(s\) in several ways"
    ):
        evaluate_policy(frame, pi, policy(), actions=list(ENV.labels))
