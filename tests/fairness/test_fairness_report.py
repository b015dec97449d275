"""Reports a marketer reads (issue 12, item 7): plotly.js once per report folder, a "what to do" line for
every fairness and goal finding, and the jargon explained."""

from __future__ import annotations

import yaml
from fairness_helpers import FULL, small_log
from typer.testing import CliRunner

from brandrail.cli import app
from brandrail.demo import data_path
from brandrail.demo.goals import campaign_data

runner = CliRunner()
MB = 1_000_000


def test_reports_in_one_folder_share_one_plotly_js(tmp_path):
    small_log().to_parquet(tmp_path / "log.parquet")
    (tmp_path / "policy.yaml").write_text(yaml.safe_dump({"fairness": {**FULL, "bootstrap": 0}}))
    campaign_data(2000, seed=1).to_parquet(tmp_path / "campaign.parquet")
    (tmp_path / "goals.yaml").write_text(data_path("goals", "goals.yaml").read_text())
    out = tmp_path / "reports"
    res = runner.invoke(
        app,
        [
            "audit",
            "fairness",
            str(tmp_path / "log.parquet"),
            "-p",
            str(tmp_path / "policy.yaml"),
            "-o",
            str(out),
        ],
    )
    assert res.exit_code == 1, res.output
    res = runner.invoke(
        app,
        [
            "audit",
            "goals",
            str(tmp_path / "campaign.parquet"),
            "-p",
            str(tmp_path / "goals.yaml"),
            "--out",
            str(out),
        ],
    )
    assert res.exit_code in (0, 1), res.output
    assert sorted(p.name for p in out.glob("*.js")) == ["plotly.min.js"]
    assert (out / "plotly.min.js").stat().st_size > 3 * MB
    for page in ("fairness.html", "goals.html"):
        text = (out / page).read_text(encoding="utf-8")
        assert len(text) < MB, page  # the bundle is not embedded
        assert '<script charset="utf-8" src="plotly.min.js"></script>' in text
        assert text.count("plotly.min.js") == 1 and "Plotly.newPlot" in text


def test_html_on_stdout_stays_self_contained(tmp_path):
    small_log().to_parquet(tmp_path / "log.parquet")
    (tmp_path / "policy.yaml").write_text(yaml.safe_dump({"fairness": {**FULL, "bootstrap": 0}}))
    res = runner.invoke(
        app,
        [
            "audit",
            "fairness",
            str(tmp_path / "log.parquet"),
            "-p",
            str(tmp_path / "policy.yaml"),
            "-f",
            "html",
        ],
    )
    assert 'src="plotly.min.js"' not in res.stdout and len(res.stdout) > 3 * MB


def test_every_fairness_finding_says_what_to_do_and_the_report_explains_its_terms(tmp_path):
    from fairness_helpers import duck_table, policy

    from brandrail.fairness import audit_fairness
    from brandrail.fairness.report import render_html, render_text, what_to_do

    audit = audit_fairness(duck_table(small_log()), policy(bootstrap=0))
    assert audit.findings
    for f in audit.findings:
        advice = what_to_do(f)
        assert advice, f.code
        if "worse_off" in f.evidence:
            assert repr(f.evidence["worse_off"]) in advice
    text = render_text(audit)
    assert text.count("what to do:") == sum(1 for f in audit.findings if f.severity.value != "info")
    page = render_html(audit)
    for term in ("q (q-value)", "TPR / FPR", "equalized odds (EOdds)", "four-fifths rule", "what to do"):
        assert term in page


def test_every_goal_finding_says_what_to_do():
    from brandrail.goals import audit_goals
    from brandrail.goals.codes import __all__ as goal_codes
    from brandrail.goals.report import _ADVICE, goals_text, what_to_do
    from brandrail.policy import load_policy
    from brandrail.registry import get_rule

    audit = audit_goals(campaign_data(4000, seed=1), load_policy(data_path("goals", "goals.yaml")))
    assert audit.findings
    for f in audit.findings:
        assert what_to_do(f)
        if "variant" in f.evidence:
            assert repr(f.evidence["variant"]) in what_to_do(f)
    assert goals_text(audit).count("what to do:") == len(audit.findings)
    import brandrail.goals.codes as codes

    every = {getattr(codes, name).code for name in goal_codes}
    assert every == set(_ADVICE)
    assert all(get_rule(code) is not None for code in every)


def test_every_fa_code_has_advice():
    import brandrail.fairness.codes as codes
    from brandrail.fairness.report import what_to_do

    for name in codes.__all__:
        finding = getattr(codes, name).finding("message", evidence={})
        assert what_to_do(finding), name
