"""The audit finds the effects the synthetic generator injects, and nothing where none is injected."""

from __future__ import annotations

import json

import pytest
from fairness_helpers import duck_table, policy

from brandrail.fairness import audit_fairness
from brandrail.fairness.synthetic import Bias, generate_log

NO_BIAS = Bias(female_rate=1.0, age65_rate=1.0, price_markup_b=0.0, proxy_strength=0.0, skewed_ads=0.0)


@pytest.fixture(scope="module")
def biased():
    df = generate_log(20_000, seed=11, ads=20)
    return df, audit_fairness(
        duck_table(df), policy(reference={"sex": "male", "age_band": "35-49", "ethnicity": "A"})
    )


@pytest.fixture(scope="module")
def fair():
    df = generate_log(20_000, seed=12, bias=NO_BIAS, ads=20)
    return audit_fairness(
        duck_table(df), policy(reference={"sex": "male", "age_band": "35-49", "ethnicity": "A"})
    )


def _codes(audit, code, **evidence):
    return [
        f
        for f in audit.findings
        if f.code == code and all(f.evidence.get(k) == v for k, v in evidence.items())
    ]


def test_selection_bias_against_women_and_65_plus(biased):
    _df, audit = biased
    female = next(g for g in audit.grouping("sex").groups if g.group == "female")
    # injected: 0.7x overall, and 0.5x more on 30% of ads -> about 0.7 * (0.7 + 0.3 * 0.5) = 0.595
    assert 0.5 < female.rate_ratio.value < 0.7
    assert female.rate_ratio.low < 0.595 < female.rate_ratio.high
    assert _codes(audit, "FA001", grouping="sex", group="female")
    assert _codes(audit, "FA001", grouping="age_band", group="65+")
    assert not _codes(audit, "FA001", grouping="ethnicity")
    # the gap persists within regions (region is a legitimate control, the bias is not explained by it)
    assert _codes(audit, "FA008", attribute="sex", group="female")


def test_price_markup_on_group_b(biased):
    _, audit = biased
    rep = next(r for r in audit.outcomes if r.outcome == "price" and r.grouping == "ethnicity")
    b = next(g for g in rep.groups if g.group == "B")
    assert b.mean_ratio.low < 1.08 < b.mean_ratio.high
    assert b.median_ratio.low < 1.08 < b.median_ratio.high
    assert _codes(audit, "FA005", grouping="ethnicity", group="B")
    assert not _codes(audit, "FA005", grouping="ethnicity", group="C")
    assert not _codes(audit, "FA005", grouping="sex")


def test_zip3_is_a_proxy_and_device_is_not(biased):
    _, audit = biased
    assert _codes(audit, "FA007", feature="zip3", attribute="ethnicity")
    assert not _codes(audit, "FA007", feature="device")
    assert not _codes(audit, "FA007", feature="zip3", attribute="sex")


def test_delivery_skew_for_sex_only(biased):
    _, audit = biased
    sex = next(s for s in audit.skew if s.attribute == "sex")
    skewed = {f"ad{a:03d}" for a in range(6)}
    for ad in sex.per_ad:
        if ad.ad in skewed:
            assert ad.tvd > 0.1
    assert sex.share_within <= 0.75
    assert _codes(audit, "FA006", attribute="sex")
    assert not _codes(audit, "FA006", attribute="ethnicity")


def test_no_injected_bias_no_verdicts(fair):
    errors = [f for f in fair.findings if f.code in {"FA001", "FA005", "FA006", "FA007", "FA008"}]
    singles = [f for f in errors if " & " not in str(f.evidence.get("grouping", ""))]
    assert singles == []


def test_json_is_versioned_and_serialisable(biased):
    _, audit = biased
    data = json.loads(json.dumps(audit.to_dict(), allow_nan=False))
    assert data["schema_version"] == 1
    assert data["policy_version"] == audit.policy_version
    assert {f["code"] for f in data["findings"]} >= {"FA001", "FA005", "FA006", "FA007"}
    assert data["data"]["rows"] == 20_000


def test_progress_reports_each_backend_step():
    steps = []
    df = generate_log(2000, seed=5, ads=4)
    audit = audit_fairness(duck_table(df), policy(), progress=steps.append)
    assert steps[0] == "opening the decision log"
    assert "aggregating the decision cube" in steps
    assert "histogram of price" in steps
    assert "measuring delivery skew per ad" in steps
    assert "testing zip3 as a proxy" in steps
    # only aggregates travel: one cube, one histogram, one per-ad table, one table per proxy feature
    assert audit.data.queries == 5


def test_conditional_outcome_separates_a_control_effect_from_a_group_effect():
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(9)
    n = 12_000
    sex = rng.choice(["female", "male"], n)
    eth = rng.choice(["A", "B"], n, p=[0.7, 0.3])
    app = rng.random(n) < np.where(sex == "female", 0.8, 0.2)  # women mostly buy in the app
    price = 50 + 10 * app + rng.normal(0, 5, n)  # the app costs more, for everyone
    price = np.where(eth == "B", price * 1.08, price)  # ethnicity B pays 8% more, within each channel
    df = pd.DataFrame(
        {
            "shown": rng.integers(0, 2, n),
            "price": np.round(price, 2),
            "sex": sex,
            "ethnicity": eth,
            "channel": np.where(app, "app", "web"),
        }
    )
    section = {
        "decision": "shown",
        "outcomes": ["price"],
        "protected": ["sex", "ethnicity"],
        "controls": ["channel"],
        "reference": {"sex": "male", "ethnicity": "A"},
        "intersections": [],
        "label": None,
        "features": [],
        "ad": None,
        "eligible": None,
    }
    audit = audit_fairness(duck_table(df), policy(**section))
    # unconditionally women pay ~11% more (the channel mix) ...
    assert _codes(audit, "FA005", grouping="sex", group="female")
    sex = next(c for c in audit.conditional if c.attribute == "sex").outcomes[0]
    eth = next(c for c in audit.conditional if c.attribute == "ethnicity").outcomes[0]
    # ... but not within channels; ethnicity B pays 8% more within channels
    assert sex.standardized_ratio.low < 1.0 < sex.standardized_ratio.high
    assert eth.standardized_ratio.low < 1.08 < eth.standardized_ratio.high
    assert not _codes(audit, "FA008", attribute="sex", outcome="price")
    assert _codes(audit, "FA008", attribute="ethnicity", outcome="price")
    # pooled difference = inverse-variance weighted per-channel mean differences, computed from the rows
    num = den = 0.0
    for _, part in df.groupby("channel"):
        b, a = part[part.ethnicity == "B"].price, part[part.ethnicity == "A"].price
        se2 = b.var() / len(b) + a.var() / len(a)
        num += (b.mean() - a.mean()) / se2
        den += 1 / se2
    assert eth.pooled_difference.value == pytest.approx(num / den, rel=1e-9)
