"""Verifying an exported JSON-lines file without the database."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from ledger_testlib import fill
from typer.testing import CliRunner

from brandrail.cli import app
from brandrail.errors import LedgerError
from brandrail.ledger import Ledger, generate_keypair, verify_jsonl

runner = CliRunner()


def exported(ledger: Ledger) -> list[str]:
    buf = io.StringIO()
    ledger.export_jsonl(buf)
    return buf.getvalue().splitlines(keepends=True)


def test_clean_export_verifies(ledger: Ledger) -> None:
    fill(ledger, 8)
    lines = exported(ledger)
    report = verify_jsonl(io.StringIO("".join(lines)))
    assert report.ok and report.count == 8 and report.head_hash == ledger.head().hash  # type: ignore[union-attr]
    # line order does not matter: the file is read into seq order
    assert verify_jsonl(io.StringIO("".join(reversed(lines)))).ok


def test_tampered_exports(ledger: Ledger) -> None:
    fill(ledger, 8)
    lines = exported(ledger)
    edited = json.loads(lines[2])
    edited["payload"]["decision"] = "deny"
    lines_edited = [*lines[:2], json.dumps(edited) + "\n", *lines[3:]]
    assert {(p.seq, p.kind) for p in verify_jsonl(io.StringIO("".join(lines_edited))).problems} == {
        (3, "edited")
    }
    without = [*lines[:4], *lines[5:]]
    assert {(p.seq, p.kind) for p in verify_jsonl(io.StringIO("".join(without))).problems} == {(5, "deleted")}
    repeated = [*lines, lines[1]]
    report = verify_jsonl(io.StringIO("".join(repeated)))
    assert [(p.seq, p.kind) for p in report.problems] == [(2, "inserted")]


def test_truncated_export_with_checkpoint(ledger: Ledger) -> None:
    fill(ledger, 6)
    private, _ = generate_keypair()
    checkpoint = ledger.checkpoint(private)
    lines = exported(ledger)[:4]
    assert verify_jsonl(io.StringIO("".join(lines))).ok
    report = verify_jsonl(io.StringIO("".join(lines)), checkpoint=checkpoint)
    assert [(p.seq, p.kind) for p in report.problems] == [(5, "truncated")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"seq": 1\n', "x.jsonl:1:"),
        ("[1]\n", "must be a JSON object"),
        ('{"seq": 1}\n', "lacks id, time, kind, payload"),
    ],
)
def test_malformed_lines(text: str, message: str) -> None:
    with pytest.raises(LedgerError, match=message):
        verify_jsonl(io.StringIO(text), name="x.jsonl")


def test_cli_verify_jsonl(ledger: Ledger, tmp_path: Path) -> None:
    fill(ledger, 5)
    path = tmp_path / "ledger.jsonl"
    path.write_text("".join(exported(ledger)), encoding="utf-8")
    private, public = generate_keypair()
    (tmp_path / "k.pub.pem").write_bytes(public)
    (tmp_path / "cp.json").write_text(ledger.checkpoint(private).to_json(), encoding="utf-8")
    args = ["ledger", "verify", "--jsonl", str(path)]
    cp_args = ["--checkpoint", str(tmp_path / "cp.json"), "--public-key", str(tmp_path / "k.pub.pem")]
    ok = runner.invoke(app, [*args, *cp_args])
    assert ok.exit_code == 0, ok.output
    assert ok.stdout.startswith("ledger OK: 5 entries") and "signature valid" in ok.stdout
    path.write_text("".join(exported(ledger)[:3]), encoding="utf-8")
    bad = runner.invoke(app, [*args, *cp_args])
    assert bad.exit_code == 1 and "seq 4: truncated" in bad.stdout
    (tmp_path / "other.pub.pem").write_bytes(generate_keypair()[1])
    forged = runner.invoke(
        app,
        [*args, "--checkpoint", str(tmp_path / "cp.json"), "--public-key", str(tmp_path / "other.pub.pem")],
    )
    assert forged.exit_code == 1 and "bad_signature" in forged.stdout
    missing = runner.invoke(app, ["ledger", "verify", "--jsonl", str(tmp_path / "nope.jsonl")])
    assert missing.exit_code == 2 and "cannot read ledger export" in missing.stderr
