"""Signed checkpoints: round trip, forgery, wrong key, malformed files."""

from __future__ import annotations

import base64
import dataclasses
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from ledger_testlib import fill, run_sql

from brandrail.errors import LedgerError
from brandrail.ledger import (
    GENESIS_HASH,
    Checkpoint,
    Ledger,
    generate_keypair,
    load_private_key,
    load_public_key,
    verify_checkpoint,
)


def test_round_trip_through_a_file(ledger: Ledger, tmp_path: Path) -> None:
    fill(ledger, 5)
    private, public = generate_keypair()
    checkpoint = ledger.checkpoint(private)
    assert (checkpoint.seq, checkpoint.count) == (5, 5)
    assert checkpoint.head_hash == list(ledger.entries())[-1].hash
    path = tmp_path / "cp.json"
    path.write_text(checkpoint.to_json(), encoding="utf-8")
    loaded = Checkpoint.load(path)
    assert loaded == checkpoint
    # someone holding only the public key (PEM text) checks it
    report = verify_checkpoint(loaded, public, ledger)
    assert report.ok and report.signature_ok and report.to_dict()["checkpoint"]["signature_ok"] is True


def test_signature_checked_independently_with_cryptography(ledger: Ledger) -> None:
    fill(ledger, 2)
    key = Ed25519PrivateKey.generate()
    checkpoint = ledger.checkpoint(key)
    message = json.dumps(
        {
            "algorithm": "Ed25519",
            "count": 2,
            "head_hash": checkpoint.head_hash,
            "key_id": checkpoint.key_id,
            "seq": 2,
            "time": checkpoint.time,
            "type": "brandrail.ledger.checkpoint",
        },
        sort_keys=True,
        separators=(",", ":"),
    ).encode()
    key.public_key().verify(base64.b64decode(checkpoint.signature), message)  # raises if wrong


@pytest.mark.parametrize(
    "change",
    [
        {"seq": 4},
        {"count": 99},
        {"head_hash": "1" * 64},
        {"time": "2020-01-01T00:00:00.000000Z"},
        {"signature": base64.b64encode(b"\0" * 64).decode()},
        {"signature": "not base64!"},
        {"algorithm": "RSA"},
    ],
)
def test_forged_checkpoint_is_refused(ledger: Ledger, change: dict[str, object]) -> None:
    fill(ledger, 5)
    private, public = generate_keypair()
    forged = dataclasses.replace(ledger.checkpoint(private), **change)
    assert not forged.signature_valid(public)
    report = verify_checkpoint(forged, public, ledger)
    assert not report.ok and report.signature_ok is False
    assert "bad_signature" in report.kinds


def test_checkpoint_from_another_key_is_refused(ledger: Ledger) -> None:
    fill(ledger, 3)
    private, _ = generate_keypair()
    _, other_public = generate_keypair()
    report = verify_checkpoint(ledger.checkpoint(private), other_public, ledger)
    assert [p.kind for p in report.problems] == ["bad_signature"]


def test_empty_ledger_checkpoint(ledger: Ledger) -> None:
    private, public = generate_keypair()
    checkpoint = ledger.checkpoint(private)
    assert (checkpoint.seq, checkpoint.count, checkpoint.head_hash) == (0, 0, GENESIS_HASH)
    assert verify_checkpoint(checkpoint, public, ledger).ok


def test_refuses_to_sign_a_tampered_ledger(ledger: Ledger) -> None:
    fill(ledger, 4)
    run_sql(ledger, "DELETE FROM {t} WHERE seq = 2")
    private, _ = generate_keypair()
    with pytest.raises(LedgerError, match="refusing to sign"):
        ledger.checkpoint(private)
    assert ledger.checkpoint(private, verify=False).seq == 4  # explicitly asked for


def test_key_loading_errors(tmp_path: Path) -> None:
    private, public = generate_keypair()
    (tmp_path / "k.pem").write_bytes(private)
    (tmp_path / "k.pub.pem").write_bytes(public)
    assert load_private_key(tmp_path / "k.pem").public_key() == load_public_key(tmp_path / "k.pub.pem")
    with pytest.raises(LedgerError, match="cannot read private key"):
        load_private_key(tmp_path / "missing.pem")
    with pytest.raises(LedgerError, match="not an unencrypted PEM private key"):
        load_private_key(public)
    with pytest.raises(LedgerError, match="not a PEM public key"):
        load_public_key(b"hello")


def _fields(**change: object) -> str:
    good = {
        "seq": 1,
        "count": 1,
        "head_hash": "0" * 64,
        "time": "2026-11-29T10:00:00.000000Z",
        "key_id": "677d38d52c0ea946",
        "signature": base64.b64encode(b"\0" * 64).decode(),
    }
    return json.dumps({**good, **change})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        # printed to whoever verifies: terminal control sequences could repaint "INVALID" as "valid"
        ({"time": "2026-11-29\x1b[1A\x1b[2Kcheckpoint: signature valid"}, "'time' must be a UTC time"),
        ({"key_id": "677d38d52c0ea946\r"}, "'key_id' must be 16 lowercase hex"),
        ({"signature": "AAAA\nchecked"}, "'signature' must be base64"),
        ({"algorithm": "Ed25519\x1b]0;x\x07"}, "'algorithm' must be a name"),
        ({"time": "yesterday"}, "'time' must be a UTC time"),
    ],
)
def test_checkpoint_text_fields_are_what_brandrail_writes(
    tmp_path: Path, change: dict[str, str], message: str
) -> None:
    path = tmp_path / "cp.json"
    path.write_text(_fields(), encoding="utf-8")
    assert Checkpoint.load(path).seq == 1
    path.write_text(_fields(**change), encoding="utf-8")
    with pytest.raises(LedgerError, match=message):
        Checkpoint.load(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not valid JSON"),
        ("[]", "must be a JSON object"),
        ('{"seq": 1}', "'count' is missing"),
        (
            '{"seq": -1, "count": 1, "head_hash": "'
            + "0" * 64
            + '", "time": "t", "key_id": "k", "signature": "s"}',
            "'seq' must be a non-negative integer",
        ),
        (
            '{"seq": 1, "count": 1, "head_hash": "xyz", "time": "t", "key_id": "k", "signature": "s"}',
            "'head_hash' must be 64",
        ),
    ],
)
def test_malformed_checkpoint_files(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "cp.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LedgerError, match=message) as info:
        Checkpoint.load(path)
    assert str(path) in str(info.value)
