"""`brandrail ledger verify|export|checkpoint|keygen`: output, exit codes, bad input."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from ledger_testlib import fill, run_sql
from typer.testing import CliRunner

from brandrail.cli import app
from brandrail.ledger import Ledger

runner = CliRunner()


@pytest.fixture
def sqlite_ledger(tmp_path: Path) -> tuple[str, Ledger]:
    url = f"sqlite:///{tmp_path / 'gate.db'}"
    ledger = Ledger.from_url(url)
    ledger.create_schema()
    fill(ledger, 6)
    return url, ledger


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path]:
    result = runner.invoke(app, ["ledger", "keygen", "--out", str(tmp_path / "keys")])
    assert result.exit_code == 0, result.output
    return tmp_path / "keys" / "ledger_ed25519.pem", tmp_path / "keys" / "ledger_ed25519.pub.pem"


def test_verify_ok(sqlite_ledger: tuple[str, Ledger]) -> None:
    url, ledger = sqlite_ledger
    result = runner.invoke(app, ["ledger", "verify", "--db", url])
    assert result.exit_code == 0
    assert result.stdout.startswith(f"ledger OK: 6 entries, head seq 6 (hash {ledger.head().hash[:16]}")  # type: ignore[union-attr]


def test_verify_tampered_names_entries(sqlite_ledger: tuple[str, Ledger]) -> None:
    url, ledger = sqlite_ledger
    run_sql(ledger, "UPDATE {t} SET policy_version = 'x' WHERE seq = 2", "DELETE FROM {t} WHERE seq = 4")
    result = runner.invoke(app, ["ledger", "verify", "--db", url])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "ledger TAMPERED: 2 problems in 5 entries"
    assert lines[1].startswith("  seq 2: edited: ")
    assert lines[2] == "  seq 4: deleted: entry 4 missing"


def test_verify_json(sqlite_ledger: tuple[str, Ledger]) -> None:
    url, ledger = sqlite_ledger
    run_sql(ledger, "UPDATE {t} SET payload = :p WHERE seq = 3", p="{}")
    result = runner.invoke(app, ["ledger", "verify", "--db", url, "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1 and data["ok"] is False and data["count"] == 6
    assert data["policy_version"] == "a" * 64
    assert data["problems"] == [{"seq": 3, "kind": "edited", "detail": data["problems"][0]["detail"]}]
    assert data["head"]["seq"] == 6 and data["checkpoint"] is None


def test_checkpoint_and_truncation(
    sqlite_ledger: tuple[str, Ledger], keys: tuple[Path, Path], tmp_path: Path
) -> None:
    url, ledger = sqlite_ledger
    private, public = keys
    cp = tmp_path / "cp.json"
    result = runner.invoke(
        app, ["ledger", "checkpoint", "--db", url, "--key", str(private), "--out", str(cp)]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(cp.read_text())["seq"] == 6
    args = ["ledger", "verify", "--db", url, "--checkpoint", str(cp), "--public-key", str(public)]
    ok = runner.invoke(app, args)
    assert ok.exit_code == 0 and "checkpoint: signature valid" in ok.stdout
    run_sql(ledger, "DELETE FROM {t} WHERE seq >= 5")
    assert runner.invoke(app, ["ledger", "verify", "--db", url]).exit_code == 0  # alone: looks fine
    bad = runner.invoke(app, args)
    assert bad.exit_code == 1
    assert "  seq 5: truncated: " in bad.stdout and "entries 5..6 removed" in bad.stdout


def test_checkpoint_refuses_tampered(
    sqlite_ledger: tuple[str, Ledger], keys: tuple[Path, Path], tmp_path: Path
) -> None:
    url, ledger = sqlite_ledger
    run_sql(ledger, "DELETE FROM {t} WHERE seq = 2")
    out = tmp_path / "cp.json"
    result = runner.invoke(
        app, ["ledger", "checkpoint", "--db", url, "--key", str(keys[0]), "--out", str(out)]
    )
    assert result.exit_code == 1 and not out.exists()


def test_keygen_files_and_no_overwrite(keys: tuple[Path, Path]) -> None:
    private, public = keys
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert public.read_text().startswith("-----BEGIN PUBLIC KEY-----")
    again = runner.invoke(app, ["ledger", "keygen", "--out", str(private.parent)])
    assert again.exit_code == 2 and "refusing to overwrite" in again.stderr
    forced = runner.invoke(app, ["ledger", "keygen", "--out", str(private.parent), "--force"])
    assert forced.exit_code == 0


def test_export(sqlite_ledger: tuple[str, Ledger], tmp_path: Path) -> None:
    url, _ = sqlite_ledger
    result = runner.invoke(app, ["ledger", "export", "--db", url])
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["seq"] for r in records] == [1, 2, 3, 4, 5, 6]
    out = tmp_path / "sub" / "ledger.jsonl"
    result = runner.invoke(app, ["ledger", "export", "--db", url, "--out", str(out), "--start", "3"])
    assert result.exit_code == 0
    assert [json.loads(line)["seq"] for line in out.read_text().splitlines()] == [3, 4, 5, 6]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--format", "xml"], "unknown --format 'xml'"),
        (["--checkpoint", "cp.json"], "--checkpoint and --public-key go together"),
        (["--checkpoint", "missing.json", "--public-key", "missing.pem"], "cannot read public key"),
    ],
)
def test_verify_bad_input(sqlite_ledger: tuple[str, Ledger], extra: list[str], message: str) -> None:
    url, _ = sqlite_ledger
    result = runner.invoke(app, ["ledger", "verify", "--db", url, *extra])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and message in result.stderr


def test_bad_databases(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["ledger", "verify", "--db", f"sqlite:///{tmp_path / 'nope.db'}"])
    assert missing.exit_code == 2 and "no database file" in missing.stderr
    assert not (tmp_path / "nope.db").exists()
    empty = tmp_path / "empty.db"
    Ledger.from_url(f"sqlite:///{empty}").engine.connect().close()
    no_table = runner.invoke(app, ["ledger", "export", "--db", f"sqlite:///{empty}"])
    assert no_table.exit_code == 2 and "no ledger table 'brandrail_ledger'" in no_table.stderr
    bad_url = runner.invoke(app, ["ledger", "verify", "--db", "not a url"])
    assert bad_url.exit_code == 2 and "invalid database URL" in bad_url.stderr


@pytest.mark.parametrize(
    ("command", "url", "message"),
    [
        (["ledger", "verify"], "postgresql://app:s3cret-pw@db:notaport/x", "invalid database URL"),
        (["ledger", "export"], "mysql://app:s3cret-pw@db/x", "cannot open database"),
        (["gate", "reconcile"], "postgresql://app:s3cret-pw@db:notaport/x", "invalid database URL"),
        (["gate", "reconcile"], "mysql://app:s3cret-pw@db/x", "cannot open"),
    ],
)
def test_a_database_url_that_cannot_be_opened_never_shows_its_password(
    command: list[str], url: str, message: str
) -> None:
    result = runner.invoke(app, [*command, "--db", url])
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "internal error" not in result.stderr
    assert "s3cret" not in result.output and "app:***@db" in result.stderr


def test_bad_key_file(sqlite_ledger: tuple[str, Ledger], tmp_path: Path) -> None:
    url, _ = sqlite_ledger
    key = tmp_path / "bad.pem"
    key.write_text("not a key")
    result = runner.invoke(
        app, ["ledger", "checkpoint", "--db", url, "--key", str(key), "--out", str(tmp_path / "c")]
    )
    assert result.exit_code == 2 and "not an unencrypted PEM private key" in result.stderr


def test_export_of_a_mangled_payload_still_exports_and_is_caught(
    sqlite_ledger: tuple[str, Ledger], tmp_path: Path
) -> None:
    url, ledger = sqlite_ledger
    run_sql(ledger, "UPDATE {t} SET payload = :p WHERE seq = 2", p="not json")
    out = tmp_path / "x.jsonl"
    assert runner.invoke(app, ["ledger", "export", "--db", url, "--out", str(out)]).exit_code == 0
    assert json.loads(out.read_text().splitlines()[1])["payload"] == "not json"
    result = runner.invoke(app, ["ledger", "verify", "--jsonl", str(out)])
    assert result.exit_code == 1 and "  seq 2: edited: " in result.stdout


@pytest.mark.parametrize("command", ["verify", "export", "checkpoint"])
def test_without_db_the_policy_store_is_read(
    command: str, sqlite_ledger: tuple[str, Ledger], keys: tuple[Path, Path], tmp_path: Path, monkeypatch
) -> None:
    """Without --db the ledger is the policy's gate.store_url (given, or the nearest brandrail.yaml), as for
    the gate commands — not the default path, where a moved store would not be."""
    url, _ = sqlite_ledger
    project = tmp_path / "project"
    project.mkdir()
    (project / "brandrail.yaml").write_text(f"version: 1\nbrand: {{name: Acme}}\ngate:\n  store_url: {url}\n")
    monkeypatch.chdir(project)
    monkeypatch.delenv("BRANDRAIL_POLICY", raising=False)
    extra = ["--key", str(keys[0]), "--out", str(tmp_path / "cp.json")] if command == "checkpoint" else []
    found = runner.invoke(app, ["ledger", command, *extra])
    assert found.exit_code == 0, found.output
    given = runner.invoke(app, ["ledger", command, "--policy", str(project / "brandrail.yaml"), *extra])
    assert given.exit_code == 0, given.output
    if command == "verify":
        assert found.stdout.startswith("ledger OK: 6 entries")
    elif command == "export":
        assert len(found.stdout.splitlines()) == 6
    # --db still wins over the policy: a database that is not there is an error, never created
    missing = runner.invoke(app, ["ledger", command, "--db", f"sqlite:///{tmp_path / 'none.db'}", *extra])
    assert missing.exit_code == 2 and "no database file" in missing.output
    assert not (tmp_path / "none.db").exists()


def test_a_broken_policy_is_a_usage_error_not_the_default_store(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "brandrail.yaml").write_text("version: 1\ngate: {store_url: [\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BRANDRAIL_POLICY", raising=False)
    result = runner.invoke(app, ["ledger", "verify"])
    assert result.exit_code == 2 and "brandrail.yaml:3:1: invalid YAML" in result.output
