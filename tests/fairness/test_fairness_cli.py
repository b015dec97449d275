"""`brandrail audit fairness`: formats, output files, exit codes 0 / 1 / 2."""

from __future__ import annotations

import json

import pytest
import yaml
from fairness_helpers import FULL, small_log
from typer.testing import CliRunner

from brandrail.cli import app
from brandrail.fairness.synthetic import Bias, generate_log

runner = CliRunner()


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    root = tmp_path_factory.mktemp("fairness-cli")
    small_log().to_parquet(root / "log.parquet")
    small_log().head(1000).to_csv(root / "part1.csv", index=False)
    small_log().iloc[1000:2000].to_csv(root / "part2.csv", index=False)
    (root / "policy.yaml").write_text(yaml.safe_dump({"fairness": FULL}), encoding="utf-8")
    return root


def test_text_output_and_exit_1_on_findings(files):
    result = runner.invoke(
        app, ["audit", "fairness", str(files / "log.parquet"), "-p", str(files / "policy.yaml")]
    )
    assert result.exit_code == 1, result.output
    assert "fairness audit: 4,000 rows" in result.stdout
    assert "FA001" in result.stdout
    assert "FAILED:" in result.stdout


def test_json_and_html_files(files, tmp_path):
    result = runner.invoke(
        app,
        [
            "audit",
            "fairness",
            str(files / "log.parquet"),
            "-p",
            str(files / "policy.yaml"),
            "-f",
            "json",
            "-o",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 1, result.output
    data = json.loads((tmp_path / "fairness.json").read_text())
    assert data["schema_version"] == 1 and data["kind"] == "fairness-audit"
    assert data["data"]["rows"] == 4000
    page = (tmp_path / "fairness.html").read_text()
    assert "<script src=" not in page  # plotly.js inline, no CDN
    assert "Plotly.newPlot" in page
    assert "Delivery skew" in page and "Proxy features" in page
    # rates with error bars, intersection heat map, delivery-skew histogram, price distribution by group
    for chart in ('"error_y"', '"type":"heatmap"', '"type":"histogram"', '"type":"box"'):
        assert chart in page, chart


def test_csv_glob(files):
    result = runner.invoke(
        app, ["audit", "fairness", str(files / "part*.csv"), "-p", str(files / "policy.yaml"), "-f", "json"]
    )
    assert result.exit_code in (0, 1), result.output
    assert json.loads(result.stdout)["data"]["rows"] == 2000


def test_exit_0_without_findings(tmp_path):
    fair = Bias(
        female_rate=1, age65_rate=1, price_markup_b=0, proxy_strength=0, skewed_ads=0, region_effect=0
    )
    generate_log(3000, seed=4, bias=fair).to_parquet(tmp_path / "fair.parquet")
    section = {"decision": "shown", "protected": ["sex"], "outcomes": ["price"], "min_cell": 200}
    (tmp_path / "p.yaml").write_text(yaml.safe_dump({"fairness": section}), encoding="utf-8")
    result = runner.invoke(
        app, ["audit", "fairness", str(tmp_path / "fair.parquet"), "-p", str(tmp_path / "p.yaml")]
    )
    assert result.exit_code == 0, result.output
    assert "PASSED" in result.stdout


def test_misspelled_column_exit_2(files, tmp_path):
    section = dict(FULL, protected=["sex", "ethnicty"])
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump({"fairness": section}), encoding="utf-8")
    result = runner.invoke(
        app, ["audit", "fairness", str(files / "log.parquet"), "-p", str(tmp_path / "bad.yaml")]
    )
    assert result.exit_code == 2
    assert "column 'ethnicty' (fairness.protected) is not in the data" in result.stderr
    assert "did you mean 'ethnicity'?" in result.stderr
    assert "Traceback" not in result.output


def test_bad_policy_key_exit_2(files, tmp_path):
    (tmp_path / "bad.yaml").write_text("fairness:\n  protectd: [sex]\n", encoding="utf-8")
    result = runner.invoke(
        app, ["audit", "fairness", str(files / "log.parquet"), "-p", str(tmp_path / "bad.yaml")]
    )
    assert result.exit_code == 2
    assert "protectd" in result.stderr


def test_usage_errors_exit_2(files):
    both = runner.invoke(
        app,
        [
            "audit",
            "fairness",
            str(files / "log.parquet"),
            "--db",
            "duckdb://",
            "-p",
            str(files / "policy.yaml"),
        ],
    )
    assert both.exit_code == 2
    no_table = runner.invoke(
        app, ["audit", "fairness", "--db", "duckdb://", "-p", str(files / "policy.yaml")]
    )
    assert no_table.exit_code == 2 and "--table" in no_table.stderr
    sarif = runner.invoke(
        app,
        ["audit", "fairness", str(files / "log.parquet"), "-p", str(files / "policy.yaml"), "-f", "sarif"],
    )
    assert sarif.exit_code == 2 and "not available" in sarif.stderr
    missing = runner.invoke(
        app, ["audit", "fairness", str(files / "nope.parquet"), "-p", str(files / "policy.yaml")]
    )
    assert missing.exit_code == 2 and "no such file" in missing.stderr


def test_duckdb_file_with_table(files, tmp_path):
    import duckdb

    path = tmp_path / "log.duckdb"
    con = duckdb.connect(str(path))
    con.execute(f"CREATE TABLE decisions AS SELECT * FROM read_parquet('{files / 'log.parquet'}')")
    con.close()
    result = runner.invoke(
        app, ["audit", "fairness", str(path), "-p", str(files / "policy.yaml"), "-f", "json"]
    )
    assert result.exit_code == 1, result.output
    assert json.loads(result.stdout)["data"]["rows"] == 4000
    url = runner.invoke(
        app,
        [
            "audit",
            "fairness",
            "--db",
            f"duckdb://{path}",
            "--table",
            "decisons",
            "-p",
            str(files / "policy.yaml"),
        ],
    )
    assert url.exit_code == 2 and "did you mean 'decisions'?" in url.stderr
