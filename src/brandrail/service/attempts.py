"""Console sign-in attempts, counted in the gate database: one limit for every worker and instance sharing it.

Each sign-in attempt is a row (``console_sign_in_attempts``: scope, subject, time) written *before* the key
is checked, and counted after that write has committed; an attempt that finds more than ``limit`` rows of its
subject in the window removes its own row and is refused without its key being checked. A sign-in whose key
turns out valid removes its row (only failures count). Because every attempt counts itself and every attempt
committed before it, attempts racing from many threads, workers or instances can never get more than
``limit`` keys checked per subject in a window; at the very edge of the limit, two racing attempts may both be
refused (the limit errs towards refusing, never towards another guess).

Subjects are the client address (scope ``client``) and the key id of a key-shaped submission (scope ``key``,
the public part of ``brk_<key id>_<secret>``), so neither one address nor many addresses aimed at one key get
more than ``limit`` guesses in the window. The window slides: a refusal says exactly when the oldest counted
failure leaves it (``Retry-After``).
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

__all__ = ["Attempt", "Locked", "SignInLimiter"]

_metadata = sa.MetaData()
sign_in_attempts = sa.Table(
    "console_sign_in_attempts",
    _metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("scope", sa.String(16), nullable=False),
    sa.Column("subject", sa.String(200), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_console_sign_in_attempts_subject", "scope", "subject", "at"),
    sa.Index("ix_console_sign_in_attempts_at", "at"),
)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)  # SQLite returns naive ones


@dataclass(frozen=True, slots=True)
class Locked:
    """A refused attempt: which subject is over its limit and how many seconds until one more is counted."""

    scope: str
    subject: str
    retry_after: int


@dataclass(frozen=True, slots=True)
class Attempt:
    """A counted attempt (its rows); :meth:`SignInLimiter.forgive` removes them when the key was valid."""

    ids: tuple[str, ...]


class SignInLimiter:
    """At most ``limit`` counted sign-in failures per subject in any ``window`` (``limit`` 0: no limit)."""

    def __init__(
        self,
        engine: sa.Engine,
        *,
        limit: int,
        window: timedelta = timedelta(minutes=15),
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        if limit < 0 or window <= timedelta(0):
            from brandrail.errors import UsageError

            raise UsageError(
                f"the sign-in limit must be 0 or more and its window positive (got {limit} in {window})"
            )
        self.engine = engine
        self.limit = limit
        self.window = window
        self.clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        from brandrail.service.sessions import create_tables

        create_tables(_metadata, engine)

    def now(self) -> datetime:
        return _aware(self.clock())

    def attempt(self, subjects: Sequence[tuple[str, str]]) -> Attempt | Locked:
        """Count one attempt against each ``(scope, subject)``, in order: the Attempt, or the first subject
        that is over its limit (then nothing of this attempt stays counted)."""
        if self.limit == 0:
            return Attempt(())
        taken: list[str] = []
        for scope, subject in subjects:
            locked = self._take(scope, subject[:200], taken)
            if locked is not None:
                self.forgive(Attempt(tuple(taken)))
                return locked
        return Attempt(tuple(taken))

    def _take(self, scope: str, subject: str, taken: list[str]) -> Locked | None:
        now = self.now()
        since = now - self.window
        row_id = secrets.token_hex(16)
        with self.engine.begin() as conn:  # committed before counting: every later count sees it
            conn.execute(sign_in_attempts.delete().where(sign_in_attempts.c.at <= since))
            conn.execute(sign_in_attempts.insert().values(id=row_id, scope=scope, subject=subject, at=now))
        taken.append(row_id)
        query = (
            sa.select(sign_in_attempts.c.id, sign_in_attempts.c.at)
            .where(
                sign_in_attempts.c.scope == scope,
                sign_in_attempts.c.subject == subject,
                sign_in_attempts.c.at > since,
            )
            .order_by(sign_in_attempts.c.at, sign_in_attempts.c.id)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        if len(rows) <= self.limit:
            return None
        others = sorted(_aware(r.at) for r in rows if r.id != row_id)
        # one more is counted once all but limit - 1 of the others have left the window
        frees_at = others[len(others) - self.limit] + self.window
        return Locked(scope, subject, max(1, math.ceil((frees_at - now).total_seconds())))

    def forgive(self, attempt: Attempt) -> None:
        """Remove an attempt's rows (its key was valid, or it was refused)."""
        if attempt.ids:
            with self.engine.begin() as conn:
                conn.execute(sign_in_attempts.delete().where(sign_in_attempts.c.id.in_(attempt.ids)))

    def counted(self, scope: str, subject: str) -> int:
        """How many attempts of ``subject`` are counted in the window now (for operators and tests)."""
        query = sa.select(sa.func.count()).where(
            sign_in_attempts.c.scope == scope,
            sign_in_attempts.c.subject == subject,
            sign_in_attempts.c.at > self.now() - self.window,
        )
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar() or 0)
