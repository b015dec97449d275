"""Reviewer console sessions: kept server-side in the gate database, bound to the API key that opened them.

Signing in creates a session id (``secrets.token_urlsafe(32)``: 256 random bits). The browser's cookie holds
that id and nothing else; the ``console_sessions`` table holds only its SHA-256, the key id and principal that
opened it, when it was created and last seen, and its two expiries: idle (pushed forward by use, never past
the other) and absolute (fixed at sign-in). Every service instance sharing the database sees a session at once,
and a sign-out or expiry ends it everywhere; the console re-checks the key behind it on every request
(``KeyStore.principal_of``), so a revoked or expired key ends its sessions at once.

Form tokens are HMAC-SHA256 under a random secret that the first instance writes to ``console_secrets`` and
every instance reads: a session's CSRF token is keyed on the session's hash, and the sign-in form's token
(before any session exists) on a random nonce kept in its own short-lived cookie (a signed double-submit
cookie). Neither can be computed from a cookie alone.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

if TYPE_CHECKING:
    from brandrail.ledger import Ledger

__all__ = [
    "LOGIN_TOKEN_TTL",
    "ConsoleSession",
    "SessionStore",
    "create_tables",
    "hash_session_id",
    "well_formed",
]

_metadata = sa.MetaData()
console_sessions = sa.Table(
    "console_sessions",
    _metadata,
    sa.Column("id_sha256", sa.String(64), primary_key=True),
    sa.Column("key_id", sa.String(24), nullable=True),  # None: the local principal of a service without auth
    sa.Column("principal", sa.String(200), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("idle_expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_console_sessions_key_id", "key_id"),
)
console_secrets = sa.Table(
    "console_secrets",
    _metadata,
    sa.Column("name", sa.String(40), primary_key=True),
    sa.Column("value", sa.String(100), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

#: How long the sign-in form's token is accepted after the form was served.
LOGIN_TOKEN_TTL = timedelta(hours=1)

_TOKEN = re.compile(r"[A-Za-z0-9_-]{32,100}")  # what token_urlsafe makes (43 characters for 32 bytes)


def hash_session_id(session_id: str) -> str:
    """The SHA-256 (hex) of a session id: all the store keeps of it."""
    return hashlib.sha256(session_id.encode("ascii")).hexdigest()


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)  # SQLite returns naive ones


def create_tables(metadata: sa.MetaData, engine: sa.Engine) -> None:
    """Create ``metadata``'s tables where missing (another instance creating them at the same moment is fine)."""
    try:
        metadata.create_all(engine, checkfirst=True)
    except sa.exc.SQLAlchemyError:
        if not all(sa.inspect(engine).has_table(t.name) for t in metadata.sorted_tables):
            raise


def well_formed(token: str | None) -> bool:
    """Whether a cookie value could be a session id or nonce this module made (else it is not looked up)."""
    return token is not None and _TOKEN.fullmatch(token) is not None


@dataclass(frozen=True, slots=True)
class ConsoleSession:
    """A live session as the store holds it (never its id)."""

    id_sha256: str
    key_id: str | None
    principal: str
    created_at: datetime
    last_seen_at: datetime
    idle_expires_at: datetime
    expires_at: datetime

    def to_dict(self) -> dict[str, Any]:
        """What an operator may see of a session: never its id (``session``: its hash's first 12
        characters, as the log lines name it)."""
        return {
            "session": self.id_sha256[:12],
            "key_id": self.key_id,
            "principal": self.principal,
            "created_at": self.created_at.isoformat(),
            "last_seen_at": self.last_seen_at.isoformat(),
            "idle_expires_at": self.idle_expires_at.isoformat(),
            "expires_at": self.expires_at.isoformat(),
        }

    def ended(self, now: datetime) -> str | None:
        """Why the session is over at ``now`` (``"idle"`` or ``"absolute"``), or None while it is live."""
        if now >= self.expires_at:
            return "absolute"
        if now >= self.idle_expires_at:
            return "idle"
        return None


class SessionStore:
    """Console sessions and the console's form secret in a database (the gate's engine).

    ``idle``: a session unused for this long ends; ``absolute``: a session ends this long after sign-in however
    it is used. ``clock`` gives the current time (tests move it).
    """

    def __init__(
        self,
        engine: sa.Engine,
        *,
        idle: timedelta = timedelta(minutes=30),
        absolute: timedelta = timedelta(hours=12),
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        if idle <= timedelta(0) or absolute <= timedelta(0):
            from brandrail.errors import UsageError

            raise UsageError(
                "console session lifetimes must be positive",
                hint="e.g. an idle timeout of 30m and an absolute lifetime of 12h",
            )
        self.engine = engine
        self.idle = idle
        self.absolute = absolute
        self.clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        create_tables(_metadata, engine)
        self._secret: bytes | None = None

    # -- the secret ------------------------------------------------------------------------------------------

    def secret(self) -> bytes:
        """The console's HMAC secret: made once per database, the same for every instance."""
        if self._secret is not None:
            return self._secret
        query = sa.select(console_secrets.c.value).where(console_secrets.c.name == "forms")
        with self.engine.connect() as conn:
            value = conn.execute(query).scalar()
        if value is None:
            made = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
            try:
                with self.engine.begin() as conn:
                    conn.execute(
                        console_secrets.insert().values(name="forms", value=made, created_at=self.now())
                    )
            except sa.exc.IntegrityError:  # another instance made it first: use theirs
                pass
            with self.engine.connect() as conn:
                value = conn.execute(query).scalar()
        if not value:  # pragma: no cover - a row without a value is a broken database
            raise RuntimeError("the console's form secret is missing from console_secrets")
        self._secret = base64.urlsafe_b64decode(str(value))
        return self._secret

    def _mac(self, *parts: str) -> str:
        message = "\0".join(parts).encode("utf-8", "surrogatepass")
        return hmac.new(self.secret(), message, hashlib.sha256).hexdigest()

    # -- sessions --------------------------------------------------------------------------------------------

    def now(self) -> datetime:
        return _aware(self.clock())

    def create(
        self, *, key_id: str | None, principal: str, replacing: str | None = None
    ) -> tuple[str, ConsoleSession]:
        """A new session for ``principal`` (signed in with ``key_id``): (its id — for the cookie only —, the
        stored session). ``replacing``: the id of a session this browser held, which ends now (no fixation:
        a sign-in never keeps an id the browser brought). Sessions already over are deleted on the way."""
        now = self.now()
        session_id = secrets.token_urlsafe(32)
        session = ConsoleSession(
            id_sha256=hash_session_id(session_id),
            key_id=key_id,
            principal=principal,
            created_at=now,
            last_seen_at=now,
            idle_expires_at=min(now + self.idle, now + self.absolute),
            expires_at=now + self.absolute,
        )
        with self.engine.begin() as conn:
            if well_formed(replacing):
                conn.execute(
                    console_sessions.delete().where(
                        console_sessions.c.id_sha256 == hash_session_id(str(replacing))
                    )
                )
            conn.execute(
                console_sessions.delete().where(
                    sa.or_(console_sessions.c.expires_at <= now, console_sessions.c.idle_expires_at <= now)
                )
            )
            conn.execute(
                console_sessions.insert().values(
                    id_sha256=session.id_sha256,
                    key_id=key_id,
                    principal=principal,
                    created_at=now,
                    last_seen_at=now,
                    idle_expires_at=session.idle_expires_at,
                    expires_at=session.expires_at,
                )
            )
        return session_id, session

    def find(self, session_id: str | None) -> tuple[ConsoleSession | None, str | None]:
        """``(session, None)`` for a live session (its use recorded); ``(session, why)`` for one that has just
        ended (``"idle"`` or ``"absolute"``; it is deleted); ``(None, None)`` when there is no such session."""
        if not well_formed(session_id):
            return None, None
        digest = hash_session_id(str(session_id))
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(console_sessions).where(console_sessions.c.id_sha256 == digest)
            ).first()
        if row is None:
            return None, None
        session = self._session(row)
        now = self.now()
        ended = session.ended(now)
        if ended is not None:
            self._delete(digest)
            return session, ended
        # record the use; at most every touch_every, so a page view is not always a database write (the idle
        # expiry is then at most touch_every early, never late)
        touch_every = min(timedelta(seconds=60), self.idle / 10)
        if now - session.last_seen_at >= touch_every:
            idle_until = min(now + self.idle, session.expires_at)
            with self.engine.begin() as conn:
                conn.execute(
                    console_sessions.update()
                    .where(console_sessions.c.id_sha256 == digest)
                    .values(last_seen_at=now, idle_expires_at=idle_until)
                )
            session = ConsoleSession(
                id_sha256=session.id_sha256,
                key_id=session.key_id,
                principal=session.principal,
                created_at=session.created_at,
                last_seen_at=now,
                idle_expires_at=idle_until,
                expires_at=session.expires_at,
            )
        return session, None

    def end(self, session: ConsoleSession) -> None:
        """Delete a session (sign-out, or its key is no longer valid)."""
        self._delete(session.id_sha256)

    def end_all(
        self,
        ledger: Ledger,
        *,
        by: str,
        key_id: str | None = None,
        principal: str | None = None,
        reason: str = "",
    ) -> int:
        """End every session (or every session of ``key_id`` and/or ``principal``) at once and record it in
        ``ledger`` — who ended them, which, how many, why — in the same transaction: a ``console_sessions_ended``
        entry. Returns how many live or expired sessions were deleted."""
        from brandrail.gate.principal import canonical_id

        who = canonical_id(principal) if principal is not None else None
        if principal is not None and not who:
            from brandrail.errors import UsageError

            raise UsageError("the principal whose sessions to end is empty", hint="give a principal id")
        where = []
        if key_id is not None:
            where.append(console_sessions.c.key_id == key_id)
        if who is not None:
            where.append(console_sessions.c.principal == who)
        now = self.now()
        with ledger.begin() as conn:
            done = conn.execute(console_sessions.delete().where(sa.and_(sa.true(), *where)))
            ended = int(done.rowcount or 0)
            ledger.append(
                conn,
                kind="console_sessions_ended",
                payload={
                    "schema_version": 1,
                    "scope": "all" if not where else "matching",
                    "key_id": key_id,
                    "principal": who,
                    "ended": ended,
                    "by": by,
                    "reason": reason,
                },
                policy_version="",
                at=now,
            )
        return ended

    def _delete(self, digest: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(console_sessions.delete().where(console_sessions.c.id_sha256 == digest))

    def live(self) -> list[ConsoleSession]:
        """Every session not over yet (for operators and tests)."""
        now = self.now()
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(console_sessions).order_by(console_sessions.c.created_at)).all()
        return [s for s in (self._session(r) for r in rows) if s.ended(now) is None]

    @staticmethod
    def _session(row: Any) -> ConsoleSession:
        return ConsoleSession(
            id_sha256=row.id_sha256,
            key_id=row.key_id,
            principal=row.principal,
            created_at=_aware(row.created_at),
            last_seen_at=_aware(row.last_seen_at),
            idle_expires_at=_aware(row.idle_expires_at),
            expires_at=_aware(row.expires_at),
        )

    # -- form tokens -----------------------------------------------------------------------------------------

    def csrf(self, session: ConsoleSession) -> str:
        """The session's CSRF token (the same on every page of the session)."""
        return self._mac("csrf", session.id_sha256)[:43]

    def csrf_ok(self, session: ConsoleSession, token: str) -> bool:
        return hmac.compare_digest(token.encode("utf-8", "surrogatepass"), self.csrf(session).encode("ascii"))

    def login_token(self, nonce: str) -> str:
        """The sign-in form's token for the nonce in the browser's pre-session cookie."""
        issued = str(int(self.now().timestamp()))
        return f"{issued}.{self._mac('login', nonce, issued)[:43]}"

    def login_token_ok(self, nonce: str | None, token: str) -> bool:
        """Whether ``token`` was made for ``nonce`` by this database's secret within LOGIN_TOKEN_TTL."""
        if not well_formed(nonce):
            return False
        issued, dot, mac = token.partition(".")
        if not dot or not issued.isdigit() or len(issued) > 12:
            return False
        age = self.now().timestamp() - int(issued)
        if not -60 <= age <= LOGIN_TOKEN_TTL.total_seconds():
            return False
        expected = self._mac("login", str(nonce), issued)[:43]
        return hmac.compare_digest(mac.encode("utf-8", "surrogatepass"), expected.encode("ascii"))
