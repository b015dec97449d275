"""The content audit over tables: same findings as checking each message, any worker count, resumable,
clear errors for bad input, Wilson/Newcombe intervals against closed-form references."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from audit_testlib import POLICY, make_rows, policy, write_parquet

pytest.importorskip("duckdb")
pytestmark = pytest.mark.extras

from brandrail import loads_policy  # noqa: E402
from brandrail.audit import audit_content  # noqa: E402
from brandrail.audit.summary import newcombe, parse_compare, wilson  # noqa: E402
from brandrail.engine import check_document  # noqa: E402
from brandrail.errors import DataError, InputError, UsageError  # noqa: E402
from brandrail.text.document import Document  # noqa: E402


def _findings(out: Path) -> list[tuple[Any, ...]]:
    import duckdb

    rows = duckdb.sql(
        f"SELECT message_id, code, span_start, span_end, severity FROM read_parquet('{out}/findings/*.parquet') "
        "ORDER BY ALL"
    ).fetchall()
    return [tuple(r) for r in rows]


def _messages(out: Path) -> list[tuple[Any, ...]]:
    import duckdb

    return [
        tuple(r)
        for r in duckdb.sql(
            f"SELECT message_id, status, errors, warnings, infos, week FROM read_parquet('{out}/messages/*.parquet') "
            "ORDER BY ALL"
        ).fetchall()
    ]


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    rows = make_rows(600)
    path = tmp_path_factory.mktemp("src") / "sent.parquet"
    write_parquet(rows, path)
    return path, rows


def test_findings_equal_checking_each_message_one_by_one(
    data: tuple[Path, list[dict[str, Any]]], tmp_path: Path
) -> None:
    path, rows = data
    pol = policy()
    audit = audit_content(path, pol, out=tmp_path / "out", workers=1, batch_size=64)
    expected = []
    for row in rows:
        if row["body"] is None:
            continue
        result = check_document(Document(row["body"], channel=row["channel"]), pol)
        for f in result.findings:
            expected.append(
                (
                    row["msg_id"],
                    f.code,
                    f.span.start if f.span else None,
                    f.span.end if f.span else None,
                    f.severity.value,
                )
            )
    assert _findings(tmp_path / "out") == sorted(
        expected, key=lambda t: tuple("" if v is None else v for v in t)
    )
    nulls = sum(1 for r in rows if r["body"] is None)
    assert audit.skipped == {"null_text": nulls}
    assert audit.messages == len(rows) - nulls and audit.rows == len(rows)
    failed = sum(
        1
        for r in rows
        if r["body"] is not None and not check_document(Document(r["body"], channel=r["channel"]), pol).passed
    )
    assert audit.failed.k == failed and audit.failed.n == audit.messages
    assert audit.policy_version == pol.version


def test_one_and_two_workers_give_the_same_rows(data: tuple[Path, Any], tmp_path: Path) -> None:
    path, _ = data
    pol = policy()
    audit_content(path, pol, out=tmp_path / "one", workers=1, batch_size=50)
    audit_content(path, pol, out=tmp_path / "two", workers=2, batch_size=50)
    assert _findings(tmp_path / "one") == _findings(tmp_path / "two")
    assert _messages(tmp_path / "one") == _messages(tmp_path / "two")


def test_an_interrupted_audit_resumes_where_it_stopped(data: tuple[Path, Any], tmp_path: Path) -> None:
    path, _ = data
    pol = policy()
    calls = {"n": 0}

    def interrupt(done: int, total: int) -> None:
        calls["n"] += 1
        if calls["n"] == 4:  # the initial call, then three finished batches
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        audit_content(path, pol, out=tmp_path / "out", workers=1, batch_size=50, progress=interrupt)
    done = len(list((tmp_path / "out" / "batches").glob("*.json")))
    assert done == 3
    resumed = audit_content(path, pol, out=tmp_path / "out", workers=2, batch_size=50)
    assert resumed.run["resumed_batches"] == 3
    audit_content(path, pol, out=tmp_path / "whole", workers=1, batch_size=50)
    assert _findings(tmp_path / "out") == _findings(tmp_path / "whole")
    assert _messages(tmp_path / "out") == _messages(tmp_path / "whole")


def test_an_out_folder_of_another_audit_is_refused_unless_fresh(
    data: tuple[Path, Any], tmp_path: Path
) -> None:
    path, _ = data
    audit_content(path, policy(), out=tmp_path / "out", workers=1)
    other = loads_policy(POLICY.replace("cheap", "bargain"))
    with pytest.raises(UsageError, match=r"holds another audit .*policy_version"):
        audit_content(path, other, out=tmp_path / "out", workers=1)
    again = audit_content(path, other, out=tmp_path / "out", workers=1, fresh=True)
    assert again.policy_version == other.version
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(UsageError, match="not empty"):
        audit_content(path, other, out=tmp_path / "busy", workers=1)
    assert (tmp_path / "busy" / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_wilson_and_newcombe_match_closed_forms() -> None:
    z = 1.959963984540054
    low, high = wilson(0, 10)
    assert low == 0.0 and math.isclose(high, z * z / (10 + z * z), rel_tol=1e-12)
    low, high = wilson(5, 10)
    assert math.isclose(low + high, 1.0, rel_tol=1e-12)
    # Newcombe (1998), Statistics in Medicine 17:873, Table II, example (a): 56/70 vs 48/80, method 10.
    diff, low, high = newcombe(48, 80, 56, 70)
    assert math.isclose(diff, 0.2, rel_tol=1e-12)
    assert round(low, 4) == 0.0524 and round(high, 4) == 0.3339


def test_compare_says_which_is_better_only_when_the_interval_excludes_zero(tmp_path: Path) -> None:
    rows = make_rows(400, nulls=False)
    for i, row in enumerate(rows):  # model-b only ever sends clean copy; model-a breaks policy half the time
        row["model"] = "model-a" if i % 2 else "model-b"
        row["body"] = "A flimsy tent." if (row["model"] == "model-a" and i % 4 == 1) else "A light tent."
    path = write_parquet(rows, tmp_path / "m.parquet")
    plain = loads_policy(
        "terms: {banned: [{term: flimsy}]}\naudit: {content: {text: body, id: msg_id, sent_at: sent_at, model: model}}\n"
    )
    audit = audit_content(path, plain, out=tmp_path / "out", workers=1, compare="model=model-a,model-b")
    assert audit.comparison is not None
    assert audit.comparison.rate_a.k == 100 and audit.comparison.rate_b.k == 0
    assert audit.comparison.verdict.startswith("model-b is better")
    same = audit_content(
        path,
        plain,
        out=tmp_path / "out2",
        workers=1,
        compare="period=2026-01-05..2026-02-10,2026-02-11..2026-06-30",
    )
    assert same.comparison is not None and same.comparison.rate_a.n + same.comparison.rate_b.n == 400


@pytest.mark.parametrize(
    "spec",
    [
        "model",
        "model=a",
        "colour=a,b",
        "period=2026-01-01,2026-02-01",
        "period=2026-02-01..2026-01-01,2026-03-01..2026-04-01",
    ],
)
def test_bad_compare_specs_are_refused_before_any_work(spec: str) -> None:
    with pytest.raises(UsageError):
        parse_compare(spec)


def test_what_if_names_what_a_new_policy_flags(
    data: tuple[Path, list[dict[str, Any]]], tmp_path: Path
) -> None:
    path, rows = data
    old = policy()
    new = loads_policy(
        POLICY.replace(
            "    - {term: cheap, replacement: affordable}\n",
            "    - {term: cheap, replacement: affordable}\n    - {term: boots, replacement: footwear}\n",
        )
    )
    audit_content(path, old, out=tmp_path / "old", workers=1)
    audit = audit_content(path, new, out=tmp_path / "new", workers=1, baseline=tmp_path / "old")
    assert audit.whatif is not None
    with_boots = {r["msg_id"] for r in rows if r["body"] and "boots" in r["body"]}
    added = {r["code"]: r["messages_added"] for r in audit.whatif["rules"]}
    assert added.get("BR101") == len(with_boots)
    assert audit.whatif["baseline_policy_version"] == old.version
    assert audit.whatif["policy_version"] == new.version


def test_missing_text_column_names_the_nearest(tmp_path: Path) -> None:
    path = write_parquet([{"msg_id": "1", "Body": "hi", "channel": "sms"}], tmp_path / "m.parquet")
    with pytest.raises(DataError, match=r"column 'body' \(audit.content.text\).*") as info:
        audit_content(path, policy(), out=tmp_path / "out", columns={"sent_at": None})
    assert "did you mean 'Body'" in str(info.value)


def test_unknown_channel_values_are_listed_with_counts(tmp_path: Path) -> None:
    rows = make_rows(30, nulls=False)
    for row in rows[:4]:
        row["channel"] = "fax"
    rows[4]["channel"] = "pigeon"
    path = write_parquet(rows, tmp_path / "m.parquet")
    with pytest.raises(DataError) as info:
        audit_content(path, policy(), out=tmp_path / "out")
    text = str(info.value)
    assert "'fax' (4 rows)" in text and "'pigeon' (1 rows)" in text and "email, sms" in text
    assert not (tmp_path / "out").exists()


def test_an_id_on_several_rows_is_refused_before_any_checking(tmp_path: Path) -> None:
    """Rule rates and the what-if count messages by id: nine flagged rows under one id read as one."""
    rows = make_rows(40, nulls=False)
    for row in rows[:9]:
        row["msg_id"] = "same"
    rows[10]["msg_id"] = rows[11]["msg_id"] = "twice"
    path = write_parquet(rows, tmp_path / "m.parquet")
    with pytest.raises(DataError) as info:
        audit_content(path, policy(), out=tmp_path / "out")
    text = str(info.value)
    assert "id column 'msg_id' (audit.content.id) is not unique" in text
    assert "2 values are on more than one row: 'same' (9 rows), 'twice' (2 rows)" in text
    assert "map none" in text and not (tmp_path / "out").exists()
    # many repeated ids: the five on most rows, and how many more
    many = make_rows(40, nulls=False)
    for i, row in enumerate(many):
        row["msg_id"] = f"id{i // 2:02d}"
    with pytest.raises(
        DataError, match=r"20 values are on more than one row: 'id00' \(2 rows\), .* and 15 more"
    ):
        audit_content(write_parquet(many, tmp_path / "many.parquet"), policy(), out=tmp_path / "out")
    # unmapped, rows are numbered: the same table is audited and every row counts
    no_id = loads_policy(POLICY.replace("id: msg_id, ", ""))
    audit = audit_content(path, no_id, out=tmp_path / "numbered", workers=1)
    assert audit.messages == 40 and {r["code"]: r["messages"] for r in audit.by_rule}


def test_null_ids_are_numbered_not_duplicates(tmp_path: Path) -> None:
    rows = make_rows(30, nulls=False)
    for row in rows[:5]:
        row["msg_id"] = None
    audit = audit_content(
        write_parquet(rows, tmp_path / "m.parquet"), policy(), out=tmp_path / "out", workers=1
    )
    assert audit.messages == 30


def test_a_text_column_of_numbers_lists_or_structs_is_refused(tmp_path: Path) -> None:
    """Checked as their printed form ("123", "['a', 'b']"), such values pass: the audit said "No message failed"
    about a column that holds no messages."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(
        {
            "num": pa.array([123, 7]),
            "words": pa.array([["flimsy", "x"], ["fine"]]),
            "obj": pa.array([{"a": "flimsy"}, {"a": "ok"}]),
            "day": pa.array([None, None], pa.date32()),
            "body": pa.array(["flimsy", "fine"]),
            "raw": pa.array([b"flimsy", b"fine"]),
        }
    )
    pq.write_table(table, tmp_path / "m.parquet")
    pol = loads_policy("terms: {banned: [{term: flimsy}]}\n")
    for column, kind in (
        ("num", "BIGINT"),
        ("words", "VARCHAR[]"),
        ("obj", "STRUCT(a VARCHAR)"),
        ("day", "DATE"),
    ):
        with pytest.raises(
            DataError, match=rf"column '{column}' \(audit.content.text\) holds {re.escape(kind)} values"
        ):
            audit_content(tmp_path / "m.parquet", pol, out=tmp_path / column, columns={"text": column})
        assert not (tmp_path / column).exists()
    (tmp_path / "m.csv").write_text("body\n123\n456\n", encoding="utf-8")
    with pytest.raises(DataError, match="holds BIGINT values, not text"):
        audit_content(tmp_path / "m.csv", pol, out=tmp_path / "csv", columns={"text": "body"})
    for column in ("body", "raw"):
        audit = audit_content(
            tmp_path / "m.parquet", pol, out=tmp_path / f"ok-{column}", columns={"text": column}
        )
        assert audit.messages == 2 and audit.failed.k == 1


def test_undecodable_bytes_in_a_binary_text_column_are_counted_and_skipped(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({"body": pa.array([b"A flimsy tent", b"caf\xe9 latte", None, b"fine"], pa.binary())})
    pq.write_table(table, tmp_path / "m.parquet")
    audit = audit_content(
        tmp_path / "m.parquet",
        loads_policy("terms: {banned: [{term: flimsy}]}\n"),
        out=tmp_path / "out",
        columns={"text": "body"},
    )
    assert audit.skipped == {"invalid_utf8": 1, "null_text": 1}
    assert audit.messages == 2 and audit.failed.k == 1


def test_csv_with_bytes_that_are_not_utf8_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "m.csv").write_bytes(b"body\nA flimsy tent\ncaf\xe9\n")
    with pytest.raises(InputError, match="not UTF-8"):
        audit_content(
            tmp_path / "m.csv", loads_policy("{}\n"), out=tmp_path / "out", columns={"text": "body"}
        )


def test_csv_jsonl_and_duckdb_sources_give_the_same_rows(
    data: tuple[Path, list[dict[str, Any]]], tmp_path: Path
) -> None:
    import duckdb

    path, _ = data
    con = duckdb.connect(str(tmp_path / "db.duckdb"))
    con.execute(f"CREATE TABLE sent AS SELECT * FROM read_parquet('{path}')")
    con.execute(f"COPY sent TO '{tmp_path / 'm.csv'}' (HEADER)")
    con.execute(f"COPY sent TO '{tmp_path / 'm.jsonl'}' (FORMAT json)")
    con.close()
    pol = policy()
    audit_content(path, pol, out=tmp_path / "pq", workers=1)
    audit_content(tmp_path / "m.csv", pol, out=tmp_path / "csv", workers=1)
    audit_content(tmp_path / "m.jsonl", pol, out=tmp_path / "jsonl", workers=1)
    audit_content(
        tmp_path / "db.duckdb", pol, out=tmp_path / "db", table="sent", workers=1, findings_table="findings"
    )
    audit_content(
        tmp_path / "db.duckdb",
        pol,
        out=tmp_path / "q",
        query="SELECT * FROM sent WHERE channel = 'sms'",
        workers=1,
    )
    for name in ("csv", "jsonl", "db"):
        assert _findings(tmp_path / name) == _findings(tmp_path / "pq"), name
    assert _messages(tmp_path / "db") == _messages(tmp_path / "pq")
    written = (
        duckdb.connect(str(tmp_path / "db.duckdb"), read_only=True)
        .execute("SELECT count(*) FROM findings")
        .fetchone()
    )
    assert written is not None and written[0] == len(_findings(tmp_path / "pq"))
    sms = duckdb.sql(
        f"SELECT count(*) FROM read_parquet('{tmp_path}/q/messages/*.parquet') WHERE channel <> 'sms'"
    )
    assert sms.fetchall() == [(0,)]


def test_findings_table_never_replaces_the_messages_or_another_table(
    data: tuple[Path, list[dict[str, Any]]], tmp_path: Path
) -> None:
    """--findings-table sent (the audited table) replaced the messages with the findings: refused up front,
    and again at write time; a findings table of an earlier audit is still replaced."""
    import duckdb

    from brandrail.audit.parts import write_back

    path, rows = data
    db = tmp_path / "db.duckdb"
    con = duckdb.connect(str(db))
    con.execute(f"CREATE TABLE sent AS SELECT * FROM read_parquet('{path}')")
    con.execute("CREATE TABLE customers (id INTEGER, email VARCHAR)")
    con.execute("CREATE VIEW recent AS SELECT * FROM sent")
    con.close()
    pol = policy()
    for table, columns in (
        ("sent", "msg_id, body, channel"),
        ("customers", "id, email"),
        ("recent", "(a view)"),
    ):
        with pytest.raises(
            UsageError,
            match=rf"--findings-table '{table}' names an existing table .*\(its columns: {re.escape(columns)}",
        ):
            audit_content(db, pol, out=tmp_path / table, table="sent", workers=1, findings_table=table)
        assert not (tmp_path / table).exists()  # refused before any checking
    first = audit_content(
        db, pol, out=tmp_path / "a", table="sent", workers=1, findings_table="brandrail_findings"
    )
    again = audit_content(
        db, pol, out=tmp_path / "b", table="sent", workers=1, findings_table="brandrail_findings"
    )
    assert again.run["findings_table"]["rows"] == first.run["findings_table"]["rows"] > 0
    with pytest.raises(UsageError, match="not a brandrail findings table"):  # created after the check
        write_back(tmp_path / "a", table="customers", duckdb_file=str(db))
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM sent").fetchall() == [(len(rows),)]
        assert con.execute("SELECT count(*) FROM customers").fetchall() == [(0,)]
    finally:
        con.close()


def test_summary_json_and_report(data: tuple[Path, Any], tmp_path: Path) -> None:
    path, _ = data
    audit_content(path, policy(), out=tmp_path / "out", workers=1)
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["schema_version"] == 1 and summary["kind"] == "content-audit"
    rules = {r["code"]: r for r in summary["by_rule"]}
    assert rules["BR101"]["rate"]["low"] <= rules["BR101"]["rate"]["rate"] <= rules["BR101"]["rate"]["high"]
    weeks = [w["value"] for w in summary["by"]["week"]]
    assert weeks == sorted(weeks) and len(weeks) > 5
    assert all(w["rate"]["n"] > 0 for w in summary["by"]["week"])
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "<mark>flimsy</mark>" in html.lower() and "<svg" in html and "<script" not in html


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "brandrail", *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def test_cli_exit_codes_and_json(data: tuple[Path, Any], tmp_path: Path) -> None:
    path, _ = data
    (tmp_path / "brandrail.yaml").write_text(POLICY, encoding="utf-8")
    proc = _cli("audit", "content", str(path), "--out", "out", "--format", "json", "-j", "1", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["failed"]["k"] > 0
    zero = _cli("audit", "content", str(path), "--out", "out", "--exit-zero", "-j", "1", cwd=tmp_path)
    assert zero.returncode == 0 and "violation rate" in zero.stdout
    for bad in (
        ["audit", "content", "missing.parquet"],
        ["audit", "content", str(path), "--out", "o2", "--text", "nope"],
        ["audit", "content", str(path), "--out", "o3", "--compare", "model"],
        ["audit", "content", str(path), "--out", "o4", "--meta", "novalue"],
        ["audit", "content", str(path), "--out", "o5", "--engine", "hadoop"],
    ):
        proc = _cli(*bad, cwd=tmp_path)
        assert proc.returncode == 2, (bad, proc.stderr)
        assert "Traceback" not in proc.stderr


def test_cli_finds_the_policy_as_check_does(data: tuple[Path, Any], tmp_path: Path) -> None:
    """The nearest brandrail.yaml above the current folder, else BRANDRAIL_POLICY (it read ./brandrail.yaml only)."""
    import os

    path, _ = data
    (tmp_path / "brandrail.yaml").write_text(POLICY, encoding="utf-8")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    proc = _cli("audit", "content", str(path), "--out", "out", "--format", "json", "-j", "1", cwd=deep)
    assert proc.returncode == 1, proc.stderr
    elsewhere = tmp_path.parent / f"{tmp_path.name}-elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "BRANDRAIL_POLICY": str(tmp_path / "brandrail.yaml")}
    cmd = [sys.executable, "-m", "brandrail", "audit", "content", str(path), "--out", "out", "-j", "1"]
    by_env = subprocess.run(cmd, cwd=elsewhere, capture_output=True, text=True, check=False, env=env)
    assert by_env.returncode == 1, by_env.stderr
    env.pop("BRANDRAIL_POLICY")
    none = subprocess.run(cmd, cwd=elsewhere, capture_output=True, text=True, check=False, env=env)
    assert none.returncode == 2 and "BRANDRAIL_POLICY is not set" in none.stderr


def test_counts_of_a_larger_run_match(tmp_path: Path) -> None:
    rows = make_rows(3000, seed=11)
    path = write_parquet(rows, tmp_path / "m.parquet")
    audit = audit_content(path, policy(), out=tmp_path / "out", workers=2, batch_size=256)
    codes = Counter(r["code"] for r in audit.by_rule)
    assert codes and audit.run["batches"] == math.ceil(3000 / 256)
    assert audit.messages + sum(audit.skipped.values()) == 3000
