"""Every bad input to `brandrail audit fairness` exits 2 with one clear message and no traceback (issue 14,
items 21, 22 and 28)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from fairness_helpers import FULL, small_log
from typer.testing import CliRunner

from brandrail.cli import app

runner = CliRunner()


def _write(frame: pd.DataFrame, path):
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)
    return path


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    d = tmp_path_factory.mktemp("fairness-bad")
    (d / "policy.yaml").write_text(yaml.safe_dump({"fairness": {**FULL, "bootstrap": 0}}), encoding="utf-8")
    log = small_log().head(1500).copy()
    (d / "empty.csv").write_text("")
    (d / "header.csv").write_text(",".join(log.columns) + "\n")
    (d / "corrupt.parquet").write_bytes(b"PAR1 not really parquet")
    _write(log.assign(shown=np.where(log["shown"] == 1, "yes", "no")), d / "string_decision.parquet")
    price = log["price"].to_numpy(dtype=float, copy=True)
    price[:2] = np.nan
    price[2] = np.inf
    table = pa.Table.from_pandas(log.drop(columns="price"), preserve_index=False)
    pq.write_table(table.append_column("price", pa.array(price)), d / "nan_price.parquet")
    _write(log.assign(sex=pd.Series([None] * len(log), dtype="string")), d / "null_sex.parquet")
    _write(log.assign(sex="female"), d / "one_sex.parquet")
    _write(log.head(1), d / "one_row.parquet")
    sex = log["sex"].astype(str)
    _write(log.assign(sex=sex.where(log.index % 3 != 0, sex.str.upper() + " ")), d / "spellings.parquet")
    return d


CASES = {
    "missing file": ("nope.parquet", "no such file"),
    "empty file": ("empty.csv", "empty.csv"),
    "header only": ("header.csv", "no rows"),
    "corrupt parquet": ("corrupt.parquet", "cannot read"),
    "wrong type": ("string_decision.parquet", "must be binary"),
    "nan/inf outcome": ("nan_price.parquet", "'price' (fairness.outcomes) has 3 of 1500 rows"),
    "all-null protected": ("null_sex.parquet", "'sex' is empty (null) in all 1500 rows"),
    "single group": ("one_sex.parquet", "'sex' has a single group"),
    "one row": ("one_row.parquet", "single group"),
    "one group, several spellings": ("spellings.parquet", "(fairness.protected) spells 3 group(s)"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_exits_2_with_one_message(root, case):
    name, expected = CASES[case]
    res = runner.invoke(app, ["audit", "fairness", str(root / name), "-p", str(root / "policy.yaml")])
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output and "SELECT" not in res.output
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert 1 <= len(lines) <= 2 and lines[0].startswith("error: "), res.stderr
    assert expected in res.stderr


def test_an_internal_error_exits_2_and_says_so(root, monkeypatch):
    import brandrail.fairness as fairness

    def boom(*args, **kwargs):
        raise RuntimeError("something broke\nsecond line")

    monkeypatch.setattr(fairness, "audit_fairness", boom)
    res = runner.invoke(
        app, ["audit", "fairness", str(root / "one_sex.parquet"), "-p", str(root / "policy.yaml")]
    )
    assert res.exit_code == 2
    assert res.stderr.strip().startswith("error: internal error: RuntimeError: something broke")
    assert "second line" not in res.stderr and "Traceback" not in res.output
