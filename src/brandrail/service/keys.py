"""API keys: created once and shown once, stored hashed, revocable, with an expiry; each names a principal.

A key looks like ``brk_<key id>_<secret>``: the key id (public, 12 hex characters) finds the row, the secret
(32 random bytes, URL-safe base64) is stored only as its SHA-256 and compared in constant time. A key's
principal id is canonicalised like every identity (NFKC, case, confusables), and its roles are fixed when it is
created. Keys live in the gate's database (``api_keys`` table), so every service instance sharing that
database accepts the same keys and sees a revocation at once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from brandrail.errors import UsageError
from brandrail.gate.principal import ROLES, Principal, Role, canonical_id

__all__ = ["ApiKey", "KeyStore", "parse_duration"]

_PREFIX = "brk_"

_metadata = sa.MetaData()
api_keys = sa.Table(
    "api_keys",
    _metadata,
    sa.Column("key_id", sa.String(24), primary_key=True),
    sa.Column("principal", sa.String(200), nullable=False),
    sa.Column("roles", sa.String(200), nullable=False),
    sa.Column("secret_sha256", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("note", sa.String(500), nullable=False, default=""),
)


@dataclass(frozen=True, slots=True)
class ApiKey:
    """A stored key (never its secret)."""

    key_id: str
    principal: str
    roles: tuple[Role, ...]
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    note: str = ""

    def status(self, now: datetime) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and now >= self.expires_at:
            return "expired"
        return "active"

    def to_dict(self, now: datetime | None = None) -> dict[str, Any]:
        return {
            "key_id": self.key_id,
            "principal": self.principal,
            "roles": list(self.roles),
            "created_at": self.created_at.isoformat(),
            "expires_at": self.expires_at.isoformat() if self.expires_at else None,
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
            "status": self.status(now or datetime.now(UTC)),
            "note": self.note,
        }


def parse_duration(text: str) -> timedelta:
    """``90d``, ``12h``, ``30m`` or ``2w`` → a timedelta (UsageError otherwise)."""
    units = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
    value, unit = text[:-1], text[-1:].lower()
    if unit not in units or not value.isdigit() or int(value) <= 0:
        raise UsageError(f"{text!r} is not a duration", hint="use e.g. 30m, 12h, 90d or 2w")
    return timedelta(seconds=int(value) * units[unit])


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)  # SQLite returns naive datetimes
    return value


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class KeyStore:
    """API keys in a database (SQLAlchemy URL, or an Engine)."""

    def __init__(self, url_or_engine: str | sa.Engine) -> None:
        if isinstance(url_or_engine, str):
            from brandrail.ledger import Ledger

            self.engine = Ledger.from_url(url_or_engine).engine  # the gate's own URL handling
        else:
            self.engine = url_or_engine
        _metadata.create_all(self.engine, checkfirst=True)

    def create(
        self,
        principal: str,
        roles: Iterable[str],
        *,
        expires_in: timedelta | None = None,
        note: str = "",
        now: datetime | None = None,
    ) -> tuple[str, ApiKey]:
        """Create a key for ``principal`` with ``roles``; returns (the plaintext key — shown once —, its record)."""
        wanted = sorted(set(roles))
        unknown = [r for r in wanted if r not in ROLES]
        if not wanted or unknown:
            raise UsageError(
                f"unknown role(s): {', '.join(unknown)}" if unknown else "a key needs at least one role",
                hint=f"roles are: {', '.join(ROLES)}",
            )
        canon = canonical_id(principal)
        if not canon or len(canon) > 200:
            raise UsageError("a key's principal must be a non-empty name of at most 200 characters")
        now = now or datetime.now(UTC)
        key_id = secrets.token_hex(6)
        secret = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")
        record = ApiKey(
            key_id=key_id,
            principal=canon,
            roles=tuple(wanted),  # type: ignore[arg-type]
            created_at=now,
            expires_at=now + expires_in if expires_in else None,
            revoked_at=None,
            note=note,
        )
        with self.engine.begin() as conn:
            conn.execute(
                api_keys.insert().values(
                    key_id=key_id,
                    principal=canon,
                    roles=",".join(wanted),
                    secret_sha256=_digest(secret),
                    created_at=now,
                    expires_at=record.expires_at,
                    revoked_at=None,
                    note=note,
                )
            )
        return f"{_PREFIX}{key_id}_{secret}", record

    def list(self) -> list[ApiKey]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(api_keys).order_by(api_keys.c.created_at)).all()
        return [self._record(r) for r in rows]

    def revoke(self, key_id: str, *, now: datetime | None = None) -> ApiKey:
        """Revoke a key at once (every instance sharing the database refuses it from the next request)."""
        now = now or datetime.now(UTC)
        with self.engine.begin() as conn:
            done = conn.execute(
                api_keys.update()
                .where(api_keys.c.key_id == key_id, api_keys.c.revoked_at.is_(None))
                .values(revoked_at=now)
            )
            row = conn.execute(sa.select(api_keys).where(api_keys.c.key_id == key_id)).first()
        if row is None:
            raise UsageError(f"no API key {key_id!r}", hint="list them with `brandrail keys list`")
        if done.rowcount == 0 and row.revoked_at is None:  # pragma: no cover - raced with itself
            raise UsageError(f"API key {key_id!r} could not be revoked")
        return self._record(row)

    def verify(self, token: str, *, now: datetime | None = None) -> Principal | None:
        """The principal of a valid, unrevoked, unexpired key; None for anything else."""
        if not token.startswith(_PREFIX) or len(token) > 200:
            return None
        key_id, sep, secret = token.removeprefix(_PREFIX).partition("_")
        if not sep or not key_id or not secret:
            return None
        now = now or datetime.now(UTC)
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(api_keys).where(api_keys.c.key_id == key_id)).first()
        if row is None or not hmac.compare_digest(row.secret_sha256, _digest(secret)):
            return None
        record = self._record(row)
        if record.status(now) != "active":
            return None
        return Principal(record.principal, frozenset(record.roles), via="api-key")

    @staticmethod
    def _record(row: Any) -> ApiKey:
        return ApiKey(
            key_id=row.key_id,
            principal=row.principal,
            roles=tuple(r for r in row.roles.split(",") if r),
            created_at=_aware(row.created_at),  # type: ignore[arg-type]
            expires_at=_aware(row.expires_at),
            revoked_at=_aware(row.revoked_at),
            note=row.note or "",
        )
