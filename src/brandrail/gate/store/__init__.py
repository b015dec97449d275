"""The gate's state store: counters, rolling-window events, reservations, prices, consent, approvals.

One SQLAlchemy engine (SQLite file by default, or PostgreSQL shared by several gate processes) holds the
gate's tables and the ledger. Every decision runs in one writer transaction opened by
:meth:`brandrail.ledger.Ledger.begin`, so its state changes and its ledger entry commit together or not
at all. Caps are enforced without read-then-check races:

* budget counters use a conditional ``UPDATE … SET value = value + :n WHERE key = :k AND value + :n <= :cap``
  (a row lock on PostgreSQL; the database write lock on SQLite);
* rolling-window caps take a per-key lock (``pg_advisory_xact_lock``; SQLite's write lock) before they
  count the window and insert the new event.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from brandrail.errors import GateError
from brandrail.gate.store import tables as t
from brandrail.gate.store.migrations import migrate

if TYPE_CHECKING:
    from brandrail.ledger import Ledger

__all__ = ["GateStore", "Mismatch", "t"]


def _lock_key(key: str) -> int:
    digest = hashlib.sha256(f"brandrail.gate:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


#: Hot-path statements as plain SQL (``:name`` parameters), run with ``exec_driver_sql`` so a decision
#: does not pay for SQL compilation; the same text works on SQLite and PostgreSQL.
_SQL = {
    "lock": "SELECT pg_advisory_xact_lock(:k)",
    "claim": "INSERT INTO gate_actions (action_id, digest) VALUES (:a, :d) ON CONFLICT (action_id) DO NOTHING",
    "reserve": (
        "INSERT INTO gate_counters (key, value) VALUES (:k, :n) ON CONFLICT (key) DO UPDATE "
        "SET value = gate_counters.value + excluded.value "
        "WHERE gate_counters.value + excluded.value <= :cap RETURNING value"
    ),
    "counter": "SELECT value FROM gate_counters WHERE key = :k",
    "window": "SELECT at FROM gate_events WHERE key = :k AND at > :lo AND at < :hi ORDER BY at",
    "event": "INSERT INTO gate_events (key, at, decision_id) VALUES (:k, :at, :d)",
    "reservation": (
        "INSERT INTO gate_reservations (decision_id, kind, key, amount, undo) VALUES (:d, :kind, :k, :n, :undo)"
    ),
    "decision": (
        "INSERT INTO gate_decisions (decision_id, action_id, outcome, status, created_at, response) "
        "VALUES (:d, :a, :o, :s, :t, :r)"
    ),
    "index": "UPDATE gate_actions SET decision_id = :d, outcome = :o WHERE action_id = :a",
    "consent": "SELECT granted FROM gate_consent WHERE recipient = :r AND channel = :c",
    "suppressed": (
        "SELECT value, reason FROM gate_suppression WHERE value IN (:v1, :v2, :v3) AND channel IN (:c, '*') "
        "ORDER BY value LIMIT 1"
    ),
}


def _pyformat(sql: str) -> str:
    return re.sub(r"(?<![:\w]):(\w+)", r"%(\1)s", sql)


@dataclass(frozen=True, slots=True)
class Mismatch:
    """A counter whose stored value differs from what the ledger implies."""

    key: str
    stored: int
    from_ledger: int


class GateStore:
    """State store and ledger on one database. Create with :meth:`from_url` or ``GateStore(engine)``."""

    def __init__(self, engine: Engine, *, ledger: Ledger | None = None) -> None:
        if ledger is None:
            from brandrail.ledger import Ledger

            ledger = Ledger(engine)
        self.engine = engine
        self.ledger = ledger
        self.dialect = engine.dialect.name
        self._migrated = False
        self._sql = {k: _pyformat(v) if self.dialect == "postgresql" else v for k, v in _SQL.items()}

    def run(self, conn: Connection, name: str, params: dict[str, Any] | list[dict[str, Any]]) -> Any:
        """Run a hot-path statement of :data:`_SQL` by name."""
        return conn.exec_driver_sql(self._sql[name], params)

    @classmethod
    def from_url(cls, url: str) -> GateStore:
        """Open (and migrate) the store at ``url`` (``sqlite:///path.db`` or ``postgresql://…``)."""
        from brandrail.ledger import Ledger

        store = cls(Ledger.from_url(url).engine)
        store.migrate()
        return store

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def migrate(self) -> None:
        """Create or upgrade the gate tables and the ledger (idempotent, safe from several processes)."""
        if self._migrated:
            return
        self.ledger.create_schema()
        with self.ledger.begin() as conn:
            if self.dialect == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _lock_key("migrate")})
            migrate(conn)
        self._migrated = True

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A writer transaction shared with the ledger (commit on success, roll back on error)."""
        with self.ledger.begin() as conn:
            yield conn

    @contextmanager
    def reader(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    # -- locks ------------------------------------------------------------------------------------------

    def lock(self, conn: Connection, key: str) -> None:
        """Serialise writers on ``key`` until the transaction ends (SQLite: already serialised)."""
        if self.dialect == "postgresql":
            self.run(conn, "lock", {"k": _lock_key(key)})

    def claim(self, conn: Connection, action_id: str, digest: str) -> bool:
        """Claim an action id for this digest; False when the id is already known."""
        return bool(self.run(conn, "claim", {"a": action_id, "d": digest}).rowcount == 1)

    def _insert_ignore(self, table: sa.Table, values: dict[str, Any], keys: list[str]) -> Any:
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            return pg_insert(table).values(**values).on_conflict_do_nothing(index_elements=keys)
        if self.dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            return sqlite_insert(table).values(**values).on_conflict_do_nothing(index_elements=keys)
        raise GateError(f"unsupported database {self.dialect!r}", hint="use SQLite or PostgreSQL")

    def _upsert(self, conn: Connection, table: sa.Table, values: dict[str, Any], keys: list[str]) -> None:
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            stmt: Any = pg_insert(table).values(**values)
        else:
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            stmt = sqlite_insert(table).values(**values)
        update = {k: v for k, v in values.items() if k not in keys}
        conn.execute(stmt.on_conflict_do_update(index_elements=keys, set_=update))

    # -- counters (budget caps) -------------------------------------------------------------------------

    def reserve(self, conn: Connection, key: str, amount: int, cap: int) -> tuple[bool, int]:
        """Atomically add ``amount`` to counter ``key`` unless that takes it over ``cap``.

        One statement — ``INSERT … ON CONFLICT (key) DO UPDATE SET value = value + :n WHERE value + :n <=
        :cap RETURNING value`` — so the check and the increment cannot be separated (PostgreSQL holds the
        row lock; SQLite the database write lock). Returns ``(reserved, value)`` where ``value`` is the
        counter after the reservation or, when refused, as it stands.
        """
        if amount > cap:
            current = self.run(conn, "counter", {"k": key}).scalar()
            return False, int(current or 0)
        row = self.run(conn, "reserve", {"k": key, "n": amount, "cap": cap}).first()
        if row is not None:
            return True, int(row[0])
        return False, int(self.run(conn, "counter", {"k": key}).scalar_one())

    def release(self, conn: Connection, key: str, amount: int) -> None:
        conn.execute(
            t.counters.update().where(t.counters.c.key == key).values(value=t.counters.c.value - amount)
        )

    def counter(self, key: str) -> int:
        with self.reader() as conn:
            value = conn.execute(sa.select(t.counters.c.value).where(t.counters.c.key == key)).scalar()
        return int(value or 0)

    # -- rolling windows (frequency caps, send rates) ---------------------------------------------------

    def add_event(
        self, conn: Connection, key: str, *, at: datetime, window: timedelta, cap: int, decision_id: str
    ) -> tuple[bool, int, datetime | None]:
        """Record an event at ``at`` unless ``cap`` events already fall within ``window`` of it.

        The window is counted on both sides of ``at`` (scheduled sends count too), which guarantees no
        rolling window of that length ever holds more than ``cap`` events. Returns ``(added, count,
        earliest time the window frees up or None)``. Call :meth:`lock` for ``key`` first.
        """
        lo, hi = t.iso(at - window), t.iso(at + window)
        rows = self.run(conn, "window", {"k": key, "lo": lo, "hi": hi}).all()
        count = len(rows)
        if count >= cap:
            # the earliest moment at which a new event would see fewer than cap events before it
            free = t.parse_iso(rows[count - cap][0]) + window if cap > 0 else None
            return False, count, free
        self.run(conn, "event", {"k": key, "at": t.iso(at), "d": decision_id})
        return True, count + 1, None

    def window_count(self, key: str, at: datetime, window: timedelta) -> int:
        with self.reader() as conn:
            return int(
                conn.execute(
                    sa.select(sa.func.count())
                    .select_from(t.events)
                    .where(
                        t.events.c.key == key,
                        t.events.c.at > t.iso(at - window),
                        t.events.c.at < t.iso(at + window),
                    )
                ).scalar_one()
            )

    # -- prices -----------------------------------------------------------------------------------------

    def price_row(self, conn: Connection, item: str) -> tuple[str, int, int] | None:
        """(day, opening price in cents, current price in cents) of ``item``, locked for this transaction."""
        self.lock(conn, f"price:{item}")
        row = conn.execute(
            sa.select(t.prices.c.day, t.prices.c.open_cents, t.prices.c.price_cents).where(
                t.prices.c.item == item
            )
        ).first()
        return (str(row[0]), int(row[1]), int(row[2])) if row is not None else None

    def set_price(self, conn: Connection, item: str, day: str, open_cents: int, price_cents: int) -> None:
        self._upsert(
            conn,
            t.prices,
            {"item": item, "day": day, "open_cents": open_cents, "price_cents": price_cents},
            ["item"],
        )

    def restore_price(self, conn: Connection, item: str, previous: dict[str, Any] | None) -> None:
        if previous is None:
            conn.execute(t.prices.delete().where(t.prices.c.item == item))
        else:
            self.set_price(conn, item, previous["day"], previous["open_cents"], previous["price_cents"])

    # -- consent and suppression ------------------------------------------------------------------------

    def set_consent(
        self,
        recipient: str,
        channel: str,
        granted: bool,
        *,
        source: str | None = None,
        conn: Connection | None = None,
    ) -> None:
        """Record that ``recipient`` granted (or withdrew) consent to marketing on ``channel``."""
        values = {
            "recipient": recipient,
            "channel": channel,
            "granted": granted,
            "source": source,
            "updated_at": t.iso(datetime.now(UTC)),
        }
        if conn is not None:
            self._upsert(conn, t.consent, values, ["recipient", "channel"])
            return
        with self.transaction() as c:
            self._upsert(c, t.consent, values, ["recipient", "channel"])

    def consent_granted(self, conn: Connection, recipient: str, channel: str) -> bool | None:
        row = conn.execute(
            sa.select(t.consent.c.granted).where(
                t.consent.c.recipient == recipient, t.consent.c.channel == channel
            )
        ).first()
        return None if row is None else bool(row[0])

    def suppress(
        self, value: str, channel: str = "*", *, reason: str | None = None, conn: Connection | None = None
    ) -> None:
        """Add ``value`` (recipient id, e-mail or phone) to the suppression list of ``channel`` (or ``*``)."""
        values = {
            "value": normalise_contact(value),
            "channel": channel,
            "reason": reason,
            "added_at": t.iso(datetime.now(UTC)),
        }
        if conn is not None:
            self._upsert(conn, t.suppression, values, ["value", "channel"])
            return
        with self.transaction() as c:
            self._upsert(c, t.suppression, values, ["value", "channel"])

    def suppressed(self, conn: Connection, values: list[str], channel: str) -> tuple[str, str | None] | None:
        """The first suppression record for any of ``values`` on ``channel`` or ``*``: (value, reason)."""
        keys = [normalise_contact(v) for v in values if v]
        if not keys:
            return None
        if len(keys) > 3:  # id, e-mail and phone: never more than three; check the rest one by one
            hit = self.suppressed(conn, keys[3:], channel)
            if hit is not None:
                return hit
        keys = (keys + [keys[0]] * 3)[:3]
        row = self.run(
            conn, "suppressed", {"v1": keys[0], "v2": keys[1], "v3": keys[2], "c": channel}
        ).first()
        return None if row is None else (str(row[0]), row[1])

    # -- reconciliation ---------------------------------------------------------------------------------

    def reconcile(self) -> list[Mismatch]:
        """Compare counters and window events with what the ledger's decisions and outcomes imply.

        Returns the mismatches (empty when the state equals the ledger). Used by the crash tests and
        ``brandrail gate reconcile``.
        """
        counters: dict[str, int] = {}
        events: dict[str, int] = {}
        held: dict[str, list[dict[str, Any]]] = {}
        for entry in self.ledger.entries():
            payload = entry.payload
            if entry.kind == "decision" and isinstance(payload, dict):
                held[str(payload.get("decision_id"))] = list(payload.get("reservations") or [])
                for res in payload.get("reservations") or []:
                    if res["kind"] == "counter":
                        counters[res["key"]] = counters.get(res["key"], 0) + int(res["amount"])
                    elif res["kind"] == "event":
                        events[res["key"]] = events.get(res["key"], 0) + 1
            elif entry.kind == "outcome" and isinstance(payload, dict) and payload.get("released"):
                for res in held.get(str(payload.get("decision_id")), []):
                    if res["kind"] == "counter":
                        counters[res["key"]] = counters.get(res["key"], 0) - int(res["amount"])
                    elif res["kind"] == "event":
                        events[res["key"]] = events.get(res["key"], 0) - 1
        problems: list[Mismatch] = []
        with self.reader() as conn:
            stored = {
                str(k): int(v) for k, v in conn.execute(sa.select(t.counters.c.key, t.counters.c.value))
            }
            stored_events = {
                str(k): int(v)
                for k, v in conn.execute(sa.select(t.events.c.key, sa.func.count()).group_by(t.events.c.key))
            }
        for key in sorted(set(stored) | set(counters)):
            if stored.get(key, 0) != counters.get(key, 0):
                problems.append(Mismatch(key, stored.get(key, 0), counters.get(key, 0)))
        for key in sorted(set(stored_events) | set(events)):
            if stored_events.get(key, 0) != events.get(key, 0):
                problems.append(Mismatch(f"events:{key}", stored_events.get(key, 0), events.get(key, 0)))
        return problems

    # -- decisions --------------------------------------------------------------------------------------

    def decision_row(self, conn: Connection, decision_id: str) -> dict[str, Any] | None:
        row = (
            conn.execute(sa.select(t.decisions).where(t.decisions.c.decision_id == decision_id))
            .mappings()
            .first()
        )
        return dict(row) if row is not None else None

    def decision_response(self, decision_id: str) -> dict[str, Any] | None:
        with self.reader() as conn:
            row = self.decision_row(conn, decision_id)
        return json.loads(row["response"]) if row else None


def normalise_contact(value: str) -> str:
    """Lower-case e-mail addresses, digits only for phone numbers, ids as they are."""
    value = value.strip()
    if "@" in value:
        return value.lower()
    digits = "".join(ch for ch in value if ch.isdigit())
    if value.startswith("+") and len(digits) >= 7:
        return "+" + digits
    return value
