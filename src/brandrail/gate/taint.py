"""Tool-result taint (AG909) in the gate's store: which callers read a flagged tool result, and until when.

The MCP gateway, ``brandrail proxy`` and ``guard_openai`` hold a caller's consequential calls for
``integrations.results.taint_for`` after it read a flagged result (:class:`brandrail.integrations.common.
ResultTaint`). The taint is kept here, in ``gate_taint`` — the store the gate uses (SQLite, or PostgreSQL
shared by several processes) — so that it survives a restart and every gateway and proxy process on the
store sees it. A row is keyed by one of the caller's keys: a keyed digest of its credential (``key:…``), of
its session within that credential (``session:…``), or ``anonymous``; never the credential itself.

The row is bound to the ledger like a budget row (:mod:`brandrail.gate.budgets`): every write adds one to its
``seq`` and appends a ``taint`` entry whose id is derived from (key, seq) (:func:`taint_entry_id`) and whose
payload is the row (:func:`taint_payload`). A check reads each key's row, the entry of its ``seq`` and
whether the entry of ``seq + 1`` exists in one statement (:func:`read_taints`); a row that differs from its
entry (an earlier ``until``), is an older version, or was deleted (the entry of version 1 exists but no row
does) is not believed, and the caller counts as tainted (fail closed): a database writer cannot lift a taint
unseen. A taint is never shortened: a write keeps the later of the row's ``until`` and the new one.

A row's ``by`` also names the flagged results that taint it (``results``: their keyed digests, the tool, the
codes; :data:`RESULT_DIGEST`) and the caller's keys under every pseudonym key (``keys``). A lift
(:func:`lift_taint`) ends every live row of the caller (all key generations, found through ``keys``) and,
for ``cover_for``, *covers* the results it saw (``covers``: digest, until, the lift's id, carried on by every
later write of the caller's rows): a chat client that sends the same result again in its history is not
tainted again by it (:func:`covered_digests`); any other flagged result still taints. A row names the latest
:data:`MAX_RESULTS` results, and a mark of each chat that tainted it (``chains``: a keyed digest of all its
results in order, :func:`row_chains`), so a lift covers every result of a long chat, not only the latest.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Connection

from brandrail.errors import ApprovalError
from brandrail.gate.bindings import printable
from brandrail.gate.store import execute
from brandrail.gate.store import tables as t

if TYPE_CHECKING:
    from brandrail.gate.principal import Principal
    from brandrail.gate.store import GateStore
    from brandrail.ledger import LedgerEntry
    from brandrail.policy import Policy

__all__ = [
    "CHAIN_DIGEST",
    "DEFAULT_COVER",
    "MAX_CHAINS",
    "RESULT_DIGEST",
    "TAINT_KIND",
    "TAINT_VIEW",
    "PruneResult",
    "TaintRow",
    "TaintViewChangedError",
    "caller_keys",
    "check_key",
    "covered_digests",
    "latest_by_digest",
    "lift_taint",
    "list_taints",
    "live_covers",
    "prune_payload",
    "prune_taints",
    "read_taints",
    "recorded",
    "result_screenings",
    "row_chains",
    "row_results",
    "taint_entry_id",
    "taint_payload",
    "taint_problem",
    "taint_view",
    "write_taint",
]

#: The ledger entry kind that records a taint row.
TAINT_KIND = "taint"
#: How long a lift covers the flagged results it saw, unless the reviewer says otherwise.
DEFAULT_COVER = timedelta(hours=24)
#: A flagged result's keyed digest (:meth:`brandrail.integrations.common.ResultTaint.result_digests`).
RESULT_DIGEST = re.compile(r"r:[0-9a-f]{32}")
#: A chat's mark (:func:`row_chains`): a keyed digest of the results that taint it, in order, up to one.
CHAIN_DIGEST = re.compile(r"c:[0-9a-f]{32}")
#: Flagged results a row names at most (the latest kept); a lift covers the others through the chat's mark.
MAX_RESULTS = 32
#: Chat marks a row names at most (the latest kept): one per chat of the caller that tainted it lately.
MAX_CHAINS = 8
#: Covered results a row carries at most (the latest kept): past it, the oldest taint again when resent.
MAX_COVERS = 64
#: Longest caller key kept (``session:`` and 32 hex digits is 40; the entry id stays within 64 characters).
MAX_KEY = 48


class TaintViewChangedError(ApprovalError):
    """A lift bound to a view of the caller's taint (``seen``) that is no longer its view: something was
    written since the reviewer looked (the API answers 409; the console shows the taint as it is now)."""


@dataclass(frozen=True, slots=True)
class TaintRow:
    """A caller key's taint row as read: until when (``until``), by what (``by``), its version ``seq``, and
    ``problem``: why it does not match the ledger (None when it does)."""

    key: str
    until: datetime | None
    by: dict[str, Any] = field(default_factory=dict)
    seq: int = 0
    problem: str | None = None
    #: when the row's version was written (its ledger entry's time), when the ledger vouches for it
    at: str | None = None
    #: the row was pruned (``seq``: the version of the ``taint`` entry that records the prune)
    pruned: bool = False
    #: the version of its caller's whole taint as :func:`list_taints` read it (:func:`taint_view`): what a
    #: reviewer who looked at this row passes to :func:`lift_taint` as ``seen``
    view: str | None = None

    def state(self, now: datetime) -> str:
        """``tampered`` (the ledger does not vouch for the row: it holds), ``live`` or ``expired``."""
        if self.problem is not None:
            return "tampered"
        return "live" if self.until is not None and self.until > now else "expired"

    def to_dict(self, now: datetime) -> dict[str, Any]:
        """The row as ``gate taint list --format json`` and ``GET /v1/gate/taints`` show it."""
        return {
            "key": self.key,
            "state": self.state(now),
            "until": self.until.isoformat() if self.until is not None else None,
            "by": self.by,
            "at": self.at,
            "seq": self.seq,
            "problem": self.problem,
            "view": self.view,
        }


def taint_entry_id(key: str, seq: int) -> str:
    """The ledger entry id of version ``seq`` of ``key``'s taint row (at most 60 characters for a key of :data:`MAX_KEY`)."""
    return f"t:{key}:{seq}"


def taint_payload(key: str, until: str, by: dict[str, Any], seq: int) -> dict[str, Any]:
    """The payload of a ``taint`` entry: the row it records (``until`` as the row's ISO text)."""
    return {"schema_version": 1, "key": key, "until": until, "by": by, "seq": seq}


def prune_payload(key: str, seq: int, until: str, at: str) -> dict[str, Any]:
    """The payload of the ``taint`` entry that records a prune: version ``seq`` of ``key`` is that the row,
    which had expired at ``until``, was deleted at ``at``."""
    return {"schema_version": 1, "key": key, "seq": seq, "pruned": True, "until": until, "at": at}


def _is_prune(key: str, seq: int, entry: LedgerEntry | None) -> bool:
    """Whether ``entry`` is an intact ``taint`` entry that records the prune of ``key`` as version ``seq``."""
    if entry is None or entry.kind != TAINT_KIND or entry.computed_hash() != entry.hash:
        return False
    payload = entry.payload
    return (
        isinstance(payload, dict)
        and payload.get("pruned") is True
        and payload.get("key") == key
        and payload.get("seq") == seq
    )


def taint_problem(
    key: str, row: tuple[str, str, int] | None, current: LedgerEntry | None, later: bool
) -> str | None:
    """Why a taint row (``row``: its until text, by text and seq; None: there is none) is not what the ledger
    recorded, or None when it is. ``current`` is the entry of the row's ``seq``; ``later`` whether the entry
    of ``seq + 1`` exists (of ``seq`` 1 when there is no row)."""
    if row is None:
        return "was deleted (the ledger records it)" if later else None
    until, by_text, seq = row
    if current is None or current.computed_hash() != current.hash or current.kind != TAINT_KIND:
        return "was not written by the gate (its ledger entry is missing or not intact)"
    try:
        by = json.loads(by_text)
    except ValueError:
        return "differs from its ledger entry"
    if current.payload != taint_payload(key, until, by, seq):
        return "differs from its ledger entry"
    if later:
        return "is an older version (the ledger records a later change)"
    return None


# -- the flagged results a row names, and the ones a lift covers -------------------------------------------


def row_results(by: dict[str, Any]) -> list[dict[str, Any]]:
    """The flagged results ``by`` names (``results``), those with a well-formed digest."""
    found = by.get("results")
    return [
        r
        for r in (found if isinstance(found, list) else [])
        if isinstance(r, dict) and isinstance(r.get("digest"), str) and RESULT_DIGEST.fullmatch(r["digest"])
    ]


def row_chains(by: dict[str, Any]) -> list[dict[str, Any]]:
    """The chat marks ``by`` names (``chains``), those with a well-formed digest and count: each a keyed
    digest of the results that tainted a chat, in order, up to the ``count``-th (a high-water mark
    (:meth:`brandrail.integrations.common.ResultTaint.result_chains`). A lift that covers a mark covers
    every one of those results when the chat sends them again in that order, however many there are — a row
    names only the latest :data:`MAX_RESULTS` results themselves."""
    found = by.get("chains")
    return [
        c
        for c in (found if isinstance(found, list) else [])
        if isinstance(c, dict)
        and isinstance(c.get("digest"), str)
        and CHAIN_DIGEST.fullmatch(c["digest"])
        and isinstance(c.get("count"), int)
    ]


def live_covers(by: dict[str, Any], now: datetime) -> list[dict[str, Any]]:
    """The covers in ``by`` (``covers``) that hold at ``now``: a well-formed digest (of a result or a chat's
    mark) and a later ``until``."""
    found = by.get("covers")
    out = []
    for cover in found if isinstance(found, list) else []:
        if not isinstance(cover, dict) or not isinstance(cover.get("digest"), str):
            continue
        if not _cover_digest(cover["digest"]) or not isinstance(cover.get("until"), str):
            continue
        try:
            until = t.parse_iso(cover["until"])
        except ValueError:
            continue
        if until.tzinfo is not None and until > now:
            out.append(cover)
    return out


def _cover_digest(digest: str) -> bool:
    """Whether ``digest`` is one a lift covers: a result's (``r:…``) or a chat's mark (``c:…``)."""
    return bool(RESULT_DIGEST.fullmatch(digest) or CHAIN_DIGEST.fullmatch(digest))


def covered_digests(rows: Sequence[TaintRow], now: datetime) -> set[str]:
    """The digests of the flagged results a lift covers at ``now``, from a caller's ``rows``: only rows the
    ledger vouches for count (a row edited to cover more is not believed)."""
    return {c["digest"] for row in rows if row.problem is None for c in live_covers(row.by, now)}


def latest_by_digest(items: Sequence[dict[str, Any]], most: int) -> list[dict[str, Any]]:
    """``items`` with one per digest (the last one given), in order, the latest ``most``."""
    last: dict[str, dict[str, Any]] = {}
    for item in items:
        last.pop(item["digest"], None)
        last[item["digest"]] = item
    return list(last.values())[-most:]


def _carried(row: TaintRow | None, by: dict[str, Any], now: datetime) -> dict[str, Any]:
    """``by`` for a new version of ``row`` (None: there is none, or it is not believed): the results of the
    row while it is live and those of ``by``, and the row's covers that still hold."""
    out = dict(by)
    vouched = row if row is not None and row.problem is None else None
    live = vouched is not None and vouched.until is not None and vouched.until > now
    earlier = row_results(vouched.by) if vouched is not None and live else []
    results = latest_by_digest([*earlier, *row_results(by)], MAX_RESULTS)
    if results:
        out["results"] = results
    marks = row_chains(vouched.by) if vouched is not None and live else []
    chains = latest_by_digest([*marks, *row_chains(by)], MAX_CHAINS)
    if chains:
        out["chains"] = chains
    covers = live_covers(vouched.by, now) if vouched is not None else []
    if covers:
        out["covers"] = latest_by_digest(covers, MAX_COVERS)
    return out


def _select(store: GateStore, n: int) -> str:
    ledger = store._ledger_table
    entry = "e.seq, e.id, e.time, e.kind, e.payload, e.policy_version, e.prev_hash, e.hash"
    parts = [
        f"SELECT {i} AS i, r.until, r.by, r.seq, {entry}, x.id "
        f"FROM (SELECT 1 AS one) AS o "
        f"LEFT JOIN gate_taint AS r ON r.key = :k{i} "
        f"LEFT JOIN {ledger} AS e ON e.id = CAST(:h{i} AS VARCHAR) || CAST(r.seq AS VARCHAR) "
        f"LEFT JOIN {ledger} AS x ON x.id = CAST(:h{i} AS VARCHAR) || CAST(coalesce(r.seq, 0) + 1 AS VARCHAR)"
        for i in range(n)
    ]
    return " UNION ALL ".join(parts)


def _prefix(key: str) -> str:
    return taint_entry_id(key, 0)[:-1]


def read_taints(store: GateStore, conn: Connection, keys: Sequence[str]) -> list[TaintRow]:
    """The taint rows of ``keys`` checked against the ledger, in one statement: one per key that has a row or
    whose row the ledger records (a deleted row: ``problem`` set, ``until`` None)."""
    from brandrail.ledger import LedgerEntry

    if not keys:
        return []
    params: dict[str, Any] = {}
    for i, key in enumerate(keys):
        params[f"k{i}"] = key
        params[f"h{i}"] = _prefix(key)
    out: list[TaintRow] = []
    for row in execute(conn, _select(store, len(keys)), params).fetchall():
        key = keys[int(row[0])]
        later = row[12] is not None
        if row[3] is None:
            if later:  # the ledger records a row: deleted behind the gate, or pruned (its last entry says)
                last, entry = _last_version(store, conn, key)
                if _is_prune(key, last, entry):
                    out.append(TaintRow(key, None, {}, last, None, pruned=True))
                    continue
            problem = taint_problem(key, None, None, later)
            if problem is not None:
                out.append(TaintRow(key, None, {}, 0, problem))
            continue
        until_text, by_text, seq = str(row[1]), str(row[2]), int(row[3])
        current = LedgerEntry(*row[4:12]) if row[5] is not None else None
        problem = taint_problem(key, (until_text, by_text, seq), current, later)
        try:
            until: datetime | None = t.parse_iso(until_text)
            by = json.loads(by_text)
        except ValueError:
            until, by = None, {}
            problem = problem or "differs from its ledger entry"
        at = str(current.time) if current is not None and problem is None else None
        out.append(TaintRow(key, until, by if isinstance(by, dict) else {}, seq, problem, at))
    return out


def _last_version(store: GateStore, conn: Connection, key: str) -> tuple[int, LedgerEntry | None]:
    """The last version of ``key`` the ledger records, and its entry, when version 1 exists: versions are
    written one after another (1, 2, …, under the key's lock), so a doubling then halving search finds it
    in about 2·log2(n) primary-key reads."""

    def has(n: int) -> bool:
        return store.ledger.get(taint_entry_id(key, n), conn=conn) is not None

    low, high = 1, 2
    while has(high):
        low, high = high, high * 2
    while high - low > 1:
        mid = (low + high) // 2
        if has(mid):
            low = mid
        else:
            high = mid
    return low, store.ledger.get(taint_entry_id(key, low), conn=conn)


def _next_seq(store: GateStore, conn: Connection, key: str, start: int) -> int:
    """The first version of ``key`` from ``start`` on with no ledger entry (a row deleted or put back leaves
    entries past the row's version)."""
    seq = start
    while store.ledger.get(taint_entry_id(key, seq), conn=conn) is not None:
        seq += 1
    return seq


def write_taint(
    store: GateStore,
    conn: Connection,
    key: str,
    until: datetime,
    by: dict[str, Any],
    *,
    slack: float = 0.0,
    now: datetime | None = None,
) -> TaintRow | None:
    """Taint ``key`` until ``until`` (or the row's later ``until``), by ``by``, in the caller's transaction:
    the row's next version and its ``taint`` entry, carrying on the results of the live row and the covers
    that still hold at ``now``. None when the row (as the ledger vouches for it) already reaches ``until``
    within ``slack`` seconds and names every result of ``by``, so nothing was written."""
    if len(key) > MAX_KEY:
        raise ValueError(f"a taint key is at most {MAX_KEY} characters")
    now = now or datetime.now(UTC)
    store.lock(conn, f"taint:{key}")
    found = read_taints(store, conn, [key])
    row = found[0] if found else None
    if row is not None and recorded(row, until, by, slack):
        return None
    start = (row.seq if row is not None and row.problem is None else 0) + 1
    seq = _next_seq(store, conn, key, start) if row is None or row.problem is not None else start
    if row is not None and row.problem is None and row.until is not None and row.until > until:
        until = row.until  # a taint is never shortened
    return _put(store, conn, key, until, _carried(row, by, now), seq)


def recorded(row: TaintRow, until: datetime, by: dict[str, Any], slack: float) -> bool:
    """Whether ``row`` (as the ledger vouches for it) already taints until ``until`` within ``slack``
    seconds for every result ``by`` names: a new write would add nothing that matters."""
    if row.problem is not None or row.until is None or (until - row.until).total_seconds() > slack:
        return False
    named = {r["digest"] for r in row_results(row.by)} | {c["digest"] for c in row_chains(row.by)}
    return all(r["digest"] in named for r in [*row_results(by), *row_chains(by)])


def _put(
    store: GateStore, conn: Connection, key: str, until: datetime, by: dict[str, Any], seq: int
) -> TaintRow:
    """Write version ``seq`` of ``key``'s row and its ``taint`` entry (the caller holds the key's lock)."""
    until_text = t.iso(until)
    by_text = json.dumps(by, sort_keys=True, default=str)
    values = {"key": key, "until": until_text, "by": by_text, "seq": seq}
    table = t.taint
    if store.dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        stmt: Any = pg_insert(table).values(**values)
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        stmt = sqlite_insert(table).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=["key"], set_={"until": until_text, "by": by_text, "seq": seq}
    )
    conn.execute(stmt)
    stored_by = json.loads(by_text)
    entry = store.ledger.append(
        conn,
        kind=TAINT_KIND,
        payload=taint_payload(key, until_text, stored_by, seq),
        policy_version="",
        entry_id=taint_entry_id(key, seq),
    )
    return TaintRow(key, t.parse_iso(until_text), stored_by, seq, at=str(entry.time))


# -- operating the taint: list, lift, prune ------------------------------------------------------------

_KEY = re.compile(r"(?:key|session):[0-9a-f]{32}|anonymous")
#: A caller's taint view (:func:`taint_view`).
TAINT_VIEW = re.compile(r"tv:[0-9a-f]{16}")


def taint_view(rows: Sequence[TaintRow]) -> str:
    """The version of a caller's whole taint (``rows``: the rows of all its keys): ``tv:`` and 16 hex digits
    of a digest of each row's key, version and whether the ledger vouches for it. Every write of any of the
    rows — a new flagged result, a renewal, a lift, a row of a new key generation — changes it, so a lift
    that names the view its reviewer saw (``seen``) is refused when anything was written since."""
    import hashlib

    parts = sorted((r.key, r.seq, r.problem is None) for r in rows if not r.pruned)
    return "tv:" + hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:16]


def _named(row: TaintRow) -> set[str]:
    """The caller keys ``row`` names in ``by.keys`` (none when the ledger does not vouch for it)."""
    named = row.by.get("keys") if row.problem is None else None
    return (
        {k for k in named if isinstance(k, str) and _KEY.fullmatch(k)} if isinstance(named, list) else set()
    )


def _linked(key: str, rows: Sequence[TaintRow]) -> set[str]:
    """``key`` and the keys of the same caller that ``rows`` link to it: those ``key``'s row names in
    ``by.keys`` and those of the rows that name ``key``; only rows the ledger vouches for count."""
    keys = {key}
    for row in rows:
        named = _named(row)
        if row.key == key:
            keys.update(named)
        elif key in named:
            keys.add(row.key)
    return keys


def check_key(key: str) -> str:
    """``key`` when it is a caller key as :func:`list_taints` shows them; else a :class:`UsageError`."""
    from brandrail.errors import UsageError

    if not _KEY.fullmatch(key):
        raise UsageError(
            f"{printable(key[:80])!r} is not a caller key",
            hint="give a key as `brandrail gate taint list` shows it: key:<32 hex digits>, "
            "session:<32 hex digits> or anonymous",
        )
    return key


def list_taints(store: GateStore) -> list[TaintRow]:
    """Every caller's taint row checked against the ledger, rows the ledger records that were deleted behind
    the gate (``problem`` set) included, pruned ones not; sorted by key. Reads the ``taint`` entries of the
    whole ledger (an operator's command, not a gateway's)."""
    import sqlalchemy as sa

    keys: set[str] = set()
    with store.reader() as conn:
        keys.update(str(k) for (k,) in conn.execute(sa.select(t.taint.c.key)).all())
    for entry in store.ledger.entries(kind=TAINT_KIND):
        try:
            payload = entry.payload
        except ValueError:
            continue
        if isinstance(payload, dict) and isinstance(payload.get("key"), str):
            keys.add(payload["key"])
    ordered = sorted(keys)
    out: list[TaintRow] = []
    with store.reader() as conn:
        for start in range(0, len(ordered), 50):
            out.extend(r for r in read_taints(store, conn, ordered[start : start + 50]) if not r.pruned)
    # each row with the view of its caller's whole taint: the rows linked to it (:func:`_linked`, as
    # lift_taint finds them through caller_keys), indexed both ways so the listing stays linear
    named = {r.key: _named(r) for r in out}
    namers: dict[str, set[str]] = {}
    for k, ks in named.items():
        for other in ks:
            namers.setdefault(other, set()).add(k)
    by_key = {r.key: r for r in out}
    out = [
        replace(
            r,
            view=taint_view(
                [by_key[k] for k in {r.key} | named[r.key] | namers.get(r.key, set()) if k in by_key]
            ),
        )
        for r in out
    ]
    return sorted(out, key=lambda r: r.key)


#: ``result_screened`` entries :func:`result_screenings` returns per result at most (the latest).
MAX_SCREENINGS = 5


def result_screenings(
    store: GateStore, digests: Sequence[str], *, most: int = MAX_SCREENINGS
) -> dict[str, list[dict[str, Any]]]:
    """For each flagged result's digest (well-formed ones only), the latest ``most`` ``result_screened``
    entries that name it (``tool.result_digest``), newest first: what a reviewer looks at before a lift — the
    entry's seq, id and time, the tool, the request id, the codes and the findings as they went on record
    (masked as the shells mask them), whether it was withheld or covered. Only intact entries (their hash
    recomputes) count; an entry is found with a text prefilter on the ledger's payload, then checked."""
    from brandrail.ledger import LedgerEntry

    wanted = sorted({d for d in digests if RESULT_DIGEST.fullmatch(d)})
    out: dict[str, list[dict[str, Any]]] = {d: [] for d in wanted}
    if not wanted or most <= 0:
        return out
    columns = "seq, id, time, kind, payload, policy_version, prev_hash, hash"
    # one pass over the ledger's exchange entries, newest first, the screenings' entries first picked by one
    # test (the digests' are then tried on those only); a digest is r: and hex digits, nothing LIKE treats as
    # a wildcard
    likes = " OR ".join(f"payload LIKE :p{i}" for i in range(len(wanted)))
    query = (
        f"SELECT {columns} FROM {store._ledger_table} WHERE kind = 'exchange' "
        f"AND payload LIKE :screened AND ({likes}) "
        f"ORDER BY seq DESC LIMIT {int(most) * 4 * len(wanted)}"
    )
    with store.reader() as conn:
        params = {"screened": "%result_screened%", **{f"p{i}": f"%{d}%" for i, d in enumerate(wanted)}}
        rows = execute(conn, query, params).fetchall()
    for row in rows:
        entry = LedgerEntry(*row)
        if entry.computed_hash() != entry.hash:
            continue
        try:
            payload = entry.payload
        except ValueError:
            continue
        tool = payload.get("tool") if isinstance(payload, dict) else None
        if not isinstance(tool, dict) or payload.get("verdict") != "result_screened":
            continue
        digest = tool.get("result_digest")
        if digest not in out or len(out[digest]) >= most:
            continue
        found = tool.get("result")
        result: dict[str, Any] = found if isinstance(found, dict) else {}
        findings = result.get("findings")
        out[digest].append(
            {
                "seq": entry.seq,
                "id": entry.id,
                "time": str(entry.time),
                "request_id": payload.get("request_id"),
                "tool": tool.get("tool"),
                "codes": result.get("codes") if isinstance(result.get("codes"), list) else [],
                "findings": [f for f in findings if isinstance(f, dict)]
                if isinstance(findings, list)
                else [],
                "withheld": result.get("withheld"),
                "covered": tool.get("covered"),
            }
        )
    return out


def caller_keys(store: GateStore, key: str) -> list[str]:
    """``key`` and the other keys of the same caller: a caller tainted across a pseudonym key rotation has a
    row under its digest of each key, and every row written since names them all (``by.keys``). Found both
    ways: the keys ``key``'s row names, and the rows that name ``key``; only rows the ledger vouches for
    count (a row edited to name another caller's key is not believed). Sorted."""
    import sqlalchemy as sa

    with store.reader() as conn:
        query = sa.select(t.taint.c.key).where(t.taint.c.by.contains(f'"{key}"'), t.taint.c.key != key)
        others = sorted(str(k) for (k,) in conn.execute(query).all())
        rows = read_taints(store, conn, [key, *others])
    return sorted(_linked(key, rows))


def lift_taint(
    store: GateStore,
    key: str,
    *,
    reviewer: str | Principal,
    reason: str,
    policy: Policy | None = None,
    now: datetime | None = None,
    cover_for: timedelta = DEFAULT_COVER,
    covers: Sequence[str] | None = None,
    seen: str | None = None,
) -> TaintRow:
    """End the taint of ``key``'s caller now, as ``reviewer`` (a verified Principal with the reviewer role, or
    a name registered with it in ``policy``'s ``gate.principals``, as for approvals), for ``reason``: every
    live row of the caller — ``key``'s and those of its other key generations (:func:`caller_keys`) — gets a
    new version (``until`` = now, ``by`` = what caused it and ``lifted``: the lift's id, who, why, when, the
    keys it ended, the results it covers and until when, what the row was) with its ``taint`` entry, in one
    transaction. For ``cover_for`` (0: not at all) the flagged results the rows name are *covered*: the same
    result (the same keyed digest: the same tool and the same bytes) sent again by this caller does not taint
    it again; a different one does. A row the ledger does not vouch for (edited, deleted) is lifted the same
    way, which binds it again (what it names is not believed: it covers nothing). When none of the caller's
    rows is live, raises :class:`ApprovalError`. ``covers``: the digests of the results the reviewer looked at
    (as ``by.results`` and the ``result_screened`` entries show them); only those are covered, and one the
    rows do not name is an error (nothing is written) — so a result the caller sent between the review and
    the lift is not covered unseen. None: every result the rows name when the lift is made.

    A lift is bound to what its reviewer saw, so that nothing written since — a flagged result the caller
    read after the review, which the rows now name — is lifted or covered unseen: ``seen`` is the view of
    the caller's taint the reviewer looked at (:attr:`TaintRow.view`, as :func:`list_taints` and ``gate
    taint list`` show it); when the taint is no longer that view, nothing is written and an
    :class:`ApprovalError` says what changed. Without ``seen``, ``covers`` must name every result the live
    rows name (the reviewer demonstrably saw each), and every live row must be vouched for and name one;
    else the lift is refused with the same advice (nothing is written).
    Returns ``key``'s new row (or the first one lifted)."""
    from uuid import uuid4

    from brandrail.errors import ApprovalError, UsageError
    from brandrail.gate.approvals import _reviewer

    who = _reviewer(reviewer, policy)
    why = reason.strip()
    if len(why) < 3:
        raise ApprovalError("give a reason of at least 3 characters", hint="pass --reason TEXT")
    check_key(key)
    if cover_for < timedelta(0):
        raise UsageError("cover_for must not be negative", hint="give a duration such as 24h, or 0s")
    for digest in covers or ():
        if not _cover_digest(digest):
            raise UsageError(
                f"{printable(digest[:80])!r} is not a result digest",
                hint="give a digest as `brandrail gate taint list --format json` shows it in by.results: "
                "r:<32 hex digits> (or a chat's mark in by.chains: c:<32 hex digits>)",
            )
    if seen is not None and not TAINT_VIEW.fullmatch(seen):
        raise UsageError(
            f"{printable(seen[:80])!r} is not a taint view",
            hint="give the view as `brandrail gate taint list` shows it on the caller's line: "
            "view=tv:<16 hex digits>",
        )
    now = now or datetime.now(UTC)
    keys = caller_keys(store, key)
    with store.transaction() as conn:
        store.lock_all(conn, [f"taint:{k}" for k in keys])
        rows = read_taints(store, conn, keys)
        live = [
            r
            for r in rows
            if r.problem is not None or (r.until is not None and r.until > now and not r.pruned)
        ]
        if not live:
            mine = next((r for r in rows if r.key == key), None)
            ended = f" (it ended at {mine.until.isoformat()})" if mine is not None and mine.until else ""
            raise ApprovalError(
                f"no live taint of {key}{ended}", hint="list them with `brandrail gate taint list`"
            )
        results = latest_by_digest(
            [r for row in live if row.problem is None for r in row_results(row.by)], MAX_RESULTS
        )
        chains = latest_by_digest(
            [c for row in live if row.problem is None for c in row_chains(row.by)], MAX_CHAINS
        )
        if covers is not None:
            named = {r["digest"] for r in results} | {c["digest"] for c in chains}
            unknown = sorted(set(covers) - named)
            if unknown:
                raise ApprovalError(
                    f"the live taint of {key} names no result {', '.join(unknown)}",
                    hint="list the results it names with `brandrail gate taint list --format json` "
                    "(by.results); nothing was lifted",
                )
        _check_seen(key, seen, covers, rows, live, results)
        if covers is not None:
            results = [r for r in results if r["digest"] in set(covers)]
            chains = [c for c in chains if c["digest"] in set(covers)]
        covers_until = t.iso(now + cover_for) if cover_for > timedelta(0) else None
        lift_id = uuid4().hex
        fresh = [{"digest": r["digest"], "until": covers_until, "lift": lift_id} for r in [*chains, *results]]
        carried = [c for row in rows if row.problem is None for c in live_covers(row.by, now)]
        kept = latest_by_digest([*carried, *(fresh if covers_until else [])], MAX_COVERS)
        lifted = {
            "id": lift_id,
            "reviewer": who.id,
            "reviewer_via": who.via,
            "reason": why,
            "at": t.iso(now),
            "keys": [r.key for r in live],
            "covers": [
                {"digest": r["digest"], "tool": r.get("tool"), "codes": r.get("codes")} for r in results
            ]
            if covers_until
            else [],
            "covers_until": covers_until,
        }
        if chains and covers_until:  # every result of these chats up to the mark (however many)
            lifted["chains"] = [{"digest": c["digest"], "count": c["count"]} for c in chains]
        out: list[TaintRow] = []
        for row in live:
            mine_lifted = {
                **lifted,
                "until_was": t.iso(row.until) if row.until is not None and row.problem is None else None,
                "problem": row.problem,
            }
            if row.problem is None:
                by = {**row.by, "lifted": mine_lifted}
                seq = row.seq + 1
            else:  # not believed: what it says caused it is not carried over
                by = {"tool": None, "codes": [], "lifted": mine_lifted}
                seq = _next_seq(store, conn, row.key, 1)
            by.pop("covers", None)
            if kept:
                by["covers"] = kept
            out.append(_put(store, conn, row.key, now, by, seq))
        return next((r for r in out if r.key == key), out[0])


#: The advice of a lift refused because it is not bound to what the reviewer saw.
_LOOK_AGAIN = (
    "look at the caller's taint again (`brandrail gate taint list --format json`: by.results names every "
    "flagged result) and lift with --seen VIEW of what you reviewed (the view on the caller's line; the API's "
    '"seen"); nothing was lifted'
)


def _check_seen(
    key: str,
    seen: str | None,
    covers: Sequence[str] | None,
    rows: Sequence[TaintRow],
    live: Sequence[TaintRow],
    results: Sequence[dict[str, Any]],
) -> None:
    """Refuse (:class:`ApprovalError`) a lift of ``key``'s caller that is not bound to what its reviewer saw
    (see :func:`lift_taint`): ``seen`` that is not the taint's view now (``rows``: every row of the caller),
    or, without ``seen``, ``covers`` that leave out a result the ``live`` rows name (``results``), or a
    live row that names none or is not vouched for."""
    from brandrail.errors import ApprovalError

    if seen is not None:
        now_view = taint_view(rows)
        if now_view != seen:
            raise TaintViewChangedError(
                f"the taint of {key} changed since you looked (view {seen}, now {now_view}): something was "
                f"written since — another flagged result read by the caller, a renewal or another lift",
                hint=_LOOK_AGAIN,
            )
        return
    if covers is None:
        raise ApprovalError(
            f"say which taint of {key} you reviewed: a lift names the view you saw (or covers every result "
            "the taint names), so that a result the caller read after your review is not lifted unseen",
            hint=_LOOK_AGAIN,
        )
    unseen = sorted({r["digest"] for r in results} - set(covers))
    if unseen:
        raise ApprovalError(
            f"the live taint of {key} names result(s) you did not cover: {', '.join(unseen)} (read by the "
            "caller after your review, or left out): lifting would end their taint unseen",
            hint=_LOOK_AGAIN + " (or cover each with --cover)",
        )
    if any(row.problem is not None or not row_results(row.by) for row in live):
        raise ApprovalError(
            f"a live taint row of {key} names no result a cover could vouch for (or the ledger does not "
            "vouch for it)",
            hint=_LOOK_AGAIN,
        )


@dataclass(frozen=True, slots=True)
class PruneResult:
    """What :func:`prune_taints` did: the keys whose rows it deleted, and the expired ones it left because
    the ledger does not vouch for them (lift them first)."""

    pruned: tuple[str, ...]
    skipped: tuple[str, ...]


def prune_taints(
    store: GateStore, older_than: timedelta, *, now: datetime | None = None, batch: int = 200
) -> PruneResult:
    """Delete the taint rows that ended more than ``older_than`` ago and whose ledger entry says so; each
    deletion appends a ``taint`` entry recording it (the next version: ``pruned``, the row's ``until``, when),
    so neither a later check nor ``brandrail ledger verify`` takes the missing row for a deleted one. A row the
    ledger does not vouch for is left (it still holds; lift it first). ``batch`` rows per transaction."""
    import sqlalchemy as sa

    if older_than < timedelta(0):
        raise ValueError("older_than must not be negative")
    now = now or datetime.now(UTC)
    cutoff = now - older_than
    pruned: list[str] = []
    skipped: list[str] = []
    after = ""
    while True:
        query = (
            sa.select(t.taint.c.key)
            .where(t.taint.c.until < t.iso(cutoff), t.taint.c.key > after)
            .order_by(t.taint.c.key)
            .limit(batch)
        )
        with store.reader() as conn:
            keys = [str(k) for (k,) in conn.execute(query).all()]
        if not keys:
            break
        after = keys[-1]
        with store.transaction() as conn:
            store.lock_all(conn, [f"taint:{k}" for k in keys])
            for row in read_taints(store, conn, keys):
                if row.pruned:
                    continue
                if row.problem is not None or row.until is None or row.until >= cutoff:
                    if row.problem is not None:
                        skipped.append(row.key)
                    continue
                if live_covers(row.by, now):
                    continue  # a lift's covers still hold: deleting the row would end them early
                conn.execute(sa.delete(t.taint).where(t.taint.c.key == row.key, t.taint.c.seq == row.seq))
                store.ledger.append(
                    conn,
                    kind=TAINT_KIND,
                    payload=prune_payload(row.key, row.seq + 1, t.iso(row.until), t.iso(now)),
                    policy_version="",
                    entry_id=taint_entry_id(row.key, row.seq + 1),
                )
                pruned.append(row.key)
    return PruneResult(tuple(pruned), tuple(skipped))
