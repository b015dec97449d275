"""Rows and export lines holding what the ledger never writes: the verifier names them, it never crashes.

SQLite keeps whatever type and bytes it is given: someone editing the file can put a blob where text
belongs or text that is not UTF-8. An export line can repeat a key (so that one reader sees another value
than the verifier), hold NaN, an integer of thousands of digits or a lone surrogate. Each is an edited entry
(exit 1) or a located input error (exit 2) — never an internal error, never "ledger OK".
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from ledger_testlib import fill, run_sql
from typer.testing import CliRunner

from brandrail.cli import app
from brandrail.errors import LedgerError
from brandrail.ledger import Ledger, verify_jsonl

runner = CliRunner()


@pytest.fixture
def sqlite_ledger(tmp_path: Path) -> tuple[str, Ledger]:
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    ledger = Ledger.from_url(url)
    ledger.create_schema()
    fill(ledger, 5)
    return url, ledger


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("kind", "X'6465636973696f6e'"),  # the bytes of "decision", as a blob
        ("id", "X'0102'"),
        ("time", "X'00'"),
        ("policy_version", "7"),
        ("prev_hash", "X'30'"),
        ("payload", "X'7b7d'"),
        ("payload", "CAST(X'7b2269223aff7d' AS TEXT)"),  # not UTF-8
        ("kind", "CAST(X'ff' AS TEXT)"),
    ],
)
def test_a_value_of_another_type_or_encoding_is_an_edit(
    sqlite_ledger: tuple[str, Ledger], column: str, value: str
) -> None:
    url, ledger = sqlite_ledger
    run_sql(ledger, f"UPDATE {{t}} SET {column} = {value} WHERE seq = 3")
    report = ledger.verify()
    assert [(p.seq, p.kind) for p in report.problems] == [(3, "edited")]
    result = runner.invoke(app, ["ledger", "verify", "--db", url])
    assert result.exit_code == 1, result.output
    assert "seq 3: edited" in result.stdout


def test_a_blob_hash_over_intact_fields_is_a_changed_hash(sqlite_ledger: tuple[str, Ledger]) -> None:
    _, ledger = sqlite_ledger
    run_sql(ledger, "UPDATE {t} SET hash = X'00' WHERE seq = 3")
    report = ledger.verify()
    assert [(p.seq, p.kind) for p in report.problems] == [(3, "edited")]
    assert "stored hash was changed" in report.problems[0].detail


def exported(ledger: Ledger) -> list[str]:
    buf = io.StringIO()
    ledger.export_jsonl(buf)
    return buf.getvalue().splitlines(keepends=True)


def _with_line_2(ledger: Ledger, edit) -> str:  # type: ignore[no-untyped-def]
    lines = exported(ledger)
    return "".join([lines[0], edit(lines[1]), *lines[2:]])


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        # readers disagree on which of two values counts: refused, not verified
        (
            lambda line: line.replace('"decision":"allow"', '"decision":"deny","decision":"allow"'),
            "appears twice",
        ),
        (lambda line: line.replace('{"seq":2,', '{"seq":7,"seq":2,'), "'seq' appears twice"),
        (lambda line: line.replace('"i":2', '"i":NaN'), "canonical JSON"),
        (lambda line: line.replace('"i":2', '"i":1e400'), "canonical JSON"),
        (lambda line: line.replace('"i":2', '"i":' + "9" * 5000), "digits"),
        (lambda line: line.replace('"seq":2', '"seq":' + str(2**70)), "out of range"),
        (lambda line: line.replace('"kind":"decision"', '"kind":"\\ud800"'), "lone surrogate"),
        (lambda line: line.replace('"i":2', '"i":"\\udfff"'), "canonical JSON"),
        (lambda line: line.replace('"i":2', '"i":' + "[" * 100_000 + "]" * 100_000), "nested too deeply"),
    ],
)
def test_an_export_line_the_ledger_never_writes_is_a_located_error(
    sqlite_ledger: tuple[str, Ledger],
    tmp_path: Path,
    edit,
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    _, ledger = sqlite_ledger
    text = _with_line_2(ledger, edit)
    with pytest.raises(LedgerError, match=message) as caught:
        verify_jsonl(io.StringIO(text), name="x.jsonl")
    assert str(caught.value.location).startswith("x.jsonl:2")
    path = tmp_path / "x.jsonl"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["ledger", "verify", "--jsonl", str(path)])
    assert result.exit_code == 2 and "internal error" not in result.output
    assert f"{path}:2" in result.output


def test_the_clean_export_still_verifies(sqlite_ledger: tuple[str, Ledger]) -> None:
    _, ledger = sqlite_ledger
    report = verify_jsonl(io.StringIO("".join(exported(ledger))))
    assert report.ok and report.count == 5
    assert json.loads(exported(ledger)[0])["payload"] == {"decision": "allow", "i": 1}


def test_a_line_repeating_another_lines_id_is_verified_not_dropped(sqlite_ledger: tuple[str, Ledger]) -> None:
    _, ledger = sqlite_ledger
    lines = exported(ledger)
    first_id = json.loads(lines[0])["id"]
    second = json.loads(lines[1])
    second["id"] = first_id
    text = "".join([lines[0], json.dumps(second) + "\n", *lines[2:]])
    report = verify_jsonl(io.StringIO(text))
    assert report.count == 5  # every line was read; before, the repeated id dropped the line silently
    assert [(p.seq, p.kind) for p in report.problems] == [(2, "edited")]


def test_repeated_lines_are_named_by_line_and_capped(sqlite_ledger: tuple[str, Ledger]) -> None:
    _, ledger = sqlite_ledger
    lines = exported(ledger)
    report = verify_jsonl(io.StringIO("".join(lines + [lines[1]] * 30)), max_problems=10)
    assert not report.ok and report.problems_truncated and len(report.problems) == 10
    assert report.problems[0] == (2, "inserted", "line 6 repeats seq 2")
    spliced = verify_jsonl(io.StringIO("".join(lines + lines)))
    assert [(p.seq, p.detail) for p in spliced.problems] == [
        (seq, f"line {seq + 5} repeats seq {seq}") for seq in range(1, 6)
    ]
    assert spliced.count == 5 and not spliced.problems_truncated
