"""Verdicts rest on intervals against a stable reference, name the group worse off, and follow the
decision's polarity (issue 14, items 17-22).

The simulated logs here are drawn by this file, independently of brandrail's own synthetic generator.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fairness_helpers import duck_table

from brandrail.errors import DataError
from brandrail.fairness import audit_fairness
from brandrail.policy import policy_from_dict

DATA = Path(__file__).parent / "data"
DISPARITY = {"FA001", "FA002", "FA003", "FA004", "FA005", "FA008"}

# three attributes with unequal group sizes: 2 x 4 x 6 = 48 intersections, many of them small
SEX = (["f", "m"], [0.55, 0.45])
AGE = (["18-24", "25-44", "45-64", "65+"], [0.15, 0.45, 0.3, 0.1])
REGION = (["r1", "r2", "r3", "r4", "r5", "r6"], [0.4, 0.2, 0.15, 0.1, 0.1, 0.05])


def _log(rows: int, seed: int, *, cell_rate: dict[tuple[str, str, str], float] | None = None) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {
            "sex": rng.choice(SEX[0], rows, p=SEX[1]),
            "age": rng.choice(AGE[0], rows, p=AGE[1]),
            "region": rng.choice(REGION[0], rows, p=REGION[1]),
        }
    )
    rate = np.full(rows, 0.3)
    for (sex, age, region), r in (cell_rate or {}).items():
        mask = (df["sex"] == sex) & (df["age"] == age) & (df["region"] == region)
        rate[mask.to_numpy()] = r
    df["shown"] = (rng.random(rows) < rate).astype(int)
    df["converted"] = (rng.random(rows) < 0.2).astype(int)
    df["price"] = np.round(rng.lognormal(3.5, 0.4, rows), 2)
    return df


def _policy(**extra: object) -> object:
    section = {
        "decision": "shown",
        "label": "converted",
        "outcomes": ["price"],
        "protected": ["sex", "age", "region"],
        "bootstrap": 0,
    }
    section.update(extra)
    return policy_from_dict({"fairness": section})


@pytest.mark.parametrize("rows", [20_000, 200_000])
def test_no_disparity_is_not_flagged_across_seeds_and_sizes(rows):
    """Cells with no disparity: the share of flagged comparisons stays below the nominal 5% level (in
    fact none is flagged), although dozens of small intersections are compared."""
    flagged = compared = 0
    for seed in range(4):
        audit = audit_fairness(duck_table(_log(rows, seed)), _policy())
        compared += sum(1 for g in audit.groupings for x in g.groups if x.p_value is not None) + sum(
            1 for r in audit.outcomes for o in r.groups if o.p_value is not None
        )
        flagged += sum(1 for f in audit.findings if f.code in DISPARITY)
        assert audit.passed, [f.message for f in audit.findings if f.code in DISPARITY]
    assert compared > 4 * 40
    assert flagged / compared <= 0.05


@pytest.mark.parametrize("seed", range(4))
def test_an_injected_disparity_is_still_flagged(seed):
    cell = ("f", "65+", "r1")  # ~2% of rows
    audit = audit_fairness(duck_table(_log(100_000, seed, cell_rate={cell: 0.12})), _policy())
    fa001 = [
        f for f in audit.findings if f.code == "FA001" and f.evidence["grouping"] == "sex & age & region"
    ]
    assert [f.evidence["worse_off"] for f in fa001] == ["f & 65+ & r1"]
    # the reference of the intersection is its largest cell, not the luckiest one
    inter = audit.grouping("sex & age & region")
    assert inter.reference == max(inter.groups, key=lambda g: g.n).group
    ev = fa001[0].evidence
    assert ev["ci"]["high"] < 0.8 and ev["ci_level"] > 0.95


def test_reference_is_named_else_the_largest_group():
    df = _log(20_000, 1)
    audit = audit_fairness(duck_table(df), _policy())
    assert audit.grouping("age").reference == "25-44"
    assert audit.grouping("region").reference == "r1"
    named = audit_fairness(duck_table(df), _policy(reference={"age": "65+"}))
    assert named.grouping("age").reference == "65+"
    assert named.grouping("region").reference == "r1"  # not named: the largest


def test_price_disparity_names_the_overcharged_group_even_when_it_is_most_offered():
    """The overcharged group is also the one offered most: it must be the one named worse off."""
    rng = np.random.default_rng(5)
    rows = 30_000
    df = pd.DataFrame({"grp": rng.choice(["a", "b", "c"], rows, p=[0.5, 0.3, 0.2])})
    df["shown"] = (rng.random(rows) < np.where(df["grp"] == "b", 0.5, 0.3)).astype(int)
    df["price"] = np.round(rng.lognormal(3.5, 0.3, rows) * np.where(df["grp"] == "b", 1.12, 1.0), 2)
    pol = policy_from_dict(
        {"fairness": {"decision": "shown", "outcomes": ["price"], "protected": ["grp"], "bootstrap": 0}}
    )
    audit = audit_fairness(duck_table(df), pol)
    fa005 = [f for f in audit.findings if f.code == "FA005"]
    assert fa005 and {f.evidence["worse_off"] for f in fa005} == {"b"}
    # the same when the overcharged group is the reference (named)
    pol2 = policy_from_dict(
        {
            "fairness": {
                "decision": "shown",
                "outcomes": ["price"],
                "protected": ["grp"],
                "bootstrap": 0,
                "reference": {"grp": "b"},
            }
        }
    )
    fa005 = [f for f in audit_fairness(duck_table(df), pol2).findings if f.code == "FA005"]
    assert len(fa005) == 2 and {f.evidence["worse_off"] for f in fa005} == {"b"}
    assert all("'b' is worse off" in f.message for f in fa005)
    # a discount: higher is better, so the group with the smaller mean is the one worse off
    pol3 = policy_from_dict(
        {
            "fairness": {
                "decision": "shown",
                "outcomes": ["price"],
                "better_outcome": {"price": "higher"},
                "protected": ["grp"],
                "bootstrap": 0,
            }
        }
    )
    fa005 = [f for f in audit_fairness(duck_table(df), pol3).findings if f.code == "FA005"]
    assert fa005 and {f.evidence["worse_off"] for f in fa005} == {"a"}


def _compas() -> pd.DataFrame:
    counts = pd.read_csv(DATA / "compas_counts.csv")
    return counts.loc[counts.index.repeat(counts["n"])].drop(columns="n").reset_index(drop=True)


def _compas_policy(favourable: bool) -> object:
    return policy_from_dict(
        {
            "fairness": {
                "decision": "high_risk",
                "favourable": favourable,
                "label": "two_year_recid",
                "protected": ["race"],
                "bootstrap": 0,
            }
        }
    )


def test_adverse_decision_names_the_group_flagged_more_compas():
    """ProPublica's COMPAS two-year data (per-group counts): "high risk" is an adverse decision."""
    df = _compas()
    assert len(df) == 6172
    audit = audit_fairness(duck_table(df), _compas_policy(favourable=False))
    race = audit.grouping("race")
    assert race.reference == "African-American"  # the largest group
    fa001 = [f for f in audit.findings if f.code == "FA001"]
    assert fa001
    assert len(fa001) == 1  # the reference is worse off than four groups: one finding lists them
    assert fa001[0].evidence["worse_off"] == "African-American"
    assert {b["group"] for b in fa001[0].evidence["better_off"]} == {
        "Caucasian",
        "Hispanic",
        "Asian",
        "Other",
    }
    assert "adverse decision 'high_risk'" in fa001[0].message
    # the worked example in docs/fairness.md quotes this output
    docs = (Path(__file__).parents[2] / "docs" / "fairness.md").read_text(encoding="utf-8")
    for quoted in (
        "at 2.82x the rate of 'Other'",
        "also against 'Asian' (0.55), 'Hispanic' (0.59), 'Caucasian' (0.63)",
    ):
        assert quoted in fa001[0].message
        assert quoted in " ".join(docs.split())
    fa003 = [f for f in audit.findings if f.code == "FA003"]
    assert len(fa003) == 1
    ev = fa003[0].evidence
    assert ev["metric"] == "fpr" and ev["worse_off"] == "African-American"
    assert "false-positive rates" in fa003[0].message
    by = {g.group: g for g in race.groups}
    assert round(by["African-American"].fpr.value, 3) == 0.423
    assert round(by["Caucasian"].fpr.value, 3) == 0.220


def test_favourable_reading_of_the_same_data_blames_the_other_groups():
    """The old reading (selection = benefit) names the less-flagged groups: the polarity matters."""
    audit = audit_fairness(duck_table(_compas()), _compas_policy(favourable=True))
    worse = {f.evidence["worse_off"] for f in audit.findings if f.code == "FA001"}
    assert "African-American" not in worse and "Caucasian" in worse


def test_adverse_rates_match_fairlearn():
    from fairlearn.metrics import MetricFrame, false_positive_rate, selection_rate, true_positive_rate

    df = _compas()
    audit = audit_fairness(
        duck_table(df), _compas_policy(favourable=False).fairness.model_copy(update={"min_cell": 0})
    )
    frame = MetricFrame(
        metrics={"sr": selection_rate, "fpr": false_positive_rate, "tpr": true_positive_rate},
        y_true=df["two_year_recid"],
        y_pred=df["high_risk"],
        sensitive_features=df["race"],
    )
    spared = MetricFrame(
        metrics=selection_rate,
        y_true=df["two_year_recid"],
        y_pred=1 - df["high_risk"],
        sensitive_features=df["race"],
    ).by_group
    race = audit.grouping("race")
    ref = race.reference
    for g in race.groups:
        assert abs(g.selection_rate.value - frame.by_group.loc[g.group, "sr"]) < 1e-9
        assert abs(g.fpr.value - frame.by_group.loc[g.group, "fpr"]) < 1e-9
        assert abs(g.tpr.value - frame.by_group.loc[g.group, "tpr"]) < 1e-9
        if g.group != ref:
            assert abs(g.impact_ratio.value - spared.loc[g.group] / spared.loc[ref]) < 1e-9
    fpr = frame.by_group["fpr"]
    assert abs(race.fpr_difference - (fpr.max() - fpr.min())) < 1e-9


def test_delivery_skew_names_the_ads_and_the_under_shown_group():
    rng = np.random.default_rng(3)
    rows = 40_000
    df = pd.DataFrame(
        {
            "sex": rng.choice(["f", "m"], rows),
            "ad_id": rng.choice([f"ad{i}" for i in range(10)], rows),
        }
    )
    skewed = df["ad_id"].isin(["ad3", "ad7"])
    rate = np.where(skewed & (df["sex"] == "f"), 0.1, 0.4)
    df["shown"] = (rng.random(rows) < rate).astype(int)
    pol = policy_from_dict(
        {
            "fairness": {
                "decision": "shown",
                "protected": ["sex"],
                "ad": "ad_id",
                "bootstrap": 0,
            }
        }
    )
    audit = audit_fairness(duck_table(df), pol)
    fa006 = [f for f in audit.findings if f.code == "FA006"]
    assert len(fa006) == 1
    off = fa006[0].evidence["out_of_tolerance"]
    assert {a["ad"] for a in off} == {"ad3", "ad7"}
    assert {a["under_shown"] for a in off} == {"f"}
    assert all(a["shown_share"] < a["eligible_share"] for a in off)
    assert "ad3" in fa006[0].message and "'f' under-shown" in fa006[0].message
    # the same log read as an adverse decision (being shown harms): the over-shown group is worse off
    adverse = policy_from_dict(
        {
            "fairness": {
                "decision": "shown",
                "favourable": False,
                "protected": ["sex"],
                "ad": "ad_id",
                "bootstrap": 0,
            }
        }
    )
    fa006 = [f for f in audit_fairness(duck_table(df), adverse).findings if f.code == "FA006"]
    off = fa006[0].evidence["out_of_tolerance"]
    assert {a["ad"] for a in off} == {"ad3", "ad7"}
    assert {a["over_shown"] for a in off} == {"m"} == {a["worse_off"] for a in off}
    assert "'m' over-shown" in fa006[0].message


def test_all_null_protected_attribute_fails():
    df = _log(2000, 0)
    df["region"] = pd.Series([None] * len(df), dtype="string")
    with pytest.raises(DataError, match=r"protected attribute 'region' is empty \(null\) in all 2000 rows"):
        audit_fairness(duck_table(df), _policy(outcomes=[]))


def test_single_valued_protected_attribute_fails():
    df = _log(2000, 0).assign(region="r1")
    with pytest.raises(DataError, match=r"'region' has a single group \('r1'\)"):
        audit_fairness(duck_table(df), _policy(outcomes=[]))


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf")])
def test_non_finite_outcome_names_the_column_and_the_row_count(tmp_path, bad):
    import pyarrow as pa
    import pyarrow.parquet as pq

    df = _log(500, 0)
    price = df["price"].to_numpy(copy=True)
    price[:3] = bad
    table = pa.Table.from_pandas(df.drop(columns="price")).append_column("price", pa.array(price))
    path = tmp_path / "log.parquet"
    pq.write_table(table, path)
    with pytest.raises(DataError) as err:
        audit_fairness(path, _policy())
    assert "column 'price' (fairness.outcomes) has 3 of 500 rows with NaN or infinite values" in str(
        err.value
    )


def test_null_outcomes_are_counted(tmp_path):
    from brandrail.fairness.report import render_text

    df = _log(3000, 2)
    df.loc[df.index[:7], "price"] = np.nan  # pandas NaN becomes a database NULL here
    audit = audit_fairness(duck_table(df), _policy())
    assert audit.data.outcome_nulls == {"price": 7}
    assert "price: 7 rows with no value left out" in render_text(audit)
    assert audit.to_dict()["data"]["outcome_nulls"] == {"price": 7}
    from brandrail.fairness.report import render_html

    page = render_html(audit)
    assert "price: 7 rows with no value were left out" in page and "impact ratio [CI]" in page


def test_a_reference_shut_out_entirely_is_found_worse_off():
    rng = np.random.default_rng(8)
    rows = 6000
    df = pd.DataFrame({"grp": rng.choice(["big", "mid", "small"], rows, p=[0.5, 0.3, 0.2])})
    df["shown"] = np.where(df["grp"] == "big", 0, (rng.random(rows) < 0.3).astype(int))
    pol = policy_from_dict({"fairness": {"decision": "shown", "protected": ["grp"], "bootstrap": 0}})
    audit = audit_fairness(duck_table(df), pol)
    assert audit.grouping("grp").reference == "big"
    fa001 = [f for f in audit.findings if f.code == "FA001"]
    assert len(fa001) == 1 and fa001[0].evidence["worse_off"] == "big"
    assert fa001[0].evidence["measured"] == 0.0 and fa001[0].evidence["ci"]["high"] < 0.8


def test_the_missing_group_is_not_the_default_reference():
    df = _log(4000, 3)
    df["region"] = df["region"].astype(object)
    df.loc[df.index[:2500], "region"] = None  # "(missing)" is the largest group
    audit = audit_fairness(duck_table(df), _policy(outcomes=[]))
    assert audit.grouping("region").reference == "r1"


def test_many_groups_stay_quick_and_a_real_gap_is_found():
    rng = np.random.default_rng(9)
    rows = 100_000
    df = pd.DataFrame({"zone": rng.integers(0, 100, rows).astype(str)})
    df["shown"] = (rng.random(rows) < np.where(df["zone"].isin(["1", "2"]), 0.05, 0.3)).astype(int)
    pol = policy_from_dict(
        {"fairness": {"decision": "shown", "protected": ["zone"], "bootstrap": 0, "min_cell": 100}}
    )
    audit = audit_fairness(duck_table(df), pol)
    fa002 = [f for f in audit.findings if f.code == "FA002"]
    assert len(fa002) == 1 and fa002[0].evidence["worse_off"] in {"1", "2"}
    assert {f.evidence["worse_off"] for f in audit.findings if f.code == "FA001"} == {"1", "2"}


def test_adverse_decision_never_given_to_one_group_reads_plainly():
    rng = np.random.default_rng(4)
    rows = 5000
    df = pd.DataFrame({"grp": rng.choice(["a", "b"], rows, p=[0.6, 0.4])})
    df["flagged"] = np.where(df["grp"] == "b", 0, (rng.random(rows) < 0.4).astype(int))
    pol = policy_from_dict(
        {"fairness": {"decision": "flagged", "favourable": False, "protected": ["grp"], "bootstrap": 0}}
    )
    fa001 = [f for f in audit_fairness(duck_table(df), pol).findings if f.code == "FA001"]
    assert len(fa001) == 1 and fa001[0].evidence["worse_off"] == "a"
    assert "gets the adverse decision 'flagged' while never given to 'b'" in fa001[0].message


# -- outcomes whose means are zero or negative: the difference decides, not a ratio of means ---------------


def _signed_outcome_log(mean_a: float, mean_b: float, seed: int = 0, rows: int = 6000) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    group = rng.choice(["a", "b"], rows, p=[0.4, 0.6])
    return pd.DataFrame(
        {
            "g": group,
            "shown": (rng.random(rows) < 0.5).astype(int),
            "region": rng.choice(["n", "s", "w"], rows),
            "price_change": np.where(group == "a", mean_a, mean_b) + 3 * rng.standard_normal(rows),
        }
    )


def _outcome_verdicts(df: pd.DataFrame, **fairness) -> dict[str, list[str]]:
    pol = policy_from_dict(
        {
            "fairness": {
                "decision": "shown",
                "protected": ["g"],
                "outcomes": ["price_change"],
                "reference": {"g": "b"},
                "bootstrap": 0,
                **fairness,
            }
        }
    )
    found: dict[str, list[str]] = {}
    for f in audit_fairness(duck_table(df), pol).result.findings:
        if f.code in ("FA005", "FA008"):
            found.setdefault(f.code, []).append(f.evidence["worse_off"])
    return found


@pytest.mark.parametrize("require_significance", [True, False])
@pytest.mark.parametrize(
    ("mean_a", "mean_b", "worse", "better_outcome"),
    [
        (10.0, -2.0, "a", "lower"),  # a surcharge against a discount: the ratio (-5) read it the other way
        (-20.0, -10.0, "b", "lower"),  # both discounts, a's the deeper: -20 / -10 = 2 blamed a
        (-20.0, -10.0, "a", "higher"),  # the same, when a higher value benefits the person
        (5.0, 0.0, "a", "lower"),  # a fee the reference never pays: no ratio at all, no verdict before
    ],
)
def test_signed_outcomes_name_the_group_really_worse_off(
    require_significance, mean_a, mean_b, worse, better_outcome
):
    df = _signed_outcome_log(mean_a, mean_b)
    if mean_b == 0.0:
        df.loc[df["g"] == "b", "price_change"] = 0.0
    found = _outcome_verdicts(
        df,
        require_significance=require_significance,
        controls=["region"],
        better_outcome={"price_change": better_outcome},
    )
    assert found.get("FA005") == [worse]
    assert found.get("FA008") == [worse]


def test_signed_outcome_gap_is_the_difference_over_the_reference_magnitude():
    df = _signed_outcome_log(-20.0, -10.0, seed=3)
    pol = policy_from_dict(
        {
            "fairness": {
                "decision": "shown",
                "protected": ["g"],
                "outcomes": ["price_change"],
                "reference": {"g": "b"},
            }
        }
    )
    [f] = [f for f in audit_fairness(duck_table(df), pol).result.findings if f.code == "FA005"]
    means = df.groupby("g")["price_change"].mean()
    assert f.evidence["measure"] == "relative difference"
    assert f.evidence["measured"] == pytest.approx(1 + (means["a"] - means["b"]) / abs(means["b"]))
    assert f.evidence["difference"]["value"] == pytest.approx(means["a"] - means["b"])
    assert f.evidence["ci"]["low"] < f.evidence["measured"] < f.evidence["ci"]["high"]


@pytest.mark.parametrize("mean", [-10.0, 0.0])
def test_equal_signed_outcomes_are_not_flagged(mean):
    for seed in range(5):
        assert _outcome_verdicts(_signed_outcome_log(mean, mean, seed=seed), controls=["region"]) == {}
