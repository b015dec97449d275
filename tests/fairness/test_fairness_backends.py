"""The same audit on DuckDB, PostgreSQL (local server) and local-mode Spark gives the same numbers."""

from __future__ import annotations

import uuid

import pytest
from fairness_helpers import assert_close, duck_table, numbers, policy, small_log

from brandrail.fairness import audit_fairness

PG_URL = "postgres://postgres@127.0.0.1:5432/test"


def _log():
    return small_log(rows=1500, seed=21)


def _cli_json(args):
    import json
    import tempfile
    from pathlib import Path

    import yaml
    from fairness_helpers import FULL
    from typer.testing import CliRunner

    from brandrail.cli import app

    with tempfile.TemporaryDirectory() as tmp:
        policy_file = Path(tmp) / "policy.yaml"
        policy_file.write_text(yaml.safe_dump({"fairness": FULL}), encoding="utf-8")
        result = CliRunner().invoke(app, ["audit", "fairness", *args, "-p", str(policy_file), "-f", "json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def duck_numbers():
    return numbers(audit_fairness(duck_table(_log()), policy()))


@pytest.mark.postgres
@pytest.mark.xdist_group("fairness-postgres")
def test_postgres_matches_duckdb(duck_numbers):
    import ibis

    try:
        con = ibis.connect(PG_URL)
    except Exception as exc:  # pragma: no cover - CI always has the server
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    name = f"fairness_{uuid.uuid4().hex[:10]}"
    con.create_table(name, _log())
    try:
        via_connection = audit_fairness(con, policy(), table=name)
        via_url = audit_fairness(PG_URL, policy(), table=name)
        cli = _cli_json(["--db", PG_URL, "--table", name])
    finally:
        con.drop_table(name)
    assert cli["data"]["rows"] == len(_log())
    assert cli["findings"] == via_url.to_dict()["findings"]
    assert via_connection.data.backend == "postgres"
    assert_close(numbers(via_connection), duck_numbers)
    assert_close(numbers(via_url), duck_numbers)


@pytest.mark.spark
@pytest.mark.slow
@pytest.mark.xdist_group("fairness-spark")
def test_spark_matches_duckdb(duck_numbers):
    import ibis
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[1]")
        .appName("brandrail-fairness-test")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    try:
        con = ibis.pyspark.connect(session)
        table = con.create_table(f"fairness_{uuid.uuid4().hex[:8]}", _log())
        audit = audit_fairness(table, policy())
    finally:
        session.stop()
    assert audit.data.backend == "pyspark"
    assert_close(numbers(audit), duck_numbers)


@pytest.mark.postgres
@pytest.mark.xdist_group("fairness-postgres")
def test_postgres_nan_and_infinity_in_an_outcome_are_a_data_error():
    import ibis
    import numpy as np
    import pyarrow as pa

    from brandrail.errors import DataError

    try:
        con = ibis.connect(PG_URL)
    except Exception as exc:  # pragma: no cover - CI always has the server
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    log = _log().head(400)
    price = log["price"].to_numpy(dtype=float, copy=True)
    price[[0, 1]] = [np.nan, np.inf]
    table = pa.Table.from_pandas(log.drop(columns="price"), preserve_index=False).append_column(
        "price", pa.array(price)
    )
    name = f"fairness_{uuid.uuid4().hex[:10]}"
    con.create_table(name, table)
    try:
        with pytest.raises(
            DataError, match=r"'price' \(fairness.outcomes\) has 2 of 400 rows with NaN or infinite"
        ):
            audit_fairness(con, policy(), table=name)
    finally:
        con.drop_table(name)
