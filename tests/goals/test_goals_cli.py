"""`brandrail audit goals` and `brandrail audit policy-value` end to end, and the demo section."""

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from brandrail.cli import app
from brandrail.demo.goals import campaign_data, section, targeting_log

runner = CliRunner()


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("goals")
    campaign_data(6000, seed=1).to_parquet(d / "campaign.parquet")
    frame, pi, env = targeting_log(8000, seed=1)
    frame.to_csv(d / "log.csv", index=False)
    wide = frame.copy()
    for j, lab in enumerate(env.labels):
        wide[f"cand_{lab}"] = pi[:, j]
    wide.to_parquet(d / "log_wide.parquet")
    pd.DataFrame(pi, columns=list(env.labels)).to_csv(d / "cand.csv", index=False)
    from brandrail.demo import data_path

    (d / "policy.yaml").write_text(
        data_path("goals", "goals.yaml").read_text().replace("bootstrap: 500", "bootstrap: 100")
    )
    return d


def test_audit_goals_json_and_exit_code(files):
    res = runner.invoke(
        app,
        [
            "audit",
            "goals",
            str(files / "campaign.parquet"),
            "--policy",
            str(files / "policy.yaml"),
            "--format",
            "json",
        ],
    )
    assert res.exit_code == 1, res.output
    data = json.loads(res.stdout)
    assert data["schema_version"] == 1
    assert len(data["policy_version"]) == 64
    decisions = {v["variant"]: v["decision"] for v in data["verdicts"]}
    assert decisions["clickbait"] == "do-not-ship"
    assert "GL001" in {f["code"] for f in data["findings"]}


def test_audit_goals_text_and_out_dir(files, tmp_path):
    res = runner.invoke(
        app,
        [
            "audit",
            "goals",
            str(files / "campaign.parquet"),
            "-p",
            str(files / "policy.yaml"),
            "--out",
            str(tmp_path),
        ],
    )
    assert res.exit_code == 1
    assert "clickbait: DO-NOT-SHIP" in res.stdout
    html = (tmp_path / "goals.html").read_text()
    assert "Plotly.newPlot" in html and '<script src="http' not in html  # plotly.js inline, no network
    assert json.loads((tmp_path / "goals.json").read_text())["kind"] == "goals-audit"


@pytest.mark.parametrize(
    ("log", "spec"),
    [("log_wide.parquet", "column:cand_"), ("log.csv", "table:{d}/cand.csv")],
)
def test_policy_value_candidate_specs(files, log, spec):
    res = runner.invoke(
        app,
        [
            "audit",
            "policy-value",
            str(files / log),
            "--candidate",
            spec.format(d=files),
            "--policy",
            str(files / "policy.yaml"),
            "--format",
            "json",
            "--seed",
            "3",
        ],
    )
    assert res.exit_code == 1, res.output
    data = json.loads(res.stdout)
    assert data["goal"]["estimates"]["dr"]["lift"] < 0
    assert data["proxy"]["estimates"]["dr"]["lift"] > 0
    assert [f["code"] for f in data["findings"]] == ["GL010"]


def test_policy_value_html(files, tmp_path):
    res = runner.invoke(
        app,
        [
            "audit",
            "policy-value",
            str(files / "log_wide.parquet"),
            "-c",
            "column:cand_",
            "-p",
            str(files / "policy.yaml"),
            "--format",
            "html",
            "--out",
            str(tmp_path),
        ],
    )
    assert res.exit_code == 1
    assert "Importance weight distribution" in (tmp_path / "policy-value.html").read_text()


def test_bad_inputs_exit_2(files, tmp_path):
    frame = pd.read_csv(files / "log.csv")
    frame.loc[3, "propensity"] = 1.2
    frame.to_csv(tmp_path / "bad.csv", index=False)
    res = runner.invoke(
        app,
        [
            "audit",
            "policy-value",
            str(tmp_path / "bad.csv"),
            "-c",
            f"table:{files}/cand.csv",
            "-p",
            str(files / "policy.yaml"),
        ],
    )
    assert res.exit_code == 2
    assert "propensities outside (0, 1]" in res.stderr and "row 3" in res.stderr
    assert "Traceback" not in res.output
    res = runner.invoke(
        app,
        ["audit", "policy-value", str(files / "log.csv"), "-c", "bogus", "-p", str(files / "policy.yaml")],
    )
    assert res.exit_code == 2 and "cannot read --candidate" in res.stderr
    frame.drop(columns=["net_revenue"]).to_csv(tmp_path / "nogoal.csv", index=False)
    res = runner.invoke(
        app, ["audit", "goals", str(tmp_path / "nogoal.csv"), "-p", str(files / "policy.yaml")]
    )
    assert res.exit_code == 2 and "missing column" in res.stderr
    res = runner.invoke(
        app,
        [
            "audit",
            "goals",
            str(files / "campaign.parquet"),
            "-p",
            str(files / "policy.yaml"),
            "--format",
            "sarif",
        ],
    )
    assert res.exit_code == 2


def test_demo_section(tmp_path):
    s = section(tmp_path)
    labels = dict(s.summary)
    assert "clickbait: do-not-ship" in labels["subject-line test"]
    assert "GL001" in labels["goal findings"] and "GL010" in labels["goal findings"]
    assert all(p.exists() for p in s.reports)


def test_demo_targeting_truth():
    _, pi, env = targeting_log(1000)
    from brandrail.goals.synthetic import demo_env

    _, logging, cand = demo_env()
    assert env.goal_value(cand) < env.goal_value(logging)
    assert env.proxy_value(cand) > env.proxy_value(logging)
    assert np.allclose(pi.sum(axis=1), 1)


def test_registry_has_gl_codes():
    from brandrail.registry import get_rule

    for code in (
        "GL001",
        "GL002",
        "GL003",
        "GL004",
        "GL005",
        "GL006",
        "GL010",
        "GL011",
        "GL012",
        "GL013",
        "GL014",
        "GL015",
    ):
        rule = get_rule(code)
        assert rule is not None and rule.kind == "verdict"


def test_policy_value_python_candidate(files, tmp_path, monkeypatch):
    (tmp_path / "h6_candidate_mod.py").write_text(
        "import numpy as np\n"
        "from brandrail.goals.synthetic import demo_env, BanditEnv\n"
        "def score(features):\n"
        "    _, _, cand = demo_env()\n"
        "    return BanditEnv.rows(cand, features['segment'].to_numpy())\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    actions = [arg for a in targeting_log(10)[2].labels for arg in ("--action", a)]
    args = ["audit", "policy-value", str(files / "log.csv"), "-c", "python:h6_candidate_mod:score"]
    res = runner.invoke(app, [*args, "-p", str(files / "policy.yaml"), "--format", "json", *actions])
    assert res.exit_code == 1, res.output
    assert json.loads(res.stdout)["goal"]["estimates"]["dr"]["lift"] < 0


def test_audit_goals_from_database_url(files, tmp_path):
    import duckdb

    db = tmp_path / "exp.duckdb"
    con = duckdb.connect(str(db))
    con.execute(f"CREATE TABLE campaign AS SELECT * FROM read_parquet('{files / 'campaign.parquet'}')")
    con.close()
    res = runner.invoke(
        app,
        [
            "audit",
            "goals",
            f"duckdb:///{db}",
            "--table",
            "campaign",
            "-p",
            str(files / "policy.yaml"),
            "--format",
            "json",
        ],
    )
    assert res.exit_code == 1, res.output
    via_db = json.loads(res.stdout)
    res2 = runner.invoke(
        app,
        [
            "audit",
            "goals",
            str(files / "campaign.parquet"),
            "-p",
            str(files / "policy.yaml"),
            "--format",
            "json",
        ],
    )
    direct = json.loads(res2.stdout)
    assert [v["effects"][0]["ci"] for v in via_db["verdicts"]] == [
        v["effects"][0]["ci"] for v in direct["verdicts"]
    ]
    res = runner.invoke(app, ["audit", "goals", f"duckdb:///{db}", "-p", str(files / "policy.yaml")])
    assert res.exit_code == 2 and "needs a table name" in res.stderr
