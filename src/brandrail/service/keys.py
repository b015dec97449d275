"""API keys: created once and shown once, stored hashed, revocable, with an expiry; each names a principal.

A key looks like ``brk_<key id>_<secret>``: the key id (public, 12 hex characters) finds the row, the secret
(32 random bytes, URL-safe base64) is stored only as its SHA-256 and compared in constant time. A key's
principal id is canonicalised like every identity (NFKC, case, confusables), and its roles are fixed when it is
created. Keys live in the gate's database (``api_keys`` table), so every service instance sharing that
database accepts the same keys and sees a revocation at once.

Each key is also a ledger entry (``api_key``: its id, principal, roles, secret hash and expiry; a revocation
is an ``api_key_revoked`` entry), and a key is accepted only while its row matches its intact entry and no
revocation entry names it: someone who can write the ``api_keys`` table but not rewrite the ledger cannot
mint a key, widen its roles, extend it or take back a revocation. Keys that existed before keys were
recorded are adopted once, in one ``api_keys_adopted`` entry.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from brandrail.errors import UsageError
from brandrail.gate.principal import ROLES, Principal, Role, canonical_id

if TYPE_CHECKING:
    from brandrail.ledger import Ledger

__all__ = ["ApiKey", "KeyStore", "check_key_rows", "key_id_of", "key_problem", "parse_duration"]

_PREFIX = "brk_"
_log = logging.getLogger("brandrail.service")

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


def key_id_of(token: str) -> str | None:
    """The key id of something shaped like a key (``brk_<key id>_<secret>``), else None. The id is public."""
    key_id, sep, secret = token.removeprefix(_PREFIX).partition("_")
    if not token.startswith(_PREFIX) or not sep or not secret or len(token) > 200:
        return None
    if not 0 < len(key_id) <= 24 or not key_id.isascii() or not key_id.isalnum():
        return None
    return key_id


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)  # SQLite returns naive datetimes
    return value


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


#: Ledger entry ids: a key's record, its revocation, and the keys adopted when keys began to be recorded.
def _entry_id(key_id: str) -> str:
    return f"key:{key_id}"


def _revoked_id(key_id: str) -> str:
    return f"key-revoked:{key_id}"


_ADOPTED = "api-keys:adopted"


def _bound_fields(
    principal: str, roles: str, secret_sha256: str, expires_at: datetime | None
) -> dict[str, Any]:
    """What a key's ledger entry records about it (and what its row must still say)."""
    return {
        "principal": principal,
        "roles": roles,
        "secret_sha256": secret_sha256,
        "expires_at": expires_at.isoformat() if expires_at is not None else None,
    }


def _record_of(ledger: Ledger, key_id: str, cache: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    """The ledger's record of a key (its entry, or its line of the adoption entry); None if it has none
    or the entry was tampered with. Records never change: ``cache`` keeps those found."""
    found = cache.get(key_id)
    if found is not None:
        return found
    entry = ledger.get(_entry_id(key_id))
    if entry is not None:
        intact = entry.computed_hash() == entry.hash and entry.kind == "api_key"
        payload = entry.payload if intact else None
        found = payload if isinstance(payload, dict) and payload.get("key_id") == key_id else None
    else:
        adopted = ledger.get(_ADOPTED)
        if (
            adopted is not None
            and adopted.computed_hash() == adopted.hash
            and adopted.kind == "api_keys_adopted"
        ):
            keys = adopted.payload.get("keys") if isinstance(adopted.payload, dict) else None
            line = keys.get(key_id) if isinstance(keys, dict) else None
            found = line if isinstance(line, dict) else None
    if found is not None:
        cache[key_id] = found
    return found


def key_problem(ledger: Ledger, row: Any, cache: dict[str, dict[str, Any]] | None = None) -> str | None:
    """Why an ``api_keys`` row is not what the ledger recorded (or was revoked there), or None."""
    record = _record_of(ledger, row.key_id, cache if cache is not None else {})
    if record is None:
        return f"API key {row.key_id} has no intact ledger entry (a row added outside brandrail)"
    expires = _aware(row.expires_at)
    stored = _bound_fields(row.principal, row.roles, row.secret_sha256, expires)
    for name, value in stored.items():
        recorded = record.get(name)
        if name == "expires_at" and isinstance(recorded, str) and value is not None:
            same = datetime.fromisoformat(recorded) == expires
        else:
            same = recorded == value
        if not same:
            return f"API key {row.key_id}: the {name!r} of its row does not match the ledger"
    if row.revoked_at is None:
        revoked = ledger.get(_revoked_id(row.key_id))
        if revoked is not None and revoked.kind == "api_key_revoked":
            return f"API key {row.key_id} was revoked, but its row says it is not"
    return None


def check_key_rows(ledger: Ledger) -> list[tuple[str, str]]:
    """Every ``api_keys`` row the ledger does not vouch for: ``(key id, problem)`` (read only; a database
    whose keys were never adopted, last opened by a brandrail that did not record keys, is not judged)."""
    if ledger.get(_ADOPTED) is None or not sa.inspect(ledger.engine).has_table("api_keys"):
        return []
    with ledger.engine.connect() as conn:
        rows = conn.execute(sa.select(api_keys)).all()
    from brandrail.gate.bindings import printable

    cache: dict[str, dict[str, Any]] = {}
    problems = [(str(row.key_id), key_problem(ledger, row, cache)) for row in rows]
    return [(printable(key_id), printable(problem)) for key_id, problem in problems if problem is not None]


class KeyStore:
    """API keys in a database (SQLAlchemy URL, or an Engine), each bound to its ledger entry there."""

    def __init__(self, url_or_engine: str | sa.Engine) -> None:
        from brandrail.ledger import Ledger

        if isinstance(url_or_engine, str):
            self.ledger = Ledger.from_url(url_or_engine)  # the gate's own URL handling
        else:
            self.ledger = Ledger(url_or_engine)
        self.engine = self.ledger.engine
        _metadata.create_all(self.engine, checkfirst=True)
        if not self.ledger.exists():
            self.ledger.create_schema()
        self._bound: dict[str, dict[str, Any]] = {}  # key id → its (immutable) ledger record
        self._adopt()

    def _adopt(self) -> None:
        """Record the keys that predate recording keys, once (a later key without an entry is refused)."""
        if self.ledger.get(_ADOPTED) is not None:
            return
        from brandrail.errors import LedgerError

        try:
            with self.ledger.begin() as conn:
                self.ledger.lock(conn)
                if self.ledger.get(_ADOPTED, conn=conn) is not None:
                    return
                rows = conn.execute(sa.select(api_keys)).all()
                adopted = {
                    row.key_id: _bound_fields(
                        row.principal, row.roles, row.secret_sha256, _aware(row.expires_at)
                    )
                    for row in rows
                    if self.ledger.get(_entry_id(row.key_id), conn=conn) is None
                }
                self.ledger.append(
                    conn,
                    kind="api_keys_adopted",
                    payload={"schema_version": 1, "keys": adopted},
                    policy_version="",
                    entry_id=_ADOPTED,
                )
        except LedgerError:
            if self.ledger.get(_ADOPTED) is None:  # not another instance adopting at the same moment
                raise

    def ledger_problem(self, row: Any) -> str | None:
        """Why an ``api_keys`` row is not what the ledger recorded (or was revoked there), or None."""
        return key_problem(self.ledger, row, self._bound)

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
        with self.ledger.begin() as conn:
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
            self.ledger.append(
                conn,
                kind="api_key",
                payload={
                    "schema_version": 1,
                    "key_id": key_id,
                    **_bound_fields(canon, ",".join(wanted), _digest(secret), record.expires_at),
                },
                policy_version="",
                at=now,
                entry_id=_entry_id(key_id),
            )
        return f"{_PREFIX}{key_id}_{secret}", record

    def list(self) -> list[ApiKey]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(api_keys).order_by(api_keys.c.created_at)).all()
        return [self._record(r) for r in rows]

    def revoke(self, key_id: str, *, now: datetime | None = None) -> ApiKey:
        """Revoke a key at once (every instance sharing the database refuses it from the next request)."""
        now = now or datetime.now(UTC)
        with self.ledger.begin() as conn:
            done = conn.execute(
                api_keys.update()
                .where(api_keys.c.key_id == key_id, api_keys.c.revoked_at.is_(None))
                .values(revoked_at=now)
            )
            row = conn.execute(sa.select(api_keys).where(api_keys.c.key_id == key_id)).first()
            if row is not None and self.ledger.get(_revoked_id(key_id), conn=conn) is None:
                # the ledger's word: a row put back to unrevoked is still refused
                self.ledger.append(
                    conn,
                    kind="api_key_revoked",
                    payload={"schema_version": 1, "key_id": key_id, "principal": row.principal},
                    policy_version="",
                    at=now,
                    entry_id=_revoked_id(key_id),
                )
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
        return self._principal(row, now)

    def principal_of(self, key_id: str, *, now: datetime | None = None) -> Principal | None:
        """The principal of the key ``key_id`` while it is valid (unrevoked, unexpired, its row matching the
        ledger), with its roles as they stand; None otherwise. For a session the key opened (the secret was
        checked at sign-in)."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(api_keys).where(api_keys.c.key_id == key_id)).first()
        return None if row is None else self._principal(row, now or datetime.now(UTC))

    def _principal(self, row: Any, now: datetime) -> Principal | None:
        record = self._record(row)
        if record.status(now) != "active":
            return None
        problem = self.ledger_problem(row)
        if problem is not None:
            _log.warning("API key refused: %s", problem)
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
