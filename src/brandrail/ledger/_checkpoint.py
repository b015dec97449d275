"""Ed25519-signed checkpoints of the ledger head, checkable by anyone who holds only the public key."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from brandrail.errors import LedgerError
from brandrail.ledger._canonical import GENESIS_HASH, canonical_json, format_time
from brandrail.ledger._entry import Problem, VerifyReport

if TYPE_CHECKING:
    from brandrail.ledger._store import Ledger

__all__ = [
    "Checkpoint",
    "check_signature",
    "generate_keypair",
    "key_id",
    "load_private_key",
    "load_public_key",
    "sign_checkpoint",
    "verify_checkpoint",
]

ALGORITHM = "Ed25519"
_HEX = set("0123456789abcdef")
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z", re.ASCII)
_KEY_ID = re.compile(r"[0-9a-f]{16}")
_BASE64 = re.compile(r"[A-Za-z0-9+/]{1,512}={0,2}")
_ALGORITHM = re.compile(r"[A-Za-z0-9-]{1,32}")

KeySource = bytes | str | Path


def _read(source: KeySource, what: str) -> tuple[bytes, str]:
    if isinstance(source, bytes):
        return source, what
    path = Path(source)
    try:
        return path.read_bytes(), str(path)
    except OSError as exc:
        raise LedgerError(f"cannot read {what} {path}: {exc.strerror}", location=str(path)) from None


def load_private_key(source: Ed25519PrivateKey | KeySource) -> Ed25519PrivateKey:
    """An Ed25519 private key from a key object, PEM bytes or a PEM file (unencrypted PKCS#8)."""
    if isinstance(source, Ed25519PrivateKey):
        return source
    data, where = _read(source, "private key")
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise LedgerError(
            f"not an unencrypted PEM private key: {exc}",
            location=where,
            hint="make a key pair with `brandrail ledger keygen --out DIR`",
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise LedgerError(f"the private key is {type(key).__name__}, not Ed25519", location=where)
    return key


def load_public_key(source: Ed25519PublicKey | KeySource) -> Ed25519PublicKey:
    """An Ed25519 public key from a key object, PEM bytes or a PEM file (SubjectPublicKeyInfo)."""
    if isinstance(source, Ed25519PublicKey):
        return source
    data, where = _read(source, "public key")
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError) as exc:
        raise LedgerError(
            f"not a PEM public key: {exc}",
            location=where,
            hint="pass the .pub.pem file written by `brandrail ledger keygen`",
        ) from None
    if not isinstance(key, Ed25519PublicKey):
        raise LedgerError(f"the public key is {type(key).__name__}, not Ed25519", location=where)
    return key


def key_id(public_key: Ed25519PublicKey) -> str:
    """First 16 hex digits of sha256 of the raw public key: names the key a checkpoint was signed with."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def generate_keypair() -> tuple[bytes, bytes]:
    """A new Ed25519 key pair as (private PKCS#8 PEM, public SubjectPublicKeyInfo PEM)."""
    private = Ed25519PrivateKey.generate()
    private_pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private_pem, public_pem


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A signed statement: at ``time`` the ledger had ``count`` entries and ended at ``seq``/``head_hash``.

    The signature covers the canonical JSON of every field except ``signature`` (see :meth:`message`).
    """

    seq: int
    head_hash: str
    count: int
    time: str
    key_id: str
    signature: str  # base64
    algorithm: str = ALGORITHM

    def message(self) -> bytes:
        """The bytes that are signed."""
        return canonical_json(
            {
                "algorithm": self.algorithm,
                "count": self.count,
                "head_hash": self.head_hash,
                "key_id": self.key_id,
                "seq": self.seq,
                "time": self.time,
                "type": "brandrail.ledger.checkpoint",
            }
        ).encode("utf-8")

    def signature_valid(self, public_key: Ed25519PublicKey | KeySource) -> bool:
        """Whether the signature verifies with ``public_key`` (and was made by that key)."""
        key = load_public_key(public_key)
        if self.algorithm != ALGORITHM or self.key_id != key_id(key):
            return False
        try:
            signature = base64.b64decode(self.signature, validate=True)
            key.verify(signature, self.message())
        except (InvalidSignature, binascii.Error, ValueError):
            return False
        return True

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": 1,
            "type": "brandrail.ledger.checkpoint",
            "algorithm": self.algorithm,
            "seq": self.seq,
            "head_hash": self.head_hash,
            "count": self.count,
            "time": self.time,
            "key_id": self.key_id,
            "signature": self.signature,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2) + "\n"

    @classmethod
    def from_dict(cls, data: Any, *, where: str = "checkpoint") -> Checkpoint:
        if not isinstance(data, dict):
            raise LedgerError("a checkpoint must be a JSON object", location=where)
        try:
            seq, count = data["seq"], data["count"]
            head_hash, time = data["head_hash"], data["time"]
            kid, signature = data["key_id"], data["signature"]
            algorithm = data.get("algorithm", ALGORITHM)
        except KeyError as exc:
            raise LedgerError(f"checkpoint field {exc.args[0]!r} is missing", location=where) from None
        for name, value in (("seq", seq), ("count", count)):
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise LedgerError(f"checkpoint field {name!r} must be a non-negative integer", location=where)
        if not isinstance(head_hash, str) or len(head_hash) != 64 or not set(head_hash) <= _HEX:
            raise LedgerError("checkpoint field 'head_hash' must be 64 lowercase hex digits", location=where)
        for name, value, pattern, what in (
            ("time", time, _TIME, "a UTC time as brandrail writes it (2026-11-29T10:00:00.000000Z)"),
            ("key_id", kid, _KEY_ID, "16 lowercase hex digits"),
            ("signature", signature, _BASE64, "base64 text"),
            ("algorithm", algorithm, _ALGORITHM, "a name such as Ed25519"),
        ):
            if not isinstance(value, str):
                raise LedgerError(f"checkpoint field {name!r} must be a string", location=where)
            # a checkpoint's fields are printed to the person verifying: no control characters or other
            # text that could make an invalid checkpoint look valid on a terminal
            if not pattern.fullmatch(value):
                raise LedgerError(f"checkpoint field {name!r} must be {what}", location=where)
        return cls(seq, head_hash, count, time, kid, signature, algorithm)

    @classmethod
    def load(cls, path: str | Path) -> Checkpoint:
        """Read a checkpoint JSON file (as written by ``brandrail ledger checkpoint``)."""
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise LedgerError(f"cannot read checkpoint file: {exc}", location=str(path)) from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise LedgerError(
                f"checkpoint is not valid JSON: {exc.msg}", location=f"{path}:{exc.lineno}:{exc.colno}"
            ) from None
        return cls.from_dict(data, where=str(path))


def sign_checkpoint(
    ledger: Ledger, private_key: Ed25519PrivateKey | KeySource, *, verify: bool = True
) -> Checkpoint:
    """Sign the ledger's current head (see :meth:`Ledger.checkpoint`)."""
    key = load_private_key(private_key)
    if verify:
        report = ledger.verify()
        if not report.ok:
            first = report.problems[0] if report.problems else None
            raise LedgerError(
                f"the ledger does not verify ({len(report.problems)} problems"
                + (f", first at seq {first.seq}: {first.kind}" if first else "")
                + "); refusing to sign a checkpoint over it",
                hint="run `brandrail ledger verify` to see every problem",
            )
        seq, head_hash, count = report.head_seq, report.head_hash, report.count
    else:
        ledger.require()
        head = ledger.head()
        seq = head.seq if head is not None else 0
        head_hash = head.hash if head is not None else GENESIS_HASH
        count = ledger.count()
    unsigned = Checkpoint(
        seq=seq,
        head_hash=head_hash,
        count=count,
        time=format_time(dt.datetime.now(dt.UTC)),
        key_id=key_id(key.public_key()),
        signature="",
    )
    signature = base64.b64encode(key.sign(unsigned.message())).decode("ascii")
    return Checkpoint(
        unsigned.seq, unsigned.head_hash, unsigned.count, unsigned.time, unsigned.key_id, signature
    )


def verify_checkpoint(
    checkpoint: Checkpoint, public_key: Ed25519PublicKey | KeySource, ledger: Ledger
) -> VerifyReport:
    """Check a checkpoint's signature with only the public key, then the ledger against it.

    The report is falsy when the signature is bad (problem kind ``bad_signature``), the ledger was
    tampered with, entries the checkpoint covers were removed (``truncated``) or the chain up to the
    checkpoint was rewritten (``rewritten``).
    """
    return check_signature(ledger.verify(checkpoint=checkpoint), checkpoint, public_key)


def check_signature(
    report: VerifyReport, checkpoint: Checkpoint, public_key: Ed25519PublicKey | KeySource
) -> VerifyReport:
    """Record in ``report`` whether ``checkpoint`` is signed by ``public_key`` (a problem if not)."""
    report.signature_ok = checkpoint.signature_valid(public_key)
    if not report.signature_ok:
        report.problems.insert(
            0,
            Problem(
                checkpoint.seq,
                "bad_signature",
                f"the checkpoint (key id {checkpoint.key_id}) does not verify with the given public key: "
                "it was altered or signed with another key",
            ),
        )
        report.ok = False
    return report
