"""Experiment verdicts pushed down to PostgreSQL through Ibis."""

import os
import uuid

import pytest

from brandrail.goals import audit_goals
from brandrail.goals.synthetic import VariantTruth, campaign
from brandrail.policy import loads_policy

URL = os.environ.get("BRANDRAIL_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.mark.postgres
def test_audit_goals_on_postgres():
    sqlalchemy = pytest.importorskip("sqlalchemy")
    frame = campaign(
        {
            "control": VariantTruth(0.2, 0.03, 0.02, 80, 0.003),
            "clickbait": VariantTruth(0.3, 0.04, 0.012, 80, 0.009),
        },
        4000,
        seed=4,
    )
    table = f"h6_goals_{uuid.uuid4().hex[:10]}"
    engine = sqlalchemy.create_engine(URL.replace("postgresql://", "postgresql+psycopg://"))
    frame.to_sql(table, engine, index=False)
    try:
        pol = loads_policy(
            "goals: {objective: {name: net_revenue, pre_column: pre_revenue},"
            " proxies: [{name: opened, kind: proportion}],"
            " guardrails: [{name: unsubscribed, kind: proportion, higher_is_better: false, margin: 0.002}]}"
        )
        via_pg = audit_goals(URL, pol, table=table)
        local = audit_goals(frame, pol)
        for metric in ("net_revenue", "opened", "unsubscribed"):
            a = via_pg.verdict("clickbait").effect(metric)
            b = local.verdict("clickbait").effect(metric)
            assert (a.ci_low, a.ci_high) == pytest.approx((b.ci_low, b.ci_high), rel=1e-9)
        assert via_pg.verdict("clickbait").decision == "do-not-ship"
    finally:
        with engine.begin() as con:
            con.execute(sqlalchemy.text(f'DROP TABLE IF EXISTS "{table}"'))
        engine.dispose()
