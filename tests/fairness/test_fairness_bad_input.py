"""Bad input: clear DataError messages naming the column and the fix."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from fairness_helpers import duck_table, policy, small_log

from brandrail.errors import DataError, InputError, UsageError
from brandrail.fairness import audit_fairness
from brandrail.policy import policy_from_dict


def _small():
    return small_log().head(600).copy()


def test_misspelled_column_names_it_and_the_nearest():
    with pytest.raises(DataError) as err:
        audit_fairness(duck_table(_small()), policy(protected=["sex", "ethnicty"]))
    text = str(err.value)
    assert "'ethnicty' (fairness.protected) is not in the data" in text
    assert "did you mean 'ethnicity'?" in text


def test_case_mismatch_suggests_the_real_column():
    with pytest.raises(DataError, match="did you mean 'shown'"):
        audit_fairness(duck_table(_small()), policy(decision="Shown"))


def test_non_binary_decision_lists_values():
    df = _small()
    df.loc[df.index[:3], "shown"] = 2
    with pytest.raises(DataError) as err:
        audit_fairness(duck_table(df), policy())
    assert "'shown' (fairness.decision) must be binary 0/1 but 3 rows hold other values (2)" in str(err.value)


def test_string_decision_is_rejected_with_a_hint():
    df = _small()
    df["shown"] = np.where(df["shown"] == 1, "yes", "no")
    with pytest.raises(DataError, match=r"must be binary .* but has type string"):
        audit_fairness(duck_table(df), policy())


def test_missing_decision_values_are_counted():
    df = _small().astype({"shown": "float64"})
    df.loc[df.index[:4], "shown"] = np.nan
    with pytest.raises(DataError, match="has 4 missing values"):
        audit_fairness(duck_table(df), policy())


def test_empty_table():
    with pytest.raises(DataError, match="no rows"):
        audit_fairness(duck_table(_small().head(0)), policy())


def test_ten_thousand_categories():
    df = small_log(rows=12000, seed=3).copy()
    df["customer"] = [f"c{i}" for i in range(len(df))]
    with pytest.raises(DataError) as err:
        audit_fairness(duck_table(df), policy(protected=["sex", "customer"], features=[], ad=None))
    assert "column 'customer' has 12000 distinct values, more than fairness.max_categories (1000)" in str(
        err.value
    )
    with pytest.raises(DataError, match=r"'customer' \(fairness.features\) has more than 1000 distinct"):
        audit_fairness(duck_table(df), policy(features=["customer"], ad=None))


def test_nulls_as_group_or_excluded_are_counted():
    df = _small()
    df["ethnicity"] = df["ethnicity"].astype(object)
    df.loc[df.index[:50], "ethnicity"] = None
    as_group = audit_fairness(duck_table(df), policy(min_cell=1))
    eth = as_group.grouping("ethnicity")
    missing = next(g for g in eth.groups if g.group == "(missing)")
    assert missing.n == 50
    assert as_group.data.missing["ethnicity"] == 50
    assert any(f.code == "FA010" and f.evidence["rows"] == 50 for f in as_group.findings)
    excluded = audit_fairness(duck_table(df), policy(min_cell=1, nulls="exclude"))
    assert excluded.data.excluded == 50
    assert excluded.data.rows_used == len(df) - 50
    assert all(g.group != "(missing)" for g in excluded.grouping("ethnicity").groups)
    assert sum(g.n for g in excluded.grouping("sex").groups) == len(df) - 50


def test_group_absent_from_a_stratum_is_reported():
    df = _small()
    df = df[~((df["age_band"] == "65+") & (df["region"] == "north"))]
    audit = audit_fairness(duck_table(df), policy(min_cell=1))
    cond = next(c for c in audit.conditional if c.attribute == "age_band")
    north = next(s for s in cond.strata if s.stratum == {"region": "north"})
    assert north.absent == ["65+"]
    fa011 = [f for f in audit.findings if f.code == "FA011" and f.evidence["attribute"] == "age_band"]
    assert fa011 and fa011[0].evidence["absent"] == {"65+": [{"region": "north"}]}


def test_missing_file_and_unknown_table(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        audit_fairness(tmp_path / "nope.parquet", policy())
    import ibis

    con = ibis.duckdb.connect()
    con.create_table("decisions", _small())
    with pytest.raises(DataError, match="did you mean 'decisions'"):
        audit_fairness(con, policy(), table="decision")


def test_no_protected_attributes_is_a_usage_error():
    with pytest.raises(UsageError, match="no protected attributes"):
        audit_fairness(duck_table(_small()), policy(protected=[], features=[]))


def test_unknown_named_reference():
    with pytest.raises(DataError, match="reference group 'men' for 'sex'"):
        audit_fairness(duck_table(_small()), policy(reference={"sex": "men"}))


def test_boolean_decision_gives_the_same_numbers_as_0_1():
    from fairness_helpers import assert_close, numbers

    df = _small()
    as_bool = df.assign(shown=df["shown"].astype(bool), converted=df["converted"].astype(bool))
    a = numbers(audit_fairness(duck_table(df), policy()))
    b = numbers(audit_fairness(duck_table(as_bool), policy()))
    assert_close(a, b)  # DuckDB sums doubles in parallel: the last bits may differ between runs


def test_non_binary_label():
    df = _small()
    df.loc[df.index[:2], "converted"] = 5
    with pytest.raises(DataError, match=r"'converted' \(fairness.label\) must be binary 0/1 but 2 rows"):
        audit_fairness(duck_table(df), policy())


def test_non_numeric_outcome():
    df = _small().assign(price="cheap")
    with pytest.raises(DataError, match=r"'price' \(fairness.outcomes\) must be numeric"):
        audit_fairness(duck_table(df), policy())


def test_one_group_spelled_several_ways_is_refused_not_split():
    """Case, spacing, full-width and look-alike letters must not split a group: split into spellings each
    below min_cell, a group disadvantaged 0.6x would be suppressed instead of found."""
    rng = np.random.default_rng(0)
    n = 4000
    sex = rng.choice(["male", "female"], n)
    shown = (rng.random(n) < np.where(sex == "male", 0.5, 0.3)).astype(int)
    df = pd.DataFrame({"sex": sex, "shown": shown})
    pol = policy_from_dict({"fairness": {"decision": "shown", "protected": ["sex"], "min_cell": 250}})
    clean = audit_fairness(duck_table(df), pol)
    assert {"FA001", "FA002"} <= {f.code for f in clean.result.findings}
    spellings = [
        "female",
        "Female",
        " female",
        "FEMALE ",
        "ｆｅｍａｌｅ",
        "f\u0435male",
        "fe\u200bmale",
        "fe\u00admale\t",
    ]
    female = np.flatnonzero(sex == "female")
    disguised = df.assign(sex=df["sex"].astype(object))
    disguised.loc[female, "sex"] = rng.choice(spellings, female.size)
    with pytest.raises(DataError) as err:
        audit_fairness(duck_table(disguised), pol)
    text = str(err.value)
    assert text.startswith("column 'sex' (fairness.protected) spells 1 group(s) in several ways")
    assert all(f"{s!r} (" in text for s in spellings) and "more" not in text
    assert "lower(trim(sex))" in err.value.hint


def test_a_control_spelled_several_ways_is_refused():
    df = _small()
    df["region"] = df["region"].astype(str)
    df.loc[df.index[:40], "region"] = df.loc[df.index[:40], "region"].str.upper() + " "
    with pytest.raises(DataError, match=r"'region' \(fairness.controls\) spells"):
        audit_fairness(duck_table(df), policy())


def test_groups_that_only_look_related_are_not_spellings():
    df = _small()
    df["sex"] = np.where(df["sex"] == df["sex"].iloc[0], "male", "female")
    df.loc[df.index[:50], "sex"] = "Male-to-female"  # a group of its own, not a spelling of either
    audit = audit_fairness(duck_table(df), policy())
    assert {g.group for g in audit.groupings[0].groups} == {"male", "female", "Male-to-female"}
