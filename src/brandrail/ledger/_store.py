"""The ledger table on SQLite or PostgreSQL (through SQLAlchemy): schema, append, read, export."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
import tempfile
import threading
import time as _time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from brandrail._json import unique_keys
from brandrail.errors import LedgerError
from brandrail.ledger._canonical import (
    GENESIS_HASH,
    canonical_json,
    entry_hash,
    format_time,
    hash_input_parts,
)
from brandrail.ledger._entry import LedgerEntry, VerifyReport

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from brandrail.ledger._checkpoint import Checkpoint

__all__ = [
    "DEFAULT_DB_URL",
    "DEFAULT_TABLE",
    "SCHEMA_VERSION",
    "DeadlinePool",
    "Ledger",
    "PreparedEntry",
    "deadline_error",
    "install_pg_function",
    "lenient_text",
    "normalise_url",
    "transient_error",
    "verify_jsonl",
    "without_password",
    "write_deadline",
]

#: Where the gate and the ledger keep their state unless told otherwise.
DEFAULT_DB_URL = "sqlite:///.brandrail/gate.db"
DEFAULT_TABLE = "brandrail_ledger"
#: Version of the ledger's table layout, stored in the ``<table>_meta`` table. 2: on PostgreSQL the writers'
#: advisory-lock key is derived from the schema-qualified table (schema as the server resolves it), so
#: same-named ledgers in different schemas never contend. A PostgreSQL ledger of version 1 (made by an
#: earlier release, whose writers lock the key of the table name alone) stays at 1 — this release's writers
#: then take both keys — until :meth:`Ledger.upgrade_lock_key` moves it to 2 once no earlier release
#: writes to it (docs/ledger.md, "Upgrading"). Earlier releases refuse to open a ledger of version 2.
SCHEMA_VERSION = 2

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,50}$")
_MAX_KIND = 64
_MAX_POLICY_VERSION = 128
_COLUMNS = ("seq", "id", "time", "kind", "payload", "policy_version", "prev_hash", "hash")

#: How long a SQLite writer waits for the database's write lock unless told otherwise (seconds).
DEFAULT_BUSY_TIMEOUT = 30.0

#: The moment (``time.monotonic()``) by which the current thread's (or task's) writer transactions must
#: have their lock: :meth:`Ledger.begin` shortens SQLite's busy timeout to what is left (see
#: :func:`write_deadline`).
_DEADLINE: ContextVar[float | None] = ContextVar("brandrail_ledger_write_deadline", default=None)


@contextmanager
def write_deadline(deadline: float | None) -> Iterator[None]:
    """While open, a writer transaction (:meth:`Ledger.begin`) waits for locks until ``deadline`` (a
    ``time.monotonic()`` value) at the latest: on SQLite for the write lock (not for its whole busy
    timeout), on PostgreSQL for every lock it takes — the ledger's advisory lock, the gate's key locks,
    rows — through ``lock_timeout`` (see :func:`lock_wait_ms`). A wait cut short fails with a
    :func:`transient_error` (``busy``, ``lock_not_available``). None: no deadline. Per thread and per
    asyncio task."""
    token = _DEADLINE.set(deadline)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def lock_wait_ms() -> int | None:
    """What is left of the current :func:`write_deadline`, in whole milliseconds, at least 1 (PostgreSQL
    reads a ``lock_timeout`` of 0 as "wait for ever"); None outside one."""
    deadline = _DEADLINE.get()
    if deadline is None:
        return None
    return max(1, math.ceil((deadline - _time.monotonic()) * 1000))


#: Sets ``lock_timeout`` and ``statement_timeout`` for the rest of the open transaction (PostgreSQL;
#: ``%(lock_wait)s`` like ``250ms``, ``%(statement_wait)s`` :data:`STATEMENT_MARGIN_MS` more): no lock is
#: waited for, and no statement runs, past the deadline as it stands when the transaction begins.
SQL_LOCK_WAIT = (
    "SELECT set_config('lock_timeout', %(lock_wait)s, true), "
    "set_config('statement_timeout', %(statement_wait)s, true)"
)
#: How much longer than ``lock_timeout`` a statement may run (ms): a statement that waits for a lock until
#: the deadline fails as the lock wait (55P03, ``lock_not_available``), not as a slow statement — the lock
#: wait's timer starts when the wait does, later than the statement's (by more than a few ms on a loaded
#: machine). It also bounds a statement that waits for several locks one after another (each wait has its
#: own ``lock_timeout``).
STATEMENT_MARGIN_MS = 250


def deadline_settings() -> dict[str, str] | None:
    """The parameters of :data:`SQL_LOCK_WAIT` for what is left of the current :func:`write_deadline`;
    None outside one."""
    wait = lock_wait_ms()
    if wait is None:
        return None
    return {"lock_wait": f"{wait}ms", "statement_wait": f"{wait + STATEMENT_MARGIN_MS}ms"}


def bound_transaction(raw: Any) -> None:
    """Inside a :func:`write_deadline`, bound the open PostgreSQL transaction on the driver connection
    ``raw`` by it (:data:`SQL_LOCK_WAIT`, local to the transaction); nothing outside one."""
    settings = deadline_settings()
    if settings is not None:
        raw.execute(SQL_LOCK_WAIT, settings)


def deadline_error(exc: BaseException) -> str | None:
    """Why ``exc`` is a store operation cut short by its deadline rather than lost to another writer, as a
    stable word — ``pool_timeout`` (no pooled connection came free in time: :class:`DeadlinePool`),
    ``statement_timeout`` (57014, a statement ran past ``statement_timeout``: a slow server) — or None."""
    seen = 0
    current: BaseException | None = exc
    while current is not None and seen < 8:
        seen += 1
        if isinstance(current, sa.exc.TimeoutError):
            return "pool_timeout"
        orig = getattr(current, "orig", None)
        for candidate in (current, orig) if orig is not None else (current,):
            state = getattr(candidate, "sqlstate", None) or getattr(candidate, "pgcode", None)
            if state == "57014":
                return "statement_timeout"
        current = current.__cause__ or current.__context__
    return None


class DeadlinePool(sa.pool.QueuePool):
    """A :class:`~sqlalchemy.pool.QueuePool` whose checkout, inside a :func:`write_deadline`, waits for a
    free connection no longer than the deadline (outside one: the pool's own ``pool_timeout``, 30 s). A
    checkout that finds none in time raises :class:`sqlalchemy.exc.TimeoutError`, which
    :func:`deadline_error` calls ``pool_timeout``: an exhausted pool ends a decision's wait at
    ``gate.store_timeout`` like a lock does. (:meth:`Ledger.from_url` uses it for every pooled engine.)"""

    def _do_get(self) -> Any:
        deadline = _DEADLINE.get()
        if deadline is None:
            return super()._do_get()
        from sqlalchemy.util import queue as sqla_queue

        while True:  # QueuePool._do_get with the wait cut to the deadline
            use_overflow = self._max_overflow > -1
            wait = use_overflow and self._overflow >= self._max_overflow
            timeout = max(0.0, min(self._timeout, deadline - _time.monotonic()))
            try:
                return self._pool.get(wait, timeout)
            except sqla_queue.Empty:
                pass
            if use_overflow and self._overflow >= self._max_overflow:
                if not wait:
                    continue
                raise sa.exc.TimeoutError(
                    f"no database connection came free before the deadline (pool of {self.size()} + "
                    f"{self._max_overflow} overflow, all in use)"
                )
            if self._inc_overflow():
                try:
                    return self._create_connection()
                except BaseException:
                    self._dec_overflow()
                    raise


def _connect_within_deadline(dialect: Any, record: Any, cargs: Any, cparams: dict[str, Any]) -> None:
    """``do_connect`` hook (PostgreSQL): a new connection opened inside a :func:`write_deadline` gives up
    at the deadline (libpq's ``connect_timeout``, whole seconds, at least 2)."""
    deadline = _DEADLINE.get()
    if deadline is not None:
        cparams["connect_timeout"] = str(max(2, math.ceil(deadline - _time.monotonic())))


#: SQLite's names of the errors another writer's lock causes (``sqlite3.Error.sqlite_errorname``).
_SQLITE_BUSY = frozenset(
    {"SQLITE_BUSY", "SQLITE_BUSY_RECOVERY", "SQLITE_BUSY_SNAPSHOT", "SQLITE_BUSY_TIMEOUT", "SQLITE_LOCKED"}
)
#: PostgreSQL SQLSTATEs of a transaction that lost to another and may simply run again.
_PG_TRANSIENT = {
    "40001": "serialization_failure",
    "40P01": "deadlock",
    "55P03": "lock_not_available",
}


def transient_error(exc: BaseException) -> str | None:
    """Why ``exc`` is a write that lost to another writer and may be run again, as a stable word —
    ``busy`` (SQLite's lock stayed taken past the busy timeout), ``serialization_failure`` (40001),
    ``deadlock`` (40P01) or ``lock_not_available`` (55P03) — or None for any other error. Looks through
    SQLAlchemy's wrapper and the chain of causes."""
    seen = 0
    current: BaseException | None = exc
    while current is not None and seen < 8:
        seen += 1
        orig = getattr(current, "orig", None)
        for candidate in (current, orig) if orig is not None else (current,):
            state = getattr(candidate, "sqlstate", None) or getattr(candidate, "pgcode", None)
            if isinstance(state, str) and state in _PG_TRANSIENT:
                return _PG_TRANSIENT[state]
            name = getattr(candidate, "sqlite_errorname", None)
            if isinstance(name, str) and name in _SQLITE_BUSY:
                return "busy"
            if type(candidate).__module__ == "sqlite3" and type(candidate).__name__ == "OperationalError":
                text = str(candidate)
                if "database is locked" in text or "database table is locked" in text or "is busy" in text:
                    return "busy"
        current = current.__cause__ or current.__context__
    return None


#: Looks up, in one read, the schema of a ledger's table as the server resolves its name (else the schema a
#: ``CREATE TABLE`` would use: ``current_schema()``) and whether its ``_meta`` table exists.
_SQL_RESOLVE = (
    "SELECT coalesce((SELECT n.nspname FROM pg_catalog.pg_class AS c JOIN pg_catalog.pg_namespace AS n "
    "ON n.oid = c.relnamespace WHERE c.oid = to_regclass(%(t)s)), current_schema()), "
    "to_regclass(%(m)s) IS NOT NULL"
)


def normalise_url(url: str) -> str:
    """Map ``postgres://`` and ``postgresql://`` to the installed psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


_PASSWORD = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^:/@?#]*:([^@/?#]+)@")


def without_password(text: str, url: str | None = None) -> str:
    """``text`` with the password of ``url`` (default: ``text`` itself, a URL) replaced by ``***``: error
    messages name the database, never its secret."""
    found = _PASSWORD.match(url if url is not None else text)
    if not found:
        return text
    secret = found.group(1)
    return text.replace(f":{secret}@", ":***@").replace(secret, "***")


def sqlite_file(url: str) -> Path | None:
    """The file a ``sqlite:///PATH`` URL names (its query string dropped); None for an in-memory database or
    a URL of another kind."""
    url = normalise_url(url)
    if not url.startswith("sqlite:///") or url.startswith("sqlite:///:memory:"):
        return None
    return Path(url[len("sqlite:///") :].split("?", 1)[0])


def _driver(conn: Connection) -> Any:
    """The DB-API connection under a SQLAlchemy connection (sqlite3 or psycopg), for hot-path SQL."""
    return conn.connection.driver_connection


def _advisory_key(qualified_name: str) -> int:
    """A fixed signed 64-bit advisory-lock key for one ledger table (``schema.table``; releases before
    schema version 2 used the table's name alone when no schema was configured)."""
    digest = hashlib.sha256(f"brandrail.ledger:{qualified_name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _decode_lenient(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


@contextmanager
def lenient_text(conn: Connection, on: bool) -> Iterator[None]:
    """While open, SQLite text on ``conn`` that is not valid UTF-8 reads with lone surrogates for its bad
    bytes instead of raising (see :meth:`Ledger._rows`)."""
    if not on:
        yield
        return
    raw = _driver(conn)
    previous = raw.text_factory
    raw.text_factory = _decode_lenient
    try:
        yield
    finally:
        raw.text_factory = previous


@dataclass(frozen=True, slots=True)
class PreparedEntry:
    """A ledger entry before its place in the chain is known (see :meth:`Ledger.prepare`)."""

    id: str
    time: str
    kind: str
    payload_json: str
    policy_version: str
    #: the hash input before ``prev_hash`` and after the ``seq`` number (what the database completes)
    head: str
    tail: str

    @property
    def check(self) -> str:
        """sha256 of ``head + tail``: the database compares it with its own before it writes anything, so
        a text changed on its way (a server encoding other than UTF-8) is refused, never hashed."""
        return hashlib.sha256((self.head + self.tail).encode("utf-8", "surrogatepass")).hexdigest()

    def entry(self, seq: int, prev_hash: str, digest: str) -> LedgerEntry:
        """The entry at ``seq`` after ``prev_hash``; raises :class:`LedgerError` unless ``digest`` is its
        hash as :func:`~brandrail.ledger._canonical.entry_hash` computes it."""
        fields = (self.id, self.time, self.kind, self.payload_json, self.policy_version, prev_hash)
        expected = entry_hash(seq, fields)
        if digest != expected:
            raise LedgerError(
                f"the database computed hash {digest} for entry {seq}, expected {expected}",
                hint="the database must use UTF-8 (server_encoding); re-run create_schema()",
            )
        return LedgerEntry(
            seq, self.id, self.time, self.kind, self.payload_json, self.policy_version, prev_hash, digest
        )


def install_pg_function(conn: Connection, signature: str, ddl: str) -> bool:
    """Run ``ddl`` (a ``CREATE OR REPLACE FUNCTION`` whose body is quoted by ``$fn$``) unless the function
    ``signature`` already has that body. False when the role may not create or replace it (the caller then
    keeps to plain statements); any other error is raised."""
    current = conn.exec_driver_sql(
        "SELECT prosrc FROM pg_proc WHERE oid = to_regprocedure(%(sig)s)", {"sig": signature}
    ).scalar()
    if current == ddl.split("$fn$")[1]:
        return True
    try:
        with conn.begin_nested():
            conn.exec_driver_sql(ddl)
    except sa.exc.DBAPIError as exc:
        if "permission denied" not in str(exc) and "must be owner" not in str(exc):
            raise
        return False
    return True


class Ledger:
    """An append-only, hash-chained log of decisions in one SQL table.

    ``Ledger(engine)`` uses a SQLAlchemy engine (SQLite file or PostgreSQL); :meth:`from_url` makes one.
    ``table`` and ``schema`` name the table (``<table>_meta`` holds the schema version next to it).

    ``sqlite_synchronous`` is the SQLite ``PRAGMA synchronous`` that :meth:`begin` sets: ``"NORMAL"``
    (default; with the WAL journal that :meth:`create_schema` turns on, a committed entry survives a
    crash of the process, and only the last commits can be lost on a power failure — about 5x faster)
    or ``"FULL"`` (an fsync per commit; survives power failure too). ``None`` leaves it alone.

    ``busy_timeout`` (seconds, default 30): how long a SQLite writer transaction waits for the database's
    write lock before it fails with ``database is locked`` (shortened to what is left of a
    :func:`write_deadline`). PostgreSQL writers wait for the ledger's lock as long as it is held, unless
    inside a :func:`write_deadline` (the gate's decisions: ``gate.store_timeout``): then each lock wait
    ends at the deadline with ``lock_not_available`` (55P03).

    ``postgres_synchronous_commit`` (default ``None``: the server's setting, normally ``on``) is set with
    ``SET LOCAL`` in every :meth:`begin` transaction on PostgreSQL. ``"off"`` makes appends about 3x
    faster (the ledger lock is released before the WAL flush); a crash of the *server* can then lose the
    last fraction of a second of commits (never corrupt or fork the chain); a crash of a gate process
    loses nothing that was committed.
    """

    def __init__(
        self,
        engine: Engine,
        *,
        table: str = DEFAULT_TABLE,
        schema: str | None = None,
        sqlite_synchronous: str | None = "NORMAL",
        postgres_synchronous_commit: str | None = None,
        busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
    ) -> None:
        if not _NAME.match(table):
            raise LedgerError(f"invalid ledger table name {table!r}", hint="use letters, digits and _")
        if schema is not None and not _NAME.match(schema):
            raise LedgerError(f"invalid ledger schema name {schema!r}", hint="use letters, digits and _")
        if sqlite_synchronous not in {None, "OFF", "NORMAL", "FULL", "EXTRA"}:
            raise LedgerError(
                f"invalid sqlite_synchronous {sqlite_synchronous!r}", hint="use NORMAL, FULL, EXTRA or OFF"
            )
        if postgres_synchronous_commit not in {None, "on", "off", "local", "remote_write", "remote_apply"}:
            raise LedgerError(
                f"invalid postgres_synchronous_commit {postgres_synchronous_commit!r}",
                hint="use on, off, local, remote_write or remote_apply",
            )
        if (
            isinstance(busy_timeout, bool)
            or not isinstance(busy_timeout, (int, float))
            or not busy_timeout > 0
        ):
            raise LedgerError(
                f"invalid busy_timeout {busy_timeout!r}", hint="give the seconds to wait, a number above 0"
            )
        self.sqlite_synchronous = sqlite_synchronous
        #: seconds a SQLite writer waits for the write lock (see the class docstring)
        self.busy_timeout = float(busy_timeout)
        self._shared_guard: AbstractContextManager[Any] = threading.RLock()
        self.postgres_synchronous_commit = postgres_synchronous_commit
        self.engine = engine
        self.table_name = table
        self.schema = schema
        self.dialect = engine.dialect.name
        self._metadata = sa.MetaData(schema=schema)
        self.table = sa.Table(
            table,
            self._metadata,
            sa.Column(
                "seq",
                sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                primary_key=True,
                autoincrement=False,
            ),
            sa.Column("id", sa.String(64), nullable=False, unique=True),
            sa.Column("time", sa.String(40), nullable=False),
            sa.Column("kind", sa.String(_MAX_KIND), nullable=False),
            sa.Column("payload", sa.Text(), nullable=False),
            sa.Column("policy_version", sa.String(_MAX_POLICY_VERSION), nullable=False),
            sa.Column("prev_hash", sa.String(64), nullable=False),
            sa.Column("hash", sa.String(64), nullable=False),
            sa.Index(f"ix_{table}_time", "time"),
        )
        self.meta_table = sa.Table(
            f"{table}_meta",
            self._metadata,
            sa.Column("key", sa.String(64), primary_key=True),
            sa.Column("value", sa.Text(), nullable=False),
        )
        #: the key of releases before schema version 2: the table's name alone unless a schema is configured
        self.legacy_lock_key = _advisory_key(f"{schema}.{table}" if schema else table)
        # the schema-qualified key (PostgreSQL: the schema as the server resolves the table's name, looked up
        # once, see _resolve) and the ledger's schema version, which decides the keys its writers take
        self._schema_key: int | None = self.legacy_lock_key if schema else None
        self._version: int | None = None
        quoted = f'"{schema}"."{table}"' if schema else f'"{table}"'
        quoted_meta = f'"{schema}"."{table}_meta"' if schema else f'"{table}_meta"'
        self._quoted, self._quoted_meta = quoted, quoted_meta
        #: PostgreSQL function that appends in one round trip (lock, head read, hash, insert); see
        #: :meth:`create_schema`.
        self.append_function = f'"{schema}"."{table}_append"' if schema else f'"{table}_append"'
        #: PostgreSQL function that appends several entries in one call (see :meth:`append`, ``preceding``)
        self.append_many_function = (
            f'"{schema}"."{table}_append_many"' if schema else f'"{table}_append_many"'
        )
        self._has_function: bool | None = None
        self._has_many: bool | None = None
        self._with_sql: dict[tuple[str, ...], str] = {}
        # Hot-path statements as driver SQL (no SQLAlchemy compilation per append).
        if self.dialect == "postgresql":
            self._sql_lock = "SELECT pg_advisory_xact_lock(%(k)s)"
            # two keys, the first surely taken first (the subquery is scanned before the outer list)
            self._sql_lock_two = "SELECT pg_advisory_xact_lock(%(k1)s) FROM (SELECT pg_advisory_xact_lock(%(k0)s) OFFSET 0) AS f"
            named = "%(id)s, %(time)s, %(kind)s, %(payload)s, %(policy_version)s"
            self._sql_call = (
                f"SELECT * FROM {self.append_function}(%(k)s, {named}, %(head)s, %(tail)s, %(sync)s)"
            )
            ins = "%(seq)s, %(id)s, %(time)s, %(kind)s, %(payload)s, %(policy_version)s, %(prev)s, %(hash)s"
        else:
            self._sql_lock = f"UPDATE {quoted_meta} SET value = value WHERE key = 'lock'"
            self._sql_call = ""
            ins = ":seq, :id, :time, :kind, :payload, :policy_version, :prev, :hash"
        self._sql_head = f"SELECT seq, hash FROM {quoted} ORDER BY seq DESC LIMIT 1"
        self._sql_insert = (
            f'INSERT INTO {quoted} (seq, id, "time", kind, payload, policy_version, prev_hash, hash) '
            f"VALUES ({ins})"
        )

    # -- construction -------------------------------------------------------------------------------

    @classmethod
    def from_url(
        cls,
        url: str = DEFAULT_DB_URL,
        *,
        table: str = DEFAULT_TABLE,
        schema: str | None = None,
        sqlite_synchronous: str | None = "NORMAL",
        postgres_synchronous_commit: str | None = None,
        busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
    ) -> Ledger:
        """Open a ledger by database URL (``sqlite:///path.db`` or ``postgresql://user@host/db``).

        For a SQLite file the parent directory is created and writers wait up to ``busy_timeout`` seconds
        (default 30) for the lock.
        """
        url = normalise_url(url)
        shown = without_password(url)
        try:
            parsed = sa.engine.make_url(url)
        except (sa.exc.ArgumentError, ValueError) as exc:  # ValueError: a port that is not a number
            raise LedgerError(
                f"invalid database URL {shown!r}: {without_password(str(exc), url)}",
                hint="use sqlite:///PATH or postgresql://USER@HOST/DB",
            ) from None
        kwargs: dict[str, Any] = {}
        if parsed.get_backend_name() == "sqlite":
            database = parsed.database or ""
            if database and database != ":memory:" and not database.startswith("file:"):
                try:
                    Path(database).parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise LedgerError(
                        f"cannot create the folder of the database {database}: {exc.strerror}", location=shown
                    ) from None
            else:
                kwargs["poolclass"] = sa.pool.StaticPool
            kwargs["connect_args"] = {"timeout": busy_timeout, "check_same_thread": False}
        kwargs.setdefault("poolclass", DeadlinePool)
        try:
            engine = sa.create_engine(parsed, **kwargs)
        except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError, ImportError) as exc:
            raise LedgerError(f"cannot open database {shown!r}: {without_password(str(exc), url)}") from None
        if engine.dialect.name == "postgresql":
            sa.event.listen(engine, "do_connect", _connect_within_deadline)
        return cls(
            engine,
            table=table,
            schema=schema,
            sqlite_synchronous=sqlite_synchronous,
            postgres_synchronous_commit=postgres_synchronous_commit,
            busy_timeout=busy_timeout,
        )

    @property
    def _is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    @property
    def _is_postgres(self) -> bool:
        return self.dialect == "postgresql"

    # -- transactions and schema ----------------------------------------------------------------------

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """Open a write transaction of the right kind for the dialect and yield its connection.

        SQLite: ``BEGIN IMMEDIATE`` (the write lock is taken at once, so two writers never interleave
        and never deadlock on a lock upgrade). PostgreSQL: an ordinary transaction; :meth:`append` takes
        ``pg_advisory_xact_lock`` inside it. Commits on success, rolls back on any exception. Use the
        yielded connection for your own writes too, so they commit or roll back with the entry.
        """
        # One shared connection (an in-memory SQLite database): one transaction at a time across threads.
        guard = self._shared_guard if isinstance(self.engine.pool, sa.pool.StaticPool) else nullcontext()
        with guard, self._transaction() as conn:
            yield conn

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        try:
            conn = self.engine.connect()
        except sa.exc.TimeoutError:
            raise  # an exhausted pool past the deadline (DeadlinePool): deadline_error names it
        except sa.exc.SQLAlchemyError as exc:
            raise LedgerError(f"cannot connect to the ledger database: {exc}") from None
        with conn:
            if self._is_sqlite:
                raw = _driver(conn)
                wait = self.busy_timeout
                deadline = _DEADLINE.get()
                if deadline is not None:
                    wait = max(0.0, min(wait, deadline - _time.monotonic()))
                raw.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")
                if self.sqlite_synchronous is not None:
                    raw.execute(f"PRAGMA synchronous = {self.sqlite_synchronous}")
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                conn.begin()
                # PostgreSQL: ``synchronous_commit`` is set by :meth:`append` (inside the append function,
                # no extra round trip); it only matters at commit, and a transaction without an entry
                # keeps the server's setting.
                if self._is_postgres:
                    # under a write deadline no lock of this transaction is waited for past it (the wait
                    # ends with 55P03, lock_not_available, which the gate retries and then denies) and no
                    # statement runs past it (57014, statement_timeout: denied)
                    bound_transaction(_driver(conn))
            try:
                yield conn
            except BaseException:
                conn.rollback()
                raise
            conn.commit()

    def create_schema(self) -> None:
        """Create the ledger tables if missing and record the schema version (idempotent, race-safe)."""
        if self._is_sqlite:
            database = self.engine.url.database or ""
            if database and database != ":memory:":
                try:
                    with self.engine.connect() as conn:
                        conn.exec_driver_sql("PRAGMA journal_mode=WAL")
                        conn.commit()
                except sa.exc.OperationalError:
                    pass  # busy: WAL only speeds things up; the ledger is correct without it
        version = SCHEMA_VERSION
        with self.begin() as conn:
            if self._is_postgres:
                raw = _driver(conn)
                self._resolve(raw, again=True)
                # both keys: creators and writers of this release and of earlier ones wait for each other
                self._take_keys(raw, (self.legacy_lock_key, self._resolved_key()))
                if self.schema:
                    conn.execute(sa.text(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}"'))
            self._metadata.create_all(conn, checkfirst=True)
            rows = dict(conn.execute(sa.select(self.meta_table.c.key, self.meta_table.c.value)).all())
            if "schema_version" not in rows:
                conn.execute(self.meta_table.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))
            else:
                version = self._migrate(conn, self._version_of(rows["schema_version"]))
            if "lock" not in rows:
                conn.execute(self.meta_table.insert().values(key="lock", value="0"))
            if self._is_postgres:
                self._ensure_function(conn)
        self._version = version
        self._has_function = self._has_many = None

    # -- the writers' lock key (PostgreSQL) --------------------------------------------------------------

    def _version_of(self, value: Any) -> int:
        try:
            return int(str(value))
        except ValueError:
            raise LedgerError(
                f"ledger table {self.table_name!r} has an unreadable schema version {str(value)[:40]!r}",
                hint=f"its {self.table_name}_meta row 'schema_version' must be a number",
            ) from None

    def _resolve(self, raw: Any, *, again: bool = False) -> None:
        """Look up (PostgreSQL; once per Ledger, or ``again``) the schema the server resolves the table's
        name to — so the key is the table's, whatever search_path names it — and the ledger's schema
        version. Two one-row reads inside the caller's transaction, which cannot abort it."""
        if self._version is not None and not again:
            return
        name, has_meta = raw.execute(_SQL_RESOLVE, {"t": self._quoted, "m": self._quoted_meta}).fetchone()
        if self.schema is None:
            self._schema_key = _advisory_key(f"{name}.{self.table_name}") if name else self.legacy_lock_key
        version = None
        if has_meta:
            row = raw.execute(
                f"SELECT value FROM {self._quoted_meta} WHERE key = 'schema_version'"
            ).fetchone()
            version = self._version_of(row[0]) if row is not None else None
        self._version = version  # None (no ledger yet): looked up again next time

    def _ensure_resolved(self) -> None:
        if self._is_postgres and self._version is None:
            try:
                with self.engine.connect() as conn:
                    self._resolve(_driver(conn))
                    conn.rollback()
            except sa.exc.SQLAlchemyError as exc:
                raise LedgerError(f"cannot read the ledger database: {exc}") from None

    def _resolved_key(self) -> int:
        assert self._schema_key is not None
        return self._schema_key

    def _keys(self) -> tuple[int, ...]:
        """The advisory keys a writer takes, in order: the schema-qualified key alone on a ledger of schema
        version 2; on version 1 (or one not created yet) first the key of earlier releases, then it."""
        key = self._resolved_key()
        if (self._version is not None and self._version >= 2) or key == self.legacy_lock_key:
            return (key,)
        return (self.legacy_lock_key, key)

    @property
    def lock_keys(self) -> tuple[int, ...]:
        """PostgreSQL: the advisory-lock keys this ledger's writers take, in the order they take them
        (see :data:`SCHEMA_VERSION`); looked up on the server once."""
        if not self._is_postgres:
            return (self.legacy_lock_key,)
        self._ensure_resolved()
        if self._schema_key is None:  # no ledger and no schema to make one in
            return (self.legacy_lock_key,)
        return self._keys()

    @property
    def lock_key(self) -> int:
        """The writers' advisory-lock key: ``sha256("brandrail.ledger:<schema>.<table>")``, first 8 bytes,
        signed — the schema being the one the server resolves the table's name to (see :attr:`lock_keys`
        for a ledger of schema version 1, whose writers take the earlier key first)."""
        return self.lock_keys[-1]

    @property
    def append_key(self) -> int:
        """The key the append functions (and ``gate_decide_fast``) are called with: the first of
        :attr:`lock_keys`. Their body takes it and then the schema-qualified key (:meth:`pg_lock_block`),
        so a body installed by an earlier release — which takes the key it is given — still excludes
        that release's writers."""
        return self.lock_keys[0]

    def pg_lock_block(self, var: str) -> str:
        """PL/pgSQL that takes the ledger's lock with the key in ``var`` (a parameter): that key, then the
        schema-qualified one unless it is that key — so a writer of an earlier release, which passes the
        table name's key, takes both, like this release's writers on a ledger of schema version 1."""
        key = self._resolved_key()
        return (
            f"PERFORM pg_advisory_xact_lock({var});\n"
            f"    IF {var} IS DISTINCT FROM {key} THEN\n"
            f"        PERFORM pg_advisory_xact_lock({key});\n"
            "    END IF;"
        )

    def _take_keys(self, raw: Any, keys: Sequence[int]) -> None:
        unique = list(dict.fromkeys(keys))
        if len(unique) == 1:
            raw.execute(self._sql_lock, {"k": unique[0]})
        else:
            raw.execute(self._sql_lock_two, {"k0": unique[0], "k1": unique[1]})

    def upgrade_lock_key(self, also: Callable[[Connection], None] | None = None) -> bool:
        """Move a ledger of schema version 1 to 2: from now on its writers take the schema-qualified key
        alone, and earlier releases refuse to open it. Run it once every process that writes to the ledger
        runs this release (docs/ledger.md, "Upgrading"). PostgreSQL: under both keys, it installs the
        current append functions — whose body takes the schema-qualified key whatever key it is called
        with — and needs the table's owner (a :class:`LedgerError` otherwise, and nothing changes);
        ``also(conn)`` runs in the same transaction (the gate store's function). True when it upgraded,
        False when the ledger was at version 2 already."""
        self.require()
        with self.begin() as conn:
            if self._is_postgres:
                raw = _driver(conn)
                self._resolve(raw, again=True)
                self._take_keys(raw, (self.legacy_lock_key, self._resolved_key()))
            value = conn.execute(
                sa.select(self.meta_table.c.value).where(self.meta_table.c.key == "schema_version")
            ).scalar()
            version = self._version_of(value)
            if version > SCHEMA_VERSION:
                self._migrate(conn, version)  # raises: newer than this release
            if version >= 2:
                self._version = version
                return False
            if self._is_postgres:
                signature = f"{self.append_function}(bigint,text,text,text,text,text,text,text,text)"
                installed = install_pg_function(
                    conn, signature, self._function_ddl()
                ) and install_pg_function(conn, self._many_signature, self._many_ddl())
                if not installed:
                    raise LedgerError(
                        f"cannot upgrade the lock key of ledger table {self.table_name!r}: this role may not "
                        "replace its append functions",
                        hint="run the upgrade once as the table's owner",
                    )
                if also is not None:
                    also(conn)
            conn.execute(
                self.meta_table.update()
                .where(self.meta_table.c.key == "schema_version")
                .values(value=str(SCHEMA_VERSION))
            )
        self._version = SCHEMA_VERSION
        self._has_function = self._has_many = None
        return True

    def _ensure_function(self, conn: Connection) -> None:
        """Create or update the append function unless it is already current. A role that may not create
        it (only INSERT/SELECT on the ledger, say) keeps working: :meth:`append` then uses three plain
        statements."""
        signature = f"{self.append_function}(bigint,text,text,text,text,text,text,text,text)"
        if install_pg_function(conn, signature, self._function_ddl()):
            install_pg_function(conn, self._many_signature, self._many_ddl())

    @property
    def _many_signature(self) -> str:
        return f"{self.append_many_function}(bigint,text[],text[],text[],text[],text[],text[],text[],text)"

    def _many_ddl(self) -> str:
        """``CREATE OR REPLACE FUNCTION <table>_append_many(...)``: several entries appended in order in one
        call (the entries of :meth:`append`'s ``preceding``, then its own), each exactly as
        ``<table>_append`` appends one (which it calls: the same lock, the same hash); returns one row per
        entry, ``o_n`` its 1-based position."""
        return f"""
CREATE OR REPLACE FUNCTION {self.append_many_function}(
    k bigint, p_ids text[], p_times text[], p_kinds text[], p_payloads text[], p_policy_versions text[],
    p_heads text[], p_tails text[], p_sync text)
RETURNS TABLE(o_n integer, o_seq bigint, o_prev_hash text, o_hash text)
LANGUAGE plpgsql AS $fn$
DECLARE
    i integer;
BEGIN
    FOR i IN 1 .. coalesce(array_length(p_ids, 1), 0) LOOP
        o_n := i;
        SELECT e.o_seq, e.o_prev_hash, e.o_hash INTO o_seq, o_prev_hash, o_hash FROM {self.append_function}(
            k, p_ids[i], p_times[i], p_kinds[i], p_payloads[i], p_policy_versions[i], p_heads[i], p_tails[i],
            p_sync) AS e;
        RETURN NEXT;
    END LOOP;
END
$fn$"""

    def _function_ddl(self) -> str:
        """``CREATE OR REPLACE FUNCTION <table>_append(...)``: the PostgreSQL append in one round trip.

        It sets ``synchronous_commit`` for the transaction when asked (``set_config(..., true)`` is
        ``SET LOCAL``), takes the ledger's advisory lock (the key it is called with, then the
        schema-qualified key: :meth:`pg_lock_block`), reads the head, computes the entry hash exactly
        as :func:`~brandrail.ledger._canonical.entry_hash` does (the caller passes the canonical JSON
        before ``prev_hash`` and after ``seq``; the function fills in the two values it alone knows),
        inserts the entry and returns ``(seq, prev_hash, hash)``. :meth:`append` recomputes the hash in
        Python and refuses a mismatch, so the SQL can never silently write a hash the verifier rejects.
        """
        quoted = f'"{self.schema}"."{self.table_name}"' if self.schema else f'"{self.table_name}"'
        return f"""
CREATE OR REPLACE FUNCTION {self.append_function}(
    k bigint, p_id text, p_time text, p_kind text, p_payload text, p_policy_version text,
    p_head text, p_tail text, p_sync text)
RETURNS TABLE(o_seq bigint, o_prev_hash text, o_hash text)
LANGUAGE plpgsql AS $fn$
DECLARE
    s bigint;
    ph text;
    h text;
BEGIN
    IF p_sync IS NOT NULL THEN
        PERFORM set_config('synchronous_commit', p_sync, true);
    END IF;
    {self.pg_lock_block("k")}
    SELECT l.seq, l.hash INTO s, ph FROM {quoted} AS l ORDER BY l.seq DESC LIMIT 1;
    IF NOT FOUND THEN
        s := 0;
        ph := repeat('0', 64);
    END IF;
    s := s + 1;
    h := encode(sha256(convert_to(p_head || ph || '","seq":' || s::text || p_tail, 'UTF8')), 'hex');
    INSERT INTO {quoted} (seq, id, "time", kind, payload, policy_version, prev_hash, hash)
        VALUES (s, p_id, p_time, p_kind, p_payload, p_policy_version, ph, h);
    o_seq := s;
    o_prev_hash := ph;
    o_hash := h;
    RETURN NEXT;
END
$fn$"""

    def _migrate(self, conn: Connection, version: int) -> int:
        """Check (and on SQLite bring up to date) the ledger's schema version; returns it. Version 2 changes
        nothing in the tables: on SQLite, which takes no advisory lock, 1 becomes 2 at once; a PostgreSQL
        ledger stays at 1 until :meth:`upgrade_lock_key`."""
        if version > SCHEMA_VERSION or version < 1:
            raise LedgerError(
                f"ledger table {self.table_name!r} has schema version {version}, "
                + (f"newer than this brandrail understands ({SCHEMA_VERSION})" if version > 1 else "unknown"),
                hint="upgrade brandrail",
            )
        if version < SCHEMA_VERSION and not self._is_postgres:
            conn.execute(
                self.meta_table.update()
                .where(self.meta_table.c.key == "schema_version")
                .values(value=str(SCHEMA_VERSION))
            )
            version = SCHEMA_VERSION
        return version

    def exists(self) -> bool:
        """Whether the ledger table exists in the database."""
        try:
            with self.engine.connect() as conn:
                return sa.inspect(conn).has_table(self.table_name, schema=self.schema)
        except sa.exc.SQLAlchemyError as exc:
            raise LedgerError(f"cannot open the ledger database: {exc}") from None

    def _url_text(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def require(self) -> None:
        """Raise :class:`LedgerError` unless the ledger table exists."""
        if not self.exists():
            raise LedgerError(
                f"no ledger table {self.table_name!r} in {self._url_text()}",
                hint="check --db, or create the ledger first (the gate creates it on first use)",
            )

    # -- writing -----------------------------------------------------------------------------------

    def lock(self, conn: Connection) -> None:
        """Take the writers' lock now, inside ``conn``'s open transaction, until it ends: PostgreSQL the
        ledger's advisory lock (re-entrant: :meth:`append` takes it again); SQLite nothing (the
        transaction of :meth:`begin` holds the database's write lock already). For a writer that also locks
        rows other writers take after the ledger's lock (the gate's counters)."""
        if self._is_postgres:
            raw = _driver(conn)
            self._resolve(raw)
            self._take_keys(raw, self._keys())
        elif not self._is_sqlite:
            self._lock(conn)

    def _lock(self, conn: Connection) -> None:
        if self._is_sqlite:
            # Takes SQLite's write lock before the head is read, even in a deferred transaction.
            conn.execute(
                self.meta_table.update()
                .where(self.meta_table.c.key == "lock")
                .values(value=self.meta_table.c.value)
            )
        else:
            conn.execute(
                sa.select(self.meta_table.c.key).where(self.meta_table.c.key == "lock").with_for_update()
            )

    def _entry_fields(
        self, kind: str, payload: Any, policy_version: str, at: dt.datetime | None, entry_id: str | None
    ) -> tuple[str, str, str]:
        """Check an entry's fields; returns its id, its time text and its canonical payload JSON."""
        if not isinstance(kind, str) or not kind or len(kind) > _MAX_KIND:
            raise LedgerError(
                f"ledger entry kind must be a non-empty string of at most {_MAX_KIND} characters"
            )
        if not isinstance(policy_version, str) or len(policy_version) > _MAX_POLICY_VERSION:
            raise LedgerError(
                f"ledger policy_version must be a string of at most {_MAX_POLICY_VERSION} characters"
            )
        payload_json = canonical_json(payload)
        time = format_time(at if at is not None else dt.datetime.now(dt.UTC))
        new_id = entry_id if entry_id is not None else str(uuid.uuid4())
        if not isinstance(new_id, str) or not new_id or len(new_id) > 64:
            raise LedgerError("ledger entry id must be a non-empty string of at most 64 characters")
        return new_id, time, payload_json

    def prepare(
        self,
        *,
        kind: str,
        payload: Any,
        policy_version: str,
        at: dt.datetime | None = None,
        entry_id: str | None = None,
    ) -> PreparedEntry:
        """Everything of an entry that does not depend on the chain's head, computed before any lock:
        the checked fields, the canonical payload and the hash input around ``prev_hash`` and ``seq``
        (for a database-side append, see :meth:`brandrail.gate.GateStore.decide_fast`). Finish with
        :meth:`PreparedEntry.entry` once the database returned ``(seq, prev_hash, hash)``."""
        new_id, time, payload_json = self._entry_fields(kind, payload, policy_version, at, entry_id)
        prefix, tail = hash_input_parts((new_id, time, kind, payload_json, policy_version, GENESIS_HASH))
        head = prefix[: -len(f'{GENESIS_HASH}","seq":')]  # ends with "prev_hash":"
        return PreparedEntry(new_id, time, kind, payload_json, policy_version, head, tail)

    def append(
        self,
        conn: Connection,
        *,
        kind: str,
        payload: Any,
        policy_version: str,
        at: dt.datetime | None = None,
        entry_id: str | None = None,
        before: tuple[str, ...] = (),
        before_params: dict[str, Any] | None = None,
        after: tuple[str, ...] = (),
        preceding: Sequence[PreparedEntry] = (),
    ) -> LedgerEntry:
        """Append one entry inside the caller's open transaction on ``conn`` and return it.

        ``preceding``: entries (from :meth:`prepare`) to append first, in order, under the same lock and in
        the same statement as this one (on PostgreSQL with the append functions: one round trip for all);
        they commit or roll back with it. The returned entry is the last one.

        ``after``: the caller's data-modifying statements that need the new entry; each may read the CTE
        ``entry`` with the columns ``o_seq``, ``o_prev_hash`` and ``o_hash`` (e.g. ``INSERT INTO t (id, h)
        SELECT %(x)s, o_hash FROM entry``), with the parameters of ``before_params``. On PostgreSQL with the
        append function they travel in the same statement as the append; otherwise they run right after it.

        ``before``: the caller's own data-modifying statements (``INSERT``/``UPDATE``/``DELETE`` in the
        driver's parameter style, ``before_params`` their parameters, names other than the ledger's own
        ``k id time kind payload policy_version head tail sync``) to run first in the same transaction.
        On PostgreSQL with the append function they travel in the same statement as the append (as
        data-modifying CTEs: one round trip for both); otherwise they run one by one before it.

        Writers are serialised across threads and processes: PostgreSQL takes a transaction-scoped
        advisory lock (key derived from the schema-qualified table, :attr:`lock_keys`), SQLite the database write lock (open the
        transaction with :meth:`begin`, which issues ``BEGIN IMMEDIATE``). The entry commits or rolls
        back with the caller's transaction. Personal data must be masked before it reaches ``payload``.
        """
        if not conn.in_transaction():
            raise LedgerError(
                "Ledger.append needs a connection inside an open transaction",
                hint="use `with ledger.begin() as conn: ledger.append(conn, ...)`",
            )
        new_id, time, payload_json = self._entry_fields(kind, payload, policy_version, at, entry_id)
        raw = _driver(conn)
        dbapi: Any = self.engine.dialect.dbapi
        try:
            if self._is_postgres:
                self._resolve(raw)
            if self._is_postgres and self._function_ready(raw):
                if preceding and not self._many_ready(raw):
                    for early in preceding:  # a schema without the many-entry function: one call each
                        self._append_pg(raw, early.id, early.time, early.kind, early.payload_json,
                                        early.policy_version)  # fmt: skip
                    preceding = ()
                return self._append_pg(
                    raw,
                    new_id,
                    time,
                    kind,
                    payload_json,
                    policy_version,
                    before,
                    before_params,
                    after,
                    preceding,
                )
            for statement in before:
                raw.execute(statement, before_params or {})
            if self._is_postgres or self._is_sqlite:
                if self._is_postgres and self.postgres_synchronous_commit is not None:
                    raw.execute(f"SET LOCAL synchronous_commit = {self.postgres_synchronous_commit}")
                if self._is_postgres:
                    self._resolve(raw)
                    self._take_keys(raw, self._keys())
                else:
                    raw.execute(self._sql_lock)
                head = raw.execute(self._sql_head).fetchone()
            else:
                self._lock(conn)
                head = conn.execute(
                    sa.select(self.table.c.seq, self.table.c.hash).order_by(self.table.c.seq.desc()).limit(1)
                ).first()
            seq = int(head[0]) + 1 if head is not None else 1
            prev_hash = str(head[1]) if head is not None else GENESIS_HASH
            for early in preceding:
                fields = (
                    early.id,
                    early.time,
                    early.kind,
                    early.payload_json,
                    early.policy_version,
                    prev_hash,
                )
                early_hash = entry_hash(seq, fields)
                early_values = dict(zip(_COLUMNS, (seq, *fields, early_hash), strict=True))
                if self._is_postgres or self._is_sqlite:
                    early_values["prev"] = early_values.pop("prev_hash")
                    raw.execute(self._sql_insert, early_values)
                else:
                    conn.execute(self.table.insert().values(**early_values))
                seq, prev_hash = seq + 1, early_hash
            digest = entry_hash(seq, (new_id, time, kind, payload_json, policy_version, prev_hash))
            values = {
                "seq": seq,
                "id": new_id,
                "time": time,
                "kind": kind,
                "payload": payload_json,
                "policy_version": policy_version,
                "prev": prev_hash,
                "hash": digest,
            }
            if self._is_postgres or self._is_sqlite:
                raw.execute(self._sql_insert, values)
            else:
                values["prev_hash"] = values.pop("prev")
                conn.execute(self.table.insert().values(**values))
            if after:
                style = (
                    ("%(o_seq)s", "%(o_prev)s", "%(o_hash)s")
                    if self._is_postgres
                    else (
                        ":o_seq",
                        ":o_prev",
                        ":o_hash",
                    )
                )
                head_cte = f"WITH entry (o_seq, o_prev_hash, o_hash) AS (VALUES ({', '.join(style)})) "
                params = {**(before_params or {}), "o_seq": seq, "o_prev": prev_hash, "o_hash": digest}
                for statement in after:
                    raw.execute(head_cte + statement, params)
        except (sa.exc.IntegrityError, dbapi.IntegrityError) as exc:
            raise LedgerError(
                f"ledger append failed: {getattr(exc, 'orig', exc)}", hint="entry ids must be unique"
            ) from None
        except (sa.exc.DBAPIError, dbapi.Error) as exc:
            self._has_function = self._has_many = None  # look again next time (they may have been dropped)
            if "no such table" in str(exc) or "does not exist" in str(exc):
                raise LedgerError(
                    f"no ledger table {self.table_name!r}", hint="call ledger.create_schema() first"
                ) from None
            raise
        return LedgerEntry(seq, new_id, time, kind, payload_json, policy_version, prev_hash, digest)

    def _function_ready(self, raw: Any) -> bool:
        """Whether the PostgreSQL append function exists (checked once per Ledger, inside the caller's
        transaction: a read that cannot abort it). A ledger whose schema predates the function falls back
        to three statements until :meth:`create_schema` runs."""
        if self._has_function is None:
            row = raw.execute(
                "SELECT to_regprocedure(%(sig)s) IS NOT NULL",
                {"sig": f"{self.append_function}(bigint,text,text,text,text,text,text,text,text)"},
            ).fetchone()
            self._has_function = bool(row[0])
        return self._has_function

    def _many_ready(self, raw: Any) -> bool:
        """Whether the PostgreSQL many-entry append function exists (checked once per Ledger, as
        :meth:`_function_ready`)."""
        if self._has_many is None:
            row = raw.execute(
                "SELECT to_regprocedure(%(sig)s) IS NOT NULL", {"sig": self._many_signature}
            ).fetchone()
            self._has_many = bool(row[0])
        return self._has_many

    def _append_pg(
        self,
        raw: Any,
        new_id: str,
        time: str,
        kind: str,
        payload_json: str,
        policy_version: str,
        before: tuple[str, ...] = (),
        before_params: dict[str, Any] | None = None,
        after: tuple[str, ...] = (),
        preceding: Sequence[PreparedEntry] = (),
    ) -> LedgerEntry:
        if preceding:
            return self._append_pg_many(
                raw, new_id, time, kind, payload_json, policy_version, before, before_params, after, preceding
            )
        prefix, tail = hash_input_parts((new_id, time, kind, payload_json, policy_version, GENESIS_HASH))
        head = prefix[: -len(f'{GENESIS_HASH}","seq":')]  # ends with "prev_hash":"
        sql = self._sql_call
        if before or after:
            sql = self._with_sql.get((*before, "\x00", *after), "")
            if not sql:
                ctes = [f"b{i} AS ({statement})" for i, statement in enumerate(before)]
                if after:
                    ctes.append(f"entry AS ({self._sql_call})")
                    ctes += [f"a{i} AS ({statement})" for i, statement in enumerate(after)]
                    call = "SELECT o_seq, o_prev_hash, o_hash FROM entry"
                else:
                    call = self._sql_call
                sql = self._with_sql[(*before, "\x00", *after)] = f"WITH {', '.join(ctes)} {call}"
        row = raw.execute(
            sql,
            {
                **(before_params or {}),
                "k": self._keys()[0],
                "id": new_id,
                "time": time,
                "kind": kind,
                "payload": payload_json,
                "policy_version": policy_version,
                "head": head,
                "tail": tail,
                "sync": self.postgres_synchronous_commit,
            },
        ).fetchone()
        seq, prev_hash, digest = int(row[0]), str(row[1]), str(row[2])
        expected = entry_hash(seq, (new_id, time, kind, payload_json, policy_version, prev_hash))
        if digest != expected:  # the server computed another hash: never commit it
            raise LedgerError(
                f"the database computed hash {digest} for entry {seq}, expected {expected}",
                hint="the database must use UTF-8 (server_encoding); re-run create_schema()",
            )
        return LedgerEntry(seq, new_id, time, kind, payload_json, policy_version, prev_hash, digest)

    def _append_pg_many(
        self,
        raw: Any,
        new_id: str,
        time: str,
        kind: str,
        payload_json: str,
        policy_version: str,
        before: tuple[str, ...],
        before_params: dict[str, Any] | None,
        after: tuple[str, ...],
        preceding: Sequence[PreparedEntry],
    ) -> LedgerEntry:
        """:meth:`_append_pg` of the entries ``preceding`` and then this one, in one statement (the
        many-entry function; ``before`` and ``after`` as data-modifying CTEs around it, ``entry`` being
        the last entry's row)."""
        prefix, tail = hash_input_parts((new_id, time, kind, payload_json, policy_version, GENESIS_HASH))
        head = prefix[: -len(f'{GENESIS_HASH}","seq":')]  # ends with "prev_hash":"
        last = PreparedEntry(new_id, time, kind, payload_json, policy_version, head, tail)
        entries = [*preceding, last]
        key = ("\x01", *before, "\x00", *after)
        sql = self._with_sql.get(key, "")
        if not sql:
            call = (
                f"SELECT * FROM {self.append_many_function}(%(k)s, CAST(%(ids)s AS text[]), "
                "CAST(%(times)s AS text[]), CAST(%(kinds)s AS text[]), CAST(%(payloads)s AS text[]), "
                "CAST(%(pvs)s AS text[]), CAST(%(heads)s AS text[]), CAST(%(tails)s AS text[]), %(sync)s)"
            )
            ctes = [f"b{i} AS ({statement})" for i, statement in enumerate(before)]
            ctes.append(f"m AS ({call})")
            if after:
                ctes.append("entry AS (SELECT o_seq, o_prev_hash, o_hash FROM m WHERE o_n = %(n)s)")
                ctes += [f"a{i} AS ({statement})" for i, statement in enumerate(after)]
            sql = self._with_sql[key] = (
                f"WITH {', '.join(ctes)} SELECT o_seq, o_prev_hash, o_hash FROM m ORDER BY o_n"
            )
        rows = raw.execute(
            sql,
            {
                **(before_params or {}),
                "k": self._keys()[0],
                "n": len(entries),
                "ids": [e.id for e in entries],
                "times": [e.time for e in entries],
                "kinds": [e.kind for e in entries],
                "payloads": [e.payload_json for e in entries],
                "pvs": [e.policy_version for e in entries],
                "heads": [e.head for e in entries],
                "tails": [e.tail for e in entries],
                "sync": self.postgres_synchronous_commit,
            },
        ).fetchall()
        if len(rows) != len(entries):  # pragma: no cover - the function returns one row per entry
            raise LedgerError(f"the database appended {len(rows)} entries of {len(entries)}")
        written = [e.entry(int(r[0]), str(r[1]), str(r[2])) for e, r in zip(entries, rows, strict=True)]
        return written[-1]

    # -- reading ------------------------------------------------------------------------------------

    def _rows(
        self,
        *,
        start_seq: int | None = None,
        end_seq: int | None = None,
        where: list[Any] | None = None,
        batch_size: int = 10_000,
        lenient: bool = False,
    ) -> Iterator[Any]:
        """Rows (in column order of ``_COLUMNS``) by ascending seq, fetched in keyset-paginated batches.

        ``lenient`` (for verification): SQLite text that is not valid UTF-8 — which brandrail never writes —
        is read with its bad bytes as lone surrogates (they never hash like the entry that was written), not
        refused, so one edited row is reported as edited rather than stopping the whole read.
        """
        cols = [self.table.c[name] for name in _COLUMNS]
        last = (start_seq - 1) if start_seq is not None else None
        try:
            with self.engine.connect() as conn, lenient_text(conn, lenient and self._is_sqlite):
                while True:
                    query = sa.select(*cols).order_by(self.table.c.seq).limit(batch_size)
                    if last is not None:
                        query = query.where(self.table.c.seq > last)
                    if end_seq is not None:
                        query = query.where(self.table.c.seq <= end_seq)
                    for clause in where or ():
                        query = query.where(clause)
                    batch = conn.execute(query).all()
                    conn.rollback()  # end the read transaction between batches
                    if not batch:
                        return
                    yield from batch
                    if len(batch) < batch_size:
                        return
                    last = int(batch[-1][0])
        except sa.exc.SQLAlchemyError as exc:
            raise LedgerError(f"cannot read the ledger: {exc}") from None

    def entries(
        self,
        start: int | dt.datetime | None = None,
        end: int | dt.datetime | None = None,
        kind: str | None = None,
    ) -> Iterator[LedgerEntry]:
        """Entries in chain order, streamed in batches.

        ``start``/``end`` are sequence numbers (both inclusive) or datetimes (start inclusive, end
        exclusive, compared with the entry time); ``kind`` keeps only entries of that kind.
        """
        where: list[Any] = []
        start_seq = end_seq = None
        for bound, is_start in ((start, True), (end, False)):
            if bound is None:
                continue
            if isinstance(bound, dt.datetime):
                stamp = format_time(bound)
                where.append(self.table.c.time >= stamp if is_start else self.table.c.time < stamp)
            elif isinstance(bound, int) and not isinstance(bound, bool):
                if is_start:
                    start_seq = bound
                else:
                    end_seq = bound
            else:
                raise LedgerError(
                    f"entries() bounds must be ints (seq) or datetimes, not {type(bound).__name__}"
                )
        if kind is not None:
            where.append(self.table.c.kind == kind)
        for row in self._rows(start_seq=start_seq, end_seq=end_seq, where=where):
            yield LedgerEntry(*row)

    def readiness(self, conn: Connection) -> str:
        """``"ok"`` when the ledger can be read and has the schema version this brandrail writes, else what
        is wrong, in words safe to show anyone (no table name, no driver text). Two one-row reads."""
        try:
            version = conn.execute(
                sa.select(self.meta_table.c.value).where(self.meta_table.c.key == "schema_version")
            ).scalar()
            conn.execute(
                sa.select(self.table.c.seq, self.table.c.hash).order_by(self.table.c.seq.desc()).limit(1)
            )
        except sa.exc.SQLAlchemyError:
            conn.rollback()
            return "missing or unreadable"
        if version is None or str(version) not in {"1", str(SCHEMA_VERSION)}:
            return f"schema version {version}, this brandrail needs {SCHEMA_VERSION}"
        return "ok"

    def head(self) -> LedgerEntry | None:
        """The last entry, or ``None`` for an empty ledger."""
        cols = [self.table.c[name] for name in _COLUMNS]
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(*cols).order_by(self.table.c.seq.desc()).limit(1)).first()
        return LedgerEntry(*row) if row is not None else None

    def get(self, entry_id: str, *, conn: Connection | None = None) -> LedgerEntry | None:
        """The entry with id ``entry_id`` (inside ``conn``'s transaction when given), or ``None``."""
        cols = [self.table.c[name] for name in _COLUMNS]
        query = sa.select(*cols).where(self.table.c.id == entry_id)
        if conn is not None:
            with lenient_text(conn, self._is_sqlite):
                row = conn.execute(query).first()
        else:
            with self.engine.connect() as fresh, lenient_text(fresh, self._is_sqlite):
                row = fresh.execute(query).first()
        return LedgerEntry(*row) if row is not None else None

    def find_payload(self, kind: str, fragment: str, *, conn: Connection) -> LedgerEntry | None:
        """The first entry of ``kind`` whose canonical payload text contains ``fragment`` (a full scan)."""
        cols = [self.table.c[name] for name in _COLUMNS]
        query = (
            sa.select(*cols)
            .where(self.table.c.kind == kind, self.table.c.payload.contains(fragment, autoescape=True))
            .order_by(self.table.c.seq)
            .limit(1)
        )
        with lenient_text(conn, self._is_sqlite):
            row = conn.execute(query).first()
        return LedgerEntry(*row) if row is not None else None

    def count(self) -> int:
        """Number of entries in the table."""
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(self.table)).scalar_one())

    def export_jsonl(self, fp: IO[str], *, start: int | None = None, end: int | None = None) -> int:
        """Write the entries as JSON lines (one object per line, ``LedgerEntry.to_dict``); return how many."""
        n = 0
        for row in self._rows(start_seq=start, end_seq=end):
            entry = LedgerEntry(*row)
            try:
                payload = json.loads(entry.payload_json)
            except ValueError:
                payload = entry.payload_json  # a tampered row: export what is there
            fp.write(
                json.dumps(
                    {
                        "seq": entry.seq,
                        "id": entry.id,
                        "time": entry.time,
                        "kind": entry.kind,
                        "payload": payload,
                        "policy_version": entry.policy_version,
                        "prev_hash": entry.prev_hash,
                        "hash": entry.hash,
                    },
                    ensure_ascii=False,
                    separators=(",", ":"),
                )
                + "\n"
            )
            n += 1
        return n

    # -- verification and checkpoints ------------------------------------------------------------------

    def verify(
        self,
        *,
        checkpoint: Checkpoint | None = None,
        batch_size: int = 10_000,
        max_problems: int = 1000,
        each: Callable[[LedgerEntry], None] | None = None,
    ) -> VerifyReport:
        """Walk the chain and report every edited, deleted, inserted or reordered entry.

        With a ``checkpoint`` (see :meth:`checkpoint`), also reports entries removed from the end and a
        chain rewritten up to the checkpoint. The signature is checked by :func:`verify_checkpoint`.
        ``each`` is called with every entry as the walk reads it (in seq order), so that a caller that also
        needs the history — the gate's side-table checks — reads the ledger once.
        """
        from brandrail.ledger._verify import verify_rows

        self.require()
        rows: Iterable[Any] = self._rows(batch_size=batch_size, lenient=True)
        if each is not None:
            rows = _observed(rows, each)
        return verify_rows(rows, checkpoint=checkpoint, max_problems=max_problems)

    def checkpoint(
        self, private_key: Ed25519PrivateKey | bytes | str | Path, *, verify: bool = True
    ) -> Checkpoint:
        """Sign the current head (seq, head hash, count, time) with an Ed25519 private key.

        ``private_key`` is a key object, PEM bytes or a path to a PEM file. With ``verify`` (the
        default) the ledger is verified first and a tampered ledger is refused (:class:`LedgerError`).
        """
        from brandrail.ledger._checkpoint import sign_checkpoint

        return sign_checkpoint(self, private_key, verify=verify)


def _observed(rows: Iterable[Any], each: Callable[[LedgerEntry], None]) -> Iterator[Any]:
    for row in rows:
        each(LedgerEntry(*row))
        yield row


#: The table an export is loaded into: the ledger's columns and the line each entry came from; no unique
#: ``id`` (a line repeating another's id is kept and verified like any other, so its tampering is named).
_EXPORT_TABLE = (
    f'CREATE TABLE "{DEFAULT_TABLE}" (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, "time" TEXT NOT NULL, '
    "kind TEXT NOT NULL, payload TEXT NOT NULL, policy_version TEXT NOT NULL, prev_hash TEXT NOT NULL, "
    "hash TEXT NOT NULL, line INTEGER NOT NULL)"
)
_EXPORT_INSERT = (
    f'INSERT OR IGNORE INTO "{DEFAULT_TABLE}" (seq, id, "time", kind, payload, policy_version, prev_hash, hash, '
    "line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def verify_jsonl(
    fp: IO[str], *, checkpoint: Checkpoint | None = None, name: str = "<jsonl>", max_problems: int = 1000
) -> VerifyReport:
    """Verify a ledger export (JSON lines from :meth:`Ledger.export_jsonl`) without the database.

    The lines are loaded into a temporary SQLite ledger (so line order does not matter and memory
    stays flat, however long the file) and verified there; with a ``checkpoint``, a removed tail is
    detected as well. Check the checkpoint's signature with :meth:`Checkpoint.signature_valid`. A line
    repeating a sequence number is reported as ``inserted`` (the first line with that number is the one
    verified); a line that is not an entry raises :class:`LedgerError` with its position.
    """
    from brandrail.ledger._entry import Problem

    with tempfile.TemporaryDirectory(prefix="brandrail-ledger-") as tmp:
        ledger = Ledger.from_url(f"sqlite:///{Path(tmp) / 'export.db'}", sqlite_synchronous="OFF")
        with ledger.engine.begin() as conn:
            conn.exec_driver_sql(_EXPORT_TABLE)
        ledger.create_schema()
        extra: list[Problem] = []
        repeats = 0
        batch: list[tuple[Any, ...]] = []

        def flush(raw: Any) -> None:
            nonlocal repeats
            before = raw.total_changes
            raw.executemany(_EXPORT_INSERT, batch)
            if raw.total_changes - before < len(batch):  # some lines repeat a seq: name them
                for record in batch:
                    kept = raw.execute(
                        f'SELECT line FROM "{DEFAULT_TABLE}" WHERE seq = ?', (record[0],)
                    ).fetchone()
                    if kept[0] != record[-1]:
                        repeats += 1
                        if len(extra) < max_problems:
                            extra.append(
                                Problem(record[0], "inserted", f"line {record[-1]} repeats seq {record[0]}")
                            )
            batch.clear()

        with ledger.begin() as conn:
            raw = _driver(conn)
            for lineno, line in enumerate(fp, start=1):
                if not line.strip():
                    continue
                record = _parse_line(line, f"{name}:{lineno}")
                batch.append((*(record[column] for column in _COLUMNS), lineno))
                if len(batch) >= 10_000:
                    flush(raw)
            if batch:
                flush(raw)
        report = ledger.verify(checkpoint=checkpoint, max_problems=max_problems)
        ledger.engine.dispose()
    if repeats:
        merged = sorted([*report.problems, *extra], key=lambda p: (p.seq, p.kind))
        report.problems_truncated = (
            report.problems_truncated or repeats > len(extra) or len(merged) > max_problems
        )
        report.problems = merged[:max_problems]
        report.ok = False
    return report


#: The range of a sequence number (a signed 64-bit integer, as the ledger's tables store it).
_SEQ_RANGE = range(-(2**63), 2**63)


def _parse_line(line: str, where: str) -> dict[str, Any]:
    try:
        record = json.loads(line, object_pairs_hook=unique_keys)
    except json.JSONDecodeError as exc:
        raise LedgerError(f"not a JSON line: {exc.msg}", location=f"{where}:{exc.colno}") from None
    except (
        ValueError,
        RecursionError,
    ) as exc:  # a repeated key, an integer of thousands of digits, deep nesting
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise LedgerError(f"not a ledger line: {reason}", location=where) from None
    if not isinstance(record, dict):
        raise LedgerError("a ledger line must be a JSON object", location=where)
    missing = [name for name in _COLUMNS if name not in record]
    if missing:
        raise LedgerError(f"ledger line lacks {', '.join(missing)}", location=where)
    seq = record["seq"]
    if not isinstance(seq, int) or isinstance(seq, bool):
        raise LedgerError("'seq' must be an integer", location=where)
    if seq not in _SEQ_RANGE:
        raise LedgerError(f"'seq' {seq} is out of range (a 64-bit integer)", location=where)
    out: dict[str, Any] = {"seq": seq}
    for name in ("id", "time", "kind", "policy_version", "prev_hash", "hash"):
        value = record[name]
        if not isinstance(value, str):
            raise LedgerError(f"{name!r} must be a string", location=where)
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise LedgerError(f"{name!r} holds a lone surrogate (\\ud800-\\udfff)", location=where) from None
        out[name] = value
    try:
        out["payload"] = canonical_json(record["payload"])
    except LedgerError as exc:
        raise LedgerError(exc.message, location=where, hint=exc.hint) from None
    return out
